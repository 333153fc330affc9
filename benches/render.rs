//! Map rendering on the bundled Shuozhou data: the city overview and one county map (A4,
//! 150 dpi; terrain, cells, zones, sites and landmarks), PNG and SVG separately and together.

use std::hint::black_box;

#[path = "../tests/support/data.rs"]
mod data;

use criterion::{Criterion, criterion_group, criterion_main};
use wxmod::catalog::{Catalog, bundled_catalog_path};
use wxmod::grid::{Grid, GridSpec};
use wxmod::region::read_landmarks;
use wxmod::render::{
    MapFont, MapInputs, Paper, city_overview, county_map, render_png, render_png_svg, render_svg,
    status_by_sites_inside,
};
use wxmod::sites::read_sites;
use wxmod::terrain::Dem;
use wxmod::zones::{ZoneLayer, read_rivers};

fn maps(c: &mut Criterion) {
    let region = data::shuozhou();
    let files = region.files.clone();
    let dem = Dem::read(files.dem.as_deref().expect("a DEM")).expect("DEM");
    let zones = ZoneLayer::read(files.zones.as_deref().expect("zones")).expect("zones");
    let rivers = read_rivers(files.rivers.as_deref().expect("rivers")).expect("rivers");
    let landmarks =
        read_landmarks(files.landmarks.as_deref().expect("landmarks")).expect("landmarks");
    let sites = read_sites(&data::example_network()).expect("sites");
    let catalog = Catalog::read(&bundled_catalog_path()).expect("catalog");
    let grid = Grid::build(&region, &GridSpec::new(15_000.0), Some(&dem), None);
    let inputs = MapInputs {
        region: &region,
        grid: Some(&grid),
        cell_status: status_by_sites_inside(&region, &grid, &sites, None),
        dem: Some(&dem),
        zones: Some(&zones),
        rivers: Some(&rivers),
        landmarks: &landmarks,
        sites: &sites,
        catalog: Some(&catalog),
        sectors: Vec::new(),
        paper: Paper::a4_landscape(),
        source_note: String::new(),
        final_status: None,
    };
    let font = MapFont::bundled();
    let city = city_overview(&inputs);
    let county = county_map(&inputs, "140602").expect("Shuocheng");

    let mut group = c.benchmark_group("render");
    group.sample_size(10);
    group.bench_function("city_png", |b| {
        b.iter(|| black_box(render_png(black_box(&city), &font).expect("renders")))
    });
    group.bench_function("city_svg", |b| {
        b.iter(|| black_box(render_svg(black_box(&city), &font).expect("renders")))
    });
    group.bench_function("city_png_svg", |b| {
        b.iter(|| black_box(render_png_svg(black_box(&city), &font).expect("renders")))
    });
    group.bench_function("county_png_svg", |b| {
        b.iter(|| black_box(render_png_svg(black_box(&county), &font).expect("renders")))
    });
    group.finish();
}

criterion_group!(benches, maps);
criterion_main!(benches);
