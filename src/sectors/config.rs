//! Every number the safe firing sector (安全射界) uses, in one struct with documented defaults.
//!
//! Units: metres and degrees. Each default carries its tag from DOMAIN.md: \[S#\] read in a
//! source, \[A\] assumed default (check and replace), \[I\] inferred. A TOML file may give any
//! subset of the keys; the rest keep their defaults (`examples/sectors.toml` lists them all).
//! Tables merge key by key, so a file can change one equipment's band, add an equipment or map
//! a site kind to another equipment without repeating the rest.
//!
//! Defaults (DOMAIN.md §2.4):
//! - margin between the fall band and any protected object: 200 m \[S3\] (GB/T 39782-2021: the
//!   sector boundary lies more than 200 m from dense population and important facilities);
//! - fall band: 37 mm gun 2-7 km \[S21\], rockets 0-10 km [S22-S27];
//! - minimum sector (radial x tangential): 37 mm gun 1500 x 1000 m at a site altitude
//!   <= 1500 m, 2000 x 1500 m above \[S3\]; rockets the same \[A\] (GB/T 37274 not read);
//! - allowed elevation 45-85 degrees \[A\]; azimuth resolution 1 degree \[I\];
//! - protected radii: county seat (dense town) 2 km \[A\], place 500 m \[A\], airport 3 km \[A\].
//!
//! Errors name the file and the key and say what range is allowed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::sites::SiteKind;

/// The minimum sector of GB/T 39782-2021: a rectangle along the barrel azimuth.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinSector {
    /// Length along the firing azimuth, metres.
    pub radial_m: f64,
    /// Width across the firing azimuth, metres.
    pub tangential_m: f64,
}

/// One kind of launcher or gun: where its debris falls and how large its sector must be.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Equipment {
    /// Chinese name, for reports.
    #[serde(default)]
    pub name_zh: String,
    /// Inner radius of the debris fall band (落弹区), metres from the site.
    pub fall_band_min_m: f64,
    /// Outer radius of the debris fall band, metres from the site.
    pub fall_band_max_m: f64,
    /// Minimum sector at a site altitude at or below [`SectorConfig::high_altitude_m`].
    pub min_sector_low: MinSector,
    /// Minimum sector at a site altitude above [`SectorConfig::high_altitude_m`].
    pub min_sector_high: MinSector,
}

/// Radii of the protected landmarks, metres, before the margin is added.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectRadii {
    /// County seat (县城), a dense town: 2000 m \[A\].
    pub county_seat: f64,
    /// Town or village (GeoNames populated place): 500 m \[A\].
    pub place: f64,
    /// Airport, around its reference point: 3000 m \[A\] (half a 3 km runway plus aprons,
    /// rounded up; the wider airport clearance zone of DOMAIN.md §2.3 is a siting rule).
    pub airport: f64,
}

/// All parameters of the safe firing sector.
///
/// # Examples
/// ```
/// use wxmod::sectors::SectorConfig;
/// let config = SectorConfig::from_toml_str("margin_m = 300\n[equipment.rocket]\nfall_band_max_m = 15000\n",
///     std::path::Path::new("my.toml")).unwrap();
/// assert_eq!(config.margin_m, 300.0);
/// assert_eq!(config.equipment["rocket"].fall_band_max_m, 15_000.0);
/// assert_eq!(config.equipment["gun_37mm"].fall_band_min_m, 2_000.0); // kept default
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectorConfig {
    /// Least distance between the fall band and a protected object, metres: 200 m \[S3\].
    pub margin_m: f64,
    /// Width of an azimuth bin, degrees; must divide 360: 1 degree \[I\] (the issue asks for 1
    /// degree or finer).
    pub azimuth_step_deg: f64,
    /// Lowest allowed firing elevation, degrees: 45 \[A\].
    pub elevation_min_deg: f64,
    /// Highest allowed firing elevation, degrees: 85 \[A\].
    pub elevation_max_deg: f64,
    /// Site altitude (m a.s.l.) above which the larger minimum sector applies: 1500 m \[S3\].
    pub high_altitude_m: f64,
    /// Radii of landmarks by kind.
    pub radius_m: ObjectRadii,
    /// Radius of point facilities without a `radius_m` property, by facility kind; empty by
    /// default (every point facility must then carry its own radius).
    pub facility_radius_m: BTreeMap<String, f64>,
    /// Equipment by name: `gun_37mm` and `rocket` by default.
    pub equipment: BTreeMap<String, Equipment>,
    /// The equipment each firing site kind uses (a site's `equipment` column overrides it):
    /// `fixed_gun = "gun_37mm"`, `fixed_rocket = "rocket"` \[I\]. The base of a vehicle-mounted
    /// system (`mobile_rocket_base`) has no entry: the vehicle fires from pre-approved mobile
    /// operation points (流动作业点, \[S12b\]), each of which needs its own sector; list them as
    /// sites with an `equipment` column, or add `mobile_rocket_base = "rocket"` to draw one at
    /// the base.
    pub site_kinds: BTreeMap<String, String>,
}

