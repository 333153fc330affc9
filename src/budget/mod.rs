//! The annual equipment budget (年度装备经费预算): what the plan, the catalog and the ledger
//! cost per county and year, line by line, grouped as the city policy groups the money
//! (朔政办发〔2022〕29号 clause 16; DOMAIN.md §5).
//!
//! [`budget`] is a pure function: plan sites + [`Catalog`] + optional [`LedgerFacts`] +
//! [`Horizon`] → [`Budget`]. Money is [`Yuan`] (exact fen); every line is quantity × unit price
//! of one catalog number, so a line's amount is exact and totals are sums of lines.
//!
//! **Capacity building (能力建设)**, in the year a site is planned (status `planned`, its
//! `year` within the reported years):
//! - the site or system itself (`kinds.<kind>.site_cost_yuan`): standardized fixed sites,
//!   burners, vehicle-mounted systems, AWS, radar;
//! - its launchers (`kinds.<kind>.launchers` × `items.rocket_launcher`) and safes
//!   (`kinds.<kind>.safes` × `items.ammunition_safe`);
//! - the policy items the plan lacks, in the first budget year: a six-element AWS for each
//!   county with none (existing or planned), the X-band radar when the city has none.
//!
//! **Operations (作业运行)**, each year for each operating site ([`Site::operating_in`]):
//! ammunition purchases from the forecast (the `ammunition` module); duty allowance and insurance for
//! `crew` operators per site.
//!
//! **Upkeep (运行维护)**, each year for each operating site: `upkeep_yuan_per_year`; the annual
//! inspection (年检) of each launcher or gun; renewal of the site or system, its launchers and
//! its safes every service life after the year it was built (`year` of the site; sites without
//! a year are listed in the notes).
//!
//! Launchers per site: the site file's optional `launchers` column, else the catalog's
//! `launchers`. Inspected units: the launchers; a gun site or vehicle-mounted system with none
//! counted has one (its gun, the vehicle's launcher) \[I\]; on a gun site the `launchers` column
//! counts guns, which are inspected but never bought or renewed (no new guns \[I\]).
//!
//! Planned sites built after the last reported year are not costed; the budget lists them
//! ([`Budget::beyond_horizon`]) and says so in its notes; [`through_covering`] gives the last
//! year that costs the whole rollout.
//!
//! Files: [`line`](mod@line) (what a line is), [`assets`](mod@assets) (what is costed),
//! [`capacity`](mod@capacity), [`operations`](mod@operations) and [`upkeep`](mod@upkeep) (the
//! lines of each category), [`lines`](mod@lines) (collecting and pricing), [`totals`](mod@totals).
//!
//! Lines priced 0 in the catalog are left out and named in the notes. The work is linear in
//! sites × years; the Shuozhou plan (200 sites, 9 years) takes milliseconds.

mod ammunition;
mod assets;
mod capacity;
mod facts;
mod from_ledger;
mod line;
mod lines;
mod operations;
mod totals;
mod upkeep;

use std::ops::RangeInclusive;

pub use ammunition::AmmoRow;
pub use facts::{LedgerFacts, StockLot, UseHistory};
pub use from_ledger::{HistoryWindow, budget_of_plan, facts_from_ledger};
pub use line::{BudgetLine, Category, LineItem, kind_en, site_label};
pub use totals::{Assumption, Budget, CountyTotals, YearTotals};

use crate::catalog::Catalog;
use crate::region::Region;
use crate::sites::{Site, SiteStatus};

/// The catalog item bought with new rocket sites.
pub const LAUNCHER_ITEM: &str = "rocket_launcher";
/// The catalog item bought with new sites that store ammunition.
pub const SAFE_ITEM: &str = "ammunition_safe";
/// The last year of the default horizon: the policy's 2035 goal (clause 2).
pub const DEFAULT_THROUGH: i32 = 2035;

