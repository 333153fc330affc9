//! Sheet geometry shared by the map layers: pixel rectangles, the metres-to-pixels view,
//! label placement without overlap, text wrapping and halo text, and the small polygon helpers
//! (closing rings, visibility in the frame, filling a multipolygon).

use geo::{BoundingRect, LineString, MultiPolygon, Polygon, Rect};

use super::font::MapFont;
use super::map::MapSpec;
use super::ops::{Anchor, Op, Px, px};
use super::style;

/// A rectangle in sheet pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PxRect {
    /// Left.
    pub x0: f64,
    /// Top.
    pub y0: f64,
    /// Right.
    pub x1: f64,
    /// Bottom.
    pub y1: f64,
}

impl PxRect {
    /// Width.
    pub fn width(&self) -> f64 {
        self.x1 - self.x0
    }
    /// Height.
    pub fn height(&self) -> f64 {
        self.y1 - self.y0
    }
    /// Whether two rectangles overlap (touching is not overlapping).
    pub fn overlaps(&self, o: &PxRect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
    /// Whether `o` lies wholly inside.
    pub fn contains(&self, o: &PxRect) -> bool {
        o.x0 >= self.x0 && o.x1 <= self.x1 && o.y0 >= self.y0 && o.y1 <= self.y1
    }
    /// The rectangle grown by `d` on every side.
    pub fn grow(&self, d: f64) -> PxRect {
        PxRect {
            x0: self.x0 - d,
            y0: self.y0 - d,
            x1: self.x1 + d,
            y1: self.y1 + d,
        }
    }
}

/// A map ready to draw.
/// The metres-to-pixels transform of the frame.
#[derive(Debug, Clone, Copy)]
pub(crate) struct View {
    pub frame: PxRect,
    /// Easting at the frame's left edge.
    pub x0: f64,
    /// Northing at the frame's top edge.
    pub y0: f64,
    /// Pixels per metre.
    pub scale: f64,
}

impl View {
    pub fn px_of(&self, x: f64, y: f64) -> (f64, f64) {
        (
            self.frame.x0 + (x - self.x0) * self.scale,
            self.frame.y0 + (self.y0 - y) * self.scale,
        )
    }

    /// A ring in pixels with consecutive duplicates (after rounding) removed.
    pub(crate) fn ring(&self, ring: &LineString<f64>) -> Vec<Px> {
        let mut out: Vec<Px> = Vec::with_capacity(ring.0.len());
        for c in &ring.0 {
            let p = px(self.px_of(c.x, c.y));
            if out.last() != Some(&p) {
                out.push(p);
            }
        }
        out
    }

    pub(crate) fn bbox_visible(&self, rect: Option<Rect<f64>>) -> bool {
        let Some(r) = rect else { return false };
        let (ax, ay) = self.px_of(r.min().x, r.max().y);
        let (bx, by) = self.px_of(r.max().x, r.min().y);
        PxRect {
            x0: ax,
            y0: ay,
            x1: bx,
            y1: by,
        }
        .overlaps(&self.frame.grow(2.0))
    }

    /// A polygon as one fill ring: holes joined to the exterior's first vertex by zero-width
    /// bridges and turned against the exterior, so both even-odd and non-zero filling leave
    /// them empty.
    pub fn fill_ring(&self, polygon: &Polygon<f64>) -> Option<Vec<Px>> {
        let mut exterior = self.ring(polygon.exterior());
        if exterior.len() > 1 && exterior.first() == exterior.last() {
            exterior.pop();
        }
        if exterior.len() < 3 {
            return None;
        }
        let sign = signed_area(&exterior).signum();
        let anchor = exterior[0];
        let mut points = vec![anchor];
        for hole in polygon.interiors() {
            let mut h = self.ring(hole);
            if h.len() > 1 && h.first() == h.last() {
                h.pop();
            }
            if h.len() < 3 {
                continue;
            }
            if signed_area(&h).signum() == sign {
                h.reverse();
            }
            points.extend(h.iter().copied());
            points.push(h[0]);
            points.push(anchor);
        }
        points.extend(exterior.iter().skip(1).copied());
        Some(points)
    }
}

pub(crate) fn signed_area(ring: &[Px]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a.0 as f64 * b.1 as f64 - b.0 as f64 * a.1 as f64
        })
        .sum::<f64>()
        / 2.0
}

/// Greedy label placement: rectangles already taken.
pub(crate) struct Placer {
    pub frame: PxRect,
    pub taken: Vec<PxRect>,
}

impl Placer {
    /// Marks a rectangle as taken (a symbol).
    pub fn block(&mut self, r: PxRect) {
        self.taken.push(r);
    }

