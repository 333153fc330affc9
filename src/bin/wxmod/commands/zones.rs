//! `wxmod zones derive`: build candidate priority zones from the DEM and the rivers.

use std::path::PathBuf;

use anyhow::Context;
use wxmod::terrain::Dem;
use wxmod::zones::{ZoneRules, derive_zones, read_rivers, zones_to_geojson};

use super::{Outputs, RegionArgs};

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
}

pub fn run(args: ZonesArgs) -> anyhow::Result<()> {
    let ZonesCommand::Derive(args) = args.command;
    let region = args.region.load()?;
    let rules = match &args.rules {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read rules file {}", path.display()))?;
            toml::from_str::<ZoneRules>(&text)
                .with_context(|| format!("rules file {} is invalid", path.display()))?
        }
        None => ZoneRules::default(),
    };
    let dem_path = args
        .dem
        .clone()
        .or(region.files.dem.clone())
        .context("no DEM: give --dem or a region with one")?;
    let dem = Dem::read(&dem_path)?;
    let rivers_path = args.rivers.clone().or(region.files.rivers.clone());
    let rivers = rivers_path.as_deref().map(read_rivers).transpose()?;
    let layer = derive_zones(&region, &dem, rivers.as_ref(), &rules);
    let text = zones_to_geojson(&layer, Some(&rules));

    let dir = args
        .out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = args
        .out
        .file_name()
        .context("--out must name a file")?
        .to_string_lossy()
        .into_owned();
    let mut outputs = Outputs::default();
    outputs.add(name, text);
    for path in outputs.write_all(dir)? {
        say!(
            "wrote {} ({} zone polygons; derived, not official)",
            path.display(),
            layer.zones.len()
        );
    }
    for kind in wxmod::zones::ZoneKind::ALL {
        let area: f64 = layer
            .zones
            .iter()
            .filter(|z| z.kind == kind)
            .map(|z| geo::GeodesicArea::geodesic_area_unsigned(&z.lonlat))
            .sum();
        say!(
            "  {:<14} {:>8.1} km²  rule: {}",
            kind.as_str(),
            area / 1e6,
            rules.describe(kind)
        );
    }
    Ok(())
}
