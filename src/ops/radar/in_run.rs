//! The radar and AWS step of `wxmod run`: the best X-band radar site with its coverage map and
//! the county AWS gaps, as files under `radar/`, an index.html section and a summary.
//!
//! The step is `wxmod radar --network <the run's sites> --lattice-km 5` (the defaults of
//! [`RadarRequest`] and [`AwsRules`] otherwise), so its files equal that command's. The run uses
//! a 5 km candidate lattice ([`RUN_LATTICE_M`]; coarser for a province, see [`run_request`]) instead of the command's 2 km to keep the run's
//! extra time modest; every output says the spacing, and `wxmod radar` refines the choice.
//!
//! For a region of several cities (the province), the run also gives each city its best site
//! ([`best_per_city`]): the policy assigns one X-band radar per city; the terminal, index.html
//! and `run --json` (`radar.per_city`) list them.
//!
//! A region without a DEM, or with a DEM that misses part of its land, gets no radar study:
//! the summary, the terminal and index.html say that radar coverage and the AWS gaps were not
//! computed and why (silent is wrong). Any other failure is an error of the run.

use std::fmt;

use geo::{BoundingRect, Contains, Point};
use serde::Serialize;

use super::project_radar_job;
use crate::project::Project;
use crate::radar::RadarError;
use crate::radar::aws::AwsRules;
use crate::radar::coverage::Shares;
use crate::radar::outputs::RadarJob;
use crate::radar::study::{CandidateRow, Candidates, RadarRequest, RadarStudy};
use crate::region::{Region, UnitLevel, admin_units};
use crate::report::NamedFile;

/// Spacing of the run's candidate lattice for a city, metres (`wxmod radar` defaults to 2 km).
pub const RUN_LATTICE_M: f64 = 5_000.0;
/// About how many lattice candidates the run evaluates over a larger region: the spacing grows
/// with the region (a province gets about 18 km) so the radar step stays a few seconds.
pub const RUN_CANDIDATES: f64 = 500.0;

/// The folder of the run's output that holds the radar files.
pub const RUN_FOLDER: &str = "radar/";

/// The chosen radar site, for the run's summary.
#[derive(Debug, Clone, Serialize)]
pub struct BestSite {
    /// Candidate id (`L<row>_<col>` on the lattice).
    pub id: String,
    /// Longitude, degrees.
    pub lon: f64,
    /// Latitude, degrees.
    pub lat: f64,
    /// The county it stands in.
    pub county: Option<String>,
    /// Ground elevation, metres a.s.l.
    pub ground_m: Option<f64>,
    /// Antenna height a.s.l., metres.
    pub antenna_m: Option<f64>,
    /// Share of the region's land covered at 1 km above ground, 0..=1.
    pub coverage_1km_agl_share: f64,
    /// Share of the region's land covered at 3 km above ground, 0..=1.
    pub coverage_3km_agl_share: f64,
}

/// The AWS network in one line of numbers.
#[derive(Debug, Clone, Serialize)]
pub struct AwsHeadline {
    /// Operating six-element stations in the region.
    pub stations: usize,
    /// Land farther than `gap_km` from every station, km².
    pub gap_km2: f64,
    /// The region's land, km².
    pub land_km2: f64,
    /// The gap distance, km \[A\].
    pub gap_km: f64,
    /// Suggested new stations.
    pub suggested: usize,
    /// Gap land left after the suggestions, km².
    pub gap_after_km2: f64,
}

/// One city's best radar site in a province run.
#[derive(Debug, Clone, Serialize)]
pub struct CityRadar {
    /// The city's adcode, e.g. `140600`.
    pub adcode: String,
    /// The city's name.
    pub city: String,
    /// The city's land, km².
    pub land_km2: f64,
    /// The eligible candidate inside the city that covers most of the city's land at the low
    /// height (`None` when no candidate in the city passes the constraints).
    pub best_site: Option<BestSite>,
    /// Share of the city's land that site covers at 1 km above ground, 0..=1.
    pub city_coverage_1km_agl_share: f64,
    /// Share of the city's land that site covers at 3 km above ground, 0..=1.
    pub city_coverage_3km_agl_share: f64,
}