    /// Finds room for a label of `w` x `h` next to a symbol of radius `r` at `p`: right,
    /// left, above, below. Returns the anchor point and alignment.
    pub fn place(&mut self, p: (f64, f64), r: f64, w: f64, h: f64) -> Option<((f64, f64), Anchor)> {
        let gap = r + 3.0;
        let candidates = [
            ((p.0 + gap, p.1), Anchor::Left),
            ((p.0 - gap, p.1), Anchor::Right),
            ((p.0, p.1 - gap - h / 2.0), Anchor::Centre),
            ((p.0, p.1 + gap + h / 2.0), Anchor::Centre),
        ];
        for (at, anchor) in candidates {
            let rect = text_rect(at, anchor, w, h);
            if self.frame.contains(&rect) && !self.taken.iter().any(|t| t.overlaps(&rect)) {
                self.taken.push(rect);
                return Some((at, anchor));
            }
        }
        None
    }
}

/// The box of a text of `w` x `h` anchored at `at`.
pub(crate) fn text_rect(at: (f64, f64), anchor: Anchor, w: f64, h: f64) -> PxRect {
    let x0 = match anchor {
        Anchor::Left => at.0,
        Anchor::Centre => at.0 - w / 2.0,
        Anchor::Right => at.0 - w,
    };
    PxRect {
        x0,
        y0: at.1 - h / 2.0,
        x1: x0 + w,
        y1: at.1 + h / 2.0,
    }
}

/// A label with a translucent white box behind it.
pub(crate) fn halo_text(
    ops: &mut Vec<Op>,
    font: &MapFont,
    text: &str,
    at: (f64, f64),
    anchor: Anchor,
    size: f64,
    color: plotters::style::RGBAColor,
) {
    let w = font.text_width(text, size);
    let r = text_rect(at, anchor, w, size * 0.95).grow(size * 0.12);
    ops.push(Op::Rect {
        a: px((r.x0, r.y0)),
        b: px((r.x1, r.y1)),
        color: style::LABEL_HALO,
        fill: true,
        width: 1,
    });
    ops.push(Op::Text {
        text: text.to_string(),
        at: px(at),
        size,
        color,
        anchor,
    });
}

/// Splits `text` into lines no wider than `width` pixels, breaking at spaces (or anywhere in
/// CJK runs without spaces).
pub(crate) fn wrap(font: &MapFont, text: &str, size: f64, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_inclusive(' ') {
        let candidate = format!("{line}{word}");
        if font.text_width(candidate.trim_end(), size) <= width || line.is_empty() {
            line = candidate;
            // A single word wider than the line: break it by characters.
            while font.text_width(line.trim_end(), size) > width && line.chars().count() > 1 {
                let mut head = String::new();
                for ch in line.chars() {
                    if font.text_width(&format!("{head}{ch}"), size) > width && !head.is_empty() {
                        break;
                    }
                    head.push(ch);
                }
                let rest = line[head.len()..].to_string();
                lines.push(head.trim_end().to_string());
                line = rest;
            }
        } else {
            lines.push(line.trim_end().to_string());
            line = word.to_string();
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// The angle of true north from the sheet's up direction at the frame centre, radians
/// (clockwise positive): grid and true north differ by the meridian convergence.
pub(crate) fn true_north(spec: &MapSpec, view: &View) -> f64 {
    let cx = view.x0 + view.frame.width() / 2.0 / view.scale;
    let cy = view.y0 - view.frame.height() / 2.0 / view.scale;
    let proj = &spec.region.projection;
    let Ok((lon, lat)) = proj.inverse(cx, cy) else {
        return 0.0;
    };
    let Ok((nx, ny)) = proj.forward(lon, (lat + 0.05).min(89.9)) else {
        return 0.0;
    };
    (nx - cx).atan2(ny - cy)
}

pub(crate) fn darker(c: plotters::style::RGBAColor) -> plotters::style::RGBAColor {
    let d = |v: u8| (v as f64 * 0.7) as u8;
    plotters::style::RGBAColor(d(c.0), d(c.1), d(c.2), 1.0)
}

pub(crate) fn closed(mut points: Vec<Px>) -> Vec<Px> {
    if points.first() != points.last()
        && let Some(&first) = points.first()
    {
        points.push(first);
    }
    points
}

pub(crate) fn points_visible(points: &[Px], frame: &PxRect) -> bool {
    let (mut x0, mut y0, mut x1, mut y1) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
    for &(x, y) in points {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    PxRect {
        x0: x0 as f64,
        y0: y0 as f64,
        x1: x1 as f64,
        y1: y1 as f64,
    }
    .overlaps(&frame.grow(2.0))
}

/// Fills every visible polygon of a multipolygon; returns whether any was visible.
pub(crate) fn fill_multipolygon(
    ops: &mut Vec<Op>,
    view: &View,
    shape: &MultiPolygon<f64>,
    color: plotters::style::RGBAColor,
) -> bool {
    let mut any = false;
    for polygon in &shape.0 {
        if !view.bbox_visible(polygon.bounding_rect()) {
            continue;
        }
        if let Some(points) = view.fill_ring(polygon) {
            any = true;
            ops.push(Op::Fill { points, color });
        }
    }
    any
}
