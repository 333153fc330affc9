//! `wxmod map` and the maps of `wxmod run`: the region overview, one map per county and one per
//! rollout year, as PNG and SVG, drawn on every core.
//!
//! Without a gap analysis the cells are shaded by the simple reading of the policy: a cell that
//! requires a point is served when a standardized fixed point or burner stands in it
//! ([`crate::render::status_by_sites_inside`]).

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::grid::{Grid, GridSpec};
use crate::parallel::map_in_order;
use crate::project::Project;
use crate::render::{
    self, MapFont, MapInputs, MapSpec, Orientation, Paper, PaperSize, RenderError,
    status_by_sites_inside,
};
use crate::report::NamedFile;
use crate::units::Metres;

use super::Outcome;
use super::limits::{self, LimitError};

/// Which image formats to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum MapFormat {
    /// PNG only.
    Png,
    /// SVG only.
    Svg,
    /// PNG and SVG.
    #[default]
    Both,
}

/// Which maps `wxmod run` draws (`--maps`). Every set but `None` holds the region overview
/// and one map per rollout year; each finer set adds its maps to the coarser ones that apply
/// (a province run with `Counties` draws the cities too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum MapSet {
    /// No maps.
    None,
    /// The overview and the rollout years only.
    Overview,
    /// Also one map per province (a national run's default).
    Provinces,
    /// Also one map per prefecture-level city (a province run's default).
    Cities,
    /// Also one map per county (a city run's default).
    Counties,
}

impl MapSet {
    /// The default for a region: per province when its counties span several provinces, per
    /// city when they span several cities, else per county.
    pub fn default_for(region: &crate::region::Region) -> MapSet {
        use crate::region::{UnitLevel, admin_units};
        if admin_units(region, UnitLevel::Province).len() > 1 {
            MapSet::Provinces
        } else if admin_units(region, UnitLevel::City).len() > 1 {
            MapSet::Cities
        } else {
            MapSet::Counties
        }
    }

    /// The name as `--maps` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            MapSet::None => "none",
            MapSet::Overview => "overview",
            MapSet::Provinces => "provinces",
            MapSet::Cities => "cities",
            MapSet::Counties => "counties",
        }
    }
}

/// Which maps to draw, and how.
#[derive(Debug, Clone)]
pub struct MapOptions {
    /// The grid whose cells are shaded (15 km by default; 10 km or less is laid over the
    /// priority zones when the region has them).
    pub grid: Metres,
    /// One county's map only (its id).
    pub county: Option<String>,
    /// Also one map per planned year.
    pub rollout: bool,
    /// Sheet size.
    pub paper: PaperSize,
    /// Orientation of every sheet; `None`: each map's own, to suit its extent.
    pub orientation: Option<Orientation>,
    /// Resolution of the PNG images.
    pub dpi: f64,
    /// Formats.
    pub format: MapFormat,
    /// A font for PNG text in place of the bundled CJK subset (or `$WXMOD_FONT`).
    pub font: Option<PathBuf>,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            grid: Metres(crate::policy::SHANXI.base_cell_m.value),
            county: None,
            rollout: false,
            paper: PaperSize::A4,
            orientation: None,
            dpi: render::DEFAULT_DPI,
            format: MapFormat::Both,
            font: None,
        }
    }
}

/// Maps that cannot be drawn.
#[derive(Debug, thiserror::Error)]
pub enum MapJobError {
    /// The county is not in the region.
    #[error("county {id} is not in region {region}; use one of: {known}")]
    UnknownCounty {
        /// The id asked for.
        id: String,
        /// The region's name.
        region: String,
        /// The region's counties, "id name" each.
        known: String,
    },
    /// A number out of range.
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// The font could not be read, or a map could not be drawn.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// A map failed.
    #[error("cannot draw map {name}: {source}")]
    Map {
        /// The map's name.
        name: String,
        /// Why.
        source: RenderError,
    },
}

/// What `wxmod map` reports.
#[derive(Debug, Clone, Serialize)]
pub struct MapSummary {
    /// Maps drawn.
    pub maps: usize,
    /// Sheet size.
    pub paper: String,
    /// Resolution.
    pub dpi: f64,
    /// Pixel size of the first sheet.
    pub first_pixels: (u32, u32),
}

impl fmt::Display for MapSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (w, h) = self.first_pixels;
        writeln!(
            f,
            "{} maps on {} at {} dpi ({w} x {h} px for the first)",
            self.maps, self.paper, self.dpi
        )
    }
}

/// The map font of `path`, or the bundled one (or `$WXMOD_FONT`).
pub fn load_font(path: Option<&std::path::Path>) -> Result<MapFont, RenderError> {
    match path {
        Some(path) => MapFont::from_file(path),
        None => MapFont::from_env(),
    }
}

