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

use std::collections::{HashMap, HashSet};
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

/// One site as read: its line (or feature number), its fields as text, and for GeoJSON its
/// point.
struct RawSite {
    line: usize,
    fields: HashMap<String, String>,
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
            raw.fields
                .get(name)
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
    let table = Table::read(path, &["id", "kind", "lon", "lat"])?;
    Ok(table
        .rows
        .iter()
        .map(|(line, row)| RawSite {
            line: *line,
            fields: table.fields(row),
            lonlat: None,
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
            let fields = feature
                .get("properties")
                .and_then(|p| p.as_object())
                .map(|props| {
                    props
                        .iter()
                        .filter_map(|(k, v)| {
                            let text = match v {
                                serde_json::Value::String(s) => s.clone(),
                                serde_json::Value::Null => return None,
                                other => other.to_string(),
                            };
                            Some((k.to_ascii_lowercase(), text))
                        })
                        .collect()
                })
                .unwrap_or_default();
            // Features are numbered from 1 in place of lines.
            RawSite {
                line: i + 1,
                fields,
                lonlat,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn geojson_points_read_like_csv_ones() {
        let (_dir, path) = write(
            "sites.geojson",
            r#"{"type":"FeatureCollection","features":[
              {"type":"Feature","geometry":{"type":"Point","coordinates":[112.495,39.399]},
               "properties":{"id":"SC-R01","name":"小平易","kind":"fixed_rocket","standardized":"yes","status":"existing","county":"朔城区","guard":"张"}},
              {"type":"Feature","geometry":{"type":"Point","coordinates":[112.16,39.77]},
               "properties":{"id":"PL-B01","kind":"burner","standardized":false,"county":"平鲁区","year":2022}},
              {"type":"Feature","geometry":{"type":"Point","coordinates":[112.43,39.33]},
               "properties":{"id":"AWS","kind":"aws","county":"朔城区"}}]}"#,
        );
        let read = read_points(&path, &Thresholds::default(), false).unwrap();
        assert_eq!(read.points.len(), 2);
        let rocket = &read.points[0];
        assert_eq!(
            (
                rocket.lon,
                rocket.lat,
                rocket.capacity.rocket,
                rocket.guard.as_deref()
            ),
            (112.495, 39.399, 30, Some("张"))
        );
        let burner = &read.points[1];
        assert_eq!(
            (
                burner.name.as_str(),
                burner.standardized,
                burner.capacity.flare
            ),
            ("PL-B01", false, 60)
        );
        assert_eq!(
            read.skipped,
            vec![(
                "AWS".to_string(),
                "kind aws holds no ammunition".to_string()
            )]
        );
    }

    #[test]
    fn every_bad_site_is_reported() {
        let (_dir, path) = write(
            "sites.csv",
            "id,name,kind,standardized,status,year,lon,lat,county\n\
             A,a,fixed_rocket,yes,existing,2020,112.4,39.3,朔城区\n\
             A,a,fixed_rocket,yes,existing,2020,112.4,39.3,朔城区\n\
             B,b,tank,yes,existing,2020,112.4,39.3,朔城区\n\
             C,c,fixed_gun,maybe,existing,2020,112.4,39.3,朔城区\n\
             D,d,fixed_gun,no,existing,2020,512000,4350000,朔城区\n\
             E,e,burner,no,existing,2020,112.4,39.3,\n\
             F,f,burner,no,lost,2020,112.4,39.3,应县\n",
        );
        let err = read_points(&path, &Thresholds::default(), false).unwrap_err();
        let messages: Vec<String> = err
            .problems
            .iter()
            .map(|p| format!("{}: {}", p.line, p.message))
            .collect();
        assert_eq!(
            messages,
            vec![
                "3: site A appears twice",
                "4: site B: 'tank' is not a valid operation point kind: use one of fixed_rocket, fixed_gun, burner, mobile_rocket_base",
                "5: site C: standardized 'maybe' is not yes or no",
                "6: site D: lon/lat missing or not WGS84 degrees",
                "7: site E: the county is empty (the ledger sums consumption per county)",
                "8: site F: 'lost' is not a status: use existing, planned or retired",
            ]
        );
    }
}
