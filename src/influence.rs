//! Effective coverage (有效覆盖): the land that the influence areas of operating sites reach.
//!
//! Each gun, rocket or burner site reaches a disc of its kind's influence radius (catalog;
//! 10 km nominal operation radius). With a wind rose, a burner reaches only downwind: the
//! sectors of the rose directions that blow at least `min_frequency` of the time. Discs are
//! polygons of [`DISC_VERTICES`] vertices whose radius is scaled so that the polygon's area
//! equals the circle's; the remaining shape error is below 0.05% of a disc's area along its rim.
//!
//! Covered area is computed exactly on polygons, one grid-cell piece at a time: an R-tree
//! (rstar) finds the influence areas touching the piece; a piece inside one disc is wholly
//! covered; up to [`MAX_INCLUSION_EXCLUSION`] discs are summed by inclusion–exclusion over
//! convex clips; beyond that the piece's uncovered remainder is cut down disc by disc, nearest
//! the piece's centre first (geo `BooleanOps` difference): a disc that misses the remainder's
//! bounding box is skipped, a disc that holds all of the remainder ends the work, and the piece
//! is done as soon as nothing is left. Only discs that reach the uncovered remainder are ever
//! clipped, so a piece under many overlapping discs costs a few polygon differences, not a
//! union of all of them: the cost grows about linearly with the number of sites (10,000
//! random sites over Shuozhou in about a second, benches/gaps.rs).

use geo::{
    Area, BooleanOps, BoundingRect, Contains, Coord, LineString, MultiPolygon, Point, Polygon, Rect,
};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::catalog::Catalog;
use crate::region::Region;
use crate::sites::{Site, SiteKind};

/// Vertices of an influence disc polygon.
pub const DISC_VERTICES: usize = 96;

/// Wind directions and how often the wind blows from each (风玫瑰).
#[derive(Debug, Clone, PartialEq)]
pub struct WindRose {
    /// (direction the wind blows FROM in degrees clockwise from north, frequency 0..1).
    pub bins: Vec<(f64, f64)>,
    /// A direction counts as downwind influence when its frequency is at least this.
    pub min_frequency: f64,
}

/// A wind-rose file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum WindRoseError {
    /// The file could not be read or a record is malformed.
    #[error("wind rose {path}: {reason}")]
    Invalid {
        /// The file.
        path: std::path::PathBuf,
        /// What is wrong.
        reason: String,
    },
}

impl WindRose {
    /// Reads a CSV `direction_deg,frequency` (frequencies are normalised to sum to 1).
    pub fn read(path: &std::path::Path, min_frequency: f64) -> Result<WindRose, WindRoseError> {
        let bad = |reason: String| WindRoseError::Invalid {
            path: path.to_path_buf(),
            reason,
        };
        let mut reader = csv::Reader::from_path(path).map_err(|e| bad(e.to_string()))?;
        let mut bins = Vec::new();
        for (i, record) in reader.deserialize::<(f64, f64)>().enumerate() {
            let (dir, freq) = record.map_err(|e| bad(format!("line {}: {e}", i + 2)))?;
            if !(0.0..=360.0).contains(&dir) || freq.is_nan() || freq < 0.0 {
                return Err(bad(format!(
                    "line {}: direction must be 0-360 and frequency >= 0",
                    i + 2
                )));
            }
            bins.push((dir, freq));
        }
        let total: f64 = bins.iter().map(|b| b.1).sum();
        if bins.is_empty() || total <= 0.0 {
            return Err(bad("no directions with a positive frequency".into()));
        }
        bins.iter_mut().for_each(|b| b.1 /= total);
        Ok(WindRose {
            bins,
            min_frequency,
        })
    }
}

/// The area one site influences.
#[derive(Debug, Clone)]
pub struct Influence {
    /// Index of the site in the slice given to [`influences`].
    pub site: usize,
    /// Centre in projected metres.
    pub centre: Coord<f64>,
    /// Nominal radius, metres.
    pub radius_m: f64,
    /// Whether the shape is the full disc (enables the whole-cell shortcut).
    pub is_disc: bool,
    /// The influence area, projected metres.
    pub shape: MultiPolygon<f64>,
}

