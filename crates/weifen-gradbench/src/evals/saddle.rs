//! `saddle`: the saddle point of `f(x, y) = (x₀² + x₁²) − (y₀² + y₁²)` as
//! `x* = argminₓ maxᵧ f(x, y)` and then `y* = argmaxᵧ f(x*, y)`, both by gradient descent from
//! the given start: nested AD, in the four mode pairs `ff`, `fr`, `rf`, `rr` (outer mode for
//! the descent on `x`, inner mode for the descent on `y` inside it; the final argmax uses the
//! outer mode).
//!
//! Mode and layout: [`objective`] is written once over any scalar; the outer descent's
//! objective `maxᵧ f(x, y)` runs the whole inner descent on the outer scalar type, so the
//! outer mode differentiates through the inner loop (its iterates, not only its end point:
//! the envelope theorem is not assumed). The types nest as in `particle`: `Dual<Dual<f64>>`,
//! `Var<'_, Dual<f64>>`, `Dual<Var<'_, f64>>`, `Var<'_, Var<'_, f64>>`. With two inputs per
//! level neither mode has an asymptotic edge; every value is a handful of scalars.

use super::descent::{Forward, Lift, Mode, Objective, Reverse, argmax, argmin};
use super::{Prepared, number, unknown_function};
use serde_json::{Value, json};
use std::marker::PhantomData;
use weifen::{Real, Scalar};

/// `f(x, y) = (x₀² + x₁²) − (y₀² + y₁²)`.
pub fn objective<S: Scalar>(x: &[S], y: &[S]) -> S {
    let square = |v: &S| v.clone() * v.clone();
    (square(&x[0]) + square(&x[1])) - (square(&y[0]) + square(&y[1]))
}

/// `y ↦ f(x, y)` at a fixed `x`.
struct AtX<T> {
    x: [T; 2],
}

impl<T: Real> Objective<T> for AtX<T> {
    fn eval<S: Lift<T>>(&self, y: &[S]) -> S {
        objective(&[S::lift(self.x[0]), S::lift(self.x[1])], y)
    }
}

/// `x ↦ maxᵧ f(x, y)`, the inner maximum by descent from `start` with the inner mode `M`.
struct Max<M> {
    start: [f64; 2],
    mode: PhantomData<M>,
}

impl<M: Mode> Objective<f64> for Max<M> {
    fn eval<S: Lift<f64>>(&self, x: &[S]) -> S {
        let start = self.start.map(S::constant);
        let y = argmax::<S, M, _>(&AtX { x: [x[0], x[1]] }, &start);
        objective(x, &y)
    }
}

/// `(x*, y*)` from `start`: outer mode `O`, inner mode `I`.
pub fn saddle<O: Mode, I: Mode>(start: [f64; 2]) -> [f64; 4] {
    let max = Max::<I> {
        start,
        mode: PhantomData,
    };
    let x = argmin::<f64, O, _>(&max, &start);
    let y = argmax::<f64, O, _>(&AtX { x: [x[0], x[1]] }, &start);
    [x[0], x[1], y[0], y[1]]
}

struct Saddle {
    solve: fn([f64; 2]) -> [f64; 4],
    start: [f64; 2],
    point: [f64; 4],
}

impl Prepared for Saddle {
    fn run(&mut self) {
        self.point = (self.solve)(self.start);
    }

    fn output(&self) -> Value {
        json!(self.point)
    }
}

/// Prepares `ff`, `fr`, `rf` or `rr`; the input is `{"start": [s₀, s₁]}`.
pub fn prepare(function: &str, input: &Value) -> Result<Box<dyn Prepared>, String> {
    let solve: fn([f64; 2]) -> [f64; 4] = match function {
        "ff" => saddle::<Forward, Forward>,
        "fr" => saddle::<Forward, Reverse>,
        "rf" => saddle::<Reverse, Forward>,
        "rr" => saddle::<Reverse, Reverse>,
        _ => return Err(unknown_function("saddle", function)),
    };
    let start = match input.get("start").and_then(Value::as_array) {
        Some(s) if s.len() == 2 => [number(&s[0], "start[0]")?, number(&s[1], "start[1]")?],
        _ => return Err("the field \"start\" must be an array of two numbers".into()),
    };
    Ok(Box::new(Saddle {
        solve,
        start,
        point: [f64::NAN; 4],
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `maxᵧ f(x, ·)` by descent, and its derivative along `x₀` and `x₁` by outer mode `O`.
    fn max_gradient<O: Mode, I: Mode>(x: [f64; 2]) -> Vec<f64> {
        let max = Max::<I> {
            start: [1.0, 1.0],
            mode: PhantomData,
        };
        O::gradient(&max, &x)
    }

    #[test]
    fn objective_gradient_is_the_closed_form() {
        // ∇_y f = −2y at fixed x.
        let at = AtX { x: [0.5, -1.5] };
        let y = [2.0, 0.25];
        assert_eq!(Forward::gradient(&at, &y), vec![-4.0, -0.5]);
        assert_eq!(Reverse::gradient(&at, &y), vec![-4.0, -0.5]);
    }

    #[test]
    fn the_four_mode_pairs_differentiate_the_inner_descent_alike() {
        let x = [0.7, -0.4];
        let ff = max_gradient::<Forward, Forward>(x);
        for other in [
            max_gradient::<Forward, Reverse>(x),
            max_gradient::<Reverse, Forward>(x),
            max_gradient::<Reverse, Reverse>(x),
        ] {
            for (a, b) in ff.iter().zip(&other) {
                assert!(
                    (a - b).abs() <= 1e-12 * (1.0 + b.abs()),
                    "{ff:?} vs {other:?}"
                );
            }
        }
        // The inner descent's iterates do not depend on x (∇_y f = −2y), so maxᵧ f(x, y)
        // = |x|² − |y*|² and its gradient is 2x exactly; a central difference agrees.
        let max = Max::<Reverse> {
            start: [1.0, 1.0],
            mode: PhantomData,
        };
        for i in 0..2 {
            assert!((ff[i] - 2.0 * x[i]).abs() < 1e-12);
            let h = 1e-6;
            let (mut up, mut down) = (x, x);
            up[i] += h;
            down[i] -= h;
            let central = (max.eval(&up) - max.eval(&down)) / (2.0 * h);
            assert!((ff[i] - central).abs() < 1e-6);
        }
    }

    #[test]
    fn every_mode_pair_finds_the_saddle_at_the_origin() {
        let start = [1.0, 1.0];
        let ff = saddle::<Forward, Forward>(start);
        for point in [
            ff,
            saddle::<Forward, Reverse>(start),
            saddle::<Reverse, Forward>(start),
            saddle::<Reverse, Reverse>(start),
        ] {
            assert!(point.iter().all(|c| c.abs() < 1e-4), "{point:?}");
            assert_eq!(point, ff);
        }
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert!(prepare("rr", &json!({"start": [1.0]})).is_err());
        assert!(prepare("rr", &json!({"start": [1.0, "b"]})).is_err());
        assert!(prepare("xx", &json!({"start": [1.0, 1.0]})).is_err());
        assert!(prepare("fr", &json!({"start": [1.0, 1.0]})).is_ok());
    }
}
