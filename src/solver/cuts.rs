//! Triangle {0,1/2}-Chvátal–Gomory cuts for set covering, separated from an LP optimum, and the cutting-plane
//! rounds that add them to an LP ([`CuttingLp`]: the dual simplex, which re-solves from its old basis, or the
//! interior-point LP, which re-solves from scratch) and re-solve.
//!
//! For three covering rows i, j, k the sum of the rows is Σ_q c_q x_q >= 3, where c_q is how many of the three
//! column q covers; half of it with the coefficients rounded up, Σ_q ⌈c_q/2⌉ x_q >= 3/2, stays valid for
//! x >= 0, and its left side is an integer for a 0/1 cover, so Σ_q ⌈c_q/2⌉ x_q >= 2 holds for every cover
//! (a Chvátal–Gomory cut with multipliers ½: Chvátal 1973; Caprara and Fischetti 1996, "{0,1/2}-Chvátal–Gomory
//! cuts"). ⌈1/2⌉ = ⌈2/2⌉ = 1 and ⌈3/2⌉ = 2. It can only be violated when the three rows pairwise share a
//! column (two rows without a common column need two sites by themselves), so the separation lists the
//! triangles of the graph "rows that share a column": O(Σ_i deg(i)²) candidate triangles, each priced over
//! the LP support of its three rows. The most violated cuts (at most [`CUTS_PER_ROUND`] a round) are added;
//! rounds go on until none is violated, the deadline or [`MAX_ROUNDS`].
//!
//! Validity does not rest on the LP: the bound is the Lagrangian value of the final duals over the covering
//! rows and the cuts (see `lp.rs`), valid for any duals because every cut holds for every cover.

use std::collections::HashSet;
use std::time::Instant;

use super::incidence::Incidence;
use super::lp::{Cut, DualSimplex, LpBound};

/// Most cuts added in one round.
pub(crate) const CUTS_PER_ROUND: usize = 400;

/// Most cutting-plane rounds.
pub(crate) const MAX_ROUNDS: usize = 12;

/// Smallest violation (of a right side of 2) for a cut to be added.
const MIN_VIOLATION: f64 = 1e-4;

/// LP values at most this are treated as zero in the separation.
const SUPPORT_TOL: f64 = 1e-9;

/// Rows of each row's neighbours with a larger index: the rows sharing a column with it, ascending.
fn later_neighbours(inc: &Incidence) -> Vec<Vec<u32>> {
    (0..inc.n_rows())
        .map(|i| {
            let mut nb: Vec<u32> = inc
                .cols(i)
                .iter()
                .flat_map(|&q| inc.rows(q as usize).iter().copied())
                .filter(|&k| k as usize > i)
                .collect();
            nb.sort_unstable();
            nb.dedup();
            nb
        })
        .collect()
}

/// The cut of rows `tri` as a row: coefficient 2 on columns covering all three, 1 on the others.
fn triangle_cut(inc: &Incidence, tri: [u32; 3], count: &mut [u8]) -> Cut {
    let mut cols: Vec<u32> = Vec::new();
    for &i in &tri {
        for &q in inc.cols(i as usize) {
            if count[q as usize] == 0 {
                cols.push(q);
            }
            count[q as usize] += 1;
        }
    }
    cols.sort_unstable();
    let entries = cols
        .iter()
        .map(|&q| {
            let c = std::mem::take(&mut count[q as usize]);
            (q, if c == 3 { 2.0 } else { 1.0 })
        })
        .collect();
    Cut { entries, rhs: 2.0 }
}

