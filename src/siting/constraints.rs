//! Where a new point may not go, and why (选址限制): buffers around county seats, places and
//! airports, user exclusion areas (mines, reservoirs, protected sites) and steep terrain.
//!
//! Every excluded area keeps its reason, so a planner can ask "why not here?". Lookups use an
//! rstar R-tree over the exclusion areas' bounding boxes: O(log n) per candidate.

use std::path::{Path, PathBuf};

use geo::{Contains, Coord, MultiPolygon, Point};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use super::rules::SitingRules;
use crate::region::{Landmark, LandmarkKind, Region};
use crate::sectors::SectorEngine;
use crate::sites::SiteKind;
use crate::terrain::Dem;

/// The shape of an excluded area, projected metres.
#[derive(Debug, Clone)]
pub enum ExclusionShape {
    /// Everything within `radius` of `centre`.
    Disc {
        /// Centre.
        centre: Coord<f64>,
        /// Radius, metres.
        radius: f64,
    },
    /// A user-supplied area.
    Area(MultiPolygon<f64>),
}

/// One excluded area and why.
#[derive(Debug, Clone)]
pub struct Exclusion {
    /// Why no point may stand here, e.g. "within 20000 m of airport Shuozhou Zirun Airport".
    pub reason: String,
    /// Where.
    pub shape: ExclusionShape,
}

/// An exclusion file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ExclusionError {
    /// The file could not be read.
    #[error("cannot read exclusion file {path}: {reason}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The reason.
        reason: String,
    },
    /// A feature is unusable.
    #[error("exclusion file {path}, feature {index}: {reason}")]
    Feature {
        /// The file.
        path: PathBuf,
        /// 0-based feature index.
        index: usize,
        /// What is wrong.
        reason: String,
    },
}

