//! wxmod's integration tests: one binary, one module per area, on the real bundled data.

mod browser;
mod budget;
mod cover;
mod fixtures;
mod gaps;
mod grid;
mod ledger;
mod maps;
mod ops;
mod plan;
mod province;
mod radar;
mod region;
mod regions;
mod run;
mod scale;
mod sectors;
mod sites;
