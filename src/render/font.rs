//! The font that draws map text: a bundled CJK subset, a user's font file or a system font.
//!
//! PNG text is rasterised by plotters' `ab_glyph` support, which looks fonts up by a family
//! name registered with [`plotters::style::register_font`] and has no per-character fallback:
//! a font without Chinese glyphs draws boxes. wxmod therefore bundles a subset of WenQuanYi
//! Micro Hei (文泉驿微米黑, Apache-2.0; `data/fonts/`) holding ASCII, the Shuozhou names and
//! every word the maps print, and checks before drawing that the font has a glyph for every
//! character of every label. Choice, in order:
//!
//! 1. a font file given by the caller ([`MapFont::from_file`]) or by the `WXMOD_FONT`
//!    environment variable ([`MapFont::from_env`]);
//! 2. the bundled subset;
//! 3. when the bundled subset lacks a character (another region's names), a system CJK font
//!    from [`SYSTEM_CJK_FONTS`], if one is installed and covers the text.
//!
//! If none covers the text, rendering fails with [`RenderError::MissingGlyphs`] naming the
//! characters and how to fix it. SVG output keeps text as text and lists CJK font families
//! first ([`SVG_FONT_FAMILIES`]); the font here only measures its labels.
//!
//! Cost: a font file is read and registered once per process (its bytes are kept for the
//! life of the process, as plotters requires); measuring is one cmap lookup per character.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};

use super::RenderError;

/// The bundled subset of WenQuanYi Micro Hei (see `data/fonts/SOURCES.md`).
pub static BUNDLED_FONT: &[u8] = include_bytes!("../../data/fonts/wqy-microhei-subset.ttf");

/// The environment variable naming a font file to use instead of the bundled subset.
pub const FONT_ENV: &str = "WXMOD_FONT";

/// Font families named in SVG text, CJK-capable first.
pub const SVG_FONT_FAMILIES: &str = "WenQuanYi Micro Hei, Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, SimHei, sans-serif";

/// System fonts tried when the bundled subset lacks a character (Debian/Ubuntu paths of
/// fonts-wqy-microhei, fonts-wqy-zenhei, fonts-noto-cjk; common macOS and Windows fonts).
pub const SYSTEM_CJK_FONTS: &[&str] = &[
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:\\Windows\\Fonts\\msyh.ttc",
    "C:\\Windows\\Fonts\\simhei.ttf",
];

/// The one font registry of wxmod's drawings: the bundled subset, parsed and registered with
/// plotters once per process under [`MapFont::family`] (PNG map text) and under
/// [`SVG_FONT_FAMILIES`] (so plotters can measure text whose SVG names the CJK families). The
/// maps, the sector maps and the budget chart all take their font from here.
pub fn registered_bundled() -> &'static MapFont {
    static FONT: OnceLock<MapFont> = OnceLock::new();
    FONT.get_or_init(|| {
        let font = MapFont::bundled();
        // The bytes parsed as a font just above, so plotters accepts them too.
        let _ = plotters::style::register_font(
            SVG_FONT_FAMILIES,
            plotters::style::FontStyle::Normal,
            BUNDLED_FONT,
        );
        font
    })
}

/// Where a font came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FontOrigin {
    /// The subset bundled with wxmod.
    Bundled,
    /// A font file.
    File(PathBuf),
}

impl std::fmt::Display for FontOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FontOrigin::Bundled => f.write_str("the bundled WenQuanYi Micro Hei subset"),
            FontOrigin::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// A font ready for map text: parsed, and registered with plotters under [`MapFont::family`].
#[derive(Clone)]
pub struct MapFont {
    origin: FontOrigin,
    family: String,
    font: FontRef<'static>,
}

impl std::fmt::Debug for MapFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MapFont")
            .field("origin", &self.origin)
            .field("family", &self.family)
            .finish()
    }
}

/// Font bytes read from files, kept for the life of the process (plotters needs `'static`).
fn file_cache() -> &'static Mutex<HashMap<PathBuf, &'static [u8]>> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, &'static [u8]>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

impl MapFont {
    /// The bundled subset.
    pub fn bundled() -> MapFont {
        Self::from_bytes(BUNDLED_FONT, FontOrigin::Bundled)
            .expect("invariant: the bundled font parses")
    }

