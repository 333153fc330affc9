//! The ops layer seen from the command line: the refusal of plans whose safety checks cannot
//! run (and the warning when the user goes on), the ranges of numeric flags, lengths that need
//! a unit, the cell-count guard, `--json` on every planning command, and all-or-nothing output.

use std::path::Path;

use crate::fixtures::{shared, wxmod};

/// Shuozhou's counties as a bare boundary file: no landmarks, DEM or zones come with it.
fn bare_boundaries() -> String {
    shared("shuozhou_counties_wgs84.geojson")
        .display()
        .to_string()
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn plan_sectors_run_and_explain_refuse_a_region_without_protected_objects() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let boundaries = bare_boundaries();
    let sites = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shuozhou_network.csv");
    let cases: Vec<Vec<&str>> = vec![
        vec!["plan", "--boundaries", &boundaries],
        vec![
            "plan",
            "--boundaries",
            &boundaries,
            "--explain",
            "112.70,39.28",
        ],
        vec!["sectors", "--boundaries", &boundaries, "--sites", sites],
        vec!["run", "--boundaries", &boundaries],
    ];
    for args in cases {
        let output = wxmod().args(&args).arg("--out").arg(&out).output().unwrap();
        let err = stderr_of(&output);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {err}");
        for needle in [
            "has no county seats, places (towns and villages), airports",
            "firing sectors and siting exclusions cannot be checked",
            "--no-protected-objects",
        ] {
            assert!(err.contains(needle), "{args:?}: {needle:?} not in {err}");
        }
        assert!(!out.exists(), "{args:?} wrote output although refused");
    }
}

#[test]
fn with_no_protected_objects_every_output_says_what_was_not_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plan");
    let output = wxmod()
        .args(["plan", "--no-protected-objects", "--boundaries"])
        .arg(bare_boundaries())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("warning: NOT CHECKED: the region has no county seats"),
        "{stdout}"
    );
    assert!(
        stdout.contains("warning: no DEM: no smoke burners planned"),
        "{stdout}"
    );
    assert!(
        stdout.contains("warning: no priority-zone layer"),
        "{stdout}"
    );
    let report = std::fs::read_to_string(out.join("plan.md")).unwrap();
    assert!(report.starts_with("> **Warning:** NOT CHECKED"), "{report}");

    let explained = wxmod()
        .args([
            "plan",
            "--no-protected-objects",
            "--json",
            "--explain",
            "112.70,39.28",
            "--boundaries",
        ])
        .arg(bare_boundaries())
        .output()
        .unwrap();
    assert!(explained.status.success(), "{}", stderr_of(&explained));
    let answer: serde_json::Value = serde_json::from_slice(&explained.stdout).unwrap();
    assert!(
        answer["warnings"][0]
            .as_str()
            .unwrap()
            .starts_with("NOT CHECKED")
    );
    assert_eq!(
        answer["reasons"],
        serde_json::json!([]),
        "the airport is unknown, so nothing refuses the spot"
    );

    let run_out = tmp.path().join("run");
    let run = wxmod()
        .args(["run", "--no-protected-objects", "--boundaries"])
        .arg(bare_boundaries())
        .arg("--out")
        .arg(&run_out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr_of(&run));
    let html = std::fs::read_to_string(run_out.join("index.html")).unwrap();
    assert!(
        html.contains("NOT CHECKED"),
        "index.html carries the warning"
    );
    let svg = std::fs::read_to_string(run_out.join("maps/city_overview.svg")).unwrap();
    assert!(
        svg.contains("NOT CHECKED"),
        "the map's data-source line carries the warning"
    );
    for md in ["gaps.md", "plan.md", "sectors.md", "budget.md"] {
        let text = std::fs::read_to_string(run_out.join(md)).unwrap();
        assert!(
            text.starts_with("> **Warning:** NOT CHECKED"),
            "{md} lacks the warning"
        );
    }
}

#[test]
fn the_bundled_region_is_checked_and_carries_no_warning() {
    let output = wxmod()
        .args(["plan", "--explain", "112.70,39.28"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("warning"), "{stdout}");
    assert!(stdout.contains("Shuozhou Zirun Airport"), "{stdout}");
}

/// Runs wxmod with `args`, expects exit `code` and returns stderr.
fn fails(args: &[&str], code: i32) -> String {
    let output = wxmod().args(args).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(code),
        "{args:?}: {}",
        stderr_of(&output)
    );
    stderr_of(&output)
}

