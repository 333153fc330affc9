//! The planning region: its counties (县级行政区), their boundaries and the projection to metres.
//!
//! A region is a folder with a small manifest, `region.toml`, that names its files, the id and
//! name properties of the boundary file and the datum of its coordinates, so that a bureau can
//! set up another city the same way as the bundled Shuozhou (`data/shuozhou/region.toml`). A bare
//! GeoJSON boundary file can be used directly with [`Region::from_boundaries`]. Shanxi and its
//! eleven cities are bundled ([`bundled`]: lookup by adcode, Chinese name or pinyin), and
//! [`build`] checks a bureau's own layers and writes a region folder; [`LayerInventory`] says
//! which layers a region has. Every load runs the boundary checks of `load` and `checks`
//! (invalid rings, duplicate ids, overlapping, zero-area and whole-world counties).
//!
//! Every county is kept twice: in WGS84 lon/lat (for output and geodesic areas) and projected
//! to metres (for all planning geometry). The projection is the UTM zone of the region's
//! centroid unless the manifest or the caller names another CRS.

pub mod build;
pub mod bundled;
mod checks;
mod clip;
mod landmarks;
mod layers;
mod load;
mod locate;
mod outlines;
mod problems;
mod projection;
mod units;
mod validity;

use std::path::{Path, PathBuf};

use geo::{Area, BoundingRect, Centroid, GeodesicArea, MultiPolygon, Rect};

pub use bundled::{BUNDLED, BundledRegion, RegionLookupError};
pub use checks::BoundaryLimits;
pub use landmarks::{Landmark, LandmarkError, LandmarkKind, read_landmarks, read_points};
pub use layers::{LayerError, LayerInventory, RegionLevel, dem_covered_share};
pub use load::{
    BoundaryError, BoundaryFeature, BoundarySource, FeatureProblem, InputCrs, LocatedProblem,
    parse_boundaries, parse_boundaries_with, read_boundaries, read_boundaries_with,
};
pub use locate::RowLocator;
pub use outlines::UnitOutline;
pub use projection::{CHINA_ALBERS, MAX_UTM_SPAN_DEG, Projection, ProjectionError};
pub use units::{AdminUnit, RegionScope, UnitLevel, admin_units, admin_units_of};
pub use validity::is_valid;

/// One county-level unit (区/县/市) of the region.
#[derive(Debug, Clone)]
pub struct County {
    /// The unique id (the adcode for Chinese data).
    pub id: String,
    /// The name, e.g. 朔城区.
    pub name: String,
    /// The boundary in WGS84 lon/lat degrees, exterior rings counter-clockwise.
    pub lonlat: MultiPolygon<f64>,
    /// The boundary in the region's projected CRS, metres.
    pub shape: MultiPolygon<f64>,
}

impl County {
    /// Planar area in the projected CRS, square metres.
    pub fn projected_area_m2(&self) -> f64 {
        self.shape.unsigned_area()
    }

    /// Geodesic area on the WGS84 ellipsoid, square metres (independent of the projection).
    pub fn geodesic_area_m2(&self) -> f64 {
        self.lonlat.geodesic_area_unsigned()
    }
}

/// The optional data files of a region, resolved to paths.
#[derive(Debug, Clone, Default)]
pub struct RegionFiles {
    /// The elevation model (ESRI ASCII grid or GeoTIFF, WGS84 lon/lat).
    pub dem: Option<PathBuf>,
    /// County seats, airports and places (CSV `name,kind,lon,lat,county,note`).
    pub landmarks: Option<PathBuf>,
    /// River centre-lines (GeoJSON LineStrings, WGS84).
    pub rivers: Option<PathBuf>,
    /// Priority zones (GeoJSON polygons with a `kind` property, WGS84).
    pub zones: Option<PathBuf>,
}

