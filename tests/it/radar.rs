//! Radar site selection (issue #16): the beam model against the analytic formula on flat
//! terrain, the Bech fraction of a synthetic ridge against a numerical integration written
//! here, cumulative blockage as a running maximum, a peak against the same site 300 m lower,
//! coverage against a brute-force distance count, the best pair against every pair, the AWS
//! gaps against a brute-force distance scan, the outputs, and every user error of `wxmod radar`.

use geo::{Bearing, Distance, Haversine, Point};
use wxmod::radar::aws::{AwsRules, aws_network};
use wxmod::radar::{
    Candidates, LandSet, LocalFrame, RadarConfig, RadarError, RadarInputs, RadarRequest,
    RadarSite, SiteRules, covered_land, scan, study,
};
use wxmod::region::read_landmarks;
use wxmod::sites::read_sites;
use wxmod::terrain::Dem;

use crate::fixtures::{decode_png, shuozhou, wxmod};

/// The effective Earth radius the test expects: k times the WGS84 geocentric radius.
fn effective_radius(lat: f64, k: f64) -> f64 {
    let (a, b) = (6_378_137.0_f64, 6_356_752.314_245_f64);
    let (s, c) = lat.to_radians().sin_cos();
    let r = (((a * a * c).powi(2) + (b * b * s).powi(2)) / ((a * c).powi(2) + (b * s).powi(2))).sqrt();
    k * r
}

/// The beam-centre height of the issue: h = sqrt(r² + (k·a)² + 2·r·k·a·sin θ) − k·a + h0.
fn analytic_height(r: f64, theta_deg: f64, ka: f64, h0: f64) -> f64 {
    (r * r + ka * ka + 2.0 * r * ka * theta_deg.to_radians().sin()).sqrt() - ka + h0
}

/// The blocked share of a disc of radius `a` whose centre is `y` below a horizontal terrain top,
/// by numerical integration of the chord widths (independent of Bech's closed form).
fn blocked_share_numeric(y: f64, a: f64) -> f64 {
    if y <= -a {
        return 0.0;
    }
    if y >= a {
        return 1.0;
    }
    let n = 20_000;
    let dt = (y + a) / n as f64;
    let area: f64 = (0..n)
        .map(|i| {
            let t = -a + (i as f64 + 0.5) * dt;
            2.0 * (a * a - t * t).max(0.0).sqrt() * dt
        })
        .sum();
    area / (std::f64::consts::PI * a * a)
}

fn flat_dem(level: f32) -> Dem {
    // 0.01° cells over 110.5–114.5 E, 38.0–41.0 N.
    Dem::new(400, 300, 110.5, 41.0, 0.01, vec![level; 120_000])
}

fn bundled_dem() -> Dem {
    Dem::read(shuozhou().files.dem.as_ref().unwrap()).unwrap()
}

#[test]
fn flat_terrain_gives_the_analytic_beam_height_and_no_blockage() {
    let dem = flat_dem(1000.0);
    let config = RadarConfig {
        range_km: 60.0,
        ..RadarConfig::default()
    };
    let site = RadarSite { id: "flat".into(), lon: 112.0, lat: 39.5 };
    let polar = scan(&dem, &config, &site).unwrap();
    assert_eq!(polar.ground_m, 1000.0);
    assert_eq!(polar.antenna_m, 1030.0);
    let ka = effective_radius(39.5, 4.0 / 3.0);
    for (e, &theta) in config.elevations_deg.iter().enumerate() {
        for g in [0, 1, 40, 119, 200, polar.gates - 1] {
            let r = (g as f64 + 0.5) * config.gate_m;
            let expected = analytic_height(r, theta, ka, 1030.0);
            let got = polar.antenna_m + polar.beam_rel_m[e * polar.gates + g];
            assert!((got - expected).abs() < 1e-6, "elevation {theta}, gate {g}: {got} vs {expected}");
        }
        for az in 0..360 {
            for g in 0..polar.gates {
                let i = polar.index(e, az, g);
                assert_eq!(polar.pbb[i], 0.0, "flat ground blocks nothing");
                assert_eq!(polar.cbb[i], 0.0);
                assert!((polar.terrain_m[i] - 1000.0).abs() < 1e-3);
            }
        }
    }
    // 0.5° at 30/60 km: about 315/735 m above the antenna (DOMAIN.md §8).
    assert!((polar.beam_rel_m[119] - 315.0).abs() < 3.0, "{}", polar.beam_rel_m[119]);
    assert!((polar.beam_rel_m[239] - 735.0).abs() < 4.0, "{}", polar.beam_rel_m[239]);
    // Flat ground is below the horizontal from a 30 m tower on every azimuth.
    assert!(polar.horizon_deg.iter().all(|&h| h < 0.0 && h > -1.0));
    assert_eq!(polar.short_azimuths(), Vec::<usize>::new());
}

