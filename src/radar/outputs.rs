//! Every file of a radar study and an AWS analysis, in memory, and the HTML section that
//! `wxmod run` puts in index.html — one place for `wxmod radar` and the run.
//!
//! Files (names relative to the folder the caller writes them to): `radar.md`,
//! `radar_candidates.csv`, `radar_candidates.xlsx`, `radar.json`, `radar_covered.geojson`,
//! `radar_coverage_1km.png|svg`, `radar_blockage_<site>.png|svg`, `radar_horizon_<site>.png|svg`;
//! with an AWS analysis also `aws.md`, `aws_counties.csv`, `aws_gaps.geojson` and
//! `aws_suggested.csv` (planned `aws` sites in the site-file format for `wxmod budget --plan`).
//!
//! For `wxmod run` (whose report another module owns), call
//! `radar_outputs(&study, Some(&aws), &base, aws_price, Some("radar/"))`, write
//! `outputs.files` under `radar/` in the run folder and insert `outputs.html_section` (a
//! `<section id="radar">`, image links relative to the run folder) into index.html.

use super::RadarError;
use super::aws::AwsNetwork;
use super::maps::{MapBase, horizon_rose, radar_maps, safe};
use super::report::{
    NamedFile, candidates_csv, candidates_markdown, candidates_xlsx, covered_geojson,
    covered_rectangles, study_json, summary_markdown,
};
use super::study::RadarStudy;
use crate::units::Yuan;

/// The files and the HTML section.
#[derive(Debug, Clone)]
pub struct RadarOutputs {
    /// File names (relative) and bytes.
    pub files: Vec<NamedFile>,
    /// A `<section id="radar">` for index.html.
    pub html_section: String,
}

/// Everything a study and an optional AWS analysis produce; maps are drawn unless `maps` is
/// false. `aws_price` is the catalog's price of one six-element AWS; `link_prefix` is put before
/// file names in the HTML links (e.g. `"radar/"`).
///
/// # Errors
/// A map, chart or workbook that cannot be made.
pub fn radar_outputs(
    study: &RadarStudy,
    aws: Option<&AwsNetwork>,
    base: &MapBase,
    aws_price: Yuan,
    link_prefix: Option<&str>,
    maps: bool,
) -> Result<RadarOutputs, RadarError> {
    let prefix = link_prefix.unwrap_or("");
    let mut files: Vec<NamedFile> = vec![
        NamedFile::new("radar.md", candidates_markdown(study, base.region)),
        NamedFile::new("radar_candidates.csv", candidates_csv(study)),
        NamedFile::new("radar_candidates.xlsx", candidates_xlsx(study)?),
        NamedFile::new("radar.json", {
            let mut v = study_json(study);
            if let Some(a) = aws {
                v["aws"] = aws_json(a);
            }
            serde_json::to_vec_pretty(&v).expect("invariant: JSON of numbers and strings")
        }),
        NamedFile::new(
            "radar_covered.geojson",
            covered_geojson(study, base.dem.cellsize()),
        ),
    ];
    let mut images = Vec::new();
    if maps {
        for (stem, png, svg) in radar_maps(study, base)? {
            images.push(format!("{stem}.png"));
            files.push(NamedFile::new(format!("{stem}.png"), png));
            files.push(NamedFile::new(format!("{stem}.svg"), svg));
        }
        for chosen in &study.chosen {
            let stem = format!("radar_horizon_{}", safe(&study.rows[chosen.row].site.id));
            let (png, svg) = horizon_rose(study, chosen)?;
            images.push(format!("{stem}.png"));
            files.push(NamedFile::new(format!("{stem}.png"), png));
            files.push(NamedFile::new(format!("{stem}.svg"), svg));
        }
    }
    let mut md = String::from("## X波段天气雷达 X-band radar site\n\n");
    md.push_str(&summary_markdown(study, base.region));
    for n in &study.notes {
        md.push_str(&format!("- {n}\n"));
    }
    md.push_str(&format!(
        "\nFull comparison table: {prefix}radar_candidates.csv (and .xlsx, radar.md).\n"
    ));
    if let Some(a) = aws {
        let aws_md = aws_markdown(a, aws_price);
        md.push('\n');
        md.push_str(&aws_md.replacen("# ", "## ", 1));
        files.push(NamedFile::new("aws.md", aws_md));
        files.push(NamedFile::new("aws_counties.csv", aws_csv(a, aws_price)));
        files.push(NamedFile::new(
            "aws_gaps.geojson",
            aws_geojson(study, a, base.dem.cellsize()),
        ));
        files.push(NamedFile::new(
            "aws_suggested.csv",
            crate::sites::sites_to_csv(&a.suggested_sites()),
        ));
    }
    let mut html = String::from("<section id=\"radar\">\n");
    html.push_str(&crate::report::html::markdown_to_html(&md));
    for img in &images {
        html.push_str(&format!(
            "<figure><img src=\"{prefix}{img}\" alt=\"{img}\" style=\"max-width:100%\"><figcaption>{img}</figcaption></figure>\n"
        ));
    }
    html.push_str("</section>\n");
    Ok(RadarOutputs {
        files,
        html_section: html,
    })
}

