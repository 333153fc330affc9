//! Reading county boundaries from GeoJSON and checking every feature (边界数据校验).
//!
//! Input is a FeatureCollection of Polygon or MultiPolygon features in lon/lat degrees, either
//! WGS84 or GCJ-02 (the offset datum of most Chinese web-map boundaries, converted to WGS84
//! with the public formula from the `coordtransform` crate). Every problem in the file is
//! collected, not just the first: unclosed rings, rings with too few points, self-intersecting
//! or otherwise invalid polygons (geo's `Validation`), empty or non-polygon geometry, missing or
//! duplicate ids and names, and coordinates outside the lon/lat range (a projected file passed
//! as lon/lat). Each message names the file, the feature index, its id and the problem. Then
//! the counties are checked against each other (overlaps, zero area, whole-world polygons:
//! [`super::checks`]).
//!
//! Exterior rings are normalised to counter-clockwise on load (the bundled files are all
//! clockwise, which would turn geodesic areas inside out). Cost: one pass over the coordinates
//! plus geo's validation, roughly linear in the vertex count.

use std::path::{Path, PathBuf};

use geo::coordinate_position::CoordPos;
use geo::dimensions::Dimensions;
use geo::orient::{Direction, Orient};
use geo::{BoundingRect, Coord, LineString, MapCoords, MultiPolygon, Polygon, Relate};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::checks::BoundaryLimits;
pub use super::problems::{FeatureProblem, LocatedProblem};

/// The datum of lon/lat input coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputCrs {
    /// WGS84 lon/lat (EPSG:4326), as GPS and most international data.
    #[default]
    Wgs84,
    /// GCJ-02 lon/lat ("Mars coordinates", 火星坐标), as Amap/DataV boundary files; about
    /// 600 m off WGS84 around Shuozhou. Converted to WGS84 on load.
    Gcj02,
}

impl std::str::FromStr for InputCrs {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "wgs84" | "epsg:4326" => Ok(InputCrs::Wgs84),
            "gcj02" | "gcj-02" => Ok(InputCrs::Gcj02),
            other => Err(format!("unknown input CRS '{other}': use wgs84 or gcj02")),
        }
    }
}

/// Where to find county boundaries and how to read their properties.
#[derive(Debug, Clone, clap::Args)]
pub struct BoundarySource {
    /// County boundaries (GeoJSON Polygon/MultiPolygon features).
    #[arg(id = "boundaries", long = "boundaries", value_name = "FILE")]
    pub path: PathBuf,
    /// Property holding the county id.
    #[arg(long = "id-prop", value_name = "ID_PROP", default_value = "adcode")]
    pub id_property: String,
    /// Property holding the county name.
    #[arg(long = "name-prop", value_name = "NAME_PROP", default_value = "name")]
    pub name_property: String,
    /// Datum of the boundary coordinates: wgs84 or gcj02.
    #[arg(long, default_value = "wgs84")]
    pub input_crs: InputCrs,
}

impl BoundarySource {
    /// A bare boundary file with the default `adcode` and `name` properties, WGS84.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        BoundarySource {
            path: path.into(),
            id_property: "adcode".to_string(),
            name_property: "name".to_string(),
            input_crs: InputCrs::Wgs84,
        }
    }
}

/// One county boundary as read: WGS84 lon/lat, exterior rings counter-clockwise.
#[derive(Debug, Clone)]
pub struct BoundaryFeature {
    /// The unique id (e.g. the adcode 140602).
    pub id: String,
    /// The name (e.g. 朔城区).
    pub name: String,
    /// The boundary in WGS84 lon/lat degrees.
    pub lonlat: MultiPolygon<f64>,
}

/// A boundary file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BoundaryError {
    /// The file could not be read.
    #[error("cannot read boundary file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is empty.
    #[error("boundary file {path} is empty")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The JSON is broken (for example truncated).
    #[error("boundary file {path} is not valid GeoJSON at line {line}, column {column}: {reason}")]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's reason.
        reason: String,
    },
    /// No feature has the property that names the counties (a wrong `--id-prop`).
    #[error(
        "boundary file {path}: no feature has a '{property}' property ({role}); the features have: {available}"
    )]
    PropertyNowhere {
        /// The file.
        path: PathBuf,
        /// The property looked for.
        property: String,
        /// What it was to hold.
        role: &'static str,
        /// The properties the features do have.
        available: String,
    },
    /// The JSON is not a FeatureCollection with features.
    #[error("boundary file {path} is not a GeoJSON FeatureCollection with at least one feature")]
    NotAFeatureCollection {
        /// The file.
        path: PathBuf,
    },
    /// One or more features are unusable; every problem is listed.
    #[error("{} in boundary file {path}:\n{}", plural(problems.len()), list(problems))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every problem found.
        problems: Vec<LocatedProblem>,
    },
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 problem".to_string()
    } else {
        format!("{n} problems")
    }
}

