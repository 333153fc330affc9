//! The azimuths a protected object blocks, computed exactly in the site's local frame.
//!
//! Frame: metres, origin at the site, x east, y true north; an azimuth α (degrees clockwise
//! from north) points along (sin α, cos α). The debris of one shot at azimuth α falls on the
//! radial segment `[r_min, r_max]` of the fall band; the shot is unsafe when that segment comes
//! within `buffer` (the object's radius plus the 200 m margin) of the object.
//!
//! Discs (closed form). For a disc of radius R at distance d and bearing θ, the circle of
//! radius ρ around the site meets the disc within ±φ(ρ) of θ, where
//! cos φ = (ρ² + d² − R²) / (2ρd). Over ρ in `[max(r_min, d−R), min(r_max, d+R)]` φ is largest
//! at the tangent radius ρ* = √(d² − R²) (clamped to that range) when the site lies outside the
//! disc, and at the smallest ρ when it lies inside; if that smallest ρ is within R − d of the
//! site, the whole circle is blocked. The blocked arc is [θ − φ, θ + φ]. O(1).
//!
//! Polygons (exact). A polygon buffered by R is the polygon itself, plus for every edge the
//! rectangle swept by the edge's normal offset ±R, plus a disc of radius R at every vertex; the
//! blocked set is the union of the pieces' sets. For a polygon piece the set of blocked
//! azimuths changes only at "critical" azimuths: vertices inside the annulus and crossings of
//! edges with the circles r_min and r_max (edges and rays are straight, arcs are centred on the
//! site, so nothing else can start or end a blocked run). Each critical azimuth is blocked; each
//! gap between two is blocked iff its middle ray meets the piece. O(n²) for n vertices.
//!
//! Bins. An azimuth bin [kΔ, (k+1)Δ] (closed) is forbidden iff it meets a blocked arc, so the
//! closed union of the allowed bins touches no protected object.

use geo::{Coord, Intersects, Line, LineString, Polygon};

/// The debris fall band (落弹区) of a gun or launcher: radii from the site, metres.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct FallBand {
    /// Inner radius, metres (0 for rockets).
    pub min_m: f64,
    /// Outer radius, metres.
    pub max_m: f64,
}

/// A protected object's shape in a site's local frame (metres, x east, y true north).
#[derive(Debug, Clone, PartialEq)]
pub enum LocalShape {
    /// A point; its radius comes with the buffer.
    Point(Coord<f64>),
    /// A polygon (holes allowed).
    Polygon(Polygon<f64>),
}

/// A closed arc of azimuths from `lo` clockwise to `hi`, degrees, `lo <= hi <= lo + 360`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BlockedArc {
    /// Start, degrees (any real; taken modulo 360).
    pub lo: f64,
    /// End, degrees, at least `lo`; `hi - lo >= 360` is the full circle.
    pub hi: f64,
}

impl BlockedArc {
    /// The full circle.
    pub const FULL: BlockedArc = BlockedArc { lo: 0.0, hi: 360.0 };
}

/// The azimuth (degrees clockwise from north, in [0, 360)) of a local point.
pub fn azimuth_of(x: f64, y: f64) -> f64 {
    x.atan2(y).to_degrees().rem_euclid(360.0)
}

/// The arcs of azimuths whose fall-band segment comes within `buffer` metres of `shape`,
/// appended to `out`.
///
/// # Examples
/// ```
/// use wxmod::sectors::{blocked_arcs, FallBand, LocalShape};
/// // A town 5 km due east, 1 km in radius with the 200 m margin: blocked within ±13.9°.
/// let mut arcs = Vec::new();
/// let band = FallBand { min_m: 0.0, max_m: 10_000.0 };
/// blocked_arcs(&LocalShape::Point(geo::coord! { x: 5000.0, y: 0.0 }), 1200.0, band, &mut arcs);
/// let half = (1200.0f64 / 5000.0).asin().to_degrees();
/// assert!((arcs[0].lo - (90.0 - half)).abs() < 1e-9 && (arcs[0].hi - (90.0 + half)).abs() < 1e-9);
/// ```
pub fn blocked_arcs(shape: &LocalShape, buffer: f64, band: FallBand, out: &mut Vec<BlockedArc>) {
    match shape {
        LocalShape::Point(c) => out.extend(disc_arc(*c, buffer, band)),
        LocalShape::Polygon(polygon) => {
            polygon_arcs(polygon, band, out);
            if buffer > 0.0 {
                for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                    for line in ring.lines() {
                        out.extend(disc_arc(line.start, buffer, band));
                        if let Some(rect) = swept_rectangle(line, buffer) {
                            polygon_arcs(&rect, band, out);
                        }
                    }
                }
            }
        }
    }
}

