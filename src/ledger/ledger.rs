//! The ledger (台账) itself: an SQLite file with an append-only, hash-chained event log and the
//! tables it projects, written one checked event (or one checked batch) per transaction.
//!
//! Writing an event: begin an IMMEDIATE transaction (so the facts read and the write are one
//! atomic step even with several processes on the file), admit the event under every rule,
//! append it to the chain, apply it to the projections, commit. Any refusal or error drops the
//! transaction, which rolls back: the file stays exactly as it was. A commit returns once it is
//! on disk (WAL, `synchronous=FULL`). Cost per event: a few indexed lookups and one SHA-256;
//! per commit, one fsync.

use std::borrow::Cow;
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
use super::seal::SealKey;
use super::thresholds::Thresholds;
use super::{admit, facts, timeline};

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
    /// The file exists but is not a wxmod ledger (another application's database, or not a
    /// database at all); it was not changed.
    #[error(
        "{path} is not a wxmod ledger ({why}): it was left unchanged; give the ledger file with --db"
    )]
    NotALedger {
        /// The file.
        path: String,
        /// What it is instead.
        why: String,
    },
    /// Another process held the write lock for longer than the busy timeout (10 s).
    #[error(
        "the ledger {path} is held by another writer (an import, which commits every batch, or another wxmod) for more than 10 s: retry when it is done"
    )]
    Busy {
        /// The ledger file.
        path: String,
    },
    /// Stored data that cannot be read back: the file was damaged or edited by hand.
    #[error("ledger data cannot be read: {0} (run `wxmod ledger verify`)")]
    Corrupt(String),
    /// A new register entry lacks a field that has no default (an update keeps the stored
    /// one); nothing was written.
    #[error("a new {register} needs {flag}")]
    MissingField {
        /// The register: `depot`, `site`, `vehicle`, `operator`, `piece of equipment`.
        register: &'static str,
        /// The missing field, spelled as its `wxmod ledger` flag, e.g. `--kind`.
        flag: &'static str,
    },
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

/// Where a ledger takes the recording time (`recorded_at`) of its events from; the time rule
/// `TIME-ENTRY` compares each event's own time with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordingClock {
    /// The computer's clock: the default of ledger files.
    System,
    /// A fixed time, for tests of the time rules.
    Fixed(NaiveDateTime),
    /// Each event's own time, so that `TIME-ENTRY` never refuses: the default of in-memory
    /// ledgers (tests, replays), and for tests of the other rules on files.
    EventTime,
}

/// An open ledger file (or an in-memory ledger for tests and replays).
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
    clock: RecordingClock,
    /// The key that seals each new event (none: events are chained but not sealed).
    key: Option<SealKey>,
    /// Whether this is a file opened for writing: its WAL is checkpointed when it closes.
    writable: bool,
}

impl Drop for Ledger {
    fn drop(&mut self) {
        // Best effort: an error here only leaves committed events in the WAL, where SQLite
        // still finds them; `checkpoint` reports it to callers who ask.
        let _ = self.checkpoint();
    }
}

/// A lock wait that timed out says who holds the lock; any other error passes through.
fn busy(e: rusqlite::Error, path: &Path) -> LedgerError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            LedgerError::Busy {
                path: path.display().to_string(),
            }
        }
        _ => LedgerError::Sql(e),
    }
}

/// SQLite's own guards (the CHECK constraints on stock, the keys) stop only what the rules
/// already refuse, so one that fires means the tables were changed behind wxmod's back: say
/// so in wxmod's words, never as a raw "CHECK constraint failed".
fn guarded(e: LedgerError) -> LedgerError {
    match &e {
        LedgerError::Sql(err)
            if err.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) =>
        {
            LedgerError::Corrupt(
                "the event would take a stored stock total below zero or repeat a stored record, which the rules never allow: the file was changed outside wxmod; nothing was written".into(),
            )
        }
        _ => e,
    }
}

