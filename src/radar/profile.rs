//! The terrain profile under one ray, sampled every gate spacing of ground distance: eagerly
//! for the full scan, lazily for the candidate lattice, where a segment of samples is read from
//! the DEM only when a question about it cannot be answered from an upper bound of its terrain.
//!
//! A ray's samples are grouped in segments of [`CONTROL_EVERY`] between two exact great-circle
//! points (the control points), the samples linear in lon/lat between them. Every sample of a
//! segment is a bilinear blend of DEM cells inside the lon/lat box of its chord, so the highest
//! of those cells bounds the segment's terrain from above ([`DemSampler::chord_max`], about 16
//! cell reads instead of 8 bilinear samples). The lattice scan asks two questions of a segment:
//! can its terrain raise the horizon angle, and can it reach into a block of gates' beam? When
//! the bound says no, the segment is never sampled; otherwise [`Profile::ensure`] samples it
//! exactly as the eager profile does. A segment whose box leaves the DEM or holds a cell
//! without data is sampled at once (where the ray may end), so every answer is the eager
//! profile's (tests/it/radar/fast.rs). [`DemSampler`] is [`Dem::elevation`] bit for bit.

use crate::terrain::Dem;

/// Exact great-circle points are computed every this many profile samples.
pub const CONTROL_EVERY: usize = 8;

/// Margin of the chord box, degrees: far more than the rounding of the linear interpolation
/// between control points (about 1e-14°), so every sample lies inside the box.
const BOX_MARGIN_DEG: f64 = 1e-9;

/// Added to a segment's terrain bound, metres: the bound stays above every sample even if a
/// blend were rounded up (it is not: the blend of two values never exceeds the larger).
const BOUND_MARGIN_M: f64 = 1e-6;

/// [`Dem::elevation`] without its per-call overhead: the same arithmetic on the raw cells, so
/// the same value bit for bit (a truncating cast is the floor here: the indices are never
/// negative), and `Dem::elevation` itself next to missing data.
///
/// # Examples
/// ```
/// use wxmod::radar::sweep::DemSampler;
/// use wxmod::terrain::Dem;
/// let dem = Dem::new(2, 2, 0.0, 2.0, 1.0, vec![100.0, 300.0, 200.0, 400.0]);
/// let fast = DemSampler::new(&dem);
/// assert_eq!(fast.elevation(1.0, 1.0), dem.elevation(1.0, 1.0));
/// assert_eq!(fast.elevation(5.0, 1.0), None);
/// // Every sample on the chord from (0.5, 1.5) to (1.5, 0.5) is at most the highest cell.
/// assert_eq!(fast.chord_max((0.5, 1.5), (1.5, 0.5)), Some(400.0));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct DemSampler<'a> {
    dem: &'a Dem,
    values: &'a [f32],
    ncols: usize,
    nrows: usize,
    west: f64,
    east: f64,
    north: f64,
    south: f64,
    cellsize: f64,
}

