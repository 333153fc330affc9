//! Loading, validating and projecting county boundaries; bad input refused with its message.

use approx::assert_relative_eq;
use predicates::prelude::*;
use proptest::prelude::*;
use wxmod::region::{BoundarySource, InputCrs, Projection, Region};

use crate::fixtures::{bundled, shared, shuozhou, wxmod};

#[test]
fn shuozhou_has_six_counties_and_its_known_area() {
    let region = shuozhou();
    assert_eq!(region.counties.len(), 6);
    assert_eq!(region.projection.spec(), "EPSG:32649");
    // Independent figures: 10,626.7 km² planar in UTM 49N, 10,629.6 km² geodesic (pyproj).
    assert_relative_eq!(
        region.projected_area_m2() / 1e6,
        10_626.7,
        max_relative = 1e-5
    );
    assert_relative_eq!(
        region.geodesic_area_m2() / 1e6,
        10_629.6,
        max_relative = 2e-5
    );
}

#[test]
fn each_county_matches_its_geodesic_area_within_half_a_percent() {
    // The per-county geodesic areas published with the data (SOURCES.md, WGS84-converted).
    let expected = [
        ("140602", 1768.2),
        ("140603", 2319.4),
        ("140621", 1629.8),
        ("140622", 1687.5),
        ("140623", 1987.4),
        ("140681", 1237.3),
    ];
    let region = shuozhou();
    for (id, km2) in expected {
        let county = region.county(id).unwrap();
        assert_relative_eq!(county.geodesic_area_m2() / 1e6, km2, max_relative = 1e-4);
        assert_relative_eq!(county.projected_area_m2() / 1e6, km2, max_relative = 5e-3);
    }
}

#[test]
fn gcj02_input_is_converted_to_the_wgs84_file() {
    let source = BoundarySource {
        input_crs: InputCrs::Gcj02,
        ..BoundarySource::new(shared("shuozhou_counties.geojson"))
    };
    let gcj = Region::from_boundaries(&source, None).unwrap();
    let wgs = shuozhou();
    for (a, b) in gcj.counties.iter().zip(&wgs.counties) {
        assert_eq!(a.id, b.id);
        let pa: Vec<_> = a.lonlat.0[0].exterior().0.iter().take(50).collect();
        let pb: Vec<_> = b.lonlat.0[0].exterior().0.iter().take(50).collect();
        for (p, q) in pa.iter().zip(&pb) {
            assert!(
                (p.x - q.x).abs() < 1e-5 && (p.y - q.y).abs() < 1e-5,
                "{p:?} vs {q:?}"
            );
        }
    }
}

#[test]
fn a_user_crs_is_used() {
    let albers = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs";
    let region = Region::load(&wxmod::region::bundled_region_dir(), Some(albers)).unwrap();
    // An equal-area projection keeps the geodesic area.
    assert_relative_eq!(
        region.projected_area_m2(),
        region.geodesic_area_m2(),
        max_relative = 1e-4
    );
}

proptest! {
    #[test]
    fn projection_round_trips_under_a_centimetre(lon in 108.0f64..114.0, lat in 34.0f64..41.0) {
        let utm = Projection::from_spec("EPSG:32649").unwrap();
        let (x, y) = utm.forward(lon, lat).unwrap();
        let (lon2, lat2) = utm.inverse(x, y).unwrap();
        let (x2, y2) = utm.forward(lon2, lat2).unwrap();
        prop_assert!((x - x2).hypot(y - y2) < 0.01);
        prop_assert!((lon - lon2).abs() < 1e-7 && (lat - lat2).abs() < 1e-7);
    }
}

/// Runs `wxmod grid` on a bad boundary file and checks it fails with the message and writes
/// nothing.
fn refuses(content: &str, message: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.geojson");
    std::fs::write(&file, content).unwrap();
    let out = dir.path().join("out");
    wxmod()
        .args(["grid", "--boundaries"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.geojson"))
        .stderr(predicate::str::contains(message));
    assert!(!out.exists(), "nothing may be written on bad input");
}

fn feature(props: &str, geometry: &str) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{props},"geometry":{geometry}}}]}}"#
    )
}

