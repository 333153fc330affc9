//! Coverage-gap analysis (覆盖缺口分析): where an operation network falls short of the city
//! policy (朔政办发〔2022〕29号 clause 8), county by county and zone by zone.
//!
//! Three tests, each reported per county and for the city:
//! 1. **Grid standard** (the policy's own test): every 15 km cell and every 10 km
//!    priority-zone cell that requires a point must contain an operating standardized fixed
//!    site (fixed_rocket or fixed_gun, standardized). A site belongs to the one cell whose
//!    half-open square holds it.
//! 2. **Effective coverage**: the area of the union of influence areas within each county,
//!    each zone kind, and high-altitude mountain land reached by burners ([`crate::influence`]).
//!    Burners reach the siting planner's downwind sector unless a wind rose or full discs are
//!    asked for ([`GapOptions::burner_downwind`]), so gaps.md and plan.md use one burner model.
//! 3. **Policy items**: a vehicle-mounted rocket system and a six-element AWS in every county,
//!    one X-band radar for the city.
//!
//! Unserved required cells form the gap list, ranked by uncovered land, then priority-zone land.

use std::collections::BTreeMap;

use geo::{Area, Centroid, Coord, MultiPolygon};
use rstar::RTree;
use rstar::primitives::GeomWithData;

use crate::catalog::Catalog;
use crate::grid::{Cell, CellId, Grid, GridSpec, clip_to_grid};
use crate::influence::{BurnerShape, CoverageIndex, DownwindSector, WindRose, influences_shaped};
use crate::parallel::map_in_order;
use crate::region::Region;
use crate::sites::{Site, SiteKind};
use crate::terrain::Dem;
use crate::zones::{ZoneKind, ZoneLayer};

/// Which of the two policy grids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyGrid {
    /// The 15 km base grid over all county land.
    Base,
    /// The 10 km grid over priority zones.
    Priority,
}

impl PolicyGrid {
    /// Short label for tables.
    pub fn label(self) -> &'static str {
        match self {
            PolicyGrid::Base => "15 km base",
            PolicyGrid::Priority => "10 km priority",
        }
    }
}

/// Options of a gap analysis.
#[derive(Debug, Clone)]
pub struct GapOptions {
    /// The network as of this year: existing sites plus planned ones with year <= it; `None`
    /// for existing sites only.
    pub year: Option<i32>,
    /// The base grid (default 15 km).
    pub base: GridSpec,
    /// The priority grid (default 10 km).
    pub priority: GridSpec,
    /// Burner influence follows this wind rose when given.
    pub wind: Option<WindRose>,
    /// Without a wind rose, burners reach this downwind sector (default: the siting planner's
    /// 180° sector downwind of a 315° wind \[A\]); `None` for full discs.
    pub burner_downwind: Option<DownwindSector>,
}

impl Default for GapOptions {
    fn default() -> Self {
        GapOptions {
            year: None,
            base: crate::policy::SHANXI.base(),
            priority: crate::policy::SHANXI.priority(),
            wind: None,
            burner_downwind: Some(DownwindSector::default()),
        }
    }
}

/// Everything a gap analysis reads.
pub struct GapInputs<'a> {
    /// The region.
    pub region: &'a Region,
    /// All sites of the site file (the analysis picks those operating in the year).
    pub sites: &'a [Site],
    /// The equipment catalog.
    pub catalog: &'a Catalog,
    /// The DEM, for cell elevations.
    pub dem: Option<&'a Dem>,
    /// Priority zones; without them the priority grid is left out.
    pub zones: Option<&'a ZoneLayer>,
    /// Options.
    pub options: GapOptions,
}

/// One required cell and how the network serves it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CellAssessment {
    /// Which grid.
    pub grid: PolicyGrid,
    /// Column and row.
    pub cell: CellId,
    /// Majority county id.
    pub county: String,
    /// Land in the region, km².
    pub area_km2: f64,
    /// Priority-zone land, km² (priority grid).
    pub zone_km2: f64,
    /// Zone kinds present, largest first.
    pub zone_kinds: Vec<String>,
    /// Mean elevation, metres.
    pub mean_elevation_m: Option<f64>,
    /// Ids of the standardized fixed sites inside the cell.
    pub served_by: Vec<String>,
    /// Land reached by influence areas, km².
    pub covered_km2: f64,
    /// Distance from the cell's land centroid to the nearest operating seeding site, km.
    pub nearest_site_km: Option<f64>,
}

impl CellAssessment {
    /// Whether a standardized fixed site stands in the cell.
    pub fn served(&self) -> bool {
        !self.served_by.is_empty()
    }

