//! The grid-standard plan: the fewest new standardized points so that every required 15 km
//! cell and 10 km priority cell holds one (网格化布局补点), counting existing sites.
//!
//! Unserved cells with no feasible candidate are listed as infeasible with the reasons that
//! exclude their candidates. For the others, a pair (10 km cell, 15 km cell) is an edge when
//! the overlap of their squares holds a feasible candidate on the region's land; the minimum is
//! `|unserved 10 km| + |unserved 15 km| - maximum matching` ([`super::matching`]). Each point
//! goes to the feasible lattice candidate nearest the centre of its cell's land (or of the
//! overlap, for a pair), which keeps the point central to the land it must serve.
//!
//! Candidates are the points of a lattice of `candidate_spacing_m` offset by half a spacing (so
//! none lies on a grid line), generated lazily per cell: cost grows with the cells to serve,
//! not with the region's area.

use std::collections::{BTreeMap, HashMap};

use geo::{Centroid, Coord, Rect};

use super::constraints::Constraints;
use super::matching::{Bipartite, maximum_matching};
use crate::gaps::{PolicyGrid, PolicyGrids};
use crate::grid::{Cell, CellId, Grid};

/// A new point of the grid-standard plan.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GridPoint {
    /// Projected position, metres.
    pub at: Coord<f64>,
    /// Index of the county holding it.
    pub county: usize,
    /// The cells it serves: one or two (a 10 km and a 15 km cell).
    pub serves: Vec<(PolicyGrid, CellId)>,
}

/// A required cell no new point can serve.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct InfeasibleCell {
    /// Which grid.
    pub grid: PolicyGrid,
    /// The cell.
    pub cell: CellId,
    /// Majority county index.
    pub county: usize,
    /// Candidates examined.
    pub candidates: usize,
    /// Why candidates were refused, with how many each reason refused (a candidate may have
    /// several), most frequent first.
    pub reasons: Vec<(String, usize)>,
}

/// The result of the grid-standard plan.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GridPlan {
    /// New points.
    pub points: Vec<GridPoint>,
    /// Required cells that no candidate can serve.
    pub infeasible: Vec<InfeasibleCell>,
    /// Unserved, servable 10 km priority cells.
    pub unserved_priority: usize,
    /// Unserved, servable 15 km base cells.
    pub unserved_base: usize,
    /// Size of the maximum matching.
    pub matching: usize,
}

/// Lattice points of a rectangle (half-spacing offset), nearest `target` first.
fn lattice(rect: &Rect<f64>, spacing: f64, target: Coord<f64>) -> Vec<Coord<f64>> {
    let i0 = ((rect.min().x / spacing) - 0.5).ceil() as i64;
    let i1 = ((rect.max().x / spacing) - 0.5).floor() as i64;
    let j0 = ((rect.min().y / spacing) - 0.5).ceil() as i64;
    let j1 = ((rect.max().y / spacing) - 0.5).floor() as i64;
    let mut points: Vec<Coord<f64>> = (j0..=j1)
        .flat_map(|j| {
            (i0..=i1).map(move |i| Coord {
                x: (i as f64 + 0.5) * spacing,
                y: (j as f64 + 0.5) * spacing,
            })
        })
        .filter(|c| c.x < rect.max().x && c.y < rect.max().y)
        .collect();
    points.sort_by(|a, b| {
        let da = (a.x - target.x).hypot(a.y - target.y);
        let db = (b.x - target.x).hypot(b.y - target.y);
        da.total_cmp(&db)
            .then(a.y.total_cmp(&b.y))
            .then(a.x.total_cmp(&b.x))
    });
    points
}

fn land_centre(cell: &Cell) -> Coord<f64> {
    cell.land()
        .centroid()
        .map(|p| p.0)
        .unwrap_or_else(|| cell.square.center())
}

/// The best feasible candidate on `cell`'s land within `rect`.
fn best_in(
    cell: &Cell,
    rect: &Rect<f64>,
    target: Coord<f64>,
    spacing: f64,
    constraints: &Constraints,
) -> Option<Coord<f64>> {
    lattice(rect, spacing, target)
        .into_iter()
        .find(|c| cell.land_contains(c.x, c.y) && constraints.allows(c.x, c.y))
}

fn intersection(a: &Rect<f64>, b: &Rect<f64>) -> Option<Rect<f64>> {
    let lo = Coord {
        x: a.min().x.max(b.min().x),
        y: a.min().y.max(b.min().y),
    };
    let hi = Coord {
        x: a.max().x.min(b.max().x),
        y: a.max().y.min(b.max().y),
    };
    (lo.x < hi.x && lo.y < hi.y).then(|| Rect::new(lo, hi))
}

