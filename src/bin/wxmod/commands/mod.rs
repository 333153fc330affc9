//! One module per `wxmod` subcommand: clap arguments plus a `run` function.

pub mod ledger;
