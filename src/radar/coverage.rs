//! Which land a scan covers: a land point is covered at a height `H` above ground when some
//! elevation's beam centre passes at most `H` above it (and not below it) with cumulative
//! blockage at most the limit, within range.
//!
//! Each land point is read on the ray of its nearest whole azimuth and the gate whose
//! ground-distance interval holds it; the beam height of that gate is compared with the point's
//! own DEM elevation. Directions and distances come from the region's projected CRS, corrected
//! at the site for the grid convergence and the point scale (a few tens of metres at 75 km in
//! UTM). The nearest whole azimuth comes from a polynomial arctangent, with the exact `atan2`
//! for the few points next to a half-degree boundary ([`LocalFrame::nearest_azimuth`]: the same
//! azimuth as the exact one), and points beyond every ray's last clear gate are skipped.
//! Cost: O(land points within range × elevations) per site: the points are visited
//! tile by tile of the range's box ([`LandSet::near_box`]), not all of them.

use super::RadarError;
use super::config::RadarConfig;
use super::land::LandSet;
use super::sweep::{AZIMUTHS, Polar};
use crate::region::Region;
use crate::zones::ZoneKind;

/// A set of land points, one bit each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointSet {
    words: Vec<u64>,
}

impl PointSet {
    /// An empty set for `n` points.
    pub fn new(n: usize) -> PointSet {
        PointSet {
            words: vec![0; n.div_ceil(64)],
        }
    }

    /// Adds point `i`.
    pub fn insert(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }

    /// Removes point `i`.
    pub fn remove(&mut self, i: usize) {
        if let Some(w) = self.words.get_mut(i / 64) {
            *w &= !(1 << (i % 64));
        }
    }

    /// Number of points in the set.
    pub fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    /// Whether point `i` is in the set.
    pub fn contains(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// Adds every point of `other`.
    pub fn union_with(&mut self, other: &PointSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// Indices of the points in the set, ascending.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(k, &w)| {
            let mut rest = w;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let b = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    k * 64 + b
                })
            })
        })
    }
}

/// The land a site covers at the low and the high height above ground.
#[derive(Debug, Clone)]
pub struct Covered {
    /// Covered at `low_agl_m` (1 km by default).
    pub low: PointSet,
    /// Covered at `high_agl_m` (3 km by default).
    pub high: PointSet,
}

/// Coverage shares of one point set.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Shares {
    /// Covered land, km².
    pub covered_km2: f64,
    /// Share of the region's land, 0..=1.
    pub region: f64,
    /// Share of each county's land, in region order.
    pub by_county: Vec<f64>,
    /// Share of each zone kind's land, for the kinds present.
    pub by_zone: Vec<(ZoneKind, f64)>,
    /// Share of the land in the required base-grid cells.
    pub required_cells_land: f64,
    /// Required base-grid cells with at least half their land covered.
    pub required_cells_half_covered: usize,
}

/// Converts projected offsets from a site into true ground distance and azimuth.
#[derive(Debug, Clone, Copy)]
pub struct LocalFrame {
    x0: f64,
    y0: f64,
    /// Grid bearing of true north, radians.
    north_bearing: f64,
    /// Projected metres per ground metre at the site.
    scale: f64,
}

impl LocalFrame {
    /// The frame at a site.
    ///
    /// # Errors
    /// [`RadarError::Project`] when the site cannot be projected.
    pub fn at(region: &Region, lon: f64, lat: f64) -> Result<LocalFrame, RadarError> {
        let project = |lon: f64, lat: f64| {
            region
                .projection
                .forward(lon, lat)
                .map_err(|e| RadarError::Project {
                    what: format!("site ({lon:.5}, {lat:.5})"),
                    reason: e.to_string(),
                })
        };
        let (x0, y0) = project(lon, lat)?;
        let step = 0.01;
        let (xn, yn) = project(lon, lat + step)?;
        let (xs, ys) = project(lon, lat - step)?;
        let (_, my) = crate::terrain::metres_per_degree(lat);
        let (dx, dy) = (xn - xs, yn - ys);
        Ok(LocalFrame {
            x0,
            y0,
            north_bearing: dx.atan2(dy),
            scale: dx.hypot(dy) / (2.0 * step * my),
        })
    }

    /// Ground distance (metres) and true azimuth (degrees, 0..360) of a projected point.
    pub fn polar(&self, x: f64, y: f64) -> (f64, f64) {
        let (dx, dy) = (x - self.x0, y - self.y0);
        let az = (dx.atan2(dy) - self.north_bearing)
            .to_degrees()
            .rem_euclid(360.0);
        (dx.hypot(dy) / self.scale, az)
    }

