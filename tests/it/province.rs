//! A province planned as a whole: its overview map draws one symbol per county (a choropleth
//! of the served share, site counts by kind, city borders and names, no per-site labels), and
//! the words of its reports follow its level (省/全省), with the X-band radar reported per
//! city as clause 6 assigns it. Checked against counts computed here from the same inputs.

use std::collections::BTreeMap;

use geo::Area;

use wxmod::grid::{Grid, GridSpec};
use wxmod::region::{Region, RegionScope, UnitLevel, admin_units, bundled};
use wxmod::render::{
    CellStatus, MapFont, MapInputs, city_overview, render_svg, status_by_sites_inside, unit_maps,
};
use wxmod::sites::{Site, SiteKind, SiteStatus};

use crate::fixtures::wxmod;

fn load(name: &str) -> Region {
    Region::load(&bundled::resolve(name).unwrap(), None).unwrap()
}

/// One site of `kind` at the interior point of county `index`.
fn site_in(region: &Region, index: usize, kind: SiteKind, id: &str) -> Site {
    use geo::InteriorPoint;
    let county = &region.counties[index];
    let p = county.lonlat.interior_point().unwrap();
    Site {
        id: id.into(),
        name: id.into(),
        kind,
        standardized: true,
        status: SiteStatus::Existing,
        year: Some(2020),
        lon: p.x(),
        lat: p.y(),
        county: Some(county.id.clone()),
        extra: Default::default(),
    }
}

#[test]
fn the_scope_of_a_region_follows_its_counties() {
    assert_eq!(
        RegionScope::of(&crate::fixtures::shuozhou()),
        RegionScope::City
    );
    assert_eq!(RegionScope::of(&load("140000")), RegionScope::Province);
    assert_eq!(RegionScope::of(&load("datong")), RegionScope::City);
    assert_eq!(RegionScope::City.boundary_label(), "市界 city boundary");
    assert_eq!(
        RegionScope::Province.boundary_label(),
        "省界 province boundary"
    );
}

#[test]
fn the_province_overview_draws_one_symbol_per_county_on_a3() {
    let region = load("140000");
    let grid = Grid::build(&region, &GridSpec::new(15_000.0), None, None);
    // Two rocket points in the first county, a burner in the second: the only sites.
    let sites = vec![
        site_in(&region, 0, SiteKind::FixedRocket, "R1"),
        site_in(&region, 0, SiteKind::FixedRocket, "R2"),
        site_in(&region, 1, SiteKind::Burner, "B1"),
    ];
    let status = status_by_sites_inside(&region, &grid, &sites, None);
    let mut inputs = MapInputs::new(&region);
    inputs.grid = Some(&grid);
    inputs.cell_status = status.clone();
    inputs.sites = &sites;
    let spec = city_overview(&inputs);
    assert_eq!(spec.name, "province_overview");
    let (w_mm, h_mm) = spec.paper.size_mm();
    assert_eq!((w_mm.min(h_mm), w_mm.max(h_mm)), (297.0, 420.0), "A3");
    let summary = spec.county_summary.as_ref().expect("a county summary");
    assert_eq!(summary.served_share.len(), 117);
    assert_eq!(summary.unit_level, Some(UnitLevel::City));
    assert!(!summary.blocks_per_unit, "a province names every county");
    assert_eq!(
        region.unit_outlines(UnitLevel::City).len(),
        11,
        "the eleven cities are outlined"
    );

    // Served share per county, counted here from the cells' majority county.
    let mut required: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for cell in &grid.cells {
        match status.get(&cell.id) {
            Some(CellStatus::NotRequired) | None => {}
            Some(s) => {
                let e = required.entry(cell.majority_county).or_default();
                e.0 += 1;
                if *s == CellStatus::Served {
                    e.1 += 1;
                }
            }
        }
    }
    for (i, share) in summary.served_share.iter().enumerate() {
        let expected = required.get(&i).map(|&(r, s)| s as f64 / r as f64);
        assert_eq!(*share, expected, "county {}", region.counties[i].name);
    }
    assert!(
        summary.served_share[0].unwrap() > 0.0,
        "the first county's points serve cells"
    );
    assert_eq!(summary.counts[0], vec![(SiteKind::FixedRocket, 2)]);
    assert_eq!(summary.counts[1], vec![(SiteKind::Burner, 1)]);
    assert!(summary.counts[2..].iter().all(Vec::is_empty));

    let svg = render_svg(&spec, &MapFont::bundled()).unwrap();
    for city in admin_units(&region, UnitLevel::City) {
        assert!(svg.contains(&city.name), "city name {} is drawn", city.name);
    }
    let named = region
        .counties
        .iter()
        .filter(|c| svg.contains(&c.name))
        .count();
    assert_eq!(named, 117, "every county is named");
    for id in ["R1", "R2", "B1"] {
        assert!(!is_label(&svg, id), "no per-site label {id}");
    }
    assert!(svg.contains("省界 province boundary"));
    assert!(svg.contains("市界 city boundary"));
    assert!(svg.contains("已覆盖比例"));
}

