//! Azimuths on a bin grid: the intervals of a sector, the objects of a site's frame binned by
//! the azimuths their fall-band reach blocks, and the sector those bins allow.
//!
//! Cost: O(bins + blocked bins) per site once the objects in reach are known.

use super::geometry::{BlockedArc, FallBand, LocalShape, arc_bins, blocked_arcs};

/// The arc type shared with the ledger's firing sectors (one full-circle convention).
pub use crate::units::AzimuthInterval;
pub(crate) use crate::units::trim;

/// A run of forbidden azimuths and the objects that block it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ForbiddenInterval {
    /// The azimuths.
    pub interval: AzimuthInterval,
    /// Indices into the object list of every object that blocks part of the run.
    pub blockers: Vec<usize>,
}

/// A protected object in a site's local frame.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalObject {
    /// Index into the object list.
    pub object: usize,
    /// The shape, local metres.
    pub shape: LocalShape,
    /// Object radius plus margin, metres.
    pub buffer_m: f64,
}

/// The forbidden bins of a site and which objects block which bins.
#[derive(Debug, Clone, PartialEq)]
pub struct AzimuthBins {
    /// Bin width, degrees.
    pub step_deg: f64,
    /// One flag per bin, true where forbidden.
    pub forbidden: Vec<bool>,
    /// (object, first bin, number of bins) of every blocked arc.
    pub hits: Vec<(usize, usize, usize)>,
}

/// Bins the azimuths blocked by objects in the local frame.
///
/// # Examples
/// ```
/// use wxmod::sectors::{bin_azimuths, FallBand, LocalObject, LocalShape};
/// let town = LocalObject { object: 0, shape: LocalShape::Point(geo::coord! { x: 0.0, y: 5000.0 }), buffer_m: 2200.0 };
/// let bins = bin_azimuths(&[town], FallBand { min_m: 0.0, max_m: 10_000.0 }, 1.0);
/// // asin(2.2 / 5) = 26.1°: the arc 333.9°-26.1° meets bins 333-359 and 0-26.
/// assert!(bins.forbidden[0] && bins.forbidden[26] && bins.forbidden[333]);
/// assert!(!bins.forbidden[27] && !bins.forbidden[332]);
/// ```
pub fn bin_azimuths(objects: &[LocalObject], band: FallBand, step_deg: f64) -> AzimuthBins {
    let n = (360.0 / step_deg).round() as usize;
    let mut forbidden = vec![false; n];
    let mut hits = Vec::new();
    let mut arcs: Vec<BlockedArc> = Vec::new();
    for o in objects {
        arcs.clear();
        blocked_arcs(&o.shape, o.buffer_m, band, &mut arcs);
        for &arc in &arcs {
            let (first, count) = arc_bins(arc, step_deg, n);
            for k in first..first + count {
                forbidden[k % n] = true;
            }
            hits.push((o.object, first, count));
        }
    }
    AzimuthBins {
        step_deg,
        forbidden,
        hits,
    }
}

/// Runs of equal flags around the circle: (first bin, length, flag), starting at a change (or
/// one run of all bins).
pub(crate) fn runs(flags: &[bool]) -> Vec<(usize, usize, bool)> {
    let n = flags.len();
    let Some(start) = (0..n).find(|&i| flags[i] != flags[(i + n - 1) % n]) else {
        return vec![(0, n, flags[0])];
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let first = (start + i) % n;
        let flag = flags[first];
        let mut len = 0;
        while i < n && flags[(start + i) % n] == flag {
            len += 1;
            i += 1;
        }
        out.push((first, len, flag));
    }
    out.sort_by_key(|r| r.0);
    out
}
