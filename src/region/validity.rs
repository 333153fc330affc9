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
//!
//! [`is_valid`] answers exactly as geo's `Validation::is_valid` on a multipolygon (same tests,
//! same predicates) but finds the candidate segment pairs of a ring through an R-tree of their
//! bounding boxes and skips the pairwise `relate` of parts whose bounding boxes are apart:
//! O(n log n) per ring instead of O(n²). The GeoJSON writer checks every shape it writes with
//! it (a national run writes some 10⁵ of them).

use geo::coordinate_position::CoordPos;
use geo::dimensions::Dimensions;
use geo::{
    BoundingRect, Contains, Coord, Intersects, Line, LineString, MultiPolygon, Polygon,
    PreparedGeometry, Relate, RemoveRepeatedPoints,
};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

/// Whether `shape` is valid by the OGC simple-feature rules, with exactly the answer of geo's
/// `Validation::is_valid` (a property test compares them), in O(n log n) for n vertices when
/// few segments' boxes overlap.
///
/// # Examples
/// ```
/// use geo::{polygon, MultiPolygon};
/// let square = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
/// let bow_tie = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 2.0), (x: 2.0, y: 0.0), (x: 0.0, y: 2.0)];
/// assert!(wxmod::region::is_valid(&MultiPolygon(vec![square])));
/// assert!(!wxmod::region::is_valid(&MultiPolygon(vec![bow_tie])));
/// ```
pub fn is_valid(shape: &MultiPolygon<f64>) -> bool {
    let boxes: Vec<_> = shape.0.iter().map(|p| p.bounding_rect()).collect();
    for (i, polygon) in shape.0.iter().enumerate() {
        if !polygon_is_valid(polygon) {
            return false;
        }
        for (j, other) in shape.0.iter().enumerate().skip(i + 1) {
            // Parts whose boxes do not meet share no point: relate finds neither an overlap
            // nor a common line.
            let apart = match (boxes[i], boxes[j]) {
                (Some(a), Some(b)) => !a.intersects(&b),
                _ => true,
            };
            if apart {
                continue;
            }
            let im = polygon.relate(other);
            if im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional
                || im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional
            {
                return false;
            }
        }
    }
    true
}

/// geo's polygon validation (geo 0.33 `validation/polygon.rs`) with the ring self-intersection
/// test of [`ring_self_intersects`].
fn polygon_is_valid(polygon: &Polygon<f64>) -> bool {
    if polygon.exterior().0.is_empty() {
        return true;
    }
    for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
        if ring.0.is_empty() {
            continue;
        }
        if ring.remove_repeated_points().0.len() < 4
            || ring_self_intersects(ring)
            || ring.0.iter().any(|c| !c.x.is_finite() || !c.y.is_finite())
        {
            return false;
        }
    }
    if polygon.interiors().iter().all(|r| r.0.is_empty()) || rings_apart(polygon) {
        return true;
    }
    let exterior = Polygon::new(polygon.exterior().clone(), vec![]);
    let prepared_exterior = PreparedGeometry::from(&exterior);
    for (i, hole) in polygon.interiors().iter().enumerate() {
        if hole.0.is_empty() {
            continue;
        }
        let hole_polygon = Polygon::new(hole.clone(), vec![]);
        let prepared_hole = PreparedGeometry::from(&hole_polygon);
        let with_exterior = prepared_exterior.relate(&prepared_hole);
        if !with_exterior.is_contains()
            || with_exterior.get(CoordPos::OnBoundary, CoordPos::OnBoundary)
                == Dimensions::OneDimensional
        {
            return false;
        }
        for other in polygon.interiors().iter().skip(i + 1) {
            if other.0.is_empty() {
                continue;
            }
            let im = prepared_hole.relate(&Polygon::new(other.clone(), vec![]));
            if im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional
                || im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional
            {
                return false;
            }
        }
    }
    true
}

/// Whether the rings of `polygon` share no point, every hole lies inside the exterior and no
/// hole inside another: then geo's `relate` tests of the holes (contained in the exterior, no
/// common line, no common area) all pass, and this is how a sector wedge with its inner arc
/// is checked without them. `false` leaves the answer to those tests.
fn rings_apart(polygon: &Polygon<f64>) -> bool {
    use geo::coordinate_position::CoordinatePosition;
    let rings: Vec<&LineString<f64>> = std::iter::once(polygon.exterior())
        .chain(polygon.interiors())
        .filter(|r| !r.0.is_empty())
        .collect();
    let lines: Vec<(usize, Line<f64>)> = rings
        .iter()
        .enumerate()
        .flat_map(|(r, ring)| ring.lines().map(move |l| (r, l)))
        .collect();
    let boxes: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = lines
        .iter()
        .enumerate()
        .map(|(k, (_, l))| {
            GeomWithData::new(Rectangle::from_corners(l.start.into(), l.end.into()), k)
        })
        .collect();
    let tree = RTree::bulk_load(boxes);
    let touching = lines.iter().any(|(ring, a)| {
        let envelope = AABB::from_corners(a.start.into(), a.end.into());
        tree.locate_in_envelope_intersecting(&envelope)
            .any(|other| {
                let (other_ring, b) = &lines[other.data];
                other_ring != ring && (a.intersects(b) || b.intersects(a))
            })
    });
    if touching {
        return false;
    }
    let shells: Vec<Polygon<f64>> = rings
        .iter()
        .map(|r| Polygon::new((*r).clone(), vec![]))
        .collect();
    let inside = |point: Coord<f64>, shell: &Polygon<f64>| {
        shell.coordinate_position(&point) == CoordPos::Inside
    };
    rings.iter().enumerate().skip(1).all(|(h, hole)| {
        let probe = hole.0[0];
        inside(probe, &shells[0])
            && shells
                .iter()
                .enumerate()
                .skip(1)
                .all(|(k, other)| k == h || !inside(probe, other))
    })
}

