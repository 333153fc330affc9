//! Safe firing sectors: the exact arcs against a brute-force sampler, the named cases of issue 7
//! (airport bearing, a site ringed by towns, open land), every site of the example network on
//! the bundled Shuozhou data, the maps and tables, and every user error of `wxmod sectors`.

use std::path::PathBuf;

use geo::{Bearing, Contains, Coord, Destination, Distance, Euclidean, Geodesic, Point, Polygon};
use proptest::prelude::*;
use wxmod::region::{Projection, read_landmarks};
use wxmod::report::sectors as report;
use wxmod::sectors::{
    FallBand, LocalObject, LocalShape, ObjectKind, ObjectShape, ProtectedObject, SectorConfig,
    SectorEngine, SectorStatus, bin_azimuths, landmark_objects,
};
use wxmod::sites::{Site, SiteKind, SiteStatus, read_sites};
use wxmod::terrain::Dem;

use crate::fixtures::{shuozhou, wxmod};

fn example(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(file)
}

/// The engine on the bundled Shuozhou landmarks and DEM.
fn bundled_engine(config: SectorConfig) -> SectorEngine {
    let region = shuozhou();
    let landmarks = read_landmarks(region.files.landmarks.as_ref().unwrap()).unwrap();
    let objects = landmark_objects(&landmarks, &config, &region.projection).unwrap();
    let dem = Dem::read(region.files.dem.as_ref().unwrap()).unwrap();
    SectorEngine::new(config, objects, region.projection.clone(), Some(dem)).unwrap()
}

fn site(id: &str, kind: SiteKind, lon: f64, lat: f64) -> Site {
    Site {
        id: id.into(),
        name: String::new(),
        kind,
        standardized: true,
        status: SiteStatus::Existing,
        year: None,
        lon,
        lat,
        county: None,
        extra: Default::default(),
    }
}

// ---- brute force -------------------------------------------------------------------------

/// Forbidden bins by sampling: azimuths every step/10 (bin edges included), ranges every 10 m
/// from r_min to r_max; a sample is blocked when it lies within buffer + `extra` of a shape.
fn sampled_forbidden(objects: &[LocalObject], band: FallBand, step: f64, extra: f64) -> Vec<bool> {
    const PER_BIN: usize = 10;
    const RANGE_STEP: f64 = 10.0;
    let n = (360.0 / step).round() as usize;
    let boxes: Vec<Option<geo::Rect<f64>>> = objects
        .iter()
        .map(|o| match &o.shape {
            LocalShape::Point(_) => None,
            LocalShape::Polygon(p) => geo::BoundingRect::bounding_rect(p),
        })
        .collect();
    let blocked = |p: Coord<f64>| {
        objects.iter().zip(&boxes).any(|(o, bbox)| {
            let limit = o.buffer_m + extra;
            match &o.shape {
                LocalShape::Point(c) => (p.x - c.x).hypot(p.y - c.y) <= limit,
                LocalShape::Polygon(poly) => {
                    let b = bbox.expect("a polygon has a box");
                    let dx = (b.min().x - p.x).max(p.x - b.max().x).max(0.0);
                    let dy = (b.min().y - p.y).max(p.y - b.max().y).max(0.0);
                    if dx.hypot(dy) > limit {
                        return false;
                    }
                    Euclidean.distance(&Point(p), poly) <= limit
                }
            }
        })
    };
    let ranges: Vec<f64> = {
        let mut r: Vec<f64> = (0..)
            .map(|k| band.min_m + k as f64 * RANGE_STEP)
            .take_while(|r| *r < band.max_m)
            .collect();
        r.push(band.max_m);
        r
    };
    (0..n)
        .map(|k| {
            (0..=PER_BIN).any(|j| {
                let az = (k as f64 + j as f64 / PER_BIN as f64) * step;
                let (s, c) = az.to_radians().sin_cos();
                ranges.iter().any(|r| blocked(Coord { x: r * s, y: r * c }))
            })
        })
        .collect()
}