/// The blocked arc of a disc of radius `radius` centred at `centre` (closed form).
fn disc_arc(centre: Coord<f64>, radius: f64, band: FallBand) -> Option<BlockedArc> {
    let d = centre.x.hypot(centre.y);
    let a = band.min_m.max(d - radius);
    let b = band.max_m.min(d + radius);
    if a > b {
        return None;
    }
    if d <= radius && a <= radius - d {
        return Some(BlockedArc::FULL);
    }
    // Here d > 0 and the nearest usable radius a > 0.
    let rho = if d > radius {
        (d * d - radius * radius).sqrt().clamp(a, b)
    } else {
        a
    };
    let cos_phi = ((rho * rho + d * d - radius * radius) / (2.0 * rho * d)).clamp(-1.0, 1.0);
    let phi = cos_phi.acos().to_degrees();
    if phi >= 180.0 {
        return Some(BlockedArc::FULL);
    }
    let theta = azimuth_of(centre.x, centre.y);
    Some(BlockedArc {
        lo: theta - phi,
        hi: theta + phi,
    })
}

/// The rectangle swept by moving a segment ±`r` along its normal; `None` for a zero-length edge.
fn swept_rectangle(line: Line<f64>, r: f64) -> Option<Polygon<f64>> {
    let (dx, dy) = (line.end.x - line.start.x, line.end.y - line.start.y);
    let len = dx.hypot(dy);
    if len == 0.0 {
        return None;
    }
    let (nx, ny) = (-dy / len * r, dx / len * r);
    let p = |c: Coord<f64>, s: f64| Coord {
        x: c.x + s * nx,
        y: c.y + s * ny,
    };
    Some(Polygon::new(
        LineString::new(vec![
            p(line.start, 1.0),
            p(line.end, 1.0),
            p(line.end, -1.0),
            p(line.start, -1.0),
            p(line.start, 1.0),
        ]),
        vec![],
    ))
}

/// The fall-band segment along azimuth `az` (degrees).
fn band_segment(az: f64, band: FallBand) -> Line<f64> {
    let (s, c) = az.to_radians().sin_cos();
    Line::new(
        Coord {
            x: band.min_m * s,
            y: band.min_m * c,
        },
        Coord {
            x: band.max_m * s,
            y: band.max_m * c,
        },
    )
}

/// Exact blocked arcs of an unbuffered polygon by its critical azimuths.
fn polygon_arcs(polygon: &Polygon<f64>, band: FallBand, out: &mut Vec<BlockedArc>) {
    let mut critical = Vec::new();
    let in_band = |c: Coord<f64>| {
        let r = c.x.hypot(c.y);
        band.min_m <= r && r <= band.max_m
    };
    for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
        for line in ring.lines() {
            if in_band(line.start) {
                critical.push(azimuth_of(line.start.x, line.start.y));
            }
            for radius in [band.min_m, band.max_m] {
                if radius > 0.0 {
                    circle_crossings(line, radius, &mut critical);
                }
            }
        }
    }
    let meets = |az: f64| band_segment(az, band).intersects(polygon);
    if critical.is_empty() {
        if meets(0.0) {
            out.push(BlockedArc::FULL);
        }
        return;
    }
    critical.sort_by(f64::total_cmp);
    critical.dedup();
    for (i, &lo) in critical.iter().enumerate() {
        let hi = match critical.get(i + 1) {
            Some(&next) => next,
            None => critical[0] + 360.0,
        };
        if hi > lo && meets((lo + hi) / 2.0) {
            out.push(BlockedArc { lo, hi });
        } else {
            out.push(BlockedArc { lo, hi: lo });
        }
    }
}

