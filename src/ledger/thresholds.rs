//! The configurable numbers behind the ledger's rules and deadlines, with their defaults.
//!
//! Each default carries its DOMAIN.md rule id and tag: \[S\] read in a source, \[A\] an assumed
//! default to be set by the bureau. The values live in the ledger database itself (changed
//! by a `configure` event, so that every process and every replay sees the same rules) and are
//! named by dotted keys such as `site_capacity.rocket`.

use serde::{Deserialize, Serialize};

use super::admit::MAX_CAPACITY;
use super::records::Capacity;

/// The longest look-ahead of `ledger check --within` and of `warning_days`: ten years.
pub const MAX_WITHIN_DAYS: i64 = 3650;

/// Whether the movements of a numbered lot must name the serial numbers of their rounds
/// (threshold `serials`; per-serial accounting, see [`Unit`](super::Unit)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SerialPolicy {
    /// Every issue, transfer, firing, dud, return, scrapping and loss of a lot received with
    /// serial numbers names them (rule SERIAL-NAMED): the default.
    #[default]
    Required,
    /// A movement may leave them out; the first one that does ends the per-serial record of
    /// its lot (its history says so), which is then kept by lot only.
    Optional,
}

impl SerialPolicy {
    /// The name used in `config --set serials=NAME`.
    pub fn name(self) -> &'static str {
        match self {
            SerialPolicy::Required => "required",
            SerialPolicy::Optional => "optional",
        }
    }
}

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
    /// L7/L8: most rounds one line of an event may name (a receipt, an issue, a firing ...):
    /// 100,000 \[A\]. Same-lot lines of one event are merged first.
    pub max_line_quantity: i64,
    /// TIME-ENTRY: most days an event may be dated before it is recorded (late entry, 补录):
    /// 7 \[A\].
    pub late_entry_days: i64,
    /// TIME-ENTRY: most minutes an event may be dated after it is recorded (clocks that
    /// differ): 10 \[A\].
    pub clock_skew_minutes: i64,
    /// §2.4: lowest elevation of a sector set without one: 45 degrees \[A\].
    pub elevation_min_deg: f64,
    /// §2.4: highest elevation of a sector set without one: 85 degrees \[A\].
    pub elevation_max_deg: f64,
    /// Per-serial accounting: `required` (default \[A\]) or `optional`.
    pub serials: SerialPolicy,
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
            max_line_quantity: 100_000,
            late_entry_days: 7,
            clock_skew_minutes: 10,
            elevation_min_deg: 45.0,
            elevation_max_deg: 85.0,
            serials: SerialPolicy::Required,
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

    /// Sets one threshold by its dotted key; the whole set is checked afterwards (every number
    /// in its range of [`Thresholds::ranges`], the lowest elevation below the highest).
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
        if let Some((_, allowed)) = Thresholds::choices().iter().find(|(k, _)| *k == key) {
            let wanted = value.trim().to_ascii_lowercase();
            if !allowed.contains(&wanted.as_str()) {
                return Err(bad(format!("use one of {}", allowed.join(", "))));
            }
            *slot = serde_json::Value::String(wanted);
            *self = serde_json::from_value(tree).map_err(|e| bad(e.to_string()))?;
            return Ok(());
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

    /// The allowed range of every threshold, as (key, least, most): whole numbers, except
    /// the two elevations (degrees). `wxmod ledger config --help` prints this table.
    pub fn ranges() -> &'static [(&'static str, f64, f64)] {
        const CAP: f64 = MAX_CAPACITY as f64;
        &[
            ("police_filing_days", 0.0, 365.0),
            ("licence_return_days", 0.0, 365.0),
            ("site_capacity.rocket", 0.0, CAP),
            ("site_capacity.shell", 0.0, CAP),
            ("site_capacity.flare", 0.0, CAP),
            ("period_need.rocket", 0.0, CAP),
            ("period_need.shell", 0.0, CAP),
            ("period_need.flare", 0.0, CAP),
            ("return_days", 0.0, 365.0),
            ("end_report_hours", 0.0, 720.0),
            ("written_report_hours", 0.0, 720.0),
            ("crew_min.launcher", 1.0, 20.0),
            ("crew_min.gun", 1.0, 20.0),
            ("crew_min.burner", 0.0, 20.0),
            ("certificate_renewal_days", 0.0, 3650.0),
            ("operator_min_age_years", 16.0, 80.0),
            ("inspection_interval_days", 1.0, 3650.0),
            ("equipment_filing_days", 0.0, 365.0),
            ("dud_investigation_days", 0.0, 365.0),
            ("warning_days", 0.0, MAX_WITHIN_DAYS as f64),
            ("max_line_quantity", 1.0, CAP),
            ("late_entry_days", 0.0, 36500.0),
            ("clock_skew_minutes", 0.0, 1440.0),
            ("elevation_min_deg", 0.0, 90.0),
            ("elevation_max_deg", 0.0, 90.0),
        ]
    }

    /// The settings that take a name rather than a number, as (key, allowed names).
    pub fn choices() -> &'static [(&'static str, &'static [&'static str])] {
        &[("serials", &["required", "optional"])]
    }

    /// One line per threshold: key, default and allowed range, for `config --help`.
    pub fn help() -> String {
        let defaults = serde_json::to_value(Thresholds::default()).unwrap_or_default();
        let mut text = String::from("Thresholds (KEY: default, allowed range):\n");
        for (key, lo, hi) in Thresholds::ranges() {
            let pointer = format!("/{}", key.replace('.', "/"));
            let default = defaults
                .pointer(&pointer)
                .map(|v| v.to_string())
                .unwrap_or_default();
            text.push_str(&format!("  {key}: {default}, {lo}-{hi}\n"));
        }
        for (key, allowed) in Thresholds::choices() {
            let default = defaults
                .get(*key)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            text.push_str(&format!(
                "  {key}: {default}, one of {}\n",
                allowed.join(", ")
            ));
        }
        text
    }

    /// Checks that every number lies in its range (see [`Thresholds::ranges`]) and that the
    /// lowest elevation is below the highest.
    fn validate(&self) -> Result<(), String> {
        let tree = serde_json::to_value(self).map_err(|e| e.to_string())?;
        for (key, lo, hi) in Thresholds::ranges() {
            let pointer = format!("/{}", key.replace('.', "/"));
            let value = tree.pointer(&pointer).and_then(|v| v.as_f64());
            match value {
                Some(v) if (*lo..=*hi).contains(&v) => {}
                _ => return Err(format!("{key} must lie in {lo}-{hi}")),
            }
        }
        if self.elevation_min_deg >= self.elevation_max_deg {
            return Err("elevation_min_deg must be below elevation_max_deg".to_string());
        }
        Ok(())
    }

    /// Checks a stored set (read back from a ledger): every number in its range.
    pub(crate) fn checked(self) -> Result<Thresholds, String> {
        self.validate().map(|()| self)
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
    fn every_key_has_a_range_and_can_be_set_at_both_ends_but_not_beyond() {
        let mut ranged: Vec<&str> = Thresholds::ranges().iter().map(|r| r.0).collect();
        ranged.extend(Thresholds::choices().iter().map(|c| c.0));
        let mut keys = Thresholds::keys();
        keys.sort();
        let mut sorted = ranged.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "every threshold has exactly one range");
        for (key, lo, hi) in Thresholds::ranges() {
            if key.starts_with("elevation") {
                continue;
            }
            for ok in [lo, hi] {
                let mut t = Thresholds::default();
                t.set(key, &ok.to_string())
                    .unwrap_or_else(|e| panic!("{key}={ok}: {e}"));
            }
            for bad in [lo - 1.0, hi + 1.0] {
                let mut t = Thresholds::default();
                assert!(
                    t.set(key, &bad.to_string()).is_err(),
                    "{key}={bad} accepted"
                );
                assert_eq!(t, Thresholds::default());
            }
            let mut t = Thresholds::default();
            assert!(
                t.set(key, "9223372036854775807").is_err(),
                "{key}=i64::MAX accepted"
            );
            assert!(t.set(key, "4611686018427387905").is_err());
        }
        assert!(Thresholds::keys().contains(&"crew_min.gun".to_string()));
    }

    #[test]
    fn the_help_names_every_key_with_its_default_and_range() {
        let help = Thresholds::help();
        assert!(help.contains("police_filing_days: 3, 0-365"), "{help}");
        assert!(help.contains("crew_min.launcher: 3, 1-20"), "{help}");
        assert!(
            help.contains("serials: required, one of required, optional"),
            "{help}"
        );
        assert_eq!(
            help.lines().count(),
            Thresholds::ranges().len() + Thresholds::choices().len() + 1
        );
    }

    #[test]
    fn bad_values_are_refused_and_leave_the_set_unchanged() {
        let mut t = Thresholds::default();
        assert!(t.set("crew_min", "3").is_err());
        assert!(t.set("return_days", "2.5").is_err());
        assert!(t.set("elevation_min_deg", "88").is_err());
        assert!(t.set("return_days", "soon").is_err());
        assert!(t.set("serials", "sometimes").is_err());
        assert!(t.set("serials", "3").is_err());
        assert_eq!(t, Thresholds::default());
        t.set("serials", "Optional").unwrap();
        assert_eq!(t.serials, SerialPolicy::Optional);
    }
}
