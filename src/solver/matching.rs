//! Maximum cardinality matching in a general graph by Edmonds' blossom algorithm.
//!
//! Used for the polynomial case of set covering: when every candidate covers at most two demand points, a cover
//! is an edge cover of the graph whose vertices are the points and whose edges are the candidates, and a
//! minimum edge cover has |V| - ν(G) edges (Gallai 1959; ν = maximum matching). The graphs of wxmod's grids are
//! not bipartite (three cells pairwise within reach of shared candidates make a triangle), so a bipartite
//! matching would be wrong; the blossom algorithm handles odd cycles by shrinking them.
//!
//! Algorithm: a greedy matching (low degrees first), then from every free vertex one breadth-first search for an
//! augmenting path in the alternating forest, shrinking blossoms by relabelling their base (Edmonds 1965, in the
//! O(V·(V + E)) array form of Gabow 1976). A vertex with no augmenting path stays free for good (Edmonds), so
//! each vertex is searched from at most once. Only the vertices a search touched are reset, so a search costs
//! O(touched vertices + their edges) plus O(touched) per blossom; on grid graphs with thousands of vertices the
//! whole matching takes milliseconds.

use std::collections::VecDeque;

/// No vertex (a free mate, an unset parent).
pub(crate) const NONE: u32 = u32::MAX;

/// An undirected multigraph in adjacency-list form; each edge appears in both end points' lists.
#[derive(Debug, Clone)]
pub(crate) struct Graph {
    start: Vec<usize>,
    adj: Vec<u32>,
}

impl Graph {
    /// Builds the graph on `n` vertices from its edges (pairs of distinct vertices < n; loops are ignored).
    pub(crate) fn from_edges(n: usize, edges: &[(u32, u32)]) -> Self {
        let mut degree = vec![0usize; n];
        for &(a, b) in edges {
            if a != b {
                degree[a as usize] += 1;
                degree[b as usize] += 1;
            }
        }
        let mut start = Vec::with_capacity(n + 1);
        start.push(0);
        for d in &degree {
            start.push(start[start.len() - 1] + d);
        }
        let mut fill = start.clone();
        let mut adj = vec![0u32; start[n]];
        for &(a, b) in edges {
            if a != b {
                adj[fill[a as usize]] = b;
                fill[a as usize] += 1;
                adj[fill[b as usize]] = a;
                fill[b as usize] += 1;
            }
        }
        Graph { start, adj }
    }

    /// Number of vertices.
    pub(crate) fn n(&self) -> usize {
        self.start.len() - 1
    }

    /// Neighbours of `v` (with repeats for parallel edges).
    pub(crate) fn neighbours(&self, v: usize) -> &[u32] {
        &self.adj[self.start[v]..self.start[v + 1]]
    }
}

/// Search state of the blossom algorithm, reused across searches.
struct Blossom<'a> {
    g: &'a Graph,
    mate: Vec<u32>,
    parent: Vec<u32>,
    base: Vec<u32>,
    even: Vec<bool>,
    in_blossom: Vec<bool>,
    /// Vertices whose parent, base or `even` flag this search changed.
    touched: Vec<u32>,
    is_touched: Vec<bool>,
    /// Stamps for the lowest-common-ancestor walk.
    mark: Vec<u32>,
    epoch: u32,
    queue: VecDeque<u32>,
}

impl Blossom<'_> {
    fn touch(&mut self, v: u32) {
        if !self.is_touched[v as usize] {
            self.is_touched[v as usize] = true;
            self.touched.push(v);
        }
    }

    fn reset(&mut self) {
        for &v in &self.touched {
            let v = v as usize;
            self.parent[v] = NONE;
            self.base[v] = v as u32;
            self.even[v] = false;
            self.in_blossom[v] = false;
            self.is_touched[v] = false;
        }
        self.touched.clear();
        self.queue.clear();
    }

    /// The base of the blossom closing the alternating paths of `a` and `b` to the root.
    fn lca(&mut self, mut a: u32, mut b: u32) -> u32 {
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.mark.iter_mut().for_each(|m| *m = 0);
            self.epoch = 1;
        }
        loop {
            a = self.base[a as usize];
            self.mark[a as usize] = self.epoch;
            let m = self.mate[a as usize];
            if m == NONE {
                break;
            }
            a = self.parent[m as usize];
        }
        loop {
            b = self.base[b as usize];
            if self.mark[b as usize] == self.epoch {
                return b;
            }
            b = self.parent[self.mate[b as usize] as usize];
        }
    }

    /// Marks the blossom vertices on the path from `v` down to the base `b`, pointing parents across the blossom.
    fn mark_path(&mut self, mut v: u32, b: u32, mut child: u32) {
        while self.base[v as usize] != b {
            let m = self.mate[v as usize];
            let bv = self.base[v as usize] as usize;
            let bm = self.base[m as usize] as usize;
            self.in_blossom[bv] = true;
            self.in_blossom[bm] = true;
            self.parent[v as usize] = child;
            self.touch(v);
            child = m;
            v = self.parent[m as usize];
        }
    }

    /// Breadth-first search for an augmenting path from the free vertex `root`; returns its free end.
    fn search(&mut self, root: u32) -> Option<u32> {
        self.even[root as usize] = true;
        self.touch(root);
        self.queue.push_back(root);
        while let Some(v) = self.queue.pop_front() {
            for k in self.g.start[v as usize]..self.g.start[v as usize + 1] {
                let to = self.g.adj[k];
                if self.base[v as usize] == self.base[to as usize] || self.mate[v as usize] == to {
                    continue;
                }
                let to_mate = self.mate[to as usize];
                if to == root || (to_mate != NONE && self.parent[to_mate as usize] != NONE) {
                    let b = self.lca(v, to);
                    for &t in &self.touched {
                        self.in_blossom[t as usize] = false;
                    }
                    self.mark_path(v, b, to);
                    self.mark_path(to, b, v);
                    let n_touched = self.touched.len();
                    for idx in 0..n_touched {
                        let u = self.touched[idx] as usize;
                        if self.in_blossom[self.base[u] as usize] {
                            self.base[u] = b;
                            if !self.even[u] {
                                self.even[u] = true;
                                self.queue.push_back(u as u32);
                            }
                        }
                    }
                } else if self.parent[to as usize] == NONE {
                    self.parent[to as usize] = v;
                    self.touch(to);
                    if to_mate == NONE {
                        return Some(to);
                    }
                    self.even[to_mate as usize] = true;
                    self.touch(to_mate);
                    self.queue.push_back(to_mate);
                }
            }
        }
        None
    }

    /// Flips the matching along the augmenting path ending at the free vertex `end`.
    fn augment(&mut self, mut v: u32) {
        while v != NONE {
            let pv = self.parent[v as usize];
            let next = self.mate[pv as usize];
            self.mate[v as usize] = pv;
            self.mate[pv as usize] = v;
            v = next;
        }
    }
}

