//! The policy's grid standard, with the source of every number.
//!
//! Shanxi's 晋政办发〔2022〕2号 (DOMAIN.md §2.1 \[S14\]) sets a 15 km grid for standardized fixed
//! operation points over all county land and a 10 km grid over the priority zones (grain,
//! economic forest/fruit, ecological protection and restoration; Shuozhou's policy \[P\] adds
//! pasture). When a boundary cell "needs" a point is not written in the policy: wxmod asks for
//! one where the cell holds at least a fifth of a full cell of land, an assumed default \[A\]
//! that `--min-share` changes. Every Shanxi city and the province plan under these numbers.

use crate::grid::GridSpec;

/// A number of the policy with its source tag (\[S14\], \[P\], \[A\] ...).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Tagged<T> {
    /// The value.
    pub value: T,
    /// Its source tag, as in DOMAIN.md.
    pub tag: &'static str,
}

impl<T> Tagged<T> {
    /// Whether the value is an assumed default (\[A\]) rather than a sourced figure.
    pub fn is_assumed(&self) -> bool {
        self.tag.contains("[A]")
    }
}

/// The grid standard a region plans under.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct GridPolicy {
    /// Cell size of the base grid over all county land, in metres (15 km).
    pub base_cell_m: Tagged<f64>,
    /// Cell size of the priority-zone grid, in metres (10 km).
    pub priority_cell_m: Tagged<f64>,
    /// Share of a full cell's area of land (or zone land) from which a cell requires a point.
    pub min_cell_share: Tagged<f64>,
}

/// The Shanxi standard (晋政办发〔2022〕2号), as the Shuozhou policy applies it.
pub const SHANXI: GridPolicy = GridPolicy {
    base_cell_m: Tagged {
        value: 15_000.0,
        tag: "[S14][P]",
    },
    priority_cell_m: Tagged {
        value: 10_000.0,
        tag: "[S14][P]",
    },
    min_cell_share: Tagged {
        value: crate::grid::DEFAULT_MIN_CELL_SHARE,
        tag: "[A]",
    },
};

impl GridPolicy {
    /// The base grid's layout (origin at the CRS origin, so lines fall on multiples of the size).
    pub fn base(&self) -> GridSpec {
        GridSpec::new(self.base_cell_m.value)
    }

    /// The priority grid's layout.
    pub fn priority(&self) -> GridSpec {
        GridSpec::new(self.priority_cell_m.value)
    }

    /// Whether a grid of this cell size is laid over the priority zones rather than over all land
    /// (the priority grid is the denser one).
    pub fn is_priority_size(&self, cell_m: f64) -> bool {
        cell_m <= self.priority_cell_m.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_is_fifteen_and_ten_km_with_an_assumed_share() {
        assert_eq!(SHANXI.base().cell_size_m, 15_000.0);
        assert_eq!(SHANXI.priority().cell_size_m, 10_000.0);
        assert!(SHANXI.min_cell_share.is_assumed());
        assert!(!SHANXI.base_cell_m.is_assumed());
        assert!(SHANXI.is_priority_size(10_000.0));
        assert!(!SHANXI.is_priority_size(15_000.0));
    }
}
