//! The only place where lon/lat degrees become planar metres and back (地图投影).
//!
//! All planning geometry (grids, coverage discs, distances) is computed in a projected CRS in
//! metres. By default that is the UTM zone of the region's centroid on WGS84 (Shuozhou:
//! EPSG:32649, UTM 49N); a user may give any CRS that proj4rs knows, as an EPSG code
//! (`EPSG:32649`) or a PROJ string (`+proj=aea +lat_1=25 +lat_2=47 +lon_0=105 ...`), for
//! example an Albers equal-area projection for national runs.
//!
//! proj4rs works in radians for geographic coordinates; this module converts so that callers
//! only ever see degrees (lon/lat) or metres (x/y). Cost: one proj4rs transform per point.

use geo::{Coord, MapCoords, MultiPolygon};
use proj4rs::proj::Proj;

/// PROJ string of the geographic CRS all lon/lat input is converted to (WGS84).
const WGS84_LONLAT: &str = "+proj=longlat +ellps=WGS84 +datum=WGS84 +no_defs";

/// The same lon/lat without a datum: used with projected CRSs that name no datum (only
/// `+ellps=WGS84`, as many Albers strings do), so that proj4rs does not run a geocentric datum
/// shift that changes nothing but costs most of the transform time.
const WGS84_LONLAT_NO_DATUM: &str = "+proj=longlat +ellps=WGS84 +no_defs";

/// A CRS that could not be set up or a point that could not be projected.
#[derive(Debug, thiserror::Error)]
pub enum ProjectionError {
    /// The CRS text is neither an EPSG code proj4rs knows nor a valid PROJ string.
    #[error(
        "unknown or invalid CRS '{spec}': give an EPSG code such as EPSG:32649 or a PROJ string ({reason})"
    )]
    UnknownCrs {
        /// The CRS as given.
        spec: String,
        /// proj4rs' reason.
        reason: String,
    },
    /// The CRS is geographic (degrees), but planning needs metres.
    #[error("CRS '{spec}' is geographic (degrees); wxmod needs a projected CRS in metres")]
    NotProjected {
        /// The CRS as given.
        spec: String,
    },
    /// A point fell outside the projection's domain.
    #[error("point ({x}, {y}) cannot be transformed with CRS '{spec}'")]
    Transform {
        /// The CRS in use.
        spec: String,
        /// First coordinate of the point.
        x: f64,
        /// Second coordinate of the point.
        y: f64,
    },
}

/// Regions wider than this, degrees of longitude (about three UTM zones), are projected with
/// [`CHINA_ALBERS`] when no projection is given: transverse Mercator distorts lengths and
/// areas more and more away from its zone's central meridian, an equal-area conic does not
/// distort areas at all.
pub const MAX_UTM_SPAN_DEG: f64 = 18.0;

/// The Albers equal-area conic for China chosen for national runs: standard parallels 25°N
/// and 47°N, central meridian 105°E, on the WGS84 ellipsoid.
pub const CHINA_ALBERS: &str = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs";

/// A projected CRS in metres together with the WGS84 lon/lat CRS it converts from.
pub struct Projection {
    lonlat: Proj,
    projected: Proj,
    spec: String,
}

impl std::fmt::Debug for Projection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Projection")
            .field("spec", &self.spec)
            .finish()
    }
}

impl Clone for Projection {
    fn clone(&self) -> Self {
        Projection::from_spec(&self.spec).expect("invariant: a projection's own spec parses")
    }
}

impl Projection {
    /// A projection from an EPSG code (`EPSG:32649`) or a PROJ string.
    ///
    /// # Examples
    /// ```
    /// let utm49 = wxmod::region::Projection::from_spec("EPSG:32649").unwrap();
    /// let (x, y) = utm49.forward(111.0, 0.0).unwrap();
    /// assert!((x - 500_000.0).abs() < 1e-6 && y.abs() < 1e-6);
    /// ```
    pub fn from_spec(spec: &str) -> Result<Projection, ProjectionError> {
        let projected =
            Proj::from_user_string(spec.trim()).map_err(|e| ProjectionError::UnknownCrs {
                spec: spec.to_string(),
                reason: e.to_string(),
            })?;
        if projected.is_latlong() {
            return Err(ProjectionError::NotProjected {
                spec: spec.to_string(),
            });
        }
        let has_datum = spec.contains("+datum")
            || spec.contains("+towgs84")
            || !spec.trim_start().starts_with('+');
        let lonlat_spec = if has_datum {
            WGS84_LONLAT
        } else {
            WGS84_LONLAT_NO_DATUM
        };
        let lonlat =
            Proj::from_proj_string(lonlat_spec).expect("invariant: WGS84 PROJ string parses");
        Ok(Projection {
            lonlat,
            projected,
            spec: spec.trim().to_string(),
        })
    }

