//! Ledger benchmarks: fully checked events through the import path with durable commits, and
//! the stock query on a ledger of 1,000,000 events.
//!
//! The workload is a synthetic but rule-abiding season, repeated: 50 rocket sites; each day
//! every site gets an announced airspace window, an issue of 20 rockets and four firings of
//! five, with the end-of-operation report of the first filed; the depot receives a new lot of
//! 20,000 when it runs low (its police filing follows), and the launchers are re-inspected
//! every 300 days. Every event passes every rule. The 1,000,000-event ledger is built once
//! into the system temp folder (`wxmod-ledger-bench-1m.db`) and reused.
//!
//! Run: `cargo bench --bench ledger`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use wxmod::ledger::*;

const SITES: usize = 50;
const LOT_SIZE: i64 = 20_000;

fn day0() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default()
}

fn time(day: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    day.and_hms_opt(h, m, 0).unwrap_or_default()
}

fn ev(at: NaiveDateTime, event: Event) -> NewEvent {
    NewEvent {
        at,
        actor: "bench".into(),
        event,
    }
}

fn site_id(s: usize) -> String {
    format!("S{s:03}")
}

/// The registrations: model, depot, sites with launchers, operators.
fn registers() -> Vec<NewEvent> {
    let t = time(day0(), 8, 0);
    let mut events = vec![
        ev(
            t,
            Event::Model(AmmoModel {
                name: "WR-98".into(),
                class: ItemClass::Rocket,
                maker: "陕西中天".into(),
            }),
        ),
        ev(
            t,
            Event::Depot(Depot {
                id: "D".into(),
                name: "朔州市人影弹药库".into(),
                kind: DepotKind::Military,
                licence: None,
                keeper: "高峰".into(),
                capacity: Capacity {
                    rocket: 100_000,
                    shell: 0,
                    flare: 0,
                },
            }),
        ),
    ];
    for s in 0..SITES {
        events.push(ev(
            t,
            Event::Site(OperationPoint {
                id: site_id(s),
                name: format!("作业点{s}"),
                kind: PointKind::FixedRocket,
                county: ["朔城区", "平鲁区", "山阴县", "应县", "右玉县", "怀仁市"][s % 6].into(),
                lon: 112.0 + s as f64 * 0.02,
                lat: 39.3 + s as f64 * 0.01,
                standardized: true,
                capacity: Capacity {
                    rocket: 30,
                    shell: 0,
                    flare: 0,
                },
                guard: Some("值守员".into()),
            }),
        ));
        events.push(ev(
            t,
            Event::Sector(FiringSector {
                site: site_id(s),
                azimuths: vec![AzimuthRange {
                    from_deg: 120.0,
                    to_deg: 300.0,
                }],
                elevation_min_deg: 45.0,
                elevation_max_deg: 85.0,
            }),
        ));
        events.push(ev(t, Event::Equipment(launcher(s, day0()))));
    }
    for o in 0..3 {
        events.push(ev(
            t,
            Event::Operator(Operator {
                id: format!("O{o}"),
                name: format!("操作员{o}"),
                certificate: format!("C-{o}"),
                certificate_expiry: NaiveDate::from_ymd_opt(2099, 12, 31).unwrap_or_default(),
                equipment: vec![EquipmentKind::Launcher],
                police_registered: Some(day0()),
                insurance_expiry: NaiveDate::from_ymd_opt(2099, 12, 31),
                born: NaiveDate::from_ymd_opt(1985, 1, 1),
            }),
        ));
    }
    events
}

fn launcher(s: usize, inspected: NaiveDate) -> Equipment {
    Equipment {
        id: format!("L{s:03}"),
        kind: EquipmentKind::Launcher,
        serial: format!("WR-L-{s:03}"),
        unit: "朔州市气象局".into(),
        site: Some(site_id(s)),
        inspected: Some(inspected),
        inspection_passed: true,
        scrapped: false,
    }
}

/// The season's events, day after day, after the registrations; `seq` is the sequence number
/// the first of them will get (so that filings can name their events).
struct Season {
    day: u32,
    seq: i64,
    depot_stock: i64,
    lots: usize,
    lot: String,
    queue: std::collections::VecDeque<Event>,
    times: std::collections::VecDeque<NaiveDateTime>,
}

impl Season {
    fn new(first_seq: i64) -> Season {
        Season {
            day: 0,
            seq: first_seq,
            depot_stock: 0,
            lots: 0,
            lot: String::new(),
            queue: Default::default(),
            times: Default::default(),
        }
    }

    fn push(&mut self, at: NaiveDateTime, event: Event) {
        self.times.push_back(at);
        self.queue.push_back(event);
    }

