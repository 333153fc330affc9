//! `wxmod sectors`: the safe firing sector (安全射界) of every rocket and gun site, with its
//! table, GeoJSON wedges, the ledger's sector list and a polar map per site.
//!
//! The sector engine is the project's ([`Project::sector_engine`]): the same landmarks,
//! facilities and settings the planner checks candidates against.

use std::fmt;

use serde::Serialize;

use crate::project::Project;
use crate::region::ProjectionError;
use crate::render::sectors as render;
use crate::report::NamedFile;
use crate::report::sectors as report;
use crate::sectors::{SectorEngine, SectorError, SectorTable};
use crate::sites::Site;

use super::Outcome;
use super::checks::{self, ProtectedObjects, SafetyError};

/// How to draw the sectors.
#[derive(Debug, Clone, Copy, Default)]
pub struct SectorOptions {
    /// Leave out the per-site maps.
    pub no_maps: bool,
    /// Whether a region without county seats, places or airports is refused.
    pub protected_objects: ProtectedObjects,
}

/// Sectors that cannot be computed or written.
#[derive(Debug, thiserror::Error)]
pub enum SectorJobError {
    /// The engine or a sector failed.
    #[error(transparent)]
    Sectors(#[from] SectorError),
    /// The safety checks could not run.
    #[error(transparent)]
    Safety(#[from] SafetyError),
    /// The wedges could not be mapped to lon/lat.
    #[error("cannot map the sector wedges to lon/lat: {0}")]
    Projection(#[from] ProjectionError),
}

/// One site's line on the terminal.
#[derive(Debug, Clone)]
pub struct SectorLine {
    /// Site id.
    pub site: String,
    /// Site kind.
    pub kind: String,
    /// Equipment.
    pub equipment: String,
    /// Allowed intervals.
    pub allowed: usize,
    /// The widest allowed interval, described.
    pub widest: String,
    /// "valid" or the problem.
    pub verdict: String,
}

/// What `wxmod sectors` reports.
#[derive(Debug, Clone, Serialize)]
pub struct SectorSummary {
    /// Every site's sector and the skipped sites, as JSON.
    #[serde(flatten)]
    pub detail: serde_json::Value,
    /// Checks that did not run.
    pub warnings: Vec<String>,
    /// Rocket and gun sites.
    #[serde(skip)]
    pub sites: usize,
    /// Of which with a valid sector.
    #[serde(skip)]
    pub valid: usize,
    /// Protected objects checked.
    #[serde(skip)]
    pub protected_objects: usize,
    /// Sites without a sector of their own.
    #[serde(skip)]
    pub skipped: usize,
    /// One line per site.
    #[serde(skip)]
    pub lines: Vec<SectorLine>,
}

impl SectorSummary {
    /// The figures of a sector table.
    pub fn of(table: &SectorTable, engine: &SectorEngine) -> SectorSummary {
        let lines = table
            .rows
            .iter()
            .map(|row| {
                let s = &row.sector;
                SectorLine {
                    site: row.site.id.clone(),
                    kind: row.site.kind.as_str().to_string(),
                    equipment: s.equipment.to_string(),
                    allowed: s.allowed.len(),
                    widest: s
                        .widest
                        .map(|w| format!("widest {w} ({}°)", w.width_deg))
                        .unwrap_or_else(|| "nothing allowed".into()),
                    verdict: match s.problem(table.objects()) {
                        None => "valid".to_string(),
                        Some(problem) => format!("NO VALID SECTOR: {problem}"),
                    },
                }
            })
            .collect();
        SectorSummary {
            detail: report::summary_json(table),
            warnings: Vec::new(),
            sites: table.rows.len(),
            valid: table.rows.iter().filter(|r| r.sector.is_valid()).count(),
            protected_objects: engine.objects().len(),
            skipped: table.skipped.len(),
            lines,
        }
    }
}

impl fmt::Display for SectorSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        checks::display(f, &self.warnings)?;
        writeln!(
            f,
            "{} rocket and gun sites ({} with a valid sector), {} protected objects; {} sites without a sector of their own",
            self.sites, self.valid, self.protected_objects, self.skipped
        )?;
        for l in &self.lines {
            writeln!(
                f,
                "{:<8} {:<18} {:<9} {} allowed interval(s), {}; {}",
                l.site, l.kind, l.equipment, l.allowed, l.widest, l.verdict
            )?;
        }
        Ok(())
    }
}

/// A file stem for a site id: letters, digits, `-`, `_` and `.` kept, the rest `_`.
fn file_stem(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The sector table of `sites` and its files (tables always; maps unless `no_maps`).
pub fn sectors_of(
    engine: &SectorEngine,
    sites: &[Site],
    options: SectorOptions,
) -> Result<(SectorTable, Outcome<SectorSummary>), SectorJobError> {
    let table = engine.table(sites)?;
    let mut files = report::table_files(&table, engine)?;
    if !options.no_maps {
        for row in &table.rows {
            let stem = file_stem(&row.site.id);
            files.push(NamedFile::new(
                format!("maps/{stem}.svg"),
                render::sector_map_svg(engine, row)?,
            ));
            files.push(NamedFile::new(
                format!("maps/{stem}.png"),
                render::sector_map_png(engine, row)?,
            ));
        }
    }
    let summary = SectorSummary::of(&table, engine);
    Ok((table, Outcome { files, summary }))
}

/// The firing sectors of the project's network.
pub fn sectors(
    project: &Project,
    options: SectorOptions,
) -> Result<Outcome<SectorSummary>, SectorJobError> {
    let warnings = checks::protected_objects(project, options.protected_objects)?;
    let engine = project.sector_engine()?;
    let (_, mut outcome) = sectors_of(&engine, &project.sites, options)?;
    checks::stamp_markdown(&mut outcome.files, &warnings);
    outcome.summary.warnings = warnings;
    Ok(outcome)
}
