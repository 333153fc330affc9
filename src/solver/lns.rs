//! Large-neighbourhood search for set covering: remove a cluster of neighbouring sites and re-solve the hole
//! exactly.
//!
//! Each round picks a random site and grows a neighbourhood breadth first through the sites that one candidate
//! could serve together with a site already in it, removes them, and solves the set covering problem of the points left
//! uncovered (with every candidate that covers one of them) by reductions, a Lagrangian bound and a small
//! branch-and-bound. If the hole needs fewer sites the cover shrinks; if it needs as many, the new sites are
//! kept anyway (a plateau move that lets later rounds find savings elsewhere). The neighbourhood starts at
//! [`BASE_HOOD`] sites; after [`STALL_ROUNDS`] rounds without a saving it grows by [`HOOD_STEP`] (up to
//! [`MAX_HOOD`]), since a local optimum for small holes may still have savings that need a larger one, and it
//! drops back after a saving. On geometric instances a hole of 25 sites has a few dozen points, so a round
//! costs well under a millisecond; one of 60 sites a few milliseconds. The run is deterministic for a given
//! seed and round count (a deadline that cuts it short makes it depend on the machine's speed).

use std::time::Instant;

use super::exact::{self, Limits};
use super::greedy;
use super::incidence::Incidence;
use super::lagrangian::{self, SubgradientParams, View};
use super::local_search::CoverState;
use super::reduce;
use super::rng::SplitMix64;

/// Sites removed in a round at first, and again after each saving.
const BASE_HOOD: usize = 25;

/// Most sites removed in one round.
const MAX_HOOD: usize = 60;

/// Growth of the neighbourhood after [`STALL_ROUNDS`] rounds without a saving.
const HOOD_STEP: usize = 5;

/// Rounds without a saving before the neighbourhood grows.
const STALL_ROUNDS: usize = 150;

/// Branch-and-bound nodes allowed per hole.
const HOLE_NODES: u64 = 300;

const HOLE_PARAMS: SubgradientParams = SubgradientParams {
    max_iter: 300,
    patience: 15,
    f_start: 2.0,
    f_min: 0.005,
    heuristic_every: 0,
};

/// Improves the cover `start` of `inc` for `rounds` rounds (or until `deadline`, or until the cover has no
/// more than `target` sites, a proven lower bound). Returns the best cover.
pub(crate) fn improve_cover(
    inc: &Incidence,
    start: &[u32],
    rounds: usize,
    target: usize,
    rng: &mut SplitMix64,
    deadline: Instant,
) -> Vec<u32> {
    let mut state = CoverState::with(inc, start);
    let mut chosen: Vec<u32> = start.to_vec();
    let mut mark = vec![false; inc.n_cols()];
    let mut row_mark = vec![false; inc.n_rows()];
    let mut hood_size = BASE_HOOD;
    let mut stall = 0;
    for _ in 0..rounds {
        if chosen.len() <= target || Instant::now() >= deadline {
            break;
        }
        // The neighbourhood: sites that one candidate could serve together with a site already in it
        // (a point of one and a point of the other lie within one candidate's reach), breadth first.
        let seed = chosen[rng.below(chosen.len())] as usize;
        let mut hood = vec![seed];
        mark[seed] = true;
        let mut next = 0;
        'grow: while next < hood.len() {
            let site = hood[next];
            next += 1;
            for &i in inc.rows(site) {
                for &c in inc.cols(i as usize) {
                    for &r in inc.rows(c as usize) {
                        for &k in inc.cols(r as usize) {
                            let k = k as usize;
                            if !mark[k] && state.is_chosen(k) {
                                mark[k] = true;
                                hood.push(k);
                                if hood.len() >= hood_size {
                                    break 'grow;
                                }
                            }
                        }
                    }
                }
            }
        }
        for &k in &hood {
            mark[k] = false;
            state.remove(k);
        }
        // The hole: points left uncovered, and every candidate covering one of them.
        let mut hole_rows: Vec<u32> = Vec::new();
        for &k in &hood {
            for &i in inc.rows(k) {
                if state.count(i as usize) == 0 && !row_mark[i as usize] {
                    row_mark[i as usize] = true;
                    hole_rows.push(i);
                }
            }
        }
        let mut local_col: std::collections::HashMap<u32, u32> = std::collections::HashMap::new();
        let mut cols_of_local: Vec<u32> = Vec::new();
        let mut rows: Vec<Vec<u32>> = Vec::with_capacity(hole_rows.len());
        for &i in &hole_rows {
            let mut list = Vec::new();
            for &j in inc.cols(i as usize) {
                let next = cols_of_local.len() as u32;
                let local = *local_col.entry(j).or_insert_with(|| {
                    cols_of_local.push(j);
                    next
                });
                list.push(local);
            }
            rows.push(list);
        }
        for &i in &hole_rows {
            row_mark[i as usize] = false;
        }
        let hole = Incidence::from_rows(cols_of_local.len(), &rows);
        let fill = solve_hole(&hole, hood.len(), deadline);
        match fill {
            Some(cols) if cols.len() <= hood.len() => {
                if cols.len() < hood.len() {
                    hood_size = BASE_HOOD;
                    stall = 0;
                } else {
                    stall += 1;
                }
                for j in cols {
                    state.add(cols_of_local[j as usize] as usize);
                }
            }
            _ => {
                stall += 1;
                for &k in &hood {
                    state.add(k);
                }
            }
        }
        if stall >= STALL_ROUNDS {
            hood_size = (hood_size + HOOD_STEP).min(MAX_HOOD);
            stall = 0;
        }
        chosen = state.cols();
    }
    chosen
}