impl Default for SectorConfig {
    fn default() -> Self {
        let low_37 = MinSector {
            radial_m: 1500.0,
            tangential_m: 1000.0,
        };
        let high_37 = MinSector {
            radial_m: 2000.0,
            tangential_m: 1500.0,
        };
        let mut equipment = BTreeMap::new();
        equipment.insert(
            "gun_37mm".to_string(),
            Equipment {
                name_zh: "37mm高炮".into(),
                fall_band_min_m: 2000.0,
                fall_band_max_m: 7000.0,
                min_sector_low: low_37,
                min_sector_high: high_37,
            },
        );
        equipment.insert(
            "rocket".to_string(),
            Equipment {
                name_zh: "增雨防雹火箭".into(),
                fall_band_min_m: 0.0,
                fall_band_max_m: 10_000.0,
                min_sector_low: low_37,
                min_sector_high: high_37,
            },
        );
        let site_kinds = [
            (SiteKind::FixedGun, "gun_37mm"),
            (SiteKind::FixedRocket, "rocket"),
        ]
        .into_iter()
        .map(|(k, e)| (k.as_str().to_string(), e.to_string()))
        .collect();
        SectorConfig {
            margin_m: 200.0,
            azimuth_step_deg: 1.0,
            elevation_min_deg: 45.0,
            elevation_max_deg: 85.0,
            high_altitude_m: 1500.0,
            radius_m: ObjectRadii {
                county_seat: 2000.0,
                place: 500.0,
                airport: 3000.0,
            },
            facility_radius_m: BTreeMap::new(),
            equipment,
            site_kinds,
        }
    }
}

/// A sector configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read sector config {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML, has an unknown key, or a value is out of range.
    #[error("sector config {path}: {reason}")]
    Invalid {
        /// The file (or `<defaults>`).
        path: PathBuf,
        /// What is wrong, naming the key.
        reason: String,
    },
}

impl SectorConfig {
    /// Reads a TOML file over the defaults and checks every value.
    pub fn read(path: &Path) -> Result<SectorConfig, ConfigError> {
        let text = crate::files::read_text(path).map_err(|e| ConfigError::Read {
            path: path.to_path_buf(),
            source: e,
        })?;
        Self::from_toml_str(&text, path)
    }

