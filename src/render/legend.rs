//! Map furniture: the legend (only for layers that are on the map), the scale bar and the
//! north arrow.
//!
//! The legend flows top-down through the panel and wraps into further columns when it reaches
//! the bottom (the wide, low panel of a portrait sheet). The scale bar has a "nice" length
//! (1, 2 or 5 x 10^k km) near a fifth of the frame width and states the representative
//! fraction at the sheet's dpi; the north arrow points to true north, turned from the grid's
//! up direction by the meridian convergence.

use plotters::style::{Color, RGBAColor};

use super::font::MapFont;
use super::map::CellStatus;
use super::ops::{Anchor, Op, SymbolStyle, px, symbol};
use super::sheet::PxRect;
use super::style::{self, Shape, Sizes, words};
use crate::region::LandmarkKind;
use crate::sites::{SiteKind, SiteStatus};
use crate::zones::ZoneKind;

/// What the map shows, so that the legend lists exactly that.
#[derive(Debug, Clone, Default)]
pub(crate) struct Contents {
    pub grid_km: Option<f64>,
    pub statuses: Vec<CellStatus>,
    pub zone_kinds: Vec<ZoneKind>,
    pub areas: Vec<(String, RGBAColor)>,
    pub site_kinds: Vec<SiteKind>,
    pub site_styles: Vec<SymbolStyle>,
    pub as_of_year: Option<i32>,
    pub discs: bool,
    pub sectors: bool,
    pub rivers: bool,
    pub landmark_kinds: Vec<LandmarkKind>,
    pub hillshade: bool,
    pub county_map: bool,
    /// The region's outline, e.g. `市界 city boundary` or `省界 province boundary`.
    pub region_boundary: &'static str,
    /// Share classes of a county choropleth (indices into `style::SHARE_CLASSES`).
    pub share_classes: Vec<usize>,
    /// When the choropleth's shares hold.
    pub share_as_of: Option<String>,
    /// Kinds counted per county on an overview of many counties.
    pub count_kinds: Vec<SiteKind>,
    /// The border of the overview's cities (or provinces), when drawn.
    pub unit_boundary: Option<String>,
}

enum Swatch {
    Fill(RGBAColor),
    Cell(Option<RGBAColor>, Option<RGBAColor>),
    Line(RGBAColor, f64),
    Symbol(Shape, RGBAColor, SymbolStyle),
    Disc(RGBAColor),
    Sector,
    Hillshade,
}

enum Item {
    Heading(String),
    Entry(Swatch, String),
}

