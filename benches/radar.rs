//! Radar coverage on the bundled Shuozhou DEM: one site's scan with 3 elevations to 75 km
//! (full detail and the lattice's cumulative-blockage-only scan), its covered land, and the
//! whole 2 km candidate lattice over Shuozhou (about 2,950 candidates with the 2 km margin;
//! issue #16's target: under 10 s on 2 cores, release build).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use wxmod::radar::{
    Detail, LandSet, LocalFrame, RadarConfig, RadarInputs, RadarRequest, RadarSite, covered_land,
    scan_with, study,
};
use wxmod::region::{Region, bundled_region_dir, read_landmarks};
use wxmod::terrain::Dem;

fn bench(c: &mut Criterion) {
    let region = Region::load(&bundled_region_dir(), None).expect("bundled region");
    let dem = Dem::read(region.files.dem.as_ref().expect("bundled DEM")).expect("DEM reads");
    let landmarks = read_landmarks(region.files.landmarks.as_ref().expect("landmarks"))
        .expect("landmarks read");
    let land = LandSet::build(&region, &dem, "dem_30s.asc", None).expect("land points");
    let config = RadarConfig::default();
    let site = RadarSite {
        id: "centre".into(),
        lon: 112.73,
        lat: 39.65,
    };
    let frame = LocalFrame::at(&region, site.lon, site.lat).expect("frame");

    let mut group = c.benchmark_group("radar_site");
    group.bench_function("scan 3 elevations 75 km full", |b| {
        b.iter(|| {
            black_box(scan_with(&dem, black_box(&config), &site, Detail::Full).expect("scan"))
        })
    });
    group.bench_function("scan 3 elevations 75 km cbb only", |b| {
        b.iter(|| {
            black_box(scan_with(&dem, black_box(&config), &site, Detail::CbbOnly).expect("scan"))
        })
    });
    let polar = scan_with(&dem, &config, &site, Detail::CbbOnly).expect("scan");
    group.bench_function("covered land", |b| {
        b.iter(|| black_box(covered_land(black_box(&polar), &frame, &land, &config)))
    });
    group.finish();

    let inputs = RadarInputs {
        region: &region,
        dem: &dem,
        dem_name: "dem_30s.asc",
        zones: None,
        landmarks: &landmarks,
    };
    let request = RadarRequest::default();
    let mut group = c.benchmark_group("radar_lattice");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(60))
        .warm_up_time(Duration::from_secs(1));
    group.bench_function("shuozhou 2 km lattice", |b| {
        b.iter(|| black_box(study(&inputs, black_box(&request)).expect("study")))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
