//! Derivatives of sampled data: `dy/dx` of samples on a uniform or non-uniform grid, along
//! any axis of an array, as `numpy.gradient(y, x, axis, edge_order=2)` and a fourth-order
//! variant.

use super::{NumericError, fornberg_weights};
use ndarray::{Array, ArrayBase, Axis, Data, Dimension};

/// The sample positions along the axis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Grid<'a> {
    /// Equally spaced by this spacing.
    Uniform(f64),
    /// At these positions: strictly increasing, one per sample along the axis.
    Points(&'a [f64]),
}

/// The order of accuracy of a sampled derivative, in the interior and at the edges alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Accuracy {
    /// Three points: central inside, one-sided at the two ends (`edge_order=2` in NumPy).
    /// Exact for quadratics on any grid; needs 3 samples.
    #[default]
    Second,
    /// Five points: centred inside, shifted to stay in range at the two samples nearest
    /// each end. Exact for quartics on any grid; needs 5 samples.
    Fourth,
}

/// Returns `dy/dx` along `axis`: an array of the shape of `y`, each entry from the
/// [`Accuracy`]'s stencil of nearby samples on that axis, its weights from Fornberg's
/// algorithm at the actual (possibly non-uniform) positions.
///
/// # Errors
/// [`NumericError::AxisOutOfRange`] for an axis `y` does not have;
/// [`NumericError::TooFewSamples`] for fewer samples than the stencil;
/// [`NumericError::Grid`] for a spacing that is not positive and finite, a grid whose length
/// differs from the samples, or one that is not strictly increasing.
///
/// ```
/// use ndarray::{array, Axis};
/// use weifen::numeric::{sampled_derivative, Accuracy, Grid};
///
/// // y = x² on a non-uniform grid: dy/dx = 2x exactly, ends included.
/// let x = [0.0, 0.5, 1.5, 2.0, 3.5];
/// let y = array![0.0, 0.25, 2.25, 4.0, 12.25];
/// let dy = sampled_derivative(&y, Grid::Points(&x), Axis(0), Accuracy::Second).unwrap();
/// for (d, xi) in dy.iter().zip(x) {
///     assert!((d - 2.0 * xi).abs() < 1e-12);
/// }
/// ```
pub fn sampled_derivative<S, D>(
    y: &ArrayBase<S, D>,
    grid: Grid<'_>,
    axis: Axis,
    accuracy: Accuracy,
) -> Result<Array<f64, D>, NumericError>
where
    S: Data<Elem = f64>,
    D: Dimension,
{
    if axis.index() >= y.ndim() {
        return Err(NumericError::AxisOutOfRange {
            axis: axis.index(),
            ndim: y.ndim(),
        });
    }
    let n = y.len_of(axis);
    let k = match accuracy {
        Accuracy::Second => 3,
        Accuracy::Fourth => 5,
    };
    if n < k {
        return Err(NumericError::TooFewSamples {
            found: n,
            needed: k,
        });
    }
    let positions = positions(grid, n)?;
    let stencils: Vec<(usize, Vec<f64>)> = (0..n)
        .map(|i| {
            let start = (i.max(k / 2) - k / 2).min(n - k);
            let w = fornberg_weights(positions[i], &positions[start..start + k], 1).swap_remove(1);
            (start, w)
        })
        .collect();
    let mut out = Array::zeros(y.raw_dim());
    for (lane, mut lane_out) in y.lanes(axis).into_iter().zip(out.lanes_mut(axis)) {
        for (i, (start, w)) in stencils.iter().enumerate() {
            lane_out[i] = w
                .iter()
                .enumerate()
                .map(|(j, wj)| wj * lane[start + j])
                .sum();
        }
    }
    Ok(out)
}