/// The path names an existing regular file.
fn existing_file(path: &Path) -> Result<(), LedgerError> {
    if path.is_dir() {
        return Err(LedgerError::NotALedger {
            path: path.display().to_string(),
            why: "it is a directory".into(),
        });
    }
    if !path.is_file() {
        return Err(LedgerError::Missing {
            path: path.display().to_string(),
        });
    }
    Ok(())
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
        if path.is_dir() {
            return Err(LedgerError::NotALedger {
                path: path.display().to_string(),
                why: "it is a directory".into(),
            });
        }
        if path.exists() {
            let probe = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            let blank = schema::is_blank(&probe).map_err(|why| LedgerError::NotALedger {
                path: path.display().to_string(),
                why,
            })?;
            drop(probe);
            if !blank {
                return Ledger::open(path);
            }
        }
        Ledger::open_with(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )
    }

    /// Copies the WAL into the main file and empties it, so that `ledger.db` alone holds every
    /// committed event (a copy of it is a complete ledger). Waits up to 2 s for readers of
    /// other processes; called when a writable ledger closes, and by `backup`.
    pub fn checkpoint(&self) -> Result<(), LedgerError> {
        if !self.writable {
            return Ok(());
        }
        self.conn.busy_timeout(std::time::Duration::from_secs(2))?;
        let result: rusqlite::Result<(i64, i64, i64)> =
            self.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                });
        self.conn.busy_timeout(std::time::Duration::from_secs(10))?;
        match result? {
            (0, _, _) => Ok(()),
            (_, log, done) => Err(LedgerError::Invalid(format!(
                "the ledger's WAL could not be copied into {} ({done} of {log} pages; another process is reading it): run the command again",
                self.path.display()
            ))),
        }
    }

    /// Opens an existing ledger file for writing, migrating its schema if it is older. A file
    /// that is not a wxmod ledger is refused and left unchanged.
    pub fn open(path: &Path) -> Result<Ledger, LedgerError> {
        let path_text = path.display().to_string();
        existing_file(path)?;
        // Look before writing anything: a foreign file must not be switched to WAL or get
        // our tables.
        let probe = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        probe.busy_timeout(std::time::Duration::from_secs(10))?;
        schema::recognise(&probe).map_err(|why| LedgerError::NotALedger {
            path: path_text,
            why,
        })?;
        drop(probe);
        Ledger::open_with(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
    }

    /// Opens an existing ledger file for reading only: nothing in the file is created or
    /// changed (no tables, no journal mode), and a file that is not a wxmod ledger of this
    /// schema version is refused. Queries, `verify`, `export` and `backup` use this.
    pub fn open_read_only(path: &Path) -> Result<Ledger, LedgerError> {
        let path_text = path.display().to_string();
        existing_file(path)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        schema::configure_read_only(&conn)?;
        let version = schema::recognise(&conn).map_err(|why| LedgerError::NotALedger {
            path: path_text.clone(),
            why,
        })?;
        if version > schema::SCHEMA_VERSION {
            return Err(LedgerError::TooNew {
                path: path_text,
                found: version,
                known: schema::SCHEMA_VERSION,
            });
        }
        if version < schema::SCHEMA_VERSION {
            return Err(LedgerError::Invalid(format!(
                "ledger {path_text} has the older schema version {version}: run any recording command (or `wxmod ledger init --db {path_text}`) once to update it"
            )));
        }
        Ok(Ledger {
            conn,
            path: path.to_path_buf(),
            clock: RecordingClock::System,
            key: None,
            writable: false,
        })
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
            clock: RecordingClock::EventTime,
            key: None,
            writable: false,
        })
    }

    fn open_with(path: &Path, flags: OpenFlags) -> Result<Ledger, LedgerError> {
        let mut conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        schema::configure(&conn, true)?;
        match schema::migrate(&mut conn)? {
            Migration::Current => Ok(Ledger {
                conn,
                path: path.to_path_buf(),
                clock: RecordingClock::System,
                key: None,
                writable: true,
            }),
            Migration::TooNew(found) => Err(LedgerError::TooNew {
                path: path.display().to_string(),
                found,
                known: schema::SCHEMA_VERSION,
            }),
        }
    }

    /// Sets where the recording time of the next events comes from.
    pub fn set_clock(&mut self, clock: RecordingClock) {
        self.clock = clock;
    }

    /// Sets the key that seals every event recorded from now on, and that `verify` and
    /// `anchor` use.
    pub fn set_key(&mut self, key: Option<SealKey>) {
        self.key = key;
    }

    /// The seal key in use.
    pub fn key(&self) -> Option<&SealKey> {
        self.key.as_ref()
    }

    /// Seals every event that has no seal yet (a ledger kept before its chain was keyed):
    /// the key holder vouches for the history as it stands. Gives how many were sealed.
    pub fn seal_unsealed(&mut self) -> Result<usize, LedgerError> {
        let key = self
            .key
            .clone()
            .ok_or_else(|| LedgerError::Invalid("sealing the chain needs the seal key".into()))?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let unsealed: Vec<(i64, String)> = {
            let mut stmt = tx.prepare(
                "SELECT e.seq, e.hash FROM events e LEFT JOIN seals s ON s.seq = e.seq WHERE s.seq IS NULL ORDER BY e.seq",
            )?;
            let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        for (seq, hash) in &unsealed {
            tx.prepare_cached("INSERT INTO seals (seq, mac) VALUES (?1, ?2)")?
                .execute(params![seq, key.seal(hash)])?;
        }
        tx.commit()?;
        Ok(unsealed.len())
    }

    /// A signed head to file or print (weekly, say) and check later with `verify --anchor`.
    pub fn anchor(&self) -> Result<String, LedgerError> {
        let key = self.key.as_ref().ok_or_else(|| {
            LedgerError::Invalid("an anchor is signed with the seal key: give --key".into())
        })?;
        let (seq, hash) = self.head()?;
        Ok(key.anchor(seq, &hash))
    }

    fn recorded_at(clock: RecordingClock, event: &NewEvent) -> NaiveDateTime {
        match clock {
            RecordingClock::System => clock::now(),
            RecordingClock::Fixed(t) => t,
            RecordingClock::EventTime => event.at,
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
        self.record_built(|_| Ok(Cow::Owned(event)))
    }

    /// Records the event `build` makes from what the ledger holds, reading and writing in one
    /// immediate transaction (so no other writer comes between the read and the write).
    pub(super) fn record_built<'e>(
        &mut self,
        build: impl FnOnce(&Connection) -> Result<Cow<'e, NewEvent>, LedgerError>,
    ) -> Result<Recorded, LedgerError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| busy(e, &path))?;
        let event = build(&tx)?;
        let mut cache = None;
        let recorded_at = Ledger::recorded_at(self.clock, &event);
        let recorded =
            append(&tx, &event, recorded_at, self.key.as_ref(), &mut cache).map_err(guarded)?;
        tx.commit().map_err(|e| busy(e, &path))?;
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
        on_commit: impl FnMut(Progress),
    ) -> Result<Vec<Recorded>, ImportError> {
        self.record_each(
            events.len(),
            batch,
            |_, i| {
                events.get(i).map(Cow::Borrowed).ok_or_else(|| {
                    LedgerError::Invalid("invariant: the batch indexes its own events".into())
                })
            },
            on_commit,
        )
    }

    /// Records `count` events, the `i`-th made by `build` inside its batch's transaction
    /// (from what the ledger holds then), committing every `batch` events (0 = all in one).
    pub(super) fn record_each<'e>(
        &mut self,
        count: usize,
        batch: usize,
        mut build: impl FnMut(&Connection, usize) -> Result<Cow<'e, NewEvent>, LedgerError>,
        mut on_commit: impl FnMut(Progress),
    ) -> Result<Vec<Recorded>, ImportError> {
        let size = if batch == 0 { count.max(1) } else { batch };
        let mut recorded = Vec::with_capacity(count);
        let mut start = 0;
        while start < count {
            let end = start.saturating_add(size).min(count);
            let fail = |index: usize, error: LedgerError| ImportError {
                index,
                committed: start,
                error,
            };
            let path = self.path.clone();
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(|e| fail(start, busy(e, &path)))?;
            let mut cache = None;
            let mut done = Vec::with_capacity(end - start);
            for index in start..end {
                let event = build(&tx, index).map_err(|e| fail(index, e))?;
                done.push(
                    append(
                        &tx,
                        &event,
                        Ledger::recorded_at(self.clock, &event),
                        self.key.as_ref(),
                        &mut cache,
                    )
                    .map_err(|e| fail(index, guarded(e)))?,
                );
            }
            tx.commit().map_err(|e| fail(start, busy(e, &path)))?;
            let last_seq = done.last().map(|r| r.seq).unwrap_or(0);
            recorded.extend(done);
            on_commit(Progress {
                committed: recorded.len(),
                last_seq,
            });
            start = end;
        }
        Ok(recorded)
    }
}

