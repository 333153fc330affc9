//! One radar site's volume scan over the DEM: the terrain under every ray, the beam height,
//! the partial and cumulative beam blockage of every gate at every elevation, and the horizon
//! (shielding) angle per azimuth (遮蔽角).
//!
//! Rays leave the site every 1° of true azimuth (0..359) along great circles on the sphere of
//! the Gaussian radius of curvature at the site. The terrain profile of a ray is sampled every
//! gate spacing of ground distance (exact great-circle points every 8 samples, linear in
//! lon/lat between them: the chord is within millimetres of the arc at that spacing) with the
//! DEM's bilinear elevation; each gate at slant range `r = (g + ½)·gate` of an elevation reads
//! the profile at its own ground distance (see [`super::beam`]). Partial blockage is Bech et
//! al. (2003); cumulative blockage (CBB) is its running maximum along the ray from the antenna
//! outwards (wradlib issue #105: the maximum, not "the maximum after the arg-max").
//!
//! A ray ends where the DEM has no data (its edge or a hole): gates beyond are not evaluated and
//! [`Polar::reach_m`] says how far each ray got. Callers decide whether that is acceptable
//! ([`Polar::check_reach`]). Cost per site: 360 × (range / gate) DEM samples and the same number
//! of gate updates per elevation. The lattice's [`Detail::CbbOnly`] scan keeps no per-gate
//! arrays, samples the DEM through [`DemSampler`] (bit for bit [`Dem::elevation`]), skips blocks
//! of 16 gates whose terrain stays under every beam bottom and stops a fully blocked ray: the same
//! answers as the full scan (tests/it/radar/fast.rs), about 5.5 ms CPU per lattice candidate with
//! its covered land and shares (release build, shared 2-core machine, at load 7.5).

use super::RadarError;
use super::beam::{Beam, beam_block_fraction};
use super::config::RadarConfig;
pub use super::profile::DemSampler;
use super::profile::{CONTROL_EVERY, Profile};
use crate::terrain::{Dem, metres_per_degree};

/// Number of rays (1° azimuth steps).
pub const AZIMUTHS: usize = 360;

/// Gates per block of the lattice scan's clear-block test.
const BLOCK: usize = 16;

/// Profile samples per segment whose highest sample the clear-block test reads.
const SEGMENT: usize = 8;

/// A block of gates is skipped as unblocked when its highest terrain stays this far below the
/// lowest beam bottom in it, metres: far more than the rounding of the heights (about 1e-12 m),
/// so every skipped gate has a partial blockage of exactly 0, as computed gate by gate.
const SKIP_MARGIN_M: f64 = 0.01;

/// A block of [`BLOCK`] gates of one elevation: the profile samples its gates read and the lowest
/// beam bottom (centre minus half-power radius) over it, metres above the antenna.
#[derive(Debug, Clone, Copy)]
struct GateBlock {
    first_sample: usize,
    last_sample: usize,
    bottom_rel_m: f64,
}

/// Where a radar stands.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RadarSite {
    /// Id or name of the site (a lattice point is `L<row>_<col>`).
    pub id: String,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
}

/// The scan of one site: terrain profiles, beam heights and blockage of every gate.
#[derive(Debug, Clone)]
pub struct Polar {
    /// The site.
    pub site: RadarSite,
    /// Ground elevation at the site (DEM, bilinear), metres a.s.l.
    pub ground_m: f64,
    /// Antenna height a.s.l. (ground + tower), metres.
    pub antenna_m: f64,
    /// The beam geometry used.
    pub beam: Beam,
    /// Gate spacing, metres.
    pub gate_m: f64,
    /// Gates per ray.
    pub gates: usize,
    /// The elevation angles, degrees, in configuration order.
    pub elevations_deg: Vec<f64>,
    /// Beam-centre height above the antenna per elevation and gate, metres (`[e * gates + g]`).
    pub beam_rel_m: Vec<f64>,
    /// Ground distance of each gate's centre per elevation, metres (`[e * gates + g]`).
    pub ground_at_gate_m: Vec<f64>,
    /// Terrain height under each gate, metres (`[(e * 360 + az) * gates + g]`); NaN beyond the
    /// DEM; empty for a [`Detail::CbbOnly`] scan.
    pub terrain_m: Vec<f32>,
    /// Partial beam blockage of each gate (same layout); NaN beyond the DEM; empty for a
    /// [`Detail::CbbOnly`] scan.
    pub pbb: Vec<f32>,
    /// Cumulative beam blockage of each gate (same layout); NaN beyond the DEM; empty for a
    /// [`Detail::CbbOnly`] scan.
    pub cbb: Vec<f32>,
    /// Cumulative blockage at the last gate on the DEM per elevation and azimuth
    /// (`[e * 360 + az]`); NaN for a ray with no gate on the DEM.
    pub cbb_end: Vec<f32>,
    /// Gates from the antenna out before the first whose cumulative blockage exceeds
    /// [`Polar::cbb_limit`] (`[e * 360 + az]`, at most `gates_reached`): as CBB never decreases,
    /// exactly the gates that may count as covered.
    pub clear_gates: Vec<usize>,
    /// The configuration's blockage limit `max_cbb` the scan used for `clear_gates`.
    pub cbb_limit: f32,
    /// Gates evaluated per elevation and azimuth (`[e * 360 + az]`): `gates` unless the ray
    /// left the DEM.
    pub gates_reached: Vec<usize>,
    /// Ground distance each ray's terrain profile reaches on the DEM, metres, per azimuth.
    pub reach_m: Vec<f64>,
    /// The horizon (shielding) angle per azimuth, degrees: the highest elevation angle under
    /// which the antenna sees terrain within range (4/3-Earth geometry); may be negative.
    pub horizon_deg: Vec<f64>,
}

