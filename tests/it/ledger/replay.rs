//! Replaying the log rebuilds every table exactly, including numbers that need all 17 digits
//! to round-trip (regression: the bench's site at lon 112.14000000000001 made `verify` report
//! the `sites` table as edited until serde_json's exact float parsing was turned on).

use wxmod::ledger::*;

use super::fixture::*;

#[test]
fn awkward_floats_survive_the_replay() {
    let mut ledger = Ledger::in_memory().unwrap_or_else(|e| panic!("{e}"));
    let mut events = Vec::new();
    for s in 0..50 {
        let mut point = site(
            &format!("S{s}"),
            PointKind::FixedRocket,
            "朔城区",
            "rocket=30",
            Some("张"),
        );
        point.lon = 112.0 + f64::from(s) * 0.02;
        point.lat = 39.3 + f64::from(s) * 0.01;
        events.push(ev("2025-06-01 08:00", Event::Site(point)));
        let sector = FiringSector {
            site: format!("S{s}"),
            azimuths: vec![AzimuthRange {
                from_deg: 0.1 * f64::from(s),
                to_deg: 200.0 + 0.3 * f64::from(s),
            }],
            elevation_min_deg: 45.0 + 0.1 * f64::from(s % 7),
            elevation_max_deg: 85.0,
        };
        events.push(ev("2025-06-01 08:00", Event::Sector(sector)));
    }
    ledger
        .record_all(&events, 0, |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    let report = ledger.verify(None).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.is_intact(), "{:?}", report.findings);
}
