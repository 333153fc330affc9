//! Incident rules: a loss or theft of ammunition is reported to the police at once, so the
//! write-off names the police report (DOMAIN L31, \[S2 art41\]).

use super::{RuleId, Violation, require};
use crate::ledger::records::StockHolder;

/// L31: a loss names the police report.
///
/// # Examples
/// ```
/// use wxmod::ledger::StockHolder;
/// use wxmod::ledger::rules::incident;
/// assert!(incident::loss_reported(&StockHolder::Depot("D".into()), "").is_err());
/// ```
pub fn loss_reported(location: &StockHolder, police_report: &str) -> Result<(), Violation> {
    require(!police_report.trim().is_empty(), RuleId::L31, || {
        format!("a loss at {location} must name its report to the police")
    })
}
