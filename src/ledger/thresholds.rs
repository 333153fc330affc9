//! The configurable numbers behind the ledger's rules and deadlines, with their defaults.
//!
//! Each default carries its DOMAIN.md rule id and tag: \[S\] read in a source, \[A\] an assumed
//! default to be set by the bureau. The values live in the ledger database itself (changed
//! by a `configure` event, so that every process and every replay sees the same rules) and are
//! named by dotted keys such as `site_capacity.rocket`.

use serde::{Deserialize, Serialize};

use super::records::Capacity;

/// Minimum crew per firing, by equipment kind (DOMAIN L21).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrewMinimum {
    /// Rocket launchers: 3 \[S17 loc\].
    pub launcher: i64,
    /// Guns: 4 \[S17 loc\].
    pub gun: i64,
    /// Remote burners: 0, they are remote-controlled \[A\].
    pub burner: i64,
}

/// Every threshold the rules and the deadline check use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// L2: days to file a purchase with county public security: 3 \[S2 art24\].
    pub police_filing_days: i64,
    /// L4: days to return the transport licence after arrival: 3 \[S2 art29\].
    pub licence_return_days: i64,
    /// L11: default temporary storage of a standardized site: 30 rockets, 300 shells \[A\],
    /// 60 flares \[A\].
    pub site_capacity: Capacity,
    /// L12: most issued to a site at once, one operation period's need: 20 rockets,
    /// 200 shells, 40 flares \[A\].
    pub period_need: Capacity,
    /// L13: days after its last issue or firing by which a site's stock is back in a depot: 2 \[A\].
    pub return_days: i64,
    /// L16: hours to report the end of a gun or rocket operation to airspace control:
    /// "immediately" \[S17 loc\], 1 hour of grace \[A\].
    pub end_report_hours: i64,
    /// L17: hours to file the written operation report: 24 \[S38 loc\].
    pub written_report_hours: i64,
    /// L21: minimum crew.
    pub crew_min: CrewMinimum,
    /// L20: renew a certificate at least this many days before it expires: 30 \[S18 loc\].
    pub certificate_renewal_days: i64,
    /// L20: youngest operator age in years: 18 \[S18 loc\].
    pub operator_min_age_years: i64,
    /// L23: days between annual inspections of guns and launchers: 365 \[S1 art17\].
    pub inspection_interval_days: i64,
    /// L25: days to file a transfer of equipment between units: 30 \[S1 art18\].
    pub equipment_filing_days: i64,
    /// L28: days to investigate a fallen dud: 7 \[A\].
    pub dud_investigation_days: i64,
    /// `ledger check`: list what falls due within this many days: 30 \[A\].
    pub warning_days: i64,
    /// §2.4: lowest elevation of a sector set without one: 45 degrees \[A\].
    pub elevation_min_deg: f64,
    /// §2.4: highest elevation of a sector set without one: 85 degrees \[A\].
    pub elevation_max_deg: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            police_filing_days: 3,
            licence_return_days: 3,
            site_capacity: Capacity {
                rocket: 30,
                shell: 300,
                flare: 60,
            },
            period_need: Capacity {
                rocket: 20,
                shell: 200,
                flare: 40,
            },
            return_days: 2,
            end_report_hours: 1,
            written_report_hours: 24,
            crew_min: CrewMinimum {
                launcher: 3,
                gun: 4,
                burner: 0,
            },
            certificate_renewal_days: 30,
            operator_min_age_years: 18,
            inspection_interval_days: 365,
            equipment_filing_days: 30,
            dud_investigation_days: 7,
            warning_days: 30,
            elevation_min_deg: 45.0,
            elevation_max_deg: 85.0,
        }
    }
}

/// A threshold that cannot be set as asked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ThresholdError {
    /// The key names no threshold; the message lists the keys.
    #[error("'{key}' is not a threshold: use one of {known}")]
    UnknownKey {
        /// The key as given.
        key: String,
        /// Every key, comma separated.
        known: String,
    },
    /// The value does not fit the threshold (a whole number of 0 or more, or degrees 0-90).
    #[error("threshold {key} cannot be '{value}': {why}")]
    BadValue {
        /// The key.
        key: String,
        /// The value as given.
        value: String,
        /// What is wrong.
        why: String,
    },
}

