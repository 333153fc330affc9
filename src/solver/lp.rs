//! The linear-programming relaxation of set covering, solved exactly by a dual simplex method.
//!
//! LP: min Σ x_j subject to Σ_{j∋i} x_j >= 1 for every demand point i, x >= 0 (x_j <= 1 is implied). With
//! surplus variables the slack basis (x = 0) is dual feasible, so the dual simplex method starts at once: each
//! iteration picks the leaving row by dual steepest edge (the largest infeasibility² over the squared norm of
//! its row of the basis inverse, norms kept exactly by the pivot), prices the row of the basis
//! inverse against the columns, enters the column of the Harris two-pass ratio test and pivots (Dantzig 1954;
//! Koberstein 2005, "The dual simplex method, techniques for a fast and stable implementation", ch. 3). It stops
//! when the basis is primal feasible, that is, at an LP optimum.
//!
//! The basis inverse is kept dense (m × m for m points; at most [`MAX_ROWS`] rows, so at most 72 MB) and
//! updated by one Gauss-Jordan pivot per iteration, O(nonzeros of the entering column × nonzeros of the
//! pivot row); the pivot row
//! costs O(Σ row lengths of its nonzeros). Unit costs are perturbed by at most [`PERTURBATION`] (seeded, so
//! the run is deterministic) against dual degeneracy, and the basic values and reduced costs are recomputed
//! from the inverse every [`REFRESH`] iterations against drift.
//!
//! Validity does not rest on floating point: the bound returned is the Lagrangian value
//! L(u) = Σ u_i + Σ_j min(0, 1 - Σ_{i∈j} u_i) of the final duals u >= 0 with the true unit costs, and every
//! L(u) is a lower bound on the optimum (weak duality). At an LP optimum it equals the LP value up to the
//! perturbation; the time or iteration limit only makes it weaker, never invalid. The duals also start the
//! Lagrangian runs of the branch-and-bound.

use std::time::Instant;

use super::incidence::Incidence;
use super::rng::SplitMix64;

/// Largest number of rows the dense basis inverse is kept for (3,000² doubles = 72 MB).
pub(crate) const MAX_ROWS: usize = 3000;

/// Largest perturbation of a unit cost (relative).
const PERTURBATION: f64 = 1e-7;

/// Iterations between recomputing basic values and reduced costs from the inverse.
const REFRESH: usize = 100;

/// Primal feasibility tolerance on basic values.
const PRIMAL_TOL: f64 = 1e-9;

/// Dual feasibility tolerance of the Harris ratio test.
const DUAL_TOL: f64 = 1e-9;

/// Entries of the basis inverse below this are set to zero.
const DROP_TOL: f64 = 1e-14;

/// Floor of a steepest-edge weight (a row of the inverse never vanishes; this guards against rounding).
const MIN_WEIGHT: f64 = 1e-12;

/// The pivot sweeps the whole row of the inverse when more than 1 / this of the pivot row is nonzero.
const DENSE_SWEEP: usize = 4;

/// Smallest pivot accepted in the ratio test.
const PIVOT_TOL: f64 = 1e-7;

/// The outcome of an LP solve.
#[derive(Debug, Clone)]
pub(crate) struct LpBound {
    /// A valid lower bound: L(u) of the final duals with the true costs (the LP value when `optimal`).
    pub value: f64,
    /// The final duals u >= 0, one per covering row (those of cuts are left out).
    pub duals: Vec<f64>,
    /// The final primal values x, one per column (an LP optimum when `optimal`).
    #[cfg_attr(not(test), allow(dead_code))]
    // read by the tests; kept for LP-guided heuristics
    pub primal: Vec<f64>,
    /// Whether the simplex reached an optimal basis.
    pub optimal: bool,
    /// Simplex iterations.
    pub iterations: usize,
}

/// A row added to the covering rows: Σ coef·x_j >= rhs, valid for every cover (a cut).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cut {
    /// (column, coefficient > 0), columns distinct.
    pub entries: Vec<(u32, f64)>,
    /// The right-hand side.
    pub rhs: f64,
}

