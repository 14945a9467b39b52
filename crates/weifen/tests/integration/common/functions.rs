//! Test functions written once over `Scalar`, shared by the test binaries.

use weifen::Scalar;

/// Extended Rosenbrock: Σ 100(x_{i+1} − x_i²)² + (1 − x_i)², whose Hessian is tridiagonal.
pub fn rosenbrock<S: Scalar>(x: &[S]) -> S {
    x.windows(2).fold(S::constant(0.0), |sum, w| {
        let (a, b) = (w[0].clone(), w[1].clone());
        sum + (b - a.clone().powi(2)).powi(2) * 100.0 + (-a + 1.0).powi(2)
    })
}
