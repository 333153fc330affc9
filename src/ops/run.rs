//! `wxmod run`, the main job: from a project to every table, layer, map and report a planner
//! hands in, as named files.
//!
//! Steps, each the job of its own command so the files are the same byte for byte: lay the
//! 15 km base grid and the 10 km priority grid; analyse the coverage gaps of the network
//! ([`super::gaps`]); plan new points, burners and vehicle-mounted systems year by year
//! ([`super::plan`]); compute the safe firing sectors of every rocket and gun site
//! ([`super::sectors`]); cost the plan year by year ([`super::budget`], from the ledger's
//! history and stock when one is given); draw the region overview, one map per county and one
//! per rollout year ([`super::maps`]); choose the X-band radar site and find the AWS gaps
//! ([`super::radar::in_run`], files under `radar/`); gather it all in a self-contained `index.html`. The
//! caller writes the files and may report progress through the `progress` callback.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::budget::{DEFAULT_THROUGH, Horizon};
use crate::gaps::{GapOptions, PolicyGrid, PolicyGrids};
use crate::grid::Grid;
use crate::project::Project;
use crate::region::{CHINA_ALBERS, MAX_UTM_SPAN_DEG, Region, UnitLevel, admin_units};
use crate::render::{self, CellStatus, CellStatusMap, MapInputs, RenderError};
use crate::report::budget::{markdown::budget_overview, wan_text};
use crate::report::{self, NamedFile, html::Section};
use crate::sites::Site;
use crate::siting::Plan;

use super::Outcome;
use super::budget::{BudgetJobError, BudgetSummary, budget_of_sites, open_ledger};
use super::checks::{self, ProtectedObjects};
use super::gaps::{GapSummary, gaps_on};
use super::limits;
use super::maps::{Figure, MapFormat, MapJobError, MapSet, draw, load_font};
use super::plan::{PlanJobError, PlanObjective, PlanOptions, PlanSummary, plan_with_engine};
use super::sectors::{SectorJobError, SectorOptions, sectors_of};

/// How to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The network as of this year, and the grids (default: the policy's).
    pub gap_options: GapOptions,
    /// The ammunition ledger, for the budget's consumption history and stock; without it the
    /// catalog's allowances stand in and no stock is counted.
    pub ledger: Option<PathBuf>,
    /// The last year of the budget (it starts with the rollout's first year).
    pub budget_through: i32,
    /// A font for PNG maps in place of the bundled one.
    pub font: Option<PathBuf>,
    /// Whether a region without county seats, places or airports is refused.
    pub protected_objects: ProtectedObjects,
    /// Which maps to draw; `None`: [`MapSet::default_for`] the region.
    pub maps: Option<MapSet>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            gap_options: GapOptions::default(),
            ledger: None,
            budget_through: DEFAULT_THROUGH,
            font: None,
            protected_objects: ProtectedObjects::Required,
            maps: None,
        }
    }
}

