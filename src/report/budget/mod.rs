//! The budget as bytes: a Markdown report, CSV tables, an .xlsx workbook with a sheet per
//! view, and a stacked-bar chart of the yearly budget by category (PNG and SVG).
//!
//! Amounts are shown in yuan (元, exact) and in 万元 (10,000 yuan, two decimals) as finance
//! bureaus use; headers are bilingual, `中文 / English`.

pub mod chart;
pub mod csv;
pub mod markdown;
pub mod xlsx;

use crate::budget::Budget;
use crate::report::NamedFile;
use crate::units::Yuan;
use chart::{ChartError, ChartFormat, budget_chart};
use xlsx::XlsxError;

/// A budget file that could not be made.
#[derive(Debug, thiserror::Error)]
pub enum BudgetReportError {
    /// The workbook could not be built.
    #[error(transparent)]
    Xlsx(#[from] XlsxError),
    /// The chart could not be drawn.
    #[error(transparent)]
    Chart(#[from] ChartError),
}

/// Every file of a budget, as (file name, bytes): `budget.md`, the four CSV tables,
/// `budget.xlsx` and the chart as PNG and SVG. `title` heads the report and the workbook;
/// `region_name` heads the chart. `wxmod budget --out` and `wxmod run` both write this set.
pub fn budget_files(
    budget: &Budget,
    title: &str,
    region_name: &str,
) -> Result<Vec<NamedFile>, BudgetReportError> {
    Ok(vec![
        NamedFile::new("budget.md", markdown::budget_report(budget, title)),
        NamedFile::new("budget_lines.csv", csv::lines(budget)),
        NamedFile::new("budget_summary.csv", csv::summary(budget)),
        NamedFile::new("budget_counties.csv", csv::counties(budget)),
        NamedFile::new("budget_ammunition.csv", csv::ammunition(budget)),
        NamedFile::new("budget.xlsx", xlsx::workbook(budget, title)?),
        NamedFile::new(
            "budget_chart.png",
            budget_chart(budget, region_name, ChartFormat::Png)?,
        ),
        NamedFile::new(
            "budget_chart.svg",
            budget_chart(budget, region_name, ChartFormat::Svg)?,
        ),
    ])
}

/// An amount in yuan with thousands separators, e.g. `1,234,567` (`.05` added for fen).
///
/// # Examples
/// ```
/// use wxmod::units::Yuan;
/// use wxmod::report::budget::yuan_text;
/// assert_eq!(yuan_text(Yuan::from_yuan(1_234_567)), "1,234,567");
/// assert_eq!(yuan_text(Yuan { fen: -150 }), "-1.50");
/// ```
pub fn yuan_text(amount: Yuan) -> String {
    let sign = if amount.fen < 0 { "-" } else { "" };
    let fen = amount.fen.unsigned_abs();
    let whole = (fen / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    match fen % 100 {
        0 => format!("{sign}{grouped}"),
        f => format!("{sign}{grouped}.{f:02}"),
    }
}

/// An amount in 万元 with two decimals, e.g. `123.46`.
///
/// # Examples
/// ```
/// use wxmod::units::Yuan;
/// assert_eq!(wxmod::report::budget::wan_text(Yuan::from_yuan(1_234_567)), "123.46");
/// ```
pub fn wan_text(amount: Yuan) -> String {
    format!("{:.2}", amount.wan())
}
