//! The region builder (区域构建): checks a bureau's own layers and writes a region folder that
//! every command takes with `--region DIR`.
//!
//! Every layer is read and checked before anything is written:
//! - boundaries: every check of the `load` and `checks` modules (invalid rings,
//!   duplicate ids, zero-area or whole-world polygons, counties overlapping by more than
//!   0.1 % of the smaller one);
//! - DEM: readable, and covering all of the land ([`super::dem_covered_share`]); a DEM that
//!   leaves land uncovered is refused with the uncovered share unless `allow_partial_dem`;
//! - landmarks (`name,kind,lon,lat,county,note`), airports and places (`name,lon,lat,...`):
//!   readable, and not far outside the region: county seats and places at most
//!   [`LandmarkMargins::place_km`] outside, airports at most [`LandmarkMargins::airport_km`];
//!   a landmark without a county gets the county it lies in;
//! - rivers and zones: readable GeoJSON of the right geometry.
//!
//! Without `zones` but with a DEM, candidate zones are derived with the default
//! [`crate::zones::ZoneRules`] and written marked `derived: true` (as `wxmod zones derive`).
//! The folder is written under a temporary name and renamed at the end, so a refused or
//! failed build leaves nothing behind; an existing non-empty `out` is refused.

use std::path::{Path, PathBuf};

use geo::{Contains, Distance, Euclidean, Point};

use super::{
    BoundarySource, InputCrs, Landmark, LandmarkError, LandmarkKind, LayerInventory, Region,
    RegionError, RegionLevel, dem_covered_share, read_landmarks, read_points,
};
use crate::terrain::{Dem, TerrainError};
use crate::zones::{ZoneError, ZoneLayer, ZoneRules, derive_zones, read_rivers, zones_to_geojson};

/// How far outside the region a landmark may lie. Assumed defaults \[A\].
#[derive(Debug, Clone, Copy, PartialEq, clap::Args)]
pub struct LandmarkMargins {
    /// County seats and places may lie at most this far outside the boundary, km (0 to 50) [A].
    #[arg(long = "place-margin-km", value_name = "PLACE_MARGIN_KM", default_value_t = DEFAULT_MARGINS.place_km)]
    pub place_km: f64,
    /// Airports may lie at most this far outside the boundary, km (0 to 500) [A]: their
    /// approach areas reach into the region.
    #[arg(long = "airport-margin-km", value_name = "AIRPORT_MARGIN_KM", default_value_t = DEFAULT_MARGINS.airport_km)]
    pub airport_km: f64,
}

/// The assumed margins \[A\]: 5 km for county seats and places, 150 km for airports.
pub const DEFAULT_MARGINS: LandmarkMargins = LandmarkMargins {
    place_km: 5.0,
    airport_km: 150.0,
};

impl Default for LandmarkMargins {
    fn default() -> Self {
        DEFAULT_MARGINS
    }
}

