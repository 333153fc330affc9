//! The whole history of a lot or of one serial number: every event that received, moved,
//! fired, counted, lost or destroyed it, in order, from the `event_lots` and `event_serials`
//! indexes (one indexed range read, then one read per event).
//!
//! A serial number's history is the history of the lot whose serial range holds it, with the
//! events that name that very serial (a firing or a dud) marked.

use chrono::NaiveDateTime;
use rusqlite::params;
use serde::Serialize;

use super::LedgerError;
use super::clock::read_time;
use super::event::Event;
use super::ledger::Ledger;

/// What to trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trace {
    /// A lot, by number.
    Lot(String),
    /// A round, by serial number.
    Serial(i64),
}

/// One event in a history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    /// Sequence number.
    pub seq: i64,
    /// When it happened.
    pub at: NaiveDateTime,
    /// Who recorded it.
    pub actor: String,
    /// The event.
    pub event: Event,
    /// Whether the event names the traced serial number itself.
    pub names_serial: bool,
}

/// The history of a lot or serial.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    /// The lots traced (one for a lot; the lot holding the serial, if any).
    pub lots: Vec<String>,
    /// Their events, in order.
    pub events: Vec<HistoryEntry>,
}

impl Ledger {
    /// The history of a lot or a serial number.
    pub fn history(&self, trace: &Trace) -> Result<History, LedgerError> {
        let conn = self.conn();
        let (lots, serial) = match trace {
            Trace::Lot(lot) => (vec![lot.clone()], None),
            Trace::Serial(serial) => {
                let mut stmt = conn.prepare_cached(
                    "SELECT lot FROM lots WHERE serial_first <= ?1 AND serial_last >= ?1 ORDER BY lot",
                )?;
                let lots = stmt
                    .query_map([serial], |row| row.get::<_, String>(0))?
                    .collect::<Result<Vec<_>, _>>()?;
                (lots, Some(*serial))
            }
        };
        let mut seqs: Vec<i64> = Vec::new();
        for lot in &lots {
            let mut stmt =
                conn.prepare_cached("SELECT seq FROM event_lots WHERE lot = ?1 ORDER BY seq")?;
            for seq in stmt.query_map([lot], |row| row.get(0))? {
                seqs.push(seq?);
            }
        }
        let mut named: Vec<i64> = Vec::new();
        if let Some(serial) = serial {
            let mut stmt = conn
                .prepare_cached("SELECT seq FROM event_serials WHERE serial = ?1 ORDER BY seq")?;
            for seq in stmt.query_map([serial], |row| row.get(0))? {
                named.push(seq?);
            }
            seqs.extend(&named);
        }
        seqs.sort_unstable();
        seqs.dedup();
        let mut events = Vec::with_capacity(seqs.len());
        let mut stmt = conn.prepare_cached("SELECT at, actor, body FROM events WHERE seq = ?1")?;
        for seq in seqs {
            let (at, actor, body): (String, String, String) = stmt
                .query_row(params![seq], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                })?;
            let corrupt =
                |what: &str| LedgerError::Corrupt(format!("event {seq} has a bad {what}"));
            events.push(HistoryEntry {
                seq,
                at: read_time(&at).ok_or_else(|| corrupt("time"))?,
                actor,
                event: serde_json::from_str(&body).map_err(|_| corrupt("body"))?,
                names_serial: named.contains(&seq),
            });
        }
        Ok(History { lots, events })
    }
}
