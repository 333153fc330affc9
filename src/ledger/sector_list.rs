//! Reading a sector list (CSV) into firing sectors (安全射界) for `wxmod ledger sector --import`.
//!
//! Format: a header row with `site`, `azimuth_from` and `azimuth_to` and optionally
//! `elevation_min`, `elevation_max` (any order, any case, a UTF-8 BOM allowed); one row per
//! allowed azimuth range in degrees clockwise from north, 0-360 (`300,40` crosses north;
//! equal ends are the full circle). Rows of one site add up to its allowed azimuths; an
//! elevation left empty is the threshold in force (`elevation_min_deg`, `elevation_max_deg`).
//! The whole file is read and EVERY bad line is reported (its number, its text, what is
//! wrong) before anything is recorded. Cost: one pass, memory proportional to the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::records::{AzimuthRange, FiringSector};
use super::thresholds::Thresholds;

/// One bad line of a sector list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// Line number, from 1.
    pub line: u64,
    /// The line's fields, as read (joined by commas).
    pub text: String,
    /// What is wrong with it (every problem of the line).
    pub problems: Vec<String>,
}

/// A sector list that cannot be read; nothing was recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SectorListError {
    /// The file cannot be opened or its header read.
    #[error("cannot read {}: {why}", file.display())]
    Unreadable {
        /// The file.
        file: PathBuf,
        /// Why.
        why: String,
    },
    /// The header row lacks a required column.
    #[error("{}: the header row needs site, azimuth_from and azimuth_to", file.display())]
    Header {
        /// The file.
        file: PathBuf,
    },
    /// Some lines are bad: all of them are listed.
    #[error("{}: {} bad line(s): {}", file.display(), lines.len(), lines.iter().map(|l| format!("line {} '{}': {}", l.line, l.text, l.problems.join(", "))).collect::<Vec<_>>().join("; "))]
    BadLines {
        /// The file.
        file: PathBuf,
        /// Every bad line, in file order.
        lines: Vec<BadLine>,
    },
}

impl FiringSector {
    /// A sector of `site` with these azimuths; elevations not given are the thresholds'.
    pub fn with_thresholds(
        site: String,
        azimuths: Vec<AzimuthRange>,
        elevation_deg: Option<(f64, f64)>,
        thresholds: &Thresholds,
    ) -> FiringSector {
        let (lo, hi) =
            elevation_deg.unwrap_or((thresholds.elevation_min_deg, thresholds.elevation_max_deg));
        FiringSector {
            site,
            azimuths,
            elevation_min_deg: lo,
            elevation_max_deg: hi,
        }
    }
}

