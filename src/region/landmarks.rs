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

/// Reads a CSV of points of one kind (a bureau's airport or place list) as landmarks.
///
/// The header must name `name`, `lon` and `lat` columns (any case, in any order; `lng`,
/// `longitude` and `latitude` are accepted too); a `county` column is kept, every other
/// column goes into the note as `column=value`. Coordinates are WGS84 degrees.
pub fn read_points(path: &Path, kind: LandmarkKind) -> Result<Vec<Landmark>, LandmarkError> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| LandmarkError::Read {
        path: path.to_path_buf(),
        source: e,
    })?;
    let bad = |line: u64, reason: String| LandmarkError::Record {
        path: path.to_path_buf(),
        line,
        reason,
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| LandmarkError::Read {
            path: path.to_path_buf(),
            source: e,
        })?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let column = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let (Some(name_col), Some(lon_col), Some(lat_col)) = (
        column(&["name"]),
        column(&["lon", "lng", "longitude"]),
        column(&["lat", "latitude"]),
    ) else {
        return Err(bad(
            1,
            format!(
                "the header ({}) must name the columns name, lon and lat",
                headers.join(",")
            ),
        ));
    };
    let county_col = column(&["county"]);
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            bad(
                e.position().map_or(0, |p| p.line()),
                format!("unreadable record: {e}"),
            )
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let number = |i: usize, what: &str| -> Result<f64, LandmarkError> {
            field(i)
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| bad(line, format!("{what} '{}' is not a number", field(i))))
        };
        let name = field(name_col).to_string();
        if name.is_empty() {
            return Err(bad(line, "the name is empty".to_string()));
        }
        let (lon, lat) = (number(lon_col, "lon")?, number(lat_col, "lat")?);
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return Err(bad(
                line,
                format!("'{name}' has lon/lat ({lon}, {lat}) out of range"),
            ));
        }
        let note: Vec<String> = headers
            .iter()
            .enumerate()
            .filter(|(i, _)| ![name_col, lon_col, lat_col].contains(i) && Some(*i) != county_col)
            .filter(|(i, _)| !field(*i).is_empty())
            .map(|(i, h)| format!("{h}={}", field(i)))
            .collect();
        out.push(Landmark {
            name,
            kind,
            lon,
            lat,
            county: county_col
                .map(field)
                .filter(|c| !c.is_empty())
                .map(str::to_string),
            note: (!note.is_empty()).then(|| note.join("; ")),
        });
    }
    Ok(out)
}
