//! Stock and consumption queries: what is where, by location, model and lot with expiry; and
//! rounds fired per county, site, model, month, season or year (for the budget report).
//!
//! Stock reads the `stock` projection (one row per location, lot and condition), so its cost
//! does not grow with the number of events. Consumption groups the `firings` projection in
//! SQL by month and folds months into seasons or years. Seasons are meteorological: spring
//! March-May, summer June-August, autumn September-November, winter December-February,
//! labelled by the year the winter starts (`2025-winter` = Dec 2025 to Feb 2026).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;

use super::LedgerError;
use super::clock::read_date;
use super::ledger::Ledger;
use super::records::{Condition, ItemClass, StockHolder};

/// Which stock to list; every field narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args)]
pub struct StockFilter {
    /// One location: depot:ID, site:ID or transit:ID.
    #[arg(long, conflicts_with = "location_kind")]
    pub location: Option<StockHolder>,
    /// All locations of one kind.
    #[arg(long = "kind", value_name = "KIND", value_parser = ["depot", "site", "transit"])]
    pub location_kind: Option<String>,
    /// One model.
    #[arg(long)]
    pub model: Option<String>,
    /// One lot.
    #[arg(long)]
    pub lot: Option<String>,
    /// One item class: rocket, shell or flare.
    #[arg(long)]
    pub class: Option<ItemClass>,
}

/// One line of the stock list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StockLine {
    /// Where it is.
    pub location: StockHolder,
    /// Name of the depot or site (or the route of a transfer).
    pub location_name: String,
    /// County of a site.
    pub county: Option<String>,
    /// Model.
    pub model: String,
    /// Item class.
    pub class: ItemClass,
    /// Lot number.
    pub lot: String,
    /// Serviceable or dud.
    pub condition: Condition,
    /// Rounds.
    pub quantity: i64,
    /// Last usable day of the lot.
    pub expires: NaiveDate,
}

/// A grouping of consumption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grouping {
    /// By county.
    County,
    /// By site.
    Site,
    /// By model.
    Model,
    /// By item class.
    Class,
    /// By month, `2025-06`.
    Month,
    /// By meteorological season, `2025-summer`.
    Season,
    /// By year, `2025`.
    Year,
}

impl std::str::FromStr for Grouping {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(match text.trim().to_ascii_lowercase().as_str() {
            "county" => Grouping::County,
            "site" => Grouping::Site,
            "model" => Grouping::Model,
            "class" => Grouping::Class,
            "month" => Grouping::Month,
            "season" => Grouping::Season,
            "year" => Grouping::Year,
            _ => {
                return Err(format!(
                    "'{text}' is not a grouping: use county, site, model, class, month, season or year"
                ));
            }
        })
    }
}

/// Rounds fired in one group; fields not grouped by are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsumptionRow {
    /// County.
    pub county: Option<String>,
    /// Site.
    pub site: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Item class.
    pub class: Option<ItemClass>,
    /// Month, season or year label.
    pub period: Option<String>,
    /// Rounds fired.
    pub rounds: i64,
    /// Firing events.
    pub firings: i64,
}

/// The season label of a month `YYYY-MM`.
///
/// # Examples
/// ```
/// use wxmod::ledger::season_of;
/// assert_eq!(season_of("2025-07").as_deref(), Some("2025-summer"));
/// assert_eq!(season_of("2026-01").as_deref(), Some("2025-winter"));
/// ```
pub fn season_of(month: &str) -> Option<String> {
    let (year, m) = month.split_once('-')?;
    let (year, m): (i32, u32) = (year.parse().ok()?, m.parse().ok()?);
    let (label_year, season) = match m {
        3..=5 => (year, "spring"),
        6..=8 => (year, "summer"),
        9..=11 => (year, "autumn"),
        12 => (year, "winter"),
        1 | 2 => (year - 1, "winter"),
        _ => return None,
    };
    Some(format!("{label_year}-{season}"))
}

