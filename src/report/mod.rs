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

/// An output file: its name inside the output folder and its bytes.
pub type NamedFile = (String, Vec<u8>);

/// A grid as `{stem}.geojson` (the clipped cells in lon/lat) and `{stem}_counties.csv`.
pub fn grid_files(stem: &str, grid: &Grid, region: &Region) -> Vec<NamedFile> {
    vec![
        (
            format!("{stem}.geojson"),
            geojson::grid_cells(grid, region).into_bytes(),
        ),
        (
            format!("{stem}_counties.csv"),
            csv::grid_county_summary(&grid.county_summaries(region)).into_bytes(),
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
        (
            "gaps.md".into(),
            markdown::gap_report(gaps, region).into_bytes(),
        ),
        (
            "gaps_compliance.csv".into(),
            csv::gap_compliance(gaps).into_bytes(),
        ),
        (
            "gaps_coverage_counties.csv".into(),
            csv::coverage_rows(&gaps.coverage_by_county).into_bytes(),
        ),
        (
            "gaps_coverage_zones.csv".into(),
            csv::coverage_rows(&gaps.coverage_by_zone).into_bytes(),
        ),
        ("gaps_list.csv".into(), csv::gap_list(gaps).into_bytes()),
        (
            "gaps_policy_items.csv".into(),
            csv::policy_items(gaps).into_bytes(),
        ),
        ("gaps_cells.geojson".into(), gap_cells.into_bytes()),
        (
            "gaps_uncovered.geojson".into(),
            uncovered_geojson.into_bytes(),
        ),
    ]
}

/// The siting plan: the plan as a site file (`plan.csv`, `plan.geojson`), `plan.md`, the
/// rollout by county and year and the cells nothing can serve, with their reasons.
pub fn plan_files(plan: &Plan, region: &Region, rules: &SitingRules) -> Vec<NamedFile> {
    vec![
        (
            "plan.csv".into(),
            crate::sites::sites_to_csv(&plan.sites).into_bytes(),
        ),
        (
            "plan.geojson".into(),
            crate::sites::sites_to_geojson(&plan.sites).into_bytes(),
        ),
        (
            "plan.md".into(),
            markdown::plan_report(plan, region, rules).into_bytes(),
        ),
        ("plan_rollout.csv".into(), csv::rollout(plan).into_bytes()),
        (
            "plan_infeasible_cells.csv".into(),
            csv::infeasible_cells(plan, region).into_bytes(),
        ),
    ]
}