#[test]
fn a_ridge_blocks_the_bech_fraction_at_its_range_and_azimuths_only() {
    // Flat 1,000 m ground with a 1,330 m ridge 30–33 km east of the site (azimuth 80–100°),
    // on a fine 0.002° lattice.
    let (site_lon, site_lat) = (112.0, 39.5);
    let (ncols, nrows, west, north, cs) = (680, 500, 111.45, 40.0, 0.002);
    let site = Point::new(site_lon, site_lat);
    let mut values = vec![1000.0f32; ncols * nrows];
    for row in 0..nrows {
        for col in 0..ncols {
            let p = Point::new(west + (col as f64 + 0.5) * cs, north - (row as f64 + 0.5) * cs);
            let d = Haversine.distance(site, p);
            let az = Haversine.bearing(site, p).rem_euclid(360.0);
            if (30_000.0..=33_000.0).contains(&d) && (80.0..=100.0).contains(&az) {
                values[row * ncols + col] = 1330.0;
            }
        }
    }
    let dem = Dem::new(ncols, nrows, west, north, cs, values);
    let config = RadarConfig { range_km: 40.0, ..RadarConfig::default() };
    let polar = scan(&dem, &config, &RadarSite { id: "r".into(), lon: site_lon, lat: site_lat }).unwrap();
    let ka = effective_radius(site_lat, 4.0 / 3.0);
    let gates = polar.gates;
    let mut checked = 0;
    for (e, &theta) in config.elevations_deg.iter().enumerate() {
        for az in 0..360 {
            assert_eq!(polar.gates_reached[e * 360 + az], gates, "the DEM covers the range");
            for g in 0..gates {
                let i = polar.index(e, az, g);
                let r = (g as f64 + 0.5) * config.gate_m;
                let s = polar.ground_at_gate_m[e * gates + g];
                let on_ridge_azimuth = (84..=96).contains(&az);
                let off_ridge_azimuth = !(76..=104).contains(&az);
                if off_ridge_azimuth || s < 29_400.0 {
                    assert_eq!(polar.pbb[i], 0.0, "az {az} gate {g} (ground {s:.0} m): nothing blocks here");
                    assert_eq!(polar.cbb[i], 0.0, "az {az} gate {g}");
                }
                if on_ridge_azimuth && (30_800.0..=32_200.0).contains(&s) {
                    let beam = analytic_height(r, theta, ka, 1030.0);
                    let radius = r * config.beam_width_deg.to_radians() / 2.0;
                    let expected = blocked_share_numeric(1330.0 - beam, radius);
                    let got = f64::from(polar.pbb[i]);
                    assert!((got - expected).abs() < 2e-3, "el {theta} az {az} r {r}: {got} vs {expected}");
                    checked += 1;
                }
                if on_ridge_azimuth && s > 33_600.0 && e == 0 {
                    assert_eq!(polar.pbb[i], 0.0, "behind the ridge the ground is flat again");
                    assert!(polar.cbb[i] > 0.0, "but the ridge's blockage persists");
                }
            }
        }
    }
    assert!(checked >= 13 * 3 * 5, "{checked} ridge gates checked");
    // The lowest beam is about half blocked at the ridge (beam centre near 1,330 m there).
    let mid = polar.index(0, 90, 127);
    assert!(polar.pbb[mid] > 0.2 && polar.pbb[mid] < 0.8, "{}", polar.pbb[mid]);
}

