//! Protected objects (保护目标) that a firing sector must keep clear of, and their R-tree.
//!
//! Objects come from the region's landmarks (county seats as dense towns, places, airports,
//! each a point with a radius by kind from [`SectorConfig::radius_m`]) and from a user facility
//! file: GeoJSON features with a `kind` (text, e.g. `oil_depot`, `power_plant`, `school`), an
//! optional `id` and `name`, and either a Point geometry with a `radius_m` property (or a
//! default radius for its kind in [`SectorConfig::facility_radius_m`]) or a Polygon /
//! MultiPolygon (an optional `radius_m` widens it). Coordinates are WGS84 lon/lat; objects keep
//! both lon/lat and projected metres.
//!
//! [`ProtectedIndex`] bulk-loads the objects' bounding boxes, widened by radius and margin, into
//! an rstar R-tree, so that finding the objects within reach of a site costs O(log n + k).
//! Reading a facility file reports every bad feature at once.

use std::fmt;
use std::path::{Path, PathBuf};

use geo::{BoundingRect, Coord, MultiPolygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use super::config::SectorConfig;
use crate::region::{Landmark, LandmarkKind, Projection};

/// What a protected object is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectKind {
    /// A county seat (县城), a dense town.
    CountySeat,
    /// A town or village.
    Place,
    /// An airport.
    Airport,
    /// A user facility of the named kind (oil depot, power plant, school ...).
    Facility(String),
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ObjectKind::CountySeat => f.write_str("county_seat"),
            ObjectKind::Place => f.write_str("place"),
            ObjectKind::Airport => f.write_str("airport"),
            ObjectKind::Facility(kind) => f.write_str(kind),
        }
    }
}

/// The shape of a protected object.
#[derive(Debug, Clone, PartialEq)]
pub enum ObjectShape {
    /// A point: lon/lat degrees and projected metres.
    Point {
        /// WGS84 lon/lat, degrees.
        lonlat: Coord<f64>,
        /// Projected metres.
        xy: Coord<f64>,
    },
    /// An area: lon/lat degrees and projected metres.
    Area {
        /// WGS84 lon/lat, degrees.
        lonlat: MultiPolygon<f64>,
        /// Projected metres.
        xy: MultiPolygon<f64>,
    },
}

/// One protected object.
#[derive(Debug, Clone, PartialEq)]
pub struct ProtectedObject {
    /// Unique id: `county_seat:<county>`, `airport:<name>`, `place:<name>`, or the facility's
    /// `id` (else `facility:<feature index>`).
    pub id: String,
    /// Name as given (may be Chinese).
    pub name: String,
    /// What it is.
    pub kind: ObjectKind,
    /// Radius around the shape, metres, before the margin.
    pub radius_m: f64,
    /// Where it is.
    pub shape: ObjectShape,
}

impl ProtectedObject {
    /// What and which it is, for messages: "county seat 朔城区", "airport Shuozhou Zirun Airport".
    pub fn description(&self) -> String {
        let kind = match &self.kind {
            ObjectKind::CountySeat => "county seat".to_string(),
            ObjectKind::Place => "place".to_string(),
            ObjectKind::Airport => "airport".to_string(),
            ObjectKind::Facility(kind) => kind.replace('_', " "),
        };
        if self.name.is_empty() {
            format!("{kind} {}", self.id)
        } else {
            format!("{kind} {}", self.name)
        }
    }

    /// A label in Latin letters for maps (the name when it is ASCII, else the id).
    pub fn label(&self) -> &str {
        if !self.name.is_empty() && self.name.is_ascii() {
            &self.name
        } else {
            &self.id
        }
    }
}

