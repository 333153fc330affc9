//! Expiry rules: expired ammunition is neither received, issued nor fired, and it is destroyed
//! only under the supervision of the provincial industry department and county public
//! security (DOMAIN L29, \[S2 art43\], \[S37\]). Lots nearing expiry are listed by `ledger check`.

use chrono::NaiveDate;

use super::{RuleId, Violation, require};

/// L29: the lot may still be used on `day` (its expiry date is the last usable day).
///
/// # Examples
/// ```
/// use wxmod::ledger::parse_date;
/// use wxmod::ledger::rules::expiry;
/// let expires = parse_date("2025-06-30").unwrap();
/// assert!(expiry::unexpired("L", expires, parse_date("2025-06-30").unwrap()).is_ok());
/// assert!(expiry::unexpired("L", expires, parse_date("2025-07-01").unwrap()).is_err());
/// ```
pub fn unexpired(lot: &str, expires: NaiveDate, day: NaiveDate) -> Result<(), Violation> {
    require(day <= expires, RuleId::L29, || {
        format!("lot {lot} expired on {expires}; it may only be destroyed")
    })
}

/// L29: destruction names its supervising authority.
pub fn supervised(depot: &str, authority: &str) -> Result<(), Violation> {
    require(!authority.trim().is_empty(), RuleId::L29, || {
        format!("destruction at depot {depot} names no supervising authority")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destruction_needs_supervision() {
        assert!(supervised("D", "朔州市公安局").is_ok());
        assert_eq!(supervised("D", " ").unwrap_err().rule, RuleId::L29);
    }
}
