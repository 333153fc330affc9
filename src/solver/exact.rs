//! Depth-first branch-and-bound that proves optimality (or bounds the gap) on the reduced problem.
//!
//! Each node fixes candidates in or out, propagates (a point with one free candidate forces it; a point with
//! none makes the node infeasible), bounds the rest with a warm-started Lagrangian dual (see
//! [`lagrangian`](super::lagrangian)), fixes candidates by reduced cost (a candidate whose inclusion, or
//! exclusion, would push the bound past the incumbent is fixed the other way), runs a guided primal heuristic,
//! and branches on one candidate: in first, then out.
//!
//! Set covering branches on the cheapest candidate (by reduced cost) of the uncovered point with the fewest free
//! candidates; maximal covering on the best-scoring candidate of the relaxed choice. A node is pruned when its
//! bound cannot beat the incumbent (LSCP: ⌈bound⌉ >= incumbent; MCLP: bound <= incumbent + tolerance).
//!
//! The search stops at a deadline or node limit; the bound then reported is the weakest bound among the nodes
//! left open, so it stays valid. Cost: exponential in the worst case, in practice a few nodes per unit of
//! integrality gap on wxmod's grids.

use std::time::Instant;

use super::incidence::Incidence;
use super::lagrangian::{self, ROUND_EPS, SubgradientParams, View};
use super::local_search::{self, CoverState};

/// When to give up.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub deadline: Option<Instant>,
    pub node_limit: Option<u64>,
}

/// What a search ended with.
#[derive(Debug, Clone)]
pub(crate) struct Outcome<B> {
    /// Best solution (columns of the reduced matrix).
    pub best: Vec<u32>,
    /// Proven bound (LSCP: lower on the size, MCLP: upper on the weight).
    pub bound: B,
    /// Whether the search finished, proving `best` optimal.
    pub complete: bool,
    /// Nodes explored.
    pub nodes: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Free,
    In,
    Out,
}

/// Column fixings with an undo trail, shared by both searches.
struct Fixings<'a> {
    inc: &'a Incidence,
    status: Vec<Status>,
    cover: Vec<u32>,
    free: Vec<u32>,
    n_in: usize,
    trail: Vec<u32>,
}

impl<'a> Fixings<'a> {
    fn new(inc: &'a Incidence) -> Self {
        Fixings {
            inc,
            status: vec![Status::Free; inc.n_cols()],
            cover: vec![0; inc.n_rows()],
            free: (0..inc.n_rows())
                .map(|i| inc.cols(i).len() as u32)
                .collect(),
            n_in: 0,
            trail: Vec::new(),
        }
    }

    fn fix(&mut self, j: usize, to: Status) {
        debug_assert_eq!(self.status[j], Status::Free);
        self.status[j] = to;
        self.trail.push(j as u32);
        if to == Status::In {
            self.n_in += 1;
        }
        for &i in self.inc.rows(j) {
            self.free[i as usize] -= 1;
            if to == Status::In {
                self.cover[i as usize] += 1;
            }
        }
    }

    fn undo(&mut self, mark: usize) {
        while self.trail.len() > mark {
            let j = self.trail.pop().expect("invariant: trail longer than mark") as usize;
            let was_in = self.status[j] == Status::In;
            self.status[j] = Status::Free;
            if was_in {
                self.n_in -= 1;
            }
            for &i in self.inc.rows(j) {
                self.free[i as usize] += 1;
                if was_in {
                    self.cover[i as usize] -= 1;
                }
            }
        }
    }

    fn in_cols(&self) -> Vec<u32> {
        (0..self.status.len())
            .filter(|&j| self.status[j] == Status::In)
            .map(|j| j as u32)
            .collect()
    }

    /// Uncovered rows that a free column can still cover, and the free columns covering one of them.
    fn open_view(&self) -> (Vec<u32>, Vec<u32>, Vec<bool>) {
        let n_rows = self.inc.n_rows();
        let mut active = vec![false; n_rows];
        let mut rows = Vec::new();
        for (i, slot) in active.iter_mut().enumerate() {
            if self.cover[i] == 0 && self.free[i] > 0 {
                *slot = true;
                rows.push(i as u32);
            }
        }
        let cols = (0..self.status.len())
            .filter(|&j| {
                self.status[j] == Status::Free
                    && self.inc.rows(j).iter().any(|&i| active[i as usize])
            })
            .map(|j| j as u32)
            .collect();
        (rows, cols, active)
    }

