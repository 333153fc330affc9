//! Applying an admitted event to the projection tables: registers, stock, transfers, firings,
//! stock-takes and the duties it creates (filings and reports with their due times).
//!
//! Deterministic: the result depends only on the tables and the event (never on the clock),
//! so replaying the log into an empty ledger rebuilds every table exactly; `verify` relies on
//! this, and replays without admitting, which is why this module looks its lots up itself
//! rather than taking them from the admission. Stock moves subtract before they add; a row that reaches zero is deleted, and the
//! CHECK constraint on `stock` stops any negative quantity even if a rule were missed.

use chrono::{NaiveDateTime, TimeDelta};
use rusqlite::{Connection, params};
use serde::Serialize;

use super::LedgerError;
use super::admit;
use super::clock::{due_after, format_time};
use super::event::{Event, Firing, NewEvent};
use super::facts;
use super::records::{Condition, DudKind, Item, StockHolder};
use super::rules::RuleId;
use super::thresholds::Thresholds;
use super::timeline;
use super::units;

/// A duty an event creates: a filing, a return or a report due by a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duty {
    /// The rule that asks for it.
    pub rule: RuleId,
    /// What is to be done.
    pub subject: String,
    /// When it is due, local time.
    pub due: NaiveDateTime,
}

/// Applies `new`, recorded as event `seq`, and returns the duties it created.
pub(crate) fn apply(
    conn: &Connection,
    seq: i64,
    new: &NewEvent,
    thresholds: &Thresholds,
) -> Result<Vec<Duty>, LedgerError> {
    let at = new.at;
    let mut duties = Vec::new();
    let subjects = timeline::subjects(conn, &new.event)?;
    match &new.event {
        Event::Configure { key, value } => {
            let mut updated = thresholds.clone();
            updated
                .set(key, value)
                .map_err(|e| LedgerError::Invalid(e.to_string()))?;
            conn.prepare_cached(
                "INSERT OR REPLACE INTO settings (key, value) VALUES ('thresholds', ?1)",
            )?
            .execute([json(&updated)?])?;
        }
        Event::Model(m) => {
            conn.prepare_cached(
                "INSERT OR REPLACE INTO models (name, class, body) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![m.name, m.class.name(), json(m)?])?;
        }
        Event::Depot(d) => {
            conn.prepare_cached("INSERT OR REPLACE INTO depots (id, body) VALUES (?1, ?2)")?
                .execute(params![d.id, json(d)?])?;
        }
        Event::Site(s) => {
            conn.prepare_cached(
                "INSERT OR REPLACE INTO sites (id, county, body) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![s.id, s.county, json(s)?])?;
        }
        Event::Sector(s) => {
            conn.prepare_cached("INSERT OR REPLACE INTO sectors (site, body) VALUES (?1, ?2)")?
                .execute(params![s.site, json(s)?])?;
        }
        Event::Vehicle(v) => {
            conn.prepare_cached("INSERT OR REPLACE INTO vehicles (id, body) VALUES (?1, ?2)")?
                .execute(params![v.id, json(v)?])?;
        }
        Event::Operator(o) => {
            conn.prepare_cached("INSERT OR REPLACE INTO operators (id, body) VALUES (?1, ?2)")?
                .execute(params![o.id, json(o)?])?;
        }
        Event::Equipment(e) => {
            if let Some(old) = facts::equipment(conn, &e.id)?
                && old.unit != e.unit
            {
                duties.push(Duty {
                    rule: RuleId::L25,
                    subject: format!(
                        "file the transfer of {} {} from {} to {} with the provincial meteorological bureau",
                        e.kind, e.id, old.unit, e.unit
                    ),
                    due: due(at, TimeDelta::try_days(thresholds.equipment_filing_days))?,
                });
            }
            conn.prepare_cached(
                "INSERT OR REPLACE INTO equipment (id, kind, body) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![e.id, e.kind.name(), json(e)?])?;
        }
        Event::Airspace(a) => {
            conn.prepare_cached("INSERT OR REPLACE INTO airspace (reference, site, start, end, body) VALUES (?1, ?2, ?3, ?4, ?5)")?
                .execute(params![a.reference, a.site, format_time(a.start), format_time(a.end), json(a)?])?;
        }
        Event::Receive(r) => {
            let lot = &r.lot;
            let model = facts::model(conn, &lot.model)?.ok_or_else(|| {
                LedgerError::Invalid(format!("model {} is not registered", lot.model))
            })?;
            conn.prepare_cached(
                "INSERT INTO lots (lot, model, class, expires, serial_first, serial_last, received_seq, body)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                lot.lot,
                lot.model,
                model.class.name(),
                lot.expires.to_string(),
                lot.serials.map(|s| s.first),
                lot.serials.map(|s| s.last),
                seq,
                json(lot)?
            ])?;
            add(
                conn,
                &StockHolder::Depot(r.depot.clone()),
                &lot.lot,
                Condition::Good,
                lot.quantity,
            )?;
            mention_lot(conn, &lot.lot, seq)?;
            if !r.opening {
                duties.push(Duty {
                    rule: RuleId::L2,
                    subject: format!(
                        "file the purchase {} of lot {} ({} x {}) into depot {} with county public security",
                        r.purchase, lot.lot, lot.quantity, lot.model, r.depot
                    ),
                    due: due(at, TimeDelta::try_days(thresholds.police_filing_days))?,
                });
            }
        }
        Event::Dispatch(d) => {
            conn.prepare_cached(
                "INSERT INTO transfers (id, from_depot, to_depot, vehicle, escort, licence, dispatched_seq, dispatched_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![d.transfer, d.from, d.to, d.vehicle, d.escort, d.licence, seq, format_time(at)])?;
            let transit = StockHolder::Transit(d.transfer.clone());
            move_items(
                conn,
                &StockHolder::Depot(d.from.clone()),
                Some(&transit),
                &d.items,
                seq,
            )?;
        }
        Event::Arrive(a) => {
            let transfer = facts::transfer(conn, &a.transfer)?.ok_or_else(|| {
                LedgerError::Invalid(format!("transfer {} was never dispatched", a.transfer))
            })?;
            let transit = StockHolder::Transit(a.transfer.clone());
            let to = StockHolder::Depot(transfer.to.clone());
            let on_board: Vec<Item> = facts::holdings(conn, &transit)?
                .into_iter()
                .map(|(lot, condition, quantity)| Item::new(lot, quantity, condition))
                .collect();
            if !on_board.is_empty() {
                move_items(conn, &transit, Some(&to), &on_board, seq)?;
            }
            conn.prepare_cached(
                "UPDATE transfers SET arrived_seq = ?1, arrived_at = ?2 WHERE id = ?3",
            )?
            .execute(params![seq, format_time(at), a.transfer])?;
            duties.push(Duty {
                rule: RuleId::L4,
                subject: format!(
                    "return transport licence {} of transfer {} ({} to {})",
                    transfer.licence, a.transfer, transfer.from, transfer.to
                ),
                due: due(at, TimeDelta::try_days(thresholds.licence_return_days))?,
            });
        }
        Event::Issue(i) => {
            let site = StockHolder::Site(i.site.clone());
            move_items(
                conn,
                &StockHolder::Depot(i.depot.clone()),
                Some(&site),
                &i.items,
                seq,
            )?;
            touch_site(conn, &i.site, at)?;
        }
        Event::Fire(f) => duties.extend(apply_firing(conn, seq, at, f, thresholds)?),
        Event::Dud(d) => {
            let site = StockHolder::Site(d.site.clone());
            mention_lot(conn, &d.lot, seq)?;
            match d.kind {
                DudKind::Misfire => {
                    remove(conn, &site, &d.lot, Condition::Good, d.quantity)?;
                    add(conn, &site, &d.lot, Condition::Dud, d.quantity)?;
                }
                DudKind::Fallen => duties.push(Duty {
                    rule: RuleId::L28,
                    subject: format!(
                        "investigate the fallen dud of lot {} fired from site {}{}",
                        d.lot,
                        d.site,
                        match (d.bearing_deg, d.distance_m) {
                            (Some(b), Some(m)) => format!(" (found at bearing {b} degrees, {m} m)"),
                            _ => String::new(),
                        }
                    ),
                    due: due(at, TimeDelta::try_days(thresholds.dud_investigation_days))?,
                }),
            }
            touch_site(conn, &d.site, at)?;
        }
        Event::Return(r) => {
            let depot = StockHolder::Depot(r.depot.clone());
            move_items(
                conn,
                &StockHolder::Site(r.site.clone()),
                Some(&depot),
                &r.items,
                seq,
            )?;
        }
        Event::Scrap(s) => {
            move_items(
                conn,
                &StockHolder::Depot(s.depot.clone()),
                None,
                &s.items,
                seq,
            )?;
        }
        Event::Stocktake(s) => {
            let location = &s.location;
            let overflow = || {
                LedgerError::Invalid(
                    "the counts add up to more than a whole number can hold".into(),
                )
            };
            let mut book: std::collections::BTreeMap<(String, Condition), (i64, i64)> =
                Default::default();
            for (lot, condition, quantity) in facts::holdings(conn, location)? {
                let slot = &mut book.entry((lot, condition)).or_default().0;
                *slot = slot.checked_add(quantity).ok_or_else(overflow)?;
            }
            for item in &s.counts {
                let slot = &mut book
                    .entry((item.lot.clone(), item.condition))
                    .or_default()
                    .1;
                *slot = slot.checked_add(item.quantity).ok_or_else(overflow)?;
            }
            conn.prepare_cached("INSERT OR REPLACE INTO stocktakes (loc_kind, loc_id, seq, at) VALUES (?1, ?2, ?3, ?4)")?
                .execute(params![location.kind(), location.id(), seq, format_time(at)])?;
            for ((lot, condition), (on_book, counted)) in book {
                mention_lot(conn, &lot, seq)?;
                if on_book != counted {
                    conn.prepare_cached(
                        "INSERT INTO discrepancies (seq, lot, condition, book, counted) VALUES (?1, ?2, ?3, ?4, ?5)",
                    )?
                    .execute(params![seq, lot, condition.name(), on_book, counted])?;
                }
            }
        }
        Event::Loss(l) => move_items(conn, &l.location, None, &l.items, seq)?,
        Event::File(f) => {
            conn.prepare_cached("UPDATE obligations SET filed_seq = ?1, reference = ?2 WHERE seq = ?3 AND rule = ?4")?
                .execute(params![seq, f.reference, f.event, f.rule.code()])?;
        }
    }
    units::apply(conn, seq, &new.event)?;
    timeline::touch(conn, &subjects, at)?;
    for duty in &duties {
        conn.prepare_cached(
            "INSERT INTO obligations (seq, rule, subject, due) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            seq,
            duty.rule.code(),
            duty.subject,
            format_time(duty.due)
        ])?;
    }
    Ok(duties)
}

fn apply_firing(
    conn: &Connection,
    seq: i64,
    at: NaiveDateTime,
    f: &Firing,
    thresholds: &Thresholds,
) -> Result<Vec<Duty>, LedgerError> {
    let site = facts::site(conn, &f.site)?
        .ok_or_else(|| LedgerError::Invalid(format!("site {} is not registered", f.site)))?;
    let location = StockHolder::Site(site.id.clone());
    let mut rounds = 0;
    for line in admit::lines(conn, &f.items, 1, None)? {
        remove(
            conn,
            &location,
            &line.item.lot,
            Condition::Good,
            line.item.quantity,
        )?;
        mention_lot(conn, &line.item.lot, seq)?;
        conn.prepare_cached(
            "INSERT INTO firings (seq, at, site, county, lot, model, class, rounds) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            seq,
            format_time(at),
            site.id,
            site.county,
            line.item.lot,
            line.lot.model,
            line.lot.class.name(),
            line.item.quantity
        ])?;
        rounds = i64::checked_add(rounds, line.item.quantity).ok_or_else(|| {
            LedgerError::Invalid(
                "the rounds of the firing add up to more than a whole number can hold".into(),
            )
        })?;
    }
    touch_site(conn, &site.id, at)?;
    let mut duties = Vec::new();
    let needs_airspace =
        facts::equipment(conn, &f.equipment)?.is_some_and(|e| e.kind.needs_airspace());
    if needs_airspace {
        duties.push(Duty {
            rule: RuleId::L16,
            subject: format!(
                "report the end of the operation at site {} to airspace control",
                site.id
            ),
            due: due(at, TimeDelta::try_hours(thresholds.end_report_hours))?,
        });
    }
    duties.push(Duty {
        rule: RuleId::L17,
        subject: format!(
            "file the written operation report of site {} ({rounds} rounds)",
            site.id
        ),
        due: due(at, TimeDelta::try_hours(thresholds.written_report_hours))?,
    });
    Ok(duties)
}

/// A due time that can be stored and read back, or a refusal.
fn due(at: NaiveDateTime, delta: Option<TimeDelta>) -> Result<NaiveDateTime, LedgerError> {
    due_after(at, delta).ok_or_else(|| {
        LedgerError::Invalid(format!(
            "a duty of the event at {at} would fall due after the year 9999"
        ))
    })
}

fn json<T: Serialize>(value: &T) -> Result<String, LedgerError> {
    serde_json::to_string(value)
        .map_err(|e| LedgerError::Invalid(format!("cannot encode a record: {e}")))
}

/// Moves the lines of a movement from one location to another, or out of stock (`to` none:
/// destroyed or lost), and notes each lot's history.
fn move_items(
    conn: &Connection,
    from: &StockHolder,
    to: Option<&StockHolder>,
    items: &[Item],
    seq: i64,
) -> Result<(), LedgerError> {
    for line in admit::lines(conn, items, 1, None)? {
        let Item {
            lot,
            quantity,
            condition,
            ..
        } = &line.item;
        remove(conn, from, lot, *condition, *quantity)?;
        if let Some(to) = to {
            add(conn, to, lot, *condition, *quantity)?;
        }
        mention_lot(conn, lot, seq)?;
    }
    Ok(())
}

fn add(
    conn: &Connection,
    location: &StockHolder,
    lot: &str,
    condition: Condition,
    quantity: i64,
) -> Result<(), LedgerError> {
    conn.prepare_cached(
        "INSERT INTO stock (loc_kind, loc_id, lot, condition, quantity) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (loc_kind, loc_id, lot, condition) DO UPDATE SET quantity = quantity + excluded.quantity",
    )?
    .execute(params![location.kind(), location.id(), lot, condition.name(), quantity])?;
    total(conn, location, lot, quantity)
}

/// Keeps `stock_totals` (rounds per location and class) in step with a change of `delta`
/// rounds of `lot`; a total that reaches zero is deleted, as stock rows are.
fn total(
    conn: &Connection,
    location: &StockHolder,
    lot: &str,
    delta: i64,
) -> Result<(), LedgerError> {
    let class: String = conn
        .prepare_cached("SELECT class FROM lots WHERE lot = ?1")?
        .query_row([lot], |row| row.get(0))?;
    // SQLite checks the CHECK constraint on the row to insert before it finds the conflict:
    // a decrease is an UPDATE, an increase an upsert.
    if delta < 0 {
        conn.prepare_cached(
            "UPDATE stock_totals SET quantity = quantity + ?4 WHERE loc_kind = ?1 AND loc_id = ?2 AND class = ?3",
        )?
        .execute(params![location.kind(), location.id(), class, delta])?;
    } else {
        conn.prepare_cached(
            "INSERT INTO stock_totals (loc_kind, loc_id, class, quantity) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (loc_kind, loc_id, class) DO UPDATE SET quantity = quantity + excluded.quantity",
        )?
        .execute(params![location.kind(), location.id(), class, delta])?;
    }
    conn.prepare_cached(
        "DELETE FROM stock_totals WHERE loc_kind = ?1 AND loc_id = ?2 AND class = ?3 AND quantity = 0",
    )?
    .execute(params![location.kind(), location.id(), class])?;
    Ok(())
}

fn remove(
    conn: &Connection,
    location: &StockHolder,
    lot: &str,
    condition: Condition,
    quantity: i64,
) -> Result<(), LedgerError> {
    let key = params![location.kind(), location.id(), lot, condition.name()];
    let changed = conn
        .prepare_cached(
            "UPDATE stock SET quantity = quantity - ?5 WHERE loc_kind = ?1 AND loc_id = ?2 AND lot = ?3 AND condition = ?4",
        )?
        .execute(params![location.kind(), location.id(), lot, condition.name(), quantity])?;
    if changed == 0 {
        return Err(LedgerError::Invalid(format!(
            "{location} holds no {condition} rounds of lot {lot}"
        )));
    }
    conn.prepare_cached("DELETE FROM stock WHERE loc_kind = ?1 AND loc_id = ?2 AND lot = ?3 AND condition = ?4 AND quantity = 0")?
        .execute(key)?;
    total(conn, location, lot, -quantity)
}

fn mention_lot(conn: &Connection, lot: &str, seq: i64) -> Result<(), LedgerError> {
    conn.prepare_cached("INSERT OR IGNORE INTO event_lots (lot, seq) VALUES (?1, ?2)")?
        .execute(params![lot, seq])?;
    Ok(())
}

/// Notes the latest issue, firing or dud at a site, from which its return falls due (L13).
fn touch_site(conn: &Connection, site: &str, at: NaiveDateTime) -> Result<(), LedgerError> {
    conn.prepare_cached(
        "INSERT INTO site_activity (site, last_at) VALUES (?1, ?2)
         ON CONFLICT (site) DO UPDATE SET last_at = max(last_at, excluded.last_at)",
    )?
    .execute(params![site, format_time(at)])?;
    Ok(())
}
