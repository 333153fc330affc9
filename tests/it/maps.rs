//! Siting maps on the real Shuozhou data: PNGs have the sheet's pixel size and real content,
//! SVG output matches its golden file, map sets and `wxmod map` write what they promise, and
//! missing fonts or glyphs fail with a message that says what to do.
//!
//! Golden files live in `tests/golden/`; after an intended change to the maps, rewrite them
//! with `WXMOD_UPDATE_GOLDEN=1 cargo test maps` and read the diff before committing. To look
//! at the city and county maps, `WXMOD_MAPS_DUMP=/tmp/maps cargo test maps` writes them there.

use std::path::{Path, PathBuf};

use geo::{MultiLineString, polygon};
use predicates::prelude::*;
use sha2::{Digest, Sha256};
use wxmod::catalog::{Catalog, bundled_catalog_path};
use wxmod::grid::{Grid, GridSpec};
use wxmod::region::{Landmark, Region, read_landmarks};
use wxmod::render::sets::planned_years;
use wxmod::render::{
    CellStatus, CellStatusMap, Extent, MapFont, MapInputs, MapSpec, Orientation, Paper, PaperSize,
    RenderError, SectorOverlay, city_overview, county_map, county_maps, render_png, render_png_svg,
    render_svg, rollout_maps, status_by_sites_inside,
};
use wxmod::sites::{Site, read_sites};
use wxmod::terrain::Dem;
use wxmod::zones::{ZoneLayer, read_rivers};

use crate::fixtures::{assert_not_blank, bundled, decode_png, shuozhou, wxmod};

/// Everything the maps draw from, loaded once per test.
struct Data {
    region: Region,
    grid: Grid,
    dem: Dem,
    zones: ZoneLayer,
    rivers: MultiLineString<f64>,
    landmarks: Vec<Landmark>,
    sites: Vec<Site>,
    catalog: Catalog,
}

fn example_sites() -> PathBuf {
    crate::fixtures::example_network()
}

fn data() -> Data {
    let region = shuozhou();
    let dem = Dem::read(&bundled("shuozhou/dem_30s.asc")).expect("the DEM reads");
    let grid = Grid::build(&region, &GridSpec::new(15_000.0), Some(&dem), None);
    Data {
        grid,
        dem,
        zones: ZoneLayer::read(&bundled("shuozhou/zones.geojson")).expect("the zones read"),
        rivers: read_rivers(&bundled("shuozhou/rivers.geojson")).expect("the rivers read"),
        landmarks: read_landmarks(&bundled("shuozhou/landmarks.csv")).expect("landmarks read"),
        sites: read_sites(&example_sites()).expect("the example network reads"),
        catalog: Catalog::read(&bundled_catalog_path()).expect("the catalog reads"),
        region,
    }
}

fn inputs(d: &Data) -> MapInputs<'_> {
    MapInputs {
        region: &d.region,
        grid: Some(&d.grid),
        cell_status: status_by_sites_inside(&d.region, &d.grid, &d.sites, None),
        dem: Some(&d.dem),
        zones: Some(&d.zones),
        rivers: Some(&d.rivers),
        landmarks: &d.landmarks,
        sites: &d.sites,
        catalog: Some(&d.catalog),
        sectors: vec![SectorOverlay {
            label: "SC-R01 射界".into(),
            lonlat: polygon![
                (x: 112.47, y: 39.22),
                (x: 112.52, y: 39.26),
                (x: 112.53, y: 39.23),
                (x: 112.47, y: 39.22),
            ],
        }],
        paper: Paper::a4_landscape(),
        source_note: "test data".into(),
        final_status: None,
    }
}

/// Asserts a decoded map is not blank: a decent share of drawn pixels and many colours.
fn assert_map_not_blank(name: &str, rgb: &[u8]) {
    assert_not_blank(name, rgb, 0.4, 500);
}

