//! The radar's maps and the horizon-angle rose.
//!
//! Maps go through the map renderer ([`crate::render`]) with filled-area layers
//! ([`AreaOverlay`]): the cumulative blockage at the lowest elevation (a PPI over the region:
//! classes 10–50 %, 50–90 %, ≥ 90 % of the beam blocked, each an annular sector of 1° per ray
//! from the gate where the class starts to the end of the ray, as CBB never decreases), and the
//! land covered at 1 km and 3 km above ground with county borders, terrain and landmarks.
//! The horizon-angle rose (遮蔽角图) is a polar chart drawn with plotters like the budget chart,
//! with the bundled font and ASCII labels. Cost: about 1,000 sectors per PPI; one map render.

use geo::{LineString, MultiPolygon, Polygon};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

use super::RadarError;
use super::coverage::PointSet;
use super::report::covered_rectangles;
use super::study::{ChosenScan, RadarStudy};
use super::sweep::{AZIMUTHS, Polar, destination};
use crate::region::{Landmark, Region};
use crate::render::font::{BUNDLED_FONT, SVG_FONT_FAMILIES};
use crate::render::{AreaOverlay, MapFont, MapSpec, render_png_svg};
use crate::sites::{Site, SiteKind, SiteStatus};
use crate::terrain::Dem;

/// Blockage classes of the PPI: lower bound, legend label, colour.
const CBB_CLASSES: [(f64, &str, (u8, u8, u8)); 3] = [
    (0.1, "CBB 10-50 %", (250, 220, 60)),
    (0.5, "CBB 50-90 %", (240, 140, 30)),
    (0.9, "CBB >= 90 %", (200, 30, 30)),
];

fn rect_polygon(r: &[f64; 4]) -> Polygon<f64> {
    Polygon::new(
        LineString::from(vec![
            (r[0], r[1]),
            (r[2], r[1]),
            (r[2], r[3]),
            (r[0], r[3]),
            (r[0], r[1]),
        ]),
        vec![],
    )
}

/// How far each run's rectangle reaches into the rows above and below it on the maps, in DEM
/// cells: adjacent rows overlap by about a pixel at the map scales used, so the antialiased
/// row edges leave no hairline between them (the covered land grows by this much at its
/// northern and southern edges on the map only; the GeoJSON keeps the exact cells).
const MAP_ROW_OVERLAP_CELLS: f64 = 0.2;

/// The covered land of a point set as one multipolygon of DEM-cell runs, each run reaching
/// [`MAP_ROW_OVERLAP_CELLS`] into the rows above and below (drawn opaque, see
/// `opaque_over_white`, so the overlaps do not show).
pub fn covered_multipolygon(
    study: &RadarStudy,
    set: &PointSet,
    cellsize: f64,
) -> MultiPolygon<f64> {
    let grow = MAP_ROW_OVERLAP_CELLS * cellsize;
    MultiPolygon(
        covered_rectangles(&study.land, set, cellsize)
            .iter()
            .map(|r| rect_polygon(&[r[0], r[1] - grow, r[2], r[3] + grow]))
            .collect(),
    )
}

/// A colour of opacity `alpha` over white as an opaque colour: the coverage layers are drawn
/// opaque so that overlapping runs do not darken (the hillshade does not show through them).
fn opaque_over_white((r, g, b): (u8, u8, u8), alpha: f64) -> (u8, u8, u8, f64) {
    let mix = |c: u8| (f64::from(c) * alpha + 255.0 * (1.0 - alpha)).round() as u8;
    (mix(r), mix(g), mix(b), 1.0)
}

/// How far a blockage wedge reaches into each neighbour, degrees of azimuth.
const WEDGE_OVERLAP_DEG: f64 = 0.05;

