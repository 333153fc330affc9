//! Province and national scale (issue #14 item 5): the cities of the bundled province found
//! from the county adcodes and checked against the boundary file's own `city_adcode`
//! property; one map per city; the equal-area projection a national extent picks by itself,
//! checked against geodesic areas; `wxmod run --maps` choosing the map set.

use std::collections::BTreeMap;
use std::path::PathBuf;

use geo::{Area, GeodesicArea};
use predicates::prelude::*;
use wxmod::region::{
    BoundarySource, CHINA_ALBERS, InputCrs, Region, UnitLevel, admin_units, bundled,
};
use wxmod::render::{MapInputs, unit_maps};

use crate::fixtures::{shared, wxmod};

fn province() -> Region {
    Region::load(
        &bundled::resolve("140000").expect("140000 is bundled"),
        None,
    )
    .expect("the province loads")
}

/// City adcode -> county ids, read straight from the shared boundary file's properties.
fn cities_in_file() -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(shared("shanxi_counties_wgs84.geojson")).expect("read");
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in json["features"].as_array().expect("features") {
        let p = &f["properties"];
        let code = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out.entry(code(&p["city_adcode"]))
            .or_default()
            .push(code(&p["adcode"]));
    }
    out
}

#[test]
fn the_province_has_eleven_cities_as_its_boundary_file_says() {
    let region = province();
    let units = admin_units(&region, UnitLevel::City);
    let want = cities_in_file();
    assert_eq!(units.len(), 11);
    assert_eq!(want.len(), 11);
    for unit in &units {
        let mut got: Vec<String> = unit
            .counties
            .iter()
            .map(|&i| region.counties[i].id.clone())
            .collect();
        got.sort();
        let mut expected = want[&unit.adcode].clone();
        expected.sort();
        assert_eq!(got, expected, "city {} {}", unit.adcode, unit.name);
        assert!(
            unit.name.ends_with('市'),
            "{} is named {}",
            unit.adcode,
            unit.name
        );
    }
    let total: usize = units.iter().map(|u| u.counties.len()).sum();
    assert_eq!(total, 117);
    let provinces = admin_units(&region, UnitLevel::Province);
    assert_eq!(provinces.len(), 1);
    assert_eq!(provinces[0].name, "山西省");
}

#[test]
fn one_map_per_city_frames_its_counties() {
    let region = province();
    let specs = unit_maps(&MapInputs::new(&region), UnitLevel::City);
    assert_eq!(specs.len(), 11);
    assert_eq!(specs[0].name, "city_140100");
    assert!(specs.iter().any(|s| s.title.starts_with("大同市")));
    for spec in &specs {
        let wxmod::render::Extent::Rect(rect) = &spec.extent else {
            panic!("{} has no rectangle", spec.name);
        };
        let code = spec.name.trim_start_matches("city_");
        for county in region
            .counties
            .iter()
            .filter(|c| c.id.starts_with(&code[..4]))
        {
            let b = geo::BoundingRect::bounding_rect(&county.shape).expect("a county has a box");
            assert!(
                rect.min().x <= b.min().x
                    && rect.min().y <= b.min().y
                    && rect.max().x >= b.max().x
                    && rect.max().y >= b.max().y,
                "{} frames county {}",
                spec.name,
                county.id
            );
        }
    }
}

/// Four counties from the corners of China (Xinjiang, Heilongjiang, Hainan, Shanxi) cut out
/// of the national file: wider than UTM serves, so the Albers equal-area conic is chosen,
/// and its planar areas agree with the geodesic ones.
#[test]
fn a_national_extent_is_projected_equal_area() {
    let text = std::fs::read_to_string(shared("china_counties.geojson")).expect("read");
    let mut json: serde_json::Value = serde_json::from_str(&text).expect("json");
    let keep = ["653101", "232701", "460105", "140602"];
    let features = json["features"].as_array_mut().expect("features");
    features.retain(|f| keep.contains(&f["properties"]["adcode"].to_string().as_str()));
    assert_eq!(
        features.len(),
        keep.len(),
        "the four counties are in the file"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("corners.geojson");
    std::fs::write(&path, json.to_string()).expect("write");
    let mut source = BoundarySource::new(&path);
    source.input_crs = InputCrs::Gcj02;
    let region = Region::from_boundaries(&source, None).expect("the corners load");
    assert_eq!(region.projection.spec(), CHINA_ALBERS);
    for county in &region.counties {
        let planar = county.shape.unsigned_area();
        let geodesic = county.lonlat.geodesic_area_unsigned();
        assert!(
            (planar / geodesic - 1.0).abs() < 1e-3,
            "county {}: {planar} m² planar vs {geodesic} m² geodesic",
            county.id
        );
    }
    let provinces = admin_units(&region, UnitLevel::Province);
    let names: Vec<&str> = provinces.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["山西省", "黑龙江省", "海南省", "新疆维吾尔自治区"]);
    // The run says which projection it chose.
    wxmod()
        .args([
            "run",
            "--no-protected-objects",
            "--maps",
            "none",
            "--input-crs",
            "gcj02",
        ])
        .arg("--boundaries")
        .arg(&path)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "projection: Albers equal-area conic for China (standard parallels 25°N and 47°N",
        ));
    // A single city keeps its UTM zone.
    assert_eq!(crate::fixtures::shuozhou().projection.spec(), "EPSG:32649");
}

fn shuozhou_run(maps: &str) -> (PathBuf, tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let assert = wxmod()
        .args(["run", "--maps", maps, "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(
            predicate::str::contains(format!("--maps {maps}"))
                .or(predicate::str::contains("drawing no maps (--maps none)")),
        );
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    (out, dir, stderr)
}

#[test]
fn run_maps_overview_draws_no_county_maps_and_none_draws_none() {
    let (out, _dir, stderr) = shuozhou_run("overview");
    let names: Vec<String> = std::fs::read_dir(out.join("maps"))
        .expect("maps/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.contains(&"city_overview.png".to_string()),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n.starts_with("rollout_")), "{names:?}");
    assert!(!names.iter().any(|n| n.starts_with("county_")), "{names:?}");
    assert!(stderr.contains("drawing"), "{stderr}");
    let (out, _dir, _) = shuozhou_run("none");
    assert!(!out.join("maps").exists());
    assert!(out.join("index.html").exists());
}

#[test]
fn run_refuses_an_unknown_map_set() {
    wxmod()
        .args(["run", "--maps", "districts", "--out", "/nonexistent/never"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("districts"));
}
