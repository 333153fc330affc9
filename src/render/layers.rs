//! The geometry layers of a map, one function each, in drawing order: terrain or plain land,
//! priority zones, filled areas, grid cells by status, rivers, the dimming of other counties,
//! boundaries, influence discs and firing sectors. Each appends its [`Op`]s and returns what
//! the legend must list. [`super::scene`] calls them bottom-up; symbols and labels follow in
//! [`super::marks`].

use geo::{BoundingRect, Buffer, Centroid, MultiPolygon};
use plotters::style::{Color, RGBAColor};

use super::RenderError;
use super::hillshade::{FrameGeometry, Raster, scanline_mask, shade_frame};
use super::map::{CellStatus, MapSpec};
use super::marks::ShownSite;
use super::ops::{Op, SymbolStyle, px};
use super::sheet::{View, closed, fill_multipolygon, points_visible};
use super::style::{self, Sizes};
use crate::region::UnitOutline;
use crate::zones::ZoneKind;

/// Terrain shading under the region's land (when the map has a DEM), else a plain land fill.
pub(crate) fn terrain_or_land(spec: &MapSpec, view: &View, ops: &mut Vec<Op>) -> Option<Raster> {
    let region = spec.region;
    let frame = view.frame;
    let Some(dem) = spec.dem else {
        for county in &region.counties {
            fill_multipolygon(ops, view, &county.shape, style::LAND_FILL);
        }
        return None;
    };
    let geometry = FrameGeometry {
        width: frame.width() as usize,
        height: frame.height() as usize,
        x0: view.x0,
        y0: view.y0,
        scale: view.scale,
    };
    let rings: Vec<Vec<(f64, f64)>> = region
        .counties
        .iter()
        .flat_map(|c| c.shape.0.iter())
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(|ring| {
            ring.0
                .iter()
                .map(|c| {
                    let (x, y) = view.px_of(c.x, c.y);
                    (x - frame.x0, y - frame.y0)
                })
                .collect()
        })
        .collect();
    let mask = scanline_mask(geometry.width, geometry.height, &rings);
    Some(shade_frame(dem, &region.projection, &geometry, &mask))
}

/// Priority zones, kind by kind; the kinds drawn.
pub(crate) fn zones(
    spec: &MapSpec,
    view: &View,
    ops: &mut Vec<Op>,
) -> Result<Vec<ZoneKind>, RenderError> {
    let mut kinds = Vec::new();
    let Some(layer) = spec.zones else {
        return Ok(kinds);
    };
    for kind in ZoneKind::ALL {
        for zone in layer.zones.iter().filter(|z| z.kind == kind) {
            let shape = spec
                .region
                .projection
                .forward_multipolygon(&zone.lonlat)
                .map_err(|e| RenderError::Project {
                    what: format!("a {} zone", kind.as_str()),
                    source: e,
                })?;
            if fill_multipolygon(ops, view, &shape, style::zone_fill(kind))
                && !kinds.contains(&kind)
            {
                kinds.push(kind);
            }
        }
    }
    Ok(kinds)
}

/// Filled areas with their own legend entries; those drawn, with their colours.
pub(crate) fn areas(
    spec: &MapSpec,
    view: &View,
    ops: &mut Vec<Op>,
) -> Result<Vec<(String, RGBAColor)>, RenderError> {
    let mut drawn = Vec::new();
    for area in &spec.areas {
        let shape = spec
            .region
            .projection
            .forward_multipolygon(&area.lonlat)
            .map_err(|e| RenderError::Project {
                what: format!("area {}", area.label),
                source: e,
            })?;
        let (r, g, b, a) = area.rgba;
        let color = plotters::style::RGBColor(r, g, b).mix(a);
        if fill_multipolygon(ops, view, &shape, color) {
            drawn.push((area.label.clone(), color));
        }
    }
    Ok(drawn)
}

