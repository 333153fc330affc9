//! The siting planner (选址规划): where each new standardized fixed point, smoke burner and
//! vehicle-mounted rocket system goes, and in which year, so that every county reaches the
//! policy's full coverage (朔政办发〔2022〕29号 clause 8; DOMAIN.md §2).
//!
//! Steps, each in its own module:
//! - [`constraints`](mod@constraints): candidate exclusions with their reasons ("why not here?");
//! - [`grid_plan`]: the exact minimum of new points for the grid standard, by bipartite
//!   matching ([`matching`]);
//! - [`burners`]: smoke burners over high-mountain land, windward, greedy maximal covering;
//! - mobile systems: one per county lacking one, at its seat;
//! - [`rollout`]: the year of each new point, at most N per county per year, priority cells first;
//! - [`goals`]: the policy's 2025 and 2035 goals against the rollout, met only when every cell is.
//!
//! The plan is a site list in the site-file format: the existing network plus the new sites
//! (status `planned`, with their year, the cells they serve and the reason they were chosen),
//! which `wxmod gaps` and the budget read directly.

pub mod burners;
pub mod constraints;
pub mod coverage_plan;
pub mod goals;
pub mod grid_plan;
pub mod matching;
pub mod rollout;
pub mod rules;

use std::collections::{BTreeMap, HashMap};

use geo::{Contains, Coord, Point};

use crate::catalog::Catalog;
use crate::gaps::{GapInputs, GapOptions, PolicyGrid, PolicyGrids, analyse_on};
use crate::region::{Landmark, LandmarkKind, Region};
use crate::sites::{Site, SiteKind, SiteStatus};
use crate::terrain::Dem;
use crate::zones::ZoneLayer;

pub use burners::{BurnerPlan, BurnerReach, BurnerSettings};
pub use constraints::{Constraints, Exclusion, landmark_exclusions, read_exclusions};
pub use coverage_plan::{CoverageObjective, CoverageSolve};
pub use goals::{GoalCheck, GoalStatus, check_goals};
pub use grid_plan::{GridPlan, InfeasibleCell};
pub use rollout::{CountyRollout, OpenCell, Rollout};
pub use rules::SitingRules;

/// Everything the planner reads.
pub struct PlanInputs<'a> {
    /// The region.
    pub region: &'a Region,
    /// The existing (and already planned) network.
    pub sites: &'a [Site],
    /// The equipment catalog.
    pub catalog: &'a Catalog,
    /// The DEM (slope limits, burner land); without it those steps are skipped.
    pub dem: Option<&'a Dem>,
    /// Priority zones; without them only the 15 km grid is planned.
    pub zones: Option<&'a ZoneLayer>,
    /// County seats, airports, places.
    pub landmarks: &'a [Landmark],
    /// The rules.
    pub rules: SitingRules,
    /// Grids and network year.
    pub options: GapOptions,
    /// What the new standardized points must achieve.
    pub objective: Objective,
}

/// What the new standardized points must achieve.
#[derive(Debug, Clone, PartialEq)]
pub enum Objective {
    /// The policy's grid standard: a point in every required 15 km and 10 km priority cell.
    Grid,
    /// Effective coverage: influence discs over all uncovered land (or the best N points).
    Coverage(CoverageObjective),
}

/// A plan that could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The covering solver refused the instance.
    #[error("coverage objective: {0}")]
    Cover(#[from] crate::solver::CoverError),
}

/// A county-level summary of the plan.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Plan {
    /// The existing network followed by the new sites.
    pub sites: Vec<Site>,
    /// Number of new sites at the start of `sites`' tail.
    pub new_sites: usize,
    /// The grid-standard plan.
    pub grid: GridPlan,
    /// The burner plan, when the region has a DEM.
    pub burners: Option<BurnerPlan>,
    /// Counties that receive a vehicle-mounted system.
    pub mobile_counties: Vec<String>,
    /// Years per county and for the city.
    pub rollout: Rollout,
    /// With the coverage objective: what the covering solver found, with its bound.
    pub coverage: Option<CoverageSolve>,
}

/// Builds the constraints for a region: landmark buffers, user exclusions, slope.
pub fn constraints<'a>(inputs: &PlanInputs<'a>, user: Vec<Exclusion>) -> Constraints<'a> {
    let mut exclusions = landmark_exclusions(inputs.landmarks, inputs.region, &inputs.rules);
    exclusions.extend(user);
    Constraints::new(inputs.region, exclusions, inputs.dem, &inputs.rules)
}

