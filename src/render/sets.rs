//! The standard map sets a bureau hands to its leading group: the region overview, one map
//! per city or province ([`unit_maps`]), one map per county and one per rollout year (建设时序).
//!
//! Each function returns [`MapSpec`]s with a file name stem (`city_overview`,
//! `county_140602`, `rollout_2026`), a Chinese title with an English gloss and the layers that
//! suit the scale: the overview shows terrain, cells, sites and landmarks; a county map adds
//! priority zones, influence discs, firing sectors, labelled places and site ids; a rollout map
//! shows the network and cell status at the end of one year (for a province or a country, one
//! symbol per county, as its overview). Render them with
//! [`super::render_png`] / [`super::render_svg`].

use geo::{BoundingRect, MultiLineString, Rect};

use super::RenderError;
use super::map::{CellStatus, CellStatusMap, CountySummary, Extent, MapSpec, SectorOverlay};
use super::paper::{Paper, PaperSize};
use crate::catalog::Catalog;
use crate::grid::{Grid, GridRule};
use crate::region::{Landmark, Region, RegionScope, UnitLevel, admin_units};
use crate::sites::{Site, SiteKind, SiteStatus};
use crate::terrain::Dem;
use crate::zones::ZoneLayer;

/// The data every map of a set draws from.
#[derive(Debug, Clone)]
pub struct MapInputs<'a> {
    /// The region.
    pub region: &'a Region,
    /// The grid to shade, if any.
    pub grid: Option<&'a Grid>,
    /// The status of its cells now (overview and county maps).
    pub cell_status: CellStatusMap,
    /// Elevation model for the hillshade.
    pub dem: Option<&'a Dem>,
    /// Priority zones.
    pub zones: Option<&'a ZoneLayer>,
    /// River lines, lon/lat.
    pub rivers: Option<&'a MultiLineString<f64>>,
    /// County seats, airports, places.
    pub landmarks: &'a [Landmark],
    /// Existing and planned sites.
    pub sites: &'a [Site],
    /// Catalog for influence discs on county maps.
    pub catalog: Option<&'a Catalog>,
    /// Firing-sector wedges for county maps.
    pub sectors: Vec<SectorOverlay>,
    /// Sheet size and resolution; the orientation is chosen per map to suit its extent.
    pub paper: Paper,
    /// Data-source note for every sheet.
    pub source_note: String,
    /// The cell status at the end of the rollout (its last year): the served shares of a
    /// province's or a country's overview; `None`: `cell_status` stands in.
    pub final_status: Option<(i32, CellStatusMap)>,
}

impl<'a> MapInputs<'a> {
    /// Inputs with only the region, on A4 at 150 dpi.
    pub fn new(region: &'a Region) -> MapInputs<'a> {
        MapInputs {
            region,
            grid: None,
            cell_status: CellStatusMap::new(),
            dem: None,
            zones: None,
            rivers: None,
            landmarks: &[],
            sites: &[],
            catalog: None,
            sectors: Vec::new(),
            paper: Paper::a4_landscape(),
            source_note: String::new(),
            final_status: None,
        }
    }

    fn base(&self, extent: Extent, title: String) -> MapSpec<'a> {
        let mut spec = MapSpec::new(self.region, title)
            .extent(extent)
            .landmarks(self.landmarks, false)
            .sites(self.sites)
            .source_note(self.source_note.clone());
        spec.dem = self.dem;
        spec.rivers = self.rivers;
        spec
    }

    fn grid_words(&self) -> String {
        match self.grid {
            Some(g) => format!("{} km 网格 grid", g.spec.cell_size_m / 1000.0),
            None => String::new(),
        }
    }
}

/// Counts cells that require a point ("required") and those of them served.
fn coverage(status: &CellStatusMap) -> (usize, usize) {
    let required = status
        .values()
        .filter(|s| **s != CellStatus::NotRequired)
        .count();
    let served = status
        .values()
        .filter(|s| **s == CellStatus::Served)
        .count();
    (served, required)
}

fn oriented(paper: Paper, region: &Region, extent: &Extent) -> Paper {
    let rect = match extent {
        Extent::Region => Some(region.projected_bounds()),
        Extent::County(id) => region.county(id).and_then(|c| c.shape.bounding_rect()),
        Extent::Rect(r) => Some(*r),
    };
    match rect {
        // The frame loses about a quarter of the sheet width to the legend in landscape and a
        // third of its height in portrait: prefer landscape unless clearly tall.
        Some(r) => paper.oriented_for(r.width() * 1.25, r.height()),
        None => paper,
    }
}

