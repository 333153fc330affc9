//! The siting planner on the bundled Shuozhou data: every required cell served or listed as
//! infeasible, the count equal to the matching formula, deterministic output, and a plan that
//! adds only what the example network lacks.

use geo::polygon;
use predicates::prelude::*;
use wxmod::catalog::{Catalog, bundled_catalog_path};
use wxmod::gaps::{GapInputs, GapOptions, PolicyGrid, analyse};
use wxmod::region::read_landmarks;
use wxmod::sites::{Site, SiteKind, SiteStatus, locate_in_region, read_sites};
use wxmod::siting::{
    CoverageObjective, GoalStatus, Objective, Plan, PlanInputs, SitingRules, check_goals,
    constraints, explain, plan,
};
use wxmod::terrain::Dem;
use wxmod::zones::ZoneLayer;

use crate::fixtures::{bundled, shuozhou, wxmod};

fn example_network(region: &wxmod::region::Region) -> Vec<Site> {
    let path = crate::fixtures::example_network();
    let mut sites = read_sites(&path).unwrap();
    locate_in_region(&mut sites, region, &path).unwrap();
    sites
}

/// Plans on the bundled data and checks the plan with an independent gap analysis of its
/// output (the network as of the last rollout year).
fn plan_and_check(existing: &[Site]) -> (Plan, wxmod::gaps::GapReport) {
    plan_for(existing, Objective::Grid)
}

fn plan_for(existing: &[Site], objective: Objective) -> (Plan, wxmod::gaps::GapReport) {
    let region = shuozhou();
    let catalog = Catalog::read(&bundled_catalog_path()).unwrap();
    let dem = Dem::read(&bundled("shuozhou/dem_30s.asc")).unwrap();
    let zones = ZoneLayer::read(&bundled("shuozhou/zones.geojson")).unwrap();
    let landmarks = read_landmarks(&bundled("shuozhou/landmarks.csv")).unwrap();
    let rules = SitingRules::default();
    let inputs = PlanInputs {
        region: &region,
        sites: existing,
        catalog: &catalog,
        dem: Some(&dem),
        zones: Some(&zones),
        landmarks: &landmarks,
        rules: rules.clone(),
        options: GapOptions {
            year: Some(rules.start_year - 1),
            ..GapOptions::default()
        },
        objective,
    };
    let c = constraints(&inputs, Vec::new());
    let result = plan(&inputs, &c).unwrap();
    let after = analyse(&GapInputs {
        region: &region,
        sites: &result.sites,
        catalog: &catalog,
        dem: None,
        zones: Some(&zones),
        options: GapOptions {
            year: Some(2100),
            ..GapOptions::default()
        },
    });
    (result, after)
}

#[test]
fn with_no_sites_every_required_cell_is_served_or_infeasible() {
    let (result, after) = plan_and_check(&[]);
    let g = &result.grid;
    assert_eq!(
        g.points.len(),
        g.unserved_priority + g.unserved_base - g.matching,
        "the matching formula"
    );
    for grid in [PolicyGrid::Base, PolicyGrid::Priority] {
        let city = after.city_compliance(grid).unwrap();
        let infeasible = g.infeasible.iter().filter(|c| c.grid == grid).count();
        assert_eq!(
            city.gaps(),
            infeasible,
            "{grid:?}: only infeasible cells may stay unserved"
        );
        for gap in after.gaps().filter(|c| c.grid == grid) {
            let listed = g
                .infeasible
                .iter()
                .find(|c| c.grid == grid && c.cell == gap.cell)
                .expect("listed as infeasible");
            assert!(
                !listed.reasons.is_empty(),
                "an infeasible cell carries its reasons"
            );
        }
    }
    assert_eq!(
        g.unserved_base
            + g.infeasible
                .iter()
                .filter(|c| c.grid == PolicyGrid::Base)
                .count(),
        56
    );
    assert_eq!(
        g.unserved_priority
            + g.infeasible
                .iter()
                .filter(|c| c.grid == PolicyGrid::Priority)
                .count(),
        100
    );
    // Each point serves one or two cells, never two of the same grid.
    for p in &g.points {
        assert!(matches!(p.serves.len(), 1 | 2));
        if p.serves.len() == 2 {
            assert_ne!(p.serves[0].0, p.serves[1].0);
        }
    }
    // At most two new points per county per year.
    for c in &result.rollout.counties {
        assert!(
            c.points_by_year.values().all(|&n| (1..=2).contains(&n)),
            "{c:?}"
        );
    }
    assert_eq!(result.mobile_counties.len(), 6);
    assert!(
        result
            .burners
            .as_ref()
            .is_some_and(|b| !b.burners.is_empty() && b.reached_after > b.reached_before)
    );
}

