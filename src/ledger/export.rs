//! Export of the event log and the stock, for auditors and other tools.
//!
//! The event log as JSON lines (one [`StoredEvent`] per line, hashes included; `wxmod ledger
//! import --events` reads it back) or as CSV (`seq,at,recorded_at,actor,type,body,prev_hash,
//! hash`); the stock as CSV (`location,location_name,county,model,class,lot,condition,
//! quantity,expires`). Events are streamed in order, so memory stays flat for any log size.

use std::io::Write;

use serde::Serialize;

use super::LedgerError;
use super::clock::read_time;
use super::event::StoredEvent;
use super::ledger::Ledger;
use super::stock::StockFilter;

/// The format of an event export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
}

#[derive(Serialize)]
struct EventRow<'a> {
    seq: i64,
    at: &'a str,
    recorded_at: &'a str,
    actor: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    body: &'a str,
    prev_hash: &'a str,
    hash: &'a str,
}

/// Where exported events go.
enum Sink<'a> {
    Json(&'a mut dyn Write),
    Csv(Box<csv::Writer<&'a mut dyn Write>>),
}

impl Ledger {
    /// Writes every event, in order; returns how many.
    pub fn export_events(
        &self,
        out: &mut dyn Write,
        format: ExportFormat,
    ) -> Result<i64, LedgerError> {
        let mut stmt = self
            .conn()
            .prepare("SELECT seq, at, recorded_at, actor, kind, body, prev_hash, hash FROM events ORDER BY seq")?;
        let mut rows = stmt.query([])?;
        let mut sink = match format {
            ExportFormat::Csv => Sink::Csv(Box::new(csv::Writer::from_writer(out))),
            ExportFormat::Jsonl => Sink::Json(out),
        };
        let mut count = 0;
        while let Some(row) = rows.next()? {
            let seq: i64 = row.get(0)?;
            let (at, recorded_at, actor, kind, body, prev_hash, hash): (
                String,
                String,
                String,
                String,
                String,
                String,
                String,
            ) = (
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
                row.get(6)?,
                row.get(7)?,
            );
            match &mut sink {
                Sink::Csv(csv) => {
                    let record = EventRow {
                        seq,
                        at: &at,
                        recorded_at: &recorded_at,
                        actor: &actor,
                        kind: &kind,
                        body: &body,
                        prev_hash: &prev_hash,
                        hash: &hash,
                    };
                    csv.serialize(record).map_err(csv_error)?;
                }
                Sink::Json(out) => {
                    let corrupt =
                        |what: &str| LedgerError::Corrupt(format!("event {seq} has a bad {what}"));
                    let stored = StoredEvent {
                        seq,
                        at: read_time(&at).ok_or_else(|| corrupt("time"))?,
                        recorded_at: read_time(&recorded_at)
                            .ok_or_else(|| corrupt("record time"))?,
                        actor,
                        event: serde_json::from_str(&body).map_err(|_| corrupt("body"))?,
                        prev_hash,
                        hash,
                    };
                    let line = serde_json::to_string(&stored).map_err(|_| corrupt("body"))?;
                    writeln!(out, "{line}")?;
                }
            }
            count += 1;
        }
        match &mut sink {
            Sink::Csv(csv) => csv.flush()?,
            Sink::Json(out) => out.flush()?,
        }
        Ok(count)
    }

    /// Writes the stock list as CSV; returns how many lines.
    pub fn export_stock(
        &self,
        out: &mut dyn Write,
        filter: &StockFilter,
    ) -> Result<usize, LedgerError> {
        let lines = self.stock(filter)?;
        let mut writer = csv::Writer::from_writer(out);
        writer
            .write_record([
                "location",
                "location_name",
                "county",
                "model",
                "class",
                "lot",
                "condition",
                "quantity",
                "expires",
            ])
            .map_err(csv_error)?;
        for l in &lines {
            writer
                .write_record([
                    l.location.to_string(),
                    l.location_name.clone(),
                    l.county.clone().unwrap_or_default(),
                    l.model.clone(),
                    l.class.to_string(),
                    l.lot.clone(),
                    l.condition.to_string(),
                    l.quantity.to_string(),
                    l.expires.to_string(),
                ])
                .map_err(csv_error)?;
        }
        writer.flush()?;
        Ok(lines.len())
    }
}

fn csv_error(e: csv::Error) -> LedgerError {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => LedgerError::Write(io),
        other => LedgerError::Write(std::io::Error::other(format!("{other:?}"))),
    }
}
