//! `wxmod run`, the README's main job, end to end on the bundled Shuozhou data with the
//! example network: every promised file, each equal to what the single command writes
//! (grid, gaps, plan, sectors, budget), maps of the sheet size that are not blank, refused
//! input that writes nothing, and the report opened in headless Chromium with no errors. The
//! run and the screenshot stay in `target/tmp/run-shuozhou/` until the next test run.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use predicates::prelude::*;

use crate::browser;
use crate::fixtures::{assert_not_blank, decode_png, shuozhou, wxmod};

fn example_sites() -> PathBuf {
    crate::fixtures::example_network()
}

/// The run's output folder and its `--json` summary (whose headlines are the terminal's
/// lines): run once, shared by the tests below.
fn the_run() -> &'static (PathBuf, String) {
    static RUN: OnceLock<(PathBuf, String)> = OnceLock::new();
    RUN.get_or_init(|| {
        // Under cargo's scratch folder for tests, replaced on every test run, so the report
        // and its screenshot (report.png) can be looked at afterwards.
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("run-shuozhou");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("the previous run is removed");
        }
        let out = dir.join("out");
        let assert = wxmod()
            .args(["run", "--json", "--sites"])
            .arg(example_sites())
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
        (out, stdout)
    })
}

/// Runs one wxmod command with `--out <folder>/<name>` and returns that folder.
fn single(name: &str, args: &[&str], extra: &[&Path]) -> PathBuf {
    let out = the_run().0.parent().expect("a parent").join(name);
    wxmod()
        .args(args)
        .args(extra)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    out
}

fn assert_same_file(run: &Path, single: &Path, name: &str, single_name: &str) {
    let a = std::fs::read(run.join(name)).unwrap_or_else(|e| panic!("run's {name}: {e}"));
    let b = std::fs::read(single.join(single_name))
        .unwrap_or_else(|e| panic!("{}: {e}", single.join(single_name).display()));
    assert!(
        a == b,
        "wxmod run's {name} differs from {}",
        single.join(single_name).display()
    );
}

