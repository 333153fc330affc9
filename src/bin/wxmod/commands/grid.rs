//! `wxmod grid`: lay the 15 km / 10 km planning grids over the counties and write the cells.

use std::path::PathBuf;

use wxmod::ops::grid::{GridOptions, grid};
use wxmod::units::Metres;

use super::{RegionArgs, finish, load};

/// Lay square grids over the region, clip them to every county, and write GeoJSON + CSV.
#[derive(clap::Args, Debug)]
pub struct GridArgs {
    #[command(flatten)]
    pub region: RegionArgs,
    /// Cell size; repeat for several grids (default: 15km and 10km).
    #[arg(long = "size", value_name = "LENGTH")]
    pub sizes: Vec<Metres>,
    /// Priority zones (GeoJSON, property `kind`): cells then require a point by their share of
    /// zone land; use `bundled` for the region's own zone file.
    #[arg(long, value_name = "FILE")]
    pub zones: Option<PathBuf>,
    /// A cell requires a point when its share of a full cell reaches this value.
    #[arg(long, default_value_t = wxmod::grid::DEFAULT_MIN_CELL_SHARE, value_parser = parse_share)]
    pub min_share: f64,
    /// Grid origin in projected metres, `X,Y` (grid lines at origin + k * size).
    #[arg(long, value_name = "X,Y", value_parser = parse_origin, default_value = "0,0")]
    pub origin: (f64, f64),
    /// Refuse a grid with more cells than this (estimated from the region's extent).
    #[arg(long, value_name = "N", default_value_t = wxmod::ops::limits::DEFAULT_MAX_CELLS)]
    pub max_cells: u64,
    /// Output folder for the GeoJSON and CSV files (nothing is written without it).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

fn parse_share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("'{text}' is not a share between 0 and 1")),
    }
}

fn parse_origin(text: &str) -> Result<(f64, f64), String> {
    let parts: Vec<_> = text.split(',').map(|p| p.trim().parse::<f64>()).collect();
    match parts.as_slice() {
        [Ok(x), Ok(y)] if x.is_finite() && y.is_finite() => Ok((*x, *y)),
        _ => Err(format!("'{text}' is not an origin X,Y in metres")),
    }
}

pub fn run(args: GridArgs) -> anyhow::Result<()> {
    let mut spec = args.region.spec();
    let by_zone_land = match &args.zones {
        Some(path) if path.as_os_str() == "bundled" => true,
        Some(path) => {
            spec.zones = Some(path.clone());
            true
        }
        None => false,
    };
    let project = load(&spec)?;
    let options = GridOptions {
        sizes: args.sizes,
        by_zone_land,
        min_share: args.min_share,
        origin: args.origin,
        max_cells: args.max_cells,
    };
    finish(grid(&project, &options)?, args.out.as_deref(), args.json)
}
