//! Register updates as typed patches: "an update keeps every field not given". A patch names
//! the record and the fields to change; [`Ledger::update`] reads the stored record and writes
//! the merged one inside ONE immediate write transaction, so two processes updating different
//! fields of one record both keep their change (#13 item 2: the merge used to read the old
//! record outside the transaction, and the later writer put back the field the other had just
//! changed).
//!
//! A new record needs every field that has no default; a missing one is
//! [`LedgerError::MissingField`] (named as its `wxmod ledger` flag). Defaults of a new record:
//! a site's name is its id, it is not standardized, and its capacity is
//! [`default_capacity`] of its kind under the thresholds in force; an operator's police
//! filing, insurance and birth date, a depot's licence, a vehicle's permit and equipment's
//! site and inspection are optional. Cost: one indexed read of the record per patch.

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;

use super::event::{Event, NewEvent};
use super::facts;
use super::ledger::{ImportError, Ledger, LedgerError, Recorded};
use super::points::default_capacity;
use super::records::{
    Capacity, Depot, DepotKind, Equipment, EquipmentKind, OperationPoint, Operator, PointKind,
    Vehicle,
};

/// Changes to a depot (a new one needs name, kind, keeper and capacity).
#[derive(Debug, Clone, Default, PartialEq, clap::Args)]
pub struct DepotPatch {
    /// Depot id.
    #[arg(long)]
    pub id: String,
    /// Name.
    #[arg(long)]
    pub name: Option<String>,
    /// military, armed_forces_department or civil_explosives_store.
    #[arg(long)]
    pub kind: Option<DepotKind>,
    /// Licence number (required for a civil-explosives store).
    #[arg(long)]
    pub licence: Option<String>,
    /// The dedicated keeper.
    #[arg(long)]
    pub keeper: Option<String>,
    /// Capacity per class, e.g. rocket=600,shell=5000,flare=200.
    #[arg(long)]
    pub capacity: Option<Capacity>,
}

/// Changes to an operation point (a new one needs kind, county, lon and lat).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SitePatch {
    /// Site id.
    pub id: String,
    /// New name [new point: its id].
    pub name: Option<String>,
    /// New kind.
    pub kind: Option<PointKind>,
    /// New county.
    pub county: Option<String>,
    /// New longitude, WGS84 degrees.
    pub lon: Option<f64>,
    /// New latitude, WGS84 degrees.
    pub lat: Option<f64>,
    /// Whether it is standardized [new point: no].
    pub standardized: Option<bool>,
    /// New temporary storage [new point: the default of its kind].
    pub capacity: Option<Capacity>,
    /// New guard.
    pub guard: Option<String>,
}

impl From<OperationPoint> for SitePatch {
    /// A point read from a site file: every field given, the guard only if the file has one
    /// (a re-import keeps the registered guard).
    fn from(p: OperationPoint) -> SitePatch {
        SitePatch {
            id: p.id,
            name: Some(p.name),
            kind: Some(p.kind),
            county: Some(p.county),
            lon: Some(p.lon),
            lat: Some(p.lat),
            standardized: Some(p.standardized),
            capacity: Some(p.capacity),
            guard: p.guard,
        }
    }
}

/// Changes to a vehicle (a new one needs its plate).
#[derive(Debug, Clone, Default, PartialEq, clap::Args)]
pub struct VehiclePatch {
    /// Vehicle id.
    #[arg(long)]
    pub id: String,
    /// Number plate.
    #[arg(long)]
    pub plate: Option<String>,
    /// Permit number for carrying explosives.
    #[arg(long = "permit", value_name = "PERMIT")]
    pub explosives_permit: Option<String>,
}

/// Changes to an operator (a new one needs name, certificate, its expiry and equipment).
#[derive(Debug, Clone, Default, PartialEq, clap::Args)]
pub struct OperatorPatch {
    /// Operator id.
    #[arg(long)]
    pub id: String,
    /// Name.
    #[arg(long)]
    pub name: Option<String>,
    /// Certificate number.
    #[arg(long)]
    pub certificate: Option<String>,
    /// Last day the certificate is valid, YYYY-MM-DD.
    #[arg(long, value_parser = super::parse_date)]
    pub certificate_expiry: Option<NaiveDate>,
    /// Equipment kinds the certificate covers, e.g. launcher,gun.
    #[arg(long, value_delimiter = ',')]
    pub equipment: Option<Vec<EquipmentKind>>,
    /// Date filed with county public security.
    #[arg(long, value_parser = super::parse_date)]
    pub police_registered: Option<NaiveDate>,
    /// Last day of the accident and liability insurance.
    #[arg(long, value_parser = super::parse_date)]
    pub insurance_expiry: Option<NaiveDate>,
    /// Date of birth.
    #[arg(long, value_parser = super::parse_date)]
    pub born: Option<NaiveDate>,
}

