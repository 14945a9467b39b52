//! One difference at one step, with an error estimate that sees its truncation error: the
//! same stencil at three more steps, and the error model's test that they behave.

use super::Step;
use super::derivative::Params;
use super::model::{MID, Outcome, ROUNDING_MARGIN, Row, asymptotic, residuals};
use super::richardson::{Extrapolated, RATIO};
use super::step::representable_step;
use super::{Status, Stencil};

/// The safety factor on the truncation estimate: the next error term or a slightly
/// pre-asymptotic step can make `|D(2h) − D(h)|/(2ᵖ − 1)` an underestimate by tens of
/// percent; a factor of 2 covers that on the honesty suite without hiding real digits.
const SAFETY: f64 = 2.0;

/// How many steps are tried, each 16 times smaller than the last, before giving up.
const TRIES: usize = 4;

/// The factor between tries: as in Richardson extrapolation, 16 cannot jump over the
/// asymptotic range (about four decades of `h`).
const SHRINK: f64 = 16.0;

/// `D(h)` (the value) and its error: `SAFETY·|D(2h) − D(h)|/(2ᵖ − 1)` (the truncation error
/// of `D(h)` if the error is `C·hᵖ`), plus `SAFETY` times the distance of `D(1.38h)` from
/// the model (a sample of noise the rounding bound does not see, as in `sin(x − 300)`),
/// plus `D(h)`'s rounding bound — when `D(8h), D(4h), D(2h), D(h)` pass the error model's
/// test twice and `D(1.38h)` lies where the model puts it. When the larger steps leave the domain or
/// meet a point where `f` is not finite, the table is `D(h), D(h/2), D(h/4), D(h/8)` instead,
/// and the truncation error of `D(h)` is `SAFETY·|D(h) − D(h/2)|·2ᵖ/(2ᵖ − 1)`.
///
/// A table that fails the test means the step is larger than the scale `f` varies on (sin x
/// at large `x` with a step relative to `x`, a pole near `x`): the step shrinks by 16 and the
/// table is tried again, up to `TRIES` times. If none passes, `D(h)` of the last try comes
/// back with an infinite error and [`Status::NoConvergence`] (or [`Status::NonFinite`]). A
/// fixed step ([`Step::Fixed`]) is tried alone.
pub(crate) fn single(
    params: &Params,
    stencil: &Stencil,
    x: f64,
    h: f64,
    mut apply: impl FnMut(f64) -> Outcome,
) -> Extrapolated {
    let mut h = h;
    let mut last: Option<Row> = None;
    let mut status = Status::NoConvergence;
    for attempt in 0..TRIES {
        match table(params, stencil, x, h, &mut apply) {
            // A difference that is exactly 0 after the step shrank: f(x + oh) are all equal,
            // the step is below the resolution at which f is computed (log₂(x^(9⁻⁹)) at 1),
            // not an exact zero derivative (which the first step would have shown).
            Ok(vouched) if attempt > 0 && vouched.value.iter().all(|v| *v == 0.0) => {
                return Extrapolated {
                    error: vec![f64::INFINITY; vouched.value.len()],
                    value: vouched.value,
                    status: Status::NoConvergence,
                };
            }
            Ok(vouched) => return vouched,
            Err((d0, why)) => {
                if d0.is_some() || last.is_none() {
                    last = d0;
                    status = why;
                }
            }
        }
        // A step the caller fixed is kept: its answer is vouched for or not.
        h = representable_step(x, h / SHRINK);
        if x + h == x || params.step != Step::Auto {
            break;
        }
    }
    match last {
        Some(d0) => Extrapolated {
            error: vec![f64::INFINITY; d0.value.len()],
            value: d0.value,
            status,
        },
        None => Extrapolated {
            value: vec![f64::NAN],
            error: vec![f64::INFINITY],
            status,
        },
    }
}

/// The table at `h`: the vouched estimate, or `D(h)` (if finite) and why it is not vouched.
fn table(
    params: &Params,
    stencil: &Stencil,
    x: f64,
    h: f64,
    apply: &mut impl FnMut(f64) -> Outcome,
) -> Result<Extrapolated, (Option<Row>, Status)> {
    let d0 = match apply(h) {
        Outcome::Row(row) => row,
        Outcome::NonFinite(at) => return Err((None, Status::NonFinite { at })),
        Outcome::StepUnderflow => return Err((None, Status::NoConvergence)),
    };
    let fits = |s: f64| {
        let mut points = stencil.offsets().iter().map(|o| x + o * s);
        points.all(|p| params.domain.contains(p))
    };
    let factors = [RATIO, RATIO * RATIO, RATIO * RATIO * RATIO];
    let mut ladder = |up: bool| -> Result<Vec<Row>, Status> {
        let mut rows = Vec::with_capacity(3);
        for r in factors {
            let s = representable_step(x, if up { h * r } else { h / r });
            if up && !fits(s) || !up && x + s == x {
                return Err(Status::NoConvergence);
            }
            match apply(s) {
                Outcome::Row(row) => rows.push(row),
                Outcome::NonFinite(at) => return Err(Status::NonFinite { at }),
                Outcome::StepUnderflow => return Err(Status::NoConvergence),
            }
        }
        Ok(rows)
    };
    let (rows, larger) = match ladder(true) {
        Ok(rows) => (rows, true),
        Err(_) => match ladder(false) {
            Ok(rows) => (rows, false),
            Err(why) => return Err((Some(d0), why)),
        },
    };
    // Largest step first.
    let ordered: Vec<&Row> = if larger {
        rows.iter().rev().chain([&d0]).collect()
    } else {
        [&d0].into_iter().chain(rows.iter()).collect()
    };
    let p = stencil.accuracy();
    let p2 = stencil.error_exponents().get(1).copied().unwrap_or(p + 1);
    let behaves = asymptotic([ordered[0], ordered[1], ordered[2]], p, p2)
        && asymptotic([ordered[1], ordered[2], ordered[3]], p, p2);
    // And at a step off the sequence, between D(h) and its neighbour, against aliasing.
    let (large, small) = if larger {
        (&rows[0], &d0)
    } else {
        (&d0, &rows[0])
    };
    let small_step = if larger { h } else { h / RATIO };
    let residual = match apply(representable_step(x, small_step * MID)) {
        Outcome::Row(mid) if behaves => residuals(large, small, &mid, p),
        _ => None,
    };
    let Some(residual) = residual else {
        return Err((Some(d0), Status::NoConvergence));
    };
    let gain = RATIO.powi(p as i32);
    let neighbour = &rows[0];
    let error = (0..d0.value.len())
        .map(|k| {
            let change = (neighbour.value[k] - d0.value[k]).abs();
            let truncation = if larger {
                change / (gain - 1.0)
            } else {
                change * gain / (gain - 1.0)
            };
            // The residual at the off-sequence step is a second sample of f's noise.
            SAFETY * (truncation + residual[k]) + ROUNDING_MARGIN * d0.rounding[k]
        })
        .collect();
    Ok(Extrapolated {
        value: d0.value,
        error,
        status: Status::Ok,
    })
}