/// The exact bins lie between the sampler at the true buffers and the sampler at buffers
/// widened by 15 m (more than the 10 m range step and the angular step at 10 km together).
fn assert_agrees_with_sampler(objects: &[LocalObject], band: FallBand, step: f64) {
    let exact = bin_azimuths(objects, band, step).forbidden;
    let inner = sampled_forbidden(objects, band, step, 0.0);
    let outer = sampled_forbidden(objects, band, step, 15.0);
    for k in 0..exact.len() {
        assert!(
            !inner[k] || exact[k],
            "bin {k} ({}°): the sampler finds a blocked point, the exact arcs allow it; {objects:?} {band:?}",
            k as f64 * step
        );
        assert!(
            !exact[k] || outer[k],
            "bin {k} ({}°): the exact arcs forbid it, the sampler finds nothing within 15 m; {objects:?} {band:?}",
            k as f64 * step
        );
    }
}

fn band_strategy() -> impl Strategy<Value = FallBand> {
    prop_oneof![
        Just(FallBand {
            min_m: 0.0,
            max_m: 10_000.0
        }),
        Just(FallBand {
            min_m: 2_000.0,
            max_m: 7_000.0
        }),
        (0.0f64..4_000.0, 1_000.0f64..8_000.0).prop_map(|(a, w)| FallBand {
            min_m: a,
            max_m: a + w
        }),
    ]
}

fn disc_strategy() -> impl Strategy<Value = LocalObject> {
    (0.0f64..14_000.0, 0.0f64..360.0, 0.0f64..3_000.0).prop_map(|(d, az, r)| {
        let (s, c) = az.to_radians().sin_cos();
        LocalObject {
            object: 0,
            shape: LocalShape::Point(Coord { x: d * s, y: d * c }),
            buffer_m: r + 200.0,
        }
    })
}

