//! The elevation model (数字高程模型, DEM): reading, bilinear sampling and slope.
//!
//! A DEM is a north-up grid of elevations in metres above mean sea level on a regular WGS84
//! lon/lat lattice, read from an ESRI ASCII grid (`.asc`) or a GeoTIFF (`.tif`, through the
//! `tiff` crate: ModelPixelScale + ModelTiepoint + GDAL_NODATA tags). Cells marked nodata are
//! kept as missing and never interpolated across: a sample whose four neighbours include a
//! missing cell falls back to the nearest cell, and is `None` when that is missing too.
//!
//! Sampling is O(1). Slope uses central differences one cell apart on the bilinear surface,
//! with metres per degree taken on the WGS84 ellipsoid at the sample's latitude.

use std::io::BufRead;
use std::path::{Path, PathBuf};

/// An elevation grid on a WGS84 lon/lat lattice.
#[derive(Debug, Clone)]
pub struct Dem {
    ncols: usize,
    nrows: usize,
    /// Longitude of the western edge of the first column, degrees.
    west: f64,
    /// Latitude of the northern edge of the first row, degrees.
    north: f64,
    /// Cell size in degrees (square cells).
    cellsize: f64,
    /// Elevations in metres, row-major from the north-west corner; NaN where missing.
    values: Vec<f32>,
}

/// A DEM file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TerrainError {
    /// The file could not be read.
    #[error("cannot read DEM {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file's content is malformed.
    #[error("DEM {path}: {reason}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The file extension names no supported format.
    #[error("DEM {path}: unsupported format; use an ESRI ASCII grid (.asc) or a GeoTIFF (.tif)")]
    UnsupportedFormat {
        /// The file.
        path: PathBuf,
    },
}

/// Metres per degree of longitude and of latitude at a latitude, on the WGS84 ellipsoid.
pub fn metres_per_degree(lat: f64) -> (f64, f64) {
    let a = 6_378_137.0_f64;
    let e2 = 6.694_379_990_14e-3_f64;
    let phi = lat.to_radians();
    let w = (1.0 - e2 * phi.sin().powi(2)).sqrt();
    let prime_vertical = a / w;
    let meridional = a * (1.0 - e2) / w.powi(3);
    (
        prime_vertical * phi.cos() * std::f64::consts::PI / 180.0,
        meridional * std::f64::consts::PI / 180.0,
    )
}

impl Dem {
    /// Builds a DEM from its lattice and values (row-major from the north-west, NaN = missing).
    pub fn new(
        ncols: usize,
        nrows: usize,
        west: f64,
        north: f64,
        cellsize: f64,
        values: Vec<f32>,
    ) -> Dem {
        assert_eq!(values.len(), ncols * nrows, "invariant: one value per cell");
        Dem {
            ncols,
            nrows,
            west,
            north,
            cellsize,
            values,
        }
    }