fn list(problems: &[LocatedProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Deserialize)]
struct RawCollection<'a> {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(borrow, default)]
    features: Vec<RawFeature<'a>>,
}

#[derive(Deserialize)]
struct RawFeature<'a> {
    #[serde(default)]
    properties: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(borrow, default)]
    geometry: Option<RawGeometry<'a>>,
}

#[derive(Deserialize)]
struct RawGeometry<'a> {
    #[serde(rename = "type")]
    kind: String,
    #[serde(borrow, default)]
    coordinates: Option<&'a RawValue>,
}

type Rings = Vec<Vec<Vec<f64>>>;

/// Reads and checks a boundary file with the default [`BoundaryLimits`]; returns every county
/// or every problem found.
pub fn read_boundaries(source: &BoundarySource) -> Result<Vec<BoundaryFeature>, BoundaryError> {
    read_boundaries_with(source, &BoundaryLimits::default())
}

/// Reads and checks a boundary file with the given limits of the cross-county checks.
pub fn read_boundaries_with(
    source: &BoundarySource,
    limits: &BoundaryLimits,
) -> Result<Vec<BoundaryFeature>, BoundaryError> {
    let path = &source.path;
    let text = crate::files::read_text(path).map_err(|e| BoundaryError::Read {
        path: path.clone(),
        source: e,
    })?;
    parse_boundaries_with(&text, source, limits)
}

/// Checks boundary GeoJSON text with the default limits; `source.path` is used in messages
/// only.
pub fn parse_boundaries(
    text: &str,
    source: &BoundarySource,
) -> Result<Vec<BoundaryFeature>, BoundaryError> {
    parse_boundaries_with(text, source, &BoundaryLimits::default())
}

/// Checks boundary GeoJSON text: every feature on its own, then the counties against each
/// other (overlaps, zero area, whole-world polygons; see the `checks` module).
pub fn parse_boundaries_with(
    text: &str,
    source: &BoundarySource,
    limits: &BoundaryLimits,
) -> Result<Vec<BoundaryFeature>, BoundaryError> {
    let path = &source.path;
    if text.trim().is_empty() {
        return Err(BoundaryError::Empty { path: path.clone() });
    }
    let raw: RawCollection = serde_json::from_str(text).map_err(|e| BoundaryError::Json {
        path: path.clone(),
        line: e.line(),
        column: e.column(),
        reason: json_reason(&e),
    })?;
    if raw.kind.as_deref() != Some("FeatureCollection") || raw.features.is_empty() {
        return Err(BoundaryError::NotAFeatureCollection { path: path.clone() });
    }

    for (property, role) in [
        (&source.id_property, "the county id, --id-prop"),
        (&source.name_property, "the county name, --name-prop"),
    ] {
        let nowhere = raw
            .features
            .iter()
            .all(|f| property_text(&f.properties, property).is_none());
        if nowhere {
            let mut available: Vec<String> = raw
                .features
                .iter()
                .filter_map(|f| f.properties.as_ref())
                .flat_map(|p| p.keys().cloned())
                .collect();
            available.sort();
            available.dedup();
            return Err(BoundaryError::PropertyNowhere {
                path: path.clone(),
                property: property.clone(),
                role,
                available: if available.is_empty() {
                    "none".to_string()
                } else {
                    available.join(", ")
                },
            });
        }
    }
    let mut problems = Vec::new();
    let mut counties = Vec::with_capacity(raw.features.len());
    let mut indexes = Vec::with_capacity(raw.features.len());
    let mut first_index_of_id = std::collections::HashMap::new();
    for (index, feature) in raw.features.iter().enumerate() {
        let mut report = |id: &Option<String>, problem| {
            problems.push(LocatedProblem {
                feature_index: index,
                id: id.clone(),
                problem,
            })
        };
        let id = property_text(&feature.properties, &source.id_property);
        let name = property_text(&feature.properties, &source.name_property);
        if id.is_none() {
            report(
                &id,
                FeatureProblem::MissingId {
                    property: source.id_property.clone(),
                },
            );
        }
        if name.is_none() {
            report(
                &id,
                FeatureProblem::MissingName {
                    property: source.name_property.clone(),
                },
            );
        }
        if let Some(id_text) = &id
            && let Some(first) = first_index_of_id.insert(id_text.clone(), index)
        {
            first_index_of_id.insert(id_text.clone(), first);
            report(&id, FeatureProblem::DuplicateId { first_index: first });
        }
        match read_geometry(feature.geometry.as_ref(), source.input_crs) {
            Ok(shape) => {
                if let (Some(id), Some(name)) = (id, name) {
                    indexes.push(index);
                    counties.push(BoundaryFeature {
                        id,
                        name,
                        lonlat: shape,
                    });
                }
            }
            Err(found) => found.into_iter().for_each(|p| report(&id, p)),
        }
    }
    if problems.is_empty() {
        problems = super::checks::cross_county_problems(&counties, &indexes, limits);
    }
    if problems.is_empty() {
        Ok(counties)
    } else {
        Err(BoundaryError::Invalid {
            path: path.clone(),
            problems,
        })
    }
}

