//! Issue #18 (ledger integrity), each reproducer of the issue as a test: the falsifying event
//! is refused with a message (or a rule id) and the ledger file is unchanged afterwards, read
//! back through a second connection.

use wxmod::ledger::*;

use super::fixture::*;

/// Records `event` and expects an `Invalid` refusal whose message contains `says`, with the
/// file unchanged.
#[track_caller]
fn invalid(f: &mut Fixture, event: NewEvent, says: &str) {
    let before = on_disk(f);
    match f.ledger.record(event) {
        Err(LedgerError::Invalid(m)) => assert!(m.contains(says), "{m}"),
        other => panic!("expected a refusal saying '{says}', got {other:?}"),
    }
    assert_eq!(on_disk(f), before, "a refused event changed the ledger");
}

const T: &str = "2025-06-12 15:00";
const MAX: i64 = i64::MAX;

fn held(f: &Fixture, location: &str, lot: &str) -> i64 {
    let location: StockHolder = location.parse().unwrap_or_else(|e| panic!("{e}"));
    f.ledger
        .stock(&StockFilter {
            location: Some(location),
            lot: Some(lot.into()),
            ..StockFilter::default()
        })
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|l| l.quantity)
        .sum()
}

/// #18 found 1: `scrap --item L1:MAX --item L1:MAX-3` summed to -5 and raised the depot's stock.
#[test]
fn issue18_the_same_lot_twice_cannot_wrap_into_stock() {
    let mut f = base();
    let scrap = |items: Vec<Item>| {
        ev(
            T,
            Event::Scrap(Scrap {
                depot: "D1".into(),
                items,
                reason: ScrapReason::Failed,
                authority: "省工信厅、县公安局".into(),
            }),
        )
    };
    invalid(
        &mut f,
        scrap(vec![item("R-A", MAX), item("R-A", MAX - 3)]),
        "add up to more than",
    );
    // Under the limit each, merged first: 100 + 100 is more than the 180 held.
    refused(
        &mut f,
        scrap(vec![item("R-A", 100), item("R-A", 100)]),
        RuleId::L8,
    );
    // The same at a site, by loss and by firing (10 -> 30 in the issue).
    let loss = ev(
        T,
        Event::Loss(Loss {
            location: StockHolder::Site("SR".into()),
            items: vec![item("R-A", MAX), item("R-A", MAX - 9)],
            kind: LossKind::Loss,
            police_report: "朔公2025-7".into(),
        }),
    );
    invalid(&mut f, loss, "add up to more than");
    let mut firing = rocket_firing("R-A", MAX);
    firing.items.push(item("R-A", MAX - 9));
    invalid(&mut f, ev(T, Event::Fire(firing)), "add up to more than");
    let mut firing = rocket_firing("R-A", 15);
    firing.items.push(item("R-A", 15));
    refused(&mut f, ev(T, Event::Fire(firing)), RuleId::L8);
    assert_eq!(
        (held(&f, "depot:D1", "R-A"), held(&f, "site:SR", "R-A")),
        (180, 20)
    );
    let fired: i64 = f
        .ledger
        .consumption(&[], None, None)
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|r| r.rounds)
        .sum();
    assert_eq!(fired, 0);
}