fn items(c: &Contents) -> Vec<Item> {
    let mut items = vec![];
    if let Some(km) = c.grid_km {
        items.push(Item::Heading(format!("{} {km} {}", words::GRID, words::KM)));
        for status in &c.statuses {
            let (fill, line) = style::cell_colors(*status, !c.zone_kinds.is_empty());
            items.push(Item::Entry(
                Swatch::Cell(fill, line),
                style::cell_label(*status).into(),
            ));
        }
    }
    if !c.zone_kinds.is_empty() {
        items.push(Item::Heading(words::ZONES.into()));
        for kind in &c.zone_kinds {
            items.push(Item::Entry(
                Swatch::Fill(style::zone_fill(*kind)),
                format!("{} {}", kind.chinese(), kind.as_str().replace('_', " ")),
            ));
        }
    }
    for (label, color) in &c.areas {
        items.push(Item::Entry(Swatch::Fill(*color), label.clone()));
    }
    if !c.share_classes.is_empty() {
        // The year on its own line: the heading alone nearly fills a landscape legend.
        items.push(Item::Heading(words::SHARE.to_string()));
        if let Some(when) = &c.share_as_of {
            items.push(Item::Heading(format!("({when})")));
        }
        for &class in c.share_classes.iter().rev() {
            items.push(Item::Entry(
                Swatch::Fill(style::share_fill(class)),
                style::SHARE_CLASSES[class].0.into(),
            ));
        }
    }
    if !c.count_kinds.is_empty() {
        items.push(Item::Heading(words::COUNTS.into()));
        for kind in &c.count_kinds {
            let (shape, color) = style::site_symbol(*kind);
            items.push(Item::Entry(
                Swatch::Symbol(shape, color, SymbolStyle::Solid),
                format!("{} (数量 count)", kind.chinese()),
            ));
        }
    }
    if !c.site_kinds.is_empty() {
        items.push(Item::Heading(words::SITES.into()));
        for kind in &c.site_kinds {
            let (shape, color) = style::site_symbol(*kind);
            items.push(Item::Entry(
                Swatch::Symbol(shape, color, SymbolStyle::Solid),
                kind.chinese().into(),
            ));
        }
        let neutral = style::rgb(90, 90, 90);
        let mut styles = c.site_styles.clone();
        styles.sort_by_key(|s| *s as u8);
        for st in styles {
            let label = match (st, c.as_of_year) {
                (SymbolStyle::Solid, Some(_)) => words::BUILT.to_string(),
                (SymbolStyle::Solid, None) => style::site_status_label(SiteStatus::Existing).into(),
                (SymbolStyle::Hollow, _) => style::site_status_label(SiteStatus::Planned).into(),
                (SymbolStyle::New, _) => words::NEW_IN_YEAR.to_string(),
                (SymbolStyle::Retired, _) => style::site_status_label(SiteStatus::Retired).into(),
            };
            items.push(Item::Entry(
                Swatch::Symbol(Shape::Circle, neutral, st),
                label,
            ));
        }
    }
    items.push(Item::Heading(words::BASE.into()));
    if c.discs {
        items.push(Item::Entry(
            Swatch::Disc(style::rgb(200, 30, 30)),
            words::INFLUENCE.into(),
        ));
    }
    if c.sectors {
        items.push(Item::Entry(Swatch::Sector, words::SECTOR.into()));
    }
    if c.county_map {
        items.push(Item::Entry(
            Swatch::Line(style::REGION_LINE, 0.7),
            words::THIS_COUNTY.into(),
        ));
    } else {
        items.push(Item::Entry(
            Swatch::Line(style::REGION_LINE, 0.7),
            c.region_boundary.into(),
        ));
    }
    if let Some(label) = &c.unit_boundary {
        items.push(Item::Entry(
            Swatch::Line(style::UNIT_LINE, 0.55),
            label.clone(),
        ));
    }
    items.push(Item::Entry(
        Swatch::Line(style::COUNTY_LINE, 0.35),
        words::COUNTY_BOUNDARY.into(),
    ));
    if c.rivers {
        items.push(Item::Entry(
            Swatch::Line(style::RIVER, 0.35),
            words::RIVER.into(),
        ));
    }
    for kind in [
        LandmarkKind::CountySeat,
        LandmarkKind::Airport,
        LandmarkKind::Place,
    ] {
        if c.landmark_kinds.contains(&kind) {
            let (shape, color) = style::landmark_symbol(kind);
            items.push(Item::Entry(
                Swatch::Symbol(shape, color, SymbolStyle::Solid),
                style::landmark_label(kind).into(),
            ));
        }
    }
    if c.hillshade {
        items.push(Item::Entry(Swatch::Hillshade, words::HILLSHADE.into()));
    }
    items
}

/// Draws the legend into the panel.
pub(crate) fn draw_legend(
    ops: &mut Vec<Op>,
    font: &MapFont,
    s: &Sizes,
    panel: &PxRect,
    c: &Contents,
) {
    let items = items(c);
    let size = s.legend();
    let row = size * 1.55;
    let swatch_w = size * 1.7;
    let text_x = swatch_w + size * 0.6;
    let col_w = items
        .iter()
        .map(|item| match item {
            Item::Heading(t) => font.text_width(t, size),
            Item::Entry(_, t) => text_x + font.text_width(t, size),
        })
        .fold(0.0, f64::max)
        + size * 1.5;
    let col_w = col_w.min(panel.width());

    ops.push(Op::Text {
        text: words::LEGEND.into(),
        at: px((panel.x0, panel.y0 + s.heading() / 2.0)),
        size: s.heading(),
        color: style::INK,
        anchor: Anchor::Left,
    });
    let top = panel.y0 + s.heading() * 1.6;
    let (mut x, mut y) = (panel.x0, top);
    for (i, item) in items.iter().enumerate() {
        let h = match item {
            Item::Heading(_) if i > 0 => row * 1.25,
            _ => row,
        };
        // A heading moves to the next column with its first entry.
        let needed = match item {
            Item::Heading(_) => h + row,
            Item::Entry(..) => h,
        };
        if y + needed > panel.y1 && y > top {
            x += col_w;
            y = top;
        }
        if x + col_w > panel.x1 + 1.0 && x > panel.x0 {
            break;
        }
        let cy = y + h - row / 2.0;
        match item {
            Item::Heading(text) => ops.push(Op::Text {
                text: text.clone(),
                at: px((x, cy)),
                size,
                color: style::GREY_TEXT,
                anchor: Anchor::Left,
            }),
            Item::Entry(swatch, text) => {
                draw_swatch(
                    ops,
                    s,
                    swatch,
                    (x, cy - size * 0.45),
                    (x + swatch_w, cy + size * 0.45),
                );
                ops.push(Op::Text {
                    text: text.clone(),
                    at: px((x + text_x, cy)),
                    size,
                    color: style::INK,
                    anchor: Anchor::Left,
                });
            }
        }
        y += h;
    }
}