    /// Land not reached by any influence area, km².
    pub fn uncovered_km2(&self) -> f64 {
        (self.area_km2 - self.covered_km2).max(0.0)
    }
}

/// Grid-standard compliance of one county (or the city when `county` is `None`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Compliance {
    /// County id, or `None` for the city.
    pub county: Option<String>,
    /// Which grid.
    pub grid: PolicyGrid,
    /// Cells requiring a point (majority county).
    pub required: usize,
    /// Of those, cells with a standardized fixed site.
    pub served: usize,
}

impl Compliance {
    /// Required cells without a site.
    pub fn gaps(&self) -> usize {
        self.required - self.served
    }

    /// Served share in percent (100 when nothing is required).
    pub fn percent(&self) -> f64 {
        if self.required == 0 {
            100.0
        } else {
            100.0 * self.served as f64 / self.required as f64
        }
    }
}

/// Covered land of one area (a county, a zone kind, the city).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CoverageRow {
    /// What is measured (county id, zone kind, "city").
    pub area: String,
    /// Its land, km².
    pub area_km2: f64,
    /// Land reached by influence areas, km².
    pub covered_km2: f64,
}

impl CoverageRow {
    /// Covered share in percent.
    pub fn percent(&self) -> f64 {
        if self.area_km2 <= 0.0 {
            0.0
        } else {
            100.0 * self.covered_km2 / self.area_km2
        }
    }
}

/// The policy's equipment items in one county.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PolicyItems {
    /// County id.
    pub county: String,
    /// County name.
    pub county_name: String,
    /// Operating vehicle-mounted rocket systems (policy: at least 1).
    pub mobile_rocket_systems: usize,
    /// Operating six-element automatic weather stations (policy: at least 1).
    pub weather_stations: usize,
}

/// The result of a gap analysis.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GapReport {
    /// The year of the network, if any.
    pub year: Option<i32>,
    /// Ids of the sites operating in that year.
    pub network: Vec<String>,
    /// Every cell that requires a point, on both grids.
    pub cells: Vec<CellAssessment>,
    /// Compliance per county and grid, then the city per grid.
    pub compliance: Vec<Compliance>,
    /// Effective coverage per county, then the city.
    pub coverage_by_county: Vec<CoverageRow>,
    /// Effective coverage per zone kind (priority kinds).
    pub coverage_by_zone: Vec<CoverageRow>,
    /// High-altitude mountain land reached by burners.
    pub burner_coverage: Option<CoverageRow>,
    /// Policy items per county.
    pub policy_items: Vec<PolicyItems>,
    /// Whether every city of the region has an operating X-band radar (one per city).
    pub radar_present: bool,
    /// The cities without an operating X-band radar: the region itself when it is one city,
    /// each prefecture-level city of a province.
    pub cities_without_radar: Vec<String>,
    /// Indices into `cells` of the unserved cells, ranked.
    pub gap_ranking: Vec<usize>,
    /// Catalog numbers used that are assumed defaults (\[A\]), with their notes.
    pub assumptions: Vec<(String, String)>,
    /// How burner influence was drawn, in words.
    pub burner_model: String,
}

impl GapReport {
    /// The unserved required cells, ranked.
    pub fn gaps(&self) -> impl Iterator<Item = &CellAssessment> {
        self.gap_ranking.iter().map(|&i| &self.cells[i])
    }

    /// City compliance for one grid.
    pub fn city_compliance(&self, grid: PolicyGrid) -> Option<&Compliance> {
        self.compliance
            .iter()
            .find(|c| c.county.is_none() && c.grid == grid)
    }
}

/// The grids an analysis lays: the base grid and, with zones, the priority grid.
pub struct PolicyGrids {
    /// The 15 km base grid.
    pub base: Grid,
    /// The 10 km priority grid, when zones are known.
    pub priority: Option<Grid>,
}

impl PolicyGrids {
    /// Lays both grids.
    pub fn build(
        region: &Region,
        options: &GapOptions,
        dem: Option<&Dem>,
        zones: Option<&ZoneLayer>,
    ) -> PolicyGrids {
        PolicyGrids {
            base: Grid::build(region, &options.base, dem, None),
            priority: zones.map(|z| Grid::build(region, &options.priority, dem, Some(z))),
        }
    }

    /// Both grids with their label.
    pub fn iter(&self) -> impl Iterator<Item = (PolicyGrid, &Grid)> {
        std::iter::once((PolicyGrid::Base, &self.base))
            .chain(self.priority.as_ref().map(|g| (PolicyGrid::Priority, g)))
    }
}

