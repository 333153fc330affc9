//! Operations lines (作业运行): duty allowance and insurance for the crew of every operating
//! site, and ammunition purchases from the forecast (the `ammunition` module) of the sites'
//! yearly demand.

use std::collections::BTreeMap;

use super::ammunition::{self, AmmoRow, Demand};
use super::assets::Asset;
use super::lines::Lines;
use super::{BudgetError, BudgetInputs, Horizon, LineItem};
use crate::catalog::Catalog;

/// Adds the crew lines of the reported years and returns the ammunition demand of every
/// year from the first budget year (stock is counted from there).
pub(super) fn add_crew_lines(
    assets: &[Asset],
    horizon: Horizon,
    catalog: &Catalog,
    lines: &mut Lines,
) -> Result<Demand, BudgetError> {
    let mut demand: Demand = BTreeMap::new();
    for year in horizon.start..=horizon.through {
        for a in assets.iter().filter(|a| a.operating_in(year)) {
            let s = catalog.kind(a.kind);
            if let Some(item) = &s.ammunition {
                demand
                    .entry((year, a.county, item.clone()))
                    .or_default()
                    .entry(a.kind)
                    .or_default()
                    .push(a.id.clone());
            }
            if year < horizon.from || s.crew == 0 {
                continue;
            }
            lines.used.insert(format!("kinds.{}.crew", a.kind));
            let operating = format!("operating {}", a.label());
            let crew = s.crew.into();
            for item in [LineItem::DutyAllowance, LineItem::Insurance] {
                lines.add(
                    (year, a.county),
                    item,
                    (&operating, "operator"),
                    crew,
                    &a.id,
                );
            }
        }
    }
    Ok(demand)
}

/// Forecasts ammunition from the demand, adds a purchase line per county, year and item that
/// needs one, and returns the forecast rows.
pub(super) fn add_ammunition_lines(
    inputs: &BudgetInputs,
    demand: &Demand,
    lines: &mut Lines,
) -> Vec<AmmoRow> {
    let horizon = inputs.horizon;
    let (rows, keys) = ammunition::forecast(&ammunition::ForecastInput {
        catalog: inputs.catalog,
        counties: inputs.counties,
        facts: inputs.ledger,
        start: horizon.start,
        from: horizon.from,
        through: horizon.through,
        demand,
    });
    lines.used.extend(keys);
    for r in &rows {
        let Some(c) = r
            .county
            .as_ref()
            .and_then(|id| inputs.counties.iter().position(|x| &x.id == id))
        else {
            continue;
        };
        if r.purchase > 0 {
            let item = LineItem::Ammunition(r.item.clone());
            let acc = lines
                .map
                .entry((r.year, c, item.category(), item))
                .or_default();
            acc.quantity = r.purchase;
            acc.text = Some(r.explanation.clone());
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::Category;
    use crate::sites::SiteKind;

    #[test]
    fn every_operator_of_every_operating_site_is_paid_and_insured_each_year() {
        let catalog = Catalog::read(&crate::catalog::bundled_catalog_path()).unwrap();
        let crew = i64::from(catalog.kind(SiteKind::FixedGun).crew);
        assert!(crew > 0);
        let gun = Asset {
            id: "G1".into(),
            kind: SiteKind::FixedGun,
            county: 0,
            built: Some(2020),
            planned: false,
            site: None,
            policy: None,
            launchers: 0,
            safes: 1,
            inspected: 1,
        };
        let horizon = Horizon::new(2027, 2028, 2029).unwrap();
        let mut lines = Lines::default();
        let demand = add_crew_lines(&[gun], horizon, &catalog, &mut lines).unwrap();
        // Demand from the first budget year, lines only in the reported years.
        assert_eq!(demand.len(), 3);
        for year in [2028, 2029] {
            for item in [LineItem::DutyAllowance, LineItem::Insurance] {
                let acc = &lines.map[&(year, 0, Category::Operations, item)];
                assert_eq!(acc.quantity, crew);
            }
        }
        assert_eq!(lines.map.len(), 4);
    }
}