#[test]
fn cumulative_blockage_never_decreases_and_is_the_running_maximum() {
    let dem = bundled_dem();
    let config = RadarConfig::default();
    for (lon, lat) in [(112.73, 39.65), (112.2, 39.35), (113.2, 39.45)] {
        let polar = scan(&dem, &config, &RadarSite { id: "s".into(), lon, lat }).unwrap();
        for e in 0..config.elevations_deg.len() {
            for az in 0..360 {
                let mut running = 0.0f32;
                for g in 0..polar.gates_reached[e * 360 + az] {
                    let i = polar.index(e, az, g);
                    running = running.max(polar.pbb[i]);
                    assert_eq!(polar.cbb[i], running, "({lon}, {lat}) e {e} az {az} gate {g}");
                    if g > 0 {
                        assert!(polar.cbb[i] >= polar.cbb[i - 1]);
                    }
                }
            }
        }
        // Higher elevations are never more blocked at the end of the range.
        let ends: Vec<Vec<f64>> = (0..3).map(|e| polar.cbb_at_end(e)).collect();
        for az in 0..360 {
            assert!(ends[1][az] <= ends[0][az] + 1e-6 && ends[2][az] <= ends[1][az] + 1e-6, "az {az}");
        }
    }
}

/// What a site sees on a DEM: the share of the region's land covered at 3 km AGL, the land
/// visible at the lowest elevation (some gate with CBB <= 0.5, any height) and the mean
/// end-of-range blockage at the lowest elevation.
fn sight(dem: &Dem, lon: f64, lat: f64) -> (f64, f64, f64) {
    let region = shuozhou();
    let land = LandSet::build(&region, dem, "dem", None).unwrap();
    let config = RadarConfig::default();
    let polar = scan(dem, &config, &RadarSite { id: "p".into(), lon, lat }).unwrap();
    let frame = LocalFrame::at(&region, lon, lat).unwrap();
    let covered = covered_land(&polar, &frame, &land, &config);
    let high: f64 = covered.high.iter().map(|i| land.points[i].area_km2).sum();
    let anywhere = RadarConfig { low_agl_m: 20_000.0, high_agl_m: 20_000.0, elevations_deg: vec![0.5], ..config.clone() };
    let polar_low = scan(dem, &anywhere, &RadarSite { id: "p".into(), lon, lat }).unwrap();
    let visible: f64 = covered_land(&polar_low, &frame, &land, &anywhere)
        .low
        .iter()
        .map(|i| land.points[i].area_km2)
        .sum();
    let mean_end: f64 = polar.cbb_at_end(0).iter().sum::<f64>() / 360.0;
    (high / land.total_km2(), visible / land.total_km2(), mean_end)
}

#[test]
fn a_site_on_a_peak_sees_more_than_the_same_site_300_m_lower() {
    let dem = bundled_dem();
    let region = shuozhou();
    let land = LandSet::build(&region, &dem, "dem", None).unwrap();
    // The highest land point of the region.
    let peak = land.points.iter().copied().max_by(|a, b| a.z.total_cmp(&b.z)).unwrap();
    assert!(peak.z > 2_000.0, "Shuozhou's highest land is above 2,000 m ({})", peak.z);
    // The same DEM with the site 300 m lower: a 300 m pit of 1.5 km radius at the peak.
    let (ncols, nrows) = dem.shape();
    let mut values = Vec::with_capacity(ncols * nrows);
    for row in 0..nrows {
        for col in 0..ncols {
            let (lon, lat) = dem.cell_centre(col, row);
            let v = dem.cell_value(col, row).unwrap_or(f64::NAN);
            let d = Haversine.distance(Point::new(peak.lon, peak.lat), Point::new(lon, lat));
            values.push(if d < 1_500.0 { (v - 300.0) as f32 } else { v as f32 });
        }
    }
    let (lon0, lat0) = dem.cell_centre(0, 0);
    let cs = dem.cellsize();
    let lowered = Dem::new(ncols, nrows, lon0 - cs / 2.0, lat0 + cs / 2.0, cs, values);
    let (high_3km, high_visible, high_cbb) = sight(&dem, peak.lon, peak.lat);
    let (low_3km, low_visible, low_cbb) = sight(&lowered, peak.lon, peak.lat);
    assert!(high_visible > low_visible + 0.05, "visible land: peak {high_visible:.3} vs 300 m lower {low_visible:.3}");
    assert!(high_3km > low_3km, "3 km AGL: peak {high_3km:.3} vs 300 m lower {low_3km:.3}");
    assert!(high_cbb < low_cbb, "blockage peak {high_cbb:.3} vs lower {low_cbb:.3}");
}

