//! Priority zones (重点区域) and their derivation from terrain and rivers.
//!
//! The city policy lays the dense 10 km grid over grain main-producing areas (粮食主产区),
//! economic forest and fruit land (经济林果区), pasture (草牧业区) and ecological protection and
//! restoration zones (生态保护修复区). Smoke burners go to high-altitude mountain land
//! (高海拔山区), kept in the same layer as kind `high_mountain`, which is not a priority kind.
//!
//! Zone files are GeoJSON FeatureCollections of Polygon/MultiPolygon features in WGS84 lon/lat
//! with a `kind` property. Official zone maps of Shuozhou are not public, so
//! [`derive_zones`] builds candidate zones from the DEM and the river lines by the documented,
//! configurable [`ZoneRules`]; its output is marked as derived, not official. Cost of derivation:
//! one pass over the DEM plus a union of row runs of qualifying DEM cells per kind.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use geo::orient::{Direction, Orient};
use geo::{
    Area, BooleanOps, Buffer, LineString, MultiLineString, MultiPolygon, Polygon, Rect, coord,
};

use crate::grid::{CellId, Grid, GridSpec, ZoneCover, clip_to_grid};
use crate::region::Region;
use crate::terrain::Dem;

/// The kinds of zone wxmod plans for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ZoneKind {
    /// Grain main-producing area (粮食主产区).
    Grain,
    /// Economic forest and fruit (经济林果).
    ForestFruit,
    /// Pasture and grassland husbandry (草牧业).
    Pasture,
    /// Ecological protection and restoration (生态保护修复, e.g. 桑干河 corridor).
    Ecological,
    /// High-altitude mountain land, for smoke burners (高海拔山区); not a priority kind.
    HighMountain,
}

impl ZoneKind {
    /// All kinds, in order.
    pub const ALL: [ZoneKind; 5] = [
        ZoneKind::Grain,
        ZoneKind::ForestFruit,
        ZoneKind::Pasture,
        ZoneKind::Ecological,
        ZoneKind::HighMountain,
    ];

    /// Whether the 10 km priority grid covers this kind.
    pub fn is_priority(self) -> bool {
        self != ZoneKind::HighMountain
    }

    /// The name used in files (`grain`, `forest_fruit`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ZoneKind::Grain => "grain",
            ZoneKind::ForestFruit => "forest_fruit",
            ZoneKind::Pasture => "pasture",
            ZoneKind::Ecological => "ecological",
            ZoneKind::HighMountain => "high_mountain",
        }
    }

    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            ZoneKind::Grain => "粮食主产区",
            ZoneKind::ForestFruit => "经济林果区",
            ZoneKind::Pasture => "草牧业区",
            ZoneKind::Ecological => "生态保护修复区",
            ZoneKind::HighMountain => "高海拔山区",
        }
    }
}

impl std::str::FromStr for ZoneKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ZoneKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown zone kind '{s}': use grain, forest_fruit, pasture, ecological or high_mountain"))
    }
}

/// One zone polygon.
#[derive(Debug, Clone)]
pub struct Zone {
    /// What it is.
    pub kind: ZoneKind,
    /// The county it lies in, where known.
    pub county: Option<String>,
    /// The zone in WGS84 lon/lat.
    pub lonlat: MultiPolygon<f64>,
}

/// A set of zones, as read from a zone file or derived.
#[derive(Debug, Clone, Default)]
pub struct ZoneLayer {
    /// The zones.
    pub zones: Vec<Zone>,
    /// Whether the zones were derived by wxmod rather than taken from an official map.
    pub derived: bool,
    /// The zones projected and clipped to the last region asked for (see [`ProjectedMemo`]).
    projected: ProjectedMemo,
}

