//! The radar parameters and their defaults (DOMAIN.md §8), each with its allowed range.
//!
//! Defaults: range 75 km, gates every 250 m, 1° azimuth steps (fixed: 360 rays), beam width 1.0°,
//! elevations 0.5°, 1.5°, 2.4°, antenna 30 m above ground, refraction factor k = 4/3, coverage
//! below 1 km and 3 km above ground with cumulative blockage ≤ 0.5, a 2 km candidate lattice with
//! a 2 km margin. Values tagged \[A\] are assumed defaults that the bureau should confirm.
//! [`RadarConfig::validate`] checks every value against its range and names the first one out.

/// Allowed range of the refraction factor k.
pub const K_RANGE: (f64, f64) = (0.5, 4.0);
/// Allowed range of the maximum range, km.
pub const RANGE_KM_RANGE: (f64, f64) = (1.0, 300.0);
/// Allowed range of the gate spacing, metres.
pub const GATE_M_RANGE: (f64, f64) = (25.0, 2_000.0);
/// Allowed range of the beam width, degrees (must be > 0).
pub const BEAM_WIDTH_RANGE: (f64, f64) = (0.1, 10.0);
/// Allowed range of an elevation angle, degrees.
pub const ELEVATION_RANGE: (f64, f64) = (-2.0, 20.0);
/// Largest number of elevation angles.
pub const MAX_ELEVATIONS: usize = 20;
/// Allowed range of the antenna (tower) height above ground, metres.
pub const ANTENNA_RANGE: (f64, f64) = (0.0, 300.0);
/// Allowed range of a coverage height above ground, metres.
pub const AGL_RANGE: (f64, f64) = (50.0, 20_000.0);
/// Allowed range of the candidate lattice spacing, metres.
pub const LATTICE_RANGE: (f64, f64) = (200.0, 50_000.0);
/// Allowed range of the lattice margin around the region, metres.
pub const MARGIN_RANGE: (f64, f64) = (0.0, 100_000.0);
/// Allowed range of the exclusion distances, metres.
pub const BUFFER_RANGE: (f64, f64) = (0.0, 200_000.0);
/// Allowed range of the slope limit, degrees.
pub const SLOPE_RANGE: (f64, f64) = (0.0, 90.0);
/// Largest number of radars chosen together.
pub const MAX_RADARS: usize = 50;

/// How the radar scans and what counts as coverage.
///
/// As `wxmod radar` flags (clap), each field's help gives its range and whether its default is
/// assumed \[A\]; the defaults are [`RadarConfig::default`]'s.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, clap::Args)]
#[serde(default, deny_unknown_fields)]
pub struct RadarConfig {
    /// Maximum range, km (default 75 \[A\]; 1–300; e.g. 150 for a long-range X-band).
    #[arg(long, help = "Maximum range, km (1-300) [A]", default_value_t = RadarConfig::default().range_km)]
    pub range_km: f64,
    /// Gate (range bin) spacing along the ray, metres (default 250 \[A\]; 25–2,000).
    #[arg(long, help = "Gate spacing, metres (25-2000) [A]", default_value_t = RadarConfig::default().gate_m)]
    pub gate_m: f64,
    /// Half-power beam width, degrees (default 1.0 \[A\]; 0.1–10).
    #[arg(long = "beam-width", value_name = "BEAM_WIDTH", help = "Half-power beam width, degrees (0.1-10) [A]", default_value_t = RadarConfig::default().beam_width_deg, allow_negative_numbers = true)]
    pub beam_width_deg: f64,
    /// Elevation angles of the scan, degrees (default 0.5, 1.5, 2.4 \[A\]; each −2–20, 1–20 of them).
    #[arg(
        long = "elevations",
        value_name = "ELEVATIONS",
        help = "Elevation angles, degrees, comma-separated (each -2 to 20, at most 20) [A]",
        value_delimiter = ',',
        default_value = "0.5,1.5,2.4",
        allow_hyphen_values = true
    )]
    pub elevations_deg: Vec<f64>,
    /// Antenna height above the ground (the tower), metres (default 30 \[A\]; 0–300).
    #[arg(long = "antenna-m", value_name = "ANTENNA_M", help = "Antenna (tower) height above ground, metres (0-300) [A]", default_value_t = RadarConfig::default().antenna_agl_m, allow_negative_numbers = true)]
    pub antenna_agl_m: f64,
    /// Refraction factor k of the effective Earth radius (default 4/3; 0.5–4).
    #[arg(long, help = "Refraction factor k of the effective Earth radius (0.5-4), default 4/3", default_value_t = RadarConfig::default().k)]
    pub k: f64,
    /// Low coverage height: the beam centre at most this far above the ground, metres
    /// (default 1,000; 50–20,000).
    #[arg(long, help = "Low coverage height above ground, metres (50-20000)", default_value_t = RadarConfig::default().low_agl_m)]
    pub low_agl_m: f64,
    /// High coverage height, metres (default 3,000; 50–20,000; ≥ the low one).
    #[arg(long, help = "High coverage height above ground, metres (50-20000, >= low)", default_value_t = RadarConfig::default().high_agl_m)]
    pub high_agl_m: f64,
    /// Largest cumulative beam blockage at which a gate still counts as covered, 0–1
    /// (default 0.5 \[A\]; DOMAIN.md §8 found no standard value).
    #[arg(long, help = "Largest cumulative blockage still counted as covered (0-1) [A]", default_value_t = RadarConfig::default().max_cbb, allow_negative_numbers = true)]
    pub max_cbb: f64,
}

