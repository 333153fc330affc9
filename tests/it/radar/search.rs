//! The candidate search, the best pair against every pair, the AWS gaps against a brute-force
//! scan, a DEM short of the region.

use geo::{Distance, Haversine, Point};
use wxmod::radar::aws::{AwsRules, aws_network};
use wxmod::radar::{
    Candidates, LandSet, LocalFrame, RadarConfig, RadarError, RadarInputs, RadarRequest, RadarSite,
    SiteRules, covered_land, scan, study,
};
use wxmod::region::read_landmarks;
use wxmod::sites::read_sites;
use wxmod::terrain::Dem;

use super::bundled_dem;
use crate::fixtures::shuozhou;

fn inputs_for<'a>(
    region: &'a wxmod::region::Region,
    dem: &'a Dem,
    landmarks: &'a [wxmod::region::Landmark],
) -> RadarInputs<'a> {
    RadarInputs {
        region,
        dem,
        dem_name: "dem_30s.asc",
        zones: None,
        landmarks,
    }
}

#[test]
fn the_lattice_ranks_eligible_sites_first_and_says_why_others_are_excluded() {
    let region = shuozhou();
    let dem = bundled_dem();
    let landmarks = read_landmarks(region.files.landmarks.as_ref().unwrap()).unwrap();
    let request = RadarRequest {
        rules: SiteRules {
            lattice_m: 8_000.0,
            ..SiteRules::default()
        },
        ..RadarRequest::default()
    };
    let result = study(&inputs_for(&region, &dem, &landmarks), &request).unwrap();
    let n = result.rows.len();
    // About region area / 64 km² lattice points, plus the margin band.
    assert!((150..=260).contains(&n), "{n} lattice candidates");
    let eligible: Vec<_> = result.rows.iter().filter(|r| r.eligible()).collect();
    assert!(!eligible.is_empty());
    let best = &result.rows[result.network.as_ref().unwrap().chosen[0]];
    assert_eq!(best.rank, 1);
    assert!(best.eligible());
    for r in &eligible {
        assert!(r.low_share() <= best.low_share());
        let airport = r.airports_km.first().unwrap().1;
        assert!(
            airport >= 20.0,
            "{} is {airport} km from an airport",
            r.site.id
        );
        assert!(r.slope_deg.unwrap() <= 15.0);
        assert!(r.county.is_some());
    }
    for w in result.rows.windows(2) {
        assert!(
            w[0].eligible() >= w[1].eligible(),
            "eligible candidates come first"
        );
    }
    assert!(
        result
            .rows
            .iter()
            .any(|r| r.excluded.iter().any(|e| e.contains("outside the region")))
    );
    assert!(
        result
            .rows
            .iter()
            .any(|r| r.excluded.iter().any(|e| e.contains("airport clearance")))
    );
    assert!(
        result
            .rows
            .iter()
            .filter(|r| !r.eligible())
            .all(|r| !r.excluded.is_empty())
    );
    // Shares are fractions and 3 km covers at least what 1 km does.
    for r in &result.rows {
        if let (Some(l), Some(h)) = (&r.low, &r.high) {
            assert!((0.0..=1.0).contains(&l.region) && l.region <= h.region + 1e-12);
        }
    }
}

/// Every k-subset of `sets` by brute force: the largest land area their union covers.
fn brute_force_best(land: &LandSet, sets: &[wxmod::radar::PointSet], k: usize) -> f64 {
    fn walk(
        land: &LandSet,
        sets: &[wxmod::radar::PointSet],
        k: usize,
        from: usize,
        picked: &mut Vec<usize>,
        best: &mut f64,
    ) {
        if picked.len() == k {
            let km2: f64 = (0..land.points.len())
                .filter(|&i| picked.iter().any(|&s| sets[s].contains(i)))
                .map(|i| land.points[i].area_km2)
                .sum();
            *best = best.max(km2);
            return;
        }
        for s in from..sets.len() {
            picked.push(s);
            walk(land, sets, k, s + 1, picked, best);
            picked.pop();
        }
    }
    let mut best = 0.0;
    walk(land, sets, k, 0, &mut Vec::new(), &mut best);
    best
}