/// What to build.
#[derive(Debug, Clone, clap::Args)]
pub struct BuildRequest {
    /// The county boundaries.
    #[command(flatten)]
    pub boundaries: BoundarySource,
    /// DEM covering all of the land (ESRI ASCII grid .asc or GeoTIFF .tif, WGS84).
    #[arg(long, value_name = "FILE")]
    pub dem: Option<PathBuf>,
    /// Accept a DEM that leaves part of the land uncovered.
    #[arg(long, requires = "dem")]
    pub allow_partial_dem: bool,
    /// Landmarks in wxmod's format: CSV name,kind,lon,lat,county,note (kind county_seat,
    /// airport or place).
    #[arg(long, value_name = "FILE")]
    pub landmarks: Option<PathBuf>,
    /// Airports: CSV with name, lon, lat columns (others kept as the note).
    #[arg(long, value_name = "FILE")]
    pub airports: Option<PathBuf>,
    /// Populated places: CSV with name, lon, lat columns (others kept as the note).
    #[arg(long, value_name = "FILE")]
    pub places: Option<PathBuf>,
    /// River centre-lines (GeoJSON LineStrings, WGS84).
    #[arg(long, value_name = "FILE")]
    pub rivers: Option<PathBuf>,
    /// Priority zones (GeoJSON, property kind); without it and with --dem, zones are derived
    /// and marked derived.
    #[arg(long, value_name = "FILE")]
    pub zones: Option<PathBuf>,
    /// The region's display name, e.g. "大同市 Datong".
    #[arg(long)]
    pub name: String,
    /// city (市) or province (省).
    #[arg(long)]
    pub level: RegionLevel,
    /// How far outside landmarks may lie.
    #[command(flatten)]
    pub margins: LandmarkMargins,
    /// The region folder to write (must not exist, or be empty).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// What was built (`wxmod region build --json` prints it as JSON).
#[derive(Debug, Clone, serde::Serialize)]
pub struct BuildReport {
    /// The folder written.
    pub dir: PathBuf,
    /// Its layers.
    pub layers: LayerInventory,
    /// Whether the zones were derived here (no `zones` given, a DEM given).
    pub zones_derived_here: bool,
    /// What the region lacks and what that means, one sentence each.
    pub missing: Vec<String>,
}

/// What `wxmod region build` prints: the folder and its layers, what was derived, what is
/// partial or missing, and how to use the folder.
impl std::fmt::Display for BuildReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let l = &self.layers;
        writeln!(
            f,
            "wrote region folder {} ({} {}, {} counties): {}",
            self.dir.display(),
            l.level.as_str(),
            l.level.chinese(),
            l.counties,
            l.summary()
        )?;
        if self.zones_derived_here {
            writeln!(
                f,
                "zones: DERIVED from the DEM with the default zone rules [A], not an official zone map"
            )?;
        }
        if let Some(share) = l.dem_covered_share
            && share < 1.0
        {
            writeln!(
                f,
                "warning: the DEM covers {:.2} % of the land (accepted with --allow-partial-dem)",
                share * 100.0
            )?;
        }
        for line in &self.missing {
            writeln!(f, "warning: {line}")?;
        }
        writeln!(f, "use it with --region {}", self.dir.display())
    }
}

