//! Printing for `wxmod ledger`: JSON for machines, aligned text tables for people.

use std::io::Write;

use serde::Serialize;
use wxmod::ledger::{LedgerError, Recorded};

/// Prints a value as pretty JSON on stdout.
pub(crate) fn print_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    print_text(&text)
}

/// Prints text on stdout (a closed pipe surfaces as an io error, which `main` treats as done).
pub(crate) fn print_text(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// The JSON of a refused or failed event.
pub(crate) fn refusal_json(err: &LedgerError) -> serde_json::Value {
    match err {
        LedgerError::Refused(v) => serde_json::json!({
            "refused": { "rule": v.rule, "title": v.rule.title(), "message": v.message }
        }),
        other => serde_json::json!({ "error": other.to_string() }),
    }
}

/// One line per recorded event and one per duty it created.
pub(crate) fn recorded_text(done: &Recorded) -> String {
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

/// An aligned text table; columns are padded to their widest cell (counting characters).
pub(crate) fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
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
