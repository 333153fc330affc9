//! Greedy baselines: Chvátal's greedy for set covering and the classic greedy for maximal covering.
//!
//! Both pick, one at a time, the candidate with the largest gain (newly covered points, or newly covered
//! weight), ties to the lowest index. Gains only fall as sites are added, so a lazy max-heap re-evaluates a
//! candidate only when it reaches the top: cost about O(pairs · log m). Set-covering greedy is within
//! H(max column size) of the optimum; maximal-covering greedy covers at least (1 - 1/e) of the optimum.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::CoverInstance;
use super::incidence::Incidence;

/// A heap entry: larger gain first, then lower column index.
#[derive(PartialEq)]
struct Entry {
    gain: f64,
    col: u32,
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.gain
            .total_cmp(&other.gain)
            .then_with(|| other.col.cmp(&self.col))
    }
}

/// Lazy greedy on rows with weights, stopping after `limit` columns or when no column gains anything.
fn lazy_greedy(inc: &Incidence, weight: &[f64], limit: usize) -> Vec<u32> {
    let mut covered = vec![false; inc.n_rows()];
    let gain = |j: usize, covered: &[bool]| -> f64 {
        inc.rows(j)
            .iter()
            .filter(|&&i| !covered[i as usize])
            .map(|&i| weight[i as usize])
            .sum()
    };
    let mut heap: BinaryHeap<Entry> = (0..inc.n_cols())
        .map(|j| Entry {
            gain: gain(j, &covered),
            col: j as u32,
        })
        .collect();
    let mut chosen = Vec::new();
    while chosen.len() < limit {
        let Some(top) = heap.pop() else { break };
        let fresh = gain(top.col as usize, &covered);
        if fresh <= 0.0 {
            continue;
        }
        if fresh < top.gain {
            // Stale: put it back with its true gain; if it still wins it is taken next time.
            heap.push(Entry {
                gain: fresh,
                col: top.col,
            });
            continue;
        }
        chosen.push(top.col);
        for &i in inc.rows(top.col as usize) {
            covered[i as usize] = true;
        }
    }
    chosen
}

/// Chvátal's greedy cover: columns in the order picked. Rows with no column stay uncovered.
pub(crate) fn greedy_cover(inc: &Incidence) -> Vec<u32> {
    lazy_greedy(inc, &vec![1.0; inc.n_rows()], usize::MAX)
}

/// Greedy maximal cover with at most `p` columns (fewer if nothing more can be gained).
pub(crate) fn greedy_max_cover(inc: &Incidence, weight: &[f64], p: usize) -> Vec<u32> {
    lazy_greedy(inc, weight, p)
}

/// Chvátal's greedy set cover (the baseline the solver is measured against): indices of the chosen candidates
/// in the order picked. Demand points that no candidate covers stay uncovered.
///
/// # Examples
/// ```
/// use wxmod::solver::{greedy_lscp, Candidate, CoverInstance, DemandPoint};
/// use wxmod::units::Metres;
/// let demand = vec![DemandPoint { id: "a".into(), x_m: 0.0, y_m: 0.0, weight: 1.0 }];
/// let candidates = vec![Candidate { id: "s".into(), x_m: 10.0, y_m: 0.0 }];
/// let instance = CoverInstance::new(demand, candidates, Metres(100.0)).unwrap();
/// assert_eq!(greedy_lscp(&instance), vec![0]);
/// ```
pub fn greedy_lscp(instance: &CoverInstance) -> Vec<usize> {
    greedy_cover(instance.incidence())
        .iter()
        .map(|&j| j as usize)
        .collect()
}

/// The greedy maximal cover with at most `p` sites (the baseline): indices in the order picked; fewer than `p`
/// when everything coverable is covered earlier.
pub fn greedy_mclp(instance: &CoverInstance, p: usize) -> Vec<usize> {
    let weight: Vec<f64> = instance.demand().iter().map(|d| d.weight).collect();
    greedy_max_cover(instance.incidence(), &weight, p)
        .iter()
        .map(|&j| j as usize)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greedy_takes_biggest_first() {
        let inc = Incidence::from_rows(3, &[vec![0], vec![0, 1], vec![1, 2], vec![2]]);
        let cover = greedy_cover(&inc);
        assert_eq!(cover, vec![0, 2]);
        // Cols 1 and 2 both gain 6; the tie goes to the lower index.
        let best = greedy_max_cover(&inc, &[1.0, 1.0, 5.0, 1.0], 1);
        assert_eq!(best, vec![1]);
        assert_eq!(greedy_max_cover(&inc, &[1.0, 1.0, 5.0, 2.0], 1), vec![2]);
    }
}
