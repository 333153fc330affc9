//! From a [`MapSpec`] to a display list: sheet layout, the metres-to-pixels transform and every
//! map layer as [`Op`]s, in drawing order.
//!
//! Layout (sizes in mm on paper): a title band on top, a footer with the data-source note,
//! the map frame, and a legend panel to its right (landscape) or below it (portrait). The
//! extent plus its margin is fitted into the frame at one scale for x and y, so distances are
//! true in the projected CRS and the scale bar is exact (up to the projection's own scale
//! factor, within 0.1 % for UTM near the central meridian).
//!
//! Layers are drawn bottom-up ([`super::layers`], one function each): terrain (a raster, see
//! [`super::hillshade`]) or a plain land fill, priority zones, grid cells by status, rivers,
//! the dimming of other counties on a county map, county boundaries, influence discs, firing
//! sectors; then landmarks, sites and labels ([`super::marks`]).
//! Features reaching outside the frame are drawn whole and covered by white margins (a
//! neatline mask); features wholly outside are skipped. Labels are placed greedily, in order of
//! importance, at the first of four positions that overlaps nothing already placed.
//!
//! Cost: linear in the vertices of the drawn geometry plus the terrain raster; consecutive
//! vertices that fall on the same pixel are merged.

use geo::{BoundingRect, Rect};

use super::RenderError;
use super::font::MapFont;
use super::hillshade::Raster;
use super::map::{Extent, MapSpec};
use super::ops::{Anchor, Op, px};
use super::paper::Orientation;
use super::style::{self, Sizes, words};
use super::{layers, legend, marks};

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

/// The sheet's parts in pixels: the map frame, the legend panel, and the footer's wrapped
/// data-source lines with their top.
struct Layout {
    margin: f64,
    frame: PxRect,
    panel: PxRect,
    note_lines: Vec<String>,
    footer_top: f64,
}

/// Title band on top, footer with the data-source note, the frame, and the legend panel to
/// its right (landscape) or below it (portrait).
fn layout(spec: &MapSpec, font: &MapFont, s: &Sizes, (wf, hf): (f64, f64)) -> Layout {
    let margin = s.px(8.0);
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
    Layout {
        margin,
        frame,
        panel,
        note_lines,
        footer_top,
    }
}

/// The extent plus its margin fitted into the frame at one scale for x and y.
fn fit_view(spec: &MapSpec, frame: PxRect) -> Result<View, RenderError> {
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
    Ok(View {
        frame,
        x0: centre.x - frame.width() / 2.0 / scale,
        y0: centre.y + frame.height() / 2.0 / scale,
        scale,
    })
}

/// White margins around the frame (beyond the sheet too, so that no viewer shows what spills
/// past its edge) and the frame line.
fn neatline(frame: &PxRect, (wf, hf): (f64, f64), s: &Sizes, ops: &mut Vec<Op>) {
    let (w, h) = (wf.round() as i32, hf.round() as i32);
    let f = (
        frame.x0 as i32,
        frame.y0 as i32,
        frame.x1 as i32,
        frame.y1 as i32,
    );
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
}

/// Title, subtitle and the footer's note lines; a title too long for the sheet is set smaller
/// (down to 60 %).
fn title_and_footer(
    spec: &MapSpec,
    font: &MapFont,
    s: &Sizes,
    layout: &Layout,
    wf: f64,
    ops: &mut Vec<Op>,
) {
    let margin = layout.margin;
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
    for (i, line) in layout.note_lines.iter().enumerate() {
        ops.push(Op::Text {
            text: line.clone(),
            at: px((
                margin,
                layout.footer_top + (i as f64 + 0.5) * s.note() * 1.3,
            )),
            size: s.note(),
            color: style::GREY_TEXT,
            anchor: Anchor::Left,
        });
    }
}