#[test]
fn the_city_and_county_maps_have_the_sheet_size_and_content() {
    let d = data();
    let inputs = inputs(&d);
    let font = MapFont::bundled();
    let mut specs = vec![city_overview(&inputs)];
    specs.extend(county_maps(&inputs));
    assert_eq!(specs.len(), 7);
    for spec in &specs {
        let (png_bytes, svg) = render_png_svg(spec, &font).expect("the map renders");
        if let Some(dir) = std::env::var_os("WXMOD_MAPS_DUMP") {
            // For looking at the maps: WXMOD_MAPS_DUMP=/tmp/maps cargo test maps
            let dir = PathBuf::from(dir);
            std::fs::create_dir_all(&dir).expect("dump folder");
            std::fs::write(dir.join(format!("{}.png", spec.name)), &png_bytes).expect("dump");
            std::fs::write(dir.join(format!("{}.svg", spec.name)), &svg).expect("dump");
        }
        let (w, h, rgb) = decode_png(&png_bytes);
        assert_eq!((w, h), spec.paper.pixel_size(), "{}", spec.name);
        assert!(
            (w, h) == (1754, 1240) || (w, h) == (1240, 1754),
            "{}: A4 at 150 dpi",
            spec.name
        );
        assert_map_not_blank(&spec.name, &rgb);
        assert!(
            svg.contains(&format!("viewBox=\"0 0 {w} {h}\"")),
            "{}",
            spec.name
        );
    }
}

#[test]
fn a3_and_another_resolution_change_the_pixel_size() {
    let d = data();
    let mut inputs = inputs(&d);
    inputs.paper = Paper::new(PaperSize::A3, Orientation::Portrait).with_dpi(100.0);
    let spec = county_map(&inputs, "140623").expect("Youyu exists");
    // Youyu is tall: portrait.
    assert_eq!(spec.paper.orientation, Orientation::Portrait);
    let (w, h, rgb) = decode_png(&render_png(&spec, &MapFont::bundled()).expect("renders"));
    assert_eq!((w, h), (1169, 1654));
    assert_map_not_blank("A3 county map", &rgb);
}

#[test]
fn the_svg_keeps_chinese_text_as_text_and_prints_at_sheet_size() {
    let d = data();
    let svg = render_svg(&city_overview(&inputs(&d)), &MapFont::bundled()).expect("renders");
    assert!(svg.starts_with("<svg width=\"297mm\" height=\"210mm\" viewBox=\"0 0 1754 1240\""));
    for county in &d.region.counties {
        assert!(
            svg.contains(&format!(">\n{}\n</text>", county.name)),
            "{}",
            county.name
        );
    }
    assert!(svg.contains("font-family=\"WenQuanYi Micro Hei, Noto Sans CJK SC"));
    assert!(
        svg.contains("href=\"data:image/png;base64,iVBOR"),
        "terrain image"
    );
    assert!(svg.contains("已覆盖 served") && svg.contains("比例尺 1:"));
    assert!(!svg.contains("data:png;"), "a valid data URI");
}

/// The SVG with the embedded terrain PNG replaced by its SHA-256, so that the golden file stays
/// small and readable while still catching any change of the image.
fn redact_images(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    let marker = "data:image/png;base64,";
    while let Some(i) = rest.find(marker) {
        let start = i + marker.len();
        let end = start + rest[start..].find('"').expect("the data URI ends");
        let digest = Sha256::digest(&rest.as_bytes()[start..end]);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        out.push_str(&rest[..start]);
        out.push_str(&format!("<{} base64 bytes, sha256 {hex}>", end - start));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Compares text with a golden file under tests/golden/, or rewrites it when
/// `WXMOD_UPDATE_GOLDEN` is set.
fn assert_golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("WXMOD_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("golden folder");
        std::fs::write(&path, actual).expect("golden file written");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "golden file {} is missing ({e}); create it with WXMOD_UPDATE_GOLDEN=1",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the output at line {}:\n  golden: {}\n  actual: {}\n\
             rerun with WXMOD_UPDATE_GOLDEN=1 if the change is intended, and read the diff",
            path.display(),
            line + 1,
            expected.lines().nth(line).unwrap_or("<end>"),
            actual.lines().nth(line).unwrap_or("<end>"),
        );
    }
}

