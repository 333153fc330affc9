//! Local search that improves a primal solution: redundant-site removal and swaps.
//!
//! Set covering ([`CoverState`]): a site is redundant when every point it covers is covered twice; a
//! "2-for-1" move takes a site out, puts in one candidate that covers everything left uncovered, and then drops
//! a site made redundant, saving one site. Larger moves live in [`lns`](super::lns).
//!
//! Maximal covering ([`swap_improve`]): best-improvement 1-1 interchange (Teitz and Bart). For every outside
//! candidate the gain of swapping it with every site is found in O(its list length) from, per point, the count of
//! covering sites and the sum of their indices (which names the site when the count is 1). A pass costs
//! O(pairs); passes repeat while the covered weight grows. [`perturb_max_cover`] (iterated local search, seeded)
//! drops a few sites, refills them greedily and swaps again, so the search can leave local optima.

use super::incidence::Incidence;
use super::rng::SplitMix64;

/// A set of chosen columns with, per row, how many chosen columns cover it.
#[derive(Debug, Clone)]
pub(crate) struct CoverState<'a> {
    inc: &'a Incidence,
    chosen: Vec<bool>,
    count: Vec<u32>,
    /// Sum of the indices of the chosen columns covering each row (names the coverer when count is 1).
    index_sum: Vec<u64>,
    size: usize,
    uncovered: usize,
}

impl<'a> CoverState<'a> {
    /// An empty choice.
    pub(crate) fn new(inc: &'a Incidence) -> Self {
        CoverState {
            inc,
            chosen: vec![false; inc.n_cols()],
            count: vec![0; inc.n_rows()],
            index_sum: vec![0; inc.n_rows()],
            size: 0,
            uncovered: inc.n_rows(),
        }
    }

    /// A state holding `cols`.
    pub(crate) fn with(inc: &'a Incidence, cols: &[u32]) -> Self {
        let mut state = Self::new(inc);
        for &j in cols {
            state.add(j as usize);
        }
        state
    }

    pub(crate) fn add(&mut self, j: usize) {
        if self.chosen[j] {
            return;
        }
        self.chosen[j] = true;
        self.size += 1;
        for &i in self.inc.rows(j) {
            let i = i as usize;
            if self.count[i] == 0 {
                self.uncovered -= 1;
            }
            self.count[i] += 1;
            self.index_sum[i] += j as u64;
        }
    }

    pub(crate) fn remove(&mut self, j: usize) {
        if !self.chosen[j] {
            return;
        }
        self.chosen[j] = false;
        self.size -= 1;
        for &i in self.inc.rows(j) {
            let i = i as usize;
            self.count[i] -= 1;
            self.index_sum[i] -= j as u64;
            if self.count[i] == 0 {
                self.uncovered += 1;
            }
        }
    }

    pub(crate) fn is_chosen(&self, j: usize) -> bool {
        self.chosen[j]
    }

    pub(crate) fn count(&self, i: usize) -> u32 {
        self.count[i]
    }

    pub(crate) fn size(&self) -> usize {
        self.size
    }

    pub(crate) fn is_cover(&self) -> bool {
        self.uncovered == 0
    }

    /// The chosen columns, ascending.
    pub(crate) fn cols(&self) -> Vec<u32> {
        (0..self.chosen.len())
            .filter(|&j| self.chosen[j])
            .map(|j| j as u32)
            .collect()
    }

    fn is_redundant(&self, j: usize) -> bool {
        self.inc
            .rows(j)
            .iter()
            .all(|&i| self.count[i as usize] >= 2)
    }

    /// Removes redundant columns, most expensive first by `key` (larger key leaves first; ties to the higher
    /// index). Returns how many were removed.
    pub(crate) fn remove_redundant(&mut self, key: &[f64]) -> usize {
        let mut order = self.cols();
        order.sort_by(|&a, &b| key[b as usize].total_cmp(&key[a as usize]).then(b.cmp(&a)));
        let mut removed = 0;
        for j in order {
            if self.is_redundant(j as usize) {
                self.remove(j as usize);
                removed += 1;
            }
        }
        removed
    }

    /// Applies 2-for-1 moves until none is left. Returns how many sites were saved.
    pub(crate) fn two_for_one(&mut self) -> usize {
        let mut saved = 0;
        let mut stamp = vec![u32::MAX; self.inc.n_rows()];
        let mut epoch = 0u32;
        loop {
            let mut improved = false;
            for j in self.cols() {
                let j = j as usize;
                if !self.chosen[j] {
                    continue;
                }
                if self.try_two_for_one(j, &mut stamp, &mut epoch) {
                    saved += 1;
                    improved = true;
                }
            }
            if !improved {
                return saved;
            }
        }
    }

