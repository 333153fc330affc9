//! Point symbols and labels of a map: the sites shown (projected, with their symbol style),
//! the landmark and site symbols, and the labels placed greedily in order of importance
//! (counties, firing sectors, sites, airports, places) at the first of four positions that
//! overlaps nothing already placed.

use geo::InteriorPoint;

use super::RenderError;
use super::font::MapFont;
use super::map::MapSpec;
use super::ops::{Anchor, Op, SymbolStyle, symbol};
use super::sheet::{Placer, PxRect, View, darker, halo_text, text_rect};
use super::style::{self, Sizes};
use crate::region::{Landmark, LandmarkKind, UnitOutline};
use crate::sites::{Site, SiteKind, SiteStatus};

/// A site the map shows: where on the sheet and in which symbol style.
pub(crate) struct ShownSite<'a> {
    pub site: &'a Site,
    pub at: (f64, f64),
    pub style: SymbolStyle,
}

/// A landmark drawn, with its symbol radius (its label goes beside it).
pub(crate) struct ShownLandmark<'a> {
    landmark: &'a Landmark,
    at: (f64, f64),
    radius: f64,
}

fn point_rect(p: (f64, f64)) -> PxRect {
    PxRect {
        x0: p.0,
        y0: p.1,
        x1: p.0,
        y1: p.1,
    }
}

fn square(p: (f64, f64), r: f64) -> PxRect {
    PxRect {
        x0: p.0 - r,
        y0: p.1 - r,
        x1: p.0 + r,
        y1: p.1 + r,
    }
}

/// The sites the map shows, projected, with their symbol style.
pub(crate) fn shown_sites<'a>(
    spec: &MapSpec<'a>,
    view: &View,
) -> Result<Vec<ShownSite<'a>>, RenderError> {
    let mut shown = Vec::new();
    for site in spec.sites {
        let Some(new) = spec.site_shown(site) else {
            continue;
        };
        let (x, y) = spec
            .region
            .projection
            .forward(site.lon, site.lat)
            .map_err(|e| RenderError::Project {
                what: format!("site {}", site.id),
                source: e,
            })?;
        let style = if new {
            SymbolStyle::New
        } else {
            match site.status {
                SiteStatus::Existing => SymbolStyle::Solid,
                SiteStatus::Planned if spec.as_of_year.is_some() => SymbolStyle::Solid,
                SiteStatus::Planned => SymbolStyle::Hollow,
                SiteStatus::Retired => SymbolStyle::Retired,
            }
        };
        shown.push(ShownSite {
            site,
            at: view.px_of(x, y),
            style,
        });
    }
    Ok(shown)
}

/// Landmark symbols inside the frame (their room blocked for labels); the kinds drawn and the
/// landmarks drawn.
pub(crate) fn landmark_symbols<'a>(
    spec: &MapSpec<'a>,
    view: &View,
    s: &Sizes,
    placer: &mut Placer,
    ops: &mut Vec<Op>,
) -> (Vec<LandmarkKind>, Vec<ShownLandmark<'a>>) {
    let r = s.symbol();
    let mut kinds = Vec::new();
    let mut drawn = Vec::new();
    for landmark in spec.landmarks {
        let Ok((x, y)) = spec.region.projection.forward(landmark.lon, landmark.lat) else {
            continue;
        };
        let p = view.px_of(x, y);
        if !view.frame.contains(&point_rect(p)) {
            continue;
        }
        let (shape, color) = style::landmark_symbol(landmark.kind);
        let radius = match landmark.kind {
            LandmarkKind::Place => r * 0.9,
            _ => r * 1.1,
        };
        ops.extend(symbol(shape, p, radius, color, SymbolStyle::Solid));
        placer.block(square(p, radius));
        if !kinds.contains(&landmark.kind) {
            kinds.push(landmark.kind);
        }
        drawn.push(ShownLandmark {
            landmark,
            at: p,
            radius,
        });
    }
    (kinds, drawn)
}

/// Site symbols inside the frame (their room blocked for labels); the kinds (sorted) and
/// symbol styles drawn.
pub(crate) fn site_symbols(
    view: &View,
    s: &Sizes,
    shown: &[ShownSite],
    placer: &mut Placer,
    ops: &mut Vec<Op>,
) -> (Vec<SiteKind>, Vec<SymbolStyle>) {
    let r = s.symbol();
    let mut kinds = Vec::new();
    let mut styles = Vec::new();
    for shown in shown {
        if !view.frame.contains(&point_rect(shown.at)) {
            continue;
        }
        let (shape, color) = style::site_symbol(shown.site.kind);
        ops.extend(symbol(shape, shown.at, r, color, shown.style));
        placer.block(square(shown.at, r * 1.4));
        if !kinds.contains(&shown.site.kind) {
            kinds.push(shown.site.kind);
        }
        if !styles.contains(&shown.style) {
            styles.push(shown.style);
        }
    }
    kinds.sort();
    (kinds, styles)
}