/// The zones of every kind projected and clipped to one region, and the union of the
/// priority kinds: the costly boolean operations of [`ZoneLayer::projected_kind`] and
/// [`ZoneLayer::cover_by_cell`], done once per region.
#[derive(Debug)]
struct ProjectedZones {
    /// Per kind, in [`ZoneKind::ALL`] order.
    by_kind: Vec<(ZoneKind, MultiPolygon<f64>)>,
    /// The union of the priority kinds, built kind by kind in that order.
    priority: MultiPolygon<f64>,
    /// [`ZoneLayer::cover_by_cell`] of the grids asked for so far (the run's grids and its
    /// planner ask for the same 10 km grid).
    covers: Mutex<Vec<(GridSpec, Arc<HashMap<CellId, ZoneCover>>)>>,
}

/// A memo of [`ProjectedZones`], keyed by a fingerprint of the zones and the region
/// (projection and every county's id and projected vertices), so that the grids, the gap analysis and the planner
/// of one run share one computation; results are the same as without it. A clone starts
/// empty.
#[derive(Debug, Default)]
struct ProjectedMemo(Mutex<Option<(u64, Arc<ProjectedZones>)>>);

impl Clone for ProjectedMemo {
    fn clone(&self) -> Self {
        ProjectedMemo::default()
    }
}

/// A fingerprint of what the projected zones depend on: the region's projection and county
/// geometry, and the zones themselves.
fn fingerprint(region: &Region, zones: &[Zone]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for zone in zones {
        zone.kind.hash(&mut hasher);
        hash_multipolygon(&zone.lonlat, &mut hasher);
    }
    region.projection.spec().hash(&mut hasher);
    for county in &region.counties {
        county.id.hash(&mut hasher);
        hash_multipolygon(&county.shape, &mut hasher);
    }
    hasher.finish()
}

fn hash_multipolygon(shape: &MultiPolygon<f64>, hasher: &mut impl Hasher) {
    shape.0.len().hash(hasher);
    for polygon in &shape.0 {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            ring.0.len().hash(hasher);
            for c in &ring.0 {
                c.x.to_bits().hash(hasher);
                c.y.to_bits().hash(hasher);
            }
        }
    }
}

