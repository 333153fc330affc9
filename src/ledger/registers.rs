//! The register entries of the ledger (台账): ammunition models and lots, depots, operation
//! points, firing sectors, vehicles, operators, equipment and airspace approvals. The value
//! types they are made of (item class, location, capacity) are in
//! [`records`](super::records).

use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::records::*;
use crate::units::AzimuthInterval;

/// An ammunition model from a maker designated by the CMA (DOMAIN L1): registering it is the
/// bureau's statement that the maker is designated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct AmmoModel {
    /// Model name, e.g. WR-98.
    #[arg(long)]
    pub name: String,
    /// Item class: rocket, shell or flare.
    #[arg(long)]
    pub class: ItemClass,
    /// The CMA-designated maker, e.g. 陕西中天火箭技术股份有限公司.
    #[arg(long)]
    pub maker: String,
}

/// A qualified ammunition depot (弹药库) with its capacity per item class (DOMAIN L6, L7, L9).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Depot {
    /// Depot id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind of depot.
    pub kind: DepotKind,
    /// Licence number (required for a civil-explosives store).
    #[serde(default)]
    pub licence: Option<String>,
    /// The dedicated keeper (专人保管).
    pub keeper: String,
    /// Design capacity per item class; flares need a segregated store (capacity 0 = none).
    pub capacity: Capacity,
}

/// An operation point (作业点) that may hold ammunition temporarily and fire it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationPoint {
    /// Site id, as in the site or plan file.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind of point.
    pub kind: PointKind,
    /// County (区县) name or code, for consumption per county.
    pub county: String,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// Whether it is a standardized fixed site (标准化作业点).
    pub standardized: bool,
    /// Temporary storage capacity per class (DOMAIN L10, L11); 0 = may not hold that class.
    pub capacity: Capacity,
    /// The dedicated guard of the temporary store (DOMAIN L10).
    #[serde(default)]
    pub guard: Option<String>,
}

/// A clockwise range of azimuths, `from_deg` to `to_deg`, possibly across north, as the
/// ledger stores it (the event text and the `sectors` table keep these two numbers exactly as
/// given, so that old ledgers hash and replay the same). Its geometry is the shared arc type:
/// [`AzimuthRange::arc`] gives the [`AzimuthInterval`] of `sectors`, with one full-circle
/// convention (equal ends, as `0-360` reads, are the full circle).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AzimuthRange {
    /// Start azimuth, degrees clockwise from north, in [0, 360).
    pub from_deg: f64,
    /// End azimuth, degrees clockwise from north, in [0, 360); equal to the start = full circle.
    pub to_deg: f64,
}

impl AzimuthRange {
    /// The arc: start and clockwise width (360 for equal ends).
    ///
    /// # Examples
    /// ```
    /// use wxmod::ledger::AzimuthRange;
    /// let full: AzimuthRange = "0-360".parse().unwrap();
    /// assert!(full.arc().is_full_circle());
    /// assert_eq!(AzimuthRange { from_deg: 300.0, to_deg: 40.0 }.arc().width_deg, 100.0);
    /// ```
    pub fn arc(&self) -> AzimuthInterval {
        AzimuthInterval::clockwise(self.from_deg, self.to_deg)
    }

    /// Whether `azimuth_deg` lies on the clockwise arc from `from_deg` to `to_deg` (ends
    /// included).
    ///
    /// # Examples
    /// ```
    /// use wxmod::ledger::AzimuthRange;
    /// let across_north = AzimuthRange { from_deg: 300.0, to_deg: 40.0 };
    /// assert!(across_north.contains(10.0) && across_north.contains(300.0));
    /// assert!(!across_north.contains(120.0));
    /// ```
    pub fn contains(&self, azimuth_deg: f64) -> bool {
        self.arc().contains(azimuth_deg)
    }
}

impl FromStr for AzimuthRange {
    type Err = String;

    /// Reads `FROM-TO` in degrees, e.g. `120-250` or `300-40` (across north).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!(
                "'{text}' is not an azimuth range: write FROM-TO in degrees 0-360, e.g. 120-250"
            )
        };
        let (from, to) = text.split_once('-').ok_or_else(bad)?;
        let from: f64 = from.trim().parse().map_err(|_| bad())?;
        let to: f64 = to.trim().parse().map_err(|_| bad())?;
        if !(0.0..=360.0).contains(&from) || !(0.0..=360.0).contains(&to) {
            return Err(bad());
        }
        Ok(AzimuthRange {
            from_deg: from % 360.0,
            to_deg: to % 360.0,
        })
    }
}

