//! `wxmod map`: draw the siting maps (city overview, county maps, rollout years) as PNG and SVG.
//!
//! Without a gap analysis the cells are shaded by the simple reading of the policy: a cell
//! that requires a point is served when an existing standardized fixed point or burner stands
//! in it, else it is a gap (`wxmod::render::status_by_sites_inside`).

use std::path::PathBuf;

use wxmod::ops::maps::{MapFormat, MapOptions, maps};
use wxmod::project::ProjectSpec;
use wxmod::render::{Orientation, PaperSize};
use wxmod::units::Metres;

use super::{RegionArgs, finish, load};

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
    pub orientation: Option<Orientation>,
    /// PNG resolution, dots per inch (50-600).
    #[arg(long, default_value_t = wxmod::render::DEFAULT_DPI)]
    pub dpi: f64,
    /// Which files to write.
    #[arg(long, value_enum, default_value = "both")]
    pub format: MapFormat,
    /// Font file for PNG text (default: $WXMOD_FONT, else the bundled CJK subset).
    #[arg(long, value_name = "FILE")]
    pub font: Option<PathBuf>,
    /// Equipment catalog for the influence discs (default: the bundled catalog).
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
    /// Output folder.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Print the summary as JSON, with the files written.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: MapArgs) -> anyhow::Result<()> {
    let project = load(&ProjectSpec {
        sites: args.sites.clone(),
        catalog: args.catalog.clone(),
        ..args.region.spec()
    })?;
    let options = MapOptions {
        grid: args.grid,
        county: args.county.clone(),
        rollout: args.rollout,
        paper: args.paper,
        orientation: args.orientation,
        dpi: args.dpi,
        format: args.format,
        font: args.font.clone(),
    };
    let outcome = maps(&project, &options)?;
    finish(outcome, Some(&args.out), args.json)
}