/// A county as the budget names it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CountyRef {
    /// County id (adcode).
    pub id: String,
    /// County name.
    pub name: String,
}

impl CountyRef {
    /// The counties of a region, in region order.
    pub fn of_region(region: &Region) -> Vec<CountyRef> {
        region
            .counties
            .iter()
            .map(|c| CountyRef {
                id: c.id.clone(),
                name: c.name.clone(),
            })
            .collect()
    }
}

/// The years of a budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Horizon {
    /// The first budget year (normally next year): stock is counted from here, and the policy
    /// items the plan lacks are bought in it.
    pub start: i32,
    /// The first reported year (>= `start`).
    pub from: i32,
    /// The last reported year.
    pub through: i32,
}

impl Horizon {
    /// Years `from..=through` of a budget starting in `start`; refuses a reversed range, a
    /// range before `start`, or more than 100 years.
    ///
    /// # Examples
    /// ```
    /// use wxmod::budget::Horizon;
    /// let h = Horizon::new(2027, 2027, 2035).unwrap();
    /// assert_eq!(h.years().count(), 9);
    /// assert!(Horizon::new(2027, 2026, 2030).is_err());
    /// ```
    pub fn new(start: i32, from: i32, through: i32) -> Result<Horizon, BudgetError> {
        if from < start {
            return Err(BudgetError::Horizon(format!(
                "year {from} is before the first budget year {start}"
            )));
        }
        if through < from {
            return Err(BudgetError::Horizon(format!(
                "the horizon ends in {through}, before its first year {from}"
            )));
        }
        if through - start > 100 {
            return Err(BudgetError::Horizon(format!(
                "the horizon {start}–{through} is longer than 100 years"
            )));
        }
        Ok(Horizon {
            start,
            from,
            through,
        })
    }

    /// The reported years.
    pub fn years(&self) -> RangeInclusive<i32> {
        self.from..=self.through
    }
}

/// What the budget reads.
pub struct BudgetInputs<'a> {
    /// The plan: existing sites and planned ones with their year (a site file written by
    /// `wxmod plan`), each with its county.
    pub sites: &'a [Site],
    /// The counties of the region.
    pub counties: &'a [CountyRef],
    /// The catalog.
    pub catalog: &'a Catalog,
    /// Consumption history and stock from the ledger; without it the catalog's allowances
    /// stand in for history and no stock is counted.
    pub ledger: Option<&'a LedgerFacts>,
    /// The years.
    pub horizon: Horizon,
}

/// A budget that cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum BudgetError {
    /// The years are wrong; fix `--year`, `--through` or the start year.
    #[error("{0}")]
    Horizon(String),
    /// Sites of the plan cannot be costed; every problem is listed.
    #[error("{} in the plan:\n{}", count(problems.len()), problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Plan {
        /// Each problem, naming the site.
        problems: Vec<String>,
    },
    /// The catalog lacks an entry or has a negative price.
    #[error("catalog {path}: {reason}")]
    Catalog {
        /// The catalog file.
        path: String,
        /// What is wrong, naming the key.
        reason: String,
    },
    /// The ledger file could not be read.
    #[error("cannot read the ledger {path}: {source}")]
    LedgerRead {
        /// The ledger file.
        path: String,
        /// The ledger's error.
        source: crate::ledger::LedgerError,
    },
    /// The ledger facts cannot be used; every problem is listed.
    #[error("{} in the ledger facts:\n{}", count(problems.len()), problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Ledger {
        /// Each problem, naming the record.
        problems: Vec<String>,
    },
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 problem".into()
    } else {
        format!("{n} problems")
    }
}

/// The last year of a budget that costs every planned site of `sites`: `default` (normally
/// [`DEFAULT_THROUGH`]) or the last planned year, whichever is later.
///
/// # Examples
/// ```
/// use wxmod::budget::{through_covering, DEFAULT_THROUGH};
/// assert_eq!(through_covering(&[], DEFAULT_THROUGH), 2035);
/// ```
pub fn through_covering(sites: &[Site], default: i32) -> i32 {
    sites
        .iter()
        .filter(|s| s.status == SiteStatus::Planned)
        .filter_map(|s| s.year)
        .fold(default, i32::max)
}