#[test]
fn flat_land_is_covered_out_to_the_range_where_the_beam_is_1_km_up() {
    // Flat 1,000 m ground under all of Shuozhou: the 0.5° beam centre is 1 km above ground out
    // to the ground distance s* solved here; covered land = land within s* (brute force).
    let region = shuozhou();
    let dem = flat_dem(1000.0);
    let land = LandSet::build(&region, &dem, "flat", None).unwrap();
    let (lon, lat) = (112.6, 39.6);
    let config = RadarConfig::default();
    let polar = scan(&dem, &config, &RadarSite { id: "f".into(), lon, lat }).unwrap();
    let frame = LocalFrame::at(&region, lon, lat).unwrap();
    let covered = covered_land(&polar, &frame, &land, &config);
    let ka = effective_radius(lat, 4.0 / 3.0);
    // Slant range where the beam is 1,000 m above the 1,000 m ground, by bisection.
    let (mut lo, mut hi) = (0.0, 75_000.0);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if analytic_height(mid, 0.5, ka, 1030.0) - 1000.0 <= 1000.0 { lo = mid } else { hi = mid }
    }
    let r_star = lo;
    let s_star = ka * (r_star * 0.5f64.to_radians().cos() / (ka + analytic_height(r_star, 0.5, ka, 1030.0) - 1030.0)).asin();
    let site = Point::new(lon, lat);
    let brute: f64 = land
        .points
        .iter()
        .filter(|p| Haversine.distance(site, Point::new(p.lon, p.lat)) <= s_star)
        .map(|p| p.area_km2)
        .sum();
    let got: f64 = covered.low.iter().map(|i| land.points[i].area_km2).sum();
    assert!(s_star > 60_000.0 && s_star < 75_000.0, "{s_star}");
    assert!((got - brute).abs() / brute < 0.01, "covered {got:.1} km² vs within {s_star:.0} m {brute:.1} km²");
    // Within 75 km every land point is under 3 km AGL.
    let within: f64 = land
        .points
        .iter()
        .filter(|p| Haversine.distance(site, Point::new(p.lon, p.lat)) <= 74_500.0)
        .map(|p| p.area_km2)
        .sum();
    let high: f64 = covered.high.iter().map(|i| land.points[i].area_km2).sum();
    assert!(high >= within * 0.999 && high <= within * 1.01, "{high} vs {within}");
}

fn inputs_for<'a>(region: &'a wxmod::region::Region, dem: &'a Dem, landmarks: &'a [wxmod::region::Landmark]) -> RadarInputs<'a> {
    RadarInputs { region, dem, dem_name: "dem_30s.asc", zones: None, landmarks }
}

