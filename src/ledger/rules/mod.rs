//! The ledger's safety rules, one group per file, each a pure function over the facts it needs
//! that returns `Err(Violation)` naming its DOMAIN.md §4 rule id (L1 ... L31, or `SECTOR` for
//! the safe firing sector of DOMAIN §2.4, or `TIME-ENTRY` / `TIME-ORDER` for the book's time
//! rules, which keep L8's book true at every event's own time: see the ledger's `timeline`;
//! or `SERIAL-*` for the per-serial accounting of numbered lots in [`serial`], L8 round by
//! round).
//!
//! Hard rules refuse an event: the ledger gathers the facts inside its write transaction, calls
//! these functions before writing anything, and on a violation drops the transaction, so the
//! database stays exactly as it was. Deadline rules (L2, L4 licence return, L13, L16, L17, L20
//! renewal, L22, L23, L25, L28, L29 expiry, L8 stock-take differences) are listed by
//! [`Ledger::check`](super::Ledger::check) instead. Not checkable from the ledger: L30 (records
//! kept two years: the ledger never deletes, and `verify` detects deletion) and L32 (standby
//! levels); L18 is the burner exemption inside [`airspace`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub mod airspace;
pub mod crew;
pub mod dud;
pub mod equipment;
pub mod expiry;
pub mod incident;
pub mod purchase;
pub mod sector;
pub mod serial;
pub mod storage;
pub mod transport;

/// Implements the table of rule ids: code, title, parsing.
macro_rules! rule_ids {
    ($(($variant:ident, $code:literal, $title:literal)),+ $(,)?) => {
        /// A rule of DOMAIN.md §4 (or §2.4 for the firing sector), by its id.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RuleId {
            $(
                #[doc = concat!($code, ": ", $title, ".")]
                $variant,
            )+
        }

        impl RuleId {
            /// Every rule id the ledger checks.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant),+];

            /// The id as DOMAIN.md writes it, e.g. `L14`.
            pub fn code(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $code),+
                }
            }

            /// A short title of the rule.
            pub fn title(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $title),+
                }
            }
        }
    };
}

rule_ids!(
    (
        L1,
        "L1",
        "ammunition only from makers designated by the CMA"
    ),
    (L2, "L2", "each purchase filed with county public security"),
    (
        L4,
        "L4",
        "transport under a licence, returned after arrival"
    ),
    (L5, "L5", "transport in a permitted vehicle with an escort"),
    (L6, "L6", "ammunition stored only in a qualified depot"),
    (
        L7,
        "L7",
        "a depot within its capacity, with a dedicated keeper"
    ),
    (L8, "L8", "book quantity equals physical stock"),
    (L9, "L9", "AgI flares only in a segregated store"),
    (
        L10,
        "L10",
        "temporary storage at a site only with a store and a guard"
    ),
    (L11, "L11", "a site holds at most its safe capacity"),
    (
        L12,
        "L12",
        "issue to a site at most one operation period's need"
    ),
    (L13, "L13", "unused ammunition returned to the depot"),
    (
        L14,
        "L14",
        "gun and rocket firing only in an approved airspace window"
    ),
    (
        L15,
        "L15",
        "operation announced in advance and police notified"
    ),
    (L16, "L16", "end of operation reported to airspace control"),
    (L17, "L17", "written operation report"),
    (L19, "L19", "operators filed with public security"),
    (
        L20,
        "L20",
        "operators adult and certified for the equipment"
    ),
    (L21, "L21", "minimum crew per firing"),
    (L22, "L22", "operators insured"),
    (L23, "L23", "guns and launchers inspected every year"),
    (L24, "L24", "no use of failed or scrapped equipment"),
    (L25, "L25", "equipment transfer between units filed"),
    (
        L26,
        "L26",
        "unfired rockets recorded by rocket and box number"
    ),
    (L27, "L27", "misfired rounds are scrap, never reissued"),
    (L28, "L28", "fallen duds investigated"),
    (
        L29,
        "L29",
        "expired ammunition not used, destroyed under supervision"
    ),
    (L31, "L31", "loss or theft reported to the police"),
    (
        Sector,
        "SECTOR",
        "firing inside the site's safe firing sector"
    ),
    (
        TimeEntry,
        "TIME-ENTRY",
        "an event dated neither in the future nor more than the late-entry days back"
    ),
    (
        TimeOrder,
        "TIME-ORDER",
        "events of one location or lot recorded in time order"
    ),
    (
        SerialNamed,
        "SERIAL-NAMED",
        "a movement of a numbered lot names the serials of its rounds"
    ),
    (
        SerialCount,
        "SERIAL-COUNT",
        "the serials named number the rounds of the line"
    ),
    (
        SerialTwice,
        "SERIAL-TWICE",
        "one serial named at most once in an event"
    ),
    (
        SerialPlace,
        "SERIAL-PLACE",
        "a serial moves only from where the book has it"
    ),
    (
        SerialSpent,
        "SERIAL-SPENT",
        "a round fired, destroyed or lost is consumed once"
    ),
);

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for RuleId {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_uppercase();
        RuleId::ALL
            .iter()
            .copied()
            .find(|r| r.code() == wanted)
            .ok_or_else(|| {
                format!(
                    "'{text}' is not a rule id: use L1 ... L31, SECTOR, TIME-ENTRY, TIME-ORDER or SERIAL-NAMED, -COUNT, -TWICE, -PLACE, -SPENT"
                )
            })
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// An event that breaks a hard rule: which rule, and what exactly is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("refused by {rule} ({title}): {message}", title = rule.title())]
pub struct Violation {
    /// The rule broken.
    pub rule: RuleId,
    /// What is wrong, naming the site, lot, operator or depot.
    pub message: String,
}

impl Violation {
    /// A violation of `rule`.
    pub fn new(rule: RuleId, message: impl Into<String>) -> Self {
        Violation {
            rule,
            message: message.into(),
        }
    }
}

/// Refuses with `rule` unless `ok`.
pub(crate) fn require(
    ok: bool,
    rule: RuleId,
    message: impl FnOnce() -> String,
) -> Result<(), Violation> {
    if ok {
        Ok(())
    } else {
        Err(Violation::new(rule, message()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for rule in RuleId::ALL {
            assert_eq!(rule.code().parse::<RuleId>().unwrap(), *rule);
            assert_eq!(
                serde_json::to_string(rule).unwrap(),
                format!("\"{}\"", rule.code())
            );
        }
        assert!("L3".parse::<RuleId>().is_err());
    }

    #[test]
    fn violations_read_as_a_sentence() {
        let v = Violation::new(RuleId::L14, "no window");
        assert_eq!(
            v.to_string(),
            "refused by L14 (gun and rocket firing only in an approved airspace window): no window"
        );
    }
}