/// The sphere of the Gaussian radius of curvature at a site, for great-circle destinations.
#[derive(Debug, Clone, Copy)]
struct Sphere {
    radius_m: f64,
    lon0: f64,
    sin_lat0: f64,
    cos_lat0: f64,
}

impl Sphere {
    fn at(lon: f64, lat: f64) -> Sphere {
        let (mx, my) = metres_per_degree(lat);
        let deg = 180.0 / std::f64::consts::PI;
        let meridional = my * deg;
        let prime_vertical = mx * deg / lat.to_radians().cos();
        let (s, c) = lat.to_radians().sin_cos();
        Sphere {
            radius_m: (meridional * prime_vertical).sqrt(),
            lon0: lon.to_radians(),
            sin_lat0: s,
            cos_lat0: c,
        }
    }

    /// Lon/lat degrees of the point at ground distance `s_m` along true azimuth (sin, cos).
    fn destination(&self, s_m: f64, sin_az: f64, cos_az: f64) -> (f64, f64) {
        self.destination_at_angle((s_m / self.radius_m).sin_cos(), sin_az, cos_az)
    }

    /// [`Sphere::destination`] with the sine and cosine of the centre angle `s_m / radius_m`
    /// given (the same on every ray, so computed once per scan).
    #[inline]
    fn destination_at_angle(&self, (sd, cd): (f64, f64), sin_az: f64, cos_az: f64) -> (f64, f64) {
        let sin_lat = self.sin_lat0 * cd + self.cos_lat0 * sd * cos_az;
        let lat = sin_lat.clamp(-1.0, 1.0).asin();
        let lon = self.lon0 + (sin_az * sd * self.cos_lat0).atan2(cd - self.sin_lat0 * sin_lat);
        (lon.to_degrees(), lat.to_degrees())
    }
}

/// The point at ground distance `s_m` along true azimuth `az_deg` from (lon, lat), on the
/// sphere of the Gaussian radius of curvature there (as the rays), lon/lat degrees.
pub fn destination(lon: f64, lat: f64, s_m: f64, az_deg: f64) -> (f64, f64) {
    let (sin_az, cos_az) = az_deg.to_radians().sin_cos();
    Sphere::at(lon, lat).destination(s_m, sin_az, cos_az)
}

/// The elevation angle, degrees, under which an antenna at `h0` a.s.l. sees a point at height
/// `z` a.s.l. and ground distance `s` on an Earth of effective radius `ka`.
pub fn apparent_elevation_deg(ka: f64, h0: f64, z: f64, s: f64) -> f64 {
    let phi = s / ka;
    let (sp, cp) = phi.sin_cos();
    ((ka + z) * cp - (ka + h0))
        .atan2((ka + z) * sp)
        .to_degrees()
}

/// What a scan keeps besides the cumulative blockage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Also the terrain and partial blockage of every gate (maps, single sites).
    Full,
    /// Only what the candidate lattice needs: the end-of-ray blockage, the clear gates and
    /// the horizon (no per-gate arrays; a fully blocked ray stops early).
    CbbOnly,
}