/// A facility file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum FacilityError {
    /// The file could not be read or is not a GeoJSON FeatureCollection.
    #[error("cannot read facility file {path}: {reason}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The reason.
        reason: String,
    },
    /// Features are wrong; every problem is listed.
    #[error("{} in facility file {path}:\n{}", if problems.len() == 1 { "1 problem".to_string() } else { format!("{} problems", problems.len()) }, problems.join("\n"))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Each problem, "  feature N (id): what".
        problems: Vec<String>,
    },
    /// A coordinate could not be projected.
    #[error("facility file {path}: {reason}")]
    Projection {
        /// The file.
        path: PathBuf,
        /// The projection error.
        reason: String,
    },
}

/// The protected objects of a region's landmarks, with radii from the config.
pub fn landmark_objects(
    landmarks: &[Landmark],
    config: &SectorConfig,
    projection: &Projection,
) -> Result<Vec<ProtectedObject>, crate::region::ProjectionError> {
    landmarks
        .iter()
        .map(|l| {
            let (x, y) = projection.forward(l.lon, l.lat)?;
            let (kind, radius, id) = match l.kind {
                LandmarkKind::CountySeat => (
                    ObjectKind::CountySeat,
                    config.radius_m.county_seat,
                    format!("county_seat:{}", l.county.as_deref().unwrap_or(&l.name)),
                ),
                LandmarkKind::Airport => (
                    ObjectKind::Airport,
                    config.radius_m.airport,
                    format!("airport:{}", l.name),
                ),
                LandmarkKind::Place => (
                    ObjectKind::Place,
                    config.radius_m.place,
                    format!("place:{}", l.name),
                ),
            };
            Ok(ProtectedObject {
                id,
                name: l.name.clone(),
                kind,
                radius_m: radius,
                shape: ObjectShape::Point {
                    lonlat: Coord { x: l.lon, y: l.lat },
                    xy: Coord { x, y },
                },
            })
        })
        .collect()
}

