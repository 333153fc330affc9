//! The annual equipment budget (年度装备经费预算): what the plan, the catalog and the ledger
//! cost per county and year, line by line, grouped as the city policy groups the money
//! (朔政办发〔2022〕29号 clause 16; DOMAIN.md §5).
//!
//! [`budget`] is a pure function: plan sites + [`Catalog`] + optional [`LedgerFacts`] +
//! [`Horizon`] → [`Budget`]. Money is [`Yuan`] (exact fen); every line is quantity × unit price
//! of one catalog number, so a line's amount is exact and totals are sums of lines.
//!
//! **Capacity building (能力建设)**, in the year a site is planned (status `planned`, its
//! `year` within the reported years):
//! - the site or system itself (`kinds.<kind>.site_cost_yuan`): standardized fixed sites,
//!   burners, vehicle-mounted systems, AWS, radar;
//! - its launchers (`kinds.<kind>.launchers` × `items.rocket_launcher`) and safes
//!   (`kinds.<kind>.safes` × `items.ammunition_safe`);
//! - the policy items the plan lacks, in the first budget year: a six-element AWS for each
//!   county with none (existing or planned), the X-band radar when the city has none.
//!
//! **Operations (作业运行)**, each year for each operating site ([`Site::operating_in`]):
//! ammunition purchases from the forecast (the `ammunition` module); duty allowance and insurance for
//! `crew` operators per site.
//!
//! **Upkeep (运行维护)**, each year for each operating site: `upkeep_yuan_per_year`; the annual
//! inspection (年检) of each launcher or gun; renewal of the site or system, its launchers and
//! its safes every service life after the year it was built (`year` of the site; sites without
//! a year are listed in the notes).
//!
//! Launchers per site: the site file's optional `launchers` column, else the catalog's
//! `launchers`. Inspected units: the launchers; a gun site or vehicle-mounted system with none
//! counted has one (its gun, the vehicle's launcher) \[I\]; on a gun site the `launchers` column
//! counts guns, which are inspected but never bought or renewed (no new guns \[I\]).
//!
//! Lines priced 0 in the catalog are left out and named in the notes. The work is linear in
//! sites × years; the Shuozhou plan (200 sites, 9 years) takes milliseconds.

mod ammunition;
mod facts;
mod from_ledger;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;

pub use ammunition::AmmoRow;
pub use facts::{LedgerFacts, StockLot, UseHistory};
pub use from_ledger::{HistoryWindow, budget_of_plan, facts_from_ledger};

use crate::catalog::Catalog;
use crate::region::Region;
use crate::sites::{Site, SiteKind, SiteStatus};
use crate::units::Yuan;

/// The catalog item bought with new rocket sites.
pub const LAUNCHER_ITEM: &str = "rocket_launcher";
/// The catalog item bought with new sites that store ammunition.
pub const SAFE_ITEM: &str = "ammunition_safe";
/// The last year of the default horizon: the policy's 2035 goal (clause 2).
pub const DEFAULT_THROUGH: i32 = 2035;

/// A county as the budget names it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CountyRef {
    /// County id (adcode).
    pub id: String,
    /// County name.
    pub name: String,
}

impl CountyRef {
    /// The counties of a region, in region order.
    pub fn of_region(region: &Region) -> Vec<CountyRef> {
        region
            .counties
            .iter()
            .map(|c| CountyRef {
                id: c.id.clone(),
                name: c.name.clone(),
            })
            .collect()
    }
}

/// The years of a budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Horizon {
    /// The first budget year (normally next year): stock is counted from here, and the policy
    /// items the plan lacks are bought in it.
    pub start: i32,
    /// The first reported year (>= `start`).
    pub from: i32,
    /// The last reported year.
    pub through: i32,
}

impl Horizon {
    /// Years `from..=through` of a budget starting in `start`; refuses a reversed range, a
    /// range before `start`, or more than 100 years.
    ///
    /// # Examples
    /// ```
    /// use wxmod::budget::Horizon;
    /// let h = Horizon::new(2027, 2027, 2035).unwrap();
    /// assert_eq!(h.years().count(), 9);
    /// assert!(Horizon::new(2027, 2026, 2030).is_err());
    /// ```
    pub fn new(start: i32, from: i32, through: i32) -> Result<Horizon, BudgetError> {
        if from < start {
            return Err(BudgetError::Horizon(format!(
                "year {from} is before the first budget year {start}"
            )));
        }
        if through < from {
            return Err(BudgetError::Horizon(format!(
                "the horizon ends in {through}, before its first year {from}"
            )));
        }
        if through - start > 100 {
            return Err(BudgetError::Horizon(format!(
                "the horizon {start}–{through} is longer than 100 years"
            )));
        }
        Ok(Horizon {
            start,
            from,
            through,
        })
    }

