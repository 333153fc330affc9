//! The ammunition and equipment ledger: rules, deadlines, the stock model, the CLI, a season on
//! the Shuozhou example network, and crash safety.

mod cli;
mod crash;
mod deadlines;
mod extremes;
mod files;
mod fixture;
mod integrity;
mod model;
mod old_file;
mod patches;
mod replay;
mod rules;
mod season;
mod serials;