    /// Queues one more day; `base` is the sequence number of its first event.
    fn plan_day(&mut self) {
        let day = day0() + chrono::Duration::days(i64::from(self.day) + 1);
        let mut base = self.seq + self.queue.len() as i64;
        if self.day % 300 == 299 {
            for s in 0..SITES {
                self.push(time(day, 7, 0), Event::Equipment(launcher(s, day)));
                base += 1;
            }
        }
        if self.depot_stock < 20 * SITES as i64 {
            self.lots += 1;
            self.lot = format!("WR98-{:05}", self.lots);
            let lot = Lot {
                lot: self.lot.clone(),
                model: "WR-98".into(),
                serials: None,
                quantity: LOT_SIZE,
                manufactured: day0(),
                expires: NaiveDate::from_ymd_opt(2099, 12, 31).unwrap_or_default(),
            };
            self.push(
                time(day, 7, 30),
                Event::Receive(Receipt {
                    depot: "D".into(),
                    lot,
                    purchase: "P".into(),
                    opening: false,
                }),
            );
            self.push(
                time(day, 7, 40),
                Event::File(Filing {
                    event: base,
                    rule: RuleId::L2,
                    reference: "备案".into(),
                }),
            );
            base += 2;
            self.depot_stock += LOT_SIZE;
        }
        for s in 0..SITES {
            let site = site_id(s);
            self.push(
                time(day, 8, 0),
                Event::Airspace(AirspaceApproval {
                    reference: format!("A{}-{s}", self.day),
                    site: site.clone(),
                    start: time(day, 14, 0),
                    end: time(day, 17, 0),
                    announcement: Some("公告".into()),
                }),
            );
            let lot = self.lot.clone();
            let item = |n| vec![Item::new(lot.clone(), n, Condition::Good)];
            let issue = Event::Issue(Issue {
                depot: "D".into(),
                site: site.clone(),
                items: item(20),
            });
            self.push(time(day, 9, 0), issue);
            let first_fire = base + 2;
            for k in 0..4 {
                let firing = Firing {
                    site: site.clone(),
                    equipment: format!("L{s:03}"),
                    items: item(5),
                    azimuth_deg: Some(150.0 + f64::from(k) * 30.0),
                    elevation_deg: Some(60.0),
                    crew: vec!["O0".into(), "O1".into(), "O2".into()],
                    serials: vec![],
                };
                self.push(time(day, 14, 10 + 10 * k), Event::Fire(firing));
            }
            self.push(
                time(day, 16, 0),
                Event::File(Filing {
                    event: first_fire,
                    rule: RuleId::L16,
                    reference: "已报".into(),
                }),
            );
            base += 7;
            self.depot_stock -= 20;
        }
        self.day += 1;
    }
}

impl Iterator for Season {
    type Item = NewEvent;
    fn next(&mut self) -> Option<NewEvent> {
        if self.queue.is_empty() {
            self.plan_day();
        }
        let event = self.queue.pop_front()?;
        let at = self.times.pop_front()?;
        self.seq += 1;
        Some(ev(at, event))
    }
}

/// A fresh ledger file with the registrations.
fn fresh(dir: &Path) -> Ledger {
    static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = dir.join(format!("ledger-{n}.db"));
    let mut ledger = Ledger::create(&path).unwrap_or_else(|e| panic!("{e}"));
    // The synthetic season is dated 2025: each event recorded at its own time (TIME-ENTRY).
    ledger.set_clock(RecordingClock::EventTime);
    ledger
        .record_all(&registers(), 0, |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    ledger
}

/// The 1,000,000-event ledger, built once.
fn million() -> PathBuf {
    let path = std::env::temp_dir().join("wxmod-ledger-bench-1m.db");
    if let Ok(ledger) = Ledger::open(&path)
        && ledger.head().map(|h| h.0).unwrap_or(0) >= 1_000_000
    {
        return path;
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let start = Instant::now();
    let mut ledger = Ledger::create(&path).unwrap_or_else(|e| panic!("{e}"));
    ledger.set_clock(RecordingClock::EventTime);
    let registers = registers();
    ledger
        .record_all(&registers, 0, |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    let mut season = Season::new(registers.len() as i64 + 1);
    let mut total = registers.len();
    while total < 1_000_000 {
        let chunk: Vec<NewEvent> = season
            .by_ref()
            .take(50_000.min(1_000_000 - total))
            .collect();
        ledger
            .record_all(&chunk, 10_000, |_| {})
            .unwrap_or_else(|e| panic!("{e}"));
        total += chunk.len();
    }
    eprintln!(
        "built {} ({total} events) in {:.1?}",
        path.display(),
        start.elapsed()
    );
    path
}

fn import(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let first = registers().len() as i64 + 1;
    let events: Vec<NewEvent> = Season::new(first).take(10_000).collect();
    let mut group = c.benchmark_group("ledger import");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(events.len() as u64));
    for batch in [1_000usize, 0] {
        let name = if batch == 0 {
            "10k events, one commit".to_string()
        } else {
            format!("10k events, commit every {batch}")
        };
        group.bench_function(name, |b| {
            b.iter_batched(
                || fresh(dir.path()),
                |mut ledger| {
                    black_box(
                        ledger
                            .record_all(black_box(&events), batch, |_| {})
                            .map(|r| r.len()),
                    )
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

fn single_events(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let first = registers().len() as i64 + 1;
    let events: Vec<NewEvent> = Season::new(first).take(200).collect();
    let mut group = c.benchmark_group("ledger record");
    group.sample_size(10);
    group.throughput(Throughput::Elements(events.len() as u64));
    group.bench_function("200 events, one durable commit each", |b| {
        b.iter_batched(
            || fresh(dir.path()),
            |mut ledger| {
                for e in &events {
                    black_box(
                        ledger
                            .record(e.clone())
                            .unwrap_or_else(|err| panic!("{err}")),
                    );
                }
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn stock_query(c: &mut Criterion) {
    let path = million();
    let ledger = Ledger::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut group = c.benchmark_group("ledger stock on 1,000,000 events");
    group.bench_function("whole stock", |b| {
        b.iter(|| black_box(ledger.stock(&StockFilter::default()).map(|s| s.len())))
    });
    let one = StockFilter {
        location: Some(StockHolder::Site("S007".into())),
        ..StockFilter::default()
    };
    group.bench_function("one site", |b| {
        b.iter(|| black_box(ledger.stock(black_box(&one)).map(|s| s.len())))
    });
    group.bench_function("open and query", |b| {
        b.iter(|| {
            let ledger = Ledger::open(&path).unwrap_or_else(|e| panic!("{e}"));
            black_box(ledger.stock(&StockFilter::default()).map(|s| s.len()))
        })
    });
    group.finish();
}

criterion_group!(benches, import, single_events, stock_query);
criterion_main!(benches);
