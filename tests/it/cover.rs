//! The covering solver on the shared Shuozhou instances (known optima in their meta.json), `wxmod cover` on
//! good and bad input, and property tests against exhaustive search on small random instances; the structure
//! it exploits (components, edge covers) in [`structure`], its LP bound in [`lp`].

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use proptest::prelude::*;
use wxmod::solver::{Candidate, CoverInstance, DemandPoint, SolveOptions, solve_lscp, solve_mclp};
use wxmod::units::Metres;

mod lp;
mod structure;

/// The folder of a shared instance, e.g. `shuozhou_r10`.
fn bench_dir(name: &str) -> PathBuf {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/bench")).join(name);
    assert!(
        dir.is_dir(),
        "missing shared instance {} (shared/ must sit beside the repo)",
        dir.display()
    );
    dir
}

fn shuozhou(radius_km: u32) -> CoverInstance {
    let dir = bench_dir(&format!("shuozhou_r{radius_km}"));
    CoverInstance::from_csv(
        &dir.join("demand.csv"),
        &dir.join("candidates.csv"),
        Metres::from_km(radius_km as f64),
    )
    .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
}

/// Generous limits so that results never depend on the machine's speed.
fn options() -> SolveOptions {
    SolveOptions {
        time_limit: Duration::from_secs(600),
        ..SolveOptions::default()
    }
}

#[test]
fn lscp_r10_reaches_33_and_proves_it() {
    let instance = shuozhou(10);
    assert_eq!(instance.coverage_pairs(), 9152); // as in meta.json
    let s = solve_lscp(&instance, &options()).unwrap();
    assert_eq!(s.objective, 33);
    assert_eq!(s.lower_bound, 33);
    assert!(s.proven_optimal);
    assert_eq!(s.gap, 0.0);
    assert_eq!(s.greedy_objective, 38);
    assert_eq!(s.chosen.len(), 33);
    assert!(instance.covers_all(&s.chosen));
}

#[test]
fn lscp_r7_reaches_55_and_proves_it() {
    let instance = shuozhou(7);
    assert_eq!(instance.coverage_pairs(), 4132);
    let s = solve_lscp(&instance, &options()).unwrap();
    assert_eq!((s.objective, s.lower_bound), (55, 55));
    assert!(s.proven_optimal);
    assert_eq!(s.greedy_objective, 56);
    assert!(instance.covers_all(&s.chosen));
}

fn assert_mclp(radius_km: u32, p: usize, optimum: f64) {
    let instance = shuozhou(radius_km);
    let s = solve_mclp(&instance, p, &options()).unwrap();
    assert_eq!(s.chosen.len(), p);
    approx::assert_relative_eq!(s.covered_weight, optimum, max_relative = 1e-9);
    approx::assert_relative_eq!(s.covered_weight, instance.covered_weight(&s.chosen));
    assert!(s.proven_optimal, "r{radius_km} p={p}: gap {}", s.gap);
    assert_eq!(s.upper_bound, s.covered_weight);
    assert!(s.greedy_objective <= s.covered_weight + 1e-9);
}

#[test]
fn mclp_r10_p10_covers_4116_30_km2_proven() {
    assert_mclp(10, 10, 4116.301125);
}

#[test]
fn mclp_r10_p30_covers_10562_72_km2_proven() {
    assert_mclp(10, 30, 10562.719887);
}

#[test]
fn mclp_r7_matches_known_optima() {
    assert_mclp(7, 10, 2617.338418);
    assert_mclp(7, 30, 6793.791676);
}

// ---- the command line ----

fn wxmod() -> Command {
    Command::cargo_bin("wxmod").expect("the wxmod binary is built")
}

fn json_of(output: &[u8]) -> serde_json::Value {
    serde_json::from_slice(output).expect("wxmod cover prints JSON")
}

