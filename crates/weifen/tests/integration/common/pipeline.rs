//! Parse → differentiate → evaluate, with the invariants every input must keep: the fuzz
//! target (`fuzz/`) runs it on random bytes, and `tests/integration/fuzz_regressions.rs` on the inputs
//! the fuzzer found interesting. It panics, naming the input, when an invariant breaks.
//!
//! An input is 4 control bytes and the formula's text: byte 0 chooses the derivative order
//! (1 or 2), bytes 1–3 the values of the first three variables (from `VALUES`).

use weifen::method::{self, Method};
use weifen::numeric::Status;
use weifen::symbolic::{Expr, ExprKind};

/// The values a variable can take: ordinary, tiny, huge, near overflow, negative, zero.
pub const VALUES: [f64; 16] = [
    0.0, 1.0, -1.0, 0.5, 2.5, -3.7, 1e-8, -1e-8, 1e8, 700.0, -700.0, 1e300, 3.0, 0.1, 40.0, -0.25,
];

/// Runs the pipeline on one input (bytes that are not UTF-8 are skipped).
pub fn pipeline(data: &[u8]) {
    if data.len() < 5 {
        return;
    }
    let Ok(text) = std::str::from_utf8(&data[4..]) else {
        return;
    };
    let order = 1 + usize::from(data[0] & 1);
    let parsed = text.parse::<Expr>();
    let e = match parsed {
        Ok(e) => e,
        Err(err) => {
            let (a, b) = (err.span.start, err.span.end);
            assert!(
                a <= b && b <= text.len() && text.is_char_boundary(a) && text.is_char_boundary(b),
                "{text:?}: error span {a}..{b} is not a range of the input"
            );
            assert!(!err.to_string().is_empty());
            return;
        }
    };
    let vars = e.variables();
    if vars.len() > 3 {
        return;
    }
    let at: Vec<(&str, f64)> = vars
        .iter()
        .enumerate()
        .map(|(i, v)| (v.as_str(), VALUES[usize::from(data[1 + i]) % VALUES.len()]))
        .collect();
    round_trip(text, e.clone(), &at);
    let Some(&(var, x)) = at.first() else {
        return;
    };
    let symbolic = method::derivative(&e, var, &at, order, Method::Symbolic)
        .unwrap_or_else(|err| panic!("{text:?}: symbolic failed: {err}"));
    let forward = method::derivative(&e, var, &at, order, Method::Forward)
        .unwrap_or_else(|err| panic!("{text:?}: forward failed: {err}"));
    let _ = method::derivative(&e, var, &at, order, Method::Reverse);
    for m in [Method::Richardson, Method::Central, Method::FivePoint] {
        let d = method::derivative(&e, var, &at, order, m)
            .unwrap_or_else(|err| panic!("{text:?}: {m} failed: {err}"));
        // First-order rules are accurate (higher orders at extreme arguments are not yet):
        // where symbolic and forward agree, a finite-difference answer that vouches for
        // itself is within its bound — if f has no scale far below the steps: sampled at
        // steps ≫ 1e-8, x^(9^-x^y) with y = 1e8 is a kink at x = 1 (slopes 1 and 0) and its
        // differences are exactly ½ at every step, as for a true kink. Moderate values and
        // literals keep such functions out of the check. So does |f| < 1e-6: a tiny f is
        // often what is left of a cancellation inside the formula (log₂(x^(9⁻⁹)) ≈ 4·10⁻⁹ is
        // computed through x^(9⁻⁹) ≈ 1), so its values carry noise ~ε, a billion times the
        // ε·|f| of the rounding bound, which no step sequence reliably measures. And so do
        // extreme intermediates, and sums that absorb a term (8^53 + x == 8^53 in f64: the
        // computed function does not depend on x there, while its formula does).
        let (s, f) = (symbolic.derivative, forward.derivative);
        let agree = s.is_finite() && (s - f).abs() <= 1e-12 * s.abs();
        let moderate = at
            .iter()
            .all(|(_, v)| v.abs() <= 100.0 && (v.abs() >= 0.1 || *v == 0.0))
            && literals_moderate(text)
            && !absorbs(&e, &at)
            && !kinked(&e)
            // f must not change by more than a thousandth of its size within a thousand
            // ulps of x: x·sin(40⁴·sin(…)) has f′ ≈ 3·10²⁰ at 1, a scale no f64 step reaches.
            && s.abs() * 1e3 * f64::EPSILON * x.abs().max(1.0) <= 1e-3 * d.value.abs()
            && d.value.abs() >= 1e-6
            && d.value.abs() < 1e100
            && s.abs() < 1e100;
        if order == 1 && agree && moderate && d.status == Status::Ok {
            let error = d.error.expect("finite differences estimate their error");
            assert!(
                (d.derivative - s).abs() <= error + 1e-9 * s.abs(),
                "{text:?} at {at:?}: {m} gives {} ± {error:e}, the derivative is {s}",
                d.derivative
            );
        }
    }
}

