//! Covering solver: the fewest sites that cover every demand point (location set covering, LSCP) and the `p`
//! sites that cover the most demand weight (maximal covering, MCLP), each with a proven bound.
//!
//! Where operation points (作业点) go decides how much land their 10 km operation radius reaches; this module
//! answers both planning questions for any demand points, candidates and radius, and says how far each answer
//! can be from the best possible (the gap between the objective and a proven bound).
//!
//! Units: coordinates in projected metres, weights in any additive unit (km² of land in wxmod), the radius in
//! [`Metres`]. A demand point is covered iff its Euclidean distance to a site is at most the radius.
//!
//! Pipeline (both problems): coverage lists from an rstar R-tree ([`CoverInstance`]), reductions (forced,
//! dominated candidates and points), a greedy incumbent improved by local search, a Lagrangian dual optimised by
//! subgradient steps that gives the bound and guides a primal heuristic, an iterated local search (seeded), and
//! a depth-first branch-and-bound with Lagrangian bounds and reduced-cost fixing that proves optimality within
//! the time or node limit. On a large set-covering component (over 500 points after reductions) an interior-
//! point LP (`ipm.rs`, at most 40 % of the time left) and triangle {0,1/2}-cuts (`cuts.rs`: shanxi_r10 415.52
//! -> 416.62) come before the large-neighbourhood search (70 % of the rest; an LP cut short is solved once
//! more after it). Set covering first splits the reduced problem into independent components (each
//! solved and bounded on its own, smallest first); a component where every candidate covers at most two points
//! is a minimum edge cover, solved exactly by maximum matching (Edmonds' blossoms); the others get the bound of
//! their LP relaxation, solved by a dual simplex method on small components (where its duals also start the
//! Lagrangian runs) and by the interior-point method on large ones. Everything is
//! single-threaded and deterministic for a given input, seed and node limit (a time limit that cuts the search
//! short makes the result depend on the machine's speed).
//!
//! Cost: building is O((n + m) log m + pairs); each subgradient iteration O(pairs); the branch-and-bound is
//! exponential in the worst case but needs few nodes on wxmod's grids (see `benches/cover.rs`).
//!
//! # Examples
//! ```
//! use wxmod::solver::{solve_lscp, solve_mclp, Candidate, CoverInstance, DemandPoint, SolveOptions};
//! use wxmod::units::Metres;
//! // Three points on a line, 10 km apart; candidates at the points and half-way between them.
//! let demand: Vec<DemandPoint> = (0..3)
//!     .map(|k| DemandPoint { id: format!("d{k}"), x_m: 10_000.0 * k as f64, y_m: 0.0, weight: 1.0 + k as f64 })
//!     .collect();
//! let candidates: Vec<Candidate> = (0..5)
//!     .map(|k| Candidate { id: format!("c{k}"), x_m: 5_000.0 * k as f64, y_m: 0.0 })
//!     .collect();
//! let instance = CoverInstance::new(demand, candidates, Metres(6_000.0)).unwrap();
//! let lscp = solve_lscp(&instance, &SolveOptions::default()).unwrap();
//! assert_eq!(lscp.objective, 2);
//! assert!(lscp.proven_optimal && lscp.lower_bound == 2);
//! let mclp = solve_mclp(&instance, 1, &SolveOptions::default()).unwrap();
//! assert_eq!(mclp.covered_weight, 5.0); // d1 + d2 from c3
//! assert_eq!(mclp.chosen_ids, vec!["c3"]);
//! ```

mod components;
mod cuts;
mod edge_cover;
mod error;
mod exact;
mod greedy;
mod incidence;
mod instance;
mod ipm;
mod lagrangian;
mod lns;
mod local_search;
mod lp;
mod matching;
mod reduce;
mod relaxation;
mod rng;
mod stats;

use std::time::{Duration, Instant};

pub use error::CoverError;
pub use greedy::{greedy_lscp, greedy_mclp};
pub use instance::{Candidate, CoverInstance, DemandPoint};
pub use relaxation::{LpMethod, LpRelaxation, lscp_lp_relaxation, lscp_lp_relaxation_by};
pub use stats::SolveStats;

