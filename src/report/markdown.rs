//! Markdown reports for planners: readable tables with the assumptions stated.

use std::fmt::Write;

use crate::gaps::{GapReport, PolicyGrid};
use crate::region::Region;

fn county_name(region: &Region, id: &str) -> String {
    region
        .county(id)
        .map_or_else(|| id.to_string(), |c| format!("{} {}", c.name, c.id))
}

/// The coverage-gap report (覆盖缺口分析报告).
pub fn gap_report(report: &GapReport, region: &Region) -> String {
    let mut md = String::new();
    let year = report.year.map_or("existing sites".to_string(), |y| {
        format!("network as of {y}")
    });
    let _ = writeln!(
        md,
        "# Coverage-gap analysis 覆盖缺口分析 — {} ({year})\n",
        region.name
    );
    let _ = writeln!(
        md,
        "{} operating sites. Grid standard: every 15 km cell and every 10 km priority-zone cell that requires a point must hold a standardized fixed site (policy clause 8).\n",
        report.network.len()
    );

    let _ = writeln!(md, "## Grid-standard compliance 网格化布局达标情况\n");
    let _ = writeln!(
        md,
        "| County 县区 | Grid | Required | Served | Gaps | Compliance |"
    );
    let _ = writeln!(md, "|---|---|---:|---:|---:|---:|");
    for c in &report.compliance {
        let name = c
            .county
            .as_deref()
            .map_or("**City 全市**".to_string(), |id| county_name(region, id));
        let _ = writeln!(
            md,
            "| {name} | {} | {} | {} | {} | {:.1}% |",
            c.grid.label(),
            c.required,
            c.served,
            c.gaps(),
            c.percent()
        );
    }

    let _ = writeln!(
        md,
        "\n## Effective coverage 有效覆盖 (influence discs within the land)\n"
    );
    let _ = writeln!(md, "| Area | Land km² | Covered km² | Covered |");
    let _ = writeln!(md, "|---|---:|---:|---:|");
    for r in report
        .coverage_by_county
        .iter()
        .chain(&report.coverage_by_zone)
        .chain(&report.burner_coverage)
    {
        let name = if r.area == "city" {
            "**City 全市**".to_string()
        } else if region.county(&r.area).is_some() {
            county_name(region, &r.area)
        } else if r.area == "high_mountain" {
            "high_mountain land reached by burners".to_string()
        } else {
            format!("zone: {}", r.area)
        };
        let _ = writeln!(
            md,
            "| {name} | {:.1} | {:.1} | {:.1}% |",
            r.area_km2,
            r.covered_km2,
            r.percent()
        );
    }

    let _ = writeln!(md, "\n## Policy items 政策配置要求\n");
    let _ = writeln!(
        md,
        "| County 县区 | Vehicle rocket systems (≥1) | Six-element AWS (≥1) |"
    );
    let _ = writeln!(md, "|---|---:|---:|");
    for p in &report.policy_items {
        let mark = |n: usize| {
            if n == 0 {
                "**0 — missing**".to_string()
            } else {
                n.to_string()
            }
        };
        let _ = writeln!(
            md,
            "| {} {} | {} | {} |",
            p.county_name,
            p.county,
            mark(p.mobile_rocket_systems),
            mark(p.weather_stations)
        );
    }
    let _ = writeln!(
        md,
        "\nX-band radar for the city: {}.",
        if report.radar_present {
            "present"
        } else {
            "**missing**"
        }
    );

    let _ = writeln!(
        md,
        "\n## Gap list 缺口清单 (ranked by uncovered land, then priority-zone land)\n"
    );
    let _ = writeln!(
        md,
        "| # | Grid | Cell | County | Land km² | Uncovered km² | Zone km² | Zones | Mean elev. m | Nearest site km |"
    );
    let _ = writeln!(md, "|---:|---|---|---|---:|---:|---:|---|---:|---:|");
    for (i, g) in report.gaps().enumerate() {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {:.1} | {:.1} | {:.1} | {} | {} | {} |",
            i + 1,
            g.grid.label(),
            g.cell,
            county_name(region, &g.county),
            g.area_km2,
            g.uncovered_km2(),
            g.zone_km2,
            g.zone_kinds.join(", "),
            g.mean_elevation_m
                .map(|e| format!("{e:.0}"))
                .unwrap_or_default(),
            g.nearest_site_km
                .map(|d| format!("{d:.1}"))
                .unwrap_or_else(|| "—".into())
        );
    }
    let base = report
        .city_compliance(PolicyGrid::Base)
        .map_or(0, |c| c.gaps());
    let prio = report
        .city_compliance(PolicyGrid::Priority)
        .map_or(0, |c| c.gaps());
    let _ = writeln!(md, "\n{base} base-grid gaps and {prio} priority-grid gaps.");
    if !report.assumptions.is_empty() {
        let _ = writeln!(
            md,
            "\n## Assumed numbers 假定参数 (from the catalog; check and replace)\n"
        );
        for (key, note) in &report.assumptions {
            let _ = writeln!(md, "- `{key}`: {note}");
        }
    }
    md
}