/// The LP's rows Σ_j a_ij x_j >= b_i, by row and by column: the covering rows (a_ij = 1, b_i = 1) and the
/// cuts appended after them.
pub(crate) struct Rows {
    pub(crate) by_row: Vec<Vec<(u32, f64)>>,
    pub(crate) by_col: Vec<Vec<(u32, f64)>>,
    pub(crate) rhs: Vec<f64>,
}

impl Rows {
    pub(crate) fn of(inc: &Incidence) -> Self {
        let by_row = (0..inc.n_rows())
            .map(|i| inc.cols(i).iter().map(|&j| (j, 1.0)).collect())
            .collect();
        let by_col = (0..inc.n_cols())
            .map(|j| inc.rows(j).iter().map(|&i| (i, 1.0)).collect())
            .collect();
        Rows {
            by_row,
            by_col,
            rhs: vec![1.0; inc.n_rows()],
        }
    }

    pub(crate) fn push(&mut self, cut: &Cut) {
        let i = self.rhs.len() as u32;
        for &(j, a) in &cut.entries {
            self.by_col[j as usize].push((i, a));
        }
        self.by_row.push(cut.entries.clone());
        self.rhs.push(cut.rhs);
    }

    /// Σ_i a_ij u_i, the load of column j.
    fn load(&self, j: usize, u: &[f64]) -> f64 {
        self.by_col[j]
            .iter()
            .map(|&(i, a)| a * u[i as usize].max(0.0))
            .sum()
    }

    /// L(u) = Σ b_i u_i + Σ_j min(0, 1 - Σ_i a_ij u_i) for u clipped to >= 0: a lower bound on every cover's
    /// size when every row is valid for every cover (weak duality).
    fn lagrangian_value(&self, u: &[f64]) -> f64 {
        let mut value: f64 = u.iter().zip(&self.rhs).map(|(&x, b)| b * x.max(0.0)).sum();
        for j in 0..self.by_col.len() {
            value += (1.0 - self.load(j, u)).min(0.0);
        }
        value
    }

    /// The better of L(u) and L(u / max_j load_j) (the scaled duals fit the unit costs exactly,
    /// Aᵀu <= 1, so L of them is Σ b_i u_i / max load), with the duals that give it; both are valid
    /// lower bounds for any u >= 0.
    pub(crate) fn valid_bound(&self, duals: Vec<f64>) -> (f64, Vec<f64>) {
        let max_load = (0..self.by_col.len())
            .map(|j| self.load(j, &duals))
            .fold(0.0, f64::max);
        let scaled: Vec<f64> = if max_load > 1.0 {
            duals.iter().map(|&u| u / max_load).collect()
        } else {
            duals.clone()
        };
        let (v_raw, v_scaled) = (
            self.lagrangian_value(&duals),
            self.lagrangian_value(&scaled),
        );
        if v_scaled >= v_raw {
            (v_scaled, scaled)
        } else {
            (v_raw, duals)
        }
    }
}

struct Simplex {
    rows: Rows,
    m: usize,
    n: usize,
    cost: Vec<f64>,
    /// Row-major m × m basis inverse.
    binv: Vec<f64>,
    /// Basic variable of each basis position (structural j < n, surplus of row k is n + k).
    basis: Vec<usize>,
    /// Basis position of each variable, or usize::MAX when nonbasic.
    pos: Vec<usize>,
    x_b: Vec<f64>,
    /// Reduced costs of all n + m variables (0 on basic ones).
    d: Vec<f64>,
    /// Dual steepest-edge weights: the squared norm of each row of the basis inverse, kept exactly by the
    /// pivot (the inverse is explicit, so the update costs no extra solve).
    weight: Vec<f64>,
}

