//! From a [`MapSpec`] to a display list: sheet layout, the metres-to-pixels transform and every
//! map layer as [`Op`]s, in drawing order.
//!
//! Layout (sizes in mm on paper): a title band on top, a footer with the data-source note,
//! the map frame, and a legend panel to its right (landscape) or below it (portrait). The
//! extent plus its margin is fitted into the frame at one scale for x and y, so distances are
//! true in the projected CRS and the scale bar is exact (up to the projection's own scale
//! factor, within 0.1 % for UTM near the central meridian).
//!
//! Layers are drawn bottom-up: terrain (a raster, see [`super::hillshade`]) or a plain land
//! fill, priority zones, grid cells by status, rivers, the dimming of other counties on a
//! county map, county boundaries, influence discs, firing sectors, landmarks, sites, labels.
//! Features reaching outside the frame are drawn whole and covered by white margins (a
//! neatline mask); features wholly outside are skipped. Labels are placed greedily, in order of
//! importance, at the first of four positions that overlaps nothing already placed.
//!
//! Cost: linear in the vertices of the drawn geometry plus the terrain raster; consecutive
//! vertices that fall on the same pixel are merged.

use geo::{BoundingRect, Buffer, Centroid, InteriorPoint, MultiPolygon, Rect};

use plotters::style::Color;

use super::RenderError;
use super::font::MapFont;
use super::hillshade::{FrameGeometry, Raster, scanline_mask, shade_frame};
use super::legend;
use super::map::{CellStatus, Extent, MapSpec};
use super::ops::{Anchor, Op, SymbolStyle, px, symbol};
use super::paper::Orientation;
use super::style::{self, Sizes, words};
use crate::region::LandmarkKind;
use crate::sites::SiteStatus;
use crate::zones::ZoneKind;

pub use super::sheet::PxRect;
pub(crate) use super::sheet::*;

#[derive(Debug, Clone)]
pub struct Scene {
    /// Sheet width, pixels.
    pub width: u32,
    /// Sheet height, pixels.
    pub height: u32,
    /// Sheet size, millimetres.
    pub size_mm: (f64, f64),
    /// The map frame on the sheet.
    pub frame: PxRect,
    /// Terrain shading covering the frame exactly.
    pub raster: Option<Raster>,
    /// The drawing operations, bottom first.
    pub ops: Vec<Op>,
}

