//! The `wxmod` command line: a thin layer over the `wxmod` library.
//!
//! Each subcommand lives in `commands/<name>.rs` as a clap `Args` struct and a `run` function
//! that turns flags into a library request, makes one library call and writes the output.
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
    /// The ammunition and equipment ledger (弹药装备台账)
    Ledger(commands::ledger::LedgerArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ledger(args) => commands::ledger::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("wxmod: error: {err:#}");
            ExitCode::from(1)
        }
    }
}

/// A closed stdout (as in `wxmod ... | head`) is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
