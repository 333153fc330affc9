//! The look of the maps: colours, symbols, line widths, text sizes and the fixed words they
//! print (legend entries in Chinese with English glosses).
//!
//! Sizes are given in millimetres on paper and turned into pixels at the sheet's resolution,
//! so A4 and A3 maps and every dpi look alike. Colours are chosen to stay apart when
//! translucent fills overlap: cell status in blue/red/grey, zones in warm and green hues.
//!
//! Every Chinese character here must be in the bundled font subset (`data/fonts/`); a unit
//! test in [`super::font`]'s sibling tests checks that.

use plotters::style::{RGBAColor, RGBColor};

use super::map::CellStatus;
use crate::region::LandmarkKind;
use crate::sites::{SiteKind, SiteStatus};
use crate::zones::ZoneKind;

/// Opaque colour.
pub(crate) const fn rgb(r: u8, g: u8, b: u8) -> RGBAColor {
    RGBAColor(r, g, b, 1.0)
}

/// Translucent colour.
pub(crate) const fn rgba(r: u8, g: u8, b: u8, a: f64) -> RGBAColor {
    RGBAColor(r, g, b, a)
}

pub(crate) const WHITE: RGBAColor = rgb(255, 255, 255);
pub(crate) const INK: RGBAColor = rgb(30, 30, 30);
pub(crate) const GREY_TEXT: RGBAColor = rgb(80, 80, 80);
pub(crate) const FRAME: RGBAColor = rgb(20, 20, 20);
pub(crate) const REGION_LINE: RGBAColor = rgb(45, 45, 45);
pub(crate) const COUNTY_LINE: RGBAColor = rgb(85, 85, 85);
pub(crate) const CELL_LINE: RGBAColor = rgba(90, 90, 90, 0.7);
pub(crate) const RIVER: RGBAColor = rgb(60, 130, 200);
pub(crate) const DIM_OUTSIDE: RGBAColor = rgba(255, 255, 255, 0.55);
pub(crate) const LABEL_HALO: RGBAColor = rgba(255, 255, 255, 0.78);
pub(crate) const PANEL_BOX: RGBAColor = rgba(255, 255, 255, 0.85);
pub(crate) const SECTOR_FILL: RGBAColor = rgba(220, 50, 32, 0.16);
pub(crate) const SECTOR_LINE: RGBAColor = rgba(190, 30, 20, 0.9);
/// Land colour under the hillshade, and the paper outside the region.
pub(crate) const LAND: RGBColor = RGBColor(246, 242, 232);
pub(crate) const OUTSIDE: RGBColor = RGBColor(252, 251, 248);
/// Plain land fill when there is no DEM.
pub(crate) const LAND_FILL: RGBAColor = rgb(246, 242, 232);

/// Fill and inset outline of a cell by status; `None` for neither. With `under_zones` the
/// fill is lighter, so that zone colours show through.
pub(crate) fn cell_colors(
    status: CellStatus,
    under_zones: bool,
) -> (Option<RGBAColor>, Option<RGBAColor>) {
    let k = if under_zones { 0.45 } else { 1.0 };
    match status {
        CellStatus::Served => (
            Some(rgba(33, 102, 172, 0.30 * k)),
            Some(rgba(33, 102, 172, 0.9)),
        ),
        CellStatus::Gap => (
            Some(rgba(215, 25, 28, 0.32 * k)),
            Some(rgba(200, 20, 25, 0.9)),
        ),
        CellStatus::Infeasible => (
            Some(rgba(90, 90, 90, 0.42 * k)),
            Some(rgba(60, 60, 60, 0.9)),
        ),
        CellStatus::NotRequired => (None, None),
    }
}

/// Legend label of a cell status.
pub(crate) fn cell_label(status: CellStatus) -> &'static str {
    match status {
        CellStatus::Served => "已覆盖 served",
        CellStatus::Gap => "空白 gap",
        CellStatus::Infeasible => "不可布设 infeasible",
        CellStatus::NotRequired => "无需布点 not required",
    }
}

/// Fill of a priority zone.
pub(crate) fn zone_fill(kind: ZoneKind) -> RGBAColor {
    match kind {
        ZoneKind::Grain => rgba(235, 190, 40, 0.34),
        ZoneKind::ForestFruit => rgba(70, 160, 60, 0.34),
        ZoneKind::Pasture => rgba(165, 205, 90, 0.34),
        ZoneKind::Ecological => rgba(0, 150, 136, 0.30),
        ZoneKind::HighMountain => rgba(140, 85, 45, 0.30),
    }
}

/// The symbol shapes of sites and landmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Triangle,
    Square,
    Diamond,
    Star,
    Circle,
    CircleCross,
    Radar,
    Airport,
    CountySeat,
    Dot,
}

/// Symbol and colour of a site kind.
pub(crate) fn site_symbol(kind: SiteKind) -> (Shape, RGBAColor) {
    match kind {
        SiteKind::FixedRocket => (Shape::Triangle, rgb(200, 30, 30)),
        SiteKind::FixedGun => (Shape::Square, rgb(110, 50, 150)),
        SiteKind::Burner => (Shape::Diamond, rgb(230, 110, 0)),
        SiteKind::MobileRocketBase => (Shape::Star, rgb(20, 90, 180)),
        SiteKind::Aws => (Shape::CircleCross, rgb(0, 130, 130)),
        SiteKind::Radar => (Shape::Radar, rgb(190, 0, 110)),
    }
}