/// A build refused or failed; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// A setting is out of its range.
    #[error("{0}")]
    Setting(String),
    /// The output folder already holds files.
    #[error("output folder {} already exists and is not empty; choose a new folder", .0.display())]
    OutExists(PathBuf),
    /// The boundaries are unusable.
    #[error(transparent)]
    Boundaries(#[from] RegionError),
    /// The DEM is unusable.
    #[error(transparent)]
    Dem(#[from] TerrainError),
    /// The DEM leaves land uncovered.
    #[error(
        "DEM {} covers only {:.2} % of the region's land ({:.2} % uncovered); supply a DEM \
         covering every county or pass --allow-partial-dem (burners and slope checks are then \
         skipped where it has no data)",
        path.display(), (1.0 - uncovered_share) * 100.0, uncovered_share * 100.0
    )]
    PartialDem {
        /// The DEM.
        path: PathBuf,
        /// Share (0 to 1) of the land without DEM data.
        uncovered_share: f64,
    },
    /// A landmark, airport or place file is unusable.
    #[error(transparent)]
    Landmarks(#[from] LandmarkError),
    /// A landmark lies far outside the region.
    #[error(
        "landmark file {}, line {line}: '{name}' ({kind}) at ({lon}, {lat}) is \
         {distance_km:.1} km outside the region, more than the {limit_km} km allowed for \
         {kind}s; is it in another region, or are lon and lat swapped?",
        path.display()
    )]
    FarLandmark {
        /// The file.
        path: PathBuf,
        /// 1-based line of the record.
        line: u64,
        /// The landmark's name.
        name: String,
        /// Its kind.
        kind: &'static str,
        /// Longitude.
        lon: f64,
        /// Latitude.
        lat: f64,
        /// Distance outside the boundary, km.
        distance_km: f64,
        /// The limit, km.
        limit_km: f64,
    },
    /// A river or zone file is unusable.
    #[error(transparent)]
    Layer(#[from] ZoneError),
    /// A file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The inventory of the written folder failed (should not happen after the checks).
    #[error(transparent)]
    Inventory(#[from] super::LayerError),
}

/// Checks every layer and writes the region folder.
pub fn build_region(request: &BuildRequest) -> Result<BuildReport, BuildError> {
    let m = request.margins;
    if !(0.0..=50.0).contains(&m.place_km) || !(0.0..=500.0).contains(&m.airport_km) {
        return Err(BuildError::Setting(format!(
            "landmark margins {} km (places, allowed 0 to 50) and {} km (airports, allowed 0 to 500) are out of range",
            m.place_km, m.airport_km
        )));
    }
    if request.name.trim().is_empty() {
        return Err(BuildError::Setting("the region name is empty".into()));
    }
    let out = &request.out;
    if out.exists() && std::fs::read_dir(out).map_or(true, |mut d| d.next().is_some()) {
        return Err(BuildError::OutExists(out.clone()));
    }
    let mut region = Region::from_boundaries(&request.boundaries, None)?;
    region.name = request.name.trim().to_string();
    region.level = request.level;

    let dem = match &request.dem {
        Some(path) => {
            let dem = Dem::read(path)?;
            let uncovered_share = 1.0 - dem_covered_share(&region, &dem);
            if uncovered_share > 0.0 && !request.allow_partial_dem {
                return Err(BuildError::PartialDem {
                    path: path.clone(),
                    uncovered_share,
                });
            }
            Some(dem)
        }
        None => None,
    };
    let mut landmarks = Vec::new();
    if let Some(path) = &request.landmarks {
        landmarks.extend(checked(&region, path, read_landmarks(path)?, &m)?);
    }
    for (file, kind) in [
        (&request.airports, LandmarkKind::Airport),
        (&request.places, LandmarkKind::Place),
    ] {
        if let Some(path) = file {
            landmarks.extend(checked(&region, path, read_points(path, kind)?, &m)?);
        }
    }
    let rivers = match &request.rivers {
        Some(path) => Some(read_rivers(path)?),
        None => None,
    };
    if let Some(path) = &request.zones {
        ZoneLayer::read(path)?;
    }

    // Everything checked: write under a temporary name, then rename.
    let staging = staging_dir(out);
    let result = write_folder(
        request,
        &region,
        &landmarks,
        dem.as_ref(),
        rivers.as_ref(),
        &staging,
    );
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    let zones_derived_here = result?;
    if out.exists() {
        std::fs::remove_dir(out).map_err(|e| BuildError::Write {
            path: out.clone(),
            source: e,
        })?;
    }
    std::fs::rename(&staging, out).map_err(|e| BuildError::Write {
        path: out.clone(),
        source: e,
    })?;
    let built = Region::load(out, None)?;
    let layers = LayerInventory::of(&built)?;
    let mut missing = Vec::new();
    for layer in layers.missing_protected_objects() {
        missing.push(format!(
            "no {layer}: firing sectors and siting exclusions cannot check them (supply --landmarks, --airports or --places)"
        ));
    }
    if !layers.has_dem {
        missing.push("no DEM: no smoke burners, no slope check (supply --dem)".into());
    }
    if !layers.has_zones {
        missing.push(
            "no zones: no 10 km priority grid (supply --zones, or --dem to derive them)".into(),
        );
    }
    if !layers.has_rivers {
        missing.push(
            "no rivers: derived ecological zones have no river corridors (supply --rivers)".into(),
        );
    }
    Ok(BuildReport {
        dir: out.clone(),
        layers,
        zones_derived_here,
        missing,
    })
}

/// The landmarks of one file, each given its county and checked not to lie far outside.
fn checked(
    region: &Region,
    path: &Path,
    mut landmarks: Vec<Landmark>,
    margins: &LandmarkMargins,
) -> Result<Vec<Landmark>, BuildError> {
    for (i, landmark) in landmarks.iter_mut().enumerate() {
        let here = Point::new(landmark.lon, landmark.lat);
        let inside = region.counties.iter().find(|c| c.lonlat.contains(&here));
        if let Some(county) = inside {
            if landmark.county.is_none() {
                landmark.county = Some(county.id.clone());
            }
            continue;
        }
        let (limit_km, kind) = match landmark.kind {
            LandmarkKind::Airport => (margins.airport_km, "airport"),
            LandmarkKind::CountySeat => (margins.place_km, "county seat"),
            LandmarkKind::Place => (margins.place_km, "place"),
        };
        let distance_km = match region.projection.forward(landmark.lon, landmark.lat) {
            Ok((x, y)) => {
                let p = Point::new(x, y);
                region
                    .counties
                    .iter()
                    .map(|c| Euclidean.distance(&p, &c.shape))
                    .fold(f64::INFINITY, f64::min)
                    / 1000.0
            }
            Err(_) => f64::INFINITY,
        };
        if distance_km > limit_km {
            return Err(BuildError::FarLandmark {
                path: path.to_path_buf(),
                line: i as u64 + 2,
                name: landmark.name.clone(),
                kind,
                lon: landmark.lon,
                lat: landmark.lat,
                distance_km,
                limit_km,
            });
        }
    }
    Ok(landmarks)
}

fn staging_dir(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "region".into());
    out.with_file_name(format!(".{name}.building-{}", std::process::id()))
}

