//! Where the city's X-band weather radar (X波段天气雷达) goes: radar coverage from the DEM,
//! the candidate search, and the county AWS network (policy clause 6).
//!
//! - [`beam`]: the 4/3-Earth beam height, ground distance, half-power radius and the Bech et
//!   al. (2003) partial beam blockage (as wradlib `qual.beam_block_frac`).
//! - [`sweep`]: one site's scan over the DEM: 360 rays of 1°, gates every 250 m to 75 km,
//!   three elevations by default; partial and cumulative blockage (running maximum, wradlib
//!   issue #105) and the horizon angle per azimuth (遮蔽角).
//! - [`land`] and [`coverage`]: the region's land as weighted points and which of them a scan
//!   covers (beam centre ≤ 1 km / 3 km above ground with cumulative blockage ≤ 0.5).
//! - [`candidates`]: the candidate lattice, candidate files and the landmarks' exclusion discs.
//! - [`study`]: the candidate search over a lattice (2 km) or given sites, the siting
//!   constraints with reasons, the ranking and the best k radars with a proven bound.
//! - [`network`]: the best k radars by the covering solver (maximal covering) with its bound.
//! - [`maps`]: the blockage PPI and coverage maps (through [`crate::render`]) and the
//!   horizon-angle rose.
//! - [`report`]: the QX/T 100 candidate comparison table (Markdown, CSV, xlsx), JSON, GeoJSON
//!   of the covered land, the maps and the HTML section for `wxmod run`.
//! - [`outputs`]: every file of a study and the HTML section for `wxmod run`.
//! - [`aws`]: the six-element AWS network: land farther than 15 km \[A\] from any station and
//!   suggested new stations per county on flat open land.
//!
//! A project's study in one call (`wxmod radar`) and the radar step of `wxmod run` are jobs, in
//! [`crate::ops::radar`].
//!
//! Defaults are DOMAIN.md §8's; those tagged \[A\] are assumed and configurable
//! ([`RadarConfig`], [`SiteRules`]). Errors are [`RadarError`]; the library never prints.

pub mod aws;
pub mod beam;
pub mod candidates;
pub mod config;
pub mod coverage;
pub mod land;
pub mod maps;
pub mod network;
pub mod outputs;
pub mod profile;
pub mod report;
pub mod study;
pub mod sweep;

use std::path::PathBuf;

pub use beam::{Beam, beam_block_fraction, earth_radius_m};
pub use config::{OutOfRange, RadarConfig, SiteRules};
pub use coverage::{
    Covered, LocalFrame, PointSet, ShareTotals, Shares, covered_land, shares, shares_with,
};
pub use land::{LandPoint, LandSet};
pub use study::{CandidateRow, Candidates, RadarInputs, RadarRequest, RadarStudy, study};
pub use sweep::{AZIMUTHS, Detail, Polar, RadarSite, scan, scan_with};

use crate::terrain::Dem;

