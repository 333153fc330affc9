//! The radar beam in a standard atmosphere: beam-centre height, ground distance, half-power
//! radius and the partial beam blockage (部分波束阻挡) of Bech et al. (2003).
//!
//! Propagation uses an effective Earth radius `k·a` (k = 4/3 by default, configurable): the
//! beam centre at slant range `r` and elevation `θ` stands at
//! `h = sqrt(r² + (k·a)² + 2·r·k·a·sin θ) − k·a + h0` above mean sea level (h0 the antenna
//! height a.s.l.), and above the point of the Earth at ground (arc) distance
//! `s = k·a·asin(r·cos θ / (k·a + h − h0))`, as wradlib's `georef.bin_altitude` and
//! `georef.site_distance`. The half-power beam radius is `r·β/2` (β the beam width in radians,
//! Battan 1973, wradlib `util.half_power_radius`).
//!
//! The blocked share of the beam's circular cross-section of radius `a` whose centre is `y`
//! below the terrain top is Bech et al. (2003) Eq. 2: `(y·sqrt(a² − y²) + a²·asin(y/a) +
//! π·a²/2) / (π·a²)`, 0 when the terrain is a beam radius or more below the centre, 1 when it is a
//! radius or more above (wradlib `qual.beam_block_frac`). Every function is O(1).
//!
//! References: Bech, J., B. Codina, J. Lorente, D. Bebbington (2003), J. Atmos. Oceanic Technol.
//! 20, 845–855; wradlib `qual.py` (commit d2c9ef0).

/// The Earth radius at a latitude on the WGS84 ellipsoid (geocentric), metres, as wradlib's
/// `georef.get_earth_radius`.
pub fn earth_radius_m(lat_deg: f64) -> f64 {
    let a = 6_378_137.0_f64;
    let b = 6_356_752.314_245_f64;
    let (s, c) = lat_deg.to_radians().sin_cos();
    (((a * a * c).powi(2) + (b * b * s).powi(2)) / ((a * c).powi(2) + (b * s).powi(2))).sqrt()
}

/// A beam geometry: the effective Earth radius `k·a` and the beam width.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Beam {
    /// The effective Earth radius k·a, metres.
    pub effective_radius_m: f64,
    /// Half-power (3 dB) beam width, degrees.
    pub beam_width_deg: f64,
}

impl Beam {
    /// The beam of a radar at latitude `lat_deg` with refraction factor `k` and beam width.
    pub fn new(lat_deg: f64, k: f64, beam_width_deg: f64) -> Beam {
        Beam {
            effective_radius_m: k * earth_radius_m(lat_deg),
            beam_width_deg,
        }
    }

    /// Height of the beam centre above the antenna at slant range `r_m` and elevation
    /// `elevation_deg`, metres (add the antenna's height a.s.l. for the height a.s.l.).
    ///
    /// # Examples
    /// ```
    /// use wxmod::radar::Beam;
    /// let beam = Beam { effective_radius_m: 4.0 / 3.0 * 6_371_000.0, beam_width_deg: 1.0 };
    /// // 0.5° at 100 km: about 1.46 km above the antenna (DOMAIN.md §8).
    /// assert!((beam.height_above_antenna_m(100_000.0, 0.5) - 1461.0).abs() < 2.0);
    /// ```
    pub fn height_above_antenna_m(&self, r_m: f64, elevation_deg: f64) -> f64 {
        let ka = self.effective_radius_m;
        (r_m * r_m + ka * ka + 2.0 * r_m * ka * elevation_deg.to_radians().sin()).sqrt() - ka
    }

    /// Ground (arc) distance from the radar to the point under the beam centre, metres.
    pub fn ground_distance_m(&self, r_m: f64, elevation_deg: f64) -> f64 {
        let ka = self.effective_radius_m;
        let h = self.height_above_antenna_m(r_m, elevation_deg);
        ka * (r_m * elevation_deg.to_radians().cos() / (ka + h)).asin()
    }

    /// Half-power beam radius at slant range `r_m`, metres.
    pub fn half_power_radius_m(&self, r_m: f64) -> f64 {
        r_m * self.beam_width_deg.to_radians() / 2.0
    }
}

/// The share of the beam's cross-section (radius `radius_m`, centre at `beam_m`) below the
/// terrain top `terrain_m` (Bech et al. 2003 Eq. 2), in 0..=1.
///
/// # Examples
/// ```
/// use wxmod::radar::beam_block_fraction;
/// assert_eq!(beam_block_fraction(100.0, 500.0, 200.0), 0.0); // terrain below the beam
/// assert_eq!(beam_block_fraction(500.0, 500.0, 200.0), 0.5); // terrain at the beam centre
/// assert_eq!(beam_block_fraction(800.0, 500.0, 200.0), 1.0); // beam under the terrain
/// ```
pub fn beam_block_fraction(terrain_m: f64, beam_m: f64, radius_m: f64) -> f64 {
    let y = terrain_m - beam_m;
    if radius_m <= 0.0 {
        return if y >= 0.0 { 1.0 } else { 0.0 };
    }
    let ya = y / radius_m;
    if ya <= -1.0 {
        0.0
    } else if ya >= 1.0 {
        1.0
    } else {
        let a2 = radius_m * radius_m;
        let numer = y * (a2 - y * y).sqrt() + a2 * ya.asin() + std::f64::consts::FRAC_PI_2 * a2;
        (numer / (std::f64::consts::PI * a2)).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_blocked_share_is_the_segment_area() {
        // The circular segment above a chord at height y over the centre has area
        // a²·acos(y/a) − y·sqrt(a² − y²); terrain up to y blocks the rest of the disc.
        let a: f64 = 150.0;
        for y in [-140.0, -75.0, -10.0, 0.0, 20.0, 90.0, 149.0] {
            let segment_above_terrain = a * a * (y / a).acos() - y * (a * a - y * y).sqrt();
            let expected = 1.0 - segment_above_terrain / (std::f64::consts::PI * a * a);
            let got = beam_block_fraction(1000.0 + y, 1000.0, a);
            assert!((got - expected).abs() < 1e-9, "y {y}: {got} vs {expected}");
        }
    }

    #[test]
    fn ground_distance_is_close_to_the_slant_range_low_down() {
        let beam = Beam::new(39.6, 4.0 / 3.0, 1.0);
        let s = beam.ground_distance_m(75_000.0, 0.5);
        assert!(s < 75_000.0 && s > 74_900.0, "{s}");
    }
}
