//! Named points of a region that planning must respect: county seats (县城), airports and
//! populated places (towns and villages).
//!
//! File format: CSV with the header `name,kind,lon,lat,county,note`, WGS84 degrees; `kind` is
//! one of `county_seat`, `airport`, `place`; `county` is the county id or blank. Safe firing
//! sectors and siting exclusions buffer these points; the maps label them.

use std::path::{Path, PathBuf};

/// What a landmark is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LandmarkKind {
    /// The seat of a county-level government (县城), a dense town.
    CountySeat,
    /// An airport (the reference point of its runway).
    Airport,
    /// A town or village (GeoNames populated place).
    Place,
}

/// One named point.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Landmark {
    /// Name as given.
    pub name: String,
    /// What it is.
    pub kind: LandmarkKind,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// County id, where known.
    #[serde(default)]
    pub county: Option<String>,
    /// Free text (source, ICAO code ...).
    #[serde(default)]
    pub note: Option<String>,
}

/// A landmark file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LandmarkError {
    /// The file could not be opened.
    #[error("cannot read landmark file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The CSV or I/O error.
        source: csv::Error,
    },
    /// A record is malformed.
    #[error("landmark file {path}, line {line}: {reason}")]
    Record {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What is wrong.
        reason: String,
    },
}

/// Reads a landmark CSV; every coordinate must be a lon/lat.
pub fn read_landmarks(path: &Path) -> Result<Vec<Landmark>, LandmarkError> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| LandmarkError::Read {
        path: path.to_path_buf(),
        source: e,
    })?;
    let mut out = Vec::new();
    for record in reader.deserialize::<Landmark>() {
        let landmark = record.map_err(|e| LandmarkError::Record {
            path: path.to_path_buf(),
            line: e.position().map_or(0, |p| p.line()),
            reason: e.to_string(),
        })?;
        if !(-180.0..=180.0).contains(&landmark.lon) || !(-90.0..=90.0).contains(&landmark.lat) {
            return Err(LandmarkError::Record {
                path: path.to_path_buf(),
                line: out.len() as u64 + 2,
                reason: format!(
                    "'{}' has lon/lat ({}, {}) out of range",
                    landmark.name, landmark.lon, landmark.lat
                ),
            });
        }
        out.push(landmark);
    }
    Ok(out)
}
