//! The equipment catalog (装备目录, `data/catalog.toml`): what each site kind reaches, costs
//! and needs, and the unit prices of ammunition and equipment.
//!
//! Coverage, siting and the budget read every number from here; none is hard-coded. Each
//! number `x` may carry a `x_source` string with its tag from DOMAIN.md (\[S#\] sourced, \[A\]
//! assumed default, \[I\] inferred), which reports repeat so that a planner sees which figures
//! are assumptions to check.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::sites::SiteKind;
use crate::units::Yuan;

/// What a site of one kind reaches, costs and needs.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct KindSpec {
    /// Chinese name.
    pub name_zh: String,
    /// Influence (operation) radius, km; 0 for observing equipment.
    pub influence_radius_km: f64,
    /// Cost of one new site or system, yuan.
    pub site_cost_yuan: i64,
    /// Launchers bought with a new site.
    #[serde(default)]
    pub launchers: u32,
    /// Service life, years.
    pub service_life_years: u32,
    /// Crew needed to operate it (0: remote or unmanned).
    pub crew: u32,
    /// Yearly upkeep per site, yuan.
    pub upkeep_yuan_per_year: i64,
    /// The item it consumes (a key of `[items]`), if any.
    #[serde(default)]
    pub ammunition: Option<String>,
    /// Rounds (or flares) used per site per year when no history is known.
    #[serde(default)]
    pub yearly_rounds: u32,
    /// Ammunition safes bought with a new site.
    #[serde(default)]
    pub safes: u32,
}

impl KindSpec {
    /// Influence radius in metres.
    pub fn influence_radius_m(&self) -> f64 {
        self.influence_radius_km * 1000.0
    }

    /// Cost of one new site.
    pub fn site_cost(&self) -> Yuan {
        Yuan::from_yuan(self.site_cost_yuan)
    }
}

/// An item bought by the unit: ammunition or equipment.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ItemSpec {
    /// Chinese name.
    pub name_zh: String,
    /// Price per unit, yuan.
    pub unit_cost_yuan: i64,
    /// Shelf life (ammunition) or service life (equipment), years.
    pub shelf_life_years: u32,
}

/// Recurring costs per unit or person.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Recurring {
    /// Annual inspection of a gun or launcher (年检), yuan per unit and year.
    pub inspection_yuan_per_unit_year: i64,
    /// Operator accident and third-party insurance, yuan per person and year.
    pub insurance_yuan_per_person_year: i64,
    /// Operator duty allowance, yuan per person and year.
    pub duty_allowance_yuan_per_person_year: i64,
    /// Reward per debris report, yuan.
    pub debris_reward_yuan_per_report: i64,
}

/// The whole catalog.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Catalog {
    /// Site kinds by file name (`fixed_rocket` ...); every [`SiteKind`] has one (the loader
    /// refuses a catalog that lacks any), so [`Catalog::kind`] is total.
    kinds: BTreeMap<String, KindSpec>,
    /// Items by name (`rocket`, `shell_37mm`, `flare` ...).
    pub items: BTreeMap<String, ItemSpec>,
    /// Recurring costs.
    pub recurring: Recurring,
    /// Source tags by dotted key (`kinds.fixed_rocket.site_cost_yuan` -> "\[A\] ...").
    pub sources: BTreeMap<String, String>,
    /// The file it was read from.
    pub path: PathBuf,
}

/// A catalog that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The file could not be read.
    #[error("cannot read catalog {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML or an entry is malformed.
    #[error("catalog {path}: {reason}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, naming the entry.
        reason: String,
    },
}

/// The bundled catalog (`data/catalog.toml`), or `$WXMOD_DATA/catalog.toml`.
pub fn bundled_catalog_path() -> PathBuf {
    match std::env::var_os("WXMOD_DATA") {
        Some(dir) => PathBuf::from(dir).join("catalog.toml"),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data")
            .join("catalog.toml"),
    }
}

impl Catalog {
    /// Reads and checks a catalog.
    ///
    /// # Examples
    /// ```
    /// let catalog = wxmod::catalog::Catalog::read(&wxmod::catalog::bundled_catalog_path()).unwrap();
    /// let rocket_site = catalog.kind(wxmod::sites::SiteKind::FixedRocket);
    /// assert_eq!(rocket_site.influence_radius_km, 10.0);
    /// assert!(catalog.source("kinds.fixed_rocket.site_cost_yuan").unwrap().starts_with("[A]"));
    /// ```
    pub fn read(path: &Path) -> Result<Catalog, CatalogError> {
        let text = crate::files::read_text(path).map_err(|e| CatalogError::Read {
            path: path.to_path_buf(),
            source: e,
        })?;
        Self::parse(&text, path)
    }

