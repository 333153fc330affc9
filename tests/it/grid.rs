//! The planning grids on the real Shuozhou boundaries, cross-checked against brute force.

use std::collections::BTreeMap;

use approx::assert_relative_eq;
use geo::{Area, BooleanOps, BoundingRect, MultiPolygon, polygon};
use proptest::prelude::*;
use wxmod::grid::{CellId, Grid, GridSpec, clip_to_grid};
use wxmod::terrain::Dem;
use wxmod::zones::ZoneLayer;

use crate::fixtures::{bundled, shuozhou, wxmod};

#[test]
fn the_15_km_and_10_km_grids_match_the_independent_counts() {
    let region = shuozhou();
    let g15 = Grid::build(&region, &GridSpec::new(15_000.0), None, None);
    assert_eq!(g15.cells.len(), 72);
    assert_eq!(g15.required_cells().count(), 56);
    let g10 = Grid::build(&region, &GridSpec::new(10_000.0), None, None);
    assert_eq!(g10.cells.len(), 143);
    assert_eq!(g10.required_cells().count(), 117);
}

#[test]
fn clipped_cells_add_up_to_the_region_and_to_each_county() {
    let region = shuozhou();
    for size in [15_000.0, 10_000.0, 3_000.0] {
        let grid = Grid::build(&region, &GridSpec::new(size), None, None);
        let total: f64 = grid.cells.iter().map(|c| c.area_m2).sum();
        assert_relative_eq!(total, region.projected_area_m2(), max_relative = 1e-4);
        for (i, county) in region.counties.iter().enumerate() {
            let sum: f64 = grid
                .cells
                .iter()
                .flat_map(|c| &c.parts)
                .filter(|p| p.county == i)
                .map(|p| p.area_m2)
                .sum();
            assert_relative_eq!(sum, county.projected_area_m2(), max_relative = 1e-6);
        }
    }
}

/// The slow, obvious method: every bounding-box cell clipped against the whole county.
fn brute_force(shape: &MultiPolygon<f64>, spec: &GridSpec) -> BTreeMap<CellId, f64> {
    let bbox = shape.bounding_rect().unwrap();
    let s = spec.cell_size_m;
    let mut out = BTreeMap::new();
    for row in (bbox.min().y / s).floor() as i64..=(bbox.max().y / s).floor() as i64 {
        for col in (bbox.min().x / s).floor() as i64..=(bbox.max().x / s).floor() as i64 {
            let id = CellId { col, row };
            let area = shape
                .intersection(&spec.cell_rect(id).to_polygon())
                .unsigned_area();
            if area > 0.0 {
                out.insert(id, area);
            }
        }
    }
    out
}

#[test]
fn strip_clipping_agrees_with_brute_force_on_every_county() {
    let region = shuozhou();
    let spec = GridSpec::new(10_000.0);
    for county in &region.counties {
        let fast: BTreeMap<CellId, f64> = clip_to_grid(&county.shape, &spec)
            .into_iter()
            .map(|(id, _, a)| (id, a))
            .collect();
        let slow = brute_force(&county.shape, &spec);
        assert_eq!(
            fast.keys().collect::<Vec<_>>(),
            slow.keys().collect::<Vec<_>>(),
            "county {}",
            county.id
        );
        for (id, a) in &fast {
            assert_relative_eq!(*a, slow[id], max_relative = 1e-6, epsilon = 1.0);
        }
    }
}

#[test]
fn a_point_on_a_grid_line_belongs_to_exactly_one_cell() {
    let region = shuozhou();
    let grid = Grid::build(&region, &GridSpec::new(15_000.0), None, None);
    let cell = grid.cells.iter().find(|c| c.share == 1.0).unwrap();
    let corner = cell.square.min();
    // The south-west corner of a cell belongs to that cell, not to its neighbours.
    assert_eq!(grid.cell_at(corner.x, corner.y).unwrap().id, cell.id);
    assert_eq!(
        grid.cell_at(corner.x - 1e-6, corner.y).unwrap().id,
        CellId {
            col: cell.id.col - 1,
            row: cell.id.row
        }
    );
}