/// Symbol and colour of a landmark kind.
pub(crate) fn landmark_symbol(kind: LandmarkKind) -> (Shape, RGBAColor) {
    match kind {
        LandmarkKind::CountySeat => (Shape::CountySeat, rgb(40, 40, 40)),
        LandmarkKind::Airport => (Shape::Airport, rgb(25, 60, 120)),
        LandmarkKind::Place => (Shape::Dot, rgb(70, 70, 70)),
    }
}

/// Legend label of a landmark kind.
pub(crate) fn landmark_label(kind: LandmarkKind) -> &'static str {
    match kind {
        LandmarkKind::CountySeat => "县城 county seat",
        LandmarkKind::Airport => "机场 airport",
        LandmarkKind::Place => "村镇 town or village",
    }
}

/// Legend label of a site status.
pub(crate) fn site_status_label(status: SiteStatus) -> &'static str {
    match status {
        SiteStatus::Existing => "现有 existing",
        SiteStatus::Planned => "规划 planned (年份 year)",
        SiteStatus::Retired => "已撤销 retired",
    }
}

/// The classes of a county's served share on an overview of many counties (a choropleth from
/// red, nothing served, to green, the grid standard met): label and fill. Index 0 is "no
/// required cell".
pub(crate) const SHARE_CLASSES: [(&str, (u8, u8, u8)); 6] = [
    ("无需布点 no required cell", (232, 232, 232)),
    ("0 % 无覆盖 none served", (215, 48, 39)),
    ("1–49 %", (252, 141, 89)),
    ("50–89 %", (254, 224, 139)),
    ("90–99 %", (166, 217, 106)),
    ("100 % 达标 all served", (26, 150, 65)),
];

/// The class (index into [`SHARE_CLASSES`]) of a served share.
pub(crate) fn share_class(share: Option<f64>) -> usize {
    match share {
        None => 0,
        Some(x) if x <= 0.0 => 1,
        Some(x) if x < 0.5 => 2,
        Some(x) if x < 0.9 => 3,
        Some(x) if x < 1.0 => 4,
        Some(_) => 5,
    }
}

/// The fill of a share class.
pub(crate) fn share_fill(class: usize) -> RGBAColor {
    let (r, g, b) = SHARE_CLASSES[class.min(SHARE_CLASSES.len() - 1)].1;
    RGBAColor(r, g, b, 0.85)
}

/// Borders of the cities (or provinces) over the counties of an overview.
pub(crate) const UNIT_LINE: RGBAColor = RGBAColor(60, 40, 40, 1.0);

/// Names of the cities (or provinces) on an overview.
pub(crate) const UNIT_NAME: RGBAColor = RGBAColor(110, 30, 30, 1.0);

/// Fixed words on the sheet.
pub(crate) mod words {
    pub const LEGEND: &str = "图例 Legend";
    pub const GRID: &str = "网格 grid";
    pub const ZONES: &str = "重点区域 priority zones";
    pub const SITES: &str = "作业点 sites";
    pub const NEW_IN_YEAR: &str = "当年新建 new this year";
    pub const BUILT: &str = "已建成 built";
    pub const THIS_COUNTY: &str = "本县界 this county";
    pub const INFLUENCE: &str = "影响范围 influence radius";
    pub const SECTOR: &str = "安全射界 firing sector";
    pub const COUNTY_BOUNDARY: &str = "县界 county boundary";
    pub const RIVER: &str = "河流 river";
    pub const HILLSHADE: &str = "地形晕渲 hillshade (DEM)";
    pub const BASE: &str = "底图 base map";
    pub const SOURCES: &str = "数据来源 Sources: ";
    pub const CRS: &str = "坐标系 CRS";
    pub const SCALE: &str = "比例尺";
    pub const NORTH: &str = "N";
    pub const KM: &str = "km";
    pub const SHARE: &str = "已覆盖比例 served share of required cells";
    pub const COUNTS: &str = "县作业点数 sites per county";
}

/// Sizes in pixels for one resolution.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sizes {
    /// Pixels per millimetre.
    pub mm: f64,
}

impl Sizes {
    pub fn new(dpi: f64) -> Sizes {
        Sizes { mm: dpi / 25.4 }
    }
    /// A length in millimetres, in pixels.
    pub fn px(&self, mm: f64) -> f64 {
        mm * self.mm
    }
    /// A line width in millimetres, in whole pixels (at least 1).
    pub fn line(&self, mm: f64) -> u32 {
        (mm * self.mm).round().max(1.0) as u32
    }
    pub fn title(&self) -> f64 {
        self.px(7.0)
    }
    pub fn subtitle(&self) -> f64 {
        self.px(4.2)
    }
    pub fn county_label(&self) -> f64 {
        self.px(4.6)
    }
    pub fn heading(&self) -> f64 {
        self.px(3.5)
    }
    pub fn legend(&self) -> f64 {
        self.px(3.0)
    }
    pub fn label(&self) -> f64 {
        self.px(2.6)
    }
    pub fn note(&self) -> f64 {
        self.px(2.5)
    }
    /// Radius of a site symbol.
    pub fn symbol(&self) -> f64 {
        self.px(1.4)
    }
}