/// A regular polygon with the area of the circle of radius `r` around `centre`, from
/// azimuth `from_deg` to `to_deg` clockwise from north (a full disc for 0..360).
pub fn disc_polygon(centre: Coord<f64>, r: f64, from_deg: f64, to_deg: f64) -> Polygon<f64> {
    let step = 2.0 * std::f64::consts::PI / DISC_VERTICES as f64;
    let scaled = r * (step / step.sin()).sqrt();
    let full = (to_deg - from_deg) >= 360.0;
    let n = if full {
        DISC_VERTICES
    } else {
        ((to_deg - from_deg) / 360.0 * DISC_VERTICES as f64)
            .ceil()
            .max(2.0) as usize
    };
    let mut coords = Vec::with_capacity(n + 2);
    if !full {
        coords.push(centre);
    }
    let count = if full { n } else { n + 1 };
    for i in 0..count {
        let az = (from_deg + (to_deg - from_deg) * i as f64 / n as f64).to_radians();
        coords.push(Coord {
            x: centre.x + scaled * az.sin(),
            y: centre.y + scaled * az.cos(),
        });
    }
    // Counter-clockwise exterior: azimuths run clockwise, so reverse.
    coords.reverse();
    Polygon::new(LineString::from(coords), vec![])
}

/// The downwind sector a burner reaches when no wind rose is given: centred on the direction
/// the prevailing wind blows to (DOMAIN.md: burner influence radius 10 km downwind \[A\]).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct DownwindSector {
    /// Direction the prevailing wind blows from, degrees clockwise from north \[A\] 315.
    pub wind_from_deg: f64,
    /// Width of the sector, degrees \[A\] 180.
    pub sector_deg: f64,
}

impl Default for DownwindSector {
    fn default() -> Self {
        DownwindSector {
            wind_from_deg: 315.0,
            sector_deg: 180.0,
        }
    }
}

impl DownwindSector {
    /// One line for reports, e.g. `180° sector downwind of a 315° wind [A]`.
    pub fn describe(&self) -> String {
        format!(
            "a {:.0}° sector downwind of the prevailing wind from {:.0}° [A]",
            self.sector_deg, self.wind_from_deg
        )
    }
}

/// How a burner's influence area is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BurnerShape<'a> {
    /// The full disc of the influence radius.
    Disc,
    /// The downwind sector of the prevailing wind (the siting planner's model).
    Downwind(DownwindSector),
    /// The downwind sectors of the rose directions blowing at least its `min_frequency`.
    Rose(&'a WindRose),
}

/// The influence areas of the sites that seed (guns, rockets, burners; mobile systems are
/// left out, as they have no fixed place), in projected metres. Burners follow the wind rose
/// when one is given, else reach full discs (see [`influences_shaped`] for the downwind model).
pub fn influences(
    sites: &[&Site],
    region: &Region,
    catalog: &Catalog,
    wind: Option<&WindRose>,
) -> Vec<Influence> {
    let shape = wind.map_or(BurnerShape::Disc, BurnerShape::Rose);
    influences_shaped(sites, region, catalog, shape)
}

/// The influence areas of the seeding sites, burners drawn as `burner` says.
pub fn influences_shaped(
    sites: &[&Site],
    region: &Region,
    catalog: &Catalog,
    burner: BurnerShape,
) -> Vec<Influence> {
    let mut out = Vec::new();
    for (i, site) in sites.iter().enumerate() {
        if !matches!(
            site.kind,
            SiteKind::FixedRocket | SiteKind::FixedGun | SiteKind::Burner
        ) {
            continue;
        }
        let spec = catalog.kind(site.kind);
        let r = spec.influence_radius_m();
        if r <= 0.0 {
            continue;
        }
        let Ok((x, y)) = region.projection.forward(site.lon, site.lat) else {
            continue;
        };
        let centre = Coord { x, y };
        let (shape, is_disc) = match (site.kind, burner) {
            (SiteKind::Burner, BurnerShape::Rose(rose)) => (downwind_shape(centre, r, rose), false),
            (SiteKind::Burner, BurnerShape::Downwind(d)) if d.sector_deg < 360.0 => {
                let to = (d.wind_from_deg + 180.0).rem_euclid(360.0);
                let half = d.sector_deg / 2.0;
                (
                    MultiPolygon(vec![disc_polygon(centre, r, to - half, to + half)]),
                    false,
                )
            }
            _ => (
                MultiPolygon(vec![disc_polygon(centre, r, 0.0, 360.0)]),
                true,
            ),
        };
        out.push(Influence {
            site: i,
            centre,
            radius_m: r,
            is_disc,
            shape,
        });
    }
    out
}