/// A map's data-source line with the warnings of the job after it ("NOT CHECKED: ...").
pub fn note_with_warnings(note: String, warnings: &[String]) -> String {
    if warnings.is_empty() {
        return note;
    }
    format!("{note}. {}", warnings.join(". "))
}

/// A drawn map: its name, title and SVG text (for the report) beside its files.
#[derive(Debug, Clone)]
pub struct Figure {
    /// The map's name (file stem).
    pub name: String,
    /// Its title.
    pub title: String,
    /// Its SVG, when drawn.
    pub svg: Option<String>,
}

/// Draws every spec on every core; files are `{prefix}{name}.png` / `.svg`.
pub fn draw(
    specs: &[MapSpec],
    font: &MapFont,
    format: MapFormat,
    prefix: &str,
) -> Result<(Vec<NamedFile>, Vec<Figure>), MapJobError> {
    let drawn = map_in_order(specs, 2, |spec| -> Result<_, RenderError> {
        Ok(match format {
            MapFormat::Both => {
                let (png, svg) = render::render_png_svg(spec, font)?;
                (Some(png), Some(svg))
            }
            MapFormat::Png => (Some(render::render_png(spec, font)?), None),
            MapFormat::Svg => (None, Some(render::render_svg(spec, font)?)),
        })
    });
    let mut files = Vec::new();
    let mut figures = Vec::new();
    for (spec, result) in specs.iter().zip(drawn) {
        let (png, svg) = result.map_err(|source| MapJobError::Map {
            name: spec.name.clone(),
            source,
        })?;
        if let Some(png) = png {
            files.push(NamedFile::new(format!("{prefix}{}.png", spec.name), png));
        }
        if let Some(svg) = &svg {
            files.push(NamedFile::new(
                format!("{prefix}{}.svg", spec.name),
                svg.clone(),
            ));
        }
        figures.push(Figure {
            name: spec.name.clone(),
            title: spec.title.clone(),
            svg,
        });
    }
    Ok((files, figures))
}

/// The project's maps.
pub fn maps(project: &Project, options: &MapOptions) -> Result<Outcome<MapSummary>, MapJobError> {
    let region = &project.region;
    limits::DPI.check(options.dpi)?;
    limits::Limit {
        flag: "--grid",
        ..limits::GRID_SIZE
    }
    .check(options.grid.0)?;
    if let Some(id) = &options.county
        && region.county(id).is_none()
    {
        return Err(MapJobError::UnknownCounty {
            id: id.clone(),
            region: region.name.clone(),
            known: region
                .counties
                .iter()
                .map(|c| format!("{} {}", c.id, c.name))
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let font = load_font(options.font.as_deref())?;
    let layers = &project.layers;
    let zones = layers.zones.as_ref();
    let priority = crate::policy::SHANXI.is_priority_size(options.grid.0) && zones.is_some();
    let grid = Grid::build(
        region,
        &GridSpec::new(options.grid.0),
        layers.dem.as_ref(),
        if priority { zones } else { None },
    );
    let sites = &project.sites;
    let mut paper = Paper::new(options.paper, Orientation::Landscape).with_dpi(options.dpi);
    let inputs = MapInputs {
        region,
        grid: Some(&grid),
        cell_status: status_by_sites_inside(region, &grid, sites, None),
        dem: layers.dem.as_ref(),
        zones,
        rivers: layers.rivers.as_ref(),
        landmarks: &layers.landmarks,
        sites,
        catalog: Some(&project.catalog),
        sectors: Vec::new(),
        paper,
        source_note: note_with_warnings(
            render::data_note(region, zones, project.sites_file.as_deref()),
            &super::checks::layer_warnings(project),
        ),
        final_status: None,
    };
    let mut specs: Vec<MapSpec> = match &options.county {
        Some(id) => vec![render::county_map(&inputs, id)?],
        None => {
            let mut specs = vec![render::city_overview(&inputs)];
            specs.extend(render::county_maps(&inputs));
            specs
        }
    };
    if options.rollout {
        let years = render::planned_years(sites);
        specs.extend(render::rollout_maps(&inputs, &years, |year| {
            status_by_sites_inside(region, &grid, sites, Some(year))
        }));
    }
    if let Some(orientation) = options.orientation {
        paper.orientation = orientation;
        for spec in &mut specs {
            spec.paper = paper;
        }
    }
    let first_pixels = specs.first().map_or((0, 0), |s| s.paper.pixel_size());
    let (files, _) = draw(&specs, &font, options.format, "")?;
    Ok(Outcome {
        files,
        summary: MapSummary {
            maps: specs.len(),
            paper: options.paper.to_string(),
            dpi: options.dpi,
            first_pixels,
        },
    })
}