/// Grid cells: the status fill, thin outlines, then each status outline just inside its
/// cell; the statuses shown, sorted.
pub(crate) fn grid_cells(
    spec: &MapSpec,
    view: &View,
    s: &Sizes,
    ops: &mut Vec<Op>,
) -> Vec<CellStatus> {
    let mut statuses: Vec<CellStatus> = Vec::new();
    let Some(grid) = spec.grid else {
        return statuses;
    };
    let mut outlines = Vec::new();
    let mut status_lines = Vec::new();
    for cell in &grid.cells {
        if !view.bbox_visible(Some(cell.square)) {
            continue;
        }
        let land = cell.clean_land();
        let status = spec.cell_status.get(&cell.id).copied();
        let mut inset = None;
        if let Some(status) = status {
            if !statuses.contains(&status) {
                statuses.push(status);
            }
            let (fill, line) = style::cell_colors(status, spec.zones.is_some());
            if let Some(color) = fill {
                fill_multipolygon(ops, view, &land, color);
            }
            inset = line;
        }
        for polygon in &land.0 {
            outlines.push(Op::Line {
                points: closed(view.ring(polygon.exterior())),
                color: style::CELL_LINE,
                width: s.line(0.2),
            });
        }
        if let Some(color) = inset {
            // The status outline just inside the cell, clear of its neighbours'.
            let width = s.line(0.4);
            let shrunk = land.buffer(-(width as f64 / 2.0 + 1.0) / view.scale);
            for polygon in &shrunk.0 {
                status_lines.push(Op::Line {
                    points: closed(view.ring(polygon.exterior())),
                    color,
                    width,
                });
            }
        }
    }
    ops.extend(outlines);
    ops.extend(status_lines);
    statuses.sort();
    statuses
}

/// River lines; whether any is visible.
pub(crate) fn rivers(spec: &MapSpec, view: &View, s: &Sizes, ops: &mut Vec<Op>) -> bool {
    let mut any = false;
    let Some(rivers) = spec.rivers else {
        return any;
    };
    for line in &rivers.0 {
        let mut points = Vec::with_capacity(line.0.len());
        for c in &line.0 {
            let Ok((x, y)) = spec.region.projection.forward(c.x, c.y) else {
                continue;
            };
            let p = px(view.px_of(x, y));
            if points.last() != Some(&p) {
                points.push(p);
            }
        }
        if points.len() >= 2 && points_visible(&points, &view.frame) {
            any = true;
            ops.push(Op::Line {
                points,
                color: style::RIVER,
                width: s.line(0.35),
            });
        }
    }
    any
}

/// The other counties dimmed on a county map (`focus`: the county's index).
pub(crate) fn dim_outside(spec: &MapSpec, view: &View, focus: Option<usize>, ops: &mut Vec<Op>) {
    let Some(f) = focus else {
        return;
    };
    for (i, county) in spec.region.counties.iter().enumerate() {
        if i != f {
            fill_multipolygon(ops, view, &county.shape, style::DIM_OUTSIDE);
        }
    }
}

/// The exterior ring of every polygon of `shape` as a line.
fn exterior_lines(
    view: &View,
    shape: &MultiPolygon<f64>,
    color: RGBAColor,
    width: u32,
    ops: &mut Vec<Op>,
) {
    for polygon in &shape.0 {
        ops.push(Op::Line {
            points: closed(view.ring(polygon.exterior())),
            color,
            width,
        });
    }
}

/// County boundaries.
pub(crate) fn county_lines(spec: &MapSpec, view: &View, s: &Sizes, ops: &mut Vec<Op>) {
    for county in &spec.region.counties {
        if view.bbox_visible(county.shape.bounding_rect()) {
            exterior_lines(view, &county.shape, style::COUNTY_LINE, s.line(0.35), ops);
        }
    }
}

