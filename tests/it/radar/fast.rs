//! The lattice's fast scan gives exactly the full scan's answers: the DEM sampler equals
//! `Dem::elevation` bit for bit, and a cumulative-blockage-only scan (no per-gate arrays, fully
//! blocked rays cut short) has the same end-of-range blockage, clear gates, horizon and covered
//! land as the full scan, whose clear gates are recomputed here from its per-gate blockage.

use wxmod::radar::coverage::{FAST_ATAN_ERROR_RAD, fast_atan2};
use wxmod::radar::sweep::DemSampler;
use wxmod::radar::{Detail, LandSet, LocalFrame, RadarConfig, RadarSite, covered_land, scan_with};
use wxmod::terrain::Dem;

use super::bundled_dem;
use crate::fixtures::shuozhou;

/// A fixed-seed generator of numbers in 0..1 (no timing, no entropy).
#[test]
fn the_sampler_equals_dem_elevation_bit_for_bit() {
    let dem = bundled_dem();
    // The same DEM with holes, so that the fallback next to missing data is exercised too.
    let (ncols, nrows) = dem.shape();
    let (west, north) = dem.origin();
    let mut values = dem.values().to_vec();
    for (i, v) in values.iter_mut().enumerate() {
        if i % 97 == 0 {
            *v = f32::NAN;
        }
    }
    let holed = Dem::new(ncols, nrows, west, north, dem.cellsize(), values);
    let east = west + ncols as f64 * dem.cellsize();
    let south = north - nrows as f64 * dem.cellsize();
    let mut rng = wxmod::rng::SplitMix64::new(16);
    for d in [&dem, &holed] {
        let fast = DemSampler::new(d);
        for _ in 0..200_000 {
            // A little beyond every edge as well.
            let lon = west - 0.02 + (east - west + 0.04) * rng.unit();
            let lat = south - 0.02 + (north - south + 0.04) * rng.unit();
            let (a, b) = (fast.elevation(lon, lat), d.elevation(lon, lat));
            assert_eq!(
                a.map(f64::to_bits),
                b.map(f64::to_bits),
                "({lon}, {lat}): {a:?} vs {b:?}"
            );
        }
        for (lon, lat) in [(west, north), (east, south), (west, south), (east, north)] {
            assert_eq!(fast.elevation(lon, lat), d.elevation(lon, lat));
        }
    }
}

#[test]
fn the_blockage_only_scan_gives_the_full_scans_answers() {
    let dem = bundled_dem();
    // Sites on the plain, in the mountains (fully blocked rays) and near the DEM's edge (rays
    // cut short).
    let sites = [
        (112.73, 39.65),
        (112.2, 39.35),
        (113.2, 39.45),
        (112.45, 39.9),
        (111.6, 39.1),
    ];
    let blocked = assert_fast_equals_full(&dem, &sites);
    assert!(blocked[1] > 0, "the mountain site has fully blocked rays");
}

#[test]
fn the_blockage_only_scan_equals_the_full_scan_next_to_missing_data() {
    // Holes in the DEM: rays end at them, and the sampler falls back to the nearest cell next
    // to them, in both scans alike.
    let dem = bundled_dem();
    let (ncols, nrows) = dem.shape();
    let (west, north) = dem.origin();
    let mut values = dem.values().to_vec();
    for r in 0..nrows {
        for c in 0..ncols {
            let patch = (c % 60 < 3 && r % 45 < 2) || (r * ncols + c) % 1_009 == 0;
            if patch {
                values[r * ncols + c] = f32::NAN;
            }
        }
    }
    let holed = Dem::new(ncols, nrows, west, north, dem.cellsize(), values);
    let sites = [(112.73, 39.65), (112.2, 39.35), (113.2, 39.45)];
    assert_fast_equals_full(&holed, &sites);
}