fn draw_swatch(ops: &mut Vec<Op>, s: &Sizes, swatch: &Swatch, a: (f64, f64), b: (f64, f64)) {
    let centre = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    let rect = |ops: &mut Vec<Op>, color: RGBAColor, fill: bool, width: u32| {
        ops.push(Op::Rect {
            a: px(a),
            b: px(b),
            color,
            fill,
            width,
        })
    };
    match swatch {
        Swatch::Fill(color) => {
            rect(ops, style::LAND_FILL, true, 1);
            rect(ops, *color, true, 1);
        }
        Swatch::Cell(fill, line) => {
            rect(ops, style::LAND_FILL, true, 1);
            if let Some(color) = fill {
                rect(ops, *color, true, 1);
            }
            rect(ops, style::CELL_LINE, false, s.line(0.2));
            if let Some(color) = line {
                let d = s.line(0.4) as f64;
                ops.push(Op::Rect {
                    a: px((a.0 + d, a.1 + d)),
                    b: px((b.0 - d, b.1 - d)),
                    color: *color,
                    fill: false,
                    width: s.line(0.4),
                });
            }
        }
        Swatch::Line(color, mm) => ops.push(Op::Line {
            points: vec![px((a.0, centre.1)), px((b.0, centre.1))],
            color: *color,
            width: s.line(*mm),
        }),
        Swatch::Symbol(shape, color, st) => {
            ops.extend(symbol(*shape, centre, s.symbol(), *color, *st));
        }
        Swatch::Disc(color) => {
            let r = (b.1 - a.1) * 0.62;
            ops.push(Op::Circle {
                centre: px(centre),
                radius: r.round() as i32,
                color: color.mix(0.7),
                fill: false,
                width: s.line(0.25),
            });
        }
        Swatch::Sector => {
            let points = vec![px((a.0, b.1)), px((b.0, a.1)), px((b.0, b.1))];
            ops.push(Op::Fill {
                points: points.clone(),
                color: style::SECTOR_FILL,
            });
            let mut closed = points.clone();
            closed.push(points[0]);
            ops.push(Op::Line {
                points: closed,
                color: style::SECTOR_LINE,
                width: s.line(0.3),
            });
        }
        Swatch::Hillshade => {
            let shades = [(200u8, 0.0), (232, 0.33), (246, 0.66)];
            let w = b.0 - a.0;
            for (i, (v, t)) in shades.iter().enumerate() {
                let x0 = a.0 + t * w;
                let x1 = if i == 2 {
                    b.0
                } else {
                    a.0 + shades[i + 1].1 * w
                };
                ops.push(Op::Rect {
                    a: px((x0, a.1)),
                    b: px((x1, b.1)),
                    color: style::rgb(*v, (*v as f64 * 0.985) as u8, (*v as f64 * 0.945) as u8),
                    fill: true,
                    width: 1,
                });
            }
            rect(ops, style::CELL_LINE, false, 1);
        }
    }
}

/// A "nice" length (1, 2 or 5 x 10^k) not above `max`.
pub(crate) fn nice_length(max: f64) -> f64 {
    let e = max.log10().floor();
    let base = 10f64.powf(e);
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * base)
        .find(|&l| l <= max)
        .unwrap_or(base)
}

/// Groups the digits of a whole number in threes with spaces: 600000 -> "600 000".
pub(crate) fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

/// The scale denominator at `scale` pixels per metre and `dpi`, to 2 significant digits.
pub(crate) fn scale_denominator(scale: f64, dpi: f64) -> u64 {
    let exact = dpi / (0.0254 * scale);
    let magnitude = 10f64.powf(exact.log10().floor() - 1.0);
    ((exact / magnitude).round() * magnitude) as u64
}

