//! Gradient descent written once over any [`Real`] scalar, with the gradient taken by a
//! chosen AD mode: the building block of the nested evals `particle` and `saddle`.
//!
//! The solver (the step rule GradBench fixes for these evals: start at `η = 10⁻⁵`, halve `η`
//! on a step that does not lower the value, double it after ten that do, stop when `‖∇f‖` or
//! the step is at most `10⁻⁵`) runs on the scalar type `T` of an *outer* differentiation:
//! every iterate is a `T`, so the outer mode differentiates through the whole loop (its
//! branches follow the primal values, as the primal would). Its gradients come from an
//! *inner* differentiation by [`Mode`]: forward mode evaluates the objective on
//! `forward::Dual<T>` once per input, reverse mode records it once on a `reverse::Tape<T>`.
//! Nesting is by type, so `T = Var<'_, f64>` with the forward inner mode is reverse over
//! forward, `T = Dual<f64>` with the reverse inner mode forward over reverse, and so on; a
//! value of the outer type enters the inner one as a constant through [`Lift`], so the two
//! perturbations cannot be confused.

use weifen::Real;
use weifen::forward::Dual;
use weifen::reverse::{Var, Workspace};

/// A scalar that a value of the outer type `T` can enter as a constant.
pub trait Lift<T>: Real {
    /// `t` as a constant of this type (no tangent, no tape).
    fn lift(t: T) -> Self;
}

impl<T: Real> Lift<T> for T {
    #[inline]
    fn lift(t: T) -> Self {
        t
    }
}

impl<T: Real> Lift<T> for Dual<T> {
    #[inline]
    fn lift(t: T) -> Self {
        Dual::lift(t)
    }
}

impl<T: Real> Lift<T> for Var<'_, T> {
    #[inline]
    fn lift(t: T) -> Self {
        Var::constant_of(t)
    }
}

/// A function `f: Tⁿ → T` written once for every scalar that `T` lifts into.
pub trait Objective<T: Real> {
    /// `f(x)`.
    fn eval<S: Lift<T>>(&self, x: &[S]) -> S;
}

/// An AD mode: how [`argmin`] takes the gradient of its objective.
pub trait Mode {
    /// Memory a loop of gradients reuses (reverse mode's tape and adjoints).
    type Scratch<T: Real>: Default;

    /// `∇f(x)`, differentiated by this mode in the memory of `scratch`.
    fn gradient_with<T: Real, F: Objective<T>>(
        scratch: &mut Self::Scratch<T>,
        f: &F,
        x: &[T],
    ) -> Vec<T>;

    /// `∇f(x)`, differentiated by this mode in fresh memory (the evals keep a scratch; the
    /// tests use this).
    #[cfg(test)]
    fn gradient<T: Real, F: Objective<T>>(f: &F, x: &[T]) -> Vec<T> {
        Self::gradient_with(&mut Self::Scratch::default(), f, x)
    }
}

/// Forward mode: one evaluation on dual numbers per input, seeded along each axis in turn.
#[derive(Clone, Copy, Debug)]
pub struct Forward;

/// Reverse mode: one recording and one backward sweep, into a reused `reverse::Workspace`.
#[derive(Clone, Copy, Debug)]
pub struct Reverse;

impl Mode for Forward {
    type Scratch<T: Real> = ();

    fn gradient_with<T: Real, F: Objective<T>>(_: &mut (), f: &F, x: &[T]) -> Vec<T> {
        // One seeded vector, its tangent moved from input to input: `forward::jvp` would
        // allocate the direction's duals and the output vector for each input, which was a
        // tenth of `particle`'s time.
        let mut seeded: Vec<Dual<T>> = x.iter().map(|&xi| Dual::lift(xi)).collect();
        (0..x.len())
            .map(|i| {
                seeded[i] = Dual::variable(x[i]);
                let tangent = f.eval(&seeded).tangent;
                seeded[i] = Dual::lift(x[i]);
                tangent
            })
            .collect()
    }
}

impl Mode for Reverse {
    type Scratch<T: Real> = Workspace<T>;

    fn gradient_with<T: Real, F: Objective<T>>(
        workspace: &mut Workspace<T>,
        f: &F,
        x: &[T],
    ) -> Vec<T> {
        workspace.gradient(|v| f.eval(v), x)
    }
}

/// `−f`, so that [`argmax`] is [`argmin`] of it.
struct Negated<'f, F>(&'f F);

impl<T: Real, F: Objective<T>> Objective<T> for Negated<'_, F> {
    fn eval<S: Lift<T>>(&self, x: &[S]) -> S {
        -self.0.eval(x)
    }
}

