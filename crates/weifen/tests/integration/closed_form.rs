//! Forward-mode derivatives of order 1 to 3 against closed forms derived by hand, for more
//! than thirty functions `ℝ → ℝ` covering every op family, each written once as a generic
//! `fn` and run through `derivative`, `second_derivative`, `nth_derivative` (jets) and three
//! nested dual numbers.

use std::f64::consts::{FRAC_2_SQRT_PI, LN_2, LN_10};
use weifen::Scalar;
use weifen::forward::{self, Dual, Jet};

type Dual2 = Dual<Dual<f64>>;
type Dual3 = Dual<Dual<Dual<f64>>>;

/// `[f, f′, f″, f‴]` at a point.
type Derivs = [f64; 4];

/// A function written once, instantiated for every scalar type, with its hand-derived
/// derivatives and the points to check it at.
struct Case {
    name: &'static str,
    value: fn(f64) -> f64,
    dual: fn(Dual<f64>) -> Dual<f64>,
    dual2: fn(Dual2) -> Dual2,
    dual3: fn(Dual3) -> Dual3,
    jet: fn(Jet) -> Jet,
    exact: fn(f64) -> Derivs,
    points: &'static [f64],
}

macro_rules! case {
    ($f:ident, $points:expr, $exact:expr) => {
        Case {
            name: stringify!($f),
            value: $f::<f64>,
            dual: $f::<Dual<f64>>,
            dual2: $f::<Dual2>,
            dual3: $f::<Dual3>,
            jet: $f::<Jet>,
            exact: $exact,
            points: $points,
        }
    };
}

const WIDE: &[f64] = &[-2.3, -1.1, -0.35, 0.45, 1.25, 2.7];
const NONZERO: &[f64] = &[-2.3, -1.1, 0.9, 1.7, 3.4];
const HALF_WIDE: &[f64] = &[-1.7, -0.6, 0.2, 0.9, 1.8];
const UNIT: &[f64] = &[-0.83, -0.4, 0.15, 0.6, 0.91];
const POSITIVE: &[f64] = &[0.15, 0.7, 1.3, 2.9, 6.5];
const ABOVE_ONE: &[f64] = &[1.05, 1.6, 3.2, 7.5];

// Third-order chain and product rules written by hand, for the closed forms of compositions.

/// The variable `x`: `[x, 1, 0, 0]`.
fn var(x: f64) -> Derivs {
    [x, 1.0, 0.0, 0.0]
}

/// Leibniz: `(ab)⁽ⁿ⁾ = Σ C(n,k) a⁽ᵏ⁾ b⁽ⁿ⁻ᵏ⁾`.
fn mul(a: Derivs, b: Derivs) -> Derivs {
    [
        a[0] * b[0],
        a[1] * b[0] + a[0] * b[1],
        a[2] * b[0] + 2.0 * a[1] * b[1] + a[0] * b[2],
        a[3] * b[0] + 3.0 * a[2] * b[1] + 3.0 * a[1] * b[2] + a[0] * b[3],
    ]
}

fn add(a: Derivs, b: Derivs) -> Derivs {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]]
}

fn scale(a: Derivs, c: f64) -> Derivs {
    a.map(|ak| ak * c)
}

fn shift(a: Derivs, c: f64) -> Derivs {
    [a[0] + c, a[1], a[2], a[3]]
}

/// Faà di Bruno to third order: `g(u(x))` from `g, g′, g″, g‴` at `u(x)` (`g(u0)` gives
/// them) and the derivatives of `u`.
fn chain(g: impl Fn(f64) -> Derivs, u: Derivs) -> Derivs {
    let [g0, g1, g2, g3] = g(u[0]);
    [
        g0,
        g1 * u[1],
        g2 * u[1] * u[1] + g1 * u[2],
        g3 * u[1].powi(3) + 3.0 * g2 * u[1] * u[2] + g1 * u[3],
    ]
}

