//! `wxmod zones derive`: build candidate priority zones from the DEM and the rivers.

use std::path::PathBuf;

use anyhow::Context;
use wxmod::ops::zones::{ZoneOptions, derive};

use super::{RegionArgs, finish, load};

/// Work with priority zones.
#[derive(clap::Args, Debug)]
pub struct ZonesArgs {
    #[command(subcommand)]
    pub command: ZonesCommand,
}

/// Zone subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum ZonesCommand {
    /// Derive candidate zones (grain, forest_fruit, pasture, ecological, high_mountain) from
    /// the region's DEM and rivers; the output is marked as derived, not official.
    Derive(DeriveArgs),
}

/// Arguments of `wxmod zones derive`.
#[derive(clap::Args, Debug)]
pub struct DeriveArgs {
    #[command(flatten)]
    pub region: RegionArgs,
    /// DEM to use instead of the region's (ESRI ASCII grid or GeoTIFF).
    #[arg(long, value_name = "FILE")]
    pub dem: Option<PathBuf>,
    /// River lines to use instead of the region's (GeoJSON).
    #[arg(long, value_name = "FILE")]
    pub rivers: Option<PathBuf>,
    /// Thresholds as TOML (keys of ZoneRules, e.g. grain_max_elevation_m = 1200); missing
    /// keys keep their defaults.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Where to write the zone GeoJSON.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Print the summary as JSON, with the file written.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: ZonesArgs) -> anyhow::Result<()> {
    let ZonesCommand::Derive(args) = args.command;
    let dir = args
        .out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let file_name = args
        .out
        .file_name()
        .context("--out must name a file")?
        .to_string_lossy()
        .into_owned();
    let project = load(&args.region.spec())?;
    let options = ZoneOptions {
        dem: args.dem.clone(),
        rivers: args.rivers.clone(),
        rules: args.rules.clone(),
        file_name,
    };
    finish(derive(&project, &options)?, Some(dir), args.json)
}
