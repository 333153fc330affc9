//! The six-element automatic weather station network (六要素自动气象站, policy clause 6): the
//! land farther than a gap distance from every station, and suggested new stations per county.
//!
//! Stations are the operating sites of kind `aws` of a site file. Gap land: the region's land
//! points ([`super::land`]) farther than `gap_km` (default 15 km \[A\], DOMAIN.md §8) from every
//! station, found with an rstar nearest-neighbour query in projected metres. Suggestions, county
//! by county: candidate spots are the county's DEM cells that meet the observing-environment
//! practice of GB 31221-2014 as far as a DEM can tell (level: slope ≤ 2° \[A\]; open, no hollow
//! or ridge: local relief of the 3 × 3 DEM cells ≤ 30 m \[A\]; outside built-up areas: ≥ 2 km
//! from a county seat, ≥ 500 m from a place \[A\]); greedily the spot that reaches the most of
//! the county's remaining gap land within `gap_km` is added while it reaches at least
//! `min_gain_km2` (default 20 km² \[A\]) and the county has fewer than `max_per_county` new
//! stations (default 6 \[A\]); a county without any station gets one even below that gain (one
//! AWS per county, \[P\]). A field survey must confirm every spot (the 25 m plot, obstacles in the
//! sunrise and sunset directions, roads and chimneys are below the DEM's resolution).
//!
//! The suggestions are written as planned `aws` sites in the site-file format, so `wxmod budget
//! --plan` prices them with the catalog (60,000 yuan each \[A\]) as today. Cost: O(land points ×
//! log stations) for the gaps; per county O(candidates × points within gap_km) per pick.

use geo::{Distance, Haversine, Point};
use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::RadarError;
use super::config::OutOfRange;
use super::coverage::PointSet;
use super::land::LandSet;
use crate::region::{Landmark, LandmarkKind, Region};
use crate::sites::{Site, SiteKind, SiteStatus};
use crate::terrain::Dem;

/// The AWS network rules.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AwsRules {
    /// Land farther than this from every station is a gap, km \[A\] 15 (1–100).
    pub gap_km: f64,
    /// Largest slope of a suggested spot, degrees \[A\] 2 (0–30).
    pub max_slope_deg: f64,
    /// Largest relief of the 3 × 3 DEM cells around a spot, metres \[A\] 30 (0–1,000).
    pub max_relief_m: f64,
    /// Distance kept from county seats, metres \[A\] 2,000 (0–50,000).
    pub county_seat_buffer_m: f64,
    /// Distance kept from places, metres \[A\] 500 (0–50,000).
    pub place_buffer_m: f64,
    /// A further station must reach at least this much gap land, km² \[A\] 20 (0–10,000).
    pub min_gain_km2: f64,
    /// New stations per county, at most \[A\] 6 (0–100).
    pub max_per_county: usize,
    /// Year written on the suggested sites (for the budget), 2000–2100.
    pub year: i32,
}

impl Default for AwsRules {
    fn default() -> Self {
        AwsRules {
            gap_km: 15.0,
            max_slope_deg: 2.0,
            max_relief_m: 30.0,
            county_seat_buffer_m: 2_000.0,
            place_buffer_m: 500.0,
            min_gain_km2: 20.0,
            max_per_county: 6,
            year: 2027,
        }
    }
}

impl AwsRules {
    /// Checks every value against its range.
    pub fn validate(&self) -> Result<(), OutOfRange> {
        let check = |name: &str, v: f64, min: f64, max: f64| {
            if v.is_finite() && v >= min && v <= max {
                Ok(())
            } else {
                Err(OutOfRange {
                    name: name.into(),
                    value: v,
                    min,
                    max,
                    hint: String::new(),
                })
            }
        };
        check("aws gap_km", self.gap_km, 1.0, 100.0)?;
        check("aws max_slope_deg", self.max_slope_deg, 0.0, 30.0)?;
        check("aws max_relief_m", self.max_relief_m, 0.0, 1_000.0)?;
        check(
            "aws county_seat_buffer_m",
            self.county_seat_buffer_m,
            0.0,
            50_000.0,
        )?;
        check("aws place_buffer_m", self.place_buffer_m, 0.0, 50_000.0)?;
        check("aws min_gain_km2", self.min_gain_km2, 0.0, 10_000.0)?;
        check("aws max_per_county", self.max_per_county as f64, 0.0, 100.0)?;
        check("aws year", f64::from(self.year), 2000.0, 2100.0)
    }
}

