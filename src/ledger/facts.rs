//! Reading the ledger's current state: registers by id, stock held at a location, open
//! transfers, the thresholds. Shared by the rule checks, the projection updates and the
//! queries; every lookup is one indexed statement, prepared once per connection.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};
use serde::de::DeserializeOwned;

use super::LedgerError;
use super::clock::{format_time, read_date};
use super::records::{
    AirspaceApproval, AmmoModel, Condition, Depot, Equipment, FiringSector, ItemClass,
    OperationPoint, Operator, SerialRange, StockHolder, Vehicle,
};
use super::thresholds::Thresholds;

/// The facts of a lot the rules need.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LotFacts {
    /// Lot number.
    pub lot: String,
    /// Model name.
    pub model: String,
    /// Item class of the model.
    pub class: ItemClass,
    /// Last usable day.
    pub expires: NaiveDate,
    /// Serial numbers, if numbered.
    pub serials: Option<SerialRange>,
}

/// A transfer as recorded at dispatch.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TransferFacts {
    /// Sending depot.
    pub from: String,
    /// Receiving depot.
    pub to: String,
    /// Transport licence.
    pub licence: String,
    /// Whether it has arrived.
    pub arrived: bool,
}

/// Decodes a register's JSON body.
pub(crate) fn decode<T: DeserializeOwned>(
    table: &str,
    key: &str,
    body: &str,
) -> Result<T, LedgerError> {
    serde_json::from_str(body).map_err(|e| {
        LedgerError::Corrupt(format!("stored {table} record {key} cannot be read: {e}"))
    })
}

/// Reads one register record by key.
fn record<T: DeserializeOwned>(
    conn: &Connection,
    table: &str,
    key_column: &str,
    key: &str,
) -> Result<Option<T>, LedgerError> {
    let sql = format!("SELECT body FROM {table} WHERE {key_column} = ?1");
    let body: Option<String> = conn
        .prepare_cached(&sql)?
        .query_row([key], |row| row.get(0))
        .optional()?;
    body.map(|b| decode(table, key, &b)).transpose()
}

/// The thresholds in force.
pub(crate) fn thresholds(conn: &Connection) -> Result<Thresholds, LedgerError> {
    let value: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = 'thresholds'")?
        .query_row([], |row| row.get(0))
        .optional()?;
    match value {
        Some(v) => decode::<Thresholds>("settings", "thresholds", &v)?
            .checked()
            .map_err(|why| LedgerError::Corrupt(format!("stored thresholds: {why}"))),
        None => Ok(Thresholds::default()),
    }
}

/// A registered ammunition model.
pub(crate) fn model(conn: &Connection, name: &str) -> Result<Option<AmmoModel>, LedgerError> {
    record(conn, "models", "name", name)
}

/// A depot.
pub(crate) fn depot(conn: &Connection, id: &str) -> Result<Option<Depot>, LedgerError> {
    record(conn, "depots", "id", id)
}

/// An operation point.
pub(crate) fn site(conn: &Connection, id: &str) -> Result<Option<OperationPoint>, LedgerError> {
    record(conn, "sites", "id", id)
}

/// The firing sector of a site, if computed.
pub(crate) fn sector(conn: &Connection, site: &str) -> Result<Option<FiringSector>, LedgerError> {
    record(conn, "sectors", "site", site)
}

/// A vehicle.
pub(crate) fn vehicle(conn: &Connection, id: &str) -> Result<Option<Vehicle>, LedgerError> {
    record(conn, "vehicles", "id", id)
}

/// An operator.
pub(crate) fn operator(conn: &Connection, id: &str) -> Result<Option<Operator>, LedgerError> {
    record(conn, "operators", "id", id)
}

/// A piece of equipment.
pub(crate) fn equipment(conn: &Connection, id: &str) -> Result<Option<Equipment>, LedgerError> {
    record(conn, "equipment", "id", id)
}

/// The facts of a lot.
pub(crate) fn lot(conn: &Connection, lot: &str) -> Result<Option<LotFacts>, LedgerError> {
    let row = conn
        .prepare_cached(
            "SELECT model, class, expires, serial_first, serial_last FROM lots WHERE lot = ?1",
        )?
        .query_row([lot], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<i64>>(3)?,
                row.get::<_, Option<i64>>(4)?,
            ))
        })
        .optional()?;
    let Some((model, class, expires, first, last)) = row else {
        return Ok(None);
    };
    let corrupt = |what: &str| LedgerError::Corrupt(format!("stored lot {lot} has a bad {what}"));
    Ok(Some(LotFacts {
        lot: lot.to_string(),
        model,
        class: class.parse().map_err(|_| corrupt("class"))?,
        expires: read_date(&expires).ok_or_else(|| corrupt("expiry date"))?,
        serials: first
            .zip(last)
            .map(|(first, last)| SerialRange { first, last }),
    }))
}