impl Scene {
    /// Every text drawn, for the font check.
    pub fn texts(&self) -> impl Iterator<Item = &str> + Clone {
        self.ops.iter().filter_map(|op| match op {
            Op::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
    }
}

/// The extent in metres, before the margin.
fn extent_rect(spec: &MapSpec) -> Rect<f64> {
    match &spec.extent {
        Extent::Region => spec.region.projected_bounds(),
        Extent::County(id) => spec
            .region
            .county(id)
            .and_then(|c| c.shape.bounding_rect())
            .unwrap_or_else(|| spec.region.projected_bounds()),
        Extent::Rect(r) => *r,
    }
}

/// Builds the display list of a map; `font` measures the labels.
pub fn build(spec: &MapSpec, font: &MapFont) -> Result<Scene, RenderError> {
    spec.validate()?;
    let (width, height) = spec.paper.pixel_size();
    let size_mm = spec.paper.size_mm();
    let s = Sizes::new(spec.paper.dpi);
    let (wf, hf) = (width as f64, height as f64);
    let margin = s.px(8.0);

    // Title band, footer, panel, frame.
    let title_bottom = margin
        + s.title()
        + if spec.subtitle.is_some() {
            s.subtitle() * 1.3
        } else {
            0.0
        }
        + s.px(3.0);
    let mut note = String::new();
    if !spec.source_note.is_empty() {
        note.push_str(words::SOURCES);
        note.push_str(&spec.source_note);
        note.push_str("; ");
    }
    note.push_str(&format!(
        "{}: {}",
        words::CRS,
        spec.region.projection.spec()
    ));
    let note_lines = wrap(font, &note, s.note(), wf - 2.0 * margin);
    let footer_top = hf - margin - note_lines.len() as f64 * s.note() * 1.3;
    let gap = s.px(4.0);
    let (frame, panel) = match spec.paper.orientation {
        Orientation::Landscape => {
            let panel_w = s.px(66.0);
            let frame = PxRect {
                x0: margin,
                y0: title_bottom,
                x1: wf - margin - panel_w - gap,
                y1: footer_top - s.px(2.0),
            };
            let panel = PxRect {
                x0: frame.x1 + gap,
                y0: title_bottom,
                x1: wf - margin,
                y1: frame.y1,
            };
            (frame, panel)
        }
        Orientation::Portrait => {
            let panel_h = s.px(62.0);
            let frame = PxRect {
                x0: margin,
                y0: title_bottom,
                x1: wf - margin,
                y1: footer_top - s.px(2.0) - panel_h - gap,
            };
            let panel = PxRect {
                x0: margin,
                y0: frame.y1 + gap,
                x1: wf - margin,
                y1: footer_top - s.px(2.0),
            };
            (frame, panel)
        }
    };
    // Whole pixels, so that the raster lines up with the vector layers.
    let frame = PxRect {
        x0: frame.x0.round(),
        y0: frame.y0.round(),
        x1: frame.x1.round(),
        y1: frame.y1.round(),
    };

    // Fit the extent plus margin.
    let ext = extent_rect(spec);
    let (vw, vh) = (
        ext.width() + 2.0 * spec.margin_m,
        ext.height() + 2.0 * spec.margin_m,
    );
    if !(vw > 0.0 && vh > 0.0) {
        return Err(RenderError::EmptyExtent);
    }
    let scale = (frame.width() / vw).min(frame.height() / vh);
    let centre = ext.center();
    let view = View {
        frame,
        x0: centre.x - frame.width() / 2.0 / scale,
        y0: centre.y + frame.height() / 2.0 / scale,
        scale,
    };

    let mut ops = vec![Op::Background];
    let region = spec.region;

    // Terrain raster or plain land.
    let raster = match spec.dem {
        Some(dem) => {
            let geometry = FrameGeometry {
                width: frame.width() as usize,
                height: frame.height() as usize,
                x0: view.x0,
                y0: view.y0,
                scale,
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
        None => {
            for county in &region.counties {
                fill_multipolygon(&mut ops, &view, &county.shape, style::LAND_FILL);
            }
            None
        }
    };

    // Priority zones.
    let mut zone_kinds: Vec<ZoneKind> = Vec::new();
    if let Some(layer) = spec.zones {
        for kind in ZoneKind::ALL {
            for zone in layer.zones.iter().filter(|z| z.kind == kind) {
                let shape = region
                    .projection
                    .forward_multipolygon(&zone.lonlat)
                    .map_err(|e| RenderError::Project {
                        what: format!("a {} zone", kind.as_str()),
                        source: e,
                    })?;
                if fill_multipolygon(&mut ops, &view, &shape, style::zone_fill(kind))
                    && !zone_kinds.contains(&kind)
                {
                    zone_kinds.push(kind);
                }
            }
        }
    }

    // Filled areas with their own legend entries.
    let mut areas = Vec::new();
    for area in &spec.areas {
        let shape = region
            .projection
            .forward_multipolygon(&area.lonlat)
            .map_err(|e| RenderError::Project {
                what: format!("area {}", area.label),
                source: e,
            })?;
        let (r, g, b, a) = area.rgba;
        let color = plotters::style::RGBColor(r, g, b).mix(a);
        if fill_multipolygon(&mut ops, &view, &shape, color) {
            areas.push((area.label.clone(), color));
        }
    }

    // Grid cells.
    let mut statuses: Vec<CellStatus> = Vec::new();
    if let Some(grid) = spec.grid {
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
                    fill_multipolygon(&mut ops, &view, &land, color);
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
                let shrunk = land.buffer(-(width as f64 / 2.0 + 1.0) / scale);
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
    }

    // Rivers.
    let mut has_rivers = false;
    if let Some(rivers) = spec.rivers {
        for line in &rivers.0 {
            let mut points = Vec::with_capacity(line.0.len());
            for c in &line.0 {
                let Ok((x, y)) = region.projection.forward(c.x, c.y) else {
                    continue;
                };
                let p = px(view.px_of(x, y));
                if points.last() != Some(&p) {
                    points.push(p);
                }
            }
            if points.len() >= 2 && points_visible(&points, &frame) {
                has_rivers = true;
                ops.push(Op::Line {
                    points,
                    color: style::RIVER,
                    width: s.line(0.35),
                });
            }
        }
    }

    // Dim the other counties on a county map.
    let focus = match &spec.extent {
        Extent::County(id) => region.counties.iter().position(|c| &c.id == id),
        _ => None,
    };
    if let Some(f) = focus {
        for (i, county) in region.counties.iter().enumerate() {
            if i != f {
                fill_multipolygon(&mut ops, &view, &county.shape, style::DIM_OUTSIDE);
            }
        }
    }

    // County boundaries, then the region's outline (county rings drawn thicker beneath).
    for county in &region.counties {
        if view.bbox_visible(county.shape.bounding_rect()) {
            for polygon in &county.shape.0 {
                ops.push(Op::Line {
                    points: closed(view.ring(polygon.exterior())),
                    color: style::COUNTY_LINE,
                    width: s.line(0.35),
                });
            }
        }
    }
    if let Some(f) = focus {
        for polygon in &region.counties[f].shape.0 {
            ops.push(Op::Line {
                points: closed(view.ring(polygon.exterior())),
                color: style::REGION_LINE,
                width: s.line(0.7),
            });
        }
    } else {
        let outline = region_outline(region);
        for polygon in &outline.0 {
            ops.push(Op::Line {
                points: closed(view.ring(polygon.exterior())),
                color: style::REGION_LINE,
                width: s.line(0.7),
            });
        }
    }

    // Sites shown, projected.
    let mut shown = Vec::new();
    for site in spec.sites {
        let Some(new) = spec.site_shown(site) else {
            continue;
        };
        let (x, y) =
            region
                .projection
                .forward(site.lon, site.lat)
                .map_err(|e| RenderError::Project {
                    what: format!("site {}", site.id),
                    source: e,
                })?;
        let p = view.px_of(x, y);
        let style_of = if new {
            SymbolStyle::New
        } else {
            match site.status {
                SiteStatus::Existing => SymbolStyle::Solid,
                SiteStatus::Planned if spec.as_of_year.is_some() => SymbolStyle::Solid,
                SiteStatus::Planned => SymbolStyle::Hollow,
                SiteStatus::Retired => SymbolStyle::Retired,
            }
        };
        shown.push((site, p, style_of));
    }

    // Influence discs.
    let mut has_discs = false;
    if let Some(catalog) = spec.influence {
        for (site, p, style_of) in &shown {
            if *style_of == SymbolStyle::Retired {
                continue;
            }
            let radius = catalog.kind(site.kind).influence_radius_m();
            if radius <= 0.0 {
                continue;
            }
            let (_, color) = style::site_symbol(site.kind);
            let r = (radius * scale).round() as i32;
            has_discs = true;
            ops.push(Op::Circle {
                centre: px(*p),
                radius: r,
                color: color.mix(0.7),
                fill: false,
                width: s.line(0.25),
            });
        }
    }

    // Firing sectors.
    let mut sector_labels = Vec::new();
    let mut has_sectors = false;
    for sector in &spec.sectors {
        let shape = region
            .projection
            .forward_multipolygon(&MultiPolygon(vec![sector.lonlat.clone()]))
            .map_err(|e| RenderError::Project {
                what: format!("firing sector {}", sector.label),
                source: e,
            })?;
        if fill_multipolygon(&mut ops, &view, &shape, style::SECTOR_FILL) {
            has_sectors = true;
            for polygon in &shape.0 {
                ops.push(Op::Line {
                    points: closed(view.ring(polygon.exterior())),
                    color: style::SECTOR_LINE,
                    width: s.line(0.3),
                });
            }
            if let Some(c) = shape.centroid() {
                sector_labels.push((sector.label.clone(), view.px_of(c.x(), c.y())));
            }
        }
    }

    // Landmarks and sites: symbols, then labels.
    let mut placer = Placer {
        frame,
        taken: Vec::new(),
    };
    let r = s.symbol();
    let mut landmark_kinds: Vec<LandmarkKind> = Vec::new();
    let mut landmark_points = Vec::new();
    for landmark in spec.landmarks {
        let Ok((x, y)) = region.projection.forward(landmark.lon, landmark.lat) else {
            continue;
        };
        let p = view.px_of(x, y);
        if !frame.contains(&PxRect {
            x0: p.0,
            y0: p.1,
            x1: p.0,
            y1: p.1,
        }) {
            continue;
        }
        let (shape, color) = style::landmark_symbol(landmark.kind);
        let rr = match landmark.kind {
            LandmarkKind::Place => r * 0.9,
            _ => r * 1.1,
        };
        ops.extend(symbol(shape, p, rr, color, SymbolStyle::Solid));
        placer.block(PxRect {
            x0: p.0 - rr,
            y0: p.1 - rr,
            x1: p.0 + rr,
            y1: p.1 + rr,
        });
        if !landmark_kinds.contains(&landmark.kind) {
            landmark_kinds.push(landmark.kind);
        }
        landmark_points.push((landmark, p, rr));
    }
    let mut site_kinds = Vec::new();
    let mut site_styles = Vec::new();
    for (site, p, style_of) in &shown {
        if !frame.contains(&PxRect {
            x0: p.0,
            y0: p.1,
            x1: p.0,
            y1: p.1,
        }) {
            continue;
        }
        let (shape, color) = style::site_symbol(site.kind);
        ops.extend(symbol(shape, *p, r, color, *style_of));
        placer.block(PxRect {
            x0: p.0 - r * 1.4,
            y0: p.1 - r * 1.4,
            x1: p.0 + r * 1.4,
            y1: p.1 + r * 1.4,
        });
        if !site_kinds.contains(&site.kind) {
            site_kinds.push(site.kind);
        }
        if !site_styles.contains(style_of) {
            site_styles.push(*style_of);
        }
    }
    site_kinds.sort();

    // Scale bar and north arrow: drawn last, but their room is taken before the labels.
    let mut furniture = Vec::new();
    let bar = legend::draw_scale_bar(&mut furniture, font, &s, &frame, scale, spec.paper.dpi);
    let north = true_north(spec, &view);
    let arrow = legend::draw_north_arrow(&mut furniture, &s, &frame, north);
    placer.block(bar);
    placer.block(arrow);

    // Labels, most important first: counties, sectors, sites, airports, places.
    for (i, county) in region.counties.iter().enumerate() {
        if focus.is_some_and(|f| f != i) {
            continue;
        }
        let Some(p) = county.shape.interior_point() else {
            continue;
        };
        let at = view.px_of(p.x(), p.y());
        let size = s.county_label();
        let w = font.text_width(&county.name, size);
        let rect = text_rect(at, Anchor::Centre, w, size);
        if frame.contains(&rect) {
            placer.block(rect.grow(2.0));
            halo_text(
                &mut ops,
                font,
                &county.name,
                at,
                Anchor::Centre,
                size,
                style::INK,
            );
        }
    }
    for (label, at) in sector_labels {
        let size = s.label();
        let w = font.text_width(&label, size);
        if let Some((at, anchor)) = placer.place(at, 0.0, w, size) {
            halo_text(&mut ops, font, &label, at, anchor, size, style::SECTOR_LINE);
        }
    }
    for (site, p, style_of) in &shown {
        let year = site
            .year
            .filter(|_| site.status == SiteStatus::Planned || *style_of == SymbolStyle::New);
        let text = match (spec.label_site_ids, year) {
            (true, Some(y)) => format!("{} {y}", site.id),
            (true, None) => site.id.clone(),
            (false, Some(y)) => y.to_string(),
            (false, None) => continue,
        };
        let size = s.label();
        let w = font.text_width(&text, size);
        let (_, color) = style::site_symbol(site.kind);
        if let Some((at, anchor)) = placer.place(*p, r * 1.2, w, size) {
            halo_text(&mut ops, font, &text, at, anchor, size, darker(color));
        }
    }
    for kind in [LandmarkKind::Airport, LandmarkKind::Place] {
        if kind == LandmarkKind::Place && !spec.label_places {
            continue;
        }
        for (landmark, p, rr) in landmark_points.iter().filter(|(l, _, _)| l.kind == kind) {
            let size = if kind == LandmarkKind::Airport {
                s.label()
            } else {
                s.label() * 0.9
            };
            let w = font.text_width(&landmark.name, size);
            if let Some((at, anchor)) = placer.place(*p, *rr, w, size) {
                let color = if kind == LandmarkKind::Airport {
                    style::landmark_symbol(kind).1
                } else {
                    style::GREY_TEXT
                };
                halo_text(&mut ops, font, &landmark.name, at, anchor, size, color);
            }
        }
    }

    // Neatline mask and frame.
    let (w, h) = (wf.round() as i32, hf.round() as i32);
    let f = (
        frame.x0 as i32,
        frame.y0 as i32,
        frame.x1 as i32,
        frame.y1 as i32,
    );
    // Beyond the sheet too, so that no viewer shows what spills past its edge.
    let (lo_x, lo_y, hi_x, hi_y) = (-w, -h, 2 * w, 2 * h);
    for (a, b) in [
        ((lo_x, lo_y), (hi_x, f.1)),
        ((lo_x, f.3), (hi_x, hi_y)),
        ((lo_x, f.1), (f.0, f.3)),
        ((f.2, f.1), (hi_x, f.3)),
    ] {
        ops.push(Op::Rect {
            a,
            b,
            color: style::WHITE,
            fill: true,
            width: 1,
        });
    }
    ops.push(Op::Rect {
        a: (f.0, f.1),
        b: (f.2, f.3),
        color: style::FRAME,
        fill: false,
        width: s.line(0.3),
    });

    // Title and footer; a title too long for the sheet is set smaller (down to 60 %).
    let fit = |text: &str, size: f64| {
        let room = wf - 2.0 * margin;
        let w = font.text_width(text, size);
        if w > room {
            size * (room / w).max(0.6)
        } else {
            size
        }
    };
    ops.push(Op::Text {
        text: spec.title.clone(),
        at: px((margin, margin + s.title() / 2.0)),
        size: fit(&spec.title, s.title()),
        color: style::INK,
        anchor: Anchor::Left,
    });
    if let Some(sub) = &spec.subtitle {
        ops.push(Op::Text {
            text: sub.clone(),
            at: px((margin, margin + s.title() + s.subtitle() * 0.75)),
            size: fit(sub, s.subtitle()),
            color: style::GREY_TEXT,
            anchor: Anchor::Left,
        });
    }
    for (i, line) in note_lines.iter().enumerate() {
        ops.push(Op::Text {
            text: line.clone(),
            at: px((margin, footer_top + (i as f64 + 0.5) * s.note() * 1.3)),
            size: s.note(),
            color: style::GREY_TEXT,
            anchor: Anchor::Left,
        });
    }

    // Legend, scale bar, north arrow.
    let contents = legend::Contents {
        grid_km: spec.grid.map(|g| g.spec.cell_size_m / 1000.0),
        statuses,
        zone_kinds,
        areas,
        site_kinds,
        site_styles,
        as_of_year: spec.as_of_year,
        discs: has_discs,
        sectors: has_sectors,
        rivers: has_rivers,
        landmark_kinds,
        hillshade: raster.is_some(),
        county_map: focus.is_some(),
    };
    legend::draw_legend(&mut ops, font, &s, &panel, &contents);
    ops.extend(furniture);

    Ok(Scene {
        width,
        height,
        size_mm,
        frame,
        raster,
        ops,
    })
}

#[cfg(test)]
#[path = "scene_tests.rs"]
mod tests;