use cuts::CuttingLp;
use incidence::Incidence;
use lagrangian::{ROUND_EPS, SubgradientParams, View};
use local_search::CoverState;
use rng::SplitMix64;

#[allow(unused_imports)] // used in the module docs
use crate::units::Metres;

/// How long and how to search.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SolveOptions {
    /// Wall-clock limit for the whole solve; when reached, the best solution so far and a still-valid bound
    /// are returned with `proven_optimal = false`. Default 10 s.
    pub time_limit: Duration,
    /// Seed of the randomised local search. Default 0.
    pub seed: u64,
    /// Optional limit on branch-and-bound nodes, a machine-independent alternative to the time limit.
    pub node_limit: Option<u64>,
    /// Skip the branch-and-bound once the relative gap (see the solutions' `gap`) is at most this. Default 0:
    /// always try to prove optimality.
    pub gap_limit: f64,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            time_limit: Duration::from_secs(10),
            seed: 0,
            node_limit: None,
            gap_limit: 0.0,
        }
    }
}

/// A set cover (LSCP answer) with a proven lower bound.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LscpSolution {
    /// Indices of the chosen candidates, ascending.
    pub chosen: Vec<usize>,
    /// Ids of the chosen candidates, in the same order.
    pub chosen_ids: Vec<String>,
    /// Number of sites chosen.
    pub objective: usize,
    /// No cover has fewer sites than this.
    pub lower_bound: usize,
    /// (objective - lower_bound) / objective.
    pub gap: f64,
    /// Whether `objective == lower_bound`.
    pub proven_optimal: bool,
    /// Sites Chvátal's greedy needs on the same instance (a baseline).
    pub greedy_objective: usize,
    /// Time to build the coverage lists.
    pub build_time: Duration,
    /// Time to reduce and solve.
    pub solve_time: Duration,
    /// Sizes and effort.
    pub stats: SolveStats,
}

/// A choice of `p` sites (MCLP answer) with a proven upper bound on the weight any `p` sites can cover.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MclpSolution {
    /// Indices of the chosen candidates, ascending (exactly `p` of them).
    pub chosen: Vec<usize>,
    /// Ids of the chosen candidates, in the same order.
    pub chosen_ids: Vec<String>,
    /// The budget p.
    pub p: usize,
    /// Weight of the covered demand points (the objective).
    pub covered_weight: f64,
    /// No `p` sites cover more weight than this.
    pub upper_bound: f64,
    /// (upper_bound - covered_weight) / covered_weight (0 when both are 0).
    pub gap: f64,
    /// Whether the search proved `covered_weight` optimal (then `upper_bound == covered_weight`).
    pub proven_optimal: bool,
    /// Weight of all demand points.
    pub total_weight: f64,
    /// Covered weight of the greedy baseline with the same `p`.
    pub greedy_objective: f64,
    /// Indices of demand points that no candidate covers (their weight can never be gained).
    pub uncoverable: Vec<usize>,
    /// Time to build the coverage lists.
    pub build_time: Duration,
    /// Time to reduce and solve.
    pub solve_time: Duration,
    /// Sizes and effort.
    pub stats: SolveStats,
}

/// Subgradient settings at the set-covering root: long, with the primal heuristic every 10 iterations; the
/// patience of 100 (was 30) lifts shanxi_r10's bound from 410.06 to 411.00 on its reduced part (415 -> 416).
const ROOT_PARAMS: SubgradientParams = SubgradientParams {
    max_iter: 5000,
    patience: 100,
    f_start: 2.0,
    f_min: 0.0005,
    heuristic_every: 10,
};

/// Subgradient settings at the maximal-covering root (its tree does the rest).
const MCLP_ROOT_PARAMS: SubgradientParams = SubgradientParams {
    max_iter: 5000,
    patience: 30,
    f_start: 2.0,
    f_min: 0.001,
    heuristic_every: 10,
};