/// The `n` sample positions of the grid, checked.
fn positions(grid: Grid<'_>, n: usize) -> Result<Vec<f64>, NumericError> {
    match grid {
        Grid::Uniform(dx) if dx > 0.0 && dx.is_finite() => {
            Ok((0..n).map(|i| i as f64 * dx).collect())
        }
        Grid::Uniform(_) => Err(NumericError::Grid {
            reason: "spacing must be positive and finite",
            index: 0,
        }),
        Grid::Points(x) if x.len() != n => Err(NumericError::Grid {
            reason: "length differs from the number of samples along the axis",
            index: x.len(),
        }),
        Grid::Points(x) => {
            if let Some(i) = (0..n).find(|&i| !x[i].is_finite() || (i > 0 && x[i] <= x[i - 1])) {
                return Err(NumericError::Grid {
                    reason: "positions must be finite and strictly increasing",
                    index: i,
                });
            }
            Ok(x.to_vec())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array1, Array2};

    const GRID: [f64; 8] = [-1.0, -0.7, -0.1, 0.0, 0.35, 1.0, 1.2, 2.5];

    #[test]
    fn second_order_is_exact_for_quadratics_on_a_non_uniform_grid() {
        let y: Array1<f64> = GRID.iter().map(|x| 3.0 * x * x - 2.0 * x + 1.0).collect();
        let d = sampled_derivative(&y, Grid::Points(&GRID), Axis(0), Accuracy::Second).unwrap();
        for (di, x) in d.iter().zip(GRID) {
            assert!((di - (6.0 * x - 2.0)).abs() < 1e-12, "at {x}: {di}");
        }
    }

    #[test]
    fn fourth_order_is_exact_for_quartics_on_a_non_uniform_grid() {
        let p = |x: f64| x.powi(4) - 2.0 * x.powi(3) + 0.5 * x * x - x + 4.0;
        let dp = |x: f64| 4.0 * x.powi(3) - 6.0 * x * x + x - 1.0;
        let y: Array1<f64> = GRID.iter().map(|&x| p(x)).collect();
        let d = sampled_derivative(&y, Grid::Points(&GRID), Axis(0), Accuracy::Fourth).unwrap();
        for (di, x) in d.iter().zip(GRID) {
            assert!((di - dp(x)).abs() < 1e-11, "at {x}: {di} vs {}", dp(x));
        }
    }

    #[test]
    fn second_order_edges_are_not_exact_for_cubics() {
        let y: Array1<f64> = GRID.iter().map(|x| x.powi(3)).collect();
        let d = sampled_derivative(&y, Grid::Points(&GRID), Axis(0), Accuracy::Second).unwrap();
        assert!((d[0] - 3.0).abs() > 1e-3);
    }

    #[test]
    fn derivatives_along_either_axis_of_a_matrix() {
        // y[i][j] = i² + 10·j³ on unit spacing: d/di = 2i, d/dj = 30j² (fourth order: exact).
        let y = Array2::from_shape_fn((6, 7), |(i, j)| (i * i) as f64 + 10.0 * (j as f64).powi(3));
        let di = sampled_derivative(&y, Grid::Uniform(1.0), Axis(0), Accuracy::Second).unwrap();
        let dj = sampled_derivative(&y, Grid::Uniform(1.0), Axis(1), Accuracy::Fourth).unwrap();
        for ((i, j), v) in di.indexed_iter() {
            assert!((v - 2.0 * i as f64).abs() < 1e-10);
            assert!((dj[[i, j]] - 30.0 * (j * j) as f64).abs() < 1e-9);
        }
    }

    #[test]
    fn bad_grids_and_axes_are_errors() {
        let y = Array1::from(vec![1.0, 2.0, 3.0, 4.0]);
        let err = |g, a, acc| sampled_derivative(&y, g, Axis(a), acc).unwrap_err();
        assert_eq!(
            err(Grid::Uniform(1.0), 0, Accuracy::Fourth),
            NumericError::TooFewSamples {
                found: 4,
                needed: 5
            }
        );
        assert_eq!(
            err(Grid::Uniform(1.0), 1, Accuracy::Second),
            NumericError::AxisOutOfRange { axis: 1, ndim: 1 }
        );
        assert!(matches!(
            err(Grid::Uniform(0.0), 0, Accuracy::Second),
            NumericError::Grid { .. }
        ));
        let unsorted = [0.0, 2.0, 1.0, 3.0];
        assert!(matches!(
            err(Grid::Points(&unsorted), 0, Accuracy::Second),
            NumericError::Grid { index: 2, .. }
        ));
        assert!(matches!(
            err(Grid::Points(&[0.0, 1.0]), 0, Accuracy::Second),
            NumericError::Grid { index: 2, .. }
        ));
    }
}
