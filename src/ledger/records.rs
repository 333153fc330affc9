//! The small value types the ledger's registers share (item class, location, capacity, quantity
//! line, serial range); the register entries themselves are in
//! [`registers`](super::registers) and re-exported here.
//!
//! Quantities are whole rounds (发) in `i64`; angles are degrees clockwise from true north;
//! dates are calendar dates and times are local bureau time (Beijing, UTC+8) without a zone,
//! see [`clock`](super::clock). Every enum reads and writes the snake_case names shown in its
//! docs, in JSON, CSV and on the command line.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::sites::SiteKind;

pub use super::registers::{
    AirspaceApproval, AmmoModel, AzimuthRange, Depot, Equipment, FiringSector, Lot, OperationPoint,
    Operator, Vehicle,
};

/// A text that names none of the values an enum accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{text}' is not a valid {what}: use one of {allowed}")]
pub struct ParseNameError {
    /// The text as given.
    pub text: String,
    /// What was expected (for example "item class").
    pub what: &'static str,
    /// The accepted names, comma separated.
    pub allowed: String,
}

/// Implements `name()`, `Display` and `FromStr` for a fieldless enum from one table of
/// (variant, snake_case name) pairs, so that serde, clap and CSV agree on the spelling.
macro_rules! named_enum {
    ($ty:ident, $what:literal, [$(($variant:ident, $name:literal)),+ $(,)?]) => {
        impl $ty {
            /// Every value, in declaration order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The snake_case name used in files and on the command line.
            pub fn name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        impl FromStr for $ty {
            type Err = ParseNameError;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                let wanted = text.trim().to_ascii_lowercase().replace('-', "_");
                $ty::ALL.iter().copied().find(|v| v.name() == wanted).ok_or_else(|| ParseNameError {
                    text: text.to_string(),
                    what: $what,
                    allowed: $ty::ALL.iter().map(|v| v.name()).collect::<Vec<_>>().join(", "),
                })
            }
        }
    };
}

/// The class of an item of ammunition, which decides where it may be stored and what fires it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemClass {
    /// A seeding rocket (增雨防雹火箭弹), fired from a launcher: `rocket`.
    Rocket,
    /// A 37 mm seeding shell (人雨弹), fired from an AA gun: `shell`.
    Shell,
    /// An AgI flare (焰条), burnt in a ground burner; not an explosive: `flare`.
    Flare,
}
named_enum!(
    ItemClass,
    "item class",
    [(Rocket, "rocket"), (Shell, "shell"), (Flare, "flare")]
);

/// A kind of operating equipment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EquipmentKind {
    /// A rocket launcher (火箭发射装置), fixed, towed or vehicle-mounted: `launcher`.
    Launcher,
    /// An anti-aircraft gun (高炮), usually the 37 mm twin: `gun`.
    Gun,
    /// A remote ground AgI burner (地面烟炉): `burner`.
    Burner,
}
named_enum!(
    EquipmentKind,
    "equipment kind",
    [(Launcher, "launcher"), (Gun, "gun"), (Burner, "burner")]
);

impl EquipmentKind {
    /// The class of ammunition this equipment uses.
    ///
    /// # Examples
    /// ```
    /// use wxmod::ledger::{EquipmentKind, ItemClass};
    /// assert_eq!(EquipmentKind::Gun.fires(), ItemClass::Shell);
    /// ```
    pub fn fires(self) -> ItemClass {
        match self {
            EquipmentKind::Launcher => ItemClass::Rocket,
            EquipmentKind::Gun => ItemClass::Shell,
            EquipmentKind::Burner => ItemClass::Flare,
        }
    }

    /// Whether firing needs an approved airspace window (guns and rockets do, burners do not:
    /// DOMAIN L14, L18).
    pub fn needs_airspace(self) -> bool {
        !matches!(self, EquipmentKind::Burner)
    }
}

/// The kind of a qualified ammunition depot (DOMAIN L6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DepotKind {
    /// An army depot: `military`.
    Military,
    /// A store of a People's Armed Forces Department (人武部): `armed_forces_department`.
    ArmedForcesDepartment,
    /// A warehouse licensed for civil explosives (民爆仓库); needs its licence number:
    /// `civil_explosives_store`.
    CivilExplosivesStore,
}
named_enum!(
    DepotKind,
    "depot kind",
    [
        (Military, "military"),
        (ArmedForcesDepartment, "armed_forces_department"),
        (CivilExplosivesStore, "civil_explosives_store"),
    ]
);

