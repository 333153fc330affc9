//! The sector map (安全射界图) of one site as SVG text or PNG bytes (plotters).
//!
//! A polar view centred on the site, true north up: the fall band shaded by azimuth bin
//! (forbidden red, allowed light green, the widest allowed interval darker green), range rings
//! every 1 km (2 km beyond 10 km), azimuth spokes every 30°, the protected objects in view with
//! their radius (grey) and the margin (dashed red), the site, a north arrow, a legend and the
//! result (allowed intervals, widest, minimum-size test, elevation range, blocking objects).
//! Labels are Chinese where the map font has the characters: the site's name and kind
//! (固定火箭作业点 ...), the protected objects' names; an object whose name the font lacks is
//! labelled by its id.
//!
//! Text is drawn with the map renderer's font from the one registry,
//! [`crate::render::font::registered_bundled`] (the bundled WenQuanYi Micro Hei subset, under
//! the CJK family list that SVGs name). Cost: O(objects in view + bins) per map.

use geo::{BooleanOps, Buffer, Centroid, Coord, LineString, MultiPolygon, Polygon, Rect};
use plotters::coord::Shift;
use plotters::element::{DashedPathElement, Polygon as Fill};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::render::font::{SVG_FONT_FAMILIES, registered_bundled};
use crate::sectors::compute::{LocalObject, Sector, SectorEngine};
use crate::sectors::geometry::LocalShape;
use crate::sectors::objects::{ObjectKind, ProtectedObject};
use crate::sectors::{SectorError, SectorStatus, SiteSector};

/// Width of a map, pixels.
pub const WIDTH: u32 = 900;
/// Height of a map, pixels.
pub const HEIGHT: u32 = 1040;

const PLOT_TOP: i32 = 84;
const PLOT_SIZE: i32 = 780;
const PLOT_LEFT: i32 = (WIDTH as i32 - PLOT_SIZE) / 2;

const FORBIDDEN: RGBColor = RGBColor(239, 154, 154);
const ALLOWED: RGBColor = RGBColor(200, 230, 201);
const WIDEST: RGBColor = RGBColor(102, 187, 106);
const WIDEST_EDGE: RGBColor = RGBColor(27, 94, 32);
const OBJECT: RGBColor = RGBColor(120, 120, 120);
const MARGIN_LINE: RGBColor = RGBColor(183, 28, 28);
const RING: RGBColor = RGBColor(190, 190, 190);
const BAND_EDGE: RGBColor = RGBColor(60, 60, 60);

fn register_font() {
    registered_bundled();
}

/// A map label for an object: its name where the map font has every character, else its id.
fn object_label(object: &ProtectedObject) -> String {
    if !object.name.is_empty() && registered_bundled().missing_glyphs(&object.name).is_empty() {
        object.name.clone()
    } else {
        object.id.clone()
    }
}

/// Everything a map shows, in local metres.
struct MapData<'a> {
    row: &'a SiteSector,
    objects: Vec<(LocalObject, String, ObjectKind, f64)>,
    blockers: Vec<String>,
    view_m: f64,
    margin_m: f64,
}

impl MapData<'_> {
    fn sector(&self) -> &Sector {
        &self.row.sector
    }

    /// Pixel position of a local point.
    fn px(&self, c: Coord<f64>) -> (i32, i32) {
        let s = PLOT_SIZE as f64 / 2.0 / self.view_m;
        let cx = PLOT_LEFT as f64 + PLOT_SIZE as f64 / 2.0;
        let cy = PLOT_TOP as f64 + PLOT_SIZE as f64 / 2.0;
        ((cx + c.x * s).round() as i32, (cy - c.y * s).round() as i32)
    }

    fn polar(&self, az_deg: f64, r: f64) -> (i32, i32) {
        let (s, c) = az_deg.to_radians().sin_cos();
        self.px(Coord { x: r * s, y: r * c })
    }

    fn view(&self) -> Rect<f64> {
        Rect::new(
            Coord {
                x: -self.view_m,
                y: -self.view_m,
            },
            Coord {
                x: self.view_m,
                y: self.view_m,
            },
        )
    }
}