/// #18 found 1: `receive --quantity MAX` into a depot of capacity 600 was accepted (L7 bypassed).
#[test]
fn issue18_a_huge_receipt_is_refused_by_the_line_limit_and_the_capacity() {
    let mut f = base();
    let huge = lot("R-H", "WR-98", MAX, None, "2030-01-01");
    invalid(
        &mut f,
        ev(T, receive("D2", huge)),
        "over the limit of 100000",
    );
    let over = lot("R-H", "WR-98", 100_001, None, "2030-01-01");
    invalid(&mut f, ev(T, receive("D1", over)), "max_line_quantity");
    // Within the line limit, still over D2's capacity of 100.
    refused(
        &mut f,
        ev(
            T,
            receive("D2", lot("R-H", "WR-98", 101, None, "2030-01-01")),
        ),
        RuleId::L7,
    );
    // Capacities themselves are bounded, so no sum of capacity and stock can wrap.
    let mut wide = depot("D3", DepotKind::Military, None, "rocket=1");
    wide.capacity.rocket = MAX;
    invalid(
        &mut f,
        ev(T, Event::Depot(wide)),
        "must lie in 0-1000000000",
    );
    // Counts too.
    let count = Event::Stocktake(Stocktake {
        location: StockHolder::Depot("D1".into()),
        counts: vec![item("R-A", MAX)],
    });
    invalid(&mut f, ev(T, count), "over the limit");
    let stock = f
        .ledger
        .stock(&StockFilter::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(stock.iter().all(|l| l.quantity > 0));
}

/// The line limit is a threshold with a range; raised to its top, the largest lines still
/// add up inside `i64` and the capacities refuse them.
#[test]
fn the_line_limit_is_configurable_within_its_range() {
    let mut f = base();
    let set = |value: &str| {
        ev(
            T,
            Event::Configure {
                key: "max_line_quantity".into(),
                value: value.into(),
            },
        )
    };
    invalid(&mut f, set("0"), "must lie in 1-1000000000");
    invalid(&mut f, set("1000000001"), "must lie in 1-1000000000");
    f.ledger
        .record(set("1000000000"))
        .unwrap_or_else(|e| panic!("{e}"));
    let big = lot("R-H", "WR-98", 1_000_000_000, None, "2030-01-01");
    refused(&mut f, ev(T, receive("D1", big)), RuleId::L7);
}

/// #18 found 4: out-of-range settings were accepted and then panicked (or let a 2-year-old
/// register as an operator).
#[test]
fn issue18_settings_out_of_their_range_are_refused() {
    let mut f = base();
    for (key, value) in [
        ("police_filing_days", "9223372036854775807"),
        ("end_report_hours", "9223372036854775807"),
        ("inspection_interval_days", "9223372036854775807"),
        ("certificate_renewal_days", "9223372036854775807"),
        ("operator_min_age_years", "4611686018427387905"),
        ("crew_min.launcher", "0"),
        ("crew_min.gun", "0"),
        ("warning_days", "100000000"),
    ] {
        let event = ev(
            T,
            Event::Configure {
                key: key.into(),
                value: value.into(),
            },
        );
        invalid(&mut f, event, "must lie in");
    }
    // Every deadline still computes.
    f.ledger.check(at(T), 30).unwrap_or_else(|e| panic!("{e}"));
}

/// #18 found 4: `ledger check --within 100000000` panicked; every value now answers.
#[test]
fn issue18_no_check_horizon_panics() {
    let f = base();
    for within in [i64::MIN, -1, MAX_WITHIN_DAYS + 1, 100_000_000, i64::MAX] {
        match f.ledger.check(at(T), within) {
            Err(LedgerError::Invalid(m)) => assert!(m.contains("0-3650"), "{m}"),
            other => panic!("--within {within}: {other:?}"),
        }
    }
    for within in [0, 1, 30, MAX_WITHIN_DAYS] {
        f.ledger
            .check(at(T), within)
            .unwrap_or_else(|e| panic!("--within {within}: {e}"));
    }
    // Far-off register dates list without overflow.
    let mut f = base();
    let mut forever = operator("O9", &[EquipmentKind::Launcher]);
    forever.certificate_expiry = day("9999-12-31");
    f.ledger
        .record(ev(T, Event::Operator(forever)))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut ancient = gear(
        "LX",
        EquipmentKind::Launcher,
        Some("SR"),
        Some("2025-01-01"),
    );
    ancient.inspected = Some(day("9999-12-31"));
    f.ledger
        .record(ev(T, Event::Equipment(ancient)))
        .unwrap_or_else(|e| panic!("{e}"));
    f.ledger
        .check(at(T), MAX_WITHIN_DAYS)
        .unwrap_or_else(|e| panic!("{e}"));
}

/// #18 found 6: after a session the main file alone held an empty ledger; now closing a
/// writable ledger copies the WAL into it.
#[test]
fn issue18_the_main_file_alone_is_the_whole_ledger_after_closing() {
    let f = base();
    let events = f.ledger.head().unwrap_or_else(|e| panic!("{e}")).0;
    let path = f.path();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    drop(f.ledger);
    let wal = path.with_file_name("ledger.db-wal");
    let wal_len = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert_eq!(wal_len, 0, "the WAL still holds {wal_len} bytes");
    // A plain copy of ledger.db only: another PC, a backup by hand.
    let copy = dir.path().join("copy.db");
    std::fs::copy(&path, &copy).unwrap_or_else(|e| panic!("{e}"));
    let report = Ledger::open_read_only(&copy)
        .and_then(|l| l.verify(None))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.events, events);
    assert!(events >= 40 && report.is_intact(), "{:?}", report.findings);
}