impl Ledger {
    /// The stock, by location, model, lot and condition.
    pub fn stock(&self, filter: &StockFilter) -> Result<Vec<StockLine>, LedgerError> {
        let (kind, id) = match &filter.location {
            Some(l) => (Some(l.kind().to_string()), Some(l.id().to_string())),
            None => (filter.location_kind.clone(), None),
        };
        let mut stmt = self.conn().prepare_cached(
            "SELECT s.loc_kind, s.loc_id, s.lot, s.condition, s.quantity, l.model, l.class, l.expires,
                    COALESCE(json_extract(d.body, '$.name'), json_extract(si.body, '$.name'),
                             t.from_depot || ' -> ' || t.to_depot, ''),
                    si.county
             FROM stock s JOIN lots l ON l.lot = s.lot
             LEFT JOIN depots d ON s.loc_kind = 'depot' AND d.id = s.loc_id
             LEFT JOIN sites si ON s.loc_kind = 'site' AND si.id = s.loc_id
             LEFT JOIN transfers t ON s.loc_kind = 'transit' AND t.id = s.loc_id
             WHERE (?1 IS NULL OR s.loc_kind = ?1) AND (?2 IS NULL OR s.loc_id = ?2)
               AND (?3 IS NULL OR l.model = ?3) AND (?4 IS NULL OR s.lot = ?4) AND (?5 IS NULL OR l.class = ?5)
             ORDER BY s.loc_kind, s.loc_id, l.model, s.lot, s.condition",
        )?;
        let rows = stmt.query_map(
            params![
                kind,
                id,
                filter.model,
                filter.lot,
                filter.class.map(|c| c.name())
            ],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, i64>(4)?,
                    row.get::<_, String>(5)?,
                    row.get::<_, String>(6)?,
                    row.get::<_, String>(7)?,
                    row.get::<_, String>(8)?,
                    row.get::<_, Option<String>>(9)?,
                ))
            },
        )?;
        let mut lines = Vec::new();
        for row in rows {
            let (loc_kind, loc_id, lot, condition, quantity, model, class, expires, name, county) =
                row?;
            let corrupt = |what: &str| {
                LedgerError::Corrupt(format!(
                    "stock of lot {lot} at {loc_kind}:{loc_id} has a bad {what}"
                ))
            };
            lines.push(StockLine {
                location: StockHolder::from_parts(&loc_kind, &loc_id)
                    .ok_or_else(|| corrupt("location"))?,
                location_name: name,
                county,
                model,
                class: class.parse().map_err(|_| corrupt("class"))?,
                condition: condition.parse().map_err(|_| corrupt("condition"))?,
                expires: read_date(&expires).ok_or_else(|| corrupt("expiry date"))?,
                lot,
                quantity,
            });
        }
        Ok(lines)
    }

    /// Rounds fired, grouped as asked (at most one of month, season, year), optionally from
    /// and to a date (both included).
    pub fn consumption(
        &self,
        by: &[Grouping],
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<ConsumptionRow>, LedgerError> {
        let periods = by
            .iter()
            .filter(|g| matches!(g, Grouping::Month | Grouping::Season | Grouping::Year))
            .count();
        if periods > 1 {
            return Err(LedgerError::Invalid(
                "group by at most one of month, season and year".into(),
            ));
        }
        let mut stmt = self.conn().prepare_cached(
            "SELECT county, site, model, class, substr(at, 1, 7) AS month, SUM(rounds), COUNT(DISTINCT seq)
             FROM firings
             WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR at < ?2)
             GROUP BY county, site, model, class, month",
        )?;
        let from = from.map(|d| d.to_string());
        let to = to.and_then(|d| d.succ_opt()).map(|d| d.to_string());
        let rows = stmt.query_map(params![from, to], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, i64>(5)?,
                row.get::<_, i64>(6)?,
            ))
        })?;
        let has = |g: Grouping| by.contains(&g);
        type Key = (
            Option<String>,
            Option<String>,
            Option<String>,
            Option<ItemClass>,
            Option<String>,
        );
        let mut groups: BTreeMap<Key, (i64, i64)> = BTreeMap::new();
        for row in rows {
            let (county, site, model, class, month, rounds, firings) = row?;
            let class: ItemClass = class.parse().map_err(|_| {
                LedgerError::Corrupt(format!("a firing at site {site} has a bad class"))
            })?;
            let period = if has(Grouping::Month) {
                Some(month)
            } else if has(Grouping::Season) {
                season_of(&month)
            } else if has(Grouping::Year) {
                month.get(..4).map(str::to_string)
            } else {
                None
            };
            let key = (
                has(Grouping::County).then_some(county),
                has(Grouping::Site).then_some(site),
                has(Grouping::Model).then_some(model),
                has(Grouping::Class).then_some(class),
                period,
            );
            let entry = groups.entry(key).or_default();
            entry.0 += rounds;
            entry.1 += firings;
        }
        Ok(groups
            .into_iter()
            .map(
                |((county, site, model, class, period), (rounds, firings))| ConsumptionRow {
                    county,
                    site,
                    model,
                    class,
                    period,
                    rounds,
                    firings,
                },
            )
            .collect())
    }
}