/// Builds the display list of a map; `font` measures the labels.
pub fn build(spec: &MapSpec, font: &MapFont) -> Result<Scene, RenderError> {
    spec.validate()?;
    let (width, height) = spec.paper.pixel_size();
    let sheet = (width as f64, height as f64);
    let s = Sizes::new(spec.paper.dpi);
    let layout = layout(spec, font, &s, sheet);
    let frame = layout.frame;
    let view = fit_view(spec, frame)?;
    let focus = match &spec.extent {
        Extent::County(id) => spec.region.counties.iter().position(|c| &c.id == id),
        _ => None,
    };

    let mut ops = vec![Op::Background];
    let raster = layers::terrain_or_land(spec, &view, &mut ops);
    let share_classes = layers::county_shares(spec, &view, &mut ops);
    let zone_kinds = layers::zones(spec, &view, &mut ops)?;
    let areas = layers::areas(spec, &view, &mut ops)?;
    let statuses = layers::grid_cells(spec, &view, &s, &mut ops);
    let rivers = layers::rivers(spec, &view, &s, &mut ops);
    layers::dim_outside(spec, &view, focus, &mut ops);
    layers::county_lines(spec, &view, &s, &mut ops);
    let unit_outlines = layers::unit_borders(spec, &view, &s, &mut ops);
    layers::outline(spec, &view, &s, focus, &mut ops);
    let shown = marks::shown_sites(spec, &view)?;
    let discs = layers::influence_discs(spec, &view, &s, &shown, &mut ops);
    let (sectors, sector_labels) = layers::firing_sectors(spec, &view, &s, &mut ops)?;

    let mut placer = Placer {
        frame,
        taken: Vec::new(),
    };
    let (landmark_kinds, landmarks) =
        marks::landmark_symbols(spec, &view, &s, &mut placer, &mut ops);
    let (site_kinds, site_styles) = marks::site_symbols(&view, &s, &shown, &mut placer, &mut ops);

    // Scale bar and north arrow: drawn last, but their room is taken before the labels.
    let mut furniture = Vec::new();
    let bar = legend::draw_scale_bar(&mut furniture, font, &s, &frame, view.scale, spec.paper.dpi);
    let north = true_north(spec, &view);
    let arrow = legend::draw_north_arrow(&mut furniture, &s, &frame, north);
    placer.block(bar);
    placer.block(arrow);

    let count_kinds = if spec.county_summary.is_some() {
        let kinds =
            marks::county_summaries(spec, &view, &s, font, &unit_outlines, &mut placer, &mut ops);
        if spec
            .county_summary
            .as_ref()
            .is_some_and(|c| !c.blocks_per_unit)
        {
            marks::unit_names(&view, &s, font, &unit_outlines, &mut placer, &mut ops);
        }
        kinds
    } else {
        marks::county_labels(spec, &view, &s, font, focus, &mut placer, &mut ops);
        Vec::new()
    };
    marks::point_labels(
        spec,
        &s,
        font,
        sector_labels,
        &shown,
        &landmarks,
        &mut placer,
        &mut ops,
    );

    neatline(&frame, sheet, &s, &mut ops);
    title_and_footer(spec, font, &s, &layout, sheet.0, &mut ops);
    let contents = legend::Contents {
        grid_km: spec.grid.map(|g| g.spec.cell_size_m / 1000.0),
        statuses,
        zone_kinds,
        areas,
        site_kinds,
        site_styles,
        as_of_year: spec.as_of_year,
        discs,
        sectors,
        rivers,
        landmark_kinds,
        hillshade: raster.is_some(),
        county_map: focus.is_some(),
        region_boundary: crate::region::RegionScope::of(spec.region).boundary_label(),
        share_classes,
        share_as_of: spec.county_summary.as_ref().map(|c| c.as_of.clone()),
        count_kinds,
        unit_boundary: spec
            .county_summary
            .as_ref()
            .filter(|_| !unit_outlines.is_empty())
            .map(|c| c.unit_boundary.clone()),
    };
    legend::draw_legend(&mut ops, font, &s, &layout.panel, &contents);
    ops.extend(furniture);

    Ok(Scene {
        width,
        height,
        size_mm: spec.paper.size_mm(),
        frame,
        raster,
        ops,
    })
}

#[cfg(test)]
#[path = "scene_tests.rs"]
mod tests;