impl Default for RadarConfig {
    fn default() -> Self {
        RadarConfig {
            range_km: 75.0,
            gate_m: 250.0,
            beam_width_deg: 1.0,
            elevations_deg: vec![0.5, 1.5, 2.4],
            antenna_agl_m: 30.0,
            k: 4.0 / 3.0,
            low_agl_m: 1_000.0,
            high_agl_m: 3_000.0,
            max_cbb: 0.5,
        }
    }
}

/// Where a radar may stand (the bureau's siting constraints).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, clap::Args)]
#[serde(default, deny_unknown_fields)]
pub struct SiteRules {
    /// Spacing of the candidate lattice, metres (default 2,000; 200–50,000).
    #[arg(long = "lattice-km", value_name = "LATTICE_KM", help = "Spacing of the candidate lattice, km (0.2-50)", default_value = "2", value_parser = km_in_metres)]
    pub lattice_m: f64,
    /// Lattice points within this distance outside the region are evaluated too, metres
    /// (default 2,000; 0–100,000).
    #[arg(long = "margin-km", value_name = "MARGIN_KM", help = "Margin of the lattice around the region, km (0-100); lattice points outside the region are evaluated and listed as excluded", default_value = "2", value_parser = km_in_metres)]
    pub margin_m: f64,
    /// No radar within this distance of an airport reference point, metres \[A\] 20,000
    /// (DOMAIN.md §2.3: ±15 km of the runway centreline and 20 km beyond its ends; runway
    /// headings are not in the data, so a disc; 0–200,000).
    #[arg(long = "airport-clearance-km", value_name = "AIRPORT_CLEARANCE_KM", help = "Airport clearance radius, km (0-200) [A]", default_value = "20", value_parser = km_in_metres)]
    pub airport_clearance_m: f64,
    /// No radar within this distance of a county seat (town centre), metres \[A\] 3,000 (0–200,000).
    #[arg(long = "town-buffer-km", value_name = "TOWN_BUFFER_KM", help = "Distance kept from county seats (town centres), km (0-200) [A]", default_value = "3", value_parser = km_in_metres)]
    pub county_seat_buffer_m: f64,
    /// No radar within this distance of a village or town point, metres \[A\] 500 (0–200,000).
    #[arg(long = "place-buffer-km", value_name = "PLACE_BUFFER_KM", help = "Distance kept from places (villages, towns), km (0-200) [A]", default_value = "0.5", value_parser = km_in_metres)]
    pub place_buffer_m: f64,
    /// No radar on terrain steeper than this (DEM slope), degrees \[A\] 15 (0–90).
    #[arg(long = "max-slope", value_name = "MAX_SLOPE", help = "Largest terrain slope at the site, degrees (0-90) [A]", default_value_t = SiteRules::default().max_slope_deg)]
    pub max_slope_deg: f64,
    /// Exclude candidates outside the region's counties (default true: policy clause 6 puts
    /// the radar 在朔州区域内, inside the city). Lattice points in the margin are still
    /// evaluated and listed, with this reason.
    #[arg(long = "allow-outside-region", help = "Allow radar sites outside the region (policy clause 6 says inside)", action = clap::ArgAction::SetFalse)]
    pub inside_region: bool,
}

impl Default for SiteRules {
    fn default() -> Self {
        SiteRules {
            lattice_m: 2_000.0,
            margin_m: 2_000.0,
            airport_clearance_m: 20_000.0,
            county_seat_buffer_m: 3_000.0,
            place_buffer_m: 500.0,
            max_slope_deg: 15.0,
            inside_region: true,
        }
    }
}

/// A `--...-km` flag read into metres (the ranges are checked with the other rules).
fn km_in_metres(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(km) if km.is_finite() => Ok(km * 1000.0),
        _ => Err(format!("'{text}' is not a number of km")),
    }
}

