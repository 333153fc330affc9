//! Printing for `wxmod ledger`: JSON for machines, the library's text (`ledger::text`) for people.

use std::io::Write;

use serde::Serialize;

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
