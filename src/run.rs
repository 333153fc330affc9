//! The one-command planning run (`wxmod run`): from a region, a site network and the catalog
//! to every table, layer, map and report a planner hands in, as named files in memory.
//!
//! Steps: lay the 15 km base grid and the 10 km priority grid; analyse the coverage gaps of
//! the network; plan new points, burners and vehicle-mounted systems year by year; compute the
//! safe firing sectors of every rocket and gun site; cost the plan year by year (the equipment
//! budget, from the ledger's history and stock when one is given); draw the city overview, one
//! map per county and one map per rollout year (PNG + SVG); gather it all in a self-contained
//! `index.html`. Each step writes the same files as its own command (the `*_files` functions
//! of [`crate::report`]). The caller writes the files (the library never touches the disk for
//! output) and may report progress through the `progress` callback.

use crate::budget::{self, Budget, Horizon};
use crate::catalog::Catalog;
use crate::gaps::{
    GapInputs, GapOptions, GapReport, PolicyGrid, PolicyGrids, analyse_on, uncovered_land,
};
use crate::grid::Grid;
use crate::ledger::Ledger;
use crate::parallel::map_in_order;
use crate::region::{Landmark, Region};
use crate::render::{self, CellStatus, CellStatusMap, MapFont, MapInputs};
use crate::report::budget::{BudgetReportError, budget_files, markdown::budget_overview, wan_text};
use crate::report::{self, NamedFile, html::Section};
use crate::sectors::{self, ProtectedObject, SectorConfig, SectorEngine, SectorTable};
use crate::sites::Site;
use crate::siting::{self, Objective, Plan, PlanInputs, SitingRules};
use crate::terrain::Dem;
use crate::zones::ZoneLayer;

/// What a planning run reads.
pub struct RunInputs<'a> {
    /// The region.
    pub region: &'a Region,
    /// The existing (and planned) network; may be empty.
    pub sites: &'a [Site],
    /// The file the network came from, named in the maps' data-source line.
    pub sites_file: Option<&'a std::path::Path>,
    /// The equipment catalog.
    pub catalog: &'a Catalog,
    /// The DEM, if the region has one.
    pub dem: Option<&'a Dem>,
    /// Priority zones, if known.
    pub zones: Option<&'a ZoneLayer>,
    /// River lines for the maps.
    pub rivers: Option<&'a geo::MultiLineString<f64>>,
    /// County seats, airports and places.
    pub landmarks: &'a [Landmark],
    /// Further protected facilities (oil depots, substations, mines ...) that firing sectors
    /// keep clear of, besides the landmarks.
    pub facilities: &'a [ProtectedObject],
    /// Siting rules.
    pub rules: SitingRules,
    /// Gap-analysis options (grids, year, wind rose).
    pub options: GapOptions,
    /// The font for PNG maps.
    pub font: &'a MapFont,
    /// The ammunition ledger, for the budget's consumption history and stock; without it the
    /// catalog's allowances stand in and no stock is counted.
    pub ledger: Option<&'a Ledger>,
    /// The last year of the budget (it starts with the rollout's first year).
    pub budget_through: i32,
}

/// The files of a run and its headline figures.
pub struct RunOutputs {
    /// (file name, content), in the order written.
    pub files: Vec<NamedFile>,
    /// Headline figures for the terminal, one per line.
    pub summary: Vec<String>,
}

