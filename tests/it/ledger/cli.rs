//! `wxmod ledger` on the command line: a temporary ledger per test, every user error with its
//! exit code and message, JSON output, imports, export and tamper detection.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// A ledger file in a temporary folder, driven through the `wxmod` binary.
pub struct Cli {
    pub dir: tempfile::TempDir,
}

/// A bundled example file.
pub fn example(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/ledger")
        .join(name);
    assert!(path.is_file(), "missing example file {}", path.display());
    path
}

impl Cli {
    pub fn new() -> Cli {
        Cli {
            dir: tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}")),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("ledger.db")
    }

    /// Runs `wxmod ledger --db DB --actor 测试员 ARGS`.
    pub fn run(&self, args: &[&str]) -> Output {
        let mut cmd = Command::cargo_bin("wxmod").unwrap_or_else(|e| panic!("{e}"));
        cmd.arg("ledger")
            .arg("--db")
            .arg(self.db())
            .args(["--actor", "测试员"])
            .args(args);
        cmd.output().unwrap_or_else(|e| panic!("run wxmod: {e}"))
    }

    /// `init`, then a late-entry window wide enough for books dated 2025 (rule TIME-ENTRY
    /// otherwise refuses events more than 7 days older than the computer's clock).
    pub fn init_for_history(&self) {
        self.ok(&["init"]);
        self.ok(&["config", "--set", "late_entry_days=36500"]);
    }

    /// Runs and expects success; gives stdout.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "wxmod ledger {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs with `--json` and expects success; gives the JSON.
    #[track_caller]
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let text = self.ok(&all);
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}): {text}"))
    }

    /// Records an event with `--json` and gives its sequence number.
    #[track_caller]
    pub fn seq(&self, args: &[&str]) -> String {
        let value = self.json(args);
        value["seq"]
            .as_i64()
            .map(|s| s.to_string())
            .unwrap_or_else(|| panic!("no seq in {value}"))
    }

    /// Runs and expects failure with `code`; gives stderr.
    #[track_caller]
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "wxmod ledger {args:?}: expected exit {code}, stdout: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// A ledger with the example registers: models, two depots, the points, sectors,
    /// operators, the opening stock and a vehicle, all on 2025-03-01.
    pub fn with_registers() -> Cli {
        let cli = Cli::new();
        cli.init_for_history();
        fn at<'a>(args: &[&'a str]) -> Vec<&'a str> {
            [&["--at", "2025-03-01 09:00"][..], args].concat()
        }
        cli.ok(&at(&[
            "model",
            "--name",
            "WR-98",
            "--class",
            "rocket",
            "--maker",
            "陕西中天火箭技术股份有限公司",
        ]));
        cli.ok(&at(&[
            "model",
            "--name",
            "37mm人雨弹",
            "--class",
            "shell",
            "--maker",
            "指定炮弹生产企业",
        ]));
        cli.ok(&at(&[
            "model",
            "--name",
            "AgI焰条",
            "--class",
            "flare",
            "--maker",
            "指定焰条生产企业",
        ]));
        cli.ok(&at(&[
            "depot",
            "--id",
            "SZ-D01",
            "--name",
            "朔州市人影弹药库",
            "--kind",
            "civil_explosives_store",
            "--licence",
            "晋民爆储2024-001",
            "--keeper",
            "高峰",
            "--capacity",
            "rocket=600,shell=5000,flare=300",
        ]));
        cli.ok(&at(&[
            "depot",
            "--id",
            "SY-D01",
            "--name",
            "山阴县人武部弹药库",
            "--kind",
            "armed_forces_department",
            "--keeper",
            "马超",
            "--capacity",
            "rocket=200,shell=3000",
        ]));
        let points = example("shuozhou_points.csv");
        let sectors = example("shuozhou_sectors.csv");
        let operators = example("shuozhou_operators.csv");
        let stock = example("shuozhou_opening_stock.csv");
        cli.ok(&at(&["site", "--import", path(&points)]));
        cli.ok(&at(&["sector", "--import", path(&sectors)]));
        cli.ok(&at(&["import", "--operators", path(&operators)]));
        cli.ok(&at(&["import", "--stock", path(&stock)]));
        cli.ok(&at(&[
            "vehicle",
            "--id",
            "V01",
            "--plate",
            "晋F·A1234",
            "--permit",
            "晋危运2024-017",
        ]));
        cli
    }
}

