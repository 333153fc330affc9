//! Units that travel in types: lengths in metres and money in fen (1/100 yuan).
//!
//! Lengths given by users ("15km", "500m") are parsed once at the edge with
//! [`Metres::from_str`]; money is kept as whole fen in an `i64` so that budget totals add up
//! exactly, and shown in yuan (元) or in 万元 (10,000 yuan) as finance bureaus use.

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
