//! The ammunition purchase forecast (弹药采购预测): rounds, shells and flares to buy per
//! county, item and year.
//!
//! For each year from the first budget year, each item and each county:
//! 1. **expected use** = Σ over the operating sites that use the item, per site kind: the
//!    ledger's mean per site-year for that county and kind times the sites (rounded up), or,
//!    without history, the catalog's `yearly_rounds` allowance times the sites;
//! 2. lots that cannot serve the year ([`StockLot::last_usable_year`] before it) are written
//!    off as expired (scrapped under L29; the purchase replaces them);
//! 3. the county's own usable lots are drawn first, earliest expiry first;
//! 4. the city depot's (a province's: the central depots') usable lots (county `None`) cover what the counties still lack, shared
//!    in proportion to that need (largest remainders, ties to the earlier county);
//! 5. **purchase** = use − drawn from own stock − drawn from the city depot, never negative
//!    by construction. Purchased rounds are used in their year and do not carry over.
//!
//! Rounds are whole numbers (`i64`); the work is linear in years × lots × counties.

use std::collections::{BTreeMap, BTreeSet};

use super::facts::{LedgerFacts, StockLot};
use super::{CountyRef, kind_en};
use crate::catalog::Catalog;
use crate::region::RegionScope;
use crate::sites::SiteKind;

/// One row of the forecast: one county (or the city depot), item and year.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AmmoRow {
    /// Budget year.
    pub year: i32,
    /// County id; `None` for the city depot's row.
    pub county: Option<String>,
    /// Catalog item (`rocket`, `shell_37mm`, `flare`).
    pub item: String,
    /// Chinese name of the item.
    pub item_zh: String,
    /// Operating sites that use the item.
    pub sites: u32,
    /// Expected use, rounds.
    pub expected_use: i64,
    /// Usable stock held at the start of the year (own lots; the depot's on the city row).
    pub usable_stock: i64,
    /// Drawn from own stock for the year's use (city row: drawn by the counties).
    pub drawn_own: i64,
    /// Drawn from the city depot.
    pub drawn_city: i64,
    /// Rounds of lots that expired before use this year (scrapped and replaced).
    pub expired: i64,
    /// Rounds to buy: `expected_use - drawn_own - drawn_city` on county rows; 0 on the city
    /// depot's row, whose `drawn_own` is what the counties drew from it.
    pub purchase: i64,
    /// How each figure was found.
    pub explanation: String,
}

/// Demand: per (year, county index, item), the ids of the operating sites using it by kind.
pub(super) type Demand = BTreeMap<(i32, usize, String), BTreeMap<SiteKind, Vec<String>>>;

/// What the forecast reads.
pub(super) struct ForecastInput<'a> {
    pub catalog: &'a Catalog,
    pub counties: &'a [CountyRef],
    pub facts: Option<&'a LedgerFacts>,
    pub start: i32,
    pub from: i32,
    pub through: i32,
    pub demand: &'a Demand,
}

struct LotState {
    county: Option<usize>,
    lot: StockLot,
    remaining: i64,
}