/// Scans one site, keeping every gate's terrain and partial blockage; see [`scan_with`].
///
/// # Errors
/// [`RadarError::SiteOffDem`] when the DEM has no elevation at the site.
///
/// # Examples
/// ```
/// use wxmod::radar::{RadarConfig, RadarSite, scan};
/// use wxmod::terrain::Dem;
/// // A flat 1,000 m plateau of 0.01° cells around (112, 39.5).
/// let dem = Dem::new(300, 300, 110.5, 41.0, 0.01, vec![1000.0; 90_000]);
/// let config = RadarConfig { range_km: 20.0, ..RadarConfig::default() };
/// let site = RadarSite { id: "a".into(), lon: 112.0, lat: 39.5 };
/// let polar = scan(&dem, &config, &site).unwrap();
/// assert_eq!(polar.antenna_m, 1030.0);
/// assert!(polar.cbb.iter().all(|&b| b == 0.0));
/// ```
pub fn scan(dem: &Dem, config: &RadarConfig, site: &RadarSite) -> Result<Polar, RadarError> {
    scan_with(dem, config, site, Detail::Full)
}

/// Scans one site. The configuration must be valid ([`RadarConfig::validate`]); with
/// [`Detail::CbbOnly`] the `terrain_m` and `pbb` arrays are left empty.
///
/// # Errors
/// [`RadarError::SiteOffDem`] when the DEM has no elevation at the site.
pub fn scan_with(
    dem: &Dem,
    config: &RadarConfig,
    site: &RadarSite,
    detail: Detail,
) -> Result<Polar, RadarError> {
    let ground_m = dem
        .elevation(site.lon, site.lat)
        .ok_or_else(|| RadarError::site_off_dem(dem, site))?;
    let antenna_m = ground_m + config.antenna_agl_m;
    let beam = Beam::new(site.lat, config.k, config.beam_width_deg);
    let gates = config.gates();
    let gate_m = config.gate_m;
    let n_el = config.elevations_deg.len();
    let mut beam_rel_m = Vec::with_capacity(n_el * gates);
    let mut ground_at_gate_m = Vec::with_capacity(n_el * gates);
    for &e in &config.elevations_deg {
        for g in 0..gates {
            let r = (g as f64 + 0.5) * gate_m;
            beam_rel_m.push(beam.height_above_antenna_m(r, e));
            ground_at_gate_m.push(beam.ground_distance_m(r, e));
        }
    }
    let radius_m: Vec<f64> = (0..gates)
        .map(|g| beam.half_power_radius_m((g as f64 + 0.5) * gate_m))
        .collect();
    // Terrain profile samples at ground distances j·gate, j = 0..=samples.
    let samples = gates + 1;
    let sphere = Sphere::at(site.lon, site.lat);
    let ka = beam.effective_radius_m;
    let full = detail == Detail::Full;
    let detail_len = if full { n_el * AZIMUTHS * gates } else { 0 };
    let mut terrain_m = vec![f32::NAN; detail_len];
    let mut pbb = vec![f32::NAN; detail_len];
    let mut cbb = vec![f32::NAN; detail_len];
    let mut cbb_end = vec![f32::NAN; n_el * AZIMUTHS];
    let mut clear_gates = vec![0; n_el * AZIMUTHS];
    let mut gates_reached = vec![0; n_el * AZIMUTHS];
    let mut reach_m = vec![0.0; AZIMUTHS];
    let mut horizon_deg = vec![f64::NEG_INFINITY; AZIMUTHS];
    // sin and cos of the Earth-centre angle of each profile sample.
    let arc: Vec<(f64, f64)> = (0..=samples)
        .map(|j| (j as f64 * gate_m / ka).sin_cos())
        .collect();
    // Per elevation and gate: the profile sample before the gate's ground distance and the
    // weight of the next one (the same on every ray; truncation is the floor of a distance).
    let lookup: Vec<(usize, f64)> = ground_at_gate_m
        .iter()
        .map(|&s| {
            let f = s / gate_m;
            let j = f as usize;
            (j, f - j as f64)
        })
        .collect();
    let limit = config.max_cbb as f32;
    let sampler = DemSampler::new(dem);
    let blocks: Vec<GateBlock> = (0..n_el)
        .flat_map(|e| {
            let (at, rel, radius) = (&lookup, &beam_rel_m, &radius_m);
            (0..gates / BLOCK).map(move |b| {
                let g0 = e * gates + b * BLOCK;
                GateBlock {
                    first_sample: at[g0].0,
                    last_sample: at[g0 + BLOCK - 1].0 + 1,
                    bottom_rel_m: (0..BLOCK)
                        .map(|k| rel[g0 + k] - radius[b * BLOCK + k])
                        .fold(f64::INFINITY, f64::min),
                }
            })
        })
        .collect();
    // sin and cos of the centre angle of each control point of the profile.
    let control_angle: Vec<(f64, f64)> = (0..=samples.div_ceil(CONTROL_EVERY))
        .map(|k| ((k * CONTROL_EVERY) as f64 * gate_m / sphere.radius_m).sin_cos())
        .collect();
    let mut profile = Profile::default();
    // The highest profile sample of each segment of SEGMENT samples (lattice scan only).
    let mut segment_top: Vec<f64> = Vec::new();
    for az in 0..AZIMUTHS {
        let (sin_az, cos_az) = (az as f64).to_radians().sin_cos();
        let control = |k: usize| sphere.destination_at_angle(control_angle[k], sin_az, cos_az);
        profile.trace(&sampler, control, ground_m, samples);
        let last = profile.last;
        reach_m[az] = last as f64 * gate_m;
        // The highest apparent elevation: the largest tangent (the angle is monotonic in it),
        // one arctangent per ray instead of one per sample.
        horizon_deg[az] = profile
            .horizon_tangent(&arc, ka, antenna_m)
            .atan()
            .to_degrees();
        if !full {
            segment_top.clear();
            segment_top.extend(
                profile
                    .z
                    .chunks(SEGMENT)
                    .map(|c| c.iter().copied().fold(f64::NEG_INFINITY, f64::max)),
            );
        }
        for e in 0..n_el {
            let base = (e * AZIMUTHS + az) * gates;
            let rel = &beam_rel_m[e * gates..(e + 1) * gates];
            let at = &lookup[e * gates..(e + 1) * gates];
            // Gates whose terrain is on the profile (ground distance grows along the ray).
            // (The samples are non-decreasing along the ray: a binary search.)
            let reached = at.partition_point(|&(j, _)| j < last);
            let mut ray = RayBlockage::new(reached, limit);
            if full {
                for g in 0..reached {
                    let (z, p) = ray.step(&profile.z, g, at[g], antenna_m + rel[g], radius_m[g]);
                    terrain_m[base + g] = z as f32;
                    pbb[base + g] = p as f32;
                    cbb[base + g] = ray.running as f32;
                }
            } else {
                let blocks = &blocks[e * (gates / BLOCK)..(e + 1) * (gates / BLOCK)];
                let seg_top = &segment_top;
                let mut g = 0;
                while g < reached {
                    if g % BLOCK == 0 && g + BLOCK <= reached {
                        // A block whose terrain stays under every beam bottom adds nothing.
                        // The highest sample of the segments holding the block's samples
                        // (at least the block's own highest: a block skipped is clear).
                        let b = blocks[g / BLOCK];
                        let top = seg_top[b.first_sample / SEGMENT..=b.last_sample / SEGMENT]
                            .iter()
                            .copied()
                            .fold(f64::NEG_INFINITY, f64::max);
                        if top < antenna_m + b.bottom_rel_m - SKIP_MARGIN_M {
                            g += BLOCK;
                            continue;
                        }
                    }
                    ray.step_cbb(&profile.z, g, at[g], antenna_m + rel[g], radius_m[g]);
                    if ray.running >= 1.0 {
                        // Fully blocked: every further gate is too; only the end value is kept.
                        break;
                    }
                    g += 1;
                }
            }
            let ray_index = e * AZIMUTHS + az;
            gates_reached[ray_index] = reached;
            clear_gates[ray_index] = ray.clear;
            if reached > 0 {
                cbb_end[ray_index] = ray.running as f32;
            }
        }
    }
    Ok(Polar {
        site: site.clone(),
        ground_m,
        antenna_m,
        beam,
        gate_m,
        gates,
        elevations_deg: config.elevations_deg.clone(),
        beam_rel_m,
        ground_at_gate_m,
        terrain_m,
        pbb,
        cbb,
        cbb_end,
        clear_gates,
        cbb_limit: limit,
        gates_reached,
        reach_m,
        horizon_deg,
    })
}

