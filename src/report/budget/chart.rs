//! The chart of the yearly budget by category (年度预算分类图): one stacked bar per year,
//! capacity building, operations and upkeep, in 万元, with the year's total above the bar.
//!
//! Drawn with plotters: PNG through the bitmap backend (encoded with `png`), SVG through the
//! SVG backend, both with bilingual labels. plotters' `ab_glyph` text needs a registered font
//! and has no per-character fallback; the chart uses the CJK subset bundled for the maps
//! (`data/fonts/wqy-microhei-subset.ttf`, [`crate::render::font`]), whose characters include
//! every word of this file (`data/fonts/make_subset.py` scans it). A region name the subset
//! lacks is left out of the PNG title. SVG keeps text as text and names CJK font families for
//! the viewer ([`SVG_FONT_FAMILIES`]). Cost: one rectangle per year and category; a 9-year
//! chart renders in milliseconds.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::budget::{Budget, Category};
use crate::render::MapFont;
use crate::render::font::{SVG_FONT_FAMILIES, registered_bundled};

/// The family the chart draws with: the bundled subset as the one font registry
/// ([`registered_bundled`]) registers it, the list of CJK-capable families SVGs name.
pub const FONT_FAMILY: &str = SVG_FONT_FAMILIES;

/// Chart size, pixels.
pub const SIZE: (u32, u32) = (1000, 600);

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartFormat {
    /// PNG raster.
    Png,
    /// SVG vector, text kept as text.
    Svg,
}

/// A chart that could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The bundled font could not be registered with plotters.
    #[error("the bundled font data/fonts/wqy-microhei-subset.ttf cannot be read by plotters")]
    Font,
    /// plotters failed to draw.
    #[error("cannot draw the budget chart: {0}")]
    Draw(String),
    /// The PNG encoder failed.
    #[error("cannot encode the budget chart as PNG: {0}")]
    Encode(String),
}

fn font_ready() -> Result<(), ChartError> {
    registered_bundled();
    Ok(())
}

/// Fill colour of a category.
fn colour(c: Category) -> RGBColor {
    match c {
        Category::Capacity => RGBColor(0x2E, 0x75, 0xB6),
        Category::Operations => RGBColor(0xED, 0x7D, 0x31),
        Category::Upkeep => RGBColor(0x70, 0xAD, 0x47),
    }
}

/// The chart as PNG or SVG bytes; `title` names the region.
pub fn budget_chart(
    budget: &Budget,
    title: &str,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    font_ready()?;
    let (w, h) = SIZE;
    match format {
        ChartFormat::Png => {
            let mut pixels = vec![255u8; (w * h * 3) as usize];
            {
                let root = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
                draw(&root, budget, title, false)?;
                root.present()
                    .map_err(|e| ChartError::Draw(e.to_string()))?;
            }
            let mut out = Vec::new();
            {
                let mut encoder = png::Encoder::new(&mut out, w, h);
                encoder.set_color(png::ColorType::Rgb);
                encoder.set_depth(png::BitDepth::Eight);
                let mut writer = encoder
                    .write_header()
                    .map_err(|e| ChartError::Encode(e.to_string()))?;
                writer
                    .write_image_data(&pixels)
                    .map_err(|e| ChartError::Encode(e.to_string()))?;
            }
            Ok(out)
        }
        ChartFormat::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
                draw(&root, budget, title, true)?;
                root.present()
                    .map_err(|e| ChartError::Draw(e.to_string()))?;
            }
            Ok(svg.into_bytes())
        }
    }
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    budget: &Budget,
    title: &str,
    vector: bool,
) -> Result<(), ChartError> {
    let err = |e: &dyn std::fmt::Display| ChartError::Draw(e.to_string());
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let years = budget.by_year();
    let from = budget.horizon.from as f64;
    let through = budget.horizon.through as f64;
    let top = years
        .iter()
        .map(|y| y.total.wan())
        .fold(0.0f64, f64::max)
        .max(1.0)
        * 1.15;
    // The PNG rasterises with the bundled subset: leave out a region name it cannot draw.
    let covered = vector || MapFont::bundled().missing_glyphs(title).is_empty();
    let caption = if covered {
        format!("装备经费预算 Equipment budget by year and category — {title}")
    } else {
        "装备经费预算 Equipment budget by year and category".to_string()
    };
    let y_desc = "万元 (10,000 RMB)";
    let mut chart = ChartBuilder::on(root)
        .caption(caption, (FONT_FAMILY, 22))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d((from - 0.6)..(through + 0.6), 0.0..top)
        .map_err(|e| err(&e))?;
    let n_years = years.len();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n_years * 2 + 1)
        .x_label_formatter(&|x| {
            if (x - x.round()).abs() < 1e-6 {
                format!("{:.0}", x.round())
            } else {
                String::new()
            }
        })
        .y_desc(y_desc)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .label_style((FONT_FAMILY, 14))
        .axis_desc_style((FONT_FAMILY, 15))
        .draw()
        .map_err(|e| err(&e))?;
    for (i, c) in Category::ALL.iter().enumerate() {
        let fill = colour(*c);
        let bars: Vec<Rectangle<(f64, f64)>> = years
            .iter()
            .map(|y| {
                let below: f64 = y.by_category[..i].iter().map(|a| a.wan()).sum();
                let x = y.year as f64;
                Rectangle::new(
                    [
                        (x - 0.35, below),
                        (x + 0.35, below + y.by_category[i].wan()),
                    ],
                    fill.filled(),
                )
            })
            .collect();
        let label = c.label();
        chart
            .draw_series(bars)
            .map_err(|e| err(&e))?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], fill.filled()));
    }
    chart
        .draw_series(years.iter().map(|y| {
            Text::new(
                format!("{:.0}", y.total.wan()),
                (y.year as f64 - 0.3, y.total.wan() + top * 0.035),
                (FONT_FAMILY, 13).into_font(),
            )
        }))
        .map_err(|e| err(&e))?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font((FONT_FAMILY, 14))
        .draw()
        .map_err(|e| err(&e))?;
    Ok(())
}