/// A zone file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ZoneError {
    /// The file could not be read.
    #[error("cannot read zone file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not a GeoJSON FeatureCollection.
    #[error("zone file {path} is not a GeoJSON FeatureCollection: {reason}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The parser's reason.
        reason: String,
    },
    /// A feature is unusable.
    #[error("zone file {path}, feature {index}: {reason}")]
    Feature {
        /// The file.
        path: PathBuf,
        /// 0-based feature index.
        index: usize,
        /// What is wrong.
        reason: String,
    },
    /// A river file is unusable.
    #[error("river file {path}: {reason}")]
    Rivers {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

impl ZoneLayer {
    /// Reads a zone file (property `kind`; optional `county`, `derived`).
    pub fn read(path: &Path) -> Result<ZoneLayer, ZoneError> {
        let text = crate::files::read_text(path).map_err(|e| ZoneError::Read {
            path: path.to_path_buf(),
            source: e,
        })?;
        let fc: geojson::FeatureCollection =
            text.parse().map_err(|e: geojson::Error| ZoneError::Json {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        let mut layer = ZoneLayer::default();
        for (index, feature) in fc.features.into_iter().enumerate() {
            let bad = |reason: String| ZoneError::Feature {
                path: path.to_path_buf(),
                index,
                reason,
            };
            let kind: ZoneKind = feature
                .property("kind")
                .and_then(|v| v.as_str())
                .ok_or_else(|| bad("has no 'kind' property".into()))?
                .parse()
                .map_err(bad)?;
            if feature.property("derived").and_then(|v| v.as_bool()) == Some(true) {
                layer.derived = true;
            }
            let county = feature.property("county").and_then(|v| match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            });
            let geometry = feature
                .geometry
                .ok_or_else(|| bad("has no geometry".into()))?;
            let shape: geo::Geometry<f64> = geometry
                .try_into()
                .map_err(|e: geojson::Error| bad(e.to_string()))?;
            let lonlat = match shape {
                geo::Geometry::Polygon(p) => MultiPolygon(vec![p]),
                geo::Geometry::MultiPolygon(mp) => mp,
                _ => return Err(bad("geometry must be Polygon or MultiPolygon".into())),
            };
            layer.zones.push(Zone {
                kind,
                county,
                lonlat,
            });
        }
        Ok(layer)
    }

    /// The zones of one kind as one projected multipolygon, clipped to the region. Computed
    /// once per region for all kinds and kept (see [`ProjectedMemo`]).
    pub fn projected_kind(&self, region: &Region, kind: ZoneKind) -> MultiPolygon<f64> {
        self.projected(region)
            .by_kind
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, shape)| shape.clone())
            .unwrap_or_else(|| MultiPolygon(Vec::new()))
    }

    /// Priority-zone land per grid cell: the union of all priority kinds and each kind.
    ///
    /// Each kind and the union are clipped to the grid on their own core
    /// ([`crate::parallel`]); the result is kept with the projected zones, so a second call
    /// for the same grid is a copy.
    pub fn cover_by_cell(&self, region: &Region, spec: &GridSpec) -> HashMap<CellId, ZoneCover> {
        let projected = self.projected(region);
        let mut covers = projected
            .covers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((_, cover)) = covers.iter().find(|(s, _)| s == spec) {
            return cover.as_ref().clone();
        }
        // The priority kinds, then their union (`None`).
        let shapes: Vec<(Option<ZoneKind>, &MultiPolygon<f64>)> = projected
            .by_kind
            .iter()
            .filter(|(k, _)| k.is_priority())
            .map(|(k, shape)| (Some(*k), shape))
            .chain(std::iter::once((None, &projected.priority)))
            .collect();
        let clipped =
            crate::parallel::map_in_order(&shapes, 2, |(_, shape)| clip_to_grid(shape, spec));
        let mut cover: HashMap<CellId, ZoneCover> = HashMap::new();
        for ((kind, _), pieces) in shapes.iter().zip(clipped) {
            for (id, _, area) in pieces {
                let cell = cover.entry(id).or_default();
                match kind {
                    Some(kind) => {
                        *cell.by_kind.entry(kind.as_str().to_string()).or_default() += area
                    }
                    None => cell.area_m2 = area,
                }
            }
        }
        covers.push((*spec, Arc::new(cover.clone())));
        cover
    }

    /// The projected zones of `region`, from the memo when it holds this region.
    fn projected(&self, region: &Region) -> Arc<ProjectedZones> {
        let key = fingerprint(region, &self.zones);
        // A poisoned memo only means another thread panicked while filling it: refill.
        let mut memo = self
            .projected
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((k, zones)) = memo.as_ref()
            && *k == key
        {
            return Arc::clone(zones);
        }
        let by_kind: Vec<(ZoneKind, MultiPolygon<f64>)> = ZoneKind::ALL
            .into_iter()
            .map(|kind| (kind, self.project_kind(region, kind)))
            .collect();
        let mut priority = MultiPolygon(Vec::new());
        for (_, shape) in by_kind.iter().filter(|(k, _)| k.is_priority()) {
            priority = priority.union(shape);
        }
        let zones = Arc::new(ProjectedZones {
            by_kind,
            priority,
            covers: Mutex::new(Vec::new()),
        });
        *memo = Some((key, Arc::clone(&zones)));
        zones
    }

    /// Projects, unions and clips the zones of one kind (the costly step).
    fn project_kind(&self, region: &Region, kind: ZoneKind) -> MultiPolygon<f64> {
        let pieces: Vec<Polygon<f64>> = self
            .zones
            .iter()
            .filter(|z| z.kind == kind)
            .filter_map(|z| region.projection.forward_multipolygon(&z.lonlat).ok())
            .flat_map(|mp| mp.0)
            .collect();
        let union = geo::unary_union(&pieces);
        clip_to_region(&union, region)
    }
}

