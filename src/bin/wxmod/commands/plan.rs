//! `wxmod plan`: place new standardized points, smoke burners and vehicle-mounted systems,
//! year by year; `--explain LON,LAT` says why a place may or may not hold a point.

use std::path::PathBuf;

use wxmod::ops::plan::{PlanObjective, PlanOptions, explain, plan};

use super::{PlanningArgs, finish, print_summary};

/// Plan new sites to reach the policy's grid standard.
#[derive(clap::Args, Debug)]
pub struct PlanArgs {
    #[command(flatten)]
    pub project: PlanningArgs,
    /// Exclusion areas (GeoJSON polygons or points with radius_m, each with a reason).
    #[arg(long, value_name = "FILE")]
    pub exclusions: Option<PathBuf>,
    /// What the new points must achieve: the policy's grid standard, or effective coverage of
    /// all uncovered land by influence discs (covering solver, with its bound).
    #[arg(long, value_enum, default_value = "grid")]
    pub objective: ObjectiveArg,
    /// With --objective coverage: place only the best N points (maximal covering).
    #[arg(long, value_name = "N")]
    pub points: Option<usize>,
    /// With --objective coverage: spacing of demand and candidate lattices.
    #[arg(long, value_name = "LENGTH", default_value = "2km")]
    pub coverage_spacing: wxmod::units::Metres,
    /// With --objective coverage: solver time limit in seconds (0.001-3600).
    #[arg(long, value_name = "S", default_value_t = 10.0)]
    pub time_limit: f64,
    /// Say why a place (lon,lat in WGS84 degrees) may or may not hold a new point, and stop.
    #[arg(long, value_name = "LON,LAT")]
    pub explain: Option<wxmod::units::LonLat>,
    /// Output folder for the plan (CSV + GeoJSON in the site-file format), report and tables.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The objective of `wxmod plan`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectiveArg {
    /// A standardized point in every required 15 km and 10 km priority cell.
    Grid,
    /// Influence discs over all uncovered land (or the best N points).
    Coverage,
}

pub fn run(args: PlanArgs) -> anyhow::Result<()> {
    let objective = match args.objective {
        ObjectiveArg::Grid => PlanObjective::Grid,
        ObjectiveArg::Coverage => PlanObjective::Coverage {
            spacing_m: args.coverage_spacing.0,
            points: args.points,
            time_limit: wxmod::ops::limits::TIME_LIMIT.duration(args.time_limit)?,
        },
    };
    let project = args.project.load()?;
    let options = PlanOptions {
        objective,
        exclusions: args.exclusions.clone(),
        protected_objects: args.project.protected_objects(),
        ..PlanOptions::default()
    };
    if let Some(at) = args.explain {
        let answer = explain(&project, &options, at.lon, at.lat)?;
        return print_summary(&answer, &[], args.json);
    }
    finish(plan(&project, &options)?, args.out.as_deref(), args.json)
}