    /// Reads TOML text over the defaults and checks every value; `path` names it in messages.
    pub fn from_toml_str(text: &str, path: &Path) -> Result<SectorConfig, ConfigError> {
        let invalid = |reason: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            reason,
        };
        let user: toml::Table = toml::from_str(text).map_err(|e| invalid(e.message().into()))?;
        let mut merged = toml::Table::try_from(SectorConfig::default())
            .expect("invariant: the default config serializes");
        merge(&mut merged, user);
        let config: SectorConfig = toml::Value::Table(merged)
            .try_into()
            .map_err(|e: toml::de::Error| invalid(e.message().into()))?;
        config.validate().map_err(invalid)?;
        Ok(config)
    }

    /// Checks every value; the message names the key and the allowed range.
    pub fn validate(&self) -> Result<(), String> {
        let finite_nonneg = |key: &str, v: f64| -> Result<(), String> {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err(format!("{key} is {v}; it must be a length >= 0 m"))
            }
        };
        finite_nonneg("margin_m", self.margin_m)?;
        let step = self.azimuth_step_deg;
        let bins = 360.0 / step;
        if !(step > 0.0 && step <= 10.0 && (bins - bins.round()).abs() < 1e-9) {
            return Err(format!(
                "azimuth_step_deg is {step}; it must divide 360 and lie in (0, 10] (e.g. 1, 0.5, 0.25)"
            ));
        }
        let (lo, hi) = (self.elevation_min_deg, self.elevation_max_deg);
        if !(lo.is_finite() && hi.is_finite() && 0.0 <= lo && lo < hi && hi <= 90.0) {
            return Err(format!(
                "elevation_min_deg = {lo}, elevation_max_deg = {hi}; they must satisfy 0 <= min < max <= 90"
            ));
        }
        if !self.high_altitude_m.is_finite() {
            return Err("high_altitude_m must be a finite altitude in metres".into());
        }
        finite_nonneg("radius_m.county_seat", self.radius_m.county_seat)?;
        finite_nonneg("radius_m.place", self.radius_m.place)?;
        finite_nonneg("radius_m.airport", self.radius_m.airport)?;
        for (kind, r) in &self.facility_radius_m {
            finite_nonneg(&format!("facility_radius_m.{kind}"), *r)?;
        }
        if self.equipment.is_empty() {
            return Err("[equipment] is empty; name at least one gun or launcher".into());
        }
        for (name, e) in &self.equipment {
            let (a, b) = (e.fall_band_min_m, e.fall_band_max_m);
            if !(a.is_finite() && b.is_finite() && a >= 0.0 && a < b) {
                return Err(format!(
                    "equipment.{name}: fall band {a}-{b} m is not a range; it needs 0 <= fall_band_min_m < fall_band_max_m"
                ));
            }
            for (which, m) in [
                ("min_sector_low", e.min_sector_low),
                ("min_sector_high", e.min_sector_high),
            ] {
                if !(m.radial_m.is_finite()
                    && m.tangential_m.is_finite()
                    && m.radial_m > 0.0
                    && m.tangential_m > 0.0)
                {
                    return Err(format!(
                        "equipment.{name}.{which} is {} x {} m; both sides must be > 0 m",
                        m.radial_m, m.tangential_m
                    ));
                }
            }
        }
        for (kind, equipment) in &self.site_kinds {
            let parsed: SiteKind = kind.parse().map_err(|e| format!("site_kinds: {e}"))?;
            if !parsed.fires_projectiles() {
                return Err(format!(
                    "site_kinds.{kind}: a {kind} fires no projectiles and needs no sector"
                ));
            }
            if !self.equipment.contains_key(equipment) {
                return Err(format!(
                    "site_kinds.{kind} = \"{equipment}\" names no [equipment] entry (known: {})",
                    self.equipment_names()
                ));
            }
        }
        Ok(())
    }

    /// The equipment names, comma-separated, for messages.
    pub fn equipment_names(&self) -> String {
        self.equipment
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The number of azimuth bins (360 / step).
    pub fn bins(&self) -> usize {
        (360.0 / self.azimuth_step_deg).round() as usize
    }
}

/// Merges `user` into `base`: tables key by key, every other value replaced.
fn merge(base: &mut toml::Table, user: toml::Table) {
    for (key, value) in user {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(u)) => merge(b, u),
            (_, v) => {
                base.insert(key, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        SectorConfig::default().validate().unwrap();
        assert_eq!(SectorConfig::default().bins(), 360);
    }

    #[test]
    fn a_negative_band_is_refused_with_its_key() {
        let err = SectorConfig::from_toml_str(
            "[equipment.gun_37mm]\nfall_band_min_m = -500\n",
            Path::new("s.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("sector config s.toml: equipment.gun_37mm: fall band -500-7000 m"));
    }

    #[test]
    fn a_step_that_does_not_divide_360_is_refused() {
        let err = SectorConfig::from_toml_str("azimuth_step_deg = 0.7", Path::new("s.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("azimuth_step_deg is 0.7"), "{err}");
    }

    #[test]
    fn unknown_keys_and_equipment_are_named() {
        let err = SectorConfig::from_toml_str("margin = 3", Path::new("s.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `margin`"), "{err}");
        let err =
            SectorConfig::from_toml_str("[site_kinds]\nfixed_gun = \"gun_57mm\"", Path::new("s"))
                .unwrap_err()
                .to_string();
        assert!(err.contains("names no [equipment] entry"), "{err}");
        let err = SectorConfig::from_toml_str("[site_kinds]\nburner = \"rocket\"", Path::new("s"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("fires no projectiles"), "{err}");
    }

    #[test]
    fn a_new_equipment_needs_every_field() {
        let err = SectorConfig::from_toml_str(
            "[equipment.gun_57mm]\nfall_band_min_m = 3000\nfall_band_max_m = 12000\n",
            Path::new("s"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("min_sector_low"), "{err}");
    }
}