impl Simplex {
    /// Recomputes x_B = B⁻¹·b and d = c - yᵀ[A, -I] with yᵀ = c_Bᵀ B⁻¹.
    fn refresh(&mut self) {
        let m = self.m;
        for (i, x) in self.x_b.iter_mut().enumerate() {
            *x = self.binv[i * m..(i + 1) * m]
                .iter()
                .zip(&self.rows.rhs)
                .map(|(b, r)| b * r)
                .sum();
        }
        for (i, w) in self.weight.iter_mut().enumerate() {
            *w = self.binv[i * m..(i + 1) * m].iter().map(|b| b * b).sum();
        }
        let mut y = vec![0.0; m];
        for (p, &var) in self.basis.iter().enumerate() {
            let c = self.cost[var];
            if c != 0.0 {
                for (yk, b) in y.iter_mut().zip(&self.binv[p * m..(p + 1) * m]) {
                    *yk += c * b;
                }
            }
        }
        for j in 0..self.n {
            self.d[j] = if self.pos[j] == usize::MAX {
                self.cost[j]
                    - self.rows.by_col[j]
                        .iter()
                        .map(|&(i, a)| a * y[i as usize])
                        .sum::<f64>()
            } else {
                0.0
            };
        }
        for k in 0..m {
            self.d[self.n + k] = if self.pos[self.n + k] == usize::MAX {
                y[k]
            } else {
                0.0
            };
        }
    }

    /// The entering column's B⁻¹ a_q.
    fn ftran(&self, q: usize, out: &mut [f64]) {
        let m = self.m;
        if q < self.n {
            let entries = &self.rows.by_col[q];
            for (i, o) in out.iter_mut().enumerate() {
                let row = &self.binv[i * m..(i + 1) * m];
                *o = entries.iter().map(|&(k, a)| a * row[k as usize]).sum();
            }
        } else {
            let k = q - self.n;
            for (i, o) in out.iter_mut().enumerate() {
                *o = -self.binv[i * m + k];
            }
        }
    }

    /// Pivots variable `q` into basis position `r`, given its column `alpha_q = B⁻¹ a_q`.
    fn pivot(&mut self, r: usize, q: usize, alpha_q: &[f64]) {
        let m = self.m;
        let piv = alpha_q[r];
        let theta_p = self.x_b[r] / piv;
        for (i, x) in self.x_b.iter_mut().enumerate() {
            if i != r {
                *x -= theta_p * alpha_q[i];
            }
        }
        self.x_b[r] = theta_p;
        let (before, rest) = self.binv.split_at_mut(r * m);
        let (row_r, after) = rest.split_at_mut(m);
        row_r.iter_mut().for_each(|b| *b /= piv);
        let row_r: &[f64] = row_r;
        let nonzero: Vec<(usize, f64)> = row_r
            .iter()
            .enumerate()
            .filter(|(_, b)| **b != 0.0)
            .map(|(k, &b)| (k, b))
            .collect();
        let norm_r: f64 = nonzero.iter().map(|(_, p)| p * p).sum();
        // A dense pivot row is swept whole (contiguous, so the compiler vectorises it), a sparse one through
        // its nonzeros; both give the same row, up to the order of the sums.
        let dense = nonzero.len() * DENSE_SWEEP > m;
        for (i, &a) in alpha_q.iter().enumerate() {
            if i == r || a == 0.0 {
                continue;
            }
            let row = if i < r {
                &mut before[i * m..(i + 1) * m]
            } else {
                &mut after[(i - r - 1) * m..(i - r) * m]
            };
            // |row_i - a·row_r|² = |row_i|² - 2a·(row_i·row_r) + a²·|row_r|².
            let dot = if dense {
                eliminate_dense(row, row_r, a)
            } else {
                eliminate_sparse(row, &nonzero, a)
            };
            let w = &mut self.weight[i];
            *w = (*w - 2.0 * a * dot + a * a * norm_r).max(MIN_WEIGHT);
        }
        self.weight[r] = norm_r.max(MIN_WEIGHT);
        let leaving = self.basis[r];
        self.pos[leaving] = usize::MAX;
        self.basis[r] = q;
        self.pos[q] = r;
    }
}