/// The union of downwind sectors for rose directions blowing at least `min_frequency`.
fn downwind_shape(centre: Coord<f64>, r: f64, rose: &WindRose) -> MultiPolygon<f64> {
    let width = 360.0 / rose.bins.len().max(1) as f64;
    let sectors: Vec<Polygon<f64>> = rose
        .bins
        .iter()
        .filter(|(_, f)| *f >= rose.min_frequency)
        .map(|(from, _)| {
            let downwind = (from + 180.0) % 360.0;
            disc_polygon(centre, r, downwind - width / 2.0, downwind + width / 2.0)
        })
        .collect();
    geo::unary_union(&sectors)
}

type Indexed = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Up to this many discs touching a piece of land, the covered area is summed by
/// inclusion–exclusion over convex clips (2^k - 1 terms); more go through polygon union.
const MAX_INCLUSION_EXCLUSION: usize = 4;

/// Area of `land` within the union of convex discs, by inclusion–exclusion: the land is clipped
/// by each disc of a subset in turn (Sutherland–Hodgman against a convex polygon keeps the
/// signed area exact, bridges and holes included); subsets of discs that cannot meet are
/// skipped.
fn inclusion_exclusion_area(land: &MultiPolygon<f64>, discs: &[&Influence]) -> f64 {
    let k = discs.len();
    let meets = |a: &Influence, b: &Influence| {
        (a.centre.x - b.centre.x).hypot(a.centre.y - b.centre.y) < (a.radius_m + b.radius_m) * 1.001
    };
    let rings: Vec<Vec<Coord<f64>>> = land
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(|r| r.0[..r.0.len().saturating_sub(1)].to_vec())
        .collect();
    let mut total = 0.0;
    for mask in 1u32..(1 << k) {
        let members: Vec<&Influence> = (0..k)
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| discs[i])
            .collect();
        let pairwise = members
            .iter()
            .enumerate()
            .all(|(i, a)| members[i + 1..].iter().all(|b| meets(a, b)));
        if !pairwise {
            continue;
        }
        let area: f64 = rings
            .iter()
            .map(|ring| {
                let mut clipped = ring.clone();
                for disc in &members {
                    clipped = clip_to_convex(&clipped, &disc.shape.0[0].exterior().0);
                    if clipped.len() < 3 {
                        return 0.0;
                    }
                }
                ring_signed_area(&clipped)
            })
            .sum();
        total += if members.len() % 2 == 1 { area } else { -area };
    }
    total
}

/// Sutherland–Hodgman clipping of an open ring by a convex, counter-clockwise closed polygon.
fn clip_to_convex(ring: &[Coord<f64>], convex: &[Coord<f64>]) -> Vec<Coord<f64>> {
    let (mut lo, mut hi) = (
        Coord {
            x: f64::INFINITY,
            y: f64::INFINITY,
        },
        Coord {
            x: f64::NEG_INFINITY,
            y: f64::NEG_INFINITY,
        },
    );
    for c in ring {
        lo = Coord {
            x: lo.x.min(c.x),
            y: lo.y.min(c.y),
        };
        hi = Coord {
            x: hi.x.max(c.x),
            y: hi.y.max(c.y),
        };
    }
    let mut current = ring.to_vec();
    for edge in convex.windows(2) {
        let (a, b) = (edge[0], edge[1]);
        let side = |c: &Coord<f64>| (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
        // An edge whose inner half-plane holds the whole ring's box cuts nothing.
        let corners = [
            lo,
            hi,
            Coord { x: lo.x, y: hi.y },
            Coord { x: hi.x, y: lo.y },
        ];
        if corners.iter().all(|c| side(c) >= 0.0) {
            continue;
        }
        let mut out = Vec::with_capacity(current.len() + 4);
        let Some(mut prev) = current.last().copied() else {
            return out;
        };
        let mut prev_side = side(&prev);
        for &cur in &current {
            let cur_side = side(&cur);
            if (cur_side >= 0.0) != (prev_side >= 0.0) {
                let t = prev_side / (prev_side - cur_side);
                out.push(Coord {
                    x: prev.x + (cur.x - prev.x) * t,
                    y: prev.y + (cur.y - prev.y) * t,
                });
            }
            if cur_side >= 0.0 {
                out.push(cur);
            }
            prev = cur;
            prev_side = cur_side;
        }
        if out.len() < 3 {
            return out;
        }
        current = out;
    }
    current
}

/// Signed (shoelace) area of an open ring: positive when counter-clockwise.
fn ring_signed_area(ring: &[Coord<f64>]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a.x * b.y - b.x * a.y
        })
        .sum::<f64>()
        / 2.0
}

