//! The four nestings of forward and reverse mode — forward over forward (`Dual<Dual<f64>>`),
//! forward over reverse (a tape of `Dual<f64>`), reverse over forward (`Dual<Var<f64>>`) and
//! reverse over reverse (a tape of `Var<f64>`) — give the same nested derivatives, without
//! perturbation confusion, on closed forms. The outer value enters the inner differentiation
//! as a constant: `Dual::lift` or `Var::constant_of`.

use weifen::forward::{self, Dual};
use weifen::reverse::{self, Var};
use weifen::{Real, Scalar};

/// `h(x, y) = x·y`: `D(x ↦ x · ∂h/∂y(x, 3))(5) = D(x ↦ x²)(5) = 10`. A tag-less nesting
/// that confused the two perturbations would give 15 (the inner derivative would pick up
/// the outer perturbation too).
#[test]
fn every_mode_pair_keeps_the_perturbations_apart() {
    let ff = forward::derivative(
        |x: Dual<f64>| x * forward::derivative(|y| Dual::lift(x) * y, Dual::constant(3.0)),
        5.0,
    );
    let fr = forward::derivative(
        |x: Dual<f64>| x * reverse::derivative(|y| Var::constant_of(x) * y, Dual::constant(3.0)),
        5.0,
    );
    let rf = reverse::derivative(
        |x| x * forward::derivative(|y| Dual::lift(x) * y, Scalar::constant(3.0)),
        5.0,
    );
    let rr = reverse::derivative(
        |x| x * reverse::derivative(|y| Var::constant_of(x) * y, Scalar::constant(3.0)),
        5.0,
    );
    assert_eq!([ff, fr, rf, rr], [10.0; 4]);
}

/// `p(x; w) = x²·w³ + sin(x·w)` with a branch on the value: `∂p/∂x = 2x·w³ + w·cos(x·w)`,
/// and its derivative in `w` is `6x·w² + cos(x·w) − x·w·sin(x·w)`.
fn p<S: Real>(x: S, w: S) -> S {
    let smooth = x * x * w.powi(3) + (x * w).sin();
    // The same formula on both sides: the comparison only has to be recorded and pass.
    if x > w { smooth } else { smooth * 1.0 }
}

fn inner_forward<S: Real>(w: S, x: f64) -> S {
    forward::derivative(|x| p(x, Dual::lift(w)), S::constant(x))
}

fn inner_reverse<S: Real>(w: S, x: f64) -> S {
    reverse::derivative(|x| p(x, Var::constant_of(w)), S::constant(x))
}

#[test]
fn every_mode_pair_differentiates_an_inner_derivative_in_its_parameter() {
    let (x, w) = (0.7, 1.3);
    let want = 6.0 * x * w * w + (x * w).cos() - x * w * (x * w).sin();
    let got = [
        forward::derivative(|w| inner_forward(w, x), w),
        forward::derivative(|w| inner_reverse(w, x), w),
        reverse::derivative(|w| inner_forward(w, x), w),
        reverse::derivative(|w| inner_reverse(w, x), w),
    ];
    for g in got {
        assert!((g - want).abs() < 1e-13, "{got:?} vs {want}");
    }
    // The inner derivatives' values are ∂p/∂x itself.
    let inner = 2.0 * x * w.powi(3) + w * (x * w).cos();
    assert!((inner_forward(w, x) - inner).abs() < 1e-14);
    assert!((inner_reverse(w, x) - inner).abs() < 1e-14);
}

/// A loop whose every iteration takes an inner gradient (an Euler step in the field `−∇V`,
/// `V(q) = w·|q|²/2`, so `q′ = −w·q`): the outer derivative in `w` goes through all of them.
/// With step `τ`, `n` steps give `q = (1 − τw)ⁿ·q₀`, so `dq/dw = −nτ(1 − τw)ⁿ⁻¹·q₀`.
#[test]
fn every_mode_pair_differentiates_through_a_loop_of_inner_gradients() {
    fn flow<S: Real>(w: S, reverse_inner: bool) -> S {
        let (tau, steps) = (0.1, 20);
        let mut q = [S::constant(1.0), S::constant(-2.0)];
        for _ in 0..steps {
            let g = if reverse_inner {
                reverse::gradient(
                    |v| {
                        let w = Var::constant_of(w);
                        w * (v[0] * v[0] + v[1] * v[1]) * 0.5
                    },
                    &q,
                )
            } else {
                forward::gradient(
                    |v| {
                        let w = forward::ChunkDual::lift(w);
                        w * (v[0] * v[0] + v[1] * v[1]) * 0.5
                    },
                    &q,
                )
            };
            q = [q[0] - g[0] * tau, q[1] - g[1] * tau];
        }
        q[0] + q[1] * 10.0
    }
    let w = 1.5;
    // q₀ = (1, −2): the output is q₀ + 10·q₁ ∝ (1 − 20)·(1 − τw)ⁿ.
    let want = -19.0 * -20.0 * 0.1 * (1.0 - 0.1 * w).powi(19);
    let got = [
        forward::derivative(|w| flow(w, false), w),
        forward::derivative(|w| flow(w, true), w),
        reverse::derivative(|w| flow(w, false), w),
        reverse::derivative(|w| flow(w, true), w),
    ];
    for g in got {
        assert!((g - want).abs() < 1e-12 * want.abs(), "{got:?} vs {want}");
    }
}