/// Azimuths where a segment crosses the circle of `radius` around the site.
fn circle_crossings(line: Line<f64>, radius: f64, out: &mut Vec<f64>) {
    let (a, d) = (line.start, line.delta());
    let qa = d.x * d.x + d.y * d.y;
    if qa == 0.0 {
        return;
    }
    let qb = 2.0 * (a.x * d.x + a.y * d.y);
    let qc = a.x * a.x + a.y * a.y - radius * radius;
    let disc = qb * qb - 4.0 * qa * qc;
    if disc < 0.0 {
        return;
    }
    let root = disc.sqrt();
    for t in [(-qb - root) / (2.0 * qa), (-qb + root) / (2.0 * qa)] {
        if (0.0..=1.0).contains(&t) {
            out.push(azimuth_of(a.x + t * d.x, a.y + t * d.y));
        }
    }
}

/// The bins (of `step` degrees, `n` of them) a blocked arc meets, as a first bin and a count
/// (`count == n` for the full circle). Bin k is the closed arc [k·step, (k+1)·step].
pub(crate) fn arc_bins(arc: BlockedArc, step: f64, n: usize) -> (usize, usize) {
    if arc.hi - arc.lo >= 360.0 {
        return (0, n);
    }
    let first = (arc.lo / step).ceil() as i64 - 1;
    let last = (arc.hi / step).floor() as i64;
    let count = (last - first + 1).clamp(1, n as i64) as usize;
    (first.rem_euclid(n as i64) as usize, count)
}