/// Whether `text` is the whole text of a label of the SVG (plotters writes it on its own line).
fn is_label(svg: &str, text: &str) -> bool {
    svg.contains(&format!("\n{text}\n</text>"))
}

#[test]
fn a_country_overview_names_and_counts_per_province() {
    // Shanxi with 朔州市's counties given Hebei codes: counties of two provinces, a country.
    let mut region = load("140000");
    for county in region
        .counties
        .iter_mut()
        .filter(|c| c.id.starts_with("1406"))
    {
        county.id = format!("13{}", &county.id[2..]);
    }
    assert_eq!(RegionScope::of(&region), RegionScope::Country);
    let sites = vec![
        site_in(&region, 0, SiteKind::FixedRocket, "R1"),
        site_in(&region, 1, SiteKind::FixedRocket, "R2"),
    ];
    let mut inputs = MapInputs::new(&region);
    inputs.sites = &sites;
    let spec = city_overview(&inputs);
    assert_eq!(spec.name, "country_overview");
    let summary = spec.county_summary.as_ref().expect("a county summary");
    assert!(summary.blocks_per_unit);
    assert_eq!(summary.unit_level, Some(UnitLevel::Province));
    let provinces = region.unit_outlines(UnitLevel::Province);
    assert_eq!(provinces.len(), 2);
    // The provinces' outlines cover their counties: areas agree to 0.01 %.
    for p in provinces {
        let counties: f64 = p
            .unit
            .counties
            .iter()
            .map(|&i| region.counties[i].shape.unsigned_area())
            .sum();
        let outline = p.outline.unsigned_area();
        assert!(
            (outline - counties).abs() < 1e-4 * counties,
            "{}",
            p.unit.name
        );
    }
    let svg = render_svg(&spec, &MapFont::bundled()).unwrap();
    assert!(
        is_label(&svg, "山西省") && is_label(&svg, "河北省"),
        "both provinces named"
    );
    let named = region
        .counties
        .iter()
        .filter(|c| is_label(&svg, &c.name))
        .count();
    assert_eq!(named, 0, "no county named on a country's overview");
    assert!(svg.contains("省界 province boundary"));

    // Each province's own map names its own counties only, on A3.
    let maps = unit_maps(&inputs, UnitLevel::Province);
    let names: Vec<&str> = maps.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["province_140000", "province_130000"]);
    let hebei = &maps[1];
    let (w_mm, h_mm) = hebei.paper.size_mm();
    assert_eq!((w_mm.min(h_mm), w_mm.max(h_mm)), (297.0, 420.0), "A3");
    assert_eq!(
        hebei.county_summary.as_ref().and_then(|c| c.focus.as_ref()),
        Some(&provinces[1].unit.counties)
    );
    let svg = render_svg(hebei, &MapFont::bundled()).unwrap();
    for (i, county) in region.counties.iter().enumerate() {
        let named = is_label(&svg, &county.name);
        let own = provinces[1].unit.counties.contains(&i);
        assert!(
            !own || named,
            "{} is named on its province's map",
            county.name
        );
        assert!(own || !named, "{} is not named there", county.name);
    }
}

