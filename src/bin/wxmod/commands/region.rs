//! `wxmod region build`: check a bureau's own layers and write a region folder for `--region`.

use wxmod::region::build::{BuildRequest, build_region};

/// Work with region folders.
#[derive(clap::Args, Debug)]
pub struct RegionArgs {
    #[command(subcommand)]
    pub command: RegionCommand,
}

/// Region subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum RegionCommand {
    /// Check every layer and write a region folder that every command takes with --region DIR.
    Build {
        #[command(flatten)]
        request: BuildRequest,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(args: RegionArgs) -> anyhow::Result<()> {
    let RegionCommand::Build { request, json } = args.command;
    super::print_report(&build_region(&request)?, json)
}
