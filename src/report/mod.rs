//! Turning planning results into bytes: one file per output format. Reporters never write
//! files; the CLI decides where the bytes go. The `*_files` functions name the file set of
//! each step, so that `wxmod run` and the single commands write the same files.

pub mod budget;
pub mod csv;
pub mod geojson;
pub mod html;
pub mod markdown;
pub mod sectors;

use crate::gaps::{GapReport, PolicyGrid, PolicyGrids};
use crate::grid::{CellId, Grid};
use crate::region::Region;
use crate::siting::{Plan, SitingRules};

/// An output file: its name inside the output folder (may contain `/` for a subfolder) and
/// its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedFile {
    /// The path inside the output folder, e.g. `maps/county_140602.png`.
    pub name: String,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

impl NamedFile {
    /// A file named `name` holding `bytes` (a `String` is taken as its UTF-8 bytes).
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        NamedFile {
            name: name.into(),
            bytes: bytes.into(),
        }
    }

    /// The files of a `(name, bytes)` list, in order.
    pub fn from_pairs(pairs: Vec<(String, Vec<u8>)>) -> Vec<NamedFile> {
        pairs
            .into_iter()
            .map(|(name, bytes)| NamedFile { name, bytes })
            .collect()
    }

    /// The file among `files` with this name, if any.
    pub fn find<'a>(files: &'a [NamedFile], name: &str) -> Option<&'a NamedFile> {
        files.iter().find(|f| f.name == name)
    }
}

/// A grid as `{stem}.geojson` (the clipped cells in lon/lat) and `{stem}_counties.csv`.
pub fn grid_files(stem: &str, grid: &Grid, region: &Region) -> Vec<NamedFile> {
    vec![
        NamedFile::new(format!("{stem}.geojson"), geojson::grid_cells(grid, region)),
        NamedFile::new(
            format!("{stem}_counties.csv"),
            csv::grid_county_summary(&grid.county_summaries(region)),
        ),
    ]
}

/// The coverage-gap analysis: `gaps.md`, five CSV tables and two GeoJSON layers (the gap
/// cells, and the land of each cell no influence disc reaches, `uncovered`).
pub fn gap_files(
    gaps: &GapReport,
    grids: &PolicyGrids,
    uncovered: &[(PolicyGrid, CellId, geo::MultiPolygon<f64>)],
    region: &Region,
) -> Vec<NamedFile> {
    let (gap_cells, uncovered_geojson) = geojson::gap_layers(gaps, grids, uncovered, region);
    vec![
        NamedFile::new("gaps.md", markdown::gap_report(gaps, region)),
        NamedFile::new("gaps_compliance.csv", csv::gap_compliance(gaps)),
        NamedFile::new(
            "gaps_coverage_counties.csv",
            csv::coverage_rows(&gaps.coverage_by_county),
        ),
        NamedFile::new(
            "gaps_coverage_zones.csv",
            csv::coverage_rows(&gaps.coverage_by_zone),
        ),
        NamedFile::new("gaps_list.csv", csv::gap_list(gaps)),
        NamedFile::new("gaps_policy_items.csv", csv::policy_items(gaps)),
        NamedFile::new("gaps_cells.geojson", gap_cells),
        NamedFile::new("gaps_uncovered.geojson", uncovered_geojson),
    ]
}

/// The siting plan: the plan as a site file (`plan.csv`, `plan.geojson`), `plan.md`, the
/// rollout by county and year and the cells nothing can serve, with their reasons.
pub fn plan_files(plan: &Plan, region: &Region, rules: &SitingRules) -> Vec<NamedFile> {
    vec![
        NamedFile::new("plan.csv", crate::sites::sites_to_csv(&plan.sites)),
        NamedFile::new("plan.geojson", crate::sites::sites_to_geojson(&plan.sites)),
        NamedFile::new("plan.md", markdown::plan_report(plan, region, rules)),
        NamedFile::new("plan_rollout.csv", csv::rollout(plan)),
        NamedFile::new(
            "plan_infeasible_cells.csv",
            csv::infeasible_cells(plan, region),
        ),
    ]
}