#[test]
fn the_best_k_by_the_covering_solver_equals_every_subsets_best() {
    let region = shuozhou();
    let dem = bundled_dem();
    let sites: Vec<RadarSite> = [
        (112.30, 39.45),
        (112.45, 39.85),
        (112.90, 39.55),
        (113.15, 39.60),
        (112.60, 39.25),
        (113.00, 39.85),
        (112.20, 39.70),
    ]
    .iter()
    .enumerate()
    .map(|(i, &(lon, lat))| RadarSite {
        id: format!("c{i}"),
        lon,
        lat,
    })
    .collect();
    let config = RadarConfig::default();
    let mut land_sets = None;
    for k in [2, 3] {
        let request = RadarRequest {
            candidates: Candidates::Sites(sites.clone()),
            radars: k,
            clip_to_dem: true,
            rules: SiteRules {
                airport_clearance_m: 0.0,
                county_seat_buffer_m: 0.0,
                place_buffer_m: 0.0,
                max_slope_deg: 90.0,
                ..SiteRules::default()
            },
            ..RadarRequest::default()
        };
        let result = study(&inputs_for(&region, &dem, &[]), &request).unwrap();
        let net = result.network.as_ref().unwrap();
        let land = &result.land;
        // Brute force over every k-subset, from each site's covered land.
        let sets = land_sets.get_or_insert_with(|| {
            sites
                .iter()
                .map(|s| {
                    let polar = scan(&dem, &config, s).unwrap();
                    covered_land(
                        &polar,
                        &LocalFrame::at(&region, s.lon, s.lat).unwrap(),
                        land,
                        &config,
                    )
                    .low
                })
                .collect::<Vec<_>>()
        });
        let best = brute_force_best(land, sets, k);
        assert_eq!(net.chosen.len(), k);
        assert!(
            (net.covered_km2 - best).abs() < 1e-6,
            "k {k}: solver {} vs brute force {best}",
            net.covered_km2
        );
        // The chosen sites' union, recomputed, is the objective reported.
        let ids: Vec<usize> = net
            .chosen
            .iter()
            .map(|&r| {
                sites
                    .iter()
                    .position(|s| s.id == result.rows[r].site.id)
                    .unwrap()
            })
            .collect();
        let union: f64 = (0..land.points.len())
            .filter(|&i| ids.iter().any(|&s| sets[s].contains(i)))
            .map(|i| land.points[i].area_km2)
            .sum();
        assert!((union - net.covered_km2).abs() < 1e-6);
        assert!(net.proven_optimal, "k {k}: {}", net.method);
        assert!((net.upper_bound_km2 - best).abs() < 1e-6);
        assert!(net.greedy_km2 <= net.covered_km2 + 1e-9);
        assert!(net.method.contains("covering solver"), "{}", net.method);
    }
}

#[test]
fn aws_gaps_are_the_land_farther_than_15_km_from_every_station() {
    let region = shuozhou();
    let dem = bundled_dem();
    let land = LandSet::build(&region, &dem, "dem", None).unwrap();
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/shuozhou_network.csv");
    let mut sites = read_sites(&path).unwrap();
    wxmod::sites::locate_in_region(&mut sites, &region, &path).unwrap();
    let landmarks = read_landmarks(region.files.landmarks.as_ref().unwrap()).unwrap();
    let net = aws_network(
        &region,
        &dem,
        &land,
        &sites,
        &landmarks,
        &AwsRules::default(),
    )
    .unwrap();
    let stations: Vec<Point> = sites
        .iter()
        .filter(|s| s.kind == wxmod::sites::SiteKind::Aws)
        .map(|s| Point::new(s.lon, s.lat))
        .collect();
    assert!(!stations.is_empty());
    let brute: f64 = land
        .points
        .iter()
        .filter(|p| {
            stations
                .iter()
                .all(|s| Haversine.distance(*s, Point::new(p.lon, p.lat)) > 15_000.0)
        })
        .map(|p| p.area_km2)
        .sum();
    let got: f64 = net.counties.iter().map(|c| c.gap_km2).sum();
    assert!(
        (got - brute).abs() / brute < 0.01,
        "gap {got:.1} km² vs brute force {brute:.1} km²"
    );
    // Every county without a station gets one; suggestions only shrink the gaps.
    for c in &net.counties {
        if c.stations.is_empty() {
            assert!(
                !c.suggestions.is_empty(),
                "{} has no AWS and no suggestion",
                c.county
            );
        }
        assert!(c.gap_after_km2 <= c.gap_km2 + 1e-9);
        for s in &c.suggestions {
            assert!(dem.slope_deg(s.lon, s.lat).unwrap() <= 2.0);
            for l in landmarks
                .iter()
                .filter(|l| l.kind == wxmod::region::LandmarkKind::CountySeat)
            {
                assert!(
                    Haversine.distance(Point::new(s.lon, s.lat), Point::new(l.lon, l.lat))
                        >= 2_000.0
                );
            }
        }
    }
    let planned = net.suggested_sites();
    assert!(
        planned.iter().all(|s| s.kind == wxmod::sites::SiteKind::Aws
            && s.status == wxmod::sites::SiteStatus::Planned)
    );
}

#[test]
fn a_dem_short_of_the_region_says_how_much_land_is_missing() {
    let region = shuozhou();
    // A flat DEM covering only the south of the city (north edge 39.6 N).
    let dem = Dem::new(300, 160, 111.5, 39.6, 0.01, vec![1000.0; 48_000]);
    let err = LandSet::build(&region, &dem, "south.asc", None).unwrap_err();
    let RadarError::DemMissesRegion {
        missing_km2,
        region_km2,
        ..
    } = &err
    else {
        panic!("{err}")
    };
    assert!(
        *missing_km2 > 3_000.0 && *missing_km2 < 8_000.0,
        "{missing_km2}"
    );
    assert!((region_km2 - 10_600.0).abs() < 200.0, "{region_km2}");
    assert!(err.to_string().contains("south.asc"));
}