/// Sets `row -= a·row_r` over the whole row; returns the dot product of the old `row` with `row_r`. Four
/// partial sums break the dependency chain of one running sum (the pivot was 95 % of shanxi_r10's LP time).
fn eliminate_dense(row: &mut [f64], row_r: &[f64], a: f64) -> f64 {
    let mut dot = [0.0; 4];
    let mut rows = row.chunks_exact_mut(4);
    let mut pivots = row_r.chunks_exact(4);
    for (b4, p4) in (&mut rows).zip(&mut pivots) {
        for ((b, &p), acc) in b4.iter_mut().zip(p4).zip(dot.iter_mut()) {
            *acc += *b * p;
            *b = drop_tiny(*b - a * p);
        }
    }
    for (b, &p) in rows.into_remainder().iter_mut().zip(pivots.remainder()) {
        dot[0] += *b * p;
        *b = drop_tiny(*b - a * p);
    }
    (dot[0] + dot[1]) + (dot[2] + dot[3])
}

/// As [`eliminate_dense`] through the nonzeros `(k, row_r[k])` of a sparse pivot row.
fn eliminate_sparse(row: &mut [f64], nonzero: &[(usize, f64)], a: f64) -> f64 {
    let mut dot = [0.0; 4];
    let mut chunks = nonzero.chunks_exact(4);
    for c4 in &mut chunks {
        for (&(k, p), acc) in c4.iter().zip(dot.iter_mut()) {
            let b = &mut row[k];
            *acc += *b * p;
            *b = drop_tiny(*b - a * p);
        }
    }
    for &(k, p) in chunks.remainder() {
        let b = &mut row[k];
        dot[0] += *b * p;
        *b = drop_tiny(*b - a * p);
    }
    (dot[0] + dot[1]) + (dot[2] + dot[3])
}

/// Zero for entries below [`DROP_TOL`] (keeps the inverse sparse; far below every tolerance that matters).
#[inline]
fn drop_tiny(b: f64) -> f64 {
    if b.abs() < DROP_TOL { 0.0 } else { b }
}

/// Solves the LP relaxation of the set covering problem `inc` (every row must have a column; at most
/// [`MAX_ROWS`] rows), stopping early at `deadline`.
pub(crate) fn solve(inc: &Incidence, deadline: Option<Instant>) -> LpBound {
    let mut simplex = DualSimplex::new(inc);
    simplex.run(deadline);
    simplex.bound()
}

/// A dual simplex run that can stop at a deadline and go on later from where it stopped (so a solver can
/// give the LP a first slice of time, do other work, and come back without losing iterations).
pub(crate) struct DualSimplex {
    s: Simplex,
    /// The covering rows; rows after them are cuts.
    covering_rows: usize,
    max_iter: usize,
    alpha: Vec<f64>,
    touched: Vec<u32>,
    is_touched: Vec<bool>,
    alpha_q: Vec<f64>,
    rho: Vec<f64>,
    optimal: bool,
    /// Numerical trouble, a row no column covers or the iteration cap ended the run for good.
    stuck: bool,
    iterations: usize,
}

