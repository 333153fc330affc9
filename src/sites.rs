//! Operation sites (作业站点) and the site-file format shared by gaps, plans, sectors, the
//! ledger and the budget.
//!
//! A site file is CSV or GeoJSON (chosen by extension) with the fields `id, name, kind,
//! standardized, status, year, lon, lat, county`; lon/lat are WGS84 degrees; `county` may be
//! blank and is then derived from the location by [`locate_in_region`]. Plan files written by
//! wxmod use the same format with extra columns (the cells a point serves, the reason it was
//! chosen), which readers keep in [`Site::extra`]. Column and property names are read in any
//! case (`ID`, `Lon`); extra columns are kept under their lower-case names.
//!
//! Reading reports every problem of the file at once, each naming the file, the line (CSV) or
//! feature index (GeoJSON), the site id and what is wrong.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use geo::{Contains, Point};

use crate::region::Region;

/// What a site is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    /// Fixed rocket operation point (固定火箭作业点).
    FixedRocket,
    /// Fixed anti-aircraft gun point (高炮作业点), 37 mm.
    FixedGun,
    /// Remote-controlled ground AgI smoke burner (地面烟炉).
    Burner,
    /// Base of a vehicle-mounted rocket system (车载火箭发射系统).
    MobileRocketBase,
    /// Six-element automatic weather station (六要素自动气象站).
    Aws,
    /// X-band weather radar (X波段天气雷达).
    Radar,
}

impl SiteKind {
    /// All kinds, in file order.
    pub const ALL: [SiteKind; 6] = [
        SiteKind::FixedRocket,
        SiteKind::FixedGun,
        SiteKind::Burner,
        SiteKind::MobileRocketBase,
        SiteKind::Aws,
        SiteKind::Radar,
    ];

    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            SiteKind::FixedRocket => "fixed_rocket",
            SiteKind::FixedGun => "fixed_gun",
            SiteKind::Burner => "burner",
            SiteKind::MobileRocketBase => "mobile_rocket_base",
            SiteKind::Aws => "aws",
            SiteKind::Radar => "radar",
        }
    }

    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            SiteKind::FixedRocket => "固定火箭作业点",
            SiteKind::FixedGun => "高炮作业点",
            SiteKind::Burner => "地面烟炉",
            SiteKind::MobileRocketBase => "车载火箭发射系统",
            SiteKind::Aws => "六要素自动气象站",
            SiteKind::Radar => "X波段天气雷达",
        }
    }

    /// Whether the kind fires rockets or shells (needs airspace, a firing sector, a crew).
    pub fn fires_projectiles(self) -> bool {
        matches!(
            self,
            SiteKind::FixedRocket | SiteKind::FixedGun | SiteKind::MobileRocketBase
        )
    }
}

impl fmt::Display for SiteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for SiteKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SiteKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                format!(
                    "unknown kind '{}': use one of {}",
                    s.trim(),
                    SiteKind::ALL.map(|k| k.as_str()).join(", ")
                )
            })
    }
}

/// Where a site stands in its life.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum SiteStatus {
    /// Built and operating.
    Existing,
    /// Planned for its `year`.
    Planned,
    /// No longer operating.
    Retired,
}

impl SiteStatus {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            SiteStatus::Existing => "existing",
            SiteStatus::Planned => "planned",
            SiteStatus::Retired => "retired",
        }
    }
}

impl std::str::FromStr for SiteStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "existing" => Ok(SiteStatus::Existing),
            "planned" => Ok(SiteStatus::Planned),
            "retired" => Ok(SiteStatus::Retired),
            other => Err(format!(
                "unknown status '{other}': use existing, planned or retired"
            )),
        }
    }
}

/// One site.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Site {
    /// Unique id within the file.
    pub id: String,
    /// Name (may be Chinese).
    pub name: String,
    /// What it is.
    pub kind: SiteKind,
    /// Built to the provincial standard (标准化).
    pub standardized: bool,
    /// Existing, planned or retired.
    pub status: SiteStatus,
    /// Year built (existing) or planned.
    pub year: Option<i32>,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// County id; derived from the location when blank.
    pub county: Option<String>,
    /// Further columns or properties, kept as text (plan files: `cells`, `reason` ...).
    pub extra: BTreeMap<String, String>,
}

impl Site {
    /// Whether the site is a standardized fixed ground point (the policy's grid test).
    pub fn is_standardized_fixed(&self) -> bool {
        self.standardized && matches!(self.kind, SiteKind::FixedRocket | SiteKind::FixedGun)
    }