fn json_reason(e: &serde_json::Error) -> String {
    if e.is_eof() {
        "the file ends early (truncated?)".to_string()
    } else {
        // serde_json appends " at line L column C"; the location is reported separately.
        let text = e.to_string();
        match text.rfind(" at line ") {
            Some(cut) => text[..cut].to_string(),
            None => text,
        }
    }
}

fn property_text(
    properties: &Option<serde_json::Map<String, serde_json::Value>>,
    key: &str,
) -> Option<String> {
    let value = properties.as_ref()?.get(key)?;
    let text = match value {
        serde_json::Value::String(s) => s.trim().to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// Turns a raw geometry into a checked WGS84 multipolygon, or lists what is wrong with it.
fn read_geometry(
    geometry: Option<&RawGeometry>,
    crs: InputCrs,
) -> Result<MultiPolygon<f64>, Vec<FeatureProblem>> {
    let geometry = geometry.ok_or_else(|| vec![FeatureProblem::MissingGeometry])?;
    let coordinates = geometry
        .coordinates
        .ok_or_else(|| vec![FeatureProblem::EmptyGeometry])?;
    let malformed = |e: serde_json::Error| {
        vec![FeatureProblem::MalformedCoordinates {
            reason: json_reason(&e),
        }]
    };
    let polygons: Vec<Rings> = match geometry.kind.as_str() {
        "Polygon" => vec![serde_json::from_str::<Rings>(coordinates.get()).map_err(malformed)?],
        "MultiPolygon" => {
            serde_json::from_str::<Vec<Rings>>(coordinates.get()).map_err(malformed)?
        }
        other => {
            return Err(vec![FeatureProblem::NotAPolygon {
                found: other.to_string(),
            }]);
        }
    };
    if polygons
        .iter()
        .all(|rings| rings.iter().all(|r| r.is_empty()))
    {
        return Err(vec![FeatureProblem::EmptyGeometry]);
    }

    let mut problems = Vec::new();
    let mut out = Vec::with_capacity(polygons.len());
    for (pi, rings) in polygons.into_iter().enumerate() {
        let mut lines = Vec::with_capacity(rings.len());
        for (ri, ring) in rings.into_iter().enumerate() {
            match read_ring(ring, pi, ri) {
                Ok(line) => lines.push(line),
                Err(p) => problems.push(p),
            }
        }
        if lines.is_empty() {
            continue;
        }
        let exterior = lines.remove(0);
        out.push(Polygon::new(exterior, lines));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if out.is_empty() {
        return Err(vec![FeatureProblem::EmptyGeometry]);
    }
    let shape = MultiPolygon(out);
    let invalid = validate(&shape);
    if !invalid.is_empty() {
        return Err(invalid);
    }
    let shape = shape.orient(Direction::Default);
    Ok(match crs {
        InputCrs::Wgs84 => shape,
        InputCrs::Gcj02 => shape.map_coords(|c| {
            let (x, y) = coordtransform::gcj02_to_wgs84(c.x, c.y);
            Coord { x, y }
        }),
    })
}

/// The validity of each polygon (self-intersections, holes outside the shell ...; see
/// [`super::validity`]), and of
/// each pair of polygons whose bounding boxes meet (overlapping parts, parts sharing an edge).
/// Validity is checked on the coordinates as written in the file, before any datum shift.
/// geo's own MultiPolygon check relates every pair, which is quadratic in the part count
/// (Hong Kong's districts have hundreds of islands); the bounding-box filter avoids that.
fn validate(shape: &MultiPolygon<f64>) -> Vec<FeatureProblem> {
    let mut problems = Vec::new();
    for (i, polygon) in shape.0.iter().enumerate() {
        for e in super::validity::polygon_problems(polygon) {
            problems.push(FeatureProblem::InvalidGeometry {
                reason: format!("polygon {i}: {e}"),
            });
        }
    }
    if !problems.is_empty() || shape.0.len() < 2 {
        return problems;
    }
    let boxes: Vec<_> = shape.0.iter().map(|p| p.bounding_rect()).collect();
    for i in 0..shape.0.len() {
        for j in i + 1..shape.0.len() {
            let (Some(a), Some(b)) = (boxes[i], boxes[j]) else {
                continue;
            };
            if a.max().x < b.min().x
                || b.max().x < a.min().x
                || a.max().y < b.min().y
                || b.max().y < a.min().y
            {
                continue;
            }
            let matrix = shape.0[i].relate(&shape.0[j]);
            if matrix.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                problems.push(FeatureProblem::InvalidGeometry {
                    reason: format!("polygons {i} and {j} overlap"),
                });
            } else if matrix.get(CoordPos::OnBoundary, CoordPos::OnBoundary)
                == Dimensions::OneDimensional
            {
                problems.push(FeatureProblem::InvalidGeometry {
                    reason: format!("polygons {i} and {j} share an edge"),
                });
            }
        }
    }
    problems
}

fn read_ring(
    ring: Vec<Vec<f64>>,
    polygon: usize,
    ring_index: usize,
) -> Result<LineString<f64>, FeatureProblem> {
    let count = ring.len();
    if count < 4 {
        return Err(FeatureProblem::TooFewPositions {
            polygon,
            ring: ring_index,
            count,
        });
    }
    let mut coords = Vec::with_capacity(count);
    for position in &ring {
        let (x, y) = match position.as_slice() {
            [x, y, ..] => (*x, *y),
            _ => {
                return Err(FeatureProblem::MalformedCoordinates {
                    reason: format!(
                        "a position has {} numbers; it needs at least 2",
                        position.len()
                    ),
                });
            }
        };
        if !(-180.0..=180.0).contains(&x) || !(-90.0..=90.0).contains(&y) {
            return Err(FeatureProblem::OutOfLonLatRange { x, y });
        }
        coords.push(Coord { x, y });
    }
    if ring.first() != ring.last() {
        return Err(FeatureProblem::UnclosedRing {
            polygon,
            ring: ring_index,
        });
    }
    Ok(LineString(coords))
}

/// The path of a file named in a manifest, relative to the manifest's folder.
pub(crate) fn resolve(base: &Path, file: &str) -> PathBuf {
    let p = Path::new(file);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<BoundaryFeature>, BoundaryError> {
        parse_boundaries(text, &BoundarySource::new("test.geojson"))
    }

    const SQUARE: &str = r#"[[[112,39],[112.1,39],[112.1,39.1],[112,39.1],[112,39]]]"#;

    fn collection(features: &[String]) -> String {
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        )
    }

    fn feature(props: &str, geometry: &str) -> String {
        format!(r#"{{"type":"Feature","properties":{props},"geometry":{geometry}}}"#)
    }

    #[test]
    fn a_clockwise_square_is_read_counter_clockwise() {
        let cw = r#"{"type":"Polygon","coordinates":[[[112,39],[112,39.1],[112.1,39.1],[112.1,39],[112,39]]]}"#;
        let got = parse(&collection(&[feature(r#"{"adcode":1,"name":"a"}"#, cw)])).unwrap();
        use geo::Area;
        assert!(got[0].lonlat.signed_area() > 0.0);
    }

    #[test]
    fn every_problem_is_reported() {
        let good = format!(r#"{{"type":"Polygon","coordinates":{SQUARE}}}"#);
        let text = collection(&[
            feature(r#"{"adcode":1,"name":"a"}"#, &good),
            feature(r#"{"adcode":1,"name":"b"}"#, &good),
            feature(r#"{"name":"c"}"#, &good),
            feature(
                r#"{"adcode":4,"name":"d"}"#,
                r#"{"type":"LineString","coordinates":[[112,39],[113,40]]}"#,
            ),
            feature(
                r#"{"adcode":5,"name":"e"}"#,
                r#"{"type":"Polygon","coordinates":[[[112,39],[113,39],[113,40],[112,40]]]}"#,
            ),
        ]);
        let Err(BoundaryError::Invalid { problems, .. }) = parse(&text) else {
            panic!("must fail")
        };
        let kinds: Vec<_> = problems
            .iter()
            .map(|p| (p.feature_index, p.problem.clone()))
            .collect();
        assert_eq!(kinds.len(), 4, "{kinds:?}");
        assert!(matches!(
            kinds[0],
            (1, FeatureProblem::DuplicateId { first_index: 0 })
        ));
        assert!(matches!(kinds[1], (2, FeatureProblem::MissingId { .. })));
        assert!(matches!(kinds[2], (3, FeatureProblem::NotAPolygon { .. })));
        assert!(matches!(kinds[3], (4, FeatureProblem::UnclosedRing { .. })));
    }

    #[test]
    fn truncated_json_names_its_line() {
        let err = parse("{\"type\":\"FeatureCollection\",\n\"features\":[").unwrap_err();
        assert!(matches!(err, BoundaryError::Json { line: 2, .. }), "{err}");
    }
}
