//! The op table against its own kernels: every derivative rule is compared with a
//! Richardson-extrapolated central difference of the op's `f64` kernel, at seeded points of
//! the op's smooth domain, and the conventions at kinks and outside the domain are pinned.

use weifen::Scalar;
use weifen::forward::{self, Dual, Jet};
use weifen::ops::{Binary, Domain, Unary, UnaryOp};

/// SplitMix64: a tiny seeded generator, so every run checks the same points.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[lo, hi)`.
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        lo + (hi - lo) * unit
    }
}

/// Points drawn per op (the brief asks for at least 20).
const POINTS: usize = 24;

/// The finite interval the tests sample: `±∞` ends clipped to `[−8, 8]`, or to `(lo, lo + 8)`
/// for a half-line.
fn finite_interval(d: &Domain) -> (f64, f64) {
    let lo = if d.lo.is_finite() { d.lo } else { -8.0 };
    let hi = if d.hi.is_finite() {
        d.hi
    } else if d.lo.is_finite() {
        d.lo + 8.0
    } else {
        8.0
    };
    (lo, hi)
}

/// `n` seeded points of `d`, a margin of 2% of the interval away from both ends and 0.05 away
/// from the kink, where differences of the kernel are unreliable.
fn sample_points(d: &Domain, seed: u64, n: usize) -> Vec<f64> {
    let (lo, hi) = finite_interval(d);
    let margin = 0.02 * (hi - lo);
    let mut rng = Rng(seed);
    let mut points = Vec::with_capacity(n);
    while points.len() < n {
        let x = rng.uniform(lo + margin, hi - margin);
        if d.kink.is_some_and(|k| (x - k).abs() < 0.05) {
            continue;
        }
        assert!(d.contains(x), "sampled {x} outside {d:?}");
        points.push(x);
    }
    points
}

/// The distance from `x` to the nearest point where the op stops being smooth (a finite end of
/// its domain, its kink, or `extra` such as a tie of `min`), so the difference step stays
/// inside the smooth region.
fn distance_to_singularity(d: &Domain, x: f64, extra: Option<f64>) -> f64 {
    [Some(d.lo), Some(d.hi), d.kink, extra]
        .into_iter()
        .flatten()
        .filter(|s| s.is_finite())
        .map(|s| (x - s).abs())
        .fold(f64::INFINITY, f64::min)
}

/// The initial step of the difference: a tenth of `max(1, |x|)`, at most a tenth of the
/// distance to the nearest singularity (near a pole the kernel varies on that scale).
fn initial_step(d: &Domain, x: f64, extra: Option<f64>) -> f64 {
    0.1 * x.abs().max(1.0).min(distance_to_singularity(d, x, extra))
}

/// Ridders' method (Numerical Recipes `dfridr`): central differences at steps `h, h/1.4, …`
/// extrapolated to step 0 in a Neville tableau. Returns the estimate and its error estimate.
/// Chosen over a fixed high-order stencil because it adapts the step to each function.
fn ridders(f: impl Fn(f64) -> f64, x: f64, h: f64) -> (f64, f64) {
    // A first step that is too large for the scale on which f varies leaves the tableau
    // unconverged: start smaller, and keep the estimate with the smallest error.
    [h, h / 4.0, h / 16.0]
        .into_iter()
        .map(|h| ridders_from(&f, x, h))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("three starts")
}

fn ridders_from(f: &impl Fn(f64) -> f64, x: f64, h: f64) -> (f64, f64) {
    const CON: f64 = 1.4;
    const CON2: f64 = CON * CON;
    const NTAB: usize = 15;
    let mut a = [[0.0f64; NTAB]; NTAB];
    let mut hh = h;
    a[0][0] = (f(x + hh) - f(x - hh)) / (2.0 * hh);
    let mut err = f64::INFINITY;
    let mut ans = a[0][0];
    for i in 1..NTAB {
        hh /= CON;
        a[0][i] = (f(x + hh) - f(x - hh)) / (2.0 * hh);
        let mut fac = CON2;
        for j in 1..=i {
            a[j][i] = (a[j - 1][i] * fac - a[j - 1][i - 1]) / (fac - 1.0);
            fac *= CON2;
            let errt = (a[j][i] - a[j - 1][i])
                .abs()
                .max((a[j][i] - a[j - 1][i - 1]).abs());
            if errt <= err {
                err = errt;
                ans = a[j][i];
            }
        }
        if (a[i][i] - a[i - 1][i - 1]).abs() >= 2.0 * err {
            break;
        }
    }
    (ans, err)
}