#[test]
fn the_plan_is_the_same_on_every_run() {
    let (a, _) = plan_and_check(&[]);
    let (b, _) = plan_and_check(&[]);
    assert_eq!(
        wxmod::sites::sites_to_csv(&a.sites),
        wxmod::sites::sites_to_csv(&b.sites)
    );
}

#[test]
fn with_the_example_network_the_plan_adds_only_what_is_missing() {
    let region = shuozhou();
    let existing = example_network(&region);
    let (with_network, after) = plan_and_check(&existing);
    let (from_scratch, _) = plan_and_check(&[]);
    assert!(with_network.grid.points.len() < from_scratch.grid.points.len());
    // The existing sites are kept, unchanged, at the head of the plan.
    assert_eq!(&with_network.sites[..existing.len()], existing.as_slice());
    // No new point goes to a cell the network already serves.
    let before = analyse(&GapInputs {
        region: &region,
        sites: &existing,
        catalog: &Catalog::read(&bundled_catalog_path()).unwrap(),
        dem: None,
        zones: Some(&ZoneLayer::read(&bundled("shuozhou/zones.geojson")).unwrap()),
        options: GapOptions {
            year: Some(2026),
            ..GapOptions::default()
        },
    });
    for p in &with_network.grid.points {
        for (grid, cell) in &p.serves {
            let served = before
                .cells
                .iter()
                .any(|c| c.grid == *grid && c.cell == *cell && c.served());
            assert!(!served, "{cell} is served already");
        }
    }
    // Mobile systems only where the network has none: 平鲁区, 应县, 右玉县, 怀仁市.
    assert_eq!(
        with_network.mobile_counties,
        ["140603", "140622", "140623", "140681"]
    );
    let infeasible = with_network.grid.infeasible.len();
    let left: usize = [PolicyGrid::Base, PolicyGrid::Priority]
        .iter()
        .map(|g| after.city_compliance(*g).unwrap().gaps())
        .sum();
    assert_eq!(left, infeasible);
    let planned: Vec<&Site> = with_network
        .sites
        .iter()
        .filter(|s| s.status == SiteStatus::Planned && s.kind == SiteKind::FixedRocket)
        .collect();
    // The example's one planned site plus the new ones.
    assert_eq!(planned.len(), 1 + with_network.grid.points.len());
}

#[test]
fn explain_says_why_not_here() {
    let region = shuozhou();
    let catalog = Catalog::read(&bundled_catalog_path()).unwrap();
    let landmarks = read_landmarks(&bundled("shuozhou/landmarks.csv")).unwrap();
    let inputs = PlanInputs {
        region: &region,
        sites: &[],
        catalog: &catalog,
        dem: None,
        zones: None,
        landmarks: &landmarks,
        rules: SitingRules::default(),
        options: GapOptions::default(),
        objective: Objective::Grid,
    };
    let c = constraints(&inputs, Vec::new());
    let at_airport = explain(&region, &c, 112.70, 39.28);
    assert!(
        at_airport
            .reasons
            .iter()
            .any(|r| r.contains("airport clearance of Shuozhou Zirun Airport")),
        "{at_airport:?}"
    );
    let far = explain(&region, &c, 116.4, 39.9);
    assert!(far.reasons[0].starts_with("outside the region"));
}

#[test]
fn plan_command_writes_a_plan_that_gaps_reads() {
    let dir = tempfile::tempdir().unwrap();
    wxmod()
        .args(["plan", "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("new standardized points ="));
    let plan_csv = dir.path().join("plan.csv");
    wxmod()
        .args(["gaps", "--year", "2045", "--sites"])
        .arg(&plan_csv)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "15 km base grid: 55 of 56 required cells served",
        ));
    wxmod()
        .args(["plan", "--explain", "112.70,39.28"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "within 20000 m of airport clearance of Shuozhou Zirun Airport",
        ));
}

