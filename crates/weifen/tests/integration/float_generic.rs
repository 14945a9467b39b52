//! A function written against `num_traits::Float` (as user crates write them), differentiated
//! by `Dual`, `DualVec`, nested duals and reverse-mode `Var`, against derivatives by hand.

use num_traits::{Bounded, Float, FloatConst, FromPrimitive, Num, NumCast, One, Signed, Zero};
use weifen::forward::{Dual, DualVec};
use weifen::reverse;

/// f(x, y) = sin(xy) + hypot(x, y) + x^1.5·ln(1 + y) + atan2(y, x) + (eˣ − 1)/∛y + log₃ x
///         + π(xy + 1) + xʸ + floor(3x) + x mod y + max(x, y), each term through a `Float`
/// method.
fn f<T: Float + FloatConst>(x: T, y: T) -> T {
    let three = T::from(3).unwrap();
    (x * y).sin()
        + x.hypot(y)
        + x.powf(T::from(1.5).unwrap()) * y.ln_1p()
        + y.atan2(x)
        + x.exp_m1() / y.cbrt()
        + x.log(three)
        + T::PI() * x.mul_add(y, T::one())
        + x.powf(y)
        + (x * three).floor()
        + x % y
        + x.max(y)
}

/// ∇f by hand, at a point with x > y > 0 and 1 < x/y < 2.
fn grad_f(x: f64, y: f64) -> [f64; 2] {
    let r2 = x * x + y * y;
    let r = r2.sqrt();
    let pi = std::f64::consts::PI;
    let dx = y * (x * y).cos()
        + x / r
        + 1.5 * x.sqrt() * y.ln_1p()
        - y / r2
        + x.exp() / y.cbrt()
        + 1.0 / (x * 3f64.ln())
        + pi * y
        + y * x.powf(y - 1.0)
        + 1.0 // x mod y
        + 1.0; // max(x, y) = x
    let dy = x * (x * y).cos() + y / r + x.powf(1.5) / (1.0 + y) + x / r2
        - x.exp_m1() / (3.0 * y.powf(4.0 / 3.0))
        + pi * x
        + x.powf(y) * x.ln()
        - (x / y).trunc();
    [dx, dy]
}

const X: f64 = 1.3;
const Y: f64 = 0.7;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-13 * b.abs().max(1.0)
}

#[test]
fn float_generic_gradient_by_dual_matches_hand_derivative() {
    let exact = grad_f(X, Y);
    let dx = f(Dual::variable(X), Dual::lift(Y));
    let dy = f(Dual::lift(X), Dual::variable(Y));
    assert!(close(dx.value, f(X, Y)));
    assert!(
        close(dx.tangent, exact[0]),
        "{} vs {}",
        dx.tangent,
        exact[0]
    );
    assert!(
        close(dy.tangent, exact[1]),
        "{} vs {}",
        dy.tangent,
        exact[1]
    );
}

#[test]
fn float_generic_gradient_by_dual_vec_matches_hand_derivative() {
    let exact = grad_f(X, Y);
    let z = f(DualVec::<f64, 2>::seeded(X, 0), DualVec::seeded(Y, 1));
    assert!(close(z.value, f(X, Y)));
    assert!(close(z.tangent[0], exact[0]) && close(z.tangent[1], exact[1]));
}

#[test]
fn float_generic_gradient_by_reverse_var_matches_hand_derivative() {
    let exact = grad_f(X, Y);
    let g = reverse::gradient(|v| f(v[0], v[1]), &[X, Y]);
    assert!(
        close(g[0], exact[0]) && close(g[1], exact[1]),
        "{g:?} vs {exact:?}"
    );
    // The forward chunked gradient takes a `Fn(&[ChunkDual])` closure the same way.
    let gf = weifen::forward::gradient(|v| f(v[0], v[1]), &[X, Y]);
    assert!(close(gf[0], exact[0]) && close(gf[1], exact[1]));
}