/// `Ledger::backup`: a consistent copy that verifies, never over an existing file.
#[test]
fn a_backup_is_complete_verifies_and_never_overwrites() {
    let f = base();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let to = dir.path().join("backup.db");
    let report = f.ledger.backup(&to).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.is_intact(), "{:?}", report.findings);
    assert_eq!(
        report.head_hash,
        f.ledger.head().unwrap_or_else(|e| panic!("{e}")).1
    );
    assert!(!to.with_file_name("backup.db-wal").exists());
    let again = f.ledger.backup(&to);
    assert!(
        matches!(again, Err(LedgerError::Invalid(ref m)) if m.contains("already exists")),
        "{again:?}"
    );
    // Restored: opened for writing, it takes new events.
    let mut restored = Ledger::open(&to).unwrap_or_else(|e| panic!("{e}"));
    restored.set_clock(RecordingClock::EventTime);
    assert_eq!(
        restored.fingerprint().unwrap_or_else(|e| panic!("{e}")),
        f.ledger.fingerprint().unwrap_or_else(|e| panic!("{e}"))
    );
    restored
        .record(ev(T, model("WR-1", ItemClass::Rocket)))
        .unwrap_or_else(|e| panic!("{e}"));
}

/// #18 found 8: a read-only query on another application's SQLite file created wxmod's
/// tables in it and switched it to WAL; now every open refuses it, byte for byte unchanged.
#[test]
fn issue18_a_foreign_sqlite_file_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let other = dir.path().join("other_app.sqlite");
    {
        let conn = rusqlite::Connection::open(&other).unwrap_or_else(|e| panic!("{e}"));
        conn.execute_batch("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('hello');")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let bytes = std::fs::read(&other).unwrap_or_else(|e| panic!("{e}"));
    for result in [
        Ledger::open_read_only(&other).map(|_| ()),
        Ledger::open(&other).map(|_| ()),
        Ledger::create(&other).map(|_| ()),
    ] {
        match result {
            Err(LedgerError::NotALedger { why, .. }) => {
                assert!(why.contains("another application"), "{why}")
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        std::fs::read(&other).unwrap_or_else(|e| panic!("{e}")),
        bytes
    );
    assert!(!dir.path().join("other_app.sqlite-wal").exists());
    // Not a database at all, and a directory.
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database\n").unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        Ledger::open_read_only(&text),
        Err(LedgerError::NotALedger { .. })
    ));
    assert!(matches!(
        Ledger::open(&text),
        Err(LedgerError::NotALedger { .. })
    ));
    assert_eq!(
        std::fs::read(&text).unwrap_or_else(|e| panic!("{e}")),
        b"not a database\n"
    );
    match Ledger::open(dir.path()) {
        Err(LedgerError::NotALedger { why, .. }) => assert!(why.contains("directory")),
        other => panic!("{other:?}"),
    }
}

/// #18 found 8: `verify` on a file with a dropped table errored instead of reporting it.
#[test]
fn issue18_verify_reports_a_dropped_table_as_tampering() {
    let f = base();
    let path = f.path();
    drop(f.ledger);
    {
        let conn = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
        conn.execute_batch("DROP TABLE stock")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let report = Ledger::open_read_only(&path)
        .and_then(|l| l.verify(None))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        report
            .findings
            .iter()
            .any(|x| matches!(x, Finding::Table { table } if table == "stock")),
        "{:?}",
        report.findings
    );
}