/// What the run reports of the radar step.
#[derive(Debug, Clone, Serialize)]
pub struct RadarRunSummary {
    /// Whether the radar study and the AWS analysis ran.
    pub computed: bool,
    /// Why not, when they did not.
    pub not_computed: Option<String>,
    /// Spacing of the candidate lattice, km.
    pub lattice_km: f64,
    /// Candidates evaluated.
    pub candidates: usize,
    /// Candidates that pass the siting constraints.
    pub eligible: usize,
    /// The best site (`None` when not computed or no candidate passes).
    pub best_site: Option<BestSite>,
    /// The AWS network (`None` when not computed).
    pub aws: Option<AwsHeadline>,
    /// For a region of several cities (a province): each city's best site, as the policy
    /// assigns one X-band radar per city (empty, and not in the JSON, for a single city).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub per_city: Vec<CityRadar>,
    /// The step's headline lines, as in index.html.
    pub headlines: Vec<String>,
}

impl fmt::Display for RadarRunSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in &self.headlines {
            writeln!(f, "{line}")?;
        }
        Ok(())
    }
}

/// The step's result: files (names under [`RUN_FOLDER`]), the index.html section (title and
/// HTML) and the summary.
#[derive(Debug, Clone)]
pub struct RadarRunStep {
    /// Files, names relative to the run folder (`radar/...`).
    pub files: Vec<NamedFile>,
    /// The contents-list title of the section.
    pub title: String,
    /// A `<section id="radar">` for index.html.
    pub html: String,
    /// The summary.
    pub summary: RadarRunSummary,
}

/// The request the run makes for a region of `area_m2`: `wxmod radar`'s defaults with the run's
/// lattice, [`RUN_LATTICE_M`] or, for a region larger than [`RUN_CANDIDATES`] such cells, the
/// spacing (rounded up to whole km) that gives about that many candidates.
pub fn run_request(area_m2: f64) -> RadarRequest {
    let mut request = RadarRequest::default();
    let spacing = (area_m2.max(0.0) / RUN_CANDIDATES).sqrt();
    request.rules.lattice_m = RUN_LATTICE_M.max((spacing / 1000.0).ceil() * 1000.0);
    request.candidates = Candidates::Lattice;
    request
}

const TITLE: &str = "X波段天气雷达与自动气象站 X-band radar site and AWS network";

/// Runs the radar study and the AWS analysis of a project for `wxmod run`; `maps` draws the
/// coverage, blockage and horizon maps.
///
/// # Errors
/// A map, chart or workbook that cannot be made, or a study failure other than a missing DEM,
/// a DEM short of the region's land or no candidates (those are said, not raised).
pub fn radar_in_run(project: &Project, maps: bool) -> Result<RadarRunStep, RadarError> {
    let request = run_request(project.region.projected_area_m2());
    let lattice_km = request.rules.lattice_m / 1000.0;
    let region = &project.region;
    let job = project_radar_job(
        project,
        &request,
        Some(&AwsRules::default()),
        Some(RUN_FOLDER),
        maps,
    );
    match job {
        Ok(job) => Ok(computed(region, job, lattice_km)),
        Err(
            e @ (RadarError::NoDem
            | RadarError::DemMissesRegion { .. }
            | RadarError::NoCandidates { .. }),
        ) => Ok(not_computed(&e.to_string(), lattice_km)),
        Err(e) => Err(e),
    }
}

