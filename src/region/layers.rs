//! Which data layers a region has (图层清单), and how much of its land the DEM covers.
//!
//! Commands and reports use a [`LayerInventory`] to say what was checked and what was not: a
//! region without county seats, places or airports cannot check firing sectors; one without a
//! DEM plans no smoke burners; one without zones has no 10 km priority grid. The inventory
//! reads the files the manifest names (the DEM and the landmarks) once.
//!
//! DEM coverage is measured on a lattice over the region's lon/lat bounding box, at most
//! [`COVERAGE_LATTICE`] points a side (and no finer than the DEM's own cells): each row is
//! cut by the county rings (even-odd per county, counties do not overlap after the boundary
//! checks), each lattice point inside land is weighted by cos(latitude) for its area, and
//! counts as covered when the DEM gives it an elevation. Cost: O(ring edges + lattice points).

use std::path::PathBuf;

use super::{LandmarkKind, Region};
use crate::terrain::Dem;

/// Points per side of the lattice on which DEM coverage is measured (at most).
pub const COVERAGE_LATTICE: usize = 600;

/// What a region is: one prefecture-level city (市) or a whole province (省).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize, Hash,
)]
#[serde(rename_all = "lowercase")]
pub enum RegionLevel {
    /// A prefecture-level city (地级市), the usual planning unit.
    #[default]
    City,
    /// A province (省), planned as a whole by the provincial bureau.
    Province,
}

impl RegionLevel {
    /// `city` or `province`.
    pub fn as_str(self) -> &'static str {
        match self {
            RegionLevel::City => "city",
            RegionLevel::Province => "province",
        }
    }

    /// 市 or 省.
    pub fn chinese(self) -> &'static str {
        match self {
            RegionLevel::City => "市",
            RegionLevel::Province => "省",
        }
    }
}

impl std::str::FromStr for RegionLevel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "city" | "市" => Ok(RegionLevel::City),
            "province" | "省" => Ok(RegionLevel::Province),
            other => Err(format!(
                "unknown region level '{other}': use city or province"
            )),
        }
    }
}

impl std::fmt::Display for RegionLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The layers of one region and what they hold.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LayerInventory {
    /// City or province.
    pub level: RegionLevel,
    /// Number of county-level units.
    pub counties: usize,
    /// Whether the region names a DEM.
    pub has_dem: bool,
    /// Share (0 to 1) of the region's land where the DEM gives an elevation; `None` without
    /// a DEM.
    pub dem_covered_share: Option<f64>,
    /// Whether the region names a zone layer.
    pub has_zones: bool,
    /// Whether the zones were derived by wxmod (not official); `None` without zones.
    pub zones_derived: Option<bool>,
    /// Whether the region names river lines.
    pub has_rivers: bool,
    /// County seats in the landmark file.
    pub county_seats: usize,
    /// Airports in the landmark file.
    pub airports: usize,
    /// Populated places in the landmark file.
    pub places: usize,
}

