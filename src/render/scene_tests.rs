//! Tests of the scene builder (render/scene.rs).

use super::*;
use geo::{LineString, Polygon};

#[test]
fn holes_are_bridged_against_the_exterior() {
    let view = View {
        frame: PxRect {
            x0: 0.0,
            y0: 0.0,
            x1: 100.0,
            y1: 100.0,
        },
        x0: 0.0,
        y0: 100.0,
        scale: 1.0,
    };
    let square = |a: f64, b: f64| LineString::from(vec![(a, a), (b, a), (b, b), (a, b), (a, a)]);
    let polygon = Polygon::new(square(10.0, 90.0), vec![square(40.0, 60.0)]);
    let ring = view.fill_ring(&polygon).unwrap();
    // Exterior (4) + hole (4) + closing the hole + back to the anchor.
    assert_eq!(ring.len(), 4 + 4 + 2);
    // Net area: exterior minus hole.
    assert_eq!(signed_area(&ring).abs(), 80.0 * 80.0 - 20.0 * 20.0);
}

#[test]
fn labels_do_not_overlap() {
    let mut placer = Placer {
        frame: PxRect {
            x0: 0.0,
            y0: 0.0,
            x1: 200.0,
            y1: 200.0,
        },
        taken: Vec::new(),
    };
    let a = placer.place((100.0, 100.0), 5.0, 40.0, 10.0).unwrap();
    let b = placer.place((100.0, 100.0), 5.0, 40.0, 10.0).unwrap();
    assert_ne!(a.1, b.1);
    // All four positions taken: the fifth label is dropped.
    placer.place((100.0, 100.0), 5.0, 40.0, 10.0).unwrap();
    placer.place((100.0, 100.0), 5.0, 40.0, 10.0).unwrap();
    assert!(placer.place((100.0, 100.0), 5.0, 40.0, 10.0).is_none());
}
