//! The one-command planning run (`wxmod run`): from a region, a site network and the catalog
//! to every table, layer and report a planner hands in, as named files in memory.
//!
//! Steps: lay the 15 km base grid and the 10 km priority grid; analyse the coverage gaps of
//! the network; write GeoJSON layers, CSV tables and a Markdown summary. The caller writes the
//! files (the library never touches the disk for output) and may report progress through the
//! `progress` callback.

use crate::catalog::Catalog;
use crate::gaps::{GapInputs, GapOptions, PolicyGrid, PolicyGrids, analyse_on, uncovered_land};
use crate::region::Region;
use crate::report;
use crate::sites::Site;
use crate::terrain::Dem;
use crate::zones::ZoneLayer;

/// What a planning run reads.
pub struct RunInputs<'a> {
    /// The region.
    pub region: &'a Region,
    /// The existing (and planned) network; may be empty.
    pub sites: &'a [Site],
    /// The equipment catalog.
    pub catalog: &'a Catalog,
    /// The DEM, if the region has one.
    pub dem: Option<&'a Dem>,
    /// Priority zones, if known.
    pub zones: Option<&'a ZoneLayer>,
    /// Gap-analysis options (grids, year, wind rose).
    pub options: GapOptions,
}

/// The files of a run and its headline figures.
pub struct RunOutputs {
    /// (file name, content), in the order written.
    pub files: Vec<(String, Vec<u8>)>,
    /// Headline figures for the terminal, one per line.
    pub summary: Vec<String>,
}

/// Runs every step; `progress` is told the name of each step as it starts.
pub fn run(inputs: &RunInputs, mut progress: impl FnMut(&str)) -> RunOutputs {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut summary = Vec::new();
    let region = inputs.region;

    progress("laying the 15 km and 10 km grids");
    let grids = PolicyGrids::build(region, &inputs.options, inputs.dem, inputs.zones);
    for (which, grid) in grids.iter() {
        let stem = match which {
            PolicyGrid::Base => "grid_15km",
            PolicyGrid::Priority => "grid_10km_priority",
        };
        files.push((
            format!("{stem}.geojson"),
            report::geojson::grid_cells(grid, region).into_bytes(),
        ));
        files.push((
            format!("{stem}_counties.csv"),
            report::csv::grid_county_summary(&grid.county_summaries(region)).into_bytes(),
        ));
        summary.push(format!(
            "{}: {} cells touch the region, {} require a point",
            which.label(),
            grid.cells.len(),
            grid.required_cells().count()
        ));
    }

    progress("analysing coverage gaps");
    let gap_inputs = GapInputs {
        region,
        sites: inputs.sites,
        catalog: inputs.catalog,
        dem: inputs.dem,
        zones: inputs.zones,
        options: inputs.options.clone(),
    };
    let gaps = analyse_on(&gap_inputs, &grids);
    let uncovered = uncovered_land(&gaps, &grids, &gap_inputs);
    let (gap_cells, uncovered_geojson) =
        report::geojson::gap_layers(&gaps, &grids, &uncovered, region);
    files.push((
        "gaps.md".into(),
        report::markdown::gap_report(&gaps, region).into_bytes(),
    ));
    files.push((
        "gaps_compliance.csv".into(),
        report::csv::gap_compliance(&gaps).into_bytes(),
    ));
    files.push((
        "gaps_coverage_counties.csv".into(),
        report::csv::coverage_rows(&gaps.coverage_by_county).into_bytes(),
    ));
    files.push((
        "gaps_coverage_zones.csv".into(),
        report::csv::coverage_rows(&gaps.coverage_by_zone).into_bytes(),
    ));
    files.push((
        "gaps_list.csv".into(),
        report::csv::gap_list(&gaps).into_bytes(),
    ));
    files.push((
        "gaps_policy_items.csv".into(),
        report::csv::policy_items(&gaps).into_bytes(),
    ));
    files.push(("gaps_cells.geojson".into(), gap_cells.into_bytes()));
    files.push((
        "gaps_uncovered.geojson".into(),
        uncovered_geojson.into_bytes(),
    ));
    for grid in [PolicyGrid::Base, PolicyGrid::Priority] {
        if let Some(c) = gaps.city_compliance(grid) {
            summary.push(format!(
                "{} grid: {} of {} required cells served, {} gaps",
                grid.label(),
                c.served,
                c.required,
                c.gaps()
            ));
        }
    }
    if let Some(c) = gaps.coverage_by_county.last() {
        summary.push(format!(
            "effective coverage: {:.1} of {:.1} km² ({:.1}%)",
            c.covered_km2,
            c.area_km2,
            c.percent()
        ));
    }
    RunOutputs { files, summary }
}
