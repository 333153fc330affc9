//! Issue #18 item "per-unit accounting": a lot received with serial numbers is tracked round by
//! round. Each refusal names its rule id and leaves the file byte-identical; `history --serial`
//! tells a unit's life; `verify` re-admits serial-level events; a property test drives random
//! serialized movements against a model of every unit.

use std::collections::BTreeMap;

use proptest::prelude::*;
use wxmod::ledger::*;

use super::fixture::*;
use super::model::setup;

const T: &str = "2025-06-12 15:00";

/// A line naming its serials.
fn numbered(lot: &str, serials: &[i64]) -> Item {
    Item {
        serials: serials
            .iter()
            .map(|&s| SerialRange { first: s, last: s })
            .collect(),
        ..item(lot, serials.len() as i64)
    }
}

fn issue_sr(items: Vec<Item>) -> NewEvent {
    ev(
        "2025-06-11 10:00",
        Event::Issue(Issue {
            depot: "D1".into(),
            site: "SR".into(),
            items,
        }),
    )
}

fn fire_sr(items: Vec<Item>) -> NewEvent {
    ev(
        T,
        Event::Fire(Firing {
            items,
            ..rocket_firing("R-N", 1)
        }),
    )
}

/// The fixture under the default `serials = required`, with lot R-N (serials 300001-300010)
/// received into depot D1.
fn numbered_fixture() -> Fixture {
    let mut f = base();
    for event in [
        ev(
            "2025-06-11 08:00",
            Event::Configure {
                key: "serials".into(),
                value: "required".into(),
            },
        ),
        ev(
            "2025-06-11 09:00",
            receive("D1", lot("R-N", "WR-98", 10, Some(300001), "2030-01-01")),
        ),
    ] {
        f.ledger.record(event).unwrap_or_else(|e| panic!("{e}"));
    }
    f
}

fn unit(f: &Fixture, serial: i64) -> Unit {
    let status = f
        .ledger
        .serial_status(serial)
        .unwrap_or_else(|e| panic!("{e}"));
    match status.as_slice() {
        [one] => one.unit.clone(),
        other => panic!("serial {serial}: {other:?}"),
    }
}

/// #18 found 2: the same serial fired twice, a serial still in the depot fired at a site,
/// three serials for one round and one serial twice in one firing were all accepted.
#[test]
fn issue18_serials_are_consumed_once_from_where_the_book_has_them() {
    let mut f = numbered_fixture();
    // A numbered lot moved without its serials, with too few, or one named twice.
    refused(&mut f, issue_sr(vec![item("R-N", 2)]), RuleId::SerialNamed);
    let short = Item {
        quantity: 3,
        ..numbered("R-N", &[300001, 300002])
    };
    refused(&mut f, issue_sr(vec![short]), RuleId::SerialCount);
    refused(
        &mut f,
        issue_sr(vec![numbered("R-N", &[300001, 300001])]),
        RuleId::SerialTwice,
    );
    f.ledger
        .record(issue_sr(vec![numbered("R-N", &[300001, 300002, 300003])]))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(unit(&f, 300002).location, StockHolder::Site("SR".into()));
    assert_eq!(unit(&f, 300009).location, StockHolder::Depot("D1".into()));

    // A serial still in the depot fired at the site.
    refused(
        &mut f,
        fire_sr(vec![numbered("R-N", &[300009])]),
        RuleId::SerialPlace,
    );
    // Three serials for one round.
    let three = Item {
        quantity: 1,
        ..numbered("R-N", &[300001, 300002, 300003])
    };
    refused(&mut f, fire_sr(vec![three]), RuleId::SerialCount);
    // One serial twice in one firing, as two lines of the same lot.
    refused(
        &mut f,
        fire_sr(vec![numbered("R-N", &[300001]), numbered("R-N", &[300001])]),
        RuleId::SerialTwice,
    );
    f.ledger
        .record(fire_sr(vec![numbered("R-N", &[300001])]))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(unit(&f, 300001).state, UnitState::Fired);
    // The same serial fired twice.
    refused(
        &mut f,
        fire_sr(vec![numbered("R-N", &[300001])]),
        RuleId::SerialSpent,
    );
    // The firing-wide `--serial` list is assigned to the line whose lot holds it.
    let by_list = Firing {
        serials: vec![300002],
        ..rocket_firing("R-N", 1)
    };
    f.ledger
        .record(ev(T, Event::Fire(by_list.clone())))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(unit(&f, 300002).state, UnitState::Fired);
    refused(&mut f, ev(T, Event::Fire(by_list)), RuleId::SerialSpent);
    // A number outside the lot's range is no serial of it.
    let before = on_disk(&f);
    let outside = f.ledger.record(fire_sr(vec![numbered("R-N", &[300011])]));
    assert!(
        matches!(&outside, Err(LedgerError::Invalid(m)) if m.contains("not serials of lot R-N (300001-300010)")),
        "{outside:?}"
    );
    assert_eq!(on_disk(&f), before);
    let report = f.ledger.verify(None).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.is_intact(), "{:?}", report.findings);
}

