//! A ledger with every register filled in validly, shared by the rule, model and CLI tests.
//!
//! Time line: registrations on 2025-06-01 08:00, stock issued on 2025-06-10, firings tested on
//! 2025-06-12 inside airspace window W1 (14:00-17:00 at SR, announced) or W3 (2025-06-13,
//! SR, not announced).

use std::path::PathBuf;

use chrono::NaiveDateTime;
use wxmod::ledger::*;

/// A time from text.
pub fn at(text: &str) -> NaiveDateTime {
    parse_time(text).unwrap_or_else(|e| panic!("fixture time: {e}"))
}

/// A date from text.
pub fn day(text: &str) -> chrono::NaiveDate {
    parse_date(text).unwrap_or_else(|e| panic!("fixture date: {e}"))
}

/// An event at a time by the fixture's actor.
pub fn ev(when: &str, event: Event) -> NewEvent {
    NewEvent {
        at: at(when),
        actor: "测试员".into(),
        event,
    }
}

/// An item line.
pub fn item(lot: &str, quantity: i64) -> Item {
    Item::new(lot, quantity, Condition::Good)
}

/// A dud item line.
pub fn dud_item(lot: &str, quantity: i64) -> Item {
    Item::new(lot, quantity, Condition::Dud)
}

pub fn model(name: &str, class: ItemClass) -> Event {
    Event::Model(AmmoModel {
        name: name.into(),
        class,
        maker: "指定厂".into(),
    })
}

pub fn depot(id: &str, kind: DepotKind, licence: Option<&str>, capacity: &str) -> Depot {
    Depot {
        id: id.into(),
        name: format!("{id} 弹药库"),
        kind,
        licence: licence.map(String::from),
        keeper: "高峰".into(),
        capacity: capacity.parse().unwrap_or_else(|e| panic!("{e}")),
    }
}

pub fn site(
    id: &str,
    kind: PointKind,
    county: &str,
    capacity: &str,
    guard: Option<&str>,
) -> OperationPoint {
    OperationPoint {
        id: id.into(),
        name: format!("{id} 作业点"),
        kind,
        county: county.into(),
        lon: 112.5,
        lat: 39.4,
        standardized: true,
        capacity: capacity.parse().unwrap_or_else(|e| panic!("{e}")),
        guard: guard.map(String::from),
    }
}

pub fn operator(id: &str, equipment: &[EquipmentKind]) -> Operator {
    Operator {
        id: id.into(),
        name: format!("操作员{id}"),
        certificate: format!("晋人影证-{id}"),
        certificate_expiry: day("2027-03-31"),
        equipment: equipment.to_vec(),
        police_registered: Some(day("2024-03-20")),
        insurance_expiry: Some(day("2025-12-31")),
        born: Some(day("1985-05-01")),
    }
}

pub fn gear(
    id: &str,
    kind: EquipmentKind,
    site: Option<&str>,
    inspected: Option<&str>,
) -> Equipment {
    Equipment {
        id: id.into(),
        kind,
        serial: format!("SN-{id}"),
        unit: "朔城区气象局".into(),
        site: site.map(String::from),
        inspected: inspected.map(day),
        inspection_passed: true,
        scrapped: false,
    }
}

pub fn lot(lot: &str, model: &str, quantity: i64, serial_first: Option<i64>, expires: &str) -> Lot {
    Lot {
        lot: lot.into(),
        model: model.into(),
        serials: serial_first.map(|first| SerialRange {
            first,
            last: first + quantity - 1,
        }),
        quantity,
        manufactured: day("2024-01-01"),
        expires: day(expires),
    }
}

pub fn receive(depot: &str, lot: Lot) -> Event {
    Event::Receive(Receipt {
        depot: depot.into(),
        lot,
        purchase: "晋财采2025-01".into(),
        opening: false,
    })
}

pub fn window(reference: &str, site: &str, from: &str, to: &str, announced: bool) -> Event {
    Event::Airspace(AirspaceApproval {
        reference: reference.into(),
        site: site.into(),
        start: at(from),
        end: at(to),
        announcement: announced.then(|| "朔气公告2025-21".to_string()),
    })
}

