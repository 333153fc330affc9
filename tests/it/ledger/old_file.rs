//! A ledger written by the wxmod of before the shared azimuth arc (#13 item 6): the season's
//! first 64 events, two sector events with arcs through north, an arc with awkward decimals
//! and the full circle `0-360`, and a firing across north. The file and its key are checked in
//! (tests/golden/ledger_s21, made with the release build of commit 98adc44 plus the import
//! speed-up, before the arc type moved to `units`). Its stored event text, hashes and tables
//! must still verify, and its sectors still admit and refuse as they did.

use std::path::Path;

use super::cli::Cli;

/// The head the old code wrote: an intact chain ends here.
const OLD_HEAD: &str = "e1f02bfd03d2112619e37c77619a16d779132d3dc62bc7ef871318c9ab3eeb90";

/// A copy of the old ledger and its key in a temporary folder.
fn old_ledger() -> Cli {
    let cli = Cli::new();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/ledger_s21");
    for name in ["ledger.db", "ledger.db.key"] {
        std::fs::copy(golden.join(name), cli.dir.path().join(name))
            .unwrap_or_else(|e| panic!("copy {name}: {e}"));
    }
    cli
}

#[test]
fn a_ledger_written_before_the_shared_arc_verifies() {
    let cli = old_ledger();
    let report = cli.json(&["verify"]);
    assert_eq!(report["events"], 67);
    assert_eq!(report["head_hash"], OLD_HEAD);
    assert_eq!(report["seals_checked"], true);
    assert_eq!(report["findings"], serde_json::json!([]), "{report}");
    // The stored sector text is the old one, numbers as typed.
    let events = cli.ok(&["export"]);
    assert!(
        events.contains(
            r#""azimuths":[{"from_deg":300.1,"to_deg":40.3},{"from_deg":100.7,"to_deg":120.9}]"#
        ),
        "{events}"
    );
    assert!(
        events.contains(r#""azimuths":[{"from_deg":0.0,"to_deg":0.0}]"#),
        "{events}"
    );
}

#[test]
fn the_old_sectors_admit_and_refuse_as_before() {
    let cli = old_ledger();
    // One round of the gun's shells at `azimuth`, by its registered crew.
    let fire = |azimuth: &str| {
        let mut args: Vec<String> = "fire --site SC-G01 --equipment G-SC-G01 --item SH37-2022-03:1 --elevation 70 --crew OP01,OP02,OP04,OP08 --at"
            .split(' ')
            .map(str::to_string)
            .collect();
        args.extend([
            "2025-07-08 16:00".to_string(),
            "--azimuth".to_string(),
            azimuth.to_string(),
        ]);
        args
    };
    let before = std::fs::read(cli.db()).unwrap_or_else(|e| panic!("read: {e}"));
    let err = cli.fails(&strs(&fire("200")), 1);
    assert!(
        err.contains("SECTOR") && err.contains("(300.1-40.3, 100.7-120.9 degrees)"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(cli.db()).unwrap_or_else(|e| panic!("read: {e}")),
        before,
        "a refusal leaves the old file as it was"
    );
    // The end of the arc through north is allowed, and so is north itself.
    cli.ok(&strs(&fire("40.3")));
    cli.ok(&strs(&fire("0")));
    let report = cli.json(&["verify"]);
    assert_eq!(report["events"], 69);
    assert_eq!(report["findings"], serde_json::json!([]), "{report}");
}

/// The arguments as the `Cli` helpers take them.
fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}
