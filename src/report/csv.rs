//! CSV tables for spreadsheets: per-county grid summaries.

use crate::grid::CountyGridSummary;

/// The per-county summary of a grid: cells touching, cells requiring a point, area.
pub fn grid_county_summary(rows: &[CountyGridSummary]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "county_id",
        "county_name",
        "cells_touching",
        "cells_requiring_point",
        "area_km2",
    ])
    .expect("invariant: writing CSV to memory cannot fail");
    for r in rows {
        w.write_record([
            r.county_id.clone(),
            r.county_name.clone(),
            r.cells_touching.to_string(),
            r.cells_requiring_point.to_string(),
            format!("{:.1}", r.area_km2),
        ])
        .expect("invariant: writing CSV to memory cannot fail");
    }
    String::from_utf8(w.into_inner().expect("invariant: in-memory writer"))
        .expect("invariant: CSV of UTF-8 text")
}
