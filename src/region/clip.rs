//! A large layer (priority zones, high-mountain land) clipped to each county: the same
//! polygons as geo's `county.intersection(layer)`, county by county, computed from the parts
//! of the layer near the county only and spread over the cores.
//!
//! geo's `BooleanOps` hands both operands to i_overlay, which snaps every vertex to an integer
//! lattice fitted to the bounding box of the two operands together, then works exactly on the
//! lattice. Clipping a province-wide layer to one county that way costs the whole layer's
//! segments every time (117 counties × 5 zone kinds: 14 s of a province run). Here the lattice
//! is fitted to the same box (county and whole layer) so every kept vertex lands where geo puts
//! it, but only the layer's rings (exteriors and holes alike) whose bounding box comes within
//! [`NEAR_M`] of the county's are handed over. Under the even-odd rule a point is in the layer
//! when an odd number of rings wind around it; a closed ring that stays clear of the county
//! neither meets its boundary nor winds around any of its points, so it adds nothing to the
//! result. Tests compare the result with geo's, on the real Shanxi zones among them.
//!
//! Cost: per county, the overlay of the county and the layer's nearby rings, O(m log m) in
//! their vertex count m; counties are clipped in parallel ([`crate::parallel`]).

use geo::{BoundingRect, Coord, LineString, MultiPolygon, Polygon, Rect};
use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::float::overlay::{FloatOverlay, OverlayOptions};
use i_overlay::i_float::adapter::FloatPointAdapter;
use i_overlay::i_float::float::rect::FloatRect;
use i_overlay::i_shape::base::data::Shapes;

use super::Region;

/// A ring of the layer is handed to a county's overlay when its bounding box comes within this
/// many units (metres in a projected CRS) of the county's: a wide margin over the lattice's
/// spacing (under a millimetre for a province, about 4 mm for China).
pub const NEAR_M: f64 = 1.0;

impl Region {
    /// `layer` clipped to every county, in county order: the parts of `county.intersection(layer)`
    /// for each county (geo `BooleanOps`, even-odd rule), with the same vertices.
    pub fn clip_to_counties(&self, layer: &MultiPolygon<f64>) -> MultiPolygon<f64> {
        let Some(layer_box) = layer.bounding_rect() else {
            return MultiPolygon(Vec::new());
        };
        let parts = crate::parallel::map_in_order(&self.counties, 2, |county| {
            intersection_near(&county.shape, layer, layer_box)
        });
        MultiPolygon(parts.into_iter().flat_map(|p| p.0).collect())
    }
}

/// `subject.intersection(layer)` as geo computes it, from the rings of `layer` near `subject`.
fn intersection_near(
    subject: &MultiPolygon<f64>,
    layer: &MultiPolygon<f64>,
    layer_box: Rect<f64>,
) -> MultiPolygon<f64> {
    let Some(subject_box) = subject.bounding_rect() else {
        return MultiPolygon(Vec::new());
    };
    let near = |rect: Option<Rect<f64>>| {
        rect.is_some_and(|r| {
            r.min().x <= subject_box.max().x + NEAR_M
                && r.max().x >= subject_box.min().x - NEAR_M
                && r.min().y <= subject_box.max().y + NEAR_M
                && r.max().y >= subject_box.min().y - NEAR_M
        })
    };
    let subject_paths: Vec<Vec<[f64; 2]>> = subject
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(path_of)
        .collect();
    // Ring by ring, not polygon by polygon: under the even-odd rule only the rings count, and
    // geo's unions can file a hole under another exterior than the one around it.
    let clip_paths: Vec<Vec<[f64; 2]>> = layer
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .filter(|ring| near(ring.bounding_rect()))
        .map(path_of)
        .collect();
    if clip_paths.is_empty() {
        return MultiPolygon(Vec::new());
    }
    // The lattice geo would fit: the box of both operands whole.
    let both = FloatRect {
        min_x: subject_box.min().x.min(layer_box.min().x),
        max_x: subject_box.max().x.max(layer_box.max().x),
        min_y: subject_box.min().y.min(layer_box.min().y),
        max_y: subject_box.max().y.max(layer_box.max().y),
    };
    let capacity = subject_paths.iter().chain(&clip_paths).map(Vec::len).sum();
    let shapes: Shapes<[f64; 2]> = FloatOverlay::new_custom(
        FloatPointAdapter::new(both),
        OverlayOptions::ogc(),
        Default::default(),
        capacity,
    )
    .unsafe_add_source(&subject_paths, i_overlay::core::overlay::ShapeType::Subject)
    .unsafe_add_source(&clip_paths, i_overlay::core::overlay::ShapeType::Clip)
    .overlay(OverlayRule::Intersect, FillRule::EvenOdd);
    // As geo turns i_overlay's shapes into polygons: first path the exterior, rings closed.
    MultiPolygon(
        shapes
            .into_iter()
            .map(|shape| {
                let mut rings = shape.into_iter().map(|path| {
                    let mut ring: LineString<f64> =
                        path.into_iter().map(|[x, y]| Coord { x, y }).collect();
                    ring.close();
                    ring
                });
                let exterior = rings.next().unwrap_or(LineString(Vec::new()));
                Polygon::new(exterior, rings.collect())
            })
            .collect(),
    )
}