/// A suggested new station.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AwsSuggestion {
    /// Id, `AWS-<county id>-<n>`.
    pub id: String,
    /// Longitude, degrees.
    pub lon: f64,
    /// Latitude, degrees.
    pub lat: f64,
    /// Ground elevation, metres.
    pub ground_m: f64,
    /// DEM slope, degrees.
    pub slope_deg: f64,
    /// Gap land it newly reaches, km².
    pub gain_km2: f64,
    /// Why it was added.
    pub reason: String,
}

/// One county's network.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CountyAws {
    /// County id.
    pub county_id: String,
    /// County name.
    pub county: String,
    /// Operating stations in the county.
    pub stations: Vec<String>,
    /// County land, km².
    pub land_km2: f64,
    /// Gap land now, km².
    pub gap_km2: f64,
    /// Gap land after the suggestions (of every county), km².
    pub gap_after_km2: f64,
    /// Suggested new stations.
    pub suggestions: Vec<AwsSuggestion>,
    /// Candidate spots that met the environment rules.
    pub candidate_spots: usize,
}

/// The network analysis.
#[derive(Debug, Clone)]
pub struct AwsNetwork {
    /// The rules used.
    pub rules: AwsRules,
    /// Per county, in region order.
    pub counties: Vec<CountyAws>,
    /// Gap land now.
    pub gap: PointSet,
    /// Gap land after the suggestions.
    pub gap_after: PointSet,
    /// Notes every output repeats.
    pub notes: Vec<String>,
}

fn tree_of(points: &[(f64, f64)]) -> RTree<GeomWithData<[f64; 2], usize>> {
    RTree::bulk_load(
        points
            .iter()
            .enumerate()
            .map(|(i, p)| GeomWithData::new([p.0, p.1], i))
            .collect(),
    )
}

fn gap_of(land: &LandSet, stations: &[(f64, f64)], gap_m: f64) -> PointSet {
    let tree = tree_of(stations);
    let mut gap = PointSet::new(land.points.len());
    for (i, p) in land.points.iter().enumerate() {
        let far = tree
            .nearest_neighbor(&[p.x, p.y])
            .is_none_or(|n| (n.geom()[0] - p.x).hypot(n.geom()[1] - p.y) > gap_m);
        if far {
            gap.insert(i);
        }
    }
    gap
}

