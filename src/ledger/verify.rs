//! Tamper detection (`wxmod ledger verify`): finds any edit or deletion made to the ledger file
//! behind wxmod's back.
//!
//! Three checks. (1) The chain: sequence numbers run 1, 2, 3 ... without gaps, each event's
//! `prev_hash` is the stored hash of the event before it, and each stored hash equals the hash
//! recomputed from the event's content; the `chain_head` row names the last event. An edited
//! event fails its own hash; a deleted one leaves a gap and a broken link; a deleted tail
//! disagrees with the head row (and with an `anchor` hash written down earlier, which catches
//! even a tail deletion that also rewrote the head). (2) The replay: every event is applied to
//! an empty in-memory ledger with the same code that applied it first. (3) The projections:
//! each table of the file must equal the replayed one (compared by a SHA-256 digest of its
//! rows in order), so an edited stock or register row is caught too.
//! Cost: one pass over the log plus the replay, linear in the number of events.

use rusqlite::Connection;
use rusqlite::types::ValueRef;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::LedgerError;
use super::apply::apply;
use super::chain::{GENESIS, event_hash};
use super::clock::read_time;
use super::event::{Event, NewEvent};
use super::facts;
use super::ledger::Ledger;
use super::schema::PROJECTIONS;

/// One problem found by `verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// Sequence numbers jump: events were deleted.
    Gap {
        /// The number expected.
        expected: i64,
        /// The number found.
        found: i64,
    },
    /// The event's `prev_hash` is not the stored hash of the event before it.
    BrokenLink {
        /// The event.
        seq: i64,
    },
    /// The stored hash is not the hash of the event's content: the event was edited.
    Edited {
        /// The event.
        seq: i64,
    },
    /// The event's content cannot be read or replayed.
    Unreadable {
        /// The event.
        seq: i64,
        /// Why.
        detail: String,
    },
    /// The head row does not name the last event: events at the end were deleted.
    Head {
        /// What the head row says, `seq:hash`.
        recorded: String,
        /// The last event, `seq:hash`.
        found: String,
    },
    /// The anchor hash given is not in the chain.
    Anchor {
        /// The anchor given.
        anchor: String,
    },
    /// A table differs from what the events produce: it was edited.
    Table {
        /// The table.
        table: String,
    },
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::Gap { expected, found } => {
                write!(f, "events {expected} to {} are missing: deleted", found - 1)
            }
            Finding::BrokenLink { seq } => write!(
                f,
                "event {seq} does not link to the event before it: that one was changed or deleted"
            ),
            Finding::Edited { seq } => write!(
                f,
                "event {seq} was edited: its content does not match its hash"
            ),
            Finding::Unreadable { seq, detail } => {
                write!(f, "event {seq} cannot be replayed: {detail}")
            }
            Finding::Head { recorded, found } => {
                write!(
                    f,
                    "the chain head says {recorded} but the last event is {found}: events at the end were deleted"
                )
            }
            Finding::Anchor { anchor } => write!(
                f,
                "the anchor {anchor} is not in the chain: the chain was rewritten"
            ),
            Finding::Table { table } => write!(
                f,
                "table {table} differs from what the events produce, or is missing: it was edited"
            ),
        }
    }
}

/// The result of `verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Events in the log.
    pub events: i64,
    /// Sequence number of the last event.
    pub head_seq: i64,
    /// Hash of the last event: write it down as an anchor for later checks.
    pub head_hash: String,
    /// Problems found; empty when the ledger is intact.
    pub findings: Vec<Finding>,
}

impl VerifyReport {
    /// Whether nothing was found.
    pub fn is_intact(&self) -> bool {
        self.findings.is_empty()
    }
}

