//! Equipment rules: guns and launchers inspected within the inspection interval, 365 days by
//! default (DOMAIN L23, \[S1 art17\]); no use of equipment that failed inspection or was
//! scrapped (L24, \[S1 art18\]). Burners are not subject to the annual inspection rule.

use chrono::NaiveDate;

use super::{RuleId, Violation, require};
use crate::ledger::records::{Equipment, EquipmentKind};
use crate::ledger::thresholds::Thresholds;

/// L23 and L24 on the day of use.
///
/// # Examples
/// ```
/// use wxmod::ledger::{parse_date, Equipment, EquipmentKind, Thresholds};
/// use wxmod::ledger::rules::{equipment, RuleId};
/// let gun = Equipment { id: "G1".into(), kind: EquipmentKind::Gun, serial: "65-001".into(),
///     unit: "应县气象局".into(), site: None, inspected: Some(parse_date("2024-04-01").unwrap()),
///     inspection_passed: true, scrapped: false };
/// let day = parse_date("2025-06-12").unwrap();
/// assert_eq!(equipment::usable(&gun, day, &Thresholds::default()).unwrap_err().rule, RuleId::L23);
/// ```
pub fn usable(
    equipment: &Equipment,
    day: NaiveDate,
    thresholds: &Thresholds,
) -> Result<(), Violation> {
    require(!equipment.scrapped, RuleId::L24, || {
        format!("{} {} has been scrapped", equipment.kind, equipment.id)
    })?;
    require(equipment.inspection_passed, RuleId::L24, || {
        format!(
            "{} {} failed its last inspection",
            equipment.kind, equipment.id
        )
    })?;
    if equipment.kind == EquipmentKind::Burner {
        return Ok(());
    }
    let interval = thresholds.inspection_interval_days;
    match equipment.inspected {
        None => Err(Violation::new(
            RuleId::L23,
            format!(
                "{} {} has no annual inspection on record",
                equipment.kind, equipment.id
            ),
        )),
        Some(inspected) => require(
            inspected <= day && (day - inspected).num_days() <= interval,
            RuleId::L23,
            || {
                format!(
                    "{} {} was last inspected on {inspected}, more than {interval} days before {day}",
                    equipment.kind, equipment.id
                )
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::clock::parse_date;

    #[test]
    fn inspection_is_valid_for_the_interval() {
        let t = Thresholds::default();
        let mut e = Equipment {
            id: "L1".into(),
            kind: EquipmentKind::Launcher,
            serial: "X".into(),
            unit: "U".into(),
            site: None,
            inspected: Some(parse_date("2024-06-12").unwrap()),
            inspection_passed: true,
            scrapped: false,
        };
        assert!(usable(&e, parse_date("2025-06-12").unwrap(), &t).is_ok());
        assert_eq!(
            usable(&e, parse_date("2025-06-13").unwrap(), &t)
                .unwrap_err()
                .rule,
            RuleId::L23
        );
        e.inspection_passed = false;
        assert_eq!(
            usable(&e, parse_date("2025-01-01").unwrap(), &t)
                .unwrap_err()
                .rule,
            RuleId::L24
        );
        e.kind = EquipmentKind::Burner;
        e.inspection_passed = true;
        e.inspected = None;
        assert!(usable(&e, parse_date("2025-01-01").unwrap(), &t).is_ok());
    }
}
