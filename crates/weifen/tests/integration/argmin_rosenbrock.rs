//! An optimiser from another crate (argmin's L-BFGS) driven by weifen gradients of a cost
//! written against `num_traits::Float`, as user crates write them.

use argmin::core::{CostFunction, Error, Executor, Gradient, State, TerminationReason};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use num_traits::Float;
use weifen::reverse;

/// The n-dimensional Rosenbrock function Σ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)², minimum 0 at (1, …, 1).
fn rosenbrock<T: Float>(x: &[T]) -> T {
    let (hundred, one) = (T::from(100).unwrap(), T::one());
    x.windows(2).fold(T::zero(), |acc, w| {
        acc + hundred * (w[1] - w[0].powi(2)).powi(2) + (one - w[0]).powi(2)
    })
}

/// The cost evaluated in `f64`, its gradient by weifen's reverse mode on the same generic code.
struct Problem;

impl CostFunction for Problem {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, x: &Vec<f64>) -> Result<f64, Error> {
        Ok(rosenbrock(x))
    }
}

impl Gradient for Problem {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, x: &Vec<f64>) -> Result<Vec<f64>, Error> {
        Ok(reverse::gradient(|v| rosenbrock(v), x))
    }
}

/// ∇ by hand, to check the gradient handed to the optimiser.
fn rosenbrock_gradient(x: &[f64]) -> Vec<f64> {
    let mut g = vec![0.0; x.len()];
    for i in 0..x.len() - 1 {
        let r = x[i + 1] - x[i] * x[i];
        g[i] += -400.0 * x[i] * r - 2.0 * (1.0 - x[i]);
        g[i + 1] += 200.0 * r;
    }
    g
}

#[test]
fn weifen_gradient_of_float_generic_cost_matches_hand_gradient() {
    let x = [-1.2, 1.0, 0.3, -0.7];
    let g = Problem.gradient(&x.to_vec()).unwrap();
    for (a, b) in g.iter().zip(rosenbrock_gradient(&x)) {
        assert!((a - b).abs() < 1e-12 * b.abs().max(1.0), "{a} vs {b}");
    }
}

#[test]
fn lbfgs_driven_by_weifen_gradients_converges_to_rosenbrock_minimum() {
    let start = vec![-1.2, 1.0, -1.2, 1.0];
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 7)
        .with_tolerance_grad(1e-10)
        .unwrap();
    let result = Executor::new(Problem, solver)
        .configure(|state| state.param(start).max_iters(500))
        .run()
        .unwrap();
    let state = result.state();
    assert!(
        !matches!(
            state.get_termination_status(),
            argmin::core::TerminationStatus::Terminated(TerminationReason::MaxItersReached)
        ),
        "L-BFGS did not converge in 500 iterations"
    );
    let best = state.get_best_param().unwrap();
    for xi in best {
        assert!((xi - 1.0).abs() < 1e-6, "{best:?}");
    }
    assert!(state.get_best_cost() < 1e-12);
}
