//! Structure the set-covering solver exploits, checked against brute force: independent components, and the
//! polynomial case where every candidate covers at most two points (a minimum edge cover, found by maximum
//! matching with Edmonds' blossoms), on constructed graphs and on the shared large_r7 instance.

use wxmod::solver::{
    Candidate, CoverInstance, DemandPoint, SolveOptions, lscp_lp_relaxation, solve_lscp,
};
use wxmod::units::Metres;

use super::{bench_dir, options, subsets};

/// A covering instance drawn from a graph: a demand point per vertex, a candidate at the middle of each edge,
/// the radius just over half the longest edge. Asserts that each candidate covers exactly its edge's two ends.
fn graph_instance(points: &[(f64, f64)], edges: &[(usize, usize)]) -> CoverInstance {
    let demand = points
        .iter()
        .enumerate()
        .map(|(k, &(x, y))| DemandPoint {
            id: format!("v{k}"),
            x_m: x,
            y_m: y,
            weight: 1.0,
        })
        .collect();
    let candidates = edges
        .iter()
        .enumerate()
        .map(|(k, &(a, b))| Candidate {
            id: format!("e{a}_{b}_{k}"),
            x_m: (points[a].0 + points[b].0) / 2.0,
            y_m: (points[a].1 + points[b].1) / 2.0,
        })
        .collect();
    let half = edges
        .iter()
        .map(|&(a, b)| (points[a].0 - points[b].0).hypot(points[a].1 - points[b].1) / 2.0)
        .fold(0.0, f64::max);
    let instance = CoverInstance::new(demand, candidates, Metres(half * 1.01)).unwrap();
    for (j, &(a, b)) in edges.iter().enumerate() {
        let covered: Vec<usize> = instance.covered_by(j).collect();
        assert_eq!(
            covered,
            vec![a.min(b), a.max(b)],
            "edge {j} must cover exactly its ends"
        );
    }
    instance
}

/// `n` points on a circle of 10 km radius, starting at angle `phase` (radians).
fn ring(n: usize, phase: f64) -> Vec<(f64, f64)> {
    (0..n)
        .map(|k| {
            let a = phase + std::f64::consts::TAU * k as f64 / n as f64;
            (10_000.0 * a.cos(), 10_000.0 * a.sin())
        })
        .collect()
}

fn cycle_edges(n: usize) -> Vec<(usize, usize)> {
    (0..n).map(|k| (k, (k + 1) % n)).collect()
}

/// The fewest candidates covering every point, by trying every subset.
fn brute_optimum(instance: &CoverInstance) -> usize {
    subsets(instance)
        .iter()
        .filter(|(_, covered)| covered.iter().all(|&c| c))
        .map(|(mask, _)| mask.count_ones() as usize)
        .min()
        .expect("the instance is coverable")
}

/// Solves, checks against brute force, and returns the solution's stats as JSON.
fn solve_checked(instance: &CoverInstance) -> serde_json::Value {
    let optimum = brute_optimum(instance);
    let s = solve_lscp(instance, &options()).unwrap();
    assert!(instance.covers_all(&s.chosen));
    assert_eq!(s.objective, optimum);
    assert!(s.proven_optimal && s.lower_bound == optimum);
    serde_json::to_value(&s.stats).unwrap()
}

#[test]
fn odd_cycles_need_half_the_points_rounded_up() {
    // A bipartite matching (or the LP, 2.5 and 3.5) would say 2 and 3; the blossom algorithm gets 3 and 4.
    for (n, optimum) in [(5, 3), (7, 4), (9, 5)] {
        let instance = graph_instance(&ring(n, 0.0), &cycle_edges(n));
        let stats = solve_checked(&instance);
        assert_eq!(brute_optimum(&instance), optimum);
        // No reduction applies to a cycle: one component, solved as an edge cover, without search.
        assert_eq!(stats["components"], 1, "{stats}");
        assert_eq!(stats["edge_cover_components"], 1, "{stats}");
        assert_eq!(stats["nodes"], 0, "{stats}");
        let lp = lscp_lp_relaxation(&instance, std::time::Duration::from_secs(10)).unwrap();
        approx::assert_relative_eq!(lp.value, n as f64 / 2.0, epsilon = 1e-6);
    }
}