/// The running state of one ray's gates at one elevation: the cumulative blockage so far and
/// the first gate past the blockage limit.
#[derive(Debug, Clone, Copy)]
struct RayBlockage {
    running: f64,
    /// The largest `(terrain − beam) / radius` so far (−1 before any blockage): the partial
    /// blockage grows with it, so a gate below it cannot raise the running maximum.
    running_arg: f64,
    clear: usize,
    reached: usize,
    limit: f32,
}

impl RayBlockage {
    fn new(reached: usize, limit: f32) -> RayBlockage {
        RayBlockage {
            running: 0.0,
            running_arg: -1.0,
            clear: reached,
            reached,
            limit,
        }
    }

    /// Gate `g`, reading the profile at its sample `j` and weight `t` towards `j + 1`, of beam
    /// centre `beam_m` a.s.l. and half-power radius `radius_m`: its terrain and partial
    /// blockage; the running maximum and the clear gates follow.
    #[inline]
    fn step(
        &mut self,
        profile: &[f64],
        g: usize,
        (j, t): (usize, f64),
        beam_m: f64,
        radius_m: f64,
    ) -> (f64, f64) {
        let z = profile[j] + (profile[j + 1] - profile[j]) * t;
        let p = beam_block_fraction(z, beam_m, radius_m);
        self.running = self.running.max(p);
        if self.clear == self.reached && self.running as f32 > self.limit {
            self.clear = g;
        }
        (z, p)
    }

