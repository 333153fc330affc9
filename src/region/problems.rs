//! What can be wrong with one feature of a boundary file, located and worded for the user.
//!
//! [`FeatureProblem`] is one problem (an unclosed ring, a duplicate id, an overlap with
//! another county ...); [`LocatedProblem`] places it in the file by feature index and id.
//! Messages are lowercase phrases naming what and where, as every wxmod error.

use std::fmt;

/// What is wrong with one feature of a boundary file.
#[derive(Debug, Clone, PartialEq)]
pub enum FeatureProblem {
    /// The feature has no geometry or a null one.
    MissingGeometry,
    /// The geometry is of a type that cannot be a county (a LineString, a Point ...).
    NotAPolygon {
        /// The GeoJSON type found.
        found: String,
    },
    /// The geometry has no coordinates.
    EmptyGeometry,
    /// The coordinates are not arrays of numbers.
    MalformedCoordinates {
        /// The parser's reason.
        reason: String,
    },
    /// A ring's first and last positions differ.
    UnclosedRing {
        /// Polygon index within the feature.
        polygon: usize,
        /// Ring index within the polygon (0 = exterior).
        ring: usize,
    },
    /// A ring has fewer than 4 positions.
    TooFewPositions {
        /// Polygon index within the feature.
        polygon: usize,
        /// Ring index within the polygon (0 = exterior).
        ring: usize,
        /// Positions found.
        count: usize,
    },
    /// A coordinate is not a longitude/latitude.
    OutOfLonLatRange {
        /// First coordinate.
        x: f64,
        /// Second coordinate.
        y: f64,
    },
    /// geo's validation found a self-intersection or another invalidity.
    InvalidGeometry {
        /// geo's description.
        reason: String,
    },
    /// The id property is absent or empty.
    MissingId {
        /// The property name looked for.
        property: String,
    },
    /// The name property is absent or empty.
    MissingName {
        /// The property name looked for.
        property: String,
    },
    /// Another feature already has this id.
    DuplicateId {
        /// Index of the earlier feature.
        first_index: usize,
    },
    /// The county encloses (almost) no area.
    ZeroArea {
        /// Its geodesic area, km².
        area_km2: f64,
        /// The smallest area accepted, km².
        limit_km2: f64,
    },
    /// The county spans more of the globe than any county-level unit can: a world or frame
    /// polygon.
    WholeWorld {
        /// Longitude span of its bounding box, degrees.
        lon_span: f64,
        /// Latitude span of its bounding box, degrees.
        lat_span: f64,
        /// The largest span accepted, degrees.
        limit_deg: f64,
    },
    /// The county overlaps an earlier one by more than the limit (a duplicate or misplaced
    /// county); the land would be counted twice.
    Overlap {
        /// This county's name.
        name: String,
        /// Index of the other feature.
        other_index: usize,
        /// The other county's id.
        other_id: String,
        /// The other county's name.
        other_name: String,
        /// The shared area, km² (geodesic).
        overlap_km2: f64,
        /// The shared area as a share of the smaller county's area.
        share_of_smaller: f64,
        /// The largest share accepted.
        limit_share: f64,
    },
}

impl fmt::Display for FeatureProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FeatureProblem::MissingGeometry => write!(f, "has no geometry"),
            FeatureProblem::NotAPolygon { found } => {
                write!(
                    f,
                    "geometry is a {found}; county boundaries must be Polygon or MultiPolygon"
                )
            }
            FeatureProblem::EmptyGeometry => write!(f, "geometry is empty"),
            FeatureProblem::MalformedCoordinates { reason } => {
                write!(f, "coordinates are malformed: {reason}")
            }
            FeatureProblem::UnclosedRing { polygon, ring } => {
                write!(
                    f,
                    "ring {ring} of polygon {polygon} is not closed (first and last positions differ)"
                )
            }
            FeatureProblem::TooFewPositions {
                polygon,
                ring,
                count,
            } => {
                write!(
                    f,
                    "ring {ring} of polygon {polygon} has {count} positions; a ring needs at least 4"
                )
            }
            FeatureProblem::OutOfLonLatRange { x, y } => write!(
                f,
                "coordinate ({x}, {y}) is outside the lon/lat range; is this a projected file passed as lon/lat?"
            ),
            FeatureProblem::InvalidGeometry { reason } => write!(f, "invalid geometry: {reason}"),
            FeatureProblem::MissingId { property } => {
                write!(f, "has no '{property}' property (the county id)")
            }
            FeatureProblem::MissingName { property } => {
                write!(f, "has no '{property}' property (the county name)")
            }
            FeatureProblem::DuplicateId { first_index } => {
                write!(f, "repeats the id of feature {first_index}")
            }
            FeatureProblem::ZeroArea {
                area_km2,
                limit_km2,
            } => write!(
                f,
                "has zero area ({area_km2:.6} km², below {limit_km2} km²); a county must enclose land"
            ),
            FeatureProblem::WholeWorld {
                lon_span,
                lat_span,
                limit_deg,
            } => write!(
                f,
                "spans {lon_span:.1}° of longitude and {lat_span:.1}° of latitude, more than the \
                 {limit_deg}° any county-level unit spans: a whole-world or frame polygon, not a county"
            ),
            FeatureProblem::Overlap {
                name,
                other_index,
                other_id,
                other_name,
                overlap_km2,
                share_of_smaller,
                limit_share,
            } => write!(
                f,
                "{name} overlaps feature {other_index} (id {other_id}) {other_name} by \
                 {overlap_km2:.2} km², {:.2} % of the smaller one's area (limit {} %): \
                 a duplicated or misplaced county would count its land twice",
                share_of_smaller * 100.0,
                limit_share * 100.0
            ),
        }
    }
}

/// One problem, located in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct LocatedProblem {
    /// 0-based index of the feature in the collection.
    pub feature_index: usize,
    /// The feature's id where it has one.
    pub id: Option<String>,
    /// What is wrong.
    pub problem: FeatureProblem,
}

impl fmt::Display for LocatedProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) => write!(
                f,
                "feature {} (id {}) {}",
                self.feature_index, id, self.problem
            ),
            None => write!(f, "feature {} {}", self.feature_index, self.problem),
        }
    }
}
