//! The op table: one row per op, everything about it in the row.
//!
//! A row reads `Name(parameter; samples) => method { names, latex, domain, eval, rule,
//! tangent?, taylor? }` (a binary row: `partials` for `rule`, then `product?`):
//!
//! * `Name` becomes a type (`ops::Tanh`) and a variant (`Unary::Tanh`); `method` the
//!   [`Scalar`](crate::Scalar) method (`x.tanh()`); rows without a method (the constant
//!   operands) are reached through the arithmetic operators;
//! * `names` are the text name (printing, the parser, the command line, the trace) and the
//!   aliases the parser also accepts; `latex` is the LaTeX name;
//! * `domain` is where the op is smooth: the op-table tests draw points from it;
//! * `eval` is the `f64` kernel, `rule` the derivative written in `Scalar` operations on
//!   `x` and the result `y` (so that it can itself be differentiated);
//! * `product: true` marks the product `a·b`, whose partials are the operands' values, so a
//!   tape stores values for it instead of partials;
//! * `tangent` (linear ops only) is the tangent map when it is cheaper than `t·rule`;
//! * `taylor` is the `O(n²)` Taylor recurrence, where the op has one; without it, Taylor
//!   arithmetic carries the op by its rule one order at a time.
//!
//! To add an op: add a row here. Nothing else in the crate names it.