#[test]
fn the_run_writes_every_promised_file() {
    let (out, stdout) = the_run();
    let region = shuozhou();
    let mut expected: Vec<String> = [
        "index.html",
        "grid_15km.geojson",
        "grid_15km_counties.csv",
        "grid_10km_priority.geojson",
        "grid_10km_priority_counties.csv",
        "gaps.md",
        "gaps_compliance.csv",
        "gaps_coverage_counties.csv",
        "gaps_coverage_zones.csv",
        "gaps_list.csv",
        "gaps_policy_items.csv",
        "gaps_cells.geojson",
        "gaps_uncovered.geojson",
        "plan.csv",
        "plan.geojson",
        "plan.md",
        "plan_rollout.csv",
        "plan_infeasible_cells.csv",
        "sectors.csv",
        "sectors.md",
        "sectors_ledger.csv",
        "sectors.geojson",
        "protected_objects.geojson",
        "budget.md",
        "budget_lines.csv",
        "budget_summary.csv",
        "budget_counties.csv",
        "budget_ammunition.csv",
        "budget.xlsx",
        "budget_chart.png",
        "budget_chart.svg",
        "maps/city_overview.png",
        "maps/city_overview.svg",
        "radar/radar.md",
        "radar/radar_candidates.csv",
        "radar/radar_candidates.xlsx",
        "radar/radar.json",
        "radar/radar_covered.geojson",
        "radar/radar_coverage_1km.png",
        "radar/radar_coverage_1km.svg",
        "radar/aws.md",
        "radar/aws_counties.csv",
        "radar/aws_gaps.geojson",
        "radar/aws_suggested.csv",
    ]
    .map(String::from)
    .to_vec();
    for c in &region.counties {
        expected.push(format!("maps/county_{}.png", c.id));
        expected.push(format!("maps/county_{}.svg", c.id));
    }
    for name in &expected {
        let path = out.join(name);
        let size = std::fs::metadata(&path)
            .unwrap_or_else(|e| panic!("{} is missing: {e}", path.display()))
            .len();
        assert!(size > 100, "{} has only {size} bytes", path.display());
    }
    let rollout: Vec<_> = std::fs::read_dir(out.join("maps"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("rollout_") && n.ends_with(".png"))
        .collect();
    assert!(rollout.len() >= 5, "one rollout map per year: {rollout:?}");
    for line in [
        "15 km base grid today: 8 of 56 required cells served, 48 gaps",
        "effective coverage today: 3246.4 of 10626.7 km² (30.5%)",
        "plan: 86 new standardized points, 32 burners, 4 vehicle-mounted systems; 8 cells infeasible",
        "firing sectors: 97 rocket and gun sites, 0 without a valid sector",
        "budget 2027–2035: 16234.10 万元 over 631 lines",
    ] {
        assert!(stdout.contains(line), "missing `{line}` in:\n{stdout}");
    }
}

/// Issue #16: the run chooses the radar site (5 km lattice) and finds the AWS gaps, says both
/// in `--json` and index.html, and writes the coverage map the section links.
#[test]
fn the_run_chooses_the_radar_site_and_finds_the_aws_gaps() {
    let (out, stdout) = the_run();
    let summary: serde_json::Value = serde_json::from_str(stdout).expect("--json is JSON");
    let radar = &summary["radar"];
    assert_eq!(radar["computed"], true, "{radar}");
    assert_eq!(radar["lattice_km"], 5.0);
    let best = &radar["best_site"];
    let id = best["id"].as_str().expect("a best site id");
    let share = best["coverage_1km_agl_share"].as_f64().unwrap();
    // The radar study's own file agrees with the summary: the chosen site and its share.
    let study: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("radar/radar.json")).unwrap()).unwrap();
    assert_eq!(study["network"]["chosen"][0], id);
    let row = study["sites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .expect("the chosen site has a row");
    assert_eq!(row["rank"], 1);
    assert!((row["coverage_1km_agl_share"].as_f64().unwrap() - share).abs() < 1e-4);
    // The 2 km lattice's best covers 65.4 %; a 5 km lattice is close to it.
    assert!((0.60..=0.66).contains(&share), "1 km AGL share {share}");
    let high = best["coverage_3km_agl_share"].as_f64().unwrap();
    assert!(high >= share && high <= 1.0, "3 km AGL share {high}");
    assert_eq!(
        radar["candidates"].as_u64().unwrap() as usize,
        study["sites"].as_array().unwrap().len()
    );
    // AWS: the example network's stations; the gap is land, not more than all of it.
    let aws = &radar["aws"];
    assert_eq!(aws["stations"], 4, "{aws}");
    let (gap, land) = (
        aws["gap_km2"].as_f64().unwrap(),
        aws["land_km2"].as_f64().unwrap(),
    );
    assert!(gap > 0.0 && gap < land, "gap {gap} of {land} km²");
    assert!(aws["gap_after_km2"].as_f64().unwrap() < gap);
    let headlines: Vec<&str> = summary["headlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    let said = |start: &str| headlines.iter().any(|h| h.starts_with(start));
    assert!(said(&format!("radar: best site {id} ")), "{headlines:?}");
    assert!(
        headlines
            .iter()
            .any(|h| h.contains("5 km candidate lattice"))
    );
    assert!(said("AWS: 4 six-element stations;"), "{headlines:?}");

    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("<section id=\"radar\">"));
    assert!(html.contains("X-band radar site and AWS network"));
    assert!(html.contains(&format!("radar: best site {id} ")));
    for img in html.split("<img src=\"").skip(1) {
        let target = &img[..img.find('"').unwrap()];
        assert!(
            out.join(target).is_file(),
            "index.html shows a missing {target}"
        );
    }
    assert!(html.contains("<img src=\"radar/radar_coverage_1km.png\""));
    assert!(out.join(format!("radar/radar_blockage_{id}.png")).is_file());
    assert!(out.join(format!("radar/radar_horizon_{id}.png")).is_file());
}

