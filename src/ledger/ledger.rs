//! The ledger (台账) itself: an SQLite file with an append-only, hash-chained event log and the
//! tables it projects, written one checked event (or one checked batch) per transaction.
//!
//! Writing an event: begin an IMMEDIATE transaction (so the facts read and the write are one
//! atomic step even with several processes on the file), admit the event under every rule,
//! append it to the chain, apply it to the projections, commit. Any refusal or error drops the
//! transaction, which rolls back: the file stays exactly as it was. A commit returns once it is
//! on disk (WAL, `synchronous=FULL`). Cost per event: a few indexed lookups and one SHA-256;
//! per commit, one fsync.

use std::path::{Path, PathBuf};

use chrono::{NaiveDateTime, Timelike};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior, params};
use serde::Serialize;

use super::apply::{self, Duty};
use super::chain::event_hash;
use super::clock::{self, format_time};
use super::event::NewEvent;
use super::records::{AmmoModel, Depot, Equipment, OperationPoint, Operator, Vehicle};
use super::rules::Violation;
use super::schema::{self, Migration};
use super::thresholds::Thresholds;
use super::{admit, facts};

/// Why the ledger could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// The event breaks a safety rule; nothing was written.
    #[error(transparent)]
    Refused(#[from] Violation),
    /// The event names unknown things or does not make sense; nothing was written.
    #[error("{0}")]
    Invalid(String),
    /// There is no ledger file at the path; create one with `wxmod ledger init`.
    #[error("no ledger at {path}: create one with `wxmod ledger init --db {path}`")]
    Missing {
        /// The path looked at.
        path: String,
    },
    /// The file was written by a newer wxmod; update wxmod to read it.
    #[error(
        "ledger {path} has schema version {found}, newer than this wxmod's {known}: update wxmod"
    )]
    TooNew {
        /// The ledger file.
        path: String,
        /// Its schema version.
        found: i64,
        /// The newest version this wxmod knows.
        known: i64,
    },
    /// Stored data that cannot be read back: the file was damaged or edited by hand.
    #[error("ledger data cannot be read: {0} (run `wxmod ledger verify`)")]
    Corrupt(String),
    /// An error from SQLite (a locked, unreadable or full disk, a broken file ...).
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    /// Output could not be written (a full disk, a closed pipe).
    #[error("cannot write the output: {0}")]
    Write(#[from] std::io::Error),
}

/// What recording one event gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recorded {
    /// Its sequence number.
    pub seq: i64,
    /// Its type.
    pub kind: &'static str,
    /// Its hash in the chain.
    pub hash: String,
    /// The duties it created, with their due times.
    pub duties: Vec<Duty>,
}

/// Progress of a batch import: how many events are committed so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Events of this import committed so far.
    pub committed: usize,
    /// Sequence number of the last committed event.
    pub last_seq: i64,
}

/// A batch import that stopped at a refused or failed event.
#[derive(Debug, thiserror::Error)]
#[error("event {} of the import: {error} ({committed} earlier event(s) committed, the rest of that batch rolled back)", index + 1)]
pub struct ImportError {
    /// Index (from 0) of the event that failed.
    pub index: usize,
    /// Events committed before it.
    pub committed: usize,
    /// Why it failed.
    #[source]
    pub error: LedgerError,
}

/// An open ledger file (or an in-memory ledger for tests and replays).
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger").field("path", &self.path).finish()
    }
}