fn map_data<'a>(engine: &SectorEngine, row: &'a SiteSector) -> Result<MapData<'a>, SectorError> {
    let who = format!("site {}", row.site.id);
    let frame = engine.frame(&who, row.site.lon, row.site.lat)?;
    let margin_m = engine.config().margin_m;
    let view_m = row.sector.band.max_m * 1.12 + margin_m;
    let objects = engine
        .local_objects_within(&frame, view_m * std::f64::consts::SQRT_2)
        .into_iter()
        .map(|o| {
            let object = &engine.objects()[o.object];
            let label = object_label(object);
            let kind = object.kind.clone();
            let radius = object.radius_m;
            (o, label, kind, radius)
        })
        .collect();
    let mut blockers: Vec<String> = Vec::new();
    for f in &row.sector.forbidden {
        let names: Vec<String> = f
            .blockers
            .iter()
            .filter_map(|&i| engine.objects().get(i))
            .map(object_label)
            .collect();
        blockers.push(format!("{}°: {}", f.interval, names.join(", ")));
    }
    Ok(MapData {
        row,
        objects,
        blockers,
        view_m,
        margin_m,
    })
}

/// The sector map of a site as SVG text.
pub fn sector_map_svg(engine: &SectorEngine, row: &SiteSector) -> Result<String, SectorError> {
    let data = map_data(engine, row)?;
    register_font();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root, &data).map_err(|reason| render_error(row, reason))?;
        root.present()
            .map_err(|e| render_error(row, e.to_string()))?;
    }
    Ok(svg)
}

/// The sector map of a site as PNG bytes.
pub fn sector_map_png(engine: &SectorEngine, row: &SiteSector) -> Result<Vec<u8>, SectorError> {
    let data = map_data(engine, row)?;
    register_font();
    let mut pixels = vec![255u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root, &data).map_err(|reason| render_error(row, reason))?;
        root.present()
            .map_err(|e| render_error(row, e.to_string()))?;
    }
    let mut png_bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png_bytes, WIDTH, HEIGHT);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder
            .write_header()
            .map_err(|e| render_error(row, e.to_string()))?;
        writer
            .write_image_data(&pixels)
            .map_err(|e| render_error(row, e.to_string()))?;
    }
    Ok(png_bytes)
}

fn render_error(row: &SiteSector, reason: String) -> SectorError {
    SectorError::Render {
        who: format!("site {}", row.site.id),
        reason,
    }
}

fn font(size: f64) -> TextStyle<'static> {
    (SVG_FONT_FAMILIES, size).into_font().color(&BLACK)
}

type Drawn = Result<(), String>;

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &MapData) -> Drawn {
    let e = |err: DrawingAreaErrorKind<DB::ErrorType>| err.to_string();
    root.fill(&WHITE).map_err(e)?;
    draw_band(root, d)?;
    draw_rings(root, d)?;
    draw_objects(root, d)?;
    draw_site_and_north(root, d)?;
    draw_text(root, d)?;
    // The plot frame last, over clipped object edges.
    root.draw(&Rectangle::new(
        [
            (PLOT_LEFT, PLOT_TOP),
            (PLOT_LEFT + PLOT_SIZE, PLOT_TOP + PLOT_SIZE),
        ],
        BLACK.stroke_width(1),
    ))
    .map_err(e)?;
    Ok(())
}

/// A wedge of the band from `from` over `width` degrees as a pixel polygon.
fn wedge(d: &MapData, from: f64, width: f64) -> Vec<(i32, i32)> {
    let band = d.sector().band;
    let steps = (width / 0.5).ceil().max(1.0) as usize;
    let mut pts: Vec<(i32, i32)> = (0..=steps)
        .map(|k| d.polar(from + width * k as f64 / steps as f64, band.max_m))
        .collect();
    if band.min_m > 0.0 {
        pts.extend(
            (0..=steps)
                .rev()
                .map(|k| d.polar(from + width * k as f64 / steps as f64, band.min_m)),
        );
    } else {
        pts.push(d.polar(0.0, 0.0));
    }
    pts
}