/// A region ready for planning: counties loaded, checked and projected.
#[derive(Debug, Clone)]
pub struct Region {
    /// Display name, e.g. "朔州市 Shuozhou".
    pub name: String,
    /// City or province (manifest key `level`; a bare boundary file is taken as a city).
    pub level: RegionLevel,
    /// The administrative code of the whole region, where the manifest gives one.
    pub adcode: Option<String>,
    /// The counties, in file order.
    pub counties: Vec<County>,
    /// The projection used for all planning geometry.
    pub projection: Projection,
    /// The region's other data files.
    pub files: RegionFiles,
    /// The boundary file the counties came from.
    pub boundary_file: PathBuf,
    /// Its outline and its units' outlines, computed on first use ([`Region::outline`]).
    outlines: outlines::OutlineCache,
}

/// A region folder or its manifest that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RegionError {
    /// The manifest could not be read.
    #[error("cannot read region manifest {path}: {source}")]
    ReadManifest {
        /// The manifest path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The manifest is not valid TOML or lacks a key.
    #[error("region manifest {path} is invalid: {reason}")]
    Manifest {
        /// The manifest path.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A file named by the manifest does not exist.
    #[error("region manifest {manifest} names {key} = {path}, which does not exist")]
    MissingFile {
        /// The manifest path.
        manifest: PathBuf,
        /// The manifest key.
        key: String,
        /// The resolved path.
        path: PathBuf,
    },
    /// The boundary file is unusable.
    #[error(transparent)]
    Boundary(#[from] BoundaryError),
    /// The projection could not be set up or applied (the cause follows in the error chain).
    #[error("{context}")]
    Projection {
        /// Where it happened.
        context: String,
        /// The projection error.
        source: ProjectionError,
    },
}

/// The manifest `region.toml`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    name: String,
    boundaries: String,
    #[serde(default = "default_id_property")]
    id_property: String,
    #[serde(default = "default_name_property")]
    name_property: String,
    #[serde(default)]
    input_crs: InputCrs,
    /// `auto` (UTM zone of the centroid), an EPSG code or a PROJ string.
    #[serde(default = "default_projection")]
    projection: String,
    dem: Option<String>,
    landmarks: Option<String>,
    rivers: Option<String>,
    zones: Option<String>,
    /// The region's own adcode (e.g. 140200).
    adcode: Option<String>,
    /// The region's pinyin name (e.g. datong), used by the bundled-region lookup.
    #[allow(dead_code)]
    pinyin: Option<String>,
    /// `city` (default) or `province`.
    #[serde(default)]
    level: RegionLevel,
}

fn default_id_property() -> String {
    "adcode".into()
}
fn default_name_property() -> String {
    "name".into()
}
fn default_projection() -> String {
    "auto".into()
}

/// The folder of the bundled Shuozhou region (`data/shuozhou` in the source tree), or
/// `$WXMOD_DATA/shuozhou` when the `WXMOD_DATA` environment variable is set.
pub fn bundled_region_dir() -> PathBuf {
    bundled::data_dir().join("shuozhou")
}

impl Region {
    /// Loads a region folder through its `region.toml`.
    ///
    /// `projection` overrides the manifest's CRS when given.
    ///
    /// # Examples
    /// ```
    /// let shuozhou = wxmod::region::Region::load(&wxmod::region::bundled_region_dir(), None).unwrap();
    /// assert_eq!(shuozhou.counties.len(), 6);
    /// assert_eq!(shuozhou.projection.spec(), "EPSG:32649");
    /// ```
    pub fn load(dir: &Path, projection: Option<&str>) -> Result<Region, RegionError> {
        let manifest_path = dir.join("region.toml");
        let text =
            crate::files::read_text(&manifest_path).map_err(|e| RegionError::ReadManifest {
                path: manifest_path.clone(),
                source: e,
            })?;
        let manifest: Manifest = toml::from_str(&text).map_err(|e| RegionError::Manifest {
            path: manifest_path.clone(),
            reason: e.message().to_string(),
        })?;
        let existing = |key: &str, file: &Option<String>| -> Result<Option<PathBuf>, RegionError> {
            let Some(file) = file else { return Ok(None) };
            let path = load::resolve(dir, file);
            if path.exists() {
                Ok(Some(path))
            } else {
                Err(RegionError::MissingFile {
                    manifest: manifest_path.clone(),
                    key: key.to_string(),
                    path,
                })
            }
        };
        let boundaries =
            existing("boundaries", &Some(manifest.boundaries.clone()))?.expect("invariant: given");
        let files = RegionFiles {
            dem: existing("dem", &manifest.dem)?,
            landmarks: existing("landmarks", &manifest.landmarks)?,
            rivers: existing("rivers", &manifest.rivers)?,
            zones: existing("zones", &manifest.zones)?,
        };
        let source = BoundarySource {
            path: boundaries,
            id_property: manifest.id_property,
            name_property: manifest.name_property,
            input_crs: manifest.input_crs,
        };
        let crs = projection.unwrap_or(&manifest.projection);
        let mut region = Region::from_boundaries(&source, Some(crs))?;
        region.name = manifest.name;
        region.level = manifest.level;
        region.adcode = manifest.adcode;
        region.files = files;
        Ok(region)
    }

    /// A region from a bare boundary file. `projection` is an EPSG code, a PROJ string, or
    /// `None`/`"auto"`: the UTM zone of the centroid, or for a region wider than
    /// [`MAX_UTM_SPAN_DEG`] of longitude (a country) the Albers equal-area conic
    /// for China [`CHINA_ALBERS`].
    pub fn from_boundaries(
        source: &BoundarySource,
        projection: Option<&str>,
    ) -> Result<Region, RegionError> {
        let features = read_boundaries(source)?;
        let projection = match projection {
            None | Some("auto") => {
                let all = MultiPolygon(
                    features
                        .iter()
                        .flat_map(|f| f.lonlat.0.iter().cloned())
                        .collect(),
                );
                let span = all.bounding_rect().map_or(0.0, |b| b.width());
                if span > MAX_UTM_SPAN_DEG {
                    Projection::from_spec(CHINA_ALBERS).map_err(|e| RegionError::Projection {
                        context: "cannot set up the equal-area projection".into(),
                        source: e,
                    })?
                } else {
                    let c = all
                        .centroid()
                        .expect("invariant: a checked region has area");
                    Projection::utm_for(c.x(), c.y())
                }
            }
            Some(spec) => Projection::from_spec(spec).map_err(|e| RegionError::Projection {
                context: "cannot use the projection".into(),
                source: e,
            })?,
        };
        let mut counties = Vec::with_capacity(features.len());
        for f in features {
            let shape = projection.forward_multipolygon(&f.lonlat).map_err(|e| {
                RegionError::Projection {
                    context: format!("cannot project county {} ({})", f.id, f.name),
                    source: e,
                }
            })?;
            counties.push(County {
                id: f.id,
                name: f.name,
                lonlat: f.lonlat,
                shape,
            });
        }
        let name = source
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(Region {
            name,
            level: RegionLevel::City,
            adcode: None,
            counties,
            projection,
            files: RegionFiles::default(),
            boundary_file: source.path.clone(),
            outlines: outlines::OutlineCache::default(),
        })
    }

    /// Total planar area of all counties in the projected CRS, square metres.
    pub fn projected_area_m2(&self) -> f64 {
        self.counties.iter().map(County::projected_area_m2).sum()
    }

    /// Total geodesic area of all counties, square metres.
    pub fn geodesic_area_m2(&self) -> f64 {
        self.counties.iter().map(County::geodesic_area_m2).sum()
    }

    /// A WGS84 lon/lat in the region's projected metres, or `None` where the projection cannot
    /// take it.
    pub fn project(&self, lon: f64, lat: f64) -> Option<geo::Coord<f64>> {
        let (x, y) = self.projection.forward(lon, lat).ok()?;
        Some(geo::Coord { x, y })
    }

    /// The bounding box of all counties in projected metres.
    pub fn projected_bounds(&self) -> Rect<f64> {
        let mut rects = self.counties.iter().filter_map(|c| c.shape.bounding_rect());
        let first = rects
            .next()
            .expect("invariant: a region has at least one county");
        rects.fold(first, |a, b| {
            Rect::new(
                geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
            )
        })
    }

    /// The county with this id.
    pub fn county(&self, id: &str) -> Option<&County> {
        self.counties.iter().find(|c| c.id == id)
    }
}
