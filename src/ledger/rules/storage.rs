//! Storage rules: qualified depots with a keeper and within capacity, flares segregated, book
//! equal to stock, and temporary storage at sites (DOMAIN L6-L12, \[S1 art16\], \[S2 art37,41,42\],
//! \[S5\]).
//!
//! Capacities are per item class; `held` is what the location holds now (for a depot,
//! including transfers on their way to it) and `incoming` what the event adds.

use super::{RuleId, Violation, require};
use crate::ledger::records::{Depot, DepotKind, Item, ItemClass, OperationPoint, StockHolder};
use crate::ledger::thresholds::Thresholds;

/// L6: a civil-explosives store needs its licence number (army and armed-forces-department
/// depots are qualified by their kind).
pub fn qualified_depot(depot: &Depot) -> Result<(), Violation> {
    let licensed = depot
        .licence
        .as_deref()
        .is_some_and(|l| !l.trim().is_empty());
    require(
        depot.kind != DepotKind::CivilExplosivesStore || licensed,
        RuleId::L6,
        || {
            format!(
                "depot {} is a civil-explosives store without a licence number",
                depot.id
            )
        },
    )
}

/// L7: a depot has a dedicated keeper.
pub fn dedicated_keeper(depot: &Depot) -> Result<(), Violation> {
    require(!depot.keeper.trim().is_empty(), RuleId::L7, || {
        format!("depot {} has no dedicated keeper", depot.id)
    })
}

/// L7 and L9: a depot holds at most its capacity of each class; a depot without flare
/// capacity has no segregated flare store (L9).
///
/// # Examples
/// ```
/// use wxmod::ledger::{Capacity, Depot, DepotKind, ItemClass};
/// use wxmod::ledger::rules::{storage, RuleId};
/// let depot = Depot { id: "D".into(), name: "D".into(), kind: DepotKind::Military, licence: None,
///     keeper: "王".into(), capacity: Capacity { rocket: 100, shell: 0, flare: 0 } };
/// assert!(storage::depot_capacity(&depot, ItemClass::Rocket, 90, 10).is_ok());
/// assert_eq!(storage::depot_capacity(&depot, ItemClass::Rocket, 90, 11).unwrap_err().rule, RuleId::L7);
/// assert_eq!(storage::depot_capacity(&depot, ItemClass::Flare, 0, 1).unwrap_err().rule, RuleId::L9);
/// ```
pub fn depot_capacity(
    depot: &Depot,
    class: ItemClass,
    held: i64,
    incoming: i64,
) -> Result<(), Violation> {
    let capacity = depot.capacity.get(class);
    if class == ItemClass::Flare && capacity == 0 {
        return Err(Violation::new(
            RuleId::L9,
            format!(
                "depot {} has no segregated store for AgI flares (flare capacity 0)",
                depot.id
            ),
        ));
    }
    // Summed wide: no stored or asked quantity can wrap the total.
    let total = i128::from(held) + i128::from(incoming);
    require(total <= i128::from(capacity), RuleId::L7, || {
        format!(
            "depot {} would hold {total} {class}s, over its capacity of {capacity} ({held} held or on the way, {incoming} more)",
            depot.id,
        )
    })
}

/// L8: the book never goes below zero: a movement takes at most what the book shows.
pub fn enough_stock(location: &StockHolder, item: &Item, held: i64) -> Result<(), Violation> {
    require(item.quantity <= held, RuleId::L8, || {
        let condition = if item.condition.is_good() {
            String::new()
        } else {
            format!(" {}", item.condition)
        };
        format!(
            "{location} holds {held}{condition} of lot {}, not the {} asked for",
            item.lot, item.quantity
        )
    })
}

/// L10: a site stores a class only with a temporary store for it and a dedicated guard.
pub fn site_may_store(site: &OperationPoint, class: ItemClass) -> Result<(), Violation> {
    require(site.capacity.get(class) > 0, RuleId::L10, || {
        format!("site {} has no temporary store for {class}s", site.id)
    })?;
    require(
        site.guard.as_deref().is_some_and(|g| !g.trim().is_empty()),
        RuleId::L10,
        || {
            format!(
                "site {} has no dedicated guard for its temporary store",
                site.id
            )
        },
    )
}