    /// Tries to replace `j` and one other site by a single candidate.
    fn try_two_for_one(&mut self, j: usize, stamp: &mut [u32], epoch: &mut u32) -> bool {
        self.remove(j);
        let lost: Vec<u32> = self
            .inc
            .rows(j)
            .iter()
            .copied()
            .filter(|&i| self.count[i as usize] == 0)
            .collect();
        let Some(&first) = lost.first() else {
            return true; // j was redundant
        };
        let mut candidates = Vec::new();
        for &c in self.inc.cols(first as usize) {
            let c = c as usize;
            if c == j || self.chosen[c] {
                continue;
            }
            *epoch = epoch.wrapping_add(1);
            for &i in self.inc.rows(c) {
                stamp[i as usize] = *epoch;
            }
            if lost.iter().all(|&i| stamp[i as usize] == *epoch) {
                candidates.push(c);
            }
        }
        for c in candidates {
            self.add(c);
            // Only a site overlapping c can have become redundant.
            let mut partner = None;
            'rows: for &i in self.inc.rows(c) {
                for &k in self.inc.cols(i as usize) {
                    let k = k as usize;
                    if k != c && self.chosen[k] && self.is_redundant(k) {
                        partner = Some(k);
                        break 'rows;
                    }
                }
            }
            if let Some(k) = partner {
                self.remove(k);
                return true;
            }
            self.remove(c);
        }
        self.add(j);
        false
    }
}