fn computed(region: &Region, job: RadarJob, lattice_km: f64) -> RadarRunStep {
    let study = &job.study;
    let per_city = best_per_city(region, study);
    let eligible = study.rows.iter().filter(|r| r.eligible()).count();
    let mut headlines = Vec::new();
    let best_site = study
        .network
        .as_ref()
        .and_then(|n| n.chosen.first())
        .map(|&i| best_of(&study.rows[i]));
    let c = &study.request.config;
    match &best_site {
        Some(b) => headlines.push(format!(
            "radar: best site {} ({:.5}, {:.5}){}, ground {:.0} m, antenna {:.0} m a.s.l.: {:.1}% of the land covered at {} m AGL, {:.1}% at {} m AGL ({} km candidate lattice: {} candidates, {} pass the constraints; `wxmod radar` refines on 2 km)",
            b.id,
            b.lon,
            b.lat,
            b.county.as_ref().map(|c| format!(" {c}")).unwrap_or_default(),
            b.ground_m.unwrap_or(f64::NAN),
            b.antenna_m.unwrap_or(f64::NAN),
            100.0 * b.coverage_1km_agl_share,
            c.low_agl_m,
            100.0 * b.coverage_3km_agl_share,
            c.high_agl_m,
            lattice_km,
            study.rows.len(),
            eligible
        )),
        None => headlines.push(format!(
            "radar: no candidate of the {lattice_km} km lattice passes the siting constraints ({} evaluated): no site chosen",
            study.rows.len()
        )),
    }
    let city_lines = city_lines(&per_city, c.low_agl_m);
    headlines.extend(city_lines.iter().cloned());
    let aws = job.aws.as_ref().map(|a| {
        let land_km2: f64 = a.counties.iter().map(|c| c.land_km2).sum();
        AwsHeadline {
            stations: a.counties.iter().map(|c| c.stations.len()).sum(),
            gap_km2: a.counties.iter().map(|c| c.gap_km2).sum(),
            land_km2,
            gap_km: a.rules.gap_km,
            suggested: a.counties.iter().map(|c| c.suggestions.len()).sum(),
            gap_after_km2: a.counties.iter().map(|c| c.gap_after_km2).sum(),
        }
    });
    if let Some(a) = &aws {
        let without: Vec<&str> = job
            .aws
            .iter()
            .flat_map(|n| &n.counties)
            .filter(|c| c.stations.is_empty())
            .map(|c| c.county.as_str())
            .collect();
        headlines.push(format!(
            "AWS: {} six-element stations; {:.0} of {:.0} km² ({:.1}%) of the land farther than {} km [A] from every station{}; {} new stations suggested (gap after {:.0} km²)",
            a.stations,
            a.gap_km2,
            a.land_km2,
            if a.land_km2 > 0.0 {
                100.0 * a.gap_km2 / a.land_km2
            } else {
                0.0
            },
            a.gap_km,
            if without.is_empty() {
                String::new()
            } else {
                format!("; counties without a station: {}", without.join(", "))
            },
            a.suggested,
            a.gap_after_km2
        ));
    }
    let files = job
        .outputs
        .files
        .into_iter()
        .map(|f| NamedFile::new(format!("{RUN_FOLDER}{}", f.name), f.bytes))
        .collect();
    let mut html = job.outputs.html_section;
    if !city_lines.is_empty() {
        let md = format!(
            "**One X-band radar per city** (the policy assigns one radar to each city; the best eligible candidate of the {lattice_km} km lattice inside each city, by the city's land covered at {} m AGL):\n\n{}\n",
            c.low_agl_m,
            city_lines
                .iter()
                .map(|l| format!("- {l}\n"))
                .collect::<String>()
        );
        let block = crate::report::html::markdown_to_html(&md);
        match html.rfind("</section>") {
            Some(at) => html.insert_str(at, &block),
            None => html.push_str(&block),
        }
    }
    RadarRunStep {
        files,
        title: TITLE.to_string(),
        html,
        summary: RadarRunSummary {
            computed: true,
            not_computed: None,
            lattice_km,
            candidates: study.rows.len(),
            eligible,
            best_site,
            aws,
            per_city,
            headlines,
        },
    }
}

fn best_of(r: &CandidateRow) -> BestSite {
    BestSite {
        id: r.site.id.clone(),
        lon: r.site.lon,
        lat: r.site.lat,
        county: r.county.clone(),
        ground_m: r.ground_m,
        antenna_m: r.antenna_m,
        coverage_1km_agl_share: r.low_share(),
        coverage_3km_agl_share: r.high_share(),
    }
}