    /// The nearest whole azimuth (0..360) of a projected point and its ground distance,
    /// metres: the same azimuth as rounding [`LocalFrame::polar`]'s, found with a polynomial
    /// arctangent (error under [`FAST_ATAN_ERROR_RAD`]) and the exact `atan2` only for a point
    /// within twice that error of a half-degree boundary; the distance with `sqrt` (within an
    /// ulp or so of `hypot`).
    #[inline]
    pub fn nearest_azimuth(&self, x: f64, y: f64) -> (usize, f64) {
        let (dx, dy) = (x - self.x0, y - self.y0);
        let s = (dx * dx + dy * dy).sqrt() / self.scale;
        // In (−180 − bearing, 180 − bearing] degrees, so one turn added makes it non-negative
        // (as `rem_euclid` would, without its remainder call).
        let mut approx = (fast_atan2(dx, dy) - self.north_bearing).to_degrees();
        if approx < 0.0 {
            approx += 360.0;
        }
        let whole = approx as usize;
        let frac = approx - whole as f64;
        let guard = 2.0 * FAST_ATAN_ERROR_RAD.to_degrees();
        let a = if (frac - 0.5).abs() > guard && approx >= 0.0 && approx.is_finite() {
            // Clear of the rounding boundary: the exact azimuth rounds the same way.
            if frac > 0.5 { whole + 1 } else { whole }
        } else {
            self.polar(x, y).1.round() as usize
        };
        (a % AZIMUTHS, s)
    }
}

/// A bound of [`fast_atan2`]'s error, radians (Abramowitz and Stegun 4.4.49 give 2e-8 for the
/// polynomial; the bound leaves room for rounding).
pub const FAST_ATAN_ERROR_RAD: f64 = 1e-7;

/// `y.atan2(x)` within [`FAST_ATAN_ERROR_RAD`] by the polynomial of Abramowitz and Stegun
/// (1964) 4.4.49 on the octant (|error| ≤ 2e-8 there); NaN at the origin.
///
/// # Examples
/// ```
/// use wxmod::radar::coverage::{FAST_ATAN_ERROR_RAD, fast_atan2};
/// assert!((fast_atan2(1.0, -2.0) - 1f64.atan2(-2.0)).abs() < FAST_ATAN_ERROR_RAD);
/// ```
#[inline]
pub fn fast_atan2(y: f64, x: f64) -> f64 {
    use std::f64::consts::{FRAC_PI_2, PI};
    let (ax, ay) = (x.abs(), y.abs());
    let (t, swap) = if ay <= ax {
        (ay / ax, false)
    } else {
        (ax / ay, true)
    };
    let t2 = t * t;
    const C: [f64; 8] = [
        -0.333_331_452_8,
        0.199_935_508_5,
        -0.142_088_994_4,
        0.106_562_639_3,
        -0.075_289_640_0,
        0.042_909_613_8,
        -0.016_165_736_7,
        0.002_866_225_7,
    ];
    let p = t * (1.0 + t2 * C.iter().rev().fold(0.0, |acc, &c| acc * t2 + c));
    let a = if swap { FRAC_PI_2 - p } else { p };
    let a = if x < 0.0 { PI - a } else { a };
    if y < 0.0 { -a } else { a }
}

/// The land a scan covers. The blockage limit is the scan's ([`Polar::cbb_limit`], from the
/// configuration it was made with); `config` gives the heights above ground.
pub fn covered_land(
    polar: &Polar,
    frame: &LocalFrame,
    land: &LandSet,
    config: &RadarConfig,
) -> Covered {
    let n = land.points.len();
    let mut low = PointSet::new(n);
    let mut high = PointSet::new(n);
    let gates = polar.gates;
    let max_r = gates as f64 * polar.gate_m;
    let edges: Vec<Vec<f64>> = (0..polar.elevations_deg.len())
        .map(|e| {
            (0..=gates)
                .map(|g| {
                    polar
                        .beam
                        .ground_distance_m(g as f64 * polar.gate_m, polar.elevations_deg[e])
                })
                .collect()
        })
        .collect();
    let reach = max_r * frame.scale * 1.01;
    // The box a little larger than the disc, so rounding cannot drop a point inside it.
    let half = reach * 1.0001 + 1.0;
    let (lo, hi) = (
        (frame.x0 - half, frame.y0 - half),
        (frame.x0 + half, frame.y0 + half),
    );
    // No gate at or beyond the farthest clear gate of every ray counts: a point that far is
    // not covered on whichever azimuth it lies.
    let clear_m = edges
        .iter()
        .enumerate()
        .flat_map(|(e, edge)| {
            polar.clear_gates[e * AZIMUTHS..(e + 1) * AZIMUTHS]
                .iter()
                .map(move |&c| edge[c.min(gates)])
        })
        .fold(0.0, f64::max);
    for i in land.near_box(lo, hi) {
        let p = &land.points[i];
        let (dx, dy) = (p.x - frame.x0, p.y - frame.y0);
        if dx * dx + dy * dy > reach.powi(2) {
            continue;
        }
        let (a, s) = frame.nearest_azimuth(p.x, p.y);
        if s >= clear_m {
            continue;
        }
        let mut best = f64::INFINITY;
        for (e, edge) in edges.iter().enumerate() {
            let Some(g) = gate_of(edge, s, polar.gate_m) else {
                continue;
            };
            // Gates past `clear_gates` are off the DEM or blocked more than the limit.
            if g >= polar.clear_gates[e * AZIMUTHS + a] {
                continue;
            }
            let agl = polar.antenna_m + polar.beam_rel_m[e * gates + g] - p.z;
            if agl >= 0.0 {
                best = best.min(agl);
            }
        }
        if best <= config.low_agl_m {
            low.insert(i);
        }
        if best <= config.high_agl_m {
            high.insert(i);
        }
    }
    Covered { low, high }
}

