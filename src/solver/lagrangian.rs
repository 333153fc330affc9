//! Lagrangian relaxation with subgradient optimisation: proven bounds and guidance for the primal heuristics.
//!
//! Set covering, min Σx_j s.t. Σ_{j∋i} x_j >= 1: relaxing the cover constraints with multipliers u_i >= 0 gives
//! L(u) = Σ_i u_i + Σ_j min(0, r_j) with reduced cost r_j = 1 - Σ_{i∈j} u_i. Every L(u) is a lower bound on the
//! minimum, and since site counts are integers so is ⌈L(u)⌉.
//!
//! Maximal covering, max Σw_i y_i s.t. y_i <= Σ_{j∋i} x_j, Σx_j = k: relaxing the link constraints with
//! 0 <= λ_i <= w_i gives L(λ) = Σ_i (w_i - λ_i) + (sum of the k largest scores c_j = Σ_{i∈j} λ_i), an upper bound
//! on the maximum.
//!
//! Both duals are minimised (LSCP: maximised) by the subgradient method of Held, Wolfe and Crowder with the step
//! t = f·|target - L| / ‖g‖² and f halved after `patience` iterations without progress (Beasley 1990,
//! "A Lagrangian heuristic for set-covering problems"). The best value equals at most the LP relaxation bound.
//! One iteration costs O(pairs of the active rows and free columns) (+ O(m) selection for MCLP).

use std::time::Instant;

use super::incidence::Incidence;

/// Subgradient iterations between looks at the deadline.
pub(crate) const DEADLINE_EVERY: usize = 10;

/// Tolerance when rounding an LSCP bound up to an integer.
pub(crate) const ROUND_EPS: f64 = 1e-6;

/// Settings of one subgradient run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SubgradientParams {
    /// Hard cap on iterations.
    pub max_iter: usize,
    /// Iterations without improvement before the step factor is halved.
    pub patience: usize,
    /// Initial step factor.
    pub f_start: f64,
    /// Stop when the step factor falls below this.
    pub f_min: f64,
    /// Call the primal heuristic every this many iterations (0: never).
    pub heuristic_every: usize,
}

/// A sub-problem: the active (uncovered) rows and free columns of a coverage matrix.
pub(crate) struct View<'a> {
    /// The whole matrix.
    pub inc: &'a Incidence,
    /// Active rows.
    pub rows: &'a [u32],
    /// Free columns.
    pub cols: &'a [u32],
    /// `row_active[i]` for every row of the matrix.
    pub row_active: &'a [bool],
}

/// The best point found by a subgradient run.
#[derive(Debug, Clone)]
pub(crate) struct DualResult {
    /// Best bound (LSCP: lower, MCLP: upper) for the sub-problem.
    pub value: f64,
    /// Multipliers giving `value`, indexed by matrix row.
    pub mult: Vec<f64>,
    /// Per free column, at `mult`: LSCP reduced cost r_j, MCLP score c_j; indexed by matrix column.
    pub col_value: Vec<f64>,
    /// Iterations run.
    pub iterations: usize,
}

/// Column sums of multipliers over active rows, for the free columns. `masked` is scratch
/// space of one entry per row, zero on inactive rows (it is only written on active ones), so
/// the inner sum needs no branch; adding those zeros leaves every sum bit-for-bit the same.
fn column_sums(view: &View, mult: &[f64], masked: &mut [f64], out: &mut [f64]) {
    for &i in view.rows {
        debug_assert!(view.row_active[i as usize]);
        masked[i as usize] = mult[i as usize];
    }
    for &j in view.cols {
        out[j as usize] = view
            .inc
            .rows(j as usize)
            .iter()
            .map(|&i| masked[i as usize])
            .sum();
    }
}

/// Maximises the LSCP Lagrangian from `u` (updated in place). `ub` is the best known cover size of the
/// sub-problem; the run stops early once ⌈L⌉ >= ub, or at `deadline` (checked every
/// [`DEADLINE_EVERY`] iterations; the best value so far stays a valid bound). `heuristic(u, r)` may return a
/// better `ub`.
pub(crate) fn lscp_dual(
    view: &View,
    u: &mut [f64],
    mut ub: f64,
    params: &SubgradientParams,
    deadline: Option<Instant>,
    mut heuristic: impl FnMut(&[f64], &[f64]) -> Option<f64>,
) -> DualResult {
    let n_cols = view.inc.n_cols();
    let mut r = vec![0.0; n_cols];
    let mut g = vec![0.0; view.inc.n_rows()];
    let mut masked = vec![0.0; view.inc.n_rows()];
    let mut best = DualResult {
        value: f64::NEG_INFINITY,
        mult: u.to_vec(),
        col_value: r.clone(),
        iterations: 0,
    };
    let mut f = params.f_start;
    let mut stall = 0;
    for iter in 0..params.max_iter {
        best.iterations = iter + 1;
        column_sums(view, u, &mut masked, &mut r);
        let mut value: f64 = view.rows.iter().map(|&i| u[i as usize]).sum();
        for &i in view.rows {
            g[i as usize] = 1.0;
        }
        for &j in view.cols {
            let rj = 1.0 - r[j as usize];
            r[j as usize] = rj;
            if rj < 0.0 {
                value += rj;
                for &i in view.inc.rows(j as usize) {
                    g[i as usize] -= 1.0;
                }
            }
        }
        if value > best.value + 1e-9 {
            best.value = value;
            best.mult.copy_from_slice(u);
            best.col_value.copy_from_slice(&r);
            stall = 0;
        } else {
            stall += 1;
            if stall >= params.patience {
                f /= 2.0;
                stall = 0;
            }
        }
        if params.heuristic_every > 0
            && iter % params.heuristic_every == 0
            && let Some(better) = heuristic(u, &r)
        {
            ub = ub.min(better);
        }
        if (best.value - ROUND_EPS).ceil() >= ub || f < params.f_min {
            break;
        }
        if iter % DEADLINE_EVERY == 0 && deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let mut norm = 0.0;
        for &i in view.rows {
            let gi = &mut g[i as usize];
            if *gi < 0.0 && u[i as usize] <= 0.0 {
                *gi = 0.0;
            }
            norm += *gi * *gi;
        }
        if norm == 0.0 {
            break; // the relaxed solution is a cover with complementary slackness: L is the LP optimum
        }
        let step = f * (ub - value).max(0.01) / norm;
        for &i in view.rows {
            let ui = &mut u[i as usize];
            *ui = (*ui + step * g[i as usize]).max(0.0);
        }
    }
    best
}