#[test]
fn a_city_overview_stays_a_city_map() {
    let region = crate::fixtures::shuozhou();
    let spec = city_overview(&MapInputs::new(&region));
    assert_eq!(spec.name, "city_overview");
    assert!(spec.county_summary.is_none());
    let svg = render_svg(&spec, &MapFont::bundled()).unwrap();
    assert!(svg.contains("市界 city boundary"));
    assert!(!svg.contains("省界"));
}

#[test]
fn a_province_reports_its_total_and_the_radar_per_city() {
    let region = load("140000");
    // One X-band radar in 朔州市 (朔城区 140602) and one AWS: ten cities still lack a radar.
    let shuozhou_index = region
        .counties
        .iter()
        .position(|c| c.id == "140602")
        .unwrap();
    let radar = site_in(&region, shuozhou_index, SiteKind::Radar, "XR-SZ");
    let dir = tempfile::tempdir().unwrap();
    let sites = dir.path().join("sites.csv");
    std::fs::write(&sites, wxmod::sites::sites_to_csv(&[radar])).unwrap();
    let out = dir.path().join("gaps");
    let assert = wxmod()
        .args(["gaps", "--region", "140000", "--sites"])
        .arg(&sites)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let line = stdout
        .lines()
        .find(|l| l.starts_with("cities without an X-band radar"))
        .unwrap_or_else(|| panic!("a per-city radar line in:\n{stdout}"));
    assert!(
        line.contains("太原市") && !line.contains("朔州市"),
        "{line}"
    );
    assert_eq!(line.matches('市').count(), 10, "{line}");
    let md = std::fs::read_to_string(out.join("gaps.md")).unwrap();
    assert!(
        md.contains("**Province 全省**"),
        "the total row names the province"
    );
    assert!(!md.contains("全市"), "no city words in a province's report");
    assert!(md.contains("X-band radar (one per city): **missing** in 太原市"));

    let budget_dir = dir.path().join("budget");
    wxmod()
        .args(["budget", "--region", "140000", "--plan"])
        .arg(&sites)
        .arg("--out")
        .arg(&budget_dir)
        .assert()
        .success();
    let lines = std::fs::read_to_string(budget_dir.join("budget_lines.csv")).unwrap();
    // One line buys the radars of the year: quantity 10, each city's policy item named.
    let radar_line = lines
        .lines()
        .find(|l| l.contains("new_site:radar"))
        .expect("a radar line");
    assert!(radar_line.contains(",10,"), "{radar_line}");
    for city in admin_units(&region, UnitLevel::City) {
        let named = radar_line.contains(&format!("XRADAR-{}", city.adcode));
        assert_eq!(
            named,
            city.adcode != "140600",
            "{} in {radar_line}",
            city.name
        );
    }
    assert!(lines.contains("省级 Province"));
    // Ammunition held outside the counties is in the central depots, not "the city depot".
    let budget_md = std::fs::read_to_string(budget_dir.join("budget.md")).unwrap();
    assert!(
        budget_md.contains("its share of the central depots"),
        "the forecast's rule names the central depots"
    );
    assert!(
        !budget_md.contains("city depot"),
        "no city depot in a province's budget"
    );
    let ammunition = std::fs::read_to_string(budget_dir.join("budget_ammunition.csv")).unwrap();
    assert!(
        ammunition
            .lines()
            .next()
            .unwrap()
            .contains("集中库调拨 / drawn_city")
    );
}

#[test]
fn a_city_keeps_its_city_words_and_one_radar_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gaps");
    wxmod()
        .args(["gaps", "--sites"])
        .arg(crate::fixtures::example_network())
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let md = std::fs::read_to_string(out.join("gaps.md")).unwrap();
    assert!(md.contains("**City 全市**"));
    assert!(md.contains("X-band radar for the city:"));
}
