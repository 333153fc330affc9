//! The budget as a whole: its lines, the assumed numbers it used, and totals per year,
//! category and county.

use super::ammunition::AmmoRow;
use super::{BudgetLine, Category, CountyRef, Horizon};
use crate::region::RegionScope;
use crate::units::Yuan;

/// An assumed (\[A\]) catalog number the budget depends on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Assumption {
    /// Dotted catalog key.
    pub key: String,
    /// Its value as written in the catalog.
    pub value: String,
    /// Its source note.
    pub source: String,
}

/// Totals of one year.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct YearTotals {
    /// The year.
    pub year: i32,
    /// Per category, in [`Category::ALL`] order.
    pub by_category: [Yuan; 3],
    /// The year's total.
    pub total: Yuan,
}

/// Totals of one county (or the city level) per reported year.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CountyTotals {
    /// County id; `None` for the city level.
    pub county: Option<String>,
    /// Display name.
    pub name: String,
    /// Per reported year, in order.
    pub by_year: Vec<Yuan>,
    /// Over all reported years.
    pub total: Yuan,
}

/// The budget.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Budget {
    /// The years.
    pub horizon: Horizon,
    /// The counties, in region order.
    pub counties: Vec<CountyRef>,
    /// Every line, by year, county (city level last), category and item.
    pub lines: Vec<BudgetLine>,
    /// The ammunition forecast rows of the reported years.
    pub ammunition: Vec<AmmoRow>,
    /// Assumed catalog numbers the budget used.
    pub assumptions: Vec<Assumption>,
    /// Where ammunition use and stock came from.
    pub basis: String,
    /// Things a reader must know (sites without a year, items left out ...).
    pub notes: Vec<String>,
    /// Planned sites built after the last reported year, so not costed: (id, year).
    pub beyond_horizon: Vec<(String, i32)>,
}

impl Budget {
    /// The sum of all lines.
    pub fn total(&self) -> Yuan {
        self.lines.iter().map(|l| l.amount).sum()
    }

    /// The sum of the lines that match.
    pub fn total_where(&self, keep: impl Fn(&BudgetLine) -> bool) -> Yuan {
        self.lines
            .iter()
            .filter(|l| keep(l))
            .map(|l| l.amount)
            .sum()
    }

    /// Totals per reported year and category.
    pub fn by_year(&self) -> Vec<YearTotals> {
        self.horizon
            .years()
            .map(|year| {
                let by_category =
                    Category::ALL.map(|c| self.total_where(|l| l.year == year && l.category == c));
                YearTotals {
                    year,
                    by_category,
                    total: by_category.into_iter().sum(),
                }
            })
            .collect()
    }

    /// Totals per county (then the city level, when it has lines) and reported year.
    pub fn by_county(&self) -> Vec<CountyTotals> {
        let mut rows: Vec<Option<&str>> =
            self.counties.iter().map(|c| Some(c.id.as_str())).collect();
        if self.lines.iter().any(|l| l.county.is_none()) {
            rows.push(None);
        }
        rows.into_iter()
            .map(|county| {
                let by_year: Vec<Yuan> = self
                    .horizon
                    .years()
                    .map(|y| self.total_where(|l| l.year == y && l.county.as_deref() == county))
                    .collect();
                CountyTotals {
                    county: county.map(str::to_string),
                    name: self.county_name(county),
                    total: by_year.iter().copied().sum(),
                    by_year,
                }
            })
            .collect()
    }

    /// `name id` of a county, or for `None` the region level: `市级 City` (`省级 Province`
    /// when the counties span several cities).
    pub fn county_name(&self, county: Option<&str>) -> String {
        match county {
            None => RegionScope::of_counties(self.counties.iter().map(|c| c.id.as_str()))
                .level_label()
                .to_string(),
            Some(id) => self
                .counties
                .iter()
                .find(|c| c.id == id)
                .map_or_else(|| id.to_string(), |c| format!("{} {}", c.name, c.id)),
        }
    }
}
