//! `wxmod budget`: the annual equipment budget (年度装备经费预算) of a plan, per county and year,
//! line by line, as Markdown, CSV, an .xlsx workbook and a chart.
//!
//! The costing itself is [`crate::budget`]; this job opens the ledger when one is given (its
//! use history and stock replace the catalog's allowances), sets the years and gathers the
//! files and the headline figures.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::budget::{Budget, BudgetError, Category, DEFAULT_THROUGH, Horizon, budget_of_plan};
use crate::ledger::{Ledger, LedgerError};
use crate::project::Project;
use crate::report::budget::{BudgetReportError, budget_files, wan_text, yuan_text};
use crate::sites::Site;
use crate::units::Yuan;

use super::Outcome;
use super::limits::{self, LimitError};

/// Which years to cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetYears {
    /// The first budget year (stock is counted from it; missing policy items are bought in it).
    pub start: i32,
    /// One year only.
    pub year: Option<i32>,
    /// Every year from `start` up to this one (default [`DEFAULT_THROUGH`], or `start`).
    pub through: Option<i32>,
}

impl BudgetYears {
    /// The years of `--start-year`, `--year` and `--through`; without a start year the budget
    /// starts next calendar year (a budget is drawn up the year before it is spent).
    pub fn from_flags(start: Option<i32>, year: Option<i32>, through: Option<i32>) -> BudgetYears {
        use chrono::Datelike;
        BudgetYears {
            start: start.unwrap_or_else(|| chrono::Local::now().year() + 1),
            year,
            through,
        }
    }

    /// The horizon these years describe; `--year` and `--through` together are refused.
    pub fn horizon(&self) -> Result<Horizon, BudgetJobError> {
        let start = limits::YEAR.check_year("--start-year", self.start)?;
        if let Some(y) = self.year {
            limits::YEAR.check_year("--year", y)?;
        }
        if let Some(t) = self.through {
            limits::YEAR.check_year("--through", t)?;
        }
        let horizon = match (self.year, self.through) {
            (Some(year), Some(through)) => {
                return Err(BudgetJobError::YearAndThrough { year, through });
            }
            (Some(y), None) => Horizon::new(start, y, y),
            (None, Some(t)) => Horizon::new(start, start, t),
            (None, None) => Horizon::new(start, start, DEFAULT_THROUGH.max(start)),
        };
        Ok(horizon?)
    }
}

/// How to cost the plan.
#[derive(Debug, Clone)]
pub struct BudgetOptions {
    /// The years.
    pub years: BudgetYears,
    /// The ammunition ledger (SQLite) whose history and stock the forecast uses.
    pub ledger: Option<PathBuf>,
}

/// A budget that cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum BudgetJobError {
    /// Both a single year and a last year were given.
    #[error(
        "--year {year} and --through {through} cannot be used together: give --year for one year or --through for every year up to it"
    )]
    YearAndThrough {
        /// The single year.
        year: i32,
        /// The last year.
        through: i32,
    },
    /// The ledger could not be opened.
    #[error("cannot open the ledger {path}: {source}")]
    Ledger {
        /// The database file.
        path: PathBuf,
        /// Why.
        source: LedgerError,
    },
    /// The plan could not be costed.
    #[error("cannot budget the plan {plan}: {source}")]
    Budget {
        /// The plan file (or "the plan").
        plan: String,
        /// Why.
        source: BudgetError,
    },
    /// A year out of range.
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// The years are not a valid horizon.
    #[error(transparent)]
    Horizon(#[from] BudgetError),
    /// A budget file could not be made.
    #[error(transparent)]
    Report(#[from] BudgetReportError),
}

/// The ledger at `path`; a missing or unreadable file is an error naming it.
pub fn open_ledger(path: &Path) -> Result<Ledger, BudgetJobError> {
    Ledger::open_read_only(path).map_err(|source| BudgetJobError::Ledger {
        path: path.to_path_buf(),
        source,
    })
}

/// One year's totals.
#[derive(Debug, Clone, Serialize)]
pub struct YearFigures {
    /// The year.
    pub year: i32,
    /// Capacity building (能力建设), yuan.
    pub capacity_yuan: f64,
    /// Operations (作业运行), yuan.
    pub operations_yuan: f64,
    /// Upkeep (运行维护), yuan.
    pub upkeep_yuan: f64,
    /// The year's total, yuan.
    pub total_yuan: f64,
    /// The same in fen, for exact display.
    #[serde(skip)]
    pub by_category: Vec<(Category, Yuan)>,
    /// The total in fen.
    #[serde(skip)]
    pub total: Yuan,
}

/// One county's total.
#[derive(Debug, Clone, Serialize)]
pub struct CountyFigures {
    /// County id (`None`: the city level).
    pub county: Option<String>,
    /// Its name.
    pub name: String,
    /// Total over the years, yuan.
    pub total_yuan: f64,
}

/// What `wxmod budget` reports.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetSummary {
    /// The region's name.
    #[serde(skip)]
    pub region: String,
    /// The years.
    pub horizon: Horizon,
    /// The total, yuan.
    pub total_yuan: f64,
    /// Per year.
    pub years: Vec<YearFigures>,
    /// Per county.
    pub counties: Vec<CountyFigures>,
    /// Budget lines.
    pub lines: usize,
    /// Lines with an assumed [A] unit price.
    pub assumed_price_lines: usize,
    /// Where ammunition use and stock came from.
    pub basis: String,
    /// Things a reader must know.
    pub notes: Vec<String>,
    /// The total in fen.
    #[serde(skip)]
    pub total: Yuan,
}