    fn out_of_limits(&self, limits: &Limits, nodes: u64) -> bool {
        limits.node_limit.is_some_and(|n| nodes > n)
            || limits.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

/// Bound-and-fix rounds per node before branching (fixing changes the sub-problem, so the bound is redone).
const MAX_ROUNDS: usize = 3;

/// Subgradient settings inside the tree: warm-started, so short.
const NODE_PARAMS: SubgradientParams = SubgradientParams {
    max_iter: 300,
    patience: 20,
    f_start: 0.5,
    f_min: 0.005,
    heuristic_every: 0,
};

/// Maximal covering needs longer runs inside the tree: its LP gap is wider, and each extra iteration saves
/// nodes (on shuozhou_r10 with p = 30: 300 iterations need 69 nodes, 600 need 39).
const MCLP_NODE_PARAMS: SubgradientParams = SubgradientParams {
    max_iter: 600,
    patience: 40,
    f_start: 1.0,
    f_min: 0.005,
    heuristic_every: 0,
};

struct LscpSearch<'a> {
    fx: Fixings<'a>,
    limits: Limits,
    best: Vec<u32>,
    nodes: u64,
    aborted: bool,
    open_bound: usize,
}

/// Proves a set cover of the reduced matrix optimal, starting from the cover `incumbent` and multipliers `u`.
pub(crate) fn lscp(
    inc: &Incidence,
    incumbent: Vec<u32>,
    u: &[f64],
    limits: Limits,
) -> Outcome<usize> {
    let mut search = LscpSearch {
        fx: Fixings::new(inc),
        limits,
        open_bound: incumbent.len(),
        best: incumbent,
        nodes: 0,
        aborted: false,
    };
    search.node(u.to_vec(), 0);
    let bound = if search.aborted {
        search.open_bound.min(search.best.len())
    } else {
        search.best.len()
    };
    Outcome {
        bound,
        complete: !search.aborted,
        nodes: search.nodes,
        best: search.best,
    }
}

impl LscpSearch<'_> {
    fn node(&mut self, mut u: Vec<f64>, parent_bound: usize) {
        self.nodes += 1;
        if self.fx.out_of_limits(&self.limits, self.nodes) {
            self.aborted = true;
            self.open_bound = self.open_bound.min(parent_bound);
            return;
        }
        let inc = self.fx.inc;
        let mark = self.fx.trail.len();
        let mut bound = parent_bound;
        let branch = loop {
            // A node may take many bound-and-fix rounds: the deadline is checked before each one.
            if self.fx.out_of_limits(&self.limits, self.nodes) {
                self.aborted = true;
                self.open_bound = self.open_bound.min(bound);
                break None;
            }
            // Propagate.
            let mut infeasible = false;
            let mut changed = true;
            while changed && !infeasible {
                changed = false;
                for i in 0..inc.n_rows() {
                    if self.fx.cover[i] > 0 {
                        continue;
                    }
                    match self.fx.free[i] {
                        0 => {
                            infeasible = true;
                            break;
                        }
                        1 => {
                            let j = inc
                                .cols(i)
                                .iter()
                                .find(|&&j| self.fx.status[j as usize] == Status::Free);
                            let j =
                                *j.expect("invariant: free count 1 means one free column") as usize;
                            self.fx.fix(j, Status::In);
                            changed = true;
                        }
                        _ => {}
                    }
                }
            }
            if infeasible || self.fx.n_in >= self.best.len() {
                break None;
            }
            let (rows, cols, active) = self.fx.open_view();
            if rows.is_empty() {
                self.best = self.fx.in_cols();
                break None;
            }
            if self.fx.n_in + 1 >= self.best.len() {
                break None;
            }
            let view = View {
                inc,
                rows: &rows,
                cols: &cols,
                row_active: &active,
            };
            let ub = (self.best.len() - self.fx.n_in) as f64;
            let dual = lagrangian::lscp_dual(
                &view,
                &mut u,
                ub,
                &NODE_PARAMS,
                self.limits.deadline,
                |_, _| None,
            );
            u.copy_from_slice(&dual.mult);
            bound = bound.max(self.fx.n_in + (dual.value - ROUND_EPS).ceil().max(0.0) as usize);
            if bound >= self.best.len() {
                break None;
            }
            // Primal heuristic from the fixed columns.
            let mut state = CoverState::with(inc, &self.fx.in_cols());
            local_search::guided_complete(&mut state, &dual.mult, &|j| {
                self.fx.status[j] != Status::Out
            });
            if state.is_cover() {
                state.remove_redundant(&dual.col_value);
                if state.size() < self.best.len() {
                    self.best = state.cols();
                    if bound >= self.best.len() {
                        break None;
                    }
                }
            }
            // Reduced-cost fixing.
            let target = self.best.len();
            let mut fixed = false;
            for &j in &cols {
                let r = dual.col_value[j as usize];
                let forced = |value: f64| {
                    self.fx.n_in + (value - ROUND_EPS).ceil().max(0.0) as usize >= target
                };
                if r >= 0.0 && forced(dual.value + r) {
                    self.fx.fix(j as usize, Status::Out);
                    fixed = true;
                } else if r < 0.0 && forced(dual.value - r) {
                    self.fx.fix(j as usize, Status::In);
                    fixed = true;
                }
            }
            if fixed {
                continue;
            }
            // Branch on the cheapest column of the uncovered row with the fewest free columns.
            let row = rows
                .iter()
                .copied()
                .min_by_key(|&i| (self.fx.free[i as usize], i))
                .expect("invariant: rows is not empty") as usize;
            let col = inc
                .cols(row)
                .iter()
                .copied()
                .filter(|&j| self.fx.status[j as usize] == Status::Free)
                .min_by(|&a, &b| {
                    dual.col_value[a as usize]
                        .total_cmp(&dual.col_value[b as usize])
                        .then(a.cmp(&b))
                })
                .expect("invariant: the row has free columns") as usize;
            break Some(col);
        };
        if let Some(col) = branch {
            for to in [Status::In, Status::Out] {
                let child_mark = self.fx.trail.len();
                self.fx.fix(col, to);
                self.node(u.clone(), bound);
                self.fx.undo(child_mark);
                if self.aborted {
                    self.open_bound = self.open_bound.min(bound);
                    break;
                }
            }
        }
        self.fx.undo(mark);
    }
}

