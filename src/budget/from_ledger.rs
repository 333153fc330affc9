//! Reads the budget's [`LedgerFacts`] from an ammunition ledger ([`Ledger`], 弹药装备台账):
//! the consumption history per county and site kind, and the serviceable stock by lot.
//!
//! **History.** The history years are the most recent years before the first budget year in
//! which the ledger records any firing, at most `max_years` of them. For each county and site
//! kind: rounds = every round fired by sites of that kind in those years (a site's kind and
//! county come from the plan when it lists the site, else from the ledger's register of
//! operation points); site-years = Σ over the history years of the plan's sites of that kind
//! operating in the county that year, and never fewer than the sites that actually fired. Only
//! county-kind pairs that fired at all get a history; the others keep the catalog allowance.
//!
//! **Stock.** Every serviceable (`good`) lot line; duds are not stock. Ammunition at an
//! operation point belongs to the point's county; ammunition in a depot or in transit is the
//! city depot's, shared among the counties. The ledger's item classes map to the catalog's
//! items through the site kinds that use them (rocket → `kinds.fixed_rocket.ammunition`,
//! shell → `kinds.fixed_gun.ammunition`, flare → `kinds.burner.ammunition`).
//!
//! County names or codes in the ledger are matched to the region's county ids or names.
//! Cost: one consumption query and one stock query, plus one register lookup per site the plan
//! does not list.

use std::collections::{BTreeMap, BTreeSet};

use super::{BudgetError, CountyRef, LedgerFacts, StockLot, UseHistory};
use crate::catalog::Catalog;
use crate::ledger::{
    Condition, Grouping, ItemClass, Ledger, LedgerError, StockFilter, StockHolder,
};
use crate::sites::{Site, SiteKind};

/// How much history to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryWindow {
    /// History ends the year before this one (the first budget year).
    pub before: i32,
    /// At most this many years with firings, the most recent ones (default 5 \[A\]).
    pub max_years: usize,
}

impl HistoryWindow {
    /// The default window for a budget starting in `start`: up to 5 years of firings before it.
    pub fn before(start: i32) -> HistoryWindow {
        HistoryWindow {
            before: start,
            max_years: 5,
        }
    }
}

/// The site kind that uses each ledger item class.
fn class_kind(class: ItemClass) -> SiteKind {
    match class {
        ItemClass::Rocket => SiteKind::FixedRocket,
        ItemClass::Shell => SiteKind::FixedGun,
        ItemClass::Flare => SiteKind::Burner,
    }
}

/// Costs the plan `sites` of `region` over `horizon`: [`super::budget`] with the region's
/// counties and, when a ledger is given, its consumption history (firings before the first
/// budget year) and stock. What `wxmod budget` and `wxmod run` both do.
pub fn budget_of_plan(
    region: &crate::region::Region,
    sites: &[Site],
    catalog: &Catalog,
    ledger: Option<&Ledger>,
    horizon: super::Horizon,
) -> Result<super::Budget, BudgetError> {
    let counties = CountyRef::of_region(region);
    let facts = ledger
        .map(|ledger| {
            facts_from_ledger(
                ledger,
                sites,
                &counties,
                catalog,
                HistoryWindow::before(horizon.start),
            )
        })
        .transpose()?;
    super::budget(&super::BudgetInputs {
        sites,
        counties: &counties,
        catalog,
        ledger: facts.as_ref(),
        horizon,
    })
}

