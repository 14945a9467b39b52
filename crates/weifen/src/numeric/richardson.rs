//! Adaptive Richardson extrapolation: halve the step until the error estimate stops falling,
//! trusting only steps where the differences shrink as the error model says they must.

use super::Status;
use super::model::{MID, Outcome, ROUNDING_MARGIN, Row, asymptotic, consistent};

/// The ratio between successive steps. Two keeps the step sequence exactly representable
/// (halving is exact) and lets the tableau reach high order in few rows; Ridders' 1.4 takes
/// more rows, hence more evaluations, for the same order.
pub(crate) const RATIO: f64 = 2.0;

/// Halvings skipped when the first rows are not in the asymptotic range (or not finite): the
/// step is divided by `2^(1 + JUMP)` = 16 at once. The asymptotic range of a difference in
/// double precision spans about four decades of `h`, so a factor of 16 cannot jump over it,
/// and it reaches the scale of a pole at distance `10⁻⁸·|x|` in six jumps rather than 27
/// halvings.
const JUMP: usize = 3;

/// The error estimate must grow by this factor over the best one before extrapolation stops
/// (Ridders' `SAFE`): rounding noise makes single estimates fluctuate.
const SAFE: f64 = 2.0;

/// The relative error below which an estimate of the `n`-th derivative has settled (the
/// stopping rule applies): `max(ε^{1/(n+1)}, 1e-6)`, since higher derivatives cannot reach
/// the digits of a first one (`1e-6` for n = 1, `7e-4` for n = 4).
pub(crate) fn settled_threshold(n: usize) -> f64 {
    f64::EPSILON.powf(1.0 / (n as f64 + 1.0)).max(1e-6)
}

/// The most columns of the tableau: beyond 8 eliminated powers, the amplification of
/// rounding noise (`≈ 1.7` per column) outweighs what another power removes.
const COLUMNS: usize = 8;

/// The factor between the best entry's Ridders estimate and the reported error: the best
/// entry is the one whose estimate happened to be smallest, so the estimate is biased low
/// when `f` is noisier than rounding (a composite formula, a function near a domain edge).
const REPORTED: f64 = 2.0;

/// What extrapolation returns: the best estimate, its error, and its status.
pub(crate) struct Extrapolated {
    pub value: Vec<f64>,
    pub error: Vec<f64>,
    pub status: Status,
}

/// The best entry of the tableau so far.
struct Best {
    value: Vec<f64>,
    error: Vec<f64>,
    /// The rounding floor of each entry (the row's bound through the tableau).
    floor: Vec<f64>,
    /// The largest entry of `error`.
    norm: f64,
    row: usize,
    /// Whether the error is the rounding floor (the tableau's differences are below it).
    at_floor: bool,
}