/// Runs the analysis (grids included).
pub fn analyse(inputs: &GapInputs) -> GapReport {
    let grids = PolicyGrids::build(inputs.region, &inputs.options, inputs.dem, inputs.zones);
    analyse_on(inputs, &grids)
}

/// Runs the analysis on grids already laid: one step per test.
pub fn analyse_on(inputs: &GapInputs, grids: &PolicyGrids) -> GapReport {
    let network = Network::of(inputs);
    // Covered land of every cell part of both grids, computed once (in parallel).
    let part_cover: Vec<Vec<Vec<f64>>> = grids
        .iter()
        .map(|(_, grid)| covered_by_part(grid, &network.index))
        .collect();
    let cells = assess_cells(inputs.region, grids, &network, &part_cover);
    let compliance = compliance(inputs.region, grids, &cells);
    let coverage_by_county = coverage_by_county(inputs.region, &grids.base, &part_cover[0]);
    let coverage_by_zone = ZoneKind::ALL
        .into_iter()
        .filter(|k| k.is_priority())
        .filter_map(|k| zone_coverage(inputs, k, &network.index))
        .collect();
    let burner_coverage = zone_coverage(inputs, ZoneKind::HighMountain, &network.burner_index);
    let policy_items = policy_items(inputs.region, &network.operating);
    let cities_without_radar = cities_without_radar(inputs.region, &network.operating);
    let gap_ranking = rank_gaps(&cells);
    GapReport {
        year: inputs.options.year,
        network: network.operating.iter().map(|s| s.id.clone()).collect(),
        cells,
        compliance,
        coverage_by_county,
        coverage_by_zone,
        burner_coverage,
        policy_items,
        radar_present: cities_without_radar.is_empty(),
        cities_without_radar,
        gap_ranking,
        assumptions: assumed_numbers(inputs.catalog),
        burner_model: burner_model(&inputs.options),
    }
}

/// The sites operating in the analysed year, with their influence areas indexed.
struct Network<'a> {
    operating: Vec<&'a Site>,
    /// Projected positions of `operating`, where the projection succeeds.
    projected: Vec<Option<Coord<f64>>>,
    index: CoverageIndex,
    burner_index: CoverageIndex,
    /// Seeding sites' centres, for the nearest-site distance.
    seeding_points: RTree<GeomWithData<[f64; 2], usize>>,
}

impl<'a> Network<'a> {
    fn of(inputs: &GapInputs<'a>) -> Network<'a> {
        let region = inputs.region;
        let operating: Vec<&Site> = inputs
            .sites
            .iter()
            .filter(|s| s.operating_in(inputs.options.year))
            .collect();
        let projected = operating
            .iter()
            .map(|s| region.project(s.lon, s.lat))
            .collect();
        let shape = burner_shape(&inputs.options);
        let index =
            CoverageIndex::new(influences_shaped(&operating, region, inputs.catalog, shape));
        let burners: Vec<&Site> = operating
            .iter()
            .copied()
            .filter(|s| s.kind == SiteKind::Burner)
            .collect();
        let burner_index =
            CoverageIndex::new(influences_shaped(&burners, region, inputs.catalog, shape));
        let seeding_points = RTree::bulk_load(
            index
                .influences()
                .iter()
                .map(|inf| GeomWithData::new([inf.centre.x, inf.centre.y], inf.site))
                .collect(),
        );
        Network {
            operating,
            projected,
            index,
            burner_index,
            seeding_points,
        }
    }
}

/// How burners are drawn: the wind rose when given, else the downwind sector, else discs.
fn burner_shape(options: &GapOptions) -> BurnerShape<'_> {
    match (&options.wind, options.burner_downwind) {
        (Some(rose), _) => BurnerShape::Rose(rose),
        (None, Some(sector)) => BurnerShape::Downwind(sector),
        (None, None) => BurnerShape::Disc,
    }
}

/// The burner model in words, for the reports.
fn burner_model(options: &GapOptions) -> String {
    match burner_shape(options) {
        BurnerShape::Rose(rose) => format!(
            "burners reach the downwind sectors of the wind-rose directions blowing at least {:.0}% of the time",
            100.0 * rose.min_frequency
        ),
        BurnerShape::Downwind(sector) => format!(
            "burners reach {} out to their influence radius, as in the siting plan",
            sector.describe()
        ),
        BurnerShape::Disc => "burners reach the full disc of their influence radius".to_string(),
    }
}

