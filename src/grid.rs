//! The square planning grids (15 km base grid, 10 km priority grid; 网格化布局) laid over the
//! projected counties, each cell clipped to every county it touches.
//!
//! Grid lines sit at integer multiples of the cell size from a configurable origin (default
//! 0,0) in the region's projected CRS, so a cell is the half-open square
//! [x0, x0+s) x [y0, y0+s) and its id is (column, row) = (floor((x-ox)/s), floor((y-oy)/s)).
//!
//! Clipping, per county: the county's boundary segments are walked row by row to mark the cells
//! an edge crosses; the county is cut once per row into a strip piece, and only the marked cells
//! are intersected with that strip piece (geo `BooleanOps`). Unmarked cells are whole: inside or
//! outside, decided by one point-in-polygon test per run of unmarked cells. Cost: about
//! O(V + E·k) per county for V vertices and E edge cells of k strip vertices, instead of
//! clipping every bounding-box cell against the whole county.
//!
//! A cell requires a standardized point (需要布设标准化作业点) when its share of a full cell
//! is at least `min_cell_share` (default 0.2): on the base grid the share of land inside the
//! region, on a priority grid the share of priority-zone land (see [`crate::zones`]).

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use geo::algorithm::bool_ops::FillRule;
use geo::orient::{Direction, Orient};
use geo::{
    Area, BooleanOps, BoundingRect, Contains, Coord, LineString, MultiPolygon, OpType, Point,
    Polygon, Rect,
};

use crate::region::Region;
use crate::terrain::Dem;

/// Default share of a full cell above which a cell requires a point \[A\].
pub const DEFAULT_MIN_CELL_SHARE: f64 = 0.2;

/// How a grid is laid: cell size, origin and the share rule.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GridSpec {
    /// Cell side in metres (15,000 for the base grid, 10,000 for the priority grid).
    pub cell_size_m: f64,
    /// Easting of a grid line, metres.
    pub origin_x: f64,
    /// Northing of a grid line, metres.
    pub origin_y: f64,
    /// A cell requires a point when its share of a full cell reaches this value.
    pub min_cell_share: f64,
}

impl GridSpec {
    /// A grid of this cell size with origin 0,0 and the default share rule.
    pub fn new(cell_size_m: f64) -> GridSpec {
        GridSpec {
            cell_size_m,
            origin_x: 0.0,
            origin_y: 0.0,
            min_cell_share: DEFAULT_MIN_CELL_SHARE,
        }
    }

    /// The cell containing a projected point (half-open cells).
    ///
    /// # Examples
    /// ```
    /// use wxmod::grid::{CellId, GridSpec};
    /// let grid = GridSpec::new(15_000.0);
    /// assert_eq!(grid.cell_of(15_000.0, -1.0), CellId { col: 1, row: -1 });
    /// ```
    pub fn cell_of(&self, x: f64, y: f64) -> CellId {
        CellId {
            col: self.col_of(x),
            row: self.row_of(y),
        }
    }

    fn col_of(&self, x: f64) -> i64 {
        ((x - self.origin_x) / self.cell_size_m).floor() as i64
    }

    fn row_of(&self, y: f64) -> i64 {
        ((y - self.origin_y) / self.cell_size_m).floor() as i64
    }

    /// The square of a cell in projected metres.
    pub fn cell_rect(&self, id: CellId) -> Rect<f64> {
        let x0 = self.origin_x + id.col as f64 * self.cell_size_m;
        let y0 = self.origin_y + id.row as f64 * self.cell_size_m;
        Rect::new(
            Coord { x: x0, y: y0 },
            Coord {
                x: x0 + self.cell_size_m,
                y: y0 + self.cell_size_m,
            },
        )
    }

    /// The area of a full cell, square metres.
    pub fn cell_area_m2(&self) -> f64 {
        self.cell_size_m * self.cell_size_m
    }
}

/// A cell's position in its grid: column and row counted from the grid origin.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct CellId {
    /// Column: floor((x - origin_x) / size).
    pub col: i64,
    /// Row: floor((y - origin_y) / size).
    pub row: i64,
}

