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
//! the geometry. The file is read by [`crate::sites::read_site_records`] (names in any case;
//! the columns `id, kind, lon, lat` are required); the fields are checked by the ledger's own
//! rules here. Every problem in the file is reported.

use std::collections::HashSet;
use std::path::Path;

use serde::Serialize;

use super::import::{ImportFileError, LineProblem};
use super::records::{Capacity, ItemClass, OperationPoint, ParseNameError, PointKind};
use super::thresholds::Thresholds;
use crate::sites::{Location, SiteKind, read_site_records};

/// What a site file gave.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointImport {
    /// The operation points to register.
    pub points: Vec<OperationPoint>,
    /// Sites left out, with the reason: (id, reason).
    pub skipped: Vec<(String, String)>,
}

/// Reads the operation points of a site or plan file.
pub fn read_points(
    path: &Path,
    thresholds: &Thresholds,
    include_planned: bool,
) -> Result<PointImport, ImportFileError> {
    let records =
        read_site_records(path, &["id", "kind", "lon", "lat"]).map_err(|e| ImportFileError {
            file: path.to_path_buf(),
            problems: vec![LineProblem {
                line: 0,
                message: e.to_string(),
            }],
        })?;
    let mut points = Vec::new();
    let mut skipped = Vec::new();
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for record in records {
        // Lines as in the file; GeoJSON features are numbered from 1.
        let line = match record.location {
            Location::Line(n) => usize::try_from(n).unwrap_or(usize::MAX),
            Location::Record(n) => n,
            Location::Feature(i) => i + 1,
        };
        let mut problem = |message: String| problems.push(LineProblem { line, message });
        if let Some(message) = record.problem {
            problem(message);
            continue;
        }
        let field = |name: &str| {
            record
                .fields
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
        // Spelled as the ledger's names are read: any case, '-' for '_'.
        let spelled = kind_text.trim().to_ascii_lowercase().replace('-', "_");
        let kind = match spelled.parse::<SiteKind>().map(PointKind::try_from) {
            Ok(Ok(kind)) => kind,
            Ok(Err(other)) => {
                skipped.push((id, format!("kind {} holds no ammunition", other.as_str())));
                continue;
            }
            Err(_) => {
                let e = ParseNameError {
                    text: kind_text.clone(),
                    what: "operation point kind",
                    allowed: PointKind::ALL
                        .iter()
                        .map(|k| k.name())
                        .collect::<Vec<_>>()
                        .join(", "),
                };
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
        let lonlat = field("lon")
            .and_then(|lon| lon.parse::<f64>().ok())
            .zip(field("lat").and_then(|lat| lat.parse::<f64>().ok()));
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

    #[test]
    fn the_file_is_read_by_the_site_file_reader() {
        // Upper-case names and only the four required columns.
        let (_dir, path) = write(
            "sites.csv",
            "ID,Kind,Lon,Lat,County\nA,fixed_rocket,112.4,39.3,朔城区\nB,fixed_gun,112.5\n",
        );
        let err = read_points(&path, &Thresholds::default(), false).unwrap_err();
        assert_eq!(err.problems.len(), 1);
        assert_eq!(
            (err.problems[0].line, err.problems[0].message.as_str()),
            (3, "the row has 3 fields where the header has 5")
        );
        let (_dir, path) = write("sites.csv", "id,kind,lon\nA,fixed_rocket,112.4\n");
        let err = read_points(&path, &Thresholds::default(), false).unwrap_err();
        assert!(
            err.problems[0]
                .message
                .contains("lacks the column 'lat' (needed: id, kind, lon, lat)"),
            "{:?}",
            err.problems
        );
        let (_dir, path) = write("sites.txt", "id,kind,lon,lat\n");
        let err = read_points(&path, &Thresholds::default(), false).unwrap_err();
        assert!(err.problems[0].message.contains("unsupported format"));
    }
}