#[test]
fn bad_rules_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, "candidate_spacing_m = -5\n").unwrap();
    wxmod()
        .args(["plan", "--rules"])
        .arg(&rules)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "rules.toml: candidate_spacing_m must be between 100 and 5000, got -5",
        ));
    // Values that would make the run unbounded or read back wrongly are refused by their range.
    for (line, message) in [
        (
            "candidate_spacing_m = 1",
            "candidate_spacing_m must be between 100 and 5000, got 1",
        ),
        (
            "start_year = 9999",
            "start_year must be between 2000 and 2100, got 9999",
        ),
        (
            "max_slope_deg = 91",
            "max_slope_deg must be between 0 and 90, got 91",
        ),
        (
            "max_new_per_county_per_year = 9223372036854775807",
            "max_new_per_county_per_year must be between 1 and 100",
        ),
    ] {
        std::fs::write(&rules, format!("{line}\n")).unwrap();
        wxmod()
            .args(["plan", "--rules"])
            .arg(&rules)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(message));
    }
    std::fs::write(&rules, "airport_clearence_m = 5\n").unwrap();
    wxmod()
        .args(["plan", "--rules"])
        .arg(&rules)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "unknown field `airport_clearence_m`",
        ));
}

#[test]
fn a_coverage_time_limit_out_of_range_is_refused_before_any_work() {
    // 1e300 s once reached `Duration::from_secs_f64` and panicked; 0 would give no answer.
    for value in ["1e300", "0", "NaN", "3601"] {
        wxmod()
            .args(["plan", "--objective", "coverage", "--time-limit", value])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("--time-limit"))
            .stderr(predicate::str::contains("must be between 0.001 and 3600 s"))
            .stderr(predicate::str::contains("panicked").not());
    }
}

#[test]
fn protected_facilities_refuse_rocket_candidates_that_cannot_fire_clear_of_them() {
    let facilities = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/shuozhou_facilities.geojson");
    // Inside the illustrative open-pit mine: open land without the facility file.
    wxmod()
        .args(["plan", "--explain", "112.36,39.44"])
        .assert()
        .success()
        .stdout(predicate::str::contains("a new point may go here"));
    wxmod()
        .args(["plan", "--explain", "112.36,39.44", "--facilities"])
        .arg(&facilities)
        .assert()
        .success()
        .stdout(predicate::str::contains("no safe firing azimuth"))
        .stdout(predicate::str::contains(
            "Open-pit mine (illustrative outline)",
        ));
    wxmod()
        .args(["plan", "--facilities", "no-such-facilities.geojson"])
        .assert()
        .failure()
        .code(1)
        .stderr(predicate::str::contains("no-such-facilities.geojson"));

    // The run with the file keeps every planned rocket point out of the mine and lists the
    // facilities among the protected objects.
    let dir = tempfile::tempdir().unwrap();
    wxmod()
        .args(["run", "--facilities"])
        .arg(&facilities)
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    let objects = std::fs::read_to_string(dir.path().join("protected_objects.geojson")).unwrap();
    assert!(objects.contains("mine-1") && objects.contains("depot-1"));
    let mine = polygon![
        (x: 112.30, y: 39.40),
        (x: 112.40, y: 39.40),
        (x: 112.42, y: 39.46),
        (x: 112.33, y: 39.48),
    ];
    let plan = read_sites(&dir.path().join("plan.csv")).unwrap();
    let rockets = plan
        .iter()
        .filter(|s| s.kind == SiteKind::FixedRocket)
        .count();
    assert!(rockets > 50, "{rockets} rocket points");
    for site in &plan {
        if site.kind == SiteKind::FixedRocket {
            assert!(
                !geo::Contains::contains(&mine, &geo::Point::new(site.lon, site.lat)),
                "{} lies in the mine",
                site.id
            );
        }
    }
}

