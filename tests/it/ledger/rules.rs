//! One test per hard rule: the breaking event is refused with its rule id and leaves the ledger
//! file byte-for-byte equal in content (same fingerprint, read back through a second
//! connection); the valid event next to it passes. Deadline rules are tested in `deadlines`.

use wxmod::ledger::*;

use super::fixture::*;

#[track_caller]
fn passes(f: &mut Fixture, event: NewEvent) -> Recorded {
    f.ledger
        .record(event)
        .unwrap_or_else(|e| panic!("a valid event was refused: {e}"))
}

const FIRE: &str = "2025-06-12 15:00";

fn fire(firing: Firing) -> NewEvent {
    ev(FIRE, Event::Fire(firing))
}

fn issue(site: &str, items: Vec<Item>) -> Event {
    Event::Issue(Issue {
        depot: "D1".into(),
        site: site.into(),
        items,
    })
}

fn dispatch(vehicle: &str, escort: &str, licence: &str, to: &str, quantity: i64) -> Event {
    Event::Dispatch(Dispatch {
        transfer: "T1".into(),
        from: "D1".into(),
        to: to.into(),
        items: vec![item("R-A", quantity)],
        vehicle: vehicle.into(),
        escort: escort.into(),
        licence: licence.into(),
    })
}

#[test]
fn l1_only_registered_models_of_designated_makers_are_received() {
    let mut f = base();
    refused(
        &mut f,
        ev(
            "2025-06-11 09:00",
            receive("D1", lot("X-1", "XR-9", 10, None, "2030-01-01")),
        ),
        RuleId::L1,
    );
    passes(
        &mut f,
        ev(
            "2025-06-11 09:00",
            receive("D1", lot("X-1", "WR-98", 10, None, "2030-01-01")),
        ),
    );
}

#[test]
fn l4_transfers_need_a_transport_licence() {
    let mut f = base();
    refused(
        &mut f,
        ev("2025-06-11 09:00", dispatch("V1", "马超", " ", "D2", 10)),
        RuleId::L4,
    );
    passes(
        &mut f,
        ev(
            "2025-06-11 09:00",
            dispatch("V1", "马超", "山公运-008", "D2", 10),
        ),
    );
}

#[test]
fn l5_transfers_need_a_permitted_vehicle_and_an_escort() {
    let mut f = base();
    refused(
        &mut f,
        ev(
            "2025-06-11 09:00",
            dispatch("V2", "马超", "山公运-008", "D2", 10),
        ),
        RuleId::L5,
    );
    refused(
        &mut f,
        ev(
            "2025-06-11 09:00",
            dispatch("V9", "马超", "山公运-008", "D2", 10),
        ),
        RuleId::L5,
    );
    refused(
        &mut f,
        ev(
            "2025-06-11 09:00",
            dispatch("V1", "", "山公运-008", "D2", 10),
        ),
        RuleId::L5,
    );
    passes(
        &mut f,
        ev(
            "2025-06-11 09:00",
            dispatch("V1", "马超", "山公运-008", "D2", 10),
        ),
    );
}

#[test]
fn l6_civil_explosives_stores_need_their_licence() {
    let mut f = base();
    let unlicensed = depot("D3", DepotKind::CivilExplosivesStore, None, "rocket=100");
    refused(
        &mut f,
        ev("2025-06-11 09:00", Event::Depot(unlicensed)),
        RuleId::L6,
    );
    let licensed = depot(
        "D3",
        DepotKind::CivilExplosivesStore,
        Some("晋民爆储-002"),
        "rocket=100",
    );
    passes(&mut f, ev("2025-06-11 09:00", Event::Depot(licensed)));
}