/// A star-shaped (hence simple) polygon around a random centre.
fn polygon_strategy() -> impl Strategy<Value = LocalObject> {
    (
        0.0f64..12_000.0,
        0.0f64..360.0,
        prop::collection::vec((0.0f64..1.0, 200.0f64..3_000.0), 3..9),
        0.0f64..600.0,
    )
        .prop_map(|(d, az, spokes, buffer)| {
            let (s, c) = az.to_radians().sin_cos();
            let centre = Coord { x: d * s, y: d * c };
            let n = spokes.len();
            let mut ring: Vec<Coord<f64>> = spokes
                .iter()
                .enumerate()
                .map(|(i, (jitter, r))| {
                    let a = (i as f64 + 0.8 * jitter) / n as f64 * std::f64::consts::TAU;
                    Coord {
                        x: centre.x + r * a.sin(),
                        y: centre.y + r * a.cos(),
                    }
                })
                .collect();
            ring.push(ring[0]);
            LocalObject {
                object: 0,
                shape: LocalShape::Polygon(Polygon::new(ring.into(), vec![])),
                buffer_m: buffer,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn disc_arcs_agree_with_the_sampler_on_every_bin(
        objects in prop::collection::vec(disc_strategy(), 1..7),
        band in band_strategy(),
        step in prop_oneof![Just(1.0f64), Just(0.5), Just(2.0)],
    ) {
        let objects: Vec<LocalObject> = objects.into_iter().enumerate()
            .map(|(i, o)| LocalObject { object: i, ..o }).collect();
        assert_agrees_with_sampler(&objects, band, step);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn polygon_arcs_agree_with_the_sampler_on_every_bin(
        polygon in polygon_strategy(),
        disc in disc_strategy(),
        band in band_strategy(),
    ) {
        assert_agrees_with_sampler(&[polygon, LocalObject { object: 1, ..disc }], band, 1.0);
    }
}

#[test]
fn a_site_on_the_edge_of_a_polygon_or_inside_it_is_fully_blocked() {
    let square = Polygon::new(
        vec![
            Coord {
                x: -500.0,
                y: -500.0,
            },
            Coord {
                x: 500.0,
                y: -500.0,
            },
            Coord { x: 500.0, y: 500.0 },
            Coord {
                x: -500.0,
                y: 500.0,
            },
            Coord {
                x: -500.0,
                y: -500.0,
            },
        ]
        .into(),
        vec![],
    );
    let rocket = FallBand {
        min_m: 0.0,
        max_m: 10_000.0,
    };
    for offset in [0.0, 500.0] {
        let moved = geo::Translate::translate(&square, offset, 0.0);
        let o = LocalObject {
            object: 0,
            shape: LocalShape::Polygon(moved),
            buffer_m: 0.0,
        };
        let bins = bin_azimuths(std::slice::from_ref(&o), rocket, 1.0);
        assert!(bins.forbidden.iter().all(|f| *f), "offset {offset}");
        assert_agrees_with_sampler(&[o], rocket, 1.0);
    }
}

// ---- the named cases ------------------------------------------------------------------------

#[test]
fn a_site_5_km_from_an_airport_has_the_airports_bearing_forbidden() {
    let engine = bundled_engine(SectorConfig::default());
    let airport = Point::new(112.691111, 39.273056); // Shuozhou Zirun, ZBSG
    for bearing_from_airport in [0.0, 100.0, 200.0, 300.0] {
        let at = Geodesic.destination(airport, bearing_from_airport, 5_000.0);
        let s = site("NEAR", SiteKind::FixedRocket, at.x(), at.y());
        let table = engine.table(std::slice::from_ref(&s)).unwrap();
        let towards = Geodesic.bearing(at, airport);
        assert!(
            !table.is_allowed("NEAR", towards, 60.0).unwrap(),
            "bearing {towards}"
        );
        let row = table.get("NEAR").unwrap();
        let blocking = row
            .sector
            .forbidden
            .iter()
            .find(|f| f.interval.contains(towards))
            .unwrap();
        let names: Vec<&str> = blocking
            .blockers
            .iter()
            .map(|&i| table.objects()[i].name.as_str())
            .collect();
        assert!(names.contains(&"Shuozhou Zirun Airport"), "{names:?}");
        // The airport disc (3 km + 200 m at 5 km) covers asin(3.2/5) = 39.8° on each side.
        let half = (3200.0f64 / 5000.0).asin().to_degrees();
        for off in [-half + 0.5, half - 0.5] {
            assert!(!table.is_allowed("NEAR", towards + off, 60.0).unwrap());
        }
    }
}

#[test]
fn the_local_frame_gives_true_geodesic_azimuths_and_distances() {
    let engine = bundled_engine(SectorConfig::default());
    let from = Point::new(112.2, 39.9); // far west of UTM 49's central meridian... 1.2° east
    let frame = engine.frame("test", from.x(), from.y()).unwrap();
    for (bearing, distance) in [
        (0.0, 9_000.0),
        (37.0, 5_000.0),
        (181.0, 10_000.0),
        (290.0, 7_500.0),
    ] {
        let to = Geodesic.destination(from, bearing, distance);
        let (x, y) = engine.projection().forward(to.x(), to.y()).unwrap();
        let local = frame.to_local(Coord { x, y });
        let az = wxmod::sectors::azimuth_of(local.x, local.y);
        let diff = (az - bearing + 540.0) % 360.0 - 180.0;
        assert!(diff.abs() < 0.005, "bearing {bearing}: frame says {az}");
        assert!((local.x.hypot(local.y) - distance).abs() < 1.0);
    }
}

fn synthetic_engine(objects: Vec<ProtectedObject>) -> (SectorEngine, f64, f64) {
    let utm = Projection::from_spec("EPSG:32649").unwrap();
    let (lon, lat) = (112.5, 39.5);
    (
        SectorEngine::new(SectorConfig::default(), objects, utm, None).unwrap(),
        lon,
        lat,
    )
}

fn town_at(
    utm: &Projection,
    from: Point<f64>,
    bearing: f64,
    distance: f64,
    i: usize,
) -> ProtectedObject {
    let p = Geodesic.destination(from, bearing, distance);
    let (x, y) = utm.forward(p.x(), p.y()).unwrap();
    ProtectedObject {
        id: format!("town:{i}"),
        name: format!("Town {i}"),
        kind: ObjectKind::CountySeat,
        radius_m: 2000.0,
        shape: ObjectShape::Point {
            lonlat: p.0,
            xy: Coord { x, y },
        },
    }
}

#[test]
fn a_site_ringed_by_towns_has_no_valid_sector() {
    let utm = Projection::from_spec("EPSG:32649").unwrap();
    let centre = Point::new(112.5, 39.5);
    // Twelve 2 km towns at 7 km, every 30°: each blocks asin(2.2/7) = 18.3° on either side,
    // so neighbouring arcs overlap and close the circle.
    let towns: Vec<ProtectedObject> = (0..12)
        .map(|i| town_at(&utm, centre, i as f64 * 30.0, 7_000.0, i))
        .collect();
    let (engine, lon, lat) = synthetic_engine(towns);
    let s = engine
        .candidate_sector(lon, lat, SiteKind::FixedRocket)
        .unwrap()
        .unwrap();
    assert_eq!(s.status, SectorStatus::NoAllowedAzimuth);
    assert!(s.allowed.is_empty() && s.widest.is_none());
    assert!(
        !engine
            .has_valid_sector(lon, lat, SiteKind::FixedRocket)
            .unwrap()
    );
    let problem = s.problem(engine.objects()).unwrap();
    assert!(problem.contains("no safe firing azimuth"), "{problem}");
    for az in [0.0, 15.0, 123.4, 359.9] {
        assert!(!s.allows(az, 60.0));
    }
    // A burner needs no sector there.
    assert!(engine.has_valid_sector(lon, lat, SiteKind::Burner).unwrap());
}

#[test]
fn a_gap_between_towns_narrower_than_the_minimum_fails_the_size_test() {
    let utm = Projection::from_spec("EPSG:32649").unwrap();
    let centre = Point::new(112.5, 39.5);
    // Towns every 30° except one gap: the gap between the towns at 0° and 60° is about
    // 60 − 2·18.3 = 23° wide; the gun band (2-7 km) needs 10.4° for 1500 x 1000 m.
    let towns: Vec<ProtectedObject> = (0..12)
        .filter(|i| *i != 1)
        .map(|i| town_at(&utm, centre, i as f64 * 30.0, 7_000.0, i))
        .collect();
    let (engine, lon, lat) = synthetic_engine(towns.clone());
    let s = engine
        .candidate_sector(lon, lat, SiteKind::FixedGun)
        .unwrap()
        .unwrap();
    assert_eq!(s.allowed.len(), 1);
    assert!(s.is_valid(), "{s:?}");
    // The larger margin of 1.3 km squeezes the gap below the minimum.
    let config = SectorConfig {
        margin_m: 1300.0,
        ..SectorConfig::default()
    };
    let engine = SectorEngine::new(config, towns, utm, None).unwrap();
    let s = engine
        .candidate_sector(lon, lat, SiteKind::FixedGun)
        .unwrap()
        .unwrap();
    assert_eq!(s.status, SectorStatus::BelowMinimum, "{:?}", s.widest);
    assert!(
        s.problem(engine.objects())
            .unwrap()
            .contains("cannot hold the minimum sector")
    );
    assert!(
        !s.allows(30.0, 60.0),
        "no firing from a site without a valid sector"
    );
}

#[test]
fn a_site_in_open_land_has_the_full_circle() {
    let (engine, lon, lat) = synthetic_engine(Vec::new());
    let s = engine
        .candidate_sector(lon, lat, SiteKind::FixedRocket)
        .unwrap()
        .unwrap();
    assert_eq!(s.allowed.len(), 1);
    assert_eq!(s.allowed[0].width_deg, 360.0);
    assert!(s.forbidden.is_empty() && s.is_valid());
    assert!(s.allows(0.0, 45.0) && s.allows(359.99, 85.0) && !s.allows(10.0, 86.0));
    // On the bundled data: the north of Pinglu, 112.30°E 39.80°N, has no landmark within
    // 10 km + radius + margin.
    let engine = bundled_engine(SectorConfig::default());
    let table = engine
        .table(&[site("OPEN", SiteKind::FixedRocket, 112.30, 39.80)])
        .unwrap();
    assert_eq!(
        table.get("OPEN").unwrap().sector.allowed[0].width_deg,
        360.0
    );
}

// ---- the example network on the bundled data ----------------------------------------------

#[test]
fn every_site_of_the_example_network_gets_a_sector() {
    let engine = bundled_engine(SectorConfig::default());
    let sites = read_sites(&example("shuozhou_network.csv")).unwrap();
    let table = engine.table(&sites).unwrap();
    let fixed = sites
        .iter()
        .filter(|s| matches!(s.kind, SiteKind::FixedRocket | SiteKind::FixedGun))
        .count();
    assert_eq!(table.rows.len(), fixed);
    assert_eq!(table.rows.len() + table.skipped.len(), sites.len());
    for row in &table.rows {
        let s = &row.sector;
        // The intervals partition the circle and agree with the bins.
        let total: f64 = s.allowed.iter().map(|i| i.width_deg).sum::<f64>()
            + s.forbidden
                .iter()
                .map(|f| f.interval.width_deg)
                .sum::<f64>();
        assert_eq!(total, 360.0, "{}", row.site.id);
        for f in &s.forbidden {
            assert!(
                !f.blockers.is_empty(),
                "{}: {} has no blocker",
                row.site.id,
                f.interval
            );
        }
        assert!(s.altitude_m.is_some());
        assert_eq!(
            s.equipment,
            if row.site.kind == SiteKind::FixedGun {
                "gun_37mm"
            } else {
                "rocket"
            }
        );
    }
    // Every fixed site of the illustrative network has a valid sector.
    assert_eq!(table.invalid().count(), 0);
    // SC-G01 stands at 1782 m: the high class applies.
    let g = &table.get("SC-G01").unwrap().sector;
    assert!(g.high_altitude && g.minimum.radial_m == 2000.0);
    // SC-R02 lies about 6 km west-north-west of Zirun airport, which blocks its bearing.
    let r02 = table.get("SC-R02").unwrap();
    let towards = Geodesic.bearing(Point::new(112.62, 39.33), Point::new(112.691111, 39.273056));
    assert!(!table.is_allowed("SC-R02", towards, 60.0).unwrap());
    assert!(r02.sector.forbidden.iter().any(|f| {
        f.blockers
            .iter()
            .any(|&i| table.objects()[i].kind == ObjectKind::Airport)
    }));
    // Burners, weather stations and the bases of vehicle-mounted systems have no sector.
    for id in ["PL-B01", "SC-A01", "SZ-M01"] {
        assert!(matches!(
            table.is_allowed(id, 0.0, 60.0),
            Err(wxmod::sectors::SectorError::NoSector { .. })
        ));
    }
    assert!(matches!(
        table.is_allowed("NOPE", 0.0, 60.0),
        Err(wxmod::sectors::SectorError::UnknownSite { .. })
    ));
    // The ledger import has one row per allowed interval of the valid sites only.
    let ledger = report::ledger_csv(&table);
    let rows = ledger.lines().count() - 1;
    let expected: usize = table
        .rows
        .iter()
        .filter(|r| r.sector.is_valid())
        .map(|r| r.sector.allowed.len())
        .sum();
    assert_eq!(rows, expected);
}

#[test]
fn a_mobile_base_in_a_county_seat_has_no_valid_sector_when_asked_for_one() {
    let config = SectorConfig::from_toml_str(
        "[site_kinds]\nmobile_rocket_base = \"rocket\"\n",
        std::path::Path::new("mobile.toml"),
    )
    .unwrap();
    let engine = bundled_engine(config);
    let sites = read_sites(&example("shuozhou_network.csv")).unwrap();
    let table = engine.table(&sites).unwrap();
    // Both bases stand in county seats: nothing may be fired from the garage itself.
    let invalid: Vec<&str> = table.invalid().map(|r| r.site.id.as_str()).collect();
    assert_eq!(invalid, vec!["SZ-M01", "SY-M01"]);
    let sz = &table.get("SZ-M01").unwrap().sector;
    assert_eq!(sz.status, SectorStatus::NoAllowedAzimuth);
    let problem = sz.problem(table.objects()).unwrap();
    assert!(
        problem.contains("stands too close to county seat 朔城区"),
        "{problem}"
    );
    assert!(!table.is_allowed("SZ-M01", 180.0, 60.0).unwrap());
    assert!(!report::ledger_csv(&table).contains("SZ-M01"));
}

#[test]
fn the_wedges_hold_their_allowed_azimuths_on_the_map() {
    let engine = bundled_engine(SectorConfig::default());
    let sites = read_sites(&example("shuozhou_network.csv")).unwrap();
    let table = engine.table(&sites).unwrap();
    let fc: geojson::FeatureCollection = report::wedges_geojson(&table, engine.projection())
        .unwrap()
        .parse()
        .unwrap();
    let wedges: usize = table.rows.iter().map(|r| r.sector.allowed.len()).sum();
    assert_eq!(fc.features.len(), wedges);
    for f in &fc.features {
        let site_id = f.property("site").unwrap().as_str().unwrap();
        let row = table.get(site_id).unwrap();
        let from = f.property("from_deg").unwrap().as_f64().unwrap();
        let width = f.property("width_deg").unwrap().as_f64().unwrap();
        let polygon = geo::Polygon::<f64>::try_from(f.geometry.clone().unwrap()).unwrap();
        let origin = Point::new(row.site.lon, row.site.lat);
        let mid = from + width / 2.0;
        let inside = Geodesic.destination(
            origin,
            mid,
            (row.sector.band.min_m + row.sector.band.max_m) / 2.0,
        );
        assert!(polygon.contains(&inside), "{site_id} {from}+{width}");
        if width < 350.0 {
            let outside = Geodesic.destination(origin, from - 2.0, row.sector.band.max_m * 0.9);
            assert!(!polygon.contains(&outside), "{site_id} {from}+{width}");
        }
    }
}

#[test]
fn the_example_config_holds_the_defaults() {
    let config = SectorConfig::read(&example("sectors.toml")).unwrap();
    assert_eq!(config, SectorConfig::default());
}

#[test]
fn the_siting_planner_refuses_a_candidate_without_a_sector_and_says_why() {
    use wxmod::siting::{Constraints, SitingRules};
    let engine = bundled_engine(SectorConfig::default());
    let region = shuozhou();
    let constraints = Constraints::new(&region, Vec::new(), None, &SitingRules::default())
        .with_check(Box::new(|_, _, lon, lat| {
            engine.refusal(lon, lat, SiteKind::FixedRocket)
        }));
    // The Shanyin county seat: the rocket band is blocked all round.
    let (x, y) = region.projection.forward(112.8097, 39.5257).unwrap();
    let reasons = constraints.reasons_at(x, y);
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(
        reasons[0].starts_with(
            "fixed_rocket: no safe firing azimuth: the site stands too close to county seat 山阴县"
        ),
        "{reasons:?}"
    );
    // Open land in the north of Pinglu passes.
    let (x, y) = region.projection.forward(112.30, 39.80).unwrap();
    assert!(constraints.allows(x, y));
}

// ---- the command ----------------------------------------------------------------------------

#[test]
fn sectors_command_writes_tables_wedges_and_maps() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        &dir,
        "c.toml",
        "[site_kinds]\nmobile_rocket_base = \"rocket\"\n",
    );
    wxmod()
        .args(["sectors", "--sites"])
        .arg(example("shuozhou_network.csv"))
        .arg("--config")
        .arg(&config)
        .arg("--facilities")
        .arg(example("shuozhou_facilities.geojson"))
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "13 rocket and gun sites (11 with a valid sector)",
        ))
        .stdout(predicates::str::contains("SZ-M01"))
        .stdout(predicates::str::contains("NO VALID SECTOR"));
    let csv = std::fs::read_to_string(dir.path().join("sectors.csv")).unwrap();
    assert_eq!(csv.lines().count(), 14);
    assert!(csv.contains("no_allowed_azimuth"));
    let md = std::fs::read_to_string(dir.path().join("sectors.md")).unwrap();
    assert!(md.contains("| SC-R01 |") && md.contains("## Sites without a valid sector"));
    let objects = std::fs::read_to_string(dir.path().join("protected_objects.geojson")).unwrap();
    assert!(objects.contains("oil_depot"));
    for id in ["SC-R01", "SC-G01", "SZ-M01"] {
        let svg = std::fs::read_to_string(dir.path().join(format!("maps/{id}.svg"))).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.contains(&format!("Safe firing sector — {id}")),
            "{id}"
        );
        // Issue #15 item 5: Chinese names and kind names, in the map renderer's font.
        let kind = match id {
            "SC-R01" => "固定火箭作业点",
            "SC-G01" => "高炮作业点",
            _ => "车载火箭发射系统",
        };
        assert!(svg.contains(kind), "{id}: no {kind}");
        assert!(svg.contains("安全射界图"), "{id}");
        let png = std::fs::read(dir.path().join(format!("maps/{id}.png"))).unwrap();
        let (width, height, pixels) = crate::fixtures::decode_png(&png);
        assert_eq!((width, height), (900, 1040));
        let coloured = pixels
            .chunks(3)
            .filter(|p| !(p[0] == p[1] && p[1] == p[2]))
            .count();
        assert!(
            coloured > 50_000,
            "{id}: the map has {coloured} coloured pixels"
        );
    }
}

