//! A radar study as bytes: the QX/T 100-2009 candidate comparison table (Markdown, CSV,
//! xlsx), the `--json` document, GeoJSON of the covered land, and the files and HTML section
//! `wxmod run` adds ([`radar_files`], [`html_section`]).
//!
//! Every output repeats the study's notes (assumed values \[A\], missing layers, rays cut at the
//! DEM edge). The JSON has per site `lon`, `lat`, `ground_m`, `antenna_m`, `elevations:
//! [{elevation_deg, cbb_by_azimuth: [360 values, azimuth 0..359]}]`, `coverage_1km_agl_share`,
//! `coverage_3km_agl_share` (fractions of the region's land; the names keep "1km"/"3km" and
//! `low_agl_m`/`high_agl_m` say the heights used). Covered land in GeoJSON is the union of the
//! covered DEM cells, written as one rectangle per run of covered cells along a DEM row.

use super::RadarError;
use super::coverage::PointSet;
use super::land::LandSet;
use super::study::{CandidateRow, RadarStudy};
use crate::region::Region;

pub use crate::report::NamedFile;

/// Rows shown in the Markdown table (the CSV and xlsx have every row).
pub const MARKDOWN_ROWS: usize = 30;

fn fmt_opt(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "–".to_string(), |v| format!("{v:.digits$}"))
}

fn percent(v: f64) -> String {
    format!("{:.1} %", 100.0 * v)
}

/// The columns of the comparison table.
const COLUMNS: [&str; 20] = [
    "rank",
    "site",
    "lon",
    "lat",
    "county",
    "ground_m",
    "antenna_m",
    "slope_deg",
    "city_seat_km",
    "nearest_airport",
    "nearest_airport_km",
    "coverage_1km_agl_share",
    "coverage_3km_agl_share",
    "covered_1km_agl_km2",
    "max_cbb_lowest",
    "mean_cbb_lowest",
    "mean_horizon_deg",
    "max_horizon_deg",
    "eligible",
    "excluded_because",
];

fn mean_max(values: &[f64]) -> (Option<f64>, Option<f64>) {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() {
        return (None, None);
    }
    let mean = finite.iter().sum::<f64>() / finite.len() as f64;
    (
        Some(mean),
        Some(finite.iter().copied().fold(f64::NEG_INFINITY, f64::max)),
    )
}

fn cells(row: &CandidateRow) -> Vec<String> {
    let (hmean, hmax) = mean_max(&row.horizon_deg);
    let mut why = row.excluded.join("; ");
    if let Some(note) = &row.dem_note {
        if !why.is_empty() {
            why.push_str("; ");
        }
        why.push_str(&format!("note: {note}"));
    }
    vec![
        row.rank.to_string(),
        row.site.id.clone(),
        format!("{:.5}", row.site.lon),
        format!("{:.5}", row.site.lat),
        row.county.clone().unwrap_or_default(),
        fmt_opt(row.ground_m, 0),
        fmt_opt(row.antenna_m, 0),
        fmt_opt(row.slope_deg, 1),
        fmt_opt(row.city_seat_km, 1),
        row.airports_km
            .first()
            .map(|a| a.0.clone())
            .unwrap_or_default(),
        fmt_opt(row.airports_km.first().map(|a| a.1), 1),
        fmt_opt(row.low.as_ref().map(|s| s.region), 4),
        fmt_opt(row.high.as_ref().map(|s| s.region), 4),
        fmt_opt(row.low.as_ref().map(|s| s.covered_km2), 1),
        fmt_opt(row.max_cbb_lowest, 3),
        fmt_opt(row.mean_cbb_lowest, 3),
        fmt_opt(hmean, 2),
        fmt_opt(hmax, 2),
        if row.eligible() { "yes" } else { "no" }.into(),
        why,
    ]
}

