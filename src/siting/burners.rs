//! Smoke burners (地面烟炉) for high-altitude mountain land: remote-controlled AgI burners on
//! high ground on the windward side, placed until burner influence reaches that land.
//!
//! Demand is a lattice of points (default 1 km) on land at or above the burner elevation
//! (default 1,500 m) not yet reached by an operating burner. A burner reaches the downwind
//! sector (default 180° wide, centred on the direction the prevailing wind blows to) out to its
//! catalog radius. Greedy maximal covering: each step takes the feasible candidate that reaches
//! the most open demand, ties broken by the higher ground and then by the more windward place;
//! it stops when no candidate newly reaches at least `min_new_km2` of land. Candidates and demand are
//! matched through an rstar R-tree.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use geo::Coord;
use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::constraints::Constraints;
use crate::region::{Region, RowLocator};
use crate::terrain::Dem;

/// A planned burner.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BurnerPoint {
    /// Projected position, metres.
    pub at: Coord<f64>,
    /// Lon/lat.
    pub lonlat: (f64, f64),
    /// Index of the county holding it.
    pub county: usize,
    /// Elevation, metres.
    pub elevation_m: f64,
    /// Demand points it newly reaches.
    pub reaches: usize,
}

/// The burner plan.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BurnerPlan {
    /// New burners, in the order chosen.
    pub burners: Vec<BurnerPoint>,
    /// High-mountain demand points.
    pub demand: usize,
    /// Of those, reached by existing burners.
    pub reached_before: usize,
    /// Reached after the plan.
    pub reached_after: usize,
    /// Spacing of the demand lattice, metres (each point stands for spacing² of land).
    pub spacing_m: f64,
}

/// How burners reach land.
#[derive(Debug, Clone, Copy)]
pub struct BurnerReach {
    /// Radius, metres.
    pub radius_m: f64,
    /// Direction the prevailing wind blows from, degrees.
    pub wind_from_deg: f64,
    /// Sector width, degrees.
    pub sector_deg: f64,
}

impl BurnerReach {
    /// Whether a burner at `from` reaches `to`.
    pub fn reaches(&self, from: Coord<f64>, to: Coord<f64>) -> bool {
        let (dx, dy) = (to.x - from.x, to.y - from.y);
        let d = dx.hypot(dy);
        if d > self.radius_m {
            return false;
        }
        if d < 1e-9 || self.sector_deg >= 360.0 {
            return true;
        }
        let bearing = dx.atan2(dy).to_degrees().rem_euclid(360.0);
        let downwind = (self.wind_from_deg + 180.0).rem_euclid(360.0);
        let off = ((bearing - downwind + 540.0).rem_euclid(360.0) - 180.0).abs();
        off <= self.sector_deg / 2.0
    }
}

/// Where burners go and how far they reach.
#[derive(Debug, Clone, Copy)]
pub struct BurnerSettings {
    /// How a burner reaches land.
    pub reach: BurnerReach,
    /// Land at or above this elevation needs burners, metres.
    pub min_elevation_m: f64,
    /// Spacing of the demand lattice, metres.
    pub spacing_m: f64,
    /// Smallest new land a further burner must reach, km².
    pub min_new_km2: f64,
}

/// A candidate's place in the greedy order: more gain, then higher ground, then more
/// windward, then the earlier candidate first.
#[derive(Debug, Clone, Copy)]
struct BurnerKey {
    gain: usize,
    elevation_m: f64,
    upwind: f64,
    index: usize,
}

impl Ord for BurnerKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.gain
            .cmp(&other.gain)
            .then(self.elevation_m.total_cmp(&other.elevation_m))
            .then(self.upwind.total_cmp(&other.upwind))
            .then(other.index.cmp(&self.index))
    }
}

