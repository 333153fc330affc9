//! `wxmod gaps`: where a site network leaves the policy's cells and the land unserved.
//!
//! The analysis itself is [`crate::gaps`]; this job lays the grids, runs it for the network as
//! it stands (or as of a year) and gathers the files and the headline figures.

use std::fmt;

use serde::Serialize;

use crate::gaps::{
    Compliance, CoverageRow, GapOptions, GapReport, PolicyGrid, PolicyGrids, analyse_on,
    uncovered_land,
};
use crate::project::Project;
use crate::report;
use crate::sites::Site;

use super::Outcome;

/// What `wxmod gaps` reports.
#[derive(Debug, Clone, Serialize)]
pub struct GapSummary {
    /// The region's name.
    pub region: String,
    /// The year of the network (`None`: existing sites only).
    pub year: Option<i32>,
    /// Sites operating in that year.
    pub operating_sites: usize,
    /// The city's compliance on the 15 km base grid.
    pub compliance_base: Option<Compliance>,
    /// The city's compliance on the 10 km priority grid (without zones: none).
    pub compliance_priority: Option<Compliance>,
    /// Effective coverage of the whole region.
    pub coverage_city: Option<CoverageRow>,
    /// Effective coverage per county, then the region.
    pub coverage_by_county: Vec<CoverageRow>,
    /// Effective coverage per priority-zone kind.
    pub coverage_by_zone: Vec<CoverageRow>,
    /// High-mountain land reached by burners (none without a DEM).
    pub burner_coverage: Option<CoverageRow>,
    /// Ids of the counties without a vehicle-mounted rocket system.
    pub counties_without_mobile_system: Vec<String>,
    /// Ids of the counties without a six-element AWS.
    pub counties_without_aws: Vec<String>,
    /// Whether every city has an operating X-band radar (one per city).
    pub radar_present: bool,
    /// The cities without one (the region itself when it is one city).
    pub cities_without_radar: Vec<String>,
    /// Whether the region spans several cities (the radar line then names them).
    #[serde(skip)]
    pub several_cities: bool,
    /// Unserved required cells on both grids.
    pub gaps: usize,
    /// Layers that were missing and what they skip.
    pub warnings: Vec<String>,
    /// Names of the counties without a vehicle-mounted system, for the terminal.
    #[serde(skip)]
    pub names_without_mobile_system: Vec<String>,
    /// Names of the counties without an AWS, for the terminal.
    #[serde(skip)]
    pub names_without_aws: Vec<String>,
}

impl GapSummary {
    /// The headline figures of a gap report.
    pub fn of(report: &GapReport, region: &crate::region::Region) -> GapSummary {
        let lacking = |f: fn(&crate::gaps::PolicyItems) -> bool| {
            report
                .policy_items
                .iter()
                .filter(|p| f(p))
                .map(|p| (p.county.clone(), p.county_name.clone()))
                .unzip::<_, _, Vec<_>, Vec<_>>()
        };
        let (no_mobile_ids, no_mobile_names) = lacking(|p| p.mobile_rocket_systems == 0);
        let (no_aws_ids, no_aws_names) = lacking(|p| p.weather_stations == 0);
        GapSummary {
            region: region.name.clone(),
            year: report.year,
            operating_sites: report.network.len(),
            compliance_base: report.city_compliance(PolicyGrid::Base).cloned(),
            compliance_priority: report.city_compliance(PolicyGrid::Priority).cloned(),
            coverage_city: report.coverage_by_county.last().cloned(),
            coverage_by_county: report.coverage_by_county.clone(),
            coverage_by_zone: report.coverage_by_zone.clone(),
            burner_coverage: report.burner_coverage.clone(),
            counties_without_mobile_system: no_mobile_ids,
            counties_without_aws: no_aws_ids,
            radar_present: report.radar_present,
            cities_without_radar: report.cities_without_radar.clone(),
            several_cities: crate::region::RegionScope::of(region)
                != crate::region::RegionScope::City,
            gaps: report.gaps().count(),
            warnings: Vec::new(),
            names_without_mobile_system: no_mobile_names,
            names_without_aws: no_aws_names,
        }
    }
}

impl fmt::Display for GapSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::checks::display(f, &self.warnings)?;
        writeln!(
            f,
            "{}: {} operating sites{}",
            self.region,
            self.operating_sites,
            self.year.map(|y| format!(" as of {y}")).unwrap_or_default()
        )?;
        let grids = [
            (PolicyGrid::Base, &self.compliance_base),
            (PolicyGrid::Priority, &self.compliance_priority),
        ];
        for (grid, compliance) in grids {
            if let Some(c) = compliance {
                writeln!(
                    f,
                    "{} grid: {} of {} required cells served ({:.1}%), {} gaps",
                    grid.label(),
                    c.served,
                    c.required,
                    c.percent(),
                    c.gaps()
                )?;
            }
        }
        if let Some(c) = &self.coverage_city {
            writeln!(
                f,
                "effective coverage: {:.1} of {:.1} km² ({:.1}%)",
                c.covered_km2,
                c.area_km2,
                c.percent()
            )?;
        }
        if !self.names_without_mobile_system.is_empty() {
            writeln!(
                f,
                "counties without a vehicle-mounted rocket system: {}",
                self.names_without_mobile_system.join(", ")
            )?;
        }
        if !self.names_without_aws.is_empty() {
            writeln!(
                f,
                "counties without a six-element AWS: {}",
                self.names_without_aws.join(", ")
            )?;
        }
        if self.several_cities && !self.cities_without_radar.is_empty() {
            writeln!(
                f,
                "cities without an X-band radar (one per city): {}",
                self.cities_without_radar.join(", ")
            )?;
        } else if !self.radar_present {
            writeln!(f, "the city has no X-band radar")?;
        }
        Ok(())
    }
}

/// The gap analysis of `sites` under `options` on grids already laid, with its files (the
/// summary carries the layer warnings; the caller stamps them on the reports).
pub fn gaps_on(
    project: &Project,
    sites: &[Site],
    options: &GapOptions,
    grids: &PolicyGrids,
) -> (GapReport, Outcome<GapSummary>) {
    let inputs = project.gap_inputs(sites, options.clone());
    let result = analyse_on(&inputs, grids);
    let uncovered = uncovered_land(&result, grids, &inputs);
    let files = report::gap_files(&result, grids, &uncovered, &project.region);
    let mut summary = GapSummary::of(&result, &project.region);
    summary.warnings = super::checks::layer_warnings(project);
    (result, Outcome { files, summary })
}

/// The gap analysis of the project's network under `options`.
pub fn gaps(
    project: &Project,
    options: &GapOptions,
) -> Result<Outcome<GapSummary>, super::limits::LimitError> {
    if let Some(year) = options.year {
        super::limits::YEAR.check_year("--year", year)?;
    }
    let grids = PolicyGrids::build(
        &project.region,
        options,
        project.layers.dem.as_ref(),
        project.layers.zones.as_ref(),
    );
    let (_, mut outcome) = gaps_on(project, &project.sites, options, &grids);
    super::checks::stamp_markdown(&mut outcome.files, &outcome.summary.warnings);
    Ok(outcome)
}
