//! The ledger's results as text for people: aligned tables (CJK characters count two columns)
//! and the one-line summaries `wxmod ledger` prints. Pure functions from results to `String`;
//! the JSON of the same results is their `Serialize`. Nothing here reads the ledger.

use chrono::NaiveDate;

use super::check::{Deadline, Urgency};
use super::history::{History, Trace};
use super::ledger::{LedgerError, Recorded};
use super::stock::{ConsumptionRow, Grouping, StockLine};
use super::thresholds::Thresholds;
use super::verify::VerifyReport;

/// The thresholds in force, one `threshold  value` row per key of `config --help`.
pub fn thresholds(thresholds: &Thresholds) -> serde_json::Result<String> {
    let tree = serde_json::to_value(thresholds)?;
    let rows: Vec<Vec<String>> = Thresholds::keys()
        .into_iter()
        .map(|key| {
            let pointer = format!("/{}", key.replace('.', "/"));
            let value = tree
                .pointer(&pointer)
                .map(|v| v.to_string())
                .unwrap_or_default();
            vec![key, value]
        })
        .collect();
    Ok(table(&["threshold", "value"], &rows))
}

/// A signed anchor and what to do with it.
pub fn anchor(anchor: &str) -> String {
    format!(
        "{anchor}\nfile or print this line elsewhere; `wxmod ledger verify --anchor LINE` checks the chain still holds it\n"
    )
}

/// An aligned text table; columns are padded to their widest cell (counting display width).
///
/// # Examples
/// ```
/// let t = wxmod::ledger::text::table(&["a", "b"], &[vec!["朔州".into(), "1".into()]]);
/// assert_eq!(t, "a     b\n朔州  1\n");
/// ```
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(width(cell));
            }
        }
    }
    let mut text = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut parts = Vec::new();
        for (i, cell) in cells.enumerate() {
            let pad = widths
                .get(i)
                .copied()
                .unwrap_or(0)
                .saturating_sub(width(cell));
            parts.push(format!("{cell}{}", " ".repeat(pad)));
        }
        text.push_str(parts.join("  ").trim_end());
        text.push('\n');
    };
    line(&mut headers.iter().copied());
    for row in rows {
        line(&mut row.iter().map(String::as_str));
    }
    text
}

/// Display width: CJK characters take two columns.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| if c as u32 >= 0x1100 { 2 } else { 1 })
        .sum()
}

/// The JSON of a refused or failed event.
pub fn refusal_json(err: &LedgerError) -> serde_json::Value {
    match err {
        LedgerError::Refused(v) => serde_json::json!({
            "refused": { "rule": v.rule, "title": v.rule.title(), "message": v.message }
        }),
        other => serde_json::json!({ "error": other.to_string() }),
    }
}

/// One line per recorded event and one per duty it created.
pub fn recorded(done: &Recorded) -> String {
    let mut text = format!(
        "recorded #{} {} (hash {})\n",
        done.seq,
        done.kind,
        &done.hash[..12.min(done.hash.len())]
    );
    for duty in &done.duties {
        text.push_str(&format!(
            "  due {} [{}]: {}\n",
            duty.due.format("%Y-%m-%d %H:%M"),
            duty.rule,
            duty.subject
        ));
    }
    text
}

/// The stock table with days left to expiry as of `today`, and its total.
pub fn stock(lines: &[StockLine], today: NaiveDate) -> String {
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
    let headers = [
        "location",
        "name",
        "model",
        "lot",
        "condition",
        "rounds",
        "expires",
        "days left",
    ];
    let mut text = table(&headers, &rows);
    let total: i128 = lines.iter().map(|l| i128::from(l.quantity)).sum();
    text.push_str(&format!("{} line(s), {total} round(s)\n", lines.len()));
    text
}

/// The consumption table, one column per grouping in `by`.
pub fn consumption(rows: &[ConsumptionRow], by: &[Grouping]) -> String {
    let has = |g: Grouping| by.contains(&g);
    let columns = [
        (Grouping::County, "county"),
        (Grouping::Site, "site"),
        (Grouping::Model, "model"),
        (Grouping::Class, "class"),
    ];
    let mut headers: Vec<&str> = columns
        .iter()
        .filter(|(g, _)| has(*g))
        .map(|(_, name)| *name)
        .collect();
    let period = has(Grouping::Month) || has(Grouping::Season) || has(Grouping::Year);
    if period {
        headers.push("period");
    }
    headers.extend(["rounds", "firings"]);
    let body: Vec<Vec<String>> = rows
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
    table(&headers, &body)
}

/// The history of a lot or serial: its events and, for a serial, its unit's state.
pub fn history(history: &History, trace: &Trace) -> String {
    let serial = matches!(trace, Trace::Serial(_));
    if history.events.is_empty() {
        return match trace {
            Trace::Lot(lot) => format!("no events for lot {lot}\n"),
            Trace::Serial(s) => format!("no events for serial {s}\n"),
        };
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
    let note = if serial {
        "   (* names the serial: its lot's receipt and every event that moved it)"
    } else {
        ""
    };
    let mut text = format!("lot(s): {}{note}\n", history.lots.join(", "));
    text.push_str(&table(&["event", "at", "type", "actor", "details"], &rows));
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
    if serial && history.units.is_empty() {
        text.push_str("no numbered lot holds this serial: its lot was received without serials\n");
    }
    text
}

/// The deadline list of `check` (looking `within` days ahead).
pub fn deadlines(list: &[Deadline], within: i64) -> String {
    if list.is_empty() {
        return format!("nothing overdue or due within {within} days\n");
    }
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
    let overdue = overdue(list);
    let mut text = table(&["status", "rule", "due", "event", "what"], &rows);
    text.push_str(&format!("{} item(s), {overdue} overdue\n", list.len()));
    text
}

/// How many deadlines are overdue.
pub fn overdue(list: &[Deadline]) -> usize {
    list.iter()
        .filter(|d| d.urgency == Urgency::Overdue)
        .count()
}

/// What `verify` found, its head and whether the seals were checked.
pub fn verified(report: &VerifyReport) -> String {
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
    text
}

/// What `backup` copied to `to`, and what verifying the copy found.
pub fn backed_up(report: &VerifyReport, to: &std::path::Path) -> String {
    let mut text = format!(
        "backed up {} event(s) to {}, head #{} {}\n",
        report.events,
        to.display(),
        report.head_seq,
        report.head_hash
    );
    for finding in &report.findings {
        text.push_str(&format!("TAMPERED: {finding}\n"));
    }
    if report.is_intact() {
        text.push_str("the copy verifies: chain, replay and every table agree\n");
    }
    text
}