/// Relative tolerance of a rule against the extrapolated difference.
const RULE_TOL: f64 = 1e-7;

/// Checks `actual` against the difference estimate `reference` (error estimate `err`) of a
/// function whose value at the point is `y`. The tolerance is relative to `|reference|`, with
/// an absolute floor of `RULE_TOL · 1e-3 · (1 + |y|)` for points where the derivative is near
/// zero and only the rounding of the kernel is left. The difference's own error estimate must
/// be small, or the comparison would prove nothing.
fn check(
    failures: &mut Vec<String>,
    what: String,
    actual: f64,
    (reference, err): (f64, f64),
    y: f64,
) {
    let tol = RULE_TOL * (reference.abs() + 1e-3 * (1.0 + y.abs()));
    if err > 0.1 * tol {
        failures.push(format!(
            "{what}: the difference is unreliable (estimate {reference:e}, error {err:e})"
        ));
    } else if !is_close(actual, reference, tol) {
        failures.push(format!(
            "{what}: rule gives {actual:e}, difference gives {reference:e} (error {err:e})"
        ));
    }
}

fn assert_no_failures(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Whether `|actual − expected| ≤ tol`; false when either is NaN, so NaN never passes.
fn is_close(actual: f64, expected: f64, tol: f64) -> bool {
    (actual - expected).abs() <= tol
}

#[test]
fn difference_check_rejects_a_rule_off_by_one_part_in_a_million() {
    // The harness itself: a rule wrong in the 6th digit must not slip through.
    let d = Unary::Sin.spec().domain;
    for x in sample_points(&d, 99, POINTS) {
        let reference = ridders(f64::sin, x, initial_step(&d, x, None));
        let mut failures = Vec::new();
        let wrong = x.cos() + 1e-6 * (1.0 + x.cos().abs());
        check(
            &mut failures,
            format!("sin′({x})"),
            wrong,
            reference,
            x.sin(),
        );
        assert_eq!(failures.len(), 1, "accepted a wrong sin′({x})");
    }
}

/// The first derivative rule of `op` at `x`, on `f64`.
fn rule(op: Unary, x: f64) -> f64 {
    op.derivative(&x, &op.eval(x))
}

#[test]
fn every_unary_rule_matches_a_richardson_difference_of_its_kernel() {
    let mut failures = Vec::new();
    for (i, &op) in Unary::all().iter().enumerate() {
        let d = op.spec().domain;
        for x in sample_points(&d, 1000 + i as u64, POINTS) {
            let reference = ridders(|t| op.eval(t), x, initial_step(&d, x, None));
            check(
                &mut failures,
                format!("{op:?}′({x})"),
                rule(op, x),
                reference,
                op.eval(x),
            );
        }
    }
    assert_no_failures(failures);
}

#[test]
fn every_unary_second_derivative_by_nested_duals_matches_a_difference_of_its_rule() {
    let mut failures = Vec::new();
    for (i, &op) in Unary::all().iter().enumerate() {
        let d = op.spec().domain;
        for x in sample_points(&d, 2000 + i as u64, POINTS) {
            let second = forward::second_derivative(|t| t.unary(op), x);
            let reference = ridders(|t| rule(op, t), x, initial_step(&d, x, None));
            check(
                &mut failures,
                format!("{op:?}″({x})"),
                second,
                reference,
                rule(op, x),
            );
        }
    }
    assert_no_failures(failures);
}

#[test]
fn dual_tangent_of_every_unary_op_is_exactly_its_rule() {
    for &op in &Unary::all() {
        let d = op.spec().domain;
        for x in sample_points(&d, 3000, 8) {
            let (y, dy) = forward::value_and_derivative(|t| t.unary(op), x);
            assert_eq!(y.to_bits(), op.eval(x).to_bits(), "{op:?}({x})");
            assert_eq!(dy, rule(op, x), "{op:?}′({x})");
        }
    }
}

#[test]
fn jet_derivatives_to_order_3_of_every_unary_op_agree_with_the_rule_and_nested_duals() {
    // Jets have their own recurrences for exp, ln, sin, powf, …: an independent check of them.
    let mut failures = Vec::new();
    for (i, &op) in Unary::all().iter().enumerate() {
        let d = op.spec().domain;
        for x in sample_points(&d, 4000 + i as u64, 8) {
            let pairs = [
                (
                    1,
                    forward::nth_derivative(|t| t.unary(op), x, 1),
                    rule(op, x),
                ),
                (
                    2,
                    forward::nth_derivative(|t| t.unary(op), x, 2),
                    forward::second_derivative(|t| t.unary(op), x),
                ),
                (
                    3,
                    forward::nth_derivative(|t| t.unary(op), x, 3),
                    third_derivative_by_duals(|t| t.unary(op), x),
                ),
            ];
            for (n, jet, dual) in pairs {
                let scale = dual.abs() + 1e-12 * (1.0 + op.eval(x).abs());
                if !is_close(jet, dual, 1e-12 * scale) {
                    failures.push(format!(
                        "{op:?} order {n} at {x}: jet {jet:e}, dual {dual:e}"
                    ));
                }
            }
        }
    }
    assert_no_failures(failures);
}

/// Seeded `(a, b)` pairs for a binary op, skipping near-ties of ops with a kink on the tie.
fn binary_points(op: Binary, seed: u64) -> Vec<(f64, f64)> {
    let spec = op.spec();
    let a = sample_points(&spec.a, seed, 4 * POINTS);
    let b = sample_points(&spec.b, seed + 1, 4 * POINTS);
    let pairs: Vec<_> = a
        .into_iter()
        .zip(b)
        .filter(|(a, b)| !spec.kink_on_tie || (a - b).abs() > 0.1)
        .take(POINTS)
        .collect();
    assert_eq!(pairs.len(), POINTS, "{op:?}: too few points");
    pairs
}

/// Both partials of `op` at `(a, b)`, on `f64`.
fn partials(op: Binary, a: f64, b: f64) -> (f64, f64) {
    op.partials(&a, &b, &op.eval(a, b))
}

/// Initial steps along `a` and along `b` for a binary op at `(a, b)`.
fn binary_steps(op: Binary, a: f64, b: f64) -> (f64, f64) {
    let spec = op.spec();
    let tie = |other: f64| spec.kink_on_tie.then_some(other);
    (
        initial_step(&spec.a, a, tie(b)),
        initial_step(&spec.b, b, tie(a)),
    )
}

#[test]
fn every_binary_partial_matches_a_richardson_difference_of_its_kernel() {
    let mut failures = Vec::new();
    for (i, &op) in Binary::all().iter().enumerate() {
        for (a, b) in binary_points(op, 5000 + 10 * i as u64) {
            let (ha, hb) = binary_steps(op, a, b);
            let y = op.eval(a, b);
            let (da, db) = partials(op, a, b);
            let ref_a = ridders(|t| op.eval(t, b), a, ha);
            let ref_b = ridders(|t| op.eval(a, t), b, hb);
            check(&mut failures, format!("∂{op:?}/∂a({a}, {b})"), da, ref_a, y);
            check(&mut failures, format!("∂{op:?}/∂b({a}, {b})"), db, ref_b, y);
        }
    }
    assert_no_failures(failures);
}

#[test]
fn every_binary_second_partial_by_nested_duals_matches_a_difference_of_its_partials() {
    let mut failures = Vec::new();
    for (i, &op) in Binary::all().iter().enumerate() {
        for (a, b) in binary_points(op, 6000 + 10 * i as u64) {
            let (ha, hb) = binary_steps(op, a, b);
            let h = forward::hessian(|p| p[0].binary(op, p[1]), &[a, b]);
            let daa = forward::second_derivative(|t| t.binary(op, Dual::constant(b)), a);
            let dbb = forward::second_derivative(|t| Dual::constant(a).binary(op, t), b);
            let (da, db) = partials(op, a, b);
            let cases = [
                ("∂²/∂a² (second_derivative)", daa, ha, 0, true, da),
                ("∂²/∂a² (hessian)", h[[0, 0]], ha, 0, true, da),
                ("∂²/∂b∂a (hessian)", h[[0, 1]], hb, 0, false, da),
                ("∂²/∂a∂b (hessian)", h[[1, 0]], ha, 1, true, db),
                ("∂²/∂b² (hessian)", h[[1, 1]], hb, 1, false, db),
                ("∂²/∂b² (second_derivative)", dbb, hb, 1, false, db),
            ];
            for (what, actual, step, which, along_a, partial) in cases {
                let p = |a: f64, b: f64| {
                    let (da, db) = partials(op, a, b);
                    if which == 0 { da } else { db }
                };
                let reference = if along_a {
                    ridders(|t| p(t, b), a, step)
                } else {
                    ridders(|t| p(a, t), b, step)
                };
                let label = format!("{op:?} {what} at ({a}, {b})");
                check(&mut failures, label, actual, reference, partial);
            }
        }
    }
    assert_no_failures(failures);
}

#[test]
fn jet_first_and_second_partials_of_every_binary_op_agree_with_the_rule_and_nested_duals() {
    let mut failures = Vec::new();
    for (i, &op) in Binary::all().iter().enumerate() {
        for (a, b) in binary_points(op, 7000 + 10 * i as u64) {
            let (da, db) = partials(op, a, b);
            let ja = forward::nth_derivative(|t| t.binary(op, Jet::constant(b)), a, 1);
            let jb = forward::nth_derivative(|t| Jet::constant(a).binary(op, t), b, 1);
            let jaa = forward::nth_derivative(|t| t.binary(op, Jet::constant(b)), a, 2);
            let jbb = forward::nth_derivative(|t| Jet::constant(a).binary(op, t), b, 2);
            let daa = forward::second_derivative(|t| t.binary(op, Dual::constant(b)), a);
            let dbb = forward::second_derivative(|t| Dual::constant(a).binary(op, t), b);
            let pairs = [
                ("∂a", ja, da),
                ("∂b", jb, db),
                ("∂a²", jaa, daa),
                ("∂b²", jbb, dbb),
            ];
            for (what, jet, dual) in pairs {
                let scale = dual.abs() + 1e-12 * (1.0 + op.eval(a, b).abs());
                if !is_close(jet, dual, 1e-12 * scale) {
                    failures.push(format!(
                        "{op:?} {what} at ({a}, {b}): jet {jet}, rule {dual}"
                    ));
                }
            }
        }
    }
    assert_no_failures(failures);
}

#[test]
fn op_names_are_unique_per_op_and_shared_by_parameterised_variants() {
    use std::collections::HashMap;
    use std::mem::discriminant;
    // Powi(3) and Powi(−2) are one op with one name; distinct ops must have distinct names,
    // across both tables (a parser looks names up in both).
    let mut owner: HashMap<&str, String> = HashMap::new();
    for op in Unary::all() {
        let name = op.spec().name;
        let key = format!("unary {:?}", discriminant(&op));
        let previous = owner.insert(name, key.clone());
        assert!(
            previous.is_none_or(|p| p == key),
            "name {name:?} is used by two ops"
        );
    }
    for op in Binary::all() {
        let name = op.spec().name;
        let key = format!("binary {op:?}");
        let previous = owner.insert(name, key.clone());
        assert!(previous.is_none(), "name {name:?} is used by two ops");
    }
    let variants = Unary::all()
        .iter()
        .map(|op| format!("{:?}", discriminant(op)))
        .collect::<std::collections::HashSet<_>>()
        .len();
    assert_eq!(owner.len(), variants + Binary::all().len());
    for name in owner.keys() {
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "name {name:?} is not a lowercase identifier"
        );
    }
}

