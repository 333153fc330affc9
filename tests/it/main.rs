//! wxmod's integration tests: one binary, one module per area, on the real bundled data.

mod browser;
mod budget;
mod cover;
mod fixtures;
mod gaps;
mod grid;
mod ledger;
mod maps;
mod plan;
mod radar;
mod region;
mod run;
mod sectors;