#[test]
fn cli_lscp_prints_objective_bound_and_sites() {
    let dir = bench_dir("shuozhou_r10");
    let out = wxmod()
        .args(["cover", "--radius", "10km", "--demand"])
        .arg(dir.join("demand.csv"))
        .arg("--candidates")
        .arg(dir.join("candidates.csv"))
        .assert()
        .success();
    let v = json_of(&out.get_output().stdout);
    assert_eq!(v["problem"], "lscp");
    assert_eq!(v["objective"], 33);
    assert_eq!(v["lower_bound"], 33);
    assert_eq!(v["proven_optimal"], true);
    assert_eq!(v["chosen"].as_array().map(Vec::len), Some(33));
    assert!(v["build_time_s"].is_number() && v["solve_time_s"].is_number());
}

#[test]
fn cli_mclp_prints_covered_weight_and_upper_bound() {
    let dir = bench_dir("shuozhou_r10");
    let out = wxmod()
        .args([
            "cover", "--radius", "10000m", "--p", "10", "--seed", "3", "--demand",
        ])
        .arg(dir.join("demand.csv"))
        .arg("--candidates")
        .arg(dir.join("candidates.csv"))
        .assert()
        .success();
    let v = json_of(&out.get_output().stdout);
    assert_eq!(v["problem"], "mclp");
    let objective = v["objective"].as_f64().unwrap();
    approx::assert_relative_eq!(objective, 4116.301125, max_relative = 1e-9);
    assert_eq!(v["upper_bound"].as_f64(), Some(objective));
    assert_eq!(v["chosen"].as_array().map(Vec::len), Some(10));
}

/// Writes `demand.csv` and `candidates.csv` into a fresh temp dir.
fn files(demand: &str, candidates: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("demand.csv");
    let c = dir.path().join("candidates.csv");
    std::fs::write(&d, demand).unwrap();
    std::fs::write(&c, candidates).unwrap();
    (dir, d, c)
}

const GOOD_DEMAND: &str = "id,x_m,y_m,weight\n1,0,0,2.5\n2,1000,0,1\n";
const GOOD_CANDIDATES: &str = "id,x_m,y_m\na,500,0\nb,5000,0\n";