/// Where a piece of equipment stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// At a site, by id.
    Site(String),
    /// Mobile: at no site.
    Mobile,
}

/// An annual inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inspection {
    /// Its day.
    pub day: NaiveDate,
    /// Whether it was passed.
    pub passed: bool,
}

/// Changes to a piece of equipment (a new one needs kind, serial and unit).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EquipmentPatch {
    /// Equipment id.
    pub id: String,
    /// New kind.
    pub kind: Option<EquipmentKind>,
    /// New maker's serial.
    pub serial: Option<String>,
    /// New owning unit.
    pub unit: Option<String>,
    /// New place.
    pub standing: Option<Standing>,
    /// A new inspection.
    pub inspection: Option<Inspection>,
    /// Scrap it (scrapping is never undone).
    pub scrap: bool,
}

/// One register update.
#[derive(Debug, Clone, PartialEq)]
pub enum RegisterPatch {
    /// A depot.
    Depot(DepotPatch),
    /// An operation point.
    Site(SitePatch),
    /// A vehicle.
    Vehicle(VehiclePatch),
    /// An operator.
    Operator(OperatorPatch),
    /// A piece of equipment.
    Equipment(EquipmentPatch),
}

/// A new record needs the field; an update keeps the old value.
fn pick<T>(
    given: Option<T>,
    old: Option<T>,
    register: &'static str,
    flag: &'static str,
) -> Result<T, LedgerError> {
    given
        .or(old)
        .ok_or(LedgerError::MissingField { register, flag })
}

impl DepotPatch {
    /// The depot after the patch (`old`: the stored one, if any).
    pub fn apply(self, old: Option<Depot>) -> Result<Depot, LedgerError> {
        let o = old.as_ref();
        Ok(Depot {
            name: pick(self.name, o.map(|d| d.name.clone()), "depot", "--name")?,
            kind: pick(self.kind, o.map(|d| d.kind), "depot", "--kind")?,
            licence: self.licence.or_else(|| o.and_then(|d| d.licence.clone())),
            keeper: pick(
                self.keeper,
                o.map(|d| d.keeper.clone()),
                "depot",
                "--keeper",
            )?,
            capacity: pick(self.capacity, o.map(|d| d.capacity), "depot", "--capacity")?,
            id: self.id,
        })
    }
}

impl SitePatch {
    /// The point after the patch; `default` gives a new point's capacity from its kind and
    /// whether it is standardized.
    pub fn apply(
        self,
        old: Option<OperationPoint>,
        default: impl FnOnce(PointKind, bool) -> Capacity,
    ) -> Result<OperationPoint, LedgerError> {
        let o = old.as_ref();
        let kind = pick(self.kind, o.map(|s| s.kind), "site", "--kind")?;
        let standardized = self
            .standardized
            .or(o.map(|s| s.standardized))
            .unwrap_or(false);
        let capacity = match (self.capacity, o) {
            (Some(c), _) => c,
            (None, Some(old)) => old.capacity,
            (None, None) => default(kind, standardized),
        };
        Ok(OperationPoint {
            name: self
                .name
                .or(o.map(|s| s.name.clone()))
                .unwrap_or_else(|| self.id.clone()),
            kind,
            county: pick(self.county, o.map(|s| s.county.clone()), "site", "--county")?,
            lon: pick(self.lon, o.map(|s| s.lon), "site", "--lon")?,
            lat: pick(self.lat, o.map(|s| s.lat), "site", "--lat")?,
            standardized,
            capacity,
            guard: self.guard.or(o.and_then(|s| s.guard.clone())),
            id: self.id,
        })
    }
}

