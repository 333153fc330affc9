//! The best k radars (k > 1, a province's network): maximal covering of the 1 km-AGL land by
//! wxmod's covering solver ([`crate::solver::solve_mclp`]), with its proven upper bound.
//!
//! The instance: demand points are the land points some eligible candidate covers at the low
//! height, weighted by their area (km²); candidates are the eligible sites; each candidate's
//! coverage list is its covered land ([`super::coverage::covered_land`], terrain-shaped, not a
//! disc), given through [`CoverInstance::from_coverage_lists`]. The solver runs under
//! [`SOLVER_TIME_LIMIT`]; its answer is kept unless the greedy choice covers more, and the bound
//! reported is the smaller of the solver's and the Nemhauser–Wolsey–Fisher (1978) bound of the
//! greedy prefixes (both are valid upper bounds). Should the solver fail, the greedy choice
//! with its bound stands and the method says so. k = 1 is exhaustive (the best single site).
//! Cost: the greedy is O(k × candidates × land words); the solver is bounded by its time limit.

use std::time::Duration;

use super::coverage::PointSet;
use super::land::LandSet;
use super::study::{CandidateRow, Network};
use crate::solver::{Candidate, CoverInstance, DemandPoint, SolveOptions, solve_mclp};

/// Wall-clock limit of the covering solver for the best k; a solve cut short keeps a valid bound
/// and says it is not proven optimal.
pub const SOLVER_TIME_LIMIT: Duration = Duration::from_secs(10);

/// The greedy choice: chosen rows in pick order, covered km², the greedy-prefix bound.
fn greedy(
    land: &LandSet,
    rows: &[CandidateRow],
    sets: &[Option<PointSet>],
    eligible: &[usize],
    k: usize,
) -> (Vec<usize>, f64, f64) {
    let weight = |set: &PointSet, base: &PointSet| -> f64 {
        set.iter()
            .filter(|&i| !base.contains(i))
            .map(|i| land.points[i].area_km2)
            .sum()
    };
    let mut covered = PointSet::new(land.points.len());
    let mut value = 0.0;
    let mut chosen: Vec<usize> = Vec::new();
    let mut bound = f64::INFINITY;
    for step in 0..=k {
        let mut gains: Vec<(f64, usize)> = eligible
            .iter()
            .filter(|i| !chosen.contains(i))
            .filter_map(|&i| sets[i].as_ref().map(|s| (weight(s, &covered), i)))
            .collect();
        gains.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(rows[a.1].rank.cmp(&rows[b.1].rank))
        });
        let top: f64 = gains.iter().take(k).map(|g| g.0).sum();
        bound = bound.min(value + top);
        if step == k {
            break;
        }
        let Some(&(gain, best)) = gains.first() else {
            break;
        };
        if let Some(s) = &sets[best] {
            covered.union_with(s);
        }
        value += gain;
        chosen.push(best);
    }
    (chosen, value, bound.max(value))
}

/// The covering instance of the eligible candidates: (instance, row of each candidate).
///
/// # Errors
/// The solver's typed error when the lists are inconsistent (they are built here, so never).
pub fn cover_instance(
    land: &LandSet,
    rows: &[CandidateRow],
    sets: &[Option<PointSet>],
    eligible: &[usize],
) -> Result<(CoverInstance, Vec<usize>), crate::solver::CoverError> {
    let with_sets: Vec<usize> = eligible
        .iter()
        .copied()
        .filter(|&i| sets[i].is_some())
        .collect();
    let mut any = PointSet::new(land.points.len());
    for &i in &with_sets {
        if let Some(s) = &sets[i] {
            any.union_with(s);
        }
    }
    // Land no candidate covers cannot be gained: leave it out of the instance.
    let mut index = vec![usize::MAX; land.points.len()];
    let mut demand = Vec::new();
    for p in any.iter() {
        index[p] = demand.len();
        let lp = &land.points[p];
        demand.push(DemandPoint {
            id: p.to_string(),
            x_m: lp.x,
            y_m: lp.y,
            weight: lp.area_km2,
        });
    }
    let candidates = with_sets
        .iter()
        .map(|&i| {
            let r = &rows[i];
            Candidate {
                id: r.site.id.clone(),
                // Positions are not used by coverage lists; the site's lon/lat keeps them finite.
                x_m: r.site.lon,
                y_m: r.site.lat,
            }
        })
        .collect();
    let lists: Vec<Vec<usize>> = with_sets
        .iter()
        .map(|&i| {
            sets[i]
                .as_ref()
                .map(|s| s.iter().map(|p| index[p]).collect())
                .unwrap_or_default()
        })
        .collect();
    Ok((
        CoverInstance::from_coverage_lists(demand, candidates, &lists)?,
        with_sets,
    ))
}

/// The best `k` eligible candidates for the land at the low height, with a proven bound.
pub fn best_k(
    land: &LandSet,
    rows: &[CandidateRow],
    sets: &[Option<PointSet>],
    eligible: &[usize],
    k: usize,
) -> Network {
    let total = land.total_km2();
    let (g_chosen, g_value, g_bound) = greedy(land, rows, sets, eligible, k);
    let network = |chosen: Vec<usize>, value: f64, bound: f64, method: String| {
        let bound = bound.max(value);
        Network {
            share: if total > 0.0 { value / total } else { 0.0 },
            proven_optimal: bound - value <= 1e-9 * total.max(1.0),
            covered_km2: value,
            upper_bound_km2: bound,
            greedy_km2: g_value,
            chosen,
            method,
        }
    };
    if k == 1 {
        return network(
            g_chosen,
            g_value,
            g_bound,
            "the eligible candidate covering the most land at the low height (exhaustive)".into(),
        );
    }
    let greedy_method = format!(
        "greedy maximal covering of the low-height land over the eligible candidates, {k} sites; bound of Nemhauser, Wolsey and Fisher (1978) over every greedy prefix"
    );
    let solved = cover_instance(land, rows, sets, eligible).and_then(|(instance, map)| {
        let options = SolveOptions {
            time_limit: SOLVER_TIME_LIMIT,
            ..SolveOptions::default()
        };
        let n = instance.demand().len();
        solve_mclp(&instance, k, &options).map(|s| (s, map, n))
    });
    match solved {
        Ok((s, map, n)) => {
            let bound = s.upper_bound.min(g_bound);
            let limit = SOLVER_TIME_LIMIT.as_secs_f64();
            if s.covered_weight + 1e-9 < g_value {
                network(
                    g_chosen,
                    g_value,
                    bound,
                    format!(
                        "{greedy_method}: the covering solver (maximal covering, {limit:.0} s limit) found {:.1} km² only; its bound {:.1} km² is used",
                        s.covered_weight, s.upper_bound
                    ),
                )
            } else {
                let chosen = s.chosen.iter().map(|&j| map[j]).collect();
                network(
                    chosen,
                    s.covered_weight,
                    bound,
                    format!(
                        "maximal covering of the low-height land over the eligible candidates by wxmod's covering solver ({k} sites, {} land points, {} candidates, {limit:.0} s limit, {}; greedy gives {:.1} km²)",
                        n,
                        map.len(),
                        if s.proven_optimal {
                            "proven optimal"
                        } else {
                            "not proven optimal: the bound is the solver's Lagrangian/branch-and-bound bound or the greedy one, whichever is smaller"
                        },
                        g_value
                    ),
                )
            }
        }
        Err(e) => network(
            g_chosen,
            g_value,
            g_bound,
            format!("{greedy_method} (the covering solver failed: {e}; greedy is the fallback)"),
        ),
    }
}
