//! The LP-strength bound of the set-covering solver, checked against an independent LP computed here (a
//! tableau simplex on the dual packing problem), against HiGHS's LP values on the shared instances, and
//! against brute-force optima on 200 random small instances; both LP methods (dual simplex, interior point).

use std::time::Duration;

use proptest::prelude::*;
use wxmod::solver::{
    CoverInstance, LpMethod, SolveOptions, lscp_lp_relaxation, lscp_lp_relaxation_by, solve_lscp,
};
use wxmod::units::Metres;

use super::{options, shuozhou, small_instance, subsets};

/// The LP relaxation's value by a method independent of the library's: the dual packing LP
/// max Σ u_i subject to Σ_{i covered by j} u_i <= 1 for every candidate j, u >= 0, by a dense tableau primal
/// simplex from the slack basis with Bland's rule (which cannot cycle). Every point must be coverable.
fn packing_lp(instance: &CoverInstance) -> f64 {
    let n = instance.demand().len();
    let m = instance.candidates().len();
    let w = n + m + 1;
    let mut t = vec![vec![0.0f64; w]; m + 1];
    for (j, row) in t.iter_mut().enumerate().take(m) {
        for i in instance.covered_by(j) {
            row[i] = 1.0;
        }
        row[n + j] = 1.0;
        row[w - 1] = 1.0;
    }
    for i in 0..n {
        t[m][i] = -1.0;
    }
    let mut basis: Vec<usize> = (n..n + m).collect();
    while let Some(e) = (0..n + m).find(|&k| t[m][k] < -1e-12) {
        let mut leave: Option<(usize, f64)> = None;
        for r in 0..m {
            if t[r][e] > 1e-12 {
                let ratio = t[r][w - 1] / t[r][e];
                let better = match leave {
                    None => true,
                    Some((l, best)) => {
                        ratio < best - 1e-12 || (ratio <= best + 1e-12 && basis[r] < basis[l])
                    }
                };
                if better {
                    leave = Some((r, ratio));
                }
            }
        }
        let (r, _) = leave.expect("bounded: every point is covered by some candidate");
        let piv = t[r][e];
        for x in t[r].iter_mut() {
            *x /= piv;
        }
        let pivot_row = t[r].clone();
        for (k, row) in t.iter_mut().enumerate() {
            if k != r && row[e] != 0.0 {
                let f = row[e];
                for (x, p) in row.iter_mut().zip(&pivot_row) {
                    *x -= f * p;
                }
            }
        }
        basis[r] = e;
    }
    t[m][w - 1]
}

#[test]
fn shuozhou_lp_values_equal_highs() {
    // HiGHS 1.16 LP optima (../venv-solver measurement, see the note of issue 17): 32.083333 and 54.666667.
    for (km, highs) in [(10, 32.083_333_333), (7, 54.666_666_667)] {
        let lp = lscp_lp_relaxation(&shuozhou(km), Duration::from_secs(60)).unwrap();
        assert!(lp.optimal);
        approx::assert_relative_eq!(lp.value, highs, epsilon = 1e-5);
        let ipm = interior(&shuozhou(km));
        assert!(ipm.optimal);
        approx::assert_relative_eq!(ipm.value, highs, epsilon = 1e-5);
        let s = solve_lscp(&shuozhou(km), &options()).unwrap();
        assert!(
            s.stats.root_bound >= highs - 1e-5,
            "r{km}: root bound {}",
            s.stats.root_bound
        );
    }
}

#[test]
fn independent_lp_on_constructed_cases() {
    // The packing LP here and the library's dual simplex on a few fixed small instances.
    let mut rng = wxmod::rng::SplitMix64::new(11);
    let mut next = move || rng.unit();
    for case in 0..6 {
        let demand = (0..15 + 5 * case)
            .map(|k| wxmod::solver::DemandPoint {
                id: format!("d{k}"),
                x_m: 20_000.0 * next(),
                y_m: 20_000.0 * next(),
                weight: 1.0,
            })
            .collect();
        let candidates = (0..30 + 10 * case)
            .map(|k| wxmod::solver::Candidate {
                id: format!("c{k}"),
                x_m: 20_000.0 * next(),
                y_m: 20_000.0 * next(),
            })
            .collect();
        let instance = CoverInstance::new(demand, candidates, Metres(6_000.0)).unwrap();
        if !instance.uncoverable().is_empty() {
            continue;
        }
        let lp = lscp_lp_relaxation(&instance, Duration::from_secs(60)).unwrap();
        assert!(lp.optimal);
        let independent = packing_lp(&instance);
        approx::assert_relative_eq!(lp.value, independent, epsilon = 1e-6 * (1.0 + independent));
        let ipm = interior(&instance);
        assert!(ipm.optimal);
        approx::assert_relative_eq!(ipm.value, independent, epsilon = 1e-6 * (1.0 + independent));
    }
}