/// County names at their interior points (only the focus county's on a county map).
pub(crate) fn county_labels(
    spec: &MapSpec,
    view: &View,
    s: &Sizes,
    font: &MapFont,
    focus: Option<usize>,
    placer: &mut Placer,
    ops: &mut Vec<Op>,
) {
    for (i, county) in spec.region.counties.iter().enumerate() {
        if focus.is_some_and(|f| f != i) {
            continue;
        }
        let Some(p) = county.shape.interior_point() else {
            continue;
        };
        let at = view.px_of(p.x(), p.y());
        let size = s.county_label();
        let w = font.text_width(&county.name, size);
        let rect = text_rect(at, Anchor::Centre, w, size);
        if view.frame.contains(&rect) {
            placer.block(rect.grow(2.0));
            halo_text(
                ops,
                font,
                &county.name,
                at,
                Anchor::Centre,
                size,
                style::INK,
            );
        }
    }
}

/// Labels of firing sectors, sites (id and/or year) and landmarks (airports, then places when
/// the map labels them), each where the placer finds room.
pub(crate) fn point_labels(
    spec: &MapSpec,
    s: &Sizes,
    font: &MapFont,
    sector_labels: Vec<(String, (f64, f64))>,
    shown: &[ShownSite],
    landmarks: &[ShownLandmark],
    placer: &mut Placer,
    ops: &mut Vec<Op>,
) {
    let r = s.symbol();
    for (label, at) in sector_labels {
        let size = s.label();
        let w = font.text_width(&label, size);
        if let Some((at, anchor)) = placer.place(at, 0.0, w, size) {
            halo_text(ops, font, &label, at, anchor, size, style::SECTOR_LINE);
        }
    }
    for shown in shown {
        let site = shown.site;
        let year = site
            .year
            .filter(|_| site.status == SiteStatus::Planned || shown.style == SymbolStyle::New);
        let text = match (spec.label_site_ids, year) {
            (true, Some(y)) => format!("{} {y}", site.id),
            (true, None) => site.id.clone(),
            (false, Some(y)) => y.to_string(),
            (false, None) => continue,
        };
        let size = s.label();
        let w = font.text_width(&text, size);
        let (_, color) = style::site_symbol(site.kind);
        if let Some((at, anchor)) = placer.place(shown.at, r * 1.2, w, size) {
            halo_text(ops, font, &text, at, anchor, size, darker(color));
        }
    }
    for kind in [LandmarkKind::Airport, LandmarkKind::Place] {
        if kind == LandmarkKind::Place && !spec.label_places {
            continue;
        }
        for shown in landmarks.iter().filter(|l| l.landmark.kind == kind) {
            let size = if kind == LandmarkKind::Airport {
                s.label()
            } else {
                s.label() * 0.9
            };
            let name = &shown.landmark.name;
            let w = font.text_width(name, size);
            if let Some((at, anchor)) = placer.place(shown.at, shown.radius, w, size) {
                let color = if kind == LandmarkKind::Airport {
                    style::landmark_symbol(kind).1
                } else {
                    style::GREY_TEXT
                };
                halo_text(ops, font, name, at, anchor, size, color);
            }
        }
    }
}

/// The county blocks of an overview of many counties: at each county's interior point its
/// name and, below it, one small symbol per site kind with the count; the kinds shown. With
/// [`CountySummary::blocks_per_unit`](super::map::CountySummary) one block per unit instead,
/// its name large and its counties' counts summed. Every block is drawn (the counts are the
/// map's content), so blocks are not moved.
pub(crate) fn county_summaries(
    spec: &MapSpec,
    view: &View,
    s: &Sizes,
    font: &MapFont,
    units: &[&UnitOutline],
    placer: &mut Placer,
    ops: &mut Vec<Op>,
) -> Vec<SiteKind> {
    let mut kinds = Vec::new();
    let Some(summary) = &spec.county_summary else {
        return kinds;
    };
    let mut block = |at: (f64, f64), name: &str, counts: &[(SiteKind, usize)], unit: bool| {
        let (name_size, name_color, count_size) = if unit {
            (s.county_label(), style::UNIT_NAME, s.label())
        } else {
            (s.label() * 0.95, style::INK, s.label() * 0.9)
        };
        summary_block(
            BlockText {
                at,
                name,
                name_size,
                name_color,
                count_size,
            },
            counts,
            s,
            font,
            placer,
            ops,
            &mut kinds,
        );
    };
    if summary.blocks_per_unit {
        for unit in units {
            let Some(p) = unit.outline.interior_point() else {
                continue;
            };
            let mut sum = std::collections::BTreeMap::<SiteKind, usize>::new();
            for counts in unit
                .unit
                .counties
                .iter()
                .filter_map(|&i| summary.counts.get(i))
            {
                for (kind, n) in counts {
                    *sum.entry(*kind).or_default() += n;
                }
            }
            let sum: Vec<(SiteKind, usize)> = sum.into_iter().collect();
            block(view.px_of(p.x(), p.y()), &unit.unit.name, &sum, true);
        }
    } else {
        for (index, (county, counts)) in
            spec.region.counties.iter().zip(&summary.counts).enumerate()
        {
            if !summary.in_focus(index) {
                continue;
            }
            let Some(p) = county.shape.interior_point() else {
                continue;
            };
            block(view.px_of(p.x(), p.y()), &county.name, counts, false);
        }
    }
    kinds.sort();
    kinds
}