/// Solves the hole's set covering problem; `None` if it needs more than `limit` sites as far as the search
/// can tell. At `deadline` the dual and the search stop with the best cover so far (a greedy one at worst),
/// so one large hole cannot carry the solver past its time limit.
fn solve_hole(hole: &Incidence, limit: usize, deadline: Instant) -> Option<Vec<u32>> {
    if hole.n_rows() == 0 {
        return Some(Vec::new());
    }
    let red = reduce::reduce_lscp(hole);
    let mut cols: Vec<u32> = red.forced.clone();
    if red.inc.n_rows() > 0 {
        let inc = &red.inc;
        let mut state = CoverState::with(inc, &greedy::greedy_cover(inc));
        state.remove_redundant(&vec![0.0; inc.n_cols()]);
        let mut best = state.cols();
        let rows: Vec<u32> = (0..inc.n_rows() as u32).collect();
        let all: Vec<u32> = (0..inc.n_cols() as u32).collect();
        let active = vec![true; inc.n_rows()];
        let view = View {
            inc,
            rows: &rows,
            cols: &all,
            row_active: &active,
        };
        let mut u = vec![0.0; inc.n_rows()];
        lagrangian::lscp_initial(&view, &mut u);
        let dual = lagrangian::lscp_dual(
            &view,
            &mut u,
            best.len() as f64,
            &HOLE_PARAMS,
            Some(deadline),
            |_, _| None,
        );
        let bound = (dual.value - lagrangian::ROUND_EPS).ceil().max(0.0) as usize;
        if red.forced.len() + bound > limit {
            return None;
        }
        if bound < best.len() {
            let limits = Limits {
                deadline: Some(deadline),
                node_limit: Some(HOLE_NODES),
            };
            best = exact::lscp(inc, best, &dual.mult, limits).best;
        }
        cols.extend(best.iter().map(|&j| red.col_orig[j as usize]));
    }
    Some(cols)
}
/// Improves the cover `best` by large-neighbourhood search for `per_site` rounds per site or a `share` of
/// the time left, whichever ends first; it stops at once when the cover reaches the lower bound `bound`.
pub(crate) fn improve_by_lns(
    inc: &Incidence,
    best: Vec<u32>,
    bound: usize,
    seed: u64,
    per_site: usize,
    deadline: Instant,
    share: f64,
) -> Vec<u32> {
    let mut rng = SplitMix64::new(seed);
    let rounds = per_site * best.len();
    let now = Instant::now();
    let lns_deadline = now + deadline.saturating_duration_since(now).mul_f64(share);
    let improved = improve_cover(inc, &best, rounds, bound, &mut rng, lns_deadline);
    if improved.len() < best.len() {
        improved
    } else {
        best
    }
}
