//! `wxmod zones derive`: candidate priority zones (grain, forest/fruit, pasture, ecological,
//! high mountain) derived from the DEM and the rivers by documented rules.
//!
//! Official zone maps are not public; every zone written here is marked as derived, with the
//! rule that made it.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::project::Project;
use crate::report::NamedFile;
use crate::terrain::{Dem, TerrainError};
use crate::zones::{ZoneError, ZoneKind, ZoneRules, derive_zones, read_rivers, zones_to_geojson};

use super::Outcome;

/// How to derive the zones.
#[derive(Debug, Clone, Default)]
pub struct ZoneOptions {
    /// A DEM in place of the region's.
    pub dem: Option<PathBuf>,
    /// River lines in place of the region's.
    pub rivers: Option<PathBuf>,
    /// Thresholds (TOML) in place of [`ZoneRules::default`].
    pub rules: Option<PathBuf>,
    /// The name of the zone file to write.
    pub file_name: String,
}

/// Zones that cannot be derived.
#[derive(Debug, thiserror::Error)]
pub enum ZoneJobError {
    /// No DEM was given and the region has none.
    #[error("no DEM: give --dem or a region with one")]
    NoDem,
    /// The DEM could not be read.
    #[error(transparent)]
    Terrain(#[from] TerrainError),
    /// The rivers could not be read.
    #[error(transparent)]
    Rivers(#[from] ZoneError),
    /// The rules file could not be read or is invalid.
    #[error("rules file {path}: {reason}")]
    Rules {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// One zone kind's land.
#[derive(Debug, Clone, Serialize)]
pub struct ZoneKindArea {
    /// The kind.
    pub kind: &'static str,
    /// Its land, km² (geodesic).
    pub area_km2: f64,
    /// The rule that drew it.
    pub rule: String,
}

/// What `wxmod zones derive` reports.
#[derive(Debug, Clone, Serialize)]
pub struct ZoneSummary {
    /// Zone polygons.
    pub polygons: usize,
    /// Land per kind.
    pub kinds: Vec<ZoneKindArea>,
}

impl fmt::Display for ZoneSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} zone polygons (derived, not official)", self.polygons)?;
        for k in &self.kinds {
            writeln!(
                f,
                "  {:<14} {:>8.1} km²  rule: {}",
                k.kind, k.area_km2, k.rule
            )?;
        }
        Ok(())
    }
}

fn read_rules(path: &Path) -> Result<ZoneRules, ZoneJobError> {
    let rules_error = |reason: String| ZoneJobError::Rules {
        path: path.to_path_buf(),
        reason,
    };
    let text = crate::files::read_text(path).map_err(|e| rules_error(e.to_string()))?;
    toml::from_str::<ZoneRules>(&text).map_err(|e| rules_error(e.message().to_string()))
}

/// Derives the zones of the project's region.
pub fn derive(
    project: &Project,
    options: &ZoneOptions,
) -> Result<Outcome<ZoneSummary>, ZoneJobError> {
    let region = &project.region;
    let rules = options
        .rules
        .as_deref()
        .map(read_rules)
        .transpose()?
        .unwrap_or_default();
    let given_dem = options.dem.as_deref().map(Dem::read).transpose()?;
    let dem = given_dem
        .as_ref()
        .or(project.layers.dem.as_ref())
        .ok_or(ZoneJobError::NoDem)?;
    let given_rivers = options.rivers.as_deref().map(read_rivers).transpose()?;
    let rivers = given_rivers.as_ref().or(project.layers.rivers.as_ref());
    let layer = derive_zones(region, dem, rivers, &rules);
    let text = zones_to_geojson(&layer, Some(&rules));
    let kinds = ZoneKind::ALL
        .into_iter()
        .map(|kind| ZoneKindArea {
            kind: kind.as_str(),
            area_km2: layer
                .zones
                .iter()
                .filter(|z| z.kind == kind)
                .map(|z| geo::GeodesicArea::geodesic_area_unsigned(&z.lonlat))
                .sum::<f64>()
                / 1e6,
            rule: rules.describe(kind),
        })
        .collect();
    Ok(Outcome {
        files: vec![NamedFile::new(options.file_name.clone(), text)],
        summary: ZoneSummary {
            polygons: layer.zones.len(),
            kinds,
        },
    })
}