impl Ledger {
    /// Checks the chain, replays the log and compares every table (see the module docs).
    /// `anchor` is a hash printed by an earlier `verify`, which must still be in the chain.
    pub fn verify(&self, anchor: Option<&str>) -> Result<VerifyReport, LedgerError> {
        let conn = self.conn();
        let replay = Ledger::in_memory()?;
        let mut findings = Vec::new();
        let mut expected = 1;
        let mut prev = GENESIS.to_string();
        let mut count = 0;
        let mut thresholds = None;
        let mut anchor_seen = false;
        let mut stmt = conn.prepare("SELECT seq, at, recorded_at, actor, kind, body, prev_hash, hash FROM events ORDER BY seq")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let seq: i64 = row.get(0)?;
            let (at, recorded, actor, kind, body): (String, String, String, String, String) = (
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
            );
            let (prev_hash, hash): (String, String) = (row.get(6)?, row.get(7)?);
            count += 1;
            if seq != expected {
                findings.push(Finding::Gap {
                    expected,
                    found: seq,
                });
            }
            if prev_hash != prev {
                findings.push(Finding::BrokenLink { seq });
            }
            if event_hash(&prev_hash, seq, &at, &recorded, &actor, &kind, &body) != hash {
                findings.push(Finding::Edited { seq });
            }
            anchor_seen |= anchor.is_some_and(|a| a.eq_ignore_ascii_case(&hash));
            prev = hash;
            expected = seq + 1;
            let parsed = serde_json::from_str::<Event>(&body)
                .map_err(|e| e.to_string())
                .and_then(|event| {
                    read_time(&at)
                        .map(|at| NewEvent { at, actor, event })
                        .ok_or_else(|| format!("bad time '{at}'"))
                });
            let new = match parsed {
                Ok(new) => new,
                Err(detail) => {
                    findings.push(Finding::Unreadable { seq, detail });
                    continue;
                }
            };
            let t = match thresholds.take() {
                Some(t) => t,
                None => facts::thresholds(replay.conn())?,
            };
            if let Err(e) = apply(replay.conn(), seq, &new, &t) {
                findings.push(Finding::Unreadable {
                    seq,
                    detail: e.to_string(),
                });
            }
            if !matches!(new.event, Event::Configure { .. }) {
                thresholds = Some(t);
            }
        }
        let (head_seq, head_hash) = facts::head(conn)?;
        let head_table = table_exists(conn, "chain_head")?;
        if !head_table {
            findings.push(Finding::Table {
                table: "chain_head".into(),
            });
        }
        let recorded: Option<(i64, String)> = if !head_table {
            None
        } else {
            conn
            .query_row("SELECT seq, hash FROM chain_head WHERE id = 1", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .map(Some)
            .or_else(|e| {
                if e == rusqlite::Error::QueryReturnedNoRows {
                    Ok(None)
                } else {
                    Err(e)
                }
            })?
        };
        let recorded = recorded.unwrap_or_else(|| (0, GENESIS.to_string()));
        if recorded != (head_seq, head_hash.clone()) {
            findings.push(Finding::Head {
                recorded: format!("{}:{}", recorded.0, recorded.1),
                found: format!("{head_seq}:{head_hash}"),
            });
        }
        if let Some(anchor) = anchor
            && !anchor_seen
        {
            findings.push(Finding::Anchor {
                anchor: anchor.to_string(),
            });
        }
        for table in PROJECTIONS {
            if !table_exists(conn, table)?
                || table_digest(conn, table)? != table_digest(replay.conn(), table)?
            {
                findings.push(Finding::Table {
                    table: table.to_string(),
                });
            }
        }
        Ok(VerifyReport {
            events: count,
            head_seq,
            head_hash,
            findings,
        })
    }

    /// A digest of every table, events included: equal digests mean equal ledgers. Tests use
    /// it to show that a refused event left the file unchanged.
    pub fn fingerprint(&self) -> Result<String, LedgerError> {
        let mut all = String::new();
        for table in PROJECTIONS.iter().chain(&["events", "chain_head"]) {
            all.push_str(&table_digest(self.conn(), table)?);
        }
        Ok(all)
    }
}

/// Whether the file has the table (a dropped table is reported, not an error).
fn table_exists(conn: &Connection, table: &str) -> Result<bool, LedgerError> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [table],
        |row| row.get(0),
    )?;
    Ok(n == 1)
}

/// SHA-256 over a table's rows in full column order, each value tagged by type.
fn table_digest(conn: &Connection, table: &str) -> Result<String, LedgerError> {
    let columns = conn
        .prepare(&format!("SELECT * FROM {table} LIMIT 0"))?
        .column_count();
    let order: Vec<String> = (1..=columns).map(|i| i.to_string()).collect();
    let mut stmt = conn.prepare(&format!(
        "SELECT * FROM {table} ORDER BY {}",
        order.join(", ")
    ))?;
    let mut rows = stmt.query([])?;
    let mut hasher = Sha256::new();
    while let Some(row) = rows.next()? {
        for i in 0..columns {
            match row.get_ref(i)? {
                ValueRef::Null => hasher.update([0u8]),
                ValueRef::Integer(v) => {
                    hasher.update([1u8]);
                    hasher.update(v.to_le_bytes());
                }
                ValueRef::Real(v) => {
                    hasher.update([2u8]);
                    hasher.update(v.to_le_bytes());
                }
                ValueRef::Text(bytes) | ValueRef::Blob(bytes) => {
                    hasher.update([3u8]);
                    hasher.update((bytes.len() as u64).to_le_bytes());
                    hasher.update(bytes);
                }
            }
        }
    }
    let digest = hasher.finalize();
    Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
}
