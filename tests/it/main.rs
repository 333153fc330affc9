//! wxmod's integration tests: one binary, one module per area, on the real bundled data.

mod ledger;