/// Scans each site fully and blockage-only with two blockage limits and asserts the same
/// answers; returns the fully blocked rays per site (default limit).
fn assert_fast_equals_full(dem: &Dem, sites: &[(f64, f64)]) -> Vec<usize> {
    let region = shuozhou();
    let land = LandSet::build(&region, &bundled_dem(), "dem_30s.asc", None).unwrap();
    let mut config = RadarConfig::default();
    let mut blocked = vec![0; sites.len()];
    for max_cbb in [0.5, 0.1] {
        config.max_cbb = max_cbb;
        let limit = max_cbb as f32;
        for (k, &(lon, lat)) in sites.iter().enumerate() {
            let site = RadarSite {
                id: "s".into(),
                lon,
                lat,
            };
            let full = scan_with(dem, &config, &site, Detail::Full).unwrap();
            let fast = scan_with(dem, &config, &site, Detail::CbbOnly).unwrap();
            assert!(fast.cbb.is_empty() && fast.pbb.is_empty() && fast.terrain_m.is_empty());
            assert_eq!(full.gates_reached, fast.gates_reached, "({lon}, {lat})");
            assert_eq!(full.reach_m, fast.reach_m);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&full.horizon_deg), bits(&fast.horizon_deg));
            for e in 0..config.elevations_deg.len() {
                for az in 0..360 {
                    let ray = e * 360 + az;
                    let reached = full.gates_reached[ray];
                    let cbb: Vec<f32> = (0..reached)
                        .map(|g| full.cbb[full.index(e, az, g)])
                        .collect();
                    let clear = cbb.iter().position(|&b| b > limit).unwrap_or(reached);
                    assert_eq!(full.clear_gates[ray], clear, "({lon}, {lat}) e {e} az {az}");
                    assert_eq!(fast.clear_gates[ray], clear, "({lon}, {lat}) e {e} az {az}");
                    let end = cbb.last().copied().unwrap_or(f32::NAN);
                    assert_eq!(full.cbb_end[ray].to_bits(), end.to_bits());
                    assert_eq!(fast.cbb_end[ray].to_bits(), end.to_bits());
                    if max_cbb == 0.5 && cbb.iter().any(|&b| b >= 1.0) && cbb.last() == Some(&1.0) {
                        blocked[k] += 1;
                    }
                }
            }
            let frame = LocalFrame::at(&region, lon, lat).unwrap();
            let a = covered_land(&full, &frame, &land, &config);
            let b = covered_land(&fast, &frame, &land, &config);
            assert_eq!(a.low, b.low, "({lon}, {lat})");
            assert_eq!(a.high, b.high, "({lon}, {lat})");
        }
    }
    blocked
}

#[test]
fn the_nearest_azimuth_equals_rounding_the_exact_azimuth() {
    // Every land point seen from three sites, and points placed on the half-degree boundaries
    // of the true azimuth and a hair either side, where the polynomial arctangent must give way
    // to the exact one.
    let region = shuozhou();
    let land = LandSet::build(&region, &bundled_dem(), "dem_30s.asc", None).unwrap();
    for (lon, lat) in [(112.73, 39.65), (112.2, 39.35), (113.2, 39.45)] {
        let frame = LocalFrame::at(&region, lon, lat).unwrap();
        let exact = |x: f64, y: f64| {
            let (s, az) = frame.polar(x, y);
            ((az.round() as usize) % 360, s)
        };
        let mut points: Vec<(f64, f64)> = land.points.iter().map(|p| (p.x, p.y)).collect();
        let (x0, y0) = region.projection.forward(lon, lat).unwrap();
        // Grid bearing of true north: the true azimuth of the point due grid-north is −bearing.
        let az_north = frame.polar(x0, y0 + 10_000.0).1;
        for k in 0..360 {
            for delta in [-1e-5, -1e-7, -1e-9, 0.0, 1e-9, 1e-7, 1e-5] {
                let grid = (k as f64 + 0.5 - az_north + delta).to_radians();
                for r in [3_000.0, 40_000.0, 74_000.0] {
                    points.push((x0 + r * grid.sin(), y0 + r * grid.cos()));
                }
            }
        }
        points.push((x0, y0));
        for (x, y) in points {
            let (a, s) = frame.nearest_azimuth(x, y);
            let (b, t) = exact(x, y);
            assert_eq!(a, b, "({x}, {y}) from ({lon}, {lat})");
            assert!((s - t).abs() <= 1e-9 * t.max(1.0), "({x}, {y}): {s} vs {t}");
        }
    }
}

#[test]
fn the_fast_arctangent_is_within_its_bound_all_round() {
    let mut worst: f64 = 0.0;
    for i in 0..720_000 {
        let a = (i as f64 / 2_000.0 - 180.0).to_radians();
        for r in [1e-3, 1.0, 75_000.0] {
            let (y, x) = (r * a.sin(), r * a.cos());
            worst = worst.max((fast_atan2(y, x) - y.atan2(x)).abs());
        }
    }
    // The axes and the diagonals exactly.
    for (y, x) in [
        (0.0, 1.0),
        (1.0, 0.0),
        (0.0, -1.0),
        (-1.0, 0.0),
        (1.0, 1.0),
        (-1.0, -1.0),
    ] {
        worst = worst.max((fast_atan2(y, x) - f64::atan2(y, x)).abs());
    }
    assert!(worst < FAST_ATAN_ERROR_RAD, "worst error {worst:e} rad");
    assert!(
        worst > 1e-10,
        "the polynomial is not the library arctangent: {worst:e}"
    );
}

#[test]
fn the_missing_share_is_the_range_weighted_share_of_gates_off_the_dem() {
    // A site whose rays leave the DEM: the closed form against the gate-by-gate sum.
    let dem = bundled_dem();
    let config = RadarConfig::default();
    let site = RadarSite {
        id: "edge".into(),
        lon: 111.6,
        lat: 39.1,
    };
    let polar = scan_with(&dem, &config, &site, Detail::CbbOnly).unwrap();
    let (mut total, mut missing) = (0.0, 0.0);
    for &n in &polar.gates_reached {
        for g in 0..polar.gates {
            let w = g as f64 + 0.5;
            total += w;
            if g >= n {
                missing += w;
            }
        }
    }
    assert!(missing > 0.0, "the site's rays are cut at the DEM edge");
    assert_eq!(polar.missing_share(), missing / total);
}