/// The computed safe firing sector (安全射界) of a site: allowed azimuths and elevations
/// (DOMAIN §2.4). Sites without one are not checked for azimuth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FiringSector {
    /// Site id.
    pub site: String,
    /// Allowed azimuth ranges (at least one).
    pub azimuths: Vec<AzimuthRange>,
    /// Lowest allowed elevation, degrees.
    pub elevation_min_deg: f64,
    /// Highest allowed elevation, degrees.
    pub elevation_max_deg: f64,
}

/// A vehicle for carrying ammunition (DOMAIN L5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vehicle {
    /// Vehicle id.
    pub id: String,
    /// Number plate.
    pub plate: String,
    /// Its permit for carrying explosives (危险货物运输许可); none = may not carry ammunition.
    #[serde(default)]
    pub explosives_permit: Option<String>,
}

/// A gun, rocket or burner operator (作业人员) with certificate, police filing and insurance
/// (DOMAIN L19-L22).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operator {
    /// Operator id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Certificate number (上岗证).
    pub certificate: String,
    /// Last day the certificate is valid.
    pub certificate_expiry: NaiveDate,
    /// Equipment kinds the certificate covers.
    pub equipment: Vec<EquipmentKind>,
    /// Date the operator was filed with the county public security bureau (备案), if filed.
    #[serde(default)]
    pub police_registered: Option<NaiveDate>,
    /// Last day of the accident and third-party insurance, if insured.
    #[serde(default)]
    pub insurance_expiry: Option<NaiveDate>,
    /// Date of birth, if recorded (operators must be adults).
    #[serde(default)]
    pub born: Option<NaiveDate>,
}

/// A launcher, gun or burner with its annual inspection (年检) state (DOMAIN L23-L25).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Equipment {
    /// Equipment id.
    pub id: String,
    /// Kind.
    pub kind: EquipmentKind,
    /// Maker's serial number.
    pub serial: String,
    /// The operating unit that owns it (a change of unit must be filed, DOMAIN L25).
    pub unit: String,
    /// The site it stands at; none for mobile equipment.
    #[serde(default)]
    pub site: Option<String>,
    /// Date of the last annual inspection.
    #[serde(default)]
    pub inspected: Option<NaiveDate>,
    /// Whether that inspection was passed.
    #[serde(default = "yes")]
    pub inspection_passed: bool,
    /// Whether it has been scrapped.
    #[serde(default)]
    pub scrapped: bool,
}

fn yes() -> bool {
    true
}

/// A lot (批次) of ammunition as received from its maker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Lot {
    /// Lot number, unique in the ledger.
    #[arg(long)]
    pub lot: String,
    /// Model (registered with `wxmod ledger model`).
    #[arg(long)]
    pub model: String,
    /// Serial numbers of the rounds, if numbered, FIRST-LAST.
    #[serde(default)]
    #[arg(long)]
    pub serials: Option<SerialRange>,
    /// Rounds received.
    #[arg(long)]
    pub quantity: i64,
    /// Date of manufacture, YYYY-MM-DD.
    #[arg(long = "made", value_name = "MADE", value_parser = super::parse_date)]
    pub manufactured: NaiveDate,
    /// Last day the rounds may be used, YYYY-MM-DD.
    #[arg(long, value_parser = super::parse_date)]
    pub expires: NaiveDate,
}

/// An airspace and time window approved by flight control for a site (DOMAIN L14, L15).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct AirspaceApproval {
    /// Approval reference, unique.
    #[arg(long)]
    pub reference: String,
    /// Site id.
    #[arg(long)]
    pub site: String,
    /// Window start, local time.
    #[arg(long = "from", value_name = "FROM", value_parser = super::parse_time)]
    pub start: NaiveDateTime,
    /// Window end, local time.
    #[arg(long = "to", value_name = "TO", value_parser = super::parse_time)]
    pub end: NaiveDateTime,
    /// Reference of the public operation announcement (作业公告) and police notice, if made
    /// (L15).
    #[serde(default)]
    #[arg(long)]
    pub announcement: Option<String>,
}