#[test]
fn the_lattice_ranks_eligible_sites_first_and_says_why_others_are_excluded() {
    let region = shuozhou();
    let dem = bundled_dem();
    let landmarks = read_landmarks(region.files.landmarks.as_ref().unwrap()).unwrap();
    let request = RadarRequest {
        rules: SiteRules { lattice_m: 8_000.0, ..SiteRules::default() },
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
        assert!(airport >= 20.0, "{} is {airport} km from an airport", r.site.id);
        assert!(r.slope_deg.unwrap() <= 15.0);
        assert!(r.county.is_some());
    }
    for w in result.rows.windows(2) {
        assert!(w[0].eligible() >= w[1].eligible(), "eligible candidates come first");
    }
    assert!(result.rows.iter().any(|r| r.excluded.iter().any(|e| e.contains("outside the region"))));
    assert!(result.rows.iter().any(|r| r.excluded.iter().any(|e| e.contains("airport clearance"))));
    assert!(result.rows.iter().filter(|r| !r.eligible()).all(|r| !r.excluded.is_empty()));
    // Shares are fractions and 3 km covers at least what 1 km does.
    for r in &result.rows {
        if let (Some(l), Some(h)) = (&r.low, &r.high) {
            assert!((0.0..=1.0).contains(&l.region) && l.region <= h.region + 1e-12);
        }
    }
}

#[test]
fn the_best_pair_is_within_its_bound_of_every_pair() {
    let region = shuozhou();
    let dem = bundled_dem();
    let sites: Vec<RadarSite> = [
        (112.30, 39.45), (112.45, 39.85), (112.90, 39.55), (113.15, 39.60),
        (112.60, 39.25), (113.00, 39.85), (112.20, 39.70),
    ]
    .iter()
    .enumerate()
    .map(|(i, &(lon, lat))| RadarSite { id: format!("c{i}"), lon, lat })
    .collect();
    let request = RadarRequest {
        candidates: Candidates::Sites(sites.clone()),
        radars: 2,
        clip_to_dem: true,
        rules: SiteRules { airport_clearance_m: 0.0, county_seat_buffer_m: 0.0, place_buffer_m: 0.0, max_slope_deg: 90.0, ..SiteRules::default() },
        ..RadarRequest::default()
    };
    let result = study(&inputs_for(&region, &dem, &[]), &request).unwrap();
    let net = result.network.as_ref().unwrap();
    // Brute force: every pair's union, from each site's covered land.
    let land = &result.land;
    let config = RadarConfig::default();
    let sets: Vec<_> = sites
        .iter()
        .map(|s| {
            let polar = scan(&dem, &config, s).unwrap();
            covered_land(&polar, &LocalFrame::at(&region, s.lon, s.lat).unwrap(), land, &config).low
        })
        .collect();
    let mut best_pair = 0.0f64;
    for a in 0..sets.len() {
        for b in a + 1..sets.len() {
            let km2: f64 = (0..land.points.len())
                .filter(|&i| sets[a].contains(i) || sets[b].contains(i))
                .map(|i| land.points[i].area_km2)
                .sum();
            best_pair = best_pair.max(km2);
        }
    }
    assert!(net.covered_km2 <= best_pair + 1e-6);
    assert!(best_pair <= net.upper_bound_km2 + 1e-6, "bound {} below the best pair {best_pair}", net.upper_bound_km2);
    assert!(net.covered_km2 >= (1.0 - 1.0 / std::f64::consts::E) * best_pair);
}

