//! The LP relaxation of set covering as a public bound: reductions (which keep the LP value), then the dual
//! simplex of `lp.rs` per independent component; fractional sites allowed, so it is a lower bound on every
//! cover's size. Errors: a point without a candidate, or a component too large for the dense LP.

use std::time::{Duration, Instant};

use super::lp::{MAX_ROWS, solve};
use super::{CoverError, CoverInstance};
use super::{components, reduce};

/// The LP relaxation of set covering (fractional sites allowed): a lower bound on every cover's size.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LpRelaxation {
    /// A valid lower bound; the LP optimum (to about 1e-6) when `optimal`.
    pub value: f64,
    /// Whether every component's simplex reached its optimum before the time limit.
    pub optimal: bool,
    /// Dual simplex iterations, summed over components.
    pub iterations: usize,
    /// Independent components after reductions (forced candidates count 1 each towards `value`).
    pub components: usize,
}

/// Solves the LP relaxation of the set covering problem: reductions (which keep the LP value), then a dual
/// simplex per independent component; `value` is the forced sites plus the components' LP values.
///
/// # Errors
/// [`CoverError::Uncoverable`] if some point has no candidate; [`CoverError::TooLargeForLp`] if a component
/// has more than 3,000 demand points after reductions.
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use wxmod::solver::{lscp_lp_relaxation, Candidate, CoverInstance, DemandPoint};
/// use wxmod::units::Metres;
/// // Five points on a regular pentagon, a candidate half-way along each side: LP 2.5, integer optimum 3.
/// let corner = |k: usize| {
///     let a = std::f64::consts::TAU * k as f64 / 5.0;
///     (10_000.0 * a.cos(), 10_000.0 * a.sin())
/// };
/// let demand = (0..5)
///     .map(|k| DemandPoint { id: format!("d{k}"), x_m: corner(k).0, y_m: corner(k).1, weight: 1.0 })
///     .collect();
/// let candidates = (0..5)
///     .map(|k| {
///         let (a, b) = (corner(k), corner((k + 1) % 5));
///         Candidate { id: format!("c{k}"), x_m: (a.0 + b.0) / 2.0, y_m: (a.1 + b.1) / 2.0 }
///     })
///     .collect();
/// let instance = CoverInstance::new(demand, candidates, Metres(6_000.0)).unwrap();
/// let lp = lscp_lp_relaxation(&instance, Duration::from_secs(10)).unwrap();
/// assert!(lp.optimal && (lp.value - 2.5).abs() < 1e-6);
/// ```
pub fn lscp_lp_relaxation(
    instance: &CoverInstance,
    time_limit: Duration,
) -> Result<LpRelaxation, CoverError> {
    let deadline = Instant::now() + time_limit;
    instance.check_coverable()?;
    let red = reduce::reduce_lscp(instance.incidence());
    let parts = components::split(&red.inc);
    if let Some(big) = parts.iter().find(|p| p.inc.n_rows() > MAX_ROWS) {
        return Err(CoverError::TooLargeForLp {
            rows: big.inc.n_rows(),
            limit: MAX_ROWS,
        });
    }
    let mut relaxation = LpRelaxation {
        value: red.forced.len() as f64,
        optimal: true,
        iterations: 0,
        components: parts.len(),
    };
    for part in &parts {
        let lp = solve(&part.inc, Some(deadline));
        relaxation.value += lp.value;
        relaxation.optimal &= lp.optimal;
        relaxation.iterations += lp.iterations;
    }
    Ok(relaxation)
}