#[test]
fn every_domain_is_a_nonempty_interval_with_its_kink_inside() {
    for op in Unary::all() {
        let d = op.spec().domain;
        assert!(d.lo < d.hi, "{op:?}: {d:?}");
        if let Some(k) = d.kink {
            assert!(d.lo < k && k < d.hi && !d.contains(k), "{op:?}: {d:?}");
        }
    }
    for op in Binary::all() {
        let s = op.spec();
        assert!(s.a.lo < s.a.hi && s.b.lo < s.b.hi, "{op:?}: {s:?}");
    }
}

#[test]
fn abs_has_derivative_zero_at_zero() {
    assert_eq!(Unary::Abs.derivative(&0.0, &0.0), 0.0);
    assert_eq!(forward::derivative(|x| x.abs(), 0.0), 0.0);
    assert_eq!(forward::derivative(|x| x.abs(), -0.0), 0.0);
    assert_eq!(forward::nth_derivative(|x| x.abs(), 0.0, 1), 0.0);
    // Away from the kink it is the sign.
    assert_eq!(forward::derivative(|x| x.abs(), -2.5), -1.0);
    assert_eq!(forward::derivative(|x| x.abs(), 2.5), 1.0);
}

#[test]
fn sign_has_derivative_zero_everywhere_including_zero() {
    for x in [-3.0, -1e-300, -0.0, 0.0, 1e-300, 7.0] {
        assert_eq!(forward::derivative(|x| x.sign(), x), 0.0, "sign′({x})");
        assert_eq!(
            forward::second_derivative(|x| x.sign(), x),
            0.0,
            "sign″({x})"
        );
    }
    assert_eq!(Unary::Sign.eval(0.0), 0.0);
    assert_eq!(Unary::Sign.eval(-4.0), -1.0);
}

