//! The LP relaxation of a large set-covering component and its cutting-plane rounds, solved by an
//! interior-point method (the pure-Rust conic solver `clarabel`, sparse LDLᵀ of the KKT system).
//!
//! LP: min Σ x_j subject to Σ_j a_ij x_j >= b_i for every covering row (a_ij = 1, b_i = 1) and every cut
//! appended after them, x >= 0. Written for clarabel as `A x + s = b, s >= 0` with the rows negated and
//! -x_j + s = 0 for the bounds; its dual z >= 0 of the first block is the LP dual y.
//!
//! Why an interior-point method: the dense dual simplex (`lp.rs`) needs about 3,000 iterations on
//! shanxi_r10's 1,587 × 1,696 reduced LP, each a dense update of the 1,587² basis inverse (about 3 s of CPU),
//! and each cut round re-solves from its basis; the constraint matrix is about 0.5 % dense and sparse
//! factorisations of its KKT system take milliseconds, so the whole LP takes some 30 interior-point
//! iterations. An interior point cannot be warm started, so each cut round solves from scratch; it is still
//! far cheaper than the simplex rounds.
//!
//! Validity does not rest on the solver's accuracy or status: the bound returned is the Lagrangian value
//! L(y) = Σ b_i y_i + Σ_j min(0, 1 - Σ_i a_ij y_i) of the final duals clipped to y >= 0 (or of y scaled down
//! to exact dual feasibility, y / max_j Σ_i a_ij y_i, whichever is larger), and every L(y) is a lower bound
//! on every cover's size because every row holds for every cover (weak duality). A run cut short by the
//! deadline or the solver's iteration cap only gives a weaker bound, never an invalid one. The primal x of
//! an interior point is not a vertex; the triangle cuts are separated from any x (see `cuts.rs`).

use std::time::Instant;

use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettingsBuilder, DefaultSolver, IPSolver, NonnegativeConeT, SolverStatus,
};

use super::cuts::CuttingLp;
use super::incidence::Incidence;
use super::lp::{Cut, LpBound, Rows};

/// Largest component (demand points) the interior-point LP is built for; larger ones are left to the
/// Lagrangian dual (the KKT factor of a covering LP grows like a 2-D mesh's, so 20,000 points stay well
/// under a second of factorisation and some 100 MB).
pub(crate) const MAX_ROWS: usize = 20_000;

/// Interior-point iterations per solve (clarabel's default is 200; covering LPs need 15-40).
const MAX_ITERATIONS: u32 = 200;

/// The interior-point LP of one component, with the cuts added so far.
pub(crate) struct InteriorLp {
    rows: Rows,
    covering_rows: usize,
    /// The bound, duals and primal of the last solve (the zero duals before the first).
    last: LpBound,
    iterations: usize,
}

impl InteriorLp {
    /// The LP of `inc` (every row must have a column), not solved yet.
    pub(crate) fn new(inc: &Incidence) -> Self {
        let rows = Rows::of(inc);
        let last = LpBound {
            value: 0.0,
            duals: vec![0.0; inc.n_rows()],
            primal: vec![0.0; inc.n_cols()],
            optimal: false,
            iterations: 0,
        };
        InteriorLp {
            rows,
            covering_rows: inc.n_rows(),
            last,
            iterations: 0,
        }
    }

    /// Interior-point iterations so far, summed over solves.
    pub(crate) fn iterations(&self) -> usize {
        self.iterations
    }

    /// The constraint matrix for clarabel: rows of -a_ij (covering rows and cuts), then -I for x >= 0.
    fn matrix(&self) -> (CscMatrix<f64>, Vec<f64>) {
        let m = self.rows.rhs.len();
        let n = self.rows.by_col.len();
        let mut colptr = Vec::with_capacity(n + 1);
        let mut rowval = Vec::new();
        let mut nzval = Vec::new();
        colptr.push(0);
        for (j, col) in self.rows.by_col.iter().enumerate() {
            let mut entries: Vec<(u32, f64)> = col.clone();
            entries.sort_unstable_by_key(|e| e.0);
            for (i, a) in entries {
                rowval.push(i as usize);
                nzval.push(-a);
            }
            rowval.push(m + j);
            nzval.push(-1.0);
            colptr.push(rowval.len());
        }
        let mut b: Vec<f64> = self.rows.rhs.iter().map(|r| -r).collect();
        b.extend(std::iter::repeat_n(0.0, n));
        (CscMatrix::new(m + n, n, colptr, rowval, nzval), b)
    }
}

impl CuttingLp for InteriorLp {
    /// Solves the LP (from scratch) with the rows and cuts so far, stopping at `deadline`, and keeps its
    /// bound, duals and primal (unchanged when the deadline has passed or the solver refuses the settings).
    fn run(&mut self, deadline: Option<Instant>) -> bool {
        let m = self.rows.rhs.len();
        let n = self.rows.by_col.len();
        let seconds = deadline.map_or(f64::INFINITY, |d| {
            d.saturating_duration_since(Instant::now()).as_secs_f64()
        });
        if seconds <= 0.0 {
            return self.last.optimal;
        }
        let (a, b) = self.matrix();
        let p = CscMatrix::<f64>::zeros((n, n));
        let q = vec![1.0; n];
        let cones = [NonnegativeConeT(m + n)];
        let Ok(settings) = DefaultSettingsBuilder::default()
            .verbose(false)
            .max_iter(MAX_ITERATIONS)
            .time_limit(seconds)
            .build()
        else {
            return self.last.optimal;
        };
        let Ok(mut solver) = DefaultSolver::new(&p, &q, &a, &b, &cones, settings) else {
            return self.last.optimal;
        };
        solver.solve();
        let solution = &solver.solution;
        self.iterations += solution.iterations as usize;
        let optimal = matches!(
            solution.status,
            SolverStatus::Solved | SolverStatus::AlmostSolved
        );
        let raw: Vec<f64> = solution.z[..m]
            .iter()
            .map(|&y| if y.is_finite() { y.max(0.0) } else { 0.0 })
            .collect();
        let (value, mut duals) = self.rows.valid_bound(raw);
        duals.truncate(self.covering_rows);
        let primal: Vec<f64> = solution
            .x
            .iter()
            .map(|&x| {
                if x.is_finite() {
                    x.clamp(0.0, 1.0)
                } else {
                    0.0
                }
            })
            .collect();
        // The last solve's bound, even when a time limit made it weaker than an earlier one (the cut
        // rounds keep the best; the next separation needs the point of the current LP).
        self.last.value = value;
        self.last.duals = duals;
        self.last.primal = primal;
        self.last.optimal = optimal;
        self.last.iterations = self.iterations;
        optimal
    }