    /// [`RayBlockage::step`] for the cumulative blockage only: the partial blockage (an
    /// arcsine) is computed only for a gate whose `(terrain − beam) / radius` exceeds the
    /// largest so far, the only gates that can raise the running maximum (Bech's fraction is
    /// increasing in that ratio).
    #[inline]
    fn step_cbb(
        &mut self,
        profile: &[f64],
        g: usize,
        (j, t): (usize, f64),
        beam_m: f64,
        radius_m: f64,
    ) {
        let z = profile[j] + (profile[j + 1] - profile[j]) * t;
        let arg = (z - beam_m) / radius_m;
        if !(arg > self.running_arg) {
            return;
        }
        self.running_arg = arg;
        self.running = self.running.max(beam_block_fraction(z, beam_m, radius_m));
        if self.clear == self.reached && self.running as f32 > self.limit {
            self.clear = g;
        }
    }
}

impl Polar {
    /// Index of gate `g` of azimuth `az` at elevation `e` in the per-gate arrays.
    pub fn index(&self, e: usize, az: usize, g: usize) -> usize {
        (e * AZIMUTHS + az) * self.gates + g
    }

    /// Cumulative blockage at the end of each ray (the last gate evaluated), per azimuth, for
    /// elevation `e`.
    pub fn cbb_at_end(&self, e: usize) -> Vec<f64> {
        self.cbb_end[e * AZIMUTHS..(e + 1) * AZIMUTHS]
            .iter()
            .map(|&v| f64::from(v))
            .collect()
    }

    /// The largest range, km, to which every ray of every elevation was evaluated.
    pub fn full_reach_km(&self) -> f64 {
        let g = self.gates_reached.iter().copied().min().unwrap_or(0);
        g as f64 * self.gate_m / 1000.0
    }

    /// The share of the scan's area (gates weighted by range) beyond the DEM, 0..=1.
    pub fn missing_share(&self) -> f64 {
        // Gate g weighs g + ½, so the gates 0..n of a ray weigh n²/2: the sums in closed form
        // (exact in f64, as the gate-by-gate sums of halves were).
        let weight = |n: usize| (n as f64) * (n as f64) / 2.0;
        let total = self.gates_reached.len() as f64 * weight(self.gates);
        let missing: f64 = self
            .gates_reached
            .iter()
            .map(|&n| weight(self.gates) - weight(n.min(self.gates)))
            .sum();
        if total > 0.0 { missing / total } else { 0.0 }
    }

    /// Azimuths (degrees) whose rays end before the full range.
    pub fn short_azimuths(&self) -> Vec<usize> {
        (0..AZIMUTHS)
            .filter(|&az| {
                (0..self.elevations_deg.len())
                    .any(|e| self.gates_reached[e * AZIMUTHS + az] < self.gates)
            })
            .collect()
    }

    /// Refuses a scan whose rays left the DEM before the full range.
    ///
    /// # Errors
    /// [`RadarError::RangeBeyondDem`] saying how far the DEM reaches and how much is missing.
    pub fn check_reach(&self, dem_name: &str) -> Result<(), RadarError> {
        let short = self.short_azimuths();
        if short.is_empty() {
            return Ok(());
        }
        Err(RadarError::RangeBeyondDem {
            site: self.site.id.clone(),
            dem: dem_name.to_string(),
            range_km: self.gates as f64 * self.gate_m / 1000.0,
            reach_km: self.full_reach_km(),
            missing_percent: 100.0 * self.missing_share(),
            azimuths: describe_azimuths(&short),
        })
    }
}

/// Azimuth runs as text, e.g. `0-41°, 300-359°`.
pub fn describe_azimuths(azimuths: &[usize]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &a in azimuths {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == a => *end = a,
            _ => runs.push((a, a)),
        }
    }
    runs.iter()
        .map(|&(a, b)| {
            if a == b {
                format!("{a}°")
            } else {
                format!("{a}-{b}°")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
