//! Maximum bipartite matching (Hopcroft–Karp) between the 10 km and the 15 km cells that a
//! single new point could serve together.
//!
//! A new point lies in exactly one 10 km cell and one 15 km cell, so it serves at most one of
//! each. The fewest points that serve every unserved required cell is therefore
//! `|unserved 10 km| + |unserved 15 km| - maximum matching`, over the pairs of cells whose
//! overlap holds a feasible candidate (a minimum edge cover of the bipartite graph, where a
//! lone cell is served by a point of its own). Hopcroft–Karp costs O(E·√V).

use std::collections::VecDeque;

/// A bipartite graph: `left` vertices `0..n_left`, `right` vertices `0..n_right`, and for each
/// left vertex the right vertices it may be paired with.
#[derive(Debug, Clone, Default)]
pub struct Bipartite {
    /// Number of right vertices.
    pub n_right: usize,
    /// Adjacency of each left vertex.
    pub edges: Vec<Vec<usize>>,
}

/// A maximum matching: for each left vertex its right partner, if any.
pub fn maximum_matching(graph: &Bipartite) -> Vec<Option<usize>> {
    let n_left = graph.edges.len();
    let mut pair_left: Vec<Option<usize>> = vec![None; n_left];
    let mut pair_right: Vec<Option<usize>> = vec![None; graph.n_right];
    let mut dist = vec![usize::MAX; n_left];
    loop {
        // Breadth-first layering from the free left vertices.
        let mut queue = VecDeque::new();
        for (u, p) in pair_left.iter().enumerate() {
            if p.is_none() {
                dist[u] = 0;
                queue.push_back(u);
            } else {
                dist[u] = usize::MAX;
            }
        }
        let mut found_free = false;
        while let Some(u) = queue.pop_front() {
            for &v in &graph.edges[u] {
                match pair_right[v] {
                    None => found_free = true,
                    Some(w) if dist[w] == usize::MAX => {
                        dist[w] = dist[u] + 1;
                        queue.push_back(w);
                    }
                    _ => {}
                }
            }
        }
        if !found_free {
            break;
        }
        for u in 0..n_left {
            if pair_left[u].is_none() {
                augment(u, graph, &mut pair_left, &mut pair_right, &mut dist);
            }
        }
    }
    pair_left
}

fn augment(
    u: usize,
    graph: &Bipartite,
    pair_left: &mut [Option<usize>],
    pair_right: &mut [Option<usize>],
    dist: &mut [usize],
) -> bool {
    for &v in &graph.edges[u] {
        let next = pair_right[v];
        let ok = match next {
            None => true,
            Some(w) => {
                dist[w] == dist[u].wrapping_add(1) && augment(w, graph, pair_left, pair_right, dist)
            }
        };
        if ok {
            pair_left[u] = Some(v);
            pair_right[v] = Some(u);
            return true;
        }
    }
    dist[u] = usize::MAX;
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The fewest points serving every vertex, by trying every set of edges: each point is an
    /// edge (serving both ends) or a lone vertex.
    fn brute_force_points(graph: &Bipartite) -> usize {
        let n_left = graph.edges.len();
        let all_edges: Vec<(usize, usize)> = graph
            .edges
            .iter()
            .enumerate()
            .flat_map(|(u, vs)| vs.iter().map(move |&v| (u, v)))
            .collect();
        let mut best = n_left + graph.n_right;
        for mask in 0u32..(1 << all_edges.len()) {
            let mut left = vec![false; n_left];
            let mut right = vec![false; graph.n_right];
            let mut count = 0;
            for (i, &(u, v)) in all_edges.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    left[u] = true;
                    right[v] = true;
                    count += 1;
                }
            }
            count += left.iter().filter(|x| !**x).count() + right.iter().filter(|x| !**x).count();
            best = best.min(count);
        }
        best
    }

    proptest! {
        #[test]
        fn the_formula_matches_brute_force(n_left in 0usize..5, n_right in 0usize..5,
                                           bits in prop::collection::vec(any::<bool>(), 25)) {
            let edges: Vec<Vec<usize>> = (0..n_left)
                .map(|u| (0..n_right).filter(|&v| bits[u * 5 + v]).collect())
                .collect();
            let total_edges: usize = edges.iter().map(Vec::len).sum();
            prop_assume!(total_edges <= 12);
            let graph = Bipartite { n_right, edges };
            let matching = maximum_matching(&graph);
            let size = matching.iter().flatten().count();
            // A valid matching: partners are adjacent and distinct.
            let mut used = vec![false; n_right];
            for (u, v) in matching.iter().enumerate() {
                if let Some(v) = v {
                    prop_assert!(graph.edges[u].contains(v));
                    prop_assert!(!used[*v]);
                    used[*v] = true;
                }
            }
            prop_assert_eq!(n_left + n_right - size, brute_force_points(&graph));
        }
    }
}
