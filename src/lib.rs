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
//! - [`report`]: planning results as bytes (GeoJSON, CSV).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod catalog;
pub mod grid;
pub mod region;
pub mod report;
pub mod sectors;
pub mod sites;
pub mod terrain;
pub mod units;
pub mod zones;