    /// Reads a DEM, choosing the format by the file extension.
    pub fn read(path: &Path) -> Result<Dem, TerrainError> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("asc") => Self::read_ascii_grid(path),
            Some("tif") | Some("tiff") => Self::read_geotiff(path),
            _ => Err(TerrainError::UnsupportedFormat {
                path: path.to_path_buf(),
            }),
        }
    }

    /// Reads an ESRI ASCII grid (header `ncols nrows xllcorner yllcorner cellsize
    /// [NODATA_value]`, then rows from north to south).
    pub fn read_ascii_grid(path: &Path) -> Result<Dem, TerrainError> {
        let format = |reason: String| TerrainError::Format {
            path: path.to_path_buf(),
            reason,
        };
        let file = std::fs::File::open(path).map_err(|e| TerrainError::Read {
            path: path.to_path_buf(),
            source: e,
        })?;
        let mut lines = std::io::BufReader::new(file).lines();
        let mut header = std::collections::HashMap::new();
        let mut first_data_line = None;
        for line in lines.by_ref() {
            let line = line.map_err(|e| TerrainError::Read {
                path: path.to_path_buf(),
                source: e,
            })?;
            let mut parts = line.split_whitespace();
            let Some(key) = parts.next() else { continue };
            if key.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
                let value: f64 = parts
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(|| format(format!("header line '{line}' has no number")))?;
                header.insert(key.to_ascii_lowercase(), value);
            } else {
                first_data_line = Some(line);
                break;
            }
        }
        let get = |key: &str| {
            header
                .get(key)
                .copied()
                .ok_or_else(|| format(format!("header lacks '{key}'")))
        };
        let ncols = get("ncols")? as usize;
        let nrows = get("nrows")? as usize;
        let cellsize = get("cellsize")?;
        let west = header
            .get("xllcorner")
            .copied()
            .or_else(|| header.get("xllcenter").map(|x| x - cellsize / 2.0));
        let south = header
            .get("yllcorner")
            .copied()
            .or_else(|| header.get("yllcenter").map(|y| y - cellsize / 2.0));
        let (Some(west), Some(south)) = (west, south) else {
            return Err(format("header lacks xllcorner/yllcorner".into()));
        };
        if ncols == 0 || nrows == 0 || cellsize <= 0.0 {
            return Err(format("ncols, nrows and cellsize must be positive".into()));
        }
        let nodata = header.get("nodata_value").copied();
        let mut values = Vec::with_capacity(ncols * nrows);
        let push_line = |line: &str, values: &mut Vec<f32>| -> Result<(), TerrainError> {
            for token in line.split_whitespace() {
                let v: f64 = token
                    .parse()
                    .map_err(|_| format(format!("value '{token}' is not a number")))?;
                values.push(if Some(v) == nodata {
                    f32::NAN
                } else {
                    v as f32
                });
            }
            Ok(())
        };
        if let Some(line) = first_data_line {
            push_line(&line, &mut values)?;
        }
        for line in lines {
            let line = line.map_err(|e| TerrainError::Read {
                path: path.to_path_buf(),
                source: e,
            })?;
            push_line(&line, &mut values)?;
        }
        if values.len() != ncols * nrows {
            return Err(format(format!(
                "expected {} values ({ncols} x {nrows}), found {}",
                ncols * nrows,
                values.len()
            )));
        }
        Ok(Dem::new(
            ncols,
            nrows,
            west,
            south + nrows as f64 * cellsize,
            cellsize,
            values,
        ))
    }

    /// Reads a north-up, single-band GeoTIFF in lon/lat degrees.
    pub fn read_geotiff(path: &Path) -> Result<Dem, TerrainError> {
        use tiff::decoder::{Decoder, DecodingResult};
        use tiff::tags::Tag;
        let format = |reason: String| TerrainError::Format {
            path: path.to_path_buf(),
            reason,
        };
        let file = std::fs::File::open(path).map_err(|e| TerrainError::Read {
            path: path.to_path_buf(),
            source: e,
        })?;
        let mut decoder =
            Decoder::new(std::io::BufReader::new(file)).map_err(|e| format(e.to_string()))?;
        let (ncols, nrows) = decoder.dimensions().map_err(|e| format(e.to_string()))?;
        let scale = decoder
            .get_tag_f64_vec(Tag::ModelPixelScaleTag)
            .map_err(|_| format("no ModelPixelScale tag: not a GeoTIFF".into()))?;
        let tie = decoder
            .get_tag_f64_vec(Tag::ModelTiepointTag)
            .map_err(|_| format("no ModelTiepoint tag: not a GeoTIFF".into()))?;
        let (&[sx, sy, ..], &[i, j, _, x, y, ..]) = (scale.as_slice(), tie.as_slice()) else {
            return Err(format(
                "malformed ModelPixelScale or ModelTiepoint tag".into(),
            ));
        };
        if (sx - sy).abs() > sx * 1e-6 {
            return Err(format(format!(
                "cells are not square ({sx} x {sy} degrees)"
            )));
        }
        let nodata: Option<f64> = decoder
            .get_tag_ascii_string(Tag::GdalNodata)
            .ok()
            .and_then(|s| s.trim_matches(char::from(0)).trim().parse().ok());
        let raw: Vec<f64> = match decoder.read_image().map_err(|e| format(e.to_string()))? {
            DecodingResult::I16(v) => v.into_iter().map(f64::from).collect(),
            DecodingResult::U16(v) => v.into_iter().map(f64::from).collect(),
            DecodingResult::I32(v) => v.into_iter().map(f64::from).collect(),
            DecodingResult::F32(v) => v.into_iter().map(f64::from).collect(),
            DecodingResult::F64(v) => v,
            _ => return Err(format("unsupported sample type".into())),
        };
        let values = raw
            .into_iter()
            .map(|v| {
                if Some(v) == nodata {
                    f32::NAN
                } else {
                    v as f32
                }
            })
            .collect();
        Ok(Dem::new(
            ncols as usize,
            nrows as usize,
            x - i * sx,
            y + j * sy,
            sx,
            values,
        ))
    }

    /// Number of columns and rows.
    pub fn shape(&self) -> (usize, usize) {
        (self.ncols, self.nrows)
    }

    /// Cell size in degrees.
    pub fn cellsize(&self) -> f64 {
        self.cellsize
    }

    /// The lon/lat of a cell's centre.
    pub fn cell_centre(&self, col: usize, row: usize) -> (f64, f64) {
        (
            self.west + (col as f64 + 0.5) * self.cellsize,
            self.north - (row as f64 + 0.5) * self.cellsize,
        )
    }

    /// The western and northern edges of the grid, degrees (for fast samplers such as the
    /// radar's, which must agree with [`Dem::elevation`] bit for bit).
    pub fn origin(&self) -> (f64, f64) {
        (self.west, self.north)
    }

    /// Every cell's elevation, metres, row-major from the north-west corner; NaN where missing.
    pub fn values(&self) -> &[f32] {
        &self.values
    }

    /// The elevation of one cell, metres; `None` where missing or outside.
    pub fn cell_value(&self, col: usize, row: usize) -> Option<f64> {
        if col >= self.ncols || row >= self.nrows {
            return None;
        }
        let v = self.values[row * self.ncols + col];
        (!v.is_nan()).then_some(v as f64)
    }

    /// Whether a lon/lat lies on the grid.
    pub fn covers(&self, lon: f64, lat: f64) -> bool {
        lon >= self.west
            && lon <= self.west + self.ncols as f64 * self.cellsize
            && lat <= self.north
            && lat >= self.north - self.nrows as f64 * self.cellsize
    }

    /// Bilinear elevation between cell centres, metres; `None` off the grid or where data are
    /// missing.
    ///
    /// # Examples
    /// ```
    /// use wxmod::terrain::Dem;
    /// // 2 x 2 cells of 1 degree: 100 m and 200 m in the west, 300 m and 400 m in the east.
    /// let dem = Dem::new(2, 2, 0.0, 2.0, 1.0, vec![100.0, 300.0, 200.0, 400.0]);
    /// assert_eq!(dem.elevation(1.0, 1.0), Some(250.0));
    /// assert_eq!(dem.elevation(0.5, 1.5), Some(100.0));
    /// assert_eq!(dem.elevation(5.0, 1.0), None);
    /// ```
    pub fn elevation(&self, lon: f64, lat: f64) -> Option<f64> {
        if !self.covers(lon, lat) {
            return None;
        }
        let fx = ((lon - self.west) / self.cellsize - 0.5).clamp(0.0, (self.ncols - 1) as f64);
        let fy = ((self.north - lat) / self.cellsize - 0.5).clamp(0.0, (self.nrows - 1) as f64);
        let c0 = (fx.floor() as usize).min(self.ncols.saturating_sub(2));
        let r0 = (fy.floor() as usize).min(self.nrows.saturating_sub(2));
        let c1 = (c0 + 1).min(self.ncols - 1);
        let r1 = (r0 + 1).min(self.nrows - 1);
        let (tx, ty) = (fx - c0 as f64, fy - r0 as f64);
        let corners = [
            self.cell_value(c0, r0),
            self.cell_value(c1, r0),
            self.cell_value(c0, r1),
            self.cell_value(c1, r1),
        ];
        if let [Some(a), Some(b), Some(c), Some(d)] = corners {
            let top = a + (b - a) * tx;
            let bottom = c + (d - c) * tx;
            return Some(top + (bottom - top) * ty);
        }
        // Missing data next to the sample: use the nearest cell, never a blend with a gap.
        self.cell_value(fx.round() as usize, fy.round() as usize)
    }

    /// Terrain slope in degrees from the horizontal; `None` where the elevation is unknown.
    pub fn slope_deg(&self, lon: f64, lat: f64) -> Option<f64> {
        let d = self.cellsize;
        let (mx, my) = metres_per_degree(lat);
        let east = self
            .elevation(lon + d, lat)
            .or_else(|| self.elevation(lon, lat))?;
        let west = self
            .elevation(lon - d, lat)
            .or_else(|| self.elevation(lon, lat))?;
        let north = self
            .elevation(lon, lat + d)
            .or_else(|| self.elevation(lon, lat))?;
        let south = self
            .elevation(lon, lat - d)
            .or_else(|| self.elevation(lon, lat))?;
        let gx = (east - west) / (2.0 * d * mx);
        let gy = (north - south) / (2.0 * d * my);
        Some((gx * gx + gy * gy).sqrt().atan().to_degrees())
    }

    /// Iterates over every cell with data: (col, row, lon, lat, elevation).
    pub fn cells(&self) -> impl Iterator<Item = (usize, usize, f64, f64, f64)> + '_ {
        (0..self.nrows).flat_map(move |row| {
            (0..self.ncols).filter_map(move |col| {
                let v = self.cell_value(col, row)?;
                let (lon, lat) = self.cell_centre(col, row);
                Some((col, row, lon, lat, v))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_cells_are_not_blended() {
        let dem = Dem::new(2, 1, 0.0, 1.0, 1.0, vec![100.0, f32::NAN]);
        assert_eq!(dem.elevation(0.6, 0.5), Some(100.0));
        assert_eq!(dem.elevation(1.6, 0.5), None);
    }

    #[test]
    fn a_plane_has_its_slope() {
        // Elevation rises 1 m per metre eastwards at the equator: 45 degrees.
        let (mx, _) = metres_per_degree(0.0);
        let cs = 0.01;
        let values: Vec<f32> = (0..5 * 5)
            .map(|i| ((i % 5) as f64 * cs * mx) as f32)
            .collect();
        let dem = Dem::new(5, 5, 0.0, 0.025, cs, values);
        let slope = dem.slope_deg(0.025, 0.0125).unwrap();
        assert!((slope - 45.0).abs() < 0.01, "{slope}");
    }
}