/// A radar analysis that cannot be done.
#[derive(Debug, thiserror::Error)]
pub enum RadarError {
    /// A parameter is out of its range; give a value inside it.
    #[error(transparent)]
    OutOfRange(#[from] OutOfRange),
    /// The region has no elevation model; name one in region.toml (`dem = ...`).
    #[error("the region has no DEM: radar coverage needs one (set dem = FILE in region.toml)")]
    NoDem,
    /// The DEM has no elevation at the site; move the site or use a larger DEM.
    #[error(
        "site {site} at ({lon}, {lat}) is outside the DEM {dem} (which spans {west:.4}..{east:.4} E, {south:.4}..{north:.4} N) or on a cell without data"
    )]
    SiteOffDem {
        /// The site id.
        site: String,
        /// Longitude given.
        lon: f64,
        /// Latitude given.
        lat: f64,
        /// The DEM (file name).
        dem: String,
        /// DEM west edge.
        west: f64,
        /// DEM east edge.
        east: f64,
        /// DEM south edge.
        south: f64,
        /// DEM north edge.
        north: f64,
    },
    /// Rays of the site leave the DEM before the range; use a DEM that covers the range, a
    /// shorter range, or accept rays cut at the DEM edge (`--clip-to-dem`).
    #[error(
        "DEM {dem} does not cover the {range_km} km range of site {site}: rays reach only {reach_km:.2} km on every azimuth; {missing_percent:.1} % of the scan area is off the DEM, on azimuths {azimuths}; use a DEM that covers the range, --range-km {reach_km:.2} or less, or --clip-to-dem"
    )]
    RangeBeyondDem {
        /// The site id.
        site: String,
        /// The DEM (file name).
        dem: String,
        /// The range asked for, km.
        range_km: f64,
        /// The range every ray reaches on the DEM, km.
        reach_km: f64,
        /// Share of the scan area (gates weighted by range) off the DEM, percent.
        missing_percent: f64,
        /// The azimuths whose rays end early.
        azimuths: String,
    },
    /// The DEM does not cover all of the region's land.
    #[error(
        "DEM {dem} does not cover the region: {missing_km2:.1} km² of the {region_km2:.1} km² of land have no elevation (outside the DEM or cells without data); use a DEM that covers every county"
    )]
    DemMissesRegion {
        /// The DEM (file name).
        dem: String,
        /// Land without elevation, km².
        missing_km2: f64,
        /// The region's land on the DEM's lattice, km².
        region_km2: f64,
    },
    /// A point could not be projected.
    #[error("cannot project {what}: {reason}")]
    Project {
        /// What.
        what: String,
        /// The projection's message.
        reason: String,
    },
    /// The candidate file cannot be read.
    #[error("cannot read candidate file {path}: {reason}")]
    ReadCandidates {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// A record of the candidate file is malformed.
    #[error("candidate file {path}, line {line}: {reason}")]
    CandidateRecord {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// No candidate to evaluate.
    #[error("no candidate site to evaluate: {reason}")]
    NoCandidates {
        /// Why.
        reason: String,
    },
    /// More radars asked for than candidates allowed.
    #[error(
        "{k} radars asked for, but only {eligible} candidate sites pass the constraints (1..={max} radars can be chosen)"
    )]
    TooManyRadars {
        /// Radars asked for.
        k: usize,
        /// Candidates that pass the constraints.
        eligible: usize,
        /// The largest k accepted.
        max: usize,
    },
    /// A map could not be drawn.
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
    /// A chart could not be drawn.
    #[error("cannot draw the horizon rose: {reason}")]
    Chart {
        /// plotters' or the encoder's message.
        reason: String,
    },
    /// A workbook could not be written.
    #[error("cannot write the candidate workbook: {reason}")]
    Workbook {
        /// rust_xlsxwriter's message.
        reason: String,
    },
}

impl RadarError {
    fn site_off_dem(dem: &Dem, site: &RadarSite) -> RadarError {
        let (ncols, nrows) = dem.shape();
        let cs = dem.cellsize();
        let (lon0, lat0) = dem.cell_centre(0, 0);
        let (west, north) = (lon0 - cs / 2.0, lat0 + cs / 2.0);
        RadarError::SiteOffDem {
            site: site.id.clone(),
            lon: site.lon,
            lat: site.lat,
            dem: String::new(),
            west,
            east: west + ncols as f64 * cs,
            south: north - nrows as f64 * cs,
            north,
        }
    }

    /// The same error naming the DEM file.
    pub fn with_dem_name(self, name: &str) -> RadarError {
        match self {
            RadarError::SiteOffDem {
                site,
                lon,
                lat,
                west,
                east,
                south,
                north,
                ..
            } => RadarError::SiteOffDem {
                site,
                lon,
                lat,
                dem: name.to_string(),
                west,
                east,
                south,
                north,
            },
            other => other,
        }
    }
}
