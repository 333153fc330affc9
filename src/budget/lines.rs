//! Collecting budget lines before they are priced: per (year, county, category, item) the
//! quantity and the sites it comes from, then pricing each from the catalog.

use std::collections::{BTreeMap, BTreeSet};

use super::{BudgetError, BudgetLine, Category, LineItem};
use crate::catalog::Catalog;
use crate::units::Yuan;

/// Explanation groups of one line: (what each site is, unit counted per site, units per
/// site) → site ids.
#[derive(Default)]
pub(super) struct Acc {
    pub(super) quantity: i64,
    groups: Vec<(String, &'static str, i64, Vec<String>)>,
    pub(super) text: Option<String>,
}

impl Acc {
    pub(super) fn add(&mut self, what: &str, unit: &'static str, per: i64, id: &str) {
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
    pub(super) fn explanation(&self) -> String {
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

pub(super) type LineKey = (i32, usize, Category, LineItem);

/// The lines of a budget as they are collected; `used` gathers the catalog keys read.
#[derive(Default)]
pub(super) struct Lines {
    pub(super) map: BTreeMap<LineKey, Acc>,
    pub(super) used: BTreeSet<String>,
}

impl Lines {
    /// Adds `per` units for one site to a line; nothing when `per` is 0.
    pub(super) fn add(
        &mut self,
        (year, county): (i32, usize),
        item: LineItem,
        (what, unit): (&str, &'static str),
        per: i64,
        id: &str,
    ) {
        if per > 0 {
            self.map
                .entry((year, county, item.category(), item))
                .or_default()
                .add(what, unit, per, id);
        }
    }

    /// Prices every line; lines priced 0 are left out and named in `notes`.
    pub(super) fn price(
        self,
        catalog: &Catalog,
        counties: &[super::CountyRef],
        notes: &mut Vec<String>,
    ) -> Result<(Vec<BudgetLine>, BTreeSet<String>), BudgetError> {
        let Lines { map, mut used } = self;
        let city = counties.len();
        let mut out = Vec::with_capacity(map.len());
        let mut unpriced: BTreeSet<String> = BTreeSet::new();
        for ((year, county, category, item), acc) in map {
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
        Ok((out, used))
    }
}

/// The value of a dotted catalog key, as text.
pub(super) fn catalog_value(catalog: &Catalog, key: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_groups_its_sites_and_explains_them() {
        let mut lines = Lines::default();
        lines.add(
            (2027, 0),
            LineItem::Inspection,
            ("operating burner", "launcher"),
            2,
            "B1",
        );
        lines.add(
            (2027, 0),
            LineItem::Inspection,
            ("operating burner", "launcher"),
            2,
            "B2",
        );
        lines.add(
            (2027, 0),
            LineItem::Inspection,
            ("operating gun site", "gun"),
            1,
            "G1",
        );
        lines.add((2027, 0), LineItem::Inspection, ("nothing", "gun"), 0, "G2");
        let acc = &lines.map[&(2027, 0, Category::Upkeep, LineItem::Inspection)];
        assert_eq!(acc.quantity, 5);
        assert_eq!(
            acc.explanation(),
            "2 × operating burner × 2 launchers = 4: B1, B2; 1 × operating gun site × 1 gun = 1: G1"
        );
    }
}
