//! The regions bundled with wxmod (内置区域): Shanxi province (山西省, 140000) and its eleven
//! prefecture-level cities, and the lookup that turns `--region` into a folder.
//!
//! A region is named by its adcode (`140200`), its Chinese name with or without the 市/省
//! suffix (`大同市`, `大同`), its pinyin in any case (`datong`, `Datong`), or a folder path
//! with a `region.toml`. An existing folder wins over a bundled name. Shuozhou (朔州市,
//! `data/shuozhou`) is the default region; the others live in `data/regions/<adcode>/` and
//! share one DEM (`data/regions/shanxi_dem_30s.tif`). The data are built by
//! `data/regions/build_regions.py` from public sources listed in `data/regions/SOURCES.md`.
//!
//! The data folder is `data/` of the source tree, or `$WXMOD_DATA` when that is set.

use std::path::{Path, PathBuf};

use super::{LayerInventory, Region, RegionError, RegionLevel, layers::LayerError};

/// One bundled region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BundledRegion {
    /// The administrative code (行政区划代码), e.g. `140200`.
    pub adcode: &'static str,
    /// The Chinese name, e.g. 大同市.
    pub name: &'static str,
    /// The pinyin, lowercase, e.g. `datong`.
    pub pinyin: &'static str,
    /// City or province.
    pub level: RegionLevel,
    /// The folder under the data folder, e.g. `regions/140200`.
    pub folder: &'static str,
}

impl BundledRegion {
    /// The region's folder.
    pub fn dir(&self) -> PathBuf {
        data_dir().join(self.folder)
    }
}

const fn city(
    adcode: &'static str,
    name: &'static str,
    pinyin: &'static str,
    folder: &'static str,
) -> BundledRegion {
    BundledRegion {
        adcode,
        name,
        pinyin,
        level: RegionLevel::City,
        folder,
    }
}

/// Every bundled region: the province first, then the cities by adcode.
pub const BUNDLED: [BundledRegion; 12] = [
    BundledRegion {
        adcode: "140000",
        name: "山西省",
        pinyin: "shanxi",
        level: RegionLevel::Province,
        folder: "regions/140000",
    },
    city("140100", "太原市", "taiyuan", "regions/140100"),
    city("140200", "大同市", "datong", "regions/140200"),
    city("140300", "阳泉市", "yangquan", "regions/140300"),
    city("140400", "长治市", "changzhi", "regions/140400"),
    city("140500", "晋城市", "jincheng", "regions/140500"),
    city("140600", "朔州市", "shuozhou", "shuozhou"),
    city("140700", "晋中市", "jinzhong", "regions/140700"),
    city("140800", "运城市", "yuncheng", "regions/140800"),
    city("140900", "忻州市", "xinzhou", "regions/140900"),
    city("141000", "临汾市", "linfen", "regions/141000"),
    city("141100", "吕梁市", "lvliang", "regions/141100"),
];

/// A `--region` value that names neither a folder nor a bundled region.
#[derive(Debug, thiserror::Error)]
pub enum RegionLookupError {
    /// Nothing has this name.
    #[error(
        "no region '{given}': it is not a folder with a region.toml, nor a bundled region's \
         adcode, Chinese name or pinyin (bundled: {}); `wxmod regions` lists them, \
         `wxmod region build` makes a folder from your own data",
        bundled_list()
    )]
    Unknown {
        /// The value given.
        given: String,
    },
    /// A folder exists but holds no manifest.
    #[error(
        "region folder {} has no region.toml; make one with `wxmod region build` or copy data/shuozhou/region.toml",
        dir.display()
    )]
    NoManifest {
        /// The folder.
        dir: PathBuf,
    },
}

fn bundled_list() -> String {
    BUNDLED
        .iter()
        .map(|r| format!("{} {} {}", r.adcode, r.name, r.pinyin))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The data folder: `$WXMOD_DATA` or `data/` of the source tree.
pub fn data_dir() -> PathBuf {
    match std::env::var_os("WXMOD_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("data"),
    }
}

/// The bundled region named by an adcode, Chinese name (with or without 市/省) or pinyin.
///
/// # Examples
/// ```
/// use wxmod::region::bundled;
/// assert_eq!(bundled::find("大同").unwrap().adcode, "140200");
/// assert_eq!(bundled::find("Datong").unwrap().adcode, "140200");
/// assert_eq!(bundled::find("140000").unwrap().pinyin, "shanxi");
/// assert!(bundled::find("beijing").is_none());
/// ```
pub fn find(name: &str) -> Option<&'static BundledRegion> {
    let given = name.trim();
    let lower = given.to_lowercase().replace(['ü', 'ǚ'], "v");
    BUNDLED.iter().find(|r| {
        r.adcode == given
            || r.name == given
            || r.name.trim_end_matches(['市', '省']) == given
            || r.pinyin == lower
            || (r.pinyin == "lvliang" && (lower == "luliang" || lower == "lyuliang"))
    })
}

