//! Admission of an event: gathers the facts from the ledger (inside the write transaction, so
//! no other process can change them in between) and runs every rule that applies, before
//! anything is written.
//!
//! Two kinds of refusal: [`LedgerError::Refused`] for a broken safety rule (with its rule id),
//! [`LedgerError::Invalid`] for an event that names unknown things or does not make sense
//! (an unknown lot, a quantity of 0, a firing with shells from a rocket launcher). Cost: a few
//! indexed lookups per item.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension};

use super::LedgerError;
use super::event::{
    Arrival, Dispatch, Dud, Event, Filing, Firing, Issue, Loss, NewEvent, Receipt, Return, Scrap,
    Stocktake,
};
use super::facts::{self, LotFacts};
use super::records::{
    Condition, Depot, DudKind, Item, ItemClass, OperationPoint, ScrapReason, StockHolder,
};
use super::rules::{
    airspace, crew, dud, equipment, expiry, incident, purchase, sector, storage, transport,
};
use super::thresholds::Thresholds;
use super::units;

/// The largest capacity of a depot or a site for one item class: a billion rounds, so that
/// every sum of stock, capacity and incoming rounds stays far inside `i64`.
pub const MAX_CAPACITY: i64 = 1_000_000_000;

/// One movement line after checking: the item (duplicates merged) and its lot.
pub(crate) struct Line {
    pub item: Item,
    pub lot: LotFacts,
}

/// Checks `new` against the ledger state and every rule; `Ok` means it may be written.
pub(crate) fn admit(
    conn: &Connection,
    thresholds: &Thresholds,
    new: &NewEvent,
) -> Result<(), LedgerError> {
    if new.actor.trim().is_empty() {
        return Err(invalid("every event needs an actor: who records it"));
    }
    let at = new.at;
    match &new.event {
        Event::Configure { key, value } => {
            thresholds
                .clone()
                .set(key, value)
                .map_err(|e| invalid(e.to_string()))?;
        }
        Event::Model(m) => {
            named(&m.name, "a model name")?;
            named(&m.maker, "the maker")?;
            if let Some(old) = facts::model(conn, &m.name)?
                && old.class != m.class
            {
                return Err(invalid(format!(
                    "model {} is already registered as a {}, not a {}",
                    m.name, old.class, m.class
                )));
            }
        }
        Event::Depot(d) => admit_depot(conn, d)?,
        Event::Site(s) => admit_site(conn, s)?,
        Event::Sector(s) => {
            known_site(conn, &s.site)?;
            if s.azimuths.is_empty() {
                return Err(invalid(format!(
                    "the firing sector of site {} has no azimuth range",
                    s.site
                )));
            }
            let (lo, hi) = (s.elevation_min_deg, s.elevation_max_deg);
            let azimuths_ok = s
                .azimuths
                .iter()
                .all(|r| (0.0..360.0).contains(&r.from_deg) && (0.0..360.0).contains(&r.to_deg));
            if !azimuths_ok || !(0.0..=90.0).contains(&lo) || !(0.0..=90.0).contains(&hi) || lo > hi
            {
                return Err(invalid(format!(
                    "the firing sector of site {} needs azimuths in 0-360 and elevations within 0-90 degrees, min below max",
                    s.site
                )));
            }
        }
        Event::Vehicle(v) => {
            named(&v.id, "a vehicle id")?;
            named(&v.plate, "a number plate")?;
        }
        Event::Operator(o) => {
            named(&o.id, "an operator id")?;
            named(&o.name, "the operator's name")?;
            named(&o.certificate, "a certificate number")?;
            if o.equipment.is_empty() {
                return Err(invalid(format!(
                    "operator {}: the certificate covers no equipment kind",
                    o.id
                )));
            }
            crew::adult(o, at.date(), thresholds)?;
        }
        Event::Equipment(e) => {
            named(&e.id, "an equipment id")?;
            named(&e.serial, "a serial number")?;
            named(&e.unit, "the owning unit")?;
            if let Some(site) = &e.site {
                known_site(conn, site)?;
            }
            if let Some(old) = facts::equipment(conn, &e.id)?
                && old.kind != e.kind
            {
                return Err(invalid(format!(
                    "equipment {} is a {}, not a {}",
                    e.id, old.kind, e.kind
                )));
            }
        }
        Event::Airspace(a) => {
            named(&a.reference, "an approval reference")?;
            known_site(conn, &a.site)?;
            if a.end <= a.start {
                return Err(invalid(format!(
                    "airspace window {} ends ({}) before it starts ({})",
                    a.reference, a.end, a.start
                )));
            }
        }
        Event::Receive(r) => admit_receive(conn, thresholds, r, at)?,
        Event::Dispatch(d) => admit_dispatch(conn, thresholds, d)?,
        Event::Arrive(a) => admit_arrival(conn, a)?,
        Event::Issue(i) => admit_issue(conn, thresholds, i, at)?,
        Event::Fire(f) => admit_firing(conn, thresholds, f, at)?,
        Event::Dud(d) => admit_dud(conn, thresholds, d)?,
        Event::Return(r) => admit_return(conn, thresholds, r)?,
        Event::Scrap(s) => admit_scrap(conn, thresholds, s, at)?,
        Event::Stocktake(s) => admit_stocktake(conn, thresholds, s)?,
        Event::Loss(l) => admit_loss(conn, thresholds, l)?,
        Event::File(f) => admit_filing(conn, f)?,
    }
    // The rounds one by one, once every other rule has passed.
    units::admit(conn, thresholds, &new.event)
}