impl BudgetSummary {
    /// The headline figures of a budget.
    pub fn of(budget: &Budget, region: &str) -> BudgetSummary {
        BudgetSummary {
            region: region.to_string(),
            horizon: budget.horizon,
            total_yuan: budget.total().yuan(),
            years: budget
                .by_year()
                .iter()
                .map(|y| {
                    let by_category: Vec<(Category, Yuan)> =
                        Category::ALL.into_iter().zip(y.by_category).collect();
                    let of = |c: Category| {
                        by_category
                            .iter()
                            .find(|(k, _)| *k == c)
                            .map_or(0.0, |(_, v)| v.yuan())
                    };
                    YearFigures {
                        year: y.year,
                        capacity_yuan: of(Category::Capacity),
                        operations_yuan: of(Category::Operations),
                        upkeep_yuan: of(Category::Upkeep),
                        total_yuan: y.total.yuan(),
                        by_category,
                        total: y.total,
                    }
                })
                .collect(),
            counties: budget
                .by_county()
                .iter()
                .map(|c| CountyFigures {
                    county: c.county.clone(),
                    name: c.name.clone(),
                    total_yuan: c.total.yuan(),
                })
                .collect(),
            lines: budget.lines.len(),
            assumed_price_lines: budget.lines.iter().filter(|l| l.assumed).count(),
            basis: budget.basis.clone(),
            notes: budget.notes.clone(),
            total: budget.total(),
        }
    }

    /// "2027–2035" or "2027".
    pub fn years_text(&self) -> String {
        if self.horizon.from == self.horizon.through {
            self.horizon.from.to_string()
        } else {
            format!("{}–{}", self.horizon.from, self.horizon.through)
        }
    }
}

impl fmt::Display for BudgetSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: equipment budget {}, {} lines, {} 万元 ({} 元)",
            self.region,
            self.years_text(),
            self.lines,
            wan_text(self.total),
            yuan_text(self.total)
        )?;
        writeln!(
            f,
            "  year   capacity  operations    upkeep     total  (万元)"
        )?;
        for y in &self.years {
            let cell = |c: Category| {
                y.by_category
                    .iter()
                    .find(|(k, _)| *k == c)
                    .map_or_else(String::new, |(_, v)| wan_text(*v))
            };
            writeln!(
                f,
                "  {}  {:>9}  {:>10}  {:>8}  {:>8}",
                y.year,
                cell(Category::Capacity),
                cell(Category::Operations),
                cell(Category::Upkeep),
                wan_text(y.total)
            )?;
        }
        if self.assumed_price_lines > 0 {
            writeln!(
                f,
                "{} of {} lines use an assumed [A] unit price; see the assumptions in the report",
                self.assumed_price_lines, self.lines
            )?;
        }
        for n in &self.notes {
            writeln!(f, "note: {n}")?;
        }
        Ok(())
    }
}

/// The budget of `sites` over `horizon`, with its files titled `title`.
pub fn budget_of_sites(
    project: &Project,
    sites: &[Site],
    ledger: Option<&Ledger>,
    horizon: Horizon,
    title: &str,
) -> Result<(Budget, Outcome<BudgetSummary>), BudgetJobError> {
    let region = &project.region;
    let plan = project
        .sites_file
        .as_ref()
        .map_or_else(|| "the plan".to_string(), |p| p.display().to_string());
    let costed = budget_of_plan(region, sites, &project.catalog, ledger, horizon)
        .map_err(|source| BudgetJobError::Budget { plan, source })?;
    let files = budget_files(&costed, title, &region.name)?;
    let summary = BudgetSummary::of(&costed, &region.name);
    Ok((costed, Outcome { files, summary }))
}

/// The budget of the project's network (the plan file).
pub fn budget(
    project: &Project,
    options: &BudgetOptions,
) -> Result<Outcome<BudgetSummary>, BudgetJobError> {
    let horizon = options.years.horizon()?;
    let ledger = options.ledger.as_deref().map(open_ledger).transpose()?;
    let title = match &project.sites_file {
        Some(path) => format!("{} ({})", project.region.name, path.display()),
        None => project.region.name.clone(),
    };
    budget_of_sites(project, &project.sites, ledger.as_ref(), horizon, &title)
        .map(|(_, outcome)| outcome)
}
