//! `wxmod regions`: list the bundled regions (Shanxi and its eleven cities) with their layers.

/// List the bundled regions: adcode, Chinese and pinyin name, level, counties and layers.
#[derive(clap::Args, Debug)]
pub struct RegionsArgs {
    /// Print a JSON array of objects (adcode, name, pinyin, level, counties, folder, layers).
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: RegionsArgs) -> anyhow::Result<()> {
    super::print_report(&wxmod::region::bundled::summaries()?, args.json)
}
