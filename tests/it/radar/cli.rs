//! `wxmod radar`: the JSON, the files, and every user error (exit 1, the message, nothing written).

use wxmod::sites::read_sites;

use crate::fixtures::{decode_png, wxmod};

#[test]
fn json_gives_every_site_its_blockage_by_azimuth_and_coverage_shares() {
    let out = wxmod()
        .args([
            "radar",
            "--site",
            "112.73,39.65",
            "--site",
            "112.45,39.60",
            "--no-aws",
            "--json",
        ])
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
        assert!(
            cbb.iter()
                .all(|b| (0.0..=1.0).contains(&b.as_f64().unwrap()))
        );
        let low = s["coverage_1km_agl_share"].as_f64().unwrap();
        let high = s["coverage_3km_agl_share"].as_f64().unwrap();
        assert!(low > 0.0 && low <= high && high <= 1.0);
        assert_eq!(
            (s["antenna_m"].as_f64().unwrap() - s["ground_m"].as_f64().unwrap()).round(),
            30.0
        );
    }
}

#[test]
fn wxmod_radar_writes_the_table_maps_and_aws_files() {
    let dir = tempfile::tempdir().unwrap();
    let network =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/shuozhou_network.csv");
    wxmod()
        .args([
            "radar",
            "--site",
            "112.73,39.65",
            "--site",
            "112.45,39.60",
            "--out",
        ])
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
    let geo: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("radar_covered.geojson")).unwrap())
            .unwrap();
    assert_eq!(geo["features"].as_array().unwrap().len(), 2);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("radar.json")).unwrap()).unwrap();
    let chosen = json["network"]["chosen"][0].as_str().unwrap().to_string();
    for stem in [
        "radar_coverage_1km".to_string(),
        format!("radar_blockage_{chosen}"),
        format!("radar_horizon_{chosen}"),
    ] {
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
    assert!(
        suggested
            .iter()
            .any(|s| s.county.as_deref() == Some("140622")),
        "应县 has no AWS in the example"
    );
}

fn fails(args: &[&str], needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let assert = wxmod()
        .arg("radar")
        .args(args)
        .arg("--out")
        .arg(&out_dir)
        .arg("--no-aws")
        .assert()
        .failure()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains(needle), "stderr lacks '{needle}': {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out_dir.exists(), "nothing is written on an error");
}

#[test]
fn fails_with_a_site_outside_the_dem() {
    fails(
        &["--site", "115.0,39.5"],
        "site S1 at (115, 39.5) is outside the DEM",
    );
}

#[test]
fn fails_with_a_dem_that_does_not_cover_the_range() {
    // 111.95 E is 40 km from the DEM's west edge (111.49 E).
    fails(
        &["--site", "111.95,39.5"],
        "does not cover the 75 km range of site S1: rays reach only",
    );
    fails(
        &["--site", "111.95,39.5"],
        "% of the scan area is off the DEM",
    );
}

#[test]
fn fails_with_a_range_beyond_what_the_dem_covers() {
    fails(
        &["--site", "112.73,39.65", "--range-km", "150"],
        "does not cover the 150 km range",
    );
}

#[test]
fn clipping_at_the_dem_edge_is_allowed_and_said() {
    let out = wxmod()
        .args([
            "radar",
            "--site",
            "111.95,39.5",
            "--clip-to-dem",
            "--no-aws",
            "--json",
        ])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(
        v["sites"][0]["dem_note"]
            .as_str()
            .unwrap()
            .contains("rays cut at the DEM edge")
    );
}

#[test]
fn fails_with_an_elevation_out_of_range() {
    fails(
        &["--site", "112.73,39.65", "--elevations", "0.5,25"],
        "elevation 2 (degrees) = 25 is out of range -2..=20",
    );
    fails(
        &["--site", "112.73,39.65", "--elevations", "-3"],
        "elevation 1 (degrees) = -3 is out of range -2..=20",
    );
}

#[test]
fn fails_with_a_beam_width_of_zero_or_less() {
    fails(
        &["--site", "112.73,39.65", "--beam-width", "0"],
        "beam_width_deg = 0 is out of range 0.1..=10 (a beam width must be > 0)",
    );
    fails(
        &["--site", "112.73,39.65", "--beam-width", "-1"],
        "beam_width_deg = -1",
    );
}

#[test]
fn fails_with_a_malformed_site_or_candidate_file() {
    // A malformed --site is a usage error (exit 2), as every flag clap cannot read.
    wxmod()
        .args(["radar", "--site", "112.73", "--no-aws"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "'112.73' is not LON,LAT in degrees",
        ));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.csv");
    std::fs::write(&file, "id,lon,lat\na,112.7,39.6\nb,abc,39.6\n").unwrap();
    fails(
        &["--candidates", file.to_str().unwrap()],
        "line 3: lon 'abc' is not a number",
    );
}

