//! Plays a [`Scene`]'s display list onto plotters' bitmap or SVG backend and encodes the result.
//!
//! PNG: the terrain raster is copied into an RGB buffer that plotters then draws on (text
//! through the `ab_glyph` font registered in [`super::font`]); the buffer is encoded with the
//! `png` crate (fast deflate). SVG: plotters writes the vector layers with text as text; the
//! terrain goes in as one `<image>` (a PNG data URI at a quarter of the frame's resolution,
//! smoothed by the viewer) right after the white sheet, a style rule rounds line joins, and the
//! root element states the sheet size in millimetres over a pixel `viewBox`. Output is
//! deterministic: no timestamps, no random ids.

use plotters::backend::{BitMapBackend, DrawingBackend, SVGBackend};
use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, IntoDrawingArea};
use plotters::element::{Circle, PathElement, Polygon, Rectangle};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontFamily, IntoFont, TextStyle};

use super::RenderError;
use super::font::{MapFont, SVG_FONT_FAMILIES};
use super::ops::{Anchor, Op};
use super::scene::Scene;

/// Linear shrink factor of the terrain image embedded in SVG.
pub const SVG_RASTER_SHRINK: usize = 4;

/// Plays the operations. With `glyphs`, text is drawn glyph by glyph at positions from that
/// font (see [`MapFont::glyph_offsets`]); without, as whole strings (SVG).
fn draw_ops<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    ops: &[Op],
    family: &str,
    glyphs: Option<&MapFont>,
) -> Result<(), String> {
    let err = |e: plotters::drawing::DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    for op in ops {
        match op {
            Op::Background => root.fill(&plotters::style::WHITE).map_err(err)?,
            Op::Fill { points, color } => root
                .draw(&Polygon::new(points.clone(), color.filled()))
                .map_err(err)?,
            Op::Line {
                points,
                color,
                width,
            } => root
                .draw(&PathElement::new(
                    points.clone(),
                    color.stroke_width(*width),
                ))
                .map_err(err)?,
            Op::Circle {
                centre,
                radius,
                color,
                fill,
                width,
            } => {
                let style = if *fill {
                    color.filled()
                } else {
                    color.stroke_width(*width)
                };
                root.draw(&Circle::new(*centre, *radius, style))
                    .map_err(err)?
            }
            Op::Rect {
                a,
                b,
                color,
                fill,
                width,
            } => {
                let style = if *fill {
                    color.filled()
                } else {
                    color.stroke_width(*width)
                };
                root.draw(&Rectangle::new([*a, *b], style)).map_err(err)?
            }
            Op::Text {
                text,
                at,
                size,
                color,
                anchor,
            } => {
                let h = match anchor {
                    Anchor::Left => HPos::Left,
                    Anchor::Centre => HPos::Center,
                    Anchor::Right => HPos::Right,
                };
                let Some(font) = glyphs else {
                    let style = TextStyle::from((FontFamily::Name(family), *size).into_font())
                        .color(color)
                        .pos(Pos::new(h, VPos::Center));
                    root.draw_text(text, &style, *at).map_err(err)?;
                    continue;
                };
                let style = TextStyle::from((FontFamily::Name(family), *size).into_font())
                    .color(color)
                    .pos(Pos::new(HPos::Left, VPos::Center));
                let width = font.text_width(text, *size);
                let left = at.0 as f64
                    - match anchor {
                        Anchor::Left => 0.0,
                        Anchor::Centre => width / 2.0,
                        Anchor::Right => width,
                    };
                let mut buf = [0u8; 4];
                for (c, dx) in font.glyph_offsets(text, *size) {
                    let x = (left + dx).round() as i32;
                    root.draw_text(c.encode_utf8(&mut buf), &style, (x, at.1))
                        .map_err(err)?;
                }
            }
        }
    }
    root.present().map_err(err)?;
    Ok(())
}

/// Draws the scene as PNG bytes with `font` (registered with plotters).
pub fn png(scene: &Scene, font: &MapFont) -> Result<Vec<u8>, RenderError> {
    let (w, h) = (scene.width as usize, scene.height as usize);
    let mut buf = vec![255u8; w * h * 3];
    if let Some(raster) = &scene.raster {
        let (fx, fy) = (scene.frame.x0 as usize, scene.frame.y0 as usize);
        for row in 0..raster.height.min(h.saturating_sub(fy)) {
            let cols = raster.width.min(w.saturating_sub(fx));
            let src = &raster.rgb[row * raster.width * 3..(row * raster.width + cols) * 3];
            let o = ((fy + row) * w + fx) * 3;
            buf[o..o + cols * 3].copy_from_slice(src);
        }
    }
    {
        let backend = BitMapBackend::with_buffer(&mut buf, (scene.width, scene.height));
        let root = backend.into_drawing_area();
        let ops: Vec<Op> = scene
            .ops
            .iter()
            .filter(|op| **op != Op::Background)
            .cloned()
            .collect();
        draw_ops(&root, &ops, font.family(), Some(font))
            .map_err(|reason| RenderError::Draw { reason })?;
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, scene.width, scene.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fast);
        let encode = |e: png::EncodingError| RenderError::Encode {
            reason: e.to_string(),
        };
        let mut writer = encoder.write_header().map_err(encode)?;
        writer.write_image_data(&buf).map_err(encode)?;
    }
    Ok(out)
}

/// Draws the scene as SVG text.
pub fn svg(scene: &Scene) -> Result<String, RenderError> {
    let mut text = String::new();
    {
        let backend = SVGBackend::with_string(&mut text, (scene.width, scene.height));
        let root = backend.into_drawing_area();
        draw_ops(&root, &scene.ops, SVG_FONT_FAMILIES, None)
            .map_err(|reason| RenderError::Draw { reason })?;
    }
    // The sheet size in millimetres, pixels in the viewBox.
    let (mm_w, mm_h) = scene.size_mm;
    let old = format!("<svg width=\"{}\" height=\"{}\"", scene.width, scene.height);
    let new = format!("<svg width=\"{mm_w}mm\" height=\"{mm_h}mm\"");
    let text = text.replacen(&old, &new, 1);
    // Round joins, after the root element's opening tag.
    let root_end = text
        .find(">\n")
        .map(|i| i + 2)
        .ok_or_else(|| RenderError::Draw {
            reason: "the SVG backend wrote no root element".into(),
        })?;
    let mut out = String::with_capacity(text.len() + 64 * 1024);
    out.push_str(&text[..root_end]);
    out.push_str("<style>polyline,polygon{stroke-linejoin:round;stroke-linecap:round}</style>\n");
    let rest = &text[root_end..];
    // The terrain image right after the sheet's white background.
    match (&scene.raster, rest.find("/>\n")) {
        (Some(raster), Some(i)) if rest.starts_with("<rect") => {
            let (head, tail) = rest.split_at(i + 3);
            out.push_str(head);
            let small = raster.downsample(SVG_RASTER_SHRINK);
            let bytes = small.to_png().map_err(|e| RenderError::Encode {
                reason: e.to_string(),
            })?;
            let f = &scene.frame;
            out.push_str(&format!(
                "<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"none\" href=\"data:image/png;base64,{}\"/>\n",
                f.x0,
                f.y0,
                f.width(),
                f.height(),
                base64(&bytes)
            ));
            out.push_str(tail);
        }
        _ => out.push_str(rest),
    }
    Ok(out)
}

/// Standard base64 with padding (RFC 4648).
pub fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
    }
}