/// Plans new points, burners and mobile systems and schedules them.
pub fn plan(inputs: &PlanInputs, constraints: &Constraints) -> Result<Plan, PlanError> {
    let region = inputs.region;
    let rules = &inputs.rules;
    let grids = PolicyGrids::build(region, &inputs.options, inputs.dem, inputs.zones);
    let mut options = inputs.options.clone();
    // One burner model: the analysis draws burners as the planner places them.
    if options.burner_downwind.is_some() {
        options.burner_downwind = Some(crate::influence::DownwindSector {
            wind_from_deg: rules.prevailing_wind_from_deg,
            sector_deg: rules.burner_sector_deg,
        });
    }
    let gap_inputs = GapInputs {
        region,
        sites: inputs.sites,
        catalog: inputs.catalog,
        dem: inputs.dem,
        zones: inputs.zones,
        options,
    };
    let gaps = analyse_on(&gap_inputs, &grids);
    let mut served: HashMap<PolicyGrid, Vec<CellId>> = HashMap::new();
    let mut uncovered: HashMap<(PolicyGrid, CellId), f64> = HashMap::new();
    for c in &gaps.cells {
        if c.served() {
            served.entry(c.grid).or_default().push(c.cell);
        }
        uncovered.insert((c.grid, c.cell), c.uncovered_km2());
    }
    let mut grid =
        grid_plan::plan_grid_standard(&grids, &served, rules.candidate_spacing_m, constraints);
    let operating: Vec<&Site> = inputs
        .sites
        .iter()
        .filter(|s| s.operating_in(inputs.options.year))
        .collect();
    let coverage = match &inputs.objective {
        Objective::Grid => None,
        Objective::Coverage(objective) => {
            let seeding: Vec<Coord<f64>> = operating
                .iter()
                .filter(|s| {
                    matches!(
                        s.kind,
                        SiteKind::FixedRocket | SiteKind::FixedGun | SiteKind::Burner
                    )
                })
                .filter_map(|s| region.project(s.lon, s.lat))
                .collect();
            let (points, solve) =
                coverage_plan::plan_coverage(region, &seeding, objective, constraints)?;
            grid.points = points;
            Some(solve)
        }
    };
    let burners = inputs.dem.map(|dem| {
        let existing: Vec<Coord<f64>> = operating
            .iter()
            .filter(|s| s.kind == SiteKind::Burner)
            .filter_map(|s| region.project(s.lon, s.lat))
            .collect();
        let reach = BurnerReach {
            radius_m: inputs.catalog.kind(SiteKind::Burner).influence_radius_m(),
            wind_from_deg: rules.prevailing_wind_from_deg,
            sector_deg: rules.burner_sector_deg,
        };
        let settings = burners::BurnerSettings {
            reach,
            min_elevation_m: rules.burner_min_elevation_m,
            spacing_m: rules.burner_demand_spacing_m,
            min_new_km2: rules.burner_min_new_km2,
        };
        burners::plan_burners(region, dem, &existing, &settings, constraints)
    });

    let with_mobile: Vec<&str> = operating
        .iter()
        .filter(|s| s.kind == SiteKind::MobileRocketBase)
        .filter_map(|s| s.county.as_deref())
        .collect();
    let mobile_counties: Vec<String> = region
        .counties
        .iter()
        .filter(|c| !with_mobile.contains(&c.id.as_str()))
        .map(|c| c.id.clone())
        .collect();

    let open: Vec<OpenCell> = gaps
        .cells
        .iter()
        .filter(|c| !c.served())
        .filter_map(|c| {
            let county = region.counties.iter().position(|k| k.id == c.county)?;
            Some(OpenCell {
                grid: c.grid,
                cell: c.cell,
                county,
            })
        })
        .collect();
    let specs: Vec<(PolicyGrid, crate::grid::GridSpec)> =
        grids.iter().map(|(which, g)| (which, g.spec)).collect();
    snap_to_site_coordinates(&mut grid, region);
    let rollout = rollout::schedule(
        &grid,
        burners.as_ref(),
        &uncovered,
        (&open, &specs),
        region,
        rules,
    );
    let mut sites: Vec<Site> = inputs.sites.to_vec();
    let before = sites.len();
    sites.extend(new_sites(
        inputs,
        &grid,
        burners.as_ref(),
        &mobile_counties,
        &rollout,
    ));
    Ok(Plan {
        new_sites: sites.len() - before,
        sites,
        grid,
        burners,
        mobile_counties,
        rollout,
        coverage,
    })
}

use crate::grid::CellId;

/// A new site's longitude and latitude as the site file carries them (six decimals, about
/// 0.1 m), or `None` where the projection cannot invert the point.
fn site_lonlat(region: &Region, at: Coord<f64>) -> Option<(f64, f64)> {
    let (lon, lat) = region.projection.inverse(at.x, at.y).ok()?;
    Some((round_to_site_precision(lon), round_to_site_precision(lat)))
}

/// Degrees rounded to the six decimals a site file carries.
fn round_to_site_precision(degrees: f64) -> f64 {
    (degrees * 1e6).round() / 1e6
}

/// Moves each new point to where its site's rounded longitude and latitude project, so that
/// the rollout judges the cell a point stands in exactly as `wxmod gaps` will judge it on the
/// written plan (a candidate on a cell border must not count for one cell here and for its
/// neighbour there).
fn snap_to_site_coordinates(grid: &mut GridPlan, region: &Region) {
    for point in &mut grid.points {
        if let Some((lon, lat)) = site_lonlat(region, point.at)
            && let Ok((x, y)) = region.projection.forward(lon, lat)
        {
            point.at = Coord { x, y };
        }
    }
}

