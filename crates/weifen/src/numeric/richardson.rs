//! Adaptive Richardson extrapolation: halve the step until the error estimate stops falling.

use super::Status;

/// The ratio between successive steps. Two keeps the step sequence exactly representable
/// (halving is exact) and lets the tableau reach high order in few rows; Ridders' 1.4 takes
/// more rows, hence more evaluations, for the same order.
pub(crate) const RATIO: f64 = 2.0;

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

/// One row of the tableau: the difference quotient at one step, entry by entry, and a
/// bound on its rounding error.
pub(crate) struct Row {
    pub value: Vec<f64>,
    pub rounding: Vec<f64>,
}

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
    /// The largest entry of `error`.
    norm: f64,
    row: usize,
    /// Whether the error is the rounding floor (the tableau's differences are below it).
    at_floor: bool,
}

/// Runs the Neville–Richardson tableau on rows `D(h₀/2ⁱ)`, `i = 0, 1, …, max_rows − 1`.
///
/// `exponents` are the powers of `h` in the truncation error of the base difference
/// (`2, 4, 6…` for a central one): column `j` eliminates the first `j` of them,
/// `T[i][j] = T[i][j−1] + (T[i][j−1] − T[i−1][j−1]) / (2^{e_{j−1}} − 1)`.
///
/// The error of `T[i][j]` is estimated as Ridders does, by its distance to the two entries
/// it was built from, and bounded below by the row's rounding error times the tableau's
/// amplification of it. The best entry so far (smallest error, max over components) is kept;
/// extrapolation stops once the estimate has settled (below `settled_below` relative, or at
/// the rounding floor) and either the diagonal moves by more
/// than `SAFE` times that error (the error has stopped falling) or the newest best entry is at
/// the rounding floor (smaller steps would only raise it); or when the error reaches `2ε`
/// relative; or after `max_rows`.
///
/// A row that is not finite (`Err(at)`, the point where `f` was not) discards the rows
/// before it: they came from larger steps, which reached past a singularity. If no finite
/// row follows, the result is NaN with [`Status::NonFinite`].
pub(crate) fn extrapolate(
    exponents: &[usize],
    max_rows: usize,
    settled_below: f64,
    mut row: impl FnMut(usize) -> Result<Row, f64>,
) -> Extrapolated {
    let mut prev: Vec<Vec<f64>> = Vec::new();
    let mut best: Option<Best> = None;
    let mut nonfinite = None;
    let mut stopped = false;
    let mut settled = false;
    for i in 0..max_rows {
        let Row { value, rounding } = match row(i) {
            Ok(r) => r,
            Err(at) => {
                nonfinite = Some(at);
                prev.clear();
                best = None;
                continue;
            }
        };
        let mut cur = vec![value];
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
            let err: Vec<f64> = (0..t.len())
                .map(|k| {
                    let ridders = (t[k] - lower[k]).abs().max((t[k] - upper[k]).abs());
                    let floor = rounding[k] * amplification;
                    at_floor &= ridders <= floor;
                    ridders.max(floor)
                })
                .collect();
            let norm = err.iter().fold(0.0f64, |m, e| m.max(*e));
            if best.as_ref().is_none_or(|b| norm < b.norm) {
                best = Some(Best {
                    value: t.clone(),
                    error: err,
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
            // Steps far from the asymptotic range (past a pole, or much larger than the
            // scale f varies on) give rows whose error can look like it has stopped falling:
            // trust the rule only once the estimate has some digits, or is down to rounding
            // (a derivative that is 0 has no relative digits).
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
    match best {
        Some(Best {
            value, error, row, ..
        }) => {
            let capped = !stopped && (row + 1 == max_rows || !settled);
            let status = if capped {
                Status::EvaluationCap
            } else {
                Status::Ok
            };
            Extrapolated {
                value,
                error,
                status,
            }
        }
        None => {
            let n = prev.first().map_or(1, Vec::len);
            Extrapolated {
                value: vec![f64::NAN; n],
                error: vec![f64::INFINITY; n],
                status: Status::NonFinite {
                    at: nonfinite.unwrap_or(f64::NAN),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// D(h) = 1 + h² + h⁴ (a central difference's error terms): two columns remove them.
    #[test]
    fn extrapolation_removes_the_listed_error_terms() {
        let r = extrapolate(&[2, 4, 6], 10, 1e-6, |i| {
            let h = 0.5 / 2f64.powi(i as i32);
            Ok(Row {
                value: vec![1.0 + h * h + h.powi(4)],
                rounding: vec![0.0],
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
            let h = 2f64.powi(-(i as i32));
            Ok(Row {
                value: vec![(h * 50.0).sin()],
                rounding: vec![0.0],
            })
        });
        assert_eq!(rows, 4);
        assert!(r.value[0].is_finite());
    }

    #[test]
    fn a_function_that_is_never_finite_gives_nan_and_says_so() {
        let r = extrapolate(&[2, 4], 5, 1e-6, |_| Err(0.25));
        assert!(r.value[0].is_nan());
        assert_eq!(r.status, Status::NonFinite { at: 0.25 });
    }
}