impl VehiclePatch {
    /// The vehicle after the patch.
    pub fn apply(self, old: Option<Vehicle>) -> Result<Vehicle, LedgerError> {
        let o = old.as_ref();
        Ok(Vehicle {
            plate: pick(self.plate, o.map(|v| v.plate.clone()), "vehicle", "--plate")?,
            explosives_permit: self
                .explosives_permit
                .or_else(|| o.and_then(|v| v.explosives_permit.clone())),
            id: self.id,
        })
    }
}

impl OperatorPatch {
    /// The operator after the patch.
    pub fn apply(self, old: Option<Operator>) -> Result<Operator, LedgerError> {
        let o = old.as_ref();
        let what = "operator";
        Ok(Operator {
            name: pick(self.name, o.map(|o| o.name.clone()), what, "--name")?,
            certificate: pick(
                self.certificate,
                o.map(|o| o.certificate.clone()),
                what,
                "--certificate",
            )?,
            certificate_expiry: pick(
                self.certificate_expiry,
                o.map(|o| o.certificate_expiry),
                what,
                "--certificate-expiry",
            )?,
            equipment: pick(
                self.equipment,
                o.map(|o| o.equipment.clone()),
                what,
                "--equipment",
            )?,
            police_registered: self
                .police_registered
                .or(o.and_then(|o| o.police_registered)),
            insurance_expiry: self.insurance_expiry.or(o.and_then(|o| o.insurance_expiry)),
            born: self.born.or(o.and_then(|o| o.born)),
            id: self.id,
        })
    }
}

impl EquipmentPatch {
    /// The equipment after the patch.
    pub fn apply(self, old: Option<Equipment>) -> Result<Equipment, LedgerError> {
        let o = old.as_ref();
        let what = "piece of equipment";
        let site = match self.standing {
            Some(Standing::Site(id)) => Some(id),
            Some(Standing::Mobile) => None,
            None => o.and_then(|e| e.site.clone()),
        };
        let (inspected, inspection_passed) = match self.inspection {
            Some(i) => (Some(i.day), i.passed),
            None => (
                o.and_then(|e| e.inspected),
                o.is_none_or(|e| e.inspection_passed),
            ),
        };
        Ok(Equipment {
            kind: pick(self.kind, o.map(|e| e.kind), what, "--kind")?,
            serial: pick(self.serial, o.map(|e| e.serial.clone()), what, "--serial")?,
            unit: pick(self.unit, o.map(|e| e.unit.clone()), what, "--unit")?,
            site,
            inspected,
            inspection_passed,
            scrapped: self.scrap || o.is_some_and(|e| e.scrapped),
            id: self.id,
        })
    }
}

impl RegisterPatch {
    /// The register event that applies the patch to what `conn` holds now.
    fn resolve(self, conn: &Connection) -> Result<Event, LedgerError> {
        Ok(match self {
            RegisterPatch::Depot(p) => {
                let old = facts::depot(conn, &p.id)?;
                Event::Depot(p.apply(old)?)
            }
            RegisterPatch::Site(p) => {
                let old = facts::site(conn, &p.id)?;
                let thresholds = if old.is_none() && p.capacity.is_none() {
                    Some(facts::thresholds(conn)?)
                } else {
                    None
                };
                Event::Site(p.apply(old, |kind, standardized| match &thresholds {
                    Some(t) => default_capacity(kind, standardized, t),
                    None => Capacity::default(),
                })?)
            }
            RegisterPatch::Vehicle(p) => {
                let old = facts::vehicle(conn, &p.id)?;
                Event::Vehicle(p.apply(old)?)
            }
            RegisterPatch::Operator(p) => {
                let old = facts::operator(conn, &p.id)?;
                Event::Operator(p.apply(old)?)
            }
            RegisterPatch::Equipment(p) => {
                let old = facts::equipment(conn, &p.id)?;
                Event::Equipment(p.apply(old)?)
            }
        })
    }
}

