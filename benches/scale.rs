//! The heavy steps of `wxmod run` at city and province scale (issue #14 item 5): priority-zone
//! land per 10 km cell (projecting, unioning and clipping the zones to every county, then
//! clipping to the grid) and the burner plan (the 1 km high-mountain demand lattice located in
//! the counties, then the lazy greedy). Regions, DEM, zones and landmarks are the bundled
//! Shuozhou (6 counties) and Shanxi (117 counties) data, loaded outside the timed loop. The
//! zone layer is cloned in the loop because it keeps its projected shapes once computed.
//! The national run has no zones or DEM: time it with `/usr/bin/time -v wxmod run` (README).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use geo::Coord;
use wxmod::grid::GridSpec;
use wxmod::region::{Region, bundled, read_landmarks};
use wxmod::siting::burners::{BurnerReach, BurnerSettings, plan_burners};
use wxmod::siting::{Constraints, SitingRules, landmark_exclusions};
use wxmod::terrain::Dem;
use wxmod::zones::ZoneLayer;

struct Scale {
    name: &'static str,
    region: Region,
    dem: Dem,
    zones: ZoneLayer,
    landmarks: Vec<wxmod::region::Landmark>,
}

fn scale(name: &'static str, given: &str) -> Scale {
    let dir = bundled::resolve(given).expect("a bundled region");
    let region = Region::load(&dir, None).expect("the region loads");
    let files = region.files.clone();
    let dem = Dem::read(&files.dem.expect("the region has a DEM")).expect("the DEM reads");
    let zones = ZoneLayer::read(&files.zones.expect("the region has zones")).expect("zones read");
    let landmarks =
        read_landmarks(&files.landmarks.expect("the region has landmarks")).expect("landmarks");
    Scale {
        name,
        region,
        dem,
        zones,
        landmarks,
    }
}

fn bench_scale(c: &mut Criterion) {
    let rules = SitingRules::default();
    for s in [
        scale("city_shuozhou", "140600"),
        scale("province_shanxi", "140000"),
    ] {
        let spec = GridSpec::new(10_000.0);
        c.bench_function(&format!("{}_zone_cover_10km", s.name), |b| {
            b.iter(|| black_box(s.zones.clone().cover_by_cell(&s.region, &spec)))
        });
        let exclusions = landmark_exclusions(&s.landmarks, &s.region, &rules);
        let constraints = Constraints::new(&s.region, exclusions, Some(&s.dem), &rules);
        let settings = BurnerSettings {
            reach: BurnerReach {
                radius_m: 10_000.0,
                wind_from_deg: rules.prevailing_wind_from_deg,
                sector_deg: rules.burner_sector_deg,
            },
            min_elevation_m: rules.burner_min_elevation_m,
            spacing_m: rules.burner_demand_spacing_m,
            min_new_km2: rules.burner_min_new_km2,
        };
        let existing: Vec<Coord<f64>> = Vec::new();
        c.bench_function(&format!("{}_burner_plan", s.name), |b| {
            b.iter(|| {
                black_box(plan_burners(
                    &s.region,
                    &s.dem,
                    &existing,
                    &settings,
                    &constraints,
                ))
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench_scale
}
criterion_main!(benches);