/// The city overview: all counties, terrain, grid cells by status, sites and landmarks.
///
/// # Examples
/// ```
/// use wxmod::region::{Region, bundled_region_dir};
/// use wxmod::render::{MapInputs, city_overview};
/// let region = Region::load(&bundled_region_dir(), None).unwrap();
/// let spec = city_overview(&MapInputs::new(&region));
/// assert_eq!(spec.name, "city_overview");
/// ```
pub fn city_overview<'a>(inputs: &MapInputs<'a>) -> MapSpec<'a> {
    let scope = RegionScope::of(inputs.region);
    if scope != RegionScope::City {
        return summary_overview(inputs, scope);
    }
    let title = format!("{} 人工影响天气作业点布局图", inputs.region.name);
    let mut spec = inputs
        .base(Extent::Region, title)
        .name("city_overview")
        .paper(oriented(inputs.paper, inputs.region, &Extent::Region));
    if let Some(grid) = inputs.grid {
        spec = spec.grid(grid, inputs.cell_status.clone());
        if grid.rule == GridRule::ZoneShare {
            spec.zones = inputs.zones;
        }
    } else {
        spec.zones = inputs.zones;
    }
    spec.subtitle = Some(subtitle(inputs, &inputs.cell_status, None, None));
    spec
}

/// The overview of a province or a country, legible on A3: one symbol per county instead of
/// cells and sites. Each county is filled by the share of its required cells served at the
/// end of the rollout (`final_status`, else now) and carries its name and its site counts by
/// kind; the cities (of a province) or provinces (of a country) are outlined and named. No
/// terrain, no per-site symbols or labels; named `province_overview` / `country_overview`.
fn summary_overview<'a>(inputs: &MapInputs<'a>, scope: RegionScope) -> MapSpec<'a> {
    let name = match scope {
        RegionScope::Country => "country_overview",
        _ => "province_overview",
    };
    let (status, as_of) = match &inputs.final_status {
        Some((year, status)) => (status, format!("{year} 年底 end of {year}")),
        None => (&inputs.cell_status, "现状 now".to_string()),
    };
    let title = format!("{} 人工影响天气作业点布局总图", inputs.region.name);
    let mut spec = summary_map(
        inputs,
        SummaryOf::Region(scope),
        title,
        status,
        None,
        as_of.clone(),
    )
    .name(name);
    let mut parts = Vec::new();
    if inputs.grid.is_some() {
        let (now_served, now_required) = coverage(&inputs.cell_status);
        parts.push(format!(
            "{}: 已覆盖 {now_served} / {now_required} 需布点 served of required now",
            inputs.grid_words()
        ));
        if inputs.final_status.is_some() {
            let (end_served, end_required) = coverage(status);
            parts.push(format!("{as_of}: {end_served} / {end_required}"));
        }
    }
    parts.push(format!(
        "{} 个县级单位 counties, one symbol per county",
        inputs.region.counties.len()
    ));
    spec.subtitle = Some(parts.join(" · "));
    spec
}

/// What a summary map shows: a whole region of the scope, or one province of a country.
#[derive(Debug, Clone, Copy, PartialEq)]
enum SummaryOf<'u> {
    /// The whole region: blocks per county (a province) or per province (a country).
    Region(RegionScope),
    /// One province of a country: its counties' shares and blocks, its cities outlined.
    Province(&'u crate::region::AdminUnit),
}

/// The bounding rectangle of a unit's counties, projected metres.
fn units_rect(region: &Region, unit: &crate::region::AdminUnit) -> Option<Rect<f64>> {
    unit.counties
        .iter()
        .filter_map(|&i| region.counties.get(i).and_then(|c| c.shape.bounding_rect()))
        .reduce(|a, b| {
            Rect::new(
                geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
            )
        })
}

