//! Candidate radar sites: the lattice over the region and its margin, a candidate CSV, and the
//! landmarks' exclusion discs (an rstar tree in projected metres).
//!
//! The lattice lies at multiples of the spacing in the projected CRS; a point is kept when it is
//! inside a county or within the margin of one (Euclidean distance in metres). A candidate file
//! is CSV with `id` (or `name`), `lon`, `lat` in any case; every bad record is an error naming the
//! file and line. Cost: one point-in-polygon test (and one distance) per lattice point and county.

use std::path::Path;

use geo::{Contains, Distance, Euclidean, Point};
use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::RadarError;
use super::config::SiteRules;
use super::sweep::RadarSite;
use crate::region::{LandmarkKind, Region};

/// Reads candidate sites from a CSV with columns `id` (or `name`), `lon`, `lat` (any case).
///
/// # Errors
/// [`RadarError::ReadCandidates`] and [`RadarError::CandidateRecord`] naming the file and line.
pub fn read_candidates(path: &Path) -> Result<Vec<RadarSite>, RadarError> {
    let read_err = |reason: String| RadarError::ReadCandidates {
        path: path.to_path_buf(),
        reason,
    };
    let mut reader = csv::Reader::from_path(path).map_err(|e| read_err(e.to_string()))?;
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| read_err(e.to_string()))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let (Some(id), Some(lon), Some(lat)) = (col(&["id", "name"]), col(&["lon"]), col(&["lat"]))
    else {
        return Err(read_err(format!(
            "the header must name id (or name), lon and lat; found: {}",
            headers.join(",")
        )));
    };
    let mut out = Vec::new();
    for (k, record) in reader.records().enumerate() {
        let line = k as u64 + 2;
        let bad = |reason: String| RadarError::CandidateRecord {
            path: path.to_path_buf(),
            line,
            reason,
        };
        let record = record.map_err(|e| bad(e.to_string()))?;
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let number = |i: usize, what: &str, range: (f64, f64)| -> Result<f64, RadarError> {
            let text = field(i);
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= range.0 && v <= range.1 => Ok(v),
                _ => Err(bad(format!(
                    "{what} '{text}' is not a number in {}..={}",
                    range.0, range.1
                ))),
            }
        };
        let site = RadarSite {
            id: if field(id).is_empty() {
                format!("line{line}")
            } else {
                field(id).to_string()
            },
            lon: number(lon, "lon", (-180.0, 180.0))?,
            lat: number(lat, "lat", (-90.0, 90.0))?,
        };
        out.push(site);
    }
    if out.is_empty() {
        return Err(read_err("no candidate rows".into()));
    }
    Ok(out)
}

/// The lattice of candidate sites: points at multiples of the spacing in the projected CRS
/// inside the region or within the margin of it.
pub fn lattice(region: &Region, rules: &SiteRules) -> Result<Vec<RadarSite>, RadarError> {
    let b = region.projected_bounds();
    let s = rules.lattice_m;
    let (x0, x1) = (
        ((b.min().x - rules.margin_m) / s).ceil() as i64,
        ((b.max().x + rules.margin_m) / s).floor() as i64,
    );
    let (y0, y1) = (
        ((b.min().y - rules.margin_m) / s).ceil() as i64,
        ((b.max().y + rules.margin_m) / s).floor() as i64,
    );
    let count = (x1 - x0 + 1).max(0) * (y1 - y0 + 1).max(0);
    if count > 200_000 {
        return Err(RadarError::NoCandidates {
            reason: format!(
                "the lattice would have {count} points (at most 200,000): use a wider --lattice-km"
            ),
        });
    }
    let mut out = Vec::with_capacity(count as usize);
    let near_region = |x: f64, y: f64| {
        let p = Point::new(x, y);
        region.counties.iter().any(|c| {
            c.shape.contains(&p)
                || (rules.margin_m > 0.0 && Euclidean.distance(&p, &c.shape) <= rules.margin_m)
        })
    };
    for (row, j) in (y0..=y1).rev().enumerate() {
        for (col, i) in (x0..=x1).enumerate() {
            let (x, y) = (i as f64 * s, j as f64 * s);
            if !near_region(x, y) {
                continue;
            }
            let (lon, lat) = region
                .projection
                .inverse(x, y)
                .map_err(|e| RadarError::Project {
                    what: format!("lattice point ({x}, {y})"),
                    reason: e.to_string(),
                })?;
            out.push(RadarSite {
                id: format!("L{row:03}_{col:03}"),
                lon,
                lat,
            });
        }
    }
    Ok(out)
}

/// The landmarks' exclusion discs in projected metres.
pub(crate) struct Exclusions {
    pub(crate) tree: RTree<GeomWithData<[f64; 2], usize>>,
    pub(crate) largest_m: f64,
}

pub(crate) fn buffer_of(kind: LandmarkKind, rules: &SiteRules) -> (f64, &'static str) {
    match kind {
        LandmarkKind::Airport => (rules.airport_clearance_m, "airport clearance zone of"),
        LandmarkKind::CountySeat => (rules.county_seat_buffer_m, "town centre (county seat)"),
        LandmarkKind::Place => (rules.place_buffer_m, "place"),
    }
}