    /// Whether the site operates in `year`: existing sites (built by then when a year is
    /// given) and planned sites whose year is at most `year`; never retired ones.
    pub fn operating_in(&self, year: Option<i32>) -> bool {
        match (self.status, year) {
            (SiteStatus::Retired, _) => false,
            (SiteStatus::Existing, None) => true,
            (SiteStatus::Planned, None) => false,
            (_, Some(y)) => {
                self.year.is_none_or(|built| built <= y)
                    && (self.status == SiteStatus::Existing || self.year.is_some())
            }
        }
    }
}

/// Where in a site file a problem is.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    /// 1-based line of a CSV file (the header is line 1).
    Line(u64),
    /// 0-based feature index of a GeoJSON file.
    Feature(usize),
    /// 1-based position of a site among those read.
    Record(usize),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::Feature(i) => write!(f, "feature {i}"),
            Location::Record(n) => write!(f, "record {n}"),
        }
    }
}

/// One problem of a site file.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteProblem {
    /// Where it is.
    pub location: Location,
    /// The site id, where readable.
    pub id: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SiteProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) => write!(f, "{} (site {id}): {}", self.location, self.message),
            None => write!(f, "{}: {}", self.location, self.message),
        }
    }
}

/// A site file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SitesError {
    /// The file could not be read.
    #[error("cannot read site file {path}: {reason}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The reason.
        reason: String,
    },
    /// The extension names no supported format.
    #[error("site file {path}: unsupported format; use .csv or .geojson")]
    Format {
        /// The file.
        path: PathBuf,
    },
    /// A required column is missing from the CSV header.
    #[error("site file {path}: the header lacks the column '{column}' (needed: {needed})")]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The missing column.
        column: String,
        /// Every column the reader needs, comma-separated.
        needed: String,
    },
    /// Records are wrong; every problem is listed.
    #[error("{} in site file {path}:\n{}", if problems.len() == 1 { "1 problem".to_string() } else { format!("{} problems", problems.len()) }, problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every problem found.
        problems: Vec<SiteProblem>,
    },
}

/// One record of a site file as read, before its fields are checked: where it is and its
/// fields by lower-case column (or property) name. A GeoJSON point's coordinates are in `lon`
/// and `lat` (both empty, and the reason under `__geometry_error`, when the geometry is not a
/// point). A CSV row of the wrong width carries the reason in [`SiteRecord::problem`].
#[derive(Debug, Clone, PartialEq)]
pub struct SiteRecord {
    /// Line (CSV) or feature index (GeoJSON).
    pub location: Location,
    /// The fields as text, by lower-case name.
    pub fields: BTreeMap<String, String>,
    /// Why the record's fields cannot be trusted, if they cannot.
    pub problem: Option<String>,
}

const COLUMNS: [&str; 9] = [
    "id",
    "name",
    "kind",
    "standardized",
    "status",
    "year",
    "lon",
    "lat",
    "county",
];