impl DualSimplex {
    /// The slack basis of `inc` (at most [`MAX_ROWS`] rows).
    pub(crate) fn new(inc: &Incidence) -> Self {
        let (m, n) = (inc.n_rows(), inc.n_cols());
        debug_assert!(m <= MAX_ROWS);
        let mut rng = SplitMix64::new(0x5EED);
        let mut cost: Vec<f64> = (0..n)
            .map(|_| 1.0 + PERTURBATION * (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
            .collect();
        cost.extend(std::iter::repeat_n(0.0, m));
        let mut binv = vec![0.0; m * m];
        for k in 0..m {
            binv[k * m + k] = -1.0;
        }
        let s = Simplex {
            rows: Rows::of(inc),
            m,
            n,
            d: cost.clone(),
            cost,
            binv,
            basis: (n..n + m).collect(),
            pos: (0..n).map(|_| usize::MAX).chain(0..m).collect(),
            x_b: vec![-1.0; m],
            weight: vec![1.0; m],
        };
        DualSimplex {
            s,
            covering_rows: m,
            max_iter: 50 * (m + n) + 1000,
            alpha: vec![0.0; n],
            touched: Vec::new(),
            is_touched: vec![false; n],
            alpha_q: vec![0.0; m],
            rho: vec![0.0; m],
            optimal: false,
            stuck: false,
            iterations: 0,
        }
    }

    /// Whether the run reached an LP optimum.
    pub(crate) fn is_optimal(&self) -> bool {
        self.optimal
    }

    /// Iterates until the optimum, the deadline or the end of the run; returns whether it is optimal.
    pub(crate) fn run(&mut self, deadline: Option<Instant>) -> bool {
        self.run_until(deadline, usize::MAX)
    }

    /// As [`DualSimplex::run`], but also stops after `more` iterations (a machine-independent slice).
    pub(crate) fn run_until(&mut self, deadline: Option<Instant>, more: usize) -> bool {
        if self.optimal || self.stuck {
            return self.optimal;
        }
        let stop_at = self.iterations.saturating_add(more);
        let (m, n) = (self.s.m, self.s.n);
        let s = &mut self.s;
        let max_iter = self.max_iter;
        let mut alpha = std::mem::take(&mut self.alpha);
        let mut touched = std::mem::take(&mut self.touched);
        let mut is_touched = std::mem::take(&mut self.is_touched);
        let mut alpha_q = std::mem::take(&mut self.alpha_q);
        let mut rho = std::mem::take(&mut self.rho);
        let mut iterations = self.iterations;
        let mut optimal = false;
        let mut stuck = false;
        while iterations < max_iter && iterations < stop_at {
            if iterations % REFRESH == 0 {
                s.refresh();
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    break;
                }
            }
            // Leaving row by dual steepest edge: the largest infeasibility² / weight.
            let r = (0..m).filter(|&i| s.x_b[i] < -PRIMAL_TOL).max_by(|&a, &b| {
                let score = |i: usize| s.x_b[i] * s.x_b[i] / s.weight[i];
                score(a).total_cmp(&score(b)).then(b.cmp(&a))
            });
            let Some(r) = r else {
                optimal = true;
                break;
            };
            iterations += 1;
            // Pivot row: alpha_j = rho · a_j for structural j, -rho_k for the surplus of row k.
            for &j in &touched {
                alpha[j as usize] = 0.0;
                is_touched[j as usize] = false;
            }
            touched.clear();
            rho.copy_from_slice(&s.binv[r * m..(r + 1) * m]);
            let rho = &rho;
            for (i, &ri) in rho.iter().enumerate() {
                if ri == 0.0 {
                    continue;
                }
                for &(j, a) in &s.rows.by_row[i] {
                    if s.pos[j as usize] == usize::MAX {
                        if !is_touched[j as usize] {
                            is_touched[j as usize] = true;
                            touched.push(j);
                        }
                        alpha[j as usize] += ri * a;
                    }
                }
            }
            // Harris ratio test over candidates with alpha < 0.
            let candidates = || {
                touched
                    .iter()
                    .map(|&j| (j as usize, alpha[j as usize]))
                    .chain(
                        rho.iter()
                            .enumerate()
                            .filter(|&(k, _)| s.pos[n + k] == usize::MAX)
                            .map(|(k, &rk)| (n + k, -rk)),
                    )
                    .filter(|&(_, a)| a < -PIVOT_TOL)
            };
            let theta_max = candidates()
                .map(|(j, a)| (s.d[j].max(0.0) + DUAL_TOL) / -a)
                .fold(f64::INFINITY, f64::min);
            let entering = candidates()
                .filter(|&(j, a)| s.d[j].max(0.0) / -a <= theta_max)
                .max_by(|x, y| (-x.1).total_cmp(&-y.1).then(y.0.cmp(&x.0)));
            let Some((q, a_rq)) = entering else {
                stuck = true;
                break; // no entering column: the row cannot be covered (not reached on valid input)
            };
            let theta_d = s.d[q].max(0.0) / a_rq;
            // Update reduced costs of the nonbasic variables the pivot row touches.
            for &j in &touched {
                s.d[j as usize] -= theta_d * alpha[j as usize];
            }
            for k in 0..m {
                if s.pos[n + k] == usize::MAX && rho[k] != 0.0 {
                    s.d[n + k] += theta_d * rho[k];
                }
            }
            let leaving = s.basis[r];
            s.d[leaving] = -theta_d;
            s.d[q] = 0.0;
            s.ftran(q, &mut alpha_q);
            if alpha_q[r].abs() < PIVOT_TOL {
                // The pivot row and column disagree: numerical trouble; refresh and stop here.
                stuck = true;
                break;
            }
            s.pivot(r, q, &alpha_q);
        }
        if iterations >= max_iter {
            stuck = true;
        }
        self.alpha = alpha;
        self.touched = touched;
        self.is_touched = is_touched;
        self.alpha_q = alpha_q;
        self.rho = rho;
        self.iterations = iterations;
        self.optimal = optimal;
        self.stuck = stuck;
        optimal
    }

    /// The bound of the current duals (valid at any point of the run) and the current primal values.
    pub(crate) fn bound(&mut self) -> LpBound {
        let s = &mut self.s;
        s.refresh();
        let (m, n) = (s.m, s.n);
        let duals: Vec<f64> = (0..m).map(|k| s.d[n + k].max(0.0)).collect();
        let mut primal = vec![0.0; n];
        for (p, &var) in s.basis.iter().enumerate() {
            if var < n {
                primal[var] = s.x_b[p].max(0.0);
            }
        }
        // The duals fit the perturbed costs; scaled down they fit the unit costs exactly.
        let (value, mut duals) = s.rows.valid_bound(duals);
        duals.truncate(self.covering_rows);
        LpBound {
            value,
            duals,
            primal,
            optimal: self.optimal,
            iterations: self.iterations,
        }
    }

    /// Rows (cuts) added so far.
    pub(crate) fn cut_rows(&self) -> usize {
        self.s.m - self.covering_rows
    }

    /// Appends `cuts` (each valid for every cover) as rows with their surplus basic, keeping the basis: the
    /// inverse grows by the rows a_cBᵀ B⁻¹ and -1 on the diagonal, the duals stay feasible, so the next
    /// [`DualSimplex::run`] goes on from the old optimum (the usual warm start after adding rows). At most [`MAX_ROWS`]
    /// rows in all: cuts beyond are left out; returns how many were added.
    pub(crate) fn add_cuts(&mut self, cuts: &[Cut]) -> usize {
        let s = &mut self.s;
        let (m, n) = (s.m, s.n);
        let k = cuts.len().min(MAX_ROWS.saturating_sub(m));
        if k == 0 {
            return 0;
        }
        let m2 = m + k;
        let mut binv = vec![0.0; m2 * m2];
        for i in 0..m {
            binv[i * m2..i * m2 + m].copy_from_slice(&s.binv[i * m..(i + 1) * m]);
        }
        for (t, cut) in cuts[..k].iter().enumerate() {
            let row = &mut binv[(m + t) * m2..(m + t + 1) * m2];
            for &(j, a) in &cut.entries {
                let p = s.pos[j as usize];
                if p != usize::MAX {
                    for (b, &x) in row[..m].iter_mut().zip(&s.binv[p * m..(p + 1) * m]) {
                        *b += a * x;
                    }
                }
            }
            row[m + t] = -1.0;
            s.rows.push(cut);
        }
        s.binv = binv;
        s.m = m2;
        // Surplus variables of the new rows are numbered n + m .. n + m2, after those of the old rows.
        for t in 0..k {
            s.cost.push(0.0);
            s.d.push(0.0);
            s.pos.push(m + t);
            s.basis.push(n + m + t);
        }
        s.x_b.resize(m2, 0.0);
        s.weight.resize(m2, 1.0);
        s.refresh();
        self.alpha_q.resize(m2, 0.0);
        self.rho.resize(m2, 0.0);
        self.max_iter = self.max_iter.saturating_add(50 * k);
        self.optimal = false;
        k
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_cycle_has_half_integral_optimum() {
        // Five points on a cycle, each candidate covering two neighbours: LP 2.5, integer optimum 3.
        let rows: Vec<Vec<u32>> = (0..5u32).map(|i| vec![i, (i + 4) % 5]).collect();
        let inc = Incidence::from_rows(5, &rows);
        let lp = solve(&inc, None);
        assert!(lp.optimal);
        approx::assert_relative_eq!(lp.value, 2.5, epsilon = 1e-5);
        approx::assert_relative_eq!(lp.primal.iter().sum::<f64>(), 2.5, epsilon = 1e-5);
    }

    #[test]
    fn a_run_in_slices_reaches_the_same_optimum() {
        // 60 points, 90 random candidates covering 2 to 6 points each (seeded), every point coverable.
        let mut rng = SplitMix64::new(17);
        let mut rows: Vec<Vec<u32>> = (0..60u32).map(|i| vec![i]).collect();
        for j in 0..90u32 {
            for _ in 0..2 + rng.below(5) {
                let i = rng.below(60);
                if !rows[i].contains(&j) {
                    rows[i].push(j);
                }
            }
        }
        let inc = Incidence::from_rows(90, &rows);
        let whole = solve(&inc, None);
        assert!(whole.optimal && whole.iterations > 7);
        let mut sliced = DualSimplex::new(&inc);
        let mut slices = 0;
        while !sliced.run_until(None, 7) {
            slices += 1;
            assert!(slices < 10_000, "the sliced run does not end");
            // Every intermediate bound is valid: at most the LP optimum.
            assert!(sliced.bound().value <= whole.value + 1e-6);
        }
        assert!(slices >= 1);
        approx::assert_relative_eq!(sliced.bound().value, whole.value, epsilon = 1e-6);
    }

    #[test]
    fn dense_and_sparse_sweeps_match_the_plain_update() {
        // Rows of 0 to 13 entries (the remainders of both chunked loops), a pivot row with zeros in it.
        let mut rng = SplitMix64::new(3);
        let mut value = || (rng.below(2001) as f64 - 1000.0) / 250.0;
        for len in 0..14 {
            let row: Vec<f64> = (0..len).map(|_| value()).collect();
            let row_r: Vec<f64> = (0..len)
                .map(|k| if k % 3 == 1 { 0.0 } else { value() })
                .collect();
            let a = value();
            let plain: Vec<f64> = row
                .iter()
                .zip(&row_r)
                .map(|(b, p)| drop_tiny(b - a * p))
                .collect();
            let plain_dot: f64 = row.iter().zip(&row_r).map(|(b, p)| b * p).sum();
            let nonzero: Vec<(usize, f64)> = row_r
                .iter()
                .copied()
                .enumerate()
                .filter(|&(_, p)| p != 0.0)
                .collect();
            let (mut dense, mut sparse) = (row.clone(), row.clone());
            let dense_dot = eliminate_dense(&mut dense, &row_r, a);
            let sparse_dot = eliminate_sparse(&mut sparse, &nonzero, a);
            assert_eq!(dense, plain, "row of {len}");
            assert_eq!(sparse, plain, "row of {len}");
            approx::assert_relative_eq!(dense_dot, plain_dot, epsilon = 1e-9);
            approx::assert_relative_eq!(sparse_dot, plain_dot, epsilon = 1e-9);
        }
    }

    #[test]
    fn point_with_one_candidate_needs_it() {
        let inc = Incidence::from_rows(2, &[vec![0], vec![0, 1], vec![1]]);
        let lp = solve(&inc, None);
        assert!(lp.optimal);
        approx::assert_relative_eq!(lp.value, 2.0, epsilon = 1e-5);
    }
}