/// The name of a summary block: where, what, and how large.
struct BlockText<'a> {
    at: (f64, f64),
    name: &'a str,
    name_size: f64,
    name_color: plotters::style::RGBAColor,
    count_size: f64,
}

/// One summary block: the name and below it one symbol per site kind with its count; the
/// kinds drawn are added to `kinds`. A block whose point is off the frame is not drawn.
fn summary_block(
    text: BlockText,
    counts: &[(SiteKind, usize)],
    s: &Sizes,
    font: &MapFont,
    placer: &mut Placer,
    ops: &mut Vec<Op>,
    kinds: &mut Vec<SiteKind>,
) {
    let BlockText {
        at,
        name,
        name_size,
        name_color,
        count_size,
    } = text;
    if !placer.frame.contains(&point_rect(at)) {
        return;
    }
    let r = s.symbol() * 0.8;
    let name_at = (at.0, at.1 - name_size * 0.6);
    let name_w = font.text_width(name, name_size);
    placer.block(text_rect(name_at, Anchor::Centre, name_w, name_size).grow(1.0));
    halo_text(
        ops,
        font,
        name,
        name_at,
        Anchor::Centre,
        name_size,
        name_color,
    );
    if counts.is_empty() {
        return;
    }
    let items: Vec<(SiteKind, String, f64)> = counts
        .iter()
        .map(|(kind, n)| {
            let text = n.to_string();
            let w = font.text_width(&text, count_size);
            (*kind, text, w)
        })
        .collect();
    let item_w = |w: f64| 2.0 * r + r * 0.5 + w;
    let spacing = r * 1.2;
    let total: f64 =
        items.iter().map(|(_, _, w)| item_w(*w)).sum::<f64>() + spacing * (items.len() - 1) as f64;
    let y = at.1 + count_size * 0.6;
    let row = PxRect {
        x0: at.0 - total / 2.0,
        y0: y - count_size / 2.0,
        x1: at.0 + total / 2.0,
        y1: y + count_size / 2.0,
    }
    .grow(count_size * 0.12);
    ops.push(Op::Rect {
        a: super::ops::px((row.x0, row.y0)),
        b: super::ops::px((row.x1, row.y1)),
        color: style::LABEL_HALO,
        fill: true,
        width: 1,
    });
    placer.block(row);
    let mut x = at.0 - total / 2.0;
    for (kind, text, w) in items {
        let (shape, color) = style::site_symbol(kind);
        ops.extend(symbol(shape, (x + r, y), r, color, SymbolStyle::Solid));
        ops.push(Op::Text {
            text,
            at: super::ops::px((x + 2.0 * r + r * 0.5, y)),
            size: count_size,
            color: style::INK,
            anchor: Anchor::Left,
        });
        x += item_w(w) + spacing;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
}

/// The names of the summary's units (cities or provinces), large, each at the first place
/// near its outline's interior point that overlaps no county block; where none is free, at
/// the interior point itself.
pub(crate) fn unit_names(
    view: &View,
    s: &Sizes,
    font: &MapFont,
    units: &[&UnitOutline],
    placer: &mut Placer,
    ops: &mut Vec<Op>,
) {
    let size = s.county_label();
    for unit in units {
        let name = &unit.unit.name;
        let Some(p) = unit.outline.interior_point() else {
            continue;
        };
        let at = view.px_of(p.x(), p.y());
        let w = font.text_width(name, size);
        let step = size * 1.1;
        let free = [
            (0.0, 0.0),
            (0.0, -2.0),
            (0.0, 2.0),
            (0.0, -3.0),
            (0.0, 3.0),
            (-1.5, 0.0),
            (1.5, 0.0),
        ]
        .into_iter()
        .map(|(dx, dy)| (at.0 + dx * w / 1.5, at.1 + dy * step))
        .find(|&c| {
            let rect = text_rect(c, Anchor::Centre, w, size);
            view.frame.contains(&rect) && !placer.taken.iter().any(|t| t.overlaps(&rect))
        });
        let spot = free.unwrap_or(at);
        placer.block(text_rect(spot, Anchor::Centre, w, size));
        halo_text(
            ops,
            font,
            name,
            spot,
            Anchor::Centre,
            size,
            style::UNIT_NAME,
        );
    }
}