#[test]
fn every_file_equals_what_the_single_command_writes() {
    let (out, _) = the_run();
    let sites = example_sites();
    let grid15 = single("grid15", &["grid", "--size", "15km"], &[]);
    for name in ["grid_15km.geojson", "grid_15km_counties.csv"] {
        assert_same_file(out, &grid15, name, name);
    }
    let grid10 = single(
        "grid10",
        &["grid", "--size", "10km", "--zones", "bundled"],
        &[],
    );
    for name in [
        "grid_10km_priority.geojson",
        "grid_10km_priority_counties.csv",
    ] {
        assert_same_file(out, &grid10, name, name);
    }

    let radar = single(
        "radar",
        &["radar", "--lattice-km", "5", "--no-maps", "--network"],
        &[&sites],
    );
    for name in [
        "radar.md",
        "radar_candidates.csv",
        "radar.json",
        "radar_covered.geojson",
        "aws.md",
        "aws_counties.csv",
        "aws_suggested.csv",
    ] {
        assert_same_file(out, &radar, &format!("radar/{name}"), name);
    }

    let gaps = single("gaps", &["gaps", "--sites"], &[&sites]);
    let plan = single("plan", &["plan", "--sites"], &[&sites]);
    for dir in [&gaps, &plan] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            assert_same_file(out, dir, &name, &name);
        }
    }

    // Sectors and budget read the plan the run wrote.
    let run_plan = out.join("plan.csv");
    let sectors = single(
        "sectors",
        &["sectors", "--no-maps", "--sites"],
        &[&run_plan],
    );
    for name in [
        "sectors.csv",
        "sectors.md",
        "sectors_ledger.csv",
        "sectors.geojson",
    ] {
        assert_same_file(out, &sectors, name, name);
    }
    let budget = single(
        "budget",
        &[
            "budget",
            "--start-year",
            "2027",
            "--through",
            "2035",
            "--plan",
        ],
        &[&run_plan],
    );
    for name in [
        "budget_lines.csv",
        "budget_summary.csv",
        "budget_counties.csv",
        "budget_ammunition.csv",
        "budget_chart.png",
        "budget_chart.svg",
    ] {
        assert_same_file(out, &budget, name, name);
    }
}

#[test]
fn every_map_has_the_sheet_size_and_is_drawn() {
    let (out, _) = the_run();
    let mut maps = 0;
    for entry in std::fs::read_dir(out.join("maps")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.display().to_string();
        match path.extension().and_then(|e| e.to_str()) {
            Some("png") => {
                let (w, h, rgb) = decode_png(&std::fs::read(&path).unwrap());
                assert!(
                    (w, h) == (1754, 1240) || (w, h) == (1240, 1754),
                    "{name}: {w}×{h} is not A4 at 150 dpi"
                );
                assert_not_blank(&name, &rgb, 0.4, 500);
                maps += 1;
            }
            Some("svg") => {
                let svg = std::fs::read_to_string(&path).unwrap();
                assert!(
                    svg.contains("viewBox=\"0 0 1754 1240\"")
                        || svg.contains("viewBox=\"0 0 1240 1754\""),
                    "{name}: not an A4 sheet"
                );
                assert!(svg.trim_end().ends_with("</svg>"), "{name} is cut short");
            }
            _ => panic!("unexpected file {name}"),
        }
    }
    assert!(maps >= 12, "{maps} PNG maps");
    let (w, h, rgb) = decode_png(&std::fs::read(out.join("budget_chart.png")).unwrap());
    assert_eq!((w, h), (1000, 600));
    assert_not_blank("budget_chart.png", &rgb, 0.05, 20);
}