/// Step 1, the grid standard: every required cell of both grids, with the standardized fixed
/// sites in its half-open square and its covered land.
fn assess_cells(
    region: &Region,
    grids: &PolicyGrids,
    network: &Network,
    part_cover: &[Vec<Vec<f64>>],
) -> Vec<CellAssessment> {
    let mut cells = Vec::new();
    for ((which, grid), cover) in grids.iter().zip(part_cover) {
        let mut fixed_in_cell: BTreeMap<CellId, Vec<String>> = BTreeMap::new();
        for (site, p) in network.operating.iter().zip(&network.projected) {
            if let (true, Some(p)) = (site.is_standardized_fixed(), p) {
                fixed_in_cell
                    .entry(grid.spec.cell_of(p.x, p.y))
                    .or_default()
                    .push(site.id.clone());
            }
        }
        for (cell, covers) in grid
            .cells
            .iter()
            .zip(cover)
            .filter(|(c, _)| c.requires_point)
        {
            cells.push(assess(
                which,
                cell,
                region,
                fixed_in_cell.remove(&cell.id).unwrap_or_default(),
                covers.iter().sum(),
                &network.seeding_points,
            ));
        }
    }
    cells
}

/// Compliance per county and grid (majority county), then the city per grid.
fn compliance(region: &Region, grids: &PolicyGrids, cells: &[CellAssessment]) -> Vec<Compliance> {
    let mut out = Vec::new();
    for (which, _) in grids.iter() {
        let mut city = Compliance {
            county: None,
            grid: which,
            required: 0,
            served: 0,
        };
        for county in &region.counties {
            let (required, served) = cells
                .iter()
                .filter(|c| c.grid == which && c.county == county.id)
                .fold((0, 0), |(r, s), c| (r + 1, s + usize::from(c.served())));
            out.push(Compliance {
                county: Some(county.id.clone()),
                grid: which,
                required,
                served,
            });
            city.required += required;
            city.served += served;
        }
        out.push(city);
    }
    out
}

/// Step 2, effective coverage per county (from the base grid's parts), then the city.
fn coverage_by_county(region: &Region, base: &Grid, part_cover: &[Vec<f64>]) -> Vec<CoverageRow> {
    let mut by_county: Vec<(f64, f64)> = vec![(0.0, 0.0); region.counties.len()];
    for (cell, covers) in base.cells.iter().zip(part_cover) {
        for (part, covered) in cell.parts.iter().zip(covers) {
            if let Some(row) = by_county.get_mut(part.county) {
                row.0 += part.area_m2;
                row.1 += covered;
            }
        }
    }
    let mut rows: Vec<CoverageRow> = region
        .counties
        .iter()
        .zip(&by_county)
        .map(|(c, (a, cov))| CoverageRow {
            area: c.id.clone(),
            area_km2: a / 1e6,
            covered_km2: cov / 1e6,
        })
        .collect();
    let (total, covered) = by_county
        .iter()
        .fold((0.0, 0.0), |acc, x| (acc.0 + x.0, acc.1 + x.1));
    rows.push(CoverageRow {
        area: "city".into(),
        area_km2: total / 1e6,
        covered_km2: covered / 1e6,
    });
    rows
}

/// Covered land of one zone kind (`None` without zones).
fn zone_coverage(inputs: &GapInputs, kind: ZoneKind, index: &CoverageIndex) -> Option<CoverageRow> {
    let shape = inputs.zones?.projected_kind(inputs.region, kind);
    let (area, covered) = measure(&shape, &inputs.options.base, index);
    Some(CoverageRow {
        area: kind.as_str().into(),
        area_km2: area / 1e6,
        covered_km2: covered / 1e6,
    })
}

/// Step 3, the policy items per county.
/// The cities without an operating X-band radar (clause 6: one per city): each
/// prefecture-level city of a region spanning several, else the region itself.
fn cities_without_radar(region: &Region, operating: &[&Site]) -> Vec<String> {
    let has_radar = |counties: &[usize]| {
        operating.iter().any(|s| {
            s.kind == SiteKind::Radar
                && s.county
                    .as_deref()
                    .is_some_and(|id| counties.iter().any(|&i| region.counties[i].id == id))
        })
    };
    let cities = crate::region::admin_units(region, crate::region::UnitLevel::City);
    if cities.len() > 1 {
        return cities
            .into_iter()
            .filter(|city| !has_radar(&city.counties))
            .map(|city| city.name)
            .collect();
    }
    if operating.iter().any(|s| s.kind == SiteKind::Radar) {
        Vec::new()
    } else {
        vec![region.name.clone()]
    }
}