/// Influence areas indexed for the question "how much of this piece of land is covered?".
pub struct CoverageIndex {
    influences: Vec<Influence>,
    tree: RTree<Indexed>,
}

impl CoverageIndex {
    /// Indexes influence areas (an rstar R-tree over their bounding boxes).
    pub fn new(influences: Vec<Influence>) -> CoverageIndex {
        let entries = influences
            .iter()
            .enumerate()
            .filter_map(|(i, inf)| {
                let b = inf.shape.bounding_rect()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners([b.min().x, b.min().y], [b.max().x, b.max().y]),
                    i,
                ))
            })
            .collect();
        CoverageIndex {
            influences,
            tree: RTree::bulk_load(entries),
        }
    }

    /// The indexed influence areas.
    pub fn influences(&self) -> &[Influence] {
        &self.influences
    }

    fn touching(&self, rect: &Rect<f64>) -> Vec<&Influence> {
        let envelope =
            AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]);
        let mut found: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&envelope)
            .map(|e| e.data)
            .collect();
        found.sort_unstable();
        found.into_iter().map(|i| &self.influences[i]).collect()
    }

    /// Whether one disc covers the whole rectangle.
    fn one_disc_covers(touching: &[&Influence], rect: &Rect<f64>) -> bool {
        touching
            .iter()
            .any(|inf| holds_all(inf, rect_corners(rect).iter()))
    }

    /// Area of `land` (which lies within `rect`) covered by any influence area, m².
    pub fn covered_area(
        &self,
        land: &MultiPolygon<f64>,
        land_area_m2: f64,
        rect: &Rect<f64>,
    ) -> f64 {
        let touching = self.touching(rect);
        if touching.is_empty() {
            return 0.0;
        }
        if Self::one_disc_covers(&touching, rect) {
            return land_area_m2;
        }
        if touching.len() <= MAX_INCLUSION_EXCLUSION && touching.iter().all(|inf| inf.is_disc) {
            return inclusion_exclusion_area(land, &touching).clamp(0.0, land_area_m2);
        }
        let left = remainder(crate::grid::clean(land), touching, rect);
        (land_area_m2 - left.unsigned_area()).clamp(0.0, land_area_m2)
    }

    /// The part of `land` (within `rect`) that no influence area reaches.
    pub fn uncovered(&self, land: &MultiPolygon<f64>, rect: &Rect<f64>) -> MultiPolygon<f64> {
        let touching = self.touching(rect);
        if touching.is_empty() {
            return crate::grid::clean(land);
        }
        if Self::one_disc_covers(&touching, rect) {
            return MultiPolygon(Vec::new());
        }
        remainder(crate::grid::clean(land), touching, rect)
    }
}

fn rect_corners(rect: &Rect<f64>) -> [Coord<f64>; 4] {
    [
        rect.min(),
        rect.max(),
        Coord {
            x: rect.min().x,
            y: rect.max().y,
        },
        Coord {
            x: rect.max().x,
            y: rect.min().y,
        },
    ]
}

/// Whether an influence area holds every point (for a disc, whose polygon is convex, it then
/// holds every shape with those vertices). A point within the disc polygon's inscribed circle
/// is inside without a polygon test.
fn holds_all<'a>(inf: &Influence, mut points: impl Iterator<Item = &'a Coord<f64>>) -> bool {
    if !inf.is_disc {
        return false;
    }
    let step = std::f64::consts::PI / DISC_VERTICES as f64;
    let scaled = inf.radius_m * ((2.0 * step) / (2.0 * step).sin()).sqrt();
    let inscribed_2 = (scaled * step.cos()).powi(2) * (1.0 - 1e-12);
    points.all(|c| {
        let d2 = (c.x - inf.centre.x).powi(2) + (c.y - inf.centre.y).powi(2);
        d2 <= inscribed_2 || inf.shape.contains(&Point::from(*c))
    })
}