/// The most objective evaluations one descent makes: a bound that ends the loop on an
/// objective whose value is NaN (no step ever lowers it, so `η` would halve forever).
const MAX_EVALUATIONS: usize = 1_000_000;

/// The tolerance on `‖∇f‖` and on the step length.
const TOLERANCE: f64 = 1e-5;

/// A local minimiser of `f` from `start`, by gradient descent with the gradient by `M`.
///
/// It stops when `‖∇f(x)‖ ≤ 10⁻⁵`, when a step `η∇f` is at most `10⁻⁵` long, when the
/// gradient is not finite, or after a million evaluations.
pub fn argmin<T: Real, M: Mode, F: Objective<T>>(f: &F, start: &[T]) -> Vec<T> {
    let mut scratch = M::Scratch::default();
    let mut x = start.to_vec();
    let mut fx = f.eval(&x);
    let mut gx = M::gradient_with(&mut scratch, f, &x);
    let mut eta = 1e-5;
    let mut successes = 0;
    for _ in 0..MAX_EVALUATIONS {
        let norm = length(gx.iter().map(Real::value));
        if norm <= TOLERANCE || !norm.is_finite() {
            break;
        }
        if successes == 10 {
            eta *= 2.0;
            successes = 0;
            continue;
        }
        let trial: Vec<T> = x.iter().zip(&gx).map(|(&xi, &gi)| xi - gi * eta).collect();
        let step = length(x.iter().zip(&trial).map(|(a, b)| a.value() - b.value()));
        if step <= TOLERANCE {
            break;
        }
        let f_trial = f.eval(&trial);
        if f_trial < fx {
            x = trial;
            fx = f_trial;
            gx = M::gradient_with(&mut scratch, f, &x);
            successes += 1;
        } else {
            eta /= 2.0;
            successes = 0;
        }
    }
    x
}

/// A local maximiser of `f` from `start`: [`argmin`] of `−f`.
pub fn argmax<T: Real, M: Mode, F: Objective<T>>(f: &F, start: &[T]) -> Vec<T> {
    argmin::<T, M, _>(&Negated(f), start)
}

/// The Euclidean length of a vector of values.
fn length(v: impl Iterator<Item = f64>) -> f64 {
    v.map(|c| c * c).sum::<f64>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `f(x) = (x₀ − 3)² + 2(x₁ + 1)²`, minimised at `(3, −1)`.
    struct Bowl;

    impl Objective<f64> for Bowl {
        fn eval<S: Lift<f64>>(&self, x: &[S]) -> S {
            (x[0] - 3.0).powi(2) + (x[1] + 1.0).powi(2) * 2.0
        }
    }

    #[test]
    fn both_modes_give_the_closed_form_gradient() {
        // ∇f = (2(x₀ − 3), 4(x₁ + 1))
        let x = [0.5, 2.0];
        let want = [2.0 * (0.5 - 3.0), 4.0 * 3.0];
        assert_eq!(Forward::gradient(&Bowl, &x), want);
        assert_eq!(Reverse::gradient(&Bowl, &x), want);
    }

    #[test]
    fn argmin_finds_the_minimum_of_a_bowl() {
        for x in [
            argmin::<f64, Forward, _>(&Bowl, &[0.0, 0.0]),
            argmin::<f64, Reverse, _>(&Bowl, &[0.0, 0.0]),
        ] {
            assert!(
                (x[0] - 3.0).abs() < 1e-4 && (x[1] + 1.0).abs() < 1e-4,
                "{x:?}"
            );
        }
    }

    #[test]
    fn argmax_of_the_negated_bowl_is_its_argmin() {
        struct Cap;
        impl Objective<f64> for Cap {
            fn eval<S: Lift<f64>>(&self, x: &[S]) -> S {
                -Bowl.eval(x)
            }
        }
        let x = argmax::<f64, Reverse, _>(&Cap, &[0.0, 0.0]);
        assert_eq!(x, argmin::<f64, Reverse, _>(&Bowl, &[0.0, 0.0]));
    }

    #[test]
    fn a_nan_objective_ends_the_descent() {
        struct Nan;
        impl Objective<f64> for Nan {
            fn eval<S: Lift<f64>>(&self, x: &[S]) -> S {
                x[0].sqrt()
            }
        }
        // √x at x < 0 is NaN, and so is its gradient: the descent stops where it starts.
        assert_eq!(argmin::<f64, Forward, _>(&Nan, &[-1.0]), vec![-1.0]);
    }
}
