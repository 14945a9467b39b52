//! The error model of a difference and its tests: a difference `D(h)` in its asymptotic range
//! changes with `h` as `C·hᵖ + O(h^{p₂})`; steps beyond the scale `f` varies on, aliasing of a
//! periodic `f`, and rounding noise do not. Richardson extrapolation and the single
//! differences trust only rows that pass these tests.

use super::richardson::RATIO;

/// Differences below this many times their rounding bound are rounding noise.
const NOISE: f64 = 4.0;

/// The factor between a row's rounding bound (`ε` per value, `ε|x|` per argument) and the
/// rounding error it reports: a formula rounds at every op, and an op can amplify what came
/// before (`erf(5x⁵⁸)⁵⁸` near 1 is computed to about `58ε`). As the complex step's `16ε`.
/// The tests of the error model use the bound itself, so that they keep telling signal from
/// noise.
pub(crate) const ROUNDING_MARGIN: f64 = 16.0;

/// In the asymptotic range the terms of a difference cancel: a change between steps is at
/// most this fraction of the size `Σ|wⱼ·f(x + oⱼh)|/hⁿ` of its terms. Steps beyond the scale
/// `f` varies on leave the terms uncorrelated, and their changes as large as the terms.
const CANCELLED: f64 = 0.125;

/// The step between two rows of a test, as a multiple of the smaller step: `3 − φ` (φ the
/// golden ratio) is as far from every simple fraction as a number can be, so that a step that
/// aliases a periodic `f` (`h` near a multiple of the period makes `f(x + oh)` look smooth at
/// `h, 2h, 4h…`, and at `1.5h` too when the multiple is even) rarely aliases here.
pub(crate) const MID: f64 = 1.381_966_011_250_105;

/// Whether the difference at the step `MID·s` lies where the error model `D(t) = D₀ + C·tᵖ`
/// through `D(2s)` and `D(s)` puts it, within a quarter of their change (or rounding noise).
pub(crate) fn consistent(large: &Row, small: &Row, mid: &Row, p: usize) -> bool {
    residuals(large, small, mid, p).is_some()
}

/// The distances of `D(MID·s)` from the model's prediction, entry by entry, if they are
/// within the tolerance of [`consistent`]. The model's truncation cancels in them, so what
/// is left measures the noise of `f` (rounding inside a formula, beyond the rounding bound).
pub(crate) fn residuals(large: &Row, small: &Row, mid: &Row, p: usize) -> Option<Vec<f64>> {
    let weight = (MID.powi(p as i32) - 1.0) / (RATIO.powi(p as i32) - 1.0);
    (0..small.value.len())
        .map(|k| {
            let change = large.value[k] - small.value[k];
            let predicted = small.value[k] + weight * change;
            let noise = NOISE * (large.rounding[k] + small.rounding[k] + mid.rounding[k]);
            let residual = (mid.value[k] - predicted).abs();
            (residual <= 0.25 * change.abs() + noise).then_some(residual)
        })
        .collect()
}

/// One row of the tableau: the difference quotient at one step, entry by entry, and a
/// bound on its rounding error.
pub(crate) struct Row {
    pub value: Vec<f64>,
    pub rounding: Vec<f64>,
    /// The size `Σ|wⱼ·f(x + oⱼh)|/hⁿ` of the terms, entry by entry; empty when it is
    /// `rounding/ε` (no rounding beyond that of the values).
    pub size: Vec<f64>,
}

impl Row {
    /// The size of the terms of entry `k`.
    fn size(&self, k: usize) -> f64 {
        self.size
            .get(k)
            .copied()
            .unwrap_or(self.rounding[k] / f64::EPSILON)
    }
}

/// What one row of differences gives: a row, the point where `f` was not finite, or nothing
/// because the step can no longer be taken (`x + h == x`).
pub(crate) enum Outcome {
    Row(Row),
    NonFinite(f64),
    StepUnderflow,
}

impl From<Result<Row, f64>> for Outcome {
    fn from(r: Result<Row, f64>) -> Outcome {
        match r {
            Ok(row) => Outcome::Row(row),
            Err(at) => Outcome::NonFinite(at),
        }
    }
}

/// Whether three differences at steps `h, h/2, h/4` (largest first) behave as the error
/// model says: their changes `a = D(h) − D(h/2)` and `b = D(h/2) − D(h/4)` have one sign,
/// shrink by `2ᵖ` (between `0.6·2ᵖ` and `1.7·2^{p₂}`, `p₂` the next power, in case the
/// leading term vanishes) and are small beside the size of the terms (`CANCELLED`), entry by
/// entry — or are rounding noise. (`rounding` is `ε` times that size.)
///
/// This is what a truncation error `C·hᵖ + O(h^{p₂})` must satisfy. Steps larger than the
/// scale `f` varies on (past a pole, across oscillations) give changes of any size and
/// sign; a random pair passes with probability about 1/8, two pairs in a row about 1/60.
pub(crate) fn asymptotic(rows: [&Row; 3], p: usize, p2: usize) -> bool {
    let (lo, hi) = (0.6 * RATIO.powi(p as i32), 1.7 * RATIO.powi(p2 as i32));
    (0..rows[0].value.len()).all(|k| {
        let d = |i: usize| rows[i].value[k];
        let r = |i: usize| rows[i].rounding[k];
        let (a, b) = (d(0) - d(1), d(1) - d(2));
        if b.abs() <= NOISE * (r(1) + r(2)) {
            return true;
        }
        if a.abs() <= NOISE * (r(0) + r(1)) || a.signum() != b.signum() {
            return false;
        }
        if a.abs() > CANCELLED * rows[0].size(k) {
            return false;
        }
        let ratio = a.abs() / b.abs();
        ratio >= lo && ratio <= hi
    })
}
