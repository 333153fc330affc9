//! `wxmod budget`: the annual equipment budget of a plan, per county and year, line by line,
//! as Markdown, CSV, an .xlsx workbook and a chart.

use std::path::PathBuf;

use wxmod::ops::budget::{BudgetOptions, BudgetYears, budget};
use wxmod::project::ProjectSpec;

use super::{RegionArgs, finish, load};

/// Cost a plan: capacity building, operations and upkeep per county and year.
#[derive(clap::Args, Debug)]
pub struct BudgetArgs {
    #[command(flatten)]
    pub region: RegionArgs,
    /// The plan: a site file written by `wxmod plan` (existing sites and planned ones with
    /// their year), or any site file in that format.
    #[arg(long, value_name = "FILE")]
    pub plan: PathBuf,
    /// The ammunition ledger (SQLite, `wxmod ledger`): mean use per site over up to 5 years of
    /// firings before the first budget year, and its serviceable stock; without it the
    /// catalog's yearly allowances stand in for history and no stock is counted.
    #[arg(long, value_name = "DB")]
    pub ledger: Option<PathBuf>,
    /// Equipment catalog with unit prices (default: the bundled data/catalog.toml).
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
    /// Budget this one year only.
    #[arg(long, value_name = "Y")]
    pub year: Option<i32>,
    /// Budget each year from the first budget year through Y (default 2035).
    #[arg(long, value_name = "Y")]
    pub through: Option<i32>,
    /// The first budget year, from which stock is counted and missing policy items are
    /// bought (default: next year).
    #[arg(long, value_name = "Y")]
    pub start_year: Option<i32>,
    /// Output folder: budget.md, budget_*.csv, budget.xlsx, budget_chart.png/.svg.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The years asked for: `--year` and `--through` exclude each other.
pub fn run(args: BudgetArgs) -> anyhow::Result<()> {
    let years = BudgetYears::from_flags(args.start_year, args.year, args.through);
    years.horizon()?;
    let project = load(&ProjectSpec {
        sites: Some(args.plan.clone()),
        catalog: args.catalog.clone(),
        ..args.region.spec()
    })?;
    let options = BudgetOptions {
        years,
        ledger: args.ledger.clone(),
    };
    finish(budget(&project, &options)?, args.out.as_deref(), args.json)
}