fn invalid(message: impl Into<String>) -> LedgerError {
    LedgerError::Invalid(message.into())
}

/// A checked sum of two stored quantities (bounded by the capacities: an overflow is damage).
fn sum(a: i64, b: i64) -> Result<i64, LedgerError> {
    a.checked_add(b).ok_or_else(|| {
        LedgerError::Corrupt("stored stock adds up to more than a whole number can hold".into())
    })
}

fn named(text: &str, what: &str) -> Result<(), LedgerError> {
    if text.trim().is_empty() {
        Err(invalid(format!("{what} is missing")))
    } else {
        Ok(())
    }
}

fn known_site(conn: &Connection, id: &str) -> Result<OperationPoint, LedgerError> {
    facts::site(conn, id)?.ok_or_else(|| {
        invalid(format!(
            "site {id} is not registered (import it with `wxmod ledger site`)"
        ))
    })
}

fn known_depot(conn: &Connection, id: &str) -> Result<Depot, LedgerError> {
    facts::depot(conn, id)?.ok_or_else(|| {
        invalid(format!(
            "depot {id} is not registered (add it with `wxmod ledger depot`)"
        ))
    })
}

/// Checks the lines of a movement: known lots, quantities of at least `min` and, when `limit`
/// is given, at most `limit` per line (threshold `max_line_quantity`), the same lot and
/// condition named twice merged into one line (the merged quantity is under the limit too).
/// Sums are checked: an overflow is a refusal, never a wrap.
pub(crate) fn lines(
    conn: &Connection,
    items: &[Item],
    min: i64,
    limit: Option<i64>,
) -> Result<Vec<Line>, LedgerError> {
    if items.is_empty() {
        return Err(invalid("the event lists no items (give LOT:QUANTITY)"));
    }
    let mut merged: BTreeMap<(String, Condition), Item> = BTreeMap::new();
    for item in items {
        if item.quantity < min {
            return Err(invalid(format!(
                "lot {}: quantity {} must be at least {min}",
                item.lot, item.quantity
            )));
        }
        let slot = merged
            .entry((item.lot.clone(), item.condition))
            .or_insert_with(|| Item::new(item.lot.clone(), 0, item.condition));
        slot.quantity = slot.quantity.checked_add(item.quantity).ok_or_else(|| {
            invalid(format!(
                "lot {}: the quantities listed add up to more than a whole number can hold",
                item.lot
            ))
        })?;
        slot.serials.extend(item.serials.iter().copied());
    }
    if let Some(limit) = limit {
        for ((lot, _), item) in &merged {
            within_line_limit(lot, item.quantity, limit)?;
        }
    }
    merged
        .into_values()
        .map(|item| {
            let facts = facts::lot(conn, &item.lot)?
                .ok_or_else(|| invalid(format!("lot {} is not in the ledger", item.lot)))?;
            Ok(Line { item, lot: facts })
        })
        .collect()
}

