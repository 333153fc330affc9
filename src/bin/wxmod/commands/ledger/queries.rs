//! `wxmod ledger stock | consumption | history | check | verify | export | import`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use wxmod::ledger::{
    ExportFormat, Grouping, ImportJobError, ImportSource, StockFilter, Trace, parse_date, text,
};

use wxmod::ops::output::stream_atomically;

use super::Session;
use crate::commands::print_json;

pub(crate) fn stock(cx: &Session, filter: StockFilter) -> anyhow::Result<()> {
    let lines = cx.ledger.stock(&filter)?;
    cx.show(&lines, || text::stock(&lines, cx.at.date()))
}

#[derive(Args)]
pub(crate) struct ConsumptionArgs {
    /// Group by any of county, site, model, class and one of month, season, year (comma separated)
    #[arg(long, value_delimiter = ',', default_value = "county,model,year")]
    by: Vec<Grouping>,
    /// First day, YYYY-MM-DD
    #[arg(long, value_parser = parse_date)]
    from: Option<chrono::NaiveDate>,
    /// Last day, YYYY-MM-DD
    #[arg(long, value_parser = parse_date)]
    to: Option<chrono::NaiveDate>,
}

pub(crate) fn consumption(cx: &Session, a: ConsumptionArgs) -> anyhow::Result<()> {
    let rows = cx.ledger.consumption(&a.by, a.from, a.to)?;
    cx.show(&rows, || text::consumption(&rows, &a.by))
}

#[derive(Args)]
#[group(required = true, multiple = false)]
pub(crate) struct HistoryArgs {
    /// A lot number
    #[arg(long)]
    lot: Option<String>,
    /// A serial number
    #[arg(long)]
    serial: Option<i64>,
}

pub(crate) fn history(cx: &Session, a: HistoryArgs) -> anyhow::Result<()> {
    let trace = match (a.lot, a.serial) {
        (Some(lot), _) => Trace::Lot(lot),
        (None, Some(serial)) => Trace::Serial(serial),
        (None, None) => bail!("give --lot or --serial"),
    };
    let history = cx.ledger.history(&trace)?;
    cx.show(&history, || text::history(&history, &trace))
}

#[derive(Args)]
pub(crate) struct CheckArgs {
    /// List what falls due within this many days, 0-3650 [default: the warning_days threshold]
    #[arg(long, value_parser = clap::value_parser!(i64).range(0..=wxmod::ledger::MAX_WITHIN_DAYS))]
    within: Option<i64>,
    /// Exit with code 1 when anything is overdue
    #[arg(long)]
    strict: bool,
}

pub(crate) fn check(cx: &Session, a: CheckArgs) -> anyhow::Result<()> {
    let within = match a.within {
        Some(days) => days,
        None => cx.ledger.thresholds()?.warning_days,
    };
    let list = cx.ledger.check(cx.at, within)?;
    let overdue = text::overdue(&list);
    cx.show(&list, || text::deadlines(&list, within))?;
    if a.strict && overdue > 0 {
        bail!("{overdue} item(s) overdue");
    }
    Ok(())
}

#[derive(Args)]
pub(crate) struct VerifyArgs {
    /// A signed anchor printed by `ledger anchor` (or a head hash printed by an earlier verify); the chain must still hold it
    #[arg(long)]
    anchor: Option<String>,
}

pub(crate) fn verify(cx: &Session, a: VerifyArgs) -> anyhow::Result<()> {
    let report = cx.ledger.verify(a.anchor.as_deref())?;
    cx.show(&report, || text::verified(&report))?;
    if !report.is_intact() {
        bail!(
            "ledger {} was changed behind wxmod's back ({} finding(s))",
            cx.ledger.path().display(),
            report.findings.len()
        );
    }
    Ok(())
}

pub(crate) fn anchor(cx: &Session) -> anyhow::Result<()> {
    let anchor = cx.ledger.anchor()?;
    cx.show(&serde_json::json!({ "anchor": anchor }), || {
        text::anchor(&anchor)
    })
}

