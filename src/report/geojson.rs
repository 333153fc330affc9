//! GeoJSON layers (WGS84 lon/lat) for GIS: grid cells with their properties, and the one
//! writer of polygon geometry that every GeoJSON file of wxmod goes through.
//!
//! Every polygon geometry wxmod writes follows RFC 7946: coordinates in WGS84 lon/lat rounded
//! to 1e-6° (about 0.1 m), exterior rings counter-clockwise and holes clockwise (§3.1.6), valid
//! by the OGC simple-feature rules (geo `Validation`: no self-intersection, holes inside their
//! exterior, parts not overlapping), checked with [`crate::region::is_valid`], which gives geo's
//! answer in O(n log n) instead of O(n²) per ring (a national run writes some 10⁵ shapes, the
//! sector wedges among them). Rounding can fold a thin sliver onto itself; such a shape
//! is repaired (geo `MakeValid`), and if that fails it is written unrounded. Land is never
//! written as an empty geometry: a shape with no area left is `null`.

use geo::{Area, MakeValid, MultiPolygon, Polygon};
use serde_json::{Map, Value, json};

use crate::grid::Grid;
use crate::region::{Projection, Region, is_valid};

fn round(value: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (value * f).round() / f
}

/// A lon/lat multipolygon made fit for RFC 7946: rounded to 1e-6°, oriented (exteriors
/// counter-clockwise, holes clockwise), OGC-valid; empty parts dropped.
///
/// # Examples
/// ```
/// use geo::{polygon, Area, MultiPolygon, Validation};
/// // a clockwise square: written counter-clockwise
/// let cw = polygon![(x: 112.0, y: 39.0), (x: 112.0, y: 39.1), (x: 112.1, y: 39.1), (x: 112.1, y: 39.0)];
/// let out = wxmod::report::geojson::rfc7946_multipolygon(&MultiPolygon(vec![cw]));
/// assert!(out.is_valid() && out.0[0].signed_area() > 0.0);
/// ```
pub fn rfc7946_multipolygon(lonlat: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    let non_empty = |mp: MultiPolygon<f64>| {
        MultiPolygon(
            mp.0.into_iter()
                .filter(|p| p.unsigned_area() > 0.0)
                .map(|p| oriented(&p))
                .collect::<Vec<Polygon<f64>>>(),
        )
    };
    let rounded = non_empty(geo::MapCoords::map_coords(
        lonlat,
        |c| geo::coord! { x: round(c.x, 6), y: round(c.y, 6) },
    ));
    if is_valid(&rounded) && !rounded.0.is_empty() {
        return rounded;
    }
    if let Ok(repaired) = rounded.make_valid() {
        let repaired = non_empty(repaired);
        if is_valid(&repaired) && !repaired.0.is_empty() {
            return repaired;
        }
    }
    let exact = non_empty(lonlat.clone());
    match exact.make_valid() {
        Ok(repaired) if !is_valid(&exact) => non_empty(repaired),
        _ => exact,
    }
}

/// A polygon wound by the signed (shoelace) area of each ring: exterior counter-clockwise,
/// holes clockwise. (geo's `Orient` leaves a ring whose winding it cannot tell, such as a
/// sector wedge whose first vertex repeats after rounding, as it was.)
fn oriented(p: &Polygon<f64>) -> Polygon<f64> {
    let wound = |ring: &geo::LineString<f64>, ccw: bool| {
        let mut ring = ring.clone();
        // Area of a ring as a polygon of its own (a LineString has no area in geo).
        let area = Polygon::new(ring.clone(), Vec::new()).signed_area();
        if (area > 0.0) != ccw {
            ring.0.reverse();
        }
        ring
    };
    Polygon::new(
        wound(p.exterior(), true),
        p.interiors().iter().map(|h| wound(h, false)).collect(),
    )
}

/// A lon/lat multipolygon as an RFC 7946 GeoJSON geometry ([`rfc7946_multipolygon`]);
/// `None` (written as `null`) when no area is left.
pub fn rfc7946_geometry(lonlat: &MultiPolygon<f64>) -> Option<geojson::Geometry> {
    let shape = rfc7946_multipolygon(lonlat);
    (!shape.0.is_empty()).then(|| geojson::Geometry::from(&shape))
}

/// A projected multipolygon as a lon/lat RFC 7946 GeoJSON geometry ([`rfc7946_geometry`]).
pub fn lonlat_geometry(
    projection: &Projection,
    shape: &MultiPolygon<f64>,
) -> Option<geojson::Geometry> {
    let lonlat = projection.inverse_multipolygon(shape).ok()?;
    rfc7946_geometry(&lonlat)
}

