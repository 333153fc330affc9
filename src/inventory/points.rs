//! Operation points for the ledger, read from a site or plan file (CSV or GeoJSON) in the site
//! schema of the coverage and siting commands: `id, name, kind, standardized, status, year,
//! lon, lat, county`, plus two optional ledger columns: `guard` (the dedicated guard of the
//! temporary store, DOMAIN L10) and `capacity` (`rocket=30,shell=0,flare=0`).
//!
//! Kept: kinds `fixed_rocket`, `fixed_gun`, `burner`, `mobile_rocket_base` with status
//! `existing` (and `planned` when asked). Skipped, with the reason: weather stations and
//! radars, retired sites. Without a `capacity`, a point may store the class it fires
//! (rockets, shells or flares) up to the `site_capacity` threshold when it is standardized or a
//! burner (the burner's own magazine), and nothing otherwise: a point without proper storage
//! holds no ammunition (L10). The county is required (the ledger sums consumption per county).
//! GeoJSON: a FeatureCollection of Point features with the same properties; lon/lat come from
//! the geometry. Every problem in the file is reported.

use std::collections::HashSet;
use std::path::Path;

use serde::Serialize;

use super::import::{ImportFileError, LineProblem, Table};
use super::records::{Capacity, ItemClass, OperationPoint, PointKind};
use super::thresholds::Thresholds;

/// What a site file gave.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointImport {
    /// The operation points to register.
    pub points: Vec<OperationPoint>,
    /// Sites left out, with the reason: (id, reason).
    pub skipped: Vec<(String, String)>,
}

/// One site as read, fields as text.
struct RawSite {
    line: usize,
    get: Box<dyn Fn(&str) -> Option<String>>,
    lonlat: Option<(f64, f64)>,
}

/// Reads the operation points of a site or plan file.
pub fn read_points(
    path: &Path,
    thresholds: &Thresholds,
    include_planned: bool,
) -> Result<PointImport, ImportFileError> {
    let geojson = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("geojson") || e.eq_ignore_ascii_case("json"));
    let raws = if geojson {
        read_geojson(path)?
    } else {
        read_csv(path)?
    };
    let mut points = Vec::new();
    let mut skipped = Vec::new();
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for raw in raws {
        let line = raw.line;
        let mut problem = |message: String| problems.push(LineProblem { line, message });
        let field = |name: &str| {
            (raw.get)(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let Some(id) = field("id") else {
            problem("id is empty".into());
            continue;
        };
        if !seen.insert(id.clone()) {
            problem(format!("site {id} appears twice"));
            continue;
        }
        let status = field("status")
            .unwrap_or_else(|| "existing".into())
            .to_ascii_lowercase();
        match status.as_str() {
            "existing" => {}
            "planned" if include_planned => {}
            "planned" | "retired" => {
                skipped.push((id, format!("status {status}")));
                continue;
            }
            other => {
                problem(format!(
                    "site {id}: '{other}' is not a status: use existing, planned or retired"
                ));
                continue;
            }
        }
        let kind_text = field("kind").unwrap_or_default();
        if matches!(kind_text.as_str(), "aws" | "radar") {
            skipped.push((id, format!("kind {kind_text} holds no ammunition")));
            continue;
        }
        let kind: PointKind = match kind_text.parse() {
            Ok(k) => k,
            Err(e) => {
                problem(format!("site {id}: {e}"));
                continue;
            }
        };
        let standardized = match field("standardized")
            .map(|s| s.to_ascii_lowercase())
            .as_deref()
        {
            Some("yes" | "true" | "1" | "y") => true,
            Some("no" | "false" | "0" | "n") | None => false,
            Some(other) => {
                problem(format!(
                    "site {id}: standardized '{other}' is not yes or no"
                ));
                continue;
            }
        };
        let lonlat = raw.lonlat.or_else(|| {
            let lon = field("lon")?.parse().ok()?;
            let lat = field("lat")?.parse().ok()?;
            Some((lon, lat))
        });
        let Some((lon, lat)) = lonlat
            .filter(|(lon, lat)| (-180.0..=180.0).contains(lon) && (-90.0..=90.0).contains(lat))
        else {
            problem(format!("site {id}: lon/lat missing or not WGS84 degrees"));
            continue;
        };
        let Some(county) = field("county") else {
            problem(format!(
                "site {id}: the county is empty (the ledger sums consumption per county)"
            ));
            continue;
        };
        let capacity = match field("capacity") {
            Some(text) => match text.parse::<Capacity>() {
                Ok(c) => c,
                Err(e) => {
                    problem(format!("site {id}: capacity {e}"));
                    continue;
                }
            },
            None => default_capacity(kind, standardized, thresholds),
        };
        points.push(OperationPoint {
            name: field("name").unwrap_or_else(|| id.clone()),
            id,
            kind,
            county,
            lon,
            lat,
            standardized,
            capacity,
            guard: field("guard"),
        });
    }
    if problems.is_empty() {
        Ok(PointImport { points, skipped })
    } else {
        Err(ImportFileError {
            file: path.to_path_buf(),
            problems,
        })
    }
}

/// The temporary storage of a point without a `capacity` column (see the module docs).
pub fn default_capacity(kind: PointKind, standardized: bool, thresholds: &Thresholds) -> Capacity {
    let class = match kind {
        PointKind::FixedRocket | PointKind::MobileRocketBase => ItemClass::Rocket,
        PointKind::FixedGun => ItemClass::Shell,
        PointKind::Burner => ItemClass::Flare,
    };
    let mut capacity = Capacity::default();
    if standardized || kind == PointKind::Burner {
        let amount = thresholds.site_capacity.get(class);
        match class {
            ItemClass::Rocket => capacity.rocket = amount,
            ItemClass::Shell => capacity.shell = amount,
            ItemClass::Flare => capacity.flare = amount,
        }
    }
    capacity
}

fn read_csv(path: &Path) -> Result<Vec<RawSite>, ImportFileError> {
    let table = std::rc::Rc::new(Table::read(path, &["id", "kind", "lon", "lat"])?);
    Ok(table
        .rows
        .iter()
        .map(|(line, row)| {
            let (table, row) = (table.clone(), row.clone());
            RawSite {
                line: *line,
                get: Box::new(move |name| table.get(&row, name).map(str::to_string)),
                lonlat: None,
            }
        })
        .collect())
}

fn read_geojson(path: &Path) -> Result<Vec<RawSite>, ImportFileError> {
    let fail = |message: String| ImportFileError {
        file: path.to_path_buf(),
        problems: vec![LineProblem { line: 0, message }],
    };
    let text =
        std::fs::read_to_string(path).map_err(|e| fail(format!("cannot read the file: {e}")))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| fail(format!("not valid JSON: {e}")))?;
    let features = value
        .get("features")
        .and_then(|f| f.as_array())
        .ok_or_else(|| fail("not a GeoJSON FeatureCollection".into()))?;
    Ok(features
        .iter()
        .enumerate()
        .map(|(i, feature)| {
            let lonlat = feature.pointer("/geometry/coordinates").and_then(|c| {
                let c = c.as_array()?;
                Some((c.first()?.as_f64()?, c.get(1)?.as_f64()?))
            });
            let properties = feature.get("properties").cloned().unwrap_or_default();
            RawSite {
                // Features are numbered from 1 in place of lines.
                line: i + 1,
                get: Box::new(move |name| {
                    properties.get(name).and_then(|v| match v {
                        serde_json::Value::String(s) => Some(s.clone()),
                        serde_json::Value::Null => None,
                        other => Some(other.to_string()),
                    })
                }),
                lonlat,
            }
        })
        .collect())
}