/// Starting multipliers for LSCP: u_i = min over columns covering i of 1/|column| (Caprara, Fischetti and Toth).
pub(crate) fn lscp_initial(view: &View, u: &mut [f64]) {
    for &i in view.rows {
        let size = view
            .inc
            .cols(i as usize)
            .iter()
            .map(|&j| {
                view.inc
                    .rows(j as usize)
                    .iter()
                    .filter(|&&r| view.row_active[r as usize])
                    .count()
            })
            .max()
            .unwrap_or(1)
            .max(1);
        u[i as usize] = 1.0 / size as f64;
    }
}

/// The `k` best columns by score (ties to the lower index), best first.
pub(crate) fn top_k(cols: &[u32], score: &[f64], k: usize, out: &mut Vec<u32>) {
    top_k_unordered(cols, score, k, out);
    out.sort_unstable_by(|a, b| by_score(score, a, b));
}

fn by_score(score: &[f64], a: &u32, b: &u32) -> std::cmp::Ordering {
    score[*b as usize]
        .total_cmp(&score[*a as usize])
        .then(a.cmp(b))
}

/// The `k` best columns by score (ties to the lower index), in no particular order. O(len).
fn top_k_unordered(cols: &[u32], score: &[f64], k: usize, out: &mut Vec<u32>) {
    out.clear();
    out.extend_from_slice(cols);
    if k < out.len() {
        out.select_nth_unstable_by(k, |a, b| by_score(score, a, b));
        out.truncate(k);
    }
}

/// Minimises the MCLP Lagrangian from `lambda` (updated in place) for `k` more sites. `lb` is the best known
/// covered weight of the sub-problem; the run stops early once L <= lb + `tol`. `heuristic(top)` receives the
/// relaxed choice of k columns and may return a better `lb`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn mclp_dual(
    view: &View,
    weight: &[f64],
    k: usize,
    lambda: &mut [f64],
    mut lb: f64,
    tol: f64,
    params: &SubgradientParams,
    mut heuristic: impl FnMut(&[u32]) -> Option<f64>,
) -> DualResult {
    let n_cols = view.inc.n_cols();
    let mut c = vec![0.0; n_cols];
    let mut g = vec![0.0; view.inc.n_rows()];
    let mut masked = vec![0.0; view.inc.n_rows()];
    let mut top = Vec::with_capacity(k);
    let mut best = DualResult {
        value: f64::INFINITY,
        mult: lambda.to_vec(),
        col_value: c.clone(),
        iterations: 0,
    };
    let mut f = params.f_start;
    let mut stall = 0;
    for iter in 0..params.max_iter {
        best.iterations = iter + 1;
        column_sums(view, lambda, &mut masked, &mut c);
        top_k_unordered(view.cols, &c, k, &mut top);
        let mut value = 0.0;
        // g is minus a subgradient of L: L falls along g.
        for &i in view.rows {
            let (w, l) = (weight[i as usize], lambda[i as usize]);
            value += w - l;
            g[i as usize] = if w > l { 1.0 } else { 0.0 };
        }
        for &j in &top {
            value += c[j as usize];
            for &i in view.inc.rows(j as usize) {
                g[i as usize] -= 1.0;
            }
        }
        if value < best.value - 1e-12 * value.abs().max(1.0) {
            best.value = value;
            best.mult.copy_from_slice(lambda);
            best.col_value.copy_from_slice(&c);
            stall = 0;
        } else {
            stall += 1;
            if stall >= params.patience {
                f /= 2.0;
                stall = 0;
            }
        }
        if params.heuristic_every > 0
            && iter % params.heuristic_every == 0
            && let Some(better) = heuristic(&top)
        {
            lb = lb.max(better);
        }
        if best.value <= lb + tol || f < params.f_min {
            break;
        }
        let mut norm = 0.0;
        for &i in view.rows {
            let i = i as usize;
            // Projected subgradient: a multiplier at a bound cannot move outward.
            if (g[i] < 0.0 && lambda[i] <= 0.0) || (g[i] > 0.0 && lambda[i] >= weight[i]) {
                g[i] = 0.0;
            }
            norm += g[i] * g[i];
        }
        if norm == 0.0 {
            break;
        }
        let step = f * (value - lb).max(tol) / norm;
        for &i in view.rows {
            let i = i as usize;
            lambda[i] = (lambda[i] + step * g[i]).clamp(0.0, weight[i]);
        }
    }
    best
}