#[test]
fn min_and_max_give_half_the_derivative_to_each_argument_on_a_tie() {
    for op in [Binary::Min, Binary::Max] {
        assert_eq!(partials(op, 2.0, 2.0), (0.5, 0.5), "{op:?}");
        let g = forward::gradient(|p| p[0].binary(op, p[1]), &[-1.5, -1.5]);
        assert_eq!(g, vec![0.5, 0.5], "{op:?}");
    }
    // Off the tie the whole derivative goes to the selected argument.
    assert_eq!(partials(Binary::Min, 1.0, 3.0), (1.0, 0.0));
    assert_eq!(partials(Binary::Min, 3.0, 1.0), (0.0, 1.0));
    assert_eq!(partials(Binary::Max, 1.0, 3.0), (0.0, 1.0));
    assert_eq!(partials(Binary::Max, 3.0, 1.0), (1.0, 0.0));
}

#[test]
fn sqrt_has_derivative_plus_infinity_at_zero() {
    assert_eq!(rule(Unary::Sqrt, 0.0), f64::INFINITY);
    assert_eq!(forward::derivative(|x| x.sqrt(), 0.0), f64::INFINITY);
}

#[test]
fn tanh_derivative_at_20_is_positive_and_equals_sech_squared() {
    // sech²(x) = 4e^{−2x}/(1 + e^{−2x})², written without cosh so it is an independent value.
    let e = (-40f64).exp();
    let exact = 4.0 * e / ((1.0 + e) * (1.0 + e));
    let d = forward::derivative(|x| x.tanh(), 20.0);
    assert!(d > 0.0, "tanh′(20) = {d}");
    assert!(
        ((d - exact) / exact).abs() <= 1e-15,
        "tanh′(20) = {d:e}, exact {exact:e}"
    );
}