impl Ledger {
    /// Takes over a whole history (an event log exported from a ledger, or a paper book
    /// typed up) into this EMPTY ledger: every event is checked under every rule, in order,
    /// and recorded with its own time as recording time, so that `TIME-ENTRY` does not refuse
    /// a history older than `late_entry_days`. `TIME-ORDER` still holds. Into a ledger that has
    /// events this is refused: late entries there are bounded by `late_entry_days`.
    pub fn import_history(
        &mut self,
        events: &[NewEvent],
        batch: usize,
        on_commit: impl FnMut(Progress),
    ) -> Result<Vec<Recorded>, ImportError> {
        let refuse = |error: LedgerError| ImportError {
            index: 0,
            committed: 0,
            error,
        };
        let (head, _) = self.head().map_err(refuse)?;
        if head != 0 {
            return Err(refuse(LedgerError::Invalid(format!(
                "an event log keeps its own times only in an empty ledger, and {} holds {head} event(s): record later events one by one",
                self.path.display()
            ))));
        }
        let clock = std::mem::replace(&mut self.clock, RecordingClock::EventTime);
        let result = self.record_all(events, batch, on_commit);
        self.clock = clock;
        result
    }
}

/// Admits, chains and applies one event inside `tx`. `cache` keeps the thresholds between the
/// events of one batch (a `configure` event clears it).
fn append(
    tx: &Transaction<'_>,
    new: &NewEvent,
    recorded_at: NaiveDateTime,
    key: Option<&SealKey>,
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
    // An event dated in the future or long ago is refused before anything else is looked at;
    // the order of its locations and lots is checked last, so that an event breaking another
    // rule names that rule.
    timeline::entry_window(new.at, recorded_at, &thresholds)?;
    admit::admit(tx, &thresholds, new)?;
    timeline::in_order(tx, new.at, &timeline::subjects(tx, &new.event)?)?;
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
    if let Some(key) = key {
        tx.prepare_cached("INSERT INTO seals (seq, mac) VALUES (?1, ?2)")?
            .execute(params![seq, key.seal(&hash)])?;
    }
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
