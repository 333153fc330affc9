//! `wxmod run`: the main job: grids, gaps and reports for a region in one folder.

use std::path::PathBuf;

use wxmod::catalog::{Catalog, bundled_catalog_path};
use wxmod::gaps::GapOptions;
use wxmod::run::{RunInputs, run as run_all};
use wxmod::sites::{locate_in_region, read_sites};
use wxmod::terrain::Dem;
use wxmod::zones::ZoneLayer;

use super::{Outputs, RegionArgs};

/// Run the whole planning job and write every output into one folder.
#[derive(clap::Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub region: RegionArgs,
    /// The existing (and planned) site network; without it the plan starts from no sites.
    #[arg(long, value_name = "FILE")]
    pub sites: Option<PathBuf>,
    /// The network as of this year (existing plus planned sites up to it).
    #[arg(long, value_name = "Y")]
    pub year: Option<i32>,
    /// Equipment catalog (default: the bundled data/catalog.toml).
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
    /// Output folder.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
}

pub fn run(args: RunArgs) -> anyhow::Result<()> {
    let region = args.region.load()?;
    let catalog = Catalog::read(&args.catalog.clone().unwrap_or_else(bundled_catalog_path))?;
    let sites = match &args.sites {
        Some(path) => {
            let mut sites = read_sites(path)?;
            locate_in_region(&mut sites, &region, path)?;
            sites
        }
        None => Vec::new(),
    };
    let dem = region.files.dem.as_deref().map(Dem::read).transpose()?;
    let zones = region
        .files
        .zones
        .as_deref()
        .map(ZoneLayer::read)
        .transpose()?;
    let inputs = RunInputs {
        region: &region,
        sites: &sites,
        catalog: &catalog,
        dem: dem.as_ref(),
        zones: zones.as_ref(),
        options: GapOptions {
            year: args.year,
            ..GapOptions::default()
        },
    };
    let started = std::time::Instant::now();
    let result = run_all(&inputs, |step| {
        eprintln!("wxmod: {step} ({:.1} s)", started.elapsed().as_secs_f64())
    });
    let mut outputs = Outputs::default();
    for (name, bytes) in result.files {
        outputs.add(name, bytes);
    }
    let written = outputs.write_all(&args.out)?;
    say!("{}: {} sites", region.name, sites.len());
    for line in result.summary {
        say!("{line}");
    }
    say!(
        "wrote {} files to {} in {:.1} s",
        written.len(),
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
