//! The beam model and blockage against independent computations: the analytic beam height on
//! flat terrain, a numerically integrated Bech fraction over a synthetic ridge, the running
//! maximum on the Shuozhou DEM, a peak against the same site 300 m lower, flat coverage against
//! a brute-force distance count.

use geo::{Bearing, Distance, Haversine, Point};
use wxmod::radar::{LandSet, LocalFrame, RadarConfig, RadarSite, covered_land, scan};
use wxmod::terrain::Dem;

use super::{analytic_height, blocked_share_numeric, bundled_dem, effective_radius, flat_dem};
use crate::fixtures::shuozhou;

#[test]
fn flat_terrain_gives_the_analytic_beam_height_and_no_blockage() {
    let dem = flat_dem(1000.0);
    let config = RadarConfig {
        range_km: 60.0,
        ..RadarConfig::default()
    };
    let site = RadarSite {
        id: "flat".into(),
        lon: 112.0,
        lat: 39.5,
    };
    let polar = scan(&dem, &config, &site).unwrap();
    assert_eq!(polar.ground_m, 1000.0);
    assert_eq!(polar.antenna_m, 1030.0);
    let ka = effective_radius(39.5, 4.0 / 3.0);
    for (e, &theta) in config.elevations_deg.iter().enumerate() {
        for g in [0, 1, 40, 119, 200, polar.gates - 1] {
            let r = (g as f64 + 0.5) * config.gate_m;
            let expected = analytic_height(r, theta, ka, 1030.0);
            let got = polar.antenna_m + polar.beam_rel_m[e * polar.gates + g];
            assert!(
                (got - expected).abs() < 1e-6,
                "elevation {theta}, gate {g}: {got} vs {expected}"
            );
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
    assert!(
        (polar.beam_rel_m[119] - 315.0).abs() < 3.0,
        "{}",
        polar.beam_rel_m[119]
    );
    assert!(
        (polar.beam_rel_m[239] - 735.0).abs() < 4.0,
        "{}",
        polar.beam_rel_m[239]
    );
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
            let p = Point::new(
                west + (col as f64 + 0.5) * cs,
                north - (row as f64 + 0.5) * cs,
            );
            let d = Haversine.distance(site, p);
            let az = Haversine.bearing(site, p).rem_euclid(360.0);
            if (30_000.0..=33_000.0).contains(&d) && (80.0..=100.0).contains(&az) {
                values[row * ncols + col] = 1330.0;
            }
        }
    }
    let dem = Dem::new(ncols, nrows, west, north, cs, values);
    let config = RadarConfig {
        range_km: 40.0,
        ..RadarConfig::default()
    };
    let polar = scan(
        &dem,
        &config,
        &RadarSite {
            id: "r".into(),
            lon: site_lon,
            lat: site_lat,
        },
    )
    .unwrap();
    let ka = effective_radius(site_lat, 4.0 / 3.0);
    let gates = polar.gates;
    let mut checked = 0;
    for (e, &theta) in config.elevations_deg.iter().enumerate() {
        for az in 0..360 {
            assert_eq!(
                polar.gates_reached[e * 360 + az],
                gates,
                "the DEM covers the range"
            );
            for g in 0..gates {
                let i = polar.index(e, az, g);
                let r = (g as f64 + 0.5) * config.gate_m;
                let s = polar.ground_at_gate_m[e * gates + g];
                let on_ridge_azimuth = (84..=96).contains(&az);
                let off_ridge_azimuth = !(76..=104).contains(&az);
                if off_ridge_azimuth || s < 29_400.0 {
                    assert_eq!(
                        polar.pbb[i], 0.0,
                        "az {az} gate {g} (ground {s:.0} m): nothing blocks here"
                    );
                    assert_eq!(polar.cbb[i], 0.0, "az {az} gate {g}");
                }
                if on_ridge_azimuth && (30_800.0..=32_200.0).contains(&s) {
                    let beam = analytic_height(r, theta, ka, 1030.0);
                    let radius = r * config.beam_width_deg.to_radians() / 2.0;
                    let expected = blocked_share_numeric(1330.0 - beam, radius);
                    let got = f64::from(polar.pbb[i]);
                    assert!(
                        (got - expected).abs() < 2e-3,
                        "el {theta} az {az} r {r}: {got} vs {expected}"
                    );
                    checked += 1;
                }
                if on_ridge_azimuth && s > 33_600.0 && e == 0 {
                    assert_eq!(
                        polar.pbb[i], 0.0,
                        "behind the ridge the ground is flat again"
                    );
                    assert!(polar.cbb[i] > 0.0, "but the ridge's blockage persists");
                }
            }
        }
    }
    assert!(checked >= 13 * 3 * 5, "{checked} ridge gates checked");
    // The lowest beam is about half blocked at the ridge (beam centre near 1,330 m there).
    let mid = polar.index(0, 90, 127);
    assert!(
        polar.pbb[mid] > 0.2 && polar.pbb[mid] < 0.8,
        "{}",
        polar.pbb[mid]
    );
}

