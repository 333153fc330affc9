//! Issue #18 point 8, the input files and messages the ledger reads or gives: a GeoJSON site
//! file with a UTF-8 byte-order mark, and SQLite's own guard (a CHECK constraint) reached only
//! through a file edited behind wxmod's back, reported in wxmod's words.

use wxmod::ledger::*;

use super::cli::example;
use super::fixture::*;

/// The bundled Shuozhou points (CSV) as a GeoJSON FeatureCollection.
fn points_geojson() -> String {
    let text = std::fs::read_to_string(example("shuozhou_points.csv"))
        .unwrap_or_else(|e| panic!("shuozhou_points.csv: {e}"));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let features: Vec<serde_json::Value> = lines
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let row: std::collections::BTreeMap<&str, &str> =
                header.iter().copied().zip(line.split(',')).collect();
            let coord = |k: &str| {
                row.get(k)
                    .and_then(|v| v.parse::<f64>().ok())
                    .unwrap_or(f64::NAN)
            };
            let props: serde_json::Map<String, serde_json::Value> = row
                .iter()
                .filter(|(k, _)| !matches!(**k, "lon" | "lat"))
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
                .collect();
            serde_json::json!({
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Point", "coordinates": [coord("lon"), coord("lat")]},
            })
        })
        .collect();
    serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
}

/// #18 found 8: a GeoJSON site file with a BOM was refused.
#[test]
fn issue18_a_geojson_site_file_with_a_bom_is_read_like_one_without() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let plain = dir.path().join("points.geojson");
    let bom = dir.path().join("points-bom.geojson");
    let text = points_geojson();
    std::fs::write(&plain, &text).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&bom, format!("\u{feff}{text}")).unwrap_or_else(|e| panic!("{e}"));
    let t = Thresholds::default();
    let a = read_points(&plain, &t, false).unwrap_or_else(|e| panic!("{e}"));
    let b = read_points(&bom, &t, false).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        a.points
            .iter()
            .any(|p| p.id == "SC-R01" && p.county == "朔城区"),
        "{a:?}"
    );
    assert_eq!(a, b);
}

/// #18 found 8: a raw "CHECK constraint failed" reached the user. The stock totals of site SR
/// edited to 0 behind wxmod's back: a firing at SR passes the rules (the stock rows say 20)
/// but would take the stored total below zero; the refusal says what happened, in wxmod's
/// words, and nothing is written.
#[test]
fn issue18_a_check_constraint_never_reaches_the_user_raw() {
    let f = base();
    let path = f.path();
    drop(f.ledger);
    let conn = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    conn.execute(
        "UPDATE stock_totals SET quantity = 0 WHERE loc_kind = 'site' AND loc_id = 'SR'",
        [],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    drop(conn);
    let mut ledger = Ledger::open(&path).unwrap_or_else(|e| panic!("{e}"));
    ledger.set_clock(RecordingClock::EventTime);
    let before = ledger.fingerprint().unwrap_or_else(|e| panic!("{e}"));
    let err = ledger
        .record(ev("2025-06-12 15:00", Event::Fire(rocket_firing("R-A", 1))))
        .expect_err("the edited total must stop the firing");
    let message = err.to_string();
    assert!(matches!(err, LedgerError::Corrupt(_)), "{err:?}");
    assert!(
        message.contains("changed outside wxmod") && message.contains("wxmod ledger verify"),
        "{message}"
    );
    assert!(!message.to_lowercase().contains("constraint"), "{message}");
    assert_eq!(
        ledger.fingerprint().unwrap_or_else(|e| panic!("{e}")),
        before
    );
}