/// Dud, return, transfer, arrival, scrapping and loss move the units they name; the units in
/// stock per location equal the stock; `history --serial` tells one unit's whole life.
#[test]
fn every_movement_moves_its_units_and_history_tells_a_units_life() {
    let mut f = numbered_fixture();
    let record = |f: &mut Fixture, when: &str, event: Event| {
        f.ledger
            .record(ev(when, event))
            .unwrap_or_else(|e| panic!("{e}"))
            .seq
    };
    record(
        &mut f,
        "2025-06-11 10:00",
        Event::Issue(Issue {
            depot: "D1".into(),
            site: "SR".into(),
            items: vec![numbered("R-N", &[300001, 300002, 300003, 300004])],
        }),
    );
    let misfire = Dud {
        site: "SR".into(),
        lot: "R-N".into(),
        quantity: 1,
        kind: DudKind::Misfire,
        serials: vec![300003],
        box_number: Some("B-1".into()),
        bearing_deg: None,
        distance_m: None,
        note: None,
    };
    record(&mut f, T, Event::Dud(misfire.clone()));
    assert_eq!(unit(&f, 300003).state, UnitState::Dud);
    // A fallen dud is a fired round: 300004 is still in stock.
    let fallen = Dud {
        kind: DudKind::Fallen,
        serials: vec![300004],
        box_number: None,
        ..misfire.clone()
    };
    refused(
        &mut f,
        ev(T, Event::Dud(fallen.clone())),
        RuleId::SerialPlace,
    );
    record(
        &mut f,
        T,
        Event::Fire(Firing {
            items: vec![numbered("R-N", &[300004])],
            ..rocket_firing("R-N", 1)
        }),
    );
    record(&mut f, "2025-06-12 16:00", Event::Dud(fallen.clone()));
    assert_eq!(unit(&f, 300004).state, UnitState::Fallen);
    refused(
        &mut f,
        ev("2025-06-12 16:00", Event::Dud(fallen)),
        RuleId::SerialSpent,
    );
    // The dud goes back as a dud, not as a good round.
    let back = |items| {
        Event::Return(Return {
            site: "SR".into(),
            depot: "D1".into(),
            items,
        })
    };
    refused(
        &mut f,
        ev("2025-06-13 09:00", back(vec![numbered("R-N", &[300003])])),
        RuleId::SerialPlace,
    );
    let dud = Item {
        condition: Condition::Dud,
        ..numbered("R-N", &[300003])
    };
    let returned = record(
        &mut f,
        "2025-06-13 09:00",
        back(vec![dud.clone(), numbered("R-N", &[300001, 300002])]),
    );
    // Transfer D1 -> D2 and arrival.
    record(
        &mut f,
        "2025-06-14 08:00",
        Event::Dispatch(Dispatch {
            transfer: "T9".into(),
            from: "D1".into(),
            to: "D2".into(),
            items: vec![numbered("R-N", &[300001, 300005])],
            vehicle: "V1".into(),
            escort: "马超".into(),
            licence: "L-9".into(),
        }),
    );
    assert_eq!(unit(&f, 300005).location, StockHolder::Transit("T9".into()));
    let arrived = record(
        &mut f,
        "2025-06-14 16:00",
        Event::Arrive(Arrival {
            transfer: "T9".into(),
        }),
    );
    assert_eq!(unit(&f, 300005).location, StockHolder::Depot("D2".into()));
    assert_eq!(unit(&f, 300005).last_seq, arrived);
    // Scrapping the dud at D1, a loss at D2.
    let scrapped = record(
        &mut f,
        "2025-06-15 10:00",
        Event::Scrap(Scrap {
            depot: "D1".into(),
            items: vec![dud],
            reason: ScrapReason::Dud,
            authority: "朔州市公安局".into(),
        }),
    );
    record(
        &mut f,
        "2025-06-15 10:00",
        Event::Loss(Loss {
            location: StockHolder::Depot("D2".into()),
            items: vec![numbered("R-N", &[300005])],
            kind: LossKind::Theft,
            police_report: "朔公2025-9".into(),
        }),
    );
    assert_eq!(unit(&f, 300005).state, UnitState::Lost);
    assert_eq!(unit(&f, 300003).state, UnitState::Scrapped);

    // Units in stock per location equal the stock of the lot, counted by hand.
    let counts: BTreeMap<(StockHolder, Condition), i64> = f
        .ledger
        .serial_counts()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|c| c.lot == "R-N")
        .map(|c| ((c.location, c.condition), c.units))
        .collect();
    let stock: BTreeMap<(StockHolder, Condition), i64> = f
        .ledger
        .stock(&StockFilter {
            lot: Some("R-N".into()),
            ..StockFilter::default()
        })
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|l| ((l.location, l.condition), l.quantity))
        .collect();
    assert_eq!(counts, stock);
    // D1: 300002 returned, 300006-300010 never moved; D2: 300001; fired 300004, scrapped 300003, lost 300005.
    let by_hand = BTreeMap::from([
        ((StockHolder::Depot("D1".into()), Condition::Good), 6),
        ((StockHolder::Depot("D2".into()), Condition::Good), 1),
    ]);
    assert_eq!(counts, by_hand);

    // The life of 300003: received, issued, misfired, returned as a dud, destroyed.
    let history = f
        .ledger
        .history(&Trace::Serial(300003))
        .unwrap_or_else(|e| panic!("{e}"));
    let kinds: Vec<&str> = history.events.iter().map(|e| e.event.kind()).collect();
    assert_eq!(kinds, ["receive", "issue", "dud", "return", "scrap"]);
    assert!(history.events.iter().all(|e| e.names_serial));
    assert_eq!(history.events.last().map(|e| e.seq), Some(scrapped));
    assert!(history.events.iter().any(|e| e.seq == returned));
    assert_eq!(history.units.len(), 1);
    let report = f.ledger.verify(None).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.is_intact(), "{:?}", report.findings);
}

