//! Diagonal Hessians: the value, the gradient and the Hessian's diagonal from one recording.
//!
//! When the pattern is diagonal, its star colouring has one colour and `H·1` (the Hessian
//! times the vector of ones) is the diagonal. Reverse over forward gives it with the gradient:
//! `f` runs once on dual numbers of tape variables, every tangent 1; the result's value is `f`
//! and its tangent is `∇f·1`; one backward sweep from the value gives `∇f`, one from the
//! tangent gives `H·1`. Two sweeps of one tape, against one recording and one sweep for the
//! gradient plus as much again for the Hessian in [`sparse_hessian_with`](super::sparse_hessian_with).

use super::{HessianSparsity, SparseError};
use crate::error::check_length;
use crate::forward::Dual;
use crate::reverse::{Tape, Var};

/// A diagonal Hessian's pattern with the memory its evaluations reuse: the tape and the
/// adjoint vector (as [`Workspace`](crate::reverse::Workspace) keeps them for gradients), so
/// that evaluations in a loop allocate only the vectors they return.
///
/// ```
/// use weifen::sparse::{DiagonalHessian, HessianSparsity};
/// use weifen::Scalar;
///
/// // f = Σ xᵢ⁴: ∂f/∂xᵢ = 4xᵢ³, ∂²f/∂xᵢ² = 12xᵢ².
/// fn f<S: Scalar>(x: &[S]) -> S {
///     x.iter().fold(S::constant(0.0), |s, xi| s + xi.clone().powi(4))
/// }
/// let mut h = DiagonalHessian::new(HessianSparsity::detect(|x| f(x), &[1.0; 3])).unwrap();
/// for k in 1..4 {
///     let x = [f64::from(k), 0.5, -2.0];
///     let (y, g, d) = h.value_gradient_and_diagonal(|x| f(x), &x).unwrap();
///     assert_eq!(y, f(&x));
///     assert_eq!(g[0], 4.0 * x[0].powi(3));
///     assert_eq!(d[2], 48.0);
/// }
/// ```
#[derive(Debug)]
pub struct DiagonalHessian {
    sparsity: HessianSparsity,
    tape: Tape,
    adjoints: Vec<f64>,
}

impl DiagonalHessian {
    /// Keeps `sparsity` for evaluations.
    ///
    /// # Errors
    /// [`SparseError::OffDiagonal`] if the pattern has an entry off the diagonal (the
    /// diagonal of such a Hessian needs one colour per group: use
    /// [`sparse_hessian_with`](super::sparse_hessian_with)).
    pub fn new(sparsity: HessianSparsity) -> Result<Self, SparseError> {
        if let Some((row, column)) = sparsity.pattern().positions().find(|&(i, j)| i != j) {
            return Err(SparseError::OffDiagonal { row, column });
        }
        Ok(DiagonalHessian {
            sparsity,
            tape: Tape::new(),
            adjoints: Vec::new(),
        })
    }

    /// The pattern, diagonal.
    pub fn sparsity(&self) -> &HessianSparsity {
        &self.sparsity
    }

    /// `(f(x), ∇f(x), diag ∇²f(x))`: see [`value_gradient_and_hessian_diagonal`].
    ///
    /// # Errors
    /// [`SparseError::Length`] if `x` does not match the pattern.
    pub fn value_gradient_and_diagonal(
        &mut self,
        f: impl for<'t> Fn(&[Dual<Var<'t>>]) -> Dual<Var<'t>>,
        x: &[f64],
    ) -> Result<(f64, Vec<f64>, Vec<f64>), SparseError> {
        check_length(
            "the point x",
            "the Hessian pattern's size",
            self.sparsity.pattern().ncols(),
            x.len(),
        )?;
        self.tape.clear();
        let (value, outputs) = {
            let vars = self.tape.vars(x);
            let one = Var::constant_of(1.0);
            let seeded: Vec<Dual<Var<'_>>> = vars.iter().map(|&v| Dual::new(v, one)).collect();
            let y = f(&seeded);
            (y.value.primal(), [y.value.index(), y.tangent.index()])
        };
        // Inputs are nodes 1..=n, in order; an output that is a constant has no node and
        // all-zero derivatives.
        let mut sweep = |output: Option<u32>| {
            let adjoints = &mut self.adjoints;
            adjoints.clear();
            adjoints.resize(self.tape.len() + 1, 0.0);
            match output {
                Some(out) => {
                    adjoints[out as usize] = 1.0;
                    self.tape.sweep(adjoints);
                    adjoints[1..=x.len()].to_vec()
                }
                None => vec![0.0; x.len()],
            }
        };
        let gradient = sweep(outputs[0]);
        let diagonal = sweep(outputs[1]);
        Ok((value, gradient, diagonal))
    }
}