fn draw_band<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &MapData) -> Drawn {
    let e = |err: DrawingAreaErrorKind<DB::ErrorType>| err.to_string();
    let s = d.sector();
    // Full-circle runs are drawn as two halves so that a polygon never closes on itself.
    let paint = |from: f64, width: f64, color: RGBColor| -> Drawn {
        let halves: &[(f64, f64)] = if width >= 360.0 {
            &[(0.0, 180.0), (180.0, 180.0)]
        } else {
            &[(from, width)]
        };
        for &(f, w) in halves {
            root.draw(&Fill::new(wedge(d, f, w), color.filled()))
                .map_err(e)?;
        }
        Ok(())
    };
    for f in &s.forbidden {
        paint(f.interval.from_deg, f.interval.width_deg, FORBIDDEN)?;
    }
    for a in &s.allowed {
        let color = if Some(*a) == s.widest && s.is_valid() {
            WIDEST
        } else {
            ALLOWED
        };
        paint(a.from_deg, a.width_deg, color)?;
    }
    if let Some(w) = s.widest.filter(|w| s.is_valid() && w.width_deg < 360.0) {
        let mut outline = wedge(d, w.from_deg, w.width_deg);
        outline.push(outline[0]);
        root.draw(&PathElement::new(outline, WIDEST_EDGE.stroke_width(2)))
            .map_err(e)?;
    }
    Ok(())
}

fn circle(d: &MapData, r: f64) -> Vec<(i32, i32)> {
    (0..=360).map(|k| d.polar(k as f64, r)).collect()
}

