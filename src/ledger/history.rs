//! The whole history of a lot or of one serial number: every event that received, moved,
//! fired, counted, lost or destroyed it, in order, from the `event_lots` and `event_serials`
//! indexes (one indexed range read, then one read per event).
//!
//! A serial number's history is its unit's life (see [`Ledger::history`]), from the per-serial
//! record of [`units`](super::Unit).

use chrono::NaiveDateTime;
use rusqlite::params;
use serde::Serialize;

use super::LedgerError;
use super::clock::read_time;
use super::event::Event;
use super::ledger::Ledger;
use super::units::SerialStatus;

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
    /// Whether the event names the traced serial number itself (its lot's receipt counts).
    pub names_serial: bool,
}

/// The history of a lot or serial.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    /// The lots traced (one for a lot; the lot holding the serial, if any).
    pub lots: Vec<String>,
    /// Their events, in order.
    pub events: Vec<HistoryEntry>,
    /// For a serial: its unit in each numbered lot that holds it, as the book has it now.
    pub units: Vec<SerialStatus>,
}

impl Ledger {
    /// The history of a lot or a serial number.
    ///
    /// A serial's history is its unit's life: the receipt of its lot and every event that
    /// named it (issued, transferred, arrived, fired, misfired or fallen, returned, destroyed,
    /// lost), with its state now in [`History::units`]. Where its lot's per-serial record
    /// ended (a movement naming no serials under `serials = optional`), every later event of
    /// the lot is listed too, unmarked, since any of them may have moved it.
    pub fn history(&self, trace: &Trace) -> Result<History, LedgerError> {
        let conn = self.conn();
        let mut seqs: Vec<i64> = Vec::new();
        let mut named: Vec<i64> = Vec::new();
        let mut units = Vec::new();
        let lots = match trace {
            Trace::Lot(lot) => {
                lot_events(conn, lot, 0, &mut seqs)?;
                vec![lot.clone()]
            }
            Trace::Serial(serial) => {
                let mut stmt = conn.prepare_cached(
                    "SELECT lot, received_seq FROM lots WHERE serial_first <= ?1 AND serial_last >= ?1 ORDER BY lot",
                )?;
                let lots = stmt
                    .query_map([serial], |row| Ok((row.get::<_, String>(0)?, row.get(1)?)))?
                    .collect::<Result<Vec<(String, i64)>, _>>()?;
                let mut stmt = conn.prepare_cached(
                    "SELECT seq FROM event_serials WHERE serial = ?1 ORDER BY seq",
                )?;
                for seq in stmt.query_map([serial], |row| row.get(0))? {
                    named.push(seq?);
                }
                for (_, received) in &lots {
                    named.push(*received);
                }
                seqs.extend(&named);
                units = self.serial_status(*serial)?;
                for status in &units {
                    if let Some(ended) = status.ended_seq {
                        lot_events(conn, &status.unit.lot, ended, &mut seqs)?;
                    }
                }
                lots.into_iter().map(|(lot, _)| lot).collect()
            }
        };
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
        Ok(History {
            lots,
            events,
            units,
        })
    }
}

/// The events of `lot` from `from` on.
fn lot_events(
    conn: &rusqlite::Connection,
    lot: &str,
    from: i64,
    seqs: &mut Vec<i64>,
) -> Result<(), LedgerError> {
    let mut stmt = conn
        .prepare_cached("SELECT seq FROM event_lots WHERE lot = ?1 AND seq >= ?2 ORDER BY seq")?;
    for seq in stmt.query_map(params![lot, from], |row| row.get(0))? {
        seqs.push(seq?);
    }
    Ok(())
}
