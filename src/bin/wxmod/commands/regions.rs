//! `wxmod regions`: list the bundled regions (Shanxi and its eleven cities) with their layers.

/// List the bundled regions: adcode, Chinese and pinyin name, level, counties and layers.
#[derive(clap::Args, Debug)]
pub struct RegionsArgs {
    /// Print a JSON array of objects (adcode, name, pinyin, level, counties, folder, layers).
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: RegionsArgs) -> anyhow::Result<()> {
    let regions = wxmod::region::bundled::summaries()?;
    if args.json {
        say!("{}", serde_json::to_string_pretty(&regions)?);
    } else {
        use std::io::Write as _;
        write!(std::io::stdout(), "{regions}")?;
    }
    Ok(())
}
