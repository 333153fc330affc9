//! The ranges of every number a user gives a job, checked before any work starts, and the
//! resource guard on grid sizes.
//!
//! A number outside its range is refused with a message naming the flag, the value and the
//! range ([`LimitError`]); the same ranges hold in every command that takes the flag. A grid
//! whose cell count would exceed [`DEFAULT_MAX_CELLS`] is refused with the estimate, before
//! any cell is built, so that a mistyped size cannot exhaust memory or time.

use crate::region::Region;

/// A closed range for a flag, with its unit for messages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    /// The flag, e.g. `--size`.
    pub flag: &'static str,
    /// Smallest value allowed.
    pub min: f64,
    /// Largest value allowed.
    pub max: f64,
    /// Unit, for messages ("m", "years" ...; empty for pure numbers).
    pub unit: &'static str,
}

/// Grid cell size, metres: 1 km to 1,000 km.
pub const GRID_SIZE: Limit = Limit {
    flag: "--size",
    min: 1_000.0,
    max: 1_000_000.0,
    unit: "m",
};
/// Grid origin coordinates in the projected CRS, metres.
pub const GRID_ORIGIN: Limit = Limit {
    flag: "--origin",
    min: -1e7,
    max: 1e7,
    unit: "m",
};
/// Share of a full cell from which a cell requires a point.
pub const MIN_SHARE: Limit = Limit {
    flag: "--min-share",
    min: 0.0,
    max: 1.0,
    unit: "",
};
/// Spacing of the coverage objective's lattices, metres: 500 m to 50 km.
pub const COVERAGE_SPACING: Limit = Limit {
    flag: "--coverage-spacing",
    min: 500.0,
    max: 50_000.0,
    unit: "m",
};
/// Points of the coverage objective (maximal covering).
pub const POINTS: Limit = Limit {
    flag: "--points",
    min: 1.0,
    max: 100_000.0,
    unit: "",
};
/// Solver time limit, seconds.
pub const TIME_LIMIT: Limit = Limit {
    flag: "--time-limit",
    min: 0.001,
    max: 3_600.0,
    unit: "s",
};
/// Time limit of `wxmod cover`, seconds (0: the greedy answer, its local search and the root
/// bound, no branching).
pub const COVER_TIME_LIMIT: Limit = Limit {
    flag: "--time-limit",
    min: 0.0,
    max: 86_400.0,
    unit: "s",
};
/// Accepted relative gap of `wxmod cover` (objective vs bound).
pub const COVER_GAP: Limit = Limit {
    flag: "--gap",
    min: 0.0,
    max: 1.0,
    unit: "",
};
/// Planning years (start of the rollout, network year, budget years).
pub const YEAR: Limit = Limit {
    flag: "year",
    min: 2000.0,
    max: 2100.0,
    unit: "",
};
/// Map resolution, dots per inch.
pub const DPI: Limit = Limit {
    flag: "--dpi",
    min: 30.0,
    max: 600.0,
    unit: "dpi",
};
/// Share of the time a wind direction must blow to count.
pub const WIND_FREQUENCY: Limit = Limit {
    flag: "--min-wind-frequency",
    min: 0.0,
    max: 1.0,
    unit: "",
};

/// Largest number of cells a grid may have (about 2 million: a 10 km grid over all of China has
/// about 100,000).
pub const DEFAULT_MAX_CELLS: u64 = 2_000_000;

/// A number outside its range, or a grid too large to build.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LimitError {
    /// A value outside its range.
    #[error("{flag} {value}: must be between {min} and {max}{unit}")]
    OutOfRange {
        /// The flag.
        flag: &'static str,
        /// The value given.
        value: String,
        /// The smallest allowed.
        min: f64,
        /// The largest allowed.
        max: f64,
        /// " m", " s" ... or "".
        unit: String,
    },
    /// A grid with too many cells.
    #[error(
        "a {size_m} m grid over {region} would have about {estimate} cells, more than the limit of {max}; use a larger --size (or raise --max-cells)"
    )]
    TooManyCells {
        /// Cell size, metres.
        size_m: f64,
        /// The region's name.
        region: String,
        /// The estimate (cells of the region's bounding box).
        estimate: u64,
        /// The limit.
        max: u64,
    },
}

impl Limit {
    /// Checks a value (NaN is outside every range).
    pub fn check(&self, value: f64) -> Result<f64, LimitError> {
        if value >= self.min && value <= self.max {
            return Ok(value);
        }
        Err(self.refusal(number_text(value), self.unit))
    }

    /// Checks a number of seconds and gives it as a duration (a huge or NaN value is refused
    /// here, before a conversion that could not hold it).
    pub fn duration(&self, seconds: f64) -> Result<std::time::Duration, LimitError> {
        let seconds = self.check(seconds)?;
        std::time::Duration::try_from_secs_f64(seconds)
            .map_err(|_| self.refusal(number_text(seconds), self.unit))
    }

    /// Checks a whole number (kept exact in the message).
    pub fn check_count(&self, value: u64) -> Result<u64, LimitError> {
        if value as f64 >= self.min && value as f64 <= self.max {
            return Ok(value);
        }
        Err(self.refusal(value.to_string(), ""))
    }

    /// The refusal of `value` (as the user reads it), with `unit` after the range.
    fn refusal(&self, value: String, unit: &str) -> LimitError {
        LimitError::OutOfRange {
            flag: self.flag,
            value,
            min: self.min,
            max: self.max,
            unit: if unit.is_empty() {
                String::new()
            } else {
                format!(" {unit}")
            },
        }
    }

    /// Checks a year, naming `flag`.
    pub fn check_year(&self, flag: &'static str, year: i32) -> Result<i32, LimitError> {
        Limit { flag, ..*self }.check(f64::from(year)).map(|_| year)
    }
}

/// A number as a reader writes it: `1e300` rather than 301 digits.
fn number_text(value: f64) -> String {
    let size = value.abs();
    if size != 0.0 && !(1e-3..1e9).contains(&size) {
        format!("{value:e}")
    } else {
        value.to_string()
    }
}

/// An upper estimate of a grid's cells over the region (cells of its projected bounding box).
pub fn estimated_cells(region: &Region, size_m: f64) -> u64 {
    let bounds = region.projected_bounds();
    let along = |extent: f64| (extent / size_m).ceil().max(0.0) + 1.0;
    let cells = along(bounds.width()) * along(bounds.height());
    if cells.is_finite() && cells < u64::MAX as f64 {
        cells as u64
    } else {
        u64::MAX
    }
}

/// Refuses a grid whose estimated cell count exceeds `max`.
pub fn check_cells(region: &Region, size_m: f64, max: u64) -> Result<u64, LimitError> {
    let estimate = estimated_cells(region, size_m);
    if estimate > max {
        return Err(LimitError::TooManyCells {
            size_m,
            region: region.name.clone(),
            estimate,
            max,
        });
    }
    Ok(estimate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_refuse_both_ends_and_nan() {
        assert!(GRID_SIZE.check(10_000.0).is_ok());
        assert!(GRID_SIZE.check(10.0).is_err());
        assert!(GRID_SIZE.check(1e308).is_err());
        assert!(GRID_SIZE.check(f64::NAN).is_err());
        assert!(POINTS.check_count(u64::MAX).is_err());
        assert!(POINTS.check_count(0).is_err());
        assert!(POINTS.check_count(20).is_ok());
        let err = YEAR.check_year("--start-year", 99_999).unwrap_err();
        assert_eq!(
            err.to_string(),
            "--start-year 99999: must be between 2000 and 2100"
        );
    }
}