/// Every cell of a grid with its land clipped to the region, as a FeatureCollection.
///
/// Properties: `id`, `col`, `row`, `size_m`, `area_km2`, `share`, `county` and `county_name`
/// (majority), `county_areas_km2`, `elev_min_m`/`elev_mean_m`/`elev_max_m`, `zone_km2`,
/// `zone_share`, `zone_kinds_km2` (priority grids), `requires_point`.
pub fn grid_cells(grid: &Grid, region: &Region) -> String {
    let features = grid.cells.iter().map(|cell| {
        let mut p = Map::new();
        p.insert("id".into(), cell.id.to_string().into());
        p.insert("col".into(), cell.id.col.into());
        p.insert("row".into(), cell.id.row.into());
        p.insert("size_m".into(), grid.spec.cell_size_m.into());
        p.insert("area_km2".into(), round(cell.area_m2 / 1e6, 4).into());
        p.insert("share".into(), round(cell.share, 4).into());
        let majority = &region.counties[cell.majority_county];
        p.insert("county".into(), majority.id.clone().into());
        p.insert("county_name".into(), majority.name.clone().into());
        let by_county: Map<String, Value> = cell
            .parts
            .iter()
            .map(|part| {
                (
                    region.counties[part.county].id.clone(),
                    round(part.area_m2 / 1e6, 4).into(),
                )
            })
            .collect();
        p.insert("county_areas_km2".into(), by_county.into());
        if let Some(e) = cell.elevation {
            p.insert("elev_min_m".into(), round(e.min, 1).into());
            p.insert("elev_mean_m".into(), round(e.mean, 1).into());
            p.insert("elev_max_m".into(), round(e.max, 1).into());
        }
        if let Some(z) = &cell.zones {
            p.insert("zone_km2".into(), round(z.area_m2 / 1e6, 4).into());
            p.insert("zone_share".into(), round(cell.zone_share(), 4).into());
            let kinds: Map<String, Value> = z
                .by_kind
                .iter()
                .map(|(k, a)| (k.clone(), round(a / 1e6, 4).into()))
                .collect();
            p.insert("zone_kinds_km2".into(), kinds.into());
        }
        p.insert("requires_point".into(), cell.requires_point.into());
        geojson::Feature {
            geometry: lonlat_geometry(&region.projection, &cell.clean_land()),
            properties: Some(p),
            ..Default::default()
        }
    });
    let mut fc = geojson::FeatureCollection::new(features);
    fc.foreign_members = Some(
        json!({
            "crs_note": "WGS84 lon/lat; cells laid in the projected CRS named in grid_crs",
            "grid_crs": region.projection.spec(),
            "grid_size_m": grid.spec.cell_size_m,
            "grid_origin_m": [grid.spec.origin_x, grid.spec.origin_y],
            "min_cell_share": grid.spec.min_cell_share,
            "requires_point_rule": grid.rule,
        })
        .as_object()
        .cloned()
        .expect("invariant: a JSON object literal"),
    );
    fc.to_string()
}

/// The gap cells (unserved required cells) with their assessment, and the uncovered land of
/// each as a separate layer.
pub fn gap_layers(
    report: &crate::gaps::GapReport,
    grids: &crate::gaps::PolicyGrids,
    uncovered: &[(
        crate::gaps::PolicyGrid,
        crate::grid::CellId,
        MultiPolygon<f64>,
    )],
    region: &Region,
) -> (String, String) {
    let cells = report.gaps().enumerate().filter_map(|(rank, gap)| {
        let grid = grids.iter().find(|(w, _)| *w == gap.grid)?.1;
        let cell = grid.cell(gap.cell)?;
        let mut p = match serde_json::to_value(gap) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        p.insert("rank".into(), (rank + 1).into());
        p.insert("uncovered_km2".into(), round(gap.uncovered_km2(), 3).into());
        Some(geojson::Feature {
            geometry: lonlat_geometry(&region.projection, &cell.clean_land()),
            properties: Some(p),
            ..Default::default()
        })
    });
    let land = uncovered.iter().map(|(grid, id, shape)| {
        let mut p = Map::new();
        p.insert("grid".into(), json!(grid));
        p.insert("cell".into(), id.to_string().into());
        p.insert(
            "uncovered_km2".into(),
            round(geo::Area::unsigned_area(shape) / 1e6, 3).into(),
        );
        geojson::Feature {
            geometry: lonlat_geometry(&region.projection, shape),
            properties: Some(p),
            ..Default::default()
        }
    });
    (
        geojson::FeatureCollection::new(cells).to_string(),
        geojson::FeatureCollection::new(land).to_string(),
    )
}
