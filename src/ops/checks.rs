//! Which safety checks and layers a job could run, said in every output.
//!
//! Firing sectors and the siting exclusions keep clear of county seats, places and airports
//! (the region's landmarks). A region without them would give plans that look safe and are not
//! checked, so `plan`, `sectors`, `run` and `--explain` refuse it ([`SafetyError`]) unless the
//! user says explicitly to go on without ([`ProtectedObjects::NotChecked`]); then every summary,
//! Markdown report, `index.html` and map says that these checks did not run. A missing DEM or
//! zone layer is not refused but always named: what it skips is listed in every output too.

use crate::project::Project;
use crate::region::LandmarkKind;
use crate::report::NamedFile;

/// Whether the protected objects must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProtectedObjects {
    /// Refuse a region without county seats, places or airports (the default).
    #[default]
    Required,
    /// Go on without them; every output says which checks did not run.
    NotChecked,
}

/// A job refused because its safety checks could not run.
#[derive(Debug, thiserror::Error)]
#[error(
    "the region {region} has no {missing} in its landmark layer{file}, so firing sectors and siting exclusions cannot be checked; add them to the region's landmarks.csv (name,kind,lon,lat,county,note with kind county_seat, place or airport; `wxmod region build --landmarks FILE`), or pass --no-protected-objects to plan without these checks"
)]
pub struct SafetyError {
    /// The region's name.
    pub region: String,
    /// The missing kinds, in words.
    pub missing: String,
    /// " (FILE)" when the region names a landmark file, else "".
    pub file: String,
}

/// The landmark kinds the project lacks, in words.
fn missing_kinds(project: &Project) -> Vec<&'static str> {
    let has = |kind: LandmarkKind| project.layers.landmarks.iter().any(|l| l.kind == kind);
    [
        (LandmarkKind::CountySeat, "county seats"),
        (LandmarkKind::Place, "places (towns and villages)"),
        (LandmarkKind::Airport, "airports"),
    ]
    .into_iter()
    .filter(|(kind, _)| !has(*kind))
    .map(|(_, words)| words)
    .collect()
}

/// Checks that the firing-sector and exclusion checks can run; returns the warnings every
/// output must carry (empty when everything was checked).
pub fn protected_objects(
    project: &Project,
    policy: ProtectedObjects,
) -> Result<Vec<String>, SafetyError> {
    let missing = missing_kinds(project);
    if missing.is_empty() {
        return Ok(Vec::new());
    }
    match policy {
        ProtectedObjects::Required => Err(SafetyError {
            region: project.region.name.clone(),
            missing: missing.join(", "),
            file: project
                .region
                .files
                .landmarks
                .as_ref()
                .map(|p| format!(" ({})", p.display()))
                .unwrap_or_default(),
        }),
        ProtectedObjects::NotChecked => Ok(vec![format!(
            "NOT CHECKED: the region has no {}; firing sectors and siting exclusions were not checked against them (--no-protected-objects)",
            missing.join(", ")
        )]),
    }
}

/// What the project's missing layers skip, one line each (empty when all are present).
pub fn layer_warnings(project: &Project) -> Vec<String> {
    let mut warnings = Vec::new();
    if project.layers.dem.is_none() {
        warnings.push(
            "no DEM: no smoke burners planned, no slope check of candidates, and every firing sector gets the high-altitude minimum"
                .to_string(),
        );
    }
    if project.layers.zones.is_none() {
        warnings.push(
            "no priority-zone layer: the 10 km priority grid is not laid and zone coverage is not reported"
                .to_string(),
        );
    }
    warnings
}

/// Puts the warnings at the top of every Markdown report among `files`.
pub fn stamp_markdown(files: &mut [NamedFile], warnings: &[String]) {
    if warnings.is_empty() {
        return;
    }
    let block: String = warnings
        .iter()
        .map(|w| format!("> **Warning:** {w}\n>\n"))
        .collect();
    for file in files.iter_mut() {
        if file.name.ends_with(".md") {
            let mut stamped = format!("{block}\n").into_bytes();
            stamped.extend_from_slice(&file.bytes);
            file.bytes = stamped;
        }
    }
}

/// The warnings as terminal lines.
pub fn display(f: &mut std::fmt::Formatter<'_>, warnings: &[String]) -> std::fmt::Result {
    for w in warnings {
        writeln!(f, "warning: {w}")?;
    }
    Ok(())
}