/// What is left of `land` (clean) after removing the influence areas touching `rect`: nearest
/// the centre of `rect` first, skipping areas that miss the remainder's box, stopping when an
/// area holds all of it or nothing is left.
fn remainder(
    land: MultiPolygon<f64>,
    mut touching: Vec<&Influence>,
    rect: &Rect<f64>,
) -> MultiPolygon<f64> {
    let centre = rect.center();
    touching.sort_by(|a, b| {
        let da = (a.centre.x - centre.x).hypot(a.centre.y - centre.y);
        let db = (b.centre.x - centre.x).hypot(b.centre.y - centre.y);
        da.total_cmp(&db)
    });
    let mut left = land;
    for inf in touching {
        let Some(bounds) = left.bounding_rect() else {
            return MultiPolygon(Vec::new());
        };
        let Some(reach) = inf.shape.bounding_rect() else {
            continue;
        };
        if reach.max().x < bounds.min().x
            || reach.min().x > bounds.max().x
            || reach.max().y < bounds.min().y
            || reach.min().y > bounds.max().y
        {
            continue;
        }
        if holds_all(inf, left.0.iter().flat_map(|p| p.exterior().0.iter())) {
            return MultiPolygon(Vec::new());
        }
        left = left.difference(&inf.shape);
    }
    left
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_disc_polygon_has_the_circle_area() {
        let p = disc_polygon(Coord { x: 0.0, y: 0.0 }, 10_000.0, 0.0, 360.0);
        let circle = std::f64::consts::PI * 1e8;
        assert!((p.unsigned_area() - circle).abs() / circle < 1e-12);
        assert!(p.exterior().is_closed());
        assert!(p.signed_area() > 0.0, "counter-clockwise");
    }

    proptest::proptest! {
        /// Inclusion–exclusion over convex clips agrees with geo's polygon union.
        #[test]
        fn inclusion_exclusion_agrees_with_union(
            centres in proptest::collection::vec((-12_000.0f64..12_000.0, -12_000.0f64..12_000.0), 1..=4),
            hole in proptest::bool::ANY,
        ) {
            let influences: Vec<Influence> = centres
                .iter()
                .enumerate()
                .map(|(i, &(x, y))| {
                    let centre = Coord { x, y };
                    Influence { site: i, centre, radius_m: 8_000.0, is_disc: true, shape: MultiPolygon(vec![disc_polygon(centre, 8_000.0, 0.0, 360.0)]) }
                })
                .collect();
            // An L-shaped piece of land, optionally with a hole.
            let exterior = LineString::from(vec![(0.0, 0.0), (10_000.0, 0.0), (10_000.0, 4_000.0), (4_000.0, 4_000.0), (4_000.0, 10_000.0), (0.0, 10_000.0), (0.0, 0.0)]);
            let holes = if hole { vec![LineString::from(vec![(1_000.0, 1_000.0), (1_000.0, 2_000.0), (2_000.0, 2_000.0), (2_000.0, 1_000.0), (1_000.0, 1_000.0)])] } else { vec![] };
            let land = MultiPolygon(vec![Polygon::new(exterior, holes)]);
            let refs: Vec<&Influence> = influences.iter().collect();
            let fast = inclusion_exclusion_area(&land, &refs);
            let pieces: Vec<Polygon<f64>> = influences.iter().flat_map(|i| i.shape.0.clone()).collect();
            let slow = geo::unary_union(&pieces).intersection(&land).unsigned_area();
            proptest::prop_assert!((fast - slow).abs() < 1e-6 * land.unsigned_area() + 1.0, "{fast} vs {slow}");
        }
    }

    #[test]
    fn a_sector_points_downwind() {
        // Wind from the north-west (315) blows to the south-east (135).
        let rose = WindRose {
            bins: vec![(315.0, 0.6), (135.0, 0.05), (45.0, 0.35)],
            min_frequency: 0.5,
        };
        let shape = downwind_shape(Coord { x: 0.0, y: 0.0 }, 10_000.0, &rose);
        assert!(shape.contains(&Point::new(5000.0, -5000.0)));
        assert!(!shape.contains(&Point::new(-5000.0, 5000.0)));
    }
}
