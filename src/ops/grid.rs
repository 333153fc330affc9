//! `wxmod grid`: lay planning grids over the counties and say which cells require a point.
//!
//! Without sizes the policy's two grids are laid (15 km and 10 km, [`crate::policy::SHANXI`]);
//! with `zones` a grid requires points by its share of priority-zone land instead of land.

use std::fmt;

use serde::Serialize;

use crate::grid::{CountyGridSummary, Grid, GridRule, GridSpec};
use crate::project::Project;
use crate::report;
use crate::units::Metres;

use super::Outcome;
use super::limits::{self, LimitError};

/// How to lay the grids.
#[derive(Debug, Clone)]
pub struct GridOptions {
    /// Cell sizes; empty for the policy's 15 km and 10 km.
    pub sizes: Vec<Metres>,
    /// Require points by priority-zone land (the project's zone layer) instead of land.
    pub by_zone_land: bool,
    /// Share of a full cell from which a cell requires a point.
    pub min_share: f64,
    /// Grid origin in the projected CRS, metres.
    pub origin: (f64, f64),
    /// Largest number of cells a grid may have.
    pub max_cells: u64,
}

impl Default for GridOptions {
    fn default() -> Self {
        GridOptions {
            sizes: Vec::new(),
            by_zone_land: false,
            min_share: crate::policy::SHANXI.min_cell_share.value,
            origin: (0.0, 0.0),
            max_cells: limits::DEFAULT_MAX_CELLS,
        }
    }
}

/// A grid that cannot be laid.
#[derive(Debug, thiserror::Error)]
pub enum GridError {
    /// A size, origin or share out of range, or a grid with too many cells.
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// Zone land was asked for, but the region has no zone layer.
    #[error("the region {region} has no priority-zone layer; give --zones FILE")]
    NoZones {
        /// The region's name.
        region: String,
    },
}

/// One grid's figures.
#[derive(Debug, Clone, Serialize)]
pub struct GridFigures {
    /// Cell size, metres.
    pub size_m: f64,
    /// Which share decides that a cell requires a point.
    pub rule: GridRule,
    /// The share.
    pub min_cell_share: f64,
    /// Cells with any land in the region.
    pub cells_touching: usize,
    /// Cells that require a point.
    pub cells_requiring_point: usize,
    /// Land of all clipped cells, km².
    pub clipped_area_km2: f64,
    /// Per county.
    pub counties: Vec<CountyGridSummary>,
}

/// What `wxmod grid` reports.
#[derive(Debug, Clone, Serialize)]
pub struct GridSummary {
    /// The region's name.
    pub region: String,
    /// The projected CRS.
    pub crs: String,
    /// Land area in the projected CRS, km².
    pub region_area_km2: f64,
    /// Land area on the ellipsoid, km².
    pub geodesic_area_km2: f64,
    /// Counties.
    #[serde(skip)]
    pub counties: usize,
    /// One entry per grid.
    pub grids: Vec<GridFigures>,
}

impl fmt::Display for GridSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: {} counties, {:.1} km² in {} ({:.1} km² geodesic)",
            self.region, self.counties, self.region_area_km2, self.crs, self.geodesic_area_km2
        )?;
        for g in &self.grids {
            let rule = match g.rule {
                GridRule::ZoneShare => "priority-zone share",
                GridRule::RegionShare => "land share",
            };
            writeln!(
                f,
                "{} km grid: {} cells touch the region, {} require a point ({rule} >= {})",
                g.size_m / 1000.0,
                g.cells_touching,
                g.cells_requiring_point,
                g.min_cell_share
            )?;
        }
        Ok(())
    }
}

/// Lays every grid; the files are `grid_<size>[_priority].geojson` and `..._counties.csv`.
pub fn grid(project: &Project, options: &GridOptions) -> Result<Outcome<GridSummary>, GridError> {
    let region = &project.region;
    let zones = if options.by_zone_land {
        Some(
            project
                .layers
                .zones
                .as_ref()
                .ok_or_else(|| GridError::NoZones {
                    region: region.name.clone(),
                })?,
        )
    } else {
        None
    };
    let policy = crate::policy::SHANXI;
    let sizes = if options.sizes.is_empty() {
        vec![
            Metres(policy.base_cell_m.value),
            Metres(policy.priority_cell_m.value),
        ]
    } else {
        options.sizes.clone()
    };
    limits::GRID_ORIGIN.check(options.origin.0)?;
    limits::GRID_ORIGIN.check(options.origin.1)?;
    limits::MIN_SHARE.check(options.min_share)?;
    for size in &sizes {
        limits::GRID_SIZE.check(size.0)?;
        limits::check_cells(region, size.0, options.max_cells)?;
    }
    let mut files = Vec::new();
    let mut grids = Vec::new();
    for size in sizes {
        let spec = GridSpec {
            cell_size_m: size.0,
            origin_x: options.origin.0,
            origin_y: options.origin.1,
            min_cell_share: options.min_share,
        };
        let grid = Grid::build(region, &spec, project.layers.dem.as_ref(), zones);
        let stem = format!(
            "grid_{}{}",
            size.to_string().replace(' ', ""),
            if zones.is_some() { "_priority" } else { "" }
        );
        files.extend(report::grid_files(&stem, &grid, region));
        grids.push(GridFigures {
            size_m: size.0,
            rule: grid.rule,
            min_cell_share: spec.min_cell_share,
            cells_touching: grid.cells.len(),
            cells_requiring_point: grid.required_cells().count(),
            clipped_area_km2: grid.cells.iter().map(|c| c.area_m2).sum::<f64>() / 1e6,
            counties: grid.county_summaries(region),
        });
    }
    Ok(Outcome {
        files,
        summary: GridSummary {
            region: region.name.clone(),
            crs: region.projection.spec().to_string(),
            region_area_km2: region.projected_area_m2() / 1e6,
            geodesic_area_km2: region.geodesic_area_m2() / 1e6,
            counties: region.counties.len(),
            grids,
        },
    })
}