/// Under `serials = optional` a movement may leave the serials out; the lot's per-serial record
/// then ends, and the history of its serials says so and lists the lot's later events.
#[test]
fn under_optional_serials_an_unnumbered_movement_ends_the_record_and_says_so() {
    let mut f = numbered_fixture();
    f.ledger
        .record(ev(
            "2025-06-11 09:30",
            Event::Configure {
                key: "serials".into(),
                value: "optional".into(),
            },
        ))
        .unwrap_or_else(|e| panic!("{e}"));
    f.ledger
        .record(issue_sr(vec![numbered("R-N", &[300001])]))
        .unwrap_or_else(|e| panic!("{e}"));
    let ended = f
        .ledger
        .record(issue_sr(vec![item("R-N", 2)]))
        .unwrap_or_else(|e| panic!("{e}"))
        .seq;
    let status = f
        .ledger
        .serial_status(300001)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status.first().and_then(|s| s.ended_seq), Some(ended));
    let history = f
        .ledger
        .history(&Trace::Serial(300005))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        history
            .events
            .iter()
            .any(|e| e.seq == ended && !e.names_serial)
    );
    // The count no longer covers the lot: nothing is claimed per serial.
    assert!(
        f.ledger
            .serial_counts()
            .unwrap_or_else(|e| panic!("{e}"))
            .iter()
            .all(|c| c.lot != "R-N")
    );
    let report = f.ledger.verify(None).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.is_intact(), "{:?}", report.findings);
}