/// Writes every file into `dir`; returns whether zones were derived.
fn write_folder(
    request: &BuildRequest,
    region: &Region,
    landmarks: &[Landmark],
    dem: Option<&Dem>,
    rivers: Option<&geo::MultiLineString<f64>>,
    dir: &Path,
) -> Result<bool, BuildError> {
    let write = |name: &str, bytes: &[u8]| -> Result<(), BuildError> {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| BuildError::Write { path, source: e })
    };
    let copy = |from: &Path, name: &str| -> Result<(), BuildError> {
        let path = dir.join(name);
        std::fs::copy(from, &path)
            .map(|_| ())
            .map_err(|e| BuildError::Write { path, source: e })
    };
    std::fs::create_dir_all(dir).map_err(|e| BuildError::Write {
        path: dir.to_path_buf(),
        source: e,
    })?;
    let b = &request.boundaries;
    copy(&b.path, "counties.geojson")?;
    let mut manifest = format!(
        "# Region folder written by `wxmod region build`; every layer was checked.\n\
         name = {}\nlevel = \"{}\"\nboundaries = \"counties.geojson\"\nid_property = {}\n\
         name_property = {}\ninput_crs = \"{}\"\nprojection = \"auto\"\n",
        toml_string(&region.name),
        region.level.as_str(),
        toml_string(&b.id_property),
        toml_string(&b.name_property),
        match b.input_crs {
            InputCrs::Wgs84 => "wgs84",
            InputCrs::Gcj02 => "gcj02",
        },
    );
    if let Some(path) = &request.dem {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("asc");
        let name = format!("dem.{}", ext.to_ascii_lowercase());
        copy(path, &name)?;
        manifest.push_str(&format!("dem = \"{name}\"\n"));
    }
    if !landmarks.is_empty() {
        let mut writer = csv::Writer::from_writer(Vec::new());
        for l in landmarks {
            writer.serialize(l).map_err(|e| BuildError::Write {
                path: dir.join("landmarks.csv"),
                source: std::io::Error::other(e),
            })?;
        }
        let bytes = writer.into_inner().map_err(|e| BuildError::Write {
            path: dir.join("landmarks.csv"),
            source: std::io::Error::other(e.to_string()),
        })?;
        write("landmarks.csv", &bytes)?;
        manifest.push_str("landmarks = \"landmarks.csv\"\n");
    }
    if let Some(path) = &request.rivers {
        copy(path, "rivers.geojson")?;
        manifest.push_str("rivers = \"rivers.geojson\"\n");
    }
    let mut derived_here = false;
    if let Some(path) = &request.zones {
        copy(path, "zones.geojson")?;
        manifest.push_str("zones = \"zones.geojson\"\n");
    } else if let Some(dem) = dem {
        let rules = ZoneRules::default();
        let layer = derive_zones(region, dem, rivers, &rules);
        write(
            "zones.geojson",
            zones_to_geojson(&layer, Some(&rules)).as_bytes(),
        )?;
        manifest.push_str("zones = \"zones.geojson\" # DERIVED by wxmod (default ZoneRules), not an official zone map\n");
        derived_here = true;
    }
    write("region.toml", manifest.as_bytes())?;
    Ok(derived_here)
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}