fn clip_to_region(shape: &MultiPolygon<f64>, region: &Region) -> MultiPolygon<f64> {
    region.clip_to_counties(shape)
}

/// The rules that turn terrain and rivers into candidate zones; every threshold is an
/// assumed default \[A\] that a bureau should replace with its own zoning.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ZoneRules {
    /// Grain: basin floor at or below this elevation, metres \[A\].
    pub grain_max_elevation_m: f64,
    /// Grain: slope at most this, degrees \[A\].
    pub grain_max_slope_deg: f64,
    /// Forest/fruit: at or below this elevation, metres \[A\].
    pub forest_fruit_max_elevation_m: f64,
    /// Forest/fruit: slope above the grain limit and at most this, degrees \[A\].
    pub forest_fruit_max_slope_deg: f64,
    /// Pasture: elevation above the grain limit and at most this, metres \[A\].
    pub pasture_max_elevation_m: f64,
    /// Pasture: slope at most this, degrees \[A\].
    pub pasture_max_slope_deg: f64,
    /// Ecological: corridor half-width along rivers, metres \[A\].
    pub river_corridor_m: f64,
    /// Ecological: land at least this steep (erosion control), degrees \[A\].
    pub ecological_min_slope_deg: f64,
    /// High-altitude mountain land for burners: at or above this elevation, metres
    /// (DOMAIN.md §2.1 \[A\], GB/T 39782 also splits at 1,500 m).
    pub high_mountain_min_elevation_m: f64,
}

impl Default for ZoneRules {
    fn default() -> Self {
        ZoneRules {
            grain_max_elevation_m: 1200.0,
            grain_max_slope_deg: 3.0,
            forest_fruit_max_elevation_m: 1400.0,
            forest_fruit_max_slope_deg: 8.0,
            pasture_max_elevation_m: 1600.0,
            pasture_max_slope_deg: 6.0,
            river_corridor_m: 3000.0,
            ecological_min_slope_deg: 12.0,
            high_mountain_min_elevation_m: 1500.0,
        }
    }
}

impl ZoneRules {
    /// The DEM-based kinds a point qualifies for (rivers are handled separately).
    pub fn classify(&self, elevation: f64, slope: f64) -> Vec<ZoneKind> {
        let mut kinds = Vec::new();
        if elevation <= self.grain_max_elevation_m && slope <= self.grain_max_slope_deg {
            kinds.push(ZoneKind::Grain);
        }
        if elevation <= self.forest_fruit_max_elevation_m
            && slope > self.grain_max_slope_deg
            && slope <= self.forest_fruit_max_slope_deg
        {
            kinds.push(ZoneKind::ForestFruit);
        }
        if elevation > self.grain_max_elevation_m
            && elevation <= self.pasture_max_elevation_m
            && slope <= self.pasture_max_slope_deg
        {
            kinds.push(ZoneKind::Pasture);
        }
        if slope >= self.ecological_min_slope_deg {
            kinds.push(ZoneKind::Ecological);
        }
        if elevation >= self.high_mountain_min_elevation_m {
            kinds.push(ZoneKind::HighMountain);
        }
        kinds
    }

    /// A one-line statement of the rule for a kind, written into derived zone files.
    pub fn describe(&self, kind: ZoneKind) -> String {
        match kind {
            ZoneKind::Grain => format!(
                "elevation <= {} m and slope <= {} deg (basin floor)",
                self.grain_max_elevation_m, self.grain_max_slope_deg
            ),
            ZoneKind::ForestFruit => format!(
                "elevation <= {} m and {} < slope <= {} deg (hill slopes)",
                self.forest_fruit_max_elevation_m,
                self.grain_max_slope_deg,
                self.forest_fruit_max_slope_deg
            ),
            ZoneKind::Pasture => format!(
                "{} < elevation <= {} m and slope <= {} deg (uplands)",
                self.grain_max_elevation_m,
                self.pasture_max_elevation_m,
                self.pasture_max_slope_deg
            ),
            ZoneKind::Ecological => format!(
                "within {} m of a river line, or slope >= {} deg (erosion control)",
                self.river_corridor_m, self.ecological_min_slope_deg
            ),
            ZoneKind::HighMountain => {
                format!("elevation >= {} m", self.high_mountain_min_elevation_m)
            }
        }
    }
}

