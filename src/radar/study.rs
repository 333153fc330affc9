//! The site-selection study (选址): evaluate candidate radar sites, apply the siting
//! constraints with their reasons, rank the candidates, choose the best one or the best k.
//!
//! Candidates are a lattice (default 2 km) over the region and a margin (default 2 km), laid in the projected CRS at multiples of the spacing, or the sites given.
//! Every candidate on the DEM is scanned ([`super::sweep`]) and its covered land found
//! ([`super::coverage`]) on all cores (`crate::parallel::map_in_order`); lattice rays are cut
//! at the DEM edge (which never cuts region land, as the DEM covers the region and a ray is
//! straight), given sites must have the whole range on the DEM unless `clip_to_dem`.
//!
//! Constraints (each exclusion is a reason on the candidate's row): inside the region (policy
//! clause 6), outside airport clearance discs, away from county seats (town centres) and places,
//! slope at most the limit. Ranking: eligible first, then by land covered at the low height
//! (1 km AGL), then at the high one, then by lower mean blockage.
//!
//! The best k (k > 1, a province's network): maximal covering of the 1 km-AGL land over the
//! eligible candidates by wxmod's covering solver with its bound ([`super::network`]).

use geo::{BoundingRect, Contains, Distance, Haversine, Point, Rect};
use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::RadarError;
use super::candidates::{Exclusions, buffer_of, lattice};
use super::config::{MAX_RADARS, RadarConfig, SiteRules};
use super::coverage::{LocalFrame, PointSet, ShareTotals, Shares, covered_land, shares_with};
use super::land::LandSet;
use super::sweep::{Detail, Polar, RadarSite, describe_azimuths, scan, scan_with};
use crate::region::{Landmark, LandmarkKind, Region};
use crate::terrain::Dem;
use crate::zones::ZoneLayer;

/// The data a study reads.
#[derive(Debug, Clone, Copy)]
pub struct RadarInputs<'a> {
    /// The region.
    pub region: &'a Region,
    /// Its elevation model.
    pub dem: &'a Dem,
    /// The DEM's file name, for messages and notes.
    pub dem_name: &'a str,
    /// Priority zones, for the shares by zone kind.
    pub zones: Option<&'a ZoneLayer>,
    /// County seats, airports and places (constraints and distances).
    pub landmarks: &'a [Landmark],
}

/// Which sites to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub enum Candidates {
    /// The lattice of [`SiteRules::lattice_m`] over the region and [`SiteRules::margin_m`].
    Lattice,
    /// These sites.
    Sites(Vec<RadarSite>),
}

/// What to study.
#[derive(Debug, Clone, PartialEq)]
pub struct RadarRequest {
    /// The scan and coverage parameters.
    pub config: RadarConfig,
    /// The siting constraints and lattice.
    pub rules: SiteRules,
    /// The candidates.
    pub candidates: Candidates,
    /// How many radars to choose (1 for the city; more for a province), 1..=50.
    pub radars: usize,
    /// Accept given sites whose rays leave the DEM before the range (cut at the edge).
    pub clip_to_dem: bool,
    /// Name of the landmark that is the city's seat; default the county seat of the region's
    /// first county.
    pub city_seat: Option<String>,
}

impl Default for RadarRequest {
    fn default() -> Self {
        RadarRequest {
            config: RadarConfig::default(),
            rules: SiteRules::default(),
            candidates: Candidates::Lattice,
            radars: 1,
            clip_to_dem: false,
            city_seat: None,
        }
    }
}

