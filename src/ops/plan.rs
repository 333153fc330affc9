//! `wxmod plan`: new standardized points, smoke burners and vehicle-mounted systems, year by
//! year, and `--explain`: why a place may or may not hold a new point.
//!
//! Candidates pass the same constraints in `plan`, `explain` and `run`: the landmark buffers,
//! slope, user exclusions and a valid firing sector clear of landmarks and facilities
//! ([`constraints`]).

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use crate::gaps::GapOptions;
use crate::project::Project;
use crate::report;
use crate::sectors::{SectorEngine, SectorError};
use crate::sites::SiteKind;
use crate::siting::constraints::ExclusionError;
use crate::siting::{
    Constraints, CountyRollout, CoverageObjective, CoverageSolve, Explanation, GoalCheck,
    Objective, Plan, PlanError, SitingRules, check_goals, read_exclusions,
};

use super::Outcome;
use super::checks::{self, ProtectedObjects, SafetyError};
use super::limits::{self, LimitError};

/// What the new points must achieve.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanObjective {
    /// A standardized point in every required 15 km and 10 km priority cell.
    Grid,
    /// Influence discs over the uncovered land, or the best `points` of them.
    Coverage {
        /// Spacing of the demand and candidate lattices, metres.
        spacing_m: f64,
        /// Place only this many points (maximal covering).
        points: Option<usize>,
        /// The solver's time limit.
        time_limit: Duration,
    },
}

/// How to plan.
#[derive(Debug, Clone)]
pub struct PlanOptions {
    /// The objective.
    pub objective: PlanObjective,
    /// Exclusion areas (GeoJSON polygons, or points with `radius_m`).
    pub exclusions: Option<PathBuf>,
    /// The grids and wind rose of the gap analysis the plan starts from.
    pub gap_options: GapOptions,
    /// Whether a region without county seats, places or airports is refused.
    pub protected_objects: ProtectedObjects,
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            objective: PlanObjective::Grid,
            exclusions: None,
            gap_options: GapOptions::default(),
            protected_objects: ProtectedObjects::Required,
        }
    }
}

/// A plan that cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum PlanJobError {
    /// The exclusion file could not be read.
    #[error(transparent)]
    Exclusions(#[from] ExclusionError),
    /// The firing-sector engine could not be built.
    #[error(transparent)]
    Sectors(#[from] SectorError),
    /// The planner failed.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// The safety checks could not run.
    #[error(transparent)]
    Safety(#[from] SafetyError),
    /// A number out of range.
    #[error(transparent)]
    Limit(#[from] LimitError),
}

/// Checks the numbers of the options and the project's start year against their ranges.
pub fn check_options(project: &Project, options: &PlanOptions) -> Result<(), LimitError> {
    limits::YEAR.check_year("--start-year", project.rules.start_year)?;
    if let PlanObjective::Coverage {
        spacing_m,
        points,
        time_limit,
    } = &options.objective
    {
        limits::COVERAGE_SPACING.check(*spacing_m)?;
        limits::TIME_LIMIT.check(time_limit.as_secs_f64())?;
        if let Some(n) = points {
            limits::POINTS.check_count(u64::try_from(*n).unwrap_or(u64::MAX))?;
        }
    }
    Ok(())
}

/// The library objective of a job objective; the coverage radius is the catalog's fixed
/// rocket radius.
fn objective(project: &Project, objective: &PlanObjective) -> Objective {
    match objective {
        PlanObjective::Grid => Objective::Grid,
        PlanObjective::Coverage {
            spacing_m,
            points,
            time_limit,
        } => Objective::Coverage(CoverageObjective {
            radius_m: project
                .catalog
                .kind(SiteKind::FixedRocket)
                .influence_radius_m(),
            spacing_m: *spacing_m,
            budget_points: *points,
            time_limit: *time_limit,
        }),
    }
}

/// The candidate constraints of the project: landmarks, slope, the user's exclusions and a
/// valid firing sector (checked by `engine`).
pub fn constraints<'a>(
    project: &'a Project,
    options: &PlanOptions,
    engine: &'a SectorEngine,
) -> Result<Constraints<'a>, PlanJobError> {
    let user = options
        .exclusions
        .as_deref()
        .map(|p| read_exclusions(p, &project.region))
        .transpose()?
        .unwrap_or_default();
    let inputs = project.plan_inputs(Objective::Grid, &options.gap_options);
    Ok(crate::siting::constraints(&inputs, user).with_firing_sectors(engine))
}

/// Why the place `(lon, lat)` (WGS84 degrees) may or may not hold a new point.
pub fn explain(
    project: &Project,
    options: &PlanOptions,
    lon: f64,
    lat: f64,
) -> Result<ExplainSummary, PlanJobError> {
    let warnings = checks::protected_objects(project, options.protected_objects)?;
    let engine = project.sector_engine()?;
    let constraints = constraints(project, options, &engine)?;
    Ok(ExplainSummary {
        explanation: crate::siting::explain(&project.region, &constraints, lon, lat),
        warnings,
    })
}

/// The answer of `--explain`.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainSummary {
    /// The answer.
    #[serde(flatten)]
    pub explanation: Explanation,
    /// Checks that did not run.
    pub warnings: Vec<String>,
}

impl fmt::Display for ExplainSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        checks::display(f, &self.warnings)?;
        let e = &self.explanation;
        let (lon, lat) = e.lonlat;
        if e.reasons.is_empty() {
            return writeln!(
                f,
                "({lon}, {lat}) in {}: a new point may go here",
                e.county.clone().unwrap_or_default()
            );
        }
        writeln!(f, "({lon}, {lat}) cannot hold a new point:")?;
        for r in &e.reasons {
            writeln!(f, "  - {r}")?;
        }
        Ok(())
    }
}

