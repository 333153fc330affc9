//! The rollout (年度建设计划): in which year each new point and burner is built, at most N
//! per county per year from the start year, priority-zone cells first, then by the land their
//! cells leave uncovered; and the year each county and the city reach full grid-standard
//! coverage, set against the policy's goals (full coverage by 2025; a region-wide, routine
//! operation system by 2035; policy clause 2).

use std::collections::{BTreeMap, HashMap};

use super::burners::BurnerPlan;
use super::grid_plan::GridPlan;
use super::rules::SitingRules;
use crate::gaps::PolicyGrid;
use crate::grid::CellId;
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
    /// The year its last new point is built (`None`: nothing to build).
    pub complete_year: Option<i32>,
    /// Required cells in the county that no point can serve.
    pub infeasible_cells: usize,
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
    /// The year the city's last new point is built (`None`: nothing to build).
    pub city_complete_year: Option<i32>,
}

impl Rollout {
    /// One sentence per policy goal on where the plan stands against it.
    pub fn against_goals(&self) -> Vec<String> {
        POLICY_GOALS
            .iter()
            .map(|(year, goal)| match self.city_complete_year {
                None => format!("{year} goal, {goal}: the grid standard is already met"),
                Some(done) if done <= *year => format!("{year} goal, {goal}: met in {done}"),
                Some(done) => format!(
                    "{year} goal, {goal}: grid standard reached only in {done}, {} years late",
                    done - year
                ),
            })
            .collect()
    }
}

/// Schedules the plan.
pub fn schedule(
    grid: &GridPlan,
    burners: Option<&BurnerPlan>,
    uncovered_km2: &HashMap<(PolicyGrid, CellId), f64>,
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
            complete_year: points_by_year.keys().next_back().copied(),
            points_by_year,
            burners_by_year,
            infeasible_cells: grid.infeasible.iter().filter(|c| c.county == ci).count(),
        });
    }
    let city_complete_year = counties.iter().filter_map(|c| c.complete_year).max();
    Rollout {
        grid_years,
        burner_years,
        counties,
        city_complete_year,
    }
}