#[test]
#[cfg_attr(
    wxmod_skip_browser,
    ignore = "WXMOD_SKIP_BROWSER=1: needs headless Chromium"
)]
fn the_report_opens_in_headless_chromium_without_errors() {
    let chromium = browser::chromium();
    let (out, _) = the_run();
    let page = out.join("index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let figures = html.matches("<figure id=").count();
    assert_eq!(
        figures, 4,
        "city map, budget chart, last rollout map, first county map"
    );
    for link in html.split("href=\"").skip(1) {
        let target = &link[..link.find('"').unwrap()];
        if !target.starts_with('#') && !target.starts_with("data:") {
            assert!(
                out.join(target).is_file(),
                "index.html links to a missing {target}"
            );
        }
    }

    let seen = browser::observe(&chromium, &page);
    assert!(
        seen.errors.is_empty(),
        "the report raised: {:?}",
        seen.errors
    );
    assert!(seen.svgs >= figures, "{} svg elements", seen.svgs);
    assert_eq!(
        seen.wide_figures, figures,
        "every figure is drawn at a readable width"
    );
    assert!(seen.tables >= 10, "{} tables", seen.tables);
    for text in [
        "朔州市 Shuozhou 人工影响天气作业布局规划",
        "Grid-standard compliance 网格化布局达标情况",
        "Equipment budget 装备经费预算",
        "16234.10",
        "应县",
    ] {
        assert!(seen.text.contains(text), "the page shows no `{text}`");
    }

    let shot = out.parent().unwrap().join("report.png");
    let console = browser::screenshot(&chromium, &page, &shot, 1280, 2400);
    assert!(console.is_empty(), "console messages: {console:?}");
    let (w, h, rgb) = decode_png(&std::fs::read(&shot).unwrap());
    assert_eq!((w, h), (1280, 2400));
    assert_not_blank("the report screenshot", &rgb, 0.1, 200);
}

#[test]
fn refused_input_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    wxmod()
        .args(["run", "--sites", "no-such-network.csv", "--out"])
        .arg(&out)
        .assert()
        .failure()
        .code(1)
        .stderr(predicate::str::contains("no-such-network.csv"));
    wxmod()
        .args(["run", "--ledger", "no-such-ledger.db", "--out"])
        .arg(&out)
        .assert()
        .failure()
        .code(1)
        .stderr(predicate::str::contains("no-such-ledger.db"));
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "id,name,kind,standardized,status,year,lon,lat,county\nX1,bad,cannon,yes,existing,2020,112.5,39.5,\n",
    )
    .unwrap();
    wxmod()
        .args(["run", "--sites"])
        .arg(&bad)
        .arg("--out")
        .arg(&out)
        .assert()
        .failure()
        .code(1)
        .stderr(predicate::str::contains(
            "line 2 (site X1): unknown kind 'cannon'",
        ));
    assert!(!out.exists(), "a refused run wrote {}", out.display());
}

#[test]
fn with_a_ledger_the_run_budgets_from_its_history_like_the_budget_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = crate::fixtures::season_2025_ledger(dir.path());
    let out = dir.path().join("run");
    wxmod()
        .args(["run", "--through", "2028", "--sites"])
        .arg(example_sites())
        .arg("--ledger")
        .arg(&db)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("budget 2027–2028:"));
    let md = std::fs::read_to_string(out.join("budget.md")).unwrap();
    assert!(md.contains("firings of 2025"), "the basis names the ledger");
    assert!(
        md.contains("(120 rounds / 1 site-year in the ledger)"),
        "the gun site's use comes from the ledger"
    );

    let single = dir.path().join("budget");
    wxmod()
        .args([
            "budget",
            "--start-year",
            "2027",
            "--through",
            "2028",
            "--plan",
        ])
        .arg(out.join("plan.csv"))
        .arg("--ledger")
        .arg(&db)
        .arg("--out")
        .arg(&single)
        .assert()
        .success();
    for name in [
        "budget_lines.csv",
        "budget_summary.csv",
        "budget_ammunition.csv",
    ] {
        assert_same_file(&out, &single, name, name);
    }
}