/// The blockage classes of elevation `e` as areas: per class the union of its 1° annular
/// sectors (lon/lat), opaque (its colour at opacity 0.55 over white), so that no radial
/// hairlines show where wedges meet.
pub fn blockage_areas(polar: &Polar, e: usize) -> Vec<AreaOverlay> {
    let (lon, lat) = (polar.site.lon, polar.site.lat);
    let gates = polar.gates;
    CBB_CLASSES
        .iter()
        .enumerate()
        .map(|(c, &(from, label, (r, g, b)))| {
            let to = CBB_CLASSES.get(c + 1).map_or(f64::INFINITY, |next| next.0);
            let mut polygons = Vec::new();
            for az in 0..AZIMUTHS {
                let reached = polar.gates_reached[e * AZIMUTHS + az];
                let cbb = |k: usize| f64::from(polar.cbb[polar.index(e, az, k)]);
                // CBB never decreases along a ray: each class is one run of gates.
                let Some(first) = (0..reached).find(|&k| cbb(k) >= from) else {
                    continue;
                };
                let end = (first..reached).find(|&k| cbb(k) >= to).unwrap_or(reached);
                if end == first {
                    continue;
                }
                let s0 = polar.ground_at_gate_m[e * gates + first] - polar.gate_m / 2.0;
                let s1 = polar.ground_at_gate_m[e * gates + end - 1] + polar.gate_m / 2.0;
                // Each 1° wedge reaches a little into its neighbours, so that the union of a
                // class has no slivers between wedges.
                let (a0, a1) = (
                    az as f64 - 0.5 - WEDGE_OVERLAP_DEG,
                    az as f64 + 0.5 + WEDGE_OVERLAP_DEG,
                );
                let ring = vec![
                    destination(lon, lat, s0.max(0.0), a0),
                    destination(lon, lat, s1, a0),
                    destination(lon, lat, s1, az as f64),
                    destination(lon, lat, s1, a1),
                    destination(lon, lat, s0.max(0.0), a1),
                    destination(lon, lat, s0.max(0.0), a0),
                ];
                polygons.push(Polygon::new(LineString::from(ring), vec![]));
            }
            // One outline per class: the wedges' own edges would be drawn as lines.
            AreaOverlay {
                label: label.to_string(),
                lonlat: geo::unary_union(&polygons),
                rgba: opaque_over_white((r, g, b), 0.55),
            }
        })
        .filter(|a| !a.lonlat.0.is_empty())
        .collect()
}

/// The chosen sites as radar sites for the map layer.
pub fn radar_sites(study: &RadarStudy) -> Vec<Site> {
    study
        .chosen
        .iter()
        .map(|c| {
            let row = &study.rows[c.row];
            Site {
                id: row.site.id.clone(),
                name: row.site.id.clone(),
                kind: SiteKind::Radar,
                standardized: false,
                status: SiteStatus::Planned,
                year: None,
                lon: row.site.lon,
                lat: row.site.lat,
                county: None,
                extra: Default::default(),
            }
        })
        .collect()
}

/// What the maps draw on besides the study.
#[derive(Debug, Clone, Copy)]
pub struct MapBase<'a> {
    /// The region.
    pub region: &'a Region,
    /// The DEM (hillshade).
    pub dem: &'a Dem,
    /// Landmarks drawn.
    pub landmarks: &'a [Landmark],
    /// The data-source note.
    pub source_note: &'a str,
}

fn lowest(study: &RadarStudy) -> usize {
    study
        .request
        .config
        .elevations_deg
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(i, _)| i)
}