#[test]
fn aws_gaps_are_the_land_farther_than_15_km_from_every_station() {
    let region = shuozhou();
    let dem = bundled_dem();
    let land = LandSet::build(&region, &dem, "dem", None).unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/shuozhou_network.csv");
    let mut sites = read_sites(&path).unwrap();
    wxmod::sites::locate_in_region(&mut sites, &region, &path).unwrap();
    let landmarks = read_landmarks(region.files.landmarks.as_ref().unwrap()).unwrap();
    let net = aws_network(&region, &dem, &land, &sites, &landmarks, &AwsRules::default()).unwrap();
    let stations: Vec<Point> = sites
        .iter()
        .filter(|s| s.kind == wxmod::sites::SiteKind::Aws)
        .map(|s| Point::new(s.lon, s.lat))
        .collect();
    assert!(!stations.is_empty());
    let brute: f64 = land
        .points
        .iter()
        .filter(|p| stations.iter().all(|s| Haversine.distance(*s, Point::new(p.lon, p.lat)) > 15_000.0))
        .map(|p| p.area_km2)
        .sum();
    let got: f64 = net.counties.iter().map(|c| c.gap_km2).sum();
    assert!((got - brute).abs() / brute < 0.01, "gap {got:.1} km² vs brute force {brute:.1} km²");
    // Every county without a station gets one; suggestions only shrink the gaps.
    for c in &net.counties {
        if c.stations.is_empty() {
            assert!(!c.suggestions.is_empty(), "{} has no AWS and no suggestion", c.county);
        }
        assert!(c.gap_after_km2 <= c.gap_km2 + 1e-9);
        for s in &c.suggestions {
            assert!(dem.slope_deg(s.lon, s.lat).unwrap() <= 2.0);
            for l in landmarks.iter().filter(|l| l.kind == wxmod::region::LandmarkKind::CountySeat) {
                assert!(Haversine.distance(Point::new(s.lon, s.lat), Point::new(l.lon, l.lat)) >= 2_000.0);
            }
        }
    }
    let planned = net.suggested_sites();
    assert!(planned.iter().all(|s| s.kind == wxmod::sites::SiteKind::Aws && s.status == wxmod::sites::SiteStatus::Planned));
}

#[test]
fn a_dem_short_of_the_region_says_how_much_land_is_missing() {
    let region = shuozhou();
    // A flat DEM covering only the south of the city (north edge 39.6 N).
    let dem = Dem::new(300, 160, 111.5, 39.6, 0.01, vec![1000.0; 48_000]);
    let err = LandSet::build(&region, &dem, "south.asc", None).unwrap_err();
    let RadarError::DemMissesRegion { missing_km2, region_km2, .. } = &err else { panic!("{err}") };
    assert!(*missing_km2 > 3_000.0 && *missing_km2 < 8_000.0, "{missing_km2}");
    assert!((region_km2 - 10_600.0).abs() < 200.0, "{region_km2}");
    assert!(err.to_string().contains("south.asc"));
}

#[test]
fn json_gives_every_site_its_blockage_by_azimuth_and_coverage_shares() {
    let out = wxmod()
        .args(["radar", "--site", "112.73,39.65", "--site", "112.45,39.60", "--no-aws", "--json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let sites = v["sites"].as_array().unwrap();
    assert_eq!(sites.len(), 2);
    for s in sites {
        for key in ["lon", "lat", "ground_m", "antenna_m"] {
            assert!(s[key].is_number(), "{key}");
        }
        let els = s["elevations"].as_array().unwrap();
        assert_eq!(els.len(), 3);
        assert_eq!(els[0]["elevation_deg"], 0.5);
        let cbb = els[0]["cbb_by_azimuth"].as_array().unwrap();
        assert_eq!(cbb.len(), 360);
        assert!(cbb.iter().all(|b| (0.0..=1.0).contains(&b.as_f64().unwrap())));
        let low = s["coverage_1km_agl_share"].as_f64().unwrap();
        let high = s["coverage_3km_agl_share"].as_f64().unwrap();
        assert!(low > 0.0 && low <= high && high <= 1.0);
        assert_eq!((s["antenna_m"].as_f64().unwrap() - s["ground_m"].as_f64().unwrap()).round(), 30.0);
    }
}

#[test]
fn wxmod_radar_writes_the_table_maps_and_aws_files() {
    let dir = tempfile::tempdir().unwrap();
    let network = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/shuozhou_network.csv");
    wxmod()
        .args(["radar", "--site", "112.73,39.65", "--site", "112.45,39.60", "--out"])
        .arg(dir.path())
        .arg("--network")
        .arg(&network)
        .assert()
        .success()
        .stdout(predicates::str::contains("chosen S"));
    assert!(dir.path().join("radar_candidates.csv").exists());
    let md = std::fs::read_to_string(dir.path().join("radar.md")).unwrap();
    assert!(md.contains("QX/T 100") && md.contains("[A]"));
    let csv = std::fs::read_to_string(dir.path().join("radar_candidates.csv")).unwrap();
    assert_eq!(csv.lines().count(), 3);
    assert!(csv.starts_with("rank,site,lon,lat,county,ground_m,antenna_m"));
    let xlsx = std::fs::read(dir.path().join("radar_candidates.xlsx")).unwrap();
    assert_eq!(&xlsx[..2], b"PK");
    let geo: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("radar_covered.geojson")).unwrap()).unwrap();
    assert_eq!(geo["features"].as_array().unwrap().len(), 2);
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("radar.json")).unwrap()).unwrap();
    let chosen = json["network"]["chosen"][0].as_str().unwrap().to_string();
    for stem in ["radar_coverage_1km".to_string(), format!("radar_blockage_{chosen}"), format!("radar_horizon_{chosen}")] {
        let png = std::fs::read(dir.path().join(format!("{stem}.png"))).unwrap();
        let (w, h, rgb) = decode_png(&png);
        assert!(w > 500 && h > 500, "{stem} {w}x{h}");
        let min_drawn = if stem.contains("horizon") { 0.02 } else { 0.05 };
        crate::fixtures::assert_not_blank(&stem, &rgb, min_drawn, 20);
        let svg = std::fs::read_to_string(dir.path().join(format!("{stem}.svg"))).unwrap();
        assert!(svg.starts_with("<svg") || svg.starts_with("<?xml"));
    }
    let aws = std::fs::read_to_string(dir.path().join("aws.md")).unwrap();
    assert!(aws.contains("应县") && aws.contains("60000"), "{aws}");
    let suggested = read_sites(&dir.path().join("aws_suggested.csv")).unwrap();
    assert!(suggested.iter().any(|s| s.county.as_deref() == Some("140622")), "应县 has no AWS in the example");
}