#[test]
fn sectors_command_prints_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = wxmod()
        .args(["sectors", "--json", "--no-maps", "--sites"])
        .arg(example("shuozhou_network.csv"))
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    assert!(dir.path().join("sectors_ledger.csv").exists());
    assert!(!dir.path().join("maps").exists(), "--no-maps draws no map");
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["sites"].as_array().unwrap().len(), 11);
    assert_eq!(v["skipped"].as_array().unwrap().len(), 8);
    assert_eq!(v["files"].as_array().unwrap().len(), 5);
    assert!(
        v["sites"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["valid"] == true && s["problem"].is_null())
    );
    assert!(
        v["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["site"] == "SZ-M01" && s["kind"] == "mobile_rocket_base")
    );
}

#[test]
fn every_fixed_site_of_the_plan_gets_a_sector() {
    let dir = tempfile::tempdir().unwrap();
    wxmod()
        .args(["plan", "--sites"])
        .arg(example("shuozhou_network.csv"))
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    let plan = dir.path().join("plan.csv");
    let sites = read_sites(&plan).unwrap();
    let fixed = sites
        .iter()
        .filter(|s| matches!(s.kind, SiteKind::FixedRocket | SiteKind::FixedGun))
        .count();
    assert!(fixed > 40, "the plan adds points: {fixed}");
    let out = wxmod()
        .args(["sectors", "--json", "--sites"])
        .arg(&plan)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let rows = v["sites"].as_array().unwrap();
    assert_eq!(rows.len(), fixed);
    for row in rows {
        let allowed = row["allowed_deg"].as_f64().unwrap();
        let forbidden: f64 = row["forbidden"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["width_deg"].as_f64().unwrap())
            .sum();
        assert_eq!(allowed + forbidden, 360.0, "{}", row["site"]);
    }
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const HEADER: &str = "id,name,kind,standardized,status,year,lon,lat,county";

#[test]
fn sectors_command_fails_on_an_unknown_equipment_kind() {
    let dir = tempfile::tempdir().unwrap();
    let sites = write(
        &dir,
        "s.csv",
        &format!("{HEADER},equipment\nG1,g,fixed_gun,yes,existing,2010,112.3,39.5,,gun_57mm\n"),
    );
    wxmod()
        .args(["sectors", "--sites"])
        .arg(&sites)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "site G1: unknown equipment kind 'gun_57mm' (known: gun_37mm, rocket)",
        ));
}

