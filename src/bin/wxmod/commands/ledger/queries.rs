//! `wxmod ledger stock | consumption | history | check | verify | export | import`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use wxmod::ledger::{
    ExportFormat, Grouping, ItemClass, Location, NewEvent, StockFilter, Trace, Urgency, parse_date,
    read_event_log, read_operator_list, read_stock_list,
};

use super::{Session, output};

#[derive(Args)]
pub(crate) struct StockArgs {
    /// One location: depot:ID, site:ID or transit:ID
    #[arg(long, conflicts_with = "kind")]
    location: Option<Location>,
    /// All locations of one kind
    #[arg(long, value_parser = ["depot", "site", "transit"])]
    kind: Option<String>,
    /// One model
    #[arg(long)]
    model: Option<String>,
    /// One lot
    #[arg(long)]
    lot: Option<String>,
    /// One item class: rocket, shell or flare
    #[arg(long)]
    class: Option<ItemClass>,
}

pub(crate) fn stock(cx: &Session, a: StockArgs) -> anyhow::Result<()> {
    let filter = StockFilter {
        location: a.location,
        location_kind: a.kind,
        model: a.model,
        lot: a.lot,
        class: a.class,
    };
    let lines = cx.ledger.stock(&filter)?;
    if cx.json {
        return output::print_json(&lines);
    }
    let today = cx.at.date();
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            vec![
                l.location.to_string(),
                l.location_name.clone(),
                l.model.clone(),
                l.lot.clone(),
                l.condition.to_string(),
                l.quantity.to_string(),
                l.expires.to_string(),
                (l.expires - today).num_days().to_string(),
            ]
        })
        .collect();
    let mut text = output::table(
        &[
            "location",
            "name",
            "model",
            "lot",
            "condition",
            "rounds",
            "expires",
            "days left",
        ],
        &rows,
    );
    let total: i128 = lines.iter().map(|l| i128::from(l.quantity)).sum();
    text.push_str(&format!("{} line(s), {total} round(s)\n", lines.len()));
    output::print_text(&text)
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
    if cx.json {
        return output::print_json(&rows);
    }
    let mut headers: Vec<&str> = Vec::new();
    let has = |g: Grouping| a.by.contains(&g);
    let columns: [(Grouping, &str); 4] = [
        (Grouping::County, "county"),
        (Grouping::Site, "site"),
        (Grouping::Model, "model"),
        (Grouping::Class, "class"),
    ];
    for (g, name) in columns {
        if has(g) {
            headers.push(name);
        }
    }
    let period = has(Grouping::Month) || has(Grouping::Season) || has(Grouping::Year);
    if period {
        headers.push("period");
    }
    headers.extend(["rounds", "firings"]);
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut row = Vec::new();
            row.extend(r.county.clone());
            row.extend(r.site.clone());
            row.extend(r.model.clone());
            row.extend(r.class.map(|c| c.to_string()));
            if period {
                row.push(r.period.clone().unwrap_or_default());
            }
            row.push(r.rounds.to_string());
            row.push(r.firings.to_string());
            row
        })
        .collect();
    output::print_text(&output::table(&headers, &table))
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
    if cx.json {
        return output::print_json(&history);
    }
    if history.events.is_empty() {
        let what = match trace {
            Trace::Lot(lot) => format!("lot {lot}"),
            Trace::Serial(s) => format!("serial {s}"),
        };
        return output::print_text(&format!("no events for {what}\n"));
    }
    let rows: Vec<Vec<String>> = history
        .events
        .iter()
        .map(|e| {
            vec![
                format!("#{}{}", e.seq, if e.names_serial { " *" } else { "" }),
                e.at.format("%Y-%m-%d %H:%M").to_string(),
                e.event.kind().to_string(),
                e.actor.clone(),
                e.event.summary(),
            ]
        })
        .collect();
    let note = if matches!(trace, Trace::Serial(_)) {
        "   (* names the serial: its lot's receipt and every event that moved it)"
    } else {
        ""
    };
    let mut text = format!("lot(s): {}{note}\n", history.lots.join(", "));
    text.push_str(&output::table(
        &["event", "at", "type", "actor", "details"],
        &rows,
    ));
    for status in &history.units {
        let u = &status.unit;
        text.push_str(&format!(
            "serial {} of lot {}: {} at {} (event {})\n",
            u.serial, u.lot, u.state, u.location, u.last_seq
        ));
        if let Some(ended) = status.ended_seq {
            text.push_str(&format!(
                "  the per-serial record of lot {} ended at event {ended} (a movement named no serials, threshold serials = optional): later events of the lot are listed\n",
                u.lot
            ));
        }
    }
    if matches!(trace, Trace::Serial(_)) && history.units.is_empty() {
        text.push_str("no numbered lot holds this serial: its lot was received without serials\n");
    }
    output::print_text(&text)
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
    let overdue = list
        .iter()
        .filter(|d| d.urgency == Urgency::Overdue)
        .count();
    if cx.json {
        output::print_json(&list)?;
    } else if list.is_empty() {
        output::print_text(&format!("nothing overdue or due within {within} days\n"))?;
    } else {
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|d| {
                vec![
                    match d.urgency {
                        Urgency::Overdue => "OVERDUE",
                        Urgency::DueSoon => "due",
                        Urgency::Pending => "open",
                    }
                    .to_string(),
                    d.rule.to_string(),
                    d.due.format("%Y-%m-%d %H:%M").to_string(),
                    d.event.map(|e| format!("#{e}")).unwrap_or_default(),
                    d.subject.clone(),
                ]
            })
            .collect();
        let mut text = output::table(&["status", "rule", "due", "event", "what"], &rows);
        text.push_str(&format!("{} item(s), {overdue} overdue\n", list.len()));
        output::print_text(&text)?;
    }
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
    if cx.json {
        output::print_json(&report)?;
    } else {
        let mut text = String::new();
        for finding in &report.findings {
            text.push_str(&format!("TAMPERED: {finding}\n"));
        }
        text.push_str(&format!(
            "{} event(s), head #{} {}\n",
            report.events, report.head_seq, report.head_hash
        ));
        if !report.seals_checked {
            text.push_str("seals NOT checked: no seal key (give --key): events appended by someone who read the source would not be found\n");
        }
        if report.is_intact() {
            text.push_str(if report.seals_checked {
                "ledger intact: seals, chain, re-admission of every event, replay and every table agree\n"
            } else {
                "chain, re-admission of every event, replay and every table agree\n"
            });
        }
        output::print_text(&text)?;
    }
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
    if cx.json {
        return output::print_json(&serde_json::json!({ "anchor": anchor }));
    }
    output::print_text(&format!(
        "{anchor}\nfile or print this line elsewhere; `wxmod ledger verify --anchor LINE` checks the chain still holds it\n"
    ))
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
    if cx.json {
        output::print_json(&serde_json::json!({ "file": a.to, "verify": report }))?;
    } else {
        let mut text = format!(
            "backed up {} event(s) to {}, head #{} {}\n",
            report.events,
            a.to.display(),
            report.head_seq,
            report.head_hash
        );
        for finding in &report.findings {
            text.push_str(&format!("TAMPERED: {finding}\n"));
        }
        if report.is_intact() {
            text.push_str("the copy verifies: chain, replay and every table agree\n");
        }
        output::print_text(&text)?;
    }
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

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// JSON lines
    Jsonl,
    /// CSV
    Csv,
}

