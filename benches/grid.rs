//! Grid building at city (Shuozhou, 6 counties), province (Shanxi, 117) and national
//! (China, 2,875 units, GCJ-02 input, Albers CRS) scale, loading included where named.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use wxmod::grid::{Grid, GridSpec};
use wxmod::region::{BoundarySource, InputCrs, Region};

const ALBERS: &str = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs";

#[path = "../tests/support/data.rs"]
mod data;
use data::{shared, shuozhou};

fn grids(c: &mut Criterion) {
    let shuozhou = shuozhou();
    let shanxi = Region::from_boundaries(
        &BoundarySource::new(shared("shanxi_counties_wgs84.geojson")),
        None,
    )
    .expect("shanxi boundaries");
    let china_source = BoundarySource {
        input_crs: InputCrs::Gcj02,
        ..BoundarySource::new(shared("china_counties.geojson"))
    };

    let mut group = c.benchmark_group("grid");
    group.sample_size(10);
    for size in [15_000.0, 10_000.0] {
        let spec = GridSpec::new(size);
        group.bench_function(format!("shuozhou_{}km", size / 1000.0), |b| {
            b.iter(|| black_box(Grid::build(black_box(&shuozhou), &spec, None, None)))
        });
        group.bench_function(format!("shanxi_{}km", size / 1000.0), |b| {
            b.iter(|| black_box(Grid::build(black_box(&shanxi), &spec, None, None)))
        });
    }
    group.bench_function("china_10km_with_loading", |b| {
        b.iter(|| {
            let china = Region::from_boundaries(black_box(&china_source), Some(ALBERS))
                .expect("china boundaries");
            black_box(Grid::build(&china, &GridSpec::new(10_000.0), None, None))
        })
    });
    group.finish();
}

criterion_group!(benches, grids);
criterion_main!(benches);