#[test]
fn sectors_command_fails_on_negative_ranges_in_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        &dir,
        "c.toml",
        "[equipment.rocket]\nfall_band_min_m = -1000\n",
    );
    wxmod()
        .args(["sectors", "--sites"])
        .arg(example("shuozhou_network.csv"))
        .arg("--config")
        .arg(&config)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "equipment.rocket: fall band -1000-10000 m is not a range; it needs 0 <= fall_band_min_m < fall_band_max_m",
        ));
    let config = write(&dir, "m.toml", "margin_m = -5\n");
    wxmod()
        .args(["sectors", "--sites"])
        .arg(example("shuozhou_network.csv"))
        .arg("--config")
        .arg(&config)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "margin_m is -5; it must be a length >= 0 m",
        ));
}

#[test]
fn sectors_command_fails_on_a_site_outside_the_dem() {
    let dir = tempfile::tempdir().unwrap();
    let sites = write(
        &dir,
        "s.csv",
        &format!(
            "{HEADER}\nFAR,f,fixed_rocket,yes,existing,2010,115.0,39.5,\nOK,o,fixed_rocket,yes,existing,2010,112.3,39.8,\n"
        ),
    );
    wxmod()
        .args(["sectors", "--sites"])
        .arg(&sites)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "site FAR at (115, 39.5) lies outside the DEM; its altitude class cannot be found",
        ));
}