impl PartialOrd for BurnerKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for BurnerKey {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for BurnerKey {}

/// Places burners over the high-mountain land of the region.
pub fn plan_burners(
    region: &Region,
    dem: &Dem,
    existing: &[Coord<f64>],
    settings: &BurnerSettings,
    constraints: &Constraints,
) -> BurnerPlan {
    let BurnerSettings {
        reach,
        min_elevation_m,
        spacing_m,
        min_new_km2,
    } = *settings;
    let min_gain = ((min_new_km2 * 1e6) / (spacing_m * spacing_m))
        .ceil()
        .max(1.0) as usize;
    // Lattice points on region land at or above the threshold.
    let bounds = region.projected_bounds();
    let mut demand = Vec::new();
    let mut candidates = Vec::new();
    let locator = RowLocator::new(region);
    let mut y = (bounds.min().y / spacing_m).floor() * spacing_m + spacing_m / 2.0;
    while y < bounds.max().y {
        let mut xs = Vec::new();
        let mut x = (bounds.min().x / spacing_m).floor() * spacing_m + spacing_m / 2.0;
        while x < bounds.max().x {
            xs.push(x);
            x += spacing_m;
        }
        for (&x, county) in xs.iter().zip(locator.locate_row(y, &xs)) {
            if let Some(county) = county
                && let Ok((lon, lat)) = region.projection.inverse(x, y)
                && let Some(z) = dem.elevation(lon, lat)
                && z >= min_elevation_m
            {
                demand.push(Coord { x, y });
                if constraints.allows_without_checks(x, y) {
                    candidates.push((Coord { x, y }, (lon, lat), county, z));
                }
            }
        }
        y += spacing_m;
    }
    let tree: RTree<GeomWithData<[f64; 2], usize>> = RTree::bulk_load(
        demand
            .iter()
            .enumerate()
            .map(|(i, c)| GeomWithData::new([c.x, c.y], i))
            .collect(),
    );
    let within = |from: Coord<f64>| -> Vec<usize> {
        tree.locate_within_distance([from.x, from.y], reach.radius_m * reach.radius_m)
            .filter(|e| {
                reach.reaches(
                    from,
                    Coord {
                        x: e.geom()[0],
                        y: e.geom()[1],
                    },
                )
            })
            .map(|e| e.data)
            .collect()
    };
    let mut reached = vec![false; demand.len()];
    for &b in existing {
        within(b).into_iter().for_each(|i| reached[i] = true);
    }
    let reached_before = reached.iter().filter(|r| **r).count();
    let lists: Vec<Vec<usize>> = candidates.iter().map(|c| within(c.0)).collect();
    // Windwardness: distance upwind along the wind direction (larger = more windward).
    let upwind = |c: Coord<f64>| {
        let a = reach.wind_from_deg.to_radians();
        c.x * a.sin() + c.y * a.cos()
    };
    // Lazy greedy: a candidate's gain only falls as land is reached, so a stale gain is an
    // upper bound; the top of the heap, re-counted, is the best when it still beats the next
    // stale key. Keys order as the exhaustive scan does: gain, then elevation, then
    // windwardness, then the earlier candidate.
    let key = |i: usize, gain: usize| BurnerKey {
        gain,
        elevation_m: candidates[i].3,
        upwind: upwind(candidates[i].0),
        index: i,
    };
    let gain_of = |i: usize, reached: &[bool]| lists[i].iter().filter(|&&d| !reached[d]).count();
    let mut heap: BinaryHeap<BurnerKey> = (0..candidates.len())
        .map(|i| key(i, gain_of(i, &reached)))
        .collect();
    let mut burners = Vec::new();
    while let Some(top) = heap.pop() {
        let fresh = key(top.index, gain_of(top.index, &reached));
        if fresh.gain < min_gain {
            // The best fresh gain is an upper bound of all others.
            if fresh.gain == top.gain {
                break;
            }
            continue;
        }
        if heap.peek().is_some_and(|next| *next > fresh) {
            heap.push(fresh);
            continue;
        }
        let i = fresh.index;
        lists[i].iter().for_each(|&d| reached[d] = true);
        let (at, lonlat, county, z) = candidates[i];
        burners.push(BurnerPoint {
            at,
            lonlat,
            county,
            elevation_m: z,
            reaches: fresh.gain,
        });
    }
    BurnerPlan {
        burners,
        demand: demand.len(),
        reached_before,
        reached_after: reached.iter().filter(|r| **r).count(),
        spacing_m,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burner_reaches_downwind_only() {
        let reach = BurnerReach {
            radius_m: 10_000.0,
            wind_from_deg: 315.0,
            sector_deg: 180.0,
        };
        let o = Coord { x: 0.0, y: 0.0 };
        assert!(
            reach.reaches(
                o,
                Coord {
                    x: 5_000.0,
                    y: -5_000.0
                }
            ),
            "south-east is downwind of a north-west wind"
        );
        assert!(!reach.reaches(
            o,
            Coord {
                x: -5_000.0,
                y: 5_000.0
            }
        ));
        assert!(!reach.reaches(
            o,
            Coord {
                x: 11_000.0,
                y: -1.0
            }
        ));
    }
}