fn fails(args: &[&str], needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let assert = wxmod().arg("radar").args(args).arg("--out").arg(&out_dir).arg("--no-aws").assert().failure().code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains(needle), "stderr lacks '{needle}': {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out_dir.exists(), "nothing is written on an error");
}

#[test]
fn fails_with_a_site_outside_the_dem() {
    fails(&["--site", "115.0,39.5"], "site S1 at (115, 39.5) is outside the DEM");
}

#[test]
fn fails_with_a_dem_that_does_not_cover_the_range() {
    // 111.95 E is 40 km from the DEM's west edge (111.49 E).
    fails(&["--site", "111.95,39.5"], "does not cover the 75 km range of site S1: rays reach only");
    fails(&["--site", "111.95,39.5"], "% of the scan area is off the DEM");
}

#[test]
fn fails_with_a_range_beyond_what_the_dem_covers() {
    fails(&["--site", "112.73,39.65", "--range-km", "150"], "does not cover the 150 km range");
}

#[test]
fn clipping_at_the_dem_edge_is_allowed_and_said() {
    let out = wxmod()
        .args(["radar", "--site", "111.95,39.5", "--clip-to-dem", "--no-aws", "--json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(v["sites"][0]["dem_note"].as_str().unwrap().contains("rays cut at the DEM edge"));
}

#[test]
fn fails_with_an_elevation_out_of_range() {
    fails(&["--site", "112.73,39.65", "--elevations", "0.5,25"], "elevation 2 (degrees) = 25 is out of range -2..=20");
    fails(&["--site", "112.73,39.65", "--elevations", "-3"], "elevation 1 (degrees) = -3 is out of range -2..=20");
}

#[test]
fn fails_with_a_beam_width_of_zero_or_less() {
    fails(&["--site", "112.73,39.65", "--beam-width", "0"], "beam_width_deg = 0 is out of range 0.1..=10 (a beam width must be > 0)");
    fails(&["--site", "112.73,39.65", "--beam-width", "-1"], "beam_width_deg = -1");
}

#[test]
fn fails_with_a_malformed_site_or_candidate_file() {
    fails(&["--site", "112.73"], "give LON,LAT");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.csv");
    std::fs::write(&file, "id,lon,lat\na,112.7,39.6\nb,abc,39.6\n").unwrap();
    fails(&["--candidates", file.to_str().unwrap()], "line 3: lon 'abc' is not a number");
}
