//! `wxmod budget`: the annual equipment budget of a plan, per county and year, line by line,
//! as Markdown, CSV, an .xlsx workbook and a chart.

use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::Datelike;
use wxmod::budget::{Budget, DEFAULT_THROUGH, Horizon, budget_of_plan};
use wxmod::report::budget::{budget_files, wan_text, yuan_text};

use super::{Outputs, RegionArgs, load_catalog, load_ledger, load_network};

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
fn horizon(args: &BudgetArgs) -> anyhow::Result<Horizon> {
    let start = args
        .start_year
        .unwrap_or_else(|| chrono::Local::now().year() + 1);
    let h = match (args.year, args.through) {
        (Some(y), Some(t)) => bail!(
            "--year {y} and --through {t} cannot be used together: give --year for one year or --through for every year up to it"
        ),
        (Some(y), None) => Horizon::new(start, y, y),
        (None, Some(t)) => Horizon::new(start, start, t),
        (None, None) => Horizon::new(start, start, DEFAULT_THROUGH.max(start)),
    };
    Ok(h?)
}

pub fn run(args: BudgetArgs) -> anyhow::Result<()> {
    let horizon = horizon(&args)?;
    let region = args.region.load()?;
    let catalog = load_catalog(args.catalog.as_deref())?;
    let sites = load_network(Some(&args.plan), &region)?;
    let ledger = load_ledger(args.ledger.as_deref())?;
    let result = budget_of_plan(&region, &sites, &catalog, ledger.as_ref(), horizon)
        .with_context(|| format!("cannot budget the plan {}", args.plan.display()))?;

    let title = format!("{} ({})", region.name, args.plan.display());
    let mut written = Vec::new();
    if let Some(dir) = &args.out {
        let mut outputs = Outputs::default();
        for (name, bytes) in budget_files(&result, &title, &region.name)? {
            outputs.add(name, bytes);
        }
        written = outputs.write_all(dir)?;
    }
    if args.json {
        let summary = serde_json::json!({
            "horizon": result.horizon,
            "total_yuan": result.total().yuan(),
            "years": result.by_year().iter().map(|y| serde_json::json!({
                "year": y.year,
                "capacity_yuan": y.by_category[0].yuan(),
                "operations_yuan": y.by_category[1].yuan(),
                "upkeep_yuan": y.by_category[2].yuan(),
                "total_yuan": y.total.yuan(),
            })).collect::<Vec<_>>(),
            "counties": result.by_county().iter().map(|c| serde_json::json!({
                "county": c.county,
                "name": c.name,
                "total_yuan": c.total.yuan(),
            })).collect::<Vec<_>>(),
            "lines": result.lines.len(),
            "assumed_price_lines": result.lines.iter().filter(|l| l.assumed).count(),
            "basis": result.basis,
            "notes": result.notes,
            "files": written,
        });
        say!("{}", serde_json::to_string_pretty(&summary)?);
        return Ok(());
    }
    print_summary(&result, &region.name)?;
    for path in written {
        say!("wrote {}", path.display());
    }
    Ok(())
}

fn print_summary(b: &Budget, region: &str) -> anyhow::Result<()> {
    let years = if b.horizon.from == b.horizon.through {
        b.horizon.from.to_string()
    } else {
        format!("{}–{}", b.horizon.from, b.horizon.through)
    };
    say!(
        "{region}: equipment budget {years}, {} lines, {} 万元 ({} 元)",
        b.lines.len(),
        wan_text(b.total()),
        yuan_text(b.total())
    );
    say!("  year   capacity  operations    upkeep     total  (万元)");
    for y in b.by_year() {
        say!(
            "  {}  {:>9}  {:>10}  {:>8}  {:>8}",
            y.year,
            wan_text(y.by_category[0]),
            wan_text(y.by_category[1]),
            wan_text(y.by_category[2]),
            wan_text(y.total)
        );
    }
    let assumed = b.lines.iter().filter(|l| l.assumed).count();
    if assumed > 0 {
        say!(
            "{assumed} of {} lines use an assumed [A] unit price; see the assumptions in the report",
            b.lines.len()
        );
    }
    for n in &b.notes {
        say!("note: {n}");
    }
    Ok(())
}