#[test]
fn the_huairen_county_map_svg_matches_its_golden_file() {
    let d = data();
    let spec = county_map(&inputs(&d), "140681").expect("Huairen exists");
    let svg = render_svg(&spec, &MapFont::bundled()).expect("renders");
    // Deterministic: the same map twice is the same text.
    assert_eq!(
        svg,
        render_svg(&spec, &MapFont::bundled()).expect("renders")
    );
    assert_golden("maps/county_140681.svg", &redact_images(&svg));
}

#[test]
fn the_rollout_overview_svg_matches_its_golden_file() {
    let d = data();
    let inputs = inputs(&d);
    let years = planned_years(&d.sites);
    assert_eq!(years, vec![2026]);
    let maps = rollout_maps(&inputs, &years, |year| {
        status_by_sites_inside(&d.region, &d.grid, &d.sites, Some(year))
    });
    assert_eq!(maps.len(), 1);
    assert_eq!(maps[0].name, "rollout_2026");
    let svg = render_svg(&maps[0], &MapFont::bundled()).expect("renders");
    assert_golden("maps/rollout_2026.svg", &redact_images(&svg));
}

#[test]
fn cells_are_served_by_a_standardized_site_inside_them() {
    let d = data();
    let now = status_by_sites_inside(&d.region, &d.grid, &d.sites, None);
    let count = |m: &CellStatusMap, s: CellStatus| m.values().filter(|v| **v == s).count();
    assert_eq!(
        count(&now, CellStatus::Served) + count(&now, CellStatus::Gap),
        d.grid.required_cells().count()
    );
    // examples/shuozhou_network.csv has 8 existing standardized fixed points (SC-R01, PL-R01,
    // PL-R02, SY-R01, SY-G01, YX-R01, YY-R01, HR-R01), each in a required cell of its own, as
    // `wxmod gaps` counts them (burners do not serve the grid standard).
    assert_eq!(count(&now, CellStatus::Served), 8);
    // Brute force: every served cell's square holds one of them.
    for (id, _) in now.iter().filter(|(_, s)| **s == CellStatus::Served) {
        let square = d.grid.spec.cell_rect(*id);
        assert!(d.sites.iter().any(|s| {
            let (x, y) = d.region.projection.forward(s.lon, s.lat).unwrap();
            wxmod::render::serves_cell(s)
                && s.status == wxmod::sites::SiteStatus::Existing
                && (square.min().x..square.max().x).contains(&x)
                && (square.min().y..square.max().y).contains(&y)
        }));
    }
    // The rocket point planned for 2026 at Shahukou serves one more cell from 2026 on.
    let later = status_by_sites_inside(&d.region, &d.grid, &d.sites, Some(2026));
    assert_eq!(count(&later, CellStatus::Served), 9);
    assert_eq!(count(&later, CellStatus::Infeasible), 0);
}

#[test]
fn an_unknown_county_is_refused_with_the_known_ones() {
    let d = data();
    let err = county_map(&inputs(&d), "999999").unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("county 999999 is not in region 朔州市 Shuozhou"),
        "{text}"
    );
    assert!(text.contains("140602 朔城区"), "{text}");
    let spec = MapSpec::new(&d.region, "x").extent(Extent::County("1".into()));
    assert!(matches!(
        render_svg(&spec, &MapFont::bundled()),
        Err(RenderError::UnknownCounty { .. })
    ));
}

#[test]
fn a_font_without_the_needed_glyphs_is_a_clear_error() {
    let d = data();
    // The subset loaded as a user file gets no system fallback; U+9F98 is not in it.
    let font = MapFont::from_file(&bundled("fonts/wqy-microhei-subset.ttf")).expect("loads");
    let spec = MapSpec::new(&d.region, "朔州 \u{9F98}");
    let err = render_png(&spec, &font).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("has no glyphs for '\u{9F98}'") && text.contains("set WXMOD_FONT"),
        "{text}"
    );
    // SVG needs no glyphs: it still renders.
    assert!(render_svg(&spec, &font).is_ok());
}

