//! `wxmod ledger config | model | depot | site | sector | vehicle | operator | equipment |
//! airspace`: the registers. Updating a depot, site, operator or equipment keeps every field
//! not given on the command line.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;
use wxmod::ledger::{
    AzimuthRange, Capacity, EquipmentKind, EquipmentPatch, Event, FiringSector, Inspection,
    PointKind, RegisterPatch, SitePatch, Standing, Thresholds, parse_date, read_sector_list, text,
};

use super::Session;

#[derive(Args)]
#[command(after_help = Thresholds::help())]
pub(crate) struct ConfigArgs {
    /// Set a threshold, e.g. --set return_days=3 (repeatable; each key's range is listed below)
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
}

impl ConfigArgs {
    /// Whether this only shows the thresholds.
    pub(crate) fn is_query(&self) -> bool {
        self.set.is_empty()
    }
}

pub(crate) fn config(cx: &mut Session, a: ConfigArgs) -> anyhow::Result<()> {
    for pair in &a.set {
        let Some((key, value)) = pair.split_once('=') else {
            bail!("'{pair}' is not KEY=VALUE (e.g. return_days=3)");
        };
        cx.record(Event::Configure {
            key: key.trim().to_string(),
            value: value.trim().to_string(),
        })?;
    }
    if !a.set.is_empty() {
        return Ok(());
    }
    let thresholds = cx.ledger.thresholds()?;
    let table = text::thresholds(&thresholds)?;
    cx.show(&thresholds, || table)
}

#[derive(Args)]
pub(crate) struct SiteArgs {
    /// Import every operation point of a site or plan file (CSV or GeoJSON)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["id", "name", "kind", "county", "lon", "lat"])]
    import: Option<PathBuf>,
    /// With --import: also import planned sites
    #[arg(long, requires = "import")]
    planned: bool,
    /// Site id
    #[arg(long, required_unless_present = "import")]
    id: Option<String>,
    /// Name
    #[arg(long)]
    name: Option<String>,
    /// fixed_rocket, fixed_gun, burner or mobile_rocket_base
    #[arg(long)]
    kind: Option<PointKind>,
    /// County
    #[arg(long)]
    county: Option<String>,
    /// Longitude, WGS84 degrees
    #[arg(long, allow_negative_numbers = true)]
    lon: Option<f64>,
    /// Latitude, WGS84 degrees
    #[arg(long, allow_negative_numbers = true)]
    lat: Option<f64>,
    /// Whether it is a standardized site: yes or no
    #[arg(long, value_parser = parse_yes_no)]
    standardized: Option<bool>,
    /// Temporary storage per class, e.g. rocket=30
    #[arg(long)]
    capacity: Option<Capacity>,
    /// The dedicated guard of its temporary store
    #[arg(long)]
    guard: Option<String>,
}

fn parse_yes_no(text: &str) -> Result<bool, String> {
    match text.to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" => Ok(true),
        "no" | "n" | "false" | "0" => Ok(false),
        _ => Err(format!("'{text}' is not yes or no")),
    }
}

pub(crate) fn site(cx: &mut Session, a: SiteArgs) -> anyhow::Result<()> {
    if let Some(file) = a.import {
        let done = cx
            .ledger
            .import_points(&file, cx.at, &cx.actor, a.planned)?;
        return cx.show(&done, || done.to_string());
    }
    cx.update(RegisterPatch::Site(SitePatch {
        id: a.id.context("give --id or --import")?,
        name: a.name,
        kind: a.kind,
        county: a.county,
        lon: a.lon,
        lat: a.lat,
        standardized: a.standardized,
        capacity: a.capacity,
        guard: a.guard,
    }))
}

#[derive(Args)]
pub(crate) struct SectorArgs {
    /// Import sectors from CSV: site,azimuth_from,azimuth_to[,elevation_min,elevation_max]
    #[arg(long, value_name = "FILE", conflicts_with_all = ["site", "azimuth"])]
    import: Option<PathBuf>,
    /// Site id
    #[arg(long, required_unless_present = "import")]
    site: Option<String>,
    /// Allowed azimuths FROM-TO in degrees clockwise from north, e.g. 120-250 (repeatable)
    #[arg(long, required_unless_present = "import")]
    azimuth: Vec<AzimuthRange>,
    /// Allowed elevations MIN-MAX in degrees [default: the elevation thresholds]
    #[arg(long, value_parser = parse_range)]
    elevation: Option<(f64, f64)>,
}

fn parse_range(text: &str) -> Result<(f64, f64), String> {
    let bad = || format!("'{text}' is not MIN-MAX in degrees, e.g. 45-85");
    let (lo, hi) = text.split_once('-').ok_or_else(bad)?;
    Ok((
        lo.trim().parse().map_err(|_| bad())?,
        hi.trim().parse().map_err(|_| bad())?,
    ))
}

pub(crate) fn sector(cx: &mut Session, a: SectorArgs) -> anyhow::Result<()> {
    let thresholds = cx.ledger.thresholds()?;
    let sectors = match a.import {
        Some(file) => read_sector_list(&file, &thresholds)?,
        None => vec![FiringSector::with_thresholds(
            a.site.context("give --site or --import")?,
            a.azimuth,
            a.elevation,
            &thresholds,
        )],
    };
    if let [one] = sectors.as_slice() {
        return cx.record(Event::Sector(one.clone()));
    }
    let done = cx.ledger.record_sectors(cx.at, &cx.actor, sectors)?;
    cx.show(&done, || done.to_string())
}

#[derive(Args)]
pub(crate) struct EquipmentArgs {
    /// Equipment id
    #[arg(long)]
    id: String,
    /// launcher, gun or burner
    #[arg(long)]
    kind: Option<EquipmentKind>,
    /// Maker's serial number
    #[arg(long)]
    serial: Option<String>,
    /// Owning unit (a change must be filed within 30 days, L25)
    #[arg(long)]
    unit: Option<String>,
    /// The site it stands at
    #[arg(long, conflicts_with = "mobile")]
    site: Option<String>,
    /// It is mobile (stands at no site)
    #[arg(long)]
    mobile: bool,
    /// Date of its annual inspection
    #[arg(long, value_parser = parse_date)]
    inspected: Option<chrono::NaiveDate>,
    /// With --inspected: the inspection failed
    #[arg(long, requires = "inspected")]
    failed: bool,
    /// It has been scrapped
    #[arg(long)]
    scrapped: bool,
}

pub(crate) fn equipment(cx: &mut Session, a: EquipmentArgs) -> anyhow::Result<()> {
    let standing = match (a.mobile, a.site) {
        (true, _) => Some(Standing::Mobile),
        (false, site) => site.map(Standing::Site),
    };
    cx.update(RegisterPatch::Equipment(EquipmentPatch {
        id: a.id,
        kind: a.kind,
        serial: a.serial,
        unit: a.unit,
        standing,
        inspection: a.inspected.map(|day| Inspection {
            day,
            passed: !a.failed,
        }),
        scrap: a.scrapped,
    }))
}