/// The violated triangle cuts of the LP solution `x` (one value per column), most violated first, at most
/// `max_cuts`, leaving out the triangles in `seen` (and adding the chosen ones to it). The enumeration
/// stops at `deadline` with the cuts found so far (each still valid): on a dense instance (a 2 km
/// lattice under 10 km discs) the triangles number in the hundreds of millions.
pub(crate) fn separate_triangles(
    inc: &Incidence,
    x: &[f64],
    seen: &mut HashSet<[u32; 3]>,
    max_cuts: usize,
    deadline: Option<Instant>,
) -> Vec<Cut> {
    let support: Vec<Vec<u32>> = (0..inc.n_rows())
        .map(|i| {
            inc.cols(i)
                .iter()
                .copied()
                .filter(|&q| x[q as usize] > SUPPORT_TOL)
                .collect()
        })
        .collect();
    let nb = later_neighbours(inc);
    let mut count = vec![0u8; inc.n_cols()];
    let mut found: Vec<(f64, [u32; 3])> = Vec::new();
    let mut common: Vec<u32> = Vec::new();
    for i in 0..inc.n_rows() {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        for &j in &nb[i] {
            // k > j among the later neighbours of both i and j (merge of two ascending lists).
            common.clear();
            let (a, b) = (&nb[i], &nb[j as usize]);
            let (mut p, mut q) = (0, 0);
            while p < a.len() && q < b.len() {
                match a[p].cmp(&b[q]) {
                    std::cmp::Ordering::Less => p += 1,
                    std::cmp::Ordering::Greater => q += 1,
                    std::cmp::Ordering::Equal => {
                        if a[p] > j {
                            common.push(a[p]);
                        }
                        p += 1;
                        q += 1;
                    }
                }
            }
            for &k in &common {
                let tri = [i as u32, j, k];
                let mut lhs = 0.0;
                let mut touched: Vec<u32> = Vec::new();
                for &r in &tri {
                    for &q in &support[r as usize] {
                        if count[q as usize] == 0 {
                            touched.push(q);
                        }
                        count[q as usize] += 1;
                    }
                }
                for &q in &touched {
                    let c = std::mem::take(&mut count[q as usize]);
                    lhs += x[q as usize] * if c == 3 { 2.0 } else { 1.0 };
                }
                if lhs < 2.0 - MIN_VIOLATION && !seen.contains(&tri) {
                    found.push((2.0 - lhs, tri));
                }
            }
        }
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    found.truncate(max_cuts);
    found
        .into_iter()
        .map(|(_, tri)| {
            seen.insert(tri);
            triangle_cut(inc, tri, &mut count)
        })
        .collect()
}

/// An LP relaxation that cut rows can be added to and that can be re-solved.
pub(crate) trait CuttingLp {
    /// Solves (or goes on solving) until the optimum or `deadline`; returns whether it is optimal.
    fn run(&mut self, deadline: Option<Instant>) -> bool;
    /// The current valid bound (the Lagrangian value of the current duals), duals and primal.
    fn bound(&mut self) -> LpBound;
    /// Appends cuts valid for every cover; returns how many were added.
    fn add_cuts(&mut self, cuts: &[Cut]) -> usize;
    /// Cut rows in the LP.
    fn cut_rows(&self) -> usize;
    /// Whether the last run reached the optimum.
    fn is_optimal(&self) -> bool;
}

impl CuttingLp for DualSimplex {
    fn run(&mut self, deadline: Option<Instant>) -> bool {
        DualSimplex::run(self, deadline)
    }
    fn bound(&mut self) -> LpBound {
        DualSimplex::bound(self)
    }
    fn add_cuts(&mut self, cuts: &[Cut]) -> usize {
        DualSimplex::add_cuts(self, cuts)
    }
    fn cut_rows(&self) -> usize {
        DualSimplex::cut_rows(self)
    }
    fn is_optimal(&self) -> bool {
        DualSimplex::is_optimal(self)
    }
}

/// What the cutting-plane rounds did.
#[derive(Debug, Clone)]
pub(crate) struct CutRounds {
    /// The best bound seen (valid: the Lagrangian value of some duals over rows and cuts).
    pub bound: LpBound,
    /// Rounds run.
    pub rounds: usize,
    /// Cuts in the LP at the end.
    pub cuts: usize,
}

/// Runs cutting-plane rounds on the LP `simplex` of `inc` (at its optimum) until no triangle cut is
/// violated, the bound reaches `stop_at`, the deadline or [`MAX_ROUNDS`].
pub(crate) fn tighten(
    simplex: &mut impl CuttingLp,
    inc: &Incidence,
    stop_at: f64,
    deadline: Option<Instant>,
) -> CutRounds {
    let mut best = simplex.bound();
    let mut current = best.clone();
    let mut seen = HashSet::new();
    let mut rounds = 0;
    while rounds < MAX_ROUNDS
        && current.optimal
        && best.value < stop_at
        && !deadline.is_some_and(|d| Instant::now() >= d)
    {
        let cuts = separate_triangles(inc, &current.primal, &mut seen, CUTS_PER_ROUND, deadline);
        if cuts.is_empty() || simplex.add_cuts(&cuts) == 0 {
            break;
        }
        rounds += 1;
        simplex.run(deadline);
        current = simplex.bound();
        if current.value > best.value {
            best = current.clone();
        }
    }
    CutRounds {
        bound: best,
        rounds,
        cuts: simplex.cut_rows(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::solver::rng::SplitMix64;

    /// Every cover of `inc` (all subsets of at most 12 columns), as 0/1 vectors.
    fn all_covers(inc: &Incidence) -> Vec<Vec<bool>> {
        let n = inc.n_cols();
        assert!(n <= 12);
        (0u32..1 << n)
            .map(|mask| (0..n).map(|j| mask >> j & 1 == 1).collect::<Vec<bool>>())
            .filter(|x| (0..inc.n_rows()).all(|i| inc.cols(i).iter().any(|&q| x[q as usize])))
            .collect()
    }

    /// A random small covering instance (4-9 rows, 4-10 columns covering 1-4 rows each, every row covered);
    /// also used by the interior-point tests.
    pub(crate) fn random_instance(rng: &mut SplitMix64) -> Incidence {
        let m = 4 + rng.below(6);
        let n = 4 + rng.below(7);
        let mut rows: Vec<Vec<u32>> = vec![Vec::new(); m];
        for j in 0..n as u32 {
            for _ in 0..1 + rng.below(4) {
                let i = rng.below(m);
                if !rows[i].contains(&j) {
                    rows[i].push(j);
                }
            }
        }
        for row in rows.iter_mut().filter(|r| r.is_empty()) {
            row.push(rng.below(n) as u32);
        }
        Incidence::from_rows(n, &rows)
    }

    #[test]
    fn a_triangle_of_pairs_is_closed_to_its_optimum() {
        // Three points, three sites each covering two of them: LP 1.5, one cut x0 + x1 + x2 >= 2 gives 2;
        // the same with either LP method.
        let inc = Incidence::from_rows(3, &[vec![0, 2], vec![0, 1], vec![1, 2]]);
        fn closed(lp: &mut impl CuttingLp, inc: &Incidence) {
            assert!(lp.run(None));
            approx::assert_relative_eq!(lp.bound().value, 1.5, epsilon = 1e-6);
            let rounds = tighten(lp, inc, f64::INFINITY, None);
            assert_eq!((rounds.rounds, rounds.cuts), (1, 1));
            approx::assert_relative_eq!(rounds.bound.value, 2.0, epsilon = 1e-6);
        }
        closed(&mut DualSimplex::new(&inc), &inc);
        closed(&mut crate::solver::ipm::InteriorLp::new(&inc), &inc);
    }

    #[test]
    fn cuts_hold_for_every_cover_and_the_bound_never_exceeds_the_optimum() {
        // 200 random small instances, every cover enumerated: each cut of every round is satisfied by every
        // cover, and the LP with the cuts stays at most the optimum (and sometimes above the plain LP).
        let mut rng = SplitMix64::new(21);
        let mut lifted = 0;
        for case in 0..200 {
            let inc = random_instance(&mut rng);
            let covers = all_covers(&inc);
            let optimum = covers
                .iter()
                .map(|x| x.iter().filter(|&&b| b).count())
                .min()
                .expect("the full set is a cover") as f64;
            let mut simplex = DualSimplex::new(&inc);
            assert!(simplex.run(None), "case {case}: the LP solves");
            let plain = simplex.bound().value;
            assert!(
                plain <= optimum + 1e-6,
                "case {case}: LP {plain} > optimum {optimum}"
            );
            let mut seen = HashSet::new();
            let mut value = plain;
            for _ in 0..MAX_ROUNDS {
                let x = simplex.bound().primal;
                let cuts = separate_triangles(&inc, &x, &mut seen, CUTS_PER_ROUND, None);
                if cuts.is_empty() {
                    break;
                }
                for cut in &cuts {
                    // Violated by the LP point it was separated from ...
                    let at_x: f64 = cut.entries.iter().map(|&(q, a)| a * x[q as usize]).sum();
                    assert!(at_x < cut.rhs - MIN_VIOLATION / 2.0, "case {case}: {cut:?}");
                    // ... and satisfied by every cover.
                    for cover in &covers {
                        let lhs: f64 = cut
                            .entries
                            .iter()
                            .filter(|e| cover[e.0 as usize])
                            .map(|e| e.1)
                            .sum();
                        assert!(
                            lhs >= cut.rhs,
                            "case {case}: {cut:?} cuts off the cover {cover:?}"
                        );
                    }
                }
                assert_eq!(simplex.add_cuts(&cuts), cuts.len());
                assert!(simplex.run(None), "case {case}: the cut LP solves");
                value = simplex.bound().value;
                assert!(
                    value <= optimum + 1e-6,
                    "case {case}: cut LP {value} > optimum {optimum}"
                );
                assert!(value >= plain - 1e-6, "case {case}: cuts lowered the LP");
            }
            if value > plain + 1e-6 {
                lifted += 1;
            }
        }
        assert!(
            lifted >= 10,
            "cuts lifted the LP on only {lifted} of 200 instances"
        );
    }
}
