//! The site file as users' tools write it: a UTF-8 byte-order mark (Excel, Notepad) changes
//! nothing, in CSV and in GeoJSON.

use wxmod::sites::read_sites;

#[test]
fn a_byte_order_mark_changes_nothing_in_csv_or_geojson() {
    let dir = tempfile::tempdir().unwrap();
    let plain = std::fs::read_to_string("examples/shuozhou_network.csv").unwrap();
    let csv = dir.path().join("bom.csv");
    std::fs::write(&csv, format!("\u{feff}{plain}")).unwrap();
    let expected = read_sites(std::path::Path::new("examples/shuozhou_network.csv")).unwrap();
    let from_bom = read_sites(&csv).unwrap();
    assert_eq!(from_bom.len(), expected.len());
    assert_eq!(
        from_bom[0].id, expected[0].id,
        "the first column keeps its name"
    );

    let features: Vec<String> = expected
        .iter()
        .map(|s| {
            format!(
                r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{},{}]}},"properties":{{"id":"{}","name":"{}","kind":"{}","standardized":"{}","status":"{}","year":{}}}}}"#,
                s.lon,
                s.lat,
                s.id,
                s.name,
                s.kind.as_str(),
                if s.standardized { "yes" } else { "no" },
                s.status.as_str(),
                s.year.map_or("null".to_string(), |y| y.to_string()),
            )
        })
        .collect();
    let geojson = dir.path().join("bom.geojson");
    std::fs::write(
        &geojson,
        format!(
            "\u{feff}{{\"type\":\"FeatureCollection\",\"features\":[{}]}}",
            features.join(",")
        ),
    )
    .unwrap();
    let from_geojson = read_sites(&geojson).unwrap();
    assert_eq!(from_geojson.len(), expected.len());
    for (a, b) in from_geojson.iter().zip(&expected) {
        assert_eq!((&a.id, a.kind, a.lon, a.lat), (&b.id, b.kind, b.lon, b.lat));
    }
}
