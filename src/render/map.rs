//! What one map shows: [`MapSpec`], built step by step, and the status of each grid cell.
//!
//! A spec borrows the planning data (region, grid, DEM, zones, sites ...) and says which
//! extent, sheet, title and layers to draw; [`super::render_png`] and [`super::render_svg`]
//! turn it into bytes. The cell status comes from the caller (the gap analysis); without
//! one, [`status_by_sites_inside`] gives the simple reading "a site inside serves the cell".

use std::collections::BTreeMap;

use geo::{MultiLineString, MultiPolygon, Polygon, Rect};

use super::RenderError;
use super::paper::{DPI_RANGE, Paper};
use crate::catalog::Catalog;
use crate::grid::{CellId, Grid};
use crate::region::{Landmark, Region, UnitLevel};
use crate::sites::Site;
use crate::terrain::Dem;
use crate::zones::ZoneLayer;

/// The planning status of a grid cell, as shaded on the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CellStatus {
    /// The cell requires a point and has one (已覆盖).
    Served,
    /// The cell requires a point and has none (空白).
    Gap,
    /// The cell requires a point but none can be placed there (不可布设).
    Infeasible,
    /// The policy does not require a point in the cell (无需布点).
    NotRequired,
}

impl CellStatus {
    /// All statuses, in legend order.
    pub const ALL: [CellStatus; 4] = [
        CellStatus::Served,
        CellStatus::Gap,
        CellStatus::Infeasible,
        CellStatus::NotRequired,
    ];
}

/// The status of each cell of a grid; cells not in the map are drawn as outlines only.
pub type CellStatusMap = BTreeMap<CellId, CellStatus>;

/// The part of the region a map shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Extent {
    /// All counties.
    Region,
    /// One county, by id; the other counties are dimmed.
    County(String),
    /// A rectangle in the region's projected CRS, metres.
    Rect(Rect<f64>),
}

/// A firing-sector wedge (安全射界) or any other labelled area, in WGS84 lon/lat.
#[derive(Debug, Clone, PartialEq)]
pub struct SectorOverlay {
    /// Shown at the wedge's centroid, e.g. the site id.
    pub label: String,
    /// The wedge, lon/lat degrees.
    pub lonlat: Polygon<f64>,
}

/// A filled area with its own legend entry (for example the land a radar covers), in WGS84
/// lon/lat; the label must use characters of the map font.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaOverlay {
    /// The legend text.
    pub label: String,
    /// The area, lon/lat degrees.
    pub lonlat: MultiPolygon<f64>,
    /// Fill colour: red, green, blue and opacity (0..=1).
    pub rgba: (u8, u8, u8, f64),
}

/// One map: extent, sheet, title and the layers to draw.
///
/// # Examples
/// ```
/// use wxmod::region::{Region, bundled_region_dir};
/// use wxmod::render::{Extent, MapSpec, Paper};
/// let region = Region::load(&bundled_region_dir(), None).unwrap();
/// let spec = MapSpec::new(&region, "怀仁市")
///     .extent(Extent::County("140681".into()))
///     .paper(Paper::a4_landscape());
/// assert!(spec.validate().is_ok());
/// ```
#[derive(Debug, Clone)]
pub struct MapSpec<'a> {
    /// Short name for files, e.g. `city_overview` (no extension).
    pub name: String,
    /// The region; its counties are always drawn.
    pub region: &'a Region,
    /// What part of the region to show.
    pub extent: Extent,
    /// Space around the extent, metres.
    pub margin_m: f64,
    /// The sheet.
    pub paper: Paper,
    /// The title.
    pub title: String,
    /// A line under the title.
    pub subtitle: Option<String>,
    /// The grid whose cells are drawn and shaded by `cell_status`.
    pub grid: Option<&'a Grid>,
    /// The status of each cell of `grid`.
    pub cell_status: CellStatusMap,
    /// Priority zones, filled by kind.
    pub zones: Option<&'a ZoneLayer>,
    /// Elevation model for the hillshade.
    pub dem: Option<&'a Dem>,
    /// River centre-lines, lon/lat.
    pub rivers: Option<&'a MultiLineString<f64>>,
    /// County seats, airports and places.
    pub landmarks: &'a [Landmark],
    /// Label places (towns and villages) by name.
    pub label_places: bool,
    /// Sites; drawn by kind and status, planned ones labelled with their year.
    pub sites: &'a [Site],
    /// Draw the network as of the end of this year: only sites operating by then, those
    /// built in that year highlighted. `None`: every site, planned ones hollow.
    pub as_of_year: Option<i32>,
    /// Label every site with its id (county maps).
    pub label_site_ids: bool,
    /// Draw influence discs with radii from this catalog.
    pub influence: Option<&'a Catalog>,
    /// Firing-sector wedges.
    pub sectors: Vec<SectorOverlay>,
    /// Filled areas drawn over the zones and grid, each listed in the legend.
    pub areas: Vec<AreaOverlay>,
    /// Where the data come from, printed at the foot of the sheet.
    pub source_note: String,
    /// One symbol per county instead of cells and sites (the overview of a province or a
    /// country): the county filled by the share of its required cells served, its site
    /// counts by kind, and the borders and names of its cities (or provinces).
    pub county_summary: Option<CountySummary>,
}

