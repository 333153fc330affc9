//! `ledger import`: read a stock list, an operator list or an event log and record every
//! event under every rule, committing in batches. An event log into an EMPTY ledger keeps its
//! own times (a history taken over, [`Ledger::import_history`]); into a ledger with events its
//! events are late entries like any other. The summary prints as text and JSON; a refusal
//! names the file and line of the event.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use serde::Serialize;

use super::event::NewEvent;
use super::import::{ImportFileError, read_event_log, read_operator_list, read_stock_list};
use super::ledger::{Ledger, LedgerError, Progress};

/// The file to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportSource {
    /// An existing stock list (CSV): opening balances.
    Stock(PathBuf),
    /// An operator list (CSV).
    Operators(PathBuf),
    /// An event log (JSON lines, as `export` writes it).
    Events(PathBuf),
}

impl ImportSource {
    /// The file.
    pub fn file(&self) -> &Path {
        match self {
            ImportSource::Stock(f) | ImportSource::Operators(f) | ImportSource::Events(f) => f,
        }
    }
}

/// What an import recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// The file.
    pub file: PathBuf,
    /// Events recorded.
    pub recorded: usize,
    /// Sequence number of the last one.
    pub last_seq: Option<i64>,
    /// Duties the events opened.
    #[serde(skip)]
    pub duties: usize,
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "imported {} event(s) from {}",
            self.recorded,
            self.file.display()
        )?;
        if self.duties > 0 {
            write!(
                f,
                ", {} duty(ies) now open (see `wxmod ledger check`)",
                self.duties
            )?;
        }
        writeln!(f)
    }
}

/// Why an import stopped.
#[derive(Debug, thiserror::Error)]
pub enum ImportJobError {
    /// The file has bad lines; nothing was recorded.
    #[error(transparent)]
    File(#[from] ImportFileError),
    /// The ledger could not be read.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// An event was refused or failed; earlier batches stay committed.
    #[error("{}: line {line}: {error} (import stopped: {committed} earlier event(s) committed, the rest of that batch rolled back)", file.display())]
    Stopped {
        /// The file.
        file: PathBuf,
        /// Its line.
        line: usize,
        /// Events committed before it.
        committed: usize,
        /// Why.
        error: LedgerError,
    },
}

impl Ledger {
    /// Imports `source`, events of lists dated `at` by `actor`, committing every `batch`
    /// events (0: all in one transaction) and calling `on_commit` after each commit.
    pub fn import(
        &mut self,
        source: &ImportSource,
        at: NaiveDateTime,
        actor: &str,
        batch: usize,
        on_commit: impl FnMut(Progress),
    ) -> Result<ImportSummary, ImportJobError> {
        let sourced = match source {
            ImportSource::Stock(f) => read_stock_list(f, at, actor)?,
            ImportSource::Operators(f) => read_operator_list(f, at, actor)?,
            ImportSource::Events(f) => read_event_log(f)?,
        };
        let history = matches!(source, ImportSource::Events(_)) && self.head()?.0 == 0;
        let (lines, events): (Vec<usize>, Vec<NewEvent>) =
            sourced.into_iter().map(|s| (s.line, s.event)).unzip();
        let result = if history {
            self.import_history(&events, batch, on_commit)
        } else {
            self.record_all(&events, batch, on_commit)
        };
        let file = source.file().to_path_buf();
        match result {
            Ok(done) => Ok(ImportSummary {
                recorded: done.len(),
                last_seq: done.last().map(|r| r.seq),
                duties: done.iter().map(|r| r.duties.len()).sum(),
                file,
            }),
            Err(err) => Err(ImportJobError::Stopped {
                line: lines.get(err.index).copied().unwrap_or(0),
                committed: err.committed,
                error: err.error,
                file,
            }),
        }
    }
}
