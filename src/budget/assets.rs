//! The costed assets of a budget: the plan's sites (not retired) with their launchers, safes and
//! inspected units, and the policy items the plan lacks (an AWS per county, the city's X-band
//! radar).

use std::collections::BTreeSet;

use super::{BudgetError, BudgetInputs, site_label};
use crate::catalog::Catalog;
use crate::region::{UnitLevel, admin_units_of};
use crate::sites::{Site, SiteKind, SiteStatus};

/// One costed thing: a plan site, or a policy item the plan lacks.
pub(super) struct Asset<'a> {
    pub(super) id: String,
    pub(super) kind: SiteKind,
    pub(super) county: usize,
    /// The year it is built (planned) or was built (existing), if known.
    pub(super) built: Option<i32>,
    pub(super) planned: bool,
    pub(super) site: Option<&'a Site>,
    /// Why it is bought, for policy items.
    pub(super) policy: Option<String>,
    pub(super) launchers: u32,
    pub(super) safes: u32,
    pub(super) inspected: u32,
}

impl Asset<'_> {
    /// What the asset is, as lines explain it (`standardized fixed rocket site`,
    /// `fixed gun site (not standardized)`, `remote ground burner` ...).
    pub(super) fn label(&self) -> String {
        site_label(self.kind, self.site.is_none_or(|s| s.standardized))
    }

    pub(super) fn operating_in(&self, year: i32) -> bool {
        match self.site {
            Some(s) => s.operating_in(Some(year)),
            None => self.built.is_none_or(|b| b <= year),
        }
    }
}

/// Records the catalog counts a new site used.
pub(super) fn note_counts(used: &mut BTreeSet<String>, a: &Asset, catalog: &Catalog) {
    if a.site.is_some_and(|s| s.extra.contains_key("launchers")) {
        return;
    }
    if catalog.kind(a.kind).launchers > 0 {
        used.insert(format!("kinds.{}.launchers", a.kind));
    }
    if a.safes > 0 {
        used.insert(format!("kinds.{}.safes", a.kind));
    }
}

/// The costed assets: plan sites (not retired) and the policy items the plan lacks.
pub(super) fn assets<'a>(
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
        let spec = catalog.kind(s.kind);
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
    // Policy items (clause 8): an AWS per county, one X-band radar per city.
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
    let cities = admin_units_of(counties.iter().map(|c| c.id.as_str()), UnitLevel::City);
    if cities.len() > 1 {
        // A province: one radar per city, each at the region level of the tables.
        for city in &cities {
            let has_radar = out
                .iter()
                .any(|a| a.kind == SiteKind::Radar && city.counties.contains(&a.county));
            if !has_radar {
                out.push(policy_asset(
                    format!("XRADAR-{}", city.adcode),
                    SiteKind::Radar,
                    counties.len(),
                    start,
                    &format!(
                        "policy: {} has no X-band weather radar (one per city)",
                        city.name
                    ),
                    catalog,
                ));
            }
        }
    } else if !out.iter().any(|a| a.kind == SiteKind::Radar) {
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
        launchers: catalog.kind(kind).launchers,
        safes: catalog.kind(kind).safes,
        inspected: 0,
    }
}