fn policy_items(region: &Region, operating: &[&Site]) -> Vec<PolicyItems> {
    region
        .counties
        .iter()
        .map(|c| {
            let count = |kind: SiteKind| {
                operating
                    .iter()
                    .filter(|s| s.kind == kind && s.county.as_deref() == Some(c.id.as_str()))
                    .count()
            };
            PolicyItems {
                county: c.id.clone(),
                county_name: c.name.clone(),
                mobile_rocket_systems: count(SiteKind::MobileRocketBase),
                weather_stations: count(SiteKind::Aws),
            }
        })
        .collect()
}

/// The unserved cells, most uncovered land first, then most priority-zone land.
fn rank_gaps(cells: &[CellAssessment]) -> Vec<usize> {
    let mut ranking: Vec<usize> = (0..cells.len()).filter(|&i| !cells[i].served()).collect();
    ranking.sort_by(|&a, &b| {
        let (ca, cb) = (&cells[a], &cells[b]);
        cb.uncovered_km2()
            .total_cmp(&ca.uncovered_km2())
            .then(cb.zone_km2.total_cmp(&ca.zone_km2))
            .then(ca.grid.cmp(&cb.grid))
            .then(ca.cell.cmp(&cb.cell))
    });
    ranking
}

/// Area of `shape` and the part of it covered, both m², cell by cell.
fn measure(shape: &MultiPolygon<f64>, spec: &GridSpec, index: &CoverageIndex) -> (f64, f64) {
    let pieces = clip_to_grid(shape, spec);
    let covered = map_in_order(&pieces, 64, |(id, piece, area)| {
        index.covered_area(piece, *area, &spec.cell_rect(*id))
    });
    (pieces.iter().map(|p| p.2).sum(), covered.iter().sum())
}

/// Covered land of each part of each cell, m².
fn covered_by_part(grid: &Grid, index: &CoverageIndex) -> Vec<Vec<f64>> {
    map_in_order(&grid.cells, 64, |cell| {
        cell.parts
            .iter()
            .map(|p| index.covered_area(&p.shape, p.area_m2, &cell.square))
            .collect()
    })
}

fn assess(
    which: PolicyGrid,
    cell: &Cell,
    region: &Region,
    served_by: Vec<String>,
    covered_m2: f64,
    seeding_points: &RTree<GeomWithData<[f64; 2], usize>>,
) -> CellAssessment {
    let centre = cell
        .land()
        .centroid()
        .map(|c| [c.x(), c.y()])
        .unwrap_or_else(|| {
            let c = cell.square.center();
            [c.x, c.y]
        });
    let nearest_site_km = seeding_points
        .nearest_neighbor(&centre)
        .map(|p| ((p.geom()[0] - centre[0]).hypot(p.geom()[1] - centre[1])) / 1000.0);
    let mut zone_kinds: Vec<(String, f64)> = cell
        .zones
        .as_ref()
        .map(|z| z.by_kind.iter().map(|(k, a)| (k.clone(), *a)).collect())
        .unwrap_or_default();
    zone_kinds.sort_by(|a, b| b.1.total_cmp(&a.1));
    CellAssessment {
        grid: which,
        cell: cell.id,
        county: region.counties[cell.majority_county].id.clone(),
        area_km2: cell.area_m2 / 1e6,
        zone_km2: cell.zones.as_ref().map_or(0.0, |z| z.area_m2 / 1e6),
        zone_kinds: zone_kinds.into_iter().map(|(k, _)| k).collect(),
        mean_elevation_m: cell.elevation.map(|e| e.mean),
        served_by,
        covered_km2: covered_m2 / 1e6,
        nearest_site_km,
    }
}

/// The catalog numbers a gap analysis uses that are assumed defaults.
fn assumed_numbers(catalog: &Catalog) -> Vec<(String, String)> {
    [SiteKind::FixedRocket, SiteKind::FixedGun, SiteKind::Burner]
        .into_iter()
        .map(|k| format!("kinds.{}.influence_radius_km", k.as_str()))
        .filter(|key| catalog.is_assumed(key))
        .map(|key| {
            let note = catalog.source(&key).unwrap_or_default().to_string();
            (key, note)
        })
        .collect()
}

/// The uncovered land of every gap cell as projected multipolygons (for GIS layers).
pub fn uncovered_land(
    report: &GapReport,
    grids: &PolicyGrids,
    inputs: &GapInputs,
) -> Vec<(PolicyGrid, CellId, MultiPolygon<f64>)> {
    let network = Network::of(inputs);
    report
        .gaps()
        .filter_map(|gap| {
            let grid = grids.iter().find(|(w, _)| *w == gap.grid)?.1;
            let cell = grid.cell(gap.cell)?;
            let left = network.index.uncovered(&cell.land(), &cell.square);
            (left.unsigned_area() > 1.0).then_some((gap.grid, gap.cell, left))
        })
        .collect()
}