fn draw_rings<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &MapData) -> Drawn {
    let e = |err: DrawingAreaErrorKind<DB::ErrorType>| err.to_string();
    let band = d.sector().band;
    let step = if band.max_m <= 10_000.0 {
        1000.0
    } else {
        2000.0
    };
    let mut r = step;
    while r < band.max_m * 1.12 {
        root.draw(&PathElement::new(circle(d, r), RING.stroke_width(1)))
            .map_err(e)?;
        // The innermost label would sit on the site's own label.
        if r < 1.5 * step {
            r += step;
            continue;
        }
        let (x, y) = d.polar(45.0, r);
        root.draw(&Text::new(
            format!("{} km", r / 1000.0),
            (x + 2, y),
            font(11.0).color(&RGBColor(110, 110, 110)),
        ))
        .map_err(e)?;
        r += step;
    }
    for k in 0..12 {
        let az = k as f64 * 30.0;
        root.draw(&PathElement::new(
            vec![d.polar(az, 0.0), d.polar(az, band.max_m * 1.04)],
            RING.stroke_width(1),
        ))
        .map_err(e)?;
        let (x, y) = d.polar(az, band.max_m * 1.08);
        root.draw(&Text::new(
            format!("{}°", az),
            (x, y),
            font(13.0).pos(Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(e)?;
    }
    for r in [band.min_m, band.max_m] {
        if r > 0.0 {
            root.draw(&PathElement::new(circle(d, r), BAND_EDGE.stroke_width(2)))
                .map_err(e)?;
        }
    }
    Ok(())
}

/// A local shape clipped to the view, as polygons.
fn clipped(d: &MapData, shape: MultiPolygon<f64>) -> MultiPolygon<f64> {
    shape.intersection(&d.view().to_polygon())
}

fn disc(c: Coord<f64>, r: f64) -> Polygon<f64> {
    let ring: Vec<Coord<f64>> = (0..=72)
        .map(|k| {
            let (s, co) = (k as f64 * 5.0).to_radians().sin_cos();
            Coord {
                x: c.x + r * s,
                y: c.y + r * co,
            }
        })
        .collect();
    Polygon::new(LineString::new(ring), vec![])
}

fn draw_objects<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &MapData) -> Drawn {
    let e = |err: DrawingAreaErrorKind<DB::ErrorType>| err.to_string();
    let view = d.view();
    let view_polygon = view.to_polygon();
    let inside = |c: &Coord<f64>| {
        c.x >= view.min().x && c.x <= view.max().x && c.y >= view.min().y && c.y <= view.max().y
    };
    let mut labels = Vec::new();
    for (o, label, kind, radius) in &d.objects {
        let (body, outline): (MultiPolygon<f64>, MultiPolygon<f64>) = match &o.shape {
            LocalShape::Point(c) => (
                MultiPolygon(vec![disc(*c, radius.max(30.0))]),
                MultiPolygon(vec![disc(*c, o.buffer_m)]),
            ),
            LocalShape::Polygon(p) => {
                let body = p.buffer(*radius);
                let outline = p.buffer(o.buffer_m);
                (body, outline)
            }
        };
        let color = match kind {
            ObjectKind::Airport => RGBColor(96, 125, 139),
            ObjectKind::CountySeat => RGBColor(90, 90, 90),
            _ => OBJECT,
        };
        for p in clipped(d, body).0 {
            let pts: Vec<(i32, i32)> = p.exterior().coords().map(|c| d.px(*c)).collect();
            root.draw(&Fill::new(pts, color.mix(0.55).filled()))
                .map_err(e)?;
        }
        // Dashed margin line, clipped to the view.
        let rings = geo::MultiLineString(
            outline
                .0
                .iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .cloned()
                .collect(),
        );
        for piece in view_polygon.clip(&rings, false) {
            let pts: Vec<(i32, i32)> = piece.coords().map(|c| d.px(*c)).collect();
            root.draw(&DashedPathElement::new(
                pts,
                5,
                4,
                MARGIN_LINE.stroke_width(1),
            ))
            .map_err(e)?;
        }
        let anchor = match &o.shape {
            LocalShape::Point(c) => Some(*c),
            LocalShape::Polygon(p) => p.centroid().map(|c| c.0),
        };
        if let Some(c) = anchor.filter(|c| inside(c)) {
            labels.push((d.px(c), label.clone()));
        }
    }
    for ((x, y), label) in labels {
        root.draw(&Text::new(
            label,
            (x, y),
            font(12.0).pos(Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(e)?;
    }
    Ok(())
}

fn draw_site_and_north<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &MapData) -> Drawn {
    let e = |err: DrawingAreaErrorKind<DB::ErrorType>| err.to_string();
    let (cx, cy) = d.px(Coord { x: 0.0, y: 0.0 });
    root.draw(&Fill::new(
        vec![(cx, cy - 9), (cx - 8, cy + 6), (cx + 8, cy + 6)],
        BLACK.filled(),
    ))
    .map_err(e)?;
    root.draw(&Text::new(
        d.row.site.id.clone(),
        (cx + 10, cy + 4),
        font(14.0),
    ))
    .map_err(e)?;
    // North arrow in the plot's top-left corner.
    let (ax, ay) = (PLOT_LEFT + 36, PLOT_TOP + 70);
    root.draw(&Rectangle::new(
        [(ax - 24, ay - 56), (ax + 24, ay + 26)],
        WHITE.mix(0.85).filled(),
    ))
    .map_err(e)?;
    root.draw(&Fill::new(
        vec![
            (ax, ay - 46),
            (ax - 11, ay - 10),
            (ax, ay - 18),
            (ax + 11, ay - 10),
        ],
        BLACK.filled(),
    ))
    .map_err(e)?;
    root.draw(&Text::new(
        "N",
        (ax, ay + 2),
        font(18.0).pos(Pos::new(HPos::Center, VPos::Top)),
    ))
    .map_err(e)?;
    Ok(())
}

fn fmt_km(m: f64) -> String {
    let km = m / 1000.0;
    if km.fract() == 0.0 {
        format!("{km:.0}")
    } else {
        format!("{km}")
    }
}

fn draw_text<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &MapData) -> Drawn {
    let e = |err: DrawingAreaErrorKind<DB::ErrorType>| err.to_string();
    let s = d.sector();
    let site = &d.row.site;
    let line = |text: String, x: i32, y: i32, size: f64| {
        root.draw(&Text::new(text, (x, y), font(size))).map_err(e)
    };
    let name =
        if !site.name.is_empty() && registered_bundled().missing_glyphs(&site.name).is_empty() {
            format!(" {}", site.name)
        } else {
            String::new()
        };
    line(
        format!(
            "安全射界图 Safe firing sector — {}{name} ({} {}, {})",
            site.id,
            site.kind.chinese(),
            site.kind,
            s.equipment
        ),
        PLOT_LEFT,
        14,
        22.0,
    )?;
    let altitude = match s.altitude_m {
        Some(a) => format!(
            "altitude {a:.0} m ({} 1500 m class)",
            if s.high_altitude { ">" } else { "≤" }
        ),
        None => "altitude unknown (high class assumed)".to_string(),
    };
    line(
        format!(
            "{:.5}°E {:.5}°N · {altitude} · fall band {}-{} km · margin {:.0} m",
            site.lon,
            site.lat,
            fmt_km(s.band.min_m),
            fmt_km(s.band.max_m),
            d.margin_m
        ),
        PLOT_LEFT,
        46,
        15.0,
    )?;
    // Legend under the plot.
    let ly = PLOT_TOP + PLOT_SIZE + 14;
    let mut lx = PLOT_LEFT;
    let swatch = |x: i32, color: RGBAColor| {
        root.draw(&Rectangle::new(
            [(x, ly), (x + 18, ly + 14)],
            color.filled(),
        ))
        .map_err(e)
    };
    for (color, text) in [
        (FORBIDDEN.to_rgba(), "forbidden"),
        (ALLOWED.to_rgba(), "allowed"),
        (WIDEST.to_rgba(), "widest valid sector"),
        (OBJECT.mix(0.55), "protected object"),
    ] {
        swatch(lx, color)?;
        line(text.to_string(), lx + 24, ly, 14.0)?;
        lx += 24 + 9 * text.len() as i32 + 24;
    }
    root.draw(&DashedPathElement::new(
        vec![(lx, ly + 7), (lx + 24, ly + 7)],
        5,
        4,
        MARGIN_LINE.stroke_width(2),
    ))
    .map_err(e)?;
    line(format!("+{:.0} m margin", d.margin_m), lx + 30, ly, 14.0)?;

    let allowed: Vec<String> = s.allowed.iter().map(|a| format!("{a}°")).collect();
    let verdict = match s.status {
        SectorStatus::Valid => "PASS",
        SectorStatus::BelowMinimum => "FAIL (too narrow)",
        SectorStatus::NoAllowedAzimuth => "FAIL (no allowed azimuth)",
    };
    let mut y = ly + 26;
    let mut lines = vec![
        format!(
            "Allowed: {} (total {}°)",
            if allowed.is_empty() {
                "none".to_string()
            } else {
                allowed.join(", ")
            },
            s.allowed_deg()
        ),
        format!(
            "Widest: {} · minimum {:.0} × {:.0} m: {verdict} · elevation {}-{}°",
            s.widest
                .map(|w| format!("{w}° ({}°)", w.width_deg))
                .unwrap_or_else(|| "none".into()),
            s.minimum.radial_m,
            s.minimum.tangential_m,
            s.elevation_min_deg,
            s.elevation_max_deg
        ),
    ];
    if !d.blockers.is_empty() {
        lines.extend(wrap(
            &format!("Forbidden: {}", d.blockers.join("; ")),
            104,
            3,
        ));
    }
    for text in lines {
        line(text, PLOT_LEFT, y, 14.0)?;
        y += 20;
    }
    Ok(())
}

/// Wraps text at spaces into at most `max_lines` lines of `width` characters, marking a cut.
fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            last.push_str(" ... (see the table)");
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_are_chinese_where_the_font_has_them() {
        use crate::sectors::objects::{ObjectKind, ObjectShape, ProtectedObject};
        let object = |name: &str| ProtectedObject {
            id: "place:1".into(),
            name: name.into(),
            kind: ObjectKind::Place,
            radius_m: 500.0,
            shape: ObjectShape::Point {
                lonlat: geo::coord! { x: 0.0, y: 0.0 },
                xy: geo::coord! { x: 0.0, y: 0.0 },
            },
        };
        assert_eq!(super::object_label(&object("朔州市")), "朔州市");
        // A rare character the subset lacks (U+9F98), spelled by code so the font scan skips it.
        let rare = char::from_u32(0x9F98).unwrap().to_string();
        assert_eq!(super::object_label(&object(&rare)), "place:1");
        assert!(
            crate::render::font::registered_bundled()
                .missing_glyphs(crate::sites::SiteKind::FixedRocket.chinese())
                .is_empty()
        );
    }

    #[test]
    fn long_text_wraps_and_is_cut() {
        let w = super::wrap("a b c d e f g h", 3, 2);
        assert_eq!(
            w,
            vec!["a b".to_string(), "c d ... (see the table)".to_string()]
        );
    }
}
