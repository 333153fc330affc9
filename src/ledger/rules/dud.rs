//! Dud rules: an unfired (misfired) rocket is recorded by rocket and box number (DOMAIN L26,
//! \[S39\]); misfired rounds are scrap and are never issued or fired again (L27, \[S37\]). The
//! investigation of a fallen dud (L28, \[S6\]) is a deadline listed by `ledger check`.

use super::{RuleId, Violation, require};
use crate::ledger::event::Dud;
use crate::ledger::records::{DudKind, Item, ItemClass};

/// L26: a misfired rocket is recorded with one serial number per round and its box number.
pub fn unfired_rocket_recorded(dud: &Dud, class: ItemClass) -> Result<(), Violation> {
    if dud.kind != DudKind::Misfire || class != ItemClass::Rocket {
        return Ok(());
    }
    require(
        dud.serials.len() as i64 == dud.quantity,
        RuleId::L26,
        || {
            format!(
                "{} unfired rocket(s) of lot {} at site {} need {} rocket number(s), got {}",
                dud.quantity,
                dud.lot,
                dud.site,
                dud.quantity,
                dud.serials.len()
            )
        },
    )?;
    require(
        dud.box_number
            .as_deref()
            .is_some_and(|b| !b.trim().is_empty()),
        RuleId::L26,
        || {
            format!(
                "unfired rockets of lot {} at site {} need the number of the box they were put back in",
                dud.lot, dud.site
            )
        },
    )
}

/// L27: only serviceable rounds are issued or fired.
pub fn serviceable(item: &Item) -> Result<(), Violation> {
    require(item.condition.is_good(), RuleId::L27, || {
        format!(
            "{} dud round(s) of lot {} are scrap: return them to a depot for destruction",
            item.quantity, item.lot
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::records::Condition;

    fn dud(serials: Vec<i64>, box_number: Option<&str>) -> Dud {
        Dud {
            site: "S".into(),
            lot: "L".into(),
            quantity: 2,
            kind: DudKind::Misfire,
            serials,
            box_number: box_number.map(String::from),
            bearing_deg: None,
            distance_m: None,
            note: None,
        }
    }

    #[test]
    fn misfired_rockets_need_numbers_and_box() {
        assert!(unfired_rocket_recorded(&dud(vec![1, 2], Some("B7")), ItemClass::Rocket).is_ok());
        assert_eq!(
            unfired_rocket_recorded(&dud(vec![1], Some("B7")), ItemClass::Rocket)
                .unwrap_err()
                .rule,
            RuleId::L26
        );
        assert_eq!(
            unfired_rocket_recorded(&dud(vec![1, 2], None), ItemClass::Rocket)
                .unwrap_err()
                .rule,
            RuleId::L26
        );
        assert!(unfired_rocket_recorded(&dud(vec![], None), ItemClass::Shell).is_ok());
    }

    #[test]
    fn duds_are_never_reissued() {
        let item = Item::new("L", 1, Condition::Dud);
        assert_eq!(serviceable(&item).unwrap_err().rule, RuleId::L27);
    }
}