#[test]
fn powi_3_has_first_and_second_derivative_exactly_zero_at_zero() {
    let d1 = forward::derivative(|x| x.powi(3), 0.0);
    let d2 = forward::second_derivative(|x| x.powi(3), 0.0);
    assert_eq!(d1, 0.0);
    assert_eq!(d2, 0.0);
    // The third is 3! = 6, by nested duals and by jets.
    assert_eq!(forward::nth_derivative(|x| x.powi(3), 0.0, 2), 0.0);
    assert_eq!(forward::nth_derivative(|x| x.powi(3), 0.0, 3), 6.0);
    assert_eq!(third_derivative_by_duals(|x| x.powi(3), 0.0), 6.0);
}

type Dual3 = Dual<Dual<Dual<f64>>>;

/// `f‴(x)` by three nested dual numbers seeded `x + ε₁ + ε₂ + ε₃`.
fn third_derivative_by_duals(f: impl Fn(Dual3) -> Dual3, x: f64) -> f64 {
    let inner = Dual::new(Dual::variable(x), Dual::constant(1.0));
    f(Dual::new(inner, Dual::constant(1.0)))
        .tangent
        .tangent
        .tangent
}

#[test]
fn exp_m1_derivative_at_minus_40_is_e_to_the_minus_40_accurately() {
    let exact = (-40f64).exp(); // 4.248354255291589e-18
    assert!((exact - 4.248_354_255_291_589e-18).abs() < 1e-30);
    let d = forward::derivative(|x| x.exp_m1(), -40.0);
    assert!(((d - exact) / exact).abs() <= 1e-15, "exp_m1′(−40) = {d:e}");
    let jet = forward::nth_derivative(|x| x.exp_m1(), -40.0, 1);
    assert!(((jet - exact) / exact).abs() <= 1e-15, "jet: {jet:e}");
}

