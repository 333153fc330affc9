//! Which county holds each point of a horizontal row of points (点所在县), fast and with the
//! same answer as testing every county with geo's `Contains`.
//!
//! Planners sample the region on lattices (1 km for burner demand): testing each point
//! against every county costs O(points × counties × vertices), which at province scale (117
//! counties, hundreds of thousands of points) is minutes. A [`RowLocator`] instead crosses
//! each county's rings with the row's line once, O(edges) per row, and answers each point by
//! the parity of the crossings to its left. A point within [`EXACT_CHECK_M`] of a crossing
//! (on or next to a border) is decided by `Contains` itself, so the result never differs from
//! the exhaustive test: the first county, in region order, whose boundary strictly contains
//! the point.

use geo::{BoundingRect, Contains, Coord, LineString, Point, Rect};

use super::Region;

/// Points this close to a crossing, metres, are decided by the exact `Contains` test.
pub const EXACT_CHECK_M: f64 = 1e-3;

/// Locates the points of rows of the region in its counties.
pub struct RowLocator<'a> {
    region: &'a Region,
    bounds: Vec<Option<Rect<f64>>>,
}

impl<'a> RowLocator<'a> {
    /// Prepares the county bounding boxes.
    pub fn new(region: &'a Region) -> Self {
        RowLocator {
            region,
            bounds: region
                .counties
                .iter()
                .map(|c| c.shape.bounding_rect())
                .collect(),
        }
    }

    /// For each `x` of the row at height `y` (projected metres), the index of the county
    /// holding `(x, y)`, as `region.counties.iter().position(|c| c.shape.contains(&p))`.
    pub fn locate_row(&self, y: f64, xs: &[f64]) -> Vec<Option<usize>> {
        let mut out: Vec<Option<usize>> = vec![None; xs.len()];
        let mut crossings: Vec<f64> = Vec::new();
        for (index, county) in self.region.counties.iter().enumerate() {
            let Some(b) = self.bounds[index] else {
                continue;
            };
            if y <= b.min().y || y >= b.max().y {
                continue;
            }
            crossings.clear();
            for polygon in &county.shape.0 {
                ring_crossings(polygon.exterior(), y, &mut crossings);
                for hole in polygon.interiors() {
                    ring_crossings(hole, y, &mut crossings);
                }
            }
            crossings.sort_by(f64::total_cmp);
            for (slot, &x) in out.iter_mut().zip(xs) {
                if slot.is_some() || x <= b.min().x || x >= b.max().x {
                    continue;
                }
                let left = crossings.partition_point(|&c| c < x);
                let near = |i: usize| {
                    crossings
                        .get(i)
                        .is_some_and(|c| (c - x).abs() < EXACT_CHECK_M)
                };
                let inside = if near(left) || (left > 0 && near(left - 1)) {
                    county.shape.contains(&Point::new(x, y))
                } else {
                    left % 2 == 1
                };
                if inside {
                    *slot = Some(index);
                }
            }
        }
        out
    }
}

/// The x of every crossing of a ring with the line at height `y` (half-open in y, so a
/// vertex on the line counts once).
fn ring_crossings(ring: &LineString<f64>, y: f64, out: &mut Vec<f64>) {
    for line in ring.lines() {
        let (a, b): (Coord<f64>, Coord<f64>) = (line.start, line.end);
        if (a.y > y) != (b.y > y) {
            out.push(a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::bundled_region_dir;

    /// The bundled Shuozhou region, its counties and the exhaustive test on a 700 m lattice
    /// (an odd spacing, so rows fall on many vertices' heights): both must agree everywhere.
    #[test]
    fn rows_agree_with_testing_every_county() {
        let region = Region::load(&bundled_region_dir(), None).expect("bundled Shuozhou loads");
        let locator = RowLocator::new(&region);
        let b = region.projected_bounds();
        let mut y = b.min().y + 350.0;
        let (mut inside, mut points) = (0, 0);
        while y < b.max().y {
            let xs: Vec<f64> = (0..)
                .map(|i| b.min().x + 350.0 + 700.0 * i as f64)
                .take_while(|x| *x < b.max().x)
                .collect();
            let fast = locator.locate_row(y, &xs);
            for (x, got) in xs.iter().zip(&fast) {
                let p = Point::new(*x, y);
                let want = region.counties.iter().position(|c| c.shape.contains(&p));
                assert_eq!(*got, want, "point ({x}, {y})");
                inside += usize::from(want.is_some());
                points += 1;
            }
            y += 700.0;
        }
        assert!(
            inside > 10_000 && inside < points,
            "{inside} of {points} inside"
        );
    }

    /// A point on a county border, and one a hair inside, are decided exactly.
    #[test]
    fn points_on_a_border_are_decided_exactly() {
        let region = Region::load(&bundled_region_dir(), None).expect("bundled Shuozhou loads");
        let locator = RowLocator::new(&region);
        let ring = region.counties[0].shape.0[0].exterior();
        let line = ring
            .lines()
            .find(|l| (l.start.y - l.end.y).abs() > 10.0)
            .expect("a sloped edge");
        let mid = Coord {
            x: (line.start.x + line.end.x) / 2.0,
            y: (line.start.y + line.end.y) / 2.0,
        };
        let xs = [mid.x, mid.x - 1e-4, mid.x + 1e-4];
        let got = locator.locate_row(mid.y, &xs);
        for (x, got) in xs.iter().zip(got) {
            let p = Point::new(*x, mid.y);
            let want = region.counties.iter().position(|c| c.shape.contains(&p));
            assert_eq!(got, want, "x {x}");
        }
    }
}
