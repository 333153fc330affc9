//! Radar site selection (issue #16): the beam model against the analytic formula on flat
//! terrain, the Bech fraction of a synthetic ridge against a numerical integration written
//! here, cumulative blockage as a running maximum, a peak against the same site 300 m lower,
//! coverage against a brute-force distance count, the best pair against every pair, the AWS
//! gaps against a brute-force distance scan, the outputs, every user error of `wxmod radar`, and
//! the run without a DEM.

mod beam;
mod cities;
mod cli;
mod fast;
mod network;
mod run;
mod search;

use wxmod::terrain::Dem;

use crate::fixtures::shuozhou;

/// The effective Earth radius the test expects: k times the WGS84 geocentric radius.
pub fn effective_radius(lat: f64, k: f64) -> f64 {
    let (a, b) = (6_378_137.0_f64, 6_356_752.314_245_f64);
    let (s, c) = lat.to_radians().sin_cos();
    let r =
        (((a * a * c).powi(2) + (b * b * s).powi(2)) / ((a * c).powi(2) + (b * s).powi(2))).sqrt();
    k * r
}

/// The beam-centre height of the issue: h = sqrt(r² + (k·a)² + 2·r·k·a·sin θ) − k·a + h0.
pub fn analytic_height(r: f64, theta_deg: f64, ka: f64, h0: f64) -> f64 {
    (r * r + ka * ka + 2.0 * r * ka * theta_deg.to_radians().sin()).sqrt() - ka + h0
}

/// The blocked share of a disc of radius `a` whose centre is `y` below a horizontal terrain top,
/// by numerical integration of the chord widths (independent of Bech's closed form).
pub fn blocked_share_numeric(y: f64, a: f64) -> f64 {
    if y <= -a {
        return 0.0;
    }
    if y >= a {
        return 1.0;
    }
    let n = 20_000;
    let dt = (y + a) / n as f64;
    let area: f64 = (0..n)
        .map(|i| {
            let t = -a + (i as f64 + 0.5) * dt;
            2.0 * (a * a - t * t).max(0.0).sqrt() * dt
        })
        .sum();
    area / (std::f64::consts::PI * a * a)
}

pub fn flat_dem(level: f32) -> Dem {
    // 0.01° cells over 110.5–114.5 E, 38.0–41.0 N.
    Dem::new(400, 300, 110.5, 41.0, 0.01, vec![level; 120_000])
}

pub fn bundled_dem() -> Dem {
    Dem::read(shuozhou().files.dem.as_ref().unwrap()).unwrap()
}