#[test]
fn l7_depots_keep_within_capacity_counting_transfers_on_the_way() {
    let mut f = base();
    refused(
        &mut f,
        ev(
            "2025-06-11 09:00",
            receive("D2", lot("R-B", "WR-98", 101, None, "2030-01-01")),
        ),
        RuleId::L7,
    );
    // 60 on the road to D2 leave room for only 40 more.
    passes(
        &mut f,
        ev(
            "2025-06-11 09:00",
            dispatch("V1", "马超", "山公运-008", "D2", 60),
        ),
    );
    refused(
        &mut f,
        ev(
            "2025-06-11 10:00",
            receive("D2", lot("R-B", "WR-98", 41, None, "2030-01-01")),
        ),
        RuleId::L7,
    );
    passes(
        &mut f,
        ev(
            "2025-06-11 10:00",
            receive("D2", lot("R-B", "WR-98", 40, None, "2030-01-01")),
        ),
    );
    // A depot without a keeper, and a capacity cut below what is held, are refused too.
    let mut no_keeper = depot("D4", DepotKind::Military, None, "rocket=10");
    no_keeper.keeper = " ".into();
    refused(
        &mut f,
        ev("2025-06-11 11:00", Event::Depot(no_keeper)),
        RuleId::L7,
    );
    refused(
        &mut f,
        ev(
            "2025-06-11 11:00",
            Event::Depot(depot("D2", DepotKind::Military, None, "rocket=50")),
        ),
        RuleId::L7,
    );
}

#[test]
fn l8_no_movement_takes_more_than_the_book_shows() {
    let mut f = base();
    refused(
        &mut f,
        ev("2025-06-11 09:00", issue("SR2", vec![item("R-A", 181)])),
        RuleId::L8,
    );
    let give_back = |n| {
        Event::Return(Return {
            site: "SR".into(),
            depot: "D1".into(),
            items: vec![item("R-A", n)],
        })
    };
    refused(&mut f, ev("2025-06-11 09:00", give_back(21)), RuleId::L8);
    let lose = |n| {
        Event::Loss(Loss {
            location: StockHolder::Site("SR".into()),
            items: vec![item("R-A", n)],
            kind: LossKind::Theft,
            police_report: "朔公报-77".into(),
        })
    };
    refused(&mut f, ev("2025-06-11 09:00", lose(21)), RuleId::L8);
    refused(
        &mut f,
        ev("2025-06-11 09:00", Event::Fire(rocket_firing("R-A", 21))),
        RuleId::L8,
    );
    passes(&mut f, ev("2025-06-11 09:00", give_back(20)));
}

#[test]
fn l9_flares_only_go_to_a_depot_with_a_segregated_store() {
    let mut f = base();
    refused(
        &mut f,
        ev(
            "2025-06-11 09:00",
            receive("D2", lot("F-B", "AgI", 10, None, "2030-01-01")),
        ),
        RuleId::L9,
    );
    passes(
        &mut f,
        ev(
            "2025-06-11 09:00",
            receive("D1", lot("F-B", "AgI", 10, None, "2030-01-01")),
        ),
    );
}

#[test]
fn l10_sites_store_only_with_a_store_and_a_guard() {
    let mut f = base();
    refused(
        &mut f,
        ev("2025-06-11 09:00", issue("SN", vec![item("R-A", 5)])),
        RuleId::L10,
    );
    refused(
        &mut f,
        ev("2025-06-11 09:00", issue("SU", vec![item("R-A", 5)])),
        RuleId::L10,
    );
    refused(
        &mut f,
        ev("2025-06-11 09:00", issue("SR2", vec![item("S-A", 5)])),
        RuleId::L10,
    );
    passes(
        &mut f,
        ev("2025-06-11 09:00", issue("SR2", vec![item("R-A", 5)])),
    );
}

#[test]
fn l11_sites_hold_at_most_their_safe_capacity() {
    let mut f = base();
    // SR holds 20 of its 30.
    refused(
        &mut f,
        ev("2025-06-11 09:00", issue("SR", vec![item("R-A", 11)])),
        RuleId::L11,
    );
    passes(
        &mut f,
        ev("2025-06-11 09:00", issue("SR", vec![item("R-A", 10)])),
    );
}

#[test]
fn l12_one_issue_carries_at_most_one_period_need() {
    let mut f = base();
    refused(
        &mut f,
        ev(
            "2025-06-11 09:00",
            issue("SR2", vec![item("R-A", 12), item("R-A", 9)]),
        ),
        RuleId::L12,
    );
    passes(
        &mut f,
        ev("2025-06-11 09:00", issue("SR2", vec![item("R-A", 20)])),
    );
}

#[test]
fn l14_guns_and_rockets_fire_only_inside_an_approved_window() {
    let mut f = base();
    refused(
        &mut f,
        ev("2025-06-12 17:00:01", Event::Fire(rocket_firing("R-A", 2))),
        RuleId::L14,
    );
    passes(&mut f, fire(rocket_firing("R-A", 2)));
}