/// Reads a GeoJSON facility file (see the module doc) and projects it.
pub fn read_facilities(
    path: &Path,
    config: &SectorConfig,
    projection: &Projection,
) -> Result<Vec<ProtectedObject>, FacilityError> {
    let read = |reason: String| FacilityError::Read {
        path: path.to_path_buf(),
        reason,
    };
    let text = crate::files::read_text(path).map_err(|e| read(e.to_string()))?;
    let fc: geojson::FeatureCollection = text
        .parse()
        .map_err(|e: geojson::Error| read(e.to_string()))?;
    let mut problems = Vec::new();
    let mut objects = Vec::new();
    for (i, feature) in fc.features.iter().enumerate() {
        let text_prop = |key: &str| match feature.property(key) {
            Some(serde_json::Value::String(s)) => Some(s.trim().to_string()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let id = text_prop("id").filter(|s| !s.is_empty());
        let at = match &id {
            Some(id) => format!("  feature {i} ({id})"),
            None => format!("  feature {i}"),
        };
        let kind = text_prop("kind").filter(|s| !s.is_empty());
        let Some(kind) = kind else {
            problems.push(format!(
                "{at}: the property 'kind' is missing (e.g. oil_depot, power_plant, school)"
            ));
            continue;
        };
        let radius = match feature.property("radius_m") {
            None | Some(serde_json::Value::Null) => None,
            Some(v) => match v.as_f64() {
                Some(r) if r.is_finite() && r >= 0.0 => Some(r),
                _ => {
                    problems.push(format!("{at}: radius_m is {v}; it must be a length >= 0 m"));
                    continue;
                }
            },
        };
        let geometry = feature
            .geometry
            .as_ref()
            .map(|g| geo::Geometry::<f64>::try_from(g.clone()));
        let lonlat_ok = |c: &Coord<f64>| c.x.abs() <= 180.0 && c.y.abs() <= 90.0;
        let (shape, radius) = match geometry {
            Some(Ok(geo::Geometry::Point(p))) => {
                if !lonlat_ok(&p.0) {
                    problems.push(format!(
                        "{at}: ({}, {}) is not a WGS84 lon/lat",
                        p.x(),
                        p.y()
                    ));
                    continue;
                }
                let Some(radius) = radius.or_else(|| config.facility_radius_m.get(&kind).copied())
                else {
                    problems.push(format!(
                        "{at}: a point facility needs a radius_m property (or facility_radius_m.{kind} in the sector config)"
                    ));
                    continue;
                };
                let (x, y) =
                    projection
                        .forward(p.x(), p.y())
                        .map_err(|e| FacilityError::Projection {
                            path: path.to_path_buf(),
                            reason: e.to_string(),
                        })?;
                (
                    ObjectShape::Point {
                        lonlat: p.0,
                        xy: Coord { x, y },
                    },
                    radius,
                )
            }
            Some(Ok(geo::Geometry::Polygon(p))) => (
                area_shape(MultiPolygon(vec![p]), projection, path)?,
                radius.unwrap_or(0.0),
            ),
            Some(Ok(geo::Geometry::MultiPolygon(mp))) => {
                (area_shape(mp, projection, path)?, radius.unwrap_or(0.0))
            }
            _ => {
                problems.push(format!(
                    "{at}: the geometry must be a Point, Polygon or MultiPolygon"
                ));
                continue;
            }
        };
        if let ObjectShape::Area { lonlat, .. } = &shape
            && !geo::CoordsIter::coords_iter(lonlat).all(|c| lonlat_ok(&c))
        {
            problems.push(format!("{at}: a vertex is not a WGS84 lon/lat"));
            continue;
        }
        let name = text_prop("name").unwrap_or_default();
        objects.push(ProtectedObject {
            id: id.unwrap_or_else(|| format!("facility:{i}")),
            name,
            kind: ObjectKind::Facility(kind),
            radius_m: radius,
            shape,
        });
    }
    if problems.is_empty() {
        Ok(objects)
    } else {
        Err(FacilityError::Invalid {
            path: path.to_path_buf(),
            problems,
        })
    }
}

fn area_shape(
    lonlat: MultiPolygon<f64>,
    projection: &Projection,
    path: &Path,
) -> Result<ObjectShape, FacilityError> {
    let xy = projection
        .forward_multipolygon(&lonlat)
        .map_err(|e| FacilityError::Projection {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    Ok(ObjectShape::Area { lonlat, xy })
}

/// Protected objects with an R-tree over their reach (shape + radius + margin), projected
/// metres.
#[derive(Debug, Clone)]
pub struct ProtectedIndex {
    objects: Vec<ProtectedObject>,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
}

impl ProtectedIndex {
    /// Bulk-loads the objects; `margin_m` widens every box. O(n log n).
    pub fn new(objects: Vec<ProtectedObject>, margin_m: f64) -> ProtectedIndex {
        let boxes = objects
            .iter()
            .enumerate()
            .filter_map(|(i, o)| {
                let grow = o.radius_m + margin_m;
                let (min, max) = match &o.shape {
                    ObjectShape::Point { xy, .. } => (*xy, *xy),
                    ObjectShape::Area { xy, .. } => {
                        let r = xy.bounding_rect()?;
                        (r.min(), r.max())
                    }
                };
                Some(GeomWithData::new(
                    Rectangle::from_corners(
                        [min.x - grow, min.y - grow],
                        [max.x + grow, max.y + grow],
                    ),
                    i,
                ))
            })
            .collect();
        ProtectedIndex {
            objects,
            tree: RTree::bulk_load(boxes),
        }
    }

    /// All objects, in input order; a blocker's number is its index here.
    pub fn objects(&self) -> &[ProtectedObject] {
        &self.objects
    }

    /// The indices of objects whose widened box meets the square of half-side `reach` around
    /// the projected point `(x, y)`.
    pub fn near(&self, x: f64, y: f64, reach: f64) -> impl Iterator<Item = usize> + '_ {
        let envelope = AABB::from_corners([x - reach, y - reach], [x + reach, y + reach]);
        self.tree
            .locate_in_envelope_intersecting(&envelope)
            .map(|g| g.data)
    }
}