    fn bound(&mut self) -> LpBound {
        self.last.clone()
    }

    /// Appends every cut as a row (no cap: the LP stays sparse); the next [`CuttingLp::run`] solves with them.
    fn add_cuts(&mut self, cuts: &[Cut]) -> usize {
        for cut in cuts {
            self.rows.push(cut);
        }
        self.last.optimal = false;
        cuts.len()
    }

    fn cut_rows(&self) -> usize {
        self.rows.rhs.len() - self.covering_rows
    }

    /// Whether the last solve reached the LP optimum (to clarabel's tolerances, full or reduced accuracy).
    fn is_optimal(&self) -> bool {
        self.last.optimal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solver::cuts::tests::random_instance;
    use crate::solver::cuts::{CUTS_PER_ROUND, MAX_ROUNDS, separate_triangles};
    use crate::solver::lp;
    use crate::solver::rng::SplitMix64;
    use std::collections::HashSet;

    /// The smallest cover by trying every subset of the columns (at most 12).
    fn brute_force_optimum(inc: &Incidence) -> usize {
        let n = inc.n_cols();
        assert!(n <= 12);
        (0u32..1 << n)
            .filter(|mask| {
                (0..inc.n_rows()).all(|i| inc.cols(i).iter().any(|&q| mask >> q & 1 == 1))
            })
            .map(|mask| mask.count_ones() as usize)
            .min()
            .expect("the full set is a cover")
    }

    #[test]
    fn odd_cycle_gives_its_half_integral_value() {
        // Five points on a cycle, each candidate covering two neighbours: LP 2.5 (all x = 1/2).
        let rows: Vec<Vec<u32>> = (0..5u32).map(|i| vec![i, (i + 4) % 5]).collect();
        let inc = Incidence::from_rows(5, &rows);
        let mut ipm = InteriorLp::new(&inc);
        assert!(ipm.run(None));
        let lp = ipm.bound();
        approx::assert_relative_eq!(lp.value, 2.5, epsilon = 1e-6);
        for x in &lp.primal {
            approx::assert_relative_eq!(*x, 0.5, epsilon = 1e-5);
        }
    }

    #[test]
    fn bound_equals_the_simplex_lp_and_never_exceeds_the_optimum() {
        // 200 random small instances: the interior-point bound (scaled duals) is at most the brute-force
        // optimum and equals the dual simplex's LP value (an independent method) within 1e-6; the same
        // holds after each round of triangle cuts, added to both LPs.
        let mut rng = SplitMix64::new(33);
        let mut with_cuts = 0;
        for case in 0..200 {
            let inc = random_instance(&mut rng);
            let optimum = brute_force_optimum(&inc) as f64;
            let mut ipm = InteriorLp::new(&inc);
            assert!(ipm.run(None), "case {case}: the interior-point LP solves");
            let mut simplex = lp::DualSimplex::new(&inc);
            assert!(simplex.run(None), "case {case}: the simplex LP solves");
            let value = ipm.bound().value;
            assert!(value <= optimum + 1e-9, "case {case}: {value} > {optimum}");
            approx::assert_relative_eq!(value, simplex.bound().value, epsilon = 1e-6);
            let mut seen = HashSet::new();
            for _ in 0..MAX_ROUNDS {
                let cuts = separate_triangles(
                    &inc,
                    &simplex.bound().primal,
                    &mut seen,
                    CUTS_PER_ROUND,
                    None,
                );
                if cuts.is_empty() {
                    break;
                }
                with_cuts += 1;
                simplex.add_cuts(&cuts);
                ipm.add_cuts(&cuts);
                assert!(
                    simplex.run(None) && ipm.run(None),
                    "case {case}: the cut LPs solve"
                );
                let value = ipm.bound().value;
                assert!(
                    value <= optimum + 1e-9,
                    "case {case}: cut LP {value} > {optimum}"
                );
                approx::assert_relative_eq!(value, simplex.bound().value, epsilon = 1e-6);
            }
        }
        assert!(
            with_cuts >= 10,
            "only {with_cuts} cut rounds in 200 instances"
        );
    }

    #[test]
    fn a_deadline_in_the_past_leaves_the_trivial_bound() {
        let inc = Incidence::from_rows(3, &[vec![0, 2], vec![0, 1], vec![1, 2]]);
        let mut ipm = InteriorLp::new(&inc);
        assert!(!ipm.run(Some(Instant::now())));
        assert_eq!(ipm.bound().value, 0.0);
        assert_eq!(ipm.iterations(), 0);
    }
}
