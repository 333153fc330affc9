//! `wxmod grid`: lay the 15 km / 10 km planning grids over the counties and write the cells.

use std::path::PathBuf;

use anyhow::Context;
use wxmod::grid::{Grid, GridRule, GridSpec};
use wxmod::terrain::Dem;
use wxmod::units::Metres;
use wxmod::zones::ZoneLayer;

use super::{Outputs, RegionArgs};

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
    let region = args.region.load()?;
    let dem = match &region.files.dem {
        Some(path) => Some(Dem::read(path)?),
        None => None,
    };
    let zones = match &args.zones {
        Some(p) if p.as_os_str() == "bundled" => {
            let path = region
                .files
                .zones
                .clone()
                .context("the region has no zone file")?;
            Some(ZoneLayer::read(&path)?)
        }
        Some(p) => Some(ZoneLayer::read(p)?),
        None => None,
    };
    let sizes = if args.sizes.is_empty() {
        vec![Metres(15_000.0), Metres(10_000.0)]
    } else {
        args.sizes.clone()
    };

    let mut outputs = Outputs::default();
    let mut summaries = Vec::new();
    for size in sizes {
        let spec = GridSpec {
            cell_size_m: size.0,
            origin_x: args.origin.0,
            origin_y: args.origin.1,
            min_cell_share: args.min_share,
        };
        let grid = Grid::build(&region, &spec, dem.as_ref(), zones.as_ref());
        let stem = format!(
            "grid_{}{}",
            size.to_string().replace(' ', ""),
            if zones.is_some() { "_priority" } else { "" }
        );
        if args.out.is_some() {
            outputs.add(
                format!("{stem}.geojson"),
                wxmod::report::geojson::grid_cells(&grid, &region),
            );
            outputs.add(
                format!("{stem}_counties.csv"),
                wxmod::report::csv::grid_county_summary(&grid.county_summaries(&region)),
            );
        }
        let clipped: f64 = grid.cells.iter().map(|c| c.area_m2).sum();
        summaries.push(serde_json::json!({
            "size_m": size.0,
            "rule": grid.rule,
            "min_cell_share": spec.min_cell_share,
            "cells_touching": grid.cells.len(),
            "cells_requiring_point": grid.required_cells().count(),
            "clipped_area_km2": clipped / 1e6,
            "counties": grid.county_summaries(&region),
        }));
    }
    let written = match &args.out {
        Some(dir) => outputs.write_all(dir)?,
        None => Vec::new(),
    };

    if args.json {
        let report = serde_json::json!({
            "region": region.name,
            "crs": region.projection.spec(),
            "region_area_km2": region.projected_area_m2() / 1e6,
            "geodesic_area_km2": region.geodesic_area_m2() / 1e6,
            "grids": summaries,
            "files": written,
        });
        say!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    say!(
        "{}: {} counties, {:.1} km² in {} ({:.1} km² geodesic)",
        region.name,
        region.counties.len(),
        region.projected_area_m2() / 1e6,
        region.projection.spec(),
        region.geodesic_area_m2() / 1e6
    );
    for s in &summaries {
        let rule = if s["rule"] == serde_json::json!(GridRule::ZoneShare) {
            "priority-zone share"
        } else {
            "land share"
        };
        say!(
            "{} km grid: {} cells touch the region, {} require a point ({} >= {})",
            s["size_m"].as_f64().unwrap_or(0.0) / 1000.0,
            s["cells_touching"],
            s["cells_requiring_point"],
            rule,
            s["min_cell_share"]
        );
    }
    for path in written {
        say!("wrote {}", path.display());
    }
    Ok(())
}