struct MclpSearch<'a> {
    fx: Fixings<'a>,
    weight: &'a [f64],
    p: usize,
    tol: f64,
    limits: Limits,
    best: Vec<u32>,
    best_value: f64,
    nodes: u64,
    aborted: bool,
    open_bound: f64,
}

/// Covered weight of a set of columns.
pub(crate) fn covered_weight(inc: &Incidence, weight: &[f64], cols: &[u32]) -> f64 {
    let mut covered = vec![false; inc.n_rows()];
    for &j in cols {
        for &i in inc.rows(j as usize) {
            covered[i as usize] = true;
        }
    }
    (0..inc.n_rows())
        .filter(|&i| covered[i])
        .map(|i| weight[i])
        .sum()
}

/// Proves a choice of `p` columns of the reduced matrix optimal for maximal covering, starting from the choice
/// `incumbent` and multipliers `lambda`.
pub(crate) fn mclp(
    inc: &Incidence,
    weight: &[f64],
    p: usize,
    incumbent: Vec<u32>,
    lambda: &[f64],
    limits: Limits,
) -> Outcome<f64> {
    let total: f64 = weight.iter().sum();
    let best_value = covered_weight(inc, weight, &incumbent);
    let mut search = MclpSearch {
        fx: Fixings::new(inc),
        weight,
        p,
        tol: 1e-9 * total.max(1.0),
        limits,
        best: incumbent,
        best_value,
        nodes: 0,
        aborted: false,
        open_bound: best_value,
    };
    search.node(lambda.to_vec(), total);
    let bound = if search.aborted {
        search.open_bound.max(search.best_value)
    } else {
        search.best_value
    };
    Outcome {
        bound,
        complete: !search.aborted,
        nodes: search.nodes,
        best: search.best,
    }
}

