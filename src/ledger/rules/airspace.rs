//! Airspace rules: gun and rocket firing only inside an approved airspace and time window,
//! announced in advance (DOMAIN L14, L15, \[S1 art11,12\]); burners need no window (L18,
//! \[S32,S33\]).

use chrono::NaiveDateTime;

use super::{RuleId, Violation};
use crate::ledger::records::{AirspaceApproval, EquipmentKind};

/// L14, L15, L18: `windows` are the site's approvals; one must cover `at` (start and end
/// included) and carry its announcement.
///
/// # Examples
/// ```
/// use wxmod::ledger::{parse_time, AirspaceApproval, EquipmentKind};
/// use wxmod::ledger::rules::{airspace, RuleId};
/// let w = AirspaceApproval { reference: "A1".into(), site: "S".into(),
///     start: parse_time("2025-06-12 14:00").unwrap(), end: parse_time("2025-06-12 15:00").unwrap(),
///     announcement: Some("N-1".into()) };
/// let at = parse_time("2025-06-12 15:30").unwrap();
/// let err = airspace::airspace_window(EquipmentKind::Launcher, "S", at, &[w.clone()]).unwrap_err();
/// assert_eq!(err.rule, RuleId::L14);
/// assert!(airspace::airspace_window(EquipmentKind::Burner, "S", at, &[]).is_ok());
/// ```
pub fn airspace_window(
    kind: EquipmentKind,
    site: &str,
    at: NaiveDateTime,
    windows: &[AirspaceApproval],
) -> Result<(), Violation> {
    if !kind.needs_airspace() {
        return Ok(());
    }
    let covering: Vec<&AirspaceApproval> = windows
        .iter()
        .filter(|w| w.start <= at && at <= w.end)
        .collect();
    if covering.is_empty() {
        return Err(Violation::new(
            RuleId::L14,
            format!("no approved airspace window covers {at} at site {site}"),
        ));
    }
    if covering.iter().all(|w| {
        w.announcement
            .as_deref()
            .is_none_or(|a| a.trim().is_empty())
    }) {
        let refs: Vec<&str> = covering.iter().map(|w| w.reference.as_str()).collect();
        return Err(Violation::new(
            RuleId::L15,
            format!(
                "airspace window {} at site {site} has no public announcement recorded",
                refs.join(", ")
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::clock::parse_time;

    fn window(announcement: Option<&str>) -> AirspaceApproval {
        AirspaceApproval {
            reference: "A1".into(),
            site: "S".into(),
            start: parse_time("2025-06-12 14:00").unwrap(),
            end: parse_time("2025-06-12 15:00").unwrap(),
            announcement: announcement.map(String::from),
        }
    }

    #[test]
    fn window_ends_are_inside() {
        for t in ["2025-06-12 14:00", "2025-06-12 14:30", "2025-06-12 15:00"] {
            let at = parse_time(t).unwrap();
            assert!(
                airspace_window(EquipmentKind::Gun, "S", at, &[window(Some("N"))]).is_ok(),
                "{t}"
            );
        }
        let late = parse_time("2025-06-12 15:00:01").unwrap();
        assert_eq!(
            airspace_window(EquipmentKind::Gun, "S", late, &[window(Some("N"))])
                .unwrap_err()
                .rule,
            RuleId::L14
        );
    }

    #[test]
    fn unannounced_windows_are_refused() {
        let at = parse_time("2025-06-12 14:30").unwrap();
        let err = airspace_window(EquipmentKind::Launcher, "S", at, &[window(None)]).unwrap_err();
        assert_eq!(err.rule, RuleId::L15);
    }
}
