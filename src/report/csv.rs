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

fn table(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).expect("invariant: in-memory CSV");
    for row in rows {
        w.write_record(&row).expect("invariant: in-memory CSV");
    }
    String::from_utf8(w.into_inner().expect("invariant: in-memory CSV")).expect("invariant: UTF-8")
}

/// Grid-standard compliance per county and grid, then the city.
pub fn gap_compliance(report: &crate::gaps::GapReport) -> String {
    table(
        &[
            "county",
            "grid",
            "required",
            "served",
            "gaps",
            "compliance_pct",
        ],
        report.compliance.iter().map(|c| {
            vec![
                c.county.clone().unwrap_or_else(|| "city".into()),
                c.grid.label().into(),
                c.required.to_string(),
                c.served.to_string(),
                c.gaps().to_string(),
                format!("{:.1}", c.percent()),
            ]
        }),
    )
}

/// Effective coverage rows (per county, or per zone kind).
pub fn coverage_rows(rows: &[crate::gaps::CoverageRow]) -> String {
    table(
        &["area", "area_km2", "covered_km2", "covered_pct"],
        rows.iter().map(|r| {
            vec![
                r.area.clone(),
                format!("{:.1}", r.area_km2),
                format!("{:.1}", r.covered_km2),
                format!("{:.1}", r.percent()),
            ]
        }),
    )
}

/// The ranked gap list.
pub fn gap_list(report: &crate::gaps::GapReport) -> String {
    table(
        &[
            "rank",
            "grid",
            "cell",
            "county",
            "area_km2",
            "uncovered_km2",
            "zone_km2",
            "zone_kinds",
            "mean_elevation_m",
            "nearest_site_km",
        ],
        report.gaps().enumerate().map(|(i, g)| {
            vec![
                (i + 1).to_string(),
                g.grid.label().into(),
                g.cell.to_string(),
                g.county.clone(),
                format!("{:.2}", g.area_km2),
                format!("{:.2}", g.uncovered_km2()),
                format!("{:.2}", g.zone_km2),
                g.zone_kinds.join(" "),
                g.mean_elevation_m
                    .map(|e| format!("{e:.0}"))
                    .unwrap_or_default(),
                g.nearest_site_km
                    .map(|d| format!("{d:.1}"))
                    .unwrap_or_default(),
            ]
        }),
    )
}

/// Policy items per county.
pub fn policy_items(report: &crate::gaps::GapReport) -> String {
    table(
        &[
            "county",
            "county_name",
            "mobile_rocket_systems",
            "weather_stations",
            "lacks",
        ],
        report.policy_items.iter().map(|p| {
            let mut lacks = Vec::new();
            if p.mobile_rocket_systems == 0 {
                lacks.push("mobile_rocket_system");
            }
            if p.weather_stations == 0 {
                lacks.push("aws");
            }
            vec![
                p.county.clone(),
                p.county_name.clone(),
                p.mobile_rocket_systems.to_string(),
                p.weather_stations.to_string(),
                lacks.join(" "),
            ]
        }),
    )
}

/// New points and burners per county and year.
pub fn rollout(plan: &crate::siting::Plan) -> String {
    let mut rows = Vec::new();
    for c in &plan.rollout.counties {
        let years: std::collections::BTreeSet<i32> = c
            .points_by_year
            .keys()
            .chain(c.burners_by_year.keys())
            .copied()
            .collect();
        for y in years {
            rows.push(vec![
                c.county.clone(),
                c.county_name.clone(),
                y.to_string(),
                c.points_by_year.get(&y).copied().unwrap_or(0).to_string(),
                c.burners_by_year.get(&y).copied().unwrap_or(0).to_string(),
            ]);
        }
    }
    table(
        &["county", "county_name", "year", "new_points", "new_burners"],
        rows,
    )
}

/// Required cells no point can serve, with the reasons.
pub fn infeasible_cells(plan: &crate::siting::Plan, region: &crate::region::Region) -> String {
    table(
        &["grid", "cell", "county", "candidates", "reasons"],
        plan.grid.infeasible.iter().map(|c| {
            vec![
                c.grid.label().into(),
                c.cell.to_string(),
                region.counties[c.county].id.clone(),
                c.candidates.to_string(),
                c.reasons
                    .iter()
                    .map(|(r, n)| format!("{r} ({n})"))
                    .collect::<Vec<_>>()
                    .join("; "),
            ]
        }),
    )
}