impl MclpSearch<'_> {
    fn offer(&mut self, cols: Vec<u32>) {
        let value = covered_weight(self.fx.inc, self.weight, &cols);
        if value > self.best_value + self.tol {
            self.best_value = value;
            self.best = cols;
        }
    }

    fn node(&mut self, mut lambda: Vec<f64>, parent_bound: f64) {
        self.nodes += 1;
        if self.fx.out_of_limits(&self.limits, self.nodes) {
            self.aborted = true;
            self.open_bound = self.open_bound.max(parent_bound);
            return;
        }
        let inc = self.fx.inc;
        let mark = self.fx.trail.len();
        let mut bound = parent_bound;
        let mut top = Vec::new();
        let mut rounds = 0;
        let branch = loop {
            rounds += 1;
            if self.fx.n_in > self.p {
                break None;
            }
            let k = self.p - self.fx.n_in;
            let fixed_in = self.fx.in_cols();
            let (rows, cols, active) = self.fx.open_view();
            let covered: f64 = (0..inc.n_rows())
                .filter(|&i| self.fx.cover[i] > 0)
                .map(|i| self.weight[i])
                .sum();
            let reachable: f64 = rows.iter().map(|&i| self.weight[i as usize]).sum();
            if k == 0 || rows.is_empty() || cols.len() <= k {
                let mut all = fixed_in;
                if k > 0 {
                    all.extend(cols.iter().take(k));
                }
                self.offer(all);
                break None;
            }
            bound = bound.min(covered + reachable);
            if bound <= self.best_value + self.tol {
                break None;
            }
            let view = View {
                inc,
                rows: &rows,
                cols: &cols,
                row_active: &active,
            };
            let lb = self.best_value - covered;
            let dual = lagrangian::mclp_dual(
                &view,
                self.weight,
                k,
                &mut lambda,
                lb,
                self.tol,
                &MCLP_NODE_PARAMS,
                |_| None,
            );
            lambda.copy_from_slice(&dual.mult);
            let relaxed = covered + dual.value;
            bound = bound.min(relaxed);
            lagrangian::top_k(&cols, &dual.col_value, k + 1, &mut top);
            let mut candidate = fixed_in.clone();
            candidate.extend(top.iter().take(k));
            if relaxed > self.best_value + self.tol {
                local_search::swap_improve(inc, self.weight, &mut candidate);
            }
            self.offer(candidate);
            if bound <= self.best_value + self.tol {
                break None;
            }
            // Reduced-cost fixing against the k-th and (k+1)-th best scores.
            let c_k = dual.col_value[top[k - 1] as usize];
            let c_next = top.get(k).map_or(0.0, |&j| dual.col_value[j as usize]);
            let limit = self.best_value + self.tol;
            let mut fixed = false;
            let mut in_top = vec![false; inc.n_cols()];
            for &j in &top[..k] {
                in_top[j as usize] = true;
            }
            for &j in &cols {
                let c = dual.col_value[j as usize];
                let in_top = in_top[j as usize];
                if !in_top && relaxed - c_k + c <= limit {
                    self.fx.fix(j as usize, Status::Out);
                    fixed = true;
                } else if in_top && relaxed - c + c_next <= limit {
                    self.fx.fix(j as usize, Status::In);
                    fixed = true;
                }
            }
            if fixed && rounds < MAX_ROUNDS {
                continue;
            }
            // Branch on the marginal site of the relaxed choice: the free one with the lowest score.
            let pick = top[..k]
                .iter()
                .copied()
                .filter(|&j| self.fx.status[j as usize] == Status::Free)
                .min_by(|&a, &b| {
                    dual.col_value[a as usize]
                        .total_cmp(&dual.col_value[b as usize])
                        .then(a.cmp(&b))
                });
            match pick {
                Some(j) => break Some(j as usize),
                None => continue,
            }
        };
        if let Some(col) = branch {
            for to in [Status::In, Status::Out] {
                let child_mark = self.fx.trail.len();
                self.fx.fix(col, to);
                self.node(lambda.clone(), bound);
                self.fx.undo(child_mark);
                if self.aborted {
                    self.open_bound = self.open_bound.max(bound);
                    break;
                }
            }
        }
        self.fx.undo(mark);
    }
}
