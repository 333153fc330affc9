//! Upkeep lines (运行维护): every reported year, each operating site's yearly upkeep and the
//! annual inspection (年检) of its launchers or guns; renewal of the site, its launchers and its
//! safes every service life after the year it was built.

use super::assets::Asset;
use super::lines::Lines;
use super::{BudgetError, Horizon, LAUNCHER_ITEM, LineItem, SAFE_ITEM};
use crate::catalog::Catalog;
use crate::sites::SiteKind;

/// Adds the upkeep, inspection and renewal lines of the reported years.
pub(super) fn add_lines(
    assets: &[Asset],
    horizon: Horizon,
    catalog: &Catalog,
    lines: &mut Lines,
) -> Result<(), BudgetError> {
    for year in horizon.years() {
        for a in assets.iter().filter(|a| a.operating_in(year)) {
            let s = catalog.kind(a.kind);
            let label = a.label();
            let operating = format!("operating {label}");
            let at = (year, a.county);
            lines.add(at, LineItem::Upkeep(a.kind), (&operating, ""), 1, &a.id);
            let (what, unit) = if a.launchers > 0 {
                (operating.clone(), "launcher")
            } else if a.kind == SiteKind::FixedGun {
                (format!("{operating} [I]"), "gun")
            } else {
                (format!("{operating} [I]"), "launcher")
            };
            lines.add(
                at,
                LineItem::Inspection,
                (&what, unit),
                a.inspected.into(),
                &a.id,
            );
            // Renewals every service life after the year built.
            let Some(built) = a.built else { continue };
            let due = |life: u32| life > 0 && year > built && (year - built) % life as i32 == 0;
            let life = s.service_life_years;
            lines
                .used
                .insert(format!("kinds.{}.service_life_years", a.kind));
            if due(life) {
                let what = format!("{label} built {built} ({life}-year service life)");
                lines.add(at, LineItem::Renewal(a.kind), (&what, ""), 1, &a.id);
            }
            for (count, item, line, unit) in [
                (
                    a.launchers,
                    LAUNCHER_ITEM,
                    LineItem::LauncherRenewal,
                    "launcher",
                ),
                (a.safes, SAFE_ITEM, LineItem::SafeRenewal, "safe"),
            ] {
                if count == 0 {
                    continue;
                }
                let life = catalog.items.get(item).map_or(0, |i| i.shelf_life_years);
                lines.used.insert(format!("items.{item}.shelf_life_years"));
                if due(life) {
                    let what = format!("{label} built {built} ({unit} service life {life} years)");
                    lines.add(at, line, (&what, unit), count.into(), &a.id);
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::Category;

    #[test]
    fn a_site_is_renewed_every_service_life_after_it_was_built() {
        let catalog = Catalog::read(&crate::catalog::bundled_catalog_path()).unwrap();
        let life = catalog.kind(SiteKind::Burner).service_life_years as i32;
        assert!(life > 0);
        let burner = Asset {
            id: "B1".into(),
            kind: SiteKind::Burner,
            county: 0,
            built: Some(2000),
            planned: false,
            site: None,
            policy: None,
            launchers: 0,
            safes: 0,
            inspected: 0,
        };
        let start = 2000 + life - 1;
        let horizon = Horizon::new(start, start, 2000 + 2 * life).unwrap();
        let mut lines = Lines::default();
        add_lines(&[burner], horizon, &catalog, &mut lines).unwrap();
        let renewals: Vec<i32> = lines
            .map
            .keys()
            .filter(|k| k.3 == LineItem::Renewal(SiteKind::Burner))
            .map(|k| k.0)
            .collect();
        assert_eq!(renewals, vec![2000 + life, 2000 + 2 * life]);
        let upkeep_years = lines
            .map
            .keys()
            .filter(|k| k.2 == Category::Upkeep && k.3 == LineItem::Upkeep(SiteKind::Burner))
            .count() as i32;
        assert_eq!(upkeep_years, life + 2);
        // No launchers, no inspection.
        assert!(!lines.map.keys().any(|k| k.3 == LineItem::Inspection));
    }
}
