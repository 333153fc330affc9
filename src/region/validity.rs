//! Fast polygon validity checks for boundary files with many vertices.
//!
//! geo's `Validation` tests every pair of segments of a ring (O(n²)); a national county file
//! has rings of thousands of vertices, where that takes seconds. This module finds the same
//! problems with an R-tree over the segments of a polygon (O(n log n) for boundaries without
//! crossings): segments of any rings that cross or overlap (self-intersection, a bow-tie, a
//! hole crossing its shell), holes lying outside their shell, and holes nested in other holes.
//! A test compares it with geo's validation on random polygons.
//!
//! As in geo, two segments that share an endpoint (`a.end == b.start` or `a.start == b.end`)
//! are not counted as an intersection, so consecutive segments and rings touching themselves at
//! a vertex pass; a segment repeated elsewhere in the ring (a ring traced twice) is.

use geo::{Contains, Coord, Intersects, Line, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

/// A segment with its ring and its position in the list of all segments.
type IndexedSegment = GeomWithData<Rectangle<[f64; 2]>, (usize, usize, Line<f64>)>;

/// What is wrong with a polygon's rings, in plain words; empty when the polygon is valid.
pub fn polygon_problems(polygon: &Polygon<f64>) -> Vec<String> {
    let rings: Vec<_> = std::iter::once(polygon.exterior())
        .chain(polygon.interiors())
        .collect();
    let role = |r: usize| {
        if r == 0 {
            "exterior ring".to_string()
        } else {
            format!("interior ring {}", r - 1)
        }
    };
    let mut problems = Vec::new();
    for (r, ring) in rings.iter().enumerate() {
        if ring.0.iter().any(|c| !c.x.is_finite() || !c.y.is_finite()) {
            problems.push(format!("{} has a non-finite coordinate", role(r)));
        }
    }
    if !problems.is_empty() {
        return problems;
    }
    let segments: Vec<IndexedSegment> = rings
        .iter()
        .enumerate()
        .flat_map(|(r, ring)| {
            ring.lines()
                .filter(|l| l.start != l.end)
                .map(move |l| (r, l))
        })
        .enumerate()
        .map(|(k, (r, l))| {
            GeomWithData::new(
                Rectangle::from_corners(l.start.into(), l.end.into()),
                (r, k, l),
            )
        })
        .collect();
    let tree = RTree::bulk_load(segments);
    let mut flagged = vec![false; rings.len()];
    let mut crossings = Vec::new();
    for seg in tree.iter() {
        let (ring_a, index_a, a) = seg.data;
        let envelope = AABB::from_corners(a.start.into(), a.end.into());
        for other in tree.locate_in_envelope_intersecting(&envelope) {
            let (ring_b, index_b, b) = other.data;
            if index_b <= index_a {
                continue; // each unordered pair once, and never a segment with itself
            }
            if a.start == b.end || a.end == b.start || !a.intersects(&b) {
                continue;
            }
            if ring_a == ring_b {
                if !flagged[ring_a] {
                    flagged[ring_a] = true;
                    problems.push(format!("{} has a self-intersection", role(ring_a)));
                }
            } else {
                crossings.push((ring_a.min(ring_b), ring_a.max(ring_b)));
            }
        }
    }
    crossings.sort_unstable();
    crossings.dedup();
    for (ra, rb) in crossings {
        problems.push(format!("{} and {} intersect", role(ra), role(rb)));
    }
    if !problems.is_empty() {
        return problems;
    }
    let shell = Polygon::new(polygon.exterior().clone(), vec![]);
    let holes: Vec<Polygon<f64>> = polygon
        .interiors()
        .iter()
        .map(|h| Polygon::new(h.clone(), vec![]))
        .collect();
    for (h, hole) in polygon.interiors().iter().enumerate() {
        let probe = interior_probe(hole, &shell);
        if !probe.is_some_and(|p| shell.contains(&p)) {
            problems.push(format!("interior ring {h} is not inside the exterior ring"));
            continue;
        }
        let inside_other = holes
            .iter()
            .enumerate()
            .any(|(k, other)| k != h && probe.is_some_and(|p| other.contains(&p)));
        if inside_other {
            problems.push(format!(
                "interior ring {h} lies inside another interior ring"
            ));
        }
    }
    problems
}

/// A vertex of `ring` that is not on the boundary of `shell` (rings may touch at vertices).
fn interior_probe(ring: &geo::LineString<f64>, shell: &Polygon<f64>) -> Option<geo::Point<f64>> {
    use geo::coordinate_position::{CoordPos, CoordinatePosition};
    ring.0
        .iter()
        .map(|c: &Coord<f64>| geo::Point::from(*c))
        .find(|p| shell.coordinate_position(&p.0) != CoordPos::OnBoundary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Validation, polygon};
    use proptest::prelude::*;

    #[test]
    fn a_bow_tie_is_found() {
        let p = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 2.0), (x: 2.0, y: 0.0), (x: 0.0, y: 2.0)];
        assert_eq!(
            polygon_problems(&p),
            vec!["exterior ring has a self-intersection"]
        );
    }

    #[test]
    fn a_ring_doubling_back_on_itself_is_found() {
        // Found by the property test below: the same segment twice; geo calls it a
        // self-intersection.
        let p = polygon![(x: 5.0, y: 0.0), (x: 2.0, y: 5.0), (x: 5.0, y: 0.0), (x: 2.0, y: 5.0)];
        assert_eq!(
            polygon_problems(&p),
            vec!["exterior ring has a self-intersection"]
        );
    }

    #[test]
    fn a_hole_outside_its_shell_is_found() {
        let p = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)],
            interiors: [[(x: 5.0, y: 5.0), (x: 6.0, y: 5.0), (x: 6.0, y: 6.0)]],
        );
        assert_eq!(
            polygon_problems(&p),
            vec!["interior ring 0 is not inside the exterior ring"]
        );
    }

    proptest! {
        /// On random small rings the fast check agrees with geo's quadratic validation.
        #[test]
        fn agrees_with_geo_validation(coords in prop::collection::vec((0i32..6, 0i32..6), 3..8)) {
            let ring: Vec<Coord<f64>> = coords.iter().map(|&(x, y)| Coord { x: x as f64, y: y as f64 }).collect();
            let mut dedup = ring.clone();
            dedup.dedup();
            prop_assume!(dedup.len() >= 3 && dedup.first() != dedup.last());
            let p = Polygon::new(geo::LineString(dedup), vec![]);
            let geo_says_self_intersecting = p
                .validation_errors()
                .iter()
                .any(|e| e.to_string().contains("self-intersection"));
            let ours = polygon_problems(&p).iter().any(|e| e.contains("self-intersection"));
            prop_assert_eq!(ours, geo_says_self_intersecting, "{:?}", p);
        }
    }
}