/// L11: a site holds at most its safe capacity of each class.
pub fn site_capacity(
    site: &OperationPoint,
    class: ItemClass,
    held: i64,
    incoming: i64,
) -> Result<(), Violation> {
    let capacity = site.capacity.get(class);
    let total = i128::from(held) + i128::from(incoming);
    require(total <= i128::from(capacity), RuleId::L11, || {
        format!(
            "site {} would hold {total} {class}s, over its safe capacity of {capacity} ({held} held, {incoming} more)",
            site.id,
        )
    })
}

/// L12: one issue carries at most one operation period's need of a class.
pub fn period_need(
    site: &str,
    class: ItemClass,
    quantity: i64,
    thresholds: &Thresholds,
) -> Result<(), Violation> {
    let need = thresholds.period_need.get(class);
    require(quantity <= need, RuleId::L12, || {
        format!(
            "issuing {quantity} {class}s to site {site} exceeds one operation period's need of {need}"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::records::{Capacity, Condition, PointKind};

    fn site(guard: Option<&str>) -> OperationPoint {
        OperationPoint {
            id: "S1".into(),
            name: "S1".into(),
            kind: PointKind::FixedRocket,
            county: "朔城区".into(),
            lon: 112.4,
            lat: 39.3,
            standardized: true,
            capacity: Capacity {
                rocket: 30,
                shell: 0,
                flare: 0,
            },
            guard: guard.map(String::from),
        }
    }

    #[test]
    fn sites_need_a_store_and_a_guard() {
        assert!(site_may_store(&site(Some("李")), ItemClass::Rocket).is_ok());
        assert_eq!(
            site_may_store(&site(None), ItemClass::Rocket)
                .unwrap_err()
                .rule,
            RuleId::L10
        );
        assert_eq!(
            site_may_store(&site(Some("李")), ItemClass::Shell)
                .unwrap_err()
                .rule,
            RuleId::L10
        );
        assert!(site_capacity(&site(None), ItemClass::Rocket, 20, 10).is_ok());
        assert_eq!(
            site_capacity(&site(None), ItemClass::Rocket, 20, 11)
                .unwrap_err()
                .rule,
            RuleId::L11
        );
    }

    #[test]
    fn stock_never_goes_below_zero() {
        let loc = StockHolder::Site("S1".into());
        let item = Item::new("A", 5, Condition::Dud);
        assert!(enough_stock(&loc, &item, 5).is_ok());
        let err = enough_stock(&loc, &item, 4).unwrap_err();
        assert_eq!(err.rule, RuleId::L8);
        assert!(
            err.message.contains("site:S1 holds 4 dud of lot A"),
            "{}",
            err.message
        );
    }

    #[test]
    fn civil_stores_need_a_licence_and_depots_a_keeper() {
        let mut depot = Depot {
            id: "D".into(),
            name: "D".into(),
            kind: DepotKind::CivilExplosivesStore,
            licence: Some(" ".into()),
            keeper: String::new(),
            capacity: Capacity::default(),
        };
        assert_eq!(qualified_depot(&depot).unwrap_err().rule, RuleId::L6);
        assert_eq!(dedicated_keeper(&depot).unwrap_err().rule, RuleId::L7);
        depot.kind = DepotKind::ArmedForcesDepartment;
        assert!(qualified_depot(&depot).is_ok());
    }

    #[test]
    fn period_need_caps_one_issue() {
        let t = Thresholds::default();
        assert!(period_need("S1", ItemClass::Rocket, 20, &t).is_ok());
        assert_eq!(
            period_need("S1", ItemClass::Rocket, 21, &t)
                .unwrap_err()
                .rule,
            RuleId::L12
        );
    }
}
