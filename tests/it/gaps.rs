//! The coverage-gap analysis on the bundled Shuozhou data and the illustrative network, with
//! property tests of the coverage computation and every site-file error.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use approx::assert_relative_eq;
use geo::{Contains, Point};
use predicates::prelude::*;
use proptest::prelude::*;
use wxmod::catalog::{Catalog, bundled_catalog_path};
use wxmod::gaps::{GapInputs, GapOptions, PolicyGrid, analyse};
use wxmod::grid::{Grid, GridSpec};
use wxmod::influence::{CoverageIndex, influences};
use wxmod::region::Region;
use wxmod::sites::{Site, SiteKind, SiteStatus, locate_in_region, read_sites};
use wxmod::zones::ZoneLayer;

use crate::fixtures::{bundled, shuozhou, wxmod};

struct Setting {
    region: Region,
    catalog: Catalog,
    grid: Grid,
}

fn setting() -> &'static Setting {
    static SETTING: OnceLock<Setting> = OnceLock::new();
    SETTING.get_or_init(|| {
        let region = shuozhou();
        let grid = Grid::build(&region, &GridSpec::new(15_000.0), None, None);
        Setting {
            region,
            catalog: Catalog::read(&bundled_catalog_path()).unwrap(),
            grid,
        }
    })
}

fn example_sites() -> Vec<Site> {
    let path = crate::fixtures::example_network();
    let mut sites = read_sites(&path).unwrap();
    locate_in_region(&mut sites, &setting().region, &path).unwrap();
    sites
}

fn rocket(id: usize, lon: f64, lat: f64) -> Site {
    Site {
        id: format!("r{id}"),
        name: String::new(),
        kind: SiteKind::FixedRocket,
        standardized: true,
        status: SiteStatus::Existing,
        year: None,
        lon,
        lat,
        county: None,
        extra: BTreeMap::new(),
    }
}

/// Covered land of the whole region, m², by the exact method.
fn covered(sites: &[Site]) -> f64 {
    let s = setting();
    let refs: Vec<&Site> = sites.iter().collect();
    let index = CoverageIndex::new(influences(&refs, &s.region, &s.catalog, None));
    s.grid
        .cells
        .iter()
        .flat_map(|c| c.parts.iter().map(move |p| (c, p)))
        .map(|(c, p)| index.covered_area(&p.shape, p.area_m2, &c.square))
        .sum()
}

