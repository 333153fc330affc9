//! wxmod: a planner for weather-modification (人工影响天气, "人影") operations.
//!
//! wxmod serves the staff of a city or provincial meteorological bureau who must site
//! ground operation points, budget the equipment and account for every round of
//! ammunition. Data flows downward through these modules:
//!
//! - [`units`]: newtypes for lengths and money, so that units live in types.
//! - [`inventory`]: the ammunition and equipment ledger (弹药装备台账) under the safety rules.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod inventory;
pub mod units;