/// Lagrangian-guided greedy completion (Caprara, Fischetti and Toth): while rows are uncovered, adds the free
/// column minimising γ/μ (γ > 0) or γ·μ (γ <= 0), where μ counts the uncovered rows it covers and
/// γ = cost - Σ u over them. `allowed[j]` says which columns may be added. Scores only grow as rows get covered,
/// so a lazy min-heap suffices.
pub(crate) fn guided_complete(state: &mut CoverState, u: &[f64], allowed: &dyn Fn(usize) -> bool) {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    #[derive(PartialEq)]
    struct Key(f64, u32);
    impl Eq for Key {}
    impl PartialOrd for Key {
        fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Key {
        fn cmp(&self, other: &Self) -> std::cmp::Ordering {
            self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
        }
    }

    let inc = state.inc;
    let score = |j: usize, state: &CoverState| -> Option<f64> {
        let mut mu = 0.0;
        let mut gamma = 1.0;
        for &i in inc.rows(j) {
            if state.count[i as usize] == 0 {
                mu += 1.0;
                gamma -= u[i as usize];
            }
        }
        if mu == 0.0 {
            None
        } else if gamma > 0.0 {
            Some(gamma / mu)
        } else {
            Some(gamma * mu)
        }
    };
    let mut heap: BinaryHeap<Reverse<Key>> = BinaryHeap::new();
    let mut seen = vec![false; inc.n_cols()];
    for i in 0..inc.n_rows() {
        if state.count[i] == 0 {
            for &j in inc.cols(i) {
                let ju = j as usize;
                if !seen[ju] && !state.chosen[ju] && allowed(ju) {
                    seen[ju] = true;
                    if let Some(s) = score(ju, state) {
                        heap.push(Reverse(Key(s, j)));
                    }
                }
            }
        }
    }
    while state.uncovered > 0 {
        let Some(Reverse(Key(stored, j))) = heap.pop() else {
            return;
        };
        let Some(fresh) = score(j as usize, state) else {
            continue;
        };
        if fresh > stored {
            heap.push(Reverse(Key(fresh, j)));
            continue;
        }
        state.add(j as usize);
    }
}

/// Best-improvement 1-1 swaps for maximal covering, in place. `sites` keeps its length. Returns the covered
/// weight.
pub(crate) fn swap_improve(inc: &Incidence, weight: &[f64], sites: &mut [u32]) -> f64 {
    let n_rows = inc.n_rows();
    let n_cols = inc.n_cols();
    let mut count = vec![0u32; n_rows];
    let mut index_sum = vec![0u64; n_rows];
    let mut chosen = vec![false; n_cols];
    for &j in sites.iter() {
        chosen[j as usize] = true;
        for &i in inc.rows(j as usize) {
            count[i as usize] += 1;
            index_sum[i as usize] += j as u64;
        }
    }
    let total = |count: &[u32]| -> f64 {
        (0..n_rows)
            .filter(|&i| count[i] > 0)
            .map(|i| weight[i])
            .sum()
    };
    let tol = 1e-9 * weight.iter().sum::<f64>().max(1.0);
    let mut loss = vec![0.0; n_cols];
    let mut extra = vec![0.0; n_cols];
    let mut touched: Vec<usize> = Vec::new();
    loop {
        // loss[j]: weight only j covers.
        for &j in sites.iter() {
            loss[j as usize] = inc
                .rows(j as usize)
                .iter()
                .filter(|&&i| count[i as usize] == 1)
                .map(|&i| weight[i as usize])
                .sum();
        }
        let (min_loss_site, min_loss) = sites
            .iter()
            .map(|&j| (j as usize, loss[j as usize]))
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
            .unwrap_or((0, 0.0));
        let mut best: Option<(f64, usize, usize)> = None; // (delta, out, in)
        for (c, &is_chosen) in chosen.iter().enumerate() {
            if is_chosen {
                continue;
            }
            let mut gain = 0.0;
            for &i in inc.rows(c) {
                let i = i as usize;
                match count[i] {
                    0 => gain += weight[i],
                    1 => {
                        let owner = index_sum[i] as usize;
                        if extra[owner] == 0.0 {
                            touched.push(owner);
                        }
                        extra[owner] += weight[i];
                    }
                    _ => {}
                }
            }
            if gain <= 0.0 && touched.is_empty() {
                continue;
            }
            let mut out = (gain - min_loss, min_loss_site);
            for &k in &touched {
                let delta = gain - loss[k] + extra[k];
                if delta > out.0 || (delta == out.0 && k < out.1) {
                    out = (delta, k);
                }
                extra[k] = 0.0;
            }
            touched.clear();
            if out.0 > tol && best.is_none_or(|b| out.0 > b.0) {
                best = Some((out.0, out.1, c));
            }
        }
        let Some((_, out, add)) = best else { break };
        chosen[out] = false;
        chosen[add] = true;
        for &i in inc.rows(out) {
            count[i as usize] -= 1;
            index_sum[i as usize] -= out as u64;
        }
        for &i in inc.rows(add) {
            count[i as usize] += 1;
            index_sum[i as usize] += add as u64;
        }
        if let Some(slot) = sites.iter_mut().find(|s| **s as usize == out) {
            *slot = add as u32;
        }
    }
    total(&count)
}

/// Iterated local search for maximal covering: `rounds` times, drops 1-3 random sites, refills each free slot
/// with one of the two best candidates by marginal weight (chosen at random), and applies [`swap_improve`];
/// the new choice replaces the current one when it covers at least as much. Returns the best choice and its
/// covered weight.
pub(crate) fn perturb_max_cover(
    inc: &Incidence,
    weight: &[f64],
    start: &[u32],
    rounds: usize,
    rng: &mut SplitMix64,
) -> (Vec<u32>, f64) {
    let tol = 1e-9 * weight.iter().sum::<f64>().max(1.0);
    let mut current = start.to_vec();
    let mut current_value = swap_improve(inc, weight, &mut current);
    let mut best = (current.clone(), current_value);
    let mut covered = vec![0u32; inc.n_rows()];
    for _ in 0..rounds {
        if current.is_empty() {
            break;
        }
        let mut sites = current.clone();
        let drop = (1 + rng.below(3)).min(sites.len());
        for _ in 0..drop {
            let k = rng.below(sites.len());
            sites.swap_remove(k);
        }
        covered.iter_mut().for_each(|c| *c = 0);
        for &j in &sites {
            for &i in inc.rows(j as usize) {
                covered[i as usize] += 1;
            }
        }
        for _ in 0..drop {
            // The two best candidates by marginal weight.
            let mut first: Option<(f64, u32)> = None;
            let mut second: Option<(f64, u32)> = None;
            for j in 0..inc.n_cols() as u32 {
                if sites.contains(&j) {
                    continue;
                }
                let gain: f64 = inc
                    .rows(j as usize)
                    .iter()
                    .filter(|&&i| covered[i as usize] == 0)
                    .map(|&i| weight[i as usize])
                    .sum();
                if first.is_none_or(|f| gain > f.0) {
                    second = first;
                    first = Some((gain, j));
                } else if second.is_none_or(|s| gain > s.0) {
                    second = Some((gain, j));
                }
            }
            let pick = match (first, second) {
                (Some(_), Some(s)) if rng.below(2) == 0 => s.1,
                (Some(f), _) => f.1,
                _ => break,
            };
            sites.push(pick);
            for &i in inc.rows(pick as usize) {
                covered[i as usize] += 1;
            }
        }
        let value = swap_improve(inc, weight, &mut sites);
        if value >= current_value - tol {
            current = sites;
            current_value = value;
            if value > best.1 + tol {
                best = (current.clone(), value);
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_for_one_saves_a_site() {
        // Cols 0 and 1 cover rows {0,1} and {2,3}; col 2 covers all four.
        let inc = Incidence::from_rows(3, &[vec![0, 2], vec![0, 2], vec![1, 2], vec![1, 2]]);
        let mut state = CoverState::with(&inc, &[0, 1]);
        assert_eq!(state.two_for_one(), 1);
        assert_eq!(state.cols(), vec![2]);
        assert!(state.is_cover());
    }

    #[test]
    fn swap_finds_better_site() {
        let inc = Incidence::from_rows(3, &[vec![0], vec![1], vec![1], vec![2]]);
        let mut sites = vec![0];
        let value = swap_improve(&inc, &[1.0, 1.0, 1.0, 0.5], &mut sites);
        assert_eq!(sites, vec![1]);
        assert_eq!(value, 2.0);
    }
}
