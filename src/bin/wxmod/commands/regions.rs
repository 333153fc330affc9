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
        return Ok(());
    }
    say!(
        "{:<7} {:<8} {:<9} {:<8} {:>8}  layers",
        "adcode",
        "name",
        "pinyin",
        "level",
        "counties"
    );
    for r in &regions {
        // Chinese characters are two columns wide on a terminal.
        let pad = 8usize.saturating_sub(r.name.chars().count() * 2);
        say!(
            "{:<7} {}{} {:<9} {:<8} {:>8}  {}",
            r.adcode,
            r.name,
            " ".repeat(pad),
            r.pinyin,
            r.level.as_str(),
            r.counties,
            r.layers.summary()
        );
    }
    say!(
        "Choose one with --region ADCODE, --region 大同市 or --region datong (default: 140600 朔州市); \
         zones are DERIVED by `wxmod zones derive`, not official zone maps."
    );
    Ok(())
}
