//! `wxmod map`: draw the siting maps (city overview, county maps, rollout years) as PNG and SVG.
//!
//! Without a gap analysis the cells are shaded by the simple reading of the policy: a cell
//! that requires a point is served when an existing standardized fixed point or burner stands
//! in it, else it is a gap (`wxmod::render::status_by_sites_inside`).

use std::path::PathBuf;

use anyhow::Context;
use wxmod::grid::{Grid, GridSpec};
use wxmod::render::sets::planned_years;
use wxmod::render::{
    MapFont, MapInputs, MapSpec, Orientation, Paper, PaperSize, city_overview, county_map,
    county_maps, data_note, render_png, render_png_svg, render_svg, rollout_maps,
    status_by_sites_inside,
};
use wxmod::units::Metres;

use super::{Outputs, RegionArgs, RegionLayers, load_catalog, load_network};

/// Draw siting maps: the city overview and one map per county (or one county), optionally one
/// map per rollout year, as PNG and SVG sized for A4 or A3.
#[derive(clap::Args, Debug)]
pub struct MapArgs {
    #[command(flatten)]
    pub region: RegionArgs,
    /// Site file (CSV or GeoJSON) with existing and planned sites.
    #[arg(long, value_name = "FILE")]
    pub sites: Option<PathBuf>,
    /// Grid to shade: 15km (base grid, land share) or 10km (priority grid, share of
    /// priority-zone land when the region has a zone file).
    #[arg(long, value_name = "LENGTH", default_value = "15km")]
    pub grid: Metres,
    /// Only the map of this county (its id, e.g. 140602).
    #[arg(long, value_name = "ID")]
    pub county: Option<String>,
    /// Also one map per year in which planned sites are built.
    #[arg(long)]
    pub rollout: bool,
    /// Sheet size: a4 or a3.
    #[arg(long, default_value = "a4")]
    pub paper: PaperSize,
    /// Sheet orientation (default: to suit each map's extent).
    #[arg(long, value_enum)]
    pub orientation: Option<OrientationArg>,
    /// PNG resolution, dots per inch (50-600).
    #[arg(long, default_value_t = wxmod::render::DEFAULT_DPI)]
    pub dpi: f64,
    /// Which files to write.
    #[arg(long, value_enum, default_value_t = Format::Both)]
    pub format: Format,
    /// Font file for PNG text (default: $WXMOD_FONT, else the bundled CJK subset).
    #[arg(long, value_name = "FILE")]
    pub font: Option<PathBuf>,
    /// Equipment catalog for the influence discs (default: the bundled catalog).
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
    /// Output folder.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Sheet orientation flag.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum OrientationArg {
    Landscape,
    Portrait,
}

/// Output format flag.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Png,
    Svg,
    Both,
}

pub fn run(args: MapArgs) -> anyhow::Result<()> {
    let region = args.region.load()?;
    if let Some(id) = &args.county {
        anyhow::ensure!(
            region.county(id).is_some(),
            "county {id} is not in region {}; use one of: {}",
            region.name,
            region
                .counties
                .iter()
                .map(|c| format!("{} {}", c.id, c.name))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let font = match &args.font {
        Some(path) => MapFont::from_file(path)?,
        None => MapFont::from_env()?,
    };
    let RegionLayers {
        dem,
        zones,
        rivers,
        landmarks,
    } = RegionLayers::load(&region)?;
    let sites = load_network(args.sites.as_deref(), &region)?;
    let catalog = load_catalog(args.catalog.as_deref())?;

    let priority = args.grid.0 <= 10_000.0 && zones.is_some();
    let grid = Grid::build(
        &region,
        &GridSpec::new(args.grid.0),
        dem.as_ref(),
        if priority { zones.as_ref() } else { None },
    );
    let status = status_by_sites_inside(&region, &grid, &sites, None);

    let mut paper = Paper::new(args.paper, Orientation::Landscape).with_dpi(args.dpi);
    let inputs = MapInputs {
        region: &region,
        grid: Some(&grid),
        cell_status: status,
        dem: dem.as_ref(),
        zones: zones.as_ref(),
        rivers: rivers.as_ref(),
        landmarks: &landmarks,
        sites: &sites,
        catalog: Some(&catalog),
        sectors: Vec::new(),
        paper,
        source_note: data_note(&region, zones.as_ref(), args.sites.as_deref()),
    };

    let mut specs: Vec<MapSpec> = match &args.county {
        Some(id) => vec![county_map(&inputs, id)?],
        None => {
            let mut specs = vec![city_overview(&inputs)];
            specs.extend(county_maps(&inputs));
            specs
        }
    };
    if args.rollout {
        let years = planned_years(&sites);
        specs.extend(rollout_maps(&inputs, &years, |year| {
            status_by_sites_inside(&region, &grid, &sites, Some(year))
        }));
    }
    if let Some(o) = args.orientation {
        paper.orientation = match o {
            OrientationArg::Landscape => Orientation::Landscape,
            OrientationArg::Portrait => Orientation::Portrait,
        };
        for spec in &mut specs {
            spec.paper = paper;
        }
    }

    let mut outputs = Outputs::default();
    for spec in &specs {
        let context = || format!("cannot draw map {}", spec.name);
        match args.format {
            Format::Both => {
                let (png, svg) = render_png_svg(spec, &font).with_context(context)?;
                outputs.add(format!("{}.png", spec.name), png);
                outputs.add(format!("{}.svg", spec.name), svg);
            }
            Format::Png => {
                outputs.add(
                    format!("{}.png", spec.name),
                    render_png(spec, &font).with_context(context)?,
                );
            }
            Format::Svg => {
                outputs.add(
                    format!("{}.svg", spec.name),
                    render_svg(spec, &font).with_context(context)?,
                );
            }
        }
    }
    let (w, h) = specs.first().map_or((0, 0), |s| s.paper.pixel_size());
    for path in outputs.write_all(&args.out)? {
        say!("wrote {}", path.display());
    }
    say!(
        "{} maps on {} at {} dpi ({w} x {h} px for the first)",
        specs.len(),
        args.paper,
        args.dpi
    );
    Ok(())
}