/// The kind of an operation point: the subset of [`SiteKind`] that holds ammunition (the
/// same names as in the site files), converted with `From` / `TryFrom`, never by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointKind {
    /// A fixed rocket site: `fixed_rocket`.
    FixedRocket,
    /// A fixed gun site: `fixed_gun`.
    FixedGun,
    /// A remote ground burner site: `burner`.
    Burner,
    /// The base of a vehicle-mounted rocket system: `mobile_rocket_base`.
    MobileRocketBase,
}
named_enum!(
    PointKind,
    "operation point kind",
    [
        (FixedRocket, "fixed_rocket"),
        (FixedGun, "fixed_gun"),
        (Burner, "burner"),
        (MobileRocketBase, "mobile_rocket_base"),
    ]
);

impl From<PointKind> for SiteKind {
    /// Every operation point kind is a site kind of the same name.
    fn from(kind: PointKind) -> SiteKind {
        match kind {
            PointKind::FixedRocket => SiteKind::FixedRocket,
            PointKind::FixedGun => SiteKind::FixedGun,
            PointKind::Burner => SiteKind::Burner,
            PointKind::MobileRocketBase => SiteKind::MobileRocketBase,
        }
    }
}

impl TryFrom<SiteKind> for PointKind {
    type Error = SiteKind;

    /// The site kinds that hold ammunition; a weather station or radar is given back.
    ///
    /// # Examples
    /// ```
    /// use wxmod::{ledger::PointKind, sites::SiteKind};
    /// assert_eq!(PointKind::try_from(SiteKind::Burner), Ok(PointKind::Burner));
    /// assert_eq!(PointKind::try_from(SiteKind::Radar), Err(SiteKind::Radar));
    /// ```
    fn try_from(kind: SiteKind) -> Result<PointKind, SiteKind> {
        match kind {
            SiteKind::FixedRocket => Ok(PointKind::FixedRocket),
            SiteKind::FixedGun => Ok(PointKind::FixedGun),
            SiteKind::Burner => Ok(PointKind::Burner),
            SiteKind::MobileRocketBase => Ok(PointKind::MobileRocketBase),
            SiteKind::Aws | SiteKind::Radar => Err(kind),
        }
    }
}

/// Whether a round is serviceable or a dud awaiting destruction (DOMAIN L26, L27).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// Serviceable: `good`.
    #[default]
    Good,
    /// A misfired or faulty round, kept apart and only returned and destroyed: `dud`.
    Dud,
}
named_enum!(Condition, "condition", [(Good, "good"), (Dud, "dud")]);

impl Condition {
    /// Whether this is [`Condition::Good`] (used to keep JSON short).
    pub fn is_good(&self) -> bool {
        *self == Condition::Good
    }
}

/// Why ammunition is destroyed (DOMAIN L29).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScrapReason {
    /// Past its expiry date: `expired`.
    Expired,
    /// Deteriorated or failed a check: `failed`.
    Failed,
    /// Misfired or faulty rounds: `dud`.
    Dud,
}
named_enum!(
    ScrapReason,
    "scrap reason",
    [(Expired, "expired"), (Failed, "failed"), (Dud, "dud")]
);

/// What went wrong with a round (DOMAIN L26-L28).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DudKind {
    /// The round did not leave the launcher or gun (fuse or primer failure); it stays at the
    /// site as a dud until returned and destroyed: `misfire`.
    Misfire,
    /// A fired round whose body or shell fell to the ground without self-destructing or
    /// opening its parachute; it must be investigated: `fallen`.
    Fallen,
}
named_enum!(
    DudKind,
    "dud kind",
    [(Misfire, "misfire"), (Fallen, "fallen")]
);

/// Whether stock went missing or was stolen (DOMAIN L31).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LossKind {
    /// Missing: `loss`.
    Loss,
    /// Stolen: `theft`.
    Theft,
}
named_enum!(LossKind, "loss kind", [(Loss, "loss"), (Theft, "theft")]);

/// A quantity per item class: the capacity of a depot or a site, or one period's need.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capacity {
    /// Rockets.
    pub rocket: i64,
    /// Shells.
    pub shell: i64,
    /// Flares.
    pub flare: i64,
}

impl Capacity {
    /// The quantity for one class.
    pub fn get(&self, class: ItemClass) -> i64 {
        match class {
            ItemClass::Rocket => self.rocket,
            ItemClass::Shell => self.shell,
            ItemClass::Flare => self.flare,
        }
    }

    /// Whether every class is zero.
    pub fn is_zero(&self) -> bool {
        ItemClass::ALL.iter().all(|c| self.get(*c) == 0)
    }
}

impl fmt::Display for Capacity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "rocket={},shell={},flare={}",
            self.rocket, self.shell, self.flare
        )
    }
}

impl FromStr for Capacity {
    type Err = String;

