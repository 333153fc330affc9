//! The outlines of a region and of its cities or provinces (区域、市界、省界), each the union
//! of its counties' shapes, computed once per region and kept.
//!
//! Every map draws the region's outline and a province's or country's overview and rollout
//! maps draw the city or province borders: at national scale (2,875 counties, 1.3 million
//! vertices) one union costs about a second, so recomputing them per map cost minutes.

use std::sync::OnceLock;

use geo::{MultiPolygon, Polygon};

use super::{AdminUnit, Region, UnitLevel, admin_units};

/// One city or province of a region with its outline.
#[derive(Debug, Clone)]
pub struct UnitOutline {
    /// The unit and its counties.
    pub unit: AdminUnit,
    /// The union of its counties' shapes, projected metres.
    pub outline: MultiPolygon<f64>,
}

/// The outlines of one region, each computed on first use.
#[derive(Clone, Default)]
pub(crate) struct OutlineCache {
    region: OnceLock<MultiPolygon<f64>>,
    cities: OnceLock<Vec<UnitOutline>>,
    provinces: OnceLock<Vec<UnitOutline>>,
}

impl std::fmt::Debug for OutlineCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutlineCache")
            .field("region", &self.region.get().is_some())
            .field("cities", &self.cities.get().map(Vec::len))
            .field("provinces", &self.provinces.get().map(Vec::len))
            .finish()
    }
}

fn union_of(region: &Region, counties: &[usize]) -> MultiPolygon<f64> {
    let polygons: Vec<Polygon<f64>> = counties
        .iter()
        .filter_map(|&i| region.counties.get(i))
        .flat_map(|c| c.shape.0.iter().cloned())
        .collect();
    geo::unary_union(&polygons)
}

impl Region {
    /// The region's outline: the union of all its counties' shapes (projected metres),
    /// computed on first use and kept (a region's shapes do not change after loading).
    pub fn outline(&self) -> &MultiPolygon<f64> {
        self.outlines.region.get_or_init(|| {
            let all: Vec<usize> = (0..self.counties.len()).collect();
            union_of(self, &all)
        })
    }

    /// The region's cities or provinces ([`admin_units`]) with their outlines, in the order
    /// of their first county; computed on first use and kept.
    pub fn unit_outlines(&self, level: UnitLevel) -> &[UnitOutline] {
        let cell = match level {
            UnitLevel::City => &self.outlines.cities,
            UnitLevel::Province => &self.outlines.provinces,
        };
        cell.get_or_init(|| {
            let units = admin_units(self, level);
            crate::parallel::map_in_order(&units, 2, |unit| UnitOutline {
                outline: union_of(self, &unit.counties),
                unit: unit.clone(),
            })
        })
    }
}