fn issue_sr(when: &str, quantity: i64) -> NewEvent {
    ev(
        when,
        Event::Issue(Issue {
            depot: "D1".into(),
            site: "SR".into(),
            items: vec![item("R-A", quantity)],
        }),
    )
}

/// #18 found 3: rounds issued on 06-13 were fired on 06-12 (the rules read today's book).
#[test]
fn issue18_an_event_dated_before_the_latest_event_of_its_site_or_lot_is_refused() {
    let mut f = base();
    f.ledger
        .record(issue_sr("2025-06-13 10:00", 5))
        .unwrap_or_else(|e| panic!("{e}"));
    refused(
        &mut f,
        ev(T, Event::Fire(rocket_firing("R-A", 1))),
        RuleId::TimeOrder,
    );
    // Another lot's depot event is refused too (the depot saw the issue of 06-13) ...
    let scrap = Event::Scrap(Scrap {
        depot: "D1".into(),
        items: vec![item("S-A", 1)],
        reason: ScrapReason::Failed,
        authority: "省工信厅".into(),
    });
    refused(
        &mut f,
        ev("2025-06-13 09:59", scrap.clone()),
        RuleId::TimeOrder,
    );
    // ... and the same events after it pass.
    f.ledger
        .record(ev("2025-06-13 10:00", scrap))
        .unwrap_or_else(|e| panic!("{e}"));
    let back = Event::Return(Return {
        site: "SR".into(),
        depot: "D1".into(),
        items: vec![item("R-A", 1)],
    });
    f.ledger
        .record(ev("2025-06-13 11:00", back))
        .unwrap_or_else(|e| panic!("{e}"));
    let report = f.ledger.verify(None).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.is_intact(), "{:?}", report.findings);
}

/// #18 found 3: events dated 2099, 1900 and 9999-12-31 23:59 were accepted; the last stored a
/// duty due in year 10000 that `check` could not read back.
#[test]
fn issue18_events_dated_in_the_future_or_long_before_they_are_recorded_are_refused() {
    let mut f = base();
    f.ledger
        .set_clock(RecordingClock::Fixed(at("2025-06-12 16:00")));
    for when in [
        "2099-06-12 15:00",
        "1900-01-01 00:00",
        "9999-12-31 23:59",
        "2025-06-12 16:11",
    ] {
        refused(
            &mut f,
            ev(when, Event::Fire(rocket_firing("R-A", 1))),
            RuleId::TimeEntry,
        );
    }
    // Ten minutes of clock skew are allowed, and late entries within 7 days.
    f.ledger
        .record(ev("2025-06-12 16:10", Event::Fire(rocket_firing("R-A", 1))))
        .unwrap_or_else(|e| panic!("{e}"));
    refused(
        &mut f,
        ev("2025-06-05 15:59", model("WR-9", ItemClass::Rocket)),
        RuleId::TimeEntry,
    );
    f.ledger
        .record(ev("2025-06-05 16:00", model("WR-9", ItemClass::Rocket)))
        .unwrap_or_else(|e| panic!("{e}"));
    f.ledger
        .check(at("2025-06-12 16:00"), 30)
        .unwrap_or_else(|e| panic!("{e}"));
    let report = f.ledger.verify(None).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.is_intact(), "{:?}", report.findings);
}

/// A fixture ledger sealed with a fresh key in its folder.
fn keyed() -> (Fixture, SealKey) {
    let mut f = base();
    let key =
        SealKey::create(&f.dir.path().join("ledger.db.key")).unwrap_or_else(|e| panic!("{e}"));
    f.ledger.set_key(Some(key.clone()));
    let sealed = f.ledger.seal_unsealed().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sealed, 41);
    (f, key)
}

