//! The time rules of the book (rules `TIME-ENTRY` and `TIME-ORDER`): an event is dated
//! neither in the future nor too far back, and never before the latest event already recorded
//! for one of its locations or lots, so that every rule checked against today's book was
//! checked against the book as it stood at the event's own time.
//!
//! Choice made (issue #18): an out-of-order event is refused rather than the history re-checked
//! as of its time. A book kept in time order per location and lot is what an auditor reads;
//! re-checking every later event after a back-dated insert would make an old event's
//! acceptance depend on what is recorded after it. A late entry (补录) is still possible within
//! `late_entry_days` (default 7 \[A\]) when nothing later touches the same locations or lots.
//!
//! The projection table `touches` keeps, per subject (`lot:R-A`, `depot:D1`, `site:SR`,
//! `transit:T1`), the latest event time: one indexed lookup per subject. Registrations and
//! settings touch no subject. Cost: a few lookups per event.

use chrono::{NaiveDateTime, TimeDelta};
use rusqlite::{Connection, OptionalExtension, params};

use super::LedgerError;
use super::clock::{format_time, read_time};
use super::event::Event;
use super::facts;
use super::records::StockHolder;
use super::rules::{RuleId, Violation};
use super::thresholds::Thresholds;

/// The locations and lots an event touches, as `touches` subjects.
pub(crate) fn subjects(conn: &Connection, event: &Event) -> Result<Vec<String>, LedgerError> {
    let place = |l: &StockHolder| format!("{}:{}", l.kind(), l.id());
    let depot = |id: &str| format!("depot:{id}");
    let site = |id: &str| format!("site:{id}");
    let lot = |id: &str| format!("lot:{id}");
    let mut out = match event {
        Event::Receive(r) => vec![depot(&r.depot), lot(&r.lot.lot)],
        Event::Dispatch(d) => {
            let mut v = vec![depot(&d.from), format!("transit:{}", d.transfer)];
            v.extend(d.items.iter().map(|i| lot(&i.lot)));
            v
        }
        Event::Arrive(a) => {
            let mut v = vec![format!("transit:{}", a.transfer)];
            if let Some(t) = facts::transfer(conn, &a.transfer)? {
                v.push(depot(&t.to));
            }
            v
        }
        Event::Issue(i) => {
            let mut v = vec![depot(&i.depot), site(&i.site)];
            v.extend(i.items.iter().map(|i| lot(&i.lot)));
            v
        }
        Event::Fire(f) => {
            let mut v = vec![site(&f.site)];
            v.extend(f.items.iter().map(|i| lot(&i.lot)));
            v
        }
        Event::Dud(d) => vec![site(&d.site), lot(&d.lot)],
        Event::Return(r) => {
            let mut v = vec![site(&r.site), depot(&r.depot)];
            v.extend(r.items.iter().map(|i| lot(&i.lot)));
            v
        }
        Event::Scrap(s) => {
            let mut v = vec![depot(&s.depot)];
            v.extend(s.items.iter().map(|i| lot(&i.lot)));
            v
        }
        Event::Stocktake(s) => {
            let mut v = vec![place(&s.location)];
            v.extend(s.counts.iter().map(|i| lot(&i.lot)));
            v
        }
        Event::Loss(l) => {
            let mut v = vec![place(&l.location)];
            v.extend(l.items.iter().map(|i| lot(&i.lot)));
            v
        }
        _ => Vec::new(),
    };
    out.sort();
    out.dedup();
    Ok(out)
}

/// `TIME-ENTRY`: the event is dated at most `clock_skew_minutes` after it is recorded and at
/// most `late_entry_days` before.
pub(crate) fn entry_window(
    at: NaiveDateTime,
    recorded_at: NaiveDateTime,
    t: &Thresholds,
) -> Result<(), Violation> {
    let skew = TimeDelta::try_minutes(t.clock_skew_minutes).unwrap_or(TimeDelta::MAX);
    let late = TimeDelta::try_days(t.late_entry_days).unwrap_or(TimeDelta::MAX);
    if recorded_at
        .checked_add_signed(skew)
        .is_some_and(|limit| at > limit)
    {
        return Err(Violation::new(
            RuleId::TimeEntry,
            format!(
                "the event is dated {at}, in the future: it is recorded at {recorded_at} (clock_skew_minutes {})",
                t.clock_skew_minutes
            ),
        ));
    }
    if recorded_at
        .checked_sub_signed(late)
        .is_some_and(|limit| at < limit)
    {
        return Err(Violation::new(
            RuleId::TimeEntry,
            format!(
                "the event is dated {at}, more than {} day(s) before it is recorded at {recorded_at} (threshold late_entry_days)",
                t.late_entry_days
            ),
        ));
    }
    Ok(())
}

/// `TIME-ORDER`: no subject of the event has a later event already.
pub(crate) fn in_order(
    conn: &Connection,
    at: NaiveDateTime,
    subjects: &[String],
) -> Result<(), LedgerError> {
    for subject in subjects {
        let Some(latest) = latest(conn, subject)? else {
            continue;
        };
        if at < latest {
            return Err(Violation::new(
                RuleId::TimeOrder,
                format!(
                    "the event is dated {at}, before the latest event of {subject} at {latest}: record events of one location or lot in time order"
                ),
            )
            .into());
        }
    }
    Ok(())
}

fn latest(conn: &Connection, subject: &str) -> Result<Option<NaiveDateTime>, LedgerError> {
    let text: Option<String> = conn
        .prepare_cached("SELECT last_at FROM touches WHERE subject = ?1")?
        .query_row([subject], |row| row.get(0))
        .optional()?;
    text.map(|t| {
        read_time(&t).ok_or_else(|| {
            LedgerError::Corrupt(format!("the stored time of {subject} cannot be read"))
        })
    })
    .transpose()
}

/// Notes that the subjects had an event at `at`.
pub(crate) fn touch(
    conn: &Connection,
    subjects: &[String],
    at: NaiveDateTime,
) -> Result<(), LedgerError> {
    let at = format_time(at);
    for subject in subjects {
        conn.prepare_cached(
            "INSERT INTO touches (subject, last_at) VALUES (?1, ?2)
             ON CONFLICT (subject) DO UPDATE SET last_at = max(last_at, excluded.last_at)",
        )?
        .execute(params![subject, at])?;
    }
    Ok(())
}

/// Fills `touches` from the event log (when a ledger of schema 1 is migrated). Events that
/// cannot be read are left to `verify` to report.
pub(crate) fn rebuild(conn: &Connection) -> Result<(), LedgerError> {
    let mut stmt = conn.prepare("SELECT at, body FROM events ORDER BY seq")?;
    let rows = stmt.query_map([], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (at, body) = row?;
        let (Some(at), Ok(event)) = (read_time(&at), serde_json::from_str::<Event>(&body)) else {
            continue;
        };
        let subjects = subjects(conn, &event)?;
        touch(conn, &subjects, at)?;
    }
    Ok(())
}
