//! The effective-coverage plan (`--objective coverage`): the fewest new points whose 10 km
//! influence discs reach all the land existing sites leave uncovered (LSCP), or the best N
//! points (MCLP), solved by [`crate::solver`] with its proven bound (LSCP: components, exact edge covers, an LP
//! bound and branch-and-bound, as `wxmod cover`).
//!
//! Demand is a lattice of points (default 2 km, each standing for spacing² of land) on the
//! region's land that no operating gun, rocket or burner site reaches; candidates are the
//! feasible points of a lattice of the same spacing (offset by half a spacing). Demand that no
//! feasible candidate can reach is reported, not dropped silently.

use std::time::Duration;

use geo::Coord;
use rstar::RTree;

use super::constraints::Constraints;
use super::grid_plan::GridPoint;
use crate::region::{Region, RowLocator};
use crate::solver::{
    Candidate, CoverError, CoverInstance, DemandPoint, SolveOptions, solve_lscp, solve_mclp,
};
use crate::units::Metres;

/// Settings of the coverage objective.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageObjective {
    /// Influence radius, metres (the catalog's fixed_rocket radius).
    pub radius_m: f64,
    /// Spacing of demand and candidate lattices, metres.
    pub spacing_m: f64,
    /// `Some(n)`: the best n points (MCLP); `None`: the fewest points for full coverage (LSCP).
    pub budget_points: Option<usize>,
    /// Solver time limit.
    pub time_limit: Duration,
}

/// What the solver found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CoverageSolve {
    /// LSCP or MCLP.
    pub problem: String,
    /// Demand points (uncovered land, each spacing² of it).
    pub demand: usize,
    /// Demand points no feasible candidate reaches.
    pub unreachable: usize,
    /// Feasible candidates.
    pub candidates: usize,
    /// LSCP: sites; MCLP: covered km².
    pub objective: f64,
    /// LSCP: lower bound on sites; MCLP: upper bound on km².
    pub bound: f64,
    /// Relative gap between objective and bound.
    pub gap: f64,
    /// Whether the solver proved optimality.
    pub proven_optimal: bool,
    /// Solve time, seconds.
    pub seconds: f64,
    /// How the bound was obtained (LSCP: components, edge covers, LP; MCLP: Lagrangian + branch-and-bound).
    pub bound_method: String,
}

/// Solves the coverage objective; returns the new points (they serve no grid cell by name).
pub fn plan_coverage(
    region: &Region,
    existing: &[Coord<f64>],
    objective: &CoverageObjective,
    constraints: &Constraints,
) -> Result<(Vec<GridPoint>, CoverageSolve), CoverError> {
    let s = objective.spacing_m;
    let r = objective.radius_m;
    let existing_tree: RTree<[f64; 2]> =
        RTree::bulk_load(existing.iter().map(|c| [c.x, c.y]).collect());
    let b = region.projected_bounds();
    let locator = RowLocator::new(region);
    let mut demand = Vec::new();
    let mut candidates = Vec::new();
    let mut county_of = Vec::new();
    let (i0, i1) = (
        (b.min().x / s).floor() as i64,
        (b.max().x / s).ceil() as i64,
    );
    let columns: Vec<i64> = (i0..i1).filter(|&i| (i as f64) * s < b.max().x).collect();
    let demand_xs: Vec<f64> = columns.iter().map(|&i| i as f64 * s).collect();
    // Candidates lie half a spacing off the demand lattice.
    let candidate_xs: Vec<f64> = demand_xs.iter().map(|x| x + s / 2.0).collect();
    let mut j = (b.min().y / s).floor() as i64;
    while (j as f64) * s < b.max().y {
        let y = j as f64 * s;
        let demand_row = locator.locate_row(y, &demand_xs);
        let candidate_row = locator.locate_row(y + s / 2.0, &candidate_xs);
        for (k, &i) in columns.iter().enumerate() {
            let d = Coord { x: demand_xs[k], y };
            if demand_row[k].is_some()
                && existing_tree
                    .locate_within_distance([d.x, d.y], r * r)
                    .next()
                    .is_none()
            {
                demand.push(DemandPoint {
                    id: format!("d{i}_{j}"),
                    x_m: d.x,
                    y_m: d.y,
                    weight: s * s / 1e6,
                });
            }
            let c = Coord {
                x: candidate_xs[k],
                y: y + s / 2.0,
            };
            if let Some(county) = candidate_row[k]
                && constraints.allows(c.x, c.y)
            {
                candidates.push(Candidate {
                    id: format!("c{i}_{j}"),
                    x_m: c.x,
                    y_m: c.y,
                });
                county_of.push(county);
            }
        }
        j += 1;
    }
    let probe = CoverInstance::new(demand.clone(), candidates.clone(), Metres(r))?;
    let unreachable: Vec<usize> = probe.uncoverable().to_vec();
    let mut reachable_mask = vec![true; demand.len()];
    for &k in &unreachable {
        reachable_mask[k] = false;
    }
    let reachable: Vec<DemandPoint> = demand
        .iter()
        .zip(&reachable_mask)
        .filter(|(_, reachable)| **reachable)
        .map(|(d, _)| d.clone())
        .collect();
    let n_demand = demand.len();
    let n_candidates = candidates.len();
    let instance = CoverInstance::new(reachable, candidates, Metres(r))?;
    let options = SolveOptions {
        time_limit: objective.time_limit,
        ..SolveOptions::default()
    };
    let (chosen, solve) = match objective.budget_points {
        None => {
            let sol = solve_lscp(&instance, &options)?;
            let summary = CoverageSolve {
                problem: "LSCP (fewest points for full coverage)".into(),
                demand: n_demand,
                unreachable: unreachable.len(),
                candidates: n_candidates,
                objective: sol.objective as f64,
                bound: sol.lower_bound as f64,
                gap: sol.gap,
                proven_optimal: sol.proven_optimal,
                seconds: (sol.build_time + sol.solve_time).as_secs_f64(),
                bound_method: sol.stats.lscp_bound_note(),
            };
            (sol.chosen, summary)
        }
        Some(p) => {
            let sol = solve_mclp(&instance, p.min(n_candidates), &options)?;
            let summary = CoverageSolve {
                problem: format!("MCLP (best {p} points)"),
                demand: n_demand,
                unreachable: unreachable.len(),
                candidates: n_candidates,
                objective: sol.covered_weight,
                bound: sol.upper_bound,
                gap: sol.gap,
                proven_optimal: sol.proven_optimal,
                seconds: (sol.build_time + sol.solve_time).as_secs_f64(),
                bound_method: format!(
                    "Lagrangian dual and branch-and-bound ({} nodes)",
                    sol.stats.nodes
                ),
            };
            (sol.chosen, summary)
        }
    };
    let points = chosen
        .into_iter()
        .map(|k| {
            let c = &instance.candidates()[k];
            GridPoint {
                at: Coord { x: c.x_m, y: c.y_m },
                county: county_of[k],
                serves: Vec::new(),
            }
        })
        .collect();
    Ok((points, solve))
}
