//! The best k radars by the covering solver: its instance from coverage lists refuses
//! inconsistent lists with a typed error, and on the Shanxi province (bundled `140000`) the
//! eleven radars (one per city) come with a bound that an independent bound checks.

use wxmod::solver::{Candidate, CoverError, CoverInstance, DemandPoint};

use crate::fixtures::wxmod;

fn demand(n: usize) -> Vec<DemandPoint> {
    (0..n)
        .map(|i| DemandPoint {
            id: format!("d{i}"),
            x_m: i as f64,
            y_m: 0.0,
            weight: 1.0 + i as f64,
        })
        .collect()
}

fn candidates(n: usize) -> Vec<Candidate> {
    (0..n)
        .map(|j| Candidate {
            id: format!("c{j}"),
            x_m: 0.0,
            y_m: j as f64,
        })
        .collect()
}

#[test]
fn coverage_lists_build_an_instance_or_a_typed_error() {
    let instance =
        CoverInstance::from_coverage_lists(demand(4), candidates(2), &[vec![0, 2, 2], vec![2, 3]])
            .unwrap();
    assert_eq!(instance.coverage_pairs(), 4, "a repeated index counts once");
    assert_eq!(instance.uncoverable(), &[1]);
    assert_eq!(instance.covered_weight(&[0]), 1.0 + 3.0);
    assert_eq!(instance.covered_weight(&[0, 1]), 1.0 + 3.0 + 4.0);
    let solution =
        wxmod::solver::solve_mclp(&instance, 1, &wxmod::solver::SolveOptions::default()).unwrap();
    assert_eq!(solution.chosen_ids, vec!["c1"]);
    assert_eq!(solution.covered_weight, 7.0);

    match CoverInstance::from_coverage_lists(demand(4), candidates(2), &[vec![0]]) {
        Err(e @ CoverError::BadPoint { .. }) => {
            assert!(
                e.to_string().contains("1 coverage lists for 2 candidates"),
                "{e}"
            )
        }
        other => panic!("one list for two candidates: {other:?}"),
    }
    match CoverInstance::from_coverage_lists(demand(4), candidates(2), &[vec![0], vec![4]]) {
        Err(e @ CoverError::BadPoint { .. }) => {
            let text = e.to_string();
            assert!(text.contains("candidate 1"), "{text}");
            assert!(text.contains("'c1'"), "{text}");
            assert!(
                text.contains("demand index 4, but there are 4 demand points"),
                "{text}"
            );
        }
        other => panic!("an index out of range: {other:?}"),
    }
    let mut bad = demand(2);
    bad[1].weight = -1.0;
    assert!(matches!(
        CoverInstance::from_coverage_lists(bad, candidates(1), &[vec![0]]),
        Err(CoverError::BadPoint { .. })
    ));
}

#[test]
fn the_province_gets_eleven_radars_with_a_bound() {
    let output = wxmod()
        .args([
            "radar",
            "--region",
            "140000",
            "--lattice-km",
            "15",
            "--radars",
            "11",
            "--no-aws",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let net = &v["network"];
    let chosen: Vec<&str> = net["chosen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(chosen.len(), 11, "{net}");
    let covered = net["covered_1km_agl_km2"].as_f64().unwrap();
    let bound = net["upper_bound_km2"].as_f64().unwrap();
    let greedy = net["greedy_1km_agl_km2"].as_f64().unwrap();
    let land = v["land_km2"].as_f64().unwrap();
    assert!(
        covered > 0.0 && covered <= bound + 0.1 && bound <= land + 0.1,
        "{net}"
    );
    assert!(
        greedy <= covered + 0.1,
        "the solver keeps at least the greedy cover: {net}"
    );
    let method = net["method"].as_str().unwrap();
    assert!(method.contains("covering solver"), "{method}");
    // An independent bound: no 11 sites cover more than the 11 largest single coverages.
    let sites = v["sites"].as_array().unwrap();
    let mut singles: Vec<f64> = sites
        .iter()
        .filter(|s| s["eligible"] == true)
        .map(|s| s["coverage_1km_agl_share"].as_f64().unwrap() * land)
        .collect();
    singles.sort_by(|a, b| b.total_cmp(a));
    let top11: f64 = singles.iter().take(11).sum();
    assert!(covered <= top11 + 1.0, "covered {covered} > {top11}");
    // The chosen sites are eligible and distinct.
    for id in &chosen {
        let row = sites.iter().find(|s| s["id"] == *id).unwrap();
        assert_eq!(row["eligible"], true, "{id}");
    }
    let mut distinct = chosen.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 11);
}
