//! Register jobs of `wxmod ledger site --import` and `sector --import`: many register entries
//! read from a file and recorded in one transaction (all or nothing), each checked under every
//! rule, with a summary that prints as text (`Display`) and JSON (`Serialize`).

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use serde::Serialize;

use super::event::{Event, NewEvent};
use super::import::ImportFileError;
use super::ledger::{ImportError, Ledger, LedgerError};
use super::patch::RegisterPatch;
use super::points::read_points;
use super::records::FiringSector;

/// What `site --import` registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PointsSummary {
    /// The site or plan file.
    #[serde(skip)]
    pub file: PathBuf,
    /// Operation points registered or updated.
    pub registered: usize,
    /// Sites of the file left out, with the reason: (id, reason).
    pub skipped: Vec<(String, String)>,
}

impl fmt::Display for PointsSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "registered {} operation point(s) from {}",
            self.registered,
            self.file.display()
        )?;
        for (id, why) in &self.skipped {
            writeln!(f, "  skipped {id}: {why}")?;
        }
        Ok(())
    }
}

/// Why `site --import` registered nothing.
#[derive(Debug, thiserror::Error)]
pub enum PointsImportError {
    /// The file has bad records.
    #[error(transparent)]
    File(#[from] ImportFileError),
    /// The ledger could not be read.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// A point was refused; the transaction was rolled back. The refusal is the source
    /// (printed after this line's "importing FILE" in an error chain).
    #[error("importing {}", file.display())]
    Refused {
        /// The file.
        file: PathBuf,
        /// The refused point.
        #[source]
        error: ImportError,
    },
}

/// What `sector --import` recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SectorsSummary {
    /// Sites whose firing sector was set.
    pub registered: usize,
}

impl fmt::Display for SectorsSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "set the firing sectors of {} site(s)", self.registered)
    }
}

impl Ledger {
    /// Registers (or updates, keeping registered guards) the operation points of a site or
    /// plan file (`planned`: planned sites too), all in one transaction.
    pub fn import_points(
        &mut self,
        file: &Path,
        at: NaiveDateTime,
        actor: &str,
        planned: bool,
    ) -> Result<PointsSummary, PointsImportError> {
        let read = read_points(file, &self.thresholds()?, planned)?;
        let patches = read
            .points
            .into_iter()
            .map(|p| RegisterPatch::Site(p.into()));
        let done = self
            .update_all(at, actor, patches.collect())
            .map_err(|error| PointsImportError::Refused {
                file: file.to_path_buf(),
                error,
            })?;
        Ok(PointsSummary {
            file: file.to_path_buf(),
            registered: done.len(),
            skipped: read.skipped,
        })
    }

    /// Sets the firing sectors of many sites in one transaction (all or nothing).
    pub fn record_sectors(
        &mut self,
        at: NaiveDateTime,
        actor: &str,
        sectors: Vec<FiringSector>,
    ) -> Result<SectorsSummary, ImportError> {
        let count = sectors.len();
        let mut sectors = sectors.into_iter();
        let done = self.record_each(
            count,
            0,
            |_, _| {
                let sector = sectors.next().ok_or_else(|| {
                    LedgerError::Invalid("invariant: one sector per event of the batch".into())
                })?;
                Ok(Cow::Owned(NewEvent {
                    at,
                    actor: actor.to_string(),
                    event: Event::Sector(sector),
                }))
            },
            |_| {},
        )?;
        Ok(SectorsSummary {
            registered: done.len(),
        })
    }
}
