//! A planning project: everything a wxmod job reads, loaded once.
//!
//! A [`Project`] holds the region with its layers (DEM, priority zones, rivers, landmarks), the
//! equipment catalog, the located site network, the protected facilities and the siting rules.
//! Every job in [`crate::ops`] starts from one, so the layers are read the same way by every
//! command, and the pieces a step needs (the firing-sector engine, the gap inputs of a year,
//! the plan inputs) are built in one place. [`ProjectSpec`] names the files; [`Project::load`]
//! reads and checks them and names the file and record of any problem ([`ProjectError`]).

use std::path::{Path, PathBuf};

use crate::catalog::{Catalog, CatalogError, bundled_catalog_path};
use crate::gaps::{GapInputs, GapOptions};
use crate::region::{
    BoundarySource, Landmark, LandmarkError, Region, RegionError, bundled_region_dir,
    read_landmarks,
};
use crate::sectors::{
    ConfigError, FacilityError, ProtectedObject, SectorConfig, SectorEngine, SectorError,
    read_facilities,
};
use crate::sites::{Site, SitesError, locate_in_region, read_sites};
use crate::siting::rules::RulesError;
use crate::siting::{Objective, PlanInputs, SitingRules};
use crate::terrain::{Dem, TerrainError};
use crate::zones::{ZoneError, ZoneLayer, read_rivers};

/// Where the counties come from.
#[derive(Debug, Clone, Default)]
pub enum RegionSource {
    /// The bundled Shuozhou region (`data/shuozhou`).
    #[default]
    Bundled,
    /// A region folder with a `region.toml` manifest.
    Folder(PathBuf),
    /// A folder, or a bundled region's adcode, Chinese name or pinyin (`140200`, `大同市`,
    /// `datong`), as `--region` takes it.
    Named(String),
    /// A bare GeoJSON boundary file (no other layers).
    Boundaries(BoundarySource),
}

/// How the site file's sites are placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SitePlacement {
    /// Every site must lie in a county of the region; its county is set from its location.
    #[default]
    InRegion,
    /// Sites are taken as given (firing sectors may be drawn for sites beyond the border).
    AsGiven,
}

/// The files a project is made of; `None` means "not given" (or the bundled default).
#[derive(Debug, Clone, Default)]
pub struct ProjectSpec {
    /// The region.
    pub region: RegionSource,
    /// The projected CRS (EPSG code or PROJ string); default: the region's own or its UTM zone.
    pub crs: Option<String>,
    /// The equipment catalog; default: the bundled `data/catalog.toml`.
    pub catalog: Option<PathBuf>,
    /// The site network; without it the network is empty.
    pub sites: Option<PathBuf>,
    /// How the sites are placed.
    pub placement: SitePlacement,
    /// A zone file in place of the region's own.
    pub zones: Option<PathBuf>,
    /// Protected facilities (oil depots, substations ...) that firing sectors keep clear of.
    pub facilities: Option<PathBuf>,
    /// Siting rules (TOML); default: [`SitingRules::default`].
    pub rules: Option<PathBuf>,
    /// The rollout's first year, in place of the rules' own.
    pub start_year: Option<i32>,
    /// Firing-sector settings (TOML); default: [`SectorConfig::default`].
    pub sector_config: Option<PathBuf>,
}

/// The region's optional data layers, each read once from the file its manifest names.
#[derive(Debug, Clone, Default)]
pub struct RegionLayers {
    /// The elevation model.
    pub dem: Option<Dem>,
    /// Priority zones.
    pub zones: Option<ZoneLayer>,
    /// River lines.
    pub rivers: Option<geo::MultiLineString<f64>>,
    /// County seats, airports and places.
    pub landmarks: Vec<Landmark>,
}

impl RegionLayers {
    /// Reads every layer the region names; `zones` replaces the region's zone file.
    pub fn load(region: &Region, zones: Option<&Path>) -> Result<RegionLayers, ProjectError> {
        let files = &region.files;
        let zones = zones.or(files.zones.as_deref());
        Ok(RegionLayers {
            dem: files.dem.as_deref().map(Dem::read).transpose()?,
            zones: zones.map(ZoneLayer::read).transpose()?,
            rivers: files.rivers.as_deref().map(read_rivers).transpose()?,
            landmarks: files
                .landmarks
                .as_deref()
                .map(read_landmarks)
                .transpose()?
                .unwrap_or_default(),
        })
    }
}