/// Runs the Neville–Richardson tableau on rows `D(h₀/2ᵏ)`, at most `max_rows` of them.
///
/// `exponents` are the powers of `h` in the truncation error of the base difference
/// (`2, 4, 6…` for a central one): column `j` eliminates the first `j` of them,
/// `T[i][j] = T[i][j−1] + (T[i][j−1] − T[i−1][j−1]) / (2^{e_{j−1}} − 1)`.
///
/// Only rows in the asymptotic range feed the estimate: the last two triples of base
/// differences must pass [`asymptotic`], and one extra row at `MID` times the last step must
/// be [`consistent`] with the error model (it counts against `max_rows`' evaluations only
/// through the caller's count, so `max_rows` is one less than the cap allows). Until they do, a failing triple means the steps are
/// still larger than the scale `f` varies on: the tableau restarts `JUMP` halvings further
/// down. A row that is not finite (`f` was NaN or infinite at a stencil point: a pole or a
/// domain edge within reach) restarts it the same way.
///
/// The error of a trusted `T[i][j]` is estimated as Ridders does, by its distance to the two
/// entries it was built from (in the asymptotic range, the error of the less accurate ones),
/// bounded below by the row's rounding error times the tableau's amplification of it. The
/// best trusted entry (smallest error, max over components) is kept; extrapolation stops once
/// the estimate has settled (below `settled_below` relative, or at the rounding floor) and
/// either the diagonal moves by more than `SAFE` times that error or the newest best entry is
/// at the rounding floor; or when the error reaches `2ε` relative; or after `max_rows`, or
/// when the step underflows.
///
/// Without a trusted entry the result is the last base difference with an infinite error and
/// [`Status::NoConvergence`] ([`Status::NonFinite`] if no row was finite).
pub(crate) fn extrapolate(
    exponents: &[usize],
    max_rows: usize,
    settled_below: f64,
    mut row: impl FnMut(f64) -> Outcome,
) -> Extrapolated {
    let p = exponents[0];
    let p2 = exponents.get(1).copied().unwrap_or(p + 1);
    let mut prev: Vec<Vec<f64>> = Vec::new();
    let mut base: Vec<Row> = Vec::new();
    let mut passes = 0;
    let mut best: Option<Best> = None;
    let mut last: Option<Vec<f64>> = None;
    let mut nonfinite = None;
    let (mut stopped, mut settled) = (false, false);
    let (mut k, mut rows) = (0, 0);
    let (mut jumped, mut seen_change) = (false, false);
    for i in 0..max_rows {
        rows = i + 1;
        let outcome = row(k as f64);
        k += 1;
        let r = match outcome {
            Outcome::Row(r) => r,
            Outcome::NonFinite(at) => {
                nonfinite = Some(at);
                if best.is_none() {
                    (prev, base, passes) = (Vec::new(), Vec::new(), 0);
                    k += JUMP;
                    jumped = true;
                }
                continue;
            }
            Outcome::StepUnderflow => break,
        };
        // Exactly 0 after a jump, where larger steps saw f change: f(x + oh) are all equal,
        // the step is below the resolution f is computed at; smaller ones cannot help.
        let zero = r.value.iter().all(|v| *v == 0.0);
        if zero && jumped && seen_change {
            break;
        }
        seen_change |= !zero;
        last = Some(r.value.clone());
        base.push(r);
        let n = base.len();
        if n >= 3 {
            let mut behaves = asymptotic([&base[n - 3], &base[n - 2], &base[n - 1]], p, p2);
            if behaves && passes == 1 {
                // About to trust this segment: one row at a step off the halving sequence.
                behaves = match row((k - 1) as f64 - MID.log2()) {
                    Outcome::Row(mid) => consistent(&base[n - 2], &base[n - 1], &mid, p),
                    _ => false,
                };
            }
            if behaves {
                passes += 1;
            } else {
                passes = 0;
                if best.is_none() {
                    (prev, base, passes) = (Vec::new(), Vec::new(), 0);
                    k += JUMP;
                    jumped = true;
                    continue;
                }
            }
        }
        let trusted = passes >= 2;
        let Row {
            value, rounding, ..
        } = &base[n - 1];
        let mut cur = vec![value.clone()];
        let mut amplification = 1.0;
        for j in 1..=prev.len().min(COLUMNS).min(exponents.len()) {
            let factor = RATIO.powi(exponents[j - 1] as i32);
            amplification *= (factor + 1.0) / (factor - 1.0);
            let (lower, upper) = (&cur[j - 1], &prev[j - 1]);
            let t: Vec<f64> = lower
                .iter()
                .zip(upper)
                .map(|(l, u)| l + (l - u) / (factor - 1.0))
                .collect();
            let mut at_floor = true;
            // The same column one row up, when there is one: rows that disagree by more than
            // Ridders' distance show noise beyond the rounding model.
            let above = prev.get(j);
            let err: Vec<f64> = (0..t.len())
                .map(|c| {
                    let mut ridders = (t[c] - lower[c]).abs().max((t[c] - upper[c]).abs());
                    if let Some(above) = above {
                        ridders = ridders.max((t[c] - above[c]).abs());
                    }
                    let floor = rounding[c] * amplification;
                    at_floor &= ridders <= floor;
                    ridders.max(floor)
                })
                .collect();
            let norm = err.iter().fold(0.0f64, |m, e| m.max(*e));
            if trusted && best.as_ref().is_none_or(|b| norm < b.norm) {
                best = Some(Best {
                    value: t.clone(),
                    error: err,
                    floor: (0..t.len()).map(|c| rounding[c] * amplification).collect(),
                    norm,
                    row: i,
                    at_floor,
                });
            }
            cur.push(t);
        }
        if let (Some(b), Some(last), Some(prev_last)) = (&best, cur.last(), prev.last()) {
            let moved = last
                .iter()
                .zip(prev_last)
                .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
            let size = b.value.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            settled = b.norm <= settled_below * size || b.at_floor;
            // Once the differences of the tableau are below its rounding floor, smaller steps
            // only raise the floor.
            let floored = b.row == i && b.at_floor;
            if (settled && (moved >= SAFE * b.norm || floored))
                || b.norm <= 2.0 * f64::EPSILON * size
            {
                stopped = true;
                break;
            }
        }
        prev = cur;
    }
    match (best, last) {
        (Some(b), _) => {
            // Still falling at the last row, or never settled: the cap (or the step's
            // underflow) stopped it, not the rule, and nothing says the next rows would not
            // move it: the value is the best so far, vouched for by nothing.
            let capped = !stopped && (b.row + 1 == rows || !settled);
            Extrapolated {
                // The margin on rounding widens the reported error only: the stopping rule
                // keeps the bound itself, so that a wide floor does not make an estimate look
                // settled.
                error: b
                    .error
                    .iter()
                    .zip(&b.floor)
                    .map(|(e, floor)| match capped {
                        true => f64::INFINITY,
                        false => REPORTED * e.max(ROUNDING_MARGIN * floor),
                    })
                    .collect(),
                value: b.value,
                status: if capped {
                    Status::EvaluationCap
                } else {
                    Status::Ok
                },
            }
        }
        (None, Some(value)) => Extrapolated {
            error: vec![f64::INFINITY; value.len()],
            value,
            status: Status::NoConvergence,
        },
        (None, None) => Extrapolated {
            value: vec![f64::NAN],
            error: vec![f64::INFINITY],
            status: Status::NonFinite {
                at: nonfinite.unwrap_or(f64::NAN),
            },
        },
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    /// D(h) = 1 + h² + h⁴ (a central difference's error terms): two columns remove them.
    #[test]
    fn extrapolation_removes_the_listed_error_terms() {
        let r = extrapolate(&[2, 4, 6], 10, 1e-6, |i| {
            let h = 0.5 * 2f64.powf(-i);
            Outcome::Row(Row {
                value: vec![1.0 + h * h + h.powi(4)],
                rounding: vec![f64::EPSILON],
                size: Vec::new(),
            })
        });
        assert!((r.value[0] - 1.0).abs() < 1e-14);
        assert_eq!(r.status, Status::Ok);
    }

    #[test]
    fn rows_never_exceed_the_cap() {
        let mut rows = 0;
        let r = extrapolate(&[1, 2, 3], 4, 1e-6, |i| {
            rows += 1;
            let h = 2f64.powf(-i);
            Outcome::Row(Row {
                value: vec![(h * 50.0).sin()],
                rounding: vec![0.0],
                size: Vec::new(),
            })
        });
        // Four rows, and at most one off the sequence.
        assert!((4..=5).contains(&rows), "{rows}");
        assert!(r.value[0].is_finite());
    }

    /// D(h) = sin(1/h)/h: steps far above the scale of the oscillation never look like an
    /// error expansion, so nothing is vouched for.
    #[test]
    fn rows_that_never_shrink_like_the_error_model_give_an_infinite_error() {
        let r = extrapolate(&[2, 4, 6], 12, 1e-6, |k| {
            let h = 2f64.powf(-k);
            Outcome::Row(Row {
                value: vec![(1e6 / h).sin() / h],
                rounding: vec![0.0],
                size: Vec::new(),
            })
        });
        assert_eq!(r.status, Status::NoConvergence);
        assert_eq!(r.error[0], f64::INFINITY);
    }

    /// D(h) = 1 + 1/(h − 1e-6)²-like growth until h ≪ 1e-3, then an error expansion: the
    /// tableau jumps down to the small steps and extrapolates there.
    #[test]
    fn pre_asymptotic_rows_are_skipped_by_jumping_down() {
        let r = extrapolate(&[2, 4, 6], 40, 1e-6, |k| {
            let h = 2f64.powf(-k);
            let d = if h > 1e-3 {
                1.0 / (h * h)
            } else {
                1.0 + 1e4 * h * h
            };
            Outcome::Row(Row {
                value: vec![d],
                rounding: vec![f64::EPSILON * d],
                size: Vec::new(),
            })
        });
        assert_eq!(r.status, Status::Ok);
        assert!(
            (r.value[0] - 1.0).abs() <= r.error[0] && r.error[0] < 1e-9,
            "{:?}",
            r.value
        );
    }

    #[test]
    fn a_function_that_is_never_finite_gives_nan_and_says_so() {
        let r = extrapolate(&[2, 4], 5, 1e-6, |_| Outcome::NonFinite(0.25));
        assert!(r.value[0].is_nan());
        assert_eq!(r.status, Status::NonFinite { at: 0.25 });
    }
}
