//! `wxmod region build`: check a bureau's own layers and write a region folder for `--region`.

use std::path::PathBuf;

use wxmod::region::build::{BuildRequest, LandmarkMargins, build_region};
use wxmod::region::{BoundarySource, InputCrs, RegionLevel};

/// Work with region folders.
#[derive(clap::Args, Debug)]
pub struct RegionArgs {
    #[command(subcommand)]
    pub command: RegionCommand,
}

/// Region subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum RegionCommand {
    /// Check every layer and write a region folder that every command takes with --region DIR.
    Build(BuildArgs),
}

/// Arguments of `wxmod region build`.
#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    /// County boundaries (GeoJSON Polygon/MultiPolygon features).
    #[arg(long, value_name = "FILE")]
    pub boundaries: PathBuf,
    /// Property holding the county id.
    #[arg(long, default_value = "adcode")]
    pub id_prop: String,
    /// Property holding the county name.
    #[arg(long, default_value = "name")]
    pub name_prop: String,
    /// Datum of the boundary coordinates: wgs84 or gcj02.
    #[arg(long, default_value = "wgs84")]
    pub input_crs: InputCrs,
    /// DEM covering all of the land (ESRI ASCII grid .asc or GeoTIFF .tif, WGS84).
    #[arg(long, value_name = "FILE")]
    pub dem: Option<PathBuf>,
    /// Accept a DEM that leaves part of the land uncovered.
    #[arg(long, requires = "dem")]
    pub allow_partial_dem: bool,
    /// Landmarks in wxmod's format: CSV name,kind,lon,lat,county,note (kind county_seat,
    /// airport or place).
    #[arg(long, value_name = "FILE")]
    pub landmarks: Option<PathBuf>,
    /// Airports: CSV with name, lon, lat columns (others kept as the note).
    #[arg(long, value_name = "FILE")]
    pub airports: Option<PathBuf>,
    /// Populated places: CSV with name, lon, lat columns (others kept as the note).
    #[arg(long, value_name = "FILE")]
    pub places: Option<PathBuf>,
    /// River centre-lines (GeoJSON LineStrings, WGS84).
    #[arg(long, value_name = "FILE")]
    pub rivers: Option<PathBuf>,
    /// Priority zones (GeoJSON, property kind); without it and with --dem, zones are derived
    /// and marked derived.
    #[arg(long, value_name = "FILE")]
    pub zones: Option<PathBuf>,
    /// The region's display name, e.g. "大同市 Datong".
    #[arg(long)]
    pub name: String,
    /// city (市) or province (省).
    #[arg(long)]
    pub level: RegionLevel,
    /// County seats and places may lie at most this far outside the boundary, km (0 to 50) [A].
    #[arg(long, default_value_t = LandmarkMargins::default().place_km)]
    pub place_margin_km: f64,
    /// Airports may lie at most this far outside the boundary, km (0 to 500) [A].
    #[arg(long, default_value_t = LandmarkMargins::default().airport_km)]
    pub airport_margin_km: f64,
    /// The region folder to write (must not exist, or be empty).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

pub fn run(args: RegionArgs) -> anyhow::Result<()> {
    let RegionCommand::Build(a) = args.command;
    let request = BuildRequest {
        boundaries: BoundarySource {
            path: a.boundaries,
            id_property: a.id_prop,
            name_property: a.name_prop,
            input_crs: a.input_crs,
        },
        dem: a.dem,
        landmarks: a.landmarks,
        airports: a.airports,
        places: a.places,
        rivers: a.rivers,
        zones: a.zones,
        name: a.name,
        level: a.level,
        allow_partial_dem: a.allow_partial_dem,
        margins: LandmarkMargins {
            place_km: a.place_margin_km,
            airport_km: a.airport_margin_km,
        },
        out: a.out,
    };
    let report = build_region(&request)?;
    let l = &report.layers;
    say!(
        "wrote region folder {} ({} {}, {} counties): {}",
        report.dir.display(),
        l.level.as_str(),
        l.level.chinese(),
        l.counties,
        l.summary()
    );
    if report.zones_derived_here {
        say!(
            "zones: DERIVED from the DEM with the default zone rules [A], not an official zone map"
        );
    }
    if let Some(share) = l.dem_covered_share
        && share < 1.0
    {
        say!(
            "warning: the DEM covers {:.2} % of the land (accepted with --allow-partial-dem)",
            share * 100.0
        );
    }
    for line in &report.missing {
        say!("warning: {line}");
    }
    say!("use it with --region {}", report.dir.display());
    Ok(())
}