/// Share of the time left after the incumbent search that a second solve of a large component's LP may use
/// when the first was cut short by the time limit (the rest goes to the branch-and-bound).
const LP_TIME_SHARE: f64 = 0.6;

/// Large-neighbourhood-search rounds per site of the LSCP incumbent of a large component (a cap; the time
/// share usually ends the search first: shanxi_r10 runs about 5,000 rounds a second on one core).
const LNS_ROUNDS_PER_SITE: usize = 200;

/// The same for a small component, where the tree closes what the search leaves.
const SMALL_LNS_ROUNDS_PER_SITE: usize = 20;

/// Share of the time left that the large-neighbourhood search of a large component may use.
const LNS_TIME_SHARE: f64 = 0.7;

/// Components with at most this many points get their LP relaxation by the dense dual simplex first: it
/// solves it in milliseconds (Shuozhou: 143 points). Larger ones get the Lagrangian first, then the
/// interior-point LP (shanxi_r10's 1,587 points: about 17 iterations, where the dual simplex needs 3,040).
const LP_FIRST_ROWS: usize = 500;

/// Share of the time left that the first solve of a large component's LP may use (the LP and its cuts decide
/// the bound there).
const LP_PROBE_SHARE: f64 = 0.4;

/// Share of the time left that the cutting-plane rounds of a large component's LP may use.
const CUT_TIME_SHARE: f64 = 0.3;

/// Share of the time left that the LP of a small component may use (it needs far less).
const LP_FIRST_TIME_SHARE: f64 = 0.25;

/// Iterated-local-search rounds per site for MCLP (swaps are dearer, and the tree finds what they miss).
const MCLP_ILS_ROUNDS_PER_SITE: usize = 5;

fn ids(instance: &CoverInstance, chosen: &[usize]) -> Vec<String> {
    chosen
        .iter()
        .map(|&j| instance.candidates()[j].id.clone())
        .collect()
}

/// Finds the fewest candidates that cover every demand point (location set covering), with a lower bound.
///
/// # Errors
/// [`CoverError::Uncoverable`] if some demand point is within the radius of no candidate.
///
/// # Examples
/// ```
/// use wxmod::solver::{solve_lscp, Candidate, CoverInstance, DemandPoint, SolveOptions};
/// use wxmod::units::Metres;
/// let demand = vec![
///     DemandPoint { id: "a".into(), x_m: 0.0, y_m: 0.0, weight: 1.0 },
///     DemandPoint { id: "b".into(), x_m: 8_000.0, y_m: 0.0, weight: 1.0 },
/// ];
/// let candidates = vec![
///     Candidate { id: "west".into(), x_m: -1_000.0, y_m: 0.0 },
///     Candidate { id: "mid".into(), x_m: 4_000.0, y_m: 0.0 },
/// ];
/// let instance = CoverInstance::new(demand, candidates, Metres(5_000.0)).unwrap();
/// let solution = solve_lscp(&instance, &SolveOptions::default()).unwrap();
/// assert_eq!(solution.chosen_ids, vec!["mid"]);
/// assert_eq!((solution.objective, solution.lower_bound), (1, 1));
/// ```
pub fn solve_lscp(
    instance: &CoverInstance,
    options: &SolveOptions,
) -> Result<LscpSolution, CoverError> {
    let start = Instant::now();
    let deadline = start + options.time_limit;
    instance.check_coverable()?;
    let full = instance.incidence();
    let greedy_objective = greedy::greedy_cover(full).len();
    let red = reduce::reduce_lscp(full);
    let mut stats = SolveStats {
        reduced_demand: red.inc.n_rows(),
        reduced_candidates: red.inc.n_cols(),
        forced: red.forced.len(),
        lp_optimal: true,
        root_bound: red.forced.len() as f64,
        ..SolveStats::default()
    };
    let mut chosen: Vec<usize> = red.forced.iter().map(|&j| j as usize).collect();
    let mut bound = 0;
    // Smallest components first, so that one hard component cannot starve the easy ones of time.
    for part in components::split(&red.inc) {
        stats.components += 1;
        let (best, part_bound) = if edge_cover::applies(&part.inc) {
            stats.edge_cover_components += 1;
            let cover = edge_cover::min_edge_cover(&part.inc);
            let size = cover.len();
            stats.root_bound += size as f64;
            (cover, size)
        } else {
            stats.largest_search_rows = stats.largest_search_rows.max(part.inc.n_rows());
            solve_reduced_lscp(&part.inc, red.forced.len(), options, deadline, &mut stats)
        };
        bound += part_bound;
        chosen.extend(
            best.iter()
                .map(|&j| red.col_orig[part.col_orig[j as usize] as usize] as usize),
        );
    }
    chosen.sort_unstable();
    let objective = chosen.len();
    let lower_bound = (red.forced.len() + bound).min(objective);
    Ok(LscpSolution {
        chosen_ids: ids(instance, &chosen),
        chosen,
        objective,
        lower_bound,
        gap: if objective == 0 {
            0.0
        } else {
            (objective - lower_bound) as f64 / objective as f64
        },
        proven_optimal: lower_bound == objective,
        greedy_objective,
        build_time: instance.build_time(),
        solve_time: start.elapsed(),
        stats,
    })
}