#[derive(Args)]
pub(crate) struct ExportArgs {
    /// What to export
    #[arg(long, value_enum, default_value = "events")]
    what: What,
    /// Format of the event log
    #[arg(long, value_enum, default_value = "jsonl")]
    format: Format,
    /// Output file [default: stdout]
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub(crate) fn export(cx: &Session, a: ExportArgs) -> anyhow::Result<()> {
    let mut sink: Box<dyn Write> = match &a.out {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let count = match a.what {
        What::Events => {
            let format = match a.format {
                Format::Jsonl => ExportFormat::Jsonl,
                Format::Csv => ExportFormat::Csv,
            };
            cx.ledger.export_events(&mut sink, format)? as usize
        }
        What::Stock => cx.ledger.export_stock(&mut sink, &StockFilter::default())?,
    };
    sink.flush()?;
    drop(sink);
    match (&a.out, cx.json) {
        (Some(path), true) => {
            output::print_json(&serde_json::json!({ "file": path, "records": count }))
        }
        (Some(path), false) => {
            output::print_text(&format!("wrote {count} record(s) to {}\n", path.display()))
        }
        // The records themselves went to stdout.
        (None, _) => Ok(()),
    }
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
    let history = a.source.events.is_some();
    let (file, sourced) = match (a.source.stock, a.source.operators, a.source.events) {
        (Some(f), _, _) => (f.clone(), read_stock_list(&f, cx.at, &cx.actor)?),
        (_, Some(f), _) => (f.clone(), read_operator_list(&f, cx.at, &cx.actor)?),
        (_, _, Some(f)) => (f.clone(), read_event_log(&f)?),
        _ => bail!("give --stock, --operators or --events"),
    };
    // An event log into an empty ledger keeps its own times (a history taken over); into a
    // ledger with events, its events are late entries like any other.
    let history = history && cx.ledger.head()?.0 == 0;
    let (lines, events): (Vec<usize>, Vec<NewEvent>) =
        sourced.into_iter().map(|s| (s.line, s.event)).unzip();
    let progress = a.progress;
    let report = |p: wxmod::ledger::Progress| {
        if progress {
            eprintln!(
                "committed {} event(s), through #{}",
                p.committed, p.last_seq
            );
        }
    };
    let result = if history {
        cx.ledger.import_history(&events, a.batch, report)
    } else {
        cx.ledger.record_all(&events, a.batch, report)
    };
    match result {
        Ok(done) => {
            if cx.json {
                return output::print_json(&serde_json::json!({
                    "file": file, "recorded": done.len(), "last_seq": done.last().map(|r| r.seq)
                }));
            }
            let duties: usize = done.iter().map(|r| r.duties.len()).sum();
            output::print_text(&format!(
                "imported {} event(s) from {}{}\n",
                done.len(),
                file.display(),
                if duties > 0 {
                    format!(", {duties} duty(ies) now open (see `wxmod ledger check`)")
                } else {
                    String::new()
                }
            ))
        }
        Err(err) => {
            let line = lines.get(err.index).copied().unwrap_or(0);
            if cx.json {
                output::print_json(&output::refusal_json(&err.error))?;
            }
            bail!(
                "{}: line {line}: {} (import stopped: {} earlier event(s) committed, the rest of that batch rolled back)",
                file.display(),
                err.error,
                err.committed
            )
        }
    }
}