/// #18 found 5: anyone who read the source could append a forged `loss` of 100 rockets with a
/// correct hash, head and projections, and `verify` passed. Without the key it is unsealed.
#[test]
fn issue18_an_event_appended_without_the_key_is_found() {
    let (f, key) = keyed();
    let report = f.ledger.verify(None).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        report.seals_checked && report.is_intact(),
        "{:?}",
        report.findings
    );
    let anchor = f.ledger.anchor().unwrap_or_else(|e| panic!("{e}"));
    let path = f.path();
    drop(f.ledger);
    // The insider: the file and the source, not the key. Opening the library without a key
    // writes a correctly chained event with every projection.
    {
        let mut forger = Ledger::open(&path).unwrap_or_else(|e| panic!("{e}"));
        forger.set_clock(RecordingClock::EventTime);
        let loss = Event::Loss(Loss {
            location: StockHolder::Depot("D1".into()),
            items: vec![item("R-A", 100)],
            kind: LossKind::Loss,
            police_report: "伪造".into(),
        });
        forger.record(ev(T, loss)).unwrap_or_else(|e| panic!("{e}"));
        let unkeyed = forger.verify(None).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !unkeyed.seals_checked && unkeyed.is_intact(),
            "without the key nothing shows"
        );
    }
    let mut owner = Ledger::open_read_only(&path).unwrap_or_else(|e| panic!("{e}"));
    owner.set_key(Some(key));
    let report = owner
        .verify(Some(&anchor))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        report.findings,
        vec![Finding::Unsealed {
            first: 42,
            last: 42
        }]
    );
}

