//! Covering instances made the way `../shared/bench/*` were made: demand points at the centroids of the 10 km
//! grid cells clipped to the region (weight = clipped land in km²), candidates on a 2 km lattice inside the
//! region, everything in UTM 49N (EPSG:32649). Shared by `benches/cover.rs` and `examples/cover_instance.rs`.

use std::path::Path;

use geo::{Centroid, Intersects, Point};
use wxmod::grid::{Grid, GridSpec};
use wxmod::region::{BoundarySource, Region};
use wxmod::solver::{Candidate, DemandPoint};

#[path = "../../tests/support/data.rs"]
mod data;
#[allow(unused_imports)] // the example uses neither
pub use data::{shared as shared_data, shared_bench};

/// Demand points and candidates of a region.
pub struct GridInstance {
    /// Centroids of the grid cells' land, weight in km².
    pub demand: Vec<DemandPoint>,
    /// Lattice points on the region's land.
    pub candidates: Vec<Candidate>,
}

/// Builds the instance for the counties in `boundaries` (WGS84 GeoJSON with `adcode` and `name`).
pub fn grid_instance(boundaries: &Path, cell_m: f64, spacing_m: f64) -> GridInstance {
    let region = Region::from_boundaries(&BoundarySource::new(boundaries), Some("EPSG:32649"))
        .unwrap_or_else(|e| panic!("loading {}: {e}", boundaries.display()));
    let grid = Grid::build(&region, &GridSpec::new(cell_m), None, None);
    let demand = grid
        .cells
        .iter()
        .filter_map(|cell| {
            let c = cell.land().centroid()?;
            Some((c.x(), c.y(), cell.area_m2 / 1e6))
        })
        .enumerate()
        .map(|(k, (x_m, y_m, weight))| DemandPoint {
            id: k.to_string(),
            x_m,
            y_m,
            weight,
        })
        .collect();
    let bounds = region.projected_bounds();
    let lattice = |lo: f64, hi: f64| {
        let first = (lo / spacing_m).ceil() as i64;
        let last = (hi / spacing_m).floor() as i64;
        (first..=last).map(move |k| k as f64 * spacing_m)
    };
    let mut candidates = Vec::new();
    for y in lattice(bounds.min().y, bounds.max().y) {
        for x in lattice(bounds.min().x, bounds.max().x) {
            // The cell names the counties to test; the test is against the whole county (points on 10 km grid
            // lines lie on the clipped pieces' edges), boundary included so that points on a border between
            // two counties count.
            let point = Point::new(x, y);
            let on_land = grid.cell_at(x, y).is_some_and(|cell| {
                cell.parts
                    .iter()
                    .any(|p| region.counties[p.county].shape.intersects(&point))
            });
            if on_land {
                candidates.push(Candidate {
                    id: candidates.len().to_string(),
                    x_m: x,
                    y_m: y,
                });
            }
        }
    }
    GridInstance { demand, candidates }
}

/// Writes `demand.csv` and `candidates.csv` into `dir`, in the shared instances' format.
pub fn write_csv(instance: &GridInstance, dir: &Path) -> std::io::Result<()> {
    use std::fmt::Write as _;
    std::fs::create_dir_all(dir)?;
    let mut text = String::from("id,x_m,y_m,weight\n");
    for d in &instance.demand {
        let _ = writeln!(text, "{},{:.3},{:.3},{:.6}", d.id, d.x_m, d.y_m, d.weight);
    }
    std::fs::write(dir.join("demand.csv"), text)?;
    let mut text = String::from("id,x_m,y_m\n");
    for c in &instance.candidates {
        let _ = writeln!(text, "{},{:.3},{:.3}", c.id, c.x_m, c.y_m);
    }
    std::fs::write(dir.join("candidates.csv"), text)
}
