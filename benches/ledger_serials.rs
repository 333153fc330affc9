//! Per-serial accounting benchmarks: with 100,000 numbered rounds in one depot (one lot,
//! serials 1-100,000), the time of one durable receive (a new numbered lot of 20), one issue
//! of 20 named rounds to a site and one firing of one named round, each a whole `record`
//! (transaction, every rule, the serial checks, chain, fsync). Issue #18 asks for each under
//! 20 ms. The ledger is a temporary file; each measured event is distinct (new lot number,
//! next serials), so the ledger grows as it would in use.
//!
//! Run: `cargo bench --bench ledger_serials`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};
use criterion::{Criterion, criterion_group, criterion_main};
use wxmod::ledger::*;

const ROUNDS: i64 = 100_000;

fn at() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 6, 12)
        .and_then(|d| d.and_hms_opt(15, 0, 0))
        .unwrap_or_default()
}

fn ev(event: Event) -> NewEvent {
    NewEvent {
        at: at(),
        actor: "bench".into(),
        event,
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn lot(name: &str, first: i64, quantity: i64) -> Lot {
    Lot {
        lot: name.into(),
        model: "WR-98".into(),
        serials: Some(SerialRange {
            first,
            last: first + quantity - 1,
        }),
        quantity,
        manufactured: day(2025, 1, 10),
        expires: day(2030, 1, 9),
    }
}

fn receive(lot: Lot) -> Event {
    Event::Receive(Receipt {
        depot: "D".into(),
        lot,
        purchase: "CG-1".into(),
        opening: false,
    })
}

fn numbered(lot: &str, first: i64, quantity: i64) -> Vec<Item> {
    vec![Item {
        serials: vec![SerialRange {
            first,
            last: first + quantity - 1,
        }],
        ..Item::new(lot, quantity, Condition::Good)
    }]
}

/// The registrations and the 100,000 numbered rounds.
fn setup(path: &std::path::Path) -> Ledger {
    let mut ledger = Ledger::create(path).unwrap_or_else(|e| panic!("{e}"));
    ledger.set_clock(RecordingClock::EventTime);
    let big = Capacity {
        rocket: 10_000_000,
        shell: 0,
        flare: 0,
    };
    let mut events = vec![
        ev(Event::Configure {
            key: "period_need.rocket".into(),
            value: "1000000".into(),
        }),
        ev(Event::Model(AmmoModel {
            name: "WR-98".into(),
            class: ItemClass::Rocket,
            maker: "陕西中天".into(),
        })),
        ev(Event::Depot(Depot {
            id: "D".into(),
            name: "朔州市人影弹药库".into(),
            kind: DepotKind::Military,
            licence: None,
            keeper: "高峰".into(),
            capacity: big,
        })),
        ev(Event::Site(OperationPoint {
            id: "S".into(),
            name: "作业点".into(),
            kind: PointKind::FixedRocket,
            county: "朔城区".into(),
            lon: 112.4,
            lat: 39.3,
            standardized: true,
            capacity: big,
            guard: Some("值守员".into()),
        })),
        ev(Event::Sector(FiringSector {
            site: "S".into(),
            azimuths: vec![AzimuthRange {
                from_deg: 120.0,
                to_deg: 300.0,
            }],
            elevation_min_deg: 45.0,
            elevation_max_deg: 85.0,
        })),
        ev(Event::Equipment(Equipment {
            id: "L".into(),
            kind: EquipmentKind::Launcher,
            serial: "WR-L-1".into(),
            unit: "朔州市气象局".into(),
            site: Some("S".into()),
            inspected: Some(day(2025, 3, 1)),
            inspection_passed: true,
            scrapped: false,
        })),
        ev(Event::Airspace(AirspaceApproval {
            reference: "W".into(),
            site: "S".into(),
            start: at() - chrono::TimeDelta::hours(1),
            end: at() + chrono::TimeDelta::hours(1),
            announcement: Some("公告".into()),
        })),
    ];
    for o in 0..3 {
        events.push(ev(Event::Operator(Operator {
            id: format!("O{o}"),
            name: format!("操作员{o}"),
            certificate: format!("C-{o}"),
            certificate_expiry: day(2099, 12, 31),
            equipment: vec![EquipmentKind::Launcher],
            police_registered: Some(day(2024, 1, 1)),
            insurance_expiry: Some(day(2099, 12, 31)),
            born: Some(day(1985, 1, 1)),
        })));
    }
    events.push(ev(receive(lot("BIG", 1, ROUNDS))));
    ledger
        .record_all(&events, 0, |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    ledger
}

fn serials(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut ledger = setup(&dir.path().join("ledger.db"));
    let mut group = c.benchmark_group("ledger with 100,000 numbered rounds in a depot");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(10));
    let mut lots = 0i64;
    group.bench_function("receive a numbered lot of 20", |b| {
        b.iter_custom(|n| {
            let start = Instant::now();
            for _ in 0..n {
                lots += 1;
                let first = 1_000_000 + lots * 100;
                black_box(
                    ledger
                        .record(ev(receive(lot(&format!("R{lots}"), first, 20))))
                        .unwrap_or_else(|e| panic!("{e}")),
                );
            }
            start.elapsed()
        })
    });
    let mut next = 1i64;
    group.bench_function("issue 20 named rounds to a site", |b| {
        b.iter_custom(|n| {
            let start = Instant::now();
            for _ in 0..n {
                let items = numbered("BIG", next, 20);
                next += 20;
                black_box(
                    ledger
                        .record(ev(Event::Issue(Issue {
                            depot: "D".into(),
                            site: "S".into(),
                            items,
                        })))
                        .unwrap_or_else(|e| panic!("{e}")),
                );
            }
            start.elapsed()
        })
    });
    let mut fired = 1i64;
    group.bench_function("fire one named round", |b| {
        b.iter_custom(|n| {
            let mut total = Duration::ZERO;
            for _ in 0..n {
                if fired >= next {
                    let items = numbered("BIG", next, 20);
                    next += 20;
                    ledger
                        .record(ev(Event::Issue(Issue {
                            depot: "D".into(),
                            site: "S".into(),
                            items,
                        })))
                        .unwrap_or_else(|e| panic!("{e}"));
                }
                let firing = Firing {
                    site: "S".into(),
                    equipment: "L".into(),
                    items: numbered("BIG", fired, 1),
                    azimuth_deg: Some(200.0),
                    elevation_deg: Some(60.0),
                    crew: vec!["O0".into(), "O1".into(), "O2".into()],
                    serials: vec![],
                };
                fired += 1;
                let start = Instant::now();
                black_box(
                    ledger
                        .record(ev(Event::Fire(firing)))
                        .unwrap_or_else(|e| panic!("{e}")),
                );
                total += start.elapsed();
            }
            total
        })
    });
    group.finish();
}

criterion_group!(benches, serials);
criterion_main!(benches);
