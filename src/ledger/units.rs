//! Per-serial accounting (逐发登记): a lot received with serial numbers is tracked round by
//! round, each [`Unit`] with its location, its state (good, dud, fired, fallen, scrapped, lost)
//! and the last event that moved it.
//!
//! Every issue, transfer, firing, dud, return, scrapping and loss of a numbered lot is split
//! into steps (lot, serials named, rounds, from where, in what state, to where); admission runs
//! the [`serial`](super::rules::serial) rules on each, inside the write transaction, and
//! applying writes the units moved. An arrival moves every unit on the road with its transfer.
//! Under `serials = optional` a movement may name no serials: that ends the lot's per-serial
//! record (`serial_lots.ended_seq`), which its history then states.
//!
//! Storage: `serial_lots` (one row per numbered lot: receiving depot, receipt event, end of the
//! record) and `units` (one row per unit that has moved since its receipt; a unit without a row
//! is still good at its receiving depot). So a receipt of 100,000 rounds writes one row, and an
//! event costs one primary-key lookup and one write per serial named, however many units the
//! ledger holds.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::LedgerError;
use super::admit;
use super::event::{Event, Firing};
use super::facts::LotFacts;
use super::ledger::Ledger;
use super::records::{Condition, DudKind, Item, SerialRange, StockHolder};
use super::rules::serial::{self, Wanted};
use super::thresholds::Thresholds;

/// What became of a numbered round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitState {
    /// In stock, serviceable.
    Good,
    /// In stock, a dud awaiting return and destruction.
    Dud,
    /// Fired.
    Fired,
    /// Fired and fell without self-destructing (a fallen dud).
    Fallen,
    /// Destroyed at a depot.
    Scrapped,
    /// Lost or stolen.
    Lost,
}

impl UnitState {
    const NAMES: [(UnitState, &'static str); 6] = [
        (UnitState::Good, "good"),
        (UnitState::Dud, "dud"),
        (UnitState::Fired, "fired"),
        (UnitState::Fallen, "fallen"),
        (UnitState::Scrapped, "scrapped"),
        (UnitState::Lost, "lost"),
    ];

    /// The stored name.
    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(s, _)| *s == self)
            .map_or("good", |(_, n)| n)
    }

    fn from_name(name: &str) -> Option<UnitState> {
        Self::NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(s, _)| *s)
    }

    /// Whether the round is gone from stock (fired, fallen, scrapped or lost).
    pub fn is_spent(self) -> bool {
        !matches!(self, UnitState::Good | UnitState::Dud)
    }

    /// The in-stock state of a condition.
    pub fn of(condition: Condition) -> UnitState {
        match condition {
            Condition::Good => UnitState::Good,
            Condition::Dud => UnitState::Dud,
        }
    }
}

impl fmt::Display for UnitState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One numbered round as the book has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    /// Its lot.
    pub lot: String,
    /// Its serial number.
    pub serial: i64,
    /// Where it is (or where it was fired, destroyed or lost).
    pub location: StockHolder,
    /// What became of it.
    pub state: UnitState,
    /// The last event that received or moved it.
    pub last_seq: i64,
}

/// The per-serial record of one round: its unit, and whether the record still holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SerialStatus {
    /// The unit, as of the last event that named it (or its receipt).
    pub unit: Unit,
    /// The event after which its lot is kept by lot only (a movement that named no serials
    /// under `serials = optional`); none while the record holds.
    pub ended_seq: Option<i64>,
}

/// Units in stock per location, lot and condition, from the per-serial record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SerialCount {
    /// Where.
    pub location: StockHolder,
    /// The lot.
    pub lot: String,
    /// Good or dud.
    pub condition: Condition,
    /// Units there.
    pub units: i64,
}

/// The per-serial record of a numbered lot.
struct Record {
    depot: String,
    received_seq: i64,
    ended_seq: Option<i64>,
}

/// One movement of one lot, seen round by round.
struct Step {
    lot: LotFacts,
    serials: Vec<SerialRange>,
    quantity: i64,
    from: StockHolder,
    wanted: Wanted,
    to: (StockHolder, UnitState),
    /// Whether the step changes the stock (a fallen dud does not).
    moves_stock: bool,
}

fn invalid(message: String) -> LedgerError {
    LedgerError::Invalid(message)
}