/// Regression for issue #15 item 1: a county's full-coverage year comes from its cells, not
/// from the points standing in it. Checked year by year against the gap analysis of the same
/// plan: in every year before a county's year some of its servable cells are still gaps, from
/// that year on none are. Before the fix 朔城区 said 2030 with the example network while
/// c62r436, c63r436 (10 km) and c42r290 (15 km) waited for 平鲁区's points of 2034.
#[test]
fn completion_years_agree_with_the_gap_analysis_year_by_year() {
    let region = shuozhou();
    let catalog = Catalog::read(&bundled_catalog_path()).unwrap();
    let zones = ZoneLayer::read(&bundled("shuozhou/zones.geojson")).unwrap();
    for existing in [Vec::new(), example_network(&region)] {
        let (result, _) = plan_and_check(&existing);
        let rollout = &result.rollout;
        let first = SitingRules::default().start_year;
        let last = rollout.grid_years.iter().copied().max().unwrap_or(first);
        let mut checked = 0;
        for year in first - 1..=last + 1 {
            let gaps = analyse(&GapInputs {
                region: &region,
                sites: &result.sites,
                catalog: &catalog,
                dem: None,
                zones: Some(&zones),
                options: GapOptions {
                    year: Some(year),
                    ..GapOptions::default()
                },
            });
            for county in &rollout.counties {
                let open = gaps.gaps().filter(|c| c.county == county.county).count();
                // The cells no new point can serve stay open in every year.
                let waiting = open - county.never_served_cells;
                let complete = county.complete_year.is_none_or(|y| year >= y);
                assert_eq!(
                    waiting == 0,
                    complete,
                    "{} {}: {waiting} servable cells open in {year}, but the rollout says full coverage in {:?}",
                    county.county_name,
                    county.county,
                    county.complete_year
                );
                checked += 1;
            }
            let city_open = gaps.gaps().count() - rollout.never_served_cells;
            assert_eq!(
                city_open == 0,
                rollout.city_complete_year.is_none_or(|y| year >= y),
                "city: {city_open} servable cells open in {year}, rollout says {:?}",
                rollout.city_complete_year
            );
        }
        assert!(checked >= 6 * 5, "too few county-years checked: {checked}");
    }
}

/// Issue #14 item 4: with infeasible cells no goal is "met"; the goal says the standard is not
/// reachable, counts the cells and sums their leading reasons over exactly those cells.
#[test]
fn goals_with_infeasible_cells_say_not_reachable_and_why() {
    let region = shuozhou();
    let (result, after) = plan_and_check(&example_network(&region));
    let infeasible = result.grid.infeasible.len();
    assert!(
        infeasible > 0,
        "the example network leaves airport cells infeasible"
    );
    assert_eq!(
        after.gaps().count(),
        infeasible,
        "every other cell is served"
    );
    for goal in check_goals(&result, &SitingRules::default()) {
        assert!(!goal.is_met(), "{goal}");
        let GoalStatus::NotReachable {
            unserved_cells,
            infeasible_cells,
            ..
        } = goal.status
        else {
            panic!("{goal}");
        };
        assert_eq!((unserved_cells, infeasible_cells), (infeasible, infeasible));
        let summed: usize = goal.unservable_reasons.iter().map(|r| r.cells).sum();
        assert_eq!(summed, infeasible);
        let text = goal.to_string();
        assert!(
            text.contains("not reachable") && text.contains("Shuozhou Zirun Airport"),
            "{text}"
        );
        assert!(!text.contains("met in"), "{text}");
    }
    for county in &result.rollout.counties {
        let standing = county.standing();
        assert_eq!(
            county.never_served_cells > 0,
            standing.contains("not reachable"),
            "{}: {standing}",
            county.county_name
        );
    }
}

/// Issue #14 item 4: the coverage objective reports only what the gap analysis confirms on the
/// same plan: the cells it leaves without a point, per county and for the city, are the gaps
/// `analyse` finds after the plan, and no goal or county claims full coverage while any remain.
#[test]
fn coverage_objective_reports_what_the_gap_analysis_confirms() {
    let objective = Objective::Coverage(CoverageObjective {
        radius_m: 10_000.0,
        spacing_m: 2_000.0,
        budget_points: Some(20),
        time_limit: std::time::Duration::from_secs(30),
    });
    let (result, after) = plan_for(&[], objective);
    let open = after.gaps().count();
    assert!(open > 20, "20 points cannot serve every cell: {open} open");
    assert_eq!(result.rollout.never_served_cells, open);
    for county in &result.rollout.counties {
        let open_here = after.gaps().filter(|c| c.county == county.county).count();
        assert_eq!(
            county.never_served_cells, open_here,
            "{}",
            county.county_name
        );
        if open_here > 0 {
            assert!(
                county.standing().contains("not reachable"),
                "{}",
                county.standing()
            );
        }
    }
    for goal in check_goals(&result, &SitingRules::default()) {
        assert!(!goal.is_met(), "{goal}");
        assert!(
            matches!(goal.status, GoalStatus::NotReachable { unserved_cells, .. } if unserved_cells == open),
            "{goal}"
        );
    }
}