/// Whether `e` has, at `at`, an intermediate of extreme size (below 1e-12 or above 1e12, 0
/// aside: `7^90^x` at 1 is 10⁷⁶, and `x^(−7^90)` steps from ∞ to 0 across x = 1 on a scale
/// no difference can resolve), or a sum or difference of terms more than 10¹² apart in size.
fn absorbs(e: &Expr, at: &[(&str, f64)]) -> bool {
    let value = |e: &Expr| e.eval(at).unwrap_or(f64::NAN).abs();
    let mut stack = vec![e.clone()];
    let mut seen = Vec::new();
    while let Some(e) = stack.pop() {
        if seen.contains(&e) {
            continue;
        }
        let v = value(&e);
        if v != 0.0 && !(1e-12..=1e12).contains(&v) {
            return true;
        }
        match e.kind() {
            // A sum: its terms (with their coefficients) more than 10¹² apart.
            ExprKind::Sum(k, terms) => {
                let sizes: Vec<f64> = terms
                    .iter()
                    .map(|(c, t)| c.abs() * value(t))
                    .chain((k != 0.0).then_some(k.abs()))
                    .filter(|s| *s > 0.0)
                    .collect();
                let (lo, hi) = sizes.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), &s| {
                    (lo.min(s), hi.max(s))
                });
                if sizes.len() > 1 && hi > 1.1e12 * lo {
                    return true;
                }
                stack.extend(terms.into_iter().map(|(_, t)| t));
            }
            ExprKind::Product(factors) => stack.extend(factors.into_iter().map(|(b, _)| b)),
            ExprKind::Binary(_, a, b) => stack.extend([a, b]),
            ExprKind::Unary(_, a) => stack.push(a),
            _ => {}
        }
        seen.push(e);
    }
    false
}

/// Whether `e` uses an op with a kink (`abs`, `sign`, `min`, `max`): at the kink a central
/// difference gives the mean of the one-sided slopes, the op table its own convention (½ to
/// each argument of a tied `min`, so `min(x, min(x, y))` at a tie gives ¼ where the
/// difference gives ½), and neither is a derivative.
fn kinked(e: &Expr) -> bool {
    let printed = e.to_string();
    ["abs(", "sign(", "min(", "max("]
        .iter()
        .any(|op| printed.contains(op))
}

/// Whether every number written in `text` is at most 100 and has no exponent.
fn literals_moderate(text: &str) -> bool {
    let mut number = String::new();
    for c in text.chars().chain([' ']) {
        if c.is_ascii_digit() || c == '.' || (c == 'e' && !number.is_empty()) {
            number.push(c);
            continue;
        }
        if !number.is_empty() {
            if number.contains('e') || number.parse::<f64>().is_ok_and(|v| v > 100.0) {
                return false;
            }
            number.clear();
        }
    }
    true
}

/// The printed formula parses back to the same function.
fn round_trip(text: &str, e: Expr, at: &[(&str, f64)]) {
    let printed = e.to_string();
    let back: Expr = printed
        .parse()
        .unwrap_or_else(|err| panic!("{text:?} prints as {printed:?}, which fails: {err}"));
    let (a, b) = (e.eval(at), back.eval(at));
    if let (Ok(a), Ok(b)) = (a, b) {
        let same = a == b || (a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-12 * a.abs();
        assert!(same, "{text:?} = {a} but its print {printed:?} = {b}");
    }
}