/// The per-line quantity limit (threshold `max_line_quantity`, default 100,000 \[A\]).
pub(crate) fn within_line_limit(lot: &str, quantity: i64, limit: i64) -> Result<(), LedgerError> {
    if quantity > limit {
        return Err(invalid(format!(
            "lot {lot}: {quantity} rounds in one line is over the limit of {limit} (threshold max_line_quantity)"
        )));
    }
    Ok(())
}

/// Total quantity per item class, checked.
fn per_class(lines: &[Line]) -> Result<BTreeMap<ItemClass, i64>, LedgerError> {
    let mut totals: BTreeMap<ItemClass, i64> = BTreeMap::new();
    for line in lines {
        let slot = totals.entry(line.lot.class).or_default();
        *slot = slot.checked_add(line.item.quantity).ok_or_else(|| {
            invalid("the quantities of the event add up to more than a whole number can hold")
        })?;
    }
    Ok(totals)
}

/// L8 for every line taken from `from`.
fn enough(conn: &Connection, from: &StockHolder, lines: &[Line]) -> Result<(), LedgerError> {
    for line in lines {
        let held = facts::held(conn, from, &line.item.lot, line.item.condition)?;
        storage::enough_stock(from, &line.item, held)?;
    }
    Ok(())
}

/// L7 and L9 for what `lines` bring into a depot, counting transfers on their way to it.
fn depot_room(
    conn: &Connection,
    depot: &Depot,
    lines: &[Line],
    except_transfer: Option<&str>,
) -> Result<(), LedgerError> {
    let location = StockHolder::Depot(depot.id.clone());
    for (class, incoming) in per_class(lines)? {
        let held = sum(
            facts::held_class(conn, &location, class)?,
            facts::in_transit_to(conn, &depot.id, class, except_transfer)?,
        )?;
        storage::depot_capacity(depot, class, held, incoming)?;
    }
    Ok(())
}

fn admit_depot(conn: &Connection, d: &Depot) -> Result<(), LedgerError> {
    named(&d.id, "a depot id")?;
    named(&d.name, "the depot's name")?;
    storage::qualified_depot(d)?;
    storage::dedicated_keeper(d)?;
    let location = StockHolder::Depot(d.id.clone());
    for class in ItemClass::ALL.iter().copied() {
        if !(0..=MAX_CAPACITY).contains(&d.capacity.get(class)) {
            return Err(invalid(format!(
                "depot {}: capacity for {class}s must lie in 0-{MAX_CAPACITY}",
                d.id
            )));
        }
        let held = sum(
            facts::held_class(conn, &location, class)?,
            facts::in_transit_to(conn, &d.id, class, None)?,
        )?;
        if held > 0 {
            storage::depot_capacity(d, class, held, 0)?;
        }
    }
    Ok(())
}

fn admit_site(conn: &Connection, s: &OperationPoint) -> Result<(), LedgerError> {
    named(&s.id, "a site id")?;
    named(&s.county, &format!("the county of site {}", s.id))?;
    if !(-180.0..=180.0).contains(&s.lon) || !(-90.0..=90.0).contains(&s.lat) {
        return Err(invalid(format!(
            "site {}: ({}, {}) is not a WGS84 lon/lat position",
            s.id, s.lon, s.lat
        )));
    }
    let location = StockHolder::Site(s.id.clone());
    for class in ItemClass::ALL.iter().copied() {
        if !(0..=MAX_CAPACITY).contains(&s.capacity.get(class)) {
            return Err(invalid(format!(
                "site {}: capacity for {class}s must lie in 0-{MAX_CAPACITY}",
                s.id
            )));
        }
        let held = facts::held_class(conn, &location, class)?;
        if held > 0 {
            storage::site_capacity(s, class, held, 0)?;
        }
    }
    Ok(())
}