/// A layer file that cannot be read while taking the inventory.
#[derive(Debug, thiserror::Error)]
pub enum LayerError {
    /// The DEM is unusable.
    #[error(transparent)]
    Dem(#[from] crate::terrain::TerrainError),
    /// The landmark file is unusable.
    #[error(transparent)]
    Landmarks(#[from] super::LandmarkError),
    /// The zone file is unusable.
    #[error(transparent)]
    Zones(#[from] crate::zones::ZoneError),
}

impl LayerInventory {
    /// Reads the region's layer files and counts what they hold.
    ///
    /// # Examples
    /// ```
    /// use wxmod::region::{LayerInventory, Region, RegionLevel, bundled_region_dir};
    /// let shuozhou = Region::load(&bundled_region_dir(), None).unwrap();
    /// let layers = LayerInventory::of(&shuozhou).unwrap();
    /// assert_eq!(layers.level, RegionLevel::City);
    /// assert_eq!(layers.county_seats, 6);
    /// assert!(layers.dem_covered_share.unwrap() > 0.999);
    /// ```
    pub fn of(region: &Region) -> Result<LayerInventory, LayerError> {
        let files = &region.files;
        let dem_covered_share = match &files.dem {
            Some(path) => Some(dem_covered_share(region, &Dem::read(path)?)),
            None => None,
        };
        let landmarks = match &files.landmarks {
            Some(path) => super::read_landmarks(path)?,
            None => Vec::new(),
        };
        let count = |kind| landmarks.iter().filter(|l| l.kind == kind).count();
        let zones_derived = match &files.zones {
            Some(path) => Some(crate::zones::ZoneLayer::read(path)?.derived),
            None => None,
        };
        Ok(LayerInventory {
            level: region.level,
            counties: region.counties.len(),
            has_dem: files.dem.is_some(),
            dem_covered_share,
            has_zones: files.zones.is_some(),
            zones_derived,
            has_rivers: files.rivers.is_some(),
            county_seats: count(LandmarkKind::CountySeat),
            airports: count(LandmarkKind::Airport),
            places: count(LandmarkKind::Place),
        })
    }

    /// The landmark layers that firing-sector and exclusion checks need and the region lacks
    /// (`county seats`, `airports`, `places`); empty when all are there.
    pub fn missing_protected_objects(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.county_seats == 0 {
            missing.push("county seats");
        }
        if self.airports == 0 {
            missing.push("airports");
        }
        if self.places == 0 {
            missing.push("places");
        }
        missing
    }

    /// The layers present, in a short list such as `dem zones rivers seats airports places`.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if let Some(share) = self.dem_covered_share {
            if share >= 0.9995 {
                parts.push("dem".to_string());
            } else {
                parts.push(format!("dem({:.1}%)", share * 100.0));
            }
        }
        match self.zones_derived {
            Some(true) => parts.push("zones(derived)".to_string()),
            Some(false) => parts.push("zones".to_string()),
            None => {}
        }
        if self.has_rivers {
            parts.push("rivers".to_string());
        }
        for (n, label) in [
            (self.county_seats, "seats"),
            (self.airports, "airports"),
            (self.places, "places"),
        ] {
            if n > 0 {
                parts.push(format!("{label}:{n}"));
            }
        }
        if parts.is_empty() {
            "boundaries only".to_string()
        } else {
            parts.join(" ")
        }
    }

    /// The region's files as (layer, path) pairs, for messages.
    pub fn files(region: &Region) -> Vec<(&'static str, Option<PathBuf>)> {
        let f = &region.files;
        vec![
            ("dem", f.dem.clone()),
            ("landmarks", f.landmarks.clone()),
            ("rivers", f.rivers.clone()),
            ("zones", f.zones.clone()),
        ]
    }
}

/// Share (0 to 1) of the region's land, by area, where `dem` gives an elevation.
pub fn dem_covered_share(region: &Region, dem: &Dem) -> f64 {
    let (covered, land) = land_lattice(region, dem.cellsize(), |lon, lat| {
        dem.elevation(lon, lat).is_some()
    });
    if land > 0.0 { covered / land } else { 0.0 }
}

/// Walks a lattice over the region's land and sums cos(lat) weights of all land points and of
/// those where `covered` holds: returns (covered weight, land weight).
fn land_lattice(
    region: &Region,
    finest_deg: f64,
    covered: impl Fn(f64, f64) -> bool,
) -> (f64, f64) {
    let mut edges: Vec<(usize, f64, f64, f64, f64)> = Vec::new(); // (county, x0, y0, x1, y1)
    let (mut west, mut south, mut east, mut north) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (k, county) in region.counties.iter().enumerate() {
        for polygon in &county.lonlat.0 {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for line in ring.lines() {
                    west = west.min(line.start.x.min(line.end.x));
                    east = east.max(line.start.x.max(line.end.x));
                    south = south.min(line.start.y.min(line.end.y));
                    north = north.max(line.start.y.max(line.end.y));
                    edges.push((k, line.start.x, line.start.y, line.end.x, line.end.y));
                }
            }
        }
    }
    if edges.is_empty() {
        return (0.0, 0.0);
    }
    let step_floor = if finest_deg > 0.0 { finest_deg } else { 1e-3 };
    let step_x = ((east - west) / COVERAGE_LATTICE as f64).max(step_floor);
    let step_y = ((north - south) / COVERAGE_LATTICE as f64).max(step_floor);
    let rows = ((north - south) / step_y).ceil() as usize;
    let cols = ((east - west) / step_x).ceil() as usize;
    let row_y = |r: usize| south + (r as f64 + 0.5) * step_y;
    // Bucket each edge into the rows its latitude range crosses.
    let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); rows];
    for (e, &(_, _, y0, _, y1)) in edges.iter().enumerate() {
        let (lo, hi) = (y0.min(y1), y0.max(y1));
        let first = (((lo - south) / step_y) - 0.5).ceil().max(0.0) as usize;
        let last = ((((hi - south) / step_y) - 0.5).floor()).min(rows as f64 - 1.0);
        if last < 0.0 {
            continue;
        }
        for bucket in buckets.iter_mut().take(last as usize + 1).skip(first) {
            bucket.push(e);
        }
    }
    let (mut covered_weight, mut land_weight) = (0.0, 0.0);
    let mut crossings: Vec<(usize, f64)> = Vec::new();
    for (r, bucket) in buckets.iter().enumerate() {
        let y = row_y(r);
        crossings.clear();
        for &e in bucket {
            let (k, x0, y0, x1, y1) = edges[e];
            // Half-open rule: an edge counts when y is in [min, max).
            if (y0 <= y) != (y1 <= y) {
                crossings.push((k, x0 + (y - y0) / (y1 - y0) * (x1 - x0)));
            }
        }
        crossings.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let weight = y.to_radians().cos();
        for pair in crossings.chunk_by(|a, b| a.0 == b.0) {
            for span in pair.chunks_exact(2) {
                let (x_in, x_out) = (span[0].1, span[1].1);
                let c0 = (((x_in - west) / step_x) - 0.5).ceil().max(0.0) as usize;
                let c1 = ((((x_out - west) / step_x) - 0.5).floor()).min(cols as f64 - 1.0);
                if c1 < 0.0 {
                    continue;
                }
                for c in c0..=c1 as usize {
                    let x = west + (c as f64 + 0.5) * step_x;
                    if x < x_in || x >= x_out {
                        continue;
                    }
                    land_weight += weight;
                    if covered(x, y) {
                        covered_weight += weight;
                    }
                }
            }
        }
    }
    (covered_weight, land_weight)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_read_in_either_language() {
        assert_eq!("province".parse::<RegionLevel>(), Ok(RegionLevel::Province));
        assert_eq!("市".parse::<RegionLevel>(), Ok(RegionLevel::City));
        assert!("county".parse::<RegionLevel>().is_err());
    }
}