/// The comparison table as CSV, every candidate, ranked.
pub fn candidates_csv(study: &RadarStudy) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS).expect("invariant: in-memory CSV");
    for row in &study.rows {
        w.write_record(cells(row))
            .expect("invariant: in-memory CSV");
    }
    String::from_utf8(w.into_inner().expect("invariant: in-memory CSV")).expect("invariant: UTF-8")
}

/// The comparison table as an xlsx workbook: sheet `candidates` (every row) and `notes`.
///
/// # Errors
/// [`RadarError::Workbook`] when rust_xlsxwriter refuses a cell.
pub fn candidates_xlsx(study: &RadarStudy) -> Result<Vec<u8>, RadarError> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| RadarError::Workbook {
        reason: e.to_string(),
    };
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = wb.add_worksheet().set_name("candidates").map_err(err)?;
    for (c, h) in COLUMNS.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *h, &bold)
            .map_err(err)?;
    }
    for (r, row) in study.rows.iter().enumerate() {
        for (c, text) in cells(row).iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match text.parse::<f64>() {
                Ok(v) if c != 1 => sheet.write_number(r, c, v).map_err(err)?,
                _ => sheet.write_string(r, c, text).map_err(err)?,
            };
        }
    }
    let notes = wb.add_worksheet().set_name("notes").map_err(err)?;
    for (r, n) in study.notes.iter().enumerate() {
        notes.write_string(r as u32, 0, n).map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}

/// The site-selection summary and table as Markdown.
pub fn candidates_markdown(study: &RadarStudy, region: &Region) -> String {
    let mut out = format!(
        "# X波段天气雷达选址 X-band radar site selection — {}\n\nCandidate comparison in the shape of QX/T 100-2009 Annex B (候选站址比较表), computed from the DEM. It ranks sites for a field survey (Annex A) and does not replace one.\n\n",
        region.name
    );
    out.push_str(&summary_markdown(study, region));
    out.push_str("\n## Notes\n\n");
    for n in &study.notes {
        out.push_str(&format!("- {n}\n"));
    }
    let shown = study.rows.len().min(MARKDOWN_ROWS);
    out.push_str(&format!(
        "\n## Candidates (best {shown} of {}; every candidate in radar_candidates.csv / .xlsx)\n\n",
        study.rows.len()
    ));
    out.push_str("| rank | site | lon | lat | county | ground m | antenna m | city seat km | nearest airport km | 1 km AGL | 3 km AGL | max CBB | mean CBB | excluded because |\n|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for row in study.rows.iter().take(shown) {
        let c = cells(row);
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            c[0],
            c[1],
            c[2],
            c[3],
            c[4],
            c[5],
            c[6],
            c[8],
            c[10],
            row.low.as_ref().map_or("–".into(), |s| percent(s.region)),
            row.high.as_ref().map_or("–".into(), |s| percent(s.region)),
            c[14],
            c[15],
            if c[19].is_empty() {
                "—".to_string()
            } else {
                c[19].replace('|', "/")
            }
        ));
    }
    out
}

