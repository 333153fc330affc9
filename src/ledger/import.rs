//! Reading events from files: an existing stock list (CSV), an operator list (CSV), and an
//! event log (JSON lines, as `wxmod ledger export` writes it or written by hand).
//!
//! Files are read whole and every bad line is reported (file, line, column, what is wrong)
//! before anything is recorded; the events then go through [`Ledger::record_all`], checked
//! one by one under every rule. Formats (header names, any order, case-insensitive):
//!
//! - stock list: `depot,model,lot,quantity,manufactured,expires` and optionally
//!   `serial_first,serial_last`, `purchase`. Each row is an opening balance (`receive` with
//!   `opening: true`, no new police filing due).
//! - operator list: `id,name,certificate,certificate_expiry,equipment` and optionally
//!   `police_registered,insurance_expiry,born`; `equipment` lists kinds separated by `;`, `|`
//!   or spaces (`launcher;gun`). Dates are `YYYY-MM-DD`.
//! - event log: one JSON object per line with `at`, `actor` and `event` (other fields, such
//!   as the `seq` and hashes of an export, are ignored); blank lines and lines starting with
//!   `#` are skipped.
//!
//! [`Ledger::record_all`]: super::Ledger::record_all

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};

use super::clock::parse_date;
use super::event::{Event, NewEvent, Receipt};
use super::records::{EquipmentKind, Lot, Operator, SerialRange};

/// An event read from a file, with the line it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcedEvent {
    /// Line number in the file, from 1.
    pub line: usize,
    /// The event.
    pub event: NewEvent,
}

/// One bad line of an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    /// Line number, from 1 (0 = the file as a whole).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// A file that cannot be imported; lists every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {}", file.display(), problems.iter().map(|p| if p.line == 0 { p.message.clone() } else { format!("line {}: {}", p.line, p.message) }).collect::<Vec<_>>().join("; "))]
pub struct ImportFileError {
    /// The file.
    pub file: PathBuf,
    /// The problems, by line.
    pub problems: Vec<LineProblem>,
}

/// A CSV file read into header-addressed rows.
pub(crate) struct Table {
    columns: HashMap<String, usize>,
    /// (line, fields).
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    /// Reads a CSV file; `required` columns must be present.
    pub(crate) fn read(path: &Path, required: &[&str]) -> Result<Table, ImportFileError> {
        let fail = |message: String| ImportFileError {
            file: path.to_path_buf(),
            problems: vec![LineProblem { line: 0, message }],
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .trim(csv::Trim::All)
            .from_path(path)
            .map_err(|e| fail(format!("cannot read the file: {e}")))?;
        let headers = reader
            .headers()
            .map_err(|e| fail(format!("cannot read the header row: {e}")))?
            .clone();
        let columns: HashMap<String, usize> = headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.trim_start_matches('\u{feff}').to_ascii_lowercase(), i))
            .collect();
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|c| !columns.contains_key(*c))
            .collect();
        if !missing.is_empty() {
            return Err(fail(format!(
                "the header row lacks the column(s) {}",
                missing.join(", ")
            )));
        }
        let mut rows = Vec::new();
        let mut problems = Vec::new();
        for record in reader.records() {
            match record {
                Ok(r) => {
                    let line = r.position().map_or(0, |p| p.line() as usize);
                    rows.push((line, r.iter().map(str::to_string).collect()));
                }
                Err(e) => problems.push(LineProblem {
                    line: e.position().map_or(0, |p| p.line() as usize),
                    message: e.to_string(),
                }),
            }
        }
        if !problems.is_empty() {
            return Err(ImportFileError {
                file: path.to_path_buf(),
                problems,
            });
        }
        Ok(Table { columns, rows })
    }

    /// A field by column name; empty or absent columns give `None`.
    pub(crate) fn get<'r>(&self, row: &'r [String], column: &str) -> Option<&'r str> {
        self.columns
            .get(column)
            .and_then(|i| row.get(*i))
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// Collects the problems of one row.
struct RowCheck<'t> {
    table: &'t Table,
    line: usize,
    problems: Vec<LineProblem>,
}