    /// Reads `rocket=300,shell=3000,flare=0`; a class left out is zero.
    ///
    /// # Examples
    /// ```
    /// let c: wxmod::ledger::Capacity = "rocket=30,shell=300".parse().unwrap();
    /// assert_eq!((c.rocket, c.shell, c.flare), (30, 300, 0));
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut capacity = Capacity::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (class, number) = part
                .split_once('=')
                .ok_or_else(|| format!("'{part}' is not CLASS=NUMBER (e.g. rocket=30)"))?;
            let class: ItemClass = class.parse().map_err(|e: ParseNameError| e.to_string())?;
            let number: i64 = number
                .trim()
                .parse()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or_else(|| format!("'{number}' is not a whole number of rounds, 0 or more"))?;
            match class {
                ItemClass::Rocket => capacity.rocket = number,
                ItemClass::Shell => capacity.shell = number,
                ItemClass::Flare => capacity.flare = number,
            }
        }
        Ok(capacity)
    }
}

/// Where stock is: a depot, an operation point, or a transfer on the road.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum StockHolder {
    /// A depot, by id: `depot:ID`.
    Depot(String),
    /// An operation point, by id: `site:ID`.
    Site(String),
    /// A transfer in transit, by transfer id: `transit:ID`.
    Transit(String),
}

impl StockHolder {
    /// The kind part: `depot`, `site` or `transit`.
    pub fn kind(&self) -> &'static str {
        match self {
            StockHolder::Depot(_) => "depot",
            StockHolder::Site(_) => "site",
            StockHolder::Transit(_) => "transit",
        }
    }

    /// The id part.
    pub fn id(&self) -> &str {
        match self {
            StockHolder::Depot(id) | StockHolder::Site(id) | StockHolder::Transit(id) => id,
        }
    }

    /// Builds a location from its two stored parts.
    pub fn from_parts(kind: &str, id: &str) -> Option<StockHolder> {
        let id = id.to_string();
        match kind {
            "depot" => Some(StockHolder::Depot(id)),
            "site" => Some(StockHolder::Site(id)),
            "transit" => Some(StockHolder::Transit(id)),
            _ => None,
        }
    }
}

impl fmt::Display for StockHolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind(), self.id())
    }
}

impl FromStr for StockHolder {
    type Err = String;

    /// Reads `depot:ID`, `site:ID` or `transit:ID`.
    ///
    /// # Examples
    /// ```
    /// use wxmod::ledger::StockHolder;
    /// assert_eq!("site:SZ-03".parse::<StockHolder>().unwrap(), StockHolder::Site("SZ-03".into()));
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (kind, id) = text
            .split_once(':')
            .filter(|(_, id)| !id.trim().is_empty())
            .ok_or_else(|| {
                format!("'{text}' is not a location: write depot:ID, site:ID or transit:ID")
            })?;
        StockHolder::from_parts(kind.trim(), id.trim()).ok_or_else(|| {
            format!("'{text}' is not a location: write depot:ID, site:ID or transit:ID")
        })
    }
}

impl TryFrom<String> for StockHolder {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<StockHolder> for String {
    fn from(location: StockHolder) -> String {
        location.to_string()
    }
}

/// One line of a movement: so many rounds of one lot in one condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// The lot number.
    pub lot: String,
    /// Rounds, at least 1 (0 is allowed only in a stock-take count).
    pub quantity: i64,
    /// Serviceable or dud.
    #[serde(default, skip_serializing_if = "Condition::is_good")]
    pub condition: Condition,
    /// The serial numbers of the rounds, for a numbered lot (see [`units`](super::Unit)):
    /// ranges, together exactly `quantity` numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub serials: Vec<SerialRange>,
}

impl Item {
    /// A line without serial numbers.
    pub fn new(lot: impl Into<String>, quantity: i64, condition: Condition) -> Item {
        Item {
            lot: lot.into(),
            quantity,
            condition,
            serials: Vec::new(),
        }
    }
}

impl FromStr for Item {
    type Err = String;

    /// Reads `LOT:QUANTITY` or `LOT:QUANTITY:dud`, optionally followed by `@SERIALS`, the
    /// serial numbers of the rounds as comma-separated numbers and FIRST-LAST ranges.
    ///
    /// # Examples
    /// ```
    /// use wxmod::ledger::{Condition, Item, SerialRange};
    /// let item: Item = "WR98-2025-01:12:dud".parse().unwrap();
    /// assert_eq!((item.lot.as_str(), item.quantity, item.condition), ("WR98-2025-01", 12, Condition::Dud));
    /// let item: Item = "WR98-2025-01:3@250001-250002,250009".parse().unwrap();
    /// assert_eq!(item.serials, vec![SerialRange { first: 250001, last: 250002 }, SerialRange { first: 250009, last: 250009 }]);
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (text, serials) = match text.split_once('@') {
            Some((head, list)) => (head, SerialRange::parse_list(list)?),
            None => (text, Vec::new()),
        };
        Ok(Item {
            serials,
            ..Item::parse_line(text)?
        })
    }
}