// Derivative tables of the elementary functions, by hand.
fn sin_t(u: f64) -> Derivs {
    [u.sin(), u.cos(), -u.sin(), -u.cos()]
}
fn cos_t(u: f64) -> Derivs {
    [u.cos(), -u.sin(), -u.cos(), u.sin()]
}
fn exp_t(u: f64) -> Derivs {
    [u.exp(); 4]
}
fn ln_t(u: f64) -> Derivs {
    [u.ln(), 1.0 / u, -1.0 / (u * u), 2.0 / u.powi(3)]
}
fn erf_t(u: f64) -> Derivs {
    let d = FRAC_2_SQRT_PI * (-u * u).exp();
    [libm::erf(u), d, -2.0 * u * d, (4.0 * u * u - 2.0) * d]
}
fn atan_t(u: f64) -> Derivs {
    let q = 1.0 + u * u;
    [
        u.atan(),
        1.0 / q,
        -2.0 * u / (q * q),
        (6.0 * u * u - 2.0) / q.powi(3),
    ]
}
fn recip_t(u: f64) -> Derivs {
    [1.0 / u, -1.0 / (u * u), 2.0 / u.powi(3), -6.0 / u.powi(4)]
}
/// `u^c` for constant `c`, `u > 0`.
fn pow_t(c: f64) -> impl Fn(f64) -> Derivs {
    move |u| {
        [
            u.powf(c),
            c * u.powf(c - 1.0),
            c * (c - 1.0) * u.powf(c - 2.0),
            c * (c - 1.0) * (c - 2.0) * u.powf(c - 3.0),
        ]
    }
}
fn atanh_t(u: f64) -> Derivs {
    let q = 1.0 - u * u;
    [
        u.atanh(),
        1.0 / q,
        2.0 * u / (q * q),
        (2.0 + 6.0 * u * u) / q.powi(3),
    ]
}
fn acosh_t(v: f64) -> Derivs {
    let q = v * v - 1.0;
    [
        v.acosh(),
        q.powf(-0.5),
        -v * q.powf(-1.5),
        (2.0 * v * v + 1.0) * q.powf(-2.5),
    ]
}
fn asinh_t(u: f64) -> Derivs {
    let q = 1.0 + u * u;
    [
        u.asinh(),
        q.powf(-0.5),
        -u * q.powf(-1.5),
        (2.0 * u * u - 1.0) * q.powf(-2.5),
    ]
}
fn tanh_t(u: f64) -> Derivs {
    let t = u.tanh();
    let s2 = 1.0 / u.cosh().powi(2);
    [t, s2, -2.0 * t * s2, -2.0 * s2 * (1.0 - 3.0 * t * t)]
}
fn asin_t(u: f64) -> Derivs {
    let q = 1.0 - u * u;
    [
        u.asin(),
        q.powf(-0.5),
        u * q.powf(-1.5),
        (1.0 + 2.0 * u * u) * q.powf(-2.5),
    ]
}

// The functions, each written once for every scalar type.

