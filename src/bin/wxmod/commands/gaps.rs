//! `wxmod gaps`: where a site network leaves the policy's cells and the land unserved.

use std::path::PathBuf;

use wxmod::gaps::GapOptions;
use wxmod::influence::WindRose;
use wxmod::ops::gaps::gaps;

use super::{RegionArgs, finish, load};

/// Analyse the coverage gaps of a site network against the policy grids.
#[derive(clap::Args, Debug)]
pub struct GapsArgs {
    #[command(flatten)]
    pub region: RegionArgs,
    /// The site network (CSV or GeoJSON in the site-file format).
    #[arg(long, value_name = "FILE")]
    pub sites: PathBuf,
    /// The network as of this year: existing sites plus planned sites with year <= Y.
    #[arg(long, value_name = "Y")]
    pub year: Option<i32>,
    /// Equipment catalog (default: the bundled data/catalog.toml).
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
    /// Priority-zone file (default: the region's zones).
    #[arg(long, value_name = "FILE")]
    pub zones: Option<PathBuf>,
    /// Wind rose CSV `direction_deg,frequency`: burners then reach only downwind.
    #[arg(long, value_name = "FILE")]
    pub wind_rose: Option<PathBuf>,
    /// With --wind-rose: directions blowing at least this share of the time count.
    #[arg(long, default_value_t = 0.1)]
    pub min_wind_frequency: f64,
    /// Output folder for the Markdown report, CSV tables and GeoJSON layers.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: GapsArgs) -> anyhow::Result<()> {
    let project = load(&wxmod::project::ProjectSpec {
        sites: Some(args.sites.clone()),
        catalog: args.catalog.clone(),
        zones: args.zones.clone(),
        ..args.region.spec()
    })?;
    wxmod::ops::limits::WIND_FREQUENCY.check(args.min_wind_frequency)?;
    let wind = args
        .wind_rose
        .as_deref()
        .map(|p| WindRose::read(p, args.min_wind_frequency))
        .transpose()?;
    let options = GapOptions {
        year: args.year,
        wind,
        ..GapOptions::default()
    };
    finish(gaps(&project, &options)?, args.out.as_deref(), args.json)
}