/// Reads a sector list: one sector per site, in site order.
///
/// # Examples
/// ```
/// use wxmod::ledger::{read_sector_list, SectorListError, Thresholds};
/// let dir = tempfile::tempdir().unwrap();
/// let file = dir.path().join("sectors.csv");
/// std::fs::write(&file, "site,azimuth_from,azimuth_to\nS1,300,40\nS1,x,90\nS2,10,400\n").unwrap();
/// let Err(SectorListError::BadLines { lines, .. }) = read_sector_list(&file, &Thresholds::default()) else { panic!() };
/// assert_eq!(lines.iter().map(|l| l.line).collect::<Vec<_>>(), [3, 4]);
/// ```
pub fn read_sector_list(
    file: &Path,
    thresholds: &Thresholds,
) -> Result<Vec<FiringSector>, SectorListError> {
    let unreadable = |why: String| SectorListError::Unreadable {
        file: file.to_path_buf(),
        why,
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_path(file)
        .map_err(|e| unreadable(e.to_string()))?;
    let headers = reader
        .headers()
        .map_err(|e| unreadable(e.to_string()))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
    };
    let (Some(site), Some(from), Some(to)) = (col("site"), col("azimuth_from"), col("azimuth_to"))
    else {
        return Err(SectorListError::Header {
            file: file.to_path_buf(),
        });
    };
    let (lo, hi) = (col("elevation_min"), col("elevation_max"));
    let mut sectors: BTreeMap<String, FiringSector> = BTreeMap::new();
    let mut bad = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                bad.push(BadLine {
                    line: e.position().map_or(index as u64 + 2, |p| p.line()),
                    text: String::new(),
                    problems: vec![e.to_string()],
                });
                continue;
            }
        };
        let line = record.position().map_or(index as u64 + 2, |p| p.line());
        let mut problems = Vec::new();
        let field = |i: Option<usize>| i.and_then(|i| record.get(i)).filter(|v| !v.is_empty());
        let mut number = |i: Option<usize>, what: &str, range: std::ops::RangeInclusive<f64>| {
            let v = field(i)?;
            match v.parse::<f64>() {
                Ok(x) if range.contains(&x) => Some(x),
                Ok(_) => {
                    problems.push(format!(
                        "{what} {v} is outside {}-{} degrees",
                        range.start(),
                        range.end()
                    ));
                    None
                }
                Err(_) => {
                    problems.push(format!("{what} '{v}' is not a number"));
                    None
                }
            }
        };
        let azimuth_from = number(Some(from), "azimuth_from", 0.0..=360.0);
        let azimuth_to = number(Some(to), "azimuth_to", 0.0..=360.0);
        let elevation_min = number(lo, "elevation_min", -90.0..=90.0);
        let elevation_max = number(hi, "elevation_max", -90.0..=90.0);
        let id = field(Some(site));
        if id.is_none() {
            problems.push("the site is empty".into());
        }
        for (value, column) in [(azimuth_from, from), (azimuth_to, to)] {
            let name = headers.get(column).unwrap_or("azimuth");
            if value.is_none() && field(Some(column)).is_none() {
                problems.push(format!("{name} is empty"));
            }
        }
        let (Some(id), Some(a), Some(b), true) =
            (id, azimuth_from, azimuth_to, problems.is_empty())
        else {
            bad.push(BadLine {
                line,
                text: record.iter().collect::<Vec<_>>().join(","),
                problems,
            });
            continue;
        };
        let entry = sectors.entry(id.to_string()).or_insert_with(|| {
            FiringSector::with_thresholds(id.to_string(), Vec::new(), None, thresholds)
        });
        entry.azimuths.push(AzimuthRange {
            from_deg: a % 360.0,
            to_deg: b % 360.0,
        });
        if let Some(v) = elevation_min {
            entry.elevation_min_deg = v;
        }
        if let Some(v) = elevation_max {
            entry.elevation_max_deg = v;
        }
    }
    if !bad.is_empty() {
        return Err(SectorListError::BadLines {
            file: file.to_path_buf(),
            lines: bad,
        });
    }
    Ok(sectors.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<FiringSector>, SectorListError> {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("s.csv");
        std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
        read_sector_list(&file, &Thresholds::default())
    }

    #[test]
    fn rows_of_one_site_add_up_and_elevations_default_to_the_thresholds() {
        let t = Thresholds::default();
        let sectors = read(
            "\u{feff}Site,Azimuth_From,azimuth_to,elevation_min\nS2,10,20,\nS1,300,40,50\nS1,90,360,\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(sectors.len(), 2);
        assert_eq!(sectors[0].site, "S1");
        assert_eq!(sectors[0].azimuths.len(), 2);
        assert_eq!(sectors[0].azimuths[1].to_deg, 0.0, "360 is north");
        assert_eq!(sectors[0].elevation_min_deg, 50.0);
        assert_eq!(sectors[0].elevation_max_deg, t.elevation_max_deg);
        assert_eq!(sectors[1].elevation_min_deg, t.elevation_min_deg);
    }

    #[test]
    fn every_bad_line_is_listed_with_its_text_and_problems() {
        let err = read("site,azimuth_from,azimuth_to\nS1,10,20\n,abc,\nS2,361,20\nS3,5,6\nS4,1\n")
            .expect_err("bad lines");
        let SectorListError::BadLines { lines, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(lines.len(), 3, "{err}");
        assert_eq!(lines[0].line, 3);
        assert_eq!(lines[0].text, ",abc,");
        assert_eq!(
            lines[0].problems,
            [
                "azimuth_from 'abc' is not a number",
                "the site is empty",
                "azimuth_to is empty"
            ]
        );
        assert_eq!(lines[1].line, 4);
        assert_eq!(
            lines[1].problems,
            ["azimuth_from 361 is outside 0-360 degrees"]
        );
        assert_eq!((lines[2].line, lines[2].text.as_str()), (6, "S4,1"));
        let text = err.to_string();
        assert!(
            text.contains("3 bad line(s)") && text.contains("line 6 'S4,1': azimuth_to is empty"),
            "{text}"
        );
    }

    #[test]
    fn a_missing_column_is_one_error() {
        assert!(matches!(
            read("site,from,to\nS1,1,2\n"),
            Err(SectorListError::Header { .. })
        ));
    }
}