/// The rows of the op table, handed to `$callback` (`define_ops` here, the `Scalar` trait in
/// `scalar.rs`).
macro_rules! op_table {
    ($callback:ident) => { $callback! {
unary {
    /// `-x`
    Neg => negate {
        names: ["neg"], latex: ("", ""), domain: Domain::REAL,
        eval: |x| -x,
        rule: |_x, _y| S::constant(-1.0),
        tangent: |_x, _y, t| -t,
        taylor: |x| Some(x.iter().map(|c| -c.clone()).collect()),
    }
    /// `x + c` for a constant `c` (the `+` operator with an `f64`).
    AddConst(c: f64; 2.5) {
        names: ["add_const"], latex: ("", ""), domain: Domain::REAL,
        eval: |x| x + c,
        rule: |_x, _y| S::constant(1.0),
        tangent: |_x, _y, t| t,
        taylor: |x| Some(taylor::add_constant(x, c)),
    }
    /// `x·c` for a constant `c`.
    MulConst(c: f64; -1.5) {
        names: ["mul_const"], latex: ("", ""), domain: Domain::REAL,
        eval: |x| x * c,
        rule: |_x, _y| S::constant(c),
        tangent: |_x, _y, t| t * c,
        taylor: |x| Some(x.iter().map(|xk| xk.clone() * c).collect()),
    }
    /// `x/c` for a constant `c` (not `x·(1/c)`, which rounds differently).
    DivConst(c: f64; 4.0) {
        names: ["div_const"], latex: ("", ""), domain: Domain::REAL,
        eval: |x| x / c,
        rule: |_x, _y| S::constant(1.0 / c),
        tangent: |_x, _y, t| t / c,
        taylor: |x| Some(x.iter().map(|xk| xk.clone() / c).collect()),
    }
    /// `c − x` for a constant `c`.
    ConstSub(c: f64; 0.5) {
        names: ["const_sub"], latex: ("", ""), domain: Domain::REAL,
        eval: |x| c - x,
        rule: |_x, _y| S::constant(-1.0),
        tangent: |_x, _y, t| -t,
        taylor: |x| Some(taylor::add_constant(&x.iter().map(|xk| -xk.clone()).collect::<Vec<_>>(), c)),
    }
    /// `c/x` for a constant `c`.
    ConstDiv(c: f64; 3.0) {
        names: ["const_div"], latex: ("", ""), domain: Domain::real_except(0.0),
        eval: |x| c / x,
        rule: |x, y| -(y / x),
        taylor: |x| Some(taylor::div(&[S::constant(c)], x)),
    }
    /// `1/x`
    Recip => recip {
        names: ["recip"], latex: (r"\operatorname{recip}\left(", r"\right)"), domain: Domain::real_except(0.0),
        eval: |x| 1.0 / x,
        rule: |_x, y| -(y.clone() * y),
        taylor: |x| Some(taylor::div(&[S::constant(1.0)], x)),
    }
    /// `√x`
    Sqrt => sqrt {
        names: ["sqrt"], latex: (r"\sqrt{", "}"), domain: Domain::POSITIVE,
        eval: |x| x.sqrt(),
        rule: |_x, y| y.recip() * 0.5,
        taylor: |x| taylor::sqrt(x),
    }
    /// `∛x`, defined for negative x too.
    Cbrt => cbrt {
        names: ["cbrt"], latex: (r"\sqrt[3]{", "}"), domain: Domain::real_except(0.0),
        eval: |x| x.cbrt(),
        // 1/(3y²) as y⁻²/3: each further derivative is a sum of same-signed power terms,
        // so derivatives that overflow near 0 stay ±∞ (1/(y·y) cancels ∞ − ∞ at order 3).
        rule: |_x, y| y.clone().powi(-2) * (1.0 / 3.0),
    }
    /// `eˣ`
    Exp => exp {
        names: ["exp"], latex: ("e^{", "}"), domain: Domain::REAL,
        eval: |x| x.exp(),
        rule: |_x, y| y,
        taylor: |x| Some(taylor::exp(x)),
    }
    /// `2ˣ`
    Exp2 => exp2 {
        names: ["exp2"], latex: (r"\operatorname{exp2}\left(", r"\right)"), domain: Domain::REAL,
        eval: |x| x.exp2(),
        rule: |_x, y| y * LN_2,
    }
    /// `eˣ − 1`, accurate near 0.
    ExpM1 => exp_m1 {
        names: ["exp_m1", "expm1"], latex: (r"\operatorname{expm1}\left(", r"\right)"), domain: Domain::REAL,
        eval: |x| x.exp_m1(),
        // eˣ, not y + 1, which cancels to 0 for very negative x.
        rule: |x, _y| x.exp(),
    }
    /// Natural logarithm.
    Ln => ln {
        names: ["ln", "log"], latex: (r"\ln\left(", r"\right)"), domain: Domain::POSITIVE,
        eval: |x| x.ln(),
        rule: |x, y| nan_where_nan(x.recip(), y),
        taylor: |x| Some(taylor::ln(x)),
    }
    /// Base-2 logarithm.
    Log2 => log2 {
        names: ["log2"], latex: (r"\log_{2}\left(", r"\right)"), domain: Domain::POSITIVE,
        eval: |x| x.log2(),
        rule: |x, y| nan_where_nan((x * LN_2).recip(), y),
        taylor: |x| Some(taylor::logarithm(x, x[0].clone().log2(), 1.0 / LN_2)),
    }
    /// Base-10 logarithm.
    Log10 => log10 {
        names: ["log10"], latex: (r"\log_{10}\left(", r"\right)"), domain: Domain::POSITIVE,
        eval: |x| x.log10(),
        rule: |x, y| nan_where_nan((x * LN_10).recip(), y),
        taylor: |x| Some(taylor::logarithm(x, x[0].clone().log10(), 1.0 / LN_10)),
    }
    /// `ln(1 + x)`, accurate near 0.
    Ln1p => ln_1p {
        names: ["ln_1p", "log1p", "ln1p"], latex: (r"\operatorname{log1p}\left(", r"\right)"),
        domain: Domain::open(-1.0, f64::INFINITY),
        eval: |x| x.ln_1p(),
        rule: |x, y| nan_where_nan((x + 1.0).recip(), y),
    }
    /// Sine.
    Sin => sin {
        names: ["sin"], latex: (r"\sin\left(", r"\right)"), domain: Domain::REAL,
        eval: |x| x.sin(),
        rule: |x, _y| x.cos(),
        taylor: |x| Some(taylor::sin_cos(x, false).0),
    }
    /// Cosine.
    Cos => cos {
        names: ["cos"], latex: (r"\cos\left(", r"\right)"), domain: Domain::REAL,
        eval: |x| x.cos(),
        rule: |x, _y| -x.sin(),
        taylor: |x| Some(taylor::sin_cos(x, false).1),
    }
    /// Tangent.
    Tan => tan {
        // tan has poles at π/2 + kπ; one period is enough for the tests.
        names: ["tan"], latex: (r"\tan\left(", r"\right)"), domain: Domain::open(-1.5, 1.5),
        eval: |x| x.tan(),
        // 1 + tan² is as accurate as 1/cos² here (y carries the relative accuracy) and cheaper.
        rule: |_x, y| y.clone() * y + 1.0,
    }
    /// `1 − x²`, accurate near |x| = 1 (as `(1 − x)(1 + x)`) with the exact derivative `−2x`:
    /// the inverse trigonometric rules are written with it, so that their own derivatives do
    /// not cancel to 0 at small x (`(1 − x)(1 + x)` differentiated is `(1 − x) − (1 + x)`, 0
    /// for |x| < 1e-16).
    OneMinusSquare => one_minus_square {
        names: ["one_minus_square"], latex: (r"\left(1 - \left(", r"\right)^{2}\right)"), domain: Domain::REAL,
        eval: |x| (1.0 - x) * (1.0 + x),
        rule: |x, _y| x * -2.0,
    }
    /// Arcsine.
    Asin => asin {
        names: ["asin"], latex: (r"\arcsin\left(", r"\right)"), domain: Domain::open(-1.0, 1.0),
        eval: |x| x.asin(),
        rule: |x, _y| x.one_minus_square().sqrt().recip(),
    }
    /// Arccosine.
    Acos => acos {
        names: ["acos"], latex: (r"\arccos\left(", r"\right)"), domain: Domain::open(-1.0, 1.0),
        eval: |x| x.acos(),
        rule: |x, _y| -x.one_minus_square().sqrt().recip(),
    }
    /// Arctangent.
    Atan => atan {
        names: ["atan"], latex: (r"\arctan\left(", r"\right)"), domain: Domain::REAL,
        eval: |x| x.atan(),
        // hypot(x, 1)⁻², not 1/(x² + 1), whose own derivative overflows to 0 for |x| ≳ 1e77.
        rule: |x, _y| x.hypot(S::constant(1.0)).powi(-2),
    }
    /// Hyperbolic sine.
    Sinh => sinh {
        names: ["sinh"], latex: (r"\sinh\left(", r"\right)"), domain: Domain::REAL,
        eval: |x| x.sinh(),
        rule: |x, _y| x.cosh(),
        taylor: |x| Some(taylor::sin_cos(x, true).0),
    }
    /// Hyperbolic cosine.
    Cosh => cosh {
        names: ["cosh"], latex: (r"\cosh\left(", r"\right)"), domain: Domain::REAL,
        eval: |x| x.cosh(),
        rule: |x, _y| x.sinh(),
        taylor: |x| Some(taylor::sin_cos(x, true).1),
    }
    /// Hyperbolic tangent.
    Tanh => tanh {
        names: ["tanh"], latex: (r"\tanh\left(", r"\right)"), domain: Domain::REAL,
        eval: |x| x.tanh(),
        // sech², not 1 − tanh² (rounds to 0 once tanh rounds to 1, x ≳ 19) nor 1/cosh²
        // (its own derivative is ∞/∞ once cosh overflows, x ≳ 355).
        rule: |x, _y| x.sech().powi(2),
    }
    /// Hyperbolic secant `1/cosh x`.
    Sech => sech {
        names: ["sech"], latex: (r"\operatorname{sech}\left(", r"\right)"), domain: Domain::REAL,
        // 1/cosh is 0, not NaN, once cosh overflows.
        eval: |x| 1.0 / x.cosh(),
        rule: |x, y| -(y * x.tanh()),
    }
    /// Inverse hyperbolic sine.
    Asinh => asinh {
        names: ["asinh"], latex: (r"\operatorname{arsinh}\left(", r"\right)"), domain: Domain::REAL,
        eval: |x| x.asinh(),
        // hypot(x, 1) = √(x² + 1) without overflow for large x.
        rule: |x, _y| x.hypot(S::constant(1.0)).recip(),
    }
    /// Inverse hyperbolic cosine.
    Acosh => acosh {
        names: ["acosh"], latex: (r"\operatorname{arcosh}\left(", r"\right)"), domain: Domain::open(1.0, f64::INFINITY),
        eval: |x| x.acosh(),
        // √(x−1)·√(x+1): accurate near 1 and no overflow for large x.
        rule: |x, _y| ((x.clone() - 1.0).sqrt() * (x + 1.0).sqrt()).recip(),
    }
    /// Inverse hyperbolic tangent.
    Atanh => atanh {
        names: ["atanh"], latex: (r"\operatorname{artanh}\left(", r"\right)"), domain: Domain::open(-1.0, 1.0),
        eval: |x| x.atanh(),
        rule: |x, y| nan_where_nan(x.one_minus_square().recip(), y),
    }
    /// Absolute value; `|x|′(0) = 0` by convention.
    Abs => abs {
        names: ["abs"], latex: (r"\left|", r"\right|"), domain: Domain::real_except(0.0),
        eval: |x| x.abs(),
        rule: |x, _y| x.sign(),
    }
    /// Sign: −1, 0 or 1 (NaN for NaN). Its derivative is 0 everywhere, the convention at 0.
    Sign => sign {
        names: ["sign"], latex: (r"\operatorname{sgn}\left(", r"\right)"), domain: Domain::real_except(0.0),
        // f64::signum(0.0) is 1.0; the sign function needs sign(0) = 0 (and NaN for NaN).
        eval: |x| if x > 0.0 { 1.0 } else if x < 0.0 { -1.0 } else { x * 0.0 },
        rule: |_x, _y| S::constant(0.0),
        // 0, not `t·0`: a tangent that overflowed to ±∞ (the derivatives of ln near 0, whose
        // rule guards its domain with sign(ln x)·0) must not make NaN; NaN only where the
        // sign itself is (outside the guarded op's domain).
        tangent: |_x, y, _t| nan_where_nan(S::constant(0.0), y.clone()),
    }
    /// The error function.
    Erf => erf {
        names: ["erf"], latex: (r"\operatorname{erf}\left(", r"\right)"), domain: Domain::REAL,
        eval: |x| libm::erf(x),
        rule: |x, _y| (-(x.clone() * x)).exp() * FRAC_2_SQRT_PI,
    }
    /// `xⁿ` for a constant integer n, by repeated multiplication (exact at x = 0).
    Powi(n: i32; 3, -2) => powi {
        names: ["powi"], latex: ("", ""),
        domain: if n >= 0 { Domain::REAL } else { Domain::real_except(0.0) },
        // Small exponents spelled out, so that an op chosen at run time (replay, parsed
        // formulas) does not pay for a library call either.
        eval: |x| match n { 0 => 1.0, 1 => x, 2 => x * x, 3 => x * x * x, _ => x.powi(n) },
        // n·xⁿ⁻¹, with the n = 0 and n = 1 cases exact (no 0·∞ at x = 0).
        rule: |x, _y| match n { 0 => S::constant(0.0), 1 => S::constant(1.0), 2 => x * 2.0, _ => x.powi(n - 1) * f64::from(n) },
        taylor: |x| Some(taylor::powi(x, n)),
    }
    /// `xᶜ` for a constant real c.
    Powf(c: f64; 1.5, -0.5) => powf {
        // xᶜ for non-integer c is real only for x ≥ 0.
        names: ["powf"], latex: ("", ""), domain: Domain::POSITIVE,
        eval: |x| x.powf(c),
        rule: |x, _y| if c == 0.0 { S::constant(0.0) } else if c == 1.0 { S::constant(1.0) } else { x.powf(c - 1.0) * c },
        taylor: |x| taylor::powf(x, c),
    }
}
binary {
    /// `a + b`
    Add {
        names: ["add"], infix: Some("+"), symbol: "+", latex: "+", domain: (Domain::REAL, Domain::REAL), kink_on_tie: false,
        eval: |a, b| a + b,
        partials: |_a, _b, _y| (S::constant(1.0), S::constant(1.0)),
        tangent: |_a, _b, _y, ta, tb| ta + tb,
        taylor: |a, b| Some(taylor::zip(a, b, |p, q| p + q)),
    }
    /// `a − b`
    Sub {
        names: ["sub"], infix: Some("-"), symbol: "−", latex: "-", domain: (Domain::REAL, Domain::REAL), kink_on_tie: false,
        eval: |a, b| a - b,
        partials: |_a, _b, _y| (S::constant(1.0), S::constant(-1.0)),
        tangent: |_a, _b, _y, ta, tb| ta - tb,
        taylor: |a, b| Some(taylor::zip(a, b, |p, q| p - q)),
    }
    /// `a · b`
    Mul {
        names: ["mul"], infix: Some("*"), symbol: "·", latex: r"\cdot", domain: (Domain::REAL, Domain::REAL), kink_on_tie: false,
        eval: |a, b| a * b,
        partials: |a, b, _y| (b, a), product: true,
        taylor: |a, b| Some(taylor::mul(a, b)),
    }
    /// `a / b`
    Div {
        names: ["div"], infix: Some("/"), symbol: "/", latex: r"\frac", domain: (Domain::REAL, Domain::real_except(0.0)), kink_on_tie: false,
        eval: |a, b| a / b,
        partials: |_a, b, y| { let r = b.recip(); (r.clone(), -(y * r)) },
        taylor: |a, b| Some(taylor::div(a, b)),
    }
    /// `aᵇ` with a variable exponent. For a constant exponent use `powi`/`powf`, which are
    /// exact at `a = 0`; here `∂/∂b = y·ln a` is NaN at `a = 0`.
    Pow => pow {
        // powi(x, 3) and powf(x, 1.5) are powers too: a constant exponent picks powi or powf.
        names: ["pow", "powi", "powf"], infix: Some("^"), symbol: "^", latex: "^", domain: (Domain::POSITIVE, Domain::REAL), kink_on_tie: false,
        eval: |a, b| a.powf(b),
        partials: |a, b, y| (b.clone() * a.clone().pow(b - 1.0), y * a.ln()),
        // aᵇ = exp(b·ln a) holds for the whole series where a₀ > 0.
        taylor: |a, b| Some(taylor::exp(&taylor::mul(b, &taylor::ln(a)))),
    }
    /// `atan2(a, b)`: the angle of the point `(b, a)`, as `f64::atan2` with `a` the ordinate.
    Atan2 => atan2 {
        // atan2 jumps across the negative b axis; keep b > 0 for the tests.
        names: ["atan2"], infix: None, symbol: "", latex: r"\operatorname{atan2}", domain: (Domain::REAL, Domain::POSITIVE), kink_on_tie: false,
        eval: |a, b| a.atan2(b),
        // b/h², −a/h² with h = hypot(a, b): dividing by h twice avoids the overflow of a² + b².
        partials: |a, b, _y| { let h = a.clone().hypot(b.clone()); (b / h.clone() / h.clone(), -(a / h.clone() / h)) },
    }
    /// `√(a² + b²)` without overflow. At the origin its partials are NaN (0/0).
    Hypot => hypot {
        names: ["hypot"], infix: None, symbol: "", latex: r"\operatorname{hypot}", domain: (Domain::real_except(0.0), Domain::REAL), kink_on_tie: false,
        eval: |a, b| a.hypot(b),
        partials: |a, b, y| (a / y.clone(), b / y),
    }
    /// The smaller argument; NaN if either is NaN. On a tie each argument gets half the
    /// derivative (as PyTorch and JAX).
    Min => min {
        names: ["min"], infix: None, symbol: "", latex: r"\min", domain: (Domain::REAL, Domain::REAL), kink_on_tie: true,
        eval: |a, b| if a.is_nan() || b.is_nan() { f64::NAN } else { a.min(b) },
        // ½ ± sign(b − a)/2: 1 or 0 away from a tie, ½ each on a tie.
        partials: |a, b, _y| { let s = (b - a).sign() * 0.5; (s.clone() + 0.5, -s + 0.5) },
    }
    /// The larger argument; NaN if either is NaN. On a tie each argument gets half the
    /// derivative (as PyTorch and JAX).
    Max => max {
        names: ["max"], infix: None, symbol: "", latex: r"\max", domain: (Domain::REAL, Domain::REAL), kink_on_tie: true,
        eval: |a, b| if a.is_nan() || b.is_nan() { f64::NAN } else { a.max(b) },
        partials: |a, b, _y| { let s = (a - b).sign() * 0.5; (s.clone() + 0.5, -s + 0.5) },
    }
}
    } };
}
