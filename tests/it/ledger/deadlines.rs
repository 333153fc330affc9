//! The deadline rules: each duty or expiry shows up in `check` with its rule id and urgency,
//! and leaves the list once done.

use wxmod::ledger::*;

use super::fixture::*;

fn list(f: &Fixture, when: &str, within: i64) -> Vec<Deadline> {
    f.ledger
        .check(at(when), within)
        .unwrap_or_else(|e| panic!("check: {e}"))
}

/// The items of one rule, as (urgency, subject).
fn of(list: &[Deadline], rule: RuleId) -> Vec<(Urgency, String)> {
    list.iter()
        .filter(|d| d.rule == rule)
        .map(|d| (d.urgency, d.subject.clone()))
        .collect()
}

#[track_caller]
fn record(f: &mut Fixture, event: NewEvent) -> Recorded {
    f.ledger.record(event).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn l2_purchase_filing_is_due_in_three_days_until_filed() {
    let mut f = base();
    let done = record(
        &mut f,
        ev(
            "2025-06-11 10:00",
            receive("D1", lot("R-B", "WR-98", 10, None, "2030-01-01")),
        ),
    );
    assert_eq!(done.duties.len(), 1);
    assert_eq!(done.duties[0].due, at("2025-06-14 10:00"));
    let soon = of(&list(&f, "2025-06-12 09:00", 30), RuleId::L2);
    // The fixture's own four purchases of 2025-06-01 are overdue by then too.
    assert!(
        soon.iter()
            .any(|(u, s)| *u == Urgency::DueSoon && s.contains("lot R-B")),
        "{soon:?}"
    );
    let late = of(&list(&f, "2025-06-15 09:00", 30), RuleId::L2);
    assert!(
        late.iter()
            .any(|(u, s)| *u == Urgency::Overdue && s.contains("lot R-B")),
        "{late:?}"
    );
    record(
        &mut f,
        ev(
            "2025-06-13 09:00",
            Event::File(Filing {
                event: done.seq,
                rule: RuleId::L2,
                reference: "朔公备-11".into(),
            }),
        ),
    );
    assert!(
        !of(&list(&f, "2025-06-15 09:00", 30), RuleId::L2)
            .iter()
            .any(|(_, s)| s.contains("lot R-B"))
    );
    // Opening balances owe no new filing.
    let opening = Event::Receive(Receipt {
        depot: "D1".into(),
        lot: lot("R-C", "WR-98", 10, None, "2030-01-01"),
        purchase: "结转".into(),
        opening: true,
    });
    assert!(
        record(&mut f, ev("2025-06-13 10:00", opening))
            .duties
            .is_empty()
    );
}

#[test]
fn l4_transport_licence_returns_within_three_days_of_arrival() {
    let mut f = base();
    record(
        &mut f,
        ev(
            "2025-06-11 08:00",
            Event::Dispatch(Dispatch {
                transfer: "T1".into(),
                from: "D1".into(),
                to: "D2".into(),
                items: vec![item("R-A", 10)],
                vehicle: "V1".into(),
                escort: "马超".into(),
                licence: "山公运-008".into(),
            }),
        ),
    );
    let arrival = record(
        &mut f,
        ev(
            "2025-06-11 16:00",
            Event::Arrive(Arrival {
                transfer: "T1".into(),
            }),
        ),
    );
    let items = of(&list(&f, "2025-06-15 09:00", 30), RuleId::L4);
    assert_eq!(
        items,
        vec![(
            Urgency::Overdue,
            "return transport licence 山公运-008 of transfer T1 (D1 to D2)".to_string()
        )]
    );
    record(
        &mut f,
        ev(
            "2025-06-12 09:00",
            Event::File(Filing {
                event: arrival.seq,
                rule: RuleId::L4,
                reference: "已交回".into(),
            }),
        ),
    );
    assert!(of(&list(&f, "2025-06-15 09:00", 30), RuleId::L4).is_empty());
}

#[test]
fn l13_site_stock_returns_within_days_of_the_last_activity() {
    let mut f = base();
    // SR got 20 rockets on 2025-06-10 09:00: due back 2025-06-12 09:00.
    assert!(
        of(&list(&f, "2025-06-11 09:00", 30), RuleId::L13)
            .iter()
            .any(|(u, s)| *u == Urgency::DueSoon && s.contains("site SR "))
    );
    assert!(
        of(&list(&f, "2025-06-13 09:00", 30), RuleId::L13)
            .iter()
            .any(|(u, s)| *u == Urgency::Overdue && s.contains("site SR "))
    );
    record(
        &mut f,
        ev("2025-06-12 15:00", Event::Fire(rocket_firing("R-A", 4))),
    );
    // The firing moved the due time to 2025-06-14 15:00.
    assert!(
        of(&list(&f, "2025-06-13 09:00", 30), RuleId::L13)
            .iter()
            .any(|(u, s)| *u == Urgency::DueSoon && s.contains("16 round(s) held at site SR "))
    );
    record(
        &mut f,
        ev(
            "2025-06-13 09:00",
            Event::Return(Return {
                site: "SR".into(),
                depot: "D1".into(),
                items: vec![item("R-A", 16)],
            }),
        ),
    );
    assert!(
        !of(&list(&f, "2025-06-20 09:00", 30), RuleId::L13)
            .iter()
            .any(|(_, s)| s.contains("site SR "))
    );
}

#[test]
fn l16_l17_firings_owe_reports_and_burners_only_the_written_one() {
    let mut f = base();
    let rockets = record(
        &mut f,
        ev("2025-06-12 15:00", Event::Fire(rocket_firing("R-A", 4))),
    );
    let rules: Vec<RuleId> = rockets.duties.iter().map(|d| d.rule).collect();
    assert_eq!(rules, vec![RuleId::L16, RuleId::L17]);
    assert_eq!(rockets.duties[1].due, at("2025-06-13 15:00"));
    let burn = Firing {
        site: "SB".into(),
        equipment: "BB".into(),
        items: vec![item("F-A", 5)],
        azimuth_deg: None,
        elevation_deg: None,
        crew: vec!["O5".into()],
        serials: vec![],
    };
    let flares = record(&mut f, ev("2025-06-12 03:00", Event::Fire(burn)));
    assert_eq!(
        flares.duties.iter().map(|d| d.rule).collect::<Vec<_>>(),
        vec![RuleId::L17]
    );
    let now = list(&f, "2025-06-12 16:30", 30);
    assert_eq!(of(&now, RuleId::L16).len(), 1);
    assert_eq!(of(&now, RuleId::L16)[0].0, Urgency::Overdue);
    record(
        &mut f,
        ev(
            "2025-06-12 16:00",
            Event::File(Filing {
                event: rockets.seq,
                rule: RuleId::L16,
                reference: "已报空管".into(),
            }),
        ),
    );
    assert!(of(&list(&f, "2025-06-12 16:30", 30), RuleId::L16).is_empty());
    assert_eq!(of(&list(&f, "2025-06-12 16:30", 30), RuleId::L17).len(), 2);
}

#[test]
fn l20_l22_l23_l24_people_and_equipment_falling_due() {
    let f = base();
    let now = list(&f, "2025-06-12 09:00", 30);
    // O6's certificate expired on 2025-05-31; the others run to 2027.
    assert_eq!(
        of(&now, RuleId::L20).len(),
        1,
        "{:?}",
        of(&now, RuleId::L20)
    );
    assert_eq!(of(&now, RuleId::L20)[0].0, Urgency::Overdue);
    assert!(of(&now, RuleId::L22).is_empty());
    // Insurance of seven insured operators ends on 2025-12-31.
    assert_eq!(of(&list(&f, "2025-12-15 09:00", 30), RuleId::L22).len(), 7);
    // LOLD was last inspected 2024-01-10; LR on 2025-03-01 falls due 2026-03-01.
    let l23 = of(&now, RuleId::L23);
    assert_eq!(l23.len(), 1, "{l23:?}");
    assert!(l23[0].1.contains("LOLD"));
    assert!(
        of(&list(&f, "2026-02-15 09:00", 30), RuleId::L23)
            .iter()
            .any(|(u, s)| *u == Urgency::DueSoon && s.contains(" LR "))
    );
    assert!(
        of(&now, RuleId::L24)
            .iter()
            .any(|(_, s)| s.contains("LFAIL"))
    );
}

#[test]
fn l25_equipment_moving_to_another_unit_is_filed() {
    let mut f = base();
    let mut moved = gear(
        "LR2",
        EquipmentKind::Launcher,
        Some("SR2"),
        Some("2025-03-01"),
    );
    moved.unit = "平鲁区气象局".into();
    let done = record(&mut f, ev("2025-06-02 09:00", Event::Equipment(moved)));
    assert_eq!(done.duties.len(), 1);
    assert_eq!(done.duties[0].rule, RuleId::L25);
    assert_eq!(done.duties[0].due, at("2025-07-02 09:00"));
    assert!(
        of(&list(&f, "2025-06-12 09:00", 10), RuleId::L25)
            .iter()
            .any(|(u, _)| *u == Urgency::Pending)
    );
}

#[test]
fn l27_l28_duds_wait_for_destruction_and_fallen_ones_for_investigation() {
    let mut f = base();
    let misfire = Dud {
        site: "SR".into(),
        lot: "R-A".into(),
        quantity: 1,
        kind: DudKind::Misfire,
        serials: vec![250005],
        box_number: Some("B-07".into()),
        bearing_deg: None,
        distance_m: None,
        note: None,
    };
    record(&mut f, ev("2025-06-12 15:00", Event::Dud(misfire.clone())));
    record(
        &mut f,
        ev(
            "2025-06-13 09:00",
            Event::Return(Return {
                site: "SR".into(),
                depot: "D1".into(),
                items: vec![dud_item("R-A", 1)],
            }),
        ),
    );
    assert!(
        of(&list(&f, "2025-06-13 10:00", 30), RuleId::L27)
            .iter()
            .any(|(_, s)| s.contains("1 dud round(s) of lot R-A"))
    );
    let fallen = Dud {
        kind: DudKind::Fallen,
        serials: vec![250006],
        bearing_deg: Some(210.0),
        distance_m: Some(4200.0),
        ..misfire
    };
    let done = record(&mut f, ev("2025-06-13 09:05", Event::Dud(fallen)));
    assert_eq!(done.duties[0].rule, RuleId::L28);
    assert!(
        done.duties[0]
            .subject
            .contains("bearing 210 degrees, 4200 m")
    );
}

#[test]
fn l29_expiry_is_listed_before_and_after_the_date() {
    let f = base();
    // R-OLD, 50 rounds in D1, expires 2025-06-30.
    let soon = of(&list(&f, "2025-06-12 09:00", 30), RuleId::L29);
    assert_eq!(soon.len(), 1, "{soon:?}");
    assert_eq!(soon[0].0, Urgency::DueSoon);
    let late = of(&list(&f, "2025-07-01 09:00", 30), RuleId::L29);
    assert!(
        late[0]
            .1
            .starts_with("destroy 50 x WR-98 of lot R-OLD at depot:D1"),
        "{late:?}"
    );
    assert_eq!(late[0].0, Urgency::Overdue);
}

#[test]
fn l8_a_stocktake_difference_is_recorded_not_corrected() {
    let mut f = base();
    let stock_before = f.ledger.stock(&StockFilter::default()).unwrap();
    let count = |shells: i64| Stocktake {
        location: StockHolder::Depot("D1".into()),
        counts: vec![
            item("R-A", 180),
            item("R-OLD", 50),
            item("S-A", shells),
            item("F-A", 70),
        ],
    };
    record(&mut f, ev("2025-06-15 09:00", Event::Stocktake(count(899))));
    assert_eq!(
        f.ledger.stock(&StockFilter::default()).unwrap(),
        stock_before,
        "a stock-take must not change the book"
    );
    let found = of(&list(&f, "2025-06-15 10:00", 30), RuleId::L8);
    assert_eq!(found.len(), 1);
    assert!(
        found[0]
            .1
            .contains("counted 899 of lot S-A against 900 on the book"),
        "{found:?}"
    );
    // A later count that agrees with the book closes it.
    record(&mut f, ev("2025-06-16 09:00", Event::Stocktake(count(900))));
    assert!(of(&list(&f, "2025-06-16 10:00", 30), RuleId::L8).is_empty());
}
