//! The terrain profile under one ray, sampled every gate spacing of ground distance: exact
//! great-circle points (the control points) every [`CONTROL_EVERY`] samples, the samples linear
//! in lon/lat between them (the chord is within millimetres of the arc at that spacing), each
//! the DEM's bilinear elevation through [`DemSampler`], which is [`Dem::elevation`] bit for bit
//! without its per-call overhead. Between control points the DEM's fractional column and row
//! are linear in the step as lon and lat are, so a sample costs two multiply-adds and a bilinear
//! lookup (no division; the indices agree with the lon/lat route to about 1e-12 of a cell). The
//! ray ends before the first sample without elevation (the DEM's edge or a hole). Cost: one
//! bilinear sample per gate spacing and one great-circle point per 8 samples.
//!
//! (A lazy profile that skipped segments whose DEM cells could not raise the horizon or reach a
//! beam was tried and measured: on the Shuozhou lattice nearly every segment still had to be
//! sampled, because the horizon angle is the maximum over the whole ray, so it cost more than it
//! saved and was removed.)

use crate::terrain::Dem;

/// Exact great-circle points are computed every this many profile samples.
pub const CONTROL_EVERY: usize = 8;

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
        self.bilinear(self.fx(lon), self.fy(lat))
            .or_else(|| self.dem.elevation(lon, lat))
    }

    /// The bilinear elevation at a clamped fractional column and row; `None` when a cell of
    /// the lookup has no data.
    #[inline]
    fn bilinear(&self, fx: f64, fy: f64) -> Option<f64> {
        let n = self.ncols;
        let c0 = (fx as usize).min(n.saturating_sub(2));
        let r0 = (fy as usize).min(self.nrows.saturating_sub(2));
        let c1 = (c0 + 1).min(n - 1);
        let r1 = (r0 + 1).min(self.nrows - 1);
        let (tx, ty) = (fx - c0 as f64, fy - r0 as f64);
        let cell = |c: usize, r: usize| self.values.get(r * n + c).copied().unwrap_or(f32::NAN);
        let (a, b, c, d) = (cell(c0, r0), cell(c1, r0), cell(c0, r1), cell(c1, r1));
        if a.is_nan() || b.is_nan() || c.is_nan() || d.is_nan() {
            return None;
        }
        let (a, b, c, d) = (f64::from(a), f64::from(b), f64::from(c), f64::from(d));
        let top = a + (b - a) * tx;
        let bottom = c + (d - c) * tx;
        Some(top + (bottom - top) * ty)
    }

    /// The fractional column and row of a lon/lat before clamping (the cell centres at whole
    /// numbers), for [`DemSampler::at_fraction`].
    #[inline]
    pub fn fraction_raw(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            (lon - self.west) / self.cellsize - 0.5,
            (self.north - lat) / self.cellsize - 0.5,
        )
    }

    /// The bilinear elevation at an unclamped fractional column and row
    /// ([`DemSampler::fraction_raw`]): off the DEM when outside its edges, and
    /// [`Sample::NearMissing`] when a cell of the lookup has no data (the caller then asks
    /// [`DemSampler::elevation`], which falls back as [`Dem::elevation`] does).
    #[inline]
    pub fn at_fraction(&self, fx_raw: f64, fy_raw: f64) -> Sample {
        let (w, h) = (self.ncols as f64, self.nrows as f64);
        if !(fx_raw >= -0.5 && fx_raw <= w - 0.5 && fy_raw >= -0.5 && fy_raw <= h - 0.5) {
            return Sample::Off;
        }
        match self.bilinear(fx_raw.clamp(0.0, w - 1.0), fy_raw.clamp(0.0, h - 1.0)) {
            Some(z) => Sample::Value(z),
            None => Sample::NearMissing,
        }
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
}

/// What [`DemSampler::at_fraction`] finds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sample {
    /// The bilinear elevation, metres.
    Value(f64),
    /// Outside the DEM.
    Off,
    /// A cell of the lookup has no data.
    NearMissing,
}