#[test]
fn lengths_need_a_unit_and_numbers_stay_in_range() {
    let err = fails(&["grid", "--size", "10"], 2);
    assert!(
        err.contains("'10' is not a length: a length needs its unit"),
        "{err}"
    );
    for (args, needle) in [
        (
            vec!["grid", "--size", "1m"],
            "--size 1: must be between 1000 and 1000000 m",
        ),
        (
            vec!["grid", "--size", "1e308km"],
            "is not a length: the length must be positive and finite",
        ),
        (
            vec!["grid", "--origin", "1e300,1e300"],
            "--origin 1e300: must be between",
        ),
        (
            vec!["plan", "--start-year", "99999"],
            "--start-year 99999: must be between 2000 and 2100",
        ),
        (
            vec![
                "plan",
                "--objective",
                "coverage",
                "--points",
                "18446744073709551615",
            ],
            "--points 18446744073709551615: must be between 1 and 100000",
        ),
        (
            vec![
                "plan",
                "--objective",
                "coverage",
                "--coverage-spacing",
                "50m",
            ],
            "--coverage-spacing 50: must be between 500 and 50000 m",
        ),
        (
            vec!["budget", "--plan", "x.csv", "--through", "9999"],
            "--through 9999: must be between",
        ),
        (
            vec!["map", "--out", "never", "--dpi", "5000"],
            "--dpi 5000: must be between 30 and 600 dpi",
        ),
    ] {
        let err = fails(
            &args,
            if needle.contains("is not a length") {
                2
            } else {
                1
            },
        );
        assert!(err.contains(needle), "{args:?}: {needle:?} not in {err}");
    }
    assert!(!Path::new("never").exists());
}

#[test]
fn a_grid_with_too_many_cells_is_refused_with_its_estimate() {
    let err = fails(&["grid", "--size", "1km", "--max-cells", "10000"], 1);
    assert!(
        err.contains("a 1000 m grid over 朔州市 Shuozhou would have about"),
        "{err}"
    );
    assert!(err.contains("more than the limit of 10000"), "{err}");
}

#[test]
fn every_planning_command_prints_json_with_its_files() {
    let tmp = tempfile::tempdir().unwrap();
    let sites = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shuozhou_network.csv");
    for (command, key) in [
        ("grid", "grids"),
        ("gaps", "compliance_base"),
        ("plan", "new_standardized_points"),
        ("sectors", "sites"),
    ] {
        let out = tmp.path().join(command);
        let mut cmd = wxmod();
        cmd.args([command, "--json", "--out"]).arg(&out);
        if command != "grid" {
            cmd.args(["--sites", sites]);
        }
        if command == "sectors" {
            cmd.arg("--no-maps");
        }
        let output = cmd.output().unwrap();
        assert!(output.status.success(), "{command}: {}", stderr_of(&output));
        let value: serde_json::Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{command} --json is not JSON: {e}"));
        assert!(!value[key].is_null(), "{command} --json lacks {key}");
        let files = value["files"].as_array().expect("a files array");
        assert!(!files.is_empty(), "{command} names its files");
        for f in files {
            assert!(Path::new(f.as_str().unwrap()).exists(), "{f} exists");
        }
    }
}

#[test]
fn a_failed_write_leaves_the_output_folder_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    // The output folder's parent is a regular file: nothing can be written under it.
    let blocker = tmp.path().join("not_a_folder");
    std::fs::write(&blocker, b"x").unwrap();
    let err = fails(&["grid", "--out", blocker.join("out").to_str().unwrap()], 1);
    assert!(err.contains("cannot write"), "{err}");
    assert_eq!(std::fs::read(&blocker).unwrap(), b"x");
    let entries: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "no partial or temporary file is left");
}

#[test]
fn a_wrong_id_property_is_one_line_naming_the_properties_there_are() {
    let boundaries = shared("shanxi_counties_wgs84.geojson");
    let err = fails(
        &[
            "grid",
            "--boundaries",
            boundaries.to_str().unwrap(),
            "--id-prop",
            "code",
        ],
        1,
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("no feature has a 'code' property (the county id, --id-prop)"),
        "{err}"
    );
    assert!(err.contains("the features have: adcode,"), "{err}");
}

#[test]
fn messages_say_each_cause_once_and_ledger_init_needs_its_file() {
    let err = fails(&["gaps", "--sites", "/nonexistent/sites.csv"], 1);
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    let err = fails(&["grid", "--crs", "EPSG:99999"], 1);
    assert_eq!(err.matches("unknown or invalid CRS").count(), 1, "{err}");
    let home = tempfile::tempdir().unwrap();
    let output = wxmod()
        .args(["ledger", "init"])
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr_of(&output).contains("ledger init needs --db PATH"));
    assert_eq!(
        std::fs::read_dir(home.path()).unwrap().count(),
        0,
        "nothing created"
    );
}