/// One candidate's line of the comparison table (QX/T 100 Annex B shape).
#[derive(Debug, Clone, serde::Serialize)]
pub struct CandidateRow {
    /// Rank, 1 = best (eligible candidates first).
    pub rank: usize,
    /// The site.
    pub site: RadarSite,
    /// The county it stands in, if any.
    pub county: Option<String>,
    /// Ground elevation, metres a.s.l. (`None` off the DEM).
    pub ground_m: Option<f64>,
    /// Antenna height a.s.l., metres.
    pub antenna_m: Option<f64>,
    /// DEM slope at the site, degrees.
    pub slope_deg: Option<f64>,
    /// Distance to the city seat, km (Haversine).
    pub city_seat_km: Option<f64>,
    /// Distance to each airport, km, nearest first.
    pub airports_km: Vec<(String, f64)>,
    /// Coverage at the low height (1 km AGL): shares of region, counties, zones, cells.
    pub low: Option<Shares>,
    /// Coverage at the high height (3 km AGL).
    pub high: Option<Shares>,
    /// Cumulative blockage at the end of each ray per elevation (`[elevation][azimuth]`).
    pub cbb_by_azimuth: Vec<Vec<f64>>,
    /// Largest and mean end-of-range blockage at the lowest elevation.
    pub max_cbb_lowest: Option<f64>,
    /// Mean end-of-range blockage at the lowest elevation over the 360 azimuths.
    pub mean_cbb_lowest: Option<f64>,
    /// Horizon angle per azimuth, degrees.
    pub horizon_deg: Vec<f64>,
    /// Rays cut at the DEM edge: a note saying how far they reach, if any.
    pub dem_note: Option<String>,
    /// Why the candidate is excluded (empty: eligible).
    pub excluded: Vec<String>,
}

impl CandidateRow {
    /// Whether the candidate passes every constraint.
    pub fn eligible(&self) -> bool {
        self.excluded.is_empty()
    }

    /// Share of the region's land covered at 1 km AGL (0 when not scanned).
    pub fn low_share(&self) -> f64 {
        self.low.as_ref().map_or(0.0, |s| s.region)
    }

    /// Share of the region's land covered at 3 km AGL (0 when not scanned).
    pub fn high_share(&self) -> f64 {
        self.high.as_ref().map_or(0.0, |s| s.region)
    }
}

/// The best k radars.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Network {
    /// Indices into [`RadarStudy::rows`] of the chosen sites, in the order picked.
    pub chosen: Vec<usize>,
    /// Land covered together at 1 km AGL, km².
    pub covered_km2: f64,
    /// The same as a share of the region's land.
    pub share: f64,
    /// No k eligible candidates cover more than this, km².
    pub upper_bound_km2: f64,
    /// Whether the choice is proven best (bound equals the objective).
    pub proven_optimal: bool,
    /// Land the greedy choice covers, km² (the baseline; equal to `covered_km2` for k = 1).
    pub greedy_km2: f64,
    /// How it was chosen.
    pub method: String,
}

/// A chosen site's full scan with its covered land.
#[derive(Debug, Clone)]
pub struct ChosenScan {
    /// Index into [`RadarStudy::rows`].
    pub row: usize,
    /// The full scan.
    pub polar: Polar,
    /// Its land at 1 km AGL.
    pub low: PointSet,
    /// Its land at 3 km AGL.
    pub high: PointSet,
}

/// The result of a study.
#[derive(Debug, Clone)]
pub struct RadarStudy {
    /// The request it answers.
    pub request: RadarRequest,
    /// The DEM file name.
    pub dem_name: String,
    /// The land points used for shares.
    pub land: LandSet,
    /// Every candidate, ranked.
    pub rows: Vec<CandidateRow>,
    /// The best k (`None` when no candidate is eligible).
    pub network: Option<Network>,
    /// Full scans of the chosen sites (for maps and JSON).
    pub chosen: Vec<ChosenScan>,
    /// Notes every output repeats (assumed values, missing layers).
    pub notes: Vec<String>,
}