fn interior(instance: &CoverInstance) -> wxmod::solver::LpRelaxation {
    lscp_lp_relaxation_by(instance, Duration::from_secs(60), LpMethod::InteriorPoint).unwrap()
}

#[test]
fn shanxi_interior_point_lp_equals_highs() {
    // HiGHS 1.16's LP optimum of shanxi_r10 (1,712 x 39,186; highspy, see the note of issue 17): 415.516190.
    // The interior-point bound is a scaled dual, so it may sit below the optimum by its tolerance, never above.
    let dir = super::bench_dir("shanxi_r10");
    let instance = CoverInstance::from_csv(
        &dir.join("demand.csv"),
        &dir.join("candidates.csv"),
        Metres::from_km(10.0),
    )
    .unwrap();
    let ipm = interior(&instance);
    assert!(ipm.optimal && ipm.components == 1, "{ipm:?}");
    assert!(ipm.value <= 415.516_190 + 1e-5, "{ipm:?}");
    approx::assert_relative_eq!(ipm.value, 415.516_190, epsilon = 1e-4);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn lp_bound_equals_an_independent_lp_and_never_exceeds_the_optimum(
        (demand, candidates, r) in small_instance(), nodes in 0u64..2
    ) {
        let instance = CoverInstance::new(demand, candidates, Metres(r)).unwrap();
        if !instance.uncoverable().is_empty() {
            return Ok(());
        }
        let optimum = subsets(&instance)
            .iter()
            .filter(|(_, covered)| covered.iter().all(|&c| c))
            .map(|(mask, _)| mask.count_ones() as usize)
            .min()
            .unwrap();
        let lp = lscp_lp_relaxation(&instance, Duration::from_secs(60)).unwrap();
        prop_assert!(lp.optimal);
        let independent = packing_lp(&instance);
        prop_assert!((lp.value - independent).abs() <= 1e-6 * (1.0 + independent),
            "library LP {} vs independent {}", lp.value, independent);
        prop_assert!(lp.value <= optimum as f64 + 1e-9);
        let ipm = interior(&instance);
        prop_assert!(ipm.optimal);
        prop_assert!((ipm.value - independent).abs() <= 1e-6 * (1.0 + independent),
            "interior-point LP {} vs independent {}", ipm.value, independent);
        prop_assert!(ipm.value <= optimum as f64 + 1e-9);
        let cut = solve_lscp(&instance, &SolveOptions { node_limit: Some(nodes), ..options() }).unwrap();
        prop_assert!(cut.stats.root_bound <= optimum as f64 + 1e-6);
        prop_assert!(cut.stats.root_bound >= lp.value - 1e-6);
        prop_assert!(cut.lower_bound <= optimum && optimum <= cut.objective);
    }
}

#[test]
fn cli_reports_objective_bound_and_gap_when_cut_short() {
    // shanxi_r10 is not proven by anyone: HiGHS's bound is 417, and 421 sites are known. Whatever the time
    // limit reaches, the answer must be a cover, the bound valid, and the gap and the bound method stated.
    let dir = super::bench_dir("shanxi_r10");
    let out = super::wxmod()
        .args([
            "cover",
            "--radius",
            "10km",
            "--time-limit",
            "0.5",
            "--demand",
        ])
        .arg(dir.join("demand.csv"))
        .arg("--candidates")
        .arg(dir.join("candidates.csv"))
        .assert()
        .success();
    let v = super::json_of(&out.get_output().stdout);
    let objective = v["objective"].as_u64().unwrap();
    let bound = v["lower_bound"].as_u64().unwrap();
    assert!(
        objective >= 417 && bound <= 421,
        "{objective} sites, bound {bound}"
    );
    assert_eq!(v["proven_optimal"], false);
    let gap = v["gap"].as_f64().unwrap();
    approx::assert_relative_eq!(gap, (objective - bound) as f64 / objective as f64);
    let method = v["bound_method"].as_str().unwrap();
    assert!(method.contains("independent component"), "{method}");
    assert!(v["stats"]["root_bound"].as_f64().unwrap() <= 421.0);
}