/// The county-level summary an overview of many counties draws (see
/// [`MapSpec::county_summary`]).
#[derive(Debug, Clone, Default)]
pub struct CountySummary {
    /// Per county, in region order: the share (0..=1) of its required cells that are served,
    /// or `None` when it has no required cell.
    pub served_share: Vec<Option<f64>>,
    /// Per county, in region order: how many sites of each kind it has (existing and
    /// planned, retired left out), kinds with none left out.
    pub counts: Vec<Vec<(crate::sites::SiteKind, usize)>>,
    /// The units whose borders and names are drawn over the counties (the cities of a
    /// province, the provinces of a country), their outlines kept by the region
    /// ([`Region::unit_outlines`]); `None`: no units drawn.
    pub unit_level: Option<UnitLevel>,
    /// Whether the names and counts are drawn per unit (summed over its counties) instead
    /// of per county: a country's 2,875 county blocks would cover the sheet.
    pub blocks_per_unit: bool,
    /// The counties whose shares and blocks are drawn (one province of a country); `None`:
    /// every county. The others are only outlined.
    pub focus: Option<Vec<usize>>,
    /// The units' boundary in the legend, e.g. `市界 city boundary`.
    pub unit_boundary: String,
    /// When the shares hold, for the legend, e.g. `2043 年底 end of 2043`.
    pub as_of: String,
}

impl CountySummary {
    /// Whether the county at `index` has its share and block drawn ([`CountySummary::focus`]).
    pub fn in_focus(&self, index: usize) -> bool {
        self.focus.as_ref().is_none_or(|f| f.contains(&index))
    }
}

