//! `wxmod run`: the main job: grids, gaps, plan, sectors, budget, maps and the report for a
//! region in one folder.

use std::path::PathBuf;

use wxmod::budget::DEFAULT_THROUGH;
use wxmod::gaps::GapOptions;
use wxmod::ops::maps::MapSet;
use wxmod::ops::output::write_atomically;
use wxmod::ops::run::{RunOptions, run as run_all};

use super::{PlanningArgs, Progress};

/// Run the whole planning job and write every output into one folder.
#[derive(clap::Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub project: PlanningArgs,
    /// The network as of this year (existing plus planned sites up to it).
    #[arg(long, value_name = "Y")]
    pub year: Option<i32>,
    /// Font for PNG maps (default: the bundled CJK subset, or $WXMOD_FONT).
    #[arg(long, value_name = "FILE")]
    pub font: Option<PathBuf>,
    /// The ammunition ledger (SQLite, `wxmod ledger`): the budget's consumption history and
    /// stock; without it the catalog's yearly allowances stand in and no stock is counted.
    #[arg(long, value_name = "DB")]
    pub ledger: Option<PathBuf>,
    /// The last year of the equipment budget (it starts with the rollout's first year).
    #[arg(long, value_name = "Y", default_value_t = DEFAULT_THROUGH)]
    pub through: i32,
    /// Which maps to draw, each set adding to the one before: none; overview (the region and
    /// each rollout year); provinces (also one map per province); cities (also one per
    /// prefecture-level city); counties (also one per county). Default: provinces for a
    /// region spanning several provinces (China), cities for a province, counties for a city.
    #[arg(long, value_name = "SET", value_enum)]
    pub maps: Option<MapSet>,
    /// Output folder.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Print the run's summary (every step's, the radar's and the AWS gaps) as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: RunArgs) -> anyhow::Result<()> {
    let progress = Progress::start();
    progress.step("reading the region, the sites and the catalog");
    let project = args.project.load()?;
    let options = RunOptions {
        gap_options: GapOptions {
            year: args.year,
            ..GapOptions::default()
        },
        ledger: args.ledger.clone(),
        budget_through: args.through,
        font: args.font.clone(),
        protected_objects: args.project.protected_objects(),
        maps: args.maps,
    };
    let result = run_all(&project, &options, |step| progress.step(step));
    progress.finish();
    let outcome = result?;
    let written = write_atomically(&args.out, &outcome.files)?;
    if args.json {
        return super::print_summary(&outcome.summary, &written, true);
    }
    say!("{}", outcome.summary.to_string().trim_end());
    say!(
        "wrote {} files to {} (open {}) in {:.1} s",
        written.len(),
        args.out.display(),
        args.out.join("index.html").display(),
        progress.seconds()
    );
    Ok(())
}
