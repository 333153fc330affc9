//! The ledger's SQLite schema and its versioned migrations.
//!
//! `PRAGMA user_version` holds the number of migrations applied; opening a ledger applies the
//! missing ones in one transaction and refuses a file written by a newer wxmod. Every
//! connection runs in WAL mode (readers never block the writer, several processes may share
//! the file), with `synchronous=FULL` (a commit is on disk before it returns), foreign keys on
//! and a busy timeout so that concurrent writers queue instead of failing. A writable ledger
//! copies its WAL into the main file when it closes ([`Ledger::checkpoint`](super::Ledger::checkpoint)),
//! so that `ledger.db` alone is complete after every command; `wxmod ledger backup` takes a
//! consistent copy while others write. A file without wxmod's schema version and event log is
//! never changed: [`recognise`] refuses it before anything is written.
//!
//! Tables: `events` (the append-only, hash-chained log) and `chain_head`; everything else is
//! a projection of the log, rebuilt identically by replaying it (`ledger verify` does so and
//! compares). Registers keep each record's JSON in `body` beside the columns that queries
//! need. `stock` refuses negative quantities by a CHECK constraint, a second guard behind
//! rule L8 (rows that reach zero are deleted).

use std::time::Duration;

use rusqlite::Connection;
use rusqlite::config::DbConfig;