/// #18 found 5: `verify` replayed without re-checking the rules, so a forged firing without
/// an airspace window, by an unknown crew with another site's launcher, passed.
#[test]
fn issue18_verify_re_admits_every_event_and_names_the_first_that_fails() {
    let f = base();
    let path = f.path();
    let (seq, prev) = f.ledger.head().unwrap_or_else(|e| panic!("{e}"));
    drop(f.ledger);
    let forged = Event::Fire(Firing {
        equipment: "LR2".into(),
        crew: vec!["X1".into(), "X2".into(), "X3".into()],
        ..rocket_firing("R-A", 1)
    });
    let body = serde_json::to_string(&forged).unwrap_or_else(|e| panic!("{e}"));
    let (at, recorded) = ("2025-06-12T20:00:00", "2025-06-12T20:00:00");
    let seq = seq + 1;
    let hash = event_hash(&prev, seq, at, recorded, "测试员", "fire", &body);
    {
        let conn = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
        conn.execute(
            "INSERT INTO events (seq, at, recorded_at, actor, kind, body, prev_hash, hash) VALUES (?1, ?2, ?3, '测试员', 'fire', ?4, ?5, ?6)",
            rusqlite::params![seq, at, recorded, body, prev, hash],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        conn.execute(
            "UPDATE chain_head SET seq = ?1, hash = ?2",
            rusqlite::params![seq, hash],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let report = Ledger::open_read_only(&path)
        .and_then(|l| l.verify(None))
        .unwrap_or_else(|e| panic!("{e}"));
    let first = report.findings.iter().find_map(|x| match x {
        Finding::Refused { seq, detail } => Some((*seq, detail.clone())),
        _ => None,
    });
    let (named, detail) =
        first.unwrap_or_else(|| panic!("no re-admission finding: {:?}", report.findings));
    assert_eq!(named, seq);
    assert!(detail.contains("LR2"), "{detail}");
}

/// `ledger anchor` / `verify --anchor`: a chain cut back behind its signed anchor is reported,
/// and an anchor not signed with the key is refused.
#[test]
fn a_chain_behind_its_signed_anchor_is_reported() {
    let (mut f, key) = keyed();
    f.ledger
        .record(issue_sr("2025-06-12 09:00", 1))
        .unwrap_or_else(|e| panic!("{e}"));
    let anchor = f.ledger.anchor().unwrap_or_else(|e| panic!("{e}"));
    assert!(anchor.starts_with("wxmod-anchor:42:"), "{anchor}");
    let path = f.path();
    drop(f.ledger);
    {
        // Cut the last event and rewrite the head to match: the chain alone looks whole.
        let conn = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
        conn.execute_batch(
            "DELETE FROM events WHERE seq = 42; DELETE FROM seals WHERE seq = 42;
             UPDATE chain_head SET seq = 41, hash = (SELECT hash FROM events WHERE seq = 41);",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let mut owner = Ledger::open_read_only(&path).unwrap_or_else(|e| panic!("{e}"));
    owner.set_key(Some(key));
    let report = owner
        .verify(Some(&anchor))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        report.findings.contains(&Finding::BehindAnchor {
            anchor_seq: 42,
            head_seq: 41
        }),
        "{:?}",
        report.findings
    );
    let forged = anchor.replace("wxmod-anchor:42:", "wxmod-anchor:41:");
    let report = owner
        .verify(Some(&forged))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        report
            .findings
            .iter()
            .any(|x| matches!(x, Finding::ForgedAnchor { .. })),
        "{:?}",
        report.findings
    );
    owner.set_key(None);
    assert!(matches!(
        owner.verify(Some(&anchor)),
        Err(LedgerError::Invalid(_))
    ));
}

/// A backup taken while another connection keeps writing is a consistent ledger: every copy
/// verifies, whatever the interleaving.
#[test]
fn backups_taken_during_concurrent_writes_verify() {
    let f = base();
    let path = f.path();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let writer_path = path.clone();
    let writer = std::thread::spawn(move || {
        let mut w = Ledger::open(&writer_path).unwrap_or_else(|e| panic!("{e}"));
        w.set_clock(RecordingClock::EventTime);
        for i in 0..150 {
            w.record(ev(T, model(&format!("M{i}"), ItemClass::Rocket)))
                .unwrap_or_else(|e| panic!("{e}"));
        }
    });
    let mut copies = Vec::new();
    for n in 0..5 {
        let to = dir.path().join(format!("backup-{n}.db"));
        let reader = Ledger::open_read_only(&path).unwrap_or_else(|e| panic!("{e}"));
        let report = reader.backup(&to).unwrap_or_else(|e| panic!("{e}"));
        assert!(report.is_intact(), "backup {n}: {:?}", report.findings);
        copies.push(report.events);
    }
    writer
        .join()
        .unwrap_or_else(|_| panic!("the writer panicked"));
    assert!(copies.iter().all(|n| (41..=191).contains(n)), "{copies:?}");
    let last = dir.path().join("after.db");
    let report = f.ledger.backup(&last).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.events, 191);
}

/// #18 found 8: `scrap --reason expired` of unexpired rounds, a fallen dud at a site that never
/// fired the lot, and inverted or negative serial ranges were accepted.
#[test]
fn issue18_smaller_falsehoods_are_refused() {
    let mut f = base();
    let scrap = Event::Scrap(Scrap {
        depot: "D1".into(),
        items: vec![item("R-A", 1)],
        reason: ScrapReason::Expired,
        authority: "省工信厅".into(),
    });
    invalid(&mut f, ev(T, scrap), "is not expired");
    let fallen = Event::Dud(Dud {
        site: "SR2".into(),
        lot: "R-A".into(),
        quantity: 1,
        kind: DudKind::Fallen,
        serials: vec![],
        box_number: None,
        bearing_deg: Some(10.0),
        distance_m: Some(900.0),
        note: None,
    });
    invalid(&mut f, ev(T, fallen), "never held lot R-A");
    for (first, last, quantity) in [(-5, -1, 5), (10, 6, 5), (0, i64::MAX, 5)] {
        let mut l = lot("R-S", "WR-98", quantity, None, "2030-01-01");
        l.serials = Some(SerialRange { first, last });
        let event = ev(T, receive("D1", l));
        let before = on_disk(&f);
        assert!(matches!(
            f.ledger.record(event),
            Err(LedgerError::Invalid(_))
        ));
        assert_eq!(on_disk(&f), before);
    }
}
