//! Per-serial rules (L8 round by round, issue #18): a lot received with serial numbers is
//! accounted for by serial, so that the book says where every numbered round is and what became
//! of it. Movements of such a lot name their serials (`SERIAL-NAMED`, under the threshold
//! `serials = required`, the default), as many as the rounds of the line (`SERIAL-COUNT`), each
//! once (`SERIAL-TWICE`), each where the book has it (`SERIAL-PLACE`) and never one already
//! fired, destroyed or lost (`SERIAL-SPENT`).

use super::{RuleId, Violation, require};
use crate::ledger::records::StockHolder;
use crate::ledger::thresholds::SerialPolicy;
use crate::ledger::units::{Unit, UnitState};

/// SERIAL-NAMED and SERIAL-COUNT: a line of `quantity` rounds of a numbered lot names `named`
/// serial numbers; none is allowed only under `serials = optional` or when the lot's per-serial
/// record has ended (`tracked` false).
///
/// # Examples
/// ```
/// use wxmod::ledger::{RuleId, SerialPolicy};
/// use wxmod::ledger::rules::serial;
/// assert_eq!(serial::named("R-A", 3, 0, SerialPolicy::Required, true).unwrap_err().rule, RuleId::SerialNamed);
/// assert!(serial::named("R-A", 3, 0, SerialPolicy::Optional, true).is_ok());
/// assert_eq!(serial::named("R-A", 1, 3, SerialPolicy::Optional, true).unwrap_err().rule, RuleId::SerialCount);
/// ```
pub fn named(
    lot: &str,
    quantity: i64,
    named: i64,
    policy: SerialPolicy,
    tracked: bool,
) -> Result<(), Violation> {
    if named == 0 {
        return require(
            !(tracked && policy == SerialPolicy::Required),
            RuleId::SerialNamed,
            || {
                format!(
                    "lot {lot} is numbered: name the serials of its {quantity} round(s), as {lot}:{quantity}@FIRST-LAST (threshold serials = required)"
                )
            },
        );
    }
    require(named == quantity, RuleId::SerialCount, || {
        format!("lot {lot}: {named} serial(s) named for {quantity} round(s)")
    })
}

/// SERIAL-TWICE: `serial` of `lot` is named a second time in one event.
pub fn once(lot: &str, serial: i64, seen_before: bool) -> Result<(), Violation> {
    require(!seen_before, RuleId::SerialTwice, || {
        format!("serial {serial} of lot {lot} is named twice in one event")
    })
}

/// What a step needs of the unit it moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// In stock at the source, in this state (good or dud).
    Stock(UnitState),
    /// Fired from the source (a fallen dud).
    Fired,
}

/// SERIAL-PLACE and SERIAL-SPENT: the unit is at `from` in the state `wanted`.
///
/// # Examples
/// ```
/// use wxmod::ledger::{StockHolder, RuleId, Unit, UnitState};
/// use wxmod::ledger::rules::serial::{at_source, Wanted};
/// let fired = Unit { lot: "R-A".into(), serial: 7, location: StockHolder::Site("S".into()), state: UnitState::Fired, last_seq: 9 };
/// let err = at_source(&fired, &StockHolder::Site("S".into()), Wanted::Stock(UnitState::Good)).unwrap_err();
/// assert_eq!(err.rule, RuleId::SerialSpent);
/// assert!(at_source(&fired, &StockHolder::Site("S".into()), Wanted::Fired).is_ok());
/// ```
pub fn at_source(unit: &Unit, from: &StockHolder, wanted: Wanted) -> Result<(), Violation> {
    let (lot, serial, seq) = (&unit.lot, unit.serial, unit.last_seq);
    let here = unit.location == *from;
    match wanted {
        Wanted::Stock(state) => {
            if unit.state.is_spent() {
                return Err(Violation::new(
                    RuleId::SerialSpent,
                    format!(
                        "serial {serial} of lot {lot} was {} at {} by event {seq}",
                        unit.state, unit.location
                    ),
                ));
            }
            require(here && unit.state == state, RuleId::SerialPlace, || {
                format!(
                    "serial {serial} of lot {lot} is {} at {} (event {seq}), not {state} at {from}",
                    unit.state, unit.location
                )
            })
        }
        Wanted::Fired => {
            if unit.state == UnitState::Fallen {
                return Err(Violation::new(
                    RuleId::SerialSpent,
                    format!("serial {serial} of lot {lot} was reported fallen by event {seq}"),
                ));
            }
            require(
                here && unit.state == UnitState::Fired,
                RuleId::SerialPlace,
                || {
                    format!(
                        "serial {serial} of lot {lot} is {} at {} (event {seq}): a fallen dud is a round fired from {from}",
                        unit.state, unit.location
                    )
                },
            )
        }
    }
}
