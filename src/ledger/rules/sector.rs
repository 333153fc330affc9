//! The safe firing sector rule (id `SECTOR`, DOMAIN §2.4, GB/T 39782-2021): where a site has a
//! computed sector, a gun or rocket firing must point inside one of its azimuth ranges and
//! within its elevation range. Sites without a sector are not checked.

use super::{RuleId, Violation, require};
use crate::ledger::records::FiringSector;

/// `SECTOR`: the firing direction lies in the site's sector, if it has one.
///
/// # Examples
/// ```
/// use wxmod::ledger::{AzimuthRange, FiringSector};
/// use wxmod::ledger::rules::{sector, RuleId};
/// let s = FiringSector { site: "S".into(), azimuths: vec![AzimuthRange { from_deg: 120.0, to_deg: 250.0 }],
///     elevation_min_deg: 45.0, elevation_max_deg: 85.0 };
/// assert!(sector::within_sector("S", Some(&s), Some(200.0), Some(60.0)).is_ok());
/// assert_eq!(sector::within_sector("S", Some(&s), Some(300.0), Some(60.0)).unwrap_err().rule, RuleId::Sector);
/// ```
pub fn within_sector(
    site: &str,
    sector: Option<&FiringSector>,
    azimuth_deg: Option<f64>,
    elevation_deg: Option<f64>,
) -> Result<(), Violation> {
    let Some(sector) = sector else { return Ok(()) };
    let azimuth = azimuth_deg.ok_or_else(|| {
        Violation::new(
            RuleId::Sector,
            format!("site {site} has a firing sector: give the firing azimuth"),
        )
    })?;
    let ranges: Vec<String> = sector
        .azimuths
        .iter()
        .map(|r| format!("{}-{}", r.from_deg, r.to_deg))
        .collect();
    require(
        sector.azimuths.iter().any(|r| r.contains(azimuth)),
        RuleId::Sector,
        || {
            format!(
                "azimuth {azimuth} is outside the firing sector of site {site} ({} degrees)",
                ranges.join(", ")
            )
        },
    )?;
    let elevation = elevation_deg.ok_or_else(|| {
        Violation::new(
            RuleId::Sector,
            format!("site {site} has a firing sector: give the firing elevation"),
        )
    })?;
    let (lo, hi) = (sector.elevation_min_deg, sector.elevation_max_deg);
    require((lo..=hi).contains(&elevation), RuleId::Sector, || {
        format!("elevation {elevation} is outside the allowed {lo}-{hi} degrees at site {site}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::records::AzimuthRange;

    #[test]
    fn sites_without_a_sector_are_not_checked_and_others_need_angles() {
        assert!(within_sector("S", None, None, None).is_ok());
        let s = FiringSector {
            site: "S".into(),
            azimuths: vec![
                AzimuthRange {
                    from_deg: 330.0,
                    to_deg: 30.0,
                },
                AzimuthRange {
                    from_deg: 90.0,
                    to_deg: 100.0,
                },
            ],
            elevation_min_deg: 45.0,
            elevation_max_deg: 85.0,
        };
        assert!(within_sector("S", Some(&s), Some(95.0), Some(45.0)).is_ok());
        assert!(within_sector("S", Some(&s), Some(0.0), Some(85.0)).is_ok());
        assert_eq!(
            within_sector("S", Some(&s), None, Some(60.0))
                .unwrap_err()
                .rule,
            RuleId::Sector
        );
        assert_eq!(
            within_sector("S", Some(&s), Some(95.0), Some(30.0))
                .unwrap_err()
                .rule,
            RuleId::Sector
        );
    }
}