fn cells_text(serves: &[(PolicyGrid, CellId)]) -> String {
    serves
        .iter()
        .map(|(g, c)| match g {
            PolicyGrid::Base => format!("15km:{c}"),
            PolicyGrid::Priority => format!("10km:{c}"),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn new_sites(
    inputs: &PlanInputs,
    grid: &GridPlan,
    burners: Option<&BurnerPlan>,
    mobile_counties: &[String],
    rollout: &Rollout,
) -> Vec<Site> {
    let region = inputs.region;
    let mut out = Vec::new();
    let mut numbers: BTreeMap<(usize, &str), usize> = BTreeMap::new();
    let mut next = |county: usize, prefix: &'static str| {
        let n = numbers.entry((county, prefix)).or_default();
        *n += 1;
        *n
    };
    let site = |id: String,
                name: String,
                kind: SiteKind,
                year: i32,
                lonlat: (f64, f64),
                county: usize,
                extra: BTreeMap<String, String>| Site {
        id,
        name,
        kind,
        standardized: true,
        status: SiteStatus::Planned,
        year: Some(year),
        lon: round_to_site_precision(lonlat.0),
        lat: round_to_site_precision(lonlat.1),
        county: Some(region.counties[county].id.clone()),
        extra,
    };
    for (i, p) in grid.points.iter().enumerate() {
        let Some(lonlat) = site_lonlat(region, p.at) else {
            continue;
        };
        let c = &region.counties[p.county];
        let n = next(p.county, "N");
        let reason = match p.serves.as_slice() {
            [] => "effective-coverage objective: chosen by the covering solver to reach uncovered land".to_string(),
            [_, _] => "serves a 10 km priority cell and a 15 km cell together (matched pair); feasible candidate nearest the overlap's centre".to_string(),
            [(PolicyGrid::Priority, _)] => "serves a 10 km priority cell; feasible candidate nearest its land's centre".to_string(),
            _ => "serves a 15 km cell; feasible candidate nearest its land's centre".to_string(),
        };
        let extra = BTreeMap::from([
            ("cells".to_string(), cells_text(&p.serves)),
            ("reason".to_string(), reason),
        ]);
        out.push(site(
            format!("N{}-{n:02}", c.id),
            format!("{} 新增标准化作业点 {n:02}", c.name),
            SiteKind::FixedRocket,
            rollout.grid_years[i],
            lonlat,
            p.county,
            extra,
        ));
    }
    if let Some(b) = burners {
        for (i, p) in b.burners.iter().enumerate() {
            let c = &region.counties[p.county];
            let n = next(p.county, "B");
            let extra = BTreeMap::from([(
                "reason".to_string(),
                format!(
                    "high-mountain land ({:.0} m); reaches {} uncovered demand points downwind",
                    p.elevation_m, p.reaches
                ),
            )]);
            out.push(site(
                format!("B{}-{n:02}", c.id),
                format!("{} 新增烟炉 {n:02}", c.name),
                SiteKind::Burner,
                rollout.burner_years[i],
                p.lonlat,
                p.county,
                extra,
            ));
        }
    }
    for county_id in mobile_counties {
        let Some(index) = region.counties.iter().position(|c| &c.id == county_id) else {
            continue;
        };
        let c = &region.counties[index];
        let seat = inputs.landmarks.iter().find(|l| {
            l.kind == LandmarkKind::CountySeat && l.county.as_deref() == Some(county_id.as_str())
        });
        let lonlat = match seat {
            Some(l) => (l.lon, l.lat),
            None => match geo::InteriorPoint::interior_point(&c.lonlat) {
                Some(p) => (p.x(), p.y()),
                None => continue,
            },
        };
        let extra = BTreeMap::from([(
            "reason".to_string(),
            "policy: at least one vehicle-mounted rocket system per county; based at the county seat".to_string(),
        )]);
        out.push(site(
            format!("M{}", c.id),
            format!("{} 车载火箭发射系统", c.name),
            SiteKind::MobileRocketBase,
            inputs.rules.start_year,
            lonlat,
            index,
            extra,
        ));
    }
    out
}

/// Why a place may or may not hold a new point.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Explanation {
    /// The place, lon/lat.
    pub lonlat: (f64, f64),
    /// The county holding it, if any.
    pub county: Option<String>,
    /// Every reason it is refused; empty when a point may go there.
    pub reasons: Vec<String>,
}

/// Answers "why not here?" for a lon/lat.
pub fn explain(region: &Region, constraints: &Constraints, lon: f64, lat: f64) -> Explanation {
    let county = region
        .counties
        .iter()
        .find(|c| c.lonlat.contains(&Point::new(lon, lat)))
        .map(|c| format!("{} ({})", c.id, c.name));
    let mut reasons = Vec::new();
    if county.is_none() {
        reasons.push(format!("outside the region {}", region.name));
    }
    match region.projection.forward(lon, lat) {
        Ok((x, y)) => reasons.extend(constraints.reasons_at(x, y)),
        Err(e) => reasons.push(e.to_string()),
    }
    Explanation {
        lonlat: (lon, lat),
        county,
        reasons,
    }
}
