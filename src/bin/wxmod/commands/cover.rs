//! `wxmod cover`: fewest sites covering every demand point (LSCP), or the best `--p` sites (MCLP), as JSON.

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use serde_json::json;
use wxmod::solver::{self, CoverInstance, SolveOptions};
use wxmod::units::Metres;

/// Choose operation points that cover demand points within a radius, with a proven bound.
///
/// Without --p: the fewest sites covering every demand point (location set covering). With --p N: the N sites
/// covering the most demand weight (maximal covering). Prints JSON with the objective, the bound, the gap, the
/// chosen candidate ids and the time spent.
#[derive(Debug, Args)]
pub struct CoverArgs {
    /// Demand points: CSV with columns id,x_m,y_m,weight (projected metres).
    #[arg(long, value_name = "FILE")]
    demand: PathBuf,
    /// Candidate sites: CSV with columns id,x_m,y_m (projected metres).
    #[arg(long, value_name = "FILE")]
    candidates: PathBuf,
    /// Coverage radius, with its unit (10km, 7000m).
    #[arg(long, value_name = "M", allow_hyphen_values = true)]
    radius: String,
    /// Number of sites for maximal covering; omit for set covering.
    #[arg(long, value_name = "N")]
    p: Option<usize>,
    /// Give up proving optimality after this many seconds (the answer and a valid bound are still printed).
    #[arg(long, value_name = "S", default_value_t = 10.0)]
    time_limit: f64,
    /// Seed of the randomised local search.
    #[arg(long, value_name = "N", default_value_t = 0)]
    seed: u64,
    /// Accept a relative gap (objective vs bound) up to this fraction without branch-and-bound, e.g. 0.02.
    #[arg(long, value_name = "FRACTION", default_value_t = 0.0)]
    gap: f64,
    /// Stop the branch-and-bound after N nodes (a machine-independent limit; results then repeat exactly).
    #[arg(long, value_name = "N")]
    node_limit: Option<u64>,
}

pub fn run(args: CoverArgs) -> anyhow::Result<()> {
    let radius = parse_radius(&args.radius)?;
    if !(args.time_limit.is_finite() && args.time_limit >= 0.0) {
        anyhow::bail!(
            "--time-limit {} is not a number of seconds >= 0",
            args.time_limit
        );
    }
    if !(args.gap.is_finite() && args.gap >= 0.0) {
        anyhow::bail!("--gap {} is not a fraction >= 0", args.gap);
    }
    let options = SolveOptions {
        time_limit: Duration::from_secs_f64(args.time_limit),
        seed: args.seed,
        node_limit: args.node_limit,
        gap_limit: args.gap,
    };
    let read_start = Instant::now();
    let instance = CoverInstance::from_csv(&args.demand, &args.candidates, radius)?;
    instance.check_coverable()?;
    let read_time = read_start.elapsed().saturating_sub(instance.build_time());
    let common = json!({
        "demand_file": args.demand.display().to_string(),
        "candidates_file": args.candidates.display().to_string(),
        "radius_m": radius.0,
        "n_demand": instance.demand().len(),
        "n_candidates": instance.candidates().len(),
        "coverage_pairs": instance.coverage_pairs(),
        "read_time_s": read_time.as_secs_f64(),
    });
    let mut out = match args.p {
        None => {
            let s = solver::solve_lscp(&instance, &options)?;
            json!({
                "problem": "lscp",
                "objective": s.objective,
                "lower_bound": s.lower_bound,
                "gap": s.gap,
                "proven_optimal": s.proven_optimal,
                "greedy_objective": s.greedy_objective,
                "bound_method": s.stats.lscp_bound_note(),
                "build_time_s": s.build_time.as_secs_f64(),
                "solve_time_s": s.solve_time.as_secs_f64(),
                "stats": s.stats,
                "chosen": s.chosen_ids,
            })
        }
        Some(p) => {
            let s = solver::solve_mclp(&instance, p, &options)?;
            json!({
                "problem": "mclp",
                "p": s.p,
                "objective": s.covered_weight,
                "upper_bound": s.upper_bound,
                "gap": s.gap,
                "proven_optimal": s.proven_optimal,
                "total_weight": s.total_weight,
                "greedy_objective": s.greedy_objective,
                "build_time_s": s.build_time.as_secs_f64(),
                "solve_time_s": s.solve_time.as_secs_f64(),
                "stats": s.stats,
                "chosen": s.chosen_ids,
            })
        }
    };
    if let (Some(out), Some(common)) = (out.as_object_mut(), common.as_object()) {
        for (k, v) in common {
            out.insert(k.clone(), v.clone());
        }
    }
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut stdout, &out).context("writing the JSON answer")?;
    writeln!(stdout).context("writing the JSON answer")?;
    Ok(())
}

/// Reads `--radius`: a length with its unit (10km, 7000m), as every length flag of wxmod; a
/// bare number, zero or a negative radius is refused.
fn parse_radius(text: &str) -> anyhow::Result<Metres> {
    text.parse::<Metres>()
        .with_context(|| format!("--radius {text}"))
}