/// The coverage and blockage maps of the chosen sites as `(stem, png, svg)`.
///
/// # Errors
/// [`RadarError::Render`] when the renderer refuses the map.
pub fn radar_maps(
    study: &RadarStudy,
    base: &MapBase,
) -> Result<Vec<(String, Vec<u8>, String)>, RadarError> {
    let c = &study.request.config;
    let sites = radar_sites(study);
    let font = MapFont::from_env()?;
    let cellsize = base.dem.cellsize();
    let note = format!(
        "{}; radar: range {} km, beam {}°, antenna {} m AGL, k {:.3}, CBB <= {} [A]",
        base.source_note, c.range_km, c.beam_width_deg, c.antenna_agl_m, c.k, c.max_cbb
    );
    let mut out = Vec::new();
    // Coverage of the whole network.
    let mut low = PointSet::new(study.land.points.len());
    let mut high = PointSet::new(study.land.points.len());
    for chosen in &study.chosen {
        low.union_with(&chosen.low);
        high.union_with(&chosen.high);
    }
    let mut high_only = PointSet::new(study.land.points.len());
    for i in high.iter().filter(|&i| !low.contains(i)) {
        high_only.insert(i);
    }
    let areas = vec![
        AreaOverlay {
            label: format!("已覆盖 covered <= {} m AGL", c.low_agl_m),
            lonlat: covered_multipolygon(study, &low, cellsize),
            rgba: opaque_over_white((40, 160, 70), 0.55),
        },
        AreaOverlay {
            label: format!("已覆盖 covered <= {} m AGL only", c.high_agl_m),
            lonlat: covered_multipolygon(study, &high_only, cellsize),
            rgba: opaque_over_white((70, 120, 220), 0.40),
        },
    ];
    let spec = MapSpec::new(base.region, format!("X波段天气雷达 coverage {} m AGL", c.low_agl_m))
        .name("radar_coverage_1km")
        .subtitle(format!(
            "beam centre <= {} m / {} m above ground, cumulative blockage <= {}, range {} km, elevations {:?} deg",
            c.low_agl_m, c.high_agl_m, c.max_cbb, c.range_km, c.elevations_deg
        ))
        .terrain(base.dem)
        .landmarks(base.landmarks, false)
        .sites(&sites)
        .areas(areas)
        .source_note(note.clone());
    let (png, svg) = render_png_svg(&spec, &font)?;
    out.push((spec.name.clone(), png, svg));
    let e = lowest(study);
    for chosen in &study.chosen {
        let id = &study.rows[chosen.row].site.id;
        let spec = MapSpec::new(
            base.region,
            format!(
                "X波段天气雷达 blockage PPI {} deg — {id}",
                c.elevations_deg[e]
            ),
        )
        .name(format!("radar_blockage_{}", safe(id)))
        .subtitle(
            "cumulative beam blockage (Bech et al. 2003, running maximum along the ray)"
                .to_string(),
        )
        .terrain(base.dem)
        .landmarks(base.landmarks, false)
        .sites(&sites)
        .areas(blockage_areas(&chosen.polar, e))
        .source_note(note.clone());
        let (png, svg) = render_png_svg(&spec, &font)?;
        out.push((spec.name.clone(), png, svg));
    }
    Ok(out)
}

/// A file-name-safe form of a site id.
pub fn safe(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Size of the rose chart, pixels.
pub const ROSE_SIZE: (u32, u32) = (760, 800);

fn font_ready() -> Result<(), RadarError> {
    static REGISTERED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *REGISTERED
        .get_or_init(|| register_font(SVG_FONT_FAMILIES, FontStyle::Normal, BUNDLED_FONT).is_ok());
    if ok {
        Ok(())
    } else {
        Err(RadarError::Chart {
            reason: "the bundled font cannot be registered with plotters".into(),
        })
    }
}

/// The horizon-angle rose of a chosen site as (PNG, SVG).
///
/// # Errors
/// [`RadarError::Chart`] when plotters or the PNG encoder fail.
pub fn horizon_rose(
    study: &RadarStudy,
    chosen: &ChosenScan,
) -> Result<(Vec<u8>, String), RadarError> {
    font_ready()?;
    let (w, h) = ROSE_SIZE;
    let mut pixels = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
        draw_rose(&root, study, chosen)?;
        root.present().map_err(|e| RadarError::Chart {
            reason: e.to_string(),
        })?;
    }
    let mut png_bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png_bytes, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| RadarError::Chart {
            reason: e.to_string(),
        })?;
        writer
            .write_image_data(&pixels)
            .map_err(|e| RadarError::Chart {
                reason: e.to_string(),
            })?;
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        draw_rose(&root, study, chosen)?;
        root.present().map_err(|e| RadarError::Chart {
            reason: e.to_string(),
        })?;
    }
    Ok((png_bytes, svg))
}

