//! Transport rules: a transport licence from the destination county's public security, a
//! vehicle permitted to carry explosives, and an escort (DOMAIN L4, L5, \[S2 art26-30\]). The
//! licence's return within 3 days of arrival is a deadline listed by `ledger check`.

use super::{RuleId, Violation, require};
use crate::ledger::records::Vehicle;

/// L4: a transfer travels under a transport licence.
pub fn transport_licence(transfer: &str, licence: &str) -> Result<(), Violation> {
    require(!licence.trim().is_empty(), RuleId::L4, || {
        format!("transfer {transfer} has no transport licence number")
    })
}

/// L5: a registered vehicle with an explosives permit, and a named escort.
///
/// # Examples
/// ```
/// use wxmod::ledger::rules::{transport, RuleId};
/// assert_eq!(transport::vehicle_and_escort("T1", "V9", None, "张").unwrap_err().rule, RuleId::L5);
/// ```
pub fn vehicle_and_escort(
    transfer: &str,
    vehicle_id: &str,
    vehicle: Option<&Vehicle>,
    escort: &str,
) -> Result<(), Violation> {
    let vehicle = vehicle.ok_or_else(|| {
        Violation::new(
            RuleId::L5,
            format!("transfer {transfer}: vehicle {vehicle_id} is not registered"),
        )
    })?;
    require(
        vehicle
            .explosives_permit
            .as_deref()
            .is_some_and(|p| !p.trim().is_empty()),
        RuleId::L5,
        || {
            format!(
                "transfer {transfer}: vehicle {} ({}) has no permit to carry explosives",
                vehicle.id, vehicle.plate
            )
        },
    )?;
    require(!escort.trim().is_empty(), RuleId::L5, || {
        format!("transfer {transfer} has no escort")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permitted_vehicle_and_escort_pass() {
        let mut v = Vehicle {
            id: "V1".into(),
            plate: "晋F·12345".into(),
            explosives_permit: Some("P-1".into()),
        };
        assert!(vehicle_and_escort("T", "V1", Some(&v), "张").is_ok());
        assert_eq!(
            vehicle_and_escort("T", "V1", Some(&v), " ")
                .unwrap_err()
                .rule,
            RuleId::L5
        );
        v.explosives_permit = None;
        assert!(
            vehicle_and_escort("T", "V1", Some(&v), "张")
                .unwrap_err()
                .message
                .contains("permit")
        );
        assert_eq!(transport_licence("T", "").unwrap_err().rule, RuleId::L4);
    }
}