/// The steps of an event that moves or spends stock (none for the others).
fn steps(conn: &Connection, event: &Event) -> Result<Vec<Step>, LedgerError> {
    let stock = |to: StockHolder| move |c: Condition| (to.clone(), UnitState::of(c));
    let spent = |at: &StockHolder, state: UnitState| {
        let at = at.clone();
        move |_: Condition| (at.clone(), state)
    };
    Ok(match event {
        Event::Issue(i) => lines_to(
            conn,
            &i.items,
            &StockHolder::Depot(i.depot.clone()),
            stock(StockHolder::Site(i.site.clone())),
        )?,
        Event::Dispatch(d) => lines_to(
            conn,
            &d.items,
            &StockHolder::Depot(d.from.clone()),
            stock(StockHolder::Transit(d.transfer.clone())),
        )?,
        Event::Return(r) => lines_to(
            conn,
            &r.items,
            &StockHolder::Site(r.site.clone()),
            stock(StockHolder::Depot(r.depot.clone())),
        )?,
        Event::Scrap(s) => {
            let depot = StockHolder::Depot(s.depot.clone());
            lines_to(conn, &s.items, &depot, spent(&depot, UnitState::Scrapped))?
        }
        Event::Loss(l) => lines_to(
            conn,
            &l.items,
            &l.location,
            spent(&l.location, UnitState::Lost),
        )?,
        Event::Fire(f) => firing_steps(conn, f)?,
        Event::Dud(d) => {
            let site = StockHolder::Site(d.site.clone());
            let item = Item {
                serials: d
                    .serials
                    .iter()
                    .map(|&s| SerialRange { first: s, last: s })
                    .collect(),
                ..Item::new(d.lot.clone(), d.quantity, Condition::Good)
            };
            let mut steps = lines_to(
                conn,
                std::slice::from_ref(&item),
                &site,
                spent(&site, UnitState::Dud),
            )?;
            if d.kind == DudKind::Fallen {
                for step in &mut steps {
                    step.wanted = Wanted::Fired;
                    step.to = (site.clone(), UnitState::Fallen);
                    step.moves_stock = false;
                }
            }
            steps
        }
        _ => Vec::new(),
    })
}

fn lines_to(
    conn: &Connection,
    items: &[Item],
    from: &StockHolder,
    to: impl Fn(Condition) -> (StockHolder, UnitState),
) -> Result<Vec<Step>, LedgerError> {
    Ok(admit::lines(conn, items, 1, None)?
        .into_iter()
        .map(|line| Step {
            to: to(line.item.condition),
            wanted: Wanted::Stock(UnitState::of(line.item.condition)),
            quantity: line.item.quantity,
            serials: line.item.serials,
            lot: line.lot,
            from: from.clone(),
            moves_stock: true,
        })
        .collect())
}

