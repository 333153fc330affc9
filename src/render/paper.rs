//! Paper sizes for printed maps (A4, A3) and their size in pixels.
//!
//! A map is laid out on a sheet in millimetres and drawn at a resolution in dots per inch:
//! A4 landscape at 150 dpi is 297 x 210 mm = 1754 x 1240 px. The PNG has that pixel size; the
//! SVG uses the same pixel units in its `viewBox` and declares the sheet's size in millimetres,
//! so both print at true scale.

use std::fmt;

/// Default resolution, dots per inch: sharp on paper, small enough to render in milliseconds.
pub const DEFAULT_DPI: f64 = 150.0;

/// Resolutions accepted by [`Paper::new`], dots per inch.
pub const DPI_RANGE: std::ops::RangeInclusive<f64> = 50.0..=600.0;

/// An ISO 216 sheet size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaperSize {
    /// 210 x 297 mm.
    A4,
    /// 297 x 420 mm.
    A3,
}

impl PaperSize {
    /// The short and the long side in millimetres.
    pub fn sides_mm(self) -> (f64, f64) {
        match self {
            PaperSize::A4 => (210.0, 297.0),
            PaperSize::A3 => (297.0, 420.0),
        }
    }
}

impl std::str::FromStr for PaperSize {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "a4" => Ok(PaperSize::A4),
            "a3" => Ok(PaperSize::A3),
            other => Err(format!("unknown paper size '{other}': use a4 or a3")),
        }
    }
}

impl fmt::Display for PaperSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PaperSize::A4 => "A4",
            PaperSize::A3 => "A3",
        })
    }
}

/// Which side of the sheet is horizontal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Orientation {
    /// Long side horizontal.
    Landscape,
    /// Long side vertical.
    Portrait,
}

/// A sheet: size, orientation and resolution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paper {
    /// The sheet size.
    pub size: PaperSize,
    /// The orientation.
    pub orientation: Orientation,
    /// Resolution of the PNG (and of the SVG's pixel units), dots per inch.
    pub dpi: f64,
}

impl Paper {
    /// A sheet at [`DEFAULT_DPI`].
    pub fn new(size: PaperSize, orientation: Orientation) -> Paper {
        Paper {
            size,
            orientation,
            dpi: DEFAULT_DPI,
        }
    }

    /// A4 landscape at 150 dpi.
    pub fn a4_landscape() -> Paper {
        Paper::new(PaperSize::A4, Orientation::Landscape)
    }

    /// The same sheet at another resolution.
    pub fn with_dpi(self, dpi: f64) -> Paper {
        Paper { dpi, ..self }
    }

    /// The sheet turned to suit an extent of `width` x `height` (any unit): landscape when
    /// the extent is at least as wide as it is tall.
    pub fn oriented_for(self, width: f64, height: f64) -> Paper {
        let orientation = if width >= height {
            Orientation::Landscape
        } else {
            Orientation::Portrait
        };
        Paper {
            orientation,
            ..self
        }
    }

    /// Width and height in millimetres.
    pub fn size_mm(&self) -> (f64, f64) {
        let (short, long) = self.size.sides_mm();
        match self.orientation {
            Orientation::Landscape => (long, short),
            Orientation::Portrait => (short, long),
        }
    }

    /// Width and height in pixels at the sheet's resolution.
    ///
    /// # Examples
    /// ```
    /// use wxmod::render::{Orientation, Paper, PaperSize};
    /// assert_eq!(Paper::a4_landscape().pixel_size(), (1754, 1240));
    /// assert_eq!(Paper::new(PaperSize::A3, Orientation::Portrait).pixel_size(), (1754, 2480));
    /// ```
    pub fn pixel_size(&self) -> (u32, u32) {
        let (w, h) = self.size_mm();
        let px = |mm: f64| (mm / 25.4 * self.dpi).round() as u32;
        (px(w), px(h))
    }

    /// Pixels per millimetre on the sheet.
    pub fn px_per_mm(&self) -> f64 {
        self.dpi / 25.4
    }
}

impl Default for Paper {
    fn default() -> Self {
        Paper::a4_landscape()
    }
}
