//! The region's land as weighted sample points for coverage shares: one point per DEM cell
//! whose centre lies in a county, weighted by the cell's area on the WGS84 ellipsoid.
//!
//! Each point carries its DEM elevation, projected position, county, the priority-zone kinds
//! it lies in and the required cell of the base grid (15 km) it falls in, so that one covered
//! flag per point gives every share the issue asks for: region, county, zone kind, required
//! cells. With the bundled 30″ DEM a point stands for about 0.66 km² (about 16,000 points for
//! Shuozhou); the sum of the weights is within about 0.5 % of the geodesic area of the counties.
//! Cost: one bounding-box test per DEM cell and county, one point-in-polygon test per cell
//! inside a box, one projection per point.

use geo::{BoundingRect, Contains, Point};

use super::RadarError;
use crate::grid::{Grid, GridSpec};
use crate::region::Region;
use crate::terrain::{Dem, metres_per_degree};
use crate::zones::{ZoneKind, ZoneLayer};

/// Spacing of the base grid whose required cells coverage is reported for, metres (15 km, DOMAIN.md §2.1).
pub const BASE_GRID_M: f64 = 15_000.0;

/// One land sample point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LandPoint {
    /// Longitude, degrees.
    pub lon: f64,
    /// Latitude, degrees.
    pub lat: f64,
    /// Projected easting, metres.
    pub x: f64,
    /// Projected northing, metres.
    pub y: f64,
    /// Ground elevation (the DEM cell), metres a.s.l.
    pub z: f64,
    /// Area the point stands for, km².
    pub area_km2: f64,
    /// Index of its county in the region.
    pub county: usize,
    /// Bit `i` set when the point lies in a zone of kind `ZoneKind::ALL[i]`.
    pub zones: u8,
    /// Index into [`LandSet::required_cells`] of the required base-grid cell it lies in.
    pub cell: Option<usize>,
}

/// The region's land points.
#[derive(Debug, Clone)]
pub struct LandSet {
    /// The points, row by row of the DEM.
    pub points: Vec<LandPoint>,
    /// County names, in region order.
    pub counties: Vec<String>,
    /// Zone kinds present in the zone layer (empty without one).
    pub zone_kinds: Vec<ZoneKind>,
    /// Whether the zone layer was derived (`wxmod zones derive`) rather than official.
    pub zones_derived: Option<bool>,
    /// Ids `col,row` of the required base-grid cells that hold land points.
    pub required_cells: Vec<String>,
    /// Area of the DEM cell size, km², at the region's mean latitude (for messages).
    pub cell_km2: f64,
    /// The points by square tiles of the projected plane.
    tiles: Tiles,
}

/// Side of the tiles of [`Tiles`], metres.
const TILE_M: f64 = 5_000.0;

/// Point indices bucketed by square tiles of the projected plane (a counting sort by tile,
/// ascending index within a tile), so that the points in a box are found by visiting the
/// tiles it touches instead of every point. Cost: O(points) to build.
#[derive(Debug, Clone, Default)]
struct Tiles {
    x0: f64,
    y0: f64,
    cols: usize,
    rows: usize,
    /// `starts[t]..starts[t + 1]` index `order` for tile `t = row * cols + col`.
    starts: Vec<usize>,
    order: Vec<usize>,
}

impl Tiles {
    fn build(points: &[LandPoint]) -> Tiles {
        let fold = |f: fn(f64, f64) -> f64, init: f64, pick: fn(&LandPoint) -> f64| {
            points.iter().map(pick).fold(init, f)
        };
        let (x0, y0) = (
            fold(f64::min, f64::INFINITY, |p| p.x),
            fold(f64::min, f64::INFINITY, |p| p.y),
        );
        let (x1, y1) = (
            fold(f64::max, f64::NEG_INFINITY, |p| p.x),
            fold(f64::max, f64::NEG_INFINITY, |p| p.y),
        );
        if points.is_empty() || !(x1 - x0).is_finite() || !(y1 - y0).is_finite() {
            return Tiles::default();
        }
        let cols = ((x1 - x0) / TILE_M) as usize + 1;
        let rows = ((y1 - y0) / TILE_M) as usize + 1;
        let mut tiles = Tiles {
            x0,
            y0,
            cols,
            rows,
            starts: vec![0; cols * rows + 1],
            order: vec![0; points.len()],
        };
        let tile_of: Vec<usize> = points.iter().map(|p| tiles.tile_of(p.x, p.y)).collect();
        for &t in &tile_of {
            tiles.starts[t + 1] += 1;
        }
        for t in 0..cols * rows {
            tiles.starts[t + 1] += tiles.starts[t];
        }
        let mut next = tiles.starts.clone();
        for (i, &t) in tile_of.iter().enumerate() {
            tiles.order[next[t]] = i;
            next[t] += 1;
        }
        tiles
    }