/// Runs the forecast; returns the rows for the reported years and the catalog keys used.
pub(super) fn forecast(input: &ForecastInput) -> (Vec<AmmoRow>, BTreeSet<String>) {
    let n = input.counties.len();
    let mut used_keys = BTreeSet::new();
    let mut lots: Vec<LotState> = input
        .facts
        .map(|f| f.stock_lots.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|l| LotState {
            county: l
                .county
                .as_ref()
                .and_then(|c| input.counties.iter().position(|x| &x.id == c)),
            lot: l.clone(),
            remaining: l.quantity,
        })
        .collect();
    lots.sort_by(|a, b| {
        (a.lot.expires, &a.lot.lot, &a.lot.item).cmp(&(b.lot.expires, &b.lot.lot, &b.lot.item))
    });
    let items: BTreeSet<String> = input
        .demand
        .keys()
        .map(|(_, _, item)| item.clone())
        .chain(lots.iter().map(|l| l.lot.item.clone()))
        .collect();

    let depot = RegionScope::of_counties(input.counties.iter().map(|c| c.id.as_str())).depot_en();
    let mut rows = Vec::new();
    for year in input.start..=input.through {
        for item in &items {
            let item_zh = input
                .catalog
                .items
                .get(item)
                .map_or_else(|| item.clone(), |i| i.name_zh.clone());
            let mut county_rows: Vec<AmmoRow> = Vec::with_capacity(n);
            let mut short = vec![0i64; n];
            for (c, county) in input.counties.iter().enumerate() {
                let (sites, use_, basis) =
                    expected_use(input, year, c, item, &county.id, &mut used_keys);
                let (expired, expired_text) = expire(&mut lots, Some(c), item, year);
                let usable_lots = lot_list(&lots, Some(c), item);
                let usable: i64 = lots
                    .iter()
                    .filter(|l| l.county == Some(c) && &l.lot.item == item)
                    .map(|l| l.remaining)
                    .sum();
                let (drawn, _) = draw(&mut lots, Some(c), item, use_);
                short[c] = use_ - drawn;
                let mut parts = Vec::new();
                if use_ > 0 || sites > 0 {
                    parts.push(format!("expected use {use_} = {basis}"));
                } else {
                    parts.push("no operating site in the county uses it".to_string());
                }
                if usable > 0 {
                    parts.push(format!(
                        "county stock usable through the year {usable} ({usable_lots}), {drawn} drawn"
                    ));
                }
                if expired > 0 {
                    parts.push(format!(
                        "expired before use, scrapped (L29) and replaced by the purchase: {expired_text}"
                    ));
                }
                county_rows.push(AmmoRow {
                    year,
                    county: Some(county.id.clone()),
                    item: item.clone(),
                    item_zh: item_zh.clone(),
                    sites,
                    expected_use: use_,
                    usable_stock: usable,
                    drawn_own: drawn,
                    drawn_city: 0,
                    expired,
                    purchase: 0,
                    explanation: parts.join("; "),
                });
            }

            let (city_expired, city_expired_text) = expire(&mut lots, None, item, year);
            let city_lots = lot_list(&lots, None, item);
            let city_usable: i64 = lots
                .iter()
                .filter(|l| l.county.is_none() && &l.lot.item == item)
                .map(|l| l.remaining)
                .sum();
            let shares = share(city_usable, &short);
            let city_drawn_total: i64 = shares.iter().sum();
            let (_, city_drawn_lots) = draw(&mut lots, None, item, city_drawn_total);
            for (c, row) in county_rows.iter_mut().enumerate() {
                row.drawn_city = shares[c];
                row.purchase = row.expected_use - row.drawn_own - row.drawn_city;
                if shares[c] > 0 {
                    row.explanation.push_str(&format!(
                        "; {} from the {depot} (its stock shared in proportion to what the counties still lack)",
                        shares[c]
                    ));
                }
                if row.expected_use > 0 {
                    row.explanation.push_str(&format!(
                        "; purchase {} − {} − {} = {}",
                        row.expected_use, row.drawn_own, row.drawn_city, row.purchase
                    ));
                }
            }
            if year < input.from {
                continue;
            }
            rows.extend(
                county_rows
                    .into_iter()
                    .filter(|r| r.expected_use > 0 || r.usable_stock > 0 || r.expired > 0),
            );
            if city_usable > 0 || city_expired > 0 {
                let mut parts = vec![if city_usable > 0 {
                    format!("{depot} stock usable through the year {city_usable} ({city_lots})")
                } else {
                    format!("no usable {depot} stock")
                }];
                if city_drawn_total > 0 {
                    parts.push(format!(
                        "{city_drawn_total} drawn by the counties ({city_drawn_lots})"
                    ));
                }
                if city_expired > 0 {
                    parts.push(format!(
                        "expired before use, scrapped (L29) and replaced: {city_expired_text}"
                    ));
                }
                rows.push(AmmoRow {
                    year,
                    county: None,
                    item: item.clone(),
                    item_zh,
                    sites: 0,
                    expected_use: 0,
                    usable_stock: city_usable,
                    drawn_own: city_drawn_total,
                    drawn_city: 0,
                    expired: city_expired,
                    purchase: 0,
                    explanation: parts.join("; "),
                });
            }
        }
    }
    (rows, used_keys)
}