    /// A TrueType/OpenType font file (the first face of a `.ttc` collection).
    pub fn from_file(path: &Path) -> Result<MapFont, RenderError> {
        let bytes: &'static [u8] = {
            let mut cache = file_cache().lock().unwrap_or_else(|e| e.into_inner());
            match cache.get(path) {
                Some(bytes) => bytes,
                None => {
                    let data = std::fs::read(path).map_err(|e| RenderError::FontFile {
                        path: path.to_path_buf(),
                        source: e,
                    })?;
                    let leaked: &'static [u8] = Box::leak(data.into_boxed_slice());
                    cache.insert(path.to_path_buf(), leaked);
                    leaked
                }
            }
        };
        Self::from_bytes(bytes, FontOrigin::File(path.to_path_buf()))
    }

    /// The font named by `WXMOD_FONT`, else the bundled subset.
    pub fn from_env() -> Result<MapFont, RenderError> {
        match std::env::var_os(FONT_ENV) {
            Some(path) if !path.is_empty() => Self::from_file(Path::new(&path)),
            _ => Ok(Self::bundled()),
        }
    }

    fn from_bytes(bytes: &'static [u8], origin: FontOrigin) -> Result<MapFont, RenderError> {
        let invalid = || RenderError::InvalidFont {
            font: origin.to_string(),
        };
        let font = FontRef::try_from_slice(bytes).map_err(|_| invalid())?;
        let family = match &origin {
            FontOrigin::Bundled => "wxmod-bundled".to_string(),
            FontOrigin::File(path) => format!("wxmod-file:{}", path.display()),
        };
        plotters::style::register_font(&family, plotters::style::FontStyle::Normal, bytes)
            .map_err(|_| invalid())?;
        Ok(MapFont {
            origin,
            family,
            font,
        })
    }

    /// Where the font came from.
    pub fn origin(&self) -> &FontOrigin {
        &self.origin
    }

    /// The family name registered with plotters.
    pub fn family(&self) -> &str {
        &self.family
    }

    /// The characters of `text` that the font has no glyph for (whitespace excepted), each
    /// once, in order of appearance.
    ///
    /// # Examples
    /// ```
    /// let font = wxmod::render::MapFont::bundled();
    /// assert!(font.missing_glyphs("朔州市 Shuozhou 2026").is_empty());
    /// ```
    pub fn missing_glyphs(&self, text: &str) -> Vec<char> {
        let mut missing = Vec::new();
        for c in text.chars() {
            if !c.is_whitespace() && self.font.glyph_id(c).0 == 0 && !missing.contains(&c) {
                missing.push(c);
            }
        }
        missing
    }

    /// The advance width of `text` in pixels when drawn at `size` (plotters' font size: the
    /// pixel height from descender to ascender).
    pub fn text_width(&self, text: &str, size: f64) -> f64 {
        let scaled = self.font.as_scaled(PxScale::from(size as f32));
        let mut width = 0.0f32;
        let mut prev = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            width += scaled.h_advance(id);
            if let Some(p) = prev {
                width += scaled.kern(p, id);
            }
            prev = Some(id);
        }
        width as f64
    }
}

impl MapFont {
    /// Where each visible glyph of `text` starts when drawn from x = 0 at `size`: the pen
    /// position (advances plus kerning) plus the glyph's left side bearing, in pixels. plotters'
    /// `ab_glyph` text drawing places each glyph's bitmap at the pen position and drops the
    /// bearing, which spaces Latin letters unevenly; drawing glyph by glyph at these offsets
    /// avoids that.
    pub fn glyph_offsets(&self, text: &str, size: f64) -> Vec<(char, f64)> {
        let scaled = self.font.as_scaled(PxScale::from(size as f32));
        let mut pen = 0.0f32;
        let mut prev = None;
        let mut out = Vec::new();
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = prev {
                pen += scaled.kern(p, id);
            }
            if let Some(outline) = scaled.outline_glyph(scaled.scaled_glyph(c)) {
                out.push((c, (pen + outline.px_bounds().min.x) as f64));
            }
            pen += scaled.h_advance(id);
            prev = Some(id);
        }
        out
    }
}

/// The first installed system font from [`SYSTEM_CJK_FONTS`] that has every character of
/// `texts`.
pub fn system_font_covering<'t>(texts: impl Iterator<Item = &'t str> + Clone) -> Option<MapFont> {
    SYSTEM_CJK_FONTS
        .iter()
        .map(Path::new)
        .filter(|p| p.exists())
        .filter_map(|p| MapFont::from_file(p).ok())
        .find(|font| texts.clone().all(|t| font.missing_glyphs(t).is_empty()))
}

/// The font to draw `texts` with: `font` if it covers them; for the bundled subset, else a
/// covering system font; else [`RenderError::MissingGlyphs`].
pub fn font_covering<'t>(
    font: &MapFont,
    texts: impl Iterator<Item = &'t str> + Clone,
) -> Result<MapFont, RenderError> {
    let mut missing: Vec<char> = Vec::new();
    let mut sample = String::new();
    for text in texts.clone() {
        let m = font.missing_glyphs(text);
        if !m.is_empty() && sample.is_empty() {
            sample = text.to_string();
        }
        for c in m {
            if !missing.contains(&c) {
                missing.push(c);
            }
        }
    }
    if missing.is_empty() {
        return Ok(font.clone());
    }
    if font.origin == FontOrigin::Bundled
        && let Some(system) = system_font_covering(texts)
    {
        return Ok(system);
    }
    Err(RenderError::MissingGlyphs {
        font: font.origin.to_string(),
        chars: missing.into_iter().collect(),
        sample,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_subset_has_the_county_names_and_ascii() {
        let font = MapFont::bundled();
        for name in [
            "朔州市",
            "朔城区",
            "平鲁区",
            "山阴县",
            "应县",
            "右玉县",
            "怀仁市",
        ] {
            assert!(font.missing_glyphs(name).is_empty(), "{name}");
        }
        let ascii: String = (0x21u8..0x7f).map(char::from).collect();
        assert!(font.missing_glyphs(&ascii).is_empty());
        assert!(font.text_width("朔州", 20.0) > font.text_width("ab", 20.0));
    }

    #[test]
    fn a_rare_character_is_reported_missing() {
        let font = MapFont::bundled();
        // U+9F98 (dá, three dragons) is in no Shuozhou name and not in the subset; written as
        // an escape so that make_subset.py, which scans this file, does not keep it.
        assert_eq!(font.missing_glyphs("\u{9F98}\u{9F98} x"), vec!['\u{9F98}']);
    }

    #[test]
    fn a_missing_font_file_is_a_clear_error() {
        let err = MapFont::from_file(Path::new("/nonexistent/font.ttf")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot read font file /nonexistent/font.ttf"),
            "{err}"
        );
    }
}
