//! wxmod: a planner for weather-modification (人工影响天气, "人影") operations.
//!
//! wxmod serves the staff of a city or provincial meteorological bureau who must site
//! ground operation points, budget the equipment and account for every round of
//! ammunition. Data flows downward through these modules:
//!
//! - [`units`]: newtypes for lengths and money, so that units live in types.
//! - [`policy`]: the grid standard (15 km, 10 km, the land share) with its source tags.
//! - [`region`]: counties loaded from GeoJSON, validated and projected to metres.
//! - [`terrain`]: the elevation model (DEM), sampling and slope.
//! - [`grid`]: the square planning grids (15 km, 10 km) clipped to every county.
//! - [`zones`]: priority zones (grain, forest/fruit, pasture, ecological) and their derivation.
//! - [`sites`]: operation sites and the site-file format (CSV, GeoJSON).
//! - [`catalog`]: the equipment catalog: influence radii, costs, crews, ammunition.
//! - [`influence`]: influence discs (作业影响范围) and the exact area they cover.
//! - [`gaps`]: the coverage-gap analysis: grid standard, effective coverage, policy items.
//! - [`sectors`]: safe firing sectors (安全射界) of rocket and gun sites.
//! - [`solver`]: the covering solver (fewest sites for full coverage, best sites for a budget) with proven bounds.
//! - [`siting`]: the siting planner: grid-standard points, burners, mobile systems, rollout.
//! - [`budget`]: the annual equipment budget: capacity building, operations, upkeep, ammunition.
//! - [`ledger`]: the ammunition and equipment ledger (弹药装备台账) under the safety rules.
//! - [`report`]: planning results as bytes (GeoJSON, CSV, Markdown, HTML, the budget workbook and chart).
//! - [`render`]: siting maps as PNG and SVG bytes (A4/A3), and the standard map sets.
//! - [`project`]: everything a job reads (region, layers, catalog, sites, rules), loaded once.
//! - [`ops`]: the jobs, one module per command (grid, gaps, plan, sectors, budget, maps, run),
//!   each returning its files and a summary; the command line is a thin layer over them.
//! - [`radar`]: X-band radar site selection from the DEM (beam blockage, coverage) and the AWS network.
//! - [`parallel`]: an order-keeping parallel map over the machine's cores.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod budget;
pub mod catalog;
pub mod files;
pub mod gaps;
pub mod grid;
pub mod influence;
pub mod ledger;
pub mod ops;
pub mod parallel;
pub mod policy;
pub mod project;
pub mod radar;
pub mod region;
pub mod render;
pub mod report;
pub mod rng;
pub mod sectors;
pub mod sites;
pub mod siting;
pub mod solver;
pub mod terrain;
pub mod units;
pub mod zones;