/// Reads river centre-lines (GeoJSON LineString/MultiLineString features, WGS84).
pub fn read_rivers(path: &Path) -> Result<MultiLineString<f64>, ZoneError> {
    let bad = |reason: String| ZoneError::Rivers {
        path: path.to_path_buf(),
        reason,
    };
    let text = crate::files::read_text(path).map_err(|e| ZoneError::Read {
        path: path.to_path_buf(),
        source: e,
    })?;
    let fc: geojson::FeatureCollection = text
        .parse()
        .map_err(|e: geojson::Error| bad(e.to_string()))?;
    let mut lines = Vec::new();
    for (i, feature) in fc.features.into_iter().enumerate() {
        let geometry = feature
            .geometry
            .ok_or_else(|| bad(format!("feature {i} has no geometry")))?;
        match geo::Geometry::<f64>::try_from(geometry).map_err(|e| bad(e.to_string()))? {
            geo::Geometry::LineString(l) => lines.push(l),
            geo::Geometry::MultiLineString(m) => lines.extend(m.0),
            _ => return Err(bad(format!("feature {i} is not a LineString"))),
        }
    }
    Ok(MultiLineString(lines))
}

/// Derives candidate zones from the DEM and river lines, clipped to each county.
///
/// Each DEM cell whose centre qualifies (elevation and slope per [`ZoneRules::classify`])
/// contributes its lon/lat square; qualifying squares are merged in row runs, unioned per
/// kind, intersected with each county. The ecological kind adds a corridor of
/// `river_corridor_m` along the rivers, buffered in projected metres.
pub fn derive_zones(
    region: &Region,
    dem: &Dem,
    rivers: Option<&MultiLineString<f64>>,
    rules: &ZoneRules,
) -> ZoneLayer {
    let (ncols, nrows) = dem.shape();
    let half = dem.cellsize() / 2.0;
    let mut runs: BTreeMap<ZoneKind, Vec<Polygon<f64>>> = BTreeMap::new();
    for row in 0..nrows {
        let mut open: BTreeMap<ZoneKind, f64> = BTreeMap::new();
        for col in 0..=ncols {
            let kinds = if col < ncols {
                let (lon, lat) = dem.cell_centre(col, row);
                match (dem.cell_value(col, row), dem.slope_deg(lon, lat)) {
                    (Some(z), Some(s)) => rules.classify(z, s),
                    _ => Vec::new(),
                }
            } else {
                Vec::new()
            };
            let (lon, lat) = dem.cell_centre(col.min(ncols - 1), row);
            let west_edge = if col < ncols { lon - half } else { lon + half };
            for kind in ZoneKind::ALL {
                let here = kinds.contains(&kind);
                match (open.get(&kind).copied(), here) {
                    (None, true) => {
                        open.insert(kind, west_edge);
                    }
                    (Some(start), false) => {
                        open.remove(&kind);
                        let rect = Rect::new(
                            coord! { x: start, y: lat - half },
                            coord! { x: west_edge, y: lat + half },
                        );
                        runs.entry(kind).or_default().push(rect.to_polygon());
                    }
                    _ => {}
                }
            }
        }
    }
    let mut layer = ZoneLayer {
        zones: Vec::new(),
        derived: true,
        projected: ProjectedMemo::default(),
    };
    for kind in ZoneKind::ALL {
        let squares = runs.remove(&kind).unwrap_or_default();
        let mut union = geo::unary_union(&squares);
        if kind == ZoneKind::Ecological
            && let Some(corridor) =
                rivers.and_then(|r| river_corridor(region, r, rules.river_corridor_m))
        {
            union = union.union(&corridor);
        }
        for county in &region.counties {
            let piece = county
                .lonlat
                .intersection(&union)
                .orient(Direction::Default);
            if piece.unsigned_area() > 0.0 {
                layer.zones.push(Zone {
                    kind,
                    county: Some(county.id.clone()),
                    lonlat: piece,
                });
            }
        }
    }
    layer
}

