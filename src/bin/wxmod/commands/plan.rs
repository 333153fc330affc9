//! `wxmod plan`: place new standardized points, smoke burners and vehicle-mounted systems,
//! year by year; `--explain LON,LAT` says why a place may or may not hold a point.

use std::path::PathBuf;

use wxmod::gaps::GapOptions;
use wxmod::report;
use wxmod::sectors::{SectorConfig, SectorEngine};
use wxmod::sites::SiteKind;
use wxmod::siting::{
    CoverageObjective, Objective, PlanInputs, SitingRules, constraints, explain, plan,
    read_exclusions,
};

use super::{Outputs, RegionArgs, RegionLayers, load_catalog, load_facilities, load_network};

/// Plan new sites to reach the policy's grid standard.
#[derive(clap::Args, Debug)]
pub struct PlanArgs {
    #[command(flatten)]
    pub region: RegionArgs,
    /// The existing network (site file); without it the plan starts from no sites.
    #[arg(long, value_name = "FILE")]
    pub sites: Option<PathBuf>,
    /// The first year of the rollout.
    #[arg(long, value_name = "Y")]
    pub start_year: Option<i32>,
    /// Siting rules as TOML (buffers, slope limit, per-year limits, burner settings).
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Exclusion areas (GeoJSON polygons or points with radius_m, each with a reason).
    #[arg(long, value_name = "FILE")]
    pub exclusions: Option<PathBuf>,
    /// Protected facilities (GeoJSON, as for `wxmod sectors`): points with a `radius_m` or
    /// polygons, each with a `kind`. Rocket candidates need a safe firing sector clear of them
    /// as well as of the county seats, places and airports.
    #[arg(long, value_name = "FILE")]
    pub facilities: Option<PathBuf>,
    /// Equipment catalog (default: the bundled data/catalog.toml).
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
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
    /// With --objective coverage: solver time limit in seconds.
    #[arg(long, value_name = "S", default_value_t = 10.0)]
    pub time_limit: f64,
    /// Say why a place (lon,lat in WGS84 degrees) may or may not hold a new point, and stop.
    #[arg(long, value_name = "LON,LAT", value_parser = parse_lonlat)]
    pub explain: Option<(f64, f64)>,
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

fn parse_lonlat(text: &str) -> Result<(f64, f64), String> {
    let parts: Vec<_> = text.split(',').map(|p| p.trim().parse::<f64>()).collect();
    match parts.as_slice() {
        [Ok(lon), Ok(lat)] if lon.abs() <= 180.0 && lat.abs() <= 90.0 => Ok((*lon, *lat)),
        _ => Err(format!("'{text}' is not LON,LAT in degrees")),
    }
}

pub fn run(args: PlanArgs) -> anyhow::Result<()> {
    let region = args.region.load()?;
    let catalog = load_catalog(args.catalog.as_deref())?;
    let mut rules = match &args.rules {
        Some(path) => SitingRules::read(path)?,
        None => SitingRules::default(),
    };
    if let Some(y) = args.start_year {
        rules.start_year = y;
    }
    let sites = load_network(args.sites.as_deref(), &region)?;
    let RegionLayers {
        dem,
        zones,
        landmarks,
        ..
    } = RegionLayers::load(&region)?;
    let user = args
        .exclusions
        .as_deref()
        .map(|p| read_exclusions(p, &region))
        .transpose()?
        .unwrap_or_default();
    let inputs = PlanInputs {
        region: &region,
        sites: &sites,
        catalog: &catalog,
        dem: dem.as_ref(),
        zones: zones.as_ref(),
        landmarks: &landmarks,
        rules: rules.clone(),
        options: GapOptions {
            year: Some(rules.start_year - 1),
            ..GapOptions::default()
        },
        objective: match args.objective {
            ObjectiveArg::Grid => Objective::Grid,
            ObjectiveArg::Coverage => {
                if !(args.time_limit.is_finite() && args.time_limit > 0.0) {
                    anyhow::bail!(
                        "--time-limit must be a positive number of seconds, got {}",
                        args.time_limit
                    );
                }
                Objective::Coverage(CoverageObjective {
                    radius_m: catalog
                        .kind(SiteKind::FixedRocket)
                        .map_or(10_000.0, |k| k.influence_radius_m()),
                    spacing_m: args.coverage_spacing.0,
                    budget_points: args.points,
                    time_limit: std::time::Duration::from_secs_f64(args.time_limit),
                })
            }
        },
    };
    let engine = SectorEngine::for_landmarks(
        SectorConfig::default(),
        &landmarks,
        load_facilities(args.facilities.as_deref(), &region)?,
        region.projection.clone(),
        dem.clone(),
    )?;
    let constraints = constraints(&inputs, user).with_firing_sectors(&engine);

    if let Some((lon, lat)) = args.explain {
        let e = explain(&region, &constraints, lon, lat);
        if args.json {
            say!("{}", serde_json::to_string_pretty(&e)?);
        } else if e.reasons.is_empty() {
            say!(
                "({lon}, {lat}) in {}: a new point may go here",
                e.county.unwrap_or_default()
            );
        } else {
            say!("({lon}, {lat}) cannot hold a new point:");
            for r in &e.reasons {
                say!("  - {r}");
            }
        }
        return Ok(());
    }

    let result = plan(&inputs, &constraints)?;
    let mut written = Vec::new();
    if let Some(dir) = &args.out {
        let mut outputs = Outputs::default();
        for (name, bytes) in report::plan_files(&result, &region, &rules) {
            outputs.add(name, bytes);
        }
        written = outputs.write_all(dir)?;
    }
    let g = &result.grid;
    if let (Some(c), false) = (&result.coverage, args.json) {
        say!(
            "coverage objective, {}: {} new points; objective {:.1}, bound {:.1}, gap {:.2}%{} ({} demand points, {} unreachable, {} candidates, {:.2} s)",
            c.problem,
            g.points.len(),
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
        );
    }
    if args.json {
        let summary = serde_json::json!({
            "new_sites": result.new_sites,
            "coverage_solve": result.coverage,
            "new_standardized_points": g.points.len(),
            "unserved_priority_cells": g.unserved_priority,
            "unserved_base_cells": g.unserved_base,
            "matching": g.matching,
            "infeasible_cells": g.infeasible.len(),
            "new_burners": result.burners.as_ref().map_or(0, |b| b.burners.len()),
            "new_mobile_systems": result.mobile_counties.len(),
            "city_complete_year": result.rollout.city_complete_year,
            "counties": result.rollout.counties,
            "goals": result.rollout.against_goals(),
            "files": written,
        });
        say!("{}", serde_json::to_string_pretty(&summary)?);
        return Ok(());
    }
    if result.coverage.is_none() {
        say!(
            "{}: {} new standardized points = {} unserved 10 km priority cells + {} unserved 15 km cells - {} matched pairs",
            region.name,
            g.points.len(),
            g.unserved_priority,
            g.unserved_base,
            g.matching
        );
    }
    if !g.infeasible.is_empty() && result.coverage.is_none() {
        say!(
            "{} required cells cannot be served (see plan_infeasible_cells.csv)",
            g.infeasible.len()
        );
    }
    if let Some(b) = &result.burners {
        say!(
            "{} new smoke burners over high-mountain land",
            b.burners.len()
        );
    }
    say!(
        "{} new vehicle-mounted rocket systems",
        result.mobile_counties.len()
    );
    for c in &result.rollout.counties {
        let done = c
            .complete_year
            .map_or("already met".into(), |y| y.to_string());
        say!(
            "  {} {}: {} new points, full grid coverage {}",
            c.county_name,
            c.county,
            c.points_by_year.values().sum::<usize>(),
            done
        );
    }
    for line in result.rollout.against_goals() {
        say!("{line}");
    }
    for path in written {
        say!("wrote {}", path.display());
    }
    Ok(())
}
