//! Sector results as bytes (moved here from `sectors::report`, so that the sector computation
//! no longer depends on the reports): the site table (CSV, Markdown), the ledger's sector import CSV,
//! GeoJSON wedges of the allowed sectors and the protected objects (WGS84 lon/lat).
//!
//! Intervals are written `FROM-TO` in degrees clockwise from true north, ends included
//! (`350-20` wraps through north, `0-360` is the full circle). Wedges are polygons of the fall
//! band over an allowed interval, with vertices every 0.5° of azimuth, built in the site's local
//! frame and mapped back through the projection. Cost: O(sites × intervals).

use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde_json::{Map, Value, json};

use crate::region::{Projection, ProjectionError};
use crate::report::NamedFile;
use crate::sectors::compute::{AzimuthInterval, LocalFrame, SectorStatus};
use crate::sectors::config::SectorConfig;
use crate::sectors::objects::{ObjectShape, ProtectedObject};
use crate::sectors::{SectorTable, SiteSector};

fn round(value: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (value * f).round() / f
}

fn intervals(list: &[AzimuthInterval]) -> String {
    list.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

fn object_name(objects: &[ProtectedObject], i: usize) -> String {
    match objects.get(i) {
        Some(o) if !o.name.is_empty() => o.name.clone(),
        Some(o) => o.id.clone(),
        None => format!("object {i}"),
    }
}

/// `FROM-TO (name, name); ...` for every forbidden interval of a row.
fn forbidden_text(row: &SiteSector, objects: &[ProtectedObject]) -> String {
    row.sector
        .forbidden
        .iter()
        .map(|f| {
            let names: Vec<String> = f
                .blockers
                .iter()
                .map(|&i| object_name(objects, i))
                .collect();
            format!("{} ({})", f.interval, names.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The sector tables of `table`, computed by `engine`: `sectors.csv`, `sectors.md`,
/// `sectors_ledger.csv` (for the ledger's firing check), `sectors.geojson` (the wedges in
/// lon/lat) and `protected_objects.geojson` (what the sectors keep clear of, with margins).
pub fn table_files(
    table: &SectorTable,
    engine: &crate::sectors::SectorEngine,
) -> Result<Vec<NamedFile>, ProjectionError> {
    let config = engine.config();
    Ok(vec![
        NamedFile::new("sectors.csv", sectors_csv(table)),
        NamedFile::new("sectors.md", sectors_markdown(table, config)),
        NamedFile::new("sectors_ledger.csv", ledger_csv(table)),
        NamedFile::new(
            "sectors.geojson",
            wedges_geojson(table, engine.projection())?,
        ),
        NamedFile::new(
            "protected_objects.geojson",
            objects_geojson(engine.objects(), config.margin_m),
        ),
    ])
}

/// One row per firing site: location, equipment, band, altitude class, allowed intervals,
/// widest, minimum sector, status, elevation range, and forbidden intervals with their
/// blocking objects.
pub fn sectors_csv(table: &SectorTable) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "site",
        "name",
        "kind",
        "equipment",
        "county",
        "lon",
        "lat",
        "altitude_m",
        "altitude_class",
        "band_min_m",
        "band_max_m",
        "allowed",
        "allowed_deg",
        "widest",
        "widest_deg",
        "min_radial_m",
        "min_tangential_m",
        "status",
        "elevation_min_deg",
        "elevation_max_deg",
        "forbidden_by",
    ])
    .expect("invariant: writing CSV to memory cannot fail");
    for row in &table.rows {
        let s = &row.sector;
        w.write_record([
            row.site.id.clone(),
            row.site.name.clone(),
            row.site.kind.to_string(),
            s.equipment.clone(),
            row.site.county.clone().unwrap_or_default(),
            format!("{:.6}", row.site.lon),
            format!("{:.6}", row.site.lat),
            s.altitude_m.map(|a| format!("{a:.0}")).unwrap_or_default(),
            altitude_class(s.high_altitude, s.altitude_m).to_string(),
            s.band.min_m.to_string(),
            s.band.max_m.to_string(),
            intervals(&s.allowed),
            s.allowed_deg().to_string(),
            s.widest.map(|w| w.to_string()).unwrap_or_default(),
            s.widest
                .map(|w| w.width_deg.to_string())
                .unwrap_or_default(),
            s.minimum.radial_m.to_string(),
            s.minimum.tangential_m.to_string(),
            s.status.as_str().to_string(),
            s.elevation_min_deg.to_string(),
            s.elevation_max_deg.to_string(),
            forbidden_text(row, table.objects()),
        ])
        .expect("invariant: writing CSV to memory cannot fail");
    }
    String::from_utf8(w.into_inner().expect("invariant: in-memory writer"))
        .expect("invariant: CSV of UTF-8 text")
}

fn altitude_class(high: bool, altitude: Option<f64>) -> &'static str {
    match (altitude, high) {
        (None, _) => "unknown_high",
        (Some(_), true) => "high",
        (Some(_), false) => "low",
    }
}

/// The ledger's sector import (`wxmod ledger sector --import`): one row per allowed interval
/// of every site with a valid sector, `site,azimuth_from,azimuth_to,elevation_min,elevation_max`.
/// Sites without a valid sector have no row: they may not fire.
pub fn ledger_csv(table: &SectorTable) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "site",
        "azimuth_from",
        "azimuth_to",
        "elevation_min",
        "elevation_max",
    ])
    .expect("invariant: writing CSV to memory cannot fail");
    for row in table.rows.iter().filter(|r| r.sector.is_valid()) {
        for a in &row.sector.allowed {
            w.write_record([
                row.site.id.clone(),
                a.from_deg.to_string(),
                a.to_deg().to_string(),
                row.sector.elevation_min_deg.to_string(),
                row.sector.elevation_max_deg.to_string(),
            ])
            .expect("invariant: writing CSV to memory cannot fail");
        }
    }
    String::from_utf8(w.into_inner().expect("invariant: in-memory writer"))
        .expect("invariant: CSV of UTF-8 text")
}