/// Reads a site file (CSV or GeoJSON by extension) and checks every record.
pub fn read_sites(path: &Path) -> Result<Vec<Site>, SitesError> {
    let records = read_site_records(path, &COLUMNS)?;
    let mut problems = Vec::new();
    let mut sites = Vec::with_capacity(records.len());
    let mut seen: BTreeMap<String, Location> = BTreeMap::new();
    for SiteRecord {
        location,
        fields,
        problem,
    } in records
    {
        if let Some(message) = problem {
            // A row of the wrong width or a feature without a point: one problem, since its
            // fields cannot be trusted.
            problems.push(SiteProblem {
                location,
                id: fields.get("id").filter(|s| !s.is_empty()).cloned(),
                message,
            });
            continue;
        }
        match parse_site(&fields) {
            Ok(site) => {
                if let Some(first) = seen.get(&site.id) {
                    problems.push(SiteProblem {
                        location,
                        id: Some(site.id.clone()),
                        message: format!("duplicate id (first at {first})"),
                    });
                } else {
                    seen.insert(site.id.clone(), location);
                    sites.push(site);
                }
            }
            Err(messages) => {
                let id = fields.get("id").filter(|s| !s.is_empty()).cloned();
                for message in messages {
                    problems.push(SiteProblem {
                        location: location.clone(),
                        id: id.clone(),
                        message,
                    });
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(sites)
    } else {
        Err(SitesError::Invalid {
            path: path.to_path_buf(),
            problems,
        })
    }
}

/// Reads the records of a site file (CSV or GeoJSON by extension) without checking their
/// fields; a CSV header must hold every column of `required`. Used by [`read_sites`] and by
/// the ledger's import of operation points, which checks the fields by its own rules.
pub fn read_site_records(path: &Path, required: &[&str]) -> Result<Vec<SiteRecord>, SitesError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("csv") => read_csv_records(path, required),
        Some("geojson") | Some("json") => read_geojson_records(path),
        _ => Err(SitesError::Format {
            path: path.to_path_buf(),
        }),
    }
}

fn read_csv_records(path: &Path, required: &[&str]) -> Result<Vec<SiteRecord>, SitesError> {
    let read_err = |e: csv::Error| SitesError::Read {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(read_err)?;
    // Column names are matched without regard to case (`ID`, `Lon` ...).
    let headers: Vec<String> = reader
        .headers()
        .map_err(read_err)?
        .iter()
        .map(str::to_ascii_lowercase)
        .collect();
    for column in required {
        if !headers.iter().any(|h| h == column) {
            return Err(SitesError::MissingColumn {
                path: path.to_path_buf(),
                column: column.to_string(),
                needed: required.join(", "),
            });
        }
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(read_err)?;
        let line = record.position().map_or(0, |p| p.line());
        let fields = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| (h.clone(), v.to_string()))
            .collect();
        let problem = (record.len() != headers.len()).then(|| {
            format!(
                "the row has {} fields where the header has {}",
                record.len(),
                headers.len()
            )
        });
        out.push(SiteRecord {
            location: Location::Line(line),
            fields,
            problem,
        });
    }
    Ok(out)
}

fn read_geojson_records(path: &Path) -> Result<Vec<SiteRecord>, SitesError> {
    let read_err = |reason: String| SitesError::Read {
        path: path.to_path_buf(),
        reason,
    };
    let text = crate::files::read_text(path).map_err(|e| read_err(e.to_string()))?;
    let fc: geojson::FeatureCollection = text
        .parse()
        .map_err(|e: geojson::Error| read_err(e.to_string()))?;
    let mut out = Vec::new();
    for (i, feature) in fc.features.into_iter().enumerate() {
        let mut fields: BTreeMap<String, String> = BTreeMap::new();
        for (k, v) in feature.properties.unwrap_or_default() {
            let text = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            fields.insert(k.to_ascii_lowercase(), text);
        }
        match feature.geometry.map(|g| g.value) {
            Some(geojson::GeometryValue::Point { coordinates }) if coordinates.len() >= 2 => {
                fields.insert("lon".into(), coordinates[0].to_string());
                fields.insert("lat".into(), coordinates[1].to_string());
            }
            _ => {
                fields.insert("lon".into(), String::new());
                fields.insert("lat".into(), String::new());
                fields.insert("__geometry_error".into(), "geometry must be a Point".into());
            }
        }
        out.push(SiteRecord {
            location: Location::Feature(i),
            fields,
            problem: None,
        });
    }
    Ok(out)
}

fn parse_site(fields: &BTreeMap<String, String>) -> Result<Site, Vec<String>> {
    let mut errors = Vec::new();
    let get = |k: &str| {
        fields
            .get(k)
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    if let Some(e) = fields.get("__geometry_error") {
        errors.push(e.clone());
    }
    let id = get("id");
    if id.is_empty() {
        errors.push("id is empty".into());
    }
    let kind = get("kind")
        .parse::<SiteKind>()
        .map_err(|e| errors.push(e))
        .ok();
    let standardized = match get("standardized").to_ascii_lowercase().as_str() {
        "yes" | "true" | "1" | "y" => Some(true),
        "no" | "false" | "0" | "n" | "" => Some(false),
        other => {
            errors.push(format!("standardized is '{other}': use yes or no"));
            None
        }
    };
    let status = get("status")
        .parse::<SiteStatus>()
        .map_err(|e| errors.push(e))
        .ok();
    let year = match get("year").as_str() {
        "" => None,
        text => match text.parse::<i32>() {
            Ok(y) if (1950..=2100).contains(&y) => Some(y),
            _ => {
                errors.push(format!("year '{text}' is not a year between 1950 and 2100"));
                None
            }
        },
    };
    let mut coordinate = |key: &str, range: f64| -> Option<f64> {
        let text = get(key);
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() && v.abs() <= range => Some(v),
            Ok(v) => {
                errors.push(format!(
                    "{key} {v} is outside -{range}..{range}; lon/lat must be WGS84 degrees"
                ));
                None
            }
            Err(_) if fields.contains_key("__geometry_error") => None,
            Err(_) => {
                errors.push(format!("{key} '{text}' is not a number"));
                None
            }
        }
    };
    let lon = coordinate("lon", 180.0);
    let lat = coordinate("lat", 90.0);
    if status == Some(SiteStatus::Planned) && year.is_none() {
        errors.push("a planned site needs a year".into());
    }
    let (Some(kind), Some(standardized), Some(status), Some(lon), Some(lat), true) =
        (kind, standardized, status, lon, lat, errors.is_empty())
    else {
        return Err(errors);
    };
    let county = Some(get("county")).filter(|c| !c.is_empty());
    let extra = fields
        .iter()
        .filter(|(k, _)| !COLUMNS.contains(&k.as_str()) && !k.starts_with("__"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(Site {
        id,
        name: get("name"),
        kind,
        standardized,
        status,
        year,
        lon,
        lat,
        county,
        extra,
    })
}

/// Checks that every site lies in the region, fills in blank counties from the location and
/// refuses a given county that does not hold the site. Reports every problem.
pub fn locate_in_region(
    sites: &mut [Site],
    region: &Region,
    path: &Path,
) -> Result<(), SitesError> {
    let mut problems = Vec::new();
    for (i, site) in sites.iter_mut().enumerate() {
        let p = Point::new(site.lon, site.lat);
        let holder = region.counties.iter().find(|c| c.lonlat.contains(&p));
        let location = Location::Record(i + 1);
        match (holder, &site.county) {
            (None, _) => problems.push(SiteProblem {
                location,
                id: Some(site.id.clone()),
                message: format!(
                    "({}, {}) lies outside the region {}",
                    site.lon, site.lat, region.name
                ),
            }),
            (Some(c), Some(given)) if *given != c.id => problems.push(SiteProblem {
                location,
                id: Some(site.id.clone()),
                message: format!(
                    "county is given as {given}, but the location lies in {} ({})",
                    c.id, c.name
                ),
            }),
            (Some(c), _) => site.county = Some(c.id.clone()),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(SitesError::Invalid {
            path: path.to_path_buf(),
            problems,
        })
    }
}

/// Writes sites as CSV in the site-file format, with any extra columns after the standard ones.
pub fn sites_to_csv(sites: &[Site]) -> String {
    let extra_columns: Vec<String> = {
        let mut set: Vec<String> = sites.iter().flat_map(|s| s.extra.keys().cloned()).collect();
        set.sort();
        set.dedup();
        set
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    header.extend(extra_columns.iter().cloned());
    w.write_record(&header).expect("invariant: in-memory CSV");
    for s in sites {
        let mut row = vec![
            s.id.clone(),
            s.name.clone(),
            s.kind.as_str().to_string(),
            if s.standardized { "yes" } else { "no" }.to_string(),
            s.status.as_str().to_string(),
            s.year.map(|y| y.to_string()).unwrap_or_default(),
            format!("{:.6}", s.lon),
            format!("{:.6}", s.lat),
            s.county.clone().unwrap_or_default(),
        ];
        row.extend(
            extra_columns
                .iter()
                .map(|c| s.extra.get(c).cloned().unwrap_or_default()),
        );
        w.write_record(&row).expect("invariant: in-memory CSV");
    }
    String::from_utf8(w.into_inner().expect("invariant: in-memory CSV")).expect("invariant: UTF-8")
}

/// Writes sites as a GeoJSON FeatureCollection of points in the site-file format.
pub fn sites_to_geojson(sites: &[Site]) -> String {
    let features = sites.iter().map(|s| {
        let mut p = serde_json::Map::new();
        p.insert("id".into(), s.id.clone().into());
        p.insert("name".into(), s.name.clone().into());
        p.insert("kind".into(), s.kind.as_str().into());
        p.insert("kind_zh".into(), s.kind.chinese().into());
        p.insert(
            "standardized".into(),
            if s.standardized { "yes" } else { "no" }.into(),
        );
        p.insert("status".into(), s.status.as_str().into());
        p.insert(
            "year".into(),
            s.year
                .map(serde_json::Value::from)
                .unwrap_or(serde_json::Value::Null),
        );
        p.insert(
            "county".into(),
            s.county
                .clone()
                .map(serde_json::Value::from)
                .unwrap_or(serde_json::Value::Null),
        );
        for (k, v) in &s.extra {
            p.insert(k.clone(), v.clone().into());
        }
        geojson::Feature {
            geometry: Some(geojson::Geometry::new(geojson::GeometryValue::Point {
                coordinates: [s.lon, s.lat].into(),
            })),
            properties: Some(p),
            ..Default::default()
        }
    });
    geojson::FeatureCollection::new(features).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(status: SiteStatus, year: Option<i32>) -> Site {
        Site {
            id: "a".into(),
            name: String::new(),
            kind: SiteKind::FixedRocket,
            standardized: true,
            status,
            year,
            lon: 112.5,
            lat: 39.5,
            county: None,
            extra: BTreeMap::new(),
        }
    }

    #[test]
    fn the_network_of_a_year() {
        assert!(site(SiteStatus::Existing, Some(2019)).operating_in(Some(2024)));
        assert!(!site(SiteStatus::Existing, Some(2026)).operating_in(Some(2024)));
        assert!(site(SiteStatus::Planned, Some(2026)).operating_in(Some(2026)));
        assert!(!site(SiteStatus::Planned, Some(2027)).operating_in(Some(2026)));
        assert!(!site(SiteStatus::Planned, Some(2026)).operating_in(None));
        assert!(!site(SiteStatus::Retired, Some(2010)).operating_in(Some(2026)));
    }
}
