//! `wxmod cover`: fewest sites covering every demand point (LSCP), or the best `--p` sites (MCLP), as JSON.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use wxmod::ops::cover::{CoverOptions, cover};
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
    /// Give up proving optimality after this many seconds, 0-86400 (the answer and a valid bound are still printed).
    #[arg(long, value_name = "S", default_value_t = 10.0)]
    time_limit: f64,
    /// Seed of the randomised local search.
    #[arg(long, value_name = "N", default_value_t = 0)]
    seed: u64,
    /// Accept a relative gap (objective vs bound) up to this fraction (0-1) without branch-and-bound, e.g. 0.02.
    #[arg(long, value_name = "FRACTION", default_value_t = 0.0)]
    gap: f64,
    /// Stop the branch-and-bound after N nodes (a machine-independent limit; results then repeat exactly).
    #[arg(long, value_name = "N")]
    node_limit: Option<u64>,
}

pub fn run(args: CoverArgs) -> anyhow::Result<()> {
    let report = cover(&CoverOptions {
        radius: parse_radius(&args.radius)?,
        demand: args.demand,
        candidates: args.candidates,
        p: args.p,
        time_limit_s: args.time_limit,
        seed: args.seed,
        gap: args.gap,
        node_limit: args.node_limit,
    })?;
    say!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

/// Reads `--radius`: a length with its unit (10km, 7000m), as every length flag of wxmod; a
/// bare number, zero or a negative radius is refused.
fn parse_radius(text: &str) -> anyhow::Result<Metres> {
    text.parse::<Metres>()
        .with_context(|| format!("--radius {text}"))
}