    fn col_of(&self, x: f64) -> usize {
        (((x - self.x0) / TILE_M).max(0.0) as usize).min(self.cols.saturating_sub(1))
    }

    fn row_of(&self, y: f64) -> usize {
        (((y - self.y0) / TILE_M).max(0.0) as usize).min(self.rows.saturating_sub(1))
    }

    fn tile_of(&self, x: f64, y: f64) -> usize {
        self.row_of(y) * self.cols + self.col_of(x)
    }
}

/// One located DEM cell of a row: off the DEM (its area), or a land point with its base cell.
enum RowItem {
    Missing(f64),
    Land(LandPoint, Option<crate::grid::CellId>),
}

impl LandSet {
    /// Indices of every point within the projected box `x0..=x1`, `y0..=y1` and perhaps some
    /// near it (those in the tiles the box touches), each once, tile by tile.
    pub fn near_box(
        &self,
        (x0, y0): (f64, f64),
        (x1, y1): (f64, f64),
    ) -> impl Iterator<Item = usize> + '_ {
        let t = &self.tiles;
        let empty = t.cols == 0 || !(x0 <= x1 && y0 <= y1);
        let (c0, c1, r0, r1) = if empty {
            (1, 0, 1, 0)
        } else {
            (t.col_of(x0), t.col_of(x1), t.row_of(y0), t.row_of(y1))
        };
        (r0..=r1).flat_map(move |r| {
            let (a, b) = (t.starts[r * t.cols + c0], t.starts[r * t.cols + c1 + 1]);
            t.order[a..b].iter().copied()
        })
    }
}

