//! Checks across the counties of one boundary file (边界互查): zero-area and whole-world
//! polygons, and counties that overlap each other.
//!
//! Every command that loads boundaries runs these after the per-feature checks of
//! [`super::load`], so a file with a duplicated or overlapping county is refused instead of
//! counting the shared land twice (Shuozhou with 朔城区 twice: 12,394 km² instead of 10,627).
//!
//! - **Zero area**: a county whose geodesic area is below [`BoundaryLimits::min_area_km2`].
//! - **Whole world**: a county whose lon/lat bounding box spans more than
//!   [`BoundaryLimits::max_span_deg`] in longitude or latitude (no county-level unit of China
//!   spans 20°; 若羌县, the largest, spans about 7°): a world or frame polygon, not a county.
//! - **Overlap**: two counties whose intersection is larger than
//!   [`BoundaryLimits::max_overlap_share`] of the smaller one's geodesic area *and* larger than
//!   [`BoundaryLimits::sliver_km2`]. The second condition lets through the slivers that
//!   simplification leaves between neighbours: the shared national file (simplified by 0.0005°)
//!   has 41 neighbour pairs above 0.1 %, all under 0.16 km² (small urban districts and Macau
//!   parishes); a real duplicate or misplaced county is many km².
//!
//! Cost: an R-tree over the counties' bounding boxes gives the candidate pairs (only those
//! whose boxes meet, about 300 for Shanxi's 117 units, 8,200 for China's 2,875, never all
//! pairs); each is intersected exactly with geo's `BooleanOps` in lon/lat and measured with
//! geodesic areas on the WGS84 ellipsoid. The pairs are spread over the cores.

use geo::orient::{Direction, Orient};
use geo::{BooleanOps, BoundingRect, GeodesicArea, MultiPolygon, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use super::load::{BoundaryFeature, FeatureProblem, LocatedProblem};

/// The limits of the cross-county checks. All are assumed defaults \[A\]: change them only
/// for a file known to be coarser or finer than the bundled ones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundaryLimits {
    /// Largest tolerated overlap as a share of the smaller county's area; default 0.001 (0.1 %),
    /// allowed 0 to 1.
    pub max_overlap_share: f64,
    /// Overlaps up to this area are tolerated as slivers whatever their share, km²; default
    /// 0.25, allowed 0 to 10.
    pub sliver_km2: f64,
    /// Smallest county area, km²; default 0.01 (100 m × 100 m), allowed 0 to 100.
    pub min_area_km2: f64,
    /// Largest longitude or latitude span of one county, degrees; default 20, allowed 1 to 360.
    pub max_span_deg: f64,
}

impl Default for BoundaryLimits {
    fn default() -> Self {
        BoundaryLimits {
            max_overlap_share: 0.001,
            sliver_km2: 0.25,
            min_area_km2: 0.01,
            max_span_deg: 20.0,
        }
    }
}

impl BoundaryLimits {
    /// Checks every limit against its stated range; the message names the bad one.
    pub fn validate(&self) -> Result<(), String> {
        let ranges = [
            ("max_overlap_share", self.max_overlap_share, 0.0, 1.0),
            ("sliver_km2", self.sliver_km2, 0.0, 10.0),
            ("min_area_km2", self.min_area_km2, 0.0, 100.0),
            ("max_span_deg", self.max_span_deg, 1.0, 360.0),
        ];
        for (name, value, lo, hi) in ranges {
            if !(lo..=hi).contains(&value) {
                return Err(format!("{name} = {value} is outside {lo} to {hi}"));
            }
        }
        Ok(())
    }
}

/// The problems of a set of individually valid counties; `indexes[k]` is the feature index of
/// `features[k]` in its file.
pub(crate) fn cross_county_problems(
    features: &[BoundaryFeature],
    indexes: &[usize],
    limits: &BoundaryLimits,
) -> Vec<LocatedProblem> {
    let mut problems = Vec::new();
    let mut areas_km2 = Vec::with_capacity(features.len());
    let mut boxes = Vec::with_capacity(features.len());
    for (k, f) in features.iter().enumerate() {
        let area_km2 = f.lonlat.geodesic_area_unsigned() / 1e6;
        areas_km2.push(area_km2);
        let rect = f.lonlat.bounding_rect();
        boxes.push(rect);
        let located = |problem| LocatedProblem {
            feature_index: indexes[k],
            id: Some(f.id.clone()),
            problem,
        };
        if let Some(r) = rect {
            let (lon_span, lat_span) = (r.width(), r.height());
            if lon_span > limits.max_span_deg || lat_span > limits.max_span_deg {
                problems.push(located(FeatureProblem::WholeWorld {
                    lon_span,
                    lat_span,
                    limit_deg: limits.max_span_deg,
                }));
                continue;
            }
        }
        if area_km2 < limits.min_area_km2 {
            problems.push(located(FeatureProblem::ZeroArea {
                area_km2,
                limit_km2: limits.min_area_km2,
            }));
        }
    }
    if !problems.is_empty() {
        // A world polygon overlaps everything; report the cause, not a list of overlaps.
        return problems;
    }
    let pairs = candidate_pairs(&boxes);
    let overlaps = crate::parallel::map_in_order(&pairs, 64, |&(a, b)| {
        let shared = features[a].lonlat.intersection(&features[b].lonlat);
        overlap_km2(&shared)
    });
    for (&(a, b), overlap) in pairs.iter().zip(overlaps) {
        let smaller = areas_km2[a].min(areas_km2[b]);
        if overlap > limits.sliver_km2 && overlap > limits.max_overlap_share * smaller {
            problems.push(LocatedProblem {
                feature_index: indexes[b],
                id: Some(features[b].id.clone()),
                problem: FeatureProblem::Overlap {
                    name: features[b].name.clone(),
                    other_index: indexes[a],
                    other_id: features[a].id.clone(),
                    other_name: features[a].name.clone(),
                    overlap_km2: overlap,
                    share_of_smaller: overlap / smaller,
                    limit_share: limits.max_overlap_share,
                },
            });
        }
    }
    problems.sort_by_key(|p| p.feature_index);
    problems
}