/// A corridor of `half_width_m` around the rivers, in lon/lat.
fn river_corridor(
    region: &Region,
    rivers: &MultiLineString<f64>,
    half_width_m: f64,
) -> Option<MultiPolygon<f64>> {
    let projected: Vec<LineString<f64>> = rivers
        .0
        .iter()
        .filter_map(|l| {
            let coords: Result<Vec<_>, _> =
                l.0.iter()
                    .map(|c| {
                        region
                            .projection
                            .forward(c.x, c.y)
                            .map(|(x, y)| coord! { x: x, y: y })
                    })
                    .collect();
            coords.ok().map(LineString)
        })
        .collect();
    let buffered = MultiLineString(projected).buffer(half_width_m);
    region.projection.inverse_multipolygon(&buffered).ok()
}

/// Writes a zone layer as GeoJSON text (WGS84), with kind, county, area, the rule used and a
/// `derived` flag on every feature.
pub fn zones_to_geojson(layer: &ZoneLayer, rules: Option<&ZoneRules>) -> String {
    let features = layer.zones.iter().map(|z| {
        let mut props = serde_json::Map::new();
        props.insert("kind".into(), z.kind.as_str().into());
        props.insert("kind_zh".into(), z.kind.chinese().into());
        if let Some(c) = &z.county {
            props.insert("county".into(), c.clone().into());
        }
        props.insert("area_km2".into(), serde_json::json!((geo::GeodesicArea::geodesic_area_unsigned(&z.lonlat) / 1e4).round() / 100.0));
        props.insert("derived".into(), layer.derived.into());
        if let Some(rules) = rules {
            props.insert("rule".into(), rules.describe(z.kind).into());
            props.insert(
                "source".into(),
                "derived by `wxmod zones derive` from the 30 arc-second DEM and WDB-II river lines; NOT an official zone map".into(),
            );
        }
        geojson::Feature {
            geometry: Some(geojson::Geometry::from(&z.lonlat)),
            properties: Some(props),
            ..Default::default()
        }
    });
    geojson::FeatureCollection::new(features).to_string()
}

/// The grid laid with priority zones measured per cell. It lives here, not in [`crate::grid`],
/// so that `grid` knows nothing of zone layers and the two modules do not import each other.
impl Grid {
    /// Lays a grid over the region and clips it to every county; with a DEM, computes elevation
    /// statistics; with priority zones, measures zone land per cell and applies the zone rule.
    ///
    /// # Examples
    /// ```
    /// use wxmod::{grid::{Grid, GridSpec}, region::{Region, bundled_region_dir}};
    /// let region = Region::load(&bundled_region_dir(), None).unwrap();
    /// let grid = Grid::build(&region, &GridSpec::new(15_000.0), None, None);
    /// assert_eq!(grid.cells.len(), 72);
    /// assert_eq!(grid.cells.iter().filter(|c| c.requires_point).count(), 56);
    /// ```
    pub fn build(
        region: &Region,
        spec: &GridSpec,
        dem: Option<&Dem>,
        zones: Option<&ZoneLayer>,
    ) -> Grid {
        Grid::build_with_cover(
            region,
            spec,
            dem,
            zones.map(|z| z.cover_by_cell(region, spec)),
        )
    }
}