impl fmt::Display for CellId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "c{}r{}", self.col, self.row)
    }
}

/// The part of a cell inside one county.
#[derive(Debug, Clone)]
pub struct CountyPart {
    /// Index of the county in [`Region::counties`].
    pub county: usize,
    /// Area of the part, square metres.
    pub area_m2: f64,
    /// The part, projected metres.
    pub shape: MultiPolygon<f64>,
}

/// Elevation statistics of a cell's land, metres.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ElevationStats {
    /// Lowest DEM sample.
    pub min: f64,
    /// Mean of the DEM samples.
    pub mean: f64,
    /// Highest DEM sample.
    pub max: f64,
}

/// Priority-zone land within a cell.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct ZoneCover {
    /// Area of the union of all priority zones in the cell, square metres.
    pub area_m2: f64,
    /// Area per zone kind (kinds may overlap), square metres, by kind name.
    pub by_kind: BTreeMap<String, f64>,
}

/// One grid cell clipped to the region.
#[derive(Debug, Clone)]
pub struct Cell {
    /// Column and row.
    pub id: CellId,
    /// The full square, projected metres.
    pub square: Rect<f64>,
    /// The pieces of the cell inside each county, largest first.
    pub parts: Vec<CountyPart>,
    /// Land inside the region, square metres.
    pub area_m2: f64,
    /// `area_m2` as a share of a full cell (0..=1).
    pub share: f64,
    /// Index of the county holding most of the cell's land.
    pub majority_county: usize,
    /// Elevation of the cell's land, where the DEM covers it.
    pub elevation: Option<ElevationStats>,
    /// Priority-zone land in the cell (priority grids only).
    pub zones: Option<ZoneCover>,
    /// Whether the policy requires a standardized point in this cell.
    pub requires_point: bool,
}

impl Cell {
    /// The share of a full cell that is priority-zone land (0 when the grid has no zones).
    pub fn zone_share(&self) -> f64 {
        self.zones
            .as_ref()
            .map_or(0.0, |z| z.area_m2 / self.square.unsigned_area())
    }

    /// The cell's land as one multipolygon (all county parts), projected metres.
    pub fn land(&self) -> MultiPolygon<f64> {
        MultiPolygon(
            self.parts
                .iter()
                .flat_map(|p| p.shape.0.iter().cloned())
                .collect(),
        )
    }

    /// The cell's land as a clean multipolygon (county parts merged, clipping bridges removed),
    /// for maps and GIS output.
    pub fn clean_land(&self) -> MultiPolygon<f64> {
        if self.parts.len() == 1 && self.share >= 1.0 - 1e-12 {
            return self.parts[0].shape.clone();
        }
        clean(&self.land())
    }

    /// Whether a projected point lies on the cell's land.
    pub fn land_contains(&self, x: f64, y: f64) -> bool {
        let p = Point::new(x, y);
        self.parts.iter().any(|part| part.shape.contains(&p))
    }
}

/// Which rule decides that a cell requires a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GridRule {
    /// Base grid (15 km): share of region land >= min share.
    RegionShare,
    /// Priority grid (10 km): share of priority-zone land >= min share.
    ZoneShare,
}

/// A grid over a region: every cell that touches a county, ordered by row then column.
#[derive(Debug, Clone)]
pub struct Grid {
    /// How the grid is laid.
    pub spec: GridSpec,
    /// The rule used for `requires_point`.
    pub rule: GridRule,
    /// The cells with land, ordered by (row, col).
    pub cells: Vec<Cell>,
    index: std::collections::HashMap<CellId, usize>,
}

/// Per-county counts of a grid.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CountyGridSummary {
    /// County id.
    pub county_id: String,
    /// County name.
    pub county_name: String,
    /// Cells with any land in the county.
    pub cells_touching: usize,
    /// Cells requiring a point whose majority county is this one.
    pub cells_requiring_point: usize,
    /// County area in the projected CRS, km².
    pub area_km2: f64,
}