#[test]
fn l15_the_window_must_be_announced() {
    let mut f = base();
    refused(
        &mut f,
        ev("2025-06-13 15:00", Event::Fire(rocket_firing("R-A", 2))),
        RuleId::L15,
    );
    passes(
        &mut f,
        ev(
            "2025-06-13 09:00",
            window("W3", "SR", "2025-06-13 14:00", "2025-06-13 17:00", true),
        ),
    );
    passes(
        &mut f,
        ev("2025-06-13 15:00", Event::Fire(rocket_firing("R-A", 2))),
    );
}

#[test]
fn l18_burners_need_no_airspace_window() {
    let mut f = base();
    let burn = |crew: Vec<String>| Firing {
        site: "SB".into(),
        equipment: "BB".into(),
        items: vec![item("F-A", 10)],
        azimuth_deg: None,
        elevation_deg: None,
        crew,
        serials: vec![],
    };
    // No window exists at SB at all; a crew member must still be certified for burners (L20).
    refused(
        &mut f,
        ev("2025-07-01 03:00", Event::Fire(burn(vec!["O1".into()]))),
        RuleId::L20,
    );
    passes(
        &mut f,
        ev("2025-07-01 03:00", Event::Fire(burn(vec!["O5".into()]))),
    );
}

#[test]
fn l19_operators_are_filed_with_public_security() {
    let mut f = base();
    let crew = |ids: &[&str]| Firing {
        crew: ids.iter().map(|s| s.to_string()).collect(),
        ..rocket_firing("R-A", 1)
    };
    refused(&mut f, fire(crew(&["O1", "O2", "O7"])), RuleId::L19);
    refused(&mut f, fire(crew(&["O1", "O2", "NOBODY"])), RuleId::L19);
    passes(&mut f, fire(crew(&["O1", "O2", "O4"])));
}

#[test]
fn l20_operators_are_adult_and_certified_for_the_equipment() {
    let mut f = base();
    let crew = |ids: &[&str]| Firing {
        crew: ids.iter().map(|s| s.to_string()).collect(),
        ..rocket_firing("R-A", 1)
    };
    refused(&mut f, fire(crew(&["O1", "O2", "O6"])), RuleId::L20);
    refused(&mut f, fire(crew(&["O1", "O2", "O5"])), RuleId::L20);
    let mut minor = operator("O9", &[EquipmentKind::Launcher]);
    minor.born = Some(day("2008-01-01"));
    refused(
        &mut f,
        ev("2025-06-11 09:00", Event::Operator(minor.clone())),
        RuleId::L20,
    );
    minor.born = Some(day("2007-06-02"));
    passes(&mut f, ev("2025-06-11 09:00", Event::Operator(minor)));
    passes(&mut f, fire(crew(&["O1", "O2", "O9"])));
}

#[test]
fn l21_a_firing_has_the_minimum_crew() {
    let mut f = base();
    refused(
        &mut f,
        fire(Firing {
            crew: vec!["O1".into(), "O2".into()],
            ..rocket_firing("R-A", 1)
        }),
        RuleId::L21,
    );
    refused(
        &mut f,
        fire(Firing {
            crew: vec!["O1".into(), "O1".into(), "O2".into()],
            ..rocket_firing("R-A", 1)
        }),
        RuleId::L21,
    );
    let gun = |crew: &[&str]| Firing {
        site: "SG".into(),
        equipment: "GG".into(),
        items: vec![item("S-A", 30)],
        azimuth_deg: Some(90.0),
        elevation_deg: Some(70.0),
        crew: crew.iter().map(|s| s.to_string()).collect(),
        serials: vec![],
    };
    refused(&mut f, fire(gun(&["O1", "O2", "O3"])), RuleId::L21);
    passes(&mut f, fire(gun(&["O1", "O2", "O3", "O4"])));
}

#[test]
fn l22_operators_are_insured() {
    let mut f = base();
    refused(
        &mut f,
        fire(Firing {
            crew: vec!["O1".into(), "O2".into(), "O8".into()],
            ..rocket_firing("R-A", 1)
        }),
        RuleId::L22,
    );
    let mut insured = operator("O8", &[EquipmentKind::Launcher]);
    insured.insurance_expiry = Some(day("2026-06-30"));
    passes(&mut f, ev("2025-06-12 09:00", Event::Operator(insured)));
    passes(
        &mut f,
        fire(Firing {
            crew: vec!["O1".into(), "O2".into(), "O8".into()],
            ..rocket_firing("R-A", 1)
        }),
    );
}

