//! The deadline check (`wxmod ledger check`): everything overdue or falling due within N days.
//!
//! Listed, each with its rule id: open duties created by events (L2 police filing, L4 licence
//! return, L16 end-of-operation report, L17 written report, L25 equipment transfer filing, L28
//! dud investigation); site stock not back in a depot within `return_days` of the site's last
//! issue, firing or dud (L13); expired stock to destroy and stock expiring soon (L29); dud
//! stock awaiting destruction (L27); certificates to renew at least `certificate_renewal_days`
//! before expiry (L20); insurance ending (L22); inspections of guns and launchers falling due
//! (L23) or failed (L24); differences found by each location's latest stock-take (L8).
//!
//! A time "within N days" means due before `at` + N days. Cost: one pass over the registers
//! and the stock, independent of the number of events.

use chrono::{NaiveDateTime, NaiveTime};
use rusqlite::params;
use serde::Serialize;

use super::LedgerError;
use super::clock::{add_days_saturating, add_days_to_date, read_time};
use super::facts::decode;
use super::ledger::Ledger;
use super::records::{Equipment, EquipmentKind, Operator};
use super::rules::RuleId;
use super::stock::StockFilter;
use super::thresholds::MAX_WITHIN_DAYS;

/// How pressing a listed item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Due now or past its due time.
    Overdue,
    /// Due within the warning window.
    DueSoon,
    /// Open, due later.
    Pending,
}

/// One item of the check list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// How pressing.
    pub urgency: Urgency,
    /// The rule.
    pub rule: RuleId,
    /// When it is (or was) due.
    pub due: NaiveDateTime,
    /// What to do, naming the site, lot, operator or equipment.
    pub subject: String,
    /// The event that created the duty, for `wxmod ledger file`.
    pub event: Option<i64>,
}