impl Grid {
    /// Lays a grid over the region and clips it to every county; with a DEM, computes elevation
    /// statistics; with the priority-zone land of each cell (`zone_cover`, from
    /// [`crate::zones::ZoneLayer::cover_by_cell`]), applies the zone rule. `Grid::build` (in
    /// [`crate::zones`]) measures the zones itself.
    pub fn build_with_cover(
        region: &Region,
        spec: &GridSpec,
        dem: Option<&Dem>,
        zone_cover: Option<HashMap<CellId, ZoneCover>>,
    ) -> Grid {
        let mut parts: BTreeMap<(i64, i64), Vec<CountyPart>> = BTreeMap::new();
        for (county_index, county) in region.counties.iter().enumerate() {
            for (id, shape, area_m2) in clip_to_grid(&county.shape, spec) {
                parts.entry((id.row, id.col)).or_default().push(CountyPart {
                    county: county_index,
                    area_m2,
                    shape,
                });
            }
        }
        let full = spec.cell_area_m2();
        let mut cells: Vec<Cell> = parts
            .into_iter()
            .map(|((row, col), mut parts)| {
                parts.sort_by(|a, b| {
                    b.area_m2
                        .total_cmp(&a.area_m2)
                        .then(a.county.cmp(&b.county))
                });
                let id = CellId { col, row };
                let area_m2: f64 = parts.iter().map(|p| p.area_m2).sum();
                let zones = zone_cover
                    .as_ref()
                    .map(|cover| cover.get(&id).cloned().unwrap_or_default());
                let share = area_m2 / full;
                let requires_point = match &zones {
                    None => share >= spec.min_cell_share,
                    Some(z) => z.area_m2 / full >= spec.min_cell_share,
                };
                Cell {
                    id,
                    square: spec.cell_rect(id),
                    majority_county: parts[0].county,
                    parts,
                    area_m2,
                    share,
                    elevation: None,
                    zones,
                    requires_point,
                }
            })
            .collect();
        if let Some(dem) = dem {
            attach_elevation(&mut cells, spec, region, dem);
        }
        let index = cells.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
        let rule = if zone_cover.is_some() {
            GridRule::ZoneShare
        } else {
            GridRule::RegionShare
        };
        Grid {
            spec: *spec,
            rule,
            cells,
            index,
        }
    }

    /// The cell with this id, if it has land.
    pub fn cell(&self, id: CellId) -> Option<&Cell> {
        self.index.get(&id).map(|&i| &self.cells[i])
    }

    /// The cell whose land holds a projected point (half-open cells: a point on a grid line
    /// belongs to the cell to its east or north).
    pub fn cell_at(&self, x: f64, y: f64) -> Option<&Cell> {
        self.cell(self.spec.cell_of(x, y))
    }

    /// Cells that require a point.
    pub fn required_cells(&self) -> impl Iterator<Item = &Cell> {
        self.cells.iter().filter(|c| c.requires_point)
    }

    /// Per-county counts, in region order.
    pub fn county_summaries(&self, region: &Region) -> Vec<CountyGridSummary> {
        let mut touching = vec![0usize; region.counties.len()];
        let mut requiring = vec![0usize; region.counties.len()];
        for cell in &self.cells {
            let mut seen: Vec<usize> = cell.parts.iter().map(|p| p.county).collect();
            seen.sort_unstable();
            seen.dedup();
            seen.into_iter().for_each(|i| touching[i] += 1);
            if cell.requires_point {
                requiring[cell.majority_county] += 1;
            }
        }
        region
            .counties
            .iter()
            .enumerate()
            .map(|(i, county)| CountyGridSummary {
                county_id: county.id.clone(),
                county_name: county.name.clone(),
                cells_touching: touching[i],
                cells_requiring_point: requiring[i],
                area_km2: county.projected_area_m2() / 1e6,
            })
            .collect()
    }
}