/// Geodesic area of an intersection, km². The boolean operation may return rings of either
/// orientation; a clockwise ring would measure the rest of the globe, so rings are oriented
/// counter-clockwise first, and an area above half the globe is taken as its complement.
fn overlap_km2(shared: &MultiPolygon<f64>) -> f64 {
    if shared.0.is_empty() {
        return 0.0;
    }
    let oriented = shared.orient(Direction::Default);
    let area_km2 = oriented.geodesic_area_unsigned() / 1e6;
    if area_km2 > EARTH_KM2 / 2.0 {
        EARTH_KM2 - area_km2
    } else {
        area_km2
    }
}

/// Surface of the WGS84 ellipsoid, km².
const EARTH_KM2: f64 = 510_065_621.7;

/// Pairs `(a, b)`, `a < b`, whose bounding boxes meet, from an R-tree of the boxes.
fn candidate_pairs(boxes: &[Option<Rect<f64>>]) -> Vec<(usize, usize)> {
    let items: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = boxes
        .iter()
        .enumerate()
        .filter_map(|(k, r)| {
            r.map(|r| GeomWithData::new(Rectangle::from_corners(r.min().into(), r.max().into()), k))
        })
        .collect();
    let tree = RTree::bulk_load(items);
    let mut pairs = Vec::new();
    for (a, rect) in boxes.iter().enumerate() {
        let Some(r) = rect else { continue };
        let envelope = AABB::from_corners(r.min().into(), r.max().into());
        for other in tree.locate_in_envelope_intersecting(&envelope) {
            if other.data > a {
                pairs.push((a, other.data));
            }
        }
    }
    pairs.sort_unstable();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn county(id: &str, x0: f64, y0: f64, size: f64) -> BoundaryFeature {
        let p = polygon![
            (x: x0, y: y0), (x: x0 + size, y: y0), (x: x0 + size, y: y0 + size), (x: x0, y: y0 + size)
        ];
        BoundaryFeature {
            id: id.into(),
            name: format!("county {id}"),
            lonlat: MultiPolygon(vec![p]),
        }
    }

    #[test]
    fn neighbours_sharing_an_edge_pass_and_a_shifted_copy_is_named() {
        let limits = BoundaryLimits::default();
        let a = county("a", 112.0, 39.0, 0.1);
        let b = county("b", 112.1, 39.0, 0.1);
        assert!(cross_county_problems(&[a.clone(), b.clone()], &[0, 1], &limits).is_empty());
        // Half of a's width over b: about 47 km² of b's 95 km².
        let c = county("c", 112.05, 39.0, 0.1);
        let problems = cross_county_problems(&[a, b, c], &[0, 1, 2], &limits);
        assert_eq!(problems.len(), 2, "{problems:?}");
        let FeatureProblem::Overlap {
            share_of_smaller, ..
        } = &problems[0].problem
        else {
            panic!("{problems:?}")
        };
        assert!((share_of_smaller - 0.5).abs() < 1e-3, "{share_of_smaller}");
    }

    #[test]
    fn a_clockwise_intersection_is_measured_as_its_own_area() {
        // China's file gave two neighbours a 510-million-km² "overlap": the whole globe.
        let ccw = county("a", 112.0, 39.0, 0.1).lonlat;
        let cw = MultiPolygon(vec![geo::Polygon::new(
            geo::LineString(ccw.0[0].exterior().0.iter().rev().cloned().collect()),
            vec![],
        )]);
        let (a, b) = (overlap_km2(&ccw), overlap_km2(&cw));
        assert!((a - b).abs() < 1e-6 && a > 90.0 && a < 100.0, "{a} vs {b}");
    }

    #[test]
    fn candidate_pairs_are_those_a_brute_force_finds() {
        let boxes: Vec<Option<Rect<f64>>> = (0..40)
            .map(|k| {
                let x = (k * 37 % 11) as f64;
                let y = (k * 17 % 7) as f64;
                let w = 0.5 + (k % 3) as f64;
                Some(Rect::new((x, y), (x + w, y + w)))
            })
            .collect();
        let mut brute = Vec::new();
        for a in 0..boxes.len() {
            for b in a + 1..boxes.len() {
                let (ra, rb) = (boxes[a].unwrap(), boxes[b].unwrap());
                if ra.min().x <= rb.max().x
                    && rb.min().x <= ra.max().x
                    && ra.min().y <= rb.max().y
                    && rb.min().y <= ra.max().y
                {
                    brute.push((a, b));
                }
            }
        }
        assert_eq!(candidate_pairs(&boxes), brute);
    }

    #[test]
    fn limits_out_of_range_are_named() {
        let limits = BoundaryLimits {
            max_overlap_share: 2.0,
            ..BoundaryLimits::default()
        };
        assert!(limits.validate().unwrap_err().contains("max_overlap_share"));
    }
}