/// Expected use of one county, item and year: (sites, rounds, how).
fn expected_use(
    input: &ForecastInput,
    year: i32,
    county: usize,
    item: &str,
    county_id: &str,
    used_keys: &mut BTreeSet<String>,
) -> (u32, i64, String) {
    let Some(by_kind) = input.demand.get(&(year, county, item.to_string())) else {
        return (0, 0, String::new());
    };
    let mut sites = 0u32;
    let mut total = 0i64;
    let mut parts = Vec::new();
    for (&kind, ids) in by_kind {
        let n = ids.len() as u32;
        sites += n;
        let history = input.facts.and_then(|f| f.history(county_id, kind));
        match history {
            Some(h) => {
                let e = h.expected(n);
                total += e;
                let plural = if h.site_years == 1 { "" } else { "s" };
                parts.push(format!(
                    "{n} × {} × ({} rounds / {} site-year{plural} in the ledger) = {e} (rounded up)",
                    kind_en(kind),
                    h.rounds,
                    h.site_years
                ));
            }
            None => {
                let allowance = input.catalog.kind(kind).yearly_rounds;
                let key = format!("kinds.{}.yearly_rounds", kind.as_str());
                let tag = if input.catalog.is_assumed(&key) {
                    " [A]"
                } else {
                    ""
                };
                used_keys.insert(key);
                let e = i64::from(allowance) * i64::from(n);
                total += e;
                let why = if input.facts.is_some() {
                    "catalog allowance; no ledger history for this county and kind"
                } else {
                    "catalog allowance"
                };
                parts.push(format!(
                    "{n} × {} × {allowance} a year ({why}{tag}) = {e}",
                    kind_en(kind)
                ));
            }
        }
    }
    (sites, total, parts.join(" + "))
}

/// Writes off the lots of one holder and item that cannot serve `year`; returns the rounds and
/// a description.
fn expire(lots: &mut [LotState], holder: Option<usize>, item: &str, year: i32) -> (i64, String) {
    let mut total = 0;
    let mut text = Vec::new();
    for l in lots
        .iter_mut()
        .filter(|l| l.county == holder && l.lot.item == item && l.remaining > 0)
    {
        if l.lot.last_usable_year() < year {
            total += l.remaining;
            text.push(format!(
                "lot {} {} (expires {})",
                l.lot.lot, l.remaining, l.lot.expires
            ));
            l.remaining = 0;
        }
    }
    (total, text.join(", "))
}

/// The usable lots of one holder and item, as text.
fn lot_list(lots: &[LotState], holder: Option<usize>, item: &str) -> String {
    lots.iter()
        .filter(|l| l.county == holder && l.lot.item == item && l.remaining > 0)
        .map(|l| format!("lot {} {} to {}", l.lot.lot, l.remaining, l.lot.expires))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Draws up to `want` rounds from one holder's lots of an item, earliest expiry first; returns
/// the rounds drawn and the lots they came from.
fn draw(lots: &mut [LotState], holder: Option<usize>, item: &str, want: i64) -> (i64, String) {
    let mut left = want;
    let mut from = Vec::new();
    for l in lots
        .iter_mut()
        .filter(|l| l.county == holder && l.lot.item == item && l.remaining > 0)
    {
        if left == 0 {
            break;
        }
        let take = left.min(l.remaining);
        l.remaining -= take;
        left -= take;
        from.push(format!("lot {} {take}", l.lot.lot));
    }
    (want - left, from.join(", "))
}

/// Shares `stock` among needs in proportion to them, largest remainders first (ties to the
/// earlier index); nobody gets more than their need.
fn share(stock: i64, need: &[i64]) -> Vec<i64> {
    let total: i64 = need.iter().sum();
    if total <= stock {
        return need.to_vec();
    }
    let stock = i128::from(stock);
    let total = i128::from(total);
    let mut out: Vec<i64> = need
        .iter()
        .map(|&n| (stock * i128::from(n) / total) as i64)
        .collect();
    let mut left = stock as i64 - out.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..need.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(stock * i128::from(need[i]) % total), i));
    for i in order {
        if left == 0 {
            break;
        }
        if out[i] < need[i] {
            out[i] += 1;
            left -= 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::share;

    #[test]
    fn the_depot_is_shared_in_proportion_to_need() {
        assert_eq!(share(100, &[30, 50]), vec![30, 50]);
        assert_eq!(share(10, &[30, 10]), vec![8, 2]); // 7.5 and 2.5: the tie goes to the first
        assert_eq!(share(7, &[1, 1, 1, 10]), vec![1, 1, 0, 5]); // remainders 7, 7, 7, 5 of 13
        assert_eq!(share(0, &[5, 5]), vec![0, 0]);
        let s = share(13, &[7, 11, 5]);
        assert_eq!(s.iter().sum::<i64>(), 13);
        assert!(s.iter().zip([7, 11, 5]).all(|(a, b)| *a <= b));
    }
}