fn draw_rose<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    study: &RadarStudy,
    chosen: &ChosenScan,
) -> Result<(), RadarError> {
    let err = |e: &dyn std::fmt::Display| RadarError::Chart {
        reason: e.to_string(),
    };
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let horizon = &chosen.polar.horizon_deg;
    let elevations = &study.request.config.elevations_deg;
    let finite: Vec<f64> = horizon.iter().copied().filter(|v| v.is_finite()).collect();
    let lo = finite
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .min(-0.5)
        .floor();
    let hi = finite
        .iter()
        .copied()
        .chain(elevations.iter().copied())
        .fold(f64::NEG_INFINITY, f64::max)
        .ceil()
        .max(lo + 1.0);
    let (cx, cy, radius) = (380.0, 430.0, 320.0);
    let to_px = |az: f64, angle: f64| {
        let r = radius * ((angle - lo) / (hi - lo)).clamp(0.0, 1.0);
        let a = az.to_radians();
        ((cx + r * a.sin()) as i32, (cy - r * a.cos()) as i32)
    };
    let font = (SVG_FONT_FAMILIES, 15).into_font();
    let grey = RGBColor(150, 150, 150);
    let step = ((hi - lo) / 5.0).ceil().max(1.0);
    let mut ring = lo;
    while ring <= hi + 1e-9 {
        let pts: Vec<(i32, i32)> = (0..=360).map(|a| to_px(a as f64, ring)).collect();
        root.draw(&PathElement::new(pts, grey.stroke_width(1)))
            .map_err(|e| err(&e))?;
        root.draw(&Text::new(
            format!("{ring:.0} deg"),
            to_px(8.0, ring),
            font.clone().color(&grey),
        ))
        .map_err(|e| err(&e))?;
        ring += step;
    }
    for az in (0..360).step_by(30) {
        root.draw(&PathElement::new(
            vec![to_px(az as f64, lo), to_px(az as f64, hi)],
            grey.stroke_width(1),
        ))
        .map_err(|e| err(&e))?;
        let label = match az {
            0 => "N".to_string(),
            90 => "E".into(),
            180 => "S".into(),
            270 => "W".into(),
            a => format!("{a}"),
        };
        let (x, y) = to_px(az as f64, hi);
        let (dx, dy) = (
            (az as f64).to_radians().sin() * 18.0,
            -(az as f64).to_radians().cos() * 18.0,
        );
        root.draw(&Text::new(
            label,
            (x + dx as i32 - 6, y + dy as i32 - 8),
            font.clone(),
        ))
        .map_err(|e| err(&e))?;
    }
    let lowest = elevations.iter().copied().fold(f64::INFINITY, f64::min);
    let pts: Vec<(i32, i32)> = (0..=360).map(|a| to_px(a as f64, lowest)).collect();
    root.draw(&PathElement::new(
        pts,
        RGBColor(200, 30, 30).stroke_width(2),
    ))
    .map_err(|e| err(&e))?;
    let pts: Vec<(i32, i32)> = (0..=AZIMUTHS)
        .map(|a| to_px(a as f64, horizon[a % AZIMUTHS].max(lo)))
        .collect();
    root.draw(&PathElement::new(
        pts,
        RGBColor(20, 60, 160).stroke_width(3),
    ))
    .map_err(|e| err(&e))?;
    let row = &study.rows[chosen.row];
    let title = format!(
        "Horizon angle (shielding) - site {} ({:.4} E, {:.4} N), antenna {:.0} m",
        row.site.id, row.site.lon, row.site.lat, chosen.polar.antenna_m
    );
    root.draw(&Text::new(
        title,
        (20, 20),
        (SVG_FONT_FAMILIES, 19).into_font(),
    ))
    .map_err(|e| err(&e))?;
    let legend = format!(
        "blue: highest terrain elevation angle per azimuth within {} km (k = {:.3}); red: lowest scan elevation {lowest} deg",
        study.request.config.range_km, study.request.config.k
    );
    root.draw(&Text::new(legend, (20, 48), font.clone()))
        .map_err(|e| err(&e))?;
    Ok(())
}