/// A Markdown report: parameters, one table row per firing site, the sites without a valid
/// sector with the reason, and the sites without a sector of their own.
pub fn sectors_markdown(table: &SectorTable, config: &SectorConfig) -> String {
    let mut out = String::new();
    out.push_str("# Safe firing sectors (安全射界)\n\n");
    let valid = table.rows.iter().filter(|r| r.sector.is_valid()).count();
    out.push_str(&format!(
        "{} rocket and gun sites: {} with a valid sector, {} without. Margin to protected objects {} m \
         [S3]; azimuth bins of {}°; elevation {}-{}° [A]; minimum sector for sites above {} m \
         a.s.l. from the high class [S3].\n\n",
        table.rows.len(),
        valid,
        table.rows.len() - valid,
        config.margin_m,
        config.azimuth_step_deg,
        config.elevation_min_deg,
        config.elevation_max_deg,
        config.high_altitude_m
    ));
    out.push_str(
        "| equipment | fall band | minimum ≤ class | minimum > class |\n|---|---|---|---|\n",
    );
    for (name, e) in &config.equipment {
        out.push_str(&format!(
            "| {name} {} | {}-{} km | {} × {} m | {} × {} m |\n",
            e.name_zh,
            e.fall_band_min_m / 1000.0,
            e.fall_band_max_m / 1000.0,
            e.min_sector_low.radial_m,
            e.min_sector_low.tangential_m,
            e.min_sector_high.radial_m,
            e.min_sector_high.tangential_m
        ));
    }
    out.push_str(
        "\n| site | name | equipment | altitude m | allowed (°) | widest (°) | minimum m | status | forbidden (°) and blocking objects |\n|---|---|---|---|---|---|---|---|---|\n",
    );
    for row in &table.rows {
        let s = &row.sector;
        let cell = |t: String| t.replace('|', "\\|");
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} × {} | {} | {} |\n",
            cell(row.site.id.clone()),
            cell(row.site.name.clone()),
            s.equipment,
            s.altitude_m
                .map(|a| format!("{a:.0}"))
                .unwrap_or_else(|| "?".into()),
            if s.allowed.is_empty() {
                "none".into()
            } else {
                intervals(&s.allowed)
            },
            s.widest
                .map(|w| format!("{w} ({})", w.width_deg))
                .unwrap_or_else(|| "none".into()),
            s.minimum.radial_m,
            s.minimum.tangential_m,
            match s.status {
                SectorStatus::Valid => "**valid**",
                SectorStatus::BelowMinimum => "**no valid sector** (too narrow)",
                SectorStatus::NoAllowedAzimuth => "**no valid sector** (all forbidden)",
            },
            cell(forbidden_text(row, table.objects())),
        ));
    }
    let invalid: Vec<&SiteSector> = table.invalid().collect();
    if !invalid.is_empty() {
        out.push_str("\n## Sites without a valid sector\n\n");
        for row in invalid {
            out.push_str(&format!(
                "- {} ({}): {}\n",
                row.site.id,
                row.site.name,
                row.sector.problem(table.objects()).unwrap_or_default()
            ));
        }
    }
    if !table.skipped.is_empty() {
        out.push_str("\n## Sites without a sector of their own\n\nBurners, weather stations and radars fire nothing; a vehicle-mounted system fires from its mobile operation points (流动作业点), which need sectors of their own (list them as sites).\n\n");
        let ids: Vec<String> = table
            .skipped
            .iter()
            .map(|s| format!("{} ({})", s.id, s.kind))
            .collect();
        out.push_str(&ids.join(", "));
        out.push('\n');
    }
    out
}