impl Ledger {
    /// Everything overdue, or due within `within_days` of `at` (open duties are listed even
    /// when due later), most pressing first.
    pub fn check(&self, at: NaiveDateTime, within_days: i64) -> Result<Vec<Deadline>, LedgerError> {
        let thresholds = self.thresholds()?;
        if !(0..=MAX_WITHIN_DAYS).contains(&within_days) {
            return Err(LedgerError::Invalid(format!(
                "--within {within_days}: the look-ahead must lie in 0-{MAX_WITHIN_DAYS} days"
            )));
        }
        let horizon = add_days_saturating(at, within_days);
        let urgency = |due: NaiveDateTime| {
            if due <= at {
                Urgency::Overdue
            } else if due <= horizon {
                Urgency::DueSoon
            } else {
                Urgency::Pending
            }
        };
        let mut list = Vec::new();
        let mut push = |due: NaiveDateTime,
                        rule: RuleId,
                        subject: String,
                        event: Option<i64>,
                        always: bool| {
            let u = urgency(due);
            if always || u != Urgency::Pending {
                list.push(Deadline {
                    urgency: u,
                    rule,
                    due,
                    subject,
                    event,
                });
            }
        };
        let conn = self.conn();
        let end_of = |day: chrono::NaiveDate| {
            day.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN))
        };
        let bad_time =
            |what: &str| LedgerError::Corrupt(format!("a stored {what} time cannot be read"));

        // Duties created by events.
        let mut stmt = conn.prepare_cached(
            "SELECT seq, rule, subject, due FROM obligations WHERE filed_seq IS NULL ORDER BY due, seq",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
            ))
        })?;
        for row in rows {
            let (seq, rule, subject, due) = row?;
            let rule = rule.parse::<RuleId>().map_err(LedgerError::Corrupt)?;
            push(
                read_time(&due).ok_or_else(|| bad_time("duty"))?,
                rule,
                subject,
                Some(seq),
                true,
            );
        }

        // L13: site stock to return.
        let mut stmt = conn.prepare_cached(
            "SELECT s.loc_id, SUM(s.quantity), a.last_at FROM stock s
             LEFT JOIN site_activity a ON a.site = s.loc_id
             WHERE s.loc_kind = 'site' GROUP BY s.loc_id ORDER BY s.loc_id",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, Option<String>>(2)?,
            ))
        })?;
        for row in rows {
            let (site, rounds, last) = row?;
            let last = match last {
                Some(t) => read_time(&t).ok_or_else(|| bad_time("site activity"))?,
                None => at,
            };
            push(
                add_days_saturating(last, thresholds.return_days),
                RuleId::L13,
                format!("return the {rounds} round(s) held at site {site} to a depot"),
                None,
                false,
            );
        }

        // L29 and L27: expiry and duds, from the stock.
        for line in self.stock(&StockFilter::default())? {
            let place = format!("{} ({})", line.location, line.location_name);
            if line.condition.is_good() {
                let expired = line.expires < at.date();
                let subject = if expired {
                    format!(
                        "destroy {} x {} of lot {} at {place}: expired on {}",
                        line.quantity, line.model, line.lot, line.expires
                    )
                } else {
                    format!(
                        "use or plan the destruction of {} x {} of lot {} at {place}: expires on {}",
                        line.quantity, line.model, line.lot, line.expires
                    )
                };
                push(end_of(line.expires), RuleId::L29, subject, None, false);
            } else {
                // L27: duds wait for destruction at a depot (at a site L13 asks for their return).
                if line.location.kind() == "depot" {
                    push(
                        at,
                        RuleId::L27,
                        format!(
                            "destroy {} dud round(s) of lot {} ({}) kept at {place}",
                            line.quantity, line.lot, line.model
                        ),
                        None,
                        true,
                    );
                }
            }
        }

        // L20, L22: operators.
        let mut stmt = conn.prepare_cached("SELECT id, body FROM operators ORDER BY id")?;
        let rows = stmt.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (id, body) = row?;
            let op: Operator = decode("operators", &id, &body)?;
            let renew_by =
                add_days_to_date(op.certificate_expiry, -thresholds.certificate_renewal_days);
            push(
                renew_by.and_time(NaiveTime::MIN),
                RuleId::L20,
                format!(
                    "renew certificate {} of operator {} ({}), valid to {}",
                    op.certificate, op.id, op.name, op.certificate_expiry
                ),
                None,
                false,
            );
            if let Some(ends) = op.insurance_expiry {
                push(
                    end_of(ends),
                    RuleId::L22,
                    format!(
                        "renew the insurance of operator {} ({}), ends {ends}",
                        op.id, op.name
                    ),
                    None,
                    false,
                );
            }
        }

        // L23, L24: equipment.
        let mut stmt = conn.prepare_cached("SELECT id, body FROM equipment ORDER BY id")?;
        let rows = stmt.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (id, body) = row?;
            let e: Equipment = decode("equipment", &id, &body)?;
            if e.scrapped {
                continue;
            }
            if !e.inspection_passed {
                push(
                    at,
                    RuleId::L24,
                    format!(
                        "{} {} failed inspection: repair and re-inspect, or scrap it",
                        e.kind, e.id
                    ),
                    None,
                    true,
                );
            }
            if e.kind == EquipmentKind::Burner {
                continue;
            }
            match e.inspected {
                Some(day) => push(
                    end_of(add_days_to_date(day, thresholds.inspection_interval_days)),
                    RuleId::L23,
                    format!(
                        "annual inspection of {} {} (serial {}), last {day}",
                        e.kind, e.id, e.serial
                    ),
                    None,
                    false,
                ),
                None => push(
                    at,
                    RuleId::L23,
                    format!("{} {} has never been inspected", e.kind, e.id),
                    None,
                    true,
                ),
            }
        }

        // L8: differences found by each location's latest stock-take.
        let mut stmt = conn.prepare_cached(
            "SELECT s.loc_kind, s.loc_id, s.at, d.seq, d.lot, d.condition, d.book, d.counted
             FROM stocktakes s JOIN discrepancies d ON d.seq = s.seq ORDER BY s.at, d.lot",
        )?;
        let rows = stmt.query_map(params![], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, i64>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, String>(5)?,
                row.get::<_, i64>(6)?,
                row.get::<_, i64>(7)?,
            ))
        })?;
        for row in rows {
            let (kind, id, when, seq, lot, condition, book, counted) = row?;
            let when = read_time(&when).ok_or_else(|| bad_time("stock-take"))?;
            let condition = if condition == "good" {
                String::new()
            } else {
                format!(" ({condition})")
            };
            push(
                when,
                RuleId::L8,
                format!(
                    "stock-take of {kind}:{id} on {} counted {counted} of lot {lot}{condition} against {book} on the book: \
                     find the difference and report it",
                    when.format("%Y-%m-%d %H:%M")
                ),
                Some(seq),
                true,
            );
        }

        list.sort_by(|a, b| {
            (a.urgency, a.due, a.rule, &a.subject).cmp(&(b.urgency, b.due, b.rule, &b.subject))
        });
        Ok(list)
    }
}