impl Ledger {
    /// Applies one register patch: reads the stored record and records the merged one in one
    /// immediate transaction, under every rule. Refused or failed: nothing is written.
    ///
    /// # Examples
    /// ```
    /// use wxmod::ledger::*;
    /// let mut ledger = Ledger::in_memory().unwrap();
    /// let at = parse_time("2025-03-01 09:00").unwrap();
    /// let new = VehiclePatch { id: "V1".into(), plate: Some("晋F-12345".into()), ..Default::default() };
    /// ledger.update(at, "王工", RegisterPatch::Vehicle(new)).unwrap();
    /// let permit = VehiclePatch { id: "V1".into(), explosives_permit: Some("WX-7".into()), ..Default::default() };
    /// ledger.update(at, "王工", RegisterPatch::Vehicle(permit)).unwrap();
    /// let v = ledger.vehicle("V1").unwrap().unwrap();
    /// assert_eq!((v.plate.as_str(), v.explosives_permit.as_deref()), ("晋F-12345", Some("WX-7")));
    /// let missing = ledger.update(at, "王工", RegisterPatch::Vehicle(VehiclePatch { id: "V2".into(), ..Default::default() }));
    /// assert!(matches!(missing, Err(LedgerError::MissingField { flag: "--plate", .. })));
    /// ```
    pub fn update(
        &mut self,
        at: NaiveDateTime,
        actor: &str,
        patch: RegisterPatch,
    ) -> Result<Recorded, LedgerError> {
        self.record_built(|conn| {
            Ok(Cow::Owned(NewEvent {
                at,
                actor: actor.to_string(),
                event: patch.resolve(conn)?,
            }))
        })
    }

    /// Applies many patches in one transaction (all or nothing), each read and merged inside
    /// it: an import of a site file that keeps the registered guards.
    pub fn update_all(
        &mut self,
        at: NaiveDateTime,
        actor: &str,
        patches: Vec<RegisterPatch>,
    ) -> Result<Vec<Recorded>, ImportError> {
        let mut patches = patches.into_iter();
        let count = patches.len();
        let build = |conn: &Connection, _| {
            let patch = patches.next().ok_or_else(|| {
                LedgerError::Invalid("invariant: one patch per event of the batch".into())
            })?;
            Ok(Cow::Owned(NewEvent {
                at,
                actor: actor.to_string(),
                event: patch.resolve(conn)?,
            }))
        };
        self.record_each(count, 0, build, |_| {})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        crate::ledger::parse_date(text).unwrap()
    }

    #[test]
    fn an_update_keeps_every_field_not_given() {
        let old = Operator {
            id: "OP1".into(),
            name: "张".into(),
            certificate: "C1".into(),
            certificate_expiry: day("2027-01-01"),
            equipment: vec![EquipmentKind::Launcher],
            police_registered: Some(day("2025-01-02")),
            insurance_expiry: None,
            born: Some(day("1980-05-05")),
        };
        let patch = OperatorPatch {
            id: "OP1".into(),
            insurance_expiry: Some(day("2026-01-01")),
            ..Default::default()
        };
        let new = patch.apply(Some(old.clone())).unwrap();
        assert_eq!(
            new,
            Operator {
                insurance_expiry: Some(day("2026-01-01")),
                ..old
            }
        );
    }

    #[test]
    fn a_new_record_names_its_first_missing_field() {
        let patch = OperatorPatch {
            id: "OP1".into(),
            name: Some("张".into()),
            ..Default::default()
        };
        let err = patch.apply(None).unwrap_err();
        assert_eq!(err.to_string(), "a new operator needs --certificate");
        let site = SitePatch {
            id: "S".into(),
            kind: Some(PointKind::Burner),
            county: Some("朔城区".into()),
            lon: Some(112.4),
            ..Default::default()
        };
        assert!(matches!(
            site.apply(None, |_, _| Capacity::default()),
            Err(LedgerError::MissingField {
                register: "site",
                flag: "--lat"
            })
        ));
    }

    #[test]
    fn equipment_goes_mobile_and_stays_scrapped() {
        let old = Equipment {
            id: "E".into(),
            kind: EquipmentKind::Gun,
            serial: "G1".into(),
            unit: "U".into(),
            site: Some("S1".into()),
            inspected: Some(day("2025-01-01")),
            inspection_passed: false,
            scrapped: true,
        };
        let patch = EquipmentPatch {
            id: "E".into(),
            standing: Some(Standing::Mobile),
            ..Default::default()
        };
        let new = patch.apply(Some(old.clone())).unwrap();
        assert_eq!(new.site, None);
        assert!(new.scrapped && !new.inspection_passed);
        assert_eq!(new.inspected, old.inspected);
    }
}