pub fn path(p: &Path) -> &str {
    p.to_str()
        .unwrap_or_else(|| panic!("non-UTF-8 path {}", p.display()))
}

#[test]
fn commands_without_a_ledger_say_how_to_create_one() {
    let cli = Cli::new();
    let err = cli.fails(&["stock"], 1);
    assert!(
        err.contains("no ledger at") && err.contains("wxmod ledger init --db"),
        "{err}"
    );
}

#[test]
fn init_creates_and_reopens() {
    let cli = Cli::new();
    assert!(cli.ok(&["init"]).starts_with("created ledger"));
    assert!(cli.ok(&["init"]).starts_with("opened ledger"));
    assert_eq!(cli.json(&["init"])["created"], false);
}

#[test]
fn the_site_import_keeps_ammunition_points_and_says_what_it_skipped() {
    let cli = Cli::with_registers();
    let points = example("shuozhou_points.csv");
    let out = cli.ok(&["site", "--import", path(&points)]);
    assert!(out.contains("registered 10 operation point(s)"), "{out}");
    assert!(
        out.contains("skipped SC-AWS: kind aws holds no ammunition"),
        "{out}"
    );
    assert!(out.contains("skipped SC-R02: status planned"), "{out}");
    let with_planned = cli.ok(&["site", "--import", path(&points), "--planned"]);
    assert!(
        with_planned.contains("registered 11 operation point(s)"),
        "{with_planned}"
    );
}

#[test]
fn a_refused_event_exits_1_naming_its_rule_and_json_shows_it() {
    let cli = Cli::with_registers();
    let args = [
        "--at",
        "2025-03-02 09:00",
        "issue",
        "--depot",
        "SZ-D01",
        "--site",
        "SC-R01",
        "--item",
        "WR98-2021-07:25",
    ];
    let err = cli.fails(&args, 1);
    assert!(
        err.contains("refused by L12") && err.contains("one operation period's need of 20"),
        "{err}"
    );
    let mut json_args = vec!["--json"];
    json_args.extend_from_slice(&args);
    let out = cli.run(&json_args);
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(value["refused"]["rule"], "L12");
}

#[test]
fn usage_errors_exit_2_with_the_accepted_forms() {
    let cli = Cli::with_registers();
    let err = cli.fails(
        &[
            "issue",
            "--depot",
            "SZ-D01",
            "--site",
            "SC-R01",
            "--item",
            "WR98-2021-07",
        ],
        2,
    );
    assert!(err.contains("write LOT:QUANTITY"), "{err}");
    let err = cli.fails(&["depot", "--id", "X", "--kind", "cave"], 2);
    assert!(
        err.contains("use one of military, armed_forces_department, civil_explosives_store"),
        "{err}"
    );
    let err = cli.fails(&["--at", "12/06/2025", "stock"], 2);
    assert!(err.contains("write YYYY-MM-DD"), "{err}");
    let err = cli.fails(&["stocktake", "--location", "shed:1"], 2);
    assert!(err.contains("depot:ID, site:ID or transit:ID"), "{err}");
    // An empty crew id (two commas) is a usage error; nothing is recorded.
    let before = cli.json(&["consumption"]);
    let err = cli.fails(
        &[
            "fire",
            "--site",
            "SC-R01",
            "--equipment",
            "L-SC-R01",
            "--item",
            "WR98-2021-07:1",
            "--crew",
            "OP01,,OP02",
        ],
        2,
    );
    assert!(err.contains("an operator id is empty"), "{err}");
    assert_eq!(cli.json(&["consumption"]), before);
}

#[test]
fn a_new_record_names_the_missing_flag_and_an_update_keeps_the_rest() {
    let cli = Cli::with_registers();
    let err = cli.fails(&["depot", "--id", "NEW", "--name", "新库"], 1);
    assert!(err.contains("a new depot needs --kind"), "{err}");
    cli.ok(&[
        "--at",
        "2025-03-02 09:00",
        "site",
        "--id",
        "YY-R01",
        "--guard",
        "钱进",
    ]);
    let err = cli.fails(
        &[
            "--at",
            "2025-03-02 09:00",
            "issue",
            "--depot",
            "SZ-D01",
            "--site",
            "SC-AWS",
            "--item",
            "WR98-2021-07:5",
        ],
        1,
    );
    assert!(err.contains("site SC-AWS is not registered"), "{err}");
    cli.ok(&[
        "--at",
        "2025-03-02 09:00",
        "issue",
        "--depot",
        "SZ-D01",
        "--site",
        "YY-R01",
        "--item",
        "WR98-2021-07:5@210701-210705",
    ]);
}