/// Analyses the AWS network and suggests new stations.
///
/// # Errors
/// Rules out of range; a station that cannot be projected.
pub fn aws_network(
    region: &Region,
    dem: &Dem,
    land: &LandSet,
    sites: &[Site],
    landmarks: &[Landmark],
    rules: &AwsRules,
) -> Result<AwsNetwork, RadarError> {
    rules.validate()?;
    let gap_m = rules.gap_km * 1000.0;
    let stations: Vec<&Site> = sites
        .iter()
        .filter(|s| s.kind == SiteKind::Aws && s.operating_in(None))
        .collect();
    let mut xy = Vec::with_capacity(stations.len());
    for s in &stations {
        xy.push(
            region
                .projection
                .forward(s.lon, s.lat)
                .map_err(|e| RadarError::Project {
                    what: format!("AWS {}", s.id),
                    reason: e.to_string(),
                })?,
        );
    }
    let gap = gap_of(land, &xy, gap_m);
    let point_tree = tree_of(&land.points.iter().map(|p| (p.x, p.y)).collect::<Vec<_>>());
    let mut remaining = gap.clone();
    let mut counties = Vec::with_capacity(region.counties.len());
    let mut new_xy = Vec::new();
    for (ci, county) in region.counties.iter().enumerate() {
        let in_county: Vec<usize> = (0..land.points.len())
            .filter(|&i| land.points[i].county == ci)
            .collect();
        let own: Vec<String> = stations
            .iter()
            .filter(|s| s.county.as_deref() == Some(county.id.as_str()))
            .map(|s| s.id.clone())
            .collect();
        let spots: Vec<usize> = in_county
            .iter()
            .copied()
            .filter(|&i| spot_ok(dem, &land.points[i], landmarks, rules))
            .collect();
        let mut suggestions = Vec::new();
        while suggestions.len() < rules.max_per_county {
            let gain_of = |i: usize| -> f64 {
                let p = &land.points[i];
                point_tree
                    .locate_within_distance([p.x, p.y], gap_m * gap_m)
                    .filter(|g| remaining.contains(g.data) && land.points[g.data].county == ci)
                    .map(|g| land.points[g.data].area_km2)
                    .sum()
            };
            let best = spots
                .iter()
                .map(|&i| (gain_of(i), i))
                .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
            let Some((gain, i)) = best else { break };
            let first_needed = own.is_empty() && suggestions.is_empty();
            if gain < rules.min_gain_km2 && !first_needed {
                break;
            }
            if gain <= 0.0 && !first_needed {
                break;
            }
            let p = land.points[i];
            for g in point_tree.locate_within_distance([p.x, p.y], gap_m * gap_m) {
                remaining.remove(g.data);
            }
            new_xy.push((p.x, p.y));
            suggestions.push(AwsSuggestion {
                id: format!("AWS-{}-{}", county.id, suggestions.len() + 1),
                lon: p.lon,
                lat: p.lat,
                ground_m: p.z,
                slope_deg: dem.slope_deg(p.lon, p.lat).unwrap_or(f64::NAN),
                gain_km2: gain,
                reason: if first_needed {
                    "the county has no six-element AWS (one per county, policy clause 6)".into()
                } else {
                    format!(
                        "reaches {gain:.0} km² of land farther than {} km from every station",
                        rules.gap_km
                    )
                },
            });
        }
        let area = |set: &PointSet| {
            in_county
                .iter()
                .filter(|&&i| set.contains(i))
                .map(|&i| land.points[i].area_km2)
                .sum::<f64>()
        };
        counties.push(CountyAws {
            county_id: county.id.clone(),
            county: county.name.clone(),
            stations: own,
            land_km2: in_county.iter().map(|&i| land.points[i].area_km2).sum(),
            gap_km2: area(&gap),
            gap_after_km2: 0.0,
            suggestions,
            candidate_spots: spots.len(),
        });
    }
    let mut all = xy.clone();
    all.extend(new_xy);
    let gap_after = gap_of(land, &all, gap_m);
    for (ci, c) in counties.iter_mut().enumerate() {
        c.gap_after_km2 = land
            .points
            .iter()
            .enumerate()
            .filter(|(i, p)| p.county == ci && gap_after.contains(*i))
            .map(|(_, p)| p.area_km2)
            .sum();
    }
    let mut notes = vec![format!(
        "gap = land farther than {} km [A] from every operating six-element AWS; spots: slope <= {}° [A], 3x3-cell relief <= {} m [A], >= {} km from county seats and {} km from places [A] (GB 31221-2014 practice, as far as a {:.2} km² DEM cell can tell; a field survey must confirm the 25 m plot and obstacles)",
        rules.gap_km,
        rules.max_slope_deg,
        rules.max_relief_m,
        rules.county_seat_buffer_m / 1000.0,
        rules.place_buffer_m / 1000.0,
        land.cell_km2
    )];
    if stations.is_empty() {
        notes.push("no operating AWS in the site file (or no site file): all land is a gap".into());
    }
    if landmarks.is_empty() {
        notes.push("no landmark file: distance from towns is NOT checked".into());
    }
    Ok(AwsNetwork {
        rules: rules.clone(),
        counties,
        gap,
        gap_after,
        notes,
    })
}

fn spot_ok(
    dem: &Dem,
    p: &super::land::LandPoint,
    landmarks: &[Landmark],
    rules: &AwsRules,
) -> bool {
    if dem
        .slope_deg(p.lon, p.lat)
        .is_none_or(|s| s > rules.max_slope_deg)
    {
        return false;
    }
    let cs = dem.cellsize();
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for dy in [-1.0, 0.0, 1.0] {
        for dx in [-1.0, 0.0, 1.0] {
            match dem.elevation(p.lon + dx * cs, p.lat + dy * cs) {
                Some(z) => {
                    lo = lo.min(z);
                    hi = hi.max(z);
                }
                None => return false,
            }
        }
    }
    if hi - lo > rules.max_relief_m {
        return false;
    }
    let here = Point::new(p.lon, p.lat);
    !landmarks.iter().any(|l| {
        let limit = match l.kind {
            LandmarkKind::CountySeat => rules.county_seat_buffer_m,
            LandmarkKind::Place => rules.place_buffer_m,
            LandmarkKind::Airport => 0.0,
        };
        limit > 0.0 && Haversine.distance(here, Point::new(l.lon, l.lat)) < limit
    })
}

impl AwsNetwork {
    /// The suggestions as planned `aws` sites in the site-file format.
    pub fn suggested_sites(&self) -> Vec<Site> {
        self.counties
            .iter()
            .flat_map(|c| {
                c.suggestions.iter().map(|s| Site {
                    id: s.id.clone(),
                    name: format!("{} 六要素自动气象站 (suggested)", c.county),
                    kind: SiteKind::Aws,
                    standardized: false,
                    status: SiteStatus::Planned,
                    year: Some(self.rules.year),
                    lon: s.lon,
                    lat: s.lat,
                    county: Some(c.county_id.clone()),
                    extra: [("reason".to_string(), s.reason.clone())]
                        .into_iter()
                        .collect(),
                })
            })
            .collect()
    }
}