/// The seed: f = (−2x² + 4x + 1)·e^{−x²/2}.
fn seed<S: Scalar>(x: S) -> S {
    let x2 = x.clone().powi(2);
    (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
}
/// Each derivative is (polynomial)·g with g = e^{−x²/2} and p_{k+1} = p_k′ − x·p_k:
/// p0 = −2x² + 4x + 1, p1 = 2x³ − 4x² − 5x + 4, p2 = −2x⁴ + 4x³ + 11x² − 12x − 5,
/// p3 = 2x⁵ − 4x⁴ − 19x³ + 24x² + 27x − 12 (at 0: 1, 4, −5, −12, matching the series
/// (1 + 4x − 2x²)(1 − x²/2 + …) = 1 + 4x − 5x²/2 − 2x³ + …).
fn seed_exact(x: f64) -> Derivs {
    let g = (-x * x / 2.0).exp();
    let horner = |c: &[f64]| c.iter().fold(0.0, |acc, &ck| acc * x + ck);
    [
        horner(&[-2.0, 4.0, 1.0]) * g,
        horner(&[2.0, -4.0, -5.0, 4.0]) * g,
        horner(&[-2.0, 4.0, 11.0, -12.0, -5.0]) * g,
        horner(&[2.0, -4.0, -19.0, 24.0, 27.0, -12.0]) * g,
    ]
}

/// sin x · cos x = sin(2x)/2
fn sin_times_cos<S: Scalar>(x: S) -> S {
    x.clone().sin() * x.cos()
}

/// tan(x/2)
fn tan_of_half<S: Scalar>(x: S) -> S {
    (x * 0.5).tan()
}

/// x·sin x
fn x_sin_x<S: Scalar>(x: S) -> S {
    x.clone() * x.sin()
}

/// cos²x = (1 + cos 2x)/2
fn cos_squared<S: Scalar>(x: S) -> S {
    x.cos().powi(2)
}

/// sin x / x
fn sinc<S: Scalar>(x: S) -> S {
    x.clone().sin() / x
}

/// asin x
fn asin<S: Scalar>(x: S) -> S {
    x.asin()
}

/// acos(x/2)
fn acos_of_half<S: Scalar>(x: S) -> S {
    (x / 2.0).acos()
}

/// atan(x²)
fn atan_of_square<S: Scalar>(x: S) -> S {
    x.powi(2).atan()
}

/// sinh x · cosh x = sinh(2x)/2
fn sinh_times_cosh<S: Scalar>(x: S) -> S {
    x.clone().sinh() * x.cosh()
}

/// tanh x
fn tanh<S: Scalar>(x: S) -> S {
    x.tanh()
}

/// cosh x − sinh x = e^{−x}
fn cosh_minus_sinh<S: Scalar>(x: S) -> S {
    x.clone().cosh() - x.sinh()
}

/// e^{sin x}
fn exp_of_sin<S: Scalar>(x: S) -> S {
    x.sin().exp()
}

/// asinh x
fn asinh<S: Scalar>(x: S) -> S {
    x.asinh()
}

/// acosh x
fn acosh<S: Scalar>(x: S) -> S {
    x.acosh()
}

/// atanh x
fn atanh<S: Scalar>(x: S) -> S {
    x.atanh()
}

/// 2ˣ
fn exp2<S: Scalar>(x: S) -> S {
    x.exp2()
}

/// e^{2x} − 1
fn exp_m1_of_double<S: Scalar>(x: S) -> S {
    (x * 2.0).exp_m1()
}

/// ln x
fn ln<S: Scalar>(x: S) -> S {
    x.ln()
}

/// log₂(x² + 1)
fn log2_of_square_plus_one<S: Scalar>(x: S) -> S {
    (x.powi(2) + 1.0).log2()
}

/// log₁₀ x
fn log10<S: Scalar>(x: S) -> S {
    x.log10()
}

/// ln(1 + x)
fn ln_1p<S: Scalar>(x: S) -> S {
    x.ln_1p()
}

/// x·ln x
fn x_ln_x<S: Scalar>(x: S) -> S {
    x.clone() * x.ln()
}

/// ∛x, for negative x too
fn cbrt<S: Scalar>(x: S) -> S {
    x.cbrt()
}

/// erf x
fn erf<S: Scalar>(x: S) -> S {
    x.erf()
}

/// x^2.5
fn powf_five_halves<S: Scalar>(x: S) -> S {
    x.powf(2.5)
}

/// x^(−1/3)
fn powf_minus_third<S: Scalar>(x: S) -> S {
    x.powf(-1.0 / 3.0)
}

/// x⁵ − 3x⁻²
fn powi_mix<S: Scalar>(x: S) -> S {
    x.clone().powi(5) - x.powi(-2) * 3.0
}

/// xˣ, variable base and exponent
fn x_to_the_x<S: Scalar>(x: S) -> S {
    x.clone().pow(x)
}

/// 2^{sin x}, constant base and variable exponent
fn two_to_the_sin<S: Scalar>(x: S) -> S {
    S::constant(2.0).pow(x.sin())
}

/// atan2(x², 2) = atan(x²/2)
fn atan2_square_over_two<S: Scalar>(x: S) -> S {
    x.powi(2).atan2(S::constant(2.0))
}

/// atan2(1, x): the angle of (x, 1), = π/2 − atan x for every x (including x < 0)
fn atan2_one_over_x<S: Scalar>(x: S) -> S {
    S::constant(1.0).atan2(x)
}

/// atan2(2 sin x, 2 cos x) = x on (−π, π)
fn atan2_of_circle<S: Scalar>(x: S) -> S {
    (x.clone().sin() * 2.0).atan2(x.cos() * 2.0)
}

/// hypot(x, 2) = √(x² + 4)
fn hypot_with_two<S: Scalar>(x: S) -> S {
    x.hypot(S::constant(2.0))
}

/// 1/(1 + x²)
fn lorentzian<S: Scalar>(x: S) -> S {
    (x.powi(2) + 1.0).recip()
}

/// √x
fn sqrt<S: Scalar>(x: S) -> S {
    x.sqrt()
}

/// |x|·x²
fn abs_times_square<S: Scalar>(x: S) -> S {
    x.clone().abs() * x.clone() * x
}

/// max(x, x²): x² for x < 0 or x > 1, x in between
fn max_of_x_and_square<S: Scalar>(x: S) -> S {
    x.clone().max(x.powi(2))
}

/// min(x, x²): x for x < 0 or x > 1, x² in between
fn min_of_x_and_square<S: Scalar>(x: S) -> S {
    x.clone().min(x.powi(2))
}

/// (x − 1)/(x + 2) = 1 − 3/(x + 2)
fn mobius<S: Scalar>(x: S) -> S {
    (x.clone() - 1.0) / (x + 2.0)
}

/// e^{−x} cos 3x
fn damped_cosine<S: Scalar>(x: S) -> S {
    (-x.clone()).exp() * (x * 3.0).cos()
}

/// ln cosh x
fn ln_cosh<S: Scalar>(x: S) -> S {
    x.cosh().ln()
}

/// σ(x) = 1/(1 + e^{−x})
fn sigmoid<S: Scalar>(x: S) -> S {
    ((-x).exp() + 1.0).recip()
}

/// softplus ln(1 + eˣ)
fn softplus<S: Scalar>(x: S) -> S {
    x.exp().ln_1p()
}

/// e^{x²}
fn exp_of_square<S: Scalar>(x: S) -> S {
    x.powi(2).exp()
}

/// erf(sin x)
fn erf_of_sin<S: Scalar>(x: S) -> S {
    x.sin().erf()
}

/// ∛(1 + x²)·atanh(x/2)
fn cbrt_times_atanh<S: Scalar>(x: S) -> S {
    (x.clone().powi(2) + 1.0).cbrt() * (x / 2.0).atanh()
}

/// hypot(x, 2)·asin(x/3)
fn hypot_times_asin<S: Scalar>(x: S) -> S {
    x.clone().hypot(S::constant(2.0)) * (x / 3.0).asin()
}

/// (1 + x²)^{cos x}
fn pow_with_variable_exponent<S: Scalar>(x: S) -> S {
    (x.clone().powi(2) + 1.0).pow(x.cos())
}

/// atan2(sinh x, 2 + x²)
fn atan2_of_sinh<S: Scalar>(x: S) -> S {
    x.clone().sinh().atan2(x.powi(2) + 2.0)
}

/// acosh(1 + x²) for x ≠ 0
fn acosh_of_square_plus_one<S: Scalar>(x: S) -> S {
    (x.powi(2) + 1.0).acosh()
}

/// log₁₀(2 + sin x)·2^{x/2}
fn log10_times_exp2<S: Scalar>(x: S) -> S {
    (x.clone().sin() + 2.0).log10() * (x / 2.0).exp2()
}

/// (1 + x²)^{1.5}·tanh x + asinh(x³)
fn powf_tanh_asinh<S: Scalar>(x: S) -> S {
    (x.clone().powi(2) + 1.0).powf(1.5) * x.clone().tanh() + x.powi(3).asinh()
}

fn cases() -> Vec<Case> {
    vec![
        case!(seed, WIDE, seed_exact),
        case!(sin_times_cos, WIDE, |x| {
            let (s, c) = (2.0 * x).sin_cos();
            [s / 2.0, c, -2.0 * s, -4.0 * c]
        }),
        case!(tan_of_half, WIDE, |x| {
            let t = (x / 2.0).tan();
            let q = 1.0 + t * t;
            [t, q / 2.0, t * q / 2.0, q * (1.0 + 3.0 * t * t) / 4.0]
        }),
        case!(x_sin_x, WIDE, |x| {
            let (s, c) = x.sin_cos();
            [x * s, s + x * c, 2.0 * c - x * s, -3.0 * s - x * c]
        }),
        case!(cos_squared, WIDE, |x| {
            let (s, c) = (2.0 * x).sin_cos();
            [(1.0 + c) / 2.0, -s, -2.0 * c, 4.0 * s]
        }),
        // Leibniz on sin x · x⁻¹.
        case!(sinc, NONZERO, |x| {
            let (s, c) = x.sin_cos();
            [
                s / x,
                c / x - s / (x * x),
                -s / x - 2.0 * c / (x * x) + 2.0 * s / x.powi(3),
                -c / x + 3.0 * s / (x * x) + 6.0 * c / x.powi(3) - 6.0 * s / x.powi(4),
            ]
        }),
        case!(asin, UNIT, asin_t),
        case!(acos_of_half, HALF_WIDE, |x| {
            let q = 4.0 - x * x;
            [
                (x / 2.0).acos(),
                -q.powf(-0.5),
                -x * q.powf(-1.5),
                -(4.0 + 2.0 * x * x) * q.powf(-2.5),
            ]
        }),
        case!(atan_of_square, WIDE, |x| {
            let q = 1.0 + x.powi(4);
            [
                (x * x).atan(),
                2.0 * x / q,
                (2.0 - 6.0 * x.powi(4)) / (q * q),
                (24.0 * x.powi(7) - 40.0 * x.powi(3)) / q.powi(3),
            ]
        }),
        case!(sinh_times_cosh, WIDE, |x| {
            let (s, c) = ((2.0 * x).sinh(), (2.0 * x).cosh());
            [s / 2.0, c, 2.0 * s, 4.0 * c]
        }),
        case!(tanh, WIDE, tanh_t),
        case!(cosh_minus_sinh, HALF_WIDE, |x| {
            let e = (-x).exp();
            [e, -e, e, -e]
        }),
        case!(exp_of_sin, WIDE, |x| {
            let (s, c) = x.sin_cos();
            let e = s.exp();
            [e, c * e, (c * c - s) * e, c * (c * c - 3.0 * s - 1.0) * e]
        }),
        case!(asinh, WIDE, asinh_t),
        case!(acosh, ABOVE_ONE, acosh_t),
        case!(atanh, UNIT, atanh_t),
        case!(exp2, WIDE, |x| {
            let y = x.exp2();
            [y, LN_2 * y, LN_2 * LN_2 * y, LN_2.powi(3) * y]
        }),
        case!(exp_m1_of_double, WIDE, |x| {
            let e = (2.0 * x).exp();
            [(2.0 * x).exp_m1(), 2.0 * e, 4.0 * e, 8.0 * e]
        }),
        case!(ln, POSITIVE, ln_t),
        case!(log2_of_square_plus_one, WIDE, |x| {
            let q = 1.0 + x * x;
            [
                q.ln() / LN_2,
                2.0 * x / (q * LN_2),
                (2.0 - 2.0 * x * x) / (q * q * LN_2),
                (4.0 * x.powi(3) - 12.0 * x) / (q.powi(3) * LN_2),
            ]
        }),
        case!(log10, POSITIVE, |x| scale(ln_t(x), 1.0 / LN_10)),
        case!(ln_1p, &[-0.9, -0.4, 0.2, 1.5, 6.0], |x| {
            let u = 1.0 + x;
            [x.ln_1p(), 1.0 / u, -1.0 / (u * u), 2.0 / u.powi(3)]
        }),
        case!(x_ln_x, POSITIVE, |x| [
            x * x.ln(),
            x.ln() + 1.0,
            1.0 / x,
            -1.0 / (x * x)
        ]),
        // x^(−2/3) = 1/∛x² etc., through cbrt so that negative x works.
        case!(cbrt, &[-6.5, -1.3, -0.15, 0.4, 2.2, 8.0], |x| {
            let r = x.cbrt();
            [
                r,
                1.0 / (3.0 * r * r),
                -2.0 / (9.0 * r.powi(5)),
                10.0 / (27.0 * r.powi(8)),
            ]
        }),
        case!(erf, WIDE, erf_t),
        case!(powf_five_halves, POSITIVE, |x| pow_t(2.5)(x)),
        case!(powf_minus_third, POSITIVE, |x| pow_t(-1.0 / 3.0)(x)),
        case!(powi_mix, NONZERO, |x| [
            x.powi(5) - 3.0 / (x * x),
            5.0 * x.powi(4) + 6.0 / x.powi(3),
            20.0 * x.powi(3) - 18.0 / x.powi(4),
            60.0 * x * x + 72.0 / x.powi(5),
        ]),
        // f = e^{x ln x}, L = ln x + 1: f′ = fL, f″ = f(L² + 1/x), f‴ = f(L³ + 3L/x − 1/x²).
        case!(x_to_the_x, POSITIVE, |x| {
            let f = x.powf(x);
            let l = x.ln() + 1.0;
            [
                f,
                f * l,
                f * (l * l + 1.0 / x),
                f * (l.powi(3) + 3.0 * l / x - 1.0 / (x * x)),
            ]
        }),
        // 2^{sin x} = e^{c sin x}, c = ln 2: f′ = c cos x f, f″ = (c² cos²x − c sin x) f,
        // f‴ = c cos x (c² cos²x − 3c sin x − 1) f.
        case!(two_to_the_sin, WIDE, |x| {
            let (s, co) = x.sin_cos();
            let c = LN_2;
            let f = s.exp2();
            [
                f,
                c * co * f,
                (c * c * co * co - c * s) * f,
                c * co * (c * c * co * co - 3.0 * c * s - 1.0) * f,
            ]
        }),
        case!(atan2_square_over_two, WIDE, |x| {
            let q = 4.0 + x.powi(4);
            [
                (x * x / 2.0).atan(),
                4.0 * x / q,
                (16.0 - 12.0 * x.powi(4)) / (q * q),
                (48.0 * x.powi(7) - 320.0 * x.powi(3)) / q.powi(3),
            ]
        }),
        case!(atan2_one_over_x, WIDE, |x| {
            let q = 1.0 + x * x;
            [
                std::f64::consts::FRAC_PI_2 - x.atan(),
                -1.0 / q,
                2.0 * x / (q * q),
                (2.0 - 6.0 * x * x) / q.powi(3),
            ]
        }),
        case!(atan2_of_circle, WIDE, |x| [x, 1.0, 0.0, 0.0]),
        case!(hypot_with_two, WIDE, |x| {
            let q = x * x + 4.0;
            [
                q.sqrt(),
                x / q.sqrt(),
                4.0 * q.powf(-1.5),
                -12.0 * x * q.powf(-2.5),
            ]
        }),
        case!(lorentzian, WIDE, |x| {
            let q = 1.0 + x * x;
            [
                1.0 / q,
                -2.0 * x / (q * q),
                (6.0 * x * x - 2.0) / q.powi(3),
                24.0 * x * (1.0 - x * x) / q.powi(4),
            ]
        }),
        case!(sqrt, POSITIVE, |x| pow_t(0.5)(x)),
        case!(abs_times_square, NONZERO, |x| [
            x.abs() * x * x,
            3.0 * x * x.abs(),
            6.0 * x.abs(),
            6.0 * x.signum(),
        ]),
        case!(
            max_of_x_and_square,
            &[-1.7, -0.4, 0.3, 0.8, 1.4, 2.6],
            |x| {
                if (0.0..1.0).contains(&x) {
                    [x, 1.0, 0.0, 0.0]
                } else {
                    [x * x, 2.0 * x, 2.0, 0.0]
                }
            }
        ),
        case!(
            min_of_x_and_square,
            &[-1.7, -0.4, 0.3, 0.8, 1.4, 2.6],
            |x| {
                if (0.0..1.0).contains(&x) {
                    [x * x, 2.0 * x, 2.0, 0.0]
                } else {
                    [x, 1.0, 0.0, 0.0]
                }
            }
        ),
        case!(mobius, &[-5.0, -2.6, -1.4, 0.3, 4.0], |x| {
            let u = x + 2.0;
            [
                (x - 1.0) / u,
                3.0 / (u * u),
                -6.0 / u.powi(3),
                18.0 / u.powi(4),
            ]
        }),
        // Re((−1 + 3i)ᵏ e^{(−1+3i)x}) with (−1+3i)² = −8 − 6i and (−1+3i)³ = 26 − 18i.
        case!(damped_cosine, WIDE, |x| {
            let e = (-x).exp();
            let (s, c) = (3.0 * x).sin_cos();
            [
                e * c,
                e * (-c - 3.0 * s),
                e * (-8.0 * c + 6.0 * s),
                e * (26.0 * c + 18.0 * s),
            ]
        }),
        case!(ln_cosh, WIDE, |x| {
            let [t, s2, d2, _] = tanh_t(x);
            [x.cosh().ln(), t, s2, d2]
        }),
        // σ′ = σ(1 − σ), σ″ = σ′(1 − 2σ), σ‴ = σ′(1 − 6σ + 6σ²).
        case!(sigmoid, WIDE, |x| {
            let s = 1.0 / (1.0 + (-x).exp());
            let d = s * (1.0 - s);
            [s, d, d * (1.0 - 2.0 * s), d * (1.0 - 6.0 * s + 6.0 * s * s)]
        }),
        case!(softplus, WIDE, |x| {
            let s = 1.0 / (1.0 + (-x).exp());
            let d = s * (1.0 - s);
            [x.exp().ln_1p(), s, d, d * (1.0 - 2.0 * s)]
        }),
        case!(exp_of_square, HALF_WIDE, |x| {
            let e = (x * x).exp();
            [
                e,
                2.0 * x * e,
                (2.0 + 4.0 * x * x) * e,
                (12.0 * x + 8.0 * x.powi(3)) * e,
            ]
        }),
        case!(erf_of_sin, WIDE, |x| chain(erf_t, chain(sin_t, var(x)))),
        case!(cbrt_times_atanh, HALF_WIDE, |x| {
            let square_plus_one = shift(mul(var(x), var(x)), 1.0);
            mul(
                chain(pow_t(1.0 / 3.0), square_plus_one),
                chain(atanh_t, scale(var(x), 0.5)),
            )
        }),
        case!(hypot_times_asin, WIDE, |x| {
            let hypot = chain(pow_t(0.5), shift(mul(var(x), var(x)), 4.0));
            mul(hypot, chain(asin_t, scale(var(x), 1.0 / 3.0)))
        }),
        // (1 + x²)^{cos x} = exp(cos x · ln(1 + x²)).
        case!(pow_with_variable_exponent, WIDE, |x| {
            let log = chain(ln_t, shift(mul(var(x), var(x)), 1.0));
            chain(exp_t, mul(chain(cos_t, var(x)), log))
        }),
        // The denominator is positive, so atan2(a, b) = atan(a/b).
        case!(atan2_of_sinh, WIDE, |x| {
            let sinh = [x.sinh(), x.cosh(), x.sinh(), x.cosh()];
            let denominator = shift(mul(var(x), var(x)), 2.0);
            chain(atan_t, mul(sinh, chain(recip_t, denominator)))
        }),
        case!(acosh_of_square_plus_one, NONZERO, |x| {
            chain(acosh_t, shift(mul(var(x), var(x)), 1.0))
        }),
        // 2^{x/2} = e^{x ln2 / 2}; log₁₀ = ln / ln 10.
        case!(log10_times_exp2, WIDE, |x| {
            let log = scale(chain(ln_t, shift(chain(sin_t, var(x)), 2.0)), 1.0 / LN_10);
            mul(log, chain(exp_t, scale(var(x), LN_2 / 2.0)))
        }),
        case!(powf_tanh_asinh, WIDE, |x| {
            let power = chain(pow_t(1.5), shift(mul(var(x), var(x)), 1.0));
            let cube = mul(var(x), mul(var(x), var(x)));
            add(mul(power, tanh_t(x)), chain(asinh_t, cube))
        }),
    ]
}

/// Relative tolerance against the closed forms.
const TOL: f64 = 1e-12;

/// Runs `method` (returning the derivative of order `order`) on every case and point and
/// compares it with the closed form. The tolerance is relative to `|exact|`, with a floor of
/// `1e-3 · max(|f|, |f′|, |f″|, |f‴|)` for points where the derivative is near zero and
/// only the rounding of larger intermediate terms is left.
fn check_all(order: usize, method: impl Fn(&Case, f64) -> f64) {
    let mut failures = Vec::new();
    for case in cases() {
        for &x in case.points {
            let exact = (case.exact)(x);
            let magnitude = exact.iter().fold(0.0f64, |m, e| m.max(e.abs()));
            let got = method(&case, x);
            let tol = TOL * exact[order].abs().max(1e-3 * magnitude);
            if !is_close(got, exact[order], tol) {
                failures.push(format!(
                    "{} order {order} at x = {x}: got {got:e}, closed form {:e}",
                    case.name, exact[order]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `f‴(x)` by three nested duals seeded `x + ε₁ + ε₂ + ε₃`; also returns lower orders.
fn by_three_duals(f: fn(Dual3) -> Dual3, x: f64) -> Derivs {
    let inner = Dual::new(Dual::variable(x), Dual::constant(1.0));
    let y = f(Dual::new(inner, Dual::constant(1.0)));
    [
        y.value.value.value,
        y.tangent.value.value,
        y.tangent.tangent.value,
        y.tangent.tangent.tangent,
    ]
}

/// Whether `|actual − expected| ≤ tol`; false when either is NaN, so NaN never passes.
fn is_close(actual: f64, expected: f64, tol: f64) -> bool {
    (actual - expected).abs() <= tol
}

#[test]
fn there_are_at_least_thirty_closed_form_cases_with_distinct_names() {
    let cases = cases();
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    let names: std::collections::HashSet<_> = cases.iter().map(|c| c.name).collect();
    assert_eq!(names.len(), cases.len());
}

#[test]
fn f64_values_match_the_closed_forms() {
    check_all(0, |case, x| (case.value)(x));
}

#[test]
fn forward_derivative_matches_hand_derived_first_derivatives() {
    check_all(1, |case, x| forward::derivative(case.dual, x));
}

#[test]
fn value_and_derivative_returns_the_f64_value_and_the_derivative() {
    for case in cases() {
        for &x in case.points {
            let (y, d) = forward::value_and_derivative(case.dual, x);
            assert_eq!(
                y.to_bits(),
                (case.value)(x).to_bits(),
                "{} at {x}",
                case.name
            );
            assert_eq!(d, forward::derivative(case.dual, x), "{} at {x}", case.name);
        }
    }
}

#[test]
fn second_derivative_matches_hand_derived_second_derivatives() {
    check_all(2, |case, x| forward::second_derivative(case.dual2, x));
}

#[test]
fn jet_nth_derivative_1_matches_hand_derived_first_derivatives() {
    check_all(1, |case, x| forward::nth_derivative(case.jet, x, 1));
}

#[test]
fn jet_nth_derivative_2_matches_hand_derived_second_derivatives() {
    check_all(2, |case, x| forward::nth_derivative(case.jet, x, 2));
}

#[test]
fn jet_nth_derivative_3_matches_hand_derived_third_derivatives() {
    check_all(3, |case, x| forward::nth_derivative(case.jet, x, 3));
}

#[test]
fn jet_order_0_is_the_value() {
    check_all(0, |case, x| forward::nth_derivative(case.jet, x, 0));
}

#[test]
fn three_nested_duals_match_hand_derived_derivatives_of_every_order() {
    for order in 0..=3 {
        check_all(order, |case, x| by_three_duals(case.dual3, x)[order]);
    }
}

#[test]
fn taylor_coefficients_are_derivatives_over_factorials() {
    check_all(3, |case, x| {
        let c = forward::taylor_coefficients(case.jet, x, 3);
        assert_eq!(c.len(), 4);
        c[3] * 6.0
    });
    check_all(2, |case, x| {
        forward::taylor_coefficients(case.jet, x, 3)[2] * 2.0
    });
}