/// What `wxmod plan` reports.
#[derive(Debug, Clone, Serialize)]
pub struct PlanSummary {
    /// The region's name.
    pub region: String,
    /// Sites added by the plan (points, burners, vehicle-mounted systems).
    pub new_sites: usize,
    /// The covering solve of the coverage objective.
    pub coverage_solve: Option<CoverageSolve>,
    /// New standardized fixed points.
    pub new_standardized_points: usize,
    /// Required 10 km priority cells without a standardized point before the plan.
    pub unserved_priority_cells: usize,
    /// Required 15 km cells without a standardized point before the plan.
    pub unserved_base_cells: usize,
    /// Pairs of cells one point serves together.
    pub matching: usize,
    /// Required cells no candidate can serve.
    pub infeasible_cells: usize,
    /// New smoke burners (none without a DEM).
    pub new_burners: usize,
    /// New vehicle-mounted rocket systems.
    pub new_mobile_systems: usize,
    /// The year every county is complete, if any.
    pub city_complete_year: Option<i32>,
    /// The rollout per county.
    pub counties: Vec<CountyRollout>,
    /// The policy's 2025 and 2035 goals against the rollout (met only when every required cell is).
    pub goals: Vec<GoalCheck>,
    /// Checks and layers that were missing.
    pub warnings: Vec<String>,
}

impl PlanSummary {
    /// The headline figures of a plan.
    pub fn of(plan: &Plan, region_name: &str, rules: &SitingRules) -> PlanSummary {
        let g = &plan.grid;
        PlanSummary {
            region: region_name.to_string(),
            new_sites: plan.new_sites,
            coverage_solve: plan.coverage.clone(),
            new_standardized_points: g.points.len(),
            unserved_priority_cells: g.unserved_priority,
            unserved_base_cells: g.unserved_base,
            matching: g.matching,
            infeasible_cells: g.infeasible.len(),
            new_burners: plan.burners.as_ref().map_or(0, |b| b.burners.len()),
            new_mobile_systems: plan.mobile_counties.len(),
            city_complete_year: plan.rollout.city_complete_year,
            counties: plan.rollout.counties.clone(),
            goals: check_goals(plan, rules),
            warnings: Vec::new(),
        }
    }
}

impl fmt::Display for PlanSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        checks::display(f, &self.warnings)?;
        match &self.coverage_solve {
            Some(c) => writeln!(
                f,
                "coverage objective, {}: {} new points; objective {:.1}, bound {:.1}, gap {:.2}%{} ({} demand points, {} unreachable, {} candidates, {:.2} s)",
                c.problem,
                self.new_standardized_points,
                c.objective,
                c.bound,
                100.0 * c.gap,
                if c.proven_optimal {
                    ", proven optimal"
                } else {
                    ""
                },
                c.demand,
                c.unreachable,
                c.candidates,
                c.seconds
            )?,
            None => {
                writeln!(
                    f,
                    "{}: {} new standardized points = {} unserved 10 km priority cells + {} unserved 15 km cells - {} matched pairs",
                    self.region,
                    self.new_standardized_points,
                    self.unserved_priority_cells,
                    self.unserved_base_cells,
                    self.matching
                )?;
                if self.infeasible_cells > 0 {
                    writeln!(
                        f,
                        "{} required cells cannot be served (see plan_infeasible_cells.csv)",
                        self.infeasible_cells
                    )?;
                }
            }
        }
        if self.new_burners > 0 || self.coverage_solve.is_none() {
            writeln!(
                f,
                "{} new smoke burners over high-mountain land",
                self.new_burners
            )?;
        }
        writeln!(
            f,
            "{} new vehicle-mounted rocket systems",
            self.new_mobile_systems
        )?;
        for c in &self.counties {
            writeln!(
                f,
                "  {} {}: {} new point(s), {}",
                c.county_name,
                c.county,
                c.points_by_year.values().sum::<usize>(),
                c.standing()
            )?;
        }
        for goal in &self.goals {
            writeln!(f, "{goal}")?;
        }
        Ok(())
    }
}

/// The plan of the project, its files (`plan.csv`, `plan.geojson`, `plan.md`, rollout and
/// infeasible-cell tables) and the sector engine that checked its candidates; refused when the
/// protected objects are missing and required. The summary carries the warnings; the caller
/// stamps them on the reports.
pub fn plan_with_engine(
    project: &Project,
    options: &PlanOptions,
) -> Result<(Plan, SectorEngine, Outcome<PlanSummary>), PlanJobError> {
    check_options(project, options)?;
    let mut warnings = checks::protected_objects(project, options.protected_objects)?;
    warnings.extend(checks::layer_warnings(project));
    let engine = project.sector_engine()?;
    let constraints = constraints(project, options, &engine)?;
    let inputs = project.plan_inputs(objective(project, &options.objective), &options.gap_options);
    let plan = crate::siting::plan(&inputs, &constraints)?;
    let files = report::plan_files(&plan, &project.region, &project.rules);
    let mut summary = PlanSummary::of(&plan, &project.region.name, &project.rules);
    summary.warnings = warnings;
    drop(constraints);
    Ok((plan, engine, Outcome { files, summary }))
}

/// The plan of the project and its files.
pub fn plan(
    project: &Project,
    options: &PlanOptions,
) -> Result<Outcome<PlanSummary>, PlanJobError> {
    let (_, _, mut outcome) = plan_with_engine(project, options)?;
    checks::stamp_markdown(&mut outcome.files, &outcome.summary.warnings);
    Ok(outcome)
}