/// A map of many counties with one symbol per county (see [`summary_overview`]): each county
/// filled by the served share of its required cells in `status`, with its counts of sites by
/// kind (those operating at the end of `year` when given, else existing and planned ones);
/// the cities or provinces outlined and named; A3. Name and subtitle are the caller's.
fn summary_map<'a>(
    inputs: &MapInputs<'a>,
    of: SummaryOf,
    title: String,
    status: &CellStatusMap,
    year: Option<i32>,
    as_of: String,
) -> MapSpec<'a> {
    let region = inputs.region;
    let (unit_level, unit_boundary) = match of {
        SummaryOf::Region(RegionScope::Country) => (UnitLevel::Province, "省界 province boundary"),
        _ => (UnitLevel::City, "市界 city boundary"),
    };
    let mut required = vec![0usize; region.counties.len()];
    let mut served = vec![0usize; region.counties.len()];
    if let Some(grid) = inputs.grid {
        for (id, cell_status) in status {
            let Some(cell) = grid.cell(*id) else {
                continue;
            };
            if *cell_status != CellStatus::NotRequired && cell.majority_county < required.len() {
                required[cell.majority_county] += 1;
                if *cell_status == CellStatus::Served {
                    served[cell.majority_county] += 1;
                }
            }
        }
    }
    let index: std::collections::HashMap<&str, usize> = region
        .counties
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut counts =
        vec![std::collections::BTreeMap::<SiteKind, usize>::new(); region.counties.len()];
    for site in inputs.sites.iter().filter(|s| match year {
        Some(_) => s.operating_in(year),
        None => s.status != SiteStatus::Retired,
    }) {
        if site.kind == SiteKind::Radar {
            continue;
        }
        if let Some(&i) = site.county.as_deref().and_then(|c| index.get(c)) {
            *counts[i].entry(site.kind).or_default() += 1;
        }
    }
    let summary = CountySummary {
        served_share: required
            .iter()
            .zip(&served)
            .map(|(&r, &s)| (r > 0).then(|| s as f64 / r as f64))
            .collect(),
        counts: counts
            .into_iter()
            .map(|c| c.into_iter().collect())
            .collect(),
        unit_level: Some(unit_level),
        blocks_per_unit: of == SummaryOf::Region(RegionScope::Country),
        focus: match of {
            SummaryOf::Province(unit) => Some(unit.counties.clone()),
            SummaryOf::Region(_) => None,
        },
        unit_boundary: unit_boundary.to_string(),
        as_of,
    };
    let extent = match of {
        SummaryOf::Province(unit) => match units_rect(region, unit) {
            Some(rect) => Extent::Rect(rect),
            None => Extent::Region,
        },
        SummaryOf::Region(_) => Extent::Region,
    };
    let a3 = Paper::new(PaperSize::A3, inputs.paper.orientation).with_dpi(inputs.paper.dpi);
    let mut spec = MapSpec::new(region, title)
        .paper(oriented(a3, region, &extent))
        .extent(extent)
        .source_note(inputs.source_note.clone());
    if matches!(of, SummaryOf::Province(_)) {
        spec = spec.margin_m(5_000.0);
    }
    spec.rivers = inputs.rivers;
    spec.county_summary = Some(summary);
    spec
}

/// One county: its land highlighted, zones, cells, sites with ids, influence discs, firing
/// sectors and named places.
pub fn county_map<'a>(inputs: &MapInputs<'a>, county_id: &str) -> Result<MapSpec<'a>, RenderError> {
    let county = inputs
        .region
        .county(county_id)
        .ok_or_else(|| RenderError::UnknownCounty {
            id: county_id.to_string(),
            region: inputs.region.name.clone(),
            known: inputs
                .region
                .counties
                .iter()
                .map(|c| format!("{} {}", c.id, c.name))
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    let extent = Extent::County(county.id.clone());
    let title = format!("{} 人工影响天气作业点布局图", county.name);
    let paper = oriented(inputs.paper, inputs.region, &extent);
    let mut spec = inputs
        .base(extent, title)
        .name(format!("county_{}", county.id))
        .paper(paper)
        .margin_m(3_000.0)
        .landmarks(inputs.landmarks, true)
        .label_site_ids(true)
        .sectors(inputs.sectors.clone());
    spec.zones = inputs.zones;
    spec.influence = inputs.catalog;
    if let Some(grid) = inputs.grid {
        spec = spec.grid(grid, inputs.cell_status.clone());
    }
    let county_status: CellStatusMap = match inputs.grid {
        Some(grid) => inputs
            .cell_status
            .iter()
            .filter(|(id, _)| {
                grid.cell(**id).is_some_and(|c| {
                    c.parts
                        .iter()
                        .any(|p| inputs.region.counties[p.county].id == county.id)
                })
            })
            .map(|(id, s)| (*id, *s))
            .collect(),
        None => CellStatusMap::new(),
    };
    spec.subtitle = Some(format!(
        "{} · {}",
        inputs.region.name,
        subtitle(inputs, &county_status, None, Some(&county.id))
    ));
    Ok(spec)
}

/// One map per county, in region order.
pub fn county_maps<'a>(inputs: &MapInputs<'a>) -> Vec<MapSpec<'a>> {
    inputs
        .region
        .counties
        .iter()
        .filter_map(|c| county_map(inputs, &c.id).ok())
        .collect()
}