/// Evaluates the candidates and chooses the best site or sites.
///
/// # Errors
/// Parameters out of range, a DEM that misses the region or (for given sites) the range,
/// a site off the DEM, no candidates, more radars than eligible candidates.
pub fn study(inputs: &RadarInputs, request: &RadarRequest) -> Result<RadarStudy, RadarError> {
    let config = &request.config;
    let rules = &request.rules;
    config.validate()?;
    rules.validate()?;
    if !(1..=MAX_RADARS).contains(&request.radars) {
        return Err(super::OutOfRange {
            name: "radars".into(),
            value: request.radars as f64,
            min: 1.0,
            max: MAX_RADARS as f64,
            hint: String::new(),
        }
        .into());
    }
    let region = inputs.region;
    let dem = inputs.dem;
    let land = LandSet::build(region, dem, inputs.dem_name, inputs.zones)?;
    let (sites, given) = match &request.candidates {
        Candidates::Lattice => (lattice(region, rules)?, false),
        Candidates::Sites(s) => (s.clone(), true),
    };
    if sites.is_empty() {
        return Err(RadarError::NoCandidates {
            reason: "the candidate list is empty".into(),
        });
    }
    if given {
        for s in &sites {
            if dem.elevation(s.lon, s.lat).is_none() {
                return Err(RadarError::site_off_dem(dem, s).with_dem_name(inputs.dem_name));
            }
        }
    }
    let projected: Vec<(f64, f64)> = inputs
        .landmarks
        .iter()
        .map(|l| {
            region
                .projection
                .forward(l.lon, l.lat)
                .unwrap_or((f64::NAN, f64::NAN))
        })
        .collect();
    let exclusions = Exclusions {
        tree: RTree::bulk_load(
            projected
                .iter()
                .enumerate()
                .filter(|(_, p)| p.0.is_finite())
                .map(|(i, p)| GeomWithData::new([p.0, p.1], i))
                .collect(),
        ),
        largest_m: [
            rules.airport_clearance_m,
            rules.county_seat_buffer_m,
            rules.place_buffer_m,
        ]
        .into_iter()
        .fold(0.0, f64::max),
    };
    let city_seat = match &request.city_seat {
        Some(name) => inputs.landmarks.iter().find(|l| &l.name == name),
        None => region.counties.first().and_then(|c| {
            inputs
                .landmarks
                .iter()
                .find(|l| l.kind == LandmarkKind::CountySeat && l.county.as_deref() == Some(&c.id))
        }),
    };
    let airports: Vec<&Landmark> = inputs
        .landmarks
        .iter()
        .filter(|l| l.kind == LandmarkKind::Airport)
        .collect();

    let totals = ShareTotals::of(&land);
    let county_boxes: Vec<Option<Rect<f64>>> = region
        .counties
        .iter()
        .map(|c| c.lonlat.bounding_rect())
        .collect();
    let evaluated = crate::parallel::map_in_order(&sites, 4, |site| {
        evaluate(
            inputs,
            request,
            (&land, &totals, &county_boxes),
            &exclusions,
            city_seat,
            &airports,
            site,
            given,
        )
    });
    let mut rows = Vec::with_capacity(evaluated.len());
    let mut low_sets = Vec::with_capacity(evaluated.len());
    for e in evaluated {
        let (row, low) = e?;
        rows.push(row);
        low_sets.push(low);
    }
    // Rank: eligible first, then 1 km share, 3 km share, lower mean blockage, id.
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (&rows[a], &rows[b]);
        rb.eligible()
            .cmp(&ra.eligible())
            .then(rb.low_share().total_cmp(&ra.low_share()))
            .then(rb.high_share().total_cmp(&ra.high_share()))
            .then(
                ra.mean_cbb_lowest
                    .unwrap_or(1.0)
                    .total_cmp(&rb.mean_cbb_lowest.unwrap_or(1.0)),
            )
            .then(ra.site.id.cmp(&rb.site.id))
    });
    let mut ranked_rows = Vec::with_capacity(rows.len());
    let mut ranked_sets = Vec::with_capacity(rows.len());
    let mut slots: Vec<Option<(CandidateRow, Option<PointSet>)>> =
        rows.into_iter().zip(low_sets).map(Some).collect();
    for (rank, &i) in order.iter().enumerate() {
        let (mut row, set) = slots[i].take().expect("invariant: each index once");
        row.rank = rank + 1;
        ranked_rows.push(row);
        ranked_sets.push(set);
    }
    let rows = ranked_rows;
    let eligible: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].eligible()).collect();
    let network = if eligible.is_empty() {
        None
    } else {
        if request.radars > eligible.len() {
            return Err(RadarError::TooManyRadars {
                k: request.radars,
                eligible: eligible.len(),
                max: eligible.len().min(MAX_RADARS),
            });
        }
        Some(super::network::best_k(
            &land,
            &rows,
            &ranked_sets,
            &eligible,
            request.radars,
        ))
    };
    let mut chosen = Vec::new();
    if let Some(net) = &network {
        for &i in &net.chosen {
            let polar = scan(dem, config, &rows[i].site)?;
            let frame = LocalFrame::at(region, rows[i].site.lon, rows[i].site.lat)?;
            let covered = covered_land(&polar, &frame, &land, config);
            chosen.push(ChosenScan {
                row: i,
                polar,
                low: covered.low,
                high: covered.high,
            });
        }
    }
    let notes = study_notes(inputs, request, &land, &rows);
    Ok(RadarStudy {
        request: request.clone(),
        dem_name: inputs.dem_name.to_string(),
        land,
        rows,
        network,
        chosen,
        notes,
    })
}