/// Solves a reduced LSCP; returns the best cover (reduced columns) and a lower bound on its size.
fn solve_reduced_lscp(
    inc: &Incidence,
    forced: usize,
    options: &SolveOptions,
    deadline: Instant,
    stats: &mut SolveStats,
) -> (Vec<u32>, usize) {
    let rows: Vec<u32> = (0..inc.n_rows() as u32).collect();
    let cols: Vec<u32> = (0..inc.n_cols() as u32).collect();
    let active = vec![true; inc.n_rows()];
    let view = View {
        inc,
        rows: &rows,
        cols: &cols,
        row_active: &active,
    };

    let polish = |state: &mut CoverState, key: &[f64]| {
        state.remove_redundant(key);
        state.two_for_one();
    };
    let mut state = CoverState::with(inc, &greedy::greedy_cover(inc));
    polish(&mut state, &vec![0.0; inc.n_cols()]);
    let mut best = state.cols();

    // A small component gets its LP first (it takes milliseconds and starts the Lagrangian near the LP
    // optimum); a large one gets the Lagrangian and its incumbent first, then the LP with a share of the
    // time left (on shanxi_r10 the subgradient alone reaches 411.0 against the LP's 411.5, enough for the
    // same rounded bound, while the LP needs about 8 s on one core).
    let lp_first = inc.n_rows() <= LP_FIRST_ROWS;
    let mut u = vec![0.0; inc.n_rows()];
    let mut lp_value = 0.0;
    if lp_first {
        let lp = solve_lp(inc, deadline, LP_FIRST_TIME_SHARE, stats);
        lp_value = lp.value;
        u.copy_from_slice(&lp.duals);
    } else {
        lagrangian::lscp_initial(&view, &mut u);
    }
    let dual = lagrangian::lscp_dual(
        &view,
        &mut u,
        best.len() as f64,
        &ROOT_PARAMS,
        Some(deadline),
        |u, r| {
            let mut state = CoverState::new(inc);
            local_search::guided_complete(&mut state, u, &|_| true);
            polish(&mut state, r);
            (state.size() < best.len()).then(|| {
                best = state.cols();
                best.len() as f64
            })
        },
    );
    stats.lagrangian_iterations += dual.iterations;
    let mut root = dual.value.max(lp_value);
    let mut tree_start = dual.mult.clone();
    let mut bound = (root - ROUND_EPS).ceil().max(0.0) as usize;
    // A large component's LP by the interior-point method, once the Lagrangian has given the first
    // incumbent: solved with a share of the time (it may prove the cover at once), tightened by cut
    // rounds, then the search; a solve cut short by the time limit gets one more try after the search.
    let mut big_lp = (!lp_first && bound < best.len() && inc.n_rows() <= ipm::MAX_ROWS)
        .then(|| ipm::InteriorLp::new(inc));
    if !lp_first && bound < best.len() && big_lp.is_none() {
        stats.lp_skipped_components += 1;
    }
    let mut lift = Lift {
        root: &mut root,
        tree_start: &mut tree_start,
        bound: &mut bound,
    };
    if let Some(lp) = big_lp.as_mut() {
        lift.by_lp(lp, LP_PROBE_SHARE, deadline);
        lift.by_cuts(lp, inc, best.len(), deadline, stats);
    }
    if bound < best.len() {
        // From the Lagrangian heuristic's best cover; a small component may use all the time, a large one
        // leaves some to its LP and the tree.
        let (per_site, share) = if lp_first {
            (SMALL_LNS_ROUNDS_PER_SITE, 1.0)
        } else {
            (LNS_ROUNDS_PER_SITE, LNS_TIME_SHARE)
        };
        best = lns::improve_by_lns(inc, best, bound, options.seed, per_site, deadline, share);
    }
    if let Some(lp) = big_lp.as_mut() {
        let mut lift = Lift {
            root: &mut root,
            tree_start: &mut tree_start,
            bound: &mut bound,
        };
        if *lift.bound < best.len() && !lp.is_optimal() {
            lift.by_lp(lp, LP_TIME_SHARE, deadline);
            lift.by_cuts(lp, inc, best.len(), deadline, stats);
        }
        let lp_bound = lp.bound();
        stats.lp_components += 1;
        stats.ipm_components += 1;
        stats.lp_optimal &= lp_bound.optimal;
        stats.ipm_iterations += lp.iterations();
        if lp_bound.optimal && bound < best.len() {
            // LP-guided: a cover completed by the LP duals (sites with small LP values leave first when
            // redundant), then the search again from the better cover, with another seed and a share of
            // the time left, before the tree.
            let mut state = CoverState::new(inc);
            local_search::guided_complete(&mut state, &lp_bound.duals, &|_| true);
            let key: Vec<f64> = lp_bound.primal.iter().map(|x| -x).collect();
            polish(&mut state, &key);
            if state.is_cover() && state.size() < best.len() {
                best = state.cols();
            }
            let seed = options.seed.wrapping_add(1);
            best = lns::improve_by_lns(
                inc,
                best,
                bound,
                seed,
                LNS_ROUNDS_PER_SITE,
                deadline,
                LNS_TIME_SHARE,
            );
        }
    }
    stats.root_bound += root;
    let gap = |best: usize, bound: usize| (best - bound.min(best)) as f64 / (forced + best) as f64;
    if bound < best.len() && gap(best.len(), bound) > options.gap_limit {
        let limits = exact::Limits {
            deadline: Some(deadline),
            node_limit: options.node_limit,
        };
        let outcome = exact::lscp(inc, best, &tree_start, limits);
        stats.nodes += outcome.nodes;
        best = outcome.best;
        bound = bound.max(outcome.bound);
    }
    let bound = bound.min(best.len());
    (best, bound)
}