/// geo's ring test (two segments intersect, and neither ends where the other starts), over
/// the pairs of segments whose bounding boxes meet: segments that intersect always do.
fn ring_self_intersects(ring: &LineString<f64>) -> bool {
    let lines: Vec<Line<f64>> = ring.lines().collect();
    let boxes: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = lines
        .iter()
        .enumerate()
        .map(|(k, l)| GeomWithData::new(Rectangle::from_corners(l.start.into(), l.end.into()), k))
        .collect();
    let tree = RTree::bulk_load(boxes);
    lines.iter().enumerate().any(|(i, a)| {
        let envelope = AABB::from_corners(a.start.into(), a.end.into());
        tree.locate_in_envelope_intersecting(&envelope)
            .any(|other| {
                let j = other.data;
                let b = &lines[j];
                j > i
                    && a.start != b.end
                    && a.end != b.start
                    && (a.intersects(b) || b.intersects(a))
            })
    })
}

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

    /// A random polygon with up to two holes and a random second part, on a small integer
    /// lattice so that touching, repeated and collinear vertices are common.
    fn lattice_ring(coords: &[(i32, i32)]) -> LineString<f64> {
        let mut ring: LineString<f64> = coords
            .iter()
            .map(|&(x, y)| Coord {
                x: x as f64,
                y: y as f64,
            })
            .collect();
        ring.close();
        ring
    }

    #[test]
    fn is_valid_matches_geo_on_fixed_cases() {
        let square = lattice_ring(&[(0, 0), (4, 0), (4, 4), (0, 4)]);
        let hole = lattice_ring(&[(1, 1), (1, 2), (2, 2), (2, 1)]);
        let touching = lattice_ring(&[(4, 0), (8, 0), (8, 4), (4, 4)]);
        let far = lattice_ring(&[(10, 10), (12, 10), (12, 12)]);
        let spike = lattice_ring(&[(0, 0), (4, 0), (4, 4), (4, 0), (0, 4)]);
        let cases = vec![
            MultiPolygon(vec![Polygon::new(square.clone(), vec![hole.clone()])]),
            MultiPolygon(vec![
                Polygon::new(square.clone(), vec![]),
                Polygon::new(touching, vec![]),
            ]),
            MultiPolygon(vec![
                Polygon::new(square.clone(), vec![]),
                Polygon::new(far, vec![]),
            ]),
            MultiPolygon(vec![
                Polygon::new(square.clone(), vec![]),
                Polygon::new(square.clone(), vec![]),
            ]),
            MultiPolygon(vec![Polygon::new(spike, vec![])]),
            MultiPolygon(vec![Polygon::new(hole, vec![square])]),
            MultiPolygon(vec![]),
        ];
        let answers: Vec<bool> = cases.iter().map(is_valid).collect();
        assert_eq!(
            answers,
            cases.iter().map(|c| c.is_valid()).collect::<Vec<_>>()
        );
        // the cases are not all alike: both answers occur
        assert!(answers.contains(&true) && answers.contains(&false));
    }

    proptest! {
        /// On random multipolygons (shells, holes, second parts on a small lattice) the fast
        /// [`is_valid`] gives geo's answer.
        #[test]
        fn is_valid_agrees_with_geo(
            shell in prop::collection::vec((0i32..8, 0i32..8), 3..9),
            holes in prop::collection::vec(prop::collection::vec((0i32..8, 0i32..8), 3..5), 0..3),
            second in prop::option::of(prop::collection::vec((0i32..10, 0i32..10), 3..6)),
        ) {
            let mut parts = vec![Polygon::new(
                lattice_ring(&shell),
                holes.iter().map(|h| lattice_ring(h)).collect(),
            )];
            if let Some(second) = &second {
                parts.push(Polygon::new(lattice_ring(second), vec![]));
            }
            let shape = MultiPolygon(parts);
            prop_assert_eq!(is_valid(&shape), shape.is_valid(), "{:?}", shape);
        }

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