/// Draws the scale bar in the frame's lower-left corner.
pub(crate) fn draw_scale_bar(
    ops: &mut Vec<Op>,
    font: &MapFont,
    s: &Sizes,
    frame: &PxRect,
    scale: f64,
    dpi: f64,
) -> PxRect {
    let km = nice_length(frame.width() * 0.22 / scale / 1000.0);
    let len = km * 1000.0 * scale;
    let size = s.label();
    let bar_h = s.px(1.4);
    let pad = s.px(2.0);
    let x0 = frame.x0 + s.px(4.0);
    let y_bottom = frame.y1 - s.px(4.0);
    let title = format!(
        "{} 1:{}",
        words::SCALE,
        group_digits(scale_denominator(scale, dpi))
    );
    let end_label = format!("{} {}", fmt_km(km), words::KM);
    let box_w = (len + font.text_width(&end_label, size) / 2.0).max(font.text_width(&title, size))
        + 2.0 * pad;
    let box_h = size * 2.6 + bar_h + 2.0 * pad;
    ops.push(Op::Rect {
        a: px((x0 - pad, y_bottom - box_h)),
        b: px((x0 - pad + box_w, y_bottom)),
        color: style::PANEL_BOX,
        fill: true,
        width: 1,
    });
    let title_y = y_bottom - box_h + pad + size / 2.0;
    ops.push(Op::Text {
        text: title,
        at: px((x0, title_y)),
        size,
        color: style::INK,
        anchor: Anchor::Left,
    });
    let bar_y0 = title_y + size * 0.8;
    let segments = 4;
    for i in 0..segments {
        let a = (x0 + len * i as f64 / segments as f64, bar_y0);
        let b = (x0 + len * (i + 1) as f64 / segments as f64, bar_y0 + bar_h);
        let color = if i % 2 == 0 { style::INK } else { style::WHITE };
        ops.push(Op::Rect {
            a: px(a),
            b: px(b),
            color,
            fill: true,
            width: 1,
        });
    }
    ops.push(Op::Rect {
        a: px((x0, bar_y0)),
        b: px((x0 + len, bar_y0 + bar_h)),
        color: style::INK,
        fill: false,
        width: 1,
    });
    let label_y = bar_y0 + bar_h + size * 0.75;
    for (t, text) in [
        (0.0, "0".to_string()),
        (0.5, fmt_km(km / 2.0)),
        (1.0, end_label),
    ] {
        ops.push(Op::Text {
            text,
            at: px((x0 + len * t, label_y)),
            size,
            color: style::INK,
            anchor: Anchor::Centre,
        });
    }
    PxRect {
        x0: x0 - pad,
        y0: y_bottom - box_h,
        x1: x0 - pad + box_w,
        y1: y_bottom,
    }
}

fn fmt_km(km: f64) -> String {
    if (km - km.round()).abs() < 1e-9 {
        format!("{}", km.round() as i64)
    } else {
        format!("{km}")
    }
}

/// Draws a north arrow in the frame's upper-right corner, turned by `angle` radians
/// (clockwise) to true north.
pub(crate) fn draw_north_arrow(ops: &mut Vec<Op>, s: &Sizes, frame: &PxRect, angle: f64) -> PxRect {
    let r = s.px(5.0);
    let c = (frame.x1 - s.px(9.0), frame.y0 + s.px(11.0));
    ops.push(Op::Circle {
        centre: px(c),
        radius: (r * 1.55).round() as i32,
        color: style::PANEL_BOX,
        fill: true,
        width: 1,
    });
    let (sin, cos) = angle.sin_cos();
    // Rotate a point given relative to the centre with "up" = negative y.
    let rot = |dx: f64, dy: f64| px((c.0 + dx * cos - dy * sin, c.1 + dx * sin + dy * cos));
    let tip = rot(0.0, -r);
    let tail = rot(0.0, r * 0.55);
    let left = rot(-r * 0.45, r * 0.75);
    let right = rot(r * 0.45, r * 0.75);
    ops.push(Op::Fill {
        points: vec![tip, tail, left],
        color: style::WHITE,
    });
    ops.push(Op::Fill {
        points: vec![tip, right, tail],
        color: style::INK,
    });
    ops.push(Op::Line {
        points: vec![tip, right, tail, left, tip],
        color: style::INK,
        width: s.line(0.2),
    });
    let n_at = rot(0.0, -r * 1.28);
    ops.push(Op::Text {
        text: words::NORTH.into(),
        at: n_at,
        size: s.legend(),
        color: style::INK,
        anchor: Anchor::Centre,
    });
    PxRect {
        x0: c.0 - r * 1.6,
        y0: c.1 - r * 1.6,
        x1: c.0 + r * 1.6,
        y1: c.1 + r * 1.6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_lengths() {
        assert_eq!(nice_length(27.0), 20.0);
        assert_eq!(nice_length(9.9), 5.0);
        assert_eq!(nice_length(1.0), 1.0);
        assert_eq!(nice_length(0.3), 0.2);
    }

    #[test]
    fn representative_fraction() {
        // 150 dpi, 90 m per pixel: one pixel is 0.169 mm on paper, so 1:531 000 -> 1:530 000.
        assert_eq!(scale_denominator(1.0 / 90.0, 150.0), 530_000);
        assert_eq!(group_digits(530_000), "530 000");
        assert_eq!(group_digits(1_250), "1 250");
    }
}