/// A firing at SR with launcher LR, crew O1-O3, inside window W1, azimuth inside the sector.
pub fn rocket_firing(lot: &str, rounds: i64) -> Firing {
    Firing {
        site: "SR".into(),
        equipment: "LR".into(),
        items: vec![item(lot, rounds)],
        azimuth_deg: Some(200.0),
        elevation_deg: Some(60.0),
        crew: vec!["O1".into(), "O2".into(), "O3".into()],
        serials: vec![],
    }
}

/// The registrations and stock of the fixture, in order.
pub fn base_events() -> Vec<NewEvent> {
    use EquipmentKind::{Burner, Gun, Launcher};
    let t = "2025-06-01 08:00";
    let mut events = vec![
        // The rule tests name serials only where they test them; the per-serial rules are
        // tested under the default `required` in serials.rs.
        ev(
            t,
            Event::Configure {
                key: "serials".into(),
                value: "optional".into(),
            },
        ),
        ev(t, model("WR-98", ItemClass::Rocket)),
        ev(t, model("37mm", ItemClass::Shell)),
        ev(t, model("AgI", ItemClass::Flare)),
        ev(
            t,
            Event::Depot(depot(
                "D1",
                DepotKind::CivilExplosivesStore,
                Some("晋民爆储-001"),
                "rocket=500,shell=2000,flare=200",
            )),
        ),
        ev(
            t,
            Event::Depot(depot("D2", DepotKind::Military, None, "rocket=100")),
        ),
        ev(
            t,
            Event::Site(site(
                "SR",
                PointKind::FixedRocket,
                "朔城区",
                "rocket=30",
                Some("张建国"),
            )),
        ),
        ev(
            t,
            Event::Site(site(
                "SR2",
                PointKind::FixedRocket,
                "平鲁区",
                "rocket=30",
                Some("王强"),
            )),
        ),
        ev(
            t,
            Event::Site(site(
                "SG",
                PointKind::FixedGun,
                "朔城区",
                "shell=300",
                Some("李明"),
            )),
        ),
        ev(
            t,
            Event::Site(site(
                "SB",
                PointKind::Burner,
                "应县",
                "flare=60",
                Some("郑磊"),
            )),
        ),
        ev(
            t,
            Event::Site(site("SN", PointKind::MobileRocketBase, "山阴县", "", None)),
        ),
        ev(
            t,
            Event::Site(site(
                "SU",
                PointKind::FixedRocket,
                "右玉县",
                "rocket=30",
                None,
            )),
        ),
        ev(
            t,
            Event::Sector(FiringSector {
                site: "SR".into(),
                azimuths: vec![AzimuthRange {
                    from_deg: 150.0,
                    to_deg: 300.0,
                }],
                elevation_min_deg: 45.0,
                elevation_max_deg: 85.0,
            }),
        ),
        ev(
            t,
            Event::Vehicle(Vehicle {
                id: "V1".into(),
                plate: "晋F·A1234".into(),
                explosives_permit: Some("晋危运-017".into()),
            }),
        ),
        ev(
            t,
            Event::Vehicle(Vehicle {
                id: "V2".into(),
                plate: "晋F·B5678".into(),
                explosives_permit: None,
            }),
        ),
    ];
    for id in ["O1", "O2", "O3", "O4"] {
        events.push(ev(t, Event::Operator(operator(id, &[Launcher, Gun]))));
    }
    events.push(ev(t, Event::Operator(operator("O5", &[Burner]))));
    let mut expired = operator("O6", &[Launcher, Gun]);
    expired.certificate_expiry = day("2025-05-31");
    let mut unfiled = operator("O7", &[Launcher, Gun]);
    unfiled.police_registered = None;
    let mut uninsured = operator("O8", &[Launcher, Gun]);
    uninsured.insurance_expiry = None;
    for o in [expired, unfiled, uninsured] {
        events.push(ev(t, Event::Operator(o)));
    }
    let mut failed = gear("LFAIL", Launcher, Some("SR"), Some("2025-03-01"));
    failed.inspection_passed = false;
    let mut scrapped = gear("LSCRAP", Launcher, Some("SR"), Some("2025-03-01"));
    scrapped.scrapped = true;
    for e in [
        gear("LR", Launcher, Some("SR"), Some("2025-03-01")),
        gear("LR2", Launcher, Some("SR2"), Some("2025-03-01")),
        gear("GG", Gun, Some("SG"), Some("2025-03-01")),
        gear("BB", Burner, Some("SB"), None),
        gear("LOLD", Launcher, Some("SR"), Some("2024-01-10")),
        failed,
        scrapped,
    ] {
        events.push(ev(t, Event::Equipment(e)));
    }
    events.extend([
        ev(
            t,
            receive("D1", lot("R-A", "WR-98", 200, Some(250001), "2030-02-28")),
        ),
        ev(
            t,
            receive("D1", lot("R-OLD", "WR-98", 50, Some(190001), "2025-06-30")),
        ),
        ev(
            t,
            receive("D1", lot("S-A", "37mm", 1000, None, "2029-12-31")),
        ),
        ev(t, receive("D1", lot("F-A", "AgI", 100, None, "2028-12-31"))),
        ev(
            "2025-06-10 09:00",
            Event::Issue(Issue {
                depot: "D1".into(),
                site: "SR".into(),
                items: vec![item("R-A", 20)],
            }),
        ),
        ev(
            "2025-06-10 09:00",
            Event::Issue(Issue {
                depot: "D1".into(),
                site: "SG".into(),
                items: vec![item("S-A", 100)],
            }),
        ),
        ev(
            "2025-06-10 09:00",
            Event::Issue(Issue {
                depot: "D1".into(),
                site: "SB".into(),
                items: vec![item("F-A", 30)],
            }),
        ),
        ev(
            "2025-06-10 09:00",
            window("W1", "SR", "2025-06-12 14:00", "2025-06-12 17:00", true),
        ),
        ev(
            "2025-06-10 09:00",
            window("W2", "SG", "2025-06-12 14:00", "2025-06-12 17:00", true),
        ),
        ev(
            "2025-06-10 09:00",
            window("W3", "SR", "2025-06-13 14:00", "2025-06-13 17:00", false),
        ),
        ev(
            "2025-06-10 09:00",
            window("W4", "SR2", "2025-06-12 14:00", "2025-06-12 17:00", true),
        ),
    ]);
    events
}