/// The region's outline (or the focus county's on a county map), drawn thicker than the
/// county lines.
pub(crate) fn outline(
    spec: &MapSpec,
    view: &View,
    s: &Sizes,
    focus: Option<usize>,
    ops: &mut Vec<Op>,
) {
    let outline = match focus {
        Some(f) => &spec.region.counties[f].shape,
        None => spec.region.outline(),
    };
    exterior_lines(view, outline, style::REGION_LINE, s.line(0.7), ops);
}

/// The influence disc of each shown, not retired site; whether any was drawn.
pub(crate) fn influence_discs(
    spec: &MapSpec,
    view: &View,
    s: &Sizes,
    shown: &[ShownSite],
    ops: &mut Vec<Op>,
) -> bool {
    let Some(catalog) = spec.influence else {
        return false;
    };
    let mut any = false;
    for shown in shown {
        if shown.style == SymbolStyle::Retired {
            continue;
        }
        let radius = catalog.kind(shown.site.kind).influence_radius_m();
        if radius <= 0.0 {
            continue;
        }
        let (_, color) = style::site_symbol(shown.site.kind);
        any = true;
        ops.push(Op::Circle {
            centre: px(shown.at),
            radius: (radius * view.scale).round() as i32,
            color: color.mix(0.7),
            fill: false,
            width: s.line(0.25),
        });
    }
    any
}

/// Firing-sector wedges; whether any was drawn, and each drawn wedge's label and centroid.
pub(crate) fn firing_sectors(
    spec: &MapSpec,
    view: &View,
    s: &Sizes,
    ops: &mut Vec<Op>,
) -> Result<(bool, Vec<(String, (f64, f64))>), RenderError> {
    let mut labels = Vec::new();
    let mut any = false;
    for sector in &spec.sectors {
        let shape = spec
            .region
            .projection
            .forward_multipolygon(&MultiPolygon(vec![sector.lonlat.clone()]))
            .map_err(|e| RenderError::Project {
                what: format!("firing sector {}", sector.label),
                source: e,
            })?;
        if fill_multipolygon(ops, view, &shape, style::SECTOR_FILL) {
            any = true;
            exterior_lines(view, &shape, style::SECTOR_LINE, s.line(0.3), ops);
            if let Some(c) = shape.centroid() {
                labels.push((sector.label.clone(), view.px_of(c.x(), c.y())));
            }
        }
    }
    Ok((any, labels))
}

/// The county choropleth of an overview of many counties: each county filled by the class
/// of its served share; the classes drawn, ascending.
pub(crate) fn county_shares(spec: &MapSpec, view: &View, ops: &mut Vec<Op>) -> Vec<usize> {
    let mut classes = Vec::new();
    let Some(summary) = &spec.county_summary else {
        return classes;
    };
    for (index, (county, share)) in spec
        .region
        .counties
        .iter()
        .zip(&summary.served_share)
        .enumerate()
    {
        if !summary.in_focus(index) {
            continue;
        }
        let class = style::share_class(*share);
        if fill_multipolygon(ops, view, &county.shape, style::share_fill(class))
            && !classes.contains(&class)
        {
            classes.push(class);
        }
    }
    classes.sort_unstable();
    classes
}

/// The borders of the summary's units (cities of a province, provinces of a country), each
/// the union of its counties (kept by the region); the units drawn, for their names.
pub(crate) fn unit_borders<'a>(
    spec: &MapSpec<'a>,
    view: &View,
    s: &Sizes,
    ops: &mut Vec<Op>,
) -> Vec<&'a UnitOutline> {
    let Some(summary) = spec.county_summary.as_ref() else {
        return Vec::new();
    };
    let Some(level) = summary.unit_level else {
        return Vec::new();
    };
    let units: Vec<&UnitOutline> = spec
        .region
        .unit_outlines(level)
        .iter()
        .filter(|u| u.unit.counties.iter().all(|&i| summary.in_focus(i)))
        .collect();
    for unit in &units {
        exterior_lines(view, &unit.outline, style::UNIT_LINE, s.line(0.55), ops);
    }
    units
}
