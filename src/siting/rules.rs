//! The siting rules and their defaults (DOMAIN.md §2.1–2.3); every value is configurable from
//! a TOML file and every assumed default is tagged \[A\].

use std::path::{Path, PathBuf};

/// Where new points may go, how many per year, and how burners are placed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SitingRules {
    /// Spacing of the candidate lattice, metres (default 500).
    pub candidate_spacing_m: f64,
    /// No point within this distance of a county seat (dense town), metres \[A\] 3,000.
    pub county_seat_buffer_m: f64,
    /// No point within this distance of a village or town point, metres \[A\] 300
    /// (DOMAIN.md §2.3: 300 m to residential buildings).
    pub place_buffer_m: f64,
    /// No point within this distance of an airport reference point, metres \[A\] 20,000
    /// (DOMAIN.md §2.3: ±15 km of the runway centreline and 20 km beyond its ends; runway
    /// headings are not in the bundled data, so a disc is used).
    pub airport_clearance_m: f64,
    /// No point on terrain steeper than this, degrees \[A\] 15.
    pub max_slope_deg: f64,
    /// The first year of the rollout.
    pub start_year: i32,
    /// New standardized points per county per year, at most \[P\] 2.
    pub max_new_per_county_per_year: usize,
    /// New standardized points per county per year, at least \[P\] 1 (while any are needed).
    pub min_new_per_county_per_year: usize,
    /// Burners go to land at or above this elevation, metres \[A\] 1,500.
    pub burner_min_elevation_m: f64,
    /// Direction the prevailing wind blows from, degrees clockwise from north \[A\] 315 (north-west,
    /// winter orographic snow).
    pub prevailing_wind_from_deg: f64,
    /// Width of the downwind sector a burner reaches, degrees \[A\] 180.
    pub burner_sector_deg: f64,
    /// Spacing of the high-mountain demand points burners must reach, metres (default 1,000).
    pub burner_demand_spacing_m: f64,
    /// New burners per county per year, at most \[A\] 2.
    pub max_new_burners_per_county_per_year: usize,
    /// A further burner is placed only while it newly reaches at least this much
    /// high-mountain land, km² \[A\] 20 (stops the long tail of burners for slivers).
    pub burner_min_new_km2: f64,
}

impl Default for SitingRules {
    fn default() -> Self {
        SitingRules {
            candidate_spacing_m: 500.0,
            county_seat_buffer_m: 3_000.0,
            place_buffer_m: 300.0,
            airport_clearance_m: 20_000.0,
            max_slope_deg: 15.0,
            start_year: 2027,
            max_new_per_county_per_year: 2,
            min_new_per_county_per_year: 1,
            burner_min_elevation_m: 1_500.0,
            prevailing_wind_from_deg: 315.0,
            burner_sector_deg: 180.0,
            burner_demand_spacing_m: 1_000.0,
            max_new_burners_per_county_per_year: 2,
            burner_min_new_km2: 20.0,
        }
    }
}

/// A rules file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// The file could not be read.
    #[error("cannot read siting rules {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is invalid.
    #[error("siting rules {path}: {reason}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

impl SitingRules {
    /// Reads rules from TOML; missing keys keep their defaults.
    pub fn read(path: &Path) -> Result<SitingRules, RulesError> {
        let text = crate::files::read_text(path).map_err(|e| RulesError::Read {
            path: path.to_path_buf(),
            source: e,
        })?;
        let rules: SitingRules = toml::from_str(&text).map_err(|e| RulesError::Invalid {
            path: path.to_path_buf(),
            reason: e.message().to_string(),
        })?;
        rules.check().map_err(|reason| RulesError::Invalid {
            path: path.to_path_buf(),
            reason,
        })?;
        Ok(rules)
    }

    /// Each numeric rule with its value and the range it must lie in (inclusive), as the
    /// README's table states it: wide enough for any real plan, narrow enough that no value
    /// makes a run unbounded. One table, so a name can never be paired with another's value.
    fn ranged(&self) -> [(&'static str, f64, f64, f64); 12] {
        [
            (
                "candidate_spacing_m",
                self.candidate_spacing_m,
                100.0,
                5_000.0,
            ),
            (
                "county_seat_buffer_m",
                self.county_seat_buffer_m,
                0.0,
                50_000.0,
            ),
            ("place_buffer_m", self.place_buffer_m, 0.0, 10_000.0),
            (
                "airport_clearance_m",
                self.airport_clearance_m,
                0.0,
                100_000.0,
            ),
            ("max_slope_deg", self.max_slope_deg, 0.0, 90.0),
            (
                "burner_min_elevation_m",
                self.burner_min_elevation_m,
                -500.0,
                9_000.0,
            ),
            (
                "prevailing_wind_from_deg",
                self.prevailing_wind_from_deg,
                0.0,
                360.0,
            ),
            ("burner_sector_deg", self.burner_sector_deg, 1.0, 360.0),
            (
                "burner_demand_spacing_m",
                self.burner_demand_spacing_m,
                100.0,
                10_000.0,
            ),
            ("burner_min_new_km2", self.burner_min_new_km2, 0.0, 10_000.0),
            (
                "max_new_per_county_per_year",
                self.max_new_per_county_per_year as f64,
                1.0,
                100.0,
            ),
            (
                "max_new_burners_per_county_per_year",
                self.max_new_burners_per_county_per_year as f64,
                1.0,
                100.0,
            ),
        ]
    }

    /// Checks every rule against its range (see `ranged`) and that the yearly limits make
    /// sense.
    pub fn check(&self) -> Result<(), String> {
        for (name, value, low, high) in self.ranged() {
            if !(value >= low && value <= high) {
                return Err(format!(
                    "{name} must be between {low} and {high}, got {value}"
                ));
            }
        }
        if !(2000..=2100).contains(&self.start_year) {
            return Err(format!(
                "start_year must be between 2000 and 2100, got {}",
                self.start_year
            ));
        }
        if self.max_new_per_county_per_year == 0
            || self.min_new_per_county_per_year > self.max_new_per_county_per_year
        {
            return Err(
                "need 1 <= min_new_per_county_per_year <= max_new_per_county_per_year".into(),
            );
        }
        if self.max_new_burners_per_county_per_year == 0 {
            return Err("max_new_burners_per_county_per_year must be at least 1".into());
        }
        Ok(())
    }
}
