//! The polynomial case of set covering: every candidate covers at most two demand points.
//!
//! Then a cover is an edge cover of the graph with the points as vertices and the two-point candidates as
//! edges (one-point candidates are loops). A minimum edge cover has |V| - ν edges, ν the size of a maximum
//! matching (Gallai 1959): take the matched edges and one more edge (or loop) per unmatched point. A point
//! with only loops needs one of them. Since the cover found has exactly that size and no cover can be smaller,
//! the answer is proven optimal; the matching is found by Edmonds' blossom algorithm ([`matching`]), so the
//! odd cycles of geometric instances are handled. Cost: O(V·(V + E)) in the worst case, milliseconds on a
//! 10,000-point grid component.
//!
//! [`matching`]: super::matching

use super::incidence::Incidence;
use super::matching::{self, Graph, NONE};

/// Whether every column of `inc` covers at most two rows.
pub(crate) fn applies(inc: &Incidence) -> bool {
    (0..inc.n_cols()).all(|j| inc.rows(j).len() <= 2)
}

/// A minimum cover of `inc` (every row has a column, every column covers at most two rows), ascending.
pub(crate) fn min_edge_cover(inc: &Incidence) -> Vec<u32> {
    debug_assert!(applies(inc));
    let n = inc.n_rows();
    // One edge per pair of rows that some column covers together; remember one such column per edge.
    let mut edges = Vec::new();
    let mut edge_col = std::collections::HashMap::new();
    for j in 0..inc.n_cols() {
        if let [a, b] = inc.rows(j) {
            edge_col.entry((*a, *b)).or_insert_with(|| {
                edges.push((*a, *b));
                j as u32
            });
        }
    }
    let g = Graph::from_edges(n, &edges);
    let mate = matching::max_matching(&g);
    let mut chosen = Vec::with_capacity(n);
    for (v, &m) in mate.iter().enumerate() {
        let v = v as u32;
        if m == NONE {
            // Any column covering v will do: there is one, as every row is coverable.
            let j = *inc
                .cols(v as usize)
                .first()
                .expect("invariant: every row of a covering component has a column");
            chosen.push(j);
        } else if v < m {
            chosen.push(edge_col[&(v, m)]);
        }
    }
    chosen.sort_unstable();
    chosen.dedup();
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Smallest cover by trying every subset of columns.
    fn brute(inc: &Incidence) -> usize {
        let m = inc.n_cols();
        (0u32..1 << m)
            .filter(|mask| {
                (0..inc.n_rows()).all(|i| inc.cols(i).iter().any(|&j| mask >> j & 1 == 1))
            })
            .map(u32::count_ones)
            .min()
            .expect("the full set covers") as usize
    }

    fn check(rows: &[Vec<u32>], n_cols: usize) {
        let inc = Incidence::from_rows(n_cols, rows);
        assert!(applies(&inc));
        let cover = min_edge_cover(&inc);
        assert!((0..inc.n_rows()).all(|i| inc.cols(i).iter().any(|j| cover.contains(j))));
        assert_eq!(cover.len(), brute(&inc), "rows {rows:?}");
    }

    /// Rows of a graph given by edges (column k joins the two rows of edge k), plus loops.
    fn rows_of(n: usize, edges: &[(u32, u32)], loops: &[u32]) -> (Vec<Vec<u32>>, usize) {
        let mut rows = vec![Vec::new(); n];
        for (k, &(a, b)) in edges.iter().enumerate() {
            rows[a as usize].push(k as u32);
            rows[b as usize].push(k as u32);
        }
        for (k, &v) in loops.iter().enumerate() {
            rows[v as usize].push((edges.len() + k) as u32);
        }
        (rows, edges.len() + loops.len())
    }

    #[test]
    fn triangle_with_loops_and_parallel_edges() {
        let (rows, m) = rows_of(4, &[(0, 1), (1, 2), (2, 0), (0, 1)], &[3, 2]);
        check(&rows, m);
    }

    #[test]
    fn random_graphs_match_brute_force() {
        let mut rng = crate::solver::rng::SplitMix64::new(5);
        for _ in 0..300 {
            let n = 1 + rng.below(8);
            let edges: Vec<(u32, u32)> = (0..rng.below(10))
                .map(|_| (rng.below(n) as u32, rng.below(n) as u32))
                .filter(|(a, b)| a != b)
                .map(|(a, b)| (a.min(b), a.max(b)))
                .collect();
            let mut loops: Vec<u32> = (0..rng.below(3)).map(|_| rng.below(n) as u32).collect();
            // Every row needs a column.
            for v in 0..n as u32 {
                if !edges.iter().any(|&(a, b)| a == v || b == v) && !loops.contains(&v) {
                    loops.push(v);
                }
            }
            let (rows, m) = rows_of(n, &edges, &loops);
            if m <= 16 {
                check(&rows, m);
            }
        }
    }
}
