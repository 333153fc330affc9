//! wxmod: a planner for weather-modification (人工影响天气, "人影") operations.
//!
//! wxmod serves the staff of a city or provincial meteorological bureau who must site
//! ground operation points, budget the equipment and account for every round of
//! ammunition. Data flows downward through these modules:
//!
//! - [`units`]: newtypes for lengths and money, so that units live in types.
//! - [`region`]: counties loaded from GeoJSON, validated and projected to metres.
//! - [`terrain`]: the elevation model (DEM), sampling and slope.
//! - [`grid`]: the square planning grids (15 km, 10 km) clipped to every county.
//! - [`zones`]: priority zones (grain, forest/fruit, pasture, ecological) and their derivation.
//! - [`sites`]: operation sites and the site-file format (CSV, GeoJSON).
//! - [`sectors`]: safe firing sectors (安全射界) of rocket and gun sites, their maps and tables.
//! - [`catalog`]: the equipment catalog: influence radii, costs, crews, ammunition.
//! - [`influence`]: influence discs (作业影响范围) and the exact area they cover.
//! - [`gaps`]: the coverage-gap analysis: grid standard, effective coverage, policy items.
//! - [`siting`]: the siting planner: grid-standard points, burners, mobile systems, rollout.
//! - [`budget`]: the annual equipment budget: capacity building, operations, upkeep, ammunition.
//! - [`solver`]: the covering solver (fewest sites for full coverage, best sites for a budget) with proven bounds.
//! - [`report`]: planning results as bytes (GeoJSON, CSV, Markdown, HTML, the budget workbook and chart).
//! - [`run`]: the one-command planning run that ties the steps together.
//! - [`ledger`]: the ammunition and equipment ledger (弹药装备台账) under the safety rules.
//! - [`render`]: siting maps as PNG and SVG bytes (A4/A3), and the standard map sets.
//! - [`radar`]: X-band radar site selection from the DEM (beam blockage, coverage) and the AWS network.
//! - [`parallel`]: an order-keeping parallel map over the machine's cores.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod budget;
pub mod catalog;
pub mod gaps;
pub mod grid;
pub mod influence;
pub mod ledger;
pub mod parallel;
pub mod radar;
pub mod region;
pub mod render;
pub mod report;
pub mod run;
pub mod sectors;
pub mod sites;
pub mod siting;
pub mod solver;
pub mod terrain;
pub mod units;
pub mod zones;
