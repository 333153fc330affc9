//! How a `wxmod ledger` command opens its ledger: the file read-only for a query or for
//! writing, its seal key (needed to record, used when present to verify), and who records the
//! events when the command does not say.
//!
//! A missing or foreign file keeps its own message ([`LedgerError::Missing`],
//! [`LedgerError::NotALedger`]); any other failure names the file ([`OpenError::Open`]).

use std::path::{Path, PathBuf};

use super::ledger::{Ledger, LedgerError};
use super::seal::{KeyError, SealKey};

/// What a command does with the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Records events: opened for writing; the seal key must be there.
    Record,
    /// Only reads (stock, check, verify, export ...): opened read-only; without a key file,
    /// verify says it could not check the seals.
    Query,
}

/// Why a command could not open its ledger.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// No ledger at the path, or a file that is not a ledger.
    #[error(transparent)]
    Ledger(LedgerError),
    /// The ledger is there but could not be opened (locked, damaged, newer schema ...).
    #[error("cannot open the ledger {path}: {source}")]
    Open {
        /// The ledger file.
        path: PathBuf,
        /// What went wrong.
        source: LedgerError,
    },
    /// The seal key could not be read (or is missing for a recording command).
    #[error(transparent)]
    Key(#[from] KeyError),
}

impl Ledger {
    /// Opens the ledger at `path` with the seal key at `key` for `access`.
    pub fn open_for(path: &Path, key: &Path, access: Access) -> Result<Ledger, OpenError> {
        let opened = match access {
            Access::Query => Ledger::open_read_only(path),
            Access::Record => Ledger::open(path),
        };
        let mut ledger = opened.map_err(|e| match e {
            LedgerError::Missing { .. } | LedgerError::NotALedger { .. } => OpenError::Ledger(e),
            source => OpenError::Open {
                path: path.to_path_buf(),
                source,
            },
        })?;
        match SealKey::read(key) {
            Ok(key) => ledger.set_key(Some(key)),
            Err(KeyError::Missing { .. }) if access == Access::Query => {}
            Err(e) => return Err(e.into()),
        }
        Ok(ledger)
    }
}

/// Who records the events: the name given, else the login name (`$USER`, `$USERNAME`), else
/// "unknown"; a blank name counts as none.
pub fn actor_or_login(given: Option<String>) -> String {
    given
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .filter(|a| !a.trim().is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}
