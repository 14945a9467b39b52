//! `particle`: the control `w` that makes a charged particle hit the origin, by gradient
//! descent on `x₀(t_f)²`, where the trajectory is integrated by Euler steps whose force is the
//! gradient of the potential: nested AD, in the four mode pairs `ff`, `fr`, `rf`, `rr` (outer
//! mode for the descent on `w`, inner mode for `∇ₓp`).
//!
//! Mode and layout: the function is written once ([`potential`], [`miss`]) over any
//! [`Real`] scalar and the descent of [`descent`](super::descent) takes its gradients by the
//! mode the function name asks for. The outer mode differentiates the whole trajectory,
//! including the inner derivative at every Euler step, so the scalar types nest:
//! `Dual<Dual<f64>>` (ff), `Var<'_, Dual<f64>>` (fr: a tape of dual numbers),
//! `Dual<Var<'_, f64>>` (rf) and `Var<'_, Var<'_, f64>>` (rr: a tape whose partials are
//! themselves recorded). `w` is one number and `x` two, so no mode has an asymptotic edge:
//! forward costs one evaluation per input, reverse one recording and one sweep. The state is
//! four scalars; an outer reverse tape holds the whole trajectory (at `w = 0`, 352 Euler steps
//! of 77 nodes for `rr`, 96 for `rf`: under 1 MB), and the inner tape one potential, reused.

use super::descent::{Forward, Lift, Mode, Objective, Reverse, argmin};
use super::{Prepared, number, unknown_function};
use serde_json::{Value, json};
use std::marker::PhantomData;
use weifen::{Real, Scalar};

/// The Euler step of the trajectory.
const DT: f64 = 0.1;

/// The most Euler steps: a particle that has not crossed the x axis by then is given up on
/// (its miss is NaN, which the descent never accepts as an improvement).
const MAX_STEPS: usize = 1_000_000;

/// `p(x; w) = 1/‖x − (10, 10 − w)‖ + 1/‖x − (10, 0)‖`, the potential of the two charges.
pub fn potential<S: Scalar>(x: &[S], w: S) -> S {
    let distance = |cx: S, cy: S| {
        let dx = x[0].clone() - cx;
        let dy = x[1].clone() - cy;
        (dx.clone() * dx + dy.clone() * dy).sqrt()
    };
    let left = distance(S::constant(10.0), -w + 10.0);
    let right = distance(S::constant(10.0), S::constant(0.0));
    left.recip() + right.recip()
}

/// The potential at a fixed `w`, as a function of the position for the inner mode.
struct Potential<T> {
    w: T,
}

impl<T: Real> Objective<T> for Potential<T> {
    fn eval<S: Lift<T>>(&self, x: &[S]) -> S {
        potential(x, S::lift(self.w))
    }
}

/// `x₀(t_f)²`: the squared miss distance where the particle, started at `(0, 8)` with velocity
/// `(0.75, 0)` and accelerated by `−∇ₓp` (by the inner mode `M`), crosses the x axis. Euler
/// steps of `0.1` until the next step would cross, then a linear interpolation to the axis.
pub fn miss<T: Real, M: Mode>(w: T) -> T {
    let c = T::constant;
    let (mut x, mut v) = ([c(0.0), c(8.0)], [c(0.75), c(0.0)]);
    let field = Potential { w };
    let mut scratch = M::Scratch::default();
    let mut crossed = false;
    for _ in 0..MAX_STEPS {
        let next = [x[0] + v[0] * DT, x[1] + v[1] * DT];
        if next[1] <= 0.0 {
            crossed = true;
            break;
        }
        let gradient = M::gradient_with(&mut scratch, &field, &x);
        v = [v[0] - gradient[0] * DT, v[1] - gradient[1] * DT];
        x = next;
    }
    if !crossed {
        return c(f64::NAN);
    }
    let to_axis = -x[1] / v[1];
    let x_final = x[0] + to_axis * v[0];
    x_final * x_final
}

/// [`miss`] as the outer objective of `w`, with the inner mode `M`.
struct Miss<M>(PhantomData<M>);

impl<M: Mode> Objective<f64> for Miss<M> {
    fn eval<S: Lift<f64>>(&self, w: &[S]) -> S {
        miss::<S, M>(w[0])
    }
}