/// A firing's steps: the serials given for the whole firing (`--serial`) go to the line whose
/// lot's range holds them.
fn firing_steps(conn: &Connection, f: &Firing) -> Result<Vec<Step>, LedgerError> {
    let site = StockHolder::Site(f.site.clone());
    let mut steps = lines_to(conn, &f.items, &site, |_| (site.clone(), UnitState::Fired))?;
    for &s in &f.serials {
        let holders: Vec<usize> = (0..steps.len())
            .filter(|&i| {
                steps
                    .get(i)
                    .is_some_and(|st| st.lot.serials.is_some_and(|r| r.contains(s)))
            })
            .collect();
        let lots = || {
            steps
                .iter()
                .map(|st| st.lot.lot.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match holders.as_slice() {
            [one] => {
                if let Some(step) = steps.get_mut(*one) {
                    step.serials.push(SerialRange { first: s, last: s });
                }
            }
            [] => {
                return Err(invalid(format!(
                    "serial {s} belongs to none of the lots {}",
                    lots()
                )));
            }
            _ => {
                return Err(invalid(format!(
                    "serial {s} lies in the ranges of several of the lots {}: name it on its line, LOT:N@{s}",
                    lots()
                )));
            }
        }
    }
    Ok(steps)
}

fn record(conn: &Connection, lot: &str) -> Result<Option<Record>, LedgerError> {
    Ok(conn
        .prepare_cached("SELECT depot, received_seq, ended_seq FROM serial_lots WHERE lot = ?1")?
        .query_row([lot], |row| {
            Ok(Record {
                depot: row.get(0)?,
                received_seq: row.get(1)?,
                ended_seq: row.get(2)?,
            })
        })
        .optional()?)
}

fn unit(conn: &Connection, lot: &str, record: &Record, serial: i64) -> Result<Unit, LedgerError> {
    let row: Option<(String, String, String, i64)> = conn
        .prepare_cached(
            "SELECT loc_kind, loc_id, state, last_seq FROM units WHERE lot = ?1 AND serial = ?2",
        )?
        .query_row(params![lot, serial], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .optional()?;
    let Some((kind, id, state, last_seq)) = row else {
        return Ok(Unit {
            lot: lot.to_string(),
            serial,
            location: StockHolder::Depot(record.depot.clone()),
            state: UnitState::Good,
            last_seq: record.received_seq,
        });
    };
    let corrupt =
        || LedgerError::Corrupt(format!("stored unit {serial} of lot {lot} is unreadable"));
    Ok(Unit {
        lot: lot.to_string(),
        serial,
        location: StockHolder::from_parts(&kind, &id).ok_or_else(corrupt)?,
        state: UnitState::from_name(&state).ok_or_else(corrupt)?,
        last_seq,
    })
}

/// How many serials the ranges of a step name: each range inside the lot's, the sum checked
/// (compared with the rounds before any range is walked, so a huge range costs nothing).
fn count(step: &Step, range: SerialRange) -> Result<i64, LedgerError> {
    let lot = &step.lot.lot;
    let mut total: i64 = 0;
    for r in &step.serials {
        if r.last < r.first || !range.contains(r.first) || !range.contains(r.last) {
            return Err(invalid(format!(
                "serials {r} are not serials of lot {lot} ({range})"
            )));
        }
        total = total.checked_add(r.len()).ok_or_else(|| {
            invalid(format!(
                "lot {lot}: the serials named add up to more than a whole number can hold"
            ))
        })?;
    }
    Ok(total)
}

/// Checks the per-serial rules for `event`; `Ok` means its units may move.
pub(crate) fn admit(
    conn: &Connection,
    thresholds: &Thresholds,
    event: &Event,
) -> Result<(), LedgerError> {
    if let Event::Stocktake(s) = event
        && let Some(line) = s.counts.iter().find(|c| !c.serials.is_empty())
    {
        return Err(invalid(format!(
            "lot {}: a stock-take counts rounds by lot; give LOT:QUANTITY without serials",
            line.lot
        )));
    }
    let mut seen: HashSet<(String, i64)> = HashSet::new();
    for step in steps(conn, event)? {
        let lot = step.lot.lot.as_str();
        let Some(range) = step.lot.serials else {
            if let Some(r) = step.serials.first() {
                return Err(invalid(format!(
                    "lot {lot} was received without serial numbers, so serials {r} are none of its"
                )));
            }
            continue;
        };
        let named = count(&step, range)?;
        let record = record(conn, lot)?;
        let tracked = record.as_ref().filter(|r| r.ended_seq.is_none());
        serial::named(
            lot,
            step.quantity,
            named,
            thresholds.serials,
            tracked.is_some(),
        )?;
        for r in &step.serials {
            for s in r.first..=r.last {
                serial::once(lot, s, !seen.insert((lot.to_string(), s)))?;
                if let Some(record) = tracked {
                    serial::at_source(&unit(conn, lot, record, s)?, &step.from, step.wanted)?;
                }
            }
        }
    }
    Ok(())
}

/// Writes the units `event` (recorded as `seq`) moves, and notes each serial's history.
pub(crate) fn apply(conn: &Connection, seq: i64, event: &Event) -> Result<(), LedgerError> {
    match event {
        Event::Receive(r) if r.lot.serials.is_some() => {
            conn.prepare_cached(
                "INSERT INTO serial_lots (lot, depot, received_seq) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![r.lot.lot, r.depot, seq])?;
        }
        Event::Arrive(a) => arrive(conn, seq, &a.transfer)?,
        _ => {}
    }
    for step in steps(conn, event)? {
        if step.lot.serials.is_none() {
            continue;
        }
        let lot = step.lot.lot.as_str();
        let tracked = record(conn, lot)?.is_some_and(|r| r.ended_seq.is_none());
        if step.serials.is_empty() {
            if tracked && step.moves_stock {
                conn.prepare_cached("UPDATE serial_lots SET ended_seq = ?2 WHERE lot = ?1")?
                    .execute(params![lot, seq])?;
            }
            continue;
        }
        let (to, state) = &step.to;
        for r in &step.serials {
            for s in r.first..=r.last {
                mention(conn, s, seq)?;
                if tracked {
                    conn.prepare_cached(
                        "INSERT OR REPLACE INTO units (lot, serial, loc_kind, loc_id, state, last_seq)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    )?
                    .execute(params![lot, s, to.kind(), to.id(), state.name(), seq])?;
                }
            }
        }
    }
    Ok(())
}

/// Moves every unit in stock on the road with `transfer` to its destination depot.
fn arrive(conn: &Connection, seq: i64, transfer: &str) -> Result<(), LedgerError> {
    let to: Option<String> = conn
        .prepare_cached("SELECT to_depot FROM transfers WHERE id = ?1")?
        .query_row([transfer], |row| row.get(0))
        .optional()?;
    let Some(to) = to else { return Ok(()) };
    let serials: Vec<i64> = conn
        .prepare_cached(
            "SELECT serial FROM units WHERE loc_kind = 'transit' AND loc_id = ?1 AND state IN ('good', 'dud') ORDER BY lot, serial",
        )?
        .query_map([transfer], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    for s in serials {
        mention(conn, s, seq)?;
    }
    conn.prepare_cached(
        "UPDATE units SET loc_kind = 'depot', loc_id = ?2, last_seq = ?3
         WHERE loc_kind = 'transit' AND loc_id = ?1 AND state IN ('good', 'dud')",
    )?
    .execute(params![transfer, to, seq])?;
    Ok(())
}

fn mention(conn: &Connection, serial: i64, seq: i64) -> Result<(), LedgerError> {
    conn.prepare_cached("INSERT OR IGNORE INTO event_serials (serial, seq) VALUES (?1, ?2)")?
        .execute(params![serial, seq])?;
    Ok(())
}

impl Ledger {
    /// The per-serial record of `serial` in every numbered lot whose range holds it (serial
    /// numbers are unique within a model, so usually one).
    pub fn serial_status(&self, serial: i64) -> Result<Vec<SerialStatus>, LedgerError> {
        let conn = self.conn();
        let lots: Vec<String> = conn
            .prepare_cached(
                "SELECT lot FROM lots WHERE serial_first <= ?1 AND serial_last >= ?1 ORDER BY lot",
            )?
            .query_map([serial], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for lot in lots {
            if let Some(record) = record(conn, &lot)? {
                out.push(SerialStatus {
                    unit: unit(conn, &lot, &record, serial)?,
                    ended_seq: record.ended_seq,
                });
            }
        }
        Ok(out)
    }

    /// Units in stock per location, lot and condition, for every lot whose per-serial record
    /// holds: equal to the stock of those lots when the book is sound (`verify` checks it).
    pub fn serial_counts(&self) -> Result<Vec<SerialCount>, LedgerError> {
        serial_counts(self.conn())
    }
}

/// See [`Ledger::serial_counts`].
pub(crate) fn serial_counts(conn: &Connection) -> Result<Vec<SerialCount>, LedgerError> {
    let mut counts: BTreeMap<(String, String, String, Condition), i64> = BTreeMap::new();
    let corrupt = |what: String| LedgerError::Corrupt(what);
    let mut stmt = conn.prepare_cached(
        "SELECT s.lot, s.depot, l.serial_last - l.serial_first + 1,
                (SELECT count(*) FROM units u WHERE u.lot = s.lot)
         FROM serial_lots s JOIN lots l ON l.lot = s.lot WHERE s.ended_seq IS NULL",
    )?;
    let lots: Vec<(String, String, i64, i64)> = stmt
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })?
        .collect::<Result<_, _>>()?;
    for (lot, depot, len, moved) in lots {
        let unmoved = len
            .checked_sub(moved)
            .filter(|n| *n >= 0)
            .ok_or_else(|| corrupt(format!("lot {lot} has more unit rows than serial numbers")))?;
        if unmoved > 0 {
            counts.insert(("depot".into(), depot, lot, Condition::Good), unmoved);
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT u.loc_kind, u.loc_id, u.lot, u.state, count(*) FROM units u
         JOIN serial_lots s ON s.lot = u.lot
         WHERE s.ended_seq IS NULL AND u.state IN ('good', 'dud')
         GROUP BY u.loc_kind, u.loc_id, u.lot, u.state",
    )?;
    let rows: Vec<(String, String, String, String, i64)> = stmt
        .query_map([], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    for (kind, id, lot, state, n) in rows {
        let condition = if state == "dud" {
            Condition::Dud
        } else {
            Condition::Good
        };
        let slot = counts.entry((kind, id, lot, condition)).or_default();
        *slot = slot
            .checked_add(n)
            .ok_or_else(|| corrupt("unit counts overflow".into()))?;
    }
    counts
        .into_iter()
        .map(|((kind, id, lot, condition), units)| {
            Ok(SerialCount {
                location: StockHolder::from_parts(&kind, &id)
                    .ok_or_else(|| corrupt(format!("a unit of lot {lot} has no location")))?,
                lot,
                condition,
                units,
            })
        })
        .collect()
}
