//! `wxmod run` on a region without a DEM: radar coverage and the AWS gaps are not computed, and
//! the summary, the terminal and index.html say so (issue #16; the run with a DEM is tested in
//! `run.rs`).

use crate::fixtures::{shared, wxmod};

#[test]
fn a_run_without_a_dem_says_radar_coverage_was_not_computed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let boundaries = shared("shuozhou_counties_wgs84.geojson");
    let output = wxmod()
        .args(["run", "--json", "--no-protected-objects", "--boundaries"])
        .arg(&boundaries)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let radar = &summary["radar"];
    assert_eq!(radar["computed"], false, "{radar}");
    assert!(radar["best_site"].is_null() && radar["aws"].is_null());
    let reason = radar["not_computed"].as_str().unwrap();
    assert!(reason.contains("the region has no DEM"), "{reason}");
    let line =
        "radar coverage was NOT computed and the AWS gaps were NOT analysed: the region has no DEM";
    assert!(
        summary["headlines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h.as_str().unwrap().starts_with(line)),
        "{}",
        summary["headlines"]
    );
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("<section id=\"radar\">"));
    assert!(
        html.matches(line).count() >= 2,
        "the summary list and the radar section"
    );
    assert!(!out.join("radar").exists(), "no radar files without a DEM");

    // The terminal says it too.
    let text = wxmod()
        .args(["run", "--no-protected-objects", "--boundaries"])
        .arg(&boundaries)
        .arg("--out")
        .arg(tmp.path().join("text"))
        .output()
        .unwrap();
    assert!(text.status.success());
    assert!(String::from_utf8_lossy(&text.stdout).contains(line));
}