#[derive(Args)]
pub(crate) struct BackupArgs {
    /// The new backup file (refused if it exists)
    #[arg(long, value_name = "FILE")]
    to: PathBuf,
}

pub(crate) fn backup(cx: &Session, a: BackupArgs) -> anyhow::Result<()> {
    let report = cx
        .ledger
        .backup(&a.to)
        .with_context(|| format!("cannot back up the ledger to {}", a.to.display()))?;
    cx.show(
        &serde_json::json!({ "file": a.to, "verify": report }),
        || text::backed_up(&report, &a.to),
    )?;
    if !report.is_intact() {
        bail!(
            "the backup {} does not verify ({} finding(s)): the ledger itself was changed behind wxmod's back",
            a.to.display(),
            report.findings.len()
        );
    }
    Ok(())
}

#[derive(Clone, Copy, ValueEnum)]
enum What {
    /// The event log
    Events,
    /// The stock list (CSV)
    Stock,
}

#[derive(Args)]
pub(crate) struct ExportArgs {
    /// What to export
    #[arg(long, value_enum, default_value = "events")]
    what: What,
    /// Format of the event log
    #[arg(long, value_enum, default_value = "jsonl")]
    format: ExportFormat,
    /// Output file [default: stdout]
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub(crate) fn export(cx: &Session, a: ExportArgs) -> anyhow::Result<()> {
    let write = |sink: &mut dyn Write| -> anyhow::Result<usize> {
        let count = match a.what {
            What::Events => cx.ledger.export_events(sink, a.format)? as usize,
            What::Stock => cx.ledger.export_stock(sink, &StockFilter::default())?,
        };
        sink.flush()?;
        Ok(count)
    };
    let Some(path) = &a.out else {
        // The records themselves go to stdout.
        write(&mut std::io::BufWriter::new(std::io::stdout().lock()))?;
        return Ok(());
    };
    let count = stream_atomically(path, |file| write(file))?;
    cx.show(
        &serde_json::json!({ "file": path, "records": count }),
        || format!("wrote {count} record(s) to {}\n", path.display()),
    )
}

#[derive(Args)]
#[group(id = "source", required = true, multiple = false)]
struct Source {
    /// An existing stock list (CSV): depot,model,lot,quantity,manufactured,expires[,serial_first,serial_last,purchase]
    #[arg(long, value_name = "FILE")]
    stock: Option<PathBuf>,
    /// An operator list (CSV): id,name,certificate,certificate_expiry,equipment[,police_registered,insurance_expiry,born]
    #[arg(long, value_name = "FILE")]
    operators: Option<PathBuf>,
    /// An event log (JSON lines, as `export` writes it)
    #[arg(long, value_name = "FILE")]
    events: Option<PathBuf>,
}

#[derive(Args)]
pub(crate) struct ImportArgs {
    #[command(flatten)]
    source: Source,
    /// Commit every N events, so that other writers wait at most one batch (0: the whole file in one transaction, all or nothing)
    #[arg(long, default_value_t = 500)]
    batch: usize,
    /// Print a line on stderr after each commit
    #[arg(long)]
    progress: bool,
}

pub(crate) fn import(cx: &mut Session, a: ImportArgs) -> anyhow::Result<()> {
    let source = match (a.source.stock, a.source.operators, a.source.events) {
        (Some(f), _, _) => ImportSource::Stock(f),
        (_, Some(f), _) => ImportSource::Operators(f),
        (_, _, Some(f)) => ImportSource::Events(f),
        _ => bail!("give --stock, --operators or --events"),
    };
    let progress = a.progress;
    let report = |p: wxmod::ledger::Progress| {
        if progress {
            eprintln!(
                "committed {} event(s), through #{}",
                p.committed, p.last_seq
            );
        }
    };
    match cx.ledger.import(&source, cx.at, &cx.actor, a.batch, report) {
        Ok(done) => cx.show(&done, || done.to_string()),
        Err(err) => {
            if let (ImportJobError::Stopped { error, .. }, true) = (&err, cx.json) {
                print_json(&text::refusal_json(error))?;
            }
            Err(err.into())
        }
    }
}