/// One map per city or province of the region (a province run maps per city, a national run
/// per province), named `city_<adcode>` / `province_<adcode>`: the unit's counties framed,
/// its cells by status, sites without labels and the seats and airports, as the overview
/// draws them. Units come from the counties' adcodes ([`admin_units`]).
pub fn unit_maps<'a>(inputs: &MapInputs<'a>, level: UnitLevel) -> Vec<MapSpec<'a>> {
    let prefix = match level {
        UnitLevel::City => "city",
        UnitLevel::Province => "province",
    };
    let summaries =
        level == UnitLevel::Province && RegionScope::of(inputs.region) == RegionScope::Country;
    admin_units(inputs.region, level)
        .into_iter()
        .filter_map(|unit| {
            if summaries {
                return Some(province_summary(inputs, &unit));
            }
            let extent = Extent::Rect(units_rect(inputs.region, &unit)?);
            let title = format!("{} 人工影响天气作业点布局图", unit.name);
            let paper = oriented(inputs.paper, inputs.region, &extent);
            let mut spec = inputs
                .base(extent, title)
                .name(format!("{prefix}_{}", unit.adcode))
                .paper(paper)
                .margin_m(5_000.0);
            let unit_status: CellStatusMap = match inputs.grid {
                Some(grid) => {
                    spec = spec.grid(grid, inputs.cell_status.clone());
                    if grid.rule == GridRule::ZoneShare {
                        spec.zones = inputs.zones;
                    }
                    unit_status(inputs.region, grid, &inputs.cell_status, &unit)
                }
                None => CellStatusMap::new(),
            };
            let ids: Vec<&str> = unit
                .counties
                .iter()
                .map(|&i| inputs.region.counties[i].id.as_str())
                .collect();
            spec.subtitle = Some(format!(
                "{} · {}",
                inputs.region.name,
                subtitle_for(inputs, &unit_status, None, &|s: &Site| {
                    s.county.as_deref().is_some_and(|c| ids.contains(&c))
                })
            ));
            Some(spec)
        })
        .collect()
}

/// One province of a country as a summary map (A3): its counties filled by their served
/// share at the end of the rollout (`final_status`, else now) with their names and site
/// counts, its cities outlined and named; the neighbouring provinces' counties only outlined.
fn province_summary<'a>(inputs: &MapInputs<'a>, unit: &crate::region::AdminUnit) -> MapSpec<'a> {
    let (status, as_of) = match &inputs.final_status {
        Some((year, status)) => (status, format!("{year} 年底 end of {year}")),
        None => (&inputs.cell_status, "现状 now".to_string()),
    };
    let title = format!("{} 人工影响天气作业点布局图", unit.name);
    let of = SummaryOf::Province(unit);
    let mut spec = summary_map(inputs, of, title, status, None, as_of.clone())
        .name(format!("province_{}", unit.adcode));
    let (served, required) = match inputs.grid {
        Some(grid) => coverage(&unit_status(inputs.region, grid, status, unit)),
        None => (0, 0),
    };
    spec.subtitle = Some(format!(
        "{} · {}: {as_of} 已覆盖 {served} / {required} 需布点 served of required · {} 个县级单位 counties, one symbol per county",
        inputs.region.name,
        inputs.grid_words(),
        unit.counties.len()
    ));
    spec
}

/// The cells of `status` whose majority county belongs to `unit`.
fn unit_status(
    region: &Region,
    grid: &Grid,
    status: &CellStatusMap,
    unit: &crate::region::AdminUnit,
) -> CellStatusMap {
    let mut in_unit = vec![false; region.counties.len()];
    for &i in &unit.counties {
        if let Some(slot) = in_unit.get_mut(i) {
            *slot = true;
        }
    }
    status
        .iter()
        .filter(|(id, _)| {
            grid.cell(**id)
                .is_some_and(|c| in_unit.get(c.majority_county) == Some(&true))
        })
        .map(|(id, s)| (*id, *s))
        .collect()
}

