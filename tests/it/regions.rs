//! The bundled Shanxi regions: listing and lookup, the registration checks of
//! data/regions/SOURCES.md on the committed files, and planning on three cities other than
//! Shuozhou (大同, 长治, 临汾) cross-checked against computations written here.

use std::collections::{BTreeMap, BTreeSet};

use approx::assert_relative_eq;
use geo::{Contains, Point};
use predicates::prelude::*;
use wxmod::grid::{Grid, GridSpec};
use wxmod::region::{
    BUNDLED, LandmarkKind, LayerInventory, Region, RegionLevel, bundled, read_landmarks,
};
use wxmod::terrain::Dem;

use crate::fixtures::{bundled as bundled_file, wxmod};

fn load(name: &str) -> Region {
    Region::load(&bundled::resolve(name).unwrap(), None).unwrap()
}

/// Counties per city, as ../shared/data/SOURCES.md §1 lists them.
const COUNTIES: [(&str, usize); 11] = [
    ("140100", 10),
    ("140200", 10),
    ("140300", 5),
    ("140400", 12),
    ("140500", 6),
    ("140600", 6),
    ("140700", 11),
    ("140800", 13),
    ("140900", 14),
    ("141000", 17),
    ("141100", 13),
];

#[test]
fn every_name_of_a_bundled_region_finds_its_folder() {
    for r in &BUNDLED {
        let dir = bundled::resolve(r.adcode).unwrap();
        assert_eq!(bundled::resolve(r.name).unwrap(), dir);
        assert_eq!(bundled::resolve(&r.pinyin.to_uppercase()).unwrap(), dir);
        assert_eq!(
            bundled::resolve(r.name.trim_end_matches(['市', '省'])).unwrap(),
            dir
        );
        assert!(dir.join("region.toml").is_file(), "{}", dir.display());
    }
    assert_eq!(
        bundled::resolve("140600").unwrap(),
        wxmod::region::bundled_region_dir()
    );
    assert_eq!(bundled::find("Lüliang").unwrap().adcode, "141100");
}