/// The site's airspace approvals whose window covers `at`.
pub(crate) fn windows(
    conn: &Connection,
    site: &str,
    at: NaiveDateTime,
) -> Result<Vec<AirspaceApproval>, LedgerError> {
    let at = format_time(at);
    let mut stmt = conn.prepare_cached(
        "SELECT reference, body FROM airspace INDEXED BY airspace_by_site_end
         WHERE site = ?1 AND end >= ?2 AND start <= ?2 ORDER BY start",
    )?;
    let rows = stmt.query_map(params![site, at], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
    })?;
    let mut windows = Vec::new();
    for row in rows {
        let (reference, body) = row?;
        windows.push(decode("airspace", &reference, &body)?);
    }
    Ok(windows)
}

/// Rounds of one lot in one condition at a location.
pub(crate) fn held(
    conn: &Connection,
    location: &StockHolder,
    lot: &str,
    condition: Condition,
) -> Result<i64, LedgerError> {
    let quantity = conn
        .prepare_cached("SELECT quantity FROM stock WHERE loc_kind = ?1 AND loc_id = ?2 AND lot = ?3 AND condition = ?4")?
        .query_row(params![location.kind(), location.id(), lot, condition.name()], |row| row.get(0))
        .optional()?;
    Ok(quantity.unwrap_or(0))
}

/// Rounds of a class at a location, serviceable and dud together.
pub(crate) fn held_class(
    conn: &Connection,
    location: &StockHolder,
    class: ItemClass,
) -> Result<i64, LedgerError> {
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE(SUM(quantity), 0) FROM stock_totals
             WHERE loc_kind = ?1 AND loc_id = ?2 AND class = ?3",
        )?
        .query_row(
            params![location.kind(), location.id(), class.name()],
            |row| row.get(0),
        )?)
}

/// Rounds of a class on their way to a depot, leaving out one transfer if given: from the
/// depot's open transfers (partial index `transfers_open`) to their stock rows, so the cost
/// grows with the transfers open to this depot, not with all stock in transit.
pub(crate) fn in_transit_to(
    conn: &Connection,
    depot: &str,
    class: ItemClass,
    except: Option<&str>,
) -> Result<i64, LedgerError> {
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE(SUM(s.quantity), 0) FROM transfers t INDEXED BY transfers_open
             CROSS JOIN stock s ON s.loc_kind = 'transit' AND s.loc_id = t.id
             CROSS JOIN lots l ON l.lot = s.lot
             WHERE t.to_depot = ?1 AND t.arrived_seq IS NULL AND l.class = ?2 AND t.id IS NOT ?3",
        )?
        .query_row(params![depot, class.name(), except], |row| row.get(0))?)
}

/// Everything held at a location: (lot, condition, quantity), by lot.
pub(crate) fn holdings(
    conn: &Connection,
    location: &StockHolder,
) -> Result<Vec<(String, Condition, i64)>, LedgerError> {
    let mut stmt = conn.prepare_cached(
        "SELECT lot, condition, quantity FROM stock WHERE loc_kind = ?1 AND loc_id = ?2 ORDER BY lot, condition",
    )?;
    let rows = stmt.query_map(params![location.kind(), location.id()], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, i64>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (lot, condition, quantity) = row?;
        let condition = condition.parse().map_err(|_| {
            LedgerError::Corrupt(format!(
                "stock of lot {lot} at {location} has a bad condition"
            ))
        })?;
        out.push((lot, condition, quantity));
    }
    Ok(out)
}

/// A transfer.
pub(crate) fn transfer(conn: &Connection, id: &str) -> Result<Option<TransferFacts>, LedgerError> {
    Ok(conn
        .prepare_cached("SELECT from_depot, to_depot, licence, arrived_seq IS NOT NULL FROM transfers WHERE id = ?1")?
        .query_row([id], |row| {
            Ok(TransferFacts { from: row.get(0)?, to: row.get(1)?, licence: row.get(2)?, arrived: row.get(3)? })
        })
        .optional()?)
}

/// Whether a location exists: a registered depot or site, or a transfer still in transit.
pub(crate) fn location_exists(
    conn: &Connection,
    location: &StockHolder,
) -> Result<bool, LedgerError> {
    Ok(match location {
        StockHolder::Depot(id) => depot(conn, id)?.is_some(),
        StockHolder::Site(id) => site(conn, id)?.is_some(),
        StockHolder::Transit(id) => transfer(conn, id)?.is_some_and(|t| !t.arrived),
    })
}

/// The last event: (seq, hash), or (0, zeros) for an empty ledger.
pub(crate) fn head(conn: &Connection) -> Result<(i64, String), LedgerError> {
    let head = conn
        .prepare_cached("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")?
        .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    Ok(head.unwrap_or_else(|| (0, super::chain::GENESIS.to_string())))
}