impl Ledger {
    /// Creates a ledger file (and its folder), or opens and migrates an existing one.
    pub fn create(path: &Path) -> Result<Ledger, LedgerError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                LedgerError::Invalid(format!(
                    "cannot create the folder {} for the ledger: {e}",
                    parent.display()
                ))
            })?;
        }
        Ledger::open_with(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )
    }

    /// Opens an existing ledger file, migrating its schema if it is older.
    pub fn open(path: &Path) -> Result<Ledger, LedgerError> {
        if !path.is_file() {
            return Err(LedgerError::Missing {
                path: path.display().to_string(),
            });
        }
        Ledger::open_with(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
    }

    /// An empty ledger in memory, for tests and replays (not durable).
    ///
    /// # Examples
    /// ```
    /// let ledger = wxmod::ledger::Ledger::in_memory().unwrap();
    /// assert_eq!(ledger.head().unwrap().0, 0);
    /// ```
    pub fn in_memory() -> Result<Ledger, LedgerError> {
        let mut conn = Connection::open_in_memory()?;
        schema::configure(&conn, false)?;
        schema::migrate(&mut conn)?;
        Ok(Ledger {
            conn,
            path: PathBuf::from(":memory:"),
        })
    }

    fn open_with(path: &Path, flags: OpenFlags) -> Result<Ledger, LedgerError> {
        let mut conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        schema::configure(&conn, true)?;
        match schema::migrate(&mut conn)? {
            Migration::Current => Ok(Ledger {
                conn,
                path: path.to_path_buf(),
            }),
            Migration::TooNew(found) => Err(LedgerError::TooNew {
                path: path.display().to_string(),
                found,
                known: schema::SCHEMA_VERSION,
            }),
        }
    }

    /// The ledger's file path (`:memory:` for an in-memory ledger).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The underlying connection, for the query modules.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The thresholds in force.
    pub fn thresholds(&self) -> Result<Thresholds, LedgerError> {
        facts::thresholds(&self.conn)
    }

    /// The last event: its sequence number and hash (0 and 64 zeros when empty).
    pub fn head(&self) -> Result<(i64, String), LedgerError> {
        facts::head(&self.conn)
    }

    /// A registered ammunition model.
    pub fn model(&self, name: &str) -> Result<Option<AmmoModel>, LedgerError> {
        facts::model(&self.conn, name)
    }

    /// A registered depot.
    pub fn depot(&self, id: &str) -> Result<Option<Depot>, LedgerError> {
        facts::depot(&self.conn, id)
    }

    /// A registered operation point.
    pub fn site(&self, id: &str) -> Result<Option<OperationPoint>, LedgerError> {
        facts::site(&self.conn, id)
    }

    /// A registered vehicle.
    pub fn vehicle(&self, id: &str) -> Result<Option<Vehicle>, LedgerError> {
        facts::vehicle(&self.conn, id)
    }

    /// A registered operator.
    pub fn operator(&self, id: &str) -> Result<Option<Operator>, LedgerError> {
        facts::operator(&self.conn, id)
    }

    /// Registered equipment.
    pub fn equipment(&self, id: &str) -> Result<Option<Equipment>, LedgerError> {
        facts::equipment(&self.conn, id)
    }

    /// Checks one event under every rule and, if admitted, records it in its own durable
    /// transaction. A refused event leaves the ledger exactly as it was.
    ///
    /// # Examples
    /// ```
    /// use wxmod::ledger::{parse_time, AmmoModel, Event, ItemClass, Ledger, NewEvent};
    /// let mut ledger = Ledger::in_memory().unwrap();
    /// let model = AmmoModel { name: "WR-98".into(), class: ItemClass::Rocket, maker: "陕西中天".into() };
    /// let at = parse_time("2025-03-01 09:00").unwrap();
    /// let done = ledger.record(NewEvent { at, actor: "王工".into(), event: Event::Model(model) }).unwrap();
    /// assert_eq!((done.seq, done.kind), (1, "model"));
    /// ```
    pub fn record(&mut self, event: NewEvent) -> Result<Recorded, LedgerError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut cache = None;
        let recorded = append(&tx, &event, clock::now(), &mut cache)?;
        tx.commit()?;
        Ok(recorded)
    }

    /// Records many events, each checked under every rule, committing every `batch` events
    /// (0 = all in one transaction) and calling `on_commit` after each commit. On the first
    /// refused event the current batch is rolled back and the import stops; earlier batches
    /// stay committed.
    pub fn record_all(
        &mut self,
        events: &[NewEvent],
        batch: usize,
        mut on_commit: impl FnMut(Progress),
    ) -> Result<Vec<Recorded>, ImportError> {
        let size = if batch == 0 {
            events.len().max(1)
        } else {
            batch
        };
        let mut recorded = Vec::with_capacity(events.len());
        for (chunk_no, chunk) in events.chunks(size).enumerate() {
            let start = chunk_no * size;
            let fail = |index: usize, error: LedgerError| ImportError {
                index,
                committed: start,
                error,
            };
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(|e| fail(start, e.into()))?;
            let mut cache = None;
            let mut done = Vec::with_capacity(chunk.len());
            for (offset, event) in chunk.iter().enumerate() {
                done.push(
                    append(&tx, event, clock::now(), &mut cache)
                        .map_err(|e| fail(start + offset, e))?,
                );
            }
            tx.commit().map_err(|e| fail(start, e.into()))?;
            let last_seq = done.last().map(|r| r.seq).unwrap_or(0);
            recorded.extend(done);
            on_commit(Progress {
                committed: recorded.len(),
                last_seq,
            });
        }
        Ok(recorded)
    }
}

/// Admits, chains and applies one event inside `tx`. `cache` keeps the thresholds between the
/// events of one batch (a `configure` event clears it).
fn append(
    tx: &Transaction<'_>,
    new: &NewEvent,
    recorded_at: NaiveDateTime,
    cache: &mut Option<Thresholds>,
) -> Result<Recorded, LedgerError> {
    // Event times are whole seconds: the stored text is what the hash covers.
    let whole;
    let new = if new.at.nanosecond() == 0 {
        new
    } else {
        whole = NewEvent {
            at: new.at.with_nanosecond(0).unwrap_or(new.at),
            ..new.clone()
        };
        &whole
    };
    let thresholds = match cache.take() {
        Some(t) => t,
        None => facts::thresholds(tx)?,
    };
    admit::admit(tx, &thresholds, new)?;
    let (last, prev_hash) = facts::head(tx)?;
    let seq = last + 1;
    let kind = new.event.kind();
    let body = serde_json::to_string(&new.event)
        .map_err(|e| LedgerError::Invalid(format!("cannot encode the event: {e}")))?;
    let (at, recorded) = (format_time(new.at), format_time(recorded_at));
    let hash = event_hash(&prev_hash, seq, &at, &recorded, &new.actor, kind, &body);
    tx.prepare_cached(
        "INSERT INTO events (seq, at, recorded_at, actor, kind, body, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![seq, at, recorded, new.actor, kind, body, prev_hash, hash])?;
    let duties = apply::apply(tx, seq, new, &thresholds)?;
    tx.prepare_cached("INSERT OR REPLACE INTO chain_head (id, seq, hash) VALUES (1, ?1, ?2)")?
        .execute(params![seq, hash])?;
    if kind != "configure" {
        *cache = Some(thresholds);
    }
    Ok(Recorded {
        seq,
        kind,
        hash,
        duties,
    })
}
