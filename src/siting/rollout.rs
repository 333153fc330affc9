//! The rollout (年度建设计划): in which year each new point and burner is built, at most N
//! per county per year from the start year, priority-zone cells first, then by the land their
//! cells leave uncovered; and the year each county and the city reach full grid-standard
//! coverage, set against the policy's goals (full coverage by 2025; a region-wide, routine
//! operation system by 2035; policy clause 2).
//!
//! A county's full-coverage year is taken from its cells, as the gap analysis judges them: the
//! year from which every required cell whose majority county it is holds a standardized point.
//! A cell is served in the first year a new point stands in its half-open square, whichever
//! county that point belongs to (a county's cell may be served by a neighbour's point, built on
//! the neighbour's schedule). Cells no new point stands in are counted as never served.

use std::collections::{BTreeMap, HashMap};

use super::burners::BurnerPlan;
use super::grid_plan::GridPlan;
use super::rules::SitingRules;
use crate::gaps::PolicyGrid;
use crate::grid::{CellId, GridSpec};
use crate::region::Region;

/// The policy's goal years (clause 2).
pub const POLICY_GOALS: [(i32, &str); 2] = [
    (2025, "full coverage (全覆盖) of operations"),
    (2035, "a region-wide, routine operation system (全域、常态)"),
];

/// One county's schedule.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CountyRollout {
    /// County id.
    pub county: String,
    /// County name.
    pub county_name: String,
    /// New standardized points per year.
    pub points_by_year: BTreeMap<i32, usize>,
    /// New burners per year.
    pub burners_by_year: BTreeMap<i32, usize>,
    /// The year from which every required cell of the county (majority county) that the plan
    /// serves has a standardized point, whoever's point it is (`None`: no cell of the county
    /// waits for a new point).
    pub complete_year: Option<i32>,
    /// Required cells in the county that no point can serve.
    pub infeasible_cells: usize,
    /// Required, unserved cells of the county that no new point of the plan stands in (the
    /// infeasible cells, and with the coverage objective any cell its points miss).
    pub never_served_cells: usize,
}

impl CountyRollout {
    /// Where the county stands against the grid standard, in a few words: full coverage only
    /// when every required cell of the county is served.
    pub fn standing(&self) -> String {
        match (self.never_served_cells, self.complete_year) {
            (0, Some(year)) => format!("full grid coverage {year}"),
            (0, None) => "grid standard already met".into(),
            (n, Some(year)) => format!(
                "grid standard not reachable: {n} required cells stay without a standardized point (the others served by {year})"
            ),
            (n, None) => {
                format!(
                    "grid standard not reachable: {n} required cells stay without a standardized point"
                )
            }
        }
    }
}

/// The whole schedule.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Rollout {
    /// The year of each grid point, in [`GridPlan::points`] order.
    pub grid_years: Vec<i32>,
    /// The year of each burner, in [`BurnerPlan::burners`] order.
    pub burner_years: Vec<i32>,
    /// Per county, in region order.
    pub counties: Vec<CountyRollout>,
    /// The year from which every required cell of the city that the plan serves has a
    /// standardized point (`None`: no cell waits for a new point).
    pub city_complete_year: Option<i32>,
    /// Required, unserved cells of the city that no new point stands in.
    pub never_served_cells: usize,
}

/// A required cell without a standardized point before the plan: which grid, which cell and
/// the index of its majority county.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenCell {
    /// Which grid.
    pub grid: PolicyGrid,
    /// The cell.
    pub cell: CellId,
    /// Index of its majority county in the region.
    pub county: usize,
}

/// Schedules the plan. `open` lists the required cells without a standardized point before
/// the plan, `specs` how each grid is laid (to find the cell a new point stands in).
pub fn schedule(
    grid: &GridPlan,
    burners: Option<&BurnerPlan>,
    uncovered_km2: &HashMap<(PolicyGrid, CellId), f64>,
    (open, specs): (&[OpenCell], &[(PolicyGrid, GridSpec)]),
    region: &Region,
    rules: &SitingRules,
) -> Rollout {
    let per_year = rules.max_new_per_county_per_year.max(1);
    let mut grid_years = vec![rules.start_year; grid.points.len()];
    let mut counties = Vec::new();
    let burner_list = burners.map(|b| b.burners.as_slice()).unwrap_or_default();
    let mut burner_years = vec![rules.start_year; burner_list.len()];
    for (ci, county) in region.counties.iter().enumerate() {
        let mut mine: Vec<usize> = (0..grid.points.len())
            .filter(|&i| grid.points[i].county == ci)
            .collect();
        let key = |i: usize| {
            let p = &grid.points[i];
            let priority = p.serves.iter().any(|(g, _)| *g == PolicyGrid::Priority);
            let open: f64 = p
                .serves
                .iter()
                .map(|s| uncovered_km2.get(s).copied().unwrap_or(0.0))
                .sum();
            (priority, open)
        };
        mine.sort_by(|&a, &b| {
            let (pa, oa) = key(a);
            let (pb, ob) = key(b);
            pb.cmp(&pa).then(ob.total_cmp(&oa)).then(a.cmp(&b))
        });
        let mut points_by_year = BTreeMap::new();
        for (k, &i) in mine.iter().enumerate() {
            let year = rules.start_year + (k / per_year) as i32;
            grid_years[i] = year;
            *points_by_year.entry(year).or_default() += 1;
        }
        let mut burners_by_year = BTreeMap::new();
        let burner_ids: Vec<usize> = (0..burner_list.len())
            .filter(|&i| burner_list[i].county == ci)
            .collect();
        for (k, &i) in burner_ids.iter().enumerate() {
            let year =
                rules.start_year + (k / rules.max_new_burners_per_county_per_year.max(1)) as i32;
            burner_years[i] = year;
            *burners_by_year.entry(year).or_default() += 1;
        }
        counties.push(CountyRollout {
            county: county.id.clone(),
            county_name: county.name.clone(),
            complete_year: None,
            points_by_year,
            burners_by_year,
            infeasible_cells: grid.infeasible.iter().filter(|c| c.county == ci).count(),
            never_served_cells: 0,
        });
    }
    let served = first_served_years(grid, &grid_years, specs);
    for cell in open {
        let Some(county) = counties.get_mut(cell.county) else {
            continue;
        };
        match served.get(&(cell.grid, cell.cell)) {
            Some(&year) => {
                county.complete_year = Some(county.complete_year.map_or(year, |y| y.max(year)));
            }
            None => county.never_served_cells += 1,
        }
    }
    let city_complete_year = counties.iter().filter_map(|c| c.complete_year).max();
    let never_served_cells = counties.iter().map(|c| c.never_served_cells).sum();
    Rollout {
        grid_years,
        burner_years,
        counties,
        city_complete_year,
        never_served_cells,
    }
}

/// The first year a new point stands in each cell of each grid (the gap analysis's test: a
/// site serves the one cell whose half-open square holds it).
fn first_served_years(
    grid: &GridPlan,
    years: &[i32],
    specs: &[(PolicyGrid, GridSpec)],
) -> HashMap<(PolicyGrid, CellId), i32> {
    let mut first: HashMap<(PolicyGrid, CellId), i32> = HashMap::new();
    for (point, &year) in grid.points.iter().zip(years) {
        for (which, spec) in specs {
            let key = (*which, spec.cell_of(point.at.x, point.at.y));
            first
                .entry(key)
                .and_modify(|y| *y = (*y).min(year))
                .or_insert(year);
        }
    }
    first
}
