//! Crash safety and concurrent writers.
//!
//! A `wxmod ledger import` writing in small batches is killed (SIGKILL) at a random moment,
//! thirty times over on one ledger file. After each kill, every batch the process reported as
//! committed is in the file, no batch is there in part (the events of an import form a whole
//! number of batches, and exactly the first ones of its file), and at the end `verify` finds
//! the chain, the replay and every table intact and the depot holds exactly what the committed
//! events put there. The kill times come from a fixed seed; the assertions hold wherever the
//! kill lands. Then four processes import into one ledger at once: all commit, in one chain.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use wxmod::ledger::{Ledger, StockFilter};

use super::cli::{Cli, path};

const EVENTS_PER_FILE: usize = 240;
const BATCH: usize = 6;

fn quantity(i: usize) -> i64 {
    (i % 5 + 1) as i64
}

/// A ledger with the rocket model WR-98 and a depot `D` of practically unlimited capacity.
fn depot_ledger() -> Cli {
    let cli = Cli::new();
    cli.init_for_history();
    let at = ["--at", "2025-01-01 08:00"];
    cli.ok(&[
        &at[..],
        &[
            "model",
            "--name",
            "WR-98",
            "--class",
            "rocket",
            "--maker",
            "陕西中天",
        ],
    ]
    .concat());
    let depot = [
        "depot",
        "--id",
        "D",
        "--name",
        "弹药库",
        "--kind",
        "military",
        "--keeper",
        "高峰",
    ];
    cli.ok(&[&at[..], &depot, &["--capacity", "rocket=1000000000"]].concat());
    cli
}

/// Writes an event log of `n` receipts into depot `D`, lots `{prefix}-0` ... .
fn receipts(file: &Path, prefix: &str, n: usize, quantity: impl Fn(usize) -> i64) {
    let lines: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"at":"2025-02-01T08:00:00","actor":"{prefix}","event":{{"type":"receive","depot":"D","purchase":"P","lot":{{"lot":"{prefix}-{i}","model":"WR-98","quantity":{},"manufactured":"2025-01-01","expires":"2030-01-01"}}}}}}"#,
                quantity(i)
            )
        })
        .collect();
    std::fs::write(file, lines.join("\n")).unwrap_or_else(|e| panic!("{e}"));
}

fn head(cli: &Cli) -> i64 {
    Ledger::open(&cli.db())
        .and_then(|l| l.head())
        .map(|(seq, _)| seq)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn has_lot(cli: &Cli, lot: &str) -> bool {
    let ledger = Ledger::open(&cli.db()).unwrap_or_else(|e| panic!("{e}"));
    let filter = StockFilter {
        lot: Some(lot.to_string()),
        ..StockFilter::default()
    };
    !ledger
        .stock(&filter)
        .unwrap_or_else(|e| panic!("{e}"))
        .is_empty()
}

#[test]
fn killing_a_writer_at_random_moments_loses_no_committed_event_and_leaves_no_half_event() {
    let cli = depot_ledger();
    let binary = assert_cmd::cargo::cargo_bin("wxmod");
    let mut rng = wxmod::rng::SplitMix64::new(0x005e_ed1e_d9e7_2025);
    let mut expected_rounds = 0i64;
    let mut interrupted = 0;
    for round in 0..30 {
        let file = cli.dir.path().join(format!("round{round}.jsonl"));
        receipts(&file, &format!("K{round}"), EVENTS_PER_FILE, quantity);
        let before = head(&cli);
        let mut child = Command::new(&binary)
            .args([
                "ledger",
                "--db",
                path(&cli.db()),
                "import",
                "--events",
                path(&file),
                "--progress",
            ])
            .args(["--batch", &BATCH.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn: {e}"));
        std::thread::sleep(Duration::from_micros(rng.next_u64() % 250_000));
        let _ = child.kill();
        let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
        interrupted += usize::from(!status.success());
        let mut stderr = String::new();
        if let Some(mut pipe) = child.stderr.take() {
            let _ = pipe.read_to_string(&mut stderr);
        }
        let reported = stderr
            .lines()
            .filter_map(|l| {
                l.strip_prefix("committed ")?
                    .split(' ')
                    .next()?
                    .parse::<usize>()
                    .ok()
            })
            .max()
            .unwrap_or(0);
        let imported = usize::try_from(head(&cli) - before).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            imported >= reported,
            "round {round}: {reported} events reported committed, {imported} in the file"
        );
        assert!(
            imported % BATCH == 0 || imported == EVENTS_PER_FILE,
            "round {round}: a half batch ({imported} events)"
        );
        if imported > 0 {
            assert!(
                has_lot(&cli, &format!("K{round}-{}", imported - 1)),
                "round {round}: last committed lot missing"
            );
        }
        if imported < EVENTS_PER_FILE {
            assert!(
                !has_lot(&cli, &format!("K{round}-{imported}")),
                "round {round}: an uncommitted lot is present"
            );
        }
        expected_rounds += (0..imported).map(quantity).sum::<i64>();
    }
    assert!(
        interrupted > 0,
        "no import was interrupted: the kill times missed every write"
    );
    let report = cli.json(&["verify"]);
    assert_eq!(
        report["findings"].as_array().map(Vec::len),
        Some(0),
        "{report}"
    );
    let ledger = Ledger::open(&cli.db()).unwrap_or_else(|e| panic!("{e}"));
    let held: i64 = ledger
        .stock(&StockFilter::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|l| l.quantity)
        .sum();
    assert_eq!(held, expected_rounds);
}

#[test]
fn several_processes_writing_at_once_all_commit_and_the_chain_stays_whole() {
    let cli = depot_ledger();
    let binary = assert_cmd::cargo::cargo_bin("wxmod");
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let file = cli.dir.path().join(format!("writer{w}.jsonl"));
            receipts(&file, &format!("W{w}"), 40, |_| 2);
            Command::new(&binary)
                .args([
                    "ledger",
                    "--db",
                    path(&cli.db()),
                    "import",
                    "--events",
                    path(&file),
                    "--batch",
                    "1",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("spawn: {e}"))
        })
        .collect();
    for child in writers {
        let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.status.success(),
            "a writer failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // init_for_history's setting, the depot's two registrations, 4 x 40 receipts.
    assert_eq!(head(&cli), 3 + 4 * 40);
    let report = cli.json(&["verify"]);
    assert_eq!(
        report["findings"].as_array().map(Vec::len),
        Some(0),
        "{report}"
    );
    let ledger = Ledger::open(&cli.db()).unwrap_or_else(|e| panic!("{e}"));
    let held: i64 = ledger
        .stock(&StockFilter::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|l| l.quantity)
        .sum();
    assert_eq!(held, 4 * 40 * 2);
}