#[test]
fn l23_guns_and_launchers_are_inspected_within_the_year() {
    let mut f = base();
    refused(
        &mut f,
        fire(Firing {
            equipment: "LOLD".into(),
            ..rocket_firing("R-A", 1)
        }),
        RuleId::L23,
    );
    passes(
        &mut f,
        ev(
            "2025-06-12 10:00",
            Event::Equipment(gear(
                "LOLD",
                EquipmentKind::Launcher,
                Some("SR"),
                Some("2025-06-12"),
            )),
        ),
    );
    passes(
        &mut f,
        fire(Firing {
            equipment: "LOLD".into(),
            ..rocket_firing("R-A", 1)
        }),
    );
}

#[test]
fn l24_failed_or_scrapped_equipment_is_not_used() {
    let mut f = base();
    refused(
        &mut f,
        fire(Firing {
            equipment: "LFAIL".into(),
            ..rocket_firing("R-A", 1)
        }),
        RuleId::L24,
    );
    refused(
        &mut f,
        fire(Firing {
            equipment: "LSCRAP".into(),
            ..rocket_firing("R-A", 1)
        }),
        RuleId::L24,
    );
    passes(&mut f, fire(rocket_firing("R-A", 1)));
}

#[test]
fn l26_unfired_rockets_are_recorded_by_number_and_box() {
    let mut f = base();
    let misfire = |serials: Vec<i64>, box_number: Option<&str>| Dud {
        site: "SR".into(),
        lot: "R-A".into(),
        quantity: 2,
        kind: DudKind::Misfire,
        serials,
        box_number: box_number.map(String::from),
        bearing_deg: None,
        distance_m: None,
        note: None,
    };
    refused(
        &mut f,
        ev(FIRE, Event::Dud(misfire(vec![250001], Some("B-07")))),
        RuleId::L26,
    );
    refused(
        &mut f,
        ev(FIRE, Event::Dud(misfire(vec![250001, 250002], None))),
        RuleId::L26,
    );
    passes(
        &mut f,
        ev(
            FIRE,
            Event::Dud(misfire(vec![250001, 250002], Some("B-07"))),
        ),
    );
}