#[test]
fn cumulative_blockage_never_decreases_and_is_the_running_maximum() {
    let dem = bundled_dem();
    let config = RadarConfig::default();
    for (lon, lat) in [(112.73, 39.65), (112.2, 39.35), (113.2, 39.45)] {
        let polar = scan(
            &dem,
            &config,
            &RadarSite {
                id: "s".into(),
                lon,
                lat,
            },
        )
        .unwrap();
        for e in 0..config.elevations_deg.len() {
            for az in 0..360 {
                let mut running = 0.0f32;
                for g in 0..polar.gates_reached[e * 360 + az] {
                    let i = polar.index(e, az, g);
                    running = running.max(polar.pbb[i]);
                    assert_eq!(
                        polar.cbb[i], running,
                        "({lon}, {lat}) e {e} az {az} gate {g}"
                    );
                    if g > 0 {
                        assert!(polar.cbb[i] >= polar.cbb[i - 1]);
                    }
                }
            }
        }
        // Higher elevations are never more blocked at the end of the range.
        let ends: Vec<Vec<f64>> = (0..3).map(|e| polar.cbb_at_end(e)).collect();
        for az in 0..360 {
            assert!(
                ends[1][az] <= ends[0][az] + 1e-6 && ends[2][az] <= ends[1][az] + 1e-6,
                "az {az}"
            );
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
    let polar = scan(
        dem,
        &config,
        &RadarSite {
            id: "p".into(),
            lon,
            lat,
        },
    )
    .unwrap();
    let frame = LocalFrame::at(&region, lon, lat).unwrap();
    let covered = covered_land(&polar, &frame, &land, &config);
    let high: f64 = covered.high.iter().map(|i| land.points[i].area_km2).sum();
    let anywhere = RadarConfig {
        low_agl_m: 20_000.0,
        high_agl_m: 20_000.0,
        elevations_deg: vec![0.5],
        ..config.clone()
    };
    let polar_low = scan(
        dem,
        &anywhere,
        &RadarSite {
            id: "p".into(),
            lon,
            lat,
        },
    )
    .unwrap();
    let visible: f64 = covered_land(&polar_low, &frame, &land, &anywhere)
        .low
        .iter()
        .map(|i| land.points[i].area_km2)
        .sum();
    let mean_end: f64 = polar.cbb_at_end(0).iter().sum::<f64>() / 360.0;
    (
        high / land.total_km2(),
        visible / land.total_km2(),
        mean_end,
    )
}

#[test]
fn a_site_on_a_peak_sees_more_than_the_same_site_300_m_lower() {
    let dem = bundled_dem();
    let region = shuozhou();
    let land = LandSet::build(&region, &dem, "dem", None).unwrap();
    // The highest land point of the region.
    let peak = land
        .points
        .iter()
        .copied()
        .max_by(|a, b| a.z.total_cmp(&b.z))
        .unwrap();
    assert!(
        peak.z > 2_000.0,
        "Shuozhou's highest land is above 2,000 m ({})",
        peak.z
    );
    // The same DEM with the site 300 m lower: a 300 m pit of 1.5 km radius at the peak.
    let (ncols, nrows) = dem.shape();
    let mut values = Vec::with_capacity(ncols * nrows);
    for row in 0..nrows {
        for col in 0..ncols {
            let (lon, lat) = dem.cell_centre(col, row);
            let v = dem.cell_value(col, row).unwrap_or(f64::NAN);
            let d = Haversine.distance(Point::new(peak.lon, peak.lat), Point::new(lon, lat));
            values.push(if d < 1_500.0 {
                (v - 300.0) as f32
            } else {
                v as f32
            });
        }
    }
    let (lon0, lat0) = dem.cell_centre(0, 0);
    let cs = dem.cellsize();
    let lowered = Dem::new(ncols, nrows, lon0 - cs / 2.0, lat0 + cs / 2.0, cs, values);
    let (high_3km, high_visible, high_cbb) = sight(&dem, peak.lon, peak.lat);
    let (low_3km, low_visible, low_cbb) = sight(&lowered, peak.lon, peak.lat);
    assert!(
        high_visible > low_visible + 0.05,
        "visible land: peak {high_visible:.3} vs 300 m lower {low_visible:.3}"
    );
    assert!(
        high_3km > low_3km,
        "3 km AGL: peak {high_3km:.3} vs 300 m lower {low_3km:.3}"
    );
    assert!(
        high_cbb < low_cbb,
        "blockage peak {high_cbb:.3} vs lower {low_cbb:.3}"
    );
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
    let polar = scan(
        &dem,
        &config,
        &RadarSite {
            id: "f".into(),
            lon,
            lat,
        },
    )
    .unwrap();
    let frame = LocalFrame::at(&region, lon, lat).unwrap();
    let covered = covered_land(&polar, &frame, &land, &config);
    let ka = effective_radius(lat, 4.0 / 3.0);
    // Slant range where the beam is 1,000 m above the 1,000 m ground, by bisection.
    let (mut lo, mut hi) = (0.0, 75_000.0);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if analytic_height(mid, 0.5, ka, 1030.0) - 1000.0 <= 1000.0 {
            lo = mid
        } else {
            hi = mid
        }
    }
    let r_star = lo;
    let s_star = ka
        * (r_star * 0.5f64.to_radians().cos()
            / (ka + analytic_height(r_star, 0.5, ka, 1030.0) - 1030.0))
            .asin();
    let site = Point::new(lon, lat);
    let brute: f64 = land
        .points
        .iter()
        .filter(|p| Haversine.distance(site, Point::new(p.lon, p.lat)) <= s_star)
        .map(|p| p.area_km2)
        .sum();
    let got: f64 = covered.low.iter().map(|i| land.points[i].area_km2).sum();
    assert!(s_star > 60_000.0 && s_star < 75_000.0, "{s_star}");
    assert!(
        (got - brute).abs() / brute < 0.01,
        "covered {got:.1} km² vs within {s_star:.0} m {brute:.1} km²"
    );
    // Within 75 km every land point is under 3 km AGL.
    let within: f64 = land
        .points
        .iter()
        .filter(|p| Haversine.distance(site, Point::new(p.lon, p.lat)) <= 74_500.0)
        .map(|p| p.area_km2)
        .sum();
    let high: f64 = covered.high.iter().map(|i| land.points[i].area_km2).sum();
    assert!(
        high >= within * 0.999 && high <= within * 1.01,
        "{high} vs {within}"
    );
}
