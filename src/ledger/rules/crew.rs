//! Crew rules: each firing has at least the minimum crew (DOMAIN L21: rocket 3, gun 4), every
//! member filed with public security for guns and rockets (L19), adult and certified for that
//! equipment on the day (L20), and insured (L22).

use chrono::{Months, NaiveDate, NaiveDateTime};

use super::{RuleId, Violation, require};
use crate::ledger::records::{EquipmentKind, Operator};
use crate::ledger::thresholds::Thresholds;

/// L19-L22 for one firing: `crew` pairs each given operator id with its registration, if any.
pub fn crew(
    kind: EquipmentKind,
    crew: &[(String, Option<Operator>)],
    at: NaiveDateTime,
    thresholds: &Thresholds,
) -> Result<(), Violation> {
    let minimum = match kind {
        EquipmentKind::Launcher => thresholds.crew_min.launcher,
        EquipmentKind::Gun => thresholds.crew_min.gun,
        EquipmentKind::Burner => thresholds.crew_min.burner,
    };
    let mut ids: Vec<&str> = crew.iter().map(|(id, _)| id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    require(ids.len() as i64 >= minimum, RuleId::L21, || {
        format!(
            "a {kind} firing needs a crew of at least {minimum}, got {}",
            ids.len()
        )
    })?;
    let day = at.date();
    for (id, operator) in crew {
        let operator = operator.as_ref().ok_or_else(|| {
            Violation::new(
                RuleId::L19,
                format!("operator {id} is not on the ledger's filed operator list"),
            )
        })?;
        if kind != EquipmentKind::Burner {
            require(
                operator.police_registered.is_some_and(|d| d <= day),
                RuleId::L19,
                || {
                    format!(
                        "operator {id} ({}) is not filed with public security",
                        operator.name
                    )
                },
            )?;
        }
        require(operator.certificate_expiry >= day, RuleId::L20, || {
            format!(
                "operator {id} ({}): certificate {} expired on {}",
                operator.name, operator.certificate, operator.certificate_expiry
            )
        })?;
        require(operator.equipment.contains(&kind), RuleId::L20, || {
            format!(
                "operator {id} ({}): certificate {} does not cover {kind}s",
                operator.name, operator.certificate
            )
        })?;
        adult(operator, day, thresholds)?;
        require(
            operator.insurance_expiry.is_some_and(|d| d >= day),
            RuleId::L22,
            || match operator.insurance_expiry {
                Some(d) => format!("operator {id} ({}): insurance ended on {d}", operator.name),
                None => format!(
                    "operator {id} ({}) has no accident and liability insurance",
                    operator.name
                ),
            },
        )?;
    }
    Ok(())
}

/// L20: an operator whose date of birth is known is at least the minimum age on `day`.
pub fn adult(
    operator: &Operator,
    day: NaiveDate,
    thresholds: &Thresholds,
) -> Result<(), Violation> {
    let Some(born) = operator.born else {
        return Ok(());
    };
    let months = thresholds
        .operator_min_age_years
        .checked_mul(12)
        .and_then(|m| u32::try_from(m).ok())
        .unwrap_or(u32::MAX);
    let of_age = born
        .checked_add_months(Months::new(months))
        .is_some_and(|d| d <= day);
    require(of_age, RuleId::L20, || {
        format!(
            "operator {} ({}) born {born} is under {} on {day}",
            operator.id, operator.name, thresholds.operator_min_age_years
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::clock::{parse_date, parse_time};

    fn op(id: &str) -> (String, Option<Operator>) {
        let d = |s| parse_date(s).unwrap();
        let o = Operator {
            id: id.into(),
            name: format!("op {id}"),
            certificate: format!("C-{id}"),
            certificate_expiry: d("2026-12-31"),
            equipment: vec![EquipmentKind::Launcher, EquipmentKind::Gun],
            police_registered: Some(d("2025-01-10")),
            insurance_expiry: Some(d("2025-12-31")),
            born: Some(d("1990-05-01")),
        };
        (id.to_string(), Some(o))
    }

    #[test]
    fn a_full_valid_crew_passes_and_each_fault_names_its_rule() {
        let t = Thresholds::default();
        let at = parse_time("2025-06-12 14:30").unwrap();
        let good = vec![op("a"), op("b"), op("c")];
        assert!(crew(EquipmentKind::Launcher, &good, at, &t).is_ok());
        assert_eq!(
            crew(EquipmentKind::Gun, &good, at, &t).unwrap_err().rule,
            RuleId::L21
        );
        let dup = vec![op("a"), op("a"), op("a")];
        assert_eq!(
            crew(EquipmentKind::Launcher, &dup, at, &t)
                .unwrap_err()
                .rule,
            RuleId::L21
        );
        let mut unknown = good.clone();
        unknown[0].1 = None;
        assert_eq!(
            crew(EquipmentKind::Launcher, &unknown, at, &t)
                .unwrap_err()
                .rule,
            RuleId::L19
        );
        let mut burner_only = good.clone();
        if let Some(o) = burner_only[1].1.as_mut() {
            o.equipment = vec![EquipmentKind::Burner];
        }
        assert_eq!(
            crew(EquipmentKind::Launcher, &burner_only, at, &t)
                .unwrap_err()
                .rule,
            RuleId::L20
        );
        let mut uninsured = good.clone();
        if let Some(o) = uninsured[2].1.as_mut() {
            o.insurance_expiry = Some(parse_date("2025-06-11").unwrap());
        }
        assert_eq!(
            crew(EquipmentKind::Launcher, &uninsured, at, &t)
                .unwrap_err()
                .rule,
            RuleId::L22
        );
    }

    #[test]
    fn age_counts_birthdays() {
        let t = Thresholds::default();
        let (_, o) = op("a");
        let mut o = o.unwrap();
        o.born = Some(parse_date("2007-06-13").unwrap());
        assert_eq!(
            adult(&o, parse_date("2025-06-12").unwrap(), &t)
                .unwrap_err()
                .rule,
            RuleId::L20
        );
        assert!(adult(&o, parse_date("2025-06-13").unwrap(), &t).is_ok());
    }
}
