//! The LP relaxation of set covering as a public bound: reductions (which keep the LP value), then per
//! independent component the dual simplex of `lp.rs` or the interior-point method of `ipm.rs` ([`LpMethod`]);
//! fractional sites allowed, so it is a lower bound on every cover's size. Errors: a point without a
//! candidate, or a component too large for the method (3,000 points dense, 20,000 interior point).

use std::time::{Duration, Instant};

use super::cuts::CuttingLp;
use super::lp::{self, solve};
use super::{CoverError, CoverInstance, ipm};
use super::{components, reduce};

/// The LP relaxation of set covering (fractional sites allowed): a lower bound on every cover's size.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LpRelaxation {
    /// A valid lower bound; the LP optimum (to about 1e-6) when `optimal`.
    pub value: f64,
    /// Whether every component's simplex reached its optimum before the time limit.
    pub optimal: bool,
    /// Dual simplex or interior-point iterations, summed over components.
    pub iterations: usize,
    /// Independent components after reductions (forced candidates count 1 each towards `value`).
    pub components: usize,
}

/// How an LP relaxation is solved (both give a valid bound, the Lagrangian value of their final duals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum LpMethod {
    /// The dense dual simplex with dual steepest edge (at most 3,000 points a component).
    DualSimplex,
    /// The interior-point method of clarabel (at most 20,000 points a component), what the solver uses on
    /// components over 500 points.
    InteriorPoint,
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
    lscp_lp_relaxation_by(instance, time_limit, LpMethod::DualSimplex)
}

/// As [`lscp_lp_relaxation`], by the given method.
///
/// # Errors
/// [`CoverError::Uncoverable`] if some point has no candidate; [`CoverError::TooLargeForLp`] if a component
/// has more demand points after reductions than the method takes (3,000 or 20,000).
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use wxmod::solver::{lscp_lp_relaxation_by, Candidate, CoverInstance, DemandPoint, LpMethod};
/// use wxmod::units::Metres;
/// // An equilateral triangle of points 10 km apart, a candidate at the middle of each side (5 km from its
/// // ends, 8.7 km from the third point): LP 1.5 (every x = 1/2), optimum 2.
/// let corners = [(0.0, 0.0), (10_000.0, 0.0), (5_000.0, 8_660.254)];
/// let demand = corners
///     .iter()
///     .enumerate()
///     .map(|(k, &(x_m, y_m))| DemandPoint { id: format!("d{k}"), x_m, y_m, weight: 1.0 })
///     .collect();
/// let candidates = (0..3)
///     .map(|k| {
///         let (a, b) = (corners[k], corners[(k + 1) % 3]);
///         Candidate { id: format!("c{k}"), x_m: (a.0 + b.0) / 2.0, y_m: (a.1 + b.1) / 2.0 }
///     })
///     .collect();
/// let instance = CoverInstance::new(demand, candidates, Metres(6_000.0)).unwrap();
/// let lp = lscp_lp_relaxation_by(&instance, Duration::from_secs(10), LpMethod::InteriorPoint).unwrap();
/// assert!(lp.optimal && (lp.value - 1.5).abs() < 1e-6);
/// ```
pub fn lscp_lp_relaxation_by(
    instance: &CoverInstance,
    time_limit: Duration,
    method: LpMethod,
) -> Result<LpRelaxation, CoverError> {
    let limit = match method {
        LpMethod::DualSimplex => lp::MAX_ROWS,
        LpMethod::InteriorPoint => ipm::MAX_ROWS,
    };
    let deadline = Instant::now() + time_limit;
    instance.check_coverable()?;
    let red = reduce::reduce_lscp(instance.incidence());
    let parts = components::split(&red.inc);
    if let Some(big) = parts.iter().find(|p| p.inc.n_rows() > limit) {
        return Err(CoverError::TooLargeForLp {
            rows: big.inc.n_rows(),
            limit,
        });
    }
    let mut relaxation = LpRelaxation {
        value: red.forced.len() as f64,
        optimal: true,
        iterations: 0,
        components: parts.len(),
    };
    for part in &parts {
        let lp = match method {
            LpMethod::DualSimplex => solve(&part.inc, Some(deadline)),
            LpMethod::InteriorPoint => {
                let mut ipm = ipm::InteriorLp::new(&part.inc);
                ipm.run(Some(deadline));
                ipm.bound()
            }
        };
        relaxation.value += lp.value;
        relaxation.optimal &= lp.optimal;
        relaxation.iterations += lp.iterations;
    }
    Ok(relaxation)
}