/// The migrations, in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: the first ledger.
    "
    CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE TABLE chain_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE models (name TEXT PRIMARY KEY, class TEXT NOT NULL, body TEXT NOT NULL);
    CREATE TABLE depots (id TEXT PRIMARY KEY, body TEXT NOT NULL);
    CREATE TABLE sites (id TEXT PRIMARY KEY, county TEXT NOT NULL, body TEXT NOT NULL);
    CREATE TABLE sectors (site TEXT PRIMARY KEY REFERENCES sites(id), body TEXT NOT NULL);
    CREATE TABLE vehicles (id TEXT PRIMARY KEY, body TEXT NOT NULL);
    CREATE TABLE operators (id TEXT PRIMARY KEY, body TEXT NOT NULL);
    CREATE TABLE equipment (id TEXT PRIMARY KEY, kind TEXT NOT NULL, body TEXT NOT NULL);
    CREATE TABLE lots (
        lot TEXT PRIMARY KEY, model TEXT NOT NULL REFERENCES models(name), class TEXT NOT NULL,
        expires TEXT NOT NULL, serial_first INTEGER, serial_last INTEGER,
        received_seq INTEGER NOT NULL, body TEXT NOT NULL
    );
    CREATE INDEX lots_by_serial ON lots(model, serial_first);
    CREATE TABLE airspace (
        reference TEXT PRIMARY KEY, site TEXT NOT NULL REFERENCES sites(id),
        start TEXT NOT NULL, end TEXT NOT NULL, body TEXT NOT NULL
    );
    -- Windows covering a time are found from those not yet ended: a short range however
    -- long the history.
    CREATE INDEX airspace_by_site_end ON airspace(site, end);
    CREATE TABLE stock (
        loc_kind TEXT NOT NULL, loc_id TEXT NOT NULL,
        lot TEXT NOT NULL REFERENCES lots(lot),
        condition TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity >= 0),
        PRIMARY KEY (loc_kind, loc_id, lot, condition)
    ) WITHOUT ROWID;
    CREATE INDEX stock_by_lot ON stock(lot);
    CREATE TABLE transfers (
        id TEXT PRIMARY KEY, from_depot TEXT NOT NULL REFERENCES depots(id),
        to_depot TEXT NOT NULL REFERENCES depots(id),
        vehicle TEXT NOT NULL, escort TEXT NOT NULL, licence TEXT NOT NULL,
        dispatched_seq INTEGER NOT NULL, dispatched_at TEXT NOT NULL,
        arrived_seq INTEGER, arrived_at TEXT
    );
    CREATE INDEX transfers_open ON transfers(to_depot) WHERE arrived_seq IS NULL;
    CREATE TABLE firings (
        seq INTEGER NOT NULL, at TEXT NOT NULL, site TEXT NOT NULL, county TEXT NOT NULL,
        lot TEXT NOT NULL, model TEXT NOT NULL, class TEXT NOT NULL, rounds INTEGER NOT NULL,
        PRIMARY KEY (seq, lot)
    );
    CREATE TABLE site_activity (site TEXT PRIMARY KEY, last_at TEXT NOT NULL);
    CREATE TABLE stocktakes (
        loc_kind TEXT NOT NULL, loc_id TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (loc_kind, loc_id)
    );
    CREATE TABLE discrepancies (
        seq INTEGER NOT NULL, lot TEXT NOT NULL, condition TEXT NOT NULL,
        book INTEGER NOT NULL, counted INTEGER NOT NULL,
        PRIMARY KEY (seq, lot, condition)
    );
    CREATE TABLE obligations (
        seq INTEGER NOT NULL, rule TEXT NOT NULL, subject TEXT NOT NULL, due TEXT NOT NULL,
        filed_seq INTEGER, reference TEXT,
        PRIMARY KEY (seq, rule)
    );
    CREATE INDEX obligations_open ON obligations(due) WHERE filed_seq IS NULL;
    CREATE TABLE event_lots (lot TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (lot, seq)) WITHOUT ROWID;
    CREATE TABLE event_serials (serial INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (serial, seq)) WITHOUT ROWID;
    ",
    // 2: the latest event time per location and lot (rule TIME-ORDER); filled from the log
    // by `timeline::rebuild` when an older ledger is migrated.
    "
    CREATE TABLE touches (subject TEXT PRIMARY KEY, last_at TEXT NOT NULL) WITHOUT ROWID;
    -- The keyed seal of each event's chain hash (see seal.rs): not a projection.
    CREATE TABLE seals (seq INTEGER PRIMARY KEY, mac TEXT NOT NULL);
    -- Rounds per location and item class, kept with every stock change, so that a capacity
    -- check is one lookup however many lots a depot holds (was a sum over its lots: imports
    -- slowed down quadratically).
    CREATE TABLE stock_totals (
        loc_kind TEXT NOT NULL, loc_id TEXT NOT NULL, class TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity >= 0),
        PRIMARY KEY (loc_kind, loc_id, class)
    ) WITHOUT ROWID;
    INSERT INTO stock_totals (loc_kind, loc_id, class, quantity)
        SELECT s.loc_kind, s.loc_id, l.class, SUM(s.quantity) FROM stock s JOIN lots l ON l.lot = s.lot
        GROUP BY s.loc_kind, s.loc_id, l.class;
    ",
    // 3: per-serial accounting (units.rs). A numbered lot of an older ledger was moved without
    // naming serials: its per-serial record ends at the first later event of the lot.
    "
    CREATE TABLE serial_lots (
        lot TEXT PRIMARY KEY REFERENCES lots(lot), depot TEXT NOT NULL,
        received_seq INTEGER NOT NULL, ended_seq INTEGER
    ) WITHOUT ROWID;
    CREATE TABLE units (
        lot TEXT NOT NULL REFERENCES lots(lot), serial INTEGER NOT NULL,
        loc_kind TEXT NOT NULL, loc_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('good', 'dud', 'fired', 'fallen', 'scrapped', 'lost')),
        last_seq INTEGER NOT NULL,
        PRIMARY KEY (lot, serial)
    ) WITHOUT ROWID;
    CREATE INDEX units_by_place ON units(loc_kind, loc_id, state);
    INSERT INTO serial_lots (lot, depot, received_seq, ended_seq)
        SELECT l.lot, json_extract(e.body, '$.depot'), l.received_seq,
               (SELECT min(m.seq) FROM event_lots m WHERE m.lot = l.lot AND m.seq > l.received_seq)
        FROM lots l JOIN events e ON e.seq = l.received_seq WHERE l.serial_first IS NOT NULL;
    ",
];