impl<'a> MapSpec<'a> {
    /// A map of the whole region on A4 landscape with only the county layer; add layers with
    /// the other methods.
    pub fn new(region: &'a Region, title: impl Into<String>) -> MapSpec<'a> {
        MapSpec {
            name: "map".into(),
            region,
            extent: Extent::Region,
            margin_m: 4_000.0,
            paper: Paper::a4_landscape(),
            title: title.into(),
            subtitle: None,
            grid: None,
            cell_status: CellStatusMap::new(),
            zones: None,
            dem: None,
            rivers: None,
            landmarks: &[],
            label_places: false,
            sites: &[],
            as_of_year: None,
            label_site_ids: false,
            influence: None,
            sectors: Vec::new(),
            areas: Vec::new(),
            source_note: String::new(),
            county_summary: None,
        }
    }

    /// Sets the file name stem.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Sets the extent.
    pub fn extent(mut self, extent: Extent) -> Self {
        self.extent = extent;
        self
    }

    /// Sets the margin around the extent, metres.
    pub fn margin_m(mut self, margin_m: f64) -> Self {
        self.margin_m = margin_m;
        self
    }

    /// Sets the sheet.
    pub fn paper(mut self, paper: Paper) -> Self {
        self.paper = paper;
        self
    }

    /// Sets the line under the title.
    pub fn subtitle(mut self, subtitle: impl Into<String>) -> Self {
        self.subtitle = Some(subtitle.into());
        self
    }

    /// Draws a grid with its cells shaded by status.
    pub fn grid(mut self, grid: &'a Grid, status: CellStatusMap) -> Self {
        self.grid = Some(grid);
        self.cell_status = status;
        self
    }

    /// Fills the priority zones.
    pub fn zones(mut self, zones: &'a ZoneLayer) -> Self {
        self.zones = Some(zones);
        self
    }

    /// Shades the terrain from a DEM.
    pub fn terrain(mut self, dem: &'a Dem) -> Self {
        self.dem = Some(dem);
        self
    }

    /// Draws rivers.
    pub fn rivers(mut self, rivers: &'a MultiLineString<f64>) -> Self {
        self.rivers = Some(rivers);
        self
    }

    /// Draws landmarks; `label_places` also names the towns and villages.
    pub fn landmarks(mut self, landmarks: &'a [Landmark], label_places: bool) -> Self {
        self.landmarks = landmarks;
        self.label_places = label_places;
        self
    }

    /// Draws sites.
    pub fn sites(mut self, sites: &'a [Site]) -> Self {
        self.sites = sites;
        self
    }

    /// Shows the network as of the end of a year.
    pub fn as_of_year(mut self, year: i32) -> Self {
        self.as_of_year = Some(year);
        self
    }

    /// Labels every site with its id.
    pub fn label_site_ids(mut self, on: bool) -> Self {
        self.label_site_ids = on;
        self
    }

    /// Draws influence discs with the catalog's radii.
    pub fn influence(mut self, catalog: &'a Catalog) -> Self {
        self.influence = Some(catalog);
        self
    }

    /// Adds firing-sector wedges.
    pub fn sectors(mut self, sectors: Vec<SectorOverlay>) -> Self {
        self.sectors = sectors;
        self
    }

    /// Adds filled areas with legend entries.
    pub fn areas(mut self, areas: Vec<AreaOverlay>) -> Self {
        self.areas = areas;
        self
    }

    /// Sets the data-source note.
    pub fn source_note(mut self, note: impl Into<String>) -> Self {
        self.source_note = note.into();
        self
    }

    /// Checks the spec: a known county, a finite non-negative margin, a resolution in
    /// `DPI_RANGE`.
    pub fn validate(&self) -> Result<(), RenderError> {
        if let Extent::County(id) = &self.extent
            && self.region.county(id).is_none()
        {
            return Err(RenderError::UnknownCounty {
                id: id.clone(),
                region: self.region.name.clone(),
                known: self
                    .region
                    .counties
                    .iter()
                    .map(|c| format!("{} {}", c.id, c.name))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        if let Extent::Rect(rect) = &self.extent
            && !(rect.width() > 0.0 && rect.height() > 0.0)
        {
            return Err(RenderError::EmptyExtent);
        }
        if !(self.margin_m >= 0.0 && self.margin_m.is_finite()) {
            return Err(RenderError::Margin {
                margin_m: self.margin_m,
            });
        }
        if !DPI_RANGE.contains(&self.paper.dpi) {
            return Err(RenderError::Dpi {
                dpi: self.paper.dpi,
            });
        }
        Ok(())
    }

    /// Whether a site is drawn on this map, and whether it is new in `as_of_year`.
    pub(crate) fn site_shown(&self, site: &Site) -> Option<bool> {
        match self.as_of_year {
            None => Some(false),
            Some(year) => site
                .operating_in(Some(year))
                .then(|| site.year == Some(year)),
        }
    }
}

/// Whether a site of this kind serves a grid cell in [`status_by_sites_inside`]: a
/// standardized fixed rocket or gun point (the policy's grid standard; burners do not count).
pub fn serves_cell(site: &Site) -> bool {
    site.is_standardized_fixed()
}

/// Cell status without a gap analysis: a cell that requires a point is served when a site
/// that [`serves_cell`] and operates in `year` (existing sites when `None`) stands inside it,
/// else a gap; other cells are not required. Sites that cannot be projected are ignored.
/// Cost: one projection and one hash lookup per site.
pub fn status_by_sites_inside(
    region: &Region,
    grid: &Grid,
    sites: &[Site],
    year: Option<i32>,
) -> CellStatusMap {
    let mut status: CellStatusMap = grid
        .cells
        .iter()
        .map(|c| {
            let s = if c.requires_point {
                CellStatus::Gap
            } else {
                CellStatus::NotRequired
            };
            (c.id, s)
        })
        .collect();
    for site in sites
        .iter()
        .filter(|s| serves_cell(s) && s.operating_in(year))
    {
        let Ok((x, y)) = region.projection.forward(site.lon, site.lat) else {
            continue;
        };
        if let Some(cell) = grid.cell_at(x, y)
            && cell.requires_point
        {
            status.insert(cell.id, CellStatus::Served);
        }
    }
    status
}