/// One ray's terrain profile: samples at ground distances `j·gate`, `j = 0..=last`, sample 0
/// the site's ground (a buffer reused from ray to ray).
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// Sample heights, metres a.s.l., `0..=last`.
    pub z: Vec<f64>,
    /// The last sample on the DEM.
    pub last: usize,
}

impl Profile {
    /// Traces a ray of `samples` samples every `gate_m` from a site of ground height
    /// `ground_m`, `control(k)` giving the lon/lat degrees of the ray's point at the ground
    /// distance `k · CONTROL_EVERY · gate_m`. Between two control points the DEM's fractional
    /// column and row are linear in the step as lon and lat are, so a sample costs two
    /// multiply-adds and a bilinear lookup (the same value as [`DemSampler::elevation`] at the
    /// interpolated lon/lat up to the last bits of the fractional indices, about 1e-12 of a cell).
    ///
    /// `#[inline]`: the scan's inner loop calls it once per ray and elevation; without the hint
    /// the compiler's split of the crate into codegen units decides whether it is inlined
    /// into [`scan_with`](super::sweep::scan_with), and moving unrelated modules cost the
    /// province run 1.6 s when it was not.
    #[inline]
    pub fn trace(
        &mut self,
        sampler: &DemSampler,
        control: impl Fn(usize) -> (f64, f64),
        ground_m: f64,
        samples: usize,
    ) {
        // Written by index into a buffer of the full length, cut to the samples found.
        self.z.resize(samples + 1, 0.0);
        self.z[0] = ground_m;
        let mut found = 0;
        let mut here = control(0);
        let mut here_f = sampler.fraction_raw(here.0, here.1);
        'outer: for block in 0..samples.div_ceil(CONTROL_EVERY) {
            let j0 = block * CONTROL_EVERY;
            let next = control(block + 1);
            let next_f = sampler.fraction_raw(next.0, next.1);
            let (dfx, dfy) = (next_f.0 - here_f.0, next_f.1 - here_f.1);
            let steps = CONTROL_EVERY.min(samples - j0);
            for (step, slot) in self.z[j0 + 1..=j0 + steps].iter_mut().enumerate() {
                let t = (step + 1) as f64 / CONTROL_EVERY as f64;
                let (fx, fy) = (here_f.0 + dfx * t, here_f.1 + dfy * t);
                *slot = match sampler.at_fraction(fx, fy) {
                    Sample::Value(z) => z,
                    Sample::Off => break 'outer,
                    Sample::NearMissing => {
                        let lon = here.0 + (next.0 - here.0) * t;
                        let lat = here.1 + (next.1 - here.1) * t;
                        match sampler.elevation(lon, lat) {
                            Some(z) => z,
                            None => break 'outer,
                        }
                    }
                };
                found = j0 + step + 1;
            }
            here = next;
            here_f = next_f;
        }
        self.z.truncate(found + 1);
        self.last = found;
    }

    /// The highest tangent of the apparent elevation of the samples from an antenna at
    /// `antenna_m` a.s.l. (`arc[j]` the sine and cosine of sample `j`'s Earth-centre angle, `ka`
    /// the effective radius): the angle grows with the tangent, so one arctangent per ray.
    pub fn horizon_tangent(&self, arc: &[(f64, f64)], ka: f64, antenna_m: f64) -> f64 {
        // The largest quotient num/den (den > 0) found by cross-multiplication, one division
        // at the end instead of one per sample.
        let (mut num, mut den) = (f64::NEG_INFINITY, 1.0);
        for (j, &z) in self.z.iter().enumerate().skip(1) {
            let (sp, cp) = arc[j];
            let (n, d) = ((ka + z) * cp - (ka + antenna_m), (ka + z) * sp);
            if n * den > num * d {
                (num, den) = (n, d);
            }
        }
        num / den
    }
}