/// Why the candidates of a cell are refused, counted.
fn refusal_reasons(
    cell: &Cell,
    spacing: f64,
    constraints: &Constraints,
) -> (usize, Vec<(String, usize)>) {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut examined = 0;
    for c in lattice(&cell.square, spacing, cell.square.center()) {
        if !cell.land_contains(c.x, c.y) {
            continue;
        }
        examined += 1;
        for reason in constraints.reasons_at(c.x, c.y) {
            *counts.entry(reason).or_default() += 1;
        }
    }
    let mut reasons: Vec<(String, usize)> = counts.into_iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    (examined, reasons)
}

/// The county holding a point of a cell's land.
fn county_at(cell: &Cell, at: Coord<f64>) -> usize {
    let p = geo::Point::from(at);
    cell.parts
        .iter()
        .find(|part| geo::Contains::contains(&part.shape, &p))
        .map_or(cell.majority_county, |part| part.county)
}

/// Plans the fewest new points for the unserved required cells. `served` holds, per grid, the
/// cells that already contain an operating standardized fixed site.
pub fn plan_grid_standard(
    grids: &PolicyGrids,
    served: &HashMap<PolicyGrid, Vec<CellId>>,
    spacing: f64,
    constraints: &Constraints,
) -> GridPlan {
    let mut infeasible = Vec::new();
    // Unserved required cells with their own best candidate.
    let mut open: HashMap<PolicyGrid, Vec<(&Cell, Coord<f64>)>> = HashMap::new();
    for (which, grid) in grids.iter() {
        let done = served.get(&which).cloned().unwrap_or_default();
        for cell in grid.required_cells().filter(|c| !done.contains(&c.id)) {
            match best_in(cell, &cell.square, land_centre(cell), spacing, constraints) {
                Some(at) => open.entry(which).or_default().push((cell, at)),
                None => {
                    let (candidates, reasons) = refusal_reasons(cell, spacing, constraints);
                    infeasible.push(InfeasibleCell {
                        grid: which,
                        cell: cell.id,
                        county: cell.majority_county,
                        candidates,
                        reasons,
                    });
                }
            }
        }
    }
    let priority_cells = open.remove(&PolicyGrid::Priority).unwrap_or_default();
    let base_cells = open.remove(&PolicyGrid::Base).unwrap_or_default();
    let base_index: HashMap<CellId, usize> = base_cells
        .iter()
        .enumerate()
        .map(|(i, (c, _))| (c.id, i))
        .collect();

    // Edges: overlaps that hold a feasible candidate.
    let base_grid: &Grid = &grids.base;
    let mut graph = Bipartite {
        n_right: base_cells.len(),
        edges: vec![Vec::new(); priority_cells.len()],
    };
    let mut pair_point: HashMap<(usize, usize), Coord<f64>> = HashMap::new();
    for (u, (cell10, _)) in priority_cells.iter().enumerate() {
        let sq = cell10.square;
        let lo = base_grid.spec.cell_of(sq.min().x, sq.min().y);
        let hi = base_grid.spec.cell_of(sq.max().x - 1e-6, sq.max().y - 1e-6);
        for row in lo.row..=hi.row {
            for col in lo.col..=hi.col {
                let Some(&v) = base_index.get(&CellId { col, row }) else {
                    continue;
                };
                let Some(overlap) = intersection(&sq, &base_cells[v].0.square) else {
                    continue;
                };
                if let Some(at) = best_in(cell10, &overlap, overlap.center(), spacing, constraints)
                {
                    graph.edges[u].push(v);
                    pair_point.insert((u, v), at);
                }
            }
        }
    }
    let matching = maximum_matching(&graph);
    let mut points = Vec::new();
    let mut base_taken = vec![false; base_cells.len()];
    for (u, (cell10, own)) in priority_cells.iter().enumerate() {
        let point = match matching[u] {
            Some(v) => {
                base_taken[v] = true;
                let at = pair_point[&(u, v)];
                let serves = vec![
                    (PolicyGrid::Priority, cell10.id),
                    (PolicyGrid::Base, base_cells[v].0.id),
                ];
                GridPoint {
                    at,
                    county: county_at(cell10, at),
                    serves,
                }
            }
            None => GridPoint {
                at: *own,
                county: county_at(cell10, *own),
                serves: vec![(PolicyGrid::Priority, cell10.id)],
            },
        };
        points.push(point);
    }
    for (v, (cell15, own)) in base_cells.iter().enumerate() {
        if !base_taken[v] {
            points.push(GridPoint {
                at: *own,
                county: county_at(cell15, *own),
                serves: vec![(PolicyGrid::Base, cell15.id)],
            });
        }
    }
    GridPlan {
        unserved_priority: priority_cells.len(),
        unserved_base: base_cells.len(),
        matching: matching.iter().flatten().count(),
        points,
        infeasible,
    }
}
