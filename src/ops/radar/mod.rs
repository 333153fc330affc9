//! `wxmod radar`: a project's radar study in one call, as the command and the radar step of
//! `wxmod run` both make it: the inputs from the project's region and layers (DEM, zones,
//! landmarks), the AWS network from the project's sites, the AWS price from its catalog, then
//! [`radar_job`]; and what the command tells the user ([`RadarSummary`]: text lines, or JSON).
//!
//! Errors: [`RadarError::NoDem`] for a region without a DEM, else as [`radar_job`].

use std::fmt;

use serde::Serialize;

pub mod in_run;

use super::Outcome;
use crate::project::Project;
use crate::radar::aws::{AwsNetwork, AwsRules};
use crate::radar::outputs::{RadarJob, aws_json, radar_job};
use crate::radar::report::study_json;
use crate::radar::study::{RadarInputs, RadarRequest};
use crate::radar::{RadarError, RadarStudy};
use crate::sites::SiteKind;
use crate::units::Yuan;

/// What to study.
#[derive(Debug, Clone)]
pub struct RadarOptions {
    /// Candidates, radar model, site rules and how many radars.
    pub request: RadarRequest,
    /// The AWS network analysis; `None` skips it (and every output says so).
    pub aws: Option<AwsRules>,
    /// Draw the maps and the horizon rose.
    pub maps: bool,
}

/// The radar study and the AWS network, as `wxmod radar` reports them.
#[derive(Debug, Clone)]
pub struct RadarSummary {
    /// The site-selection study.
    pub study: RadarStudy,
    /// The AWS network, when analysed.
    pub aws: Option<AwsNetwork>,
}

/// The study of a project and its files (tables, layers and, with `maps`, the maps).
///
/// # Errors
/// [`RadarError::NoDem`] when the region has no DEM, else as [`radar_job`].
pub fn radar(
    project: &Project,
    options: &RadarOptions,
) -> Result<Outcome<RadarSummary>, RadarError> {
    let job = project_radar_job(
        project,
        &options.request,
        options.aws.as_ref(),
        None,
        options.maps,
    )?;
    Ok(Outcome {
        files: job.outputs.files,
        summary: RadarSummary {
            study: job.study,
            aws: job.aws,
        },
    })
}

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

/// `wxmod radar --json`: the study's JSON ([`study_json`]) and the AWS network's rules,
/// counties and notes when analysed.
impl Serialize for RadarSummary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut v = study_json(&self.study);
        if let Some(aws) = &self.aws {
            v["aws"] = aws_json(aws);
        }
        v.serialize(serializer)
    }
}

/// What `wxmod radar` prints: the candidates evaluated and passing, the chosen sites with their
/// coverage (and the network's total and bound for several), the first excluded candidates with
/// their reasons, each county's AWS line, and every note (an AWS network not analysed is said).
impl fmt::Display for RadarSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let study = &self.study;
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
        match &self.aws {
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
        for line in out {
            writeln!(f, "{line}")?;
        }
        Ok(())
    }
}
