//! Drawing operations in sheet pixels, and the point symbols built from them.
//!
//! A map is first turned into a list of [`Op`]s (a display list) and only then drawn by
//! plotters onto the PNG or the SVG backend, so both outputs get the same geometry and the
//! text can be checked against the font before anything is drawn. Symbols are polygons and
//! circles around a centre with a radius in pixels.

use plotters::style::RGBAColor;

use super::style::{INK, Shape, WHITE, rgb};

/// A point in sheet pixels (x right, y down).
pub type Px = (i32, i32);

/// Horizontal alignment of text at its anchor point (vertically it is centred).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Text starts at the point.
    Left,
    /// Text is centred on the point.
    Centre,
    /// Text ends at the point.
    Right,
}

/// One drawing operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// The white sheet; in SVG the terrain image follows it.
    Background,
    /// A filled polygon (holes joined by zero-width bridges, opposite orientation).
    Fill {
        /// The ring, not closed.
        points: Vec<Px>,
        /// Fill colour.
        color: RGBAColor,
    },
    /// A polyline.
    Line {
        /// The vertices.
        points: Vec<Px>,
        /// Stroke colour.
        color: RGBAColor,
        /// Stroke width, pixels.
        width: u32,
    },
    /// A circle.
    Circle {
        /// Centre.
        centre: Px,
        /// Radius, pixels.
        radius: i32,
        /// Colour.
        color: RGBAColor,
        /// Filled, else outlined.
        fill: bool,
        /// Outline width, pixels.
        width: u32,
    },
    /// An axis-aligned rectangle between two corners.
    Rect {
        /// One corner.
        a: Px,
        /// The opposite corner.
        b: Px,
        /// Colour.
        color: RGBAColor,
        /// Filled, else outlined.
        fill: bool,
        /// Outline width, pixels.
        width: u32,
    },
    /// A line of text, vertically centred on `at`.
    Text {
        /// The text.
        text: String,
        /// The anchor point.
        at: Px,
        /// Font size (pixel height from descender to ascender).
        size: f64,
        /// Colour.
        color: RGBAColor,
        /// Horizontal alignment.
        anchor: Anchor,
    },
}

/// Rounds a float pixel position.
pub fn px(p: (f64, f64)) -> Px {
    (p.0.round() as i32, p.1.round() as i32)
}

/// How a symbol is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolStyle {
    /// Filled in its colour with a dark outline (existing).
    Solid,
    /// White inside, outlined in its colour (planned).
    Hollow,
    /// Solid with a ring around it (built in the year shown).
    New,
    /// Grey (retired).
    Retired,
}

fn star_points(c: (f64, f64), outer: f64, inner: f64, n: usize, phase_deg: f64) -> Vec<Px> {
    (0..2 * n)
        .map(|k| {
            let r = if k % 2 == 0 { outer } else { inner };
            let a = (phase_deg + k as f64 * 180.0 / n as f64).to_radians();
            px((c.0 + r * a.cos(), c.1 + r * a.sin()))
        })
        .collect()
}

/// The operations drawing a symbol centred at `c` with radius `r` pixels.
pub fn symbol(
    shape: Shape,
    c: (f64, f64),
    r: f64,
    color: RGBAColor,
    style: SymbolStyle,
) -> Vec<Op> {
    let (fill, line, line_width) = match style {
        SymbolStyle::Solid | SymbolStyle::New => (color, INK, 1),
        SymbolStyle::Hollow => (WHITE, color, 2),
        SymbolStyle::Retired => (rgb(175, 175, 175), rgb(110, 110, 110), 1),
    };
    let width = ((r / 5.0).round() as u32).max(line_width);
    let polygon = |points: Vec<Px>| {
        let mut closed = points.clone();
        closed.push(points[0]);
        vec![
            Op::Fill {
                points,
                color: fill,
            },
            Op::Line {
                points: closed,
                color: line,
                width,
            },
        ]
    };
    let circle = |radius: f64, color: RGBAColor, fill: bool, width: u32| Op::Circle {
        centre: px(c),
        radius: radius.round().max(1.0) as i32,
        color,
        fill,
        width,
    };
    let mut ops = match shape {
        Shape::Triangle => polygon(
            (0..3)
                .map(|k| {
                    let a = (-90.0 + 120.0 * k as f64).to_radians();
                    px((c.0 + 1.35 * r * a.cos(), c.1 + 1.35 * r * a.sin() + 0.2 * r))
                })
                .collect(),
        ),
        Shape::Square => polygon(vec![
            px((c.0 - 0.9 * r, c.1 - 0.9 * r)),
            px((c.0 + 0.9 * r, c.1 - 0.9 * r)),
            px((c.0 + 0.9 * r, c.1 + 0.9 * r)),
            px((c.0 - 0.9 * r, c.1 + 0.9 * r)),
        ]),
        Shape::Diamond => polygon(vec![
            px((c.0, c.1 - 1.3 * r)),
            px((c.0 + 1.0 * r, c.1)),
            px((c.0, c.1 + 1.3 * r)),
            px((c.0 - 1.0 * r, c.1)),
        ]),
        Shape::Star => polygon(star_points(c, 1.45 * r, 0.62 * r, 5, -90.0)),
        Shape::Circle => vec![circle(r, fill, true, 1), circle(r, line, false, width)],
        Shape::CircleCross => vec![
            circle(r, WHITE, true, 1),
            circle(r, color, false, width.max(2)),
            Op::Line {
                points: vec![px((c.0 - r, c.1)), px((c.0 + r, c.1))],
                color,
                width,
            },
            Op::Line {
                points: vec![px((c.0, c.1 - r)), px((c.0, c.1 + r))],
                color,
                width,
            },
        ],
        // The county seat's inverse (a filled disc, a white centre, a white ring inside), so
        // that the radar cannot be taken for a county seat, in colour or in grey.
        Shape::Radar => vec![
            circle(1.15 * r, color, true, 1),
            circle(0.7 * r, WHITE, false, width.max(2)),
            circle(0.3 * r, WHITE, true, 1),
        ],
        Shape::Airport => vec![
            circle(r, color, true, 1),
            Op::Line {
                points: vec![px((c.0 - 0.75 * r, c.1)), px((c.0 + 0.75 * r, c.1))],
                color: WHITE,
                width: width.max(2),
            },
            Op::Line {
                points: vec![px((c.0, c.1 - 0.75 * r)), px((c.0, c.1 + 0.75 * r))],
                color: WHITE,
                width: width.max(2),
            },
        ],
        Shape::CountySeat => vec![
            circle(r, WHITE, true, 1),
            circle(r, color, false, width.max(2)),
            circle(0.42 * r, color, true, 1),
        ],
        Shape::Dot => vec![circle(0.5 * r, color, true, 1)],
    };
    if style == SymbolStyle::New {
        ops.push(circle(1.8 * r, color, false, 2));
    }
    ops
}