impl Thresholds {
    /// Every settable key, dotted for nested values.
    pub fn keys() -> Vec<String> {
        let value = serde_json::to_value(Thresholds::default()).unwrap_or_default();
        let mut keys = Vec::new();
        flatten_keys(&value, "", &mut keys);
        keys
    }

    /// Sets one threshold by its dotted key; the whole set is checked afterwards (numbers 0 or
    /// more, elevations within 0-90 degrees and min below max).
    ///
    /// # Examples
    /// ```
    /// let mut t = wxmod::ledger::Thresholds::default();
    /// t.set("site_capacity.rocket", "24").unwrap();
    /// assert_eq!(t.site_capacity.rocket, 24);
    /// assert!(t.set("return_days", "-1").is_err());
    /// assert!(t.set("no_such_key", "1").is_err());
    /// ```
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ThresholdError> {
        let bad = |why: String| ThresholdError::BadValue {
            key: key.to_string(),
            value: value.to_string(),
            why,
        };
        let unknown = || ThresholdError::UnknownKey {
            key: key.to_string(),
            known: Thresholds::keys().join(", "),
        };
        let mut tree = serde_json::to_value(&*self).map_err(|e| bad(e.to_string()))?;
        let mut slot = &mut tree;
        for part in key.split('.') {
            slot = slot.get_mut(part).ok_or_else(unknown)?;
        }
        if slot.is_object() {
            return Err(unknown());
        }
        let parsed: serde_json::Value =
            serde_json::from_str(value.trim()).map_err(|_| bad("not a number".to_string()))?;
        if !parsed.is_number() {
            return Err(bad("not a number".to_string()));
        }
        *slot = parsed;
        let updated: Thresholds =
            serde_json::from_value(tree).map_err(|_| bad("not a whole number".to_string()))?;
        updated.validate().map_err(bad)?;
        *self = updated;
        Ok(())
    }

    /// Checks that every number is usable.
    fn validate(&self) -> Result<(), String> {
        let whole = [
            self.police_filing_days,
            self.licence_return_days,
            self.return_days,
            self.end_report_hours,
            self.written_report_hours,
            self.certificate_renewal_days,
            self.operator_min_age_years,
            self.inspection_interval_days,
            self.equipment_filing_days,
            self.dud_investigation_days,
            self.warning_days,
            self.crew_min.launcher,
            self.crew_min.gun,
            self.crew_min.burner,
        ];
        let capacities = [self.site_capacity, self.period_need];
        if whole.iter().any(|n| *n < 0)
            || capacities
                .iter()
                .any(|c| c.rocket < 0 || c.shell < 0 || c.flare < 0)
        {
            return Err("must be 0 or more".to_string());
        }
        let (lo, hi) = (self.elevation_min_deg, self.elevation_max_deg);
        if !(0.0..=90.0).contains(&lo) || !(0.0..=90.0).contains(&hi) || lo >= hi {
            return Err("elevations must lie within 0-90 degrees, min below max".to_string());
        }
        Ok(())
    }
}

fn flatten_keys(value: &serde_json::Value, prefix: &str, keys: &mut Vec<String>) {
    match value.as_object() {
        Some(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten_keys(v, &key, keys);
            }
        }
        None => keys.push(prefix.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_can_be_set() {
        for key in Thresholds::keys() {
            let mut t = Thresholds::default();
            let value = if key.starts_with("elevation") {
                "60"
            } else {
                "7"
            };
            t.set(&key, value).unwrap_or_else(|e| panic!("{key}: {e}"));
        }
        assert!(Thresholds::keys().contains(&"crew_min.gun".to_string()));
    }

    #[test]
    fn bad_values_are_refused_and_leave_the_set_unchanged() {
        let mut t = Thresholds::default();
        assert!(t.set("crew_min", "3").is_err());
        assert!(t.set("return_days", "2.5").is_err());
        assert!(t.set("elevation_min_deg", "88").is_err());
        assert!(t.set("return_days", "soon").is_err());
        assert_eq!(t, Thresholds::default());
    }
}
