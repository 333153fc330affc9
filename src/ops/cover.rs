//! `wxmod cover`: the covering solver on a demand file and a candidate file, answered as one
//! report: the fewest sites covering every demand point (LSCP) or the best `p` sites (MCLP),
//! with the proven bound, the gap, the chosen ids and the time spent.
//!
//! The flags' ranges are checked before any file is read ([`COVER_TIME_LIMIT`],
//! [`COVER_GAP`]); a CSV problem names its file, line and id ([`CoverError`]).

use std::path::PathBuf;
use std::time::Instant;

use serde::Serialize;

use super::limits::{COVER_GAP, COVER_TIME_LIMIT, LimitError};
use crate::solver::{self, CoverError, CoverInstance, SolveOptions, SolveStats};
use crate::units::Metres;

/// What to solve.
#[derive(Debug, Clone)]
pub struct CoverOptions {
    /// Demand points: CSV with columns id,x_m,y_m,weight (projected metres).
    pub demand: PathBuf,
    /// Candidate sites: CSV with columns id,x_m,y_m (projected metres).
    pub candidates: PathBuf,
    /// Coverage radius.
    pub radius: Metres,
    /// Number of sites for maximal covering; `None` for set covering.
    pub p: Option<usize>,
    /// Give up proving optimality after this many seconds (0-86,400).
    pub time_limit_s: f64,
    /// Seed of the randomised local search.
    pub seed: u64,
    /// Accepted relative gap (0-1) without branch-and-bound.
    pub gap: f64,
    /// Branch-and-bound node limit (machine-independent).
    pub node_limit: Option<u64>,
}

/// Why `wxmod cover` could not answer.
#[derive(Debug, thiserror::Error)]
pub enum CoverJobError {
    /// A flag outside its range.
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// The files or the instance.
    #[error(transparent)]
    Cover(#[from] CoverError),
}

/// The answer, printed as JSON by `wxmod cover`.
#[derive(Debug, Clone, Serialize)]
pub struct CoverReport {
    /// The problem's answer (`"problem": "lscp"` or `"mclp"`).
    #[serde(flatten)]
    pub answer: CoverAnswer,
    /// The demand file as given.
    pub demand_file: String,
    /// The candidate file as given.
    pub candidates_file: String,
    /// Coverage radius, metres.
    pub radius_m: f64,
    /// Demand points read.
    pub n_demand: usize,
    /// Candidates read.
    pub n_candidates: usize,
    /// (demand point, candidate) pairs within the radius.
    pub coverage_pairs: usize,
    /// Seconds spent reading the files (building the coverage lists apart).
    pub read_time_s: f64,
}

/// The answer of one of the two problems.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "problem", rename_all = "lowercase")]
pub enum CoverAnswer {
    /// Fewest sites covering every demand point.
    Lscp {
        /// Sites chosen.
        objective: usize,
        /// No cover has fewer sites.
        lower_bound: usize,
        /// (objective - lower_bound) / objective.
        gap: f64,
        /// Whether the objective equals the bound.
        proven_optimal: bool,
        /// Sites of Chvátal's greedy (a baseline).
        greedy_objective: usize,
        /// How the bound was obtained, in one line.
        bound_method: String,
        /// Seconds to build the coverage lists.
        build_time_s: f64,
        /// Seconds to reduce and solve.
        solve_time_s: f64,
        /// Sizes and effort.
        stats: SolveStats,
        /// Ids of the chosen candidates.
        chosen: Vec<String>,
    },
    /// The `p` sites covering the most demand weight.
    Mclp {
        /// The budget p.
        p: usize,
        /// Covered weight.
        objective: f64,
        /// No `p` sites cover more.
        upper_bound: f64,
        /// (upper_bound - objective) / objective.
        gap: f64,
        /// Whether the objective equals the bound.
        proven_optimal: bool,
        /// Weight of all demand points.
        total_weight: f64,
        /// Covered weight of the greedy baseline.
        greedy_objective: f64,
        /// Seconds to build the coverage lists.
        build_time_s: f64,
        /// Seconds to reduce and solve.
        solve_time_s: f64,
        /// Sizes and effort.
        stats: SolveStats,
        /// Ids of the chosen candidates.
        chosen: Vec<String>,
    },
}

/// Reads the two files and solves the problem the options name.
pub fn cover(options: &CoverOptions) -> Result<CoverReport, CoverJobError> {
    let solve = SolveOptions {
        time_limit: COVER_TIME_LIMIT.duration(options.time_limit_s)?,
        seed: options.seed,
        node_limit: options.node_limit,
        gap_limit: COVER_GAP.check(options.gap)?,
    };
    let read_start = Instant::now();
    let instance = CoverInstance::from_csv(&options.demand, &options.candidates, options.radius)?;
    instance.check_coverable()?;
    let read_time = read_start.elapsed().saturating_sub(instance.build_time());
    let answer = match options.p {
        None => {
            let s = solver::solve_lscp(&instance, &solve)?;
            CoverAnswer::Lscp {
                objective: s.objective,
                lower_bound: s.lower_bound,
                gap: s.gap,
                proven_optimal: s.proven_optimal,
                greedy_objective: s.greedy_objective,
                bound_method: s.stats.lscp_bound_note(),
                build_time_s: s.build_time.as_secs_f64(),
                solve_time_s: s.solve_time.as_secs_f64(),
                stats: s.stats,
                chosen: s.chosen_ids,
            }
        }
        Some(p) => {
            let s = solver::solve_mclp(&instance, p, &solve)?;
            CoverAnswer::Mclp {
                p: s.p,
                objective: s.covered_weight,
                upper_bound: s.upper_bound,
                gap: s.gap,
                proven_optimal: s.proven_optimal,
                total_weight: s.total_weight,
                greedy_objective: s.greedy_objective,
                build_time_s: s.build_time.as_secs_f64(),
                solve_time_s: s.solve_time.as_secs_f64(),
                stats: s.stats,
                chosen: s.chosen_ids,
            }
        }
    };
    Ok(CoverReport {
        answer,
        demand_file: options.demand.display().to_string(),
        candidates_file: options.candidates.display().to_string(),
        radius_m: options.radius.0,
        n_demand: instance.demand().len(),
        n_candidates: instance.candidates().len(),
        coverage_pairs: instance.coverage_pairs(),
        read_time_s: read_time.as_secs_f64(),
    })
}
