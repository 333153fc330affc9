//! Capacity-building lines (能力建设): in the year a planned site is built (within the reported
//! years), the site or system itself, its launchers and its safes.

use super::assets::{Asset, note_counts};
use super::lines::Lines;
use super::{Horizon, LineItem};
use crate::catalog::Catalog;

/// Adds the capacity lines of every asset built in the reported years.
pub(super) fn add_lines(assets: &[Asset], horizon: Horizon, catalog: &Catalog, lines: &mut Lines) {
    for a in assets {
        let Some(built) = a
            .built
            .filter(|&b| a.planned && horizon.years().contains(&b))
        else {
            continue;
        };
        let label = a.label();
        let what = match &a.policy {
            Some(why) => why.clone(),
            None => format!("planned {label} ({built})"),
        };
        let new = format!("new {label}");
        let at = (built, a.county);
        lines.add(at, LineItem::NewSite(a.kind), (&what, ""), 1, &a.id);
        lines.add(
            at,
            LineItem::Launcher,
            (&new, "launcher"),
            a.launchers.into(),
            &a.id,
        );
        lines.add(at, LineItem::Safe, (&new, "safe"), a.safes.into(), &a.id);
        note_counts(&mut lines.used, a, catalog);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::Category;
    use crate::sites::SiteKind;

    fn asset(id: &str, kind: SiteKind, built: i32, planned: bool) -> Asset<'static> {
        Asset {
            id: id.into(),
            kind,
            county: 0,
            built: Some(built),
            planned,
            site: None,
            policy: None,
            launchers: 2,
            safes: 1,
            inspected: 2,
        }
    }

    #[test]
    fn only_planned_assets_built_in_the_reported_years_are_bought() {
        let catalog =
            crate::catalog::Catalog::read(&crate::catalog::bundled_catalog_path()).unwrap();
        let horizon = Horizon::new(2027, 2028, 2030).unwrap();
        let assets = [
            asset("in", SiteKind::FixedRocket, 2029, true),
            asset("before", SiteKind::FixedRocket, 2027, true),
            asset("after", SiteKind::FixedRocket, 2031, true),
            asset("existing", SiteKind::FixedRocket, 2029, false),
        ];
        let mut lines = Lines::default();
        add_lines(&assets, horizon, &catalog, &mut lines);
        let keys: Vec<_> = lines.map.keys().cloned().collect();
        assert_eq!(
            keys,
            vec![
                (
                    2029,
                    0,
                    Category::Capacity,
                    LineItem::NewSite(SiteKind::FixedRocket)
                ),
                (2029, 0, Category::Capacity, LineItem::Launcher),
                (2029, 0, Category::Capacity, LineItem::Safe),
            ]
        );
        let launchers = &lines.map[&keys[1]];
        assert_eq!(launchers.quantity, 2);
        assert_eq!(
            lines.map[&keys[0]].explanation(),
            "1 × planned standardized fixed rocket site (2029): in"
        );
    }
}