/// Clips one projected (multi)polygon to a grid: every cell with land, its piece and the
/// piece's area in square metres, ordered by row then column.
///
/// Pieces come from Sutherland–Hodgman clipping, which is exact for areas but may join the
/// parts of a concave piece by zero-width bridges along the cell's border; [`clean`] turns a
/// piece into a tidy multipolygon where that matters (maps, GIS output).
pub fn clip_to_grid(
    shape: &MultiPolygon<f64>,
    spec: &GridSpec,
) -> Vec<(CellId, MultiPolygon<f64>, f64)> {
    let Some(bbox) = shape.bounding_rect() else {
        return Vec::new();
    };
    // Pieces keep the rings' orientation and grouping, and their areas and every later clip
    // rely on both: each hole under its own exterior, exteriors counter-clockwise, holes
    // clockwise, whatever the input had.
    let normal = normalise_rings(shape);
    let shape = &normal;
    let (col0, col1) = (spec.col_of(bbox.min().x), spec.col_of(bbox.max().x));
    let (row0, row1) = (spec.row_of(bbox.min().y), spec.row_of(bbox.max().y));
    let edge_cols = edge_cells_by_row(shape, spec, row0, row1);
    let full = spec.cell_area_m2();
    // Pieces smaller than a square millimetre are rounding noise of the clipping.
    let min_area = 1e-6;
    let mut out = Vec::new();
    for (row_offset, edges) in edge_cols.iter().enumerate() {
        let row = row0 + row_offset as i64;
        let y0 = spec.origin_y + row as f64 * spec.cell_size_m;
        let strip_piece =
            (!edges.is_empty()).then(|| clip_to_band(shape, Axis::Y, y0, y0 + spec.cell_size_m));
        let inside_test: &MultiPolygon<f64> = strip_piece.as_ref().unwrap_or(shape);
        let mut edge_iter = edges.iter().peekable();
        let mut run_inside: Option<bool> = None;
        for col in col0..=col1 {
            let id = CellId { col, row };
            if edge_iter.peek() == Some(&&col) {
                edge_iter.next();
                run_inside = None;
                let x0 = spec.origin_x + col as f64 * spec.cell_size_m;
                let piece = clip_to_band(inside_test, Axis::X, x0, x0 + spec.cell_size_m);
                let area = piece.signed_area();
                if area > min_area {
                    out.push((id, piece, area));
                }
                continue;
            }
            let inside = *run_inside.get_or_insert_with(|| {
                let centre = spec.cell_rect(id).center();
                inside_test.contains(&Point::from(centre))
            });
            if inside {
                out.push((
                    id,
                    MultiPolygon(vec![spec.cell_rect(id).to_polygon()]),
                    full,
                ));
            }
        }
    }
    out
}

/// A multipolygon with every hole under the smallest exterior that holds it, exteriors
/// counter-clockwise and holes clockwise; a hole no exterior holds is dropped.
///
/// geo's boolean operations can return a hole wound like an exterior, or under another
/// exterior than the one around it (seen on the derived Shuozhou pasture zones: two holes of
/// cell c60r440 came back under a small island 20 km away, so clipping dropped them and the
/// cell counted 96.00 km² of zone land instead of 94.02). Cost: one point-in-polygon test per
/// hole and exterior whose box holds it.
///
/// # Examples
/// ```
/// use geo::{Area, LineString, MultiPolygon, Polygon};
/// let square = |x0: f64, s: f64| LineString::from(vec![(x0, 0.0), (x0 + s, 0.0), (x0 + s, s), (x0, s), (x0, 0.0)]);
/// // The hole of the big square was handed to the small one.
/// let wrong = MultiPolygon(vec![
///     Polygon::new(square(0.0, 10.0), vec![]),
///     Polygon::new(square(20.0, 1.0), vec![square(2.0, 2.0)]),
/// ]);
/// let right = wxmod::grid::normalise_rings(&wrong);
/// assert_eq!(right.unsigned_area(), 100.0 - 4.0 + 1.0);
/// assert_eq!(right.0[0].interiors().len(), 1);
/// ```
pub fn normalise_rings(shape: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    use geo::InteriorPoint;
    let holes: Vec<&LineString<f64>> = shape.0.iter().flat_map(|p| p.interiors()).collect();
    if holes.is_empty() {
        return shape.orient(Direction::Default);
    }
    let exteriors: Vec<Polygon<f64>> = shape
        .0
        .iter()
        .map(|p| Polygon::new(p.exterior().clone(), Vec::new()))
        .collect();
    let areas: Vec<f64> = exteriors.iter().map(|p| p.unsigned_area()).collect();
    let boxes: Vec<Option<Rect<f64>>> = exteriors.iter().map(|p| p.bounding_rect()).collect();
    let mut owned: Vec<Vec<LineString<f64>>> = vec![Vec::new(); exteriors.len()];
    for hole in holes {
        let ring = Polygon::new(hole.clone(), Vec::new());
        let (Some(probe), size) = (ring.interior_point(), ring.unsigned_area()) else {
            continue;
        };
        // An exterior that holds a hole is larger than it; an island inside the hole is not.
        let owner = (0..exteriors.len())
            .filter(|&i| areas[i] > size)
            .filter(|&i| boxes[i].is_some_and(|b| b.contains(&probe.0)))
            .filter(|&i| exteriors[i].contains(&probe))
            .min_by(|&a, &b| areas[a].total_cmp(&areas[b]));
        if let Some(i) = owner {
            owned[i].push(hole.clone());
        }
    }
    MultiPolygon(
        exteriors
            .into_iter()
            .zip(owned)
            .map(|(p, holes)| Polygon::new(p.exterior().clone(), holes))
            .collect(),
    )
    .orient(Direction::Default)
}

