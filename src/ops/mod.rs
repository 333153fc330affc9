//! The jobs wxmod does, one module per job: each takes a [`Project`](crate::project::Project)
//! and typed options and returns an [`Outcome`]: the files it made and a summary that is both
//! `Serialize` (for `--json`) and `Display` (for the terminal).
//!
//! The command line calls exactly one of these per command; [`run`] chains the others, so the
//! one-command run writes, by construction, the same files as the single commands. Nothing
//! here prints: the files are written by [`output::write_atomically`], the summary by the
//! caller.
//!
//! | job | module | files |
//! |---|---|---|
//! | the 15 km / 10 km grids | [`grid`] | `grid_*.geojson`, `grid_*_counties.csv` |
//! | priority zones | [`zones`] | one zone GeoJSON |
//! | the covering solver on CSV files | [`cover`] | none (a JSON report) |
//! | coverage gaps | [`gaps`] | `gaps.md`, CSV tables, gap and uncovered-land layers |
//! | the siting plan | [`plan`] | `plan.csv`, `plan.geojson`, `plan.md`, rollout tables |
//! | firing sectors | [`sectors`] | sector table, wedges, ledger sector list, sector maps |
//! | the equipment budget | [`budget`] | `budget.md`, CSV tables, `budget.xlsx`, chart |
//! | siting maps | [`maps`] | PNG and SVG maps |
//! | the X-band radar site and the AWS network | [`radar`] | candidate table, coverage layers and maps, AWS gaps |
//! | everything | [`run`] | all of the above and `index.html` |

pub mod budget;
pub mod checks;
pub mod cover;
pub mod gaps;
pub mod grid;
pub mod limits;
pub mod maps;
pub mod output;
pub mod plan;
pub mod radar;
pub mod run;
pub mod sectors;
pub mod zones;

use serde::Serialize;

use crate::report::NamedFile;

/// What a job made: its files (name inside the output folder, bytes) and its summary.
#[derive(Debug)]
pub struct Outcome<S> {
    /// The files, in the order they are written.
    pub files: Vec<NamedFile>,
    /// The headline figures.
    pub summary: S,
}

/// A summary with the files it was written to, for `--json` (`"files": [...]` last).
#[derive(Debug, Serialize)]
pub struct WithFiles<'a, S: Serialize> {
    /// The job's summary, flattened.
    #[serde(flatten)]
    pub summary: &'a S,
    /// The files written (empty without an output folder).
    pub files: &'a [std::path::PathBuf],
}