/// g(x) = x·tanh x − ln cosh x, written with `Float`: g′ = x·sech²x, g″ = sech²x·(1 − 2x·tanh x).
fn g<T: Float>(x: T) -> T {
    x * x.tanh() - x.cosh().ln()
}

#[test]
fn nested_duals_and_reverse_over_forward_give_second_derivative_of_float_function() {
    let x = 0.8f64;
    let sech2 = 1.0 / x.cosh().powi(2);
    let exact = sech2 * (1.0 - 2.0 * x * x.tanh());
    let d2 = weifen::forward::second_derivative(g, x);
    assert!(close(d2, exact), "{d2} vs {exact}");
    let d2r = reverse::second_derivative(|x| g(x), x);
    assert!(close(d2r, exact), "{d2r} vs {exact}");
}

#[test]
fn powf_with_a_constant_exponent_is_differentiable_at_negative_base() {
    // (−2)^2 through Float::powf: the constant exponent takes the table's powf row, so the
    // derivative is 2·(−2), not the NaN of ∂/∂n = xⁿ·ln x.
    let d = f64_derivative(|x| x.powf(Dual::lift(2.0)), -2.0);
    assert_eq!(d, -4.0);
    // A variable exponent: d/dn 2ⁿ = 2ⁿ ln 2.
    let z = Dual::lift(2.0).powf(Dual::variable(3.0));
    assert!(close(z.tangent, 8.0 * 2f64.ln()));
}

fn f64_derivative(f: impl Fn(Dual<f64>) -> Dual<f64>, x: f64) -> f64 {
    f(Dual::variable(x)).tangent
}

#[test]
fn constants_and_conversions_follow_the_num_traits_contracts() {
    type D = Dual<f64>;
    assert!(D::zero().is_zero() && D::one().is_one());
    assert_eq!(D::zero().tangent, 0.0);
    let parsed = <D as Num>::from_str_radix("2.5", 10).unwrap();
    assert_eq!((parsed.value, parsed.tangent), (2.5, 0.0));
    assert!(<D as Num>::from_str_radix("two", 10).is_err());
    let cast: D = NumCast::from(7u8).unwrap();
    assert_eq!(cast.value, 7.0);
    assert_eq!(D::from_i64(-3).unwrap().value, -3.0);
    assert_eq!(
        num_traits::ToPrimitive::to_f64(&Dual::new(1.5, 9.0)),
        Some(1.5)
    );
    assert_eq!(D::PI().value, std::f64::consts::PI);
    assert_eq!(<D as Float>::epsilon().value, f64::EPSILON);
    assert!(<D as Bounded>::max_value() >= Dual::variable(1e300));
    // Signed: |x|′ = sign x; signum is a constant.
    let x = Dual::variable(-1.5);
    assert_eq!(Signed::abs(&x).tangent, -1.0);
    assert_eq!(
        (Float::signum(x).value, Float::signum(x).tangent),
        (-1.0, 0.0)
    );
    assert!(x.is_negative() && !x.is_positive());
    // NaN handling of max/min as f64's: a NaN argument gives the other.
    let nan = D::nan();
    assert_eq!(Float::max(nan, x).tangent, 1.0);
    assert!(Float::is_nan(nan) && !Float::is_finite(D::infinity()));
    // degrees: d/dx (x·180/π).
    assert!(close(x.to_degrees().tangent, 180.0 / std::f64::consts::PI));
}

#[test]
fn zero_and_one_work_as_tape_constants() {
    // Zero::zero() has no tape: mixing it with recorded variables records nothing for it.
    fn sum_of_squares<T: Float>(v: &[T]) -> T {
        v.iter().fold(T::zero(), |acc, &x| acc + x * x)
    }
    let g = reverse::gradient(|v| sum_of_squares(v), &[1.0, -2.0, 3.0]);
    assert_eq!(g, vec![2.0, -4.0, 6.0]);
}

