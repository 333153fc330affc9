//! Units that travel in types: lengths in metres, money in fen (1/100 yuan) and arcs of
//! azimuth.
//!
//! Lengths given by users ("15km", "500m") are parsed once at the edge with
//! [`Metres::from_str`]; money is kept as whole fen in an `i64` so that budget totals add up
//! exactly, and shown in yuan (元) or in 万元 (10,000 yuan) as finance bureaus use. An
//! [`AzimuthInterval`] is the one arc type of the firing sectors (computed in `sectors`,
//! recorded and checked in `ledger`): a start and a clockwise width, 360 degrees being the
//! full circle.

use std::fmt;
use std::str::FromStr;

/// A length in metres.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, serde::Serialize, serde::Deserialize)]
pub struct Metres(pub f64);

impl Metres {
    /// A length given in kilometres.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(wxmod::units::Metres::from_km(15.0).0, 15_000.0);
    /// ```
    pub fn from_km(km: f64) -> Self {
        Metres(km * 1000.0)
    }

    /// The length in kilometres.
    pub fn km(self) -> f64 {
        self.0 / 1000.0
    }
}

/// A length that could not be read from text such as `15km` or `500m`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("'{text}' is not a length: {reason}")]
pub struct ParseLengthError {
    /// The text as given.
    pub text: String,
    /// What is wrong.
    pub reason: &'static str,
}

impl FromStr for Metres {
    type Err = ParseLengthError;

    /// Reads `15km`, `15 km` or `500m`; the length must be positive and finite, and carry its
    /// unit (a bare number is refused: `10` could mean 10 m or 10 km).
    ///
    /// # Examples
    /// ```
    /// use wxmod::units::Metres;
    /// assert_eq!("15km".parse::<Metres>().unwrap(), Metres(15_000.0));
    /// assert_eq!("500 m".parse::<Metres>().unwrap(), Metres(500.0));
    /// assert!("-3km".parse::<Metres>().is_err());
    /// assert!("10".parse::<Metres>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = |reason| ParseLengthError {
            text: text.to_string(),
            reason,
        };
        let trimmed = text.trim().to_ascii_lowercase();
        let (number, factor) = if let Some(n) = trimmed.strip_suffix("km") {
            (n, 1000.0)
        } else if let Some(n) = trimmed.strip_suffix('m') {
            (n, 1.0)
        } else if trimmed.trim().parse::<f64>().is_ok() {
            return Err(err(
                "a length needs its unit: write it with 'km' or 'm' (e.g. 10km, 7000m)",
            ));
        } else {
            return Err(err(
                "write a positive number with 'km' or 'm' (e.g. 15km, 500m)",
            ));
        };
        let value: f64 = number
            .trim()
            .parse()
            .map_err(|_| err("write a positive number with 'km' or 'm' (e.g. 15km, 500m)"))?;
        let metres = value * factor;
        if !metres.is_finite() || metres <= 0.0 {
            return Err(err("the length must be positive and finite"));
        }
        Ok(Metres(metres))
    }
}

impl fmt::Display for Metres {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 >= 1000.0 && (self.0 / 1000.0).fract() == 0.0 {
            write!(f, "{} km", self.0 / 1000.0)
        } else {
            write!(f, "{} m", self.0)
        }
    }
}

/// An amount of money in fen (分, 1/100 yuan), exact under addition.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Yuan {
    /// Whole fen.
    pub fen: i64,
}

impl Yuan {
    /// An amount of whole yuan.
    ///
    /// # Examples
    /// ```
    /// let price = wxmod::units::Yuan::from_yuan(2_500);
    /// assert_eq!(price.wan(), 0.25);
    /// ```
    pub fn from_yuan(yuan: i64) -> Self {
        Yuan { fen: yuan * 100 }
    }

    /// The amount in yuan (元).
    pub fn yuan(self) -> f64 {
        self.fen as f64 / 100.0
    }

    /// The amount in 万元 (10,000 yuan), the unit of budget tables.
    pub fn wan(self) -> f64 {
        self.fen as f64 / 1_000_000.0
    }
}

impl std::ops::Add for Yuan {
    type Output = Yuan;
    fn add(self, other: Yuan) -> Yuan {
        Yuan {
            fen: self.fen + other.fen,
        }
    }
}

impl std::ops::Mul<i64> for Yuan {
    type Output = Yuan;
    fn mul(self, quantity: i64) -> Yuan {
        Yuan {
            fen: self.fen * quantity,
        }
    }
}

impl std::iter::Sum for Yuan {
    fn sum<I: Iterator<Item = Yuan>>(iter: I) -> Yuan {
        iter.fold(Yuan::default(), |a, b| a + b)
    }
}

/// An arc of azimuths, degrees clockwise from north: a start and a clockwise width. The full
/// circle is width 360; an arc may run through north (start 350, width 20 ends at 10). The
/// one arc type of wxmod: the sectors computed in `sectors` and the firing sectors the ledger
/// checks (`ledger::AzimuthRange::arc`) both use it.
///
/// # Examples
/// ```
/// use wxmod::units::AzimuthInterval;
/// let across_north = AzimuthInterval::clockwise(350.0, 10.0);
/// assert_eq!(across_north.width_deg, 20.0);
/// assert!(across_north.contains(0.0) && across_north.contains(355.0) && !across_north.contains(11.0));
/// assert!(AzimuthInterval::clockwise(0.0, 360.0).is_full_circle());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct AzimuthInterval {
    /// Start, degrees in [0, 360).
    pub from_deg: f64,
    /// Width clockwise from the start, degrees (360 = the full circle).
    pub width_deg: f64,
}

