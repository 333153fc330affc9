//! The `wxmod` command line: a thin layer over the `wxmod` library.
//!
//! Each subcommand lives in `commands/<name>.rs` as a clap `Args` struct and a `run` function
//! that turns flags into a library request, makes one library call and writes the output.
//! Where a library type is exactly a command's flags (a ledger event or register patch,
//! `region build`'s request, the radar's scan and siting rules), it derives clap itself and the
//! command takes it as it is.
//! Exit codes: 0 success, 1 error or refused operation, 2 usage error (from clap).

mod commands;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// wxmod: plan weather-modification (人工影响天气) operations for a city or province.
#[derive(Parser)]
#[command(name = "wxmod", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The annual equipment budget of a plan: per county and year, line by line.
    Budget(commands::budget::BudgetArgs),
    /// Fewest sites covering all demand (LSCP) or the best N sites (MCLP), with a proven bound.
    Cover(commands::cover::CoverArgs),
    /// The main job: grids, gaps, plan, firing sectors, budget, maps and index.html, in one folder.
    Run(commands::run::RunArgs),
    /// Lay the 15 km / 10 km planning grids over the counties and write the cells.
    Grid(commands::grid::GridArgs),
    /// Coverage gaps of a site network against the policy grids.
    Gaps(commands::gaps::GapsArgs),
    /// Plan new standardized points, burners and mobile systems, year by year.
    Plan(commands::plan::PlanArgs),
    /// Priority zones: derive candidate zones from terrain and rivers.
    Zones(commands::zones::ZonesArgs),
    /// Draw the siting maps (city, counties, rollout years) as PNG and SVG.
    Map(commands::map::MapArgs),
    /// Safe firing sectors (安全射界) of rocket and gun sites: table, wedges, maps.
    Sectors(commands::sectors::SectorsArgs),
    /// The ammunition and equipment ledger (弹药装备台账)
    Ledger(commands::ledger::LedgerArgs),
    /// List the bundled regions (Shanxi province and its eleven cities) and their layers.
    Regions(commands::regions::RegionsArgs),
    /// Build a region folder from your own layers, every layer checked.
    Region(commands::region::RegionArgs),
    /// Choose the X-band radar site (beam blockage, coverage from the DEM) and find AWS gaps.
    Radar(commands::radar::RadarArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Budget(args) => commands::budget::run(args),
        Command::Cover(args) => commands::cover::run(args),
        Command::Run(args) => commands::run::run(args),
        Command::Grid(args) => commands::grid::run(args),
        Command::Zones(args) => commands::zones::run(args),
        Command::Gaps(args) => commands::gaps::run(args),
        Command::Plan(args) => commands::plan::run(args),
        Command::Map(args) => commands::map::run(args),
        Command::Sectors(args) => commands::sectors::run(args),
        Command::Ledger(args) => commands::ledger::run(args),
        Command::Regions(args) => commands::regions::run(args),
        Command::Region(args) => commands::region::run(args),
        Command::Radar(args) => commands::radar::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("wxmod: error: {}", error_text(&err));
            ExitCode::from(1)
        }
    }
}

/// The error and its causes on one line, each cause once: a cause whose text its error
/// already includes (as `thiserror`'s "{source}" messages do) is not repeated.
fn error_text(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        let line = cause.to_string();
        if text.contains(&line) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&line);
    }
    text
}

/// A closed stdout (as in `wxmod ... | head`) is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