    /// Checks catalog text; `path` is used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Catalog, CatalogError> {
        let invalid = |reason: String| CatalogError::Invalid {
            path: path.to_path_buf(),
            reason,
        };
        let mut table: toml::Table =
            toml::from_str(text).map_err(|e| invalid(e.message().to_string()))?;
        let mut sources = BTreeMap::new();
        strip_sources(&mut table, "", &mut sources);
        let section = |table: &mut toml::Table, name: &str| {
            table
                .remove(name)
                .ok_or_else(|| invalid(format!("the [{name}] section is missing")))
        };
        let kinds_value = section(&mut table, "kinds")?;
        let items_value = section(&mut table, "items")?;
        let recurring_value = section(&mut table, "recurring")?;
        if let Some(extra) = table.keys().next() {
            return Err(invalid(format!("unknown section [{extra}]")));
        }
        let kinds: BTreeMap<String, KindSpec> = kinds_value
            .try_into()
            .map_err(|e: toml::de::Error| invalid(format!("in [kinds]: {}", e.message())))?;
        let items: BTreeMap<String, ItemSpec> = items_value
            .try_into()
            .map_err(|e: toml::de::Error| invalid(format!("in [items]: {}", e.message())))?;
        let recurring: Recurring = recurring_value
            .try_into()
            .map_err(|e: toml::de::Error| invalid(format!("in [recurring]: {}", e.message())))?;
        for (name, kind) in &kinds {
            name.parse::<SiteKind>()
                .map_err(|e| invalid(format!("[kinds.{name}]: {e}")))?;
            if !(kind.influence_radius_km >= 0.0 && kind.influence_radius_km.is_finite()) {
                return Err(invalid(format!(
                    "[kinds.{name}] influence_radius_km must be >= 0"
                )));
            }
            if kind.site_cost_yuan < 0 || kind.upkeep_yuan_per_year < 0 {
                return Err(invalid(format!("[kinds.{name}] costs must be >= 0")));
            }
            if let Some(item) = &kind.ammunition
                && !items.contains_key(item)
            {
                return Err(invalid(format!(
                    "[kinds.{name}] ammunition = \"{item}\" names no [items] entry"
                )));
            }
        }
        for (name, item) in &items {
            if item.unit_cost_yuan < 0 {
                return Err(invalid(format!(
                    "[items.{name}] unit_cost_yuan must be >= 0"
                )));
            }
        }
        for (key, value) in [
            (
                "inspection_yuan_per_unit_year",
                recurring.inspection_yuan_per_unit_year,
            ),
            (
                "insurance_yuan_per_person_year",
                recurring.insurance_yuan_per_person_year,
            ),
            (
                "duty_allowance_yuan_per_person_year",
                recurring.duty_allowance_yuan_per_person_year,
            ),
            (
                "debris_reward_yuan_per_report",
                recurring.debris_reward_yuan_per_report,
            ),
        ] {
            if value < 0 {
                return Err(invalid(format!(
                    "[recurring] {key} must be >= 0, got {value}"
                )));
            }
        }
        for kind in SiteKind::ALL {
            if !kinds.contains_key(kind.as_str()) {
                return Err(invalid(format!("[kinds.{}] is missing", kind.as_str())));
            }
        }
        Ok(Catalog {
            kinds,
            items,
            recurring,
            sources,
            path: path.to_path_buf(),
        })
    }

    /// The spec of a site kind; every kind has one (the loader refuses a catalog that lacks
    /// any), so this never fails.
    pub fn kind(&self, kind: SiteKind) -> &KindSpec {
        self.kinds
            .get(kind.as_str())
            .expect("invariant: Catalog::parse refuses a catalog without every site kind")
    }

    /// The spec of a site kind, to change (a planner's what-if, a test's variant).
    pub fn kind_mut(&mut self, kind: SiteKind) -> &mut KindSpec {
        self.kinds
            .get_mut(kind.as_str())
            .expect("invariant: Catalog::parse refuses a catalog without every site kind")
    }

    /// The source tag of a dotted key, e.g. `kinds.burner.site_cost_yuan`.
    pub fn source(&self, key: &str) -> Option<&str> {
        self.sources.get(key).map(String::as_str)
    }

    /// Whether a number is an assumed default (\[A\]) that the planner should check.
    pub fn is_assumed(&self, key: &str) -> bool {
        self.source(key).is_some_and(|s| s.starts_with("[A]"))
    }
}

/// Moves every `x_source` string out of the table into `sources` under its dotted key `x`.
fn strip_sources(table: &mut toml::Table, prefix: &str, sources: &mut BTreeMap<String, String>) {
    let keys: Vec<String> = table.keys().cloned().collect();
    for key in keys {
        let dotted = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        if let Some(base) = key.strip_suffix("_source") {
            if let Some(toml::Value::String(text)) = table.remove(&key) {
                let base_dotted = if prefix.is_empty() {
                    base.to_string()
                } else {
                    format!("{prefix}.{base}")
                };
                sources.insert(base_dotted, text);
            }
            continue;
        }
        if let Some(toml::Value::Table(inner)) = table.get_mut(&key) {
            strip_sources(inner, &dotted, sources);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_catalog_reads() {
        let c = Catalog::read(&bundled_catalog_path()).unwrap();
        assert_eq!(c.kind(SiteKind::Burner).site_cost_yuan, 163_000);
        assert!(
            c.source("kinds.burner.site_cost_yuan")
                .unwrap()
                .starts_with("[S31]")
        );
        assert!(c.is_assumed("items.rocket.unit_cost_yuan"));
    }

    #[test]
    fn an_unknown_key_is_named() {
        let text = std::fs::read_to_string(bundled_catalog_path())
            .unwrap()
            .replace("crew = 3", "crews = 3");
        let err = Catalog::parse(&text, Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `crews`"), "{err}");
    }

    #[test]
    fn a_dangling_ammunition_name_is_refused() {
        let text = std::fs::read_to_string(bundled_catalog_path())
            .unwrap()
            .replace("ammunition = \"flare\"", "ammunition = \"flares\"");
        let err = Catalog::parse(&text, Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("[kinds.burner] ammunition = \"flares\" names no [items] entry"),
            "{err}"
        );
    }
}