    /// The reported years.
    pub fn years(&self) -> RangeInclusive<i32> {
        self.from..=self.through
    }
}

/// How the policy groups budget money (clause 16).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// New sites, systems, launchers, safes, AWS, radar (能力建设).
    Capacity,
    /// Ammunition, operator allowances and insurance (作业运行).
    Operations,
    /// Yearly upkeep, inspections, renewals at end of service life (运行维护).
    Upkeep,
}

impl Category {
    /// All categories, in report order.
    pub const ALL: [Category; 3] = [Category::Capacity, Category::Operations, Category::Upkeep];

    /// Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Category::Capacity => "能力建设",
            Category::Operations => "作业运行",
            Category::Upkeep => "运行维护",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Category::Capacity => "Capacity building",
            Category::Operations => "Operations",
            Category::Upkeep => "Upkeep",
        }
    }

    /// Both names, `中文 / English`.
    pub fn label(self) -> String {
        format!("{} / {}", self.zh(), self.en())
    }
}

/// What a line buys.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case", tag = "item", content = "of")]
pub enum LineItem {
    /// A new site or system of a kind.
    NewSite(SiteKind),
    /// Launchers bought with new sites.
    Launcher,
    /// Ammunition safes bought with new sites.
    Safe,
    /// Ammunition of a catalog item (`rocket`, `shell_37mm`, `flare`).
    Ammunition(String),
    /// Operator duty allowance.
    DutyAllowance,
    /// Operator accident and third-party insurance.
    Insurance,
    /// Yearly upkeep of the sites of a kind.
    Upkeep(SiteKind),
    /// Annual inspection of launchers and guns.
    Inspection,
    /// Renewal of a site or system at the end of its service life.
    Renewal(SiteKind),
    /// Replacement of launchers at the end of their service life.
    LauncherRenewal,
    /// Replacement of safes at the end of their service life.
    SafeRenewal,
}

impl LineItem {
    /// The budget category.
    pub fn category(&self) -> Category {
        match self {
            LineItem::NewSite(_) | LineItem::Launcher | LineItem::Safe => Category::Capacity,
            LineItem::Ammunition(_) | LineItem::DutyAllowance | LineItem::Insurance => {
                Category::Operations
            }
            LineItem::Upkeep(_)
            | LineItem::Inspection
            | LineItem::Renewal(_)
            | LineItem::LauncherRenewal
            | LineItem::SafeRenewal => Category::Upkeep,
        }
    }

    /// A stable machine key, e.g. `new_site:burner`, `ammunition:rocket`, `inspection`.
    pub fn key(&self) -> String {
        match self {
            LineItem::NewSite(k) => format!("new_site:{k}"),
            LineItem::Launcher => "launcher".into(),
            LineItem::Safe => "safe".into(),
            LineItem::Ammunition(i) => format!("ammunition:{i}"),
            LineItem::DutyAllowance => "duty_allowance".into(),
            LineItem::Insurance => "insurance".into(),
            LineItem::Upkeep(k) => format!("upkeep:{k}"),
            LineItem::Inspection => "inspection".into(),
            LineItem::Renewal(k) => format!("renewal:{k}"),
            LineItem::LauncherRenewal => "launcher_renewal".into(),
            LineItem::SafeRenewal => "safe_renewal".into(),
        }
    }

    /// The dotted catalog key of its unit price.
    pub fn price_key(&self) -> String {
        match self {
            LineItem::NewSite(k) | LineItem::Renewal(k) => format!("kinds.{k}.site_cost_yuan"),
            LineItem::Launcher | LineItem::LauncherRenewal => {
                format!("items.{LAUNCHER_ITEM}.unit_cost_yuan")
            }
            LineItem::Safe | LineItem::SafeRenewal => format!("items.{SAFE_ITEM}.unit_cost_yuan"),
            LineItem::Ammunition(i) => format!("items.{i}.unit_cost_yuan"),
            LineItem::DutyAllowance => "recurring.duty_allowance_yuan_per_person_year".into(),
            LineItem::Insurance => "recurring.insurance_yuan_per_person_year".into(),
            LineItem::Upkeep(k) => format!("kinds.{k}.upkeep_yuan_per_year"),
            LineItem::Inspection => "recurring.inspection_yuan_per_unit_year".into(),
        }
    }

