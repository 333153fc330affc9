//! A project's radar study in one call, as `wxmod radar` and the radar step of `wxmod run`
//! both make it: the inputs from the project's region and layers (DEM, zones, landmarks), the
//! AWS network from the project's sites, the AWS price from its catalog, then
//! [`radar_job`]; and what the command tells the user (terminal lines, `--json`).
//!
//! Errors: [`RadarError::NoDem`] for a region without a DEM, else as [`radar_job`].

use std::path::PathBuf;

use super::RadarError;
use super::aws::AwsRules;
use super::outputs::{RadarJob, aws_json, radar_job};
use super::report::study_json;
use super::study::{RadarInputs, RadarRequest};
use crate::project::Project;
use crate::sites::SiteKind;
use crate::units::Yuan;

/// The radar study of a project: [`radar_job`] with the project's DEM, zones, landmarks, sites
/// (for the AWS network, when `aws_rules` is given) and the catalog's AWS price; file links of
/// the HTML section under `link_prefix`; maps when `maps`.
///
/// # Errors
/// [`RadarError::NoDem`] when the region has no DEM, else as [`radar_job`].
pub fn project_radar_job(
    project: &Project,
    request: &RadarRequest,
    aws_rules: Option<&AwsRules>,
    link_prefix: Option<&str>,
    maps: bool,
) -> Result<RadarJob, RadarError> {
    let region = &project.region;
    let layers = &project.layers;
    let dem = layers.dem.as_ref().ok_or(RadarError::NoDem)?;
    let dem_name = region
        .files
        .dem
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let inputs = RadarInputs {
        region,
        dem,
        dem_name: &dem_name,
        zones: layers.zones.as_ref(),
        landmarks: &layers.landmarks,
    };
    let note =
        crate::render::data_note(region, layers.zones.as_ref(), project.sites_file.as_deref());
    let price = Yuan::from_yuan(project.catalog.kind(SiteKind::Aws).site_cost_yuan);
    radar_job(
        &inputs,
        request,
        &project.sites,
        aws_rules,
        &note,
        price,
        link_prefix,
        maps,
    )
}

/// `wxmod radar --json`: the study's JSON ([`study_json`]), the AWS network's rules, counties
/// and notes when analysed, and the files written.
pub fn job_json(job: &RadarJob, written: &[PathBuf]) -> serde_json::Value {
    let mut v = study_json(&job.study);
    if let Some(aws) = &job.aws {
        v["aws"] = aws_json(aws);
    }
    v["files"] = serde_json::json!(written);
    v
}

/// What `wxmod radar` prints: the candidates evaluated and passing, the chosen sites with their
/// coverage (and the network's total and bound for several), the first excluded candidates with
/// their reasons, each county's AWS line, and every note (an AWS network not analysed is said).
pub fn terminal_lines(job: &RadarJob) -> Vec<String> {
    let study = &job.study;
    let c = &study.request.config;
    let mut out = Vec::new();
    let eligible = study.rows.iter().filter(|r| r.eligible()).count();
    out.push(format!(
        "{} candidates evaluated, {} pass the constraints",
        study.rows.len(),
        eligible
    ));
    match &study.network {
        Some(net) => {
            for &i in &net.chosen {
                let r = &study.rows[i];
                out.push(format!(
                    "chosen {} ({:.5}, {:.5}) {}: ground {:.0} m, antenna {:.0} m; land covered {:.1} % at {} m AGL, {:.1} % at {} m AGL",
                    r.site.id,
                    r.site.lon,
                    r.site.lat,
                    r.county.clone().unwrap_or_default(),
                    r.ground_m.unwrap_or(f64::NAN),
                    r.antenna_m.unwrap_or(f64::NAN),
                    100.0 * r.low_share(),
                    c.low_agl_m,
                    100.0 * r.high_share(),
                    c.high_agl_m
                ));
            }
            if net.chosen.len() > 1 {
                out.push(format!(
                    "together {:.1} km² ({:.1} %) at {} m AGL; bound {:.1} km²{}",
                    net.covered_km2,
                    100.0 * net.share,
                    c.low_agl_m,
                    net.upper_bound_km2,
                    if net.proven_optimal { " (optimal)" } else { "" }
                ));
                out.push(format!("method: {}", net.method));
            }
        }
        None => out.push("no candidate passes the constraints: no site chosen".into()),
    }
    for r in study.rows.iter().filter(|r| !r.eligible()).take(5) {
        out.push(format!("excluded {}: {}", r.site.id, r.excluded.join("; ")));
    }
    match &job.aws {
        Some(aws) => {
            for c in &aws.counties {
                out.push(format!(
                    "AWS {}: {} stations, gap {:.0} km² of {:.0} km², {} new suggested (gap after {:.0} km²)",
                    c.county,
                    c.stations.len(),
                    c.gap_km2,
                    c.land_km2,
                    c.suggestions.len(),
                    c.gap_after_km2
                ));
            }
            out.extend(aws.notes.iter().map(|n| format!("note: {n}")));
        }
        None => out.push("note: the AWS network is not analysed (--no-aws)".into()),
    }
    out.extend(study.notes.iter().map(|n| format!("note: {n}")));
    out
}