#[test]
fn a_bow_tie_polygon_is_refused() {
    let bow_tie = r#"{"type":"Polygon","coordinates":[[[112,39],[112.2,39.2],[112.2,39],[112,39.2],[112,39]]]}"#;
    refuses(
        &feature(r#"{"adcode":140602,"name":"x"}"#, bow_tie),
        "feature 0 (id 140602) invalid geometry",
    );
}

#[test]
fn a_linestring_feature_is_refused() {
    let line = r#"{"type":"LineString","coordinates":[[112,39],[112.2,39.2]]}"#;
    refuses(
        &feature(r#"{"adcode":1,"name":"x"}"#, line),
        "geometry is a LineString; county boundaries must be Polygon or MultiPolygon",
    );
}

#[test]
fn projected_coordinates_are_refused() {
    let utm = r#"{"type":"Polygon","coordinates":[[[400000,4350000],[410000,4350000],[410000,4360000],[400000,4350000]]]}"#;
    refuses(
        &feature(r#"{"adcode":1,"name":"x"}"#, utm),
        "outside the lon/lat range; is this a projected file passed as lon/lat?",
    );
}

#[test]
fn a_missing_id_is_refused() {
    let square =
        r#"{"type":"Polygon","coordinates":[[[112,39],[112.1,39],[112.1,39.1],[112,39]]]}"#;
    refuses(
        &feature(r#"{"name":"x"}"#, square),
        "no feature has a 'adcode' property (the county id, --id-prop); the features have: name",
    );
}

#[test]
fn an_empty_file_is_refused() {
    refuses("", "is empty");
}

#[test]
fn truncated_json_is_refused() {
    let text = std::fs::read_to_string(bundled("shuozhou/counties_wgs84.geojson")).unwrap();
    refuses(&text[..text.len() / 2], "is not valid GeoJSON at line 1");
}

#[test]
fn another_id_property_can_be_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.geojson");
    let square = r#"{"type":"Polygon","coordinates":[[[112,39],[112.3,39],[112.3,39.3],[112,39.3],[112,39]]]}"#;
    std::fs::write(&file, feature(r#"{"code":"A","title":"t"}"#, square)).unwrap();
    wxmod()
        .args([
            "grid",
            "--size",
            "10km",
            "--id-prop",
            "code",
            "--name-prop",
            "title",
            "--boundaries",
        ])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 counties"));
}

// ---- checks across counties (issue #14): every bad boundary file refused with its message ----

/// The Shuozhou file with feature `index` appended again, its id changed to `new_id`.
fn shuozhou_with_duplicate(index: usize, new_id: Option<&str>) -> String {
    let text = std::fs::read_to_string(bundled("shuozhou/counties_wgs84.geojson")).unwrap();
    let mut fc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let features = fc["features"].as_array_mut().unwrap();
    let mut copy = features[index].clone();
    if let Some(id) = new_id {
        copy["properties"]["adcode"] = serde_json::Value::from(id);
    }
    features.push(copy);
    fc.to_string()
}

fn squares(squares: &[(f64, f64, f64)]) -> String {
    let features: Vec<String> = squares
        .iter()
        .enumerate()
        .map(|(i, (x, y, s))| {
            format!(
                r#"{{"type":"Feature","properties":{{"adcode":{},"name":"c{i}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]}}}}"#,
                i + 1,
                x + s,
                x + s,
                y + s,
                y + s
            )
        })
        .collect();
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

#[test]
fn a_duplicated_county_under_a_new_id_is_refused_naming_both() {
    // Without the check: 12,394 km² and 58 required cells instead of 10,627 and 56.
    refuses(
        &shuozhou_with_duplicate(0, Some("149999")),
        "feature 6 (id 149999) 朔城区 overlaps feature 0 (id 140602) 朔城区 by 1768.",
    );
    refuses(
        &shuozhou_with_duplicate(0, Some("149999")),
        "100.00 % of the smaller one's area (limit 0.1 %)",
    );
}

#[test]
fn a_duplicated_county_with_its_own_id_is_refused() {
    refuses(
        &shuozhou_with_duplicate(2, None),
        "feature 6 (id 140621) repeats the id of feature 2",
    );
}

#[test]
fn a_whole_world_polygon_is_refused() {
    let world = r#"{"type":"Polygon","coordinates":[[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]]}"#;
    refuses(
        &feature(r#"{"adcode":1,"name":"world"}"#, world),
        "feature 0 (id 1) spans 360.0° of longitude and 180.0° of latitude",
    );
    refuses(
        &feature(r#"{"adcode":1,"name":"world"}"#, world),
        "a whole-world or frame polygon, not a county",
    );
}

#[test]
fn a_county_of_zero_area_is_refused() {
    // 0.00001° square: about 1 m².
    let speck = r#"{"type":"Polygon","coordinates":[[[112,39],[112.00001,39],[112.00001,39.00001],[112,39.00001],[112,39]]]}"#;
    refuses(
        &feature(r#"{"adcode":1,"name":"speck"}"#, speck),
        "feature 0 (id 1) has zero area (0.000001 km², below 0.01 km²)",
    );
}

#[test]
fn overlaps_are_refused_above_a_tenth_of_a_percent_of_the_smaller_county() {
    // Two 0.5° squares (about 2,400 km² each) overlapping by a strip of 0.0006° (0.12 %):
    // refused; by 0.0004° (0.08 %): accepted. The share is checked here against the strip's
    // width ratio, an independent figure.
    refuses(
        &squares(&[(112.0, 39.0, 0.5), (112.4994, 39.0, 0.5)]),
        "c1 overlaps feature 0 (id 1) c0 by",
    );
    refuses(
        &squares(&[(112.0, 39.0, 0.5), (112.4994, 39.0, 0.5)]),
        "0.12 % of the smaller one's area",
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ok.geojson");
    std::fs::write(&file, squares(&[(112.0, 39.0, 0.5), (112.4996, 39.0, 0.5)])).unwrap();
    wxmod()
        .args(["grid", "--boundaries"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("2 counties"));
}

#[test]
fn every_bundled_and_shared_boundary_file_passes_the_checks() {
    for path in [
        shared("shanxi_counties_wgs84.geojson"),
        shared("shuozhou_counties.geojson"),
        bundled("regions/140000/counties_wgs84.geojson"),
    ] {
        wxmod::region::read_boundaries(&BoundarySource::new(path.clone()))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    // The national file (simplified, GCJ-02): its neighbour slivers stay under 0.25 km², and a
    // clockwise intersection must not be measured as the whole globe.
    let china = BoundarySource {
        input_crs: InputCrs::Gcj02,
        ..BoundarySource::new(shared("china_counties.geojson"))
    };
    let counties = wxmod::region::read_boundaries(&china).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(counties.len(), 2875);
}

// ---- wxmod region build ----

/// `wxmod region build` with Datong's bundled layers plus `extra` arguments.
fn build_datong(out: &std::path::Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    let city = bundled("regions/140200");
    wxmod()
        .args(["region", "build", "--boundaries"])
        .arg(city.join("counties_wgs84.geojson"))
        .args([
            "--name",
            "大同市 Datong (rebuilt)",
            "--level",
            "city",
            "--out",
        ])
        .arg(out)
        .args(extra)
        .assert()
}

#[test]
fn a_built_region_is_taken_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("datong");
    let city = bundled("regions/140200");
    let dem = bundled("regions/shanxi_dem_30s.tif");
    build_datong(
        &out,
        &[
            "--dem",
            dem.to_str().unwrap(),
            "--landmarks",
            city.join("landmarks.csv").to_str().unwrap(),
            "--rivers",
            city.join("rivers.geojson").to_str().unwrap(),
        ],
    )
    .success()
    .stdout(predicate::str::contains("(city 市, 10 counties)"))
    .stdout(predicate::str::contains("seats:10 airports:5 places:51"))
    .stdout(predicate::str::contains("zones: DERIVED from the DEM"));
    for file in [
        "region.toml",
        "counties.geojson",
        "dem.tif",
        "landmarks.csv",
        "rivers.geojson",
        "zones.geojson",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    // The same grid as the bundled Datong.
    wxmod()
        .args(["grid", "--size", "15km", "--region"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("10 counties"));
    let built = Region::load(&out, None).unwrap();
    assert_eq!(built.name, "大同市 Datong (rebuilt)");
    assert_relative_eq!(
        built.geodesic_area_m2() / 1e6,
        14_073.9,
        max_relative = 1e-5
    );
    // An existing folder is not overwritten.
    build_datong(&out, &[])
        .code(1)
        .stderr(predicate::str::contains("already exists and is not empty"));
}

#[test]
fn the_builder_says_which_layers_are_missing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bare");
    build_datong(&out, &[])
        .success()
        .stdout(predicate::str::contains("boundaries only"))
        .stdout(predicate::str::contains("warning: no county seats"))
        .stdout(predicate::str::contains(
            "warning: no DEM: no smoke burners, no slope check",
        ))
        .stdout(predicate::str::contains(
            "warning: no zones: no 10 km priority grid",
        ));
}

#[test]
fn a_dem_that_misses_land_is_refused_with_the_uncovered_share() {
    // The Shuozhou DEM (lon 111.49-114.00, lat 38.50-40.51) leaves Datong's east uncovered.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("datong");
    let dem = bundled("shuozhou/dem_30s.asc");
    build_datong(&out, &["--dem", dem.to_str().unwrap()])
        .code(1)
        .stderr(predicate::str::contains("dem_30s.asc covers only"))
        .stderr(predicate::str::contains(
            "% uncovered); supply a DEM covering every county or pass --allow-partial-dem",
        ));
    assert!(!out.exists(), "nothing may be written");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    build_datong(
        &out,
        &["--dem", dem.to_str().unwrap(), "--allow-partial-dem"],
    )
    .success()
    .stdout(predicate::str::contains("warning: the DEM covers"));
}

#[test]
fn the_uncovered_share_matches_an_independent_count() {
    // Share of Datong's land east of lon 114.00113 (the Shuozhou DEM's east edge), measured
    // here by a lattice of points tested with geo's Contains, against the library's figure.
    use geo::{Contains, Point};
    let region = Region::load(&bundled("regions/140200"), None).unwrap();
    let dem = wxmod::terrain::Dem::read(&bundled("shuozhou/dem_30s.asc")).unwrap();
    let share = wxmod::region::dem_covered_share(&region, &dem);
    let (mut land, mut east) = (0.0, 0.0);
    let mut lat = 39.0;
    while lat < 40.8 {
        let mut lon = 112.5;
        while lon < 114.6 {
            if region
                .counties
                .iter()
                .any(|c| c.lonlat.contains(&Point::new(lon, lat)))
            {
                let w = lat.to_radians().cos();
                land += w;
                if lon > 114.00113 || lat > 40.50614 {
                    east += w;
                }
            }
            lon += 0.02;
        }
        lat += 0.02;
    }
    assert!(
        ((1.0 - share) - east / land).abs() < 0.01,
        "{share} vs {}",
        1.0 - east / land
    );
    assert!(share < 0.99);
}

#[test]
fn landmarks_far_outside_the_region_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let places = dir.path().join("places.csv");
    // 天安门 Tiananmen, Beijing: about 200 km east of Datong.
    std::fs::write(
        &places,
        "name,lon,lat,source\n阳高,113.75,40.36,test\nTiananmen,116.3975,39.9087,test\n",
    )
    .unwrap();
    let out = dir.path().join("datong");
    build_datong(&out, &["--places", places.to_str().unwrap()])
        .code(1)
        .stderr(predicate::str::contains(
            "places.csv, line 3: 'Tiananmen' (place) at (116.3975, 39.9087) is",
        ))
        .stderr(predicate::str::contains(
            "km outside the region, more than the 5 km allowed for places",
        ));
    assert!(!out.exists());
    let airports = dir.path().join("airports.csv");
    std::fs::write(
        &airports,
        "name,lon,lat\nZhangjiakou Ningyuan,114.93,40.74\n",
    )
    .unwrap();
    build_datong(&out, &["--airports", airports.to_str().unwrap()])
        .success()
        .stdout(predicate::str::contains("airports:1"));
}

#[test]
fn the_builder_refuses_bad_boundaries_with_their_message() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dup.geojson");
    std::fs::write(&file, shuozhou_with_duplicate(0, Some("149999"))).unwrap();
    let out = dir.path().join("out");
    wxmod()
        .args([
            "region",
            "build",
            "--name",
            "x",
            "--level",
            "city",
            "--boundaries",
        ])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("dup.geojson"))
        .stderr(predicate::str::contains(
            "overlaps feature 0 (id 140602) 朔城区",
        ));
    assert!(!out.exists());
    wxmod()
        .args([
            "region",
            "build",
            "--name",
            "x",
            "--level",
            "county",
            "--boundaries",
        ])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown region level 'county'"));
}
