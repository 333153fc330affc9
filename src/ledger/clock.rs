//! Times in the ledger: local bureau time (Beijing, UTC+8) as people write it, without a zone.
//!
//! Event times are whole seconds, stored as `YYYY-MM-DDTHH:MM:SS` text so that SQLite sorts
//! them correctly; dates as `YYYY-MM-DD`. Input accepts a date (`2025-06-12`, midnight), or a
//! date and time with a space or `T` (`2025-06-12 14:30`, `2025-06-12T14:30:05`).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike};

/// The storage format of event times.
pub const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

/// Reads a local time such as `2025-06-12 14:30`; a bare date means midnight.
///
/// # Examples
/// ```
/// use wxmod::ledger::parse_time;
/// assert_eq!(parse_time("2025-06-12 14:30").unwrap().to_string(), "2025-06-12 14:30:00");
/// assert!(parse_time("12/06/2025").is_err());
/// ```
pub fn parse_time(text: &str) -> Result<NaiveDateTime, String> {
    let t = text.trim();
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(time) = NaiveDateTime::parse_from_str(t, format) {
            return Ok(time);
        }
    }
    parse_date(t)
        .map(|d| d.and_time(NaiveTime::MIN))
        .map_err(|_| format!("'{text}' is not a time: write YYYY-MM-DD or YYYY-MM-DD HH:MM"))
}

/// Reads a calendar date `YYYY-MM-DD`.
///
/// # Examples
/// ```
/// assert!(wxmod::ledger::parse_date("2027-02-30").is_err());
/// ```
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is not a date: write YYYY-MM-DD"))
}

/// The current local time, to the second.
pub fn now() -> NaiveDateTime {
    let now = chrono::Local::now().naive_local();
    now.with_nanosecond(0).unwrap_or(now)
}

/// Formats a time in the storage format (by hand: chrono's formatter re-reads the pattern on
/// every call, a measurable share of the import path).
pub(crate) fn format_time(time: NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        time.year(),
        time.month(),
        time.day(),
        time.hour(),
        time.minute(),
        time.second()
    )
}

/// `t` plus `days` days, saturating at the ends of chrono's calendar: for listing far-off
/// dates (a certificate valid to 9999), never for a stored time.
pub(crate) fn add_days_saturating(t: NaiveDateTime, days: i64) -> NaiveDateTime {
    TimeDelta::try_days(days)
        .and_then(|d| t.checked_add_signed(d))
        .unwrap_or(if days >= 0 {
            NaiveDateTime::MAX
        } else {
            NaiveDateTime::MIN
        })
}

/// The date `days` days after `day`, saturating like [`add_days_saturating`].
pub(crate) fn add_days_to_date(day: NaiveDate, days: i64) -> NaiveDate {
    TimeDelta::try_days(days)
        .and_then(|d| day.checked_add_signed(d))
        .unwrap_or(if days >= 0 {
            NaiveDate::MAX
        } else {
            NaiveDate::MIN
        })
}

/// A due time `delta` after `at` that can be stored and read back (years 0-9999); `None` when
/// it falls outside.
pub(crate) fn due_after(at: NaiveDateTime, delta: Option<TimeDelta>) -> Option<NaiveDateTime> {
    use chrono::Datelike;
    delta
        .and_then(|d| at.checked_add_signed(d))
        .filter(|t| (0..=9999).contains(&t.year()))
}

/// Reads a stored time; stored text that does not parse is reported by the caller.
pub(crate) fn read_time(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, TIME_FORMAT).ok()
}

/// Reads a stored date.
pub(crate) fn read_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_times_round_trip_and_sort_as_text() {
        let t = parse_time("2025-06-02 07:05:09").unwrap();
        assert_eq!(format_time(t), t.format(TIME_FORMAT).to_string());
        assert_eq!(read_time(&format_time(t)), Some(t));
        let later = parse_time("2025-06-10 00:00").unwrap();
        assert!(format_time(t) < format_time(later));
    }
}