/// Pixels of a lighter seam across the fill colour `fill`: one or two pixels (vertically) not
/// of the fill and no darker than it in any channel, with fill pixels directly above and below
/// (the hairlines that adjacent translucent row runs used to leave; borders and dots are darker).
fn seams_across(rgb: &[u8], w: usize, h: usize, fill: [u8; 3]) -> (usize, usize) {
    let at = |x: usize, y: usize| -> [u8; 3] {
        let i = 3 * (y * w + x);
        [rgb[i], rgb[i + 1], rgb[i + 2]]
    };
    let lighter = |p: [u8; 3]| p != fill && (0..3).all(|k| p[k] >= fill[k]);
    let (mut seams, mut filled) = (0, 0);
    for y in 1..h - 2 {
        for x in 0..w {
            let p = at(x, y);
            if p == fill {
                filled += 1;
                continue;
            }
            if at(x, y - 1) != fill || !lighter(p) {
                continue;
            }
            let below = at(x, y + 1);
            if below == fill || (lighter(below) && at(x, y + 2) == fill) {
                seams += 1;
            }
        }
    }
    (seams, filled)
}

/// The decoded PNG `map` that `wxmod radar --site SITE --no-aws` draws.
fn radar_map(site: &str, map: &str) -> (u32, u32, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    wxmod()
        .args(["radar", "--site", site, "--no-aws", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    decode_png(&std::fs::read(dir.path().join(map)).unwrap())
}

#[test]
fn the_coverage_map_has_no_hairlines_between_rows() {
    // Regression (issue #16): covered land drawn as one translucent rectangle per DEM-row run
    // left a lighter line between adjacent rows across the whole covered area.
    let (w, h, rgb) = radar_map("112.92517,39.30148", "radar_coverage_1km.png");
    // The 1 km AGL fill: (40, 160, 70) at opacity 0.55 over white, drawn opaque.
    let (seams, filled) = seams_across(&rgb, w as usize, h as usize, [137, 203, 153]);
    assert!(
        filled > 100_000,
        "the covered land is drawn ({filled} fill pixels)"
    );
    assert_eq!(seams, 0, "{seams} seam pixels across {filled} fill pixels");
}

#[test]
fn the_radar_symbol_is_not_the_county_seats() {
    // Both were a black ring with a black dot, so the chosen site could not be told from a
    // county seat. The radar is now a magenta disc; the county seats stay dark.
    let (_w, _h, rgb) = radar_map("112.92517,39.30148", "radar_coverage_1km.png");
    let count = |colour: [u8; 3]| rgb.chunks_exact(3).filter(|p| *p == colour).count();
    let radar = count([190, 0, 110]);
    let seats = count([40, 40, 40]);
    // The site and its legend entry are each a disc of at least a few dozen pixels.
    assert!(radar > 60, "{radar} radar-magenta pixels");
    assert!(seats > 60, "{seats} county-seat pixels");
}

#[test]
fn the_blockage_map_has_no_radial_hairlines() {
    // Translucent 1° wedges overlapped at their antialiased edges and drew a thin line along
    // every azimuth of a fan; the wedges are now opaque and reach a little into each other.
    let (w, h, rgb) = radar_map("112.62752,39.46821", "radar_blockage_S1.png");
    let (w, h) = (w as usize, h as usize);
    let at = |x: usize, y: usize| -> [u8; 3] {
        let i = 3 * (y * w + x);
        [rgb[i], rgb[i + 1], rgb[i + 2]]
    };
    // The CBB >= 90 % class, (200, 30, 30) at opacity 0.55 over white, drawn opaque.
    let fill = [225, 131, 131];
    let near = |p: [u8; 3]| (0..3).all(|k| (i32::from(p[k]) - i32::from(fill[k])).abs() <= 40);
    let (mut filled, mut lines) = (0, 0);
    for y in 0..h {
        for x in 1..w - 1 {
            let p = at(x, y);
            if p == fill {
                filled += 1;
            } else if at(x - 1, y) == fill && at(x + 1, y) == fill && near(p) {
                // A tint of the fill between two fill pixels (a boundary line is far darker).
                lines += 1;
            }
        }
    }
    assert!(
        filled > 20_000,
        "the blocked fan is drawn ({filled} pixels)"
    );
    assert_eq!(
        lines, 0,
        "{lines} one-pixel lines across {filled} fill pixels"
    );
}