/// The gate whose ground-distance interval `[edge[g], edge[g+1])` holds `s`.
fn gate_of(edge: &[f64], s: f64, gate_m: f64) -> Option<usize> {
    let gates = edge.len() - 1;
    if !(s >= 0.0 && s < edge[gates]) {
        return None;
    }
    let mut g = ((s / gate_m) as usize).min(gates - 1);
    while g > 0 && edge[g] > s {
        g -= 1;
    }
    while g + 1 < gates && edge[g + 1] <= s {
        g += 1;
    }
    Some(g)
}

/// The land totals the shares divide by (region, counties, zone kinds, required cells), summed
/// once per land set and reused for every candidate's shares.
#[derive(Debug, Clone)]
pub struct ShareTotals {
    total: f64,
    county: Vec<f64>,
    zone: Vec<f64>,
    cell: Vec<f64>,
    zone_bits: Vec<u8>,
}

impl ShareTotals {
    /// The totals of a land set.
    pub fn of(land: &LandSet) -> ShareTotals {
        let zone_bits: Vec<u8> = land
            .zone_kinds
            .iter()
            .map(|kind| 1 << ZoneKind::ALL.iter().position(|x| x == kind).unwrap_or(0))
            .collect();
        let mut t = ShareTotals {
            total: 0.0,
            county: vec![0.0; land.counties.len()],
            zone: vec![0.0; zone_bits.len()],
            cell: vec![0.0; land.required_cells.len()],
            zone_bits,
        };
        for p in &land.points {
            t.add(p);
        }
        t
    }

    fn add(&mut self, p: &super::land::LandPoint) {
        let w = p.area_km2;
        self.total += w;
        self.county[p.county] += w;
        for (k, bit) in self.zone_bits.iter().enumerate() {
            if p.zones & bit != 0 {
                self.zone[k] += w;
            }
        }
        if let Some(cell) = p.cell {
            self.cell[cell] += w;
        }
    }
}

/// The shares of a covered point set.
pub fn shares(land: &LandSet, set: &PointSet) -> Shares {
    shares_with(land, &ShareTotals::of(land), set)
}

/// The shares of a covered point set with the land's totals summed beforehand: the same
/// numbers as [`shares`] (the same sums in the same order), at the cost of the covered points.
pub fn shares_with(land: &LandSet, totals: &ShareTotals, set: &PointSet) -> Shares {
    let mut covered_sums = ShareTotals {
        total: 0.0,
        county: vec![0.0; totals.county.len()],
        zone: vec![0.0; totals.zone.len()],
        cell: vec![0.0; totals.cell.len()],
        zone_bits: totals.zone_bits.clone(),
    };
    for i in set.iter() {
        if let Some(p) = land.points.get(i) {
            covered_sums.add(p);
        }
    }
    let (total, covered) = (totals.total, covered_sums.total);
    let (county_total, county_cov) = (&totals.county, &covered_sums.county);
    let (zone_total, zone_cov) = (&totals.zone, &covered_sums.zone);
    let (cell_total, cell_cov) = (&totals.cell, &covered_sums.cell);
    let ratio = |v: f64, t: f64| if t > 0.0 { v / t } else { 0.0 };
    Shares {
        covered_km2: covered,
        region: ratio(covered, total),
        by_county: county_cov
            .iter()
            .zip(county_total)
            .map(|(&v, &t)| ratio(v, t))
            .collect(),
        by_zone: land
            .zone_kinds
            .iter()
            .zip(zone_cov.iter().zip(zone_total))
            .map(|(&k, (&v, &t))| (k, ratio(v, t)))
            .collect(),
        required_cells_land: ratio(cell_cov.iter().sum(), cell_total.iter().sum()),
        required_cells_half_covered: cell_cov
            .iter()
            .zip(cell_total)
            .filter(|(v, t)| **t > 0.0 && **v >= 0.5 * **t)
            .count(),
    }
}