/// A step of the run that failed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The siting plan failed.
    #[error(transparent)]
    Plan(#[from] PlanJobError),
    /// A map could not be drawn.
    #[error(transparent)]
    Maps(#[from] MapJobError),
    /// The font could not be read.
    #[error(transparent)]
    Font(#[from] RenderError),
    /// Firing sectors could not be computed.
    #[error(transparent)]
    Sectors(#[from] SectorJobError),
    /// The plan could not be costed.
    #[error(transparent)]
    Budget(#[from] BudgetJobError),
    /// The radar and AWS step failed.
    #[error(transparent)]
    Radar(#[from] crate::radar::RadarError),
}

/// What `wxmod run` reports: each step's summary, and the headline lines of the report.
#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    /// The region's name.
    pub region: String,
    /// Sites in the network.
    pub sites: usize,
    /// The gap analysis of the network as it stands.
    pub gaps: GapSummary,
    /// The plan.
    pub plan: PlanSummary,
    /// Rocket and gun sites with a sector, and of them without a valid one.
    pub sectors: (usize, usize),
    /// The budget.
    pub budget: BudgetSummary,
    /// The X-band radar's best site and coverage, and the AWS gaps (or why not computed).
    pub radar: super::radar::in_run::RadarRunSummary,
    /// The headline lines, as at the top of `index.html`.
    pub headlines: Vec<String>,
}

impl fmt::Display for RunSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {} sites in the network", self.region, self.sites)?;
        for line in &self.headlines {
            writeln!(f, "{line}")?;
        }
        Ok(())
    }
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

/// Most rollout years drawn one map each; a longer rollout (a national plan runs to the 25th
/// century under the 1-2 points a year rule) is drawn at its first year, every tenth year, the
/// policy's goal years and its last year.
const MAX_ROLLOUT_MAPS: usize = 30;

/// The rollout years that get a map: all of them up to [`MAX_ROLLOUT_MAPS`], else a selection.
fn rollout_map_years(years: &[i32]) -> Vec<i32> {
    if years.len() <= MAX_ROLLOUT_MAPS {
        return years.to_vec();
    }
    let (first, last) = (years[0], years[years.len() - 1]);
    years
        .iter()
        .copied()
        .filter(|&y| y == first || y == last || y % 10 == 0 || y == 2025 || y == 2035)
        .collect()
}

/// The budget report's title in a run.
fn budget_title(region: &Region) -> String {
    format!("{} (plan.csv)", region.name)
}

/// Runs every step; `progress` is told the name of each step as it starts.
pub fn run(
    project: &Project,
    options: &RunOptions,
    mut progress: impl FnMut(&str),
) -> Result<Outcome<RunSummary>, RunError> {
    let region = &project.region;
    super::plan::check_options(project, &PlanOptions::default()).map_err(PlanJobError::from)?;
    if let Some(year) = options.gap_options.year {
        limits::YEAR
            .check_year("--year", year)
            .map_err(PlanJobError::from)?;
    }
    limits::YEAR
        .check_year("--through", options.budget_through)
        .map_err(PlanJobError::from)?;
    let mut warnings = checks::protected_objects(project, options.protected_objects)
        .map_err(PlanJobError::from)?;
    warnings.extend(checks::layer_warnings(project));
    let font = load_font(options.font.as_deref())?;
    let ledger = options.ledger.as_deref().map(open_ledger).transpose()?;
    let mut files: Vec<NamedFile> = Vec::new();
    let mut headlines: Vec<String> = warnings.iter().map(|w| format!("warning: {w}")).collect();

    progress(&format!(
        "laying the 15 km and 10 km grids over {} counties",
        region.counties.len()
    ));
    let grids = PolicyGrids::build(
        region,
        &options.gap_options,
        project.layers.dem.as_ref(),
        project.layers.zones.as_ref(),
    );
    for (which, grid) in grids.iter() {
        let stem = match which {
            PolicyGrid::Base => "grid_15km",
            PolicyGrid::Priority => "grid_10km_priority",
        };
        files.extend(report::grid_files(stem, grid, region));
        headlines.push(format!(
            "{}: {} cells touch the region, {} require a point",
            which.label(),
            grid.cells.len(),
            grid.required_cells().count()
        ));
    }

    if region.projection.spec() == CHINA_ALBERS {
        headlines.push(format!(
            "projection: Albers equal-area conic for China (standard parallels 25°N and 47°N, central meridian 105°E), chosen by itself for a region wider than {MAX_UTM_SPAN_DEG}° of longitude"
        ));
    }
    progress(&format!(
        "analysing coverage gaps: {} sites, {} + {} cells",
        project.sites.len(),
        grids.base.cells.len(),
        grids.priority.as_ref().map_or(0, |g| g.cells.len())
    ));
    let (gap_report, gaps) = gaps_on(project, &project.sites, &options.gap_options, &grids);
    files.extend(gaps.files);
    for (grid, compliance) in [
        (PolicyGrid::Base, &gaps.summary.compliance_base),
        (PolicyGrid::Priority, &gaps.summary.compliance_priority),
    ] {
        if let Some(c) = compliance {
            headlines.push(format!(
                "{} grid today: {} of {} required cells served, {} gaps",
                grid.label(),
                c.served,
                c.required,
                c.gaps()
            ));
        }
    }
    if let Some(c) = &gaps.summary.coverage_city {
        headlines.push(format!(
            "effective coverage today: {:.1} of {:.1} km² ({:.1}%)",
            c.covered_km2,
            c.area_km2,
            c.percent()
        ));
    }

    progress(&format!(
        "planning new points, burners and vehicle-mounted systems for {} counties",
        region.counties.len()
    ));
    let plan_options = PlanOptions {
        objective: PlanObjective::Grid,
        exclusions: None,
        gap_options: options.gap_options.clone(),
        protected_objects: options.protected_objects,
    };
    let (plan, engine, planned) = plan_with_engine(project, &plan_options)?;
    files.extend(planned.files);
    headlines.push(format!(
        "plan: {} new standardized points, {} burners, {} vehicle-mounted systems; {} cells infeasible",
        planned.summary.new_standardized_points,
        planned.summary.new_burners,
        planned.summary.new_mobile_systems,
        planned.summary.infeasible_cells
    ));
    headlines.extend(planned.summary.goals.iter().map(ToString::to_string));

    progress(&format!(
        "computing safe firing sectors of the rocket and gun sites among {} sites",
        plan.sites.len()
    ));
    let (sector_table, sectored) = sectors_of(
        &engine,
        &plan.sites,
        SectorOptions {
            no_maps: true,
            protected_objects: options.protected_objects,
        },
    )?;
    files.extend(sectored.files);
    let invalid_sectors = sector_table.invalid().count();
    headlines.push(format!(
        "firing sectors: {} rocket and gun sites, {} without a valid sector",
        sector_table.rows.len(),
        invalid_sectors
    ));

    progress(&format!(
        "costing the plan (equipment budget) {}–{}",
        project.rules.start_year,
        options.budget_through.max(project.rules.start_year)
    ));
    let start = project.rules.start_year;
    let horizon = Horizon::new(start, start, options.budget_through.max(start))
        .map_err(BudgetJobError::from)?;
    let (costed, budgeted) = budget_of_sites(
        project,
        &plan.sites,
        ledger.as_ref(),
        horizon,
        &budget_title(region),
    )?;
    files.extend(budgeted.files);
    headlines.push(format!(
        "budget {}–{}: {} 万元 over {} lines ({} with an assumed [A] price)",
        horizon.from,
        horizon.through,
        wan_text(costed.total()),
        budgeted.summary.lines,
        budgeted.summary.assumed_price_lines
    ));

    progress("choosing the radar site and finding the AWS gaps");
    let radar = super::radar::in_run::radar_in_run(project, true)?;
    headlines.extend(radar.summary.headlines.iter().cloned());

    let map_set = options.maps.unwrap_or_else(|| MapSet::default_for(region));
    let figures = draw_maps(
        project,
        options,
        map_set,
        &grids,
        &plan,
        &font,
        &warnings,
        &mut files,
        &mut progress,
    )?;
    checks::stamp_markdown(&mut files, &warnings);

    progress("writing the report");
    let pick = |name: &str| {
        figures
            .iter()
            .find(|f| f.name == name)
            .map(|f| Section::Figure {
                caption: f.title.clone(),
                svg: f.svg.clone().unwrap_or_default(),
            })
    };
    let budget_chart_svg = NamedFile::find(&files, "budget_chart.svg")
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .unwrap_or_default();
    let mut sections = Vec::new();
    sections.extend(figures.first().and_then(|overview| pick(&overview.name)));
    sections.push(Section::Markdown(report::markdown::gap_report(
        &gap_report,
        region,
    )));
    sections.push(Section::Markdown(report::markdown::plan_report(
        &plan,
        region,
        &project.rules,
    )));
    sections.push(Section::Markdown(report::sectors::sectors_markdown(
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
    sections.push(Section::Html {
        title: radar.title,
        html: radar.html,
    });
    files.extend(radar.files);
    let names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    let title = format!(
        "{} 人工影响天气作业布局规划 — weather-modification siting plan",
        region.name
    );
    files.push(NamedFile::new(
        "index.html",
        report::html::index_html(&title, &headlines, &sections, &names),
    ));
    Ok(Outcome {
        files,
        summary: RunSummary {
            region: region.name.clone(),
            sites: project.sites.len(),
            gaps: gaps.summary,
            plan: planned.summary,
            sectors: (sector_table.rows.len(), invalid_sectors),
            budget: budgeted.summary,
            radar: radar.summary,
            headlines,
        },
    })
}

/// The maps of `map_set`: the region overview, the maps per province, city or county it
/// asks for and one per rollout year, drawn on every core, into `maps/`; returns each map's
/// name, title and SVG for the report. `progress` is told how many maps of each kind.
#[allow(clippy::too_many_arguments)]
fn draw_maps(
    project: &Project,
    options: &RunOptions,
    map_set: MapSet,
    grids: &PolicyGrids,
    plan: &Plan,
    font: &render::MapFont,
    warnings: &[String],
    files: &mut Vec<NamedFile>,
    progress: &mut impl FnMut(&str),
) -> Result<Vec<Figure>, RunError> {
    if map_set == MapSet::None {
        progress("drawing no maps (--maps none)");
        return Ok(Vec::new());
    }
    let region = &project.region;
    let layers = &project.layers;
    let year = options.gap_options.year;
    let mut map_inputs = MapInputs::new(region);
    map_inputs.grid = Some(&grids.base);
    map_inputs.cell_status = grid_status(
        &grids.base,
        PolicyGrid::Base,
        &plan.sites,
        year,
        plan,
        region,
    );
    map_inputs.dem = layers.dem.as_ref();
    map_inputs.zones = layers.zones.as_ref();
    map_inputs.rivers = layers.rivers.as_ref();
    map_inputs.landmarks = &layers.landmarks;
    map_inputs.sites = &plan.sites;
    map_inputs.catalog = Some(&project.catalog);
    map_inputs.source_note = super::maps::note_with_warnings(
        render::data_note(region, layers.zones.as_ref(), project.sites_file.as_deref()),
        warnings,
    );
    let years = render::planned_years(&plan.sites);
    if crate::region::RegionScope::of(region) != crate::region::RegionScope::City
        && let Some(&last) = years.last()
    {
        let status = grid_status(
            &grids.base,
            PolicyGrid::Base,
            &plan.sites,
            Some(last),
            plan,
            region,
        );
        map_inputs.final_status = Some((last, status));
    }
    let mut specs = vec![render::city_overview(&map_inputs)];
    let mut counts = vec!["the overview".to_string()];
    let mut add = |specs: &mut Vec<_>, more: Vec<_>, what: &str| {
        if !more.is_empty() {
            counts.push(format!("{} {what}", more.len()));
            specs.extend(more);
        }
    };
    if map_set >= MapSet::Provinces && admin_units(region, UnitLevel::Province).len() > 1 {
        let more = render::unit_maps(&map_inputs, UnitLevel::Province);
        add(&mut specs, more, "provinces");
    }
    if map_set >= MapSet::Cities && admin_units(region, UnitLevel::City).len() > 1 {
        let more = render::unit_maps(&map_inputs, UnitLevel::City);
        add(&mut specs, more, "cities");
    }
    if map_set >= MapSet::Counties {
        add(&mut specs, render::county_maps(&map_inputs), "counties");
    }
    let mapped_years = rollout_map_years(&years);
    let rollout_words = if mapped_years.len() < years.len() {
        format!(
            "of the {} rollout years (the first, every tenth, 2025, 2035 and the last)",
            years.len()
        )
    } else {
        "rollout years".to_string()
    };
    let rollout = render::rollout_maps(&map_inputs, &mapped_years, |y| {
        grid_status(
            &grids.base,
            PolicyGrid::Base,
            &plan.sites,
            Some(y),
            plan,
            region,
        )
    });
    add(&mut specs, rollout, &rollout_words);
    progress(&format!(
        "drawing {} maps (--maps {}): {}",
        specs.len(),
        map_set.as_str(),
        counts.join(", ")
    ));
    let (drawn, figures) = draw(&specs, font, MapFormat::Both, "maps/")?;
    files.extend(drawn);
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_rollout_maps_a_selection_of_its_years() {
        let short: Vec<i32> = (2027..2044).collect();
        assert_eq!(rollout_map_years(&short), short);
        let long: Vec<i32> = (2027..=2464).collect();
        let chosen = rollout_map_years(&long);
        assert_eq!(chosen.first(), Some(&2027));
        assert_eq!(chosen.last(), Some(&2464));
        assert!(chosen.contains(&2035) && chosen.contains(&2030) && chosen.contains(&2460));
        assert!(chosen.iter().all(|y| long.contains(y)));
        assert_eq!(
            chosen.len(),
            2 + 1 + 44,
            "first, last, 2035 and the 44 decades 2030..2460"
        );
    }
}
