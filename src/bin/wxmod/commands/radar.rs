//! `wxmod radar`: where the city's X-band weather radar goes (beam blockage and coverage from
//! the DEM, candidate comparison table, maps) and which counties lack a six-element AWS.

use std::path::PathBuf;

use anyhow::Context;
use wxmod::ops::radar::{RadarOptions, radar};
use wxmod::radar::aws::AwsRules;
use wxmod::radar::candidates::read_candidates;
use wxmod::radar::{Candidates, RadarConfig, RadarRequest, RadarSite, SiteRules};
use wxmod::units::LonLat;

use super::{RegionArgs, finish, load};

/// Choose the X-band radar site: coverage at 1 km / 3 km above ground from the DEM with partial
/// beam blockage (Bech et al. 2003), a QX/T 100 candidate table, maps; and the AWS network gaps.
#[derive(clap::Args, Debug)]
pub struct RadarArgs {
    #[command(flatten)]
    pub region: RegionArgs,
    /// A candidate site LON,LAT in WGS84 degrees (repeatable); default: the lattice.
    #[arg(long = "site", value_name = "LON,LAT", conflicts_with = "candidates")]
    pub sites: Vec<LonLat>,
    /// Candidate sites from a CSV with columns id (or name), lon, lat.
    #[arg(long, value_name = "FILE")]
    pub candidates: Option<PathBuf>,
    /// How many radars to choose (1-50; more than one for a province).
    #[arg(long, default_value_t = 1)]
    pub radars: usize,
    #[command(flatten)]
    pub config: RadarConfig,
    #[command(flatten)]
    pub rules: SiteRules,
    /// Accept given sites whose rays leave the DEM before the range (cut at the DEM edge).
    #[arg(long)]
    pub clip_to_dem: bool,
    /// Name of the landmark that is the city seat (default: the seat of the first county).
    #[arg(long, value_name = "NAME")]
    pub city_seat: Option<String>,
    /// Site file with the existing network; its `aws` sites are the AWS network.
    #[arg(long = "network", value_name = "FILE")]
    pub network: Option<PathBuf>,
    /// Land farther than this from every AWS is a gap, km (1-100) [A] 15.
    #[arg(long, default_value_t = 15.0)]
    pub aws_gap_km: f64,
    /// Year written on suggested AWS sites (2000-2100).
    #[arg(long, default_value_t = 2027)]
    pub aws_year: i32,
    /// Skip the AWS network analysis.
    #[arg(long)]
    pub no_aws: bool,
    /// Equipment catalog (TOML) for the AWS price; default the bundled one.
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
    /// Output folder (nothing is written without it).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Do not draw the maps and the horizon rose.
    #[arg(long)]
    pub no_maps: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: RadarArgs) -> anyhow::Result<()> {
    let project = load(&wxmod::project::ProjectSpec {
        sites: args.network.clone(),
        catalog: args.catalog.clone(),
        ..args.region.spec()
    })?;
    let options = RadarOptions {
        request: request(&args)?,
        aws: (!args.no_aws).then(|| AwsRules {
            gap_km: args.aws_gap_km,
            year: args.aws_year,
            ..AwsRules::default()
        }),
        maps: args.out.is_some() && !args.no_maps,
    };
    let outcome = radar(&project, &options).context("cannot choose the radar site")?;
    finish(outcome, args.out.as_deref(), args.json)?;
    if args.out.is_none() && !args.json {
        say!("note: no files written (give --out DIR)");
    }
    Ok(())
}

/// The library request of the flags (the library checks the ranges).
fn request(args: &RadarArgs) -> anyhow::Result<RadarRequest> {
    let candidates = if let Some(path) = &args.candidates {
        Candidates::Sites(read_candidates(path)?)
    } else if !args.sites.is_empty() {
        Candidates::Sites(
            (1..)
                .zip(&args.sites)
                .map(|(n, at)| RadarSite {
                    id: format!("S{n}"),
                    lon: at.lon,
                    lat: at.lat,
                })
                .collect(),
        )
    } else {
        Candidates::Lattice
    };
    Ok(RadarRequest {
        config: args.config.clone(),
        rules: args.rules.clone(),
        candidates,
        radars: args.radars,
        clip_to_dem: args.clip_to_dem,
        city_seat: args.city_seat.clone(),
    })
}