#[test]
fn an_unknown_region_is_refused_with_the_list() {
    wxmod()
        .args(["grid", "--region", "beijing"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no region 'beijing'"))
        .stderr(predicate::str::contains("140200 大同市 datong"));
    let dir = tempfile::tempdir().unwrap();
    wxmod()
        .args(["grid", "--region"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("has no region.toml"));
}

#[test]
fn regions_lists_the_province_and_its_cities() {
    let out = wxmod().args(["regions", "--json"]).assert().success();
    let list: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 12);
    let province = &list[0];
    assert_eq!(province["adcode"], "140000");
    assert_eq!(province["name"], "山西省");
    assert_eq!(province["level"], "province");
    assert_eq!(province["counties"], 117);
    let cities: BTreeMap<String, u64> = list[1..]
        .iter()
        .map(|r| {
            assert_eq!(r["level"], "city");
            let layers = &r["layers"];
            assert_eq!(layers["has_dem"], true, "{r}");
            assert_eq!(layers["dem_covered_share"], 1.0, "{r}");
            assert_eq!(layers["zones_derived"], true, "{r}");
            assert_eq!(layers["county_seats"], r["counties"], "{r}");
            (
                r["adcode"].as_str().unwrap().to_string(),
                r["counties"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected: BTreeMap<String, u64> = COUNTIES
        .iter()
        .map(|(c, n)| (c.to_string(), *n as u64))
        .collect();
    assert_eq!(cities, expected);
    assert_eq!(cities.values().sum::<u64>(), 117);

    wxmod()
        .arg("regions")
        .assert()
        .success()
        .stdout(predicate::str::contains("140200  大同市"))
        .stdout(predicate::str::contains("datong"))
        .stdout(predicate::str::contains("province"))
        .stdout(predicate::str::contains("zones(derived)"));
}

#[test]
fn every_county_is_in_exactly_one_city_and_the_province_has_the_published_area() {
    let province = load("shanxi");
    assert_eq!(province.level, RegionLevel::Province);
    assert_eq!(province.counties.len(), 117);
    // ../shared/data/SOURCES.md §1: 156,805.5 km² for the WGS84 version.
    assert_relative_eq!(
        province.geodesic_area_m2() / 1e6,
        156_805.5,
        max_relative = 1e-5
    );
    let mut seen = BTreeSet::new();
    let mut city_area = 0.0;
    for (code, n) in COUNTIES {
        let city = load(code);
        assert_eq!(city.counties.len(), n, "{code}");
        assert_eq!(city.level, RegionLevel::City);
        assert_eq!(city.adcode.as_deref(), Some(code));
        for c in &city.counties {
            assert!(seen.insert(c.id.clone()), "{} twice", c.id);
            assert_eq!(province.county(&c.id).unwrap().name, c.name);
        }
        city_area += city.geodesic_area_m2();
    }
    assert_eq!(seen.len(), 117);
    // Shuozhou's own file and the Shanxi one agree to 0.01 %.
    assert_relative_eq!(city_area, province.geodesic_area_m2(), max_relative = 1e-4);
}

#[test]
fn the_shanxi_dem_equals_the_shuozhou_dem_cell_for_cell() {
    let shanxi = Dem::read(&bundled_file("regions/shanxi_dem_30s.tif")).unwrap();
    let shuozhou = Dem::read(&bundled_file("shuozhou/dem_30s.asc")).unwrap();
    let mut compared = 0;
    for (_, _, lon, lat, v) in shuozhou.cells() {
        // At a cell centre the bilinear sample is the cell's own value.
        let got = shanxi.elevation(lon, lat).unwrap();
        // The values are whole metres; 1 mm allows for the two files' origins in floating point.
        assert!((got - v).abs() < 1e-3, "at {lon}, {lat}: {got} vs {v}");
        compared += 1;
    }
    assert_eq!(compared, 301 * 241);
    // Published airport elevations (airportsdata): ZBSG 3422 ft = 1043 m, ZBDT 3442 ft = 1049 m.
    for (lon, lat, metres) in [(112.691111, 39.273056, 1043.0), (113.482, 40.0603, 1049.0)] {
        let dem = shanxi.elevation(lon, lat).unwrap();
        assert!((dem - metres).abs() < 15.0, "{dem} vs {metres}");
    }
}

#[test]
fn the_yellow_river_valley_floor_lies_on_the_western_border() {
    // The Shanxi/Shaanxi border follows the Yellow River (黄河): at each latitude the lowest
    // DEM cell within 0.1° of the westernmost border point should be within a cell or two.
    let province = load("140000");
    let dem = Dem::read(&bundled_file("regions/shanxi_dem_30s.tif")).unwrap();
    let mut offsets = Vec::new();
    let mut lat = 35.8;
    while lat < 39.0 {
        let border = westmost_crossing(&province, lat);
        let mut best = (f64::MAX, 0.0);
        let mut lon = border - 0.1;
        while lon <= border + 0.1 {
            let v = dem.elevation(lon, lat).unwrap();
            if v < best.0 {
                best = (v, lon);
            }
            lon += dem.cellsize() / 4.0;
        }
        offsets.push((best.1 - border).abs());
        lat += 0.05;
    }
    offsets.sort_by(f64::total_cmp);
    let median = offsets[offsets.len() / 2];
    assert!(offsets.len() > 60);
    assert!(median < 0.012, "median valley-border offset {median}°");
}

/// The smallest longitude where the parallel `lat` crosses any county ring.
fn westmost_crossing(region: &Region, lat: f64) -> f64 {
    let mut west = f64::MAX;
    for county in &region.counties {
        for polygon in &county.lonlat.0 {
            for line in polygon.exterior().lines() {
                let (a, b) = (line.start, line.end);
                if (a.y <= lat) != (b.y <= lat) {
                    west = west.min(a.x + (lat - a.y) / (b.y - a.y) * (b.x - a.x));
                }
            }
        }
    }
    west
}

#[test]
fn every_landmark_lies_where_its_sources_say() {
    let known_airports = [
        ("140100", "ZBYN"),
        ("140200", "ZBDT"),
        ("140400", "ZBCZ"),
        ("140800", "ZBYC"),
        ("141000", "ZBLF"),
        ("141100", "ZBLL"),
    ];
    for r in BUNDLED.iter().filter(|r| r.adcode != "140600") {
        let region = load(r.adcode);
        let landmarks = read_landmarks(&region.files.landmarks.clone().unwrap()).unwrap();
        let seats: Vec<_> = landmarks
            .iter()
            .filter(|l| l.kind == LandmarkKind::CountySeat)
            .collect();
        assert_eq!(seats.len(), region.counties.len(), "{}", r.adcode);
        for seat in &seats {
            let county = region.county(seat.county.as_deref().unwrap()).unwrap();
            assert_eq!(county.name, seat.name);
            assert!(
                county.lonlat.contains(&Point::new(seat.lon, seat.lat)),
                "seat of {} outside its county",
                seat.name
            );
        }
        for place in landmarks.iter().filter(|l| l.kind == LandmarkKind::Place) {
            let county = region.county(place.county.as_deref().unwrap()).unwrap();
            assert!(county.lonlat.contains(&Point::new(place.lon, place.lat)));
        }
        for (city, icao) in known_airports {
            if r.adcode == city || r.level == RegionLevel::Province {
                let airport = landmarks
                    .iter()
                    .find(|l| l.note.as_deref().is_some_and(|n| n.contains(icao)))
                    .unwrap_or_else(|| panic!("{icao} missing from {}", r.adcode));
                assert_eq!(airport.kind, LandmarkKind::Airport);
                let county = region.county(airport.county.as_deref().unwrap()).unwrap();
                assert!(
                    county
                        .lonlat
                        .contains(&Point::new(airport.lon, airport.lat))
                );
            }
        }
    }
}

#[test]
fn datong_changzhi_and_linfen_have_every_layer() {
    for name in ["datong", "长治市", "141000"] {
        let region = load(name);
        let layers = LayerInventory::of(&region).unwrap();
        assert_eq!(layers.dem_covered_share, Some(1.0), "{name}");
        assert_eq!(layers.zones_derived, Some(true));
        assert!(layers.has_rivers && layers.airports > 0 && layers.places > 0);
        assert!(layers.missing_protected_objects().is_empty());
    }
}

/// Area of a ring clipped to an axis-aligned box (Sutherland-Hodgman, then the shoelace
/// formula); written here independently of geo's boolean operations. The clip of a concave
/// ring may have zero-width spurs along the box, which add no area.
fn clipped_ring_area(ring: &[(f64, f64)], x0: f64, y0: f64, x1: f64, y1: f64) -> f64 {
    let mut pts: Vec<(f64, f64)> = ring.to_vec();
    type Inside = fn(&(f64, f64), f64) -> bool;
    type Cross = fn(&(f64, f64), &(f64, f64), f64) -> (f64, f64);
    let at_x: Cross = |a, b, x| (x, a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0));
    let at_y: Cross = |a, b, y| (a.0 + (b.0 - a.0) * (y - a.1) / (b.1 - a.1), y);
    let edges: [(Inside, Cross, f64); 4] = [
        (|p, v| p.0 >= v, at_x, x0),
        (|p, v| p.0 <= v, at_x, x1),
        (|p, v| p.1 >= v, at_y, y0),
        (|p, v| p.1 <= v, at_y, y1),
    ];
    for (inside, cross, v) in edges {
        let input = std::mem::take(&mut pts);
        for (i, cur) in input.iter().enumerate() {
            let prev = &input[(i + input.len() - 1) % input.len()];
            match (inside(cur, v), inside(prev, v)) {
                (true, true) => pts.push(*cur),
                (true, false) => {
                    pts.push(cross(prev, cur, v));
                    pts.push(*cur);
                }
                (false, true) => pts.push(cross(prev, cur, v)),
                (false, false) => {}
            }
        }
        if pts.is_empty() {
            return 0.0;
        }
    }
    let n = pts.len();
    (0..n)
        .map(|i| pts[i].0 * pts[(i + 1) % n].1 - pts[(i + 1) % n].0 * pts[i].1)
        .sum::<f64>()
        .abs()
        / 2.0
}

/// Land area of every 15 km cell (origin 0,0 in the region's projection) by the clip above.
fn independent_cells(region: &Region, size: f64) -> BTreeMap<(i64, i64), f64> {
    use geo::BoundingRect;
    let mut cells = BTreeMap::new();
    for county in &region.counties {
        for polygon in &county.shape.0 {
            let r = polygon.bounding_rect().unwrap();
            let rings = std::iter::once((polygon.exterior(), 1.0))
                .chain(polygon.interiors().iter().map(|h| (h, -1.0)));
            let rings: Vec<(Vec<(f64, f64)>, f64)> = rings
                .map(|(ring, sign)| {
                    let mut pts: Vec<_> = ring.0.iter().map(|c| (c.x, c.y)).collect();
                    pts.pop(); // closing point
                    (pts, sign)
                })
                .collect();
            for row in (r.min().y / size).floor() as i64..=(r.max().y / size).floor() as i64 {
                for col in (r.min().x / size).floor() as i64..=(r.max().x / size).floor() as i64 {
                    let (x0, y0) = (col as f64 * size, row as f64 * size);
                    let area: f64 = rings
                        .iter()
                        .map(|(pts, sign)| {
                            sign * clipped_ring_area(pts, x0, y0, x0 + size, y0 + size)
                        })
                        .sum();
                    if area > 0.0 {
                        *cells.entry((row, col)).or_insert(0.0) += area;
                    }
                }
            }
        }
    }
    cells
}

#[test]
fn grid_counts_of_three_cities_match_an_independent_clip() {
    // (region, cells with land, cells requiring a point): counted by wxmod, checked below.
    let expected = [
        ("datong", 95, 77),
        ("changzhi", 86, 73),
        ("linfen", 117, 103),
    ];
    for (name, cells, required) in expected {
        let region = load(name);
        let grid = Grid::build(&region, &GridSpec::new(15_000.0), None, None);
        let independent = independent_cells(&region, 15_000.0);
        let full = 15_000.0f64 * 15_000.0;
        // Cells with more than a square metre of land (tiny slivers may round either way).
        let ours: BTreeMap<(i64, i64), f64> = grid
            .cells
            .iter()
            .filter(|c| c.area_m2 > 1.0)
            .map(|c| ((c.id.row, c.id.col), c.area_m2))
            .collect();
        let theirs: BTreeMap<(i64, i64), f64> =
            independent.into_iter().filter(|(_, a)| *a > 1.0).collect();
        assert_eq!(
            ours.keys().collect::<Vec<_>>(),
            theirs.keys().collect::<Vec<_>>(),
            "{name}"
        );
        for (id, area) in &ours {
            assert!(
                (area - theirs[id]).abs() < 1.0,
                "{name} cell {id:?}: {area} vs {}",
                theirs[id]
            );
        }
        let required_theirs = theirs.values().filter(|a| **a / full >= 0.2).count();
        let required_ours = grid.required_cells().count();
        assert_eq!(required_ours, required_theirs, "{name}");
        assert_eq!(
            (grid.cells.len(), required_ours),
            (cells, required),
            "{name}"
        );
    }
}

/// The airport of each of the three cities (airportsdata, in the bundled landmarks).
const CITY_AIRPORTS: [(&str, &str, f64, f64); 3] = [
    ("datong", "Datong Airport", 113.482, 40.0603),
    ("changzhi", "Changzhi Airport", 113.126, 36.2475),
    ("linfen", "Linfen Yaodu Airport", 111.641236, 36.132629),
];

#[test]
fn a_point_two_km_from_each_city_airport_is_refused_naming_it() {
    for (region, airport, lon, lat) in CITY_AIRPORTS {
        // 2 km due east on the WGS84 ellipsoid: metres per degree of longitude at `lat`.
        let (m_per_deg_lon, _) = wxmod::terrain::metres_per_degree(lat);
        let east = lon + 2_000.0 / m_per_deg_lon;
        wxmod()
            .args(["plan", "--region", region, "--explain"])
            .arg(format!("{east:.6},{lat:.6}"))
            .assert()
            .success()
            .stdout(predicate::str::contains("cannot hold a new point"))
            .stdout(predicate::str::contains(format!(
                "within 20000 m of airport clearance of {airport}"
            )));
    }
}

#[test]
fn burners_are_planned_on_land_above_1500_m_in_three_cities() {
    let dem = Dem::read(&bundled_file("regions/shanxi_dem_30s.tif")).unwrap();
    for region in ["datong", "changzhi", "linfen"] {
        // The DEM has land above 1,500 m in each city (恒山, 太岳山, 吕梁山).
        let r = load(region);
        let high = dem.cells().any(|(_, _, lon, lat, v)| {
            v >= 1500.0
                && r.counties
                    .iter()
                    .any(|c| c.lonlat.contains(&Point::new(lon, lat)))
        });
        assert!(high, "{region} has no land above 1500 m");
        let dir = tempfile::tempdir().unwrap();
        wxmod()
            .args(["plan", "--region", region, "--out"])
            .arg(dir.path())
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "new smoke burners over high-mountain land",
            ));
        let mut reader = csv::Reader::from_path(dir.path().join("plan.csv")).unwrap();
        let headers = reader.headers().unwrap().clone();
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let (kind, lon, lat) = (col("kind"), col("lon"), col("lat"));
        let mut burners = 0;
        for row in reader.records() {
            let row = row.unwrap();
            if &row[kind] != "burner" {
                continue;
            }
            burners += 1;
            let (x, y): (f64, f64) = (row[lon].parse().unwrap(), row[lat].parse().unwrap());
            let z = dem.elevation(x, y).unwrap();
            // Sites are written to 6 decimals (0.1 m); allow that rounding.
            assert!(
                z >= 1499.5,
                "{region}: burner at {x},{y} stands at {z:.1} m"
            );
        }
        assert!(burners > 0, "{region}: no burners planned");
    }
}