impl Item {
    fn parse_line(text: &str) -> Result<Item, String> {
        let bad = || {
            format!(
                "'{text}' is not an item: write LOT:QUANTITY or LOT:QUANTITY:dud, then @SERIALS if numbered"
            )
        };
        let mut parts = text.rsplitn(3, ':').collect::<Vec<_>>();
        parts.reverse();
        let (lot, quantity, condition) = match parts.as_slice() {
            [lot, quantity] => (*lot, *quantity, Condition::Good),
            [lot, quantity, condition] => match condition.parse::<Condition>() {
                Ok(c) => (*lot, *quantity, c),
                // The lot number itself contains a colon: read the last part as the quantity.
                Err(_) if condition.trim().parse::<i64>().is_ok() => {
                    return Ok(Item::new(
                        format!("{lot}:{quantity}"),
                        condition.trim().parse().map_err(|_| bad())?,
                        Condition::Good,
                    ));
                }
                Err(_) => return Err(bad()),
            },
            _ => return Err(bad()),
        };
        let quantity: i64 = quantity.trim().parse().map_err(|_| bad())?;
        if lot.trim().is_empty() {
            return Err(bad());
        }
        Ok(Item::new(lot.trim(), quantity, condition))
    }
}

/// A range of serial numbers, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SerialRange {
    /// First serial number.
    pub first: i64,
    /// Last serial number.
    pub last: i64,
}

impl SerialRange {
    /// How many serial numbers the range holds.
    pub fn len(&self) -> i64 {
        self.last.saturating_sub(self.first).saturating_add(1)
    }

    /// Whether the range is empty (last before first).
    pub fn is_empty(&self) -> bool {
        self.len() <= 0
    }

    /// Whether `serial` lies in the range.
    pub fn contains(&self, serial: i64) -> bool {
        (self.first..=self.last).contains(&serial)
    }

    /// Reads a list of serial numbers: `N` or `FIRST-LAST`, comma separated.
    pub fn parse_list(text: &str) -> Result<Vec<SerialRange>, String> {
        text.split(',')
            .map(|part| {
                let part = part.trim();
                match part.parse::<i64>() {
                    Ok(n) if n >= 0 => Ok(SerialRange { first: n, last: n }),
                    _ => part.parse(),
                }
            })
            .collect()
    }
}

impl fmt::Display for SerialRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}-{}", self.first, self.last)
        }
    }
}

impl FromStr for SerialRange {
    type Err = String;

    /// Reads `FIRST-LAST`, e.g. `250001-250300`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad =
            || format!("'{text}' is not a serial range: write FIRST-LAST, e.g. 250001-250300");
        let (first, last) = text.split_once('-').ok_or_else(bad)?;
        let first: i64 = first.trim().parse().map_err(|_| bad())?;
        let last: i64 = last.trim().parse().map_err(|_| bad())?;
        if last < first || first < 0 {
            return Err(bad());
        }
        Ok(SerialRange { first, last })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_text_and_json() {
        for kind in DepotKind::ALL {
            assert_eq!(kind.name().parse::<DepotKind>().unwrap(), *kind);
            let json = serde_json::to_string(kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.name()));
        }
        assert!(
            "tank"
                .parse::<EquipmentKind>()
                .unwrap_err()
                .to_string()
                .contains("launcher")
        );
    }

    #[test]
    fn items_read_lots_with_colons() {
        let item: Item = "A:B:7".parse().unwrap();
        assert_eq!((item.lot.as_str(), item.quantity), ("A:B", 7));
        assert!("LOT".parse::<Item>().is_err());
        assert!("LOT:x".parse::<Item>().is_err());
    }

    #[test]
    fn azimuth_ranges_wrap_north() {
        let r: AzimuthRange = "350-10".parse().unwrap();
        assert!(r.contains(0.0) && r.contains(355.0) && r.contains(10.0));
        assert!(!r.contains(11.0) && !r.contains(349.0));
        let full: AzimuthRange = "0-360".parse().unwrap();
        assert!(full.contains(123.0));
    }

    #[test]
    fn locations_parse_and_print() {
        let l: StockHolder = "transit:T-7".parse().unwrap();
        assert_eq!(l.to_string(), "transit:T-7");
        assert!("shed:1".parse::<StockHolder>().is_err());
        assert!("depot:".parse::<StockHolder>().is_err());
    }
}