#[allow(clippy::too_many_arguments)]
fn evaluate(
    inputs: &RadarInputs,
    request: &RadarRequest,
    (land, totals, county_boxes): (&LandSet, &ShareTotals, &[Option<Rect<f64>>]),
    exclusions: &Exclusions,
    city_seat: Option<&Landmark>,
    airports: &[&Landmark],
    site: &RadarSite,
    given: bool,
) -> Result<(CandidateRow, Option<PointSet>), RadarError> {
    let region = inputs.region;
    let rules = &request.rules;
    let config = &request.config;
    let here = Point::new(site.lon, site.lat);
    // The first county holding the site; a county whose box misses it cannot.
    let county = region
        .counties
        .iter()
        .zip(county_boxes)
        .find(|(c, b)| {
            b.is_some_and(|b| {
                (b.min().x..=b.max().x).contains(&site.lon)
                    && (b.min().y..=b.max().y).contains(&site.lat)
            }) && c.lonlat.contains(&here)
        })
        .map(|(c, _)| c.name.clone());
    let mut excluded = Vec::new();
    if rules.inside_region && county.is_none() {
        excluded.push("outside the region (policy clause 6: 在朔州区域内)".to_string());
    }
    let frame = LocalFrame::at(region, site.lon, site.lat)?;
    let (sx, sy) =
        region
            .projection
            .forward(site.lon, site.lat)
            .map_err(|e| RadarError::Project {
                what: format!("site {}", site.id),
                reason: e.to_string(),
            })?;
    let mut near: Vec<(usize, f64)> = exclusions
        .tree
        .locate_within_distance([sx, sy], exclusions.largest_m * exclusions.largest_m)
        .map(|g| {
            (
                g.data,
                Haversine.distance(
                    here,
                    Point::new(inputs.landmarks[g.data].lon, inputs.landmarks[g.data].lat),
                ),
            )
        })
        .collect();
    near.sort_by(|a, b| a.1.total_cmp(&b.1));
    for (i, d) in near {
        let l = &inputs.landmarks[i];
        let (radius, what) = buffer_of(l.kind, rules);
        if radius > 0.0 && d < radius {
            excluded.push(format!(
                "{:.1} km from {what} {} (limit {:.1} km)",
                d / 1000.0,
                l.name,
                radius / 1000.0
            ));
        }
    }
    let slope_deg = inputs.dem.slope_deg(site.lon, site.lat);
    if let Some(s) = slope_deg
        && s > rules.max_slope_deg
    {
        excluded.push(format!(
            "slope {s:.1}° above the limit {:.1}°",
            rules.max_slope_deg
        ));
    }
    let km = |l: &Landmark| Haversine.distance(here, Point::new(l.lon, l.lat)) / 1000.0;
    let mut airports_km: Vec<(String, f64)> =
        airports.iter().map(|a| (a.name.clone(), km(a))).collect();
    airports_km.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut row = CandidateRow {
        rank: 0,
        site: site.clone(),
        county,
        ground_m: None,
        antenna_m: None,
        slope_deg,
        city_seat_km: city_seat.map(km),
        airports_km,
        low: None,
        high: None,
        cbb_by_azimuth: Vec::new(),
        max_cbb_lowest: None,
        mean_cbb_lowest: None,
        horizon_deg: Vec::new(),
        dem_note: None,
        excluded,
    };
    if inputs.dem.elevation(site.lon, site.lat).is_none() {
        row.excluded.push("outside the DEM (not evaluated)".into());
        return Ok((row, None));
    }
    let polar = scan_with(inputs.dem, config, site, Detail::CbbOnly)?;
    if given && !request.clip_to_dem {
        polar.check_reach(inputs.dem_name)?;
    }
    let short = polar.short_azimuths();
    if !short.is_empty() {
        row.dem_note = Some(format!(
            "rays cut at the DEM edge on azimuths {} (the DEM reaches {:.1} km on every azimuth; {:.1} % of the scan area off the DEM, none of it region land)",
            describe_azimuths(&short),
            polar.full_reach_km(),
            100.0 * polar.missing_share()
        ));
    }
    let covered = covered_land(&polar, &frame, land, config);
    row.ground_m = Some(polar.ground_m);
    row.antenna_m = Some(polar.antenna_m);
    row.low = Some(shares_with(land, totals, &covered.low));
    row.high = Some(shares_with(land, totals, &covered.high));
    row.cbb_by_azimuth = (0..polar.elevations_deg.len())
        .map(|e| polar.cbb_at_end(e))
        .collect();
    let lowest = config
        .elevations_deg
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(i, _)| i);
    let end = &row.cbb_by_azimuth[lowest];
    let finite: Vec<f64> = end.iter().copied().filter(|v| v.is_finite()).collect();
    if !finite.is_empty() {
        row.max_cbb_lowest = Some(finite.iter().copied().fold(0.0, f64::max));
        row.mean_cbb_lowest = Some(finite.iter().sum::<f64>() / finite.len() as f64);
    }
    row.horizon_deg = polar.horizon_deg.clone();
    let set = row.eligible().then_some(covered.low);
    Ok((row, set))
}

