//! Backups (`wxmod ledger backup --to FILE`): a consistent copy of a ledger taken with SQLite's
//! online backup API while other processes keep writing, then read back and verified.
//!
//! The copy is made in one step (one read transaction: in WAL mode it never blocks writers,
//! and it sees exactly the events committed when it began), written to a temporary file beside
//! the target, switched to a rollback journal so that the one file holds everything, flushed to
//! disk and only then renamed to the target: a failed backup leaves no partial file. An
//! existing target is refused, never overwritten. Cost: one sequential copy of the file plus a
//! `verify` of the copy (linear in the number of events).

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};

use super::LedgerError;
use super::ledger::Ledger;
use super::verify::VerifyReport;

/// How long a backup waits, in all, for a locked source before it gives up.
const BUSY_WAIT: Duration = Duration::from_secs(10);

impl Ledger {
    /// Copies this ledger to `to` (which must not exist yet) and verifies the copy; gives the
    /// copy's verify report.
    pub fn backup(&self, to: &Path) -> Result<VerifyReport, LedgerError> {
        if to.exists() {
            return Err(LedgerError::Invalid(format!(
                "{} already exists: a backup never overwrites a file, give a new name",
                to.display()
            )));
        }
        let name = to
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "backup".into());
        let partial = to.with_file_name(format!(".{name}.partial-{}", std::process::id()));
        let result = self.copy_to(&partial).and_then(|()| {
            std::fs::rename(&partial, to).map_err(|e| {
                LedgerError::Invalid(format!("cannot move the backup to {}: {e}", to.display()))
            })
        });
        if let Err(e) = result {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
        Ledger::open_read_only(to)?.verify(None)
    }

    fn copy_to(&self, partial: &Path) -> Result<(), LedgerError> {
        let mut copy = Connection::open(partial)?;
        {
            let backup = Backup::new(self.conn(), &mut copy)?;
            let mut waited = Duration::ZERO;
            loop {
                match backup.step(-1)? {
                    StepResult::Done => break,
                    StepResult::More => {}
                    _ if waited >= BUSY_WAIT => {
                        return Err(LedgerError::Invalid(format!(
                            "the ledger {} stayed locked for {} s: retry the backup",
                            self.path().display(),
                            BUSY_WAIT.as_secs()
                        )));
                    }
                    _ => {
                        std::thread::sleep(Duration::from_millis(20));
                        waited += Duration::from_millis(20);
                    }
                }
            }
        }
        // One self-contained file: no WAL beside the copy.
        copy.pragma_update(None, "journal_mode", "DELETE")?;
        drop(copy);
        std::fs::File::open(partial)
            .and_then(|f| f.sync_all())
            .map_err(|e| {
                LedgerError::Invalid(format!("cannot flush {} to disk: {e}", partial.display()))
            })
    }
}
