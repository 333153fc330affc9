//! Budget lines (预算明细): the policy's money categories, what a line buys, its names, unit
//! and catalog price key, and the priced line itself.

use crate::catalog::Catalog;
use crate::sites::SiteKind;
use crate::units::Yuan;

use super::{LAUNCHER_ITEM, SAFE_ITEM};

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
    pub(super) fn price_yuan(&self, catalog: &Catalog) -> Option<i64> {
        let item = |name: &str| catalog.items.get(name).map(|i| i.unit_cost_yuan);
        let r = &catalog.recurring;
        match self {
            LineItem::NewSite(k) | LineItem::Renewal(k) => Some(catalog.kind(*k).site_cost_yuan),
            LineItem::Launcher | LineItem::LauncherRenewal => item(LAUNCHER_ITEM),
            LineItem::Safe | LineItem::SafeRenewal => item(SAFE_ITEM),
            LineItem::Ammunition(i) => item(i),
            LineItem::DutyAllowance => Some(r.duty_allowance_yuan_per_person_year),
            LineItem::Insurance => Some(r.insurance_yuan_per_person_year),
            LineItem::Upkeep(k) => Some(catalog.kind(*k).upkeep_yuan_per_year),
            LineItem::Inspection => Some(r.inspection_yuan_per_unit_year),
        }
    }

    /// Chinese and English names.
    pub(super) fn names(&self, catalog: &Catalog) -> (String, String) {
        let kind_zh = |k: &SiteKind| catalog.kind(*k).name_zh.clone();
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

/// English name of a site kind, singular (standardization is said by [`site_label`]).
pub fn kind_en(kind: SiteKind) -> &'static str {
    match kind {
        SiteKind::FixedRocket => "fixed rocket site",
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

/// The English name of a site of a kind as it is costed: fixed gun and rocket sites say
/// whether they are standardized (标准化), e.g. `standardized fixed rocket site` or
/// `fixed rocket site (not standardized)`.
pub fn site_label(kind: SiteKind, standardized: bool) -> String {
    match (kind, standardized) {
        (SiteKind::FixedRocket | SiteKind::FixedGun, true) => {
            format!("standardized {}", kind_en(kind))
        }
        (SiteKind::FixedRocket | SiteKind::FixedGun, false) => {
            format!("{} (not standardized)", kind_en(kind))
        }
        _ => kind_en(kind).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_sites_say_whether_they_are_standardized() {
        assert_eq!(
            site_label(SiteKind::FixedRocket, true),
            "standardized fixed rocket site"
        );
        assert_eq!(
            site_label(SiteKind::FixedRocket, false),
            "fixed rocket site (not standardized)"
        );
        assert_eq!(site_label(SiteKind::Burner, true), "remote ground burner");
    }

    #[test]
    fn every_item_has_a_category_a_key_and_a_unit() {
        let items = [
            LineItem::NewSite(SiteKind::Burner),
            LineItem::Launcher,
            LineItem::Safe,
            LineItem::Ammunition("rocket".into()),
            LineItem::DutyAllowance,
            LineItem::Insurance,
            LineItem::Upkeep(SiteKind::FixedGun),
            LineItem::Inspection,
            LineItem::Renewal(SiteKind::Aws),
            LineItem::LauncherRenewal,
            LineItem::SafeRenewal,
        ];
        let keys: std::collections::BTreeSet<String> = items.iter().map(LineItem::key).collect();
        assert_eq!(keys.len(), items.len(), "keys are distinct");
        assert_eq!(LineItem::Launcher.category(), Category::Capacity);
        assert_eq!(LineItem::Insurance.category(), Category::Operations);
        assert_eq!(LineItem::SafeRenewal.category(), Category::Upkeep);
        assert_eq!(LineItem::Ammunition("flare".into()).unit(), ("根", "flare"));
        assert_eq!(
            LineItem::Upkeep(SiteKind::Burner).price_key(),
            "kinds.burner.upkeep_yuan_per_year"
        );
    }
}