/// Computes the budget.
///
/// # Examples
/// ```
/// use std::collections::BTreeMap;
/// use wxmod::budget::{budget, BudgetInputs, CountyRef, Horizon};
/// use wxmod::catalog::{Catalog, bundled_catalog_path};
/// use wxmod::sites::{Site, SiteKind, SiteStatus};
///
/// let catalog = Catalog::read(&bundled_catalog_path()).unwrap();
/// let counties = [CountyRef { id: "140602".into(), name: "朔城区".into() }];
/// let burner = Site { id: "B1".into(), name: String::new(), kind: SiteKind::Burner,
///     standardized: true, status: SiteStatus::Planned, year: Some(2027), lon: 112.4,
///     lat: 39.3, county: Some("140602".into()), extra: BTreeMap::new() };
/// let b = budget(&BudgetInputs { sites: &[burner], counties: &counties, catalog: &catalog,
///     ledger: None, horizon: Horizon::new(2027, 2027, 2027).unwrap() }).unwrap();
/// // the burner 163,000 + its upkeep 10,000 + 40 flares × 600, and the AWS and the radar the
/// // policy asks for: 60,000 + 8,000,000
/// assert_eq!(b.total().yuan(), 163_000.0 + 10_000.0 + 24_000.0 + 60_000.0 + 8_000_000.0);
/// ```
pub fn budget(inputs: &BudgetInputs) -> Result<Budget, BudgetError> {
    let catalog = inputs.catalog;
    let horizon = inputs.horizon;
    if let Some(f) = inputs.ledger {
        f.check(inputs.counties, catalog)?;
    }
    let mut notes = Vec::new();
    let assets = assets::assets(inputs, &mut notes)?;
    let mut lines = lines::Lines::default();
    capacity::add_lines(&assets, horizon, catalog, &mut lines);
    let demand = operations::add_crew_lines(&assets, horizon, catalog, &mut lines)?;
    upkeep::add_lines(&assets, horizon, catalog, &mut lines)?;
    let ammunition = operations::add_ammunition_lines(inputs, &demand, &mut lines);
    let (lines, used) = lines.price(catalog, inputs.counties, &mut notes)?;
    let beyond_horizon: Vec<(String, i32)> = assets
        .iter()
        .filter(|a| a.planned && a.site.is_some())
        .filter_map(|a| {
            a.built
                .filter(|&y| y > horizon.through)
                .map(|y| (a.id.clone(), y))
        })
        .collect();
    if let Some(last) = beyond_horizon.iter().map(|b| b.1).max() {
        notes.push(format!(
            "{} planned sites are built after {} and are not costed: {} (budget through {last} to cost the whole rollout)",
            beyond_horizon.len(),
            horizon.through,
            beyond_horizon
                .iter()
                .map(|(id, y)| format!("{id} ({y})"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let assumptions = used
        .iter()
        .filter(|k| catalog.is_assumed(k))
        .map(|k| Assumption {
            key: k.clone(),
            value: lines::catalog_value(catalog, k),
            source: catalog.source(k).unwrap_or_default().to_string(),
        })
        .collect();
    let basis = match inputs.ledger {
        Some(f) => format!(
            "ammunition use: ledger history per county and site kind, else the catalog allowance; stock: the ledger's serviceable lots ({})",
            f.description
        ),
        None => "ammunition use: the catalog's yearly allowance per site (no ledger given); no stock counted".to_string(),
    };
    Ok(Budget {
        horizon,
        counties: inputs.counties.to_vec(),
        lines,
        ammunition,
        assumptions,
        basis,
        notes,
        beyond_horizon,
    })
}
