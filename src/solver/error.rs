//! Errors of the covering solver: bad points, bad CSV input, and problems that cannot be solved.
//!
//! Every message names where the problem is (file and line for CSV input, the record index and id for points
//! given in memory) and what is wrong, so that a planner can fix the input without reading code.

use std::path::PathBuf;

/// Why a covering instance could not be built or solved.
#[derive(Debug, thiserror::Error)]
pub enum CoverError {
    /// A CSV file could not be opened or read. Fix: check the path and permissions.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A CSV record could not be parsed (bad quoting, wrong number of fields). Fix: repair the CSV.
    #[error("{path} line {line}: malformed CSV: {message}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What the CSV reader said.
        message: String,
    },
    /// The CSV header lacks a required column. Fix: add it (header names are case-sensitive).
    #[error("{path}: missing column '{column}' (header is '{header}'; expected {expected})")]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The missing column name.
        column: &'static str,
        /// The header as found.
        header: String,
        /// The required columns, comma-separated.
        expected: &'static str,
    },
    /// A field that must hold a number does not. Fix: write a finite decimal number.
    #[error("{path} line {line} (id '{id}'): column '{column}' is '{value}', not a finite number")]
    NotANumber {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// The id of the record.
        id: String,
        /// The column name.
        column: &'static str,
        /// The text found.
        value: String,
    },
    /// A point has a non-finite coordinate or a negative or non-finite weight. Fix the value.
    #[error("{place} (id '{id}'): {what}")]
    BadPoint {
        /// Where the point came from: "demand.csv line 7" or "demand point 6".
        place: String,
        /// The id of the point.
        id: String,
        /// What is wrong, e.g. "weight -1 is negative".
        what: String,
    },
    /// Two points of the same kind share an id. Fix: make ids unique.
    #[error("{place}: duplicate {kind} id '{id}' (first seen at {first})")]
    DuplicateId {
        /// Where the second occurrence is.
        place: String,
        /// "demand" or "candidate".
        kind: &'static str,
        /// The repeated id.
        id: String,
        /// Where the first occurrence is.
        first: String,
    },
    /// A file or slice holds no points. Fix: give at least one demand point and one candidate.
    #[error("{place}: no {kind} points")]
    Empty {
        /// The file or "demand points" / "candidates".
        place: String,
        /// "demand" or "candidate".
        kind: &'static str,
    },
    /// The coverage radius is negative or not finite. Fix: give a radius in metres >= 0.
    #[error("radius {radius_m} m is not a length >= 0")]
    BadRadius {
        /// The radius given, in metres.
        radius_m: f64,
    },
    /// Some demand points lie farther than the radius from every candidate, so full coverage is impossible.
    /// Fix: add candidates near them, drop them, or enlarge the radius.
    #[error(
        "{count} demand point(s) within {radius_m} m of no candidate, so no choice of sites covers them: {list}"
    )]
    Uncoverable {
        /// How many points are uncoverable.
        count: usize,
        /// The radius, in metres.
        radius_m: f64,
        /// The first few, as "id 'x' (demand.csv line 7)".
        list: String,
    },
    /// The MCLP budget is zero or exceeds the number of candidates. Fix: choose 1 <= p <= candidates.
    #[error("p = {p} sites is not between 1 and the {candidates} candidates")]
    BadBudget {
        /// The budget asked for.
        p: usize,
        /// The number of candidates.
        candidates: usize,
    },
    /// A component of the reduced problem has more demand points than the dense LP solver keeps a basis for.
    /// Fix: split the region, or use `solve_lscp`, which bounds such components by the Lagrangian dual.
    #[error(
        "a component of {rows} demand points (after reductions) is larger than the {limit} the LP relaxation is solved for"
    )]
    TooLargeForLp {
        /// Demand points of the component.
        rows: usize,
        /// The largest size solved.
        limit: usize,
    },
}