impl AzimuthInterval {
    /// The clockwise arc from `from_deg` to `to_deg` (any degrees, taken modulo 360). Equal
    /// ends (0 and 360, or 40 and 40) give the full circle: a firing sector of one point
    /// would allow nothing, and no sector is recorded that way.
    pub fn clockwise(from_deg: f64, to_deg: f64) -> Self {
        let from_deg = from_deg.rem_euclid(360.0);
        let width = (to_deg - from_deg).rem_euclid(360.0);
        AzimuthInterval {
            from_deg,
            width_deg: if width == 0.0 { 360.0 } else { width },
        }
    }

    /// Whether the arc is the full circle.
    pub fn is_full_circle(&self) -> bool {
        self.width_deg >= 360.0
    }

    /// The end, degrees in (0, 360] (360 rather than 0 where the interval ends at north).
    pub fn to_deg(&self) -> f64 {
        if self.is_full_circle() {
            return 360.0;
        }
        let to = (self.from_deg + self.width_deg).rem_euclid(360.0);
        if to == 0.0 { 360.0 } else { to }
    }

    /// Whether an azimuth lies in the closed interval (any degrees, taken modulo 360).
    pub fn contains(&self, azimuth_deg: f64) -> bool {
        self.is_full_circle() || (azimuth_deg - self.from_deg).rem_euclid(360.0) <= self.width_deg
    }

    /// The middle azimuth, degrees in [0, 360).
    pub fn middle_deg(&self) -> f64 {
        (self.from_deg + self.width_deg / 2.0).rem_euclid(360.0)
    }
}

impl fmt::Display for AzimuthInterval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", trim(self.from_deg), trim(self.to_deg()))
    }
}

/// A number without trailing zeros (1, 0.5, 122.25).
pub(crate) fn trim(v: f64) -> String {
    let s = format!("{:.4}", v);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A place given as `LON,LAT` in WGS84 degrees (`wxmod plan --explain`, `wxmod radar --site`).
///
/// # Examples
/// ```
/// use wxmod::units::LonLat;
/// let seat: LonLat = "112.43, 39.33".parse().unwrap();
/// assert_eq!((seat.lon, seat.lat), (112.43, 39.33));
/// assert!("112.43".parse::<LonLat>().is_err());
/// assert!("39.33,112.43,0".parse::<LonLat>().is_err());
/// assert!("181,39".parse::<LonLat>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LonLat {
    /// Longitude, degrees east, -180 to 180.
    pub lon: f64,
    /// Latitude, degrees north, -90 to 90.
    pub lat: f64,
}

/// Text that is not `LON,LAT` in degrees.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{text}' is not LON,LAT in degrees (longitude -180 to 180, latitude -90 to 90): give LON,LAT, e.g. 112.73,39.65"
)]
pub struct ParseLonLatError {
    /// The text given.
    pub text: String,
}

impl FromStr for LonLat {
    type Err = ParseLonLatError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || ParseLonLatError {
            text: text.to_string(),
        };
        let (lon, lat) = text.split_once(',').ok_or_else(bad)?;
        let degrees = |part: &str, max: f64| {
            part.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && v.abs() <= max)
                .ok_or_else(bad)
        };
        Ok(LonLat {
            lon: degrees(lon, 180.0)?,
            lat: degrees(lat, 90.0)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::AzimuthInterval;

    #[test]
    fn the_full_circle_has_one_convention() {
        for (from, to) in [(0.0, 360.0), (0.0, 0.0), (40.0, 40.0), (123.5, 483.5)] {
            let arc = AzimuthInterval::clockwise(from, to);
            assert!(arc.is_full_circle(), "{from}-{to}");
            assert_eq!(arc.width_deg, 360.0);
            for az in [0.0, 39.9, 40.0, 180.0, 359.99, 360.0, -10.0, 725.0] {
                assert!(arc.contains(az), "{from}-{to} holds {az}");
            }
        }
        let full = AzimuthInterval {
            from_deg: 0.0,
            width_deg: 360.0,
        };
        assert_eq!(
            (full.to_deg(), full.to_string()),
            (360.0, "0-360".to_string())
        );
    }

    #[test]
    fn an_arc_wraps_through_north() {
        let arc = AzimuthInterval::clockwise(350.0, 10.0);
        assert_eq!((arc.from_deg, arc.width_deg), (350.0, 20.0));
        assert_eq!((arc.to_deg(), arc.middle_deg()), (10.0, 0.0));
        assert_eq!(arc.to_string(), "350-10");
        // Brute force: an azimuth is in the arc exactly when it is within 10 degrees of north.
        for tenth in -3600..7200 {
            let az = f64::from(tenth) / 10.0;
            let off_north = az.rem_euclid(360.0).min(360.0 - az.rem_euclid(360.0));
            assert_eq!(arc.contains(az), off_north <= 10.0 + 1e-9, "{az}");
        }
        // Ending at north: the end reads 360, not 0.
        let to_north = AzimuthInterval::clockwise(300.0, 360.0);
        assert_eq!((to_north.width_deg, to_north.to_deg()), (60.0, 360.0));
        assert!(to_north.contains(0.0) && !to_north.contains(0.1));
    }
}