/// A parameter out of its range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("radar parameter {name} = {value} is out of range {min}..={max}{hint}")]
pub struct OutOfRange {
    /// The parameter.
    pub name: String,
    /// The value given.
    pub value: f64,
    /// Smallest allowed value.
    pub min: f64,
    /// Largest allowed value.
    pub max: f64,
    /// Extra advice (may be empty).
    pub hint: String,
}

fn check(name: &str, value: f64, (min, max): (f64, f64), hint: &str) -> Result<(), OutOfRange> {
    if value.is_finite() && value >= min && value <= max {
        Ok(())
    } else {
        Err(OutOfRange {
            name: name.into(),
            value,
            min,
            max,
            hint: hint.into(),
        })
    }
}

impl RadarConfig {
    /// Checks every value against its range.
    ///
    /// # Examples
    /// ```
    /// let mut config = wxmod::radar::RadarConfig::default();
    /// assert!(config.validate().is_ok());
    /// config.elevations_deg = vec![0.5, 25.0];
    /// assert!(config.validate().unwrap_err().to_string().contains("elevation"));
    /// ```
    pub fn validate(&self) -> Result<(), OutOfRange> {
        check("range_km", self.range_km, RANGE_KM_RANGE, "")?;
        check("gate_m", self.gate_m, GATE_M_RANGE, "")?;
        check(
            "beam_width_deg",
            self.beam_width_deg,
            BEAM_WIDTH_RANGE,
            " (a beam width must be > 0)",
        )?;
        check(
            "number of elevations",
            self.elevations_deg.len() as f64,
            (1.0, MAX_ELEVATIONS as f64),
            "",
        )?;
        for (i, &e) in self.elevations_deg.iter().enumerate() {
            check(
                &format!("elevation {} (degrees)", i + 1),
                e,
                ELEVATION_RANGE,
                "",
            )?;
        }
        check("antenna_agl_m", self.antenna_agl_m, ANTENNA_RANGE, "")?;
        check("k", self.k, K_RANGE, "")?;
        check("low_agl_m", self.low_agl_m, AGL_RANGE, "")?;
        check(
            "high_agl_m",
            self.high_agl_m,
            (self.low_agl_m.max(AGL_RANGE.0), AGL_RANGE.1),
            " (at least low_agl_m)",
        )?;
        check("max_cbb", self.max_cbb, (0.0, 1.0), "")?;
        let gates = self.range_km * 1000.0 / self.gate_m;
        check(
            "gates per ray (range_km·1000/gate_m)",
            gates,
            (1.0, 20_000.0),
            " (use wider gates for a long range)",
        )
    }

    /// Number of gates along a ray.
    pub fn gates(&self) -> usize {
        (self.range_km * 1000.0 / self.gate_m).floor() as usize
    }

    /// The lowest elevation angle, degrees.
    pub fn lowest_elevation_deg(&self) -> f64 {
        self.elevations_deg
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min)
    }
}

impl SiteRules {
    /// Checks every value against its range.
    pub fn validate(&self) -> Result<(), OutOfRange> {
        check("lattice_m", self.lattice_m, LATTICE_RANGE, "")?;
        check("margin_m", self.margin_m, MARGIN_RANGE, "")?;
        check(
            "airport_clearance_m",
            self.airport_clearance_m,
            BUFFER_RANGE,
            "",
        )?;
        check(
            "county_seat_buffer_m",
            self.county_seat_buffer_m,
            BUFFER_RANGE,
            "",
        )?;
        check("place_buffer_m", self.place_buffer_m, BUFFER_RANGE, "")?;
        check("max_slope_deg", self.max_slope_deg, SLOPE_RANGE, "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The flags' defaults (`wxmod radar` without options) are `RadarConfig::default()`, the
    /// elevation list's text included.
    #[test]
    fn the_flag_defaults_are_the_default_config() {
        #[derive(clap::Parser)]
        struct Flags {
            #[command(flatten)]
            config: RadarConfig,
            #[command(flatten)]
            rules: SiteRules,
        }
        let flags = <Flags as clap::Parser>::try_parse_from(["radar"]).unwrap();
        assert_eq!(flags.config, RadarConfig::default());
        assert_eq!(flags.rules, SiteRules::default());
        let given = <Flags as clap::Parser>::try_parse_from([
            "radar",
            "--elevations",
            "-0.5,1",
            "--beam-width",
            "2",
        ])
        .unwrap();
        assert_eq!(given.config.elevations_deg, vec![-0.5, 1.0]);
        assert_eq!(given.config.beam_width_deg, 2.0);
        let given = <Flags as clap::Parser>::try_parse_from([
            "radar",
            "--lattice-km",
            "0.5",
            "--allow-outside-region",
        ])
        .unwrap();
        assert_eq!(given.rules.lattice_m, 500.0);
        assert!(!given.rules.inside_region);
        assert!(<Flags as clap::Parser>::try_parse_from(["radar", "--margin-km", "inf"]).is_err());
    }
}