#[test]
fn map_command_writes_png_and_svg_for_one_county() {
    let dir = tempfile::tempdir().expect("temp dir");
    wxmod()
        .args(["map", "--county", "140681", "--sites"])
        .arg(example_sites())
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("county_140681.png"));
    let png_bytes = std::fs::read(dir.path().join("county_140681.png")).expect("PNG written");
    let (w, h, rgb) = decode_png(&png_bytes);
    assert_eq!((w, h), (1754, 1240));
    assert_map_not_blank("wxmod map --county", &rgb);
    let svg = std::fs::read_to_string(dir.path().join("county_140681.svg")).expect("SVG written");
    assert!(svg.contains(">\n怀仁市\n</text>"));
}

#[test]
fn map_command_refuses_an_unknown_county_and_a_missing_font() {
    let dir = tempfile::tempdir().expect("temp dir");
    wxmod()
        .args(["map", "--county", "123", "--out"])
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "county 123 is not in region 朔州市 Shuozhou; use one of: 140602 朔城区",
        ));
    wxmod()
        .args(["map", "--font", "/nonexistent/font.ttf", "--out"])
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "cannot read font file /nonexistent/font.ttf",
        ));
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
}

/// Issue #15 item 3: every GeoJSON layer `wxmod run` writes follows RFC 7946 and the OGC
/// rules: no null or empty polygon geometry for a feature with land, exterior rings
/// counter-clockwise, holes clockwise, every polygon valid (geo `Validation`). Before the fix
/// 3 priority cells had `"coordinates": []`, all 211 sector wedges were clockwise and 28 of the
/// 139 uncovered-land features were invalid.
#[test]
fn every_geojson_layer_of_the_run_is_rfc_7946_and_valid() {
    use geo::{Area, Validation};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let sites = crate::fixtures::example_network();
    wxmod()
        .args(["run", "--sites"])
        .arg(&sites)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let mut layers = 0;
    let mut polygons = 0;
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("geojson") {
            continue;
        }
        layers += 1;
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let fc: geojson::FeatureCollection =
            std::fs::read_to_string(&path).unwrap().parse().unwrap();
        for (i, feature) in fc.features.iter().enumerate() {
            let has_land = ["area_km2", "uncovered_km2"].iter().any(|k| {
                feature
                    .property(k)
                    .and_then(|v| v.as_f64())
                    .is_some_and(|a| a > 0.0)
            });
            let Some(geometry) = &feature.geometry else {
                assert!(!has_land, "{name} feature {i}: null geometry for land");
                continue;
            };
            let shape: geo::Geometry<f64> = geometry.clone().try_into().unwrap();
            let multi = match shape {
                geo::Geometry::Polygon(p) => geo::MultiPolygon(vec![p]),
                geo::Geometry::MultiPolygon(m) => m,
                _ => continue,
            };
            assert!(!multi.0.is_empty(), "{name} feature {i}: empty coordinates");
            assert!(
                multi.is_valid(),
                "{name} feature {i}: {:?}",
                multi.validation_errors()
            );
            for p in &multi.0 {
                polygons += 1;
                // Shoelace area of each ring as a polygon of its own (a LineString has none).
                let ring_area =
                    |r: &geo::LineString<f64>| geo::Polygon::new(r.clone(), vec![]).signed_area();
                assert!(
                    ring_area(p.exterior()) > 0.0,
                    "{name} feature {i}: clockwise exterior"
                );
                for h in p.interiors() {
                    assert!(
                        ring_area(h) < 0.0,
                        "{name} feature {i}: counter-clockwise hole"
                    );
                }
            }
        }
    }
    assert!(layers >= 6, "only {layers} GeoJSON layers");
    assert!(polygons > 300, "only {polygons} polygons checked");
}