fn study_notes(
    inputs: &RadarInputs,
    request: &RadarRequest,
    land: &LandSet,
    rows: &[CandidateRow],
) -> Vec<String> {
    let c = &request.config;
    let r = &request.rules;
    let mut notes = vec![
        format!(
            "scan: range {} km, gates {} m, 360 azimuths of 1°, beam width {}° [A], elevations {:?}° [A], antenna {} m above ground [A], k = {:.4}; covered = beam centre at most {} m / {} m above ground with cumulative blockage ≤ {} [A]",
            c.range_km,
            c.gate_m,
            c.beam_width_deg,
            c.elevations_deg,
            c.antenna_agl_m,
            c.k,
            c.low_agl_m,
            c.high_agl_m,
            c.max_cbb
        ),
        format!(
            "constraints: airport clearance {} km [A] (a disc: runway headings are not in the data), county seats {} km [A], places {} km [A], slope ≤ {}° [A]{}",
            r.airport_clearance_m / 1000.0,
            r.county_seat_buffer_m / 1000.0,
            r.place_buffer_m / 1000.0,
            r.max_slope_deg,
            if r.inside_region {
                ", inside the region (policy clause 6)"
            } else {
                ""
            }
        ),
        format!(
            "land: {} points of the DEM {} ({:.2} km² each), {:.1} km² in all; terrain = DEM cell values, no buildings, trees or towers (a field survey must check near obstacles, QX/T 100)",
            land.points.len(),
            inputs.dem_name,
            land.cell_km2,
            land.total_km2()
        ),
    ];
    match &request.candidates {
        Candidates::Lattice => notes.push(format!(
            "candidates: a {} km lattice over the region and a {} km margin, {} points",
            r.lattice_m / 1000.0,
            r.margin_m / 1000.0,
            rows.len()
        )),
        Candidates::Sites(s) => notes.push(format!("candidates: {} sites given", s.len())),
    }
    match land.zones_derived {
        None => notes.push("no priority-zone layer: shares by zone kind are not given".into()),
        Some(true) => notes.push(
            "priority zones are DERIVED (wxmod zones derive), not an official zone map".into(),
        ),
        Some(false) => {}
    }
    if inputs.landmarks.is_empty() {
        notes.push("no landmark file: airport and town constraints are NOT checked and distances are not given".into());
    } else if !inputs
        .landmarks
        .iter()
        .any(|l| l.kind == LandmarkKind::Airport)
    {
        notes.push("the landmark file has no airport: the airport clearance is not checked".into());
    }
    let cut = rows.iter().filter(|r| r.dem_note.is_some()).count();
    if cut > 0 {
        notes.push(format!("{cut} candidates have rays cut at the DEM edge (cbb_by_azimuth is then the blockage at the last gate on the DEM)"));
    }
    if rows.iter().all(|r| !r.eligible()) {
        notes.push("no candidate passes the constraints: no site is chosen".into());
    }
    notes
}