/// The root bound of a component, the duals that start its tree, and the rounded-up bound: raised together
/// when an LP or its cuts lift the root.
struct Lift<'a> {
    root: &'a mut f64,
    tree_start: &'a mut Vec<f64>,
    bound: &'a mut usize,
}

impl Lift<'_> {
    /// Takes `lp`'s bound when it is above the root (and its duals for the tree).
    fn take(&mut self, lp: lp::LpBound) {
        if lp.value > *self.root {
            *self.root = lp.value;
            *self.tree_start = lp.duals;
        }
        *self.bound = (*self.bound).max((*self.root - ROUND_EPS).ceil().max(0.0) as usize);
    }

    /// Runs `lp` with a `share` of the time left and takes its bound.
    fn by_lp(&mut self, lp: &mut impl cuts::CuttingLp, share: f64, deadline: Instant) {
        let now = Instant::now();
        lp.run(Some(
            now + deadline.saturating_duration_since(now).mul_f64(share),
        ));
        self.take(lp.bound());
    }

    /// Cutting-plane rounds on the optimal `lp` of a component whose best cover has `incumbent` sites, with
    /// a share of the time left ([`CUT_TIME_SHARE`]); does nothing unless the LP is optimal and the bound
    /// below the incumbent. Triangle {0,1/2}-cuts lift shanxi_r10's LP from 415.52 to 416.50 (417).
    fn by_cuts(
        &mut self,
        lp: &mut impl cuts::CuttingLp,
        inc: &Incidence,
        incumbent: usize,
        deadline: Instant,
        stats: &mut SolveStats,
    ) {
        if !lp.is_optimal() || *self.bound >= incumbent {
            return;
        }
        let now = Instant::now();
        let cut_deadline = now
            + deadline
                .saturating_duration_since(now)
                .mul_f64(CUT_TIME_SHARE);
        // Enough once the bound rounds up to the incumbent.
        let stop_at = incumbent.saturating_sub(1) as f64 + 2.0 * ROUND_EPS;
        let before = lp.cut_rows();
        let rounds = cuts::tighten(lp, inc, stop_at, Some(cut_deadline));
        stats.cuts += rounds.cuts - before;
        stats.cut_rounds += rounds.rounds;
        self.take(rounds.bound);
    }
}