/// Reads user exclusion areas: GeoJSON polygons, or points with a `radius_m` property; each
/// with a `reason` property (WGS84 lon/lat).
pub fn read_exclusions(path: &Path, region: &Region) -> Result<Vec<Exclusion>, ExclusionError> {
    let text = crate::files::read_text(path).map_err(|e| ExclusionError::Read {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let fc: geojson::FeatureCollection =
        text.parse()
            .map_err(|e: geojson::Error| ExclusionError::Read {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
    let mut out = Vec::new();
    for (index, feature) in fc.features.into_iter().enumerate() {
        let bad = |reason: String| ExclusionError::Feature {
            path: path.to_path_buf(),
            index,
            reason,
        };
        let reason = feature
            .property("reason")
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .ok_or_else(|| bad("has no 'reason' property".into()))?;
        let radius = feature.property("radius_m").and_then(|v| v.as_f64());
        let geometry = feature
            .geometry
            .ok_or_else(|| bad("has no geometry".into()))?;
        let shape =
            match geo::Geometry::<f64>::try_from(geometry).map_err(|e| bad(e.to_string()))? {
                geo::Geometry::Point(p) => {
                    let radius = radius
                        .filter(|r| *r > 0.0)
                        .ok_or_else(|| bad("a point needs a positive 'radius_m'".into()))?;
                    let (x, y) = region
                        .projection
                        .forward(p.x(), p.y())
                        .map_err(|e| bad(e.to_string()))?;
                    ExclusionShape::Disc {
                        centre: Coord { x, y },
                        radius,
                    }
                }
                geo::Geometry::Polygon(p) => ExclusionShape::Area(
                    region
                        .projection
                        .forward_multipolygon(&MultiPolygon(vec![p]))
                        .map_err(|e| bad(e.to_string()))?,
                ),
                geo::Geometry::MultiPolygon(mp) => ExclusionShape::Area(
                    region
                        .projection
                        .forward_multipolygon(&mp)
                        .map_err(|e| bad(e.to_string()))?,
                ),
                _ => {
                    return Err(bad(
                        "geometry must be a Point, Polygon or MultiPolygon".into()
                    ));
                }
            };
        out.push(Exclusion {
            reason: format!("{reason} (exclusion file)"),
            shape,
        });
    }
    Ok(out)
}

/// The buffers the rules put around landmarks.
pub fn landmark_exclusions(
    landmarks: &[Landmark],
    region: &Region,
    rules: &SitingRules,
) -> Vec<Exclusion> {
    landmarks
        .iter()
        .filter_map(|l| {
            let (radius, what) = match l.kind {
                LandmarkKind::CountySeat => (rules.county_seat_buffer_m, "county seat"),
                LandmarkKind::Place => (rules.place_buffer_m, "place"),
                LandmarkKind::Airport => (rules.airport_clearance_m, "airport clearance of"),
            };
            if radius <= 0.0 {
                return None;
            }
            let (x, y) = region.projection.forward(l.lon, l.lat).ok()?;
            Some(Exclusion {
                reason: format!("within {radius:.0} m of {what} {}", l.name),
                shape: ExclusionShape::Disc {
                    centre: Coord { x, y },
                    radius,
                },
            })
        })
        .collect()
}

/// A check that a caller adds to the constraints (for example "has a valid firing sector"):
/// given a projected point and its lon/lat, `Some(reason)` when the point is refused.
pub type ExtraCheck<'a> = Box<dyn Fn(f64, f64, f64, f64) -> Option<String> + 'a>;

/// Everything that can refuse a candidate location.
pub struct Constraints<'a> {
    exclusions: Vec<Exclusion>,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    dem: Option<&'a Dem>,
    region: &'a Region,
    max_slope_deg: f64,
    extra: Vec<ExtraCheck<'a>>,
}

impl<'a> Constraints<'a> {
    /// Indexes the exclusions.
    pub fn new(
        region: &'a Region,
        exclusions: Vec<Exclusion>,
        dem: Option<&'a Dem>,
        rules: &SitingRules,
    ) -> Self {
        let entries = exclusions
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let (lo, hi) = match &e.shape {
                    ExclusionShape::Disc { centre, radius } => (
                        [centre.x - radius, centre.y - radius],
                        [centre.x + radius, centre.y + radius],
                    ),
                    ExclusionShape::Area(mp) => {
                        let b = geo::BoundingRect::bounding_rect(mp)?;
                        ([b.min().x, b.min().y], [b.max().x, b.max().y])
                    }
                };
                Some(GeomWithData::new(Rectangle::from_corners(lo, hi), i))
            })
            .collect();
        Constraints {
            exclusions,
            tree: RTree::bulk_load(entries),
            dem,
            region,
            max_slope_deg: rules.max_slope_deg,
            extra: Vec::new(),
        }
    }

    /// Adds a further check (e.g. the firing sector).
    pub fn with_check(mut self, check: ExtraCheck<'a>) -> Self {
        self.extra.push(check);
        self
    }

    /// Adds the firing-sector check: a place where a fixed rocket site would have no safe
    /// firing sector (安全射界) may not hold a new point; the reason names what blocks it.
    pub fn with_firing_sectors(self, engine: &'a SectorEngine) -> Self {
        self.with_check(Box::new(move |_, _, lon, lat| {
            engine.refusal(lon, lat, SiteKind::FixedRocket)
        }))
    }

    /// The exclusion areas.
    pub fn exclusions(&self) -> &[Exclusion] {
        &self.exclusions
    }

    /// Every reason a point (projected metres) may not hold a new site; empty when it may.
    pub fn reasons_at(&self, x: f64, y: f64) -> Vec<String> {
        self.check(x, y, true, true)
    }

    /// Whether a point may hold a new site (stops at the first reason).
    pub fn allows(&self, x: f64, y: f64) -> bool {
        self.check(x, y, false, true).is_empty()
    }

    /// Whether a point may hold a site that fires nothing (a smoke burner): every rule except
    /// the added checks (such as the firing sector).
    pub fn allows_without_checks(&self, x: f64, y: f64) -> bool {
        self.check(x, y, false, false).is_empty()
    }

    fn check(&self, x: f64, y: f64, all: bool, with_extra: bool) -> Vec<String> {
        let mut reasons = Vec::new();
        let p = Point::new(x, y);
        let mut hits: Vec<usize> = self
            .tree
            .locate_all_at_point(&[x, y])
            .map(|e| e.data)
            .collect();
        hits.sort_unstable();
        for i in hits {
            let e = &self.exclusions[i];
            let inside = match &e.shape {
                ExclusionShape::Disc { centre, radius } => {
                    (x - centre.x).hypot(y - centre.y) < *radius
                }
                ExclusionShape::Area(mp) => mp.contains(&p),
            };
            if inside {
                reasons.push(e.reason.clone());
                if !all {
                    return reasons;
                }
            }
        }
        let lonlat = self.region.projection.inverse(x, y).ok();
        if let (Some(dem), Some((lon, lat))) = (self.dem, lonlat)
            && let Some(slope) = dem.slope_deg(lon, lat)
            && slope > self.max_slope_deg
        {
            reasons.push(format!("slope {slope:.1}° exceeds {}°", self.max_slope_deg));
            if !all {
                return reasons;
            }
        }
        if let (Some((lon, lat)), true) = (lonlat, with_extra) {
            for check in &self.extra {
                if let Some(reason) = check(x, y, lon, lat) {
                    reasons.push(reason);
                    if !all {
                        return reasons;
                    }
                }
            }
        }
        reasons
    }
}
