//! `wxmod gaps`: where a site network leaves the policy's cells and the land unserved.

use std::path::PathBuf;

use wxmod::influence::WindRose;
use wxmod::gaps::{GapInputs, GapOptions, PolicyGrid, PolicyGrids, analyse_on, uncovered_land};
use wxmod::report;
use wxmod::terrain::Dem;
use wxmod::zones::ZoneLayer;

use super::{Outputs, RegionArgs, load_catalog, load_network};

/// Analyse the coverage gaps of a site network against the policy grids.
#[derive(clap::Args, Debug)]
pub struct GapsArgs {
    #[command(flatten)]
    pub region: RegionArgs,
    /// The site network (CSV or GeoJSON in the site-file format).
    #[arg(long, value_name = "FILE")]
    pub sites: PathBuf,
    /// The network as of this year: existing sites plus planned sites with year <= Y.
    #[arg(long, value_name = "Y")]
    pub year: Option<i32>,
    /// Equipment catalog (default: the bundled data/catalog.toml).
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
    /// Priority-zone file (default: the region's zones).
    #[arg(long, value_name = "FILE")]
    pub zones: Option<PathBuf>,
    /// Wind rose CSV `direction_deg,frequency`: burners then reach only downwind.
    #[arg(long, value_name = "FILE")]
    pub wind_rose: Option<PathBuf>,
    /// With --wind-rose: directions blowing at least this share of the time count.
    #[arg(long, default_value_t = 0.1)]
    pub min_wind_frequency: f64,
    /// Output folder for the Markdown report, CSV tables and GeoJSON layers.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: GapsArgs) -> anyhow::Result<()> {
    let region = args.region.load()?;
    let catalog = load_catalog(args.catalog.as_deref())?;
    let sites = load_network(Some(&args.sites), &region)?;
    let dem = region.files.dem.as_deref().map(Dem::read).transpose()?;
    let zones_path = args.zones.clone().or(region.files.zones.clone());
    let zones = zones_path.as_deref().map(ZoneLayer::read).transpose()?;
    let wind = args
        .wind_rose
        .as_deref()
        .map(|p| WindRose::read(p, args.min_wind_frequency))
        .transpose()?;
    let inputs = GapInputs {
        region: &region,
        sites: &sites,
        catalog: &catalog,
        dem: dem.as_ref(),
        zones: zones.as_ref(),
        options: GapOptions {
            year: args.year,
            wind,
            ..GapOptions::default()
        },
    };
    let grids = PolicyGrids::build(&region, &inputs.options, inputs.dem, inputs.zones);
    let result = analyse_on(&inputs, &grids);

    let mut written = Vec::new();
    if let Some(dir) = &args.out {
        let uncovered = uncovered_land(&result, &grids, &inputs);
        let mut outputs = Outputs::default();
        for (name, bytes) in report::gap_files(&result, &grids, &uncovered, &region) {
            outputs.add(name, bytes);
        }
        written = outputs.write_all(dir)?;
    }

    let city = |g| result.city_compliance(g).cloned();
    let coverage = result.coverage_by_county.last().cloned();
    if args.json {
        let summary = serde_json::json!({
            "year": result.year,
            "operating_sites": result.network.len(),
            "compliance_base": city(PolicyGrid::Base),
            "compliance_priority": city(PolicyGrid::Priority),
            "coverage_city": coverage,
            "coverage_by_county": result.coverage_by_county,
            "coverage_by_zone": result.coverage_by_zone,
            "burner_coverage": result.burner_coverage,
            "counties_without_mobile_system": result.policy_items.iter().filter(|p| p.mobile_rocket_systems == 0).map(|p| &p.county).collect::<Vec<_>>(),
            "counties_without_aws": result.policy_items.iter().filter(|p| p.weather_stations == 0).map(|p| &p.county).collect::<Vec<_>>(),
            "radar_present": result.radar_present,
            "gaps": result.gaps().count(),
            "files": written,
        });
        say!("{}", serde_json::to_string_pretty(&summary)?);
        return Ok(());
    }
    say!(
        "{}: {} operating sites{}",
        region.name,
        result.network.len(),
        args.year.map(|y| format!(" as of {y}")).unwrap_or_default()
    );
    for grid in [PolicyGrid::Base, PolicyGrid::Priority] {
        if let Some(c) = city(grid) {
            say!(
                "{} grid: {} of {} required cells served ({:.1}%), {} gaps",
                grid.label(),
                c.served,
                c.required,
                c.percent(),
                c.gaps()
            );
        }
    }
    if let Some(c) = coverage {
        say!(
            "effective coverage: {:.1} of {:.1} km² ({:.1}%)",
            c.covered_km2,
            c.area_km2,
            c.percent()
        );
    }
    let lacking: Vec<&str> = result
        .policy_items
        .iter()
        .filter(|p| p.mobile_rocket_systems == 0)
        .map(|p| p.county_name.as_str())
        .collect();
    if !lacking.is_empty() {
        say!(
            "counties without a vehicle-mounted rocket system: {}",
            lacking.join(", ")
        );
    }
    let no_aws: Vec<&str> = result
        .policy_items
        .iter()
        .filter(|p| p.weather_stations == 0)
        .map(|p| p.county_name.as_str())
        .collect();
    if !no_aws.is_empty() {
        say!("counties without a six-element AWS: {}", no_aws.join(", "));
    }
    if !result.radar_present {
        say!("the city has no X-band radar");
    }
    for path in written {
        say!("wrote {}", path.display());
    }
    Ok(())
}