/// The chosen site(s) with coverage by county and zone kind, as Markdown (also used in the HTML).
pub fn summary_markdown(study: &RadarStudy, region: &Region) -> String {
    let c = &study.request.config;
    let Some(net) = &study.network else {
        return "**No candidate passes the constraints: no radar site is chosen.** See the reasons in the table.\n".into();
    };
    let mut out = String::new();
    let eligible = study.rows.iter().filter(|r| r.eligible()).count();
    out.push_str(&format!(
        "**{} of {} candidates pass the constraints.** Chosen ({}): {}.\n\n",
        eligible,
        study.rows.len(),
        net.method,
        net.chosen
            .iter()
            .map(|&i| study.rows[i].site.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if net.chosen.len() > 1 {
        out.push_str(&format!(
            "Together they cover {:.1} km² ({}) of the land at {} m AGL; no {} eligible sites cover more than {:.1} km² (bound){}.\n\n",
            net.covered_km2, percent(net.share), c.low_agl_m, net.chosen.len(), net.upper_bound_km2,
            if net.proven_optimal { ", so the choice is optimal" } else { "" }
        ));
    }
    for &i in &net.chosen {
        let row = &study.rows[i];
        out.push_str(&format!(
            "### {} ({:.5} E, {:.5} N){}\n\nGround {} m, antenna {} m a.s.l.; {} km from the city seat; nearest airport {}. Land covered: {} at {} m AGL, {} at {} m AGL; lowest elevation's end-of-range cumulative blockage max {}, mean {}.\n\n",
            row.site.id, row.site.lon, row.site.lat,
            row.county.as_ref().map_or(String::new(), |c| format!(", {c}")),
            fmt_opt(row.ground_m, 0), fmt_opt(row.antenna_m, 0), fmt_opt(row.city_seat_km, 1),
            row.airports_km.first().map_or("–".into(), |a| format!("{} {:.1} km", a.0, a.1)),
            percent(row.low_share()), c.low_agl_m, percent(row.high_share()), c.high_agl_m,
            fmt_opt(row.max_cbb_lowest, 3), fmt_opt(row.mean_cbb_lowest, 3)
        ));
        if let (Some(low), Some(high)) = (&row.low, &row.high) {
            out.push_str(&format!(
                "| area | {} m AGL | {} m AGL |\n|---|---:|---:|\n",
                c.low_agl_m, c.high_agl_m
            ));
            for (k, county) in region.counties.iter().enumerate() {
                out.push_str(&format!(
                    "| {} | {} | {} |\n",
                    county.name,
                    percent(low.by_county.get(k).copied().unwrap_or(0.0)),
                    percent(high.by_county.get(k).copied().unwrap_or(0.0))
                ));
            }
            for ((kind, l), (_, h)) in low.by_zone.iter().zip(&high.by_zone) {
                out.push_str(&format!(
                    "| zone {} {} | {} | {} |\n",
                    kind.chinese(),
                    kind.as_str(),
                    percent(*l),
                    percent(*h)
                ));
            }
            out.push_str(&format!(
                "| land in required 15 km cells | {} | {} |\n| required 15 km cells at least half covered | {} of {} | {} of {} |\n\n",
                percent(low.required_cells_land), percent(high.required_cells_land),
                low.required_cells_half_covered, study.land.required_cells.len(),
                high.required_cells_half_covered, study.land.required_cells.len()
            ));
        }
    }
    out
}

fn round(v: f64, digits: i32) -> serde_json::Value {
    if v.is_finite() {
        let f = 10f64.powi(digits);
        serde_json::json!((v * f).round() / f)
    } else {
        serde_json::Value::Null
    }
}

/// The study as JSON: parameters, notes, the chosen network and every site.
pub fn study_json(study: &RadarStudy) -> serde_json::Value {
    let c = &study.request.config;
    let sites: Vec<serde_json::Value> = study
        .rows
        .iter()
        .map(|row| {
            serde_json::json!({
                "rank": row.rank,
                "id": row.site.id,
                "lon": row.site.lon,
                "lat": row.site.lat,
                "county": row.county,
                "ground_m": row.ground_m.map(|v| round(v, 1)),
                "antenna_m": row.antenna_m.map(|v| round(v, 1)),
                "slope_deg": row.slope_deg.map(|v| round(v, 2)),
                "city_seat_km": row.city_seat_km.map(|v| round(v, 2)),
                "airports_km": row.airports_km.iter().map(|(n, d)| serde_json::json!({"name": n, "km": round(*d, 2)})).collect::<Vec<_>>(),
                "elevations": c.elevations_deg.iter().zip(&row.cbb_by_azimuth).map(|(e, cbb)| serde_json::json!({
                    "elevation_deg": e,
                    "cbb_by_azimuth": cbb.iter().map(|v| round(*v, 4)).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "horizon_deg_by_azimuth": row.horizon_deg.iter().map(|v| round(*v, 3)).collect::<Vec<_>>(),
                "coverage_1km_agl_share": row.low.as_ref().map(|s| round(s.region, 5)),
                "coverage_3km_agl_share": row.high.as_ref().map(|s| round(s.region, 5)),
                "coverage_1km_agl_by_county": row.low.as_ref().map(|s| s.by_county.iter().map(|v| round(*v, 4)).collect::<Vec<_>>()),
                "coverage_1km_agl_by_zone": row.low.as_ref().map(|s| s.by_zone.iter().map(|(k, v)| (k.as_str().to_string(), round(*v, 4))).collect::<serde_json::Map<_, _>>()),
                "max_cbb_lowest": row.max_cbb_lowest.map(|v| round(v, 4)),
                "mean_cbb_lowest": row.mean_cbb_lowest.map(|v| round(v, 4)),
                "eligible": row.eligible(),
                "excluded_because": row.excluded,
                "dem_note": row.dem_note,
            })
        })
        .collect();
    serde_json::json!({
        "config": c,
        "rules": study.request.rules,
        "dem": study.dem_name,
        "land_km2": round(study.land.total_km2(), 1),
        "counties": study.land.counties,
        "notes": study.notes,
        "network": study.network.as_ref().map(|n| serde_json::json!({
            "chosen": n.chosen.iter().map(|&i| &study.rows[i].site.id).collect::<Vec<_>>(),
            "covered_1km_agl_km2": round(n.covered_km2, 1),
            "coverage_1km_agl_share": round(n.share, 5),
            "upper_bound_km2": round(n.upper_bound_km2, 1),
            "greedy_1km_agl_km2": round(n.greedy_km2, 1),
            "proven_optimal": n.proven_optimal,
            "method": n.method,
        })),
        "sites": sites,
    })
}

/// The covered DEM cells of a point set as lon/lat rectangles, one per run along a DEM row.
pub fn covered_rectangles(land: &LandSet, set: &PointSet, cellsize: f64) -> Vec<[f64; 4]> {
    let h = cellsize / 2.0;
    let mut out: Vec<[f64; 4]> = Vec::new();
    let mut prev: Option<(f64, f64)> = None;
    for (i, p) in land.points.iter().enumerate() {
        if !set.contains(i) {
            prev = None;
            continue;
        }
        match (prev, out.last_mut()) {
            (Some((lon, lat)), Some(r))
                if (p.lat - lat).abs() < 1e-9 && (p.lon - lon - cellsize).abs() < 1e-6 =>
            {
                r[2] = p.lon + h;
            }
            _ => out.push([p.lon - h, p.lat - h, p.lon + h, p.lat + h]),
        }
        prev = Some((p.lon, p.lat));
    }
    out
}

/// GeoJSON of the land the chosen sites cover at both heights.
pub fn covered_geojson(study: &RadarStudy, cellsize: f64) -> String {
    let c = &study.request.config;
    let mut features = Vec::new();
    for chosen in &study.chosen {
        let id = &study.rows[chosen.row].site.id;
        for (set, agl) in [(&chosen.low, c.low_agl_m), (&chosen.high, c.high_agl_m)] {
            let polygons: Vec<serde_json::Value> = covered_rectangles(&study.land, set, cellsize)
                .iter()
                .map(|r| {
                    serde_json::json!([[
                        [r[0], r[1]],
                        [r[2], r[1]],
                        [r[2], r[3]],
                        [r[0], r[3]],
                        [r[0], r[1]]
                    ]])
                })
                .collect();
            features.push(serde_json::json!({
                "type": "Feature",
                "properties": {"site": id, "agl_m": agl, "max_cbb": c.max_cbb,
                    "note": "union of covered DEM cells (one rectangle per run along a row)"},
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }));
        }
    }
    serde_json::to_string(&serde_json::json!({"type": "FeatureCollection", "features": features}))
        .expect("invariant: JSON of numbers and strings")
}