#[test]
fn bad_import_files_report_every_bad_line_and_import_nothing() {
    let cli = Cli::with_registers();
    let file = cli.dir.path().join("ops.csv");
    std::fs::write(
        &file,
        "id,name,certificate,certificate_expiry,equipment\n\
         OP20,甲,C-20,2027-01-01,launcher\n\
         OP21,乙,C-21,2027-13-01,launcher\n\
         OP22,丙,C-22,2027-01-01,tank\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let before = cli.json(&["verify"])["head_seq"].clone();
    let err = cli.fails(&["import", "--operators", path(&file)], 1);
    assert!(
        err.contains("line 3: certificate_expiry: '2027-13-01' is not a date"),
        "{err}"
    );
    assert!(
        err.contains("line 4: equipment: 'tank' is not a valid equipment kind"),
        "{err}"
    );
    assert_eq!(cli.json(&["verify"])["head_seq"], before);
    // A refused row stops an all-or-nothing import with its line number.
    std::fs::write(&file, "id,name,certificate,certificate_expiry,equipment,born\nOP20,甲,C-20,2027-01-01,launcher,1980-01-01\nOP21,乙,C-21,2027-01-01,launcher,2015-01-01\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let err = cli.fails(
        &[
            "--at",
            "2025-03-02 09:00",
            "import",
            "--operators",
            path(&file),
        ],
        1,
    );
    assert!(
        err.contains("line 3: refused by L20") && err.contains("0 earlier event(s) committed"),
        "{err}"
    );
    assert_eq!(cli.json(&["verify"])["head_seq"], before);
    let missing = cli.fails(&["import", "--stock", path(&file)], 1);
    assert!(
        missing.contains("the header row lacks the column(s) depot, model, lot, quantity"),
        "{missing}"
    );
}

#[test]
fn verify_detects_an_edit_a_deletion_and_a_changed_table() {
    let cli = Cli::with_registers();
    let report = cli.json(&["verify"]);
    assert_eq!(report["findings"].as_array().map(Vec::len), Some(0));
    let anchor = report["head_hash"].as_str().unwrap_or_default().to_string();
    let sql = |statement: &str| {
        let conn = rusqlite::Connection::open(cli.db()).unwrap_or_else(|e| panic!("{e}"));
        conn.execute_batch(statement)
            .unwrap_or_else(|e| panic!("{e}"));
    };
    // Someone raises the opening stock in the stock table only.
    sql("UPDATE stock SET quantity = quantity + 1 WHERE lot = 'WR98-2021-07'");
    let err = cli.fails(&["verify"], 1);
    assert!(err.contains("changed behind wxmod's back"), "{err}");
    let out = String::from_utf8_lossy(&cli.run(&["verify"]).stdout).into_owned();
    assert!(out.contains("TAMPERED: table stock differs"), "{out}");
    sql("UPDATE stock SET quantity = quantity - 1 WHERE lot = 'WR98-2021-07'");
    cli.ok(&["verify", "--anchor", &anchor]);
    // Someone edits an event's body.
    sql(
        "UPDATE events SET body = replace(body, '\"quantity\":40', '\"quantity\":4') WHERE kind = 'receive'",
    );
    let out = String::from_utf8_lossy(&cli.run(&["verify"]).stdout).into_owned();
    assert!(
        out.contains("was edited: its content does not match its hash"),
        "{out}"
    );
}

#[test]
fn verify_detects_a_deleted_event_and_a_deleted_tail() {
    let cli = Cli::with_registers();
    let anchor = cli.json(&["verify"])["head_hash"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let sql = |statement: &str| {
        let conn = rusqlite::Connection::open(cli.db()).unwrap_or_else(|e| panic!("{e}"));
        conn.execute_batch(statement)
            .unwrap_or_else(|e| panic!("{e}"));
    };
    sql("DELETE FROM events WHERE seq = (SELECT MAX(seq) FROM events)");
    let out = String::from_utf8_lossy(&cli.run(&["verify"]).stdout).into_owned();
    assert!(out.contains("the chain head says"), "{out}");
    // Even with the head row rewritten too, the anchor written down earlier is gone.
    sql(
        "UPDATE chain_head SET seq = (SELECT MAX(seq) FROM events), hash = (SELECT hash FROM events ORDER BY seq DESC LIMIT 1)",
    );
    let out =
        String::from_utf8_lossy(&cli.run(&["verify", "--anchor", &anchor]).stdout).into_owned();
    assert!(out.contains("is not in the chain"), "{out}");
    sql("DELETE FROM events WHERE seq = 3");
    let out = String::from_utf8_lossy(&cli.run(&["verify"]).stdout).into_owned();
    assert!(
        out.contains("events 3 to 3 are missing") && out.contains("event 4 does not link"),
        "{out}"
    );
}

#[test]
fn export_then_import_rebuilds_the_same_ledger() {
    let cli = Cli::with_registers();
    cli.ok(&[
        "--at",
        "2025-03-02 09:00",
        "issue",
        "--depot",
        "SZ-D01",
        "--site",
        "SC-R01",
        "--item",
        "WR98-2021-07:12@210701-210712",
    ]);
    let log = cli.dir.path().join("events.jsonl");
    // An export replaces its file whole, through a partial file that does not stay behind.
    std::fs::write(
        &log,
        "an older, longer export that must not survive in part\n".repeat(50),
    )
    .unwrap();
    cli.ok(&["export", "--out", path(&log)]);
    let exported = std::fs::read_to_string(&log).unwrap();
    assert!(!exported.contains("older"), "{exported}");
    let leftovers: Vec<_> = std::fs::read_dir(cli.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // An export into a folder that does not exist fails naming the file and writes nothing.
    let nowhere = cli.dir.path().join("no-such-folder").join("events.jsonl");
    let err = cli.fails(&["export", "--out", path(&nowhere)], 1);
    assert!(
        err.contains("cannot write") && err.contains("events.jsonl"),
        "{err}"
    );
    let copy = Cli::new();
    copy.ok(&["init"]);
    let out = copy.ok(&["import", "--events", path(&log), "--batch", "5"]);
    assert!(out.contains("imported"), "{out}");
    assert_eq!(copy.json(&["stock"]), cli.json(&["stock"]));
    assert_eq!(copy.json(&["config"]), cli.json(&["config"]));
    let csv = cli.ok(&["export", "--what", "stock"]);
    assert!(
        csv.starts_with(
            "location,location_name,county,model,class,lot,condition,quantity,expires\n"
        ),
        "{csv}"
    );
    assert!(
        csv.contains(
            "site:SC-R01,朔城区小平易火箭作业点,朔城区,WR-98,rocket,WR98-2021-07,good,12,2025-07-31"
        ),
        "{csv}"
    );
    let events_csv = cli.ok(&["export", "--format", "csv"]);
    assert!(
        events_csv.starts_with("seq,at,recorded_at,actor,type,body,prev_hash,hash\n"),
        "{events_csv}"
    );
}

#[test]
fn thresholds_are_configurable_and_checked() {
    let cli = Cli::with_registers();
    cli.ok(&[
        "--at",
        "2025-03-02 09:00",
        "config",
        "--set",
        "period_need.rocket=10",
    ]);
    assert_eq!(cli.json(&["config"])["period_need"]["rocket"], 10);
    let err = cli.fails(
        &[
            "--at",
            "2025-03-02 09:00",
            "issue",
            "--depot",
            "SZ-D01",
            "--site",
            "SC-R01",
            "--item",
            "WR98-2021-07:12",
        ],
        1,
    );
    assert!(err.contains("refused by L12"), "{err}");
    let err = cli.fails(&["config", "--set", "return_days=-1"], 1);
    assert!(
        err.contains("threshold return_days cannot be '-1': return_days must lie in 0-365"),
        "{err}"
    );
    let err = cli.fails(&["config", "--set", "nonsense=1"], 1);
    assert!(
        err.contains("'nonsense' is not a threshold: use one of"),
        "{err}"
    );
}

#[test]
fn a_bad_site_file_names_each_bad_line_and_registers_nothing() {
    let cli = Cli::with_registers();
    let file = cli.dir.path().join("sites.csv");
    std::fs::write(&file, "id,name,kind,lon,lat,county\nX1,x,fixed_rocket,112.4,39.3,朔城区\nX2,y,radar_tower,112.4,39.3,朔城区\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let before = cli.json(&["verify"])["head_seq"].clone();
    let err = cli.fails(&["site", "--import", path(&file)], 1);
    assert!(
        err.contains(
            "sites.csv: line 3: site X2: 'radar_tower' is not a valid operation point kind"
        ),
        "{err}"
    );
    assert_eq!(cli.json(&["verify"])["head_seq"], before);
}