/// The control `w` found by descent from `w0`: outer mode `O`, inner mode `I`.
pub fn control<O: Mode, I: Mode>(w0: f64) -> f64 {
    argmin::<f64, O, _>(&Miss::<I>(PhantomData), &[w0])[0]
}

struct Particle {
    solve: fn(f64) -> f64,
    w0: f64,
    w: f64,
}

impl Prepared for Particle {
    fn run(&mut self) {
        self.w = (self.solve)(self.w0);
    }

    fn output(&self) -> Value {
        json!(self.w)
    }
}

/// Prepares `ff`, `fr`, `rf` or `rr`; the input is `{"w": w0}`.
pub fn prepare(function: &str, input: &Value) -> Result<Box<dyn Prepared>, String> {
    let solve: fn(f64) -> f64 = match function {
        "ff" => control::<Forward, Forward>,
        "fr" => control::<Forward, Reverse>,
        "rf" => control::<Reverse, Forward>,
        "rr" => control::<Reverse, Reverse>,
        _ => return Err(unknown_function("particle", function)),
    };
    let w0 = number(input.get("w").unwrap_or(&Value::Null), "the field \"w\"")?;
    if !w0.is_finite() {
        return Err(format!("the field \"w\" must be finite, not {w0}"));
    }
    Ok(Box::new(Particle {
        solve,
        w0,
        w: f64::NAN,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `∇ₓ p = −Σ (x − c)/‖x − c‖³` over the two charges `c`.
    fn field_closed_form(x: [f64; 2], w: f64) -> [f64; 2] {
        let mut g = [0.0; 2];
        for c in [[10.0, 10.0 - w], [10.0, 0.0]] {
            let d = [x[0] - c[0], x[1] - c[1]];
            let r3 = (d[0] * d[0] + d[1] * d[1]).powf(1.5);
            g[0] -= d[0] / r3;
            g[1] -= d[1] / r3;
        }
        g
    }

    #[test]
    fn potential_gradient_is_the_closed_form() {
        let (x, w) = ([1.5, 7.0], 0.3);
        let want = field_closed_form(x, w);
        let field = Potential { w };
        for got in [Forward::gradient(&field, &x), Reverse::gradient(&field, &x)] {
            for i in 0..2 {
                assert!((got[i] - want[i]).abs() < 1e-15, "{got:?} vs {want:?}");
            }
        }
    }

    fn miss_derivative<O: Mode, I: Mode>(w: f64) -> f64 {
        O::gradient(&Miss::<I>(PhantomData), &[w])[0]
    }

    #[test]
    fn the_four_mode_pairs_agree_with_a_central_difference() {
        for w in [0.0, 0.15] {
            let ff = miss_derivative::<Forward, Forward>(w);
            let h = 1e-7;
            let central = (miss::<f64, Reverse>(w + h) - miss::<f64, Reverse>(w - h)) / (2.0 * h);
            assert!(
                (ff - central).abs() < 1e-5 * (1.0 + central.abs()),
                "{ff} vs {central}"
            );
            for other in [
                miss_derivative::<Forward, Reverse>(w),
                miss_derivative::<Reverse, Forward>(w),
                miss_derivative::<Reverse, Reverse>(w),
            ] {
                assert!(
                    (ff - other).abs() <= 1e-12 * (1.0 + ff.abs()),
                    "{ff} vs {other}"
                );
            }
        }
    }

    #[test]
    fn every_mode_pair_steers_the_particle_to_the_origin() {
        let ff = control::<Forward, Forward>(0.0);
        for w in [
            ff,
            control::<Forward, Reverse>(0.0),
            control::<Reverse, Forward>(0.0),
            control::<Reverse, Reverse>(0.0),
        ] {
            assert!((w - ff).abs() < 1e-12, "{w} vs {ff}");
            // The miss is a square: its minimum is (near) zero.
            assert!(
                miss::<f64, Forward>(w) < 1e-6,
                "miss {}",
                miss::<f64, Forward>(w)
            );
        }
        // GradBench's reference answer for w₀ = 0.
        assert!((ff - 0.2071918746486116).abs() < 1e-6);
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert!(prepare("rr", &json!({})).is_err());
        assert!(prepare("rr", &json!({"w": "a"})).is_err());
        assert!(prepare("r", &json!({"w": 0.0})).is_err());
        assert!(prepare("rf", &json!({"w": 0.0})).is_ok());
    }
}