impl<'a> DemSampler<'a> {
    /// A sampler of `dem`.
    pub fn new(dem: &'a Dem) -> DemSampler<'a> {
        let (ncols, nrows) = dem.shape();
        let (west, north) = dem.origin();
        let cellsize = dem.cellsize();
        DemSampler {
            dem,
            values: dem.values(),
            ncols,
            nrows,
            west,
            east: west + ncols as f64 * cellsize,
            north,
            south: north - nrows as f64 * cellsize,
            cellsize,
        }
    }

    /// The same as [`Dem::elevation`].
    #[inline]
    pub fn elevation(&self, lon: f64, lat: f64) -> Option<f64> {
        if !(lon >= self.west && lon <= self.east && lat <= self.north && lat >= self.south) {
            return None;
        }
        let n = self.ncols;
        let fx = self.fx(lon);
        let fy = self.fy(lat);
        let c0 = (fx as usize).min(n.saturating_sub(2));
        let r0 = (fy as usize).min(self.nrows.saturating_sub(2));
        let c1 = (c0 + 1).min(n - 1);
        let r1 = (r0 + 1).min(self.nrows - 1);
        let (tx, ty) = (fx - c0 as f64, fy - r0 as f64);
        let cell = |c: usize, r: usize| self.values.get(r * n + c).copied().unwrap_or(f32::NAN);
        let (a, b, c, d) = (cell(c0, r0), cell(c1, r0), cell(c0, r1), cell(c1, r1));
        if a.is_nan() || b.is_nan() || c.is_nan() || d.is_nan() {
            return self.dem.elevation(lon, lat);
        }
        let (a, b, c, d) = (f64::from(a), f64::from(b), f64::from(c), f64::from(d));
        let top = a + (b - a) * tx;
        let bottom = c + (d - c) * tx;
        Some(top + (bottom - top) * ty)
    }

    /// Fractional column of a longitude, as [`Dem::elevation`] computes it.
    #[inline]
    fn fx(&self, lon: f64) -> f64 {
        ((lon - self.west) / self.cellsize - 0.5).clamp(0.0, (self.ncols - 1) as f64)
    }

    /// Fractional row of a latitude, as [`Dem::elevation`] computes it.
    #[inline]
    fn fy(&self, lat: f64) -> f64 {
        ((self.north - lat) / self.cellsize - 0.5).clamp(0.0, (self.nrows - 1) as f64)
    }

    /// An upper bound of [`DemSampler::elevation`] at every point linear in lon/lat between
    /// `a` and `b` (both lon, lat degrees), metres: the highest DEM cell any of those samples
    /// blends. `None` when the chord's box leaves the DEM or holds a cell without data (then
    /// sample the points themselves). Cost: one read per cell of the box.
    pub fn chord_max(&self, a: (f64, f64), b: (f64, f64)) -> Option<f64> {
        let (lon_lo, lon_hi) = (a.0.min(b.0) - BOX_MARGIN_DEG, a.0.max(b.0) + BOX_MARGIN_DEG);
        let (lat_lo, lat_hi) = (a.1.min(b.1) - BOX_MARGIN_DEG, a.1.max(b.1) + BOX_MARGIN_DEG);
        if !(lon_lo >= self.west
            && lon_hi <= self.east
            && lat_lo >= self.south
            && lat_hi <= self.north)
        {
            return None;
        }
        // The column and row of a sample's first corner grow with its lon and with minus its
        // lat (every step of their arithmetic is monotonic), so the box's corners bound them.
        let (n, m) = (self.ncols, self.nrows);
        let c_lo = (self.fx(lon_lo) as usize).min(n.saturating_sub(2));
        let c_hi = ((self.fx(lon_hi) as usize).min(n.saturating_sub(2)) + 1).min(n - 1);
        let r_lo = (self.fy(lat_hi) as usize).min(m.saturating_sub(2));
        let r_hi = ((self.fy(lat_lo) as usize).min(m.saturating_sub(2)) + 1).min(m - 1);
        let mut top = f32::NEG_INFINITY;
        for r in r_lo..=r_hi {
            let row = self.values.get(r * n + c_lo..=r * n + c_hi)?;
            for &v in row {
                if v.is_nan() {
                    return None;
                }
                top = top.max(v);
            }
        }
        Some(f64::from(top) + BOUND_MARGIN_M)
    }
}

/// One ray's terrain profile: samples at ground distances `j·gate`, `j = 0..=last`, sample 0
/// the site's ground. Segment `s` holds samples `s·8 + 1 ..= s·8 + 8`.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// Sample heights, metres a.s.l.; NaN where not sampled (lazy) or beyond the DEM.
    pub z: Vec<f64>,
    /// The last sample on the DEM.
    pub last: usize,
    /// Control points: the ends of each segment, lon/lat degrees.
    controls: Vec<(f64, f64)>,
    /// Per segment: the exact highest sample once sampled, an upper bound before.
    seg_top: Vec<f64>,
    /// Per segment: whether its samples are in `z`.
    sampled: Vec<bool>,
}

impl Profile {
    /// Traces a ray of `samples` samples every `gate_m` from a site of ground height
    /// `ground_m`, `path` giving the lon/lat degrees of the ray's point at a ground distance: every sample when `lazy` is false, else only the segments whose terrain
    /// cannot be bounded (off the box of the DEM or next to missing data). The ray ends before
    /// the first sample without elevation.
    pub fn trace(
        &mut self,
        sampler: &DemSampler,
        path: impl Fn(f64) -> (f64, f64),
        ground_m: f64,
        samples: usize,
        gate_m: f64,
        lazy: bool,
    ) {
        self.z.clear();
        self.z.resize(samples + 1, f64::NAN);
        self.z[0] = ground_m;
        self.last = 0;
        self.controls.clear();
        self.seg_top.clear();
        self.sampled.clear();
        self.controls.push(path(0.0));
        for s in 0..samples.div_ceil(CONTROL_EVERY) {
            let j0 = s * CONTROL_EVERY;
            let next = path(((j0 + CONTROL_EVERY) as f64) * gate_m);
            self.controls.push(next);
            let bound = if lazy {
                sampler.chord_max(self.controls[s], next)
            } else {
                None
            };
            self.seg_top.push(bound.unwrap_or(f64::NEG_INFINITY));
            self.sampled.push(bound.is_none());
            match bound {
                Some(_) => self.last = (j0 + CONTROL_EVERY).min(samples),
                None => {
                    let got = self.sample(sampler, s);
                    self.last = j0 + got;
                    if got < CONTROL_EVERY.min(samples - j0) {
                        return;
                    }
                }
            }
        }
    }