/// A maximum matching of `g`: `mate[v]` is v's partner or [`NONE`].
pub(crate) fn max_matching(g: &Graph) -> Vec<u32> {
    let n = g.n();
    let mut mate = vec![NONE; n];
    // Greedy start: vertices of low degree first, each to its free neighbour of lowest degree.
    let degree = |v: usize| g.neighbours(v).len();
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_by_key(|&v| (degree(v as usize), v));
    for &v in &order {
        if mate[v as usize] != NONE {
            continue;
        }
        let pick = g
            .neighbours(v as usize)
            .iter()
            .copied()
            .filter(|&w| mate[w as usize] == NONE && w != v)
            .min_by_key(|&w| (degree(w as usize), w));
        if let Some(w) = pick {
            mate[v as usize] = w;
            mate[w as usize] = v;
        }
    }
    let mut state = Blossom {
        g,
        mate,
        parent: vec![NONE; n],
        base: (0..n as u32).collect(),
        even: vec![false; n],
        in_blossom: vec![false; n],
        touched: Vec::new(),
        is_touched: vec![false; n],
        mark: vec![0; n],
        epoch: 0,
        queue: VecDeque::new(),
    };
    for &root in &order {
        if state.mate[root as usize] != NONE || g.neighbours(root as usize).is_empty() {
            continue;
        }
        if let Some(end) = state.search(root) {
            state.augment(end);
        }
        state.reset();
    }
    state.mate
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(mate: &[u32]) -> usize {
        mate.iter().filter(|&&m| m != NONE).count() / 2
    }

    /// Maximum matching by trying every subset of edges (tiny graphs only).
    fn brute(n: usize, edges: &[(u32, u32)]) -> usize {
        let mut best = 0;
        for mask in 0u32..1 << edges.len() {
            let mut used = vec![false; n];
            let mut ok = true;
            for (k, &(a, b)) in edges.iter().enumerate() {
                if mask >> k & 1 == 1 {
                    if used[a as usize] || used[b as usize] {
                        ok = false;
                        break;
                    }
                    used[a as usize] = true;
                    used[b as usize] = true;
                }
            }
            if ok {
                best = best.max(mask.count_ones() as usize);
            }
        }
        best
    }

    fn check(n: usize, edges: &[(u32, u32)]) {
        let g = Graph::from_edges(n, edges);
        let mate = max_matching(&g);
        for v in 0..n {
            let m = mate[v];
            if m != NONE {
                assert_eq!(mate[m as usize], v as u32);
                assert!(g.neighbours(v).contains(&m));
            }
        }
        assert_eq!(size(&mate), brute(n, edges), "edges {edges:?}");
    }

    #[test]
    fn odd_cycles_and_flowers() {
        // A triangle with a tail: greedy can match the tail wrongly; the blossom fixes it.
        check(4, &[(0, 1), (1, 2), (2, 0), (2, 3)]);
        // Two triangles joined by a path (a blossom must be shrunk to find the augmenting path).
        check(
            7,
            &[
                (0, 1),
                (1, 2),
                (2, 0),
                (2, 3),
                (3, 4),
                (4, 5),
                (5, 6),
                (6, 4),
            ],
        );
        // A five-cycle with pendant vertices at two of its vertices.
        check(7, &[(0, 1), (1, 2), (2, 3), (3, 4), (4, 0), (0, 5), (2, 6)]);
        // The Petersen graph (perfect matching of 5).
        let petersen = [
            (0, 1),
            (1, 2),
            (2, 3),
            (3, 4),
            (4, 0),
            (0, 5),
            (1, 6),
            (2, 7),
            (3, 8),
            (4, 9),
            (5, 7),
            (7, 9),
            (9, 6),
            (6, 8),
            (8, 5),
        ];
        check(10, &petersen);
    }

    #[test]
    fn random_graphs_match_brute_force() {
        let mut rng = crate::solver::rng::SplitMix64::new(17);
        for _ in 0..300 {
            let n = 2 + rng.below(9);
            let m = rng.below(13);
            let edges: Vec<(u32, u32)> = (0..m)
                .map(|_| (rng.below(n) as u32, rng.below(n) as u32))
                .filter(|(a, b)| a != b)
                .collect();
            check(n, &edges);
        }
    }
}
