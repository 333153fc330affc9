//! Siting maps (布局图) as PNG and SVG bytes, sized for A4 and A3 printing.
//!
//! A [`MapSpec`] names the extent (the region or one county), the sheet ([`Paper`]), the title
//! and the layers: county boundaries with their Chinese names, grid cells shaded by
//! [`CellStatus`], priority zones, terrain shading from the DEM, sites with one symbol per
//! kind (planned ones with their year), influence discs, firing-sector wedges, airports and
//! places, and the legend, scale bar, north arrow and data-source note. [`render_png`] and
//! [`render_svg`] draw it with plotters in the region's projected CRS (metres), so the scale bar
//! is true; [`sets`] builds the standard map sets (city overview, one map per county, one per
//! rollout year).
//!
//! Text: PNG text needs a CJK font; see [`font`] for the bundled subset, `WXMOD_FONT` and the
//! clear error when a glyph is missing. SVG keeps text as text with CJK font families first.
//!
//! Cost: an A4 city map at 150 dpi builds its display list and terrain in tens of
//! milliseconds; most of the PNG time is rasterising and deflating 2 megapixels.
//!
//! # Examples
//! ```
//! use wxmod::region::{Region, bundled_region_dir};
//! use wxmod::render::{MapFont, MapSpec, render_svg};
//! let region = Region::load(&bundled_region_dir(), None).unwrap();
//! let svg = render_svg(&MapSpec::new(&region, "朔州市"), &MapFont::bundled()).unwrap();
//! assert!(svg.contains("朔城区"));
//! ```

mod draw;
pub mod font;
mod hillshade;
mod layers;
mod legend;
mod map;
mod marks;
mod ops;
mod paper;
mod scene;
pub mod sectors;
pub mod sets;
mod sheet;
mod style;

use std::path::PathBuf;

pub use font::{FONT_ENV, FontOrigin, MapFont};
pub use map::{
    AreaOverlay, CellStatus, CellStatusMap, Extent, MapSpec, SectorOverlay, serves_cell,
    status_by_sites_inside,
};
pub use paper::{DEFAULT_DPI, Orientation, Paper, PaperSize};
pub use sets::{
    MapInputs, city_overview, county_map, county_maps, data_note, planned_years, rollout_maps,
    unit_maps,
};

use crate::region::ProjectionError;

/// A map that cannot be drawn.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The extent names a county the region does not have.
    #[error("county {id} is not in region {region}; use one of: {known}")]
    UnknownCounty {
        /// The id asked for.
        id: String,
        /// The region's name.
        region: String,
        /// The region's counties, `id name`.
        known: String,
    },
    /// The extent has no area.
    #[error("the map extent is empty")]
    EmptyExtent,
    /// The margin is negative or not a number.
    #[error("map margin {margin_m} m must be a finite number >= 0")]
    Margin {
        /// The margin given, metres.
        margin_m: f64,
    },
    /// The resolution is out of range.
    #[error("paper resolution {dpi} dpi is out of range 50-600")]
    Dpi {
        /// The resolution given.
        dpi: f64,
    },
    /// A font file could not be read.
    #[error("cannot read font file {path}: {source}")]
    FontFile {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A font file is not a font ab_glyph can use.
    #[error("font {font} is not a TrueType/OpenType font that can be read")]
    InvalidFont {
        /// The font (path or "the bundled ...").
        font: String,
    },
    /// The font lacks glyphs the map needs; PNG text would show boxes.
    #[error(
        "font {font} has no glyphs for '{chars}' (first in \"{sample}\"); set WXMOD_FONT to a TrueType/OpenType font that covers them, e.g. /usr/share/fonts/truetype/wqy/wqy-microhei.ttc from the Debian package fonts-wqy-microhei"
    )]
    MissingGlyphs {
        /// The font used.
        font: String,
        /// The missing characters.
        chars: String,
        /// The first label that needs them.
        sample: String,
    },
    /// A feature could not be projected.
    #[error("cannot project {what}: {source}")]
    Project {
        /// What was being drawn.
        what: String,
        /// The projection error.
        source: ProjectionError,
    },
    /// plotters failed to draw.
    #[error("cannot draw the map: {reason}")]
    Draw {
        /// plotters' message.
        reason: String,
    },
    /// The PNG could not be encoded.
    #[error("cannot encode the map as PNG: {reason}")]
    Encode {
        /// The encoder's message.
        reason: String,
    },
}

/// Lays the map out with a font that covers its text: `font`, or for the bundled subset
/// lacking a character, an installed system CJK font (see [`font`]).
fn scene_with_font(spec: &MapSpec, font: &MapFont) -> Result<(scene::Scene, MapFont), RenderError> {
    let scene = scene::build(spec, font)?;
    let covering = font::font_covering(font, scene.texts())?;
    if covering.origin() == font.origin() {
        return Ok((scene, covering));
    }
    // Measure the labels again with the font that will draw them.
    Ok((scene::build(spec, &covering)?, covering))
}

/// Renders a map as PNG bytes. `font` draws the text; if it is the bundled subset and lacks a
/// character, an installed system CJK font is used, else [`RenderError::MissingGlyphs`].
pub fn render_png(spec: &MapSpec, font: &MapFont) -> Result<Vec<u8>, RenderError> {
    let (scene, font) = scene_with_font(spec, font)?;
    draw::png(&scene, &font)
}

/// Renders a map as SVG text. Text stays text, so no glyph is needed; `font` (or a covering
/// system font) only measures the labels.
pub fn render_svg(spec: &MapSpec, font: &MapFont) -> Result<String, RenderError> {
    let scene = match scene_with_font(spec, font) {
        Ok((scene, _)) => scene,
        Err(RenderError::MissingGlyphs { .. }) => scene::build(spec, font)?,
        Err(e) => return Err(e),
    };
    draw::svg(&scene)
}

/// Renders a map as PNG and SVG, laying it out once.
pub fn render_png_svg(spec: &MapSpec, font: &MapFont) -> Result<(Vec<u8>, String), RenderError> {
    let (scene, font) = scene_with_font(spec, font)?;
    Ok((draw::png(&scene, &font)?, draw::svg(&scene)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::SiteKind;
    use crate::zones::ZoneKind;

    /// Every non-ASCII character in the map code, the kind names and the bundled county names
    /// is in the bundled font; when this fails, run `python3 data/fonts/make_subset.py`.
    #[test]
    fn every_map_word_is_in_the_bundled_font() {
        let font = MapFont::bundled();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<(String, String)> = Vec::new();
        for dir in ["src/render", "src/bin/wxmod/commands"] {
            for entry in std::fs::read_dir(root.join(dir)).expect("source folder") {
                let path = entry.expect("entry").path();
                if dir.ends_with("commands") && !path.ends_with("map.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("source file");
                texts.push((path.display().to_string(), text));
            }
        }
        for kind in ZoneKind::ALL {
            texts.push((kind.as_str().into(), kind.chinese().into()));
        }
        for kind in SiteKind::ALL {
            texts.push((kind.as_str().into(), kind.chinese().into()));
        }
        let region =
            crate::region::Region::load(&crate::region::bundled_region_dir(), None).unwrap();
        texts.push(("region name".into(), region.name.clone()));
        for county in &region.counties {
            texts.push((county.id.clone(), county.name.clone()));
        }
        for (source, text) in texts {
            let missing: String = font
                .missing_glyphs(&text)
                .into_iter()
                .filter(|c| (*c as u32) > 0x7f)
                .collect();
            assert!(
                missing.is_empty(),
                "{source}: '{missing}' not in the bundled font; run python3 data/fonts/make_subset.py"
            );
        }
    }
}
