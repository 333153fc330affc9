//! #13 item 2: register updates are typed patches read and written inside one write
//! transaction, so two writers updating different fields of one record both keep their change.

use wxmod::ledger::*;

use super::fixture::*;

const T: &str = "2025-06-11 09:00";

fn insurance(until: &str) -> RegisterPatch {
    RegisterPatch::Operator(OperatorPatch {
        id: "O5".into(),
        insurance_expiry: Some(day(until)),
        ..Default::default()
    })
}

fn filing(on: &str) -> RegisterPatch {
    RegisterPatch::Operator(OperatorPatch {
        id: "O5".into(),
        police_registered: Some(day(on)),
        ..Default::default()
    })
}

fn o5(ledger: &Ledger) -> Operator {
    ledger
        .operator("O5")
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("O5 is registered"))
}

fn second_handle(f: &Fixture) -> Ledger {
    let mut other = Ledger::open(&f.path()).unwrap_or_else(|e| panic!("{e}"));
    other.set_clock(RecordingClock::EventTime);
    other
}

/// The interleaving that lost an update: A reads the record, B changes one field, A writes
/// another. The old merge (A's read, then A's whole record) puts B's field back; a patch does
/// not, because its read happens inside A's write transaction.
#[test]
fn issue13_two_writers_updating_different_fields_both_survive() {
    let mut f = base();
    let mut b = second_handle(&f);

    // The old way, replayed by hand: read outside the transaction, write the merged record.
    let stale = o5(&f.ledger);
    b.update(at(T), "乙", filing("2025-06-02"))
        .unwrap_or_else(|e| panic!("{e}"));
    f.ledger
        .record(ev(
            T,
            Event::Operator(Operator {
                insurance_expiry: Some(day("2026-06-30")),
                ..stale
            }),
        ))
        .unwrap_or_else(|e| panic!("{e}"));
    let lost = o5(&f.ledger);
    assert_eq!(
        lost.police_registered,
        Some(day("2024-03-20")),
        "the hazard"
    );

    // Typed patches, same interleaving: A has "read" nothing it will write back.
    b.update(at(T), "乙", filing("2025-06-03"))
        .unwrap_or_else(|e| panic!("{e}"));
    f.ledger
        .update(at(T), "甲", insurance("2026-07-31"))
        .unwrap_or_else(|e| panic!("{e}"));
    let kept = o5(&Ledger::open_read_only(&f.path()).unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(kept.police_registered, Some(day("2025-06-03")));
    assert_eq!(kept.insurance_expiry, Some(day("2026-07-31")));
    assert_eq!(kept.name, operator("O5", &[]).name, "a field neither gave");
}

/// Two threads, each with its own handle on the file, patch one field each of one record many
/// times at once: whatever the interleaving, each field ends at its writer's last value.
#[test]
fn issue13_concurrent_patches_of_one_record_lose_nothing() {
    let f = base();
    let days: Vec<String> = (1..=28).map(|d| format!("2025-06-{d:02}")).collect();
    let spawn = |patch: fn(&str) -> RegisterPatch, days: Vec<String>| {
        let mut handle = second_handle(&f);
        std::thread::spawn(move || {
            for d in &days {
                handle
                    .update(at(T), "并发", patch(d))
                    .unwrap_or_else(|e| panic!("{e}"));
            }
        })
    };
    let a = spawn(filing, days.clone());
    let b = spawn(
        insurance,
        days.iter().map(|d| d.replace("2025", "2026")).collect(),
    );
    a.join().unwrap_or_else(|_| panic!("writer A panicked"));
    b.join().unwrap_or_else(|_| panic!("writer B panicked"));
    let o = o5(&f.ledger);
    assert_eq!(o.police_registered, Some(day("2025-06-28")));
    assert_eq!(o.insurance_expiry, Some(day("2026-06-28")));
    let report = f.ledger.verify(None).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.is_intact(), "{:?}", report.findings);
}

/// A new record without a required field is a typed error, and nothing is written.
#[test]
fn a_new_record_without_a_required_field_is_refused_unchanged() {
    let mut f = base();
    let before = on_disk(&f);
    let err = f
        .ledger
        .update(
            at(T),
            "甲",
            RegisterPatch::Depot(DepotPatch {
                id: "NEW".into(),
                name: Some("新库".into()),
                ..Default::default()
            }),
        )
        .expect_err("a depot without --kind");
    assert!(
        matches!(
            err,
            LedgerError::MissingField {
                register: "depot",
                flag: "--kind"
            }
        ),
        "{err}"
    );
    assert_eq!(on_disk(&f), before);
}

/// #13 item 2: the sector-list reader reports every bad line (number, text, problem), exit 1,
/// and records nothing.
#[test]
fn issue13_a_sector_list_reports_every_bad_line_and_records_nothing() {
    let cli = super::cli::Cli::new();
    cli.ok(&["init"]);
    let file = cli.dir.path().join("sectors.csv");
    std::fs::write(
        &file,
        "site,azimuth_from,azimuth_to\nS1,10,20\nS2,abc,30\nS3,10,400\n,5,6\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let before = std::fs::read(cli.db()).unwrap_or_else(|e| panic!("{e}"));
    let err = cli.fails(&["sector", "--import", super::cli::path(&file)], 1);
    for said in [
        "3 bad line(s)",
        "line 3 'S2,abc,30': azimuth_from 'abc' is not a number",
        "line 4 'S3,10,400': azimuth_to 400 is outside 0-360 degrees",
        "line 5 ',5,6': the site is empty",
    ] {
        assert!(err.contains(said), "{said}: {err}");
    }
    assert_eq!(
        std::fs::read(cli.db()).unwrap_or_else(|e| panic!("{e}")),
        before
    );
}
