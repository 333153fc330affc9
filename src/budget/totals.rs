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
        // One pass over the lines (a national budget has hundreds of thousands of lines and
        // thousands of counties): a row per county, then the region level's when it has lines.
        let years: Vec<i32> = self.horizon.years().collect();
        let index: std::collections::HashMap<&str, usize> = self
            .counties
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let region_row = self.counties.len();
        let mut sums = vec![vec![Yuan::default(); years.len()]; region_row + 1];
        let mut region_lines = false;
        for line in &self.lines {
            let row = match line.county.as_deref() {
                None => {
                    region_lines = true;
                    region_row
                }
                Some(id) => match index.get(id) {
                    Some(&i) => i,
                    None => continue,
                },
            };
            if let Some(y) = years.iter().position(|&y| y == line.year) {
                sums[row][y] = sums[row][y] + line.amount;
            }
        }
        if !region_lines {
            sums.pop();
        }
        sums.into_iter()
            .enumerate()
            .map(|(row, by_year)| {
                let county = self.counties.get(row).map(|c| c.id.as_str());
                CountyTotals {
                    county: county.map(str::to_string),
                    name: self.county_name(county),
                    total: by_year.iter().copied().sum(),
                    by_year,
                }
            })
            .collect()
    }

    /// The scope of the budget's counties: one city, a province, or several provinces.
    pub fn scope(&self) -> RegionScope {
        RegionScope::of_counties(self.counties.iter().map(|c| c.id.as_str()))
    }

    /// `name id` of a county, or for `None` the region level: `市级 City` (`省级 Province`
    /// when the counties span several cities).
    pub fn county_name(&self, county: Option<&str>) -> String {
        match county {
            None => self.scope().level_label().to_string(),
            Some(id) => self
                .counties
                .iter()
                .find(|c| c.id == id)
                .map_or_else(|| id.to_string(), |c| format!("{} {}", c.name, c.id)),
        }
    }
}