/// Each city's best site when the region holds more than one city: among the eligible
/// candidates standing in the city, the one covering most of the city's land at the low height
/// (then at the high height, then the study's rank); the city's covered land is the sum over
/// its counties of each county's covered share times its land.
pub fn best_per_city(region: &Region, study: &RadarStudy) -> Vec<CityRadar> {
    let cities = admin_units(region, UnitLevel::City);
    if cities.len() < 2 {
        return Vec::new();
    }
    let mut county_km2 = vec![0.0; study.land.counties.len()];
    for p in &study.land.points {
        county_km2[p.county] += p.area_km2;
    }
    let city_share = |shares: Option<&Shares>, counties: &[usize], land_km2: f64| {
        let covered: f64 = shares.map_or(0.0, |s| {
            counties
                .iter()
                .map(|&c| s.by_county.get(c).copied().unwrap_or(0.0) * county_km2[c])
                .sum()
        });
        if land_km2 > 0.0 {
            covered / land_km2
        } else {
            0.0
        }
    };
    cities
        .iter()
        .map(|city| {
            let land_km2: f64 = city.counties.iter().map(|&c| county_km2[c]).sum();
            let boxes: Vec<_> = city
                .counties
                .iter()
                .map(|&c| (c, region.counties[c].lonlat.bounding_rect()))
                .collect();
            let inside = |r: &CandidateRow| {
                let (lon, lat) = (r.site.lon, r.site.lat);
                let here = Point::new(lon, lat);
                boxes.iter().any(|&(c, b)| {
                    b.is_some_and(|b| {
                        (b.min().x..=b.max().x).contains(&lon)
                            && (b.min().y..=b.max().y).contains(&lat)
                    }) && region.counties[c].lonlat.contains(&here)
                })
            };
            // Rows are in rank order, so the first of equal shares is the better ranked.
            let mut best: Option<(&CandidateRow, f64, f64)> = None;
            for r in study.rows.iter().filter(|r| r.eligible() && inside(r)) {
                let low = city_share(r.low.as_ref(), &city.counties, land_km2);
                let high = city_share(r.high.as_ref(), &city.counties, land_km2);
                if best.is_none_or(|(_, bl, bh)| low > bl || (low == bl && high > bh)) {
                    best = Some((r, low, high));
                }
            }
            CityRadar {
                adcode: city.adcode.clone(),
                city: city.name.clone(),
                land_km2,
                best_site: best.map(|(r, _, _)| best_of(r)),
                city_coverage_1km_agl_share: best.map_or(0.0, |b| b.1),
                city_coverage_3km_agl_share: best.map_or(0.0, |b| b.2),
            }
        })
        .collect()
}

/// The per-city lines of the terminal and index.html.
fn city_lines(per_city: &[CityRadar], low_agl_m: f64) -> Vec<String> {
    per_city
        .iter()
        .map(|c| match &c.best_site {
            Some(b) => format!(
                "radar for {}: {} ({:.5}, {:.5}){}, ground {:.0} m: {:.1}% of the city's {:.0} km² covered at {} m AGL",
                c.city,
                b.id,
                b.lon,
                b.lat,
                b.county.as_ref().map(|n| format!(" {n}")).unwrap_or_default(),
                b.ground_m.unwrap_or(f64::NAN),
                100.0 * c.city_coverage_1km_agl_share,
                c.land_km2,
                low_agl_m
            ),
            None => format!(
                "radar for {}: no candidate of the lattice inside the city passes the siting constraints: no site chosen",
                c.city
            ),
        })
        .collect()
}

fn not_computed(reason: &str, lattice_km: f64) -> RadarRunStep {
    let line =
        format!("radar coverage was NOT computed and the AWS gaps were NOT analysed: {reason}");
    let md = format!("**{line}**\n");
    RadarRunStep {
        files: Vec::new(),
        title: TITLE.to_string(),
        html: format!(
            "<section id=\"radar\">\n{}</section>\n",
            crate::report::html::markdown_to_html(&md)
        ),
        summary: RadarRunSummary {
            computed: false,
            not_computed: Some(reason.to_string()),
            lattice_km,
            candidates: 0,
            eligible: 0,
            best_site: None,
            aws: None,
            per_city: Vec::new(),
            headlines: vec![line],
        },
    }
}