/// The schema version this wxmod writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The projection tables, rebuilt by replaying the log; `verify` compares each.
pub(crate) const PROJECTIONS: &[&str] = &[
    "settings",
    "models",
    "depots",
    "sites",
    "sectors",
    "vehicles",
    "operators",
    "equipment",
    "lots",
    "airspace",
    "stock",
    "transfers",
    "firings",
    "site_activity",
    "stocktakes",
    "discrepancies",
    "obligations",
    "event_lots",
    "event_serials",
    "touches",
    "stock_totals",
    "serial_lots",
    "units",
];

/// Sets the per-connection pragmas. `durable` chooses `synchronous=FULL` (files) over `OFF`
/// (in-memory ledgers for tests and replays).
pub(crate) fn configure(conn: &Connection, durable: bool) -> rusqlite::Result<()> {
    if durable {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(Duration::from_secs(10))?;
    stable_plans(conn)?;
    // The rules and projections use some 50 distinct statements: keep them all prepared.
    conn.set_prepared_statement_cache_capacity(128);
    Ok(())
}

/// Turns on SQLite's query planner stability guarantee for this connection: a prepared
/// statement keeps the plan it was prepared with, whatever values are bound later. Without
/// it the bundled SQLite (built with STAT4) marks parameters compared against a partial
/// index's condition as "binding may change the plan", and re-compiles such a statement on
/// every step with new bindings: that was a third of the time of an import and of `verify`.
/// The plans of the ledger's statements never depend on the values (every lookup is by key).
/// Connection-local: nothing is written to the file.
fn stable_plans(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

/// Per-connection settings of a read-only connection: nothing is written to the file.
pub(crate) fn configure_read_only(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(10))?;
    stable_plans(conn)?;
    conn.set_prepared_statement_cache_capacity(128);
    Ok(())
}

/// Whether the file is an SQLite database with nothing in it (a new, empty file).
pub(crate) fn is_blank(conn: &Connection) -> Result<bool, String> {
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))
        .map_err(|e| format!("not an SQLite database: {e}"))?;
    Ok(tables == 0 && version(conn).map_err(|e| e.to_string())? == 0)
}

/// Recognises a wxmod ledger without changing it: a schema version set by wxmod and the event
/// log present. Gives the schema version, or what the file is instead.
pub(crate) fn recognise(conn: &Connection) -> Result<i64, String> {
    if is_blank(conn)? {
        return Err("an empty database: create a ledger with `wxmod ledger init`".into());
    }
    let version = version(conn).map_err(|e| e.to_string())?;
    if version == 0 {
        return Err(
            "an SQLite database of another application, without a wxmod schema version".into(),
        );
    }
    let has_events: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'",
            [],
            |row| row.get(0),
        )
        .map_err(|e| e.to_string())?;
    if has_events == 0 {
        return Err(format!(
            "schema version {version} but no event log (table events)"
        ));
    }
    Ok(version)
}

/// What migrating found.
pub(crate) enum Migration {
    /// The schema is current (now).
    Current,
    /// The file was written by a newer wxmod with this schema version.
    TooNew(i64),
}

/// Applies the missing migrations in one immediate transaction; a current ledger is only read.
pub(crate) fn migrate(conn: &mut Connection) -> Result<Migration, super::LedgerError> {
    let version = version(conn)?;
    if version == SCHEMA_VERSION {
        return Ok(Migration::Current);
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Another process may have migrated between the read above and the lock.
    let version: i64 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if version > SCHEMA_VERSION {
        return Ok(Migration::TooNew(version));
    }
    for sql in MIGRATIONS
        .iter()
        .skip(usize::try_from(version).unwrap_or(0))
    {
        tx.execute_batch(sql)?;
    }
    if version == 1 {
        super::timeline::rebuild(&tx)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(Migration::Current)
}

/// The schema version of an open ledger.
pub(crate) fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}