/// Solves the LP relaxation of a component with a `share` of the time left (cut short, its bound is weaker
/// but still valid) and counts it in `stats`.
fn solve_lp(inc: &Incidence, deadline: Instant, share: f64, stats: &mut SolveStats) -> lp::LpBound {
    let now = Instant::now();
    let lp_deadline = now + deadline.saturating_duration_since(now).mul_f64(share);
    let lp = lp::solve(inc, Some(lp_deadline));
    stats.lp_components += 1;
    stats.lp_optimal &= lp.optimal;
    stats.lp_iterations += lp.iterations;
    lp
}

/// Finds `p` candidates that together cover the most demand weight (maximal covering), with an upper bound.
///
/// Demand points that no candidate covers are allowed here and listed in
/// [`MclpSolution::uncoverable`]; check [`CoverInstance::check_coverable`] first to refuse them instead.
///
/// # Errors
/// [`CoverError::BadBudget`] unless 1 <= p <= number of candidates.
///
/// # Examples
/// ```
/// use wxmod::solver::{solve_mclp, Candidate, CoverInstance, DemandPoint, SolveOptions};
/// use wxmod::units::Metres;
/// let demand = vec![
///     DemandPoint { id: "town".into(), x_m: 0.0, y_m: 0.0, weight: 5.0 },
///     DemandPoint { id: "farm".into(), x_m: 20_000.0, y_m: 0.0, weight: 2.0 },
/// ];
/// let candidates = vec![
///     Candidate { id: "t".into(), x_m: 1_000.0, y_m: 0.0 },
///     Candidate { id: "f".into(), x_m: 19_000.0, y_m: 0.0 },
/// ];
/// let instance = CoverInstance::new(demand, candidates, Metres(5_000.0)).unwrap();
/// let solution = solve_mclp(&instance, 1, &SolveOptions::default()).unwrap();
/// assert_eq!(solution.chosen_ids, vec!["t"]);
/// assert_eq!(solution.covered_weight, 5.0);
/// assert_eq!(solution.upper_bound, 5.0);
/// ```
pub fn solve_mclp(
    instance: &CoverInstance,
    p: usize,
    options: &SolveOptions,
) -> Result<MclpSolution, CoverError> {
    let start = Instant::now();
    let deadline = start + options.time_limit;
    let n_cand = instance.candidates().len();
    if p == 0 || p > n_cand {
        return Err(CoverError::BadBudget {
            p,
            candidates: n_cand,
        });
    }
    let full = instance.incidence();
    let weight: Vec<f64> = instance.demand().iter().map(|d| d.weight).collect();
    let greedy_objective = instance.covered_weight(
        &greedy::greedy_max_cover(full, &weight, p)
            .iter()
            .map(|&j| j as usize)
            .collect::<Vec<_>>(),
    );
    let red = reduce::reduce_mclp(full, &weight);
    let mut stats = SolveStats {
        reduced_demand: red.inc.n_rows(),
        reduced_candidates: red.inc.n_cols(),
        ..SolveStats::default()
    };
    let (best, bound, complete) =
        solve_reduced_mclp(&red.inc, &red.weight, p, options, deadline, &mut stats);
    let mut chosen: Vec<usize> = best
        .iter()
        .map(|&j| red.col_orig[j as usize] as usize)
        .collect();
    // Pad with unused candidates (they add nothing) so that exactly p are chosen.
    let mut used = vec![false; n_cand];
    for &j in &chosen {
        used[j] = true;
    }
    let mut next = 0;
    while chosen.len() < p {
        if !used[next] {
            chosen.push(next);
        }
        next += 1;
    }
    chosen.sort_unstable();
    let covered_weight = instance.covered_weight(&chosen);
    let upper_bound = if complete {
        covered_weight
    } else {
        bound.max(covered_weight)
    };
    Ok(MclpSolution {
        chosen_ids: ids(instance, &chosen),
        chosen,
        p,
        covered_weight,
        upper_bound,
        gap: if covered_weight > 0.0 {
            (upper_bound - covered_weight) / covered_weight
        } else {
            0.0
        },
        proven_optimal: complete,
        total_weight: instance.total_weight(),
        greedy_objective,
        uncoverable: instance.uncoverable().to_vec(),
        build_time: instance.build_time(),
        solve_time: start.elapsed(),
        stats,
    })
}