#[test]
fn the_example_network_has_its_known_figures() {
    let s = setting();
    let sites = example_sites();
    let zones = ZoneLayer::read(&bundled("shuozhou/zones.geojson")).unwrap();
    let report = analyse(&GapInputs {
        region: &s.region,
        sites: &sites,
        catalog: &s.catalog,
        dem: None,
        zones: Some(&zones),
        options: GapOptions::default(),
    });
    assert_eq!(
        report.network.len(),
        18,
        "the planned site is not yet operating"
    );
    let base = report.city_compliance(PolicyGrid::Base).unwrap();
    assert_eq!((base.required, base.served), (56, 8));
    let prio = report.city_compliance(PolicyGrid::Priority).unwrap();
    assert_eq!((prio.required, prio.served), (100, 8));
    // Burners reach the siting plan's 180° downwind sector (issue #15 item 4: one burner model
    // in gaps.md and plan.md); with full discs the figure was 3452.3 km².
    let city = report.coverage_by_county.last().unwrap();
    assert_relative_eq!(city.covered_km2, 3246.4, max_relative = 1e-3);
    assert!(
        report.burner_model.contains("180° sector downwind"),
        "{}",
        report.burner_model
    );
    let discs = analyse(&GapInputs {
        region: &s.region,
        sites: &sites,
        catalog: &s.catalog,
        dem: None,
        zones: Some(&zones),
        options: GapOptions {
            burner_downwind: None,
            ..GapOptions::default()
        },
    });
    let city_discs = discs.coverage_by_county.last().unwrap();
    assert_relative_eq!(city_discs.covered_km2, 3452.3, max_relative = 1e-3);
    // Issue #15 item 2: pasture holes are not zone land. shapely gives 1,049.5 km² (full
    // discs); before the fix wxmod said 1,130.4.
    let pasture = discs
        .coverage_by_zone
        .iter()
        .find(|r| r.area == "pasture")
        .unwrap();
    assert_relative_eq!(pasture.covered_km2, 1049.5, max_relative = 2e-3);
    let lacking: Vec<&str> = report
        .policy_items
        .iter()
        .filter(|p| p.mobile_rocket_systems == 0)
        .map(|p| p.county.as_str())
        .collect();
    assert_eq!(lacking, ["140603", "140622", "140623", "140681"]);
    assert!(!report.radar_present);
    assert_eq!(report.gaps().count(), 48 + 92);
    // Ranked by uncovered land.
    let uncovered: Vec<f64> = report.gaps().map(|g| g.uncovered_km2()).collect();
    assert!(uncovered.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn planned_sites_count_from_their_year() {
    let s = setting();
    let sites = example_sites();
    let run = |year| {
        analyse(&GapInputs {
            region: &s.region,
            sites: &sites,
            catalog: &s.catalog,
            dem: None,
            zones: None,
            options: GapOptions {
                year,
                ..GapOptions::default()
            },
        })
    };
    assert_eq!(run(Some(2025)).network.len(), 18);
    assert_eq!(run(Some(2026)).network.len(), 19);
    // Built in 2023 and 2024: not yet there in 2022.
    assert_eq!(run(Some(2022)).network.len(), 18 - 3);
}

#[test]
fn exact_coverage_agrees_with_point_sampling() {
    let s = setting();
    let sites = example_sites();
    let exact = covered(&sites);
    // Brute force: a 400 m lattice of points, each tested against the counties and the true
    // circles of the seeding sites.
    let centres: Vec<(f64, f64, f64)> = sites
        .iter()
        .filter(|x| {
            matches!(
                x.kind,
                SiteKind::FixedRocket | SiteKind::FixedGun | SiteKind::Burner
            )
        })
        .map(|x| {
            let (cx, cy) = s.region.projection.forward(x.lon, x.lat).unwrap();
            (cx, cy, s.catalog.kind(x.kind).influence_radius_m())
        })
        .collect();
    let b = s.region.projected_bounds();
    let step = 400.0;
    let mut hits = 0usize;
    let mut y = b.min().y + step / 2.0;
    while y < b.max().y {
        let mut x = b.min().x + step / 2.0;
        while x < b.max().x {
            let near = centres
                .iter()
                .any(|(cx, cy, r)| (x - cx).hypot(y - cy) <= *r);
            if near
                && s.region
                    .counties
                    .iter()
                    .any(|c| c.shape.contains(&Point::new(x, y)))
            {
                hits += 1;
            }
            x += step;
        }
        y += step;
    }
    let sampled = hits as f64 * step * step;
    assert_relative_eq!(exact, sampled, max_relative = 0.005);
}

#[test]
fn a_site_on_a_cell_corner_serves_exactly_one_cell() {
    let s = setting();
    let cell = s
        .grid
        .cells
        .iter()
        .find(|c| c.share == 1.0 && c.requires_point)
        .unwrap();
    let corner = cell.square.min();
    let (lon, lat) = s.region.projection.inverse(corner.x, corner.y).unwrap();
    // Project back and nudge onto the exact corner in metres.
    let site = rocket(0, lon, lat);
    let report = analyse(&GapInputs {
        region: &s.region,
        sites: &[site],
        catalog: &s.catalog,
        dem: None,
        zones: None,
        options: GapOptions::default(),
    });
    let served: Vec<_> = report.cells.iter().filter(|c| c.served()).collect();
    assert_eq!(served.len(), 1, "{served:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn adding_a_site_never_reduces_coverage_and_coverage_is_bounded(
        points in prop::collection::vec((112.0f64..113.5, 39.1f64..40.25), 1..6),
        extra in (112.0f64..113.5, 39.1f64..40.25),
    ) {
        let s = setting();
        let sites: Vec<Site> = points.iter().enumerate().map(|(i, (lon, lat))| rocket(i, *lon, *lat)).collect();
        let before = covered(&sites);
        let mut more = sites.clone();
        more.push(rocket(99, extra.0, extra.1));
        let after = covered(&more);
        prop_assert!(after >= before - 1.0, "{after} < {before}");
        let disc = std::f64::consts::PI * 1e8;
        prop_assert!(after <= disc * more.len() as f64 + 1.0);
        prop_assert!(after <= s.region.projected_area_m2() + 1.0);
    }
}

/// Writes a site file and checks that `wxmod gaps` refuses it with the message.
fn refuses(name: &str, content: &str, message: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, content).unwrap();
    let out = dir.path().join("out");
    wxmod()
        .args(["gaps", "--sites"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(name))
        .stderr(predicate::str::contains(message));
    assert!(!out.exists(), "nothing may be written on bad input");
}

const HEADER: &str = "id,name,kind,standardized,status,year,lon,lat,county\n";

#[test]
fn an_unknown_kind_is_refused() {
    refuses(
        "s.csv",
        &format!("{HEADER}a,x,cannon,yes,existing,2020,112.5,39.5,\n"),
        "line 2 (site a): unknown kind 'cannon'",
    );
}

#[test]
fn a_duplicate_id_is_refused() {
    let text = format!(
        "{HEADER}a,x,fixed_rocket,yes,existing,2020,112.5,39.5,\na,y,fixed_rocket,yes,existing,2020,112.6,39.5,\n"
    );
    refuses(
        "s.csv",
        &text,
        "line 3 (site a): duplicate id (first at line 2)",
    );
}

#[test]
fn bad_coordinates_are_refused() {
    refuses(
        "s.csv",
        &format!("{HEADER}a,x,fixed_rocket,yes,existing,2020,512345,39.5,\n"),
        "lon 512345 is outside -180..180",
    );
    refuses(
        "s.csv",
        &format!("{HEADER}a,x,fixed_rocket,yes,existing,2020,east,39.5,\n"),
        "lon 'east' is not a number",
    );
}

#[test]
fn a_site_outside_the_region_is_refused() {
    refuses(
        "s.csv",
        &format!("{HEADER}far,x,fixed_rocket,yes,existing,2020,116.4,39.9,\n"),
        "site far): (116.4, 39.9) lies outside the region",
    );
}

#[test]
fn a_wrong_county_is_refused() {
    refuses(
        "s.csv",
        &format!("{HEADER}a,x,fixed_rocket,yes,existing,2020,112.47,39.22,140681\n"),
        "county is given as 140681, but the location lies in 140602 (朔城区)",
    );
}

#[test]
fn a_missing_column_is_refused() {
    refuses(
        "s.csv",
        "id,name,kind,lon,lat\na,x,burner,112.5,39.5\n",
        "the header lacks the column 'standardized'",
    );
}

#[test]
fn a_geojson_site_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let sites = example_sites();
    let file = dir.path().join("net.geojson");
    std::fs::write(&file, wxmod::sites::sites_to_geojson(&sites)).unwrap();
    let again = read_sites(&file).unwrap();
    assert_eq!(again.len(), sites.len());
    assert_eq!(again[3].id, sites[3].id);
    refuses(
        "bad.geojson",
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a","kind":"burner","status":"existing"},"geometry":{"type":"LineString","coordinates":[[112,39],[113,40]]}}]}"#,
        "feature 0 (site a): geometry must be a Point",
    );
}

#[test]
fn gaps_command_writes_its_report() {
    let dir = tempfile::tempdir().unwrap();
    let sites = crate::fixtures::example_network();
    wxmod()
        .args(["gaps", "--sites"])
        .arg(&sites)
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "15 km base grid: 8 of 56 required cells served (14.3%), 48 gaps",
        ))
        .stdout(predicate::str::contains("the city has no X-band radar"));
    let md = std::fs::read_to_string(dir.path().join("gaps.md")).unwrap();
    assert!(
        md.contains("| **City 全市** | 15 km base | 56 | 8 | 48 | 14.3% |"),
        "{md}"
    );
    let list = std::fs::read_to_string(dir.path().join("gaps_list.csv")).unwrap();
    assert_eq!(list.lines().count(), 1 + 48 + 92);
    let uncovered: geojson::FeatureCollection =
        std::fs::read_to_string(dir.path().join("gaps_uncovered.geojson"))
            .unwrap()
            .parse()
            .unwrap();
    assert!(!uncovered.features.is_empty());
}