/// A project that could not be loaded; each variant names its file.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    /// The region or its boundaries could not be read or failed a check.
    #[error(transparent)]
    Region(#[from] RegionError),
    /// `--region` names no folder and no bundled region.
    #[error(transparent)]
    Lookup(#[from] crate::region::bundled::RegionLookupError),
    /// The DEM could not be read.
    #[error(transparent)]
    Terrain(#[from] TerrainError),
    /// The zone or river file could not be read.
    #[error(transparent)]
    Zones(#[from] ZoneError),
    /// The landmark file (county seats, airports, places) could not be read.
    #[error(transparent)]
    Landmarks(#[from] LandmarkError),
    /// The catalog could not be read.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// The site file could not be read, or a site lies outside the region.
    #[error(transparent)]
    Sites(#[from] SitesError),
    /// The siting rules could not be read.
    #[error(transparent)]
    Rules(#[from] RulesError),
    /// The firing-sector settings could not be read.
    #[error(transparent)]
    SectorConfig(#[from] ConfigError),
    /// The facility file could not be read.
    #[error(transparent)]
    Facilities(#[from] FacilityError),
}

/// Everything a job reads, loaded and checked once.
#[derive(Debug)]
pub struct Project {
    /// The region, projected.
    pub region: Region,
    /// Its layers.
    pub layers: RegionLayers,
    /// The equipment catalog.
    pub catalog: Catalog,
    /// The site network (empty without a site file).
    pub sites: Vec<Site>,
    /// The file the network came from, named in reports and maps.
    pub sites_file: Option<PathBuf>,
    /// Protected facilities beyond the landmarks.
    pub facilities: Vec<ProtectedObject>,
    /// Siting rules, with the start year applied.
    pub rules: SitingRules,
    /// Firing-sector settings.
    pub sector_config: SectorConfig,
}

impl Project {
    /// Reads and checks every file the spec names.
    pub fn load(spec: &ProjectSpec) -> Result<Project, ProjectError> {
        let region = load_region(&spec.region, spec.crs.as_deref())?;
        let layers = RegionLayers::load(&region, spec.zones.as_deref())?;
        let catalog_path = spec.catalog.clone().unwrap_or_else(bundled_catalog_path);
        let catalog = Catalog::read(&catalog_path)?;
        let mut rules = match &spec.rules {
            Some(path) => SitingRules::read(path)?,
            None => SitingRules::default(),
        };
        if let Some(year) = spec.start_year {
            rules.start_year = year;
        }
        let sector_config = match &spec.sector_config {
            Some(path) => SectorConfig::read(path)?,
            None => SectorConfig::default(),
        };
        let sites = match &spec.sites {
            Some(path) => {
                let mut sites = read_sites(path)?;
                if spec.placement == SitePlacement::InRegion {
                    locate_in_region(&mut sites, &region, path)?;
                }
                sites
            }
            None => Vec::new(),
        };
        let facilities = match &spec.facilities {
            Some(path) => read_facilities(path, &sector_config, &region.projection)?,
            None => Vec::new(),
        };
        Ok(Project {
            region,
            layers,
            catalog,
            sites,
            sites_file: spec.sites.clone(),
            facilities,
            rules,
            sector_config,
        })
    }

    /// The firing-sector engine over the landmarks and facilities, with the DEM for the
    /// high-altitude minimum sector.
    pub fn sector_engine(&self) -> Result<SectorEngine, SectorError> {
        SectorEngine::for_landmarks(
            self.sector_config.clone(),
            &self.layers.landmarks,
            self.facilities.clone(),
            self.region.projection.clone(),
            self.layers.dem.clone(),
        )
    }

    /// The gap-analysis inputs of `sites` under `options`.
    pub fn gap_inputs<'a>(&'a self, sites: &'a [Site], options: GapOptions) -> GapInputs<'a> {
        GapInputs {
            region: &self.region,
            sites,
            catalog: &self.catalog,
            dem: self.layers.dem.as_ref(),
            zones: self.layers.zones.as_ref(),
            options,
        }
    }

    /// The siting planner's inputs: the network as it stands the year before the rollout
    /// starts, under `options`' grids.
    pub fn plan_inputs(&self, objective: Objective, options: &GapOptions) -> PlanInputs<'_> {
        PlanInputs {
            region: &self.region,
            sites: &self.sites,
            catalog: &self.catalog,
            dem: self.layers.dem.as_ref(),
            zones: self.layers.zones.as_ref(),
            landmarks: &self.layers.landmarks,
            rules: self.rules.clone(),
            options: GapOptions {
                year: Some(self.rules.start_year - 1),
                ..options.clone()
            },
            objective,
        }
    }
}

/// Loads the region from its source.
fn load_region(source: &RegionSource, crs: Option<&str>) -> Result<Region, ProjectError> {
    match source {
        RegionSource::Bundled => Ok(Region::load(&bundled_region_dir(), crs)?),
        RegionSource::Folder(dir) => Ok(Region::load(dir, crs)?),
        RegionSource::Named(given) => {
            Ok(Region::load(&crate::region::bundled::resolve(given)?, crs)?)
        }
        RegionSource::Boundaries(boundaries) => Ok(Region::from_boundaries(boundaries, crs)?),
    }
}