/// A firing of a spent serial written behind wxmod's back with a correct hash is named by
/// `verify`'s re-admission, and an edited unit row by the projection comparison.
#[test]
fn verify_re_admits_serial_events_and_compares_the_units() {
    let mut f = numbered_fixture();
    f.ledger
        .record(issue_sr(vec![numbered("R-N", &[300001, 300002])]))
        .unwrap_or_else(|e| panic!("{e}"));
    f.ledger
        .record(fire_sr(vec![numbered("R-N", &[300001])]))
        .unwrap_or_else(|e| panic!("{e}"));
    let path = f.path();
    let (seq, prev) = f.ledger.head().unwrap_or_else(|e| panic!("{e}"));
    drop(f.ledger);
    let body = serde_json::to_string(&Event::Fire(Firing {
        items: vec![numbered("R-N", &[300001])],
        ..rocket_firing("R-N", 1)
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    let (at, recorded, seq) = ("2025-06-12T16:00:00", "2025-06-12T16:00:00", seq + 1);
    let hash = event_hash(&prev, seq, at, recorded, "测试员", "fire", &body);
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
    conn.execute("UPDATE units SET state = 'good' WHERE serial = 300001", [])
        .unwrap_or_else(|e| panic!("{e}"));
    drop(conn);
    let report = Ledger::open_read_only(&path)
        .and_then(|l| l.verify(None))
        .unwrap_or_else(|e| panic!("{e}"));
    let refused = report.findings.iter().find_map(|x| match x {
        Finding::Refused { seq, detail } => Some((*seq, detail.clone())),
        _ => None,
    });
    let (named, detail) = refused.unwrap_or_else(|| panic!("{:?}", report.findings));
    assert_eq!(named, seq);
    assert!(
        detail.contains("SERIAL-SPENT") && detail.contains("300001"),
        "{detail}"
    );
    assert!(
        report
            .findings
            .iter()
            .any(|x| matches!(x, Finding::Table { table } if table == "units")),
        "{:?}",
        report.findings
    );
}

// ---- property test ----

const DEPOTS: [&str; 2] = ["D1", "D2"];
const SITES: [&str; 2] = ["S1", "S2"];
const LOT: &str = "N";
const FIRST: i64 = 1000;
const ROUNDS: i64 = 120;

#[derive(Debug, Clone, Copy)]
enum Kind {
    Issue,
    Fire,
    Misfire,
    Return,
    Dispatch,
    Scrap,
    Loss,
}

/// One random movement: which kind, where, how many serials and which (valid ones from where
/// the model has them, or any numbers of the lot), one of them repeated or not.
#[derive(Debug, Clone)]
struct Op {
    kind: Kind,
    place: usize,
    other: usize,
    dud: bool,
    count: usize,
    offset: usize,
    valid: bool,
    repeat: bool,
}

fn op() -> impl Strategy<Value = Op> {
    let kind = prop_oneof![
        3 => Just(Kind::Issue), 3 => Just(Kind::Fire), 1 => Just(Kind::Misfire),
        2 => Just(Kind::Return), 2 => Just(Kind::Dispatch), 1 => Just(Kind::Scrap), 1 => Just(Kind::Loss),
    ];
    (
        kind,
        0..2usize,
        0..2usize,
        any::<bool>(),
        1..6usize,
        0..200usize,
        prop::bool::weighted(0.7),
        prop::bool::weighted(0.1),
    )
        .prop_map(
            |(kind, place, other, dud, count, offset, valid, repeat)| Op {
                kind,
                place,
                other,
                dud,
                count,
                offset,
                valid,
                repeat,
            },
        )
}

/// Every unit of the model: serial -> (location, state).
type Units = BTreeMap<i64, (StockHolder, UnitState)>;

/// The event of `op`, and whether the model admits it (applying it to the model if so).
fn step(units: &mut Units, transfers: &mut usize, op: &Op) -> Option<(Event, bool)> {
    let depot = StockHolder::Depot(DEPOTS[op.place].into());
    let site = StockHolder::Site(SITES[op.place].into());
    let condition = if op.dud && matches!(op.kind, Kind::Return | Kind::Scrap | Kind::Loss) {
        Condition::Dud
    } else {
        Condition::Good
    };
    let (from, to): (StockHolder, (StockHolder, UnitState)) = match op.kind {
        Kind::Issue => (
            depot,
            (StockHolder::Site(SITES[op.other].into()), UnitState::Good),
        ),
        Kind::Fire => (site.clone(), (site, UnitState::Fired)),
        Kind::Misfire => (site.clone(), (site, UnitState::Dud)),
        Kind::Return => (
            site,
            (
                StockHolder::Depot(DEPOTS[op.other].into()),
                UnitState::of(condition),
            ),
        ),
        Kind::Dispatch => (
            depot,
            (
                StockHolder::Depot(DEPOTS[1 - op.place].into()),
                UnitState::Good,
            ),
        ),
        Kind::Scrap => (depot.clone(), (depot, UnitState::Scrapped)),
        Kind::Loss => {
            let here = if op.other == 0 { depot } else { site };
            (here.clone(), (here, UnitState::Lost))
        }
    };
    let wanted = UnitState::of(condition);
    let mut serials: Vec<i64> = if op.valid {
        let here: Vec<i64> = units
            .iter()
            .filter(|(_, u)| u.0 == from && u.1 == wanted)
            .map(|(s, _)| *s)
            .collect();
        if here.len() < op.count {
            return None;
        }
        (0..op.count)
            .filter_map(|i| here.get((op.offset + i) % here.len()).copied())
            .collect()
    } else {
        (0..op.count as i64)
            .map(|i| FIRST + (op.offset as i64 + i) % ROUNDS)
            .collect()
    };
    if op.repeat && serials.len() > 1 {
        serials[1] = serials[0];
    }
    let mut distinct = serials.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let ok = distinct.len() == serials.len()
        && serials
            .iter()
            .all(|s| units.get(s).is_some_and(|u| u.0 == from && u.1 == wanted));
    let line = vec![Item {
        condition,
        serials: serials
            .iter()
            .map(|&s| SerialRange { first: s, last: s })
            .collect(),
        ..Item::new(LOT, serials.len() as i64, condition)
    }];
    let event = match op.kind {
        Kind::Issue => Event::Issue(Issue {
            depot: DEPOTS[op.place].into(),
            site: SITES[op.other].into(),
            items: line,
        }),
        Kind::Fire => Event::Fire(Firing {
            site: SITES[op.place].into(),
            equipment: format!("L{}", op.place),
            items: line,
            azimuth_deg: Some(200.0),
            elevation_deg: Some(60.0),
            crew: vec!["O1".into(), "O2".into(), "O3".into()],
            serials: vec![],
        }),
        Kind::Misfire => Event::Dud(Dud {
            site: SITES[op.place].into(),
            lot: LOT.into(),
            quantity: serials.len() as i64,
            kind: DudKind::Misfire,
            serials: serials.clone(),
            box_number: Some("B".into()),
            bearing_deg: None,
            distance_m: None,
            note: None,
        }),
        Kind::Return => Event::Return(Return {
            site: SITES[op.place].into(),
            depot: DEPOTS[op.other].into(),
            items: line,
        }),
        Kind::Dispatch => Event::Dispatch(Dispatch {
            transfer: format!("T{transfers}"),
            from: DEPOTS[op.place].into(),
            to: DEPOTS[1 - op.place].into(),
            items: line,
            vehicle: "V1".into(),
            escort: "马超".into(),
            licence: "L".into(),
        }),
        Kind::Scrap => Event::Scrap(Scrap {
            depot: DEPOTS[op.place].into(),
            items: line,
            reason: ScrapReason::Failed,
            authority: "朔州市公安局".into(),
        }),
        Kind::Loss => Event::Loss(Loss {
            location: from.clone(),
            items: line,
            kind: LossKind::Loss,
            police_report: "R".into(),
        }),
    };
    if ok {
        for s in &serials {
            units.insert(*s, to.clone());
        }
        if let Kind::Dispatch = op.kind {
            *transfers += 1;
        }
    }
    Some((event, ok))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// Random serialized movements: the ledger admits exactly what the unit model admits, no
    /// serial is ever consumed twice, the units in stock per location equal the stock, and
    /// `verify` finds the ledger intact (every serial event re-admitted and replayed).
    #[test]
    fn no_serial_is_consumed_twice_and_units_equal_stock(ops in prop::collection::vec(op(), 1..40)) {
        let mut ledger = setup();
        let mut units: Units = (FIRST..FIRST + ROUNDS).map(|s| (s, (StockHolder::Depot("D1".into()), UnitState::Good))).collect();
        ledger.record(ev(T, receive("D1", lot(LOT, "WR-98", ROUNDS, Some(FIRST), "2030-01-01")))).unwrap_or_else(|e| panic!("{e}"));
        let mut transfers = 0;
        for op in &ops {
            let Some((event, ok)) = step(&mut units, &mut transfers, op) else { continue };
            let dispatched = matches!(event, Event::Dispatch(_));
            let before = ledger.fingerprint().unwrap_or_else(|e| panic!("{e}"));
            let result = ledger.record(ev(T, event));
            prop_assert_eq!(result.is_ok(), ok, "{:?}: {:?}", op, result);
            if !ok {
                prop_assert_eq!(ledger.fingerprint().unwrap_or_else(|e| panic!("{e}")), before);
            }
            if ok && dispatched {
                let transfer = format!("T{}", transfers - 1);
                ledger.record(ev(T, Event::Arrive(Arrival { transfer }))).unwrap_or_else(|e| panic!("{e}"));
            }
            // Every unit where the model has it.
            for (serial, (location, state)) in &units {
                let got = ledger.serial_status(*serial).unwrap_or_else(|e| panic!("{e}"));
                let got = got.first().map(|s| (s.unit.location.clone(), s.unit.state));
                prop_assert_eq!(got, Some((location.clone(), *state)), "serial {}", serial);
            }
            // Units in stock per location and condition equal the stock.
            let counts: BTreeMap<(StockHolder, Condition), i64> = ledger.serial_counts().unwrap_or_else(|e| panic!("{e}"))
                .into_iter().map(|c| ((c.location, c.condition), c.units)).collect();
            let stock: BTreeMap<(StockHolder, Condition), i64> = ledger.stock(&StockFilter::default()).unwrap_or_else(|e| panic!("{e}"))
                .into_iter().map(|l| ((l.location, l.condition), l.quantity)).collect();
            prop_assert_eq!(&counts, &stock);
        }
        let fired: i64 = ledger.consumption(&[], None, None).unwrap_or_else(|e| panic!("{e}")).iter().map(|r| r.rounds).sum();
        prop_assert_eq!(fired, units.values().filter(|u| u.1 == UnitState::Fired).count() as i64);
        let report = ledger.verify(None).unwrap_or_else(|e| panic!("{e}"));
        prop_assert!(report.is_intact(), "{:?}", report.findings);
    }
}