    /// The unit price in the catalog, yuan (`None`: the catalog lacks the entry).
    fn price_yuan(&self, catalog: &Catalog) -> Option<i64> {
        let item = |name: &str| catalog.items.get(name).map(|i| i.unit_cost_yuan);
        let r = &catalog.recurring;
        match self {
            LineItem::NewSite(k) | LineItem::Renewal(k) => {
                catalog.kind(*k).map(|s| s.site_cost_yuan)
            }
            LineItem::Launcher | LineItem::LauncherRenewal => item(LAUNCHER_ITEM),
            LineItem::Safe | LineItem::SafeRenewal => item(SAFE_ITEM),
            LineItem::Ammunition(i) => item(i),
            LineItem::DutyAllowance => Some(r.duty_allowance_yuan_per_person_year),
            LineItem::Insurance => Some(r.insurance_yuan_per_person_year),
            LineItem::Upkeep(k) => catalog.kind(*k).map(|s| s.upkeep_yuan_per_year),
            LineItem::Inspection => Some(r.inspection_yuan_per_unit_year),
        }
    }

    /// Chinese and English names.
    fn names(&self, catalog: &Catalog) -> (String, String) {
        let kind_zh = |k: &SiteKind| {
            catalog
                .kind(*k)
                .map_or_else(|| k.chinese().to_string(), |s| s.name_zh.clone())
        };
        let item_zh = |name: &str, fallback: &str| {
            catalog
                .items
                .get(name)
                .map_or_else(|| fallback.to_string(), |i| i.name_zh.clone())
        };
        match self {
            LineItem::NewSite(k) => {
                let verb = if *k == SiteKind::MobileRocketBase {
                    "购置"
                } else {
                    "新建"
                };
                (
                    format!("{verb}{}", kind_zh(k)),
                    format!("New {}", kind_en(*k)),
                )
            }
            LineItem::Launcher => (
                item_zh(LAUNCHER_ITEM, "火箭发射装置"),
                "Rocket launchers for new sites".into(),
            ),
            LineItem::Safe => (
                item_zh(SAFE_ITEM, "弹药保险柜"),
                "Ammunition safes for new sites".into(),
            ),
            LineItem::Ammunition(i) => (item_zh(i, i), ammunition_en(i)),
            LineItem::DutyAllowance => {
                ("作业人员值班补贴".into(), "Operator duty allowance".into())
            }
            LineItem::Insurance => (
                "作业人员意外及第三者责任保险".into(),
                "Operator accident and third-party insurance".into(),
            ),
            LineItem::Upkeep(k) => (
                format!("{}运行维护", kind_zh(k)),
                format!("Upkeep of {}s", kind_en(*k)),
            ),
            LineItem::Inspection => (
                "高炮、火箭发射装置年检".into(),
                "Annual inspection of guns and launchers".into(),
            ),
            LineItem::Renewal(k) => (
                format!("{}到期更新", kind_zh(k)),
                format!("Renewal of {}s at end of service life", kind_en(*k)),
            ),
            LineItem::LauncherRenewal => (
                format!("{}到期更换", item_zh(LAUNCHER_ITEM, "火箭发射装置")),
                "Launcher replacement at end of service life".into(),
            ),
            LineItem::SafeRenewal => (
                format!("{}到期更换", item_zh(SAFE_ITEM, "弹药保险柜")),
                "Safe replacement at end of service life".into(),
            ),
        }
    }

    /// The unit: Chinese, English.
    pub fn unit(&self) -> (&'static str, &'static str) {
        match self {
            LineItem::NewSite(SiteKind::MobileRocketBase)
            | LineItem::Renewal(SiteKind::MobileRocketBase) => ("套", "set"),
            LineItem::NewSite(_) | LineItem::Renewal(_) => ("个", "site"),
            LineItem::Launcher | LineItem::LauncherRenewal => ("套", "set"),
            LineItem::Safe | LineItem::SafeRenewal => ("个", "unit"),
            LineItem::Ammunition(i) if i == "flare" => ("根", "flare"),
            LineItem::Ammunition(i) if i.starts_with("shell") => ("发", "round"),
            LineItem::Ammunition(_) => ("枚", "round"),
            LineItem::DutyAllowance | LineItem::Insurance => ("人·年", "person-year"),
            LineItem::Upkeep(_) => ("站·年", "site-year"),
            LineItem::Inspection => ("台·年", "unit-year"),
        }
    }
}

/// English name of a site kind, singular.
pub fn kind_en(kind: SiteKind) -> &'static str {
    match kind {
        SiteKind::FixedRocket => "standardized fixed rocket site",
        SiteKind::FixedGun => "fixed gun site",
        SiteKind::Burner => "remote ground burner",
        SiteKind::MobileRocketBase => "vehicle-mounted rocket system",
        SiteKind::Aws => "six-element AWS",
        SiteKind::Radar => "X-band weather radar",
    }
}

