//! Turning planning results into bytes: one file per output format. Reporters never write
//! files; the CLI decides where the bytes go.

pub mod csv;
pub mod geojson;
pub mod markdown;