/// Whether a wedge of `width_deg` over the band holds the rectangle `radial_m` (along the
/// wedge's bisector) × `tangential_m` (across it).
///
/// The rectangle is pushed outwards until its far corners touch the outer circle: its near
/// edge then lies at ρ = √(r_max² − (w/2)²) − L, which must be at least r_min, and its near
/// corners subtend atan((w/2)/ρ) on each side of the bisector, which must fit in half the
/// wedge.
///
/// # Examples
/// ```
/// use wxmod::sectors::{rectangle_fits, FallBand};
/// let gun = FallBand { min_m: 2000.0, max_m: 7000.0 };
/// // 1500 x 1000 m needs about 10.4 degrees in the 2-7 km band.
/// assert!(rectangle_fits(11.0, gun, 1500.0, 1000.0));
/// assert!(!rectangle_fits(10.0, gun, 1500.0, 1000.0));
/// ```
pub fn rectangle_fits(width_deg: f64, band: FallBand, radial_m: f64, tangential_m: f64) -> bool {
    let half_w = tangential_m / 2.0;
    if half_w > band.max_m {
        return false;
    }
    let rho = (band.max_m * band.max_m - half_w * half_w).sqrt() - radial_m;
    if rho < band.min_m {
        return false;
    }
    if width_deg >= 360.0 {
        return true;
    }
    half_w.atan2(rho).to_degrees() <= width_deg / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{coord, polygon};

    const ROCKET: FallBand = FallBand {
        min_m: 0.0,
        max_m: 10_000.0,
    };
    const GUN: FallBand = FallBand {
        min_m: 2_000.0,
        max_m: 7_000.0,
    };

    fn arcs(shape: LocalShape, buffer: f64, band: FallBand) -> Vec<BlockedArc> {
        let mut out = Vec::new();
        blocked_arcs(&shape, buffer, band, &mut out);
        out
    }

    #[test]
    fn a_disc_over_the_site_blocks_everything() {
        let a = arcs(
            LocalShape::Point(coord! { x: 100.0, y: 0.0 }),
            500.0,
            ROCKET,
        );
        assert_eq!(a, vec![BlockedArc::FULL]);
    }

    #[test]
    fn a_disc_over_the_site_inside_the_inner_radius_blocks_partly() {
        // Site 1 km from the centre of a 2.2 km disc; the gun band starts at 2 km, whose
        // circle leaves the disc on the far side: cos φ = (2² + 1² − 2.2²) / (2·2·1).
        let a = arcs(LocalShape::Point(coord! { x: 0.0, y: 1000.0 }), 2200.0, GUN);
        assert_eq!(a.len(), 1);
        let phi = (0.16f64 / 4.0).acos().to_degrees();
        assert!(
            (a[0].hi - phi).abs() < 1e-9 && (a[0].lo + phi).abs() < 1e-9,
            "{a:?}"
        );
        // A disc wholly inside the inner radius blocks nothing.
        assert!(arcs(LocalShape::Point(coord! { x: 0.0, y: 300.0 }), 1000.0, GUN).is_empty());
    }

    #[test]
    fn a_disc_beyond_the_band_blocks_nothing_and_a_grazing_one_a_point() {
        assert!(
            arcs(
                LocalShape::Point(coord! { x: 0.0, y: 10_600.0 }),
                500.0,
                ROCKET
            )
            .is_empty()
        );
        let a = arcs(
            LocalShape::Point(coord! { x: 0.0, y: 10_500.0 }),
            500.0,
            ROCKET,
        );
        assert!(a[0].hi - a[0].lo < 1e-6, "{a:?}");
    }

    #[test]
    fn a_disc_straddling_the_outer_edge_is_limited_by_it() {
        // Centre at 10.5 km, radius 1 km: the tangent radius √(10.5² − 1) = 10.45 km lies
        // beyond r_max, so the outer circle limits the arc: cos φ = (r² + d² − R²) / (2rd).
        let a = arcs(
            LocalShape::Point(coord! { x: 0.0, y: 10_500.0 }),
            1000.0,
            ROCKET,
        );
        let expected = ((1e8 + 10_500f64.powi(2) - 1e6) / (2e4 * 10_500.0))
            .acos()
            .to_degrees();
        assert!(expected < (1.0f64 / 10.5).asin().to_degrees());
        assert!((a[0].hi - expected).abs() < 1e-9, "{a:?} {expected}");
    }

    #[test]
    fn a_square_polygon_blocks_its_angular_extent() {
        // Square 4-6 km east, -1..1 km north: extent atan(1/4) on both sides of east.
        let sq = polygon![(x: 4000.0, y: -1000.0), (x: 6000.0, y: -1000.0),
                          (x: 6000.0, y: 1000.0), (x: 4000.0, y: 1000.0)];
        let a = arcs(LocalShape::Polygon(sq), 0.0, ROCKET);
        let lo = a.iter().map(|a| a.lo).fold(f64::MAX, f64::min);
        let hi = a.iter().map(|a| a.hi).fold(f64::MIN, f64::max);
        let half = (0.25f64).atan().to_degrees();
        assert!((lo - (90.0 - half)).abs() < 1e-9 && (hi - (90.0 + half)).abs() < 1e-9);
    }

    #[test]
    fn a_polygon_around_the_site_blocks_everything() {
        let sq = polygon![(x: -100.0, y: -100.0), (x: 100.0, y: -100.0),
                          (x: 100.0, y: 100.0), (x: -100.0, y: 100.0)];
        let a = arcs(LocalShape::Polygon(sq), 0.0, ROCKET);
        let mut bins = vec![false; 360];
        for arc in a {
            let (first, count) = arc_bins(arc, 1.0, 360);
            for k in 0..count {
                bins[(first + k) % 360] = true;
            }
        }
        assert!(bins.iter().all(|b| *b));
    }

    #[test]
    fn bins_touching_an_arc_end_are_forbidden() {
        assert_eq!(arc_bins(BlockedArc { lo: 2.5, hi: 5.5 }, 1.0, 360), (2, 4));
        assert_eq!(arc_bins(BlockedArc { lo: 3.0, hi: 5.0 }, 1.0, 360), (2, 4));
        assert_eq!(
            arc_bins(BlockedArc { lo: -2.5, hi: 1.5 }, 1.0, 360),
            (357, 5)
        );
        assert_eq!(arc_bins(BlockedArc::FULL, 1.0, 360), (0, 360));
    }

    #[test]
    fn the_minimum_rectangle_fits_as_computed() {
        // Rockets 0-10 km, 1500 x 1000 m: ρ = √(10000² − 500²) − 1500.
        let rho = (1e8f64 - 250_000.0).sqrt() - 1500.0;
        let need = 2.0 * 500f64.atan2(rho).to_degrees();
        assert!(rectangle_fits(need + 1e-9, ROCKET, 1500.0, 1000.0));
        assert!(!rectangle_fits(need - 1e-6, ROCKET, 1500.0, 1000.0));
        // A band narrower than the radial side never fits.
        let thin = FallBand {
            min_m: 6000.0,
            max_m: 7000.0,
        };
        assert!(!rectangle_fits(360.0, thin, 1500.0, 1000.0));
    }
}
