//! Safe firing sectors: 1,000 sites against 10,000 protected objects (the target:
//! under 1 s on 2 cores), the index build, one planner candidate, and the real Shuozhou example
//! network on the bundled landmarks and DEM.
//!
//! Synthetic scene (seeded): a 100 km x 100 km square around Shuozhou's centre in UTM 49N with
//! 9,840 places (500 m), 100 towns (2 km), 10 airports (3 km) and 50 polygon facilities of
//! 6-16 vertices, i.e. about one object per km², denser than the real landmark file; 1,000
//! sites, two thirds rockets (0-10 km) and one third 37 mm guns (2-7 km).

use std::hint::black_box;

#[path = "../tests/support/data.rs"]
mod data;

use criterion::{Criterion, criterion_group, criterion_main};
use geo::{Coord, LineString, MultiPolygon, Polygon};
use wxmod::region::{Region, read_landmarks};
use wxmod::sectors::{
    ObjectKind, ObjectShape, ProtectedObject, SectorConfig, SectorEngine, landmark_objects,
};
use wxmod::sites::{Site, SiteKind, SiteStatus, read_sites};
use wxmod::terrain::Dem;

struct Scene {
    objects: Vec<ProtectedObject>,
    sites: Vec<Site>,
}

fn scene(region: &Region) -> Scene {
    let p = &region.projection;
    let (cx, cy) = p.forward(112.7, 39.6).expect("centre projects");
    let mut rng = wxmod::rng::SplitMix64::new(7);
    let mut objects = Vec::with_capacity(10_000);
    for i in 0..9_950 {
        let (x, y) = (cx + rng.range(-50e3, 50e3), cy + rng.range(-50e3, 50e3));
        let (lon, lat) = p.inverse(x, y).expect("inverse");
        let (kind, radius_m) = match i % 100 {
            0 if i < 1_000 => (ObjectKind::Airport, 3000.0),
            1..=10 if i % 10 == 1 => (ObjectKind::CountySeat, 2000.0),
            _ => (ObjectKind::Place, 500.0),
        };
        objects.push(ProtectedObject {
            id: format!("o{i}"),
            name: format!("Object {i}"),
            kind,
            radius_m,
            shape: ObjectShape::Point {
                lonlat: Coord { x: lon, y: lat },
                xy: Coord { x, y },
            },
        });
    }
    for i in 0..50 {
        let (x, y) = (cx + rng.range(-48e3, 48e3), cy + rng.range(-48e3, 48e3));
        let n = 6 + (rng.unit() * 11.0) as usize;
        let mut ring: Vec<Coord<f64>> = (0..n)
            .map(|k| {
                let a = k as f64 / n as f64 * std::f64::consts::TAU;
                let r = rng.range(300.0, 1500.0);
                Coord {
                    x: x + r * a.sin(),
                    y: y + r * a.cos(),
                }
            })
            .collect();
        ring.push(ring[0]);
        let xy = MultiPolygon(vec![Polygon::new(LineString::new(ring), vec![])]);
        let lonlat = p.inverse_multipolygon(&xy).expect("inverse");
        objects.push(ProtectedObject {
            id: format!("f{i}"),
            name: format!("Facility {i}"),
            kind: ObjectKind::Facility("power_plant".into()),
            radius_m: 0.0,
            shape: ObjectShape::Area { lonlat, xy },
        });
    }
    let sites = (0..1_000)
        .map(|i| {
            let (x, y) = (cx + rng.range(-45e3, 45e3), cy + rng.range(-45e3, 45e3));
            let (lon, lat) = p.inverse(x, y).expect("inverse");
            Site {
                id: format!("S{i}"),
                name: String::new(),
                kind: if i % 3 == 0 {
                    SiteKind::FixedGun
                } else {
                    SiteKind::FixedRocket
                },
                standardized: true,
                status: SiteStatus::Existing,
                year: None,
                lon,
                lat,
                county: None,
                extra: Default::default(),
            }
        })
        .collect();
    Scene { objects, sites }
}

fn sectors(c: &mut Criterion) {
    let region = data::shuozhou();
    let dem = Dem::read(region.files.dem.as_ref().expect("dem")).expect("dem reads");
    let scene = scene(&region);
    assert_eq!(scene.objects.len(), 10_000);
    let config = SectorConfig::default();
    let engine = SectorEngine::new(
        config.clone(),
        scene.objects.clone(),
        region.projection.clone(),
        Some(dem.clone()),
    )
    .expect("engine");

    let mut group = c.benchmark_group("sectors");
    group.sample_size(10);
    group.bench_function("index_10000_objects", |b| {
        b.iter(|| {
            black_box(
                SectorEngine::new(
                    config.clone(),
                    black_box(scene.objects.clone()),
                    region.projection.clone(),
                    Some(dem.clone()),
                )
                .expect("engine"),
            )
        })
    });
    group.bench_function("table_1000_sites_10000_objects", |b| {
        b.iter(|| black_box(engine.table(black_box(&scene.sites)).expect("table")))
    });
    group.bench_function("index_and_table_1000_sites_10000_objects", |b| {
        b.iter(|| {
            let engine = SectorEngine::new(
                config.clone(),
                black_box(scene.objects.clone()),
                region.projection.clone(),
                Some(dem.clone()),
            )
            .expect("engine");
            black_box(engine.table(black_box(&scene.sites)).expect("table"))
        })
    });
    let candidate = &scene.sites[1];
    group.bench_function("has_valid_sector_one_candidate", |b| {
        b.iter(|| {
            black_box(
                engine
                    .has_valid_sector(
                        black_box(candidate.lon),
                        black_box(candidate.lat),
                        SiteKind::FixedRocket,
                    )
                    .expect("candidate"),
            )
        })
    });

    let landmarks = read_landmarks(region.files.landmarks.as_ref().expect("landmarks"))
        .expect("landmarks read");
    let objects =
        landmark_objects(&landmarks, &config, &region.projection).expect("landmarks project");
    let real =
        SectorEngine::new(config, objects, region.projection.clone(), Some(dem)).expect("engine");
    let network = read_sites(&data::example_network()).expect("network");
    group.bench_function("shuozhou_example_network", |b| {
        b.iter(|| black_box(real.table(black_box(&network)).expect("table")))
    });
    group.finish();
}

criterion_group!(benches, sectors);
criterion_main!(benches);