    /// Samples segment `s` from its control points; returns how many samples of it are on
    /// the DEM before the first that is not (all of them unless the ray leaves the DEM in it).
    fn sample(&mut self, sampler: &DemSampler, s: usize) -> usize {
        let (control, next) = (self.controls[s], self.controls[s + 1]);
        let j0 = s * CONTROL_EVERY;
        let samples = self.z.len() - 1;
        let mut top = f64::NEG_INFINITY;
        let mut got = 0;
        for step in 1..=CONTROL_EVERY {
            if j0 + step > samples {
                break;
            }
            let t = step as f64 / CONTROL_EVERY as f64;
            let lon = control.0 + (next.0 - control.0) * t;
            let lat = control.1 + (next.1 - control.1) * t;
            match sampler.elevation(lon, lat) {
                Some(z) => {
                    self.z[j0 + step] = z;
                    top = top.max(z);
                    got = step;
                }
                None => break,
            }
        }
        self.seg_top[s] = top;
        self.sampled[s] = true;
        got
    }

    /// Number of segments traced.
    pub fn segments(&self) -> usize {
        self.seg_top.len()
    }

    /// The segment holding sample `j` (`j ≥ 1`).
    fn segment_of(j: usize) -> usize {
        (j - 1) / CONTROL_EVERY
    }

    /// Makes sure samples `first..=last_sample` are in `z`.
    pub fn ensure(&mut self, sampler: &DemSampler, first: usize, last_sample: usize) {
        if last_sample == 0 {
            return;
        }
        for s in Self::segment_of(first.max(1))..=Self::segment_of(last_sample) {
            if !self.sampled[s] {
                // A bounded segment lies inside the DEM with data on every cell it blends.
                let got = self.sample(sampler, s);
                debug_assert!(
                    s * CONTROL_EVERY + got >= self.last.min(s * CONTROL_EVERY + CONTROL_EVERY),
                    "invariant: a bounded segment is on the DEM"
                );
            }
        }
    }

    /// An upper bound of the samples `first..=last_sample` (exact where sampled).
    pub fn top_bound(&self, first: usize, last_sample: usize) -> f64 {
        let mut top = if first == 0 {
            self.z[0]
        } else {
            f64::NEG_INFINITY
        };
        if last_sample >= 1 {
            for s in Self::segment_of(first.max(1))..=Self::segment_of(last_sample) {
                top = top.max(self.seg_top[s]);
            }
        }
        top
    }

    /// The highest tangent of the apparent elevation of the samples from an antenna at
    /// `antenna_m` a.s.l. (`arc[j]` the sine and cosine of sample `j`'s Earth-centre angle, `ka`
    /// the effective radius). A bounded segment is sampled only when its bound could raise the
    /// tangent found so far; the tangent grows with the terrain height.
    pub fn horizon_tangent(
        &mut self,
        sampler: &DemSampler,
        arc: &[(f64, f64)],
        ka: f64,
        antenna_m: f64,
    ) -> f64 {
        let tangent =
            |z: f64, (sp, cp): (f64, f64)| ((ka + z) * cp - (ka + antenna_m)) / ((ka + z) * sp);
        let mut best = f64::NEG_INFINITY;
        for s in 0..self.segments() {
            let j0 = s * CONTROL_EVERY + 1;
            let j1 = (s * CONTROL_EVERY + CONTROL_EVERY).min(self.last);
            if j0 > j1 {
                break;
            }
            if !self.sampled[s] {
                let ub = self.seg_top[s];
                let bound = (j0..=j1)
                    .map(|j| tangent(ub, arc[j]))
                    .fold(f64::NEG_INFINITY, f64::max);
                // A margin far above the rounding of the tangent (about 1e-11).
                if bound < best - 1e-9 {
                    continue;
                }
                self.sample(sampler, s);
            }
            for j in j0..=j1 {
                best = best.max(tangent(self.z[j], arc[j]));
            }
        }
        best
    }
}
