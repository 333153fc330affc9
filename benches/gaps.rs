//! Coverage and gaps at city scale (the illustrative Shuozhou network on the bundled data;
//! 1,000, 10,000 and 100,000 seeded random sites packed into Shuozhou, issue #15 item 6) and
//! national scale (10,000 seeded random sites over the China-wide 10 km grid). Grids are laid
//! outside the timed loop; the analysis (site lookup, compliance, exact coverage, ranking) is
//! timed. Peak memory is not measured here: run `wxmod gaps` under `/usr/bin/time -v`.

use std::collections::BTreeMap;
use std::hint::black_box;

#[path = "../tests/support/data.rs"]
mod data;

use criterion::{Criterion, criterion_group, criterion_main};
use geo::{BoundingRect, Contains, Point};
use wxmod::catalog::{Catalog, bundled_catalog_path};
use wxmod::gaps::{GapInputs, GapOptions, PolicyGrids, analyse_on};
use wxmod::grid::GridSpec;
use wxmod::region::{BoundarySource, InputCrs, Region};
use wxmod::sites::{Site, SiteKind, SiteStatus, locate_in_region, read_sites};
use wxmod::zones::ZoneLayer;

const ALBERS: &str = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs";

/// `n` sites at random places inside random counties of the region.
fn random_sites(region: &Region, n: usize, seed: u64) -> Vec<Site> {
    let mut rng = wxmod::rng::SplitMix64::new(seed);
    let mut sites = Vec::with_capacity(n);
    while sites.len() < n {
        let county = &region.counties[(rng.unit() * region.counties.len() as f64) as usize];
        let Some(b) = county.lonlat.bounding_rect() else {
            continue;
        };
        let lon = b.min().x + rng.unit() * b.width();
        let lat = b.min().y + rng.unit() * b.height();
        if !county.lonlat.contains(&Point::new(lon, lat)) {
            continue;
        }
        let kind = if sites.len() % 10 == 0 {
            SiteKind::Burner
        } else {
            SiteKind::FixedRocket
        };
        sites.push(Site {
            id: format!("s{}", sites.len()),
            name: String::new(),
            kind,
            standardized: true,
            status: SiteStatus::Existing,
            year: None,
            lon,
            lat,
            county: Some(county.id.clone()),
            extra: BTreeMap::new(),
        });
    }
    sites
}

fn gaps(c: &mut Criterion) {
    let catalog = Catalog::read(&bundled_catalog_path()).expect("bundled catalog");
    let mut group = c.benchmark_group("gaps");
    group.sample_size(10);

    let shuozhou = data::shuozhou();
    let zones = ZoneLayer::read(shuozhou.files.zones.as_ref().expect("zones")).expect("zones");
    let path = data::example_network();
    let mut sites = read_sites(&path).expect("example network");
    locate_in_region(&mut sites, &shuozhou, &path).expect("sites in region");
    let options = GapOptions::default();
    let grids = PolicyGrids::build(&shuozhou, &options, None, Some(&zones));
    let inputs = GapInputs {
        region: &shuozhou,
        sites: &sites,
        catalog: &catalog,
        dem: None,
        zones: Some(&zones),
        options,
    };
    group.bench_function("shuozhou_example_network", |b| {
        b.iter(|| black_box(analyse_on(black_box(&inputs), &grids)))
    });

    for n in [1_000, 10_000, 100_000] {
        let sites = random_sites(&shuozhou, n, 7);
        let inputs = GapInputs {
            region: &shuozhou,
            sites: &sites,
            catalog: &catalog,
            dem: None,
            zones: Some(&zones),
            options: GapOptions::default(),
        };
        group.bench_function(format!("shuozhou_{n}_random_sites"), |b| {
            b.iter(|| black_box(analyse_on(black_box(&inputs), &grids)))
        });
    }

    let source = BoundarySource {
        input_crs: InputCrs::Gcj02,
        ..BoundarySource::new(data::shared("china_counties.geojson"))
    };
    let china = Region::from_boundaries(&source, Some(ALBERS)).expect("china boundaries");
    let sites = random_sites(&china, 10_000, 42);
    let options = GapOptions {
        base: GridSpec::new(10_000.0),
        ..GapOptions::default()
    };
    let grids = PolicyGrids::build(&china, &options, None, None);
    let inputs = GapInputs {
        region: &china,
        sites: &sites,
        catalog: &catalog,
        dem: None,
        zones: None,
        options,
    };
    group.bench_function("china_10km_10000_sites", |b| {
        b.iter(|| black_box(analyse_on(black_box(&inputs), &grids)))
    });
    group.finish();
}

criterion_group!(benches, gaps);
criterion_main!(benches);
