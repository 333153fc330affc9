//! `wxmod sectors`: safe firing sectors (安全射界) of every rocket and gun site of a site file.

use std::path::PathBuf;

use anyhow::Context;
use wxmod::region::read_landmarks;
use wxmod::sectors::{SectorConfig, SectorEngine, read_facilities, render, report};
use wxmod::sites::read_sites;
use wxmod::terrain::Dem;

use super::{Outputs, RegionArgs};

/// Draw the safe firing sector of every rocket and gun site: allowed azimuths, the widest,
/// the minimum-size test, blocking objects; writes a table, GeoJSON wedges and a map per site.
#[derive(clap::Args, Debug)]
pub struct SectorsArgs {
    #[command(flatten)]
    pub region: RegionArgs,
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
fn file_stem(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

pub fn run(args: SectorsArgs) -> anyhow::Result<()> {
    let region = args.region.load()?;
    let config = match &args.config {
        Some(path) => SectorConfig::read(path)?,
        None => SectorConfig::default(),
    };
    let landmarks = match &region.files.landmarks {
        Some(path) => read_landmarks(path)?,
        None => Vec::new(),
    };
    let facilities = match &args.facilities {
        Some(path) => read_facilities(path, &config, &region.projection)?,
        None => Vec::new(),
    };
    let dem = match &region.files.dem {
        Some(path) => Some(Dem::read(path)?),
        None => {
            eprintln!(
                "wxmod: note: the region has no DEM; every site gets the high-altitude minimum sector"
            );
            None
        }
    };
    let sites = read_sites(&args.sites)?;
    let engine = SectorEngine::for_landmarks(
        config,
        &landmarks,
        facilities,
        region.projection.clone(),
        dem,
    )?;
    let table = engine.table(&sites)?;

    let mut outputs = Outputs::default();
    if args.out.is_some() {
        let tables = report::table_files(&table, &engine)
            .context("cannot map the sector wedges to lon/lat")?;
        for (name, bytes) in tables {
            outputs.add(name, bytes);
        }
        if !args.no_maps {
            for row in &table.rows {
                let stem = file_stem(&row.site.id);
                outputs.add(
                    format!("maps/{stem}.svg"),
                    render::sector_map_svg(&engine, row)?,
                );
                outputs.add(
                    format!("maps/{stem}.png"),
                    render::sector_map_png(&engine, row)?,
                );
            }
        }
    }
    let written = match &args.out {
        Some(dir) => outputs.write_all(dir)?,
        None => Vec::new(),
    };

    if args.json {
        let mut summary = report::summary_json(&table);
        summary["files"] = serde_json::json!(written);
        say!("{}", serde_json::to_string_pretty(&summary)?);
        return Ok(());
    }
    let valid = table.rows.iter().filter(|r| r.sector.is_valid()).count();
    say!(
        "{} rocket and gun sites ({} with a valid sector), {} protected objects; {} sites without a sector of their own",
        table.rows.len(),
        valid,
        engine.objects().len(),
        table.skipped.len()
    );
    for row in &table.rows {
        let s = &row.sector;
        let widest = s
            .widest
            .map(|w| format!("widest {w} ({}°)", w.width_deg))
            .unwrap_or_else(|| "nothing allowed".into());
        let verdict = match s.problem(table.objects()) {
            None => "valid".to_string(),
            Some(problem) => format!("NO VALID SECTOR: {problem}"),
        };
        say!(
            "{:<8} {:<18} {:<9} {} allowed interval(s), {widest}; {verdict}",
            row.site.id,
            row.site.kind.as_str(),
            s.equipment,
            s.allowed.len()
        );
    }
    for path in written {
        say!("wrote {}", path.display());
    }
    Ok(())
}
