//! `wxmod run`: the main job: grids, gaps, plan, sectors, budget, maps and the report for a
//! region in one folder.

use std::path::PathBuf;

use wxmod::budget::DEFAULT_THROUGH;
use wxmod::gaps::GapOptions;
use wxmod::render::MapFont;
use wxmod::run::{RunInputs, run as run_all};
use wxmod::siting::SitingRules;

use super::{
    Outputs, Progress, RegionArgs, RegionLayers, load_catalog, load_facilities, load_ledger,
    load_network,
};

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
    /// The first year of the rollout.
    #[arg(long, value_name = "Y")]
    pub start_year: Option<i32>,
    /// Siting rules as TOML (see `wxmod plan --help`).
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Equipment catalog (default: the bundled data/catalog.toml).
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
    /// Font for PNG maps (default: the bundled CJK subset, or $WXMOD_FONT).
    #[arg(long, value_name = "FILE")]
    pub font: Option<PathBuf>,
    /// Protected facilities (GeoJSON, as for `wxmod sectors`): points with a `radius_m` or
    /// polygons, each with a `kind`. Rocket candidates need a safe firing sector clear of them
    /// as well as of the county seats, places and airports.
    #[arg(long, value_name = "FILE")]
    pub facilities: Option<PathBuf>,
    /// The ammunition ledger (SQLite, `wxmod ledger`): the budget's consumption history and
    /// stock; without it the catalog's yearly allowances stand in and no stock is counted.
    #[arg(long, value_name = "DB")]
    pub ledger: Option<PathBuf>,
    /// The last year of the equipment budget (it starts with the rollout's first year).
    #[arg(long, value_name = "Y", default_value_t = DEFAULT_THROUGH)]
    pub through: i32,
    /// Output folder.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
}

pub fn run(args: RunArgs) -> anyhow::Result<()> {
    let progress = Progress::start();
    progress.step("reading the region, the sites and the catalog");
    let region = args.region.load()?;
    let catalog = load_catalog(args.catalog.as_deref())?;
    let mut rules = match &args.rules {
        Some(path) => SitingRules::read(path)?,
        None => SitingRules::default(),
    };
    if let Some(y) = args.start_year {
        rules.start_year = y;
    }
    let sites = load_network(args.sites.as_deref(), &region)?;
    let font = match &args.font {
        Some(path) => MapFont::from_file(path)?,
        None => MapFont::from_env()?,
    };
    let RegionLayers {
        dem,
        zones,
        rivers,
        landmarks,
    } = RegionLayers::load(&region)?;
    let facilities = load_facilities(args.facilities.as_deref(), &region)?;
    let ledger = load_ledger(args.ledger.as_deref())?;
    let inputs = RunInputs {
        region: &region,
        sites: &sites,
        sites_file: args.sites.as_deref(),
        catalog: &catalog,
        dem: dem.as_ref(),
        zones: zones.as_ref(),
        rivers: rivers.as_ref(),
        landmarks: &landmarks,
        facilities: &facilities,
        rules,
        options: GapOptions {
            year: args.year,
            ..GapOptions::default()
        },
        font: &font,
        ledger: ledger.as_ref(),
        budget_through: args.through,
    };
    let result = run_all(&inputs, |step| progress.step(step));
    progress.finish();
    let result = result?;
    let mut outputs = Outputs::default();
    for (name, bytes) in result.files {
        outputs.add(name, bytes);
    }
    let written = outputs.write_all(&args.out)?;
    say!("{}: {} sites in the network", region.name, sites.len());
    for line in result.summary {
        say!("{line}");
    }
    say!(
        "wrote {} files to {} (open {}) in {:.1} s",
        written.len(),
        args.out.display(),
        args.out.join("index.html").display(),
        progress.seconds()
    );
    Ok(())
}