fn ammunition_en(item: &str) -> String {
    match item {
        "rocket" => "Seeding rockets".into(),
        "shell_37mm" => "37 mm seeding shells".into(),
        "flare" => "AgI flares".into(),
        other => format!("Ammunition: {other}"),
    }
}

/// One budget line: a quantity of one priced item for one county (or the city) and year.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BudgetLine {
    /// Budget year.
    pub year: i32,
    /// County id; `None` for the city level (the radar).
    pub county: Option<String>,
    /// Policy category.
    pub category: Category,
    /// What is bought.
    pub item: LineItem,
    /// Chinese name of the item.
    pub item_zh: String,
    /// English name of the item.
    pub item_en: String,
    /// How many units.
    pub quantity: i64,
    /// Unit, Chinese.
    pub unit_zh: &'static str,
    /// Unit, English.
    pub unit_en: &'static str,
    /// Price of one unit.
    pub unit_price: Yuan,
    /// `quantity × unit_price`.
    pub amount: Yuan,
    /// The catalog key of the unit price.
    pub price_key: String,
    /// The price's source tag from the catalog (empty when untagged).
    pub price_source: String,
    /// Whether the price is an assumed default \[A\] to check.
    pub assumed: bool,
    /// Which sites and why.
    pub explanation: String,
}

/// An assumed (\[A\]) catalog number the budget depends on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Assumption {
    /// Dotted catalog key.
    pub key: String,
    /// Its value as written in the catalog.
    pub value: String,
    /// Its source note.
    pub source: String,
}

/// Totals of one year.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct YearTotals {
    /// The year.
    pub year: i32,
    /// Per category, in [`Category::ALL`] order.
    pub by_category: [Yuan; 3],
    /// The year's total.
    pub total: Yuan,
}

/// Totals of one county (or the city level) per reported year.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CountyTotals {
    /// County id; `None` for the city level.
    pub county: Option<String>,
    /// Display name.
    pub name: String,
    /// Per reported year, in order.
    pub by_year: Vec<Yuan>,
    /// Over all reported years.
    pub total: Yuan,
}

/// The budget.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Budget {
    /// The years.
    pub horizon: Horizon,
    /// The counties, in region order.
    pub counties: Vec<CountyRef>,
    /// Every line, by year, county (city level last), category and item.
    pub lines: Vec<BudgetLine>,
    /// The ammunition forecast rows of the reported years.
    pub ammunition: Vec<AmmoRow>,
    /// Assumed catalog numbers the budget used.
    pub assumptions: Vec<Assumption>,
    /// Where ammunition use and stock came from.
    pub basis: String,
    /// Things a reader must know (sites without a year, items left out ...).
    pub notes: Vec<String>,
}

impl Budget {
    /// The sum of all lines.
    pub fn total(&self) -> Yuan {
        self.lines.iter().map(|l| l.amount).sum()
    }

    /// The sum of the lines that match.
    pub fn total_where(&self, keep: impl Fn(&BudgetLine) -> bool) -> Yuan {
        self.lines
            .iter()
            .filter(|l| keep(l))
            .map(|l| l.amount)
            .sum()
    }

    /// Totals per reported year and category.
    pub fn by_year(&self) -> Vec<YearTotals> {
        self.horizon
            .years()
            .map(|year| {
                let by_category =
                    Category::ALL.map(|c| self.total_where(|l| l.year == year && l.category == c));
                YearTotals {
                    year,
                    by_category,
                    total: by_category.into_iter().sum(),
                }
            })
            .collect()
    }

    /// Totals per county (then the city level, when it has lines) and reported year.
    pub fn by_county(&self) -> Vec<CountyTotals> {
        let mut rows: Vec<Option<&str>> =
            self.counties.iter().map(|c| Some(c.id.as_str())).collect();
        if self.lines.iter().any(|l| l.county.is_none()) {
            rows.push(None);
        }
        rows.into_iter()
            .map(|county| {
                let by_year: Vec<Yuan> = self
                    .horizon
                    .years()
                    .map(|y| self.total_where(|l| l.year == y && l.county.as_deref() == county))
                    .collect();
                CountyTotals {
                    county: county.map(str::to_string),
                    name: self.county_name(county),
                    total: by_year.iter().copied().sum(),
                    by_year,
                }
            })
            .collect()
    }