/// One map per year: the sites operating at the end of that year (those built in it
/// highlighted) and the cell status `status_for(year)` gives, e.g. from the gap analysis or
/// [`super::status_by_sites_inside`].
pub fn rollout_maps<'a>(
    inputs: &MapInputs<'a>,
    years: &[i32],
    mut status_for: impl FnMut(i32) -> CellStatusMap,
) -> Vec<MapSpec<'a>> {
    let paper = oriented(inputs.paper, inputs.region, &Extent::Region);
    let scope = RegionScope::of(inputs.region);
    years
        .iter()
        .map(|&year| {
            let status = status_for(year);
            let title = format!("{} 作业点建设时序 rollout {year}", inputs.region.name);
            if scope != RegionScope::City {
                let as_of = format!("{year} 年底 end of {year}");
                let mut spec = summary_map(
                    inputs,
                    SummaryOf::Region(scope),
                    title,
                    &status,
                    Some(year),
                    as_of,
                )
                .name(format!("rollout_{year}"));
                spec.subtitle = Some(format!(
                    "{} · one symbol per county",
                    subtitle(inputs, &status, Some(year), None)
                ));
                return spec;
            }
            let mut spec = inputs
                .base(Extent::Region, title)
                .name(format!("rollout_{year}"))
                .paper(paper)
                .as_of_year(year);
            spec.subtitle = Some(subtitle(inputs, &status, Some(year), None));
            if let Some(grid) = inputs.grid {
                spec = spec.grid(grid, status);
            }
            spec
        })
        .collect()
}

/// The data-source line of a map (数据来源): the region's boundary file, DEM, landmarks and
/// priority zones (marked when derived, not official), and the site file, each by file name;
/// the region folder's SOURCES.md says where each comes from.
pub fn data_note(
    region: &Region,
    zones: Option<&ZoneLayer>,
    sites_file: Option<&std::path::Path>,
) -> String {
    let name = |path: &std::path::Path| {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string())
    };
    let mut note = vec![format!("边界 boundaries {}", name(&region.boundary_file))];
    if let Some(p) = &region.files.dem {
        note.push(format!("DEM {}", name(p)));
    }
    if let Some(p) = &region.files.landmarks {
        note.push(format!("地名 places {}", name(p)));
    }
    if let (Some(z), Some(p)) = (zones, &region.files.zones) {
        let derived = if z.derived {
            " (derived, not official)"
        } else {
            ""
        };
        note.push(format!("重点区域 zones {}{derived}", name(p)));
    }
    if let Some(p) = sites_file {
        note.push(format!("作业点 sites {}", name(p)));
    }
    note.join("; ")
}

/// The years in which planned sites are built, ascending.
pub fn planned_years(sites: &[Site]) -> Vec<i32> {
    let mut years: Vec<i32> = sites
        .iter()
        .filter(|s| s.status == SiteStatus::Planned)
        .filter_map(|s| s.year)
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// Grid coverage and site counts (of one county's sites when `county` is given).
fn subtitle(
    inputs: &MapInputs,
    status: &CellStatusMap,
    year: Option<i32>,
    county: Option<&str>,
) -> String {
    subtitle_for(inputs, status, year, &|s: &Site| {
        county.is_none() || s.county.as_deref() == county
    })
}

/// Grid coverage and the counts of the sites `in_scope` selects.
fn subtitle_for(
    inputs: &MapInputs,
    status: &CellStatusMap,
    year: Option<i32>,
    in_scope: &dyn Fn(&Site) -> bool,
) -> String {
    let in_scope = |s: &&Site| in_scope(s);
    let mut parts = Vec::new();
    if inputs.grid.is_some() {
        let (served, required) = coverage(status);
        parts.push(format!(
            "{}: 已覆盖 {served} / {required} 需布点 served of required",
            inputs.grid_words()
        ));
    }
    match year {
        Some(y) => parts.push(format!("截至 {y} 年底 as of end of {y}")),
        None => {
            let existing = inputs
                .sites
                .iter()
                .filter(in_scope)
                .filter(|s| s.status == SiteStatus::Existing)
                .count();
            let planned = inputs
                .sites
                .iter()
                .filter(in_scope)
                .filter(|s| s.status == SiteStatus::Planned)
                .count();
            if existing + planned > 0 {
                parts.push(format!(
                    "作业点 sites: 现有 {existing} existing, 规划 {planned} planned"
                ));
            }
        }
    }
    parts.join(" · ")
}