/// A clipped piece as a clean multipolygon: zero-width bridges removed, parts merged
/// (geo `BooleanOps` union under the non-zero winding rule, so that a piece's holes, wound
/// against its exterior, stay holes and a bridge's two sides cancel; geo's `unary_union` guesses
/// the rule from the first ring's winding, which a bridged ring can defeat, leaving nothing).
pub fn clean(piece: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    piece.boolean_op_with_fill_rule(
        &MultiPolygon::<f64>::new(Vec::new()),
        OpType::Union,
        FillRule::NonZero,
    )
}

#[derive(Clone, Copy)]
enum Axis {
    X,
    Y,
}

/// Sutherland–Hodgman clipping of every ring to the band lo <= coordinate <= hi on one axis.
/// Ring orientation is kept, so signed areas (exterior positive, holes negative) stay exact.
fn clip_to_band(shape: &MultiPolygon<f64>, axis: Axis, lo: f64, hi: f64) -> MultiPolygon<f64> {
    let value = |c: &Coord<f64>| match axis {
        Axis::X => c.x,
        Axis::Y => c.y,
    };
    let mut polygons = Vec::new();
    for polygon in &shape.0 {
        let Some(rect) = polygon.bounding_rect() else {
            continue;
        };
        let (min, max) = match axis {
            Axis::X => (rect.min().x, rect.max().x),
            Axis::Y => (rect.min().y, rect.max().y),
        };
        if max <= lo || min >= hi {
            continue;
        }
        let clip = |ring: &LineString<f64>| -> Option<LineString<f64>> {
            let coords = &ring.0[..ring.0.len().saturating_sub(1)];
            let lower = clip_half_plane(coords, |c| value(c) - lo, axis, lo);
            let both = clip_half_plane(&lower, |c| hi - value(c), axis, hi);
            (both.len() >= 3).then(|| LineString::from(both))
        };
        let Some(exterior) = clip(polygon.exterior()) else {
            continue;
        };
        let interiors = polygon.interiors().iter().filter_map(clip).collect();
        polygons.push(Polygon::new(exterior, interiors));
    }
    MultiPolygon(polygons)
}