/// Solves a reduced MCLP; returns the best choice (reduced columns, at most p), an upper bound and whether it
/// is proven optimal.
fn solve_reduced_mclp(
    inc: &Incidence,
    weight: &[f64],
    p: usize,
    options: &SolveOptions,
    deadline: Instant,
    stats: &mut SolveStats,
) -> (Vec<u32>, f64, bool) {
    let total: f64 = weight.iter().sum();
    if inc.n_cols() <= p {
        return ((0..inc.n_cols() as u32).collect(), total, true);
    }
    let tol = 1e-9 * total.max(1.0);
    let mut best = greedy::greedy_max_cover(inc, weight, p);
    // Greedy stops early only when everything is covered; fill up to p for the swaps.
    for j in 0..inc.n_cols() as u32 {
        if best.len() >= p {
            break;
        }
        if !best.contains(&j) {
            best.push(j);
        }
    }
    let mut best_value = local_search::swap_improve(inc, weight, &mut best);
    if best_value >= total - tol {
        return (best, total, true);
    }

    let rows: Vec<u32> = (0..inc.n_rows() as u32).collect();
    let cols: Vec<u32> = (0..inc.n_cols() as u32).collect();
    let active = vec![true; inc.n_rows()];
    let view = View {
        inc,
        rows: &rows,
        cols: &cols,
        row_active: &active,
    };
    let mut lambda = weight.to_vec();
    let dual = lagrangian::mclp_dual(
        &view,
        weight,
        p,
        &mut lambda,
        best_value,
        tol,
        &MCLP_ROOT_PARAMS,
        |top| {
            let mut sites = top.to_vec();
            let value = local_search::swap_improve(inc, weight, &mut sites);
            (value > best_value + tol).then(|| {
                best = sites;
                best_value = value;
                value
            })
        },
    );
    stats.lagrangian_iterations = dual.iterations;
    let mut bound = dual.value.min(total);
    if bound <= best_value + tol {
        return (best, best_value, true);
    }
    let mut rng = SplitMix64::new(options.seed);
    let (improved, value) =
        local_search::perturb_max_cover(inc, weight, &best, MCLP_ILS_ROUNDS_PER_SITE * p, &mut rng);
    if value > best_value + tol {
        best = improved;
        best_value = value;
    }
    if bound <= best_value + tol {
        return (best, best_value, true);
    }
    if (bound - best_value) / best_value.max(tol) <= options.gap_limit {
        return (best, bound, false);
    }
    let limits = exact::Limits {
        deadline: Some(deadline),
        node_limit: options.node_limit,
    };
    let outcome = exact::mclp(inc, weight, p, best, &dual.mult, limits);
    stats.nodes = outcome.nodes;
    bound = bound.min(outcome.bound);
    (outcome.best, bound, outcome.complete)
}