    /// The WGS84 UTM zone holding a point, as `EPSG:326zz` (north) or `EPSG:327zz` (south).
    ///
    /// # Examples
    /// ```
    /// // Shuozhou's centroid lies in UTM zone 49 north.
    /// assert_eq!(wxmod::region::Projection::utm_code_for(112.7, 39.6), "EPSG:32649");
    /// ```
    pub fn utm_code_for(lon: f64, lat: f64) -> String {
        let zone = (((lon + 180.0) / 6.0).floor() as i64).clamp(0, 59) + 1;
        let base = if lat >= 0.0 { 32600 } else { 32700 };
        format!("EPSG:{}", base + zone)
    }

    /// The WGS84 UTM projection for the zone holding a point.
    pub fn utm_for(lon: f64, lat: f64) -> Projection {
        Projection::from_spec(&Self::utm_code_for(lon, lat))
            .expect("invariant: UTM EPSG codes are known")
    }

    /// The CRS as given (EPSG code or PROJ string).
    pub fn spec(&self) -> &str {
        &self.spec
    }

    /// lon/lat degrees (WGS84) to projected metres.
    pub fn forward(&self, lon: f64, lat: f64) -> Result<(f64, f64), ProjectionError> {
        let mut p = (lon.to_radians(), lat.to_radians(), 0.0);
        proj4rs::transform::transform(&self.lonlat, &self.projected, &mut p)
            .map_err(|_| self.transform_error(lon, lat))?;
        if !(p.0.is_finite() && p.1.is_finite()) {
            return Err(self.transform_error(lon, lat));
        }
        Ok((p.0, p.1))
    }

    /// Projected metres to lon/lat degrees (WGS84).
    pub fn inverse(&self, x: f64, y: f64) -> Result<(f64, f64), ProjectionError> {
        let mut p = (x, y, 0.0);
        proj4rs::transform::transform(&self.projected, &self.lonlat, &mut p)
            .map_err(|_| self.transform_error(x, y))?;
        if !(p.0.is_finite() && p.1.is_finite()) {
            return Err(self.transform_error(x, y));
        }
        Ok((p.0.to_degrees(), p.1.to_degrees()))
    }

    /// A lon/lat multipolygon in projected metres.
    pub fn forward_multipolygon(
        &self,
        lonlat: &MultiPolygon<f64>,
    ) -> Result<MultiPolygon<f64>, ProjectionError> {
        lonlat.try_map_coords(|c| self.forward(c.x, c.y).map(|(x, y)| Coord { x, y }))
    }

    /// A projected multipolygon back in lon/lat degrees.
    pub fn inverse_multipolygon(
        &self,
        projected: &MultiPolygon<f64>,
    ) -> Result<MultiPolygon<f64>, ProjectionError> {
        projected.try_map_coords(|c| self.inverse(c.x, c.y).map(|(x, y)| Coord { x, y }))
    }

    fn transform_error(&self, x: f64, y: f64) -> ProjectionError {
        ProjectionError::Transform {
            spec: self.spec.clone(),
            x,
            y,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utm_zone_codes() {
        assert_eq!(Projection::utm_code_for(112.7, 39.6), "EPSG:32649");
        assert_eq!(Projection::utm_code_for(-0.5, -10.0), "EPSG:32730");
        assert_eq!(Projection::utm_code_for(180.0, 10.0), "EPSG:32660");
    }

    #[test]
    fn geographic_crs_is_refused() {
        let err = Projection::from_spec("EPSG:4326").unwrap_err();
        assert!(matches!(err, ProjectionError::NotProjected { .. }), "{err}");
    }

    #[test]
    fn nonsense_crs_is_refused() {
        assert!(matches!(
            Projection::from_spec("EPSG:99999999"),
            Err(ProjectionError::UnknownCrs { .. })
        ));
        assert!(matches!(
            Projection::from_spec("hello"),
            Err(ProjectionError::UnknownCrs { .. })
        ));
    }
}
