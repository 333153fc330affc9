//! `wxmod sectors`: safe firing sectors (安全射界) of every rocket and gun site of a site file.

use std::path::PathBuf;

use wxmod::ops::sectors::{SectorOptions, sectors};
use wxmod::project::{ProjectSpec, SitePlacement};

use super::{RegionArgs, finish, load};

/// Draw the safe firing sector of every rocket and gun site: allowed azimuths, the widest,
/// the minimum-size test, blocking objects; writes a table, GeoJSON wedges and a map per site.
#[derive(clap::Args, Debug)]
pub struct SectorsArgs {
    #[command(flatten)]
    pub region: RegionArgs,
    /// Go on although the region has no county seats, places or airports: firing sectors and
    /// siting exclusions are then not checked against them, and every output says so.
    #[arg(long)]
    pub no_protected_objects: bool,
    /// Site file (CSV or GeoJSON, the wxmod site-file format); an optional `equipment` column
    /// overrides the equipment of the site's kind.
    #[arg(long, value_name = "FILE")]
    pub sites: PathBuf,
    /// Protected facilities (GeoJSON): points with a `radius_m` property or polygons, each with
    /// a `kind`; added to the region's county seats, places and airports.
    #[arg(long, value_name = "FILE")]
    pub facilities: Option<PathBuf>,
    /// Sector parameters (TOML) over the defaults: margin, fall bands, minimum sizes, radii,
    /// elevation range (every key is listed in examples/sectors.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output folder for sectors.csv, sectors.md, sectors_ledger.csv, sectors.geojson,
    /// protected_objects.geojson and maps/<site>.svg|png (nothing is written without it).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Do not draw the per-site maps.
    #[arg(long)]
    pub no_maps: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// A file name made of the safe characters of a site id.
pub fn run(args: SectorsArgs) -> anyhow::Result<()> {
    let project = load(&ProjectSpec {
        sites: Some(args.sites.clone()),
        placement: SitePlacement::AsGiven,
        facilities: args.facilities.clone(),
        sector_config: args.config.clone(),
        ..args.region.spec()
    })?;
    if project.layers.dem.is_none() {
        eprintln!(
            "wxmod: note: the region has no DEM; every site gets the high-altitude minimum sector"
        );
    }
    let options = SectorOptions {
        no_maps: args.no_maps || args.out.is_none(),
        protected_objects: super::protected_objects(args.no_protected_objects),
    };
    finish(sectors(&project, options)?, args.out.as_deref(), args.json)
}