    /// `name id` of a county, or `市级 City` for `None`.
    pub fn county_name(&self, county: Option<&str>) -> String {
        match county {
            None => "市级 City".to_string(),
            Some(id) => self
                .counties
                .iter()
                .find(|c| c.id == id)
                .map_or_else(|| id.to_string(), |c| format!("{} {}", c.name, c.id)),
        }
    }
}

/// What the budget reads.
pub struct BudgetInputs<'a> {
    /// The plan: existing sites and planned ones with their year (a site file written by
    /// `wxmod plan`), each with its county.
    pub sites: &'a [Site],
    /// The counties of the region.
    pub counties: &'a [CountyRef],
    /// The catalog.
    pub catalog: &'a Catalog,
    /// Consumption history and stock from the ledger; without it the catalog's allowances
    /// stand in for history and no stock is counted.
    pub ledger: Option<&'a LedgerFacts>,
    /// The years.
    pub horizon: Horizon,
}

/// A budget that cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum BudgetError {
    /// The years are wrong; fix `--year`, `--through` or the start year.
    #[error("{0}")]
    Horizon(String),
    /// Sites of the plan cannot be costed; every problem is listed.
    #[error("{} in the plan:\n{}", count(problems.len()), problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Plan {
        /// Each problem, naming the site.
        problems: Vec<String>,
    },
    /// The catalog lacks an entry or has a negative price.
    #[error("catalog {path}: {reason}")]
    Catalog {
        /// The catalog file.
        path: String,
        /// What is wrong, naming the key.
        reason: String,
    },
    /// The ledger file could not be read.
    #[error("cannot read the ledger {path}: {source}")]
    LedgerRead {
        /// The ledger file.
        path: String,
        /// The ledger's error.
        source: crate::ledger::LedgerError,
    },
    /// The ledger facts cannot be used; every problem is listed.
    #[error("{} in the ledger facts:\n{}", count(problems.len()), problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Ledger {
        /// Each problem, naming the record.
        problems: Vec<String>,
    },
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 problem".into()
    } else {
        format!("{n} problems")
    }
}

/// One costed thing: a plan site, or a policy item the plan lacks.
struct Asset<'a> {
    id: String,
    kind: SiteKind,
    county: usize,
    /// The year it is built (planned) or was built (existing), if known.
    built: Option<i32>,
    planned: bool,
    site: Option<&'a Site>,
    /// Why it is bought, for policy items.
    policy: Option<String>,
    launchers: u32,
    safes: u32,
    inspected: u32,
}

impl Asset<'_> {
    fn operating_in(&self, year: i32) -> bool {
        match self.site {
            Some(s) => s.operating_in(Some(year)),
            None => self.built.is_none_or(|b| b <= year),
        }
    }
}

/// Explanation groups of one line: (what each site is, unit counted per site, units per
/// site) → site ids.
#[derive(Default)]
struct Acc {
    quantity: i64,
    groups: Vec<(String, &'static str, i64, Vec<String>)>,
    text: Option<String>,
}

impl Acc {
    fn add(&mut self, what: &str, unit: &'static str, per: i64, id: &str) {
        self.quantity += per;
        match self
            .groups
            .iter_mut()
            .find(|(w, u, p, _)| w == what && *u == unit && *p == per)
        {
            Some((_, _, _, ids)) => ids.push(id.to_string()),
            None => self
                .groups
                .push((what.to_string(), unit, per, vec![id.to_string()])),
        }
    }