/// The fall band over an interval, local metres.
fn wedge_polygon(a: &AzimuthInterval, min_m: f64, max_m: f64) -> Polygon<f64> {
    let at = |az: f64, r: f64| {
        let (s, c) = az.to_radians().sin_cos();
        Coord { x: r * s, y: r * c }
    };
    if a.width_deg >= 360.0 {
        let ring = |r: f64| LineString::new((0..=720).map(|k| at(k as f64 * 0.5, r)).collect());
        let holes = if min_m > 0.0 {
            vec![ring(min_m)]
        } else {
            vec![]
        };
        return Polygon::new(ring(max_m), holes);
    }
    let steps = (a.width_deg / 0.5).ceil().max(1.0) as usize;
    let az = |k: usize| a.from_deg + a.width_deg * k as f64 / steps as f64;
    let mut ring: Vec<Coord<f64>> = (0..=steps).map(|k| at(az(k), max_m)).collect();
    if min_m > 0.0 {
        ring.extend((0..=steps).rev().map(|k| at(az(k), min_m)));
    } else {
        ring.push(Coord { x: 0.0, y: 0.0 });
    }
    ring.push(ring[0]);
    Polygon::new(LineString::new(ring), vec![])
}

fn to_lonlat(
    projection: &Projection,
    frame: &LocalFrame,
    polygon: &Polygon<f64>,
) -> Result<geojson::Geometry, ProjectionError> {
    let ring = |ls: &LineString<f64>| -> Result<LineString<f64>, ProjectionError> {
        ls.coords()
            .map(|c| {
                let g = frame.to_grid(*c);
                projection.inverse(g.x, g.y).map(|(lon, lat)| Coord {
                    x: round(lon, 6),
                    y: round(lat, 6),
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(LineString::new)
    };
    let exterior = ring(polygon.exterior())?;
    let interiors = polygon
        .interiors()
        .iter()
        .map(ring)
        .collect::<Result<Vec<_>, _>>()?;
    // RFC 7946: counter-clockwise exterior, valid, rounded (the wedge is built clockwise).
    let shape = crate::report::geojson::rfc7946_multipolygon(&MultiPolygon(vec![Polygon::new(
        exterior, interiors,
    )]));
    Ok(match shape.0.as_slice() {
        [one] => geojson::Geometry::from(one),
        _ => geojson::Geometry::from(&shape),
    })
}

/// GeoJSON wedges (lon/lat polygons of the fall band) over every allowed interval of every
/// firing site. Properties: `site`, `name`, `equipment`, `from_deg`, `to_deg`, `width_deg`,
/// `widest`, `status`, `valid`, `band_min_m`, `band_max_m`.
pub fn wedges_geojson(
    table: &SectorTable,
    projection: &Projection,
) -> Result<String, ProjectionError> {
    let mut features = Vec::new();
    for row in &table.rows {
        let s = &row.sector;
        let frame = LocalFrame::at(projection, row.site.lon, row.site.lat)?;
        for a in &s.allowed {
            let polygon = wedge_polygon(a, s.band.min_m, s.band.max_m);
            let mut p = Map::new();
            p.insert("site".into(), row.site.id.clone().into());
            p.insert("name".into(), row.site.name.clone().into());
            p.insert("equipment".into(), s.equipment.clone().into());
            p.insert("from_deg".into(), a.from_deg.into());
            p.insert("to_deg".into(), a.to_deg().into());
            p.insert("width_deg".into(), a.width_deg.into());
            p.insert("widest".into(), (Some(*a) == s.widest).into());
            p.insert("status".into(), s.status.as_str().into());
            p.insert("valid".into(), s.is_valid().into());
            p.insert("band_min_m".into(), s.band.min_m.into());
            p.insert("band_max_m".into(), s.band.max_m.into());
            features.push(geojson::Feature {
                geometry: Some(to_lonlat(projection, &frame, &polygon)?),
                properties: Some(p),
                ..Default::default()
            });
        }
    }
    let mut fc = geojson::FeatureCollection::new(features);
    fc.foreign_members = json!({
        "note": "allowed safe firing sectors (安全射界) over each site's debris fall band; WGS84 lon/lat; azimuths clockwise from true north",
    })
    .as_object()
    .cloned();
    Ok(fc.to_string())
}

/// The protected objects as GeoJSON (points and polygons as given), with `id`, `name`, `kind`,
/// `radius_m` and `margin_m`.
pub fn objects_geojson(objects: &[ProtectedObject], margin_m: f64) -> String {
    let features = objects.iter().map(|o| {
        let mut p = Map::new();
        p.insert("id".into(), o.id.clone().into());
        p.insert("name".into(), o.name.clone().into());
        p.insert("kind".into(), o.kind.to_string().into());
        p.insert("radius_m".into(), o.radius_m.into());
        p.insert("margin_m".into(), margin_m.into());
        let geometry = match &o.shape {
            ObjectShape::Point { lonlat, .. } => {
                geojson::Geometry::new(geojson::GeometryValue::Point {
                    coordinates: vec![lonlat.x, lonlat.y].into(),
                })
            }
            ObjectShape::Area { lonlat, .. } => {
                match crate::report::geojson::rfc7946_geometry(lonlat) {
                    Some(g) => g,
                    None => geojson::Geometry::new(geojson::GeometryValue::Point {
                        coordinates: vec![
                            lonlat
                                .0
                                .first()
                                .map_or(0.0, |p| p.exterior().0.first().map_or(0.0, |c| c.x)),
                            lonlat
                                .0
                                .first()
                                .map_or(0.0, |p| p.exterior().0.first().map_or(0.0, |c| c.y)),
                        ]
                        .into(),
                    }),
                }
            }
        };
        geojson::Feature {
            geometry: Some(geometry),
            properties: Some(p),
            ..Default::default()
        }
    });
    geojson::FeatureCollection::new(features).to_string()
}

/// A JSON summary of the table (for `--json`).
pub fn summary_json(table: &SectorTable) -> Value {
    let rows: Vec<Value> = table
        .rows
        .iter()
        .map(|row| {
            let s = &row.sector;
            json!({
                "site": row.site.id,
                "kind": row.site.kind,
                "equipment": s.equipment,
                "altitude_m": s.altitude_m.map(|a| round(a, 1)),
                "high_altitude": s.high_altitude,
                "band_m": [s.band.min_m, s.band.max_m],
                "allowed": s.allowed.iter().map(|a| json!({"from_deg": a.from_deg, "to_deg": a.to_deg(), "width_deg": a.width_deg})).collect::<Vec<_>>(),
                "allowed_deg": s.allowed_deg(),
                "widest": s.widest.map(|a| json!({"from_deg": a.from_deg, "to_deg": a.to_deg(), "width_deg": a.width_deg})),
                "minimum_m": [s.minimum.radial_m, s.minimum.tangential_m],
                "status": s.status,
                "valid": s.is_valid(),
                "elevation_deg": [s.elevation_min_deg, s.elevation_max_deg],
                "forbidden": s.forbidden.iter().map(|f| json!({
                    "from_deg": f.interval.from_deg,
                    "to_deg": f.interval.to_deg(),
                    "width_deg": f.interval.width_deg,
                    "blockers": f.blockers.iter().filter_map(|&i| table.objects().get(i)).map(|o| o.id.clone()).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "problem": s.problem(table.objects()),
            })
        })
        .collect();
    json!({
        "sites": rows,
        "skipped": table.skipped.iter().map(|s| json!({"site": s.id, "kind": s.kind})).collect::<Vec<_>>(),
    })
}
