//! Tamper detection (`wxmod ledger verify`): finds any edit or deletion made to the ledger file
//! behind wxmod's back.
//!
//! Four checks. (0) With the seal key, every event's keyed seal (see `seal`), and
//! re-admission: every event is checked again under the rules and thresholds in force at its
//! place in the log (the first one that fails is named). (1) The chain: sequence numbers run 1, 2, 3 ... without gaps, each event's
//! `prev_hash` is the stored hash of the event before it, and each stored hash equals the hash
//! recomputed from the event's content; the `chain_head` row names the last event. An edited
//! event fails its own hash; a deleted one leaves a gap and a broken link; a deleted tail
//! disagrees with the head row (and with an `anchor` hash written down earlier, which catches
//! even a tail deletion that also rewrote the head). (2) The replay: every event is applied to
//! an empty in-memory ledger with the same code that applied it first. (3) The projections:
//! each table of the file must equal the replayed one (compared by a SHA-256 digest of its
//! rows in order), so an edited stock or register row is caught too.
//! Cost: one pass over the log plus the replay, linear in the number of events.

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension};
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
use super::seal::constant_eq;
use super::thresholds::Thresholds;
use super::{admit, timeline};

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
    /// The event would be refused today under the rules and thresholds in force at its
    /// place in the log: it was written behind wxmod's back (or by a wxmod with other rules).
    Refused {
        /// The event.
        seq: i64,
        /// The refusal.
        detail: String,
    },
    /// Events without a valid seal of the key given: appended or rewritten by someone
    /// without the key (or recorded before the chain was keyed).
    Unsealed {
        /// First event of the run.
        first: i64,
        /// Last event of the run.
        last: i64,
    },
    /// The signed anchor was not signed with this key.
    ForgedAnchor {
        /// The anchor given.
        anchor: String,
    },
    /// The chain is shorter than a signed anchor filed earlier: events were removed.
    BehindAnchor {
        /// The anchor's last event.
        anchor_seq: i64,
        /// The chain's last event now.
        head_seq: i64,
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
            Finding::Refused { seq, detail } => {
                write!(
                    f,
                    "event {seq} is not admitted when re-checked under the rules: {detail}"
                )
            }
            Finding::Unsealed { first, last } => write!(
                f,
                "events {first} to {last} carry no valid seal of this key: written without the key"
            ),
            Finding::ForgedAnchor { anchor } => {
                write!(f, "the anchor {anchor} was not signed with this key")
            }
            Finding::BehindAnchor {
                anchor_seq,
                head_seq,
            } => write!(
                f,
                "the chain ends at event {head_seq}, behind its anchor at event {anchor_seq}: events were removed"
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
    /// Whether every event's seal was checked with the key (false: no key was given, and
    /// a forger who read the source could have appended events with correct hashes).
    pub seals_checked: bool,
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
    /// Checks the chain and, with the ledger's key, every seal; re-admits every event under
    /// the rules and thresholds in force at its place in the log; replays the log and
    /// compares every table (see the module docs). `anchor` is either a signed anchor
    /// (`wxmod-anchor:SEQ:HASH:MAC` from [`Ledger::anchor`], checked with the key) or a bare
    /// head hash printed by an earlier `verify`, which must still be in the chain.
    pub fn verify(&self, anchor: Option<&str>) -> Result<VerifyReport, LedgerError> {
        let conn = self.conn();
        let key = self.key();
        let signed = match anchor.filter(|a| a.trim().starts_with("wxmod-anchor:")) {
            None => None,
            Some(text) => {
                let key = key.ok_or_else(|| {
                    LedgerError::Invalid(
                        "a signed anchor is checked with the seal key: give --key".into(),
                    )
                })?;
                Some((text.trim().to_string(), key.check_anchor(text)))
            }
        };
        let anchor = if signed.is_some() { None } else { anchor };
        let seals_table = key.is_some() && table_exists(conn, "seals")?;
        let mut unsealed: Vec<i64> = Vec::new();
        let mut anchor_hash: Option<String> = None;
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
            if let Some((_, Some((anchor_seq, _)))) = &signed
                && *anchor_seq == seq
            {
                anchor_hash = Some(hash.clone());
            }
            if let Some(key) = key {
                let mac: Option<String> = if seals_table {
                    conn.prepare_cached("SELECT mac FROM seals WHERE seq = ?1")?
                        .query_row([seq], |row| row.get(0))
                        .optional()?
                } else {
                    None
                };
                if !mac.is_some_and(|m| constant_eq(&m, &key.seal(&hash))) {
                    unsealed.push(seq);
                }
            }
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
            match read_time(&recorded) {
                None => findings.push(Finding::Unreadable {
                    seq,
                    detail: format!("bad recording time '{recorded}'"),
                }),
                Some(recorded_at) => {
                    if let Err(e) = readmit(replay.conn(), &t, &new, recorded_at) {
                        findings.push(Finding::Refused {
                            seq,
                            detail: e.to_string(),
                        });
                    }
                }
            }
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
            conn.query_row("SELECT seq, hash FROM chain_head WHERE id = 1", [], |row| {
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
        for (first, last) in runs(&unsealed) {
            findings.push(Finding::Unsealed { first, last });
        }
        if let Some((text, checked)) = signed {
            match checked {
                None => findings.push(Finding::ForgedAnchor { anchor: text }),
                Some((anchor_seq, _)) if anchor_seq > head_seq => {
                    findings.push(Finding::BehindAnchor {
                        anchor_seq,
                        head_seq,
                    })
                }
                Some((_, hash)) if anchor_hash.as_deref() != Some(hash.as_str()) => {
                    findings.push(Finding::Anchor { anchor: text })
                }
                Some(_) => {}
            }
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
            seals_checked: key.is_some(),
            findings,
        })
    }

    /// A digest of every table, events included: equal digests mean equal ledgers. Tests use
    /// it to show that a refused event left the file unchanged.
    pub fn fingerprint(&self) -> Result<String, LedgerError> {
        let mut all = String::new();
        for table in PROJECTIONS.iter().chain(&["events", "chain_head", "seals"]) {
            all.push_str(&table_digest(self.conn(), table)?);
        }
        Ok(all)
    }
}

/// Admits `new` again on the replay, as `Ledger::record` admitted it: the time rules with its
/// stored recording time, then every rule.
fn readmit(
    conn: &Connection,
    t: &Thresholds,
    new: &NewEvent,
    recorded_at: chrono::NaiveDateTime,
) -> Result<(), LedgerError> {
    timeline::entry_window(new.at, recorded_at, t)?;
    admit::admit(conn, t, new)?;
    timeline::in_order(conn, new.at, &timeline::subjects(conn, &new.event)?)
}

/// Consecutive numbers as (first, last) runs.
fn runs(seqs: &[i64]) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::new();
    for &s in seqs {
        match out.last_mut() {
            Some((_, last)) if *last + 1 == s => *last = s,
            _ => out.push((s, s)),
        }
    }
    out
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