impl RowCheck<'_> {
    fn text(&mut self, row: &[String], column: &str) -> String {
        match self.table.get(row, column) {
            Some(v) => v.to_string(),
            None => {
                self.problems.push(LineProblem {
                    line: self.line,
                    message: format!("{column} is empty"),
                });
                String::new()
            }
        }
    }

    fn parsed<T>(
        &mut self,
        row: &[String],
        column: &str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<T> {
        let value = self.table.get(row, column)?;
        match parse(value) {
            Ok(v) => Some(v),
            Err(e) => {
                self.problems.push(LineProblem {
                    line: self.line,
                    message: format!("{column}: {e}"),
                });
                None
            }
        }
    }

    fn required<T>(
        &mut self,
        row: &[String],
        column: &str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<T> {
        if self.table.get(row, column).is_none() {
            self.problems.push(LineProblem {
                line: self.line,
                message: format!("{column} is empty"),
            });
            return None;
        }
        self.parsed(row, column, parse)
    }
}

fn whole(text: &str) -> Result<i64, String> {
    text.parse()
        .map_err(|_| format!("'{text}' is not a whole number"))
}

/// Reads an existing stock list into opening-balance events at time `at` by `actor`.
pub fn read_stock_list(
    path: &Path,
    at: NaiveDateTime,
    actor: &str,
) -> Result<Vec<SourcedEvent>, ImportFileError> {
    let table = Table::read(
        path,
        &[
            "depot",
            "model",
            "lot",
            "quantity",
            "manufactured",
            "expires",
        ],
    )?;
    let mut events = Vec::new();
    let mut problems = Vec::new();
    for (line, row) in &table.rows {
        let mut check = RowCheck {
            table: &table,
            line: *line,
            problems: Vec::new(),
        };
        let depot = check.text(row, "depot");
        let model = check.text(row, "model");
        let lot = check.text(row, "lot");
        let quantity = check.required(row, "quantity", whole);
        let manufactured = check.required(row, "manufactured", parse_date);
        let expires = check.required(row, "expires", parse_date);
        let first = check.parsed(row, "serial_first", whole);
        let last = check.parsed(row, "serial_last", whole);
        let serials = match (first, last) {
            (Some(first), Some(last)) if first <= last => Some(SerialRange { first, last }),
            (None, None) => None,
            _ => {
                check.problems.push(LineProblem {
                    line: *line,
                    message: "give both serial_first and serial_last, first <= last".into(),
                });
                None
            }
        };
        let purchase = table
            .get(row, "purchase")
            .unwrap_or("opening stock")
            .to_string();
        problems.append(&mut check.problems);
        if let (Some(quantity), Some(manufactured), Some(expires)) =
            (quantity, manufactured, expires)
        {
            let lot = Lot {
                lot,
                model,
                serials,
                quantity,
                manufactured,
                expires,
            };
            let event = Event::Receive(Receipt {
                depot,
                lot,
                purchase,
                opening: true,
            });
            events.push(SourcedEvent {
                line: *line,
                event: NewEvent {
                    at,
                    actor: actor.to_string(),
                    event,
                },
            });
        }
    }
    finish(path, events, problems)
}

/// Reads an operator list into operator registrations at time `at` by `actor`.
pub fn read_operator_list(
    path: &Path,
    at: NaiveDateTime,
    actor: &str,
) -> Result<Vec<SourcedEvent>, ImportFileError> {
    let table = Table::read(
        path,
        &[
            "id",
            "name",
            "certificate",
            "certificate_expiry",
            "equipment",
        ],
    )?;
    let mut events = Vec::new();
    let mut problems = Vec::new();
    let date = |t: &str| parse_date(t);
    for (line, row) in &table.rows {
        let mut check = RowCheck {
            table: &table,
            line: *line,
            problems: Vec::new(),
        };
        let id = check.text(row, "id");
        let name = check.text(row, "name");
        let certificate = check.text(row, "certificate");
        let expiry: Option<NaiveDate> = check.required(row, "certificate_expiry", date);
        let equipment = check.required(row, "equipment", |t| {
            t.split([';', '|', ' ', '/'])
                .filter(|k| !k.is_empty())
                .map(|k| k.parse::<EquipmentKind>().map_err(|e| e.to_string()))
                .collect::<Result<Vec<_>, _>>()
        });
        let police_registered = check.parsed(row, "police_registered", date);
        let insurance_expiry = check.parsed(row, "insurance_expiry", date);
        let born = check.parsed(row, "born", date);
        problems.append(&mut check.problems);
        if let (Some(certificate_expiry), Some(equipment)) = (expiry, equipment) {
            let operator = Operator {
                id,
                name,
                certificate,
                certificate_expiry,
                equipment,
                police_registered,
                insurance_expiry,
                born,
            };
            events.push(SourcedEvent {
                line: *line,
                event: NewEvent {
                    at,
                    actor: actor.to_string(),
                    event: Event::Operator(operator),
                },
            });
        }
    }
    finish(path, events, problems)
}

/// Reads an event log in JSON lines.
pub fn read_event_log(path: &Path) -> Result<Vec<SourcedEvent>, ImportFileError> {
    let text = std::fs::read_to_string(path).map_err(|e| ImportFileError {
        file: path.to_path_buf(),
        problems: vec![LineProblem {
            line: 0,
            message: format!("cannot read the file: {e}"),
        }],
    })?;
    let mut events = Vec::new();
    let mut problems = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        match serde_json::from_str::<NewEvent>(trimmed) {
            Ok(event) => events.push(SourcedEvent { line: i + 1, event }),
            Err(e) => problems.push(LineProblem {
                line: i + 1,
                message: e.to_string(),
            }),
        }
    }
    finish(path, events, problems)
}

fn finish(
    path: &Path,
    events: Vec<SourcedEvent>,
    problems: Vec<LineProblem>,
) -> Result<Vec<SourcedEvent>, ImportFileError> {
    if problems.is_empty() {
        Ok(events)
    } else {
        Err(ImportFileError {
            file: path.to_path_buf(),
            problems,
        })
    }
}