/// Keeps the part of an open ring where `side(c) >= 0`, inserting crossing points that lie
/// exactly on the line `axis = at`.
fn clip_half_plane(
    ring: &[Coord<f64>],
    side: impl Fn(&Coord<f64>) -> f64,
    axis: Axis,
    at: f64,
) -> Vec<Coord<f64>> {
    let mut out = Vec::with_capacity(ring.len() + 4);
    let Some(mut prev) = ring.last().copied() else {
        return out;
    };
    let mut prev_side = side(&prev);
    for &cur in ring {
        let cur_side = side(&cur);
        if (cur_side >= 0.0) != (prev_side >= 0.0) {
            let t = prev_side / (prev_side - cur_side);
            let mut crossing = Coord {
                x: prev.x + (cur.x - prev.x) * t,
                y: prev.y + (cur.y - prev.y) * t,
            };
            match axis {
                Axis::X => crossing.x = at,
                Axis::Y => crossing.y = at,
            }
            out.push(crossing);
        }
        if cur_side >= 0.0 {
            out.push(cur);
        }
        prev = cur;
        prev_side = cur_side;
    }
    out
}

/// For each row from `row0` to `row1`, the sorted columns of cells that a boundary segment of
/// `shape` passes through (including touching a cell's border).
fn edge_cells_by_row(
    shape: &MultiPolygon<f64>,
    spec: &GridSpec,
    row0: i64,
    row1: i64,
) -> Vec<Vec<i64>> {
    let mut rows: Vec<Vec<i64>> = vec![Vec::new(); (row1 - row0 + 1) as usize];
    let rings = shape
        .0
        .iter()
        .flat_map(|p: &Polygon<f64>| std::iter::once(p.exterior()).chain(p.interiors()));
    for ring in rings {
        for seg in ring.lines() {
            let (a, b) = (seg.start, seg.end);
            let (ylo, yhi) = (a.y.min(b.y), a.y.max(b.y));
            for row in spec.row_of(ylo).max(row0)..=spec.row_of(yhi).min(row1) {
                let band0 = spec.origin_y + row as f64 * spec.cell_size_m;
                let band1 = band0 + spec.cell_size_m;
                let x_at = |y: f64| {
                    if b.y == a.y {
                        a.x
                    } else {
                        a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y)
                    }
                };
                let (xa, xb) = if a.y == b.y {
                    (a.x, b.x)
                } else {
                    (x_at(ylo.max(band0)), x_at(yhi.min(band1)))
                };
                let cols = &mut rows[(row - row0) as usize];
                for col in spec.col_of(xa.min(xb))..=spec.col_of(xa.max(xb)) {
                    cols.push(col);
                }
            }
        }
    }
    for cols in &mut rows {
        cols.sort_unstable();
        cols.dedup();
    }
    rows
}

/// Samples the DEM at every grid node that falls on a cell's land and records min/mean/max;
/// a cell too small to hold a DEM node takes the elevation at its land's interior point.
fn attach_elevation(cells: &mut [Cell], spec: &GridSpec, region: &Region, dem: &Dem) {
    let index: std::collections::HashMap<CellId, usize> =
        cells.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let mut stats: Vec<(f64, f64, f64, usize)> =
        vec![(f64::INFINITY, 0.0, f64::NEG_INFINITY, 0); cells.len()];
    for (_, _, lon, lat, z) in dem.cells() {
        let Ok((x, y)) = region.projection.forward(lon, lat) else {
            continue;
        };
        let Some(&i) = index.get(&spec.cell_of(x, y)) else {
            continue;
        };
        let cell = &cells[i];
        let whole = (cell.area_m2 - spec.cell_area_m2()).abs() < 1e-6 && cell.parts.len() == 1;
        if whole || cell.land_contains(x, y) {
            let s = &mut stats[i];
            s.0 = s.0.min(z);
            s.1 += z;
            s.2 = s.2.max(z);
            s.3 += 1;
        }
    }
    for (cell, (min, sum, max, n)) in cells.iter_mut().zip(stats) {
        cell.elevation = if n > 0 {
            Some(ElevationStats {
                min,
                mean: sum / n as f64,
                max,
            })
        } else {
            use geo::InteriorPoint;
            cell.parts[0]
                .shape
                .interior_point()
                .and_then(|p| region.projection.inverse(p.x(), p.y()).ok())
                .and_then(|(lon, lat)| dem.elevation(lon, lat))
                .map(|z| ElevationStats {
                    min: z,
                    mean: z,
                    max: z,
                })
        };
    }
}