/// A temporary ledger file holding the fixture.
pub struct Fixture {
    pub ledger: Ledger,
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("ledger.db")
    }
}

/// The fixture in a fresh file.
pub fn base() -> Fixture {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let mut ledger =
        Ledger::create(&dir.path().join("ledger.db")).unwrap_or_else(|e| panic!("create: {e}"));
    // The rules other than TIME-ENTRY are tested here: each event recorded at its own time.
    ledger.set_clock(RecordingClock::EventTime);
    ledger
        .record_all(&base_events(), 0, |_| {})
        .unwrap_or_else(|e| panic!("fixture: {e}"));
    Fixture { ledger, dir }
}

/// The ledger as another process sees it on disk (read-only).
pub fn on_disk(f: &Fixture) -> String {
    Ledger::open_read_only(&f.path())
        .and_then(|l| l.fingerprint())
        .unwrap_or_else(|e| panic!("reopen: {e}"))
}

/// Records `event`, expects a refusal by `rule`, and that the file is unchanged.
#[track_caller]
pub fn refused(f: &mut Fixture, event: NewEvent, rule: RuleId) {
    let before = on_disk(f);
    match f.ledger.record(event) {
        Err(LedgerError::Refused(v)) => assert_eq!(v.rule, rule, "refused by the wrong rule: {v}"),
        other => panic!("expected a refusal by {rule}, got {other:?}"),
    }
    assert_eq!(on_disk(f), before, "a refused event changed the ledger");
}