/// `(f(x), ∇f(x), diag ∇²f(x))` for a function whose Hessian `sparsity` is diagonal
/// (detect it with [`HessianSparsity::detect`]): one recording of `f` on `Dual<Var>`s with
/// every tangent 1, and two backward sweeps, from the value (`∇f`) and from the tangent
/// (`∇²f·1`, the diagonal since nothing lies off it). [`DiagonalHessian`] keeps the memory
/// between calls.
///
/// # Errors
/// * [`SparseError::Length`] if `x` does not match the pattern;
/// * [`SparseError::OffDiagonal`] if the pattern has an entry off the diagonal (the
///   diagonal of such a Hessian needs one colour per group: use
///   [`sparse_hessian_with`](super::sparse_hessian_with)).
///
/// As for every pattern, it must hold at `x`: a function that branches differently there
/// may couple variables the detection saw apart, and their products would add into the
/// diagonal unnoticed; detect again where branches may change.
///
/// ```
/// use weifen::sparse::{value_gradient_and_hessian_diagonal, HessianSparsity};
/// use weifen::Scalar;
///
/// // f = Σ xᵢ³ + sin xᵢ: ∂f/∂xᵢ = 3xᵢ² + cos xᵢ, ∂²f/∂xᵢ² = 6xᵢ − sin xᵢ.
/// fn f<S: Scalar>(x: &[S]) -> S {
///     x.iter().fold(S::constant(0.0), |s, xi| s + xi.clone().powi(3) + xi.clone().sin())
/// }
/// let x = [0.5, -1.0, 2.0];
/// let s = HessianSparsity::detect(|x| f(x), &x);
/// let (y, g, h) = value_gradient_and_hessian_diagonal(&s, |x| f(x), &x).unwrap();
/// assert_eq!(y, f(&x));
/// for i in 0..3 {
///     assert!((g[i] - (3.0 * x[i] * x[i] + x[i].cos())).abs() < 1e-14);
///     assert!((h[i] - (6.0 * x[i] - x[i].sin())).abs() < 1e-14);
/// }
/// ```
pub fn value_gradient_and_hessian_diagonal(
    sparsity: &HessianSparsity,
    f: impl for<'t> Fn(&[Dual<Var<'t>>]) -> Dual<Var<'t>>,
    x: &[f64],
) -> Result<(f64, Vec<f64>, Vec<f64>), SparseError> {
    DiagonalHessian::new(sparsity.clone())?.value_gradient_and_diagonal(f, x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scalar;
    use crate::sparse::{SparsityPattern, Tracer, sparse_hessian};

    /// Separable: each term depends on one variable, through products and quotients.
    fn separable<S: Scalar>(x: &[S]) -> S {
        let mut s = S::constant(0.0);
        for (i, xi) in x.iter().enumerate() {
            let c = 1.0 + i as f64;
            s = s + xi.clone().exp() * c + (xi.clone() * xi.clone()) / (xi.clone() + 3.0);
        }
        s
    }

    struct Separable;
    impl crate::MultivariateFn for Separable {
        fn eval<S: Scalar>(&self, x: &[S]) -> S {
            separable(x)
        }
    }

    #[test]
    fn diagonal_matches_the_closed_form() {
        // d/dx [c eˣ + x²/(x + 3)] = c eˣ + (x² + 6x)/(x + 3)²; d² = c eˣ + 18/(x + 3)³.
        let x = [0.25, -0.5, 1.5, 2.0];
        let s = HessianSparsity::detect(separable, &x);
        let (y, g, h) = value_gradient_and_hessian_diagonal(&s, |x| separable(x), &x).unwrap();
        assert_eq!(y, separable(&x));
        for (i, &xi) in x.iter().enumerate() {
            let c = 1.0 + i as f64;
            let g_exact = c * xi.exp() + (xi * xi + 6.0 * xi) / (xi + 3.0).powi(2);
            let h_exact = c * xi.exp() + 18.0 / (xi + 3.0).powi(3);
            assert!((g[i] - g_exact).abs() < 1e-13, "g[{i}]");
            assert!((h[i] - h_exact).abs() < 1e-13, "h[{i}]");
        }
    }

    #[test]
    fn diagonal_matches_the_sparse_hessian() {
        let x = [0.7, -1.25, 0.1];
        let (full, s) = sparse_hessian(&Separable, &x);
        assert_eq!(s.coloring().count(), 1);
        let (_, _, h) = value_gradient_and_hessian_diagonal(&s, |x| separable(x), &x).unwrap();
        for (i, hi) in h.iter().enumerate() {
            assert!((hi - full.get(i, i).unwrap()).abs() < 1e-13);
        }
    }

    #[test]
    fn a_pattern_off_the_diagonal_is_refused() {
        let x = [1.0, 2.0];
        let s = HessianSparsity::detect(|x| x[0].clone() * x[1].clone(), &x);
        let e = value_gradient_and_hessian_diagonal(&s, |x| x[0] * x[1], &x).unwrap_err();
        assert_eq!(e, SparseError::OffDiagonal { row: 0, column: 1 });
        assert!(e.to_string().contains("(0, 1)"));
    }

    #[test]
    fn a_reused_workspace_gives_the_same_answers() {
        let mut h = DiagonalHessian::new(HessianSparsity::detect(separable, &[1.0; 4])).unwrap();
        for x in [
            [0.25, -0.5, 1.5, 2.0],
            [1.0, 0.0, -2.0, 0.5],
            [0.25, -0.5, 1.5, 2.0],
        ] {
            let fresh = value_gradient_and_hessian_diagonal(h.sparsity(), |x| separable(x), &x);
            assert_eq!(h.value_gradient_and_diagonal(|x| separable(x), &x), fresh);
        }
    }

    #[test]
    fn a_constant_function_has_zero_derivatives() {
        let s = HessianSparsity::detect(|_| Tracer::constant(3.0), &[1.0, 2.0]);
        let r = value_gradient_and_hessian_diagonal(&s, |_| Dual::constant(3.0), &[1.0, 2.0]);
        assert_eq!(r, Ok((3.0, vec![0.0; 2], vec![0.0; 2])));
    }

    #[test]
    fn a_point_of_the_wrong_length_is_refused() {
        let s = HessianSparsity::new(SparsityPattern::new(2, 2, vec![vec![0], vec![1]]).unwrap())
            .unwrap();
        let e = value_gradient_and_hessian_diagonal(&s, |x| x[0], &[1.0]).unwrap_err();
        assert!(matches!(e, SparseError::Length(_)));
    }
}
