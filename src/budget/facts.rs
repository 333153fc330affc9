//! What the budget takes from the ammunition ledger (弹药台账): consumption history and current
//! stock, as plain values so that the budget can be computed and tested without a database.
//!
//! Quantities are whole rounds (or flares); dates are calendar days. [`LedgerFacts::check`]
//! refuses facts the budget cannot use (unknown county or item, negative quantity, history over
//! no site-years), naming the record. The adapter from a ledger file fills these structs.

use chrono::{Datelike, NaiveDate};

use super::{BudgetError, CountyRef};
use crate::catalog::Catalog;
use crate::sites::SiteKind;

/// Rounds fired by the sites of one kind in one county over a span of history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UseHistory {
    /// County id.
    pub county: String,
    /// Site kind.
    pub kind: SiteKind,
    /// Site-years of operation behind the figure (sites × years each operated).
    pub site_years: u32,
    /// Rounds (or flares) fired in those site-years.
    pub rounds: i64,
}

impl UseHistory {
    /// Expected rounds for `sites` sites in one year: the mean per site-year times the sites,
    /// rounded up (a budget does not plan for a fraction of a round).
    ///
    /// # Examples
    /// ```
    /// use wxmod::budget::UseHistory;
    /// use wxmod::sites::SiteKind;
    /// let h = UseHistory { county: "140602".into(), kind: SiteKind::FixedRocket, site_years: 8, rounds: 100 };
    /// assert_eq!(h.expected(3), 38); // 100 / 8 = 12.5 per site-year; 3 sites: 37.5, rounded up
    /// ```
    pub fn expected(&self, sites: u32) -> i64 {
        let num = i128::from(self.rounds) * i128::from(sites);
        let den = i128::from(self.site_years.max(1));
        ((num + den - 1) / den) as i64
    }
}

/// One lot of ammunition in stock.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StockLot {
    /// The catalog item (`rocket`, `shell_37mm`, `flare`).
    pub item: String,
    /// County holding it (a site's store); `None` for the city depot, which serves every county.
    pub county: Option<String>,
    /// Lot number (for explanations).
    pub lot: String,
    /// Serviceable rounds.
    pub quantity: i64,
    /// Last usable day.
    pub expires: NaiveDate,
}

impl StockLot {
    /// The last year whose whole operating season the lot can serve: the year of its expiry
    /// date when that is 31 December, else the year before (a lot that expires in June cannot
    /// be counted on for that year's use).
    pub fn last_usable_year(&self) -> i32 {
        if self.expires.month() == 12 && self.expires.day() == 31 {
            self.expires.year()
        } else {
            self.expires.year() - 1
        }
    }
}

/// The ledger's facts as of one day.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct LedgerFacts {
    /// What the facts were read from (shown in the report), e.g. "ledger wxmod.db, firings
    /// 2022–2026, stock as of 2026-11-29".
    pub description: String,
    /// Consumption history by county and site kind.
    pub use_history: Vec<UseHistory>,
    /// Serviceable stock by lot.
    pub stock_lots: Vec<StockLot>,
}

impl LedgerFacts {
    /// Checks the facts against the counties and the catalog; lists every problem.
    pub fn check(&self, counties: &[CountyRef], catalog: &Catalog) -> Result<(), BudgetError> {
        let mut problems = Vec::new();
        let known = |id: &str| counties.iter().any(|c| c.id == id);
        for (i, h) in self.use_history.iter().enumerate() {
            let at = format!("use history {} ({} {})", i + 1, h.county, h.kind);
            if !known(&h.county) {
                problems.push(format!("{at}: county {} is not in the region", h.county));
            }
            if h.site_years == 0 {
                problems.push(format!("{at}: site_years must be positive"));
            }
            if h.rounds < 0 {
                problems.push(format!("{at}: rounds {} is negative", h.rounds));
            }
            if catalog.kind(h.kind).ammunition.is_none() {
                problems.push(format!("{at}: the kind {} uses no ammunition", h.kind));
            }
        }
        for (i, s) in self.stock_lots.iter().enumerate() {
            let at = format!("stock lot {} ({})", i + 1, s.lot);
            if let Some(c) = &s.county
                && !known(c)
            {
                problems.push(format!("{at}: county {c} is not in the region"));
            }
            if s.quantity < 0 {
                problems.push(format!("{at}: quantity {} is negative", s.quantity));
            }
            let used = SiteKind::ALL
                .iter()
                .any(|&k| catalog.kind(k).ammunition.as_deref() == Some(s.item.as_str()));
            if !used {
                problems.push(format!(
                    "{at}: item '{}' is not the ammunition of any site kind in the catalog",
                    s.item
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(BudgetError::Ledger { problems })
        }
    }

    /// The history of one county and kind, summed over records.
    pub(super) fn history(&self, county: &str, kind: SiteKind) -> Option<UseHistory> {
        let mut found: Option<UseHistory> = None;
        for h in self
            .use_history
            .iter()
            .filter(|h| h.county == county && h.kind == kind)
        {
            let acc = found.get_or_insert(UseHistory {
                county: county.to_string(),
                kind,
                site_years: 0,
                rounds: 0,
            });
            acc.site_years += h.site_years;
            acc.rounds += h.rounds;
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lot_serves_a_year_only_when_it_lasts_to_its_end() {
        let lot = |d: &str| StockLot {
            item: "rocket".into(),
            county: None,
            lot: "L".into(),
            quantity: 1,
            expires: d.parse().unwrap(),
        };
        assert_eq!(lot("2029-12-31").last_usable_year(), 2029);
        assert_eq!(lot("2029-12-30").last_usable_year(), 2028);
        assert_eq!(lot("2029-01-01").last_usable_year(), 2028);
    }
}