fn admit_receive(
    conn: &Connection,
    t: &Thresholds,
    r: &Receipt,
    at: NaiveDateTime,
) -> Result<(), LedgerError> {
    let lot = &r.lot;
    named(&lot.lot, "a lot number")?;
    named(
        &r.purchase,
        &format!("the purchase reference of lot {}", lot.lot),
    )?;
    let depot = known_depot(conn, &r.depot)?;
    if facts::lot(conn, &lot.lot)?.is_some() {
        return Err(invalid(format!("lot {} is already in the ledger", lot.lot)));
    }
    if lot.quantity < 1 {
        return Err(invalid(format!(
            "lot {}: quantity {} must be at least 1",
            lot.lot, lot.quantity
        )));
    }
    within_line_limit(&lot.lot, lot.quantity, t.max_line_quantity)?;
    if let Some(serials) = lot.serials
        && (serials.first < 0 || serials.last < serials.first)
    {
        return Err(invalid(format!(
            "lot {}: serials {}-{} are not a range of numbers 0 or more, first to last",
            lot.lot, serials.first, serials.last
        )));
    }
    if let Some(serials) = lot.serials
        && serials.len() != lot.quantity
    {
        return Err(invalid(format!(
            "lot {}: serials {}-{} number {}, not the {} received",
            lot.lot,
            serials.first,
            serials.last,
            serials.len(),
            lot.quantity
        )));
    }
    if lot.expires < lot.manufactured {
        return Err(invalid(format!(
            "lot {} expires ({}) before it was made ({})",
            lot.lot, lot.expires, lot.manufactured
        )));
    }
    let model = facts::model(conn, &lot.model)?;
    let model = purchase::designated_maker(&lot.model, model.as_ref())?;
    expiry::unexpired(&lot.lot, lot.expires, at.date())?;
    if let Some(serials) = lot.serials {
        // Ranges of one model never overlap (this check keeps it so), so only the range
        // starting last at or before our end can overlap ours.
        let before: Option<(String, i64)> = conn
            .prepare_cached(
                "SELECT lot, serial_last FROM lots WHERE model = ?1 AND serial_first <= ?2
                 ORDER BY serial_first DESC LIMIT 1",
            )?
            .query_row(rusqlite::params![lot.model, serials.last], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()?;
        if let Some((other, last)) = before
            && last >= serials.first
        {
            return Err(invalid(format!(
                "lot {}: serials {}-{} overlap those of lot {other} of the same model",
                lot.lot, serials.first, serials.last
            )));
        }
    }
    let location = StockHolder::Depot(depot.id.clone());
    let held = sum(
        facts::held_class(conn, &location, model.class)?,
        facts::in_transit_to(conn, &depot.id, model.class, None)?,
    )?;
    storage::depot_capacity(&depot, model.class, held, lot.quantity)?;
    Ok(())
}

fn admit_dispatch(conn: &Connection, t: &Thresholds, d: &Dispatch) -> Result<(), LedgerError> {
    named(&d.transfer, "a transfer id")?;
    if facts::transfer(conn, &d.transfer)?.is_some() {
        return Err(invalid(format!(
            "transfer {} is already in the ledger",
            d.transfer
        )));
    }
    known_depot(conn, &d.from)?;
    let to = known_depot(conn, &d.to)?;
    if d.from == d.to {
        return Err(invalid(format!(
            "transfer {} goes from depot {} to itself",
            d.transfer, d.from
        )));
    }
    transport::transport_licence(&d.transfer, &d.licence)?;
    transport::vehicle_and_escort(
        &d.transfer,
        &d.vehicle,
        facts::vehicle(conn, &d.vehicle)?.as_ref(),
        &d.escort,
    )?;
    let lines = lines(conn, &d.items, 1, Some(t.max_line_quantity))?;
    enough(conn, &StockHolder::Depot(d.from.clone()), &lines)?;
    depot_room(conn, &to, &lines, None)
}

fn admit_arrival(conn: &Connection, a: &Arrival) -> Result<(), LedgerError> {
    let transfer = facts::transfer(conn, &a.transfer)?
        .ok_or_else(|| invalid(format!("transfer {} was never dispatched", a.transfer)))?;
    if transfer.arrived {
        return Err(invalid(format!(
            "transfer {} has already arrived",
            a.transfer
        )));
    }
    let to = known_depot(conn, &transfer.to)?;
    let items: Vec<Item> = facts::holdings(conn, &StockHolder::Transit(a.transfer.clone()))?
        .into_iter()
        .map(|(lot, condition, quantity)| Item::new(lot, quantity, condition))
        .collect();
    if items.is_empty() {
        // Everything on the road was written off as lost; the arrival only closes the transfer.
        return Ok(());
    }
    let lines = lines(conn, &items, 1, None)?;
    depot_room(conn, &to, &lines, Some(&a.transfer))
}

fn admit_issue(
    conn: &Connection,
    thresholds: &Thresholds,
    i: &Issue,
    at: NaiveDateTime,
) -> Result<(), LedgerError> {
    known_depot(conn, &i.depot)?;
    let site = known_site(conn, &i.site)?;
    let lines = lines(conn, &i.items, 1, Some(thresholds.max_line_quantity))?;
    for line in &lines {
        dud::serviceable(&line.item)?;
        expiry::unexpired(&line.item.lot, line.lot.expires, at.date())?;
    }
    enough(conn, &StockHolder::Depot(i.depot.clone()), &lines)?;
    let location = StockHolder::Site(site.id.clone());
    for (class, quantity) in per_class(&lines)? {
        storage::site_may_store(&site, class)?;
        storage::period_need(&site.id, class, quantity, thresholds)?;
        storage::site_capacity(
            &site,
            class,
            facts::held_class(conn, &location, class)?,
            quantity,
        )?;
    }
    Ok(())
}

fn admit_firing(
    conn: &Connection,
    thresholds: &Thresholds,
    f: &Firing,
    at: NaiveDateTime,
) -> Result<(), LedgerError> {
    let site = known_site(conn, &f.site)?;
    let gear = facts::equipment(conn, &f.equipment)?
        .ok_or_else(|| invalid(format!("equipment {} is not registered", f.equipment)))?;
    if let Some(home) = gear.site.as_deref()
        && home != site.id
    {
        return Err(invalid(format!(
            "{} {} stands at site {home}, not at site {}",
            gear.kind, gear.id, site.id
        )));
    }
    let lines = lines(conn, &f.items, 1, Some(thresholds.max_line_quantity))?;
    for line in &lines {
        if line.lot.class != gear.kind.fires() {
            return Err(invalid(format!(
                "{} {} fires {}s, but lot {} holds {}s",
                gear.kind,
                gear.id,
                gear.kind.fires(),
                line.item.lot,
                line.lot.class
            )));
        }
        dud::serviceable(&line.item)?;
        expiry::unexpired(&line.item.lot, line.lot.expires, at.date())?;
    }
    if gear.kind.needs_airspace() {
        let (Some(azimuth), Some(elevation)) = (f.azimuth_deg, f.elevation_deg) else {
            return Err(invalid(format!(
                "a {} firing records its azimuth and elevation",
                gear.kind
            )));
        };
        if !(0.0..360.0).contains(&azimuth) || !(0.0..=90.0).contains(&elevation) {
            return Err(invalid(format!(
                "azimuth {azimuth} must lie in 0-360 and elevation {elevation} in 0-90 degrees"
            )));
        }
    }
    serials_in_lots(&f.serials, &lines)?;
    enough(conn, &StockHolder::Site(site.id.clone()), &lines)?;
    equipment::usable(&gear, at.date(), thresholds)?;
    airspace::airspace_window(
        gear.kind,
        &site.id,
        at,
        &facts::windows(conn, &site.id, at)?,
    )?;
    let mut team = Vec::with_capacity(f.crew.len());
    for id in &f.crew {
        team.push((id.clone(), facts::operator(conn, id)?));
    }
    crew::crew(gear.kind, &team, at, thresholds)?;
    if gear.kind.needs_airspace() {
        sector::within_sector(
            &site.id,
            facts::sector(conn, &site.id)?.as_ref(),
            f.azimuth_deg,
            f.elevation_deg,
        )?;
    }
    Ok(())
}

/// Recorded serial numbers must belong to the lots named.
fn serials_in_lots(serials: &[i64], lines: &[Line]) -> Result<(), LedgerError> {
    for serial in serials {
        if !lines
            .iter()
            .any(|l| l.lot.serials.is_some_and(|r| r.contains(*serial)))
        {
            let lots: Vec<&str> = lines.iter().map(|l| l.item.lot.as_str()).collect();
            return Err(invalid(format!(
                "serial {serial} belongs to none of the lots {}",
                lots.join(", ")
            )));
        }
    }
    Ok(())
}

#[path = "admit_disposal.rs"]
mod disposal;
use disposal::{admit_dud, admit_filing, admit_loss, admit_return, admit_scrap, admit_stocktake};