#[test]
fn ln_of_minus_one_and_its_derivative_are_nan_without_panic() {
    assert!(Unary::Ln.eval(-1.0).is_nan());
    let (y, d) = forward::value_and_derivative(|x| x.ln(), -1.0);
    assert!(y.is_nan(), "ln(−1) = {y}");
    assert!(d.is_nan(), "ln′(−1) = {d}, expected NaN");
}

#[test]
fn derivatives_of_the_log_family_outside_their_domain_are_nan() {
    // The same convention as ln(−1): outside the domain the value is NaN, and a finite
    // derivative there would be a number attached to no function.
    let cases = [
        (Unary::Ln, -1.0),
        (Unary::Log2, -1.0),
        (Unary::Log10, -1.0),
        (Unary::Ln1p, -2.0),
        (Unary::Atanh, 2.0),
    ];
    let mut failures = Vec::new();
    for (op, x) in cases {
        let (y, d) = forward::value_and_derivative(|t| t.unary(op), x);
        let d2 = forward::second_derivative(|t| t.unary(op), x);
        let jet = forward::taylor_coefficients(|t| t.unary(op), x, 3);
        if !y.is_nan() || !d.is_nan() || !d2.is_nan() || !jet.iter().all(|c| c.is_nan()) {
            failures.push(format!(
                "{op:?} at {x}: value {y}, derivative {d}, second {d2}, jet {jet:?}"
            ));
        }
    }
    assert_no_failures(failures);
}

#[test]
fn nan_input_gives_nan_value_for_every_op_and_every_scalar_type() {
    for op in Unary::all() {
        assert!(op.eval(f64::NAN).is_nan(), "{op:?}");
        let (y, d) = forward::value_and_derivative(|t| t.unary(op), f64::NAN);
        assert!(y.is_nan(), "{op:?} on Dual");
        // Only ops with a constant derivative (the linear ones, and sign) may give a number
        // for the tangent.
        if !(UnaryOp::is_linear(op) || op == Unary::Sign) {
            assert!(d.is_nan(), "{op:?}′(NaN) = {d}");
        }
        let jet = forward::taylor_coefficients(|t| t.unary(op), f64::NAN, 2);
        assert!(jet[0].is_nan(), "{op:?} on Jet");
    }
    for op in Binary::all() {
        for (a, b) in [(f64::NAN, 1.5), (1.5, f64::NAN)] {
            assert!(op.eval(a, b).is_nan(), "{op:?}({a}, {b})");
            let g = forward::value_and_gradient(|p| p[0].binary(op, p[1]), &[a, b]);
            assert!(g.0.is_nan(), "{op:?}({a}, {b}) on DualVec");
        }
    }
}

