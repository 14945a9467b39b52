//! The step-size study: the error of each scheme over a log-spaced range of steps, against a
//! reference derivative, with each scheme's theoretical optimal step. This is the data of
//! the error-vs-step plot, whose V shape shows why the step matters: truncation error falls
//! as `hᵖ` to the right, rounding error grows as `ε/hⁿ` to the left.

use super::derivative::Evaluator;
use super::error::{check_point, check_step};
use super::model::Outcome;
use super::step::{representable_step, scale};
use super::{NumericError, Scheme};

/// What a [`step_study`] covers.
#[derive(Clone, Debug, PartialEq)]
pub struct StudyParams {
    /// The schemes to study (default: forward, backward, central, five-point).
    pub schemes: Vec<Scheme>,
    /// The derivative order (default 1).
    pub order: usize,
    /// The smallest step, relative to `max(|x|, 1)` (default `1e-16`).
    pub h_min: f64,
    /// The largest step, relative to `max(|x|, 1)` (default `1`).
    pub h_max: f64,
    /// The number of log-spaced steps (default 65: four per decade over the default range,
    /// both ends included).
    pub points: usize,
}

impl Default for StudyParams {
    fn default() -> Self {
        StudyParams {
            schemes: Scheme::NAMED.to_vec(),
            order: 1,
            h_min: 1e-16,
            h_max: 1.0,
            points: 65,
        }
    }
}

/// One scheme's curve in a [`step_study`].
#[derive(Clone, Debug, PartialEq)]
pub struct SchemeStudy {
    /// The scheme.
    pub scheme: Scheme,
    /// The steps, increasing, each exactly representable at `x`.
    pub steps: Vec<f64>,
    /// `|D(h) − reference|` at each step (NaN where `f` was not finite).
    pub errors: Vec<f64>,
    /// The theoretical optimal step `h*·max(|x|, 1)` of the scheme's error model
    /// ([`Stencil::optimal_step`](super::Stencil::optimal_step)).
    pub optimal_step: f64,
    /// The step with the smallest observed error.
    pub best_step: f64,
}

/// Returns, for each scheme, the error of its difference quotient at log-spaced steps against
/// `reference` (the exact derivative, given by the caller), and its optimal step.
///
/// # Errors
/// [`NumericError::NonFinitePoint`] for `x` not finite; [`NumericError::InvalidStep`] for a
/// range whose ends are not positive, finite and increasing; [`NumericError::Unsupported`]
/// for fewer than 2 steps; the errors of [`Scheme::stencil`] for an order a scheme cannot
/// give.
///
/// ```
/// use weifen::numeric::{step_study, StudyParams};
///
/// let study = step_study(|x| x.exp(), 1.0, 1f64.exp(), &StudyParams::default()).unwrap();
/// let central = &study[2];
/// assert_eq!(central.scheme.name(), "central");
/// // The observed best step is within a decade of the model's optimum, ≈ 8.7e-6.
/// assert!((central.best_step / central.optimal_step).log10().abs() < 1.0);
/// ```
pub fn step_study(
    f: impl Fn(f64) -> f64,
    x: f64,
    reference: f64,
    params: &StudyParams,
) -> Result<Vec<SchemeStudy>, NumericError> {
    check_point(0, x)?;
    check_step(params.h_min)?;
    check_step(params.h_max)?;
    if params.h_min >= params.h_max {
        return Err(NumericError::InvalidStep { h: params.h_min });
    }
    if params.points < 2 {
        return Err(NumericError::Unsupported {
            what: "a step study with fewer than 2 steps",
        });
    }
    let (lo, hi) = (params.h_min.log10(), params.h_max.log10());
    let last = (params.points - 1) as f64;
    let steps: Vec<f64> = (0..params.points)
        .map(|k| representable_step(x, 10f64.powf(lo + (hi - lo) * k as f64 / last) * scale(x)))
        .collect();
    params
        .schemes
        .iter()
        .map(|scheme| {
            let stencil = scheme.stencil(params.order)?;
            let mut eval = Evaluator::new(&f, x);
            let errors: Vec<f64> = steps
                .iter()
                .map(|&h| match eval.apply(&stencil, h) {
                    Outcome::Row(row) => (row.value[0] - reference).abs(),
                    _ => f64::NAN,
                })
                .collect();
            let best = (0..steps.len())
                .filter(|&k| !errors[k].is_nan())
                .min_by(|&a, &b| errors[a].total_cmp(&errors[b]))
                .map_or(f64::NAN, |k| steps[k]);
            Ok(SchemeStudy {
                scheme: scheme.clone(),
                steps: steps.clone(),
                errors,
                optimal_step: stencil.optimal_step() * scale(x),
                best_step: best,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observed_best_steps_are_near_the_model_optimum_for_every_scheme() {
        let study = step_study(|x| x.sin(), 0.8, 0.8f64.cos(), &StudyParams::default()).unwrap();
        for s in &study {
            let decades = (s.best_step / s.optimal_step).log10().abs();
            assert!(
                decades < 1.0,
                "{}: best {} vs optimal {}",
                s.scheme.name(),
                s.best_step,
                s.optimal_step
            );
        }
    }

    #[test]
    fn errors_rise_on_both_sides_of_the_optimum() {
        let study = step_study(|x| x.exp(), 1.0, 1f64.exp(), &StudyParams::default()).unwrap();
        let central = &study[2];
        let (first, last) = (central.errors[0], *central.errors.last().unwrap());
        let best = central.errors.iter().cloned().fold(f64::INFINITY, f64::min);
        assert!(first > 1e3 * best && last > 1e3 * best);
    }

    #[test]
    fn bad_ranges_are_errors() {
        let p = StudyParams {
            h_min: 1e-2,
            h_max: 1e-3,
            ..StudyParams::default()
        };
        assert!(matches!(
            step_study(|x| x, 1.0, 1.0, &p),
            Err(NumericError::InvalidStep { .. })
        ));
        let p = StudyParams {
            points: 1,
            ..StudyParams::default()
        };
        assert!(matches!(
            step_study(|x| x, 1.0, 1.0, &p),
            Err(NumericError::Unsupported { .. })
        ));
    }
}
