//! `ledger init`: create (or open and migrate) a ledger file, create its seal key when there is
//! none, and seal the events of a ledger kept before its chain was keyed. The summary says
//! what was done, as text ([`Display`](std::fmt::Display)) and JSON ([`Serialize`]).

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::ledger::{Ledger, LedgerError};
use super::seal::{KeyError, SealKey};

/// What `init` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InitSummary {
    /// The ledger file.
    pub path: PathBuf,
    /// Whether the file was created (false: an existing ledger was opened).
    pub created: bool,
    /// Events in the ledger.
    pub events: i64,
    /// The seal key file.
    pub key: PathBuf,
    /// Whether the key was created now.
    pub key_created: bool,
    /// Events sealed now (recorded before the chain was keyed).
    pub sealed: usize,
}

/// Why `init` failed.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The ledger file could not be created or opened.
    #[error("cannot create the ledger {}", path.display())]
    Ledger {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: LedgerError,
    },
    /// The key file could not be read or created.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// Sealing the existing events failed.
    #[error(transparent)]
    Seal(LedgerError),
}

impl Ledger {
    /// Creates the ledger at `path` (or opens and migrates it) with the seal key at `key`,
    /// created owner-only if missing; seals any unsealed events.
    pub fn init(path: &Path, key: &Path) -> Result<InitSummary, InitError> {
        let existed = path.is_file();
        let mut ledger = Ledger::create(path).map_err(|source| InitError::Ledger {
            path: path.to_path_buf(),
            source,
        })?;
        let (seal, key_created) = match SealKey::read(key) {
            Ok(k) => (k, false),
            Err(KeyError::Missing { .. }) => (SealKey::create(key)?, true),
            Err(e) => return Err(e.into()),
        };
        ledger.set_key(Some(seal));
        let sealed = ledger.seal_unsealed().map_err(InitError::Seal)?;
        let (events, _) = ledger.head().map_err(InitError::Seal)?;
        Ok(InitSummary {
            path: path.to_path_buf(),
            created: !existed,
            events,
            key: key.to_path_buf(),
            key_created,
            sealed,
        })
    }
}

impl fmt::Display for InitSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.created { "created" } else { "opened" };
        writeln!(
            f,
            "{what} ledger {} ({} events)",
            self.path.display(),
            self.events
        )?;
        if self.key_created {
            writeln!(
                f,
                "created the seal key {} (owner-only): keep it, and a copy, away from those who can edit the ledger file",
                self.key.display()
            )?;
        }
        if self.sealed > 0 {
            writeln!(
                f,
                "sealed {} event(s) recorded before the chain was keyed",
                self.sealed
            )?;
        }
        Ok(())
    }
}

impl Ledger {
    /// The default ledger file, `wxmod/ledger.db` in the user's data folder: `$XDG_DATA_HOME`
    /// or `~/.local/share` on Linux, `~/Library/Application Support` on macOS, `%APPDATA%` on
    /// Windows; `None` when the environment names no such folder.
    pub fn default_path() -> Option<PathBuf> {
        let env = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let base = if cfg!(windows) {
            env("APPDATA")
        } else if cfg!(target_os = "macos") {
            env("HOME").map(|h| h.join("Library/Application Support"))
        } else {
            env("XDG_DATA_HOME").or_else(|| env("HOME").map(|h| h.join(".local/share")))
        };
        base.map(|b| b.join("wxmod").join("ledger.db"))
    }
}