/// Runs `wxmod cover` on the files with extra flags, expects exit 1 and returns stderr.
fn fails(demand: &str, candidates: &str, extra: &[&str]) -> String {
    let (_dir, d, c) = files(demand, candidates);
    let out = wxmod()
        .arg("cover")
        .arg("--demand")
        .arg(&d)
        .arg("--candidates")
        .arg(&c)
        .args(extra)
        .assert()
        .failure()
        .code(1);
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

#[test]
fn cli_small_case_works() {
    let (_dir, d, c) = files(GOOD_DEMAND, GOOD_CANDIDATES);
    let out = wxmod()
        .args(["cover", "--radius", "600m"])
        .arg("--demand")
        .arg(&d)
        .arg("--candidates")
        .arg(&c)
        .assert()
        .success();
    let v = json_of(&out.get_output().stdout);
    assert_eq!(v["chosen"], serde_json::json!(["a"]));
}

#[test]
fn fails_with_missing_column() {
    let err = fails(
        "id,x_m,y_m\n1,0,0\n",
        GOOD_CANDIDATES,
        &["--radius", "600m"],
    );
    assert!(
        err.contains("demand.csv: missing column 'weight' (header is 'id,x_m,y_m'"),
        "{err}"
    );
}

#[test]
fn fails_with_duplicate_id() {
    let err = fails(
        GOOD_DEMAND,
        "id,x_m,y_m\na,500,0\na,600,0\n",
        &["--radius", "600m"],
    );
    assert!(
        err.contains("candidates.csv line 3: duplicate candidate id 'a' (first seen at ")
            && err.contains("candidates.csv line 2)"),
        "{err}"
    );
}

#[test]
fn fails_with_non_numeric_value() {
    let err = fails(
        "id,x_m,y_m,weight\n1,0,0,1\n2,abc,0,1\n",
        GOOD_CANDIDATES,
        &["--radius", "600m"],
    );
    assert!(
        err.contains("demand.csv line 3 (id '2'): column 'x_m' is 'abc', not a finite number"),
        "{err}"
    );
}

#[test]
fn fails_with_uncoverable_demand_named_by_id_and_line() {
    let err = fails(
        "id,x_m,y_m,weight\n1,0,0,1\nfar,90000,0,1\n",
        GOOD_CANDIDATES,
        &["--radius", "600m"],
    );
    assert!(
        err.contains("1 demand point(s) within 600 m of no candidate"),
        "{err}"
    );
    assert!(
        err.contains("id 'far' (") && err.contains("demand.csv line 3)"),
        "{err}"
    );
    // Also refused for maximal covering on the command line.
    let err = fails(
        "id,x_m,y_m,weight\n1,0,0,1\nfar,90000,0,1\n",
        GOOD_CANDIDATES,
        &["--radius", "600m", "--p", "1"],
    );
    assert!(err.contains("id 'far'"), "{err}");
}

#[test]
fn fails_with_negative_radius_or_weight() {
    let err = fails(GOOD_DEMAND, GOOD_CANDIDATES, &["--radius", "-5km"]);
    assert!(
        err.contains("--radius -5km: '-5km' is not a length: the length must be positive"),
        "{err}"
    );
    // Zero and a bare number are refused alike, with or without a unit (issue #15).
    for zero in ["0", "0km"] {
        let err = fails(GOOD_DEMAND, GOOD_CANDIDATES, &["--radius", zero]);
        assert!(
            err.contains(&format!("--radius {zero}: '{zero}' is not a length")),
            "{err}"
        );
    }
    let err = fails(GOOD_DEMAND, GOOD_CANDIDATES, &["--radius", "600"]);
    assert!(err.contains("a length needs its unit"), "{err}");
    let err = fails(
        "id,x_m,y_m,weight\n1,0,0,-2\n",
        GOOD_CANDIDATES,
        &["--radius", "600m"],
    );
    assert!(
        err.contains("demand.csv line 2 (id '1'): weight -2 is not a number >= 0"),
        "{err}"
    );
}

#[test]
fn fails_with_p_larger_than_candidates() {
    let err = fails(
        GOOD_DEMAND,
        GOOD_CANDIDATES,
        &["--radius", "600m", "--p", "3"],
    );
    assert!(
        err.contains("p = 3 sites is not between 1 and the 2 candidates"),
        "{err}"
    );
}

#[test]
fn fails_with_missing_file() {
    let out = wxmod()
        .args([
            "cover",
            "--radius",
            "600m",
            "--demand",
            "no/such/demand.csv",
            "--candidates",
            "x.csv",
        ])
        .assert()
        .failure()
        .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr);
    assert!(err.contains("cannot read no/such/demand.csv"), "{err}");
}

// ---- property tests against exhaustive search ----

/// A small random instance on a 10 × 10 km lattice of 1 km steps.
fn small_instance() -> impl Strategy<Value = (Vec<DemandPoint>, Vec<Candidate>, f64)> {
    let demand = prop::collection::vec((0u8..10, 0u8..10, 0u8..20), 1..12);
    let candidates = prop::collection::vec((0u8..10, 0u8..10), 1..13);
    (demand, candidates, 1000.0..4500.0f64).prop_map(|(d, c, r)| {
        let demand = d
            .into_iter()
            .enumerate()
            .map(|(k, (x, y, w))| DemandPoint {
                id: format!("d{k}"),
                x_m: 1000.0 * x as f64,
                y_m: 1000.0 * y as f64,
                weight: w as f64 * 0.75,
            })
            .collect();
        let candidates = c
            .into_iter()
            .enumerate()
            .map(|(k, (x, y))| Candidate {
                id: format!("c{k}"),
                x_m: 1000.0 * x as f64,
                y_m: 1000.0 * y as f64,
            })
            .collect();
        (demand, candidates, r)
    })
}

/// Every subset of candidates as a bit mask, with the demand points it covers.
fn subsets(instance: &CoverInstance) -> Vec<(u32, Vec<bool>)> {
    let m = instance.candidates().len();
    (0u32..1 << m)
        .map(|mask| {
            let chosen: Vec<usize> = (0..m).filter(|&j| mask >> j & 1 == 1).collect();
            let mut covered = vec![false; instance.demand().len()];
            for &j in &chosen {
                for i in instance.covered_by(j) {
                    covered[i] = true;
                }
            }
            (mask, covered)
        })
        .collect()
}