/// A ring as i_overlay takes it: open (geo repeats the first vertex at the end).
fn path_of(ring: &LineString<f64>) -> Vec<[f64; 2]> {
    match ring.0.split_last() {
        Some((_, open)) => open.iter().map(|c| [c.x, c.y]).collect(),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::BooleanOps;
    use geo::polygon;

    fn one(p: Polygon<f64>) -> MultiPolygon<f64> {
        MultiPolygon(vec![p])
    }

    #[test]
    fn equals_geo_with_far_parts_and_holes_left_out() {
        // A layer with a part that crosses the subject, one far away, and holes near and far.
        let subject = one(
            polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)],
        );
        let crossing = Polygon::new(
            LineString::from(vec![
                (5.0, 5.0),
                (500.0, 5.0),
                (500.0, 500.0),
                (5.0, 500.0),
                (5.0, 5.0),
            ]),
            vec![
                LineString::from(vec![
                    (6.0, 6.0),
                    (6.0, 8.0),
                    (8.0, 8.0),
                    (8.0, 6.0),
                    (6.0, 6.0),
                ]),
                LineString::from(vec![
                    (300.0, 300.0),
                    (300.0, 310.0),
                    (310.0, 310.0),
                    (310.0, 300.0),
                    (300.0, 300.0),
                ]),
            ],
        );
        let far = polygon![(x: 900.0, y: 900.0), (x: 950.0, y: 900.0), (x: 950.0, y: 950.0)];
        let layer = MultiPolygon(vec![crossing, far]);
        let ours = intersection_near(&subject, &layer, layer.bounding_rect().unwrap());
        let geo = subject.intersection(&layer);
        assert_eq!(ours, geo);
        // the hole near the subject is kept: 25 - 4 square units
        assert!((geo::Area::unsigned_area(&ours) - 21.0).abs() < 1e-9);
    }

    /// The bundled Shanxi grain zones, projected and unioned as the zone layer does, clipped to
    /// the 17 counties of Linfen (临汾市, where rings of that union are filed under other
    /// exteriors than their own): the same polygons as geo's intersection, county by county, and
    /// the area of the county's own zone features.
    #[test]
    fn equals_geo_on_the_shanxi_grain_zones() {
        use geo::Area;
        let dir = crate::region::bundled::resolve("140000").expect("the bundled province");
        let region = Region::load(&dir, None).expect("the province loads");
        let path = region.files.zones.clone().expect("the province has zones");
        let zones = crate::zones::ZoneLayer::read(&path).expect("the zones read");
        let grain = |z: &&crate::zones::Zone| z.kind == crate::zones::ZoneKind::Grain;
        let pieces: Vec<Polygon<f64>> = zones
            .zones
            .iter()
            .filter(grain)
            .filter_map(|z| region.projection.forward_multipolygon(&z.lonlat).ok())
            .flat_map(|mp| mp.0)
            .collect();
        let union = geo::unary_union(&pieces);
        let layer_box = union.bounding_rect().expect("grain land");
        let linfen: Vec<_> = region
            .counties
            .iter()
            .filter(|c| c.id.starts_with("1410"))
            .collect();
        assert_eq!(linfen.len(), 17);
        for county in linfen {
            let ours = intersection_near(&county.shape, &union, layer_box);
            assert_eq!(
                ours,
                county.shape.intersection(&union),
                "county {}",
                county.id
            );
            let own: f64 = zones
                .zones
                .iter()
                .filter(grain)
                .filter(|z| z.county.as_deref() == Some(county.id.as_str()))
                .filter_map(|z| region.projection.forward_multipolygon(&z.lonlat).ok())
                .map(|mp| mp.unsigned_area())
                .sum();
            // the union is clipped in metres, the features were clipped in degrees: 0.2 % + 0.5 km²
            let tolerance = 2e-3 * own + 5e5;
            assert!(
                (ours.unsigned_area() - own).abs() <= tolerance,
                "county {}",
                county.id
            );
        }
    }

    #[test]
    fn a_layer_away_from_the_subject_leaves_nothing() {
        let subject = one(polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0)]);
        let layer = one(polygon![(x: 50.0, y: 50.0), (x: 51.0, y: 50.0), (x: 51.0, y: 51.0)]);
        let ours = intersection_near(&subject, &layer, layer.bounding_rect().unwrap());
        assert!(ours.0.is_empty());
        assert!(subject.intersection(&layer).0.is_empty());
    }
}