#[test]
fn sectors_command_fails_on_a_point_facility_without_a_radius() {
    let dir = tempfile::tempdir().unwrap();
    let facilities = write(
        &dir,
        "f.geojson",
        r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"id":"depot","kind":"oil_depot"},"geometry":{"type":"Point","coordinates":[112.4,39.4]}},
            {"type":"Feature","properties":{"name":"no kind"},"geometry":{"type":"Point","coordinates":[112.4,39.4]}}]}"#,
    );
    wxmod()
        .args(["sectors", "--sites"])
        .arg(example("shuozhou_network.csv"))
        .arg("--facilities")
        .arg(&facilities)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("2 problems in facility file"))
        .stderr(predicates::str::contains(
            "feature 0 (depot): a point facility needs a radius_m property (or facility_radius_m.oil_depot in the sector config)",
        ))
        .stderr(predicates::str::contains("feature 1: the property 'kind' is missing"));
}

#[test]
fn a_polygon_facility_blocks_its_bearings() {
    let dir = tempfile::tempdir().unwrap();
    // A 1 km square facility centred 4 km due east of the site (about 0.0467° of longitude).
    let (lon, lat) = (112.30f64, 39.80f64);
    let dlon = 4000.0 / (111_320.0 * lat.to_radians().cos());
    let half = 500.0 / (111_320.0 * lat.to_radians().cos());
    let half_lat = 500.0 / 111_000.0;
    let (cx, cy) = (lon + dlon, lat);
    let facilities = write(
        &dir,
        "f.geojson",
        &format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"id":"plant","kind":"power_plant"}},
            "geometry":{{"type":"Polygon","coordinates":[[[{a},{b}],[{c},{b}],[{c},{d}],[{a},{d}],[{a},{b}]]]}}}}]}}"#,
            a = cx - half,
            b = cy - half_lat,
            c = cx + half,
            d = cy + half_lat
        ),
    );
    let sites = write(
        &dir,
        "s.csv",
        &format!("{HEADER}\nP,p,fixed_rocket,yes,existing,2010,{lon},{lat},\n"),
    );
    let out = wxmod()
        .args(["sectors", "--json", "--sites"])
        .arg(&sites)
        .arg("--facilities")
        .arg(&facilities)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let forbidden = v["sites"][0]["forbidden"].as_array().unwrap();
    assert_eq!(forbidden.len(), 1, "{forbidden:?}");
    assert_eq!(forbidden[0]["blockers"][0], "plant");
    // The near corners (3.5 km, ±0.5 km) with the 200 m margin subtend
    // atan(0.5/3.5) + asin(0.2/3.54) = 11.4° either side of east.
    let from = forbidden[0]["from_deg"].as_f64().unwrap();
    let to = forbidden[0]["to_deg"].as_f64().unwrap();
    assert!(
        (74.0..80.0).contains(&from) && (100.0..106.0).contains(&to),
        "{from}-{to}"
    );
}