/// A step of the run that failed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The siting plan failed.
    #[error(transparent)]
    Plan(#[from] siting::PlanError),
    /// A map could not be drawn.
    #[error(transparent)]
    Render(#[from] render::RenderError),
    /// Firing sectors could not be computed.
    #[error(transparent)]
    Sectors(#[from] sectors::SectorError),
    /// The plan could not be costed.
    #[error(transparent)]
    Budget(#[from] budget::BudgetError),
    /// A budget file could not be made.
    #[error(transparent)]
    BudgetReport(#[from] BudgetReportError),
    /// Landmarks or wedges could not be projected.
    #[error(transparent)]
    Projection(#[from] crate::region::ProjectionError),
}

/// Cell status of a grid for a network as of `year`: served where an operating standardized
/// fixed site stands in the cell, infeasible where the plan found no candidate, else a gap.
fn grid_status(
    grid: &Grid,
    which: PolicyGrid,
    sites: &[Site],
    year: Option<i32>,
    plan: &Plan,
    region: &Region,
) -> CellStatusMap {
    let mut status = render::status_by_sites_inside(region, grid, sites, year);
    for cell in plan.grid.infeasible.iter().filter(|c| c.grid == which) {
        if status.get(&cell.cell) == Some(&CellStatus::Gap) {
            status.insert(cell.cell, CellStatus::Infeasible);
        }
    }
    status
}

/// What the steps gather as they go: the files and the headline figures.
#[derive(Default)]
struct Gathered {
    files: Vec<NamedFile>,
    summary: Vec<String>,
}

/// Runs every step; `progress` is told the name of each step as it starts.
pub fn run(inputs: &RunInputs, mut progress: impl FnMut(&str)) -> Result<RunOutputs, RunError> {
    let region = inputs.region;
    let mut out = Gathered::default();

    progress("laying the 15 km and 10 km grids");
    let grids = lay_grids(inputs, &mut out);
    progress("analysing coverage gaps");
    let gaps = analyse_gaps(inputs, &grids, &mut out);
    progress("planning new points, burners and vehicle-mounted systems");
    let (plan, engine) = plan_network(inputs, &mut out)?;
    progress("computing safe firing sectors");
    let sector_table = firing_sectors(&engine, &plan, &mut out)?;
    progress("costing the plan (equipment budget)");
    let costed = cost_plan(inputs, &plan, &mut out)?;
    progress("drawing maps");
    let figures = draw_maps(inputs, &grids, &plan, &mut out)?;

    progress("writing the report");
    let pick = |name: &str| {
        figures
            .iter()
            .find(|f| f.0 == name)
            .map(|f| Section::Figure {
                caption: f.1.clone(),
                svg: f.2.clone(),
            })
    };
    let budget_chart_svg = out
        .files
        .iter()
        .find(|f| f.0 == "budget_chart.svg")
        .map(|f| String::from_utf8_lossy(&f.1).into_owned())
        .unwrap_or_default();
    let mut sections = Vec::new();
    sections.extend(pick("city_overview"));
    sections.push(Section::Markdown(report::markdown::gap_report(
        &gaps, region,
    )));
    sections.push(Section::Markdown(report::markdown::plan_report(
        &plan,
        region,
        &inputs.rules,
    )));
    sections.push(Section::Markdown(sectors::report::sectors_markdown(
        &sector_table,
        engine.config(),
    )));
    sections.push(Section::Markdown(format!(
        "{}\nEvery line with its explanation, the ammunition forecast and the assumed prices: `budget.md`, `budget_lines.csv`, `budget.xlsx`.\n",
        budget_overview(&costed, &budget_title(region))
    )));
    sections.push(Section::Figure {
        caption: format!(
            "{} equipment budget by year and category 年度装备经费 (万元)",
            region.name
        ),
        svg: budget_chart_svg,
    });
    if let Some(last) = render::planned_years(&plan.sites).last() {
        sections.extend(pick(&format!("rollout_{last}")));
    }
    if let Some(first) = region.counties.first() {
        sections.extend(pick(&format!("county_{}", first.id)));
    }
    let names: Vec<String> = out.files.iter().map(|f| f.0.clone()).collect();
    let title = format!(
        "{} 人工影响天气作业布局规划 — weather-modification siting plan",
        region.name
    );
    out.files.push((
        "index.html".into(),
        report::html::index_html(&title, &out.summary, &sections, &names).into_bytes(),
    ));
    Ok(RunOutputs {
        files: out.files,
        summary: out.summary,
    })
}

/// The 15 km base grid and the 10 km priority grid, as GeoJSON and per-county CSV.
fn lay_grids(inputs: &RunInputs, out: &mut Gathered) -> PolicyGrids {
    let region = inputs.region;
    let grids = PolicyGrids::build(region, &inputs.options, inputs.dem, inputs.zones);
    for (which, grid) in grids.iter() {
        let stem = match which {
            PolicyGrid::Base => "grid_15km",
            PolicyGrid::Priority => "grid_10km_priority",
        };
        out.files.extend(report::grid_files(stem, grid, region));
        out.summary.push(format!(
            "{}: {} cells touch the region, {} require a point",
            which.label(),
            grid.cells.len(),
            grid.required_cells().count()
        ));
    }
    grids
}

/// The gap analysis of the network as it stands (or as of `--year`).
fn analyse_gaps(inputs: &RunInputs, grids: &PolicyGrids, out: &mut Gathered) -> GapReport {
    let gap_inputs = GapInputs {
        region: inputs.region,
        sites: inputs.sites,
        catalog: inputs.catalog,
        dem: inputs.dem,
        zones: inputs.zones,
        options: inputs.options.clone(),
    };
    let gaps = analyse_on(&gap_inputs, grids);
    let uncovered = uncovered_land(&gaps, grids, &gap_inputs);
    out.files
        .extend(report::gap_files(&gaps, grids, &uncovered, inputs.region));
    for grid in [PolicyGrid::Base, PolicyGrid::Priority] {
        if let Some(c) = gaps.city_compliance(grid) {
            out.summary.push(format!(
                "{} grid today: {} of {} required cells served, {} gaps",
                grid.label(),
                c.served,
                c.required,
                c.gaps()
            ));
        }
    }
    if let Some(c) = gaps.coverage_by_county.last() {
        out.summary.push(format!(
            "effective coverage today: {:.1} of {:.1} km² ({:.1}%)",
            c.covered_km2,
            c.area_km2,
            c.percent()
        ));
    }
    gaps
}

/// The siting plan from the rollout's first year, refusing candidates without a safe firing
/// sector; returns the plan and the sector engine that checked it.
fn plan_network(inputs: &RunInputs, out: &mut Gathered) -> Result<(Plan, SectorEngine), RunError> {
    let region = inputs.region;
    let plan_inputs = PlanInputs {
        region,
        sites: inputs.sites,
        catalog: inputs.catalog,
        dem: inputs.dem,
        zones: inputs.zones,
        landmarks: inputs.landmarks,
        rules: inputs.rules.clone(),
        options: GapOptions {
            year: Some(inputs.rules.start_year - 1),
            ..inputs.options.clone()
        },
        objective: Objective::Grid,
    };
    let engine = SectorEngine::for_landmarks(
        SectorConfig::default(),
        inputs.landmarks,
        inputs.facilities.to_vec(),
        region.projection.clone(),
        inputs.dem.cloned(),
    )?;
    let plan = {
        let constraints =
            siting::constraints(&plan_inputs, Vec::new()).with_firing_sectors(&engine);
        siting::plan(&plan_inputs, &constraints)?
    };
    out.files
        .extend(report::plan_files(&plan, region, &inputs.rules));
    out.summary.push(format!(
        "plan: {} new standardized points, {} burners, {} vehicle-mounted systems; {} cells infeasible",
        plan.grid.points.len(),
        plan.burners.as_ref().map_or(0, |b| b.burners.len()),
        plan.mobile_counties.len(),
        plan.grid.infeasible.len()
    ));
    out.summary.extend(plan.rollout.against_goals());
    Ok((plan, engine))
}

/// The safe firing sector of every rocket and gun site of the plan.
fn firing_sectors(
    engine: &SectorEngine,
    plan: &Plan,
    out: &mut Gathered,
) -> Result<SectorTable, RunError> {
    let table = engine.table(&plan.sites)?;
    out.files
        .extend(sectors::report::table_files(&table, engine)?);
    out.summary.push(format!(
        "firing sectors: {} rocket and gun sites, {} without a valid sector",
        table.rows.len(),
        table.invalid().count()
    ));
    Ok(table)
}

/// The budget report's title.
fn budget_title(region: &Region) -> String {
    format!("{} (plan.csv)", region.name)
}

/// The equipment budget of the plan from the rollout's first year through `budget_through`.
fn cost_plan(inputs: &RunInputs, plan: &Plan, out: &mut Gathered) -> Result<Budget, RunError> {
    let region = inputs.region;
    let start = inputs.rules.start_year;
    let horizon = Horizon::new(start, start, inputs.budget_through.max(start))?;
    let costed =
        budget::budget_of_plan(region, &plan.sites, inputs.catalog, inputs.ledger, horizon)?;
    out.files
        .extend(budget_files(&costed, &budget_title(region), &region.name)?);
    out.summary.push(format!(
        "budget {}–{}: {} 万元 over {} lines ({} with an assumed [A] price)",
        horizon.from,
        horizon.through,
        wan_text(costed.total()),
        costed.lines.len(),
        costed.lines.iter().filter(|l| l.assumed).count()
    ));
    Ok(costed)
}

/// The city overview, one map per county and one per rollout year, drawn on every core;
/// returns (name, title, SVG) of each for the report.
fn draw_maps(
    inputs: &RunInputs,
    grids: &PolicyGrids,
    plan: &Plan,
    out: &mut Gathered,
) -> Result<Vec<(String, String, String)>, RunError> {
    let region = inputs.region;
    let mut map_inputs = MapInputs::new(region);
    map_inputs.grid = Some(&grids.base);
    map_inputs.cell_status = grid_status(
        &grids.base,
        PolicyGrid::Base,
        &plan.sites,
        inputs.options.year,
        plan,
        region,
    );
    map_inputs.dem = inputs.dem;
    map_inputs.zones = inputs.zones;
    map_inputs.rivers = inputs.rivers;
    map_inputs.landmarks = inputs.landmarks;
    map_inputs.sites = &plan.sites;
    map_inputs.catalog = Some(inputs.catalog);
    map_inputs.source_note = render::data_note(region, inputs.zones, inputs.sites_file);
    let mut specs = vec![render::city_overview(&map_inputs)];
    specs.extend(render::county_maps(&map_inputs));
    let years = render::planned_years(&plan.sites);
    specs.extend(render::rollout_maps(&map_inputs, &years, |y| {
        grid_status(
            &grids.base,
            PolicyGrid::Base,
            &plan.sites,
            Some(y),
            plan,
            region,
        )
    }));
    let mut figures = Vec::new();
    let rendered = map_in_order(&specs, 2, |spec| render::render_png_svg(spec, inputs.font));
    for (spec, drawn) in specs.iter().zip(rendered) {
        let (png, svg) = drawn?;
        out.files.push((format!("maps/{}.png", spec.name), png));
        out.files
            .push((format!("maps/{}.svg", spec.name), svg.clone().into_bytes()));
        figures.push((spec.name.clone(), spec.title.clone(), svg));
    }
    Ok(figures)
}
