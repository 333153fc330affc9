//! Markdown reports for planners: readable tables with the assumptions stated.

use std::fmt::Write;

use crate::gaps::{GapReport, PolicyGrid};
use crate::region::{Region, RegionScope};

fn county_name(region: &Region, id: &str) -> String {
    region
        .county(id)
        .map_or_else(|| id.to_string(), |c| format!("{} {}", c.name, c.id))
}

/// The coverage-gap report (覆盖缺口分析报告).
pub fn gap_report(report: &GapReport, region: &Region) -> String {
    let mut md = String::new();
    let total = format!("**{}**", RegionScope::of(region).total_label());
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
            .map_or_else(|| total.clone(), |id| county_name(region, id));
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
            total.clone()
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

    let _ = writeln!(
        md,
        "\nInfluence areas: guns and rockets reach the disc of their catalog radius; {} (the siting plan, plan.md, uses the same burner model).",
        report.burner_model
    );

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
    if RegionScope::of(region) == RegionScope::City {
        let _ = writeln!(
            md,
            "\nX-band radar for the city: {}.",
            if report.radar_present {
                "present"
            } else {
                "**missing**"
            }
        );
    } else if report.cities_without_radar.is_empty() {
        let _ = writeln!(md, "\nX-band radar (one per city): every city has one.");
    } else {
        let _ = writeln!(
            md,
            "\nX-band radar (one per city): **missing** in {}.",
            report.cities_without_radar.join(", ")
        );
    }

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
    let _ = writeln!(
        md,
        "These counts include the cells no new point can serve (airport clearance, county seats, slopes ...); the siting plan (plan.md) counts only the cells a feasible candidate can serve and lists the others as infeasible."
    );
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

/// The siting plan (选址规划): new points per county and year, infeasible cells, burners,
/// mobile systems and the policy goals.
pub fn plan_report(
    plan: &crate::siting::Plan,
    region: &Region,
    rules: &crate::siting::SitingRules,
) -> String {
    let mut md = String::new();
    let g = &plan.grid;
    let _ = writeln!(md, "# Siting plan 选址规划 — {}\n", region.name);
    match &plan.coverage {
        None => {
            let _ = writeln!(
                md,
                "Grid standard: {} unserved 10 km priority cells + {} unserved 15 km cells − {} matched pairs = **{} new standardized points** (the exact minimum: a point serves one cell of each grid).\n",
                g.unserved_priority,
                g.unserved_base,
                g.matching,
                g.points.len()
            );
            let infeasible =
                |which: PolicyGrid| g.infeasible.iter().filter(|c| c.grid == which).count();
            let (ip, ib) = (
                infeasible(PolicyGrid::Priority),
                infeasible(PolicyGrid::Base),
            );
            let _ = writeln!(
                md,
                "These counts are of the cells a feasible candidate can serve. The gap analysis (gaps.md) counts every unserved required cell: {} on the 10 km priority grid and {} on the 15 km grid, that is {} + {ip} and {} + {ib} cells that no candidate can serve (listed under Infeasible cells).\n",
                g.unserved_priority + ip,
                g.unserved_base + ib,
                g.unserved_priority,
                g.unserved_base,
            );
        }
        Some(c) => {
            let _ = writeln!(
                md,
                "Effective-coverage objective, {}: **{} new points**; objective {:.1}, proven bound {:.1} (gap {:.2}%{}); {} demand points of uncovered land, {} out of reach of any feasible candidate; {} candidates; {:.2} s.\n",
                c.problem,
                g.points.len(),
                c.objective,
                c.bound,
                100.0 * c.gap,
                if c.proven_optimal { ", optimal" } else { "" },
                c.demand,
                c.unreachable,
                c.candidates,
                c.seconds
            );
        }
    }
    let years: std::collections::BTreeSet<i32> = plan
        .rollout
        .counties
        .iter()
        .flat_map(|c| {
            c.points_by_year
                .keys()
                .chain(c.burners_by_year.keys())
                .copied()
        })
        .collect();
    let _ = writeln!(
        md,
        "## Rollout 年度建设计划 (new standardized points / burners)\n"
    );
    let mut header = "| County 县区 |".to_string();
    let mut rule = "|---|".to_string();
    for y in &years {
        let _ = write!(header, " {y} |");
        rule.push_str("---:|");
    }
    let _ = writeln!(
        md,
        "Grid standard: full coverage from the year every required cell whose majority county is the county holds a standardized point, whichever county's point serves it (as `wxmod gaps --year` judges it); not reachable while some of its cells can hold no point or receive none.\n"
    );
    let _ = writeln!(md, "{header} Grid standard |");
    let _ = writeln!(md, "{rule}---|");
    for c in &plan.rollout.counties {
        let mut row = format!("| {} {} |", c.county_name, c.county);
        for y in &years {
            let p = c.points_by_year.get(y).copied().unwrap_or(0);
            let b = c.burners_by_year.get(y).copied().unwrap_or(0);
            let _ = write!(row, " {p} / {b} |");
        }
        let done = c.standing();
        let _ = writeln!(md, "{row} {done} |");
    }
    let _ = writeln!(
        md,
        "\nAt most {} new points per county per year from {} (policy: 1-2 a year).\n",
        rules.max_new_per_county_per_year, rules.start_year
    );
    let goals = crate::siting::check_goals(plan, rules);
    for goal in &goals {
        let _ = writeln!(md, "- {goal}");
    }
    pace_table(&mut md, &goals);
    if !g.infeasible.is_empty() {
        let _ = writeln!(md, "\n## Infeasible cells 无法布点的网格\n");
        let _ = writeln!(
            md,
            "| Grid | Cell | County | Candidates | Why (candidates refused) |"
        );
        let _ = writeln!(md, "|---|---|---|---:|---|");
        for c in &g.infeasible {
            let why: Vec<String> = c
                .reasons
                .iter()
                .take(4)
                .map(|(r, n)| format!("{r} ({n})"))
                .collect();
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                c.grid.label(),
                c.cell,
                region.counties[c.county].name,
                c.candidates,
                why.join("; ")
            );
        }
    }
    if let Some(b) = &plan.burners {
        let km2 = b.spacing_m * b.spacing_m / 1e6;
        let _ = writeln!(
            md,
            "\n## Smoke burners 烟炉\n\nHigh-mountain land (>= {} m): {:.0} km²; reached by existing burners {:.0} km², after the plan {:.0} km² with {} new burners (downwind sector {}° of a wind from {}°; gaps.md draws burner influence the same way).",
            rules.burner_min_elevation_m,
            b.demand as f64 * km2,
            b.reached_before as f64 * km2,
            b.reached_after as f64 * km2,
            b.burners.len(),
            rules.burner_sector_deg,
            rules.prevailing_wind_from_deg
        );
    }
    if !plan.mobile_counties.is_empty() {
        let names: Vec<String> = plan
            .mobile_counties
            .iter()
            .map(|id| county_name(region, id))
            .collect();
        let _ = writeln!(
            md,
            "\n## Vehicle-mounted rocket systems 车载火箭\n\nNew systems in {} ({}), based at the county seat.",
            names.join(", "),
            rules.start_year
        );
    }
    let _ = writeln!(
        md,
        "\n## Assumed rules 假定参数\n\nCounty-seat buffer {} m, place buffer {} m, airport clearance {} m, slope limit {}°, candidate lattice {} m, burners at >= {} m: assumed defaults [A] (DOMAIN.md §2.3); change them with `--rules FILE`.",
        rules.county_seat_buffer_m,
        rules.place_buffer_m,
        rules.airport_clearance_m,
        rules.max_slope_deg,
        rules.candidate_spacing_m,
        rules.burner_min_elevation_m
    );
    md
}