#[test]
fn nan_propagates_through_a_composite_function_and_its_derivatives() {
    fn f<S: Scalar>(x: S) -> S {
        x.clone().sin() * x.clone().exp() + x.powi(2)
    }
    let (y, d) = forward::value_and_derivative(f, f64::NAN);
    assert!(y.is_nan() && d.is_nan());
    assert!(forward::second_derivative(f, f64::NAN).is_nan());
    assert!(forward::nth_derivative(f, f64::NAN, 3).is_nan());
}

/// Relative error of `actual` against `exact`.
fn relative_error(actual: f64, exact: f64) -> f64 {
    ((actual - exact) / exact).abs()
}

#[test]
fn asin_and_acos_derivatives_keep_their_digits_next_to_one() {
    // x = 1 − 2⁻⁴⁰ exactly, so (1 − x)(1 + x) = 2⁻⁴⁰(2 − 2⁻⁴⁰) with no rounding in 1 − x.
    let e = 2f64.powi(-40);
    let x = 1.0 - e;
    let exact = 1.0 / (e * (2.0 - e)).sqrt();
    let d = forward::derivative(|t| t.asin(), x);
    assert!(
        relative_error(d, exact) <= 1e-15,
        "asin′: {d:e} vs {exact:e}"
    );
    let d = forward::derivative(|t| t.acos(), -x);
    assert!(
        relative_error(d, -exact) <= 1e-15,
        "acos′: {d:e} vs {:e}",
        -exact
    );
}

#[test]
fn acosh_derivative_is_accurate_next_to_one_and_finite_for_huge_x() {
    let e = 2f64.powi(-40);
    let exact = 1.0 / (e * (2.0 + e)).sqrt();
    let d = forward::derivative(|t| t.acosh(), 1.0 + e);
    assert!(
        relative_error(d, exact) <= 1e-15,
        "acosh′(1 + 2⁻⁴⁰) = {d:e}"
    );
    let d = forward::derivative(|t| t.acosh(), 1e300);
    assert!(relative_error(d, 1e-300) <= 1e-15, "acosh′(1e300) = {d:e}");
}

#[test]
fn asinh_derivative_does_not_overflow_for_huge_x() {
    for x in [1e300, -1e300, 1e160] {
        let d = forward::derivative(|t| t.asinh(), x);
        assert!(
            relative_error(d, 1.0 / x.abs()) <= 1e-15,
            "asinh′({x}) = {d:e}"
        );
    }
}

#[test]
fn atan2_partials_do_not_overflow_for_huge_arguments() {
    // ∂/∂a = b/(a² + b²), ∂/∂b = −a/(a² + b²); at (s, s) both are ±1/(2s).
    let s = 1e200;
    let (da, db) = partials(Binary::Atan2, s, s);
    assert!(relative_error(da, 0.5 / s) <= 1e-15, "∂a = {da:e}");
    assert!(relative_error(db, -0.5 / s) <= 1e-15, "∂b = {db:e}");
    let (ha, hb) = partials(Binary::Hypot, 3.0 * s, 4.0 * s);
    assert!(relative_error(ha, 0.6) <= 1e-15 && relative_error(hb, 0.8) <= 1e-15);
}

#[test]
fn ln_1p_derivative_is_accurate_next_to_minus_one() {
    let e = 2f64.powi(-30);
    let d = forward::derivative(|t| t.ln_1p(), -1.0 + e);
    assert_eq!(d, 1.0 / e);
}

#[test]
fn powf_with_an_integer_exponent_has_exact_derivatives_at_zero() {
    // x² as powf(2): f′(0) = 0, f″(0) = 2, with no 0·∞ from x^{c−2}.
    assert_eq!(forward::derivative(|t| t.powf(2.0), 0.0), 0.0);
    assert_eq!(forward::second_derivative(|t| t.powf(2.0), 0.0), 2.0);
    assert_eq!(third_derivative_by_duals(|t| t.powf(3.0), 0.0), 6.0);
}

#[test]
fn sqrt_derivative_at_zero_is_plus_infinity_on_jets_too() {
    assert_eq!(forward::nth_derivative(|t| t.sqrt(), 0.0, 1), f64::INFINITY);
}