impl LandSet {
    /// The land points of a region on a DEM, with zones when given.
    ///
    /// # Errors
    /// [`RadarError::DemMissesRegion`] when DEM cells with no data or the DEM's edge leave
    /// part of the region without elevation (the message says how many km²).
    pub fn build(
        region: &Region,
        dem: &Dem,
        dem_name: &str,
        zones: Option<&ZoneLayer>,
    ) -> Result<LandSet, RadarError> {
        let (ncols, nrows) = dem.shape();
        let cs = dem.cellsize();
        let boxes: Vec<_> = region
            .counties
            .iter()
            .map(|c| c.lonlat.bounding_rect())
            .collect();
        let zone_boxes: Vec<_> = zones
            .map(|z| {
                z.zones
                    .iter()
                    .map(|zone| (zone, zone.lonlat.bounding_rect()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let grid = Grid::build(region, &GridSpec::new(BASE_GRID_M), None, None);
        let mut cell_index = std::collections::HashMap::new();
        let mut required_cells = Vec::new();
        let mut points = Vec::new();
        let mut missing_km2 = 0.0;
        let mut total_km2 = 0.0;
        let (west, north) = {
            let (lon, lat) = dem.cell_centre(0, 0);
            (lon - cs / 2.0, lat + cs / 2.0)
        };
        // The DEM's lattice extended over the region's box: cells off the DEM count as missing.
        let region_box =
            boxes
                .iter()
                .flatten()
                .fold(None, |acc: Option<(f64, f64, f64, f64)>, b| {
                    let (x0, y0, x1, y1) = (b.min().x, b.min().y, b.max().x, b.max().y);
                    Some(match acc {
                        None => (x0, y0, x1, y1),
                        Some((a0, b0, a1, b1)) => (a0.min(x0), b0.min(y0), a1.max(x1), b1.max(y1)),
                    })
                });
        let (c0, c1, r0, r1) = match region_box {
            Some((x0, y0, x1, y1)) => (
                (((x0 - west) / cs).floor() as i64).min(0),
                (((x1 - west) / cs).ceil() as i64).max(ncols as i64),
                (((north - y1) / cs).floor() as i64).min(0),
                (((north - y0) / cs).ceil() as i64).max(nrows as i64),
            ),
            None => (0, ncols as i64, 0, nrows as i64),
        };
        // Rows are located in parallel; the fold below keeps the row-major order of the points,
        // the sums and the required cells' numbering, so the result does not depend on it.
        let rows: Vec<i64> = (r0..r1).collect();
        let located = crate::parallel::map_in_order(&rows, 2, |&row| {
            let mut items: Vec<RowItem> = Vec::new();
            for col in c0..c1 {
                let lon = west + (col as f64 + 0.5) * cs;
                let lat = north - (row as f64 + 0.5) * cs;
                let p = Point::new(lon, lat);
                let Some(county) = region.counties.iter().enumerate().position(|(i, c)| {
                    boxes[i].is_some_and(|b| {
                        lon >= b.min().x && lon <= b.max().x && lat >= b.min().y && lat <= b.max().y
                    }) && c.lonlat.contains(&p)
                }) else {
                    continue;
                };
                let (mx, my) = metres_per_degree(lat);
                let area_km2 = mx * my * cs * cs / 1e6;
                let on_dem = col >= 0 && row >= 0;
                let value = on_dem
                    .then(|| dem.cell_value(col as usize, row as usize))
                    .flatten();
                let Some(z) = value else {
                    items.push(RowItem::Missing(area_km2));
                    continue;
                };
                let (x, y) =
                    region
                        .projection
                        .forward(lon, lat)
                        .map_err(|e| RadarError::Project {
                            what: format!("land point ({lon:.5}, {lat:.5})"),
                            reason: e.to_string(),
                        })?;
                let mut mask = 0u8;
                for (zone, b) in &zone_boxes {
                    let inside_box = b.is_some_and(|b| {
                        lon >= b.min().x && lon <= b.max().x && lat >= b.min().y && lat <= b.max().y
                    });
                    if inside_box && zone.lonlat.contains(&p) {
                        if let Some(i) = ZoneKind::ALL.iter().position(|k| *k == zone.kind) {
                            mask |= 1 << i;
                        }
                    }
                }
                let cell = grid
                    .cell_at(x, y)
                    .filter(|c| c.requires_point)
                    .map(|c| c.id);
                items.push(RowItem::Land(
                    LandPoint {
                        lon,
                        lat,
                        x,
                        y,
                        z,
                        area_km2,
                        county,
                        zones: mask,
                        cell: None,
                    },
                    cell,
                ));
            }
            Ok::<_, RadarError>(items)
        });
        for items in located {
            for item in items? {
                match item {
                    RowItem::Missing(area_km2) => {
                        total_km2 += area_km2;
                        missing_km2 += area_km2;
                    }
                    RowItem::Land(mut point, cell) => {
                        total_km2 += point.area_km2;
                        point.cell = cell.map(|id| {
                            *cell_index.entry(id).or_insert_with(|| {
                                required_cells.push(format!("{},{}", id.col, id.row));
                                required_cells.len() - 1
                            })
                        });
                        points.push(point);
                    }
                }
            }
        }
        if points.is_empty() || missing_km2 > 0.0 {
            return Err(RadarError::DemMissesRegion {
                dem: dem_name.to_string(),
                missing_km2,
                region_km2: total_km2,
            });
        }
        let zone_kinds = ZoneKind::ALL
            .into_iter()
            .enumerate()
            .filter(|(i, _)| points.iter().any(|p| p.zones & (1 << i) != 0))
            .map(|(_, k)| k)
            .collect();
        let tiles = Tiles::build(&points);
        let mid_lat = points.iter().map(|p| p.lat).sum::<f64>() / points.len() as f64;
        let (mx, my) = metres_per_degree(mid_lat);
        Ok(LandSet {
            points,
            counties: region.counties.iter().map(|c| c.name.clone()).collect(),
            zone_kinds,
            zones_derived: zones.map(|z| z.derived),
            required_cells,
            cell_km2: mx * my * cs * cs / 1e6,
            tiles,
        })
    }

    /// Total land area, km².
    pub fn total_km2(&self) -> f64 {
        self.points.iter().map(|p| p.area_km2).sum()
    }
}