    /// `2 × planned burner (2027): B1, B2`, or with a unit
    /// `4 × operating fixed rocket site × 3 operators = 12: R1, R2, R3, R4`.
    fn explanation(&self) -> String {
        if let Some(t) = &self.text {
            return t.clone();
        }
        self.groups
            .iter()
            .map(|(what, unit, per, ids)| {
                let n = ids.len() as i64;
                let head = if unit.is_empty() {
                    format!("{n} × {what}")
                } else {
                    let plural = if *per == 1 { "" } else { "s" };
                    format!("{n} × {what} × {per} {unit}{plural} = {}", per * n)
                };
                format!("{head}: {}", ids.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

type LineKey = (i32, usize, Category, LineItem);

/// Computes the budget.
///
/// # Examples
/// ```
/// use std::collections::BTreeMap;
/// use wxmod::budget::{budget, BudgetInputs, CountyRef, Horizon};
/// use wxmod::catalog::{Catalog, bundled_catalog_path};
/// use wxmod::sites::{Site, SiteKind, SiteStatus};
///
/// let catalog = Catalog::read(&bundled_catalog_path()).unwrap();
/// let counties = [CountyRef { id: "140602".into(), name: "朔城区".into() }];
/// let burner = Site { id: "B1".into(), name: String::new(), kind: SiteKind::Burner,
///     standardized: true, status: SiteStatus::Planned, year: Some(2027), lon: 112.4,
///     lat: 39.3, county: Some("140602".into()), extra: BTreeMap::new() };
/// let b = budget(&BudgetInputs { sites: &[burner], counties: &counties, catalog: &catalog,
///     ledger: None, horizon: Horizon::new(2027, 2027, 2027).unwrap() }).unwrap();
/// // the burner 163,000 + its upkeep 10,000 + 40 flares × 600, and the AWS and the radar the
/// // policy asks for: 60,000 + 8,000,000
/// assert_eq!(b.total().yuan(), 163_000.0 + 10_000.0 + 24_000.0 + 60_000.0 + 8_000_000.0);
/// ```
pub fn budget(inputs: &BudgetInputs) -> Result<Budget, BudgetError> {
    let catalog = inputs.catalog;
    let horizon = inputs.horizon;
    let counties = inputs.counties;
    let city = counties.len();
    if let Some(f) = inputs.ledger {
        f.check(counties, catalog)?;
    }
    let mut notes = Vec::new();
    let assets = assets(inputs, &mut notes)?;
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut lines: BTreeMap<LineKey, Acc> = BTreeMap::new();
    let mut add = |year: i32,
                   county: usize,
                   item: LineItem,
                   (what, unit): (&str, &'static str),
                   per: i64,
                   id: &str| {
        if per > 0 {
            lines
                .entry((year, county, item.category(), item))
                .or_default()
                .add(what, unit, per, id);
        }
    };
    let spec = |kind: SiteKind| {
        catalog.kind(kind).ok_or_else(|| BudgetError::Catalog {
            path: catalog.path.display().to_string(),
            reason: format!("[kinds.{kind}] is missing"),
        })
    };

    // Capacity building.
    for a in &assets {
        let Some(built) = a
            .built
            .filter(|&b| a.planned && horizon.years().contains(&b))
        else {
            continue;
        };
        let what = match &a.policy {
            Some(why) => why.clone(),
            None => format!("planned {} ({built})", kind_en(a.kind)),
        };
        let new = format!("new {}", kind_en(a.kind));
        add(
            built,
            a.county,
            LineItem::NewSite(a.kind),
            (&what, ""),
            1,
            &a.id,
        );
        let launchers = a.launchers.into();
        add(
            built,
            a.county,
            LineItem::Launcher,
            (&new, "launcher"),
            launchers,
            &a.id,
        );
        add(
            built,
            a.county,
            LineItem::Safe,
            (&new, "safe"),
            a.safes.into(),
            &a.id,
        );
        note_counts(&mut used, a, catalog);
    }

    // Operations (crew) and upkeep; ammunition demand for the forecast.
    let mut demand: ammunition::Demand = BTreeMap::new();
    for year in horizon.start..=horizon.through {
        for a in assets.iter().filter(|a| a.operating_in(year)) {
            let s = spec(a.kind)?;
            if let Some(item) = &s.ammunition {
                demand
                    .entry((year, a.county, item.clone()))
                    .or_default()
                    .entry(a.kind)
                    .or_default()
                    .push(a.id.clone());
            }
            if year < horizon.from {
                continue;
            }
            let operating = format!("operating {}", kind_en(a.kind));
            if s.crew > 0 {
                used.insert(format!("kinds.{}.crew", a.kind));
                let crew = s.crew.into();
                add(
                    year,
                    a.county,
                    LineItem::DutyAllowance,
                    (&operating, "operator"),
                    crew,
                    &a.id,
                );
                add(
                    year,
                    a.county,
                    LineItem::Insurance,
                    (&operating, "operator"),
                    crew,
                    &a.id,
                );
            }
            add(
                year,
                a.county,
                LineItem::Upkeep(a.kind),
                (&operating, ""),
                1,
                &a.id,
            );
            let (what, unit) = if a.launchers > 0 {
                (operating.clone(), "launcher")
            } else if a.kind == SiteKind::FixedGun {
                (format!("{operating} [I]"), "gun")
            } else {
                (format!("{operating} [I]"), "launcher")
            };
            let inspected = a.inspected.into();
            add(
                year,
                a.county,
                LineItem::Inspection,
                (&what, unit),
                inspected,
                &a.id,
            );
            // Renewals every service life after the year built.
            let Some(built) = a.built else { continue };
            let due = |life: u32| life > 0 && year > built && (year - built) % life as i32 == 0;
            let life = s.service_life_years;
            used.insert(format!("kinds.{}.service_life_years", a.kind));
            if due(life) {
                let what = format!(
                    "{} built {built} ({life}-year service life)",
                    kind_en(a.kind)
                );
                add(
                    year,
                    a.county,
                    LineItem::Renewal(a.kind),
                    (&what, ""),
                    1,
                    &a.id,
                );
            }
            for (count, item, line, unit) in [
                (
                    a.launchers,
                    LAUNCHER_ITEM,
                    LineItem::LauncherRenewal,
                    "launcher",
                ),
                (a.safes, SAFE_ITEM, LineItem::SafeRenewal, "safe"),
            ] {
                if count == 0 {
                    continue;
                }
                let life = catalog.items.get(item).map_or(0, |i| i.shelf_life_years);
                used.insert(format!("items.{item}.shelf_life_years"));
                if due(life) {
                    let what = format!(
                        "{} built {built} ({unit} service life {life} years)",
                        kind_en(a.kind)
                    );
                    add(year, a.county, line, (&what, unit), count.into(), &a.id);
                }
            }
        }
    }

    // Ammunition.
    let (ammo_rows, ammo_keys) = ammunition::forecast(&ammunition::ForecastInput {
        catalog,
        counties,
        facts: inputs.ledger,
        start: horizon.start,
        from: horizon.from,
        through: horizon.through,
        demand: &demand,
    });
    used.extend(ammo_keys);
    for r in &ammo_rows {
        let Some(c) = r
            .county
            .as_ref()
            .and_then(|id| counties.iter().position(|x| &x.id == id))
        else {
            continue;
        };
        if r.purchase > 0 {
            let item = LineItem::Ammunition(r.item.clone());
            let acc = lines.entry((r.year, c, item.category(), item)).or_default();
            acc.quantity = r.purchase;
            acc.text = Some(r.explanation.clone());
        }
    }

    // Price the lines.
    let mut out = Vec::with_capacity(lines.len());
    let mut unpriced: BTreeSet<String> = BTreeSet::new();
    for ((year, county, category, item), acc) in lines {
        let key = item.price_key();
        let Some(price) = item.price_yuan(catalog) else {
            return Err(BudgetError::Catalog {
                path: catalog.path.display().to_string(),
                reason: format!("{key} is missing, but {} needs it", acc.explanation()),
            });
        };
        if price < 0 {
            return Err(BudgetError::Catalog {
                path: catalog.path.display().to_string(),
                reason: format!("{key} = {price} is negative; prices must be >= 0"),
            });
        }
        if price == 0 {
            unpriced.insert(key);
            continue;
        }
        used.insert(key.clone());
        let unit_price = Yuan::from_yuan(price);
        let (item_zh, item_en) = item.names(catalog);
        let (unit_zh, unit_en) = item.unit();
        out.push(BudgetLine {
            year,
            county: (county < city).then(|| counties[county].id.clone()),
            category,
            item_zh,
            item_en,
            quantity: acc.quantity,
            unit_zh,
            unit_en,
            unit_price,
            amount: unit_price * acc.quantity,
            price_source: catalog.source(&key).unwrap_or_default().to_string(),
            assumed: catalog.is_assumed(&key),
            explanation: acc.explanation(),
            price_key: key,
            item,
        });
    }
    for key in unpriced {
        notes.push(format!(
            "{key} is 0 in the catalog ({}); its lines are left out",
            catalog.source(&key).unwrap_or("no source given")
        ));
    }
    let assumptions = used
        .iter()
        .filter(|k| catalog.is_assumed(k))
        .map(|k| Assumption {
            key: k.clone(),
            value: catalog_value(catalog, k),
            source: catalog.source(k).unwrap_or_default().to_string(),
        })
        .collect();
    let basis = match inputs.ledger {
        Some(f) => format!(
            "ammunition use: ledger history per county and site kind, else the catalog allowance; stock: the ledger's serviceable lots ({})",
            f.description
        ),
        None => "ammunition use: the catalog's yearly allowance per site (no ledger given); no stock counted".to_string(),
    };
    Ok(Budget {
        horizon,
        counties: counties.to_vec(),
        lines: out,
        ammunition: ammo_rows,
        assumptions,
        basis,
        notes,
    })
}

/// Records the catalog counts a new site used.
fn note_counts(used: &mut BTreeSet<String>, a: &Asset, catalog: &Catalog) {
    if a.site.is_some_and(|s| s.extra.contains_key("launchers")) {
        return;
    }
    if catalog.kind(a.kind).is_some_and(|k| k.launchers > 0) {
        used.insert(format!("kinds.{}.launchers", a.kind));
    }
    if a.safes > 0 {
        used.insert(format!("kinds.{}.safes", a.kind));
    }
}

/// The value of a dotted catalog key, as text.
fn catalog_value(catalog: &Catalog, key: &str) -> String {
    let Ok(value) = toml::Value::try_from(catalog) else {
        return String::new();
    };
    let mut at = &value;
    for part in key.split('.') {
        match at.get(part) {
            Some(v) => at = v,
            None => return String::new(),
        }
    }
    match at {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The costed assets: plan sites (not retired) and the policy items the plan lacks.
fn assets<'a>(
    inputs: &BudgetInputs<'a>,
    notes: &mut Vec<String>,
) -> Result<Vec<Asset<'a>>, BudgetError> {
    let catalog = inputs.catalog;
    let counties = inputs.counties;
    let start = inputs.horizon.start;
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let mut no_year = Vec::new();
    let mut built_before = Vec::new();
    let mut retired = 0;
    for s in inputs.sites {
        if s.status == SiteStatus::Retired {
            retired += 1;
            continue;
        }
        let Some(spec) = catalog.kind(s.kind) else {
            problems.push(format!(
                "site {}: the catalog has no [kinds.{}]",
                s.id, s.kind
            ));
            continue;
        };
        let county = match &s.county {
            None => {
                problems.push(format!(
                    "site {}: no county (give one, or read the plan with a region)",
                    s.id
                ));
                continue;
            }
            Some(id) => match counties.iter().position(|c| &c.id == id) {
                Some(i) => i,
                None => {
                    problems.push(format!("site {}: county {id} is not in the region", s.id));
                    continue;
                }
            },
        };
        let explicit = match s.extra.get("launchers").map(|t| t.trim()) {
            None | Some("") => None,
            Some(text) => match text.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    problems.push(format!(
                        "site {}: launchers '{text}' is not a whole number >= 0",
                        s.id
                    ));
                    continue;
                }
            },
        };
        let (launchers, inspected) = match (s.kind, explicit) {
            (SiteKind::FixedGun, guns) => (0, guns.unwrap_or(1)),
            (SiteKind::MobileRocketBase, n) => {
                let n = n.unwrap_or(spec.launchers);
                (n, n.max(1))
            }
            (k, n) => {
                let n = n.unwrap_or(spec.launchers);
                (n, if k.fires_projectiles() { n } else { 0 })
            }
        };
        if s.year.is_none() {
            no_year.push(s.id.clone());
        }
        let planned = s.status == SiteStatus::Planned;
        if planned && s.year.is_some_and(|y| y < start) {
            built_before.push(s.id.clone());
        }
        out.push(Asset {
            id: s.id.clone(),
            kind: s.kind,
            county,
            built: s.year,
            planned,
            site: Some(s),
            policy: None,
            launchers,
            safes: spec.safes,
            inspected,
        });
    }
    if !problems.is_empty() {
        return Err(BudgetError::Plan { problems });
    }
    // Policy items (clause 8): an AWS per county, one X-band radar for the city.
    for (i, c) in counties.iter().enumerate() {
        if !out.iter().any(|a| a.kind == SiteKind::Aws && a.county == i) {
            out.push(policy_asset(
                format!("AWS-{}", c.id),
                SiteKind::Aws,
                i,
                start,
                "policy: the county has no six-element AWS (one per county)",
                catalog,
            ));
        }
    }
    if !out.iter().any(|a| a.kind == SiteKind::Radar) {
        out.push(policy_asset(
            "XRADAR".into(),
            SiteKind::Radar,
            counties.len(),
            start,
            "policy: the city has no X-band weather radar (one per city)",
            catalog,
        ));
    }
    if retired > 0 {
        notes.push(format!("{retired} retired sites are left out"));
    }
    if !built_before.is_empty() {
        notes.push(format!(
            "sites planned before {start} are taken as built, their construction already funded: {}",
            built_before.join(", ")
        ));
    }
    if !no_year.is_empty() {
        notes.push(format!(
            "sites without a year built: no renewal at the end of service life is budgeted for {}",
            no_year.join(", ")
        ));
    }
    Ok(out)
}

fn policy_asset<'a>(
    id: String,
    kind: SiteKind,
    county: usize,
    year: i32,
    why: &str,
    catalog: &Catalog,
) -> Asset<'a> {
    Asset {
        id,
        kind,
        county,
        built: Some(year),
        planned: true,
        site: None,
        policy: Some(why.to_string()),
        launchers: catalog.kind(kind).map_or(0, |k| k.launchers),
        safes: catalog.kind(kind).map_or(0, |k| k.safes),
        inspected: 0,
    }
}