#[test]
fn l27_misfired_rounds_are_never_issued_or_fired() {
    let mut f = base();
    passes(
        &mut f,
        ev(
            FIRE,
            Event::Dud(Dud {
                site: "SR".into(),
                lot: "R-A".into(),
                quantity: 1,
                kind: DudKind::Misfire,
                serials: vec![250003],
                box_number: Some("B-07".into()),
                bearing_deg: None,
                distance_m: None,
                note: None,
            }),
        ),
    );
    refused(
        &mut f,
        fire(Firing {
            items: vec![dud_item("R-A", 1)],
            ..rocket_firing("R-A", 1)
        }),
        RuleId::L27,
    );
    passes(
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
    refused(
        &mut f,
        ev("2025-06-13 10:00", issue("SR2", vec![dud_item("R-A", 1)])),
        RuleId::L27,
    );
    passes(
        &mut f,
        ev(
            "2025-06-20 10:00",
            Event::Scrap(Scrap {
                depot: "D1".into(),
                items: vec![dud_item("R-A", 1)],
                reason: ScrapReason::Dud,
                authority: "朔州市公安局".into(),
            }),
        ),
    );
}

#[test]
fn l29_expired_ammunition_is_not_used_and_is_destroyed_under_supervision() {
    let mut f = base();
    refused(
        &mut f,
        ev("2025-07-01 09:00", issue("SR2", vec![item("R-OLD", 5)])),
        RuleId::L29,
    );
    passes(
        &mut f,
        ev("2025-06-30 09:00", issue("SR2", vec![item("R-OLD", 5)])),
    );
    refused(
        &mut f,
        ev(
            "2025-07-01 09:00",
            receive("D1", lot("R-X", "WR-98", 5, None, "2025-06-30")),
        ),
        RuleId::L29,
    );
    let scrap = |authority: &str| Scrap {
        depot: "D1".into(),
        items: vec![item("R-OLD", 45)],
        reason: ScrapReason::Expired,
        authority: authority.into(),
    };
    refused(
        &mut f,
        ev("2025-07-02 09:00", Event::Scrap(scrap(""))),
        RuleId::L29,
    );
    passes(
        &mut f,
        ev(
            "2025-07-02 09:00",
            Event::Scrap(scrap("山西省工业和信息化厅、朔州市公安局")),
        ),
    );
}

#[test]
fn l29_expired_rounds_are_not_fired() {
    let mut f = base();
    passes(
        &mut f,
        ev("2025-06-11 09:00", issue("SR2", vec![item("R-OLD", 5)])),
    );
    passes(
        &mut f,
        ev(
            "2025-07-01 09:00",
            window("W5", "SR2", "2025-07-01 14:00", "2025-07-01 17:00", true),
        ),
    );
    let firing = Firing {
        site: "SR2".into(),
        equipment: "LR2".into(),
        ..rocket_firing("R-OLD", 2)
    };
    refused(
        &mut f,
        ev("2025-07-01 15:00", Event::Fire(firing.clone())),
        RuleId::L29,
    );
    passes(&mut f, ev("2025-06-12 15:00", Event::Fire(firing)));
}

#[test]
fn l31_a_loss_names_its_police_report() {
    let mut f = base();
    let loss = |report: &str| Loss {
        location: StockHolder::Depot("D1".into()),
        items: vec![item("S-A", 2)],
        kind: LossKind::Loss,
        police_report: report.into(),
    };
    refused(
        &mut f,
        ev("2025-06-11 09:00", Event::Loss(loss(" "))),
        RuleId::L31,
    );
    passes(
        &mut f,
        ev("2025-06-11 09:00", Event::Loss(loss("朔公报-2025-77"))),
    );
}

#[test]
fn sector_firing_points_inside_the_sites_sector() {
    let mut f = base();
    refused(
        &mut f,
        fire(Firing {
            azimuth_deg: Some(320.0),
            ..rocket_firing("R-A", 1)
        }),
        RuleId::Sector,
    );
    refused(
        &mut f,
        fire(Firing {
            elevation_deg: Some(88.0),
            ..rocket_firing("R-A", 1)
        }),
        RuleId::Sector,
    );
    passes(
        &mut f,
        fire(Firing {
            azimuth_deg: Some(299.5),
            ..rocket_firing("R-A", 1)
        }),
    );
    // SR2 has no computed sector: any azimuth passes.
    passes(&mut f, ev(FIRE, issue("SR2", vec![item("R-A", 1)])));
    let sr2 = Firing {
        site: "SR2".into(),
        equipment: "LR2".into(),
        azimuth_deg: Some(10.0),
        ..rocket_firing("R-A", 1)
    };
    passes(&mut f, fire(sr2));
}

#[test]
fn invalid_events_are_refused_without_a_rule_and_change_nothing() {
    let mut f = base();
    let before = on_disk(&f);
    let cases = [
        ev(
            FIRE,
            Event::Fire(Firing {
                items: vec![item("S-A", 1)],
                ..rocket_firing("R-A", 1)
            }),
        ),
        ev(
            FIRE,
            Event::Fire(Firing {
                equipment: "GG".into(),
                ..rocket_firing("R-A", 1)
            }),
        ),
        ev(FIRE, Event::Fire(rocket_firing("NO-SUCH-LOT", 1))),
        ev(FIRE, Event::Fire(rocket_firing("R-A", 0))),
        ev(
            FIRE,
            Event::Fire(Firing {
                azimuth_deg: None,
                ..rocket_firing("R-A", 1)
            }),
        ),
        ev(
            "2025-06-11 09:00",
            receive("D1", lot("R-A", "WR-98", 5, None, "2030-01-01")),
        ),
        ev(
            "2025-06-11 09:00",
            receive("D1", lot("R-C", "WR-98", 5, Some(250010), "2030-01-01")),
        ),
        ev(
            "2025-06-11 09:00",
            Event::Arrive(Arrival {
                transfer: "T-NONE".into(),
            }),
        ),
        ev(
            "2025-06-11 09:00",
            Event::File(Filing {
                event: 1,
                rule: RuleId::L2,
                reference: "x".into(),
            }),
        ),
        NewEvent {
            actor: " ".into(),
            ..ev("2025-06-11 09:00", model("M", ItemClass::Rocket))
        },
    ];
    for case in cases {
        match f.ledger.record(case.clone()) {
            Err(LedgerError::Invalid(_)) => {}
            other => panic!("{case:?} should be invalid, got {other:?}"),
        }
    }
    assert_eq!(on_disk(&f), before);
}
