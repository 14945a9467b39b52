//! The shared suite of smooth functions with known derivatives: used by the accuracy tests,
//! the `numeric_suite` example (which `bench/numeric_compare.py` reads) and the benchmarks.
//!
//! Each function is written once, generic over `Scalar`, and instantiated for `f64` (finite
//! differences) and `Complex` (complex step). The points include the awkward ones: near a
//! pole (`1/x` at 0.05), far from 1 (`1e8`, `1e-8`), and `xˣ`.

use weifen::Scalar;
use weifen::numeric::Complex;

/// One function of the suite at one point.
pub struct Case {
    /// A short name, shared with the Python side-by-side script.
    pub name: &'static str,
    /// `f` on `f64`.
    pub f: fn(f64) -> f64,
    /// `f` on `Complex`, for the complex step.
    pub fc: fn(Complex) -> Complex,
    /// The exact derivative, by hand.
    pub df: fn(f64) -> f64,
    /// The point.
    pub x: f64,
}

macro_rules! case {
    ($name:expr, |$x:ident| $body:expr, |$y:ident| $d:expr, $at:expr) => {{
        fn f<S: Scalar>($x: S) -> S {
            $body
        }
        Case {
            name: $name,
            f: f::<f64>,
            fc: f::<Complex>,
            df: |$y: f64| $d,
            x: $at,
        }
    }};
}

/// The suite: 25 functions and points.
pub fn suite() -> Vec<Case> {
    vec![
        case!("exp", |x| x.exp(), |x| x.exp(), 0.5),
        case!("exp_tiny_x", |x| x.exp(), |x| x.exp(), 1e-8),
        case!("sin", |x| x.sin(), |x| x.cos(), 1.2),
        case!("sin_tiny_x", |x| x.sin(), |x| x.cos(), 1e-8),
        case!("cos", |x| x.cos(), |x| -x.sin(), 0.7),
        case!("recip_near_pole", |x| x.recip(), |x| -1.0 / (x * x), 0.05),
        case!("recip_huge_x", |x| x.recip(), |x| -1.0 / (x * x), 1e8),
        case!("pow1.5", |x| x.powf(1.5), |x| 1.5 * x.sqrt(), 2.0),
        case!("pow1.5_huge_x", |x| x.powf(1.5), |x| 1.5 * x.sqrt(), 1e8),
        case!("ln", |x| x.ln(), |x| 1.0 / x, 3.0),
        case!("ln_huge_x", |x| x.ln(), |x| 1.0 / x, 1e8),
        case!("tanh", |x| x.tanh(), |x| 1.0 / x.cosh().powi(2), 0.8),
        case!(
            "gauss",
            |x| (-(x.clone() * x)).exp(),
            |x| -2.0 * x * (-x * x).exp(),
            1.1
        ),
        case!(
            "x_pow_x",
            |x| x.clone().pow(x),
            |x| x.powf(x) * (x.ln() + 1.0),
            1.5
        ),
        case!("sqrt_huge_x", |x| x.sqrt(), |x| 0.5 / x.sqrt(), 1e8),
        case!("sinh", |x| x.sinh(), |x| x.cosh(), 2.0),
        case!("atan", |x| x.atan(), |x| 1.0 / (1.0 + x * x), 0.3),
        case!("asin", |x| x.asin(), |x| 1.0 / (1.0 - x * x).sqrt(), 0.5),
        case!(
            "erf",
            |x| x.erf(),
            |x| std::f64::consts::FRAC_2_SQRT_PI * (-x * x).exp(),
            0.4
        ),
        case!(
            "exp_sin",
            |x| x.sin().exp(),
            |x| x.cos() * x.sin().exp(),
            0.9
        ),
        case!(
            "cbrt",
            |x| x.cbrt(),
            |x| 1.0 / (3.0 * x.cbrt().powi(2)),
            27.0
        ),
        case!(
            "poly5",
            |x| x.clone().powi(5) - x.clone().powi(3) * 3.0 + x,
            |x| 5.0 * x.powi(4) - 9.0 * x * x + 1.0,
            1.3
        ),
        case!(
            "runge",
            |x| (x.clone() * x + 1.0).recip(),
            |x| -2.0 * x / (1.0 + x * x).powi(2),
            0.2
        ),
        case!("ln1p_tiny_x", |x| x.ln_1p(), |x| 1.0 / (1.0 + x), 1e-8),
        case!(
            "hypot1",
            |x| (x.clone() * x + 1.0).sqrt(),
            |x| x / (1.0 + x * x).sqrt(),
            -3.0
        ),
    ]
}