/// The AWS network as Markdown: per county stations, gap land, suggestions and their budget line.
pub fn aws_markdown(a: &AwsNetwork, price: Yuan) -> String {
    let mut out = format!(
        "# 六要素自动气象站 The six-element AWS network\n\nGap: land farther than {} km [A] from every operating station.\n\n| county | stations | land km² | gap km² | gap after km² | new stations | budget yuan |\n|---|---:|---:|---:|---:|---:|---:|\n",
        a.rules.gap_km
    );
    let mut total = Yuan::from_yuan(0);
    for c in &a.counties {
        let cost = price * c.suggestions.len() as i64;
        total = total + cost;
        out.push_str(&format!(
            "| {} | {} | {:.0} | {:.0} | {:.0} | {} | {:.0} |\n",
            c.county,
            if c.stations.is_empty() {
                "none".to_string()
            } else {
                c.stations.join(", ")
            },
            c.land_km2,
            c.gap_km2,
            c.gap_after_km2,
            c.suggestions.len(),
            cost.yuan()
        ));
    }
    out.push_str(&format!(
        "\nBudget line (能力建设): {} new six-element AWS × {:.0} yuan [A] = {:.0} yuan; `wxmod budget --plan aws_suggested.csv` (with the existing sites) costs them with the catalog.\n\n## Suggested stations\n\n| id | county | lon | lat | ground m | slope ° | reaches km² | why |\n|---|---|---:|---:|---:|---:|---:|---|\n",
        a.counties.iter().map(|c| c.suggestions.len()).sum::<usize>(),
        price.yuan(),
        total.yuan()
    ));
    for c in &a.counties {
        for s in &c.suggestions {
            out.push_str(&format!(
                "| {} | {} | {:.5} | {:.5} | {:.0} | {:.1} | {:.0} | {} |\n",
                s.id, c.county, s.lon, s.lat, s.ground_m, s.slope_deg, s.gain_km2, s.reason
            ));
        }
        if c.candidate_spots == 0 {
            out.push_str(&format!("| – | {} | | | | | | no DEM cell meets the environment rules: survey the county |\n", c.county));
        }
    }
    out.push_str("\n## Notes\n\n");
    for n in &a.notes {
        out.push_str(&format!("- {n}\n"));
    }
    out
}

/// Per-county CSV of the AWS network.
pub fn aws_csv(a: &AwsNetwork, price: Yuan) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "county_id",
        "county",
        "stations",
        "land_km2",
        "gap_km2",
        "gap_after_km2",
        "new_stations",
        "budget_yuan",
        "candidate_spots",
    ])
    .expect("invariant: in-memory CSV");
    for c in &a.counties {
        w.write_record([
            c.county_id.clone(),
            c.county.clone(),
            c.stations.len().to_string(),
            format!("{:.1}", c.land_km2),
            format!("{:.1}", c.gap_km2),
            format!("{:.1}", c.gap_after_km2),
            c.suggestions.len().to_string(),
            format!("{:.0}", (price * c.suggestions.len() as i64).yuan()),
            c.candidate_spots.to_string(),
        ])
        .expect("invariant: in-memory CSV");
    }
    String::from_utf8(w.into_inner().expect("invariant: in-memory CSV")).expect("invariant: UTF-8")
}

pub(crate) fn aws_json(a: &AwsNetwork) -> serde_json::Value {
    serde_json::json!({
        "rules": a.rules,
        "counties": a.counties,
        "notes": a.notes,
    })
}

fn aws_geojson(study: &RadarStudy, a: &AwsNetwork, cellsize: f64) -> String {
    let features: Vec<serde_json::Value> = [(&a.gap, "now"), (&a.gap_after, "after suggestions")]
        .iter()
        .map(|(set, when)| {
            let polygons: Vec<serde_json::Value> = covered_rectangles(&study.land, set, cellsize)
                .iter()
                .map(|r| serde_json::json!([[[r[0], r[1]], [r[2], r[1]], [r[2], r[3]], [r[0], r[3]], [r[0], r[1]]]]))
                .collect();
            serde_json::json!({
                "type": "Feature",
                "properties": {"gap": when, "gap_km": a.rules.gap_km, "km2": set.iter().map(|i| study.land.points[i].area_km2).sum::<f64>()},
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            })
        })
        .collect();
    serde_json::to_string(&serde_json::json!({"type": "FeatureCollection", "features": features}))
        .expect("invariant: JSON of numbers and strings")
}

/// What [`radar_job`] returns.
#[derive(Debug, Clone)]
pub struct RadarJob {
    /// The site-selection study.
    pub study: RadarStudy,
    /// The AWS network, when asked for.
    pub aws: Option<AwsNetwork>,
    /// Every file and the HTML section.
    pub outputs: RadarOutputs,
}

/// The whole radar and AWS job in one call (`wxmod radar` and `wxmod run`): the study, the
/// AWS network of `aws_sites` (skipped when `aws_rules` is `None`) and every output.
///
/// # Errors
/// As [`super::study::study`], [`super::aws::aws_network`] and [`radar_outputs`].
#[allow(clippy::too_many_arguments)]
pub fn radar_job(
    inputs: &super::study::RadarInputs,
    request: &super::study::RadarRequest,
    aws_sites: &[crate::sites::Site],
    aws_rules: Option<&super::aws::AwsRules>,
    source_note: &str,
    aws_price: Yuan,
    link_prefix: Option<&str>,
    maps: bool,
) -> Result<RadarJob, RadarError> {
    let study = super::study::study(inputs, request)?;
    let aws = aws_rules
        .map(|rules| {
            super::aws::aws_network(
                inputs.region,
                inputs.dem,
                &study.land,
                aws_sites,
                inputs.landmarks,
                rules,
            )
        })
        .transpose()?;
    let base = MapBase {
        region: inputs.region,
        dem: inputs.dem,
        landmarks: inputs.landmarks,
        source_note,
    };
    let outputs = radar_outputs(&study, aws.as_ref(), &base, aws_price, link_prefix, maps)?;
    Ok(RadarJob {
        study,
        aws,
        outputs,
    })
}