#[test]
fn cells_carry_elevations_from_the_dem() {
    let region = shuozhou();
    let dem = Dem::read(&bundled("shuozhou/dem_30s.asc")).unwrap();
    let grid = Grid::build(&region, &GridSpec::new(15_000.0), Some(&dem), None);
    for cell in &grid.cells {
        let e = cell
            .elevation
            .unwrap_or_else(|| panic!("cell {} has no elevation", cell.id));
        assert!(e.min <= e.mean && e.mean <= e.max);
        // Shuozhou spans about 893-2426 m; the 30" DEM smooths the extremes.
        assert!(e.min > 800.0 && e.max < 2500.0, "{}: {e:?}", cell.id);
    }
    let highest = grid
        .cells
        .iter()
        .map(|c| c.elevation.unwrap().max)
        .fold(0.0, f64::max);
    assert!(highest > 2000.0, "the Hengshan range must show: {highest}");
}

#[test]
fn the_ascii_grid_and_the_geotiff_hold_the_same_dem() {
    let asc = Dem::read(&bundled("shuozhou/dem_30s.asc")).unwrap();
    let tif = Dem::read(&bundled("shuozhou/dem_30s.tif")).unwrap();
    assert_eq!(asc.shape(), tif.shape());
    for (a, b) in asc.cells().zip(tif.cells()) {
        assert_eq!(a.4, b.4);
        assert!((a.2 - b.2).abs() < 1e-9 && (a.3 - b.3).abs() < 1e-9);
    }
    // Zirun airport: published 1043 m, DEM 1042 m (SOURCES.md).
    let z = asc.elevation(112.691111, 39.273056).unwrap();
    assert!((z - 1042.0).abs() < 15.0, "{z}");
}

#[test]
fn the_priority_grid_uses_the_zone_share() {
    let region = shuozhou();
    let zones = ZoneLayer::read(&bundled("shuozhou/zones.geojson")).unwrap();
    assert!(zones.derived, "the bundled zones are marked as derived");
    let spec = GridSpec::new(10_000.0);
    let grid = Grid::build(&region, &spec, None, Some(&zones));
    for cell in &grid.cells {
        let z = cell.zones.as_ref().unwrap();
        assert!(
            z.area_m2 <= cell.area_m2 + 1.0,
            "{}: zone land exceeds the cell's land",
            cell.id
        );
        assert_eq!(
            cell.requires_point,
            cell.zone_share() >= spec.min_cell_share
        );
    }
    let required = grid.required_cells().count();
    assert!((90..=117).contains(&required), "{required}");
}

#[test]
fn grid_command_writes_cells_and_county_table() {
    let dir = tempfile::tempdir().unwrap();
    wxmod()
        .args(["grid", "--size", "15km", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let text = std::fs::read_to_string(dir.path().join("grid_15km.geojson")).unwrap();
    let fc: geojson::FeatureCollection = text.parse().unwrap();
    assert_eq!(fc.features.len(), 72);
    let required = fc
        .features
        .iter()
        .filter(|f| f.property("requires_point") == Some(&true.into()))
        .count();
    assert_eq!(required, 56);
    let csv = std::fs::read_to_string(dir.path().join("grid_15km_counties.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 7);
    let required_by_county: usize = rows[1..]
        .iter()
        .map(|r| r.split(',').nth(3).unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(required_by_county, 56);
}

#[test]
fn grid_command_refuses_a_bad_size() {
    wxmod()
        .args(["grid", "--size=-5km"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not a length"));
}

proptest! {
    #[test]
    fn clipping_conserves_area_for_any_origin(ox in -20_000.0f64..20_000.0, oy in -20_000.0f64..20_000.0,
                                              size in 1_000.0f64..30_000.0) {
        let shape = MultiPolygon(vec![polygon![
            (x: 0.0, y: 0.0), (x: 50_000.0, y: 10_000.0), (x: 30_000.0, y: 40_000.0),
            (x: 20_000.0, y: 15_000.0), (x: 5_000.0, y: 30_000.0)]]);
        let spec = GridSpec { cell_size_m: size, origin_x: ox, origin_y: oy, min_cell_share: 0.2 };
        let total: f64 = clip_to_grid(&shape, &spec).iter().map(|(_, _, a)| a).sum();
        prop_assert!((total - shape.unsigned_area()).abs() < 1e-6 * shape.unsigned_area());
    }
}