fn without_times<T: serde::Serialize>(s: &T) -> serde_json::Value {
    let mut v = serde_json::to_value(s).unwrap();
    if let Some(o) = v.as_object_mut() {
        o.remove("build_time");
        o.remove("solve_time");
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn lscp_matches_exhaustive_search((demand, candidates, r) in small_instance(), seed in 0u64..4, nodes in 0u64..3) {
        let instance = CoverInstance::new(demand, candidates, Metres(r)).unwrap();
        let solved = solve_lscp(&instance, &SolveOptions { seed, ..options() });
        if !instance.uncoverable().is_empty() {
            prop_assert!(solved.is_err());
            return Ok(());
        }
        let optimum = subsets(&instance)
            .iter()
            .filter(|(_, covered)| covered.iter().all(|&c| c))
            .map(|(mask, _)| mask.count_ones() as usize)
            .min()
            .unwrap();
        let s = solved.unwrap();
        prop_assert!(instance.covers_all(&s.chosen));
        prop_assert_eq!(s.objective, s.chosen.len());
        prop_assert_eq!(s.objective, optimum);
        prop_assert!(s.proven_optimal && s.lower_bound == optimum);
        // Cut the search short: the bound must stay valid.
        let cut = solve_lscp(&instance, &SolveOptions { seed, node_limit: Some(nodes), ..options() }).unwrap();
        prop_assert!(cut.lower_bound <= optimum && optimum <= cut.objective);
        prop_assert!(instance.covers_all(&cut.chosen));
        // Same input and seed, same answer.
        let again = solve_lscp(&instance, &SolveOptions { seed, ..options() }).unwrap();
        prop_assert_eq!(without_times(&s), without_times(&again));
    }

    #[test]
    fn mclp_matches_exhaustive_search((demand, candidates, r) in small_instance(), p in 1usize..6, nodes in 0u64..3) {
        let instance = CoverInstance::new(demand, candidates, Metres(r)).unwrap();
        let p = p.min(instance.candidates().len());
        let optimum = subsets(&instance)
            .iter()
            .filter(|(mask, _)| mask.count_ones() as usize == p)
            .map(|(_, covered)| {
                instance.demand().iter().zip(covered).filter(|(_, c)| **c).map(|(d, _)| d.weight).sum::<f64>()
            })
            .fold(0.0, f64::max);
        let tol = 1e-9 * (1.0 + optimum);
        let s = solve_mclp(&instance, p, &options()).unwrap();
        prop_assert_eq!(s.chosen.len(), p);
        prop_assert!((s.covered_weight - instance.covered_weight(&s.chosen)).abs() <= tol);
        prop_assert!((s.covered_weight - optimum).abs() <= tol, "{} vs optimum {}", s.covered_weight, optimum);
        prop_assert!(s.proven_optimal && s.upper_bound >= optimum - tol);
        let cut = solve_mclp(&instance, p, &SolveOptions { node_limit: Some(nodes), ..options() }).unwrap();
        prop_assert!(cut.covered_weight <= optimum + tol && optimum <= cut.upper_bound + tol);
        let again = solve_mclp(&instance, p, &options()).unwrap();
        prop_assert_eq!(without_times(&s), without_times(&again));
    }
}

#[test]
fn fails_with_a_time_limit_or_gap_out_of_range_instead_of_panicking() {
    // 1e300 s once reached `Duration::from_secs_f64` and panicked.
    for (flag, value, range) in [
        ("--time-limit", "1e300", "must be between 0 and 86400 s"),
        ("--time-limit", "NaN", "must be between 0 and 86400 s"),
        ("--gap", "5", "must be between 0 and 1"),
    ] {
        let err = fails(
            GOOD_DEMAND,
            GOOD_CANDIDATES,
            &["--radius", "600m", flag, value],
        );
        assert!(
            err.contains(&format!("{flag} ")) && err.contains(range),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}