/// Reads the facts; `sites` is the plan, used for site kinds, counties and site-years.
pub fn facts_from_ledger(
    ledger: &Ledger,
    sites: &[Site],
    counties: &[CountyRef],
    catalog: &Catalog,
    window: HistoryWindow,
) -> Result<LedgerFacts, BudgetError> {
    let path = ledger.path().display().to_string();
    let read = |source: LedgerError| BudgetError::LedgerRead {
        path: path.clone(),
        source,
    };
    let county_of = |text: &str| -> Option<String> {
        counties
            .iter()
            .find(|c| c.id == text.trim() || c.name == text.trim())
            .map(|c| c.id.clone())
    };
    let plan_site = |id: &str| sites.iter().find(|s| s.id == id);
    let mut problems = Vec::new();

    // History.
    let rows = ledger
        .consumption(
            &[Grouping::Site, Grouping::Class, Grouping::Year],
            None,
            None,
        )
        .map_err(read)?;
    let fired_years: BTreeSet<i32> = rows
        .iter()
        .filter(|r| r.rounds > 0)
        .filter_map(|r| r.period.as_deref()?.parse::<i32>().ok())
        .filter(|&y| y < window.before)
        .collect();
    let years: Vec<i32> = fired_years
        .iter()
        .rev()
        .take(window.max_years)
        .rev()
        .copied()
        .collect();
    let mut rounds: BTreeMap<(String, SiteKind), i64> = BTreeMap::new();
    let mut fired: BTreeMap<(String, SiteKind), BTreeSet<(String, i32)>> = BTreeMap::new();
    let mut register: BTreeMap<String, Option<(String, SiteKind)>> = BTreeMap::new();
    for r in &rows {
        let Some(year) = r.period.as_deref().and_then(|p| p.parse::<i32>().ok()) else {
            continue;
        };
        if !years.contains(&year) || r.rounds <= 0 {
            continue;
        }
        let Some(site_id) = r.site.as_deref() else {
            continue;
        };
        let place = match plan_site(site_id) {
            Some(s) => s.county.clone().map(|c| (c, s.kind)),
            None => {
                if !register.contains_key(site_id) {
                    let point = ledger.site(site_id).map_err(read)?;
                    let found = point.and_then(|p| {
                        let kind = p.kind.name().parse::<SiteKind>().ok()?;
                        match county_of(&p.county) {
                            Some(c) => Some((c, kind)),
                            None => {
                                problems.push(format!(
                                    "ledger site {site_id}: county '{}' is not a county of the region",
                                    p.county
                                ));
                                None
                            }
                        }
                    });
                    register.insert(site_id.to_string(), found);
                }
                register.get(site_id).cloned().flatten()
            }
        };
        let Some((county, kind)) = place else {
            continue;
        };
        if let Some(class) = r.class
            && class_kind(class) != kind
            && !(class == ItemClass::Rocket && kind == SiteKind::MobileRocketBase)
        {
            problems.push(format!(
                "ledger site {site_id} ({kind}) fired {} rounds of class {}",
                r.rounds,
                class.name()
            ));
            continue;
        }
        *rounds.entry((county.clone(), kind)).or_default() += r.rounds;
        fired
            .entry((county, kind))
            .or_default()
            .insert((site_id.to_string(), year));
    }
    let mut use_history = Vec::new();
    for ((county, kind), total) in rounds {
        let planned: usize = years
            .iter()
            .map(|&y| {
                sites
                    .iter()
                    .filter(|s| {
                        s.kind == kind
                            && s.county.as_deref() == Some(county.as_str())
                            && s.operating_in(Some(y))
                    })
                    .count()
            })
            .sum();
        let fired_site_years = fired.get(&(county.clone(), kind)).map_or(0, |f| f.len());
        use_history.push(UseHistory {
            county,
            kind,
            site_years: planned.max(fired_site_years) as u32,
            rounds: total,
        });
    }

    // Stock.
    let lines = ledger.stock(&StockFilter::default()).map_err(read)?;
    let mut lots: BTreeMap<(String, Option<String>, String, chrono::NaiveDate), i64> =
        BTreeMap::new();
    for l in lines
        .iter()
        .filter(|l| l.condition == Condition::Good && l.quantity > 0)
    {
        let Some(item) = catalog.kind(class_kind(l.class)).ammunition.clone() else {
            problems.push(format!(
                "ledger lot {}: no catalog item for class {} (kinds.{}.ammunition)",
                l.lot,
                l.class.name(),
                class_kind(l.class)
            ));
            continue;
        };
        let county = match &l.location {
            StockHolder::Site(id) => {
                let c = plan_site(id)
                    .and_then(|s| s.county.clone())
                    .or_else(|| l.county.as_deref().and_then(county_of));
                if c.is_none() {
                    problems.push(format!(
                        "ledger lot {} at site {id}: county '{}' is not a county of the region",
                        l.lot,
                        l.county.as_deref().unwrap_or("")
                    ));
                    continue;
                }
                c
            }
            StockHolder::Depot(_) | StockHolder::Transit(_) => None,
        };
        let label = format!("{}@{}:{}", l.lot, l.location.kind(), l.location.id());
        *lots.entry((item, county, label, l.expires)).or_default() += l.quantity;
    }
    if !problems.is_empty() {
        return Err(BudgetError::Ledger { problems });
    }
    let stock_lots = lots
        .into_iter()
        .map(|((item, county, lot, expires), quantity)| StockLot {
            item,
            county,
            lot,
            quantity,
            expires,
        })
        .collect();
    let span = match (years.first(), years.last()) {
        (Some(a), Some(b)) if a == b => format!("firings of {a}"),
        (Some(a), Some(b)) => format!("firings of {a}–{b}"),
        _ => format!("no firings before {}", window.before),
    };
    Ok(LedgerFacts {
        description: format!("ledger {path}: {span}, stock as recorded"),
        use_history,
        stock_lots,
    })
}