#[test]
fn replay_refuses_inputs_where_floor_takes_another_piece() {
    fn h<T: Float>(v: &[T]) -> T {
        v[0] * v[0].floor()
    }
    let mut r = reverse::record(|v| h(v), &[2.5]);
    // Same piece [2, 3): value and gradient of x·2.
    assert_eq!(r.value_and_gradient(&[2.75]), Ok((5.5, vec![2.0])));
    // Another piece: refused rather than a gradient with a stale floor.
    assert!(r.value_and_gradient(&[3.5]).is_err());
}

/// Every unary `Float` method that computes, on `Dual`, `DualVec` and `Var`: the value is the
/// `f64` method's, the derivative a central difference of the `f64` method.
#[test]
fn every_unary_float_method_agrees_with_f64_and_central_difference() {
    macro_rules! check {
        ($($name:ident at $x:expr),* $(,)?) => {$({
            let x: f64 = $x;
            let name = stringify!($name);
            let h = 1e-6 * x.abs().max(1.0);
            let central = (Float::$name(x + h) - Float::$name(x - h)) / (2.0 * h);
            let d = Float::$name(Dual::variable(x));
            assert_eq!(d.value, Float::$name(x), "{name}");
            assert!((d.tangent - central).abs() < 1e-7 * central.abs().max(1.0),
                "{name}: {} vs {central}", d.tangent);
            let v = Float::$name(DualVec::<f64, 3>::seeded(x, 1));
            assert_eq!((v.value, v.tangent), (d.value, [0.0, d.tangent, 0.0]), "{name}");
            let r = reverse::derivative(|x| Float::$name(x), x);
            assert!((r - d.tangent).abs() <= 1e-15 * r.abs().max(1.0), "{name}: {r}");
        })*};
    }
    check!(
        sqrt at 1.7, exp at 0.6, exp2 at 0.6, ln at 1.7, log2 at 1.7, log10 at 1.7,
        cbrt at -1.7, recip at -1.7, sin at 0.6, cos at 0.6, tan at 0.6, asin at 0.4,
        acos at 0.4, atan at 0.6, sinh at 0.6, cosh at 0.6, tanh at 0.6, asinh at 0.6,
        acosh at 1.7, atanh at 0.4, exp_m1 at 0.6, ln_1p at 0.6, abs at -1.7,
        floor at 1.7, ceil at 1.7, round at 1.7, trunc at -1.7, fract at -1.7, signum at -1.7,
        to_degrees at 0.6, to_radians at 0.6,
    );
}

#[test]
fn binary_float_methods_give_both_partials() {
    // hypot, atan2, powf (variable exponent), log (variable base), max, min, mul_add by hand.
    let (a, b) = (1.3, 0.7);
    let both = |f: &dyn Fn(Dual<f64>, Dual<f64>) -> Dual<f64>| {
        let da = f(Dual::variable(a), Dual::lift(b)).tangent;
        let db = f(Dual::lift(a), Dual::variable(b)).tangent;
        [da, db]
    };
    let r2 = a * a + b * b;
    let cases: [(&str, [f64; 2], [f64; 2]); 6] = [
        (
            "hypot",
            both(&|x, y| x.hypot(y)),
            [a / r2.sqrt(), b / r2.sqrt()],
        ),
        ("atan2", both(&|x, y| x.atan2(y)), [b / r2, -a / r2]),
        (
            "powf",
            both(&|x, y| x.powf(y)),
            [b * a.powf(b - 1.0), a.powf(b) * a.ln()],
        ),
        (
            "log",
            both(&|x, y| x.log(y)),
            [1.0 / (a * b.ln()), -a.ln() / (b * b.ln().powi(2))],
        ),
        ("max", both(&|x, y| Float::max(x, y)), [1.0, 0.0]),
        ("min", both(&|x, y| Float::min(x, y)), [0.0, 1.0]),
    ];
    for (name, got, exact) in cases {
        for k in 0..2 {
            assert!(
                (got[k] - exact[k]).abs() < 1e-14,
                "{name} ∂{k}: {} vs {}",
                got[k],
                exact[k]
            );
        }
    }
    let m = Dual::variable(a).mul_add(Dual::lift(b), Dual::variable(2.0));
    assert_eq!((m.value, m.tangent), (a * b + 2.0, b + 1.0));
}