#[test]
fn every_row_of_the_wrong_width_is_refused_with_its_line() {
    refuses(
        "s.csv",
        &format!(
            "{HEADER}a,x,fixed_rocket,yes,existing,2020,112.5\nb,y,fixed_rocket,yes,existing,2020,112.6,39.5,,extra\nc,z,cannon,yes,existing,2020,112.6,39.5,\n"
        ),
        "3 problems in site file",
    );
    refuses(
        "s.csv",
        &format!("{HEADER}a,x,fixed_rocket,yes,existing,2020,112.5\n"),
        "line 2 (site a): the row has 7 fields where the header has 9",
    );
    refuses(
        "s.csv",
        &format!(
            "{HEADER}a,x,fixed_rocket,yes,existing,2020,112.5,39.5,\nb,y,fixed_rocket,yes,existing,2020,112.6,39.5,,extra\n"
        ),
        "line 3 (site b): the row has 10 fields where the header has 9",
    );
}

#[test]
fn column_and_property_names_are_read_in_any_case() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("upper.csv");
    std::fs::write(
        &csv,
        "ID,Name,KIND,Standardized,Status,Year,Lon,Lat,County\na,x,fixed_rocket,yes,existing,2020,112.47,39.22,\n",
    )
    .unwrap();
    let sites = wxmod::sites::read_sites(&csv).unwrap();
    assert_eq!((sites[0].id.as_str(), sites[0].lon), ("a", 112.47));
    let geojson = dir.path().join("upper.geojson");
    std::fs::write(
        &geojson,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[112.47,39.22]},"properties":{"ID":"a","Kind":"fixed_rocket","Standardized":"yes","Status":"existing"}}]}"#,
    )
    .unwrap();
    let sites = wxmod::sites::read_sites(&geojson).unwrap();
    assert_eq!(
        (sites[0].id.as_str(), sites[0].kind),
        ("a", wxmod::sites::SiteKind::FixedRocket)
    );
}