/// Turns a `--region` value into a region folder: an existing folder as given, else a
/// bundled region by adcode, Chinese name or pinyin.
///
/// # Examples
/// ```
/// use wxmod::region::bundled;
/// let dir = bundled::resolve("140200").unwrap();
/// assert!(dir.join("region.toml").exists());
/// assert_eq!(bundled::resolve("shuozhou").unwrap(), wxmod::region::bundled_region_dir());
/// assert!(bundled::resolve("atlantis").unwrap_err().to_string().contains("140200 大同市 datong"));
/// ```
pub fn resolve(given: &str) -> Result<PathBuf, RegionLookupError> {
    let path = Path::new(given);
    if path.is_dir() {
        return if path.join("region.toml").is_file() {
            Ok(path.to_path_buf())
        } else {
            Err(RegionLookupError::NoManifest {
                dir: path.to_path_buf(),
            })
        };
    }
    find(given)
        .map(BundledRegion::dir)
        .ok_or_else(|| RegionLookupError::Unknown {
            given: given.to_string(),
        })
}

/// One line of `wxmod regions`: a bundled region, its county count and its layers.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RegionSummary {
    /// The adcode.
    pub adcode: String,
    /// The Chinese name.
    pub name: String,
    /// The pinyin.
    pub pinyin: String,
    /// City or province.
    pub level: RegionLevel,
    /// Number of county-level units.
    pub counties: usize,
    /// The region folder.
    pub folder: PathBuf,
    /// Its layers.
    pub layers: LayerInventory,
}

/// A bundled region that cannot be loaded (a broken installation).
#[derive(Debug, thiserror::Error)]
pub enum SummaryError {
    /// The folder or its boundaries are unusable.
    #[error("bundled region {adcode} {name} cannot be loaded")]
    Region {
        /// The adcode.
        adcode: &'static str,
        /// The name.
        name: &'static str,
        /// Why.
        source: Box<RegionError>,
    },
    /// A layer file is unusable.
    #[error("bundled region {adcode} {name} has an unusable layer")]
    Layer {
        /// The adcode.
        adcode: &'static str,
        /// The name.
        name: &'static str,
        /// Why.
        source: LayerError,
    },
}

/// Every bundled region with its layers, in [`BUNDLED`] order: JSON as an array, text as the
/// table `wxmod regions` prints.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(transparent)]
pub struct RegionList(pub Vec<RegionSummary>);

/// Loads every bundled region and takes its layer inventory, in [`BUNDLED`] order.
pub fn summaries() -> Result<RegionList, SummaryError> {
    let loaded = crate::parallel::map_in_order(&BUNDLED, 2, summary);
    loaded.into_iter().collect::<Result<_, _>>().map(RegionList)
}

impl std::fmt::Display for RegionList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{:<7} {:<8} {:<9} {:<8} {:>8}  layers",
            "adcode", "name", "pinyin", "level", "counties"
        )?;
        for r in &self.0 {
            // Chinese characters are two columns wide on a terminal.
            let pad = 8usize.saturating_sub(r.name.chars().count() * 2);
            writeln!(
                f,
                "{:<7} {}{} {:<9} {:<8} {:>8}  {}",
                r.adcode,
                r.name,
                " ".repeat(pad),
                r.pinyin,
                r.level.as_str(),
                r.counties,
                r.layers.summary()
            )?;
        }
        writeln!(
            f,
            "Choose one with --region ADCODE, --region 大同市 or --region datong (default: 140600 朔州市); \
             zones are DERIVED by `wxmod zones derive`, not official zone maps."
        )
    }
}

fn summary(r: &BundledRegion) -> Result<RegionSummary, SummaryError> {
    let dir = r.dir();
    let region = Region::load(&dir, None).map_err(|e| SummaryError::Region {
        adcode: r.adcode,
        name: r.name,
        source: Box::new(e),
    })?;
    let layers = LayerInventory::of(&region).map_err(|e| SummaryError::Layer {
        adcode: r.adcode,
        name: r.name,
        source: e,
    })?;
    Ok(RegionSummary {
        adcode: r.adcode.to_string(),
        name: r.name.to_string(),
        pinyin: r.pinyin.to_string(),
        level: r.level,
        counties: region.counties.len(),
        folder: dir,
        layers,
    })
}