#[test]
fn even_cycle_is_covered_by_a_perfect_matching() {
    let instance = graph_instance(&ring(8, 0.0), &cycle_edges(8));
    let stats = solve_checked(&instance);
    assert_eq!(brute_optimum(&instance), 4);
    assert_eq!(stats["edge_cover_components"], 1, "{stats}");
}

#[test]
fn friendship_graph_and_two_triangles_on_a_path() {
    // Three triangles sharing the centre (hexagon corners + centre): 7 points, optimum 4.
    let mut points = ring(6, 0.0);
    points.push((0.0, 0.0));
    let edges = [
        (6, 0),
        (6, 1),
        (0, 1),
        (6, 2),
        (6, 3),
        (2, 3),
        (6, 4),
        (6, 5),
        (4, 5),
    ];
    let instance = graph_instance(&points, &edges);
    let stats = solve_checked(&instance);
    assert_eq!(brute_optimum(&instance), 4);
    assert_eq!(stats["edge_cover_components"], 1, "{stats}");
    // Two triangles joined through a middle point: the augmenting path runs through both blossoms.
    let points = [
        (0.0, 0.0),
        (8_000.0, 5_000.0),
        (8_000.0, -5_000.0),
        (16_000.0, 0.0),
        (24_000.0, 0.0),
        (32_000.0, 5_000.0),
        (32_000.0, -5_000.0),
    ];
    let edges = [
        (0, 1),
        (1, 2),
        (2, 0),
        (1, 3),
        (2, 3),
        (3, 4),
        (4, 5),
        (5, 6),
        (6, 4),
    ];
    let instance = graph_instance(&points, &edges);
    let stats = solve_checked(&instance);
    assert_eq!(brute_optimum(&instance), 4);
    assert_eq!(stats["edge_cover_components"], 1, "{stats}");
}

#[test]
fn paths_and_stars_are_solved_by_the_reductions() {
    // A path's end points and a star's leaves have one candidate each: forcing settles the whole instance.
    let path: Vec<(f64, f64)> = (0..7).map(|k| (10_000.0 * k as f64, 0.0)).collect();
    let edges: Vec<(usize, usize)> = (0..6).map(|k| (k, k + 1)).collect();
    let stats = solve_checked(&graph_instance(&path, &edges));
    assert_eq!(stats["components"], 0, "{stats}");
    let mut star = ring(5, 0.3);
    star.push((0.0, 0.0));
    let edges: Vec<(usize, usize)> = (0..5).map(|k| (5, k)).collect();
    let stats = solve_checked(&graph_instance(&star, &edges));
    assert_eq!(stats["forced"], 5, "{stats}");
}

#[test]
fn far_apart_pieces_are_solved_as_separate_components() {
    // A pentagon and a heptagon 100 km apart: two components, optima 3 + 4.
    let mut points = ring(5, 0.0);
    points.extend(ring(7, 0.0).into_iter().map(|(x, y)| (x + 100_000.0, y)));
    let mut edges = cycle_edges(5);
    edges.extend(cycle_edges(7).into_iter().map(|(a, b)| (a + 5, b + 5)));
    let instance = graph_instance(&points, &edges);
    let stats = solve_checked(&instance);
    assert_eq!(stats["components"], 2, "{stats}");
    assert_eq!(stats["edge_cover_components"], 2, "{stats}");
}

#[test]
fn large_r7_is_proven_optimal_at_5098() {
    // HiGHS 1.16 proves 5,098 (meta.json); every candidate covers at most 4 points, most at most 2.
    let dir = bench_dir("large_r7");
    let instance = CoverInstance::from_csv(
        &dir.join("demand.csv"),
        &dir.join("candidates.csv"),
        Metres(7_000.0),
    )
    .unwrap();
    assert_eq!(instance.coverage_pairs(), 82_059);
    let s = solve_lscp(
        &instance,
        &SolveOptions {
            node_limit: Some(1_000),
            ..options()
        },
    )
    .unwrap();
    assert!(instance.covers_all(&s.chosen));
    assert_eq!((s.objective, s.lower_bound), (5_098, 5_098));
    assert!(s.proven_optimal);
    assert!(s.stats.edge_cover_components >= 1);
}