/// The counties the yearly limit pushes past a policy goal, with the rate each would need.
fn pace_table(md: &mut String, goals: &[crate::siting::GoalCheck]) {
    let mut late: std::collections::BTreeMap<(String, String), (usize, i32, Vec<String>)> =
        std::collections::BTreeMap::new();
    for (at, goal) in goals.iter().enumerate() {
        for c in &goal.late_counties {
            let entry = late
                .entry((c.county.clone(), c.county_name.clone()))
                .or_insert((
                    c.new_points,
                    c.last_year,
                    vec!["on time".into(); goals.len()],
                ));
            entry.2[at] = c
                .needed_per_year
                .map_or("not possible (year before the rollout)".into(), |n| {
                    n.to_string()
                });
        }
    }
    let Some(first) = goals.first() else {
        return;
    };
    if late.is_empty() {
        return;
    }
    let _ = writeln!(
        md,
        "\n### Pace 建设节奏\n\nCounties whose own new points, at {} a year from {}, are built after a goal year, and the new points a year that would finish them by it (policy: 1-2 a year).\n",
        first.max_new_per_county_per_year, first.start_year
    );
    let mut header = "| County 县区 | New points | Last built at this rate |".to_string();
    let mut rule = "|---|---:|---:|".to_string();
    for g in goals {
        let _ = write!(header, " A year for {} |", g.year);
        rule.push_str("---:|");
    }
    let _ = writeln!(md, "{header}\n{rule}");
    for ((id, name), (points, last, needed)) in &late {
        let _ = writeln!(
            md,
            "| {name} {id} | {points} | {last} | {} |",
            needed.join(" | ")
        );
    }
}
