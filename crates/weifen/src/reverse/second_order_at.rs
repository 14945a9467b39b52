//! A recording linearised at a point: value, gradient, Hessian–vector products and Hessians
//! from one replay.

use super::pattern::recorded_hessian_pattern;
use super::record::ReplayError;
use super::replay::Recording;
use crate::Real;
use crate::error::{LengthError, check_length};
use crate::forward::CHUNK;
use crate::sparse::compressed::{csr, guard};
use crate::sparse::{CsMat, HessianSparsity, SparseError};
use ndarray::Array2;

/// How a Hessian is assembled from Hessian–vector products on one recording.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum HessianStrategy {
    /// [`Dense`](Self::Dense) up to [`DENSE_UP_TO`] inputs; above, detect the pattern and
    /// use [`Sparse`](Self::Sparse) if its star colouring needs fewer sweeps than the dense
    /// Hessian (detection gives up, and the dense Hessian is computed, once it has cost about
    /// as much as the dense Hessian would).
    #[default]
    Auto,
    /// `⌈n/CHUNK⌉` batches of `CHUNK` products with the unit vectors.
    Dense,
    /// The pattern read off the recording (its operations replayed on
    /// [`Tracer`](crate::sparse::Tracer)s), star-coloured; one product per colour (in
    /// batches of up to `CHUNK`), each entry read directly from the compressed matrix.
    Sparse,
}

/// [`HessianStrategy::Auto`] computes Hessians of at most this many inputs densely, without
/// detecting their pattern.
pub const DENSE_UP_TO: usize = 64;

/// A [`Recording`] linearised at a point (see [`Recording::second_order`]): `f(x)`, `∇f(x)`,
/// and any number of Hessian–vector products `H(x)·v` at the cost of two sweeps without
/// op dispatch each (`CHUNK` of them share the sweeps in [`hvps`](Self::hvps)).
///
/// ```
/// use weifen::{reverse, Scalar};
///
/// // f = x²y + y³: H(1, 2) = [[4, 2], [2, 12]]
/// let mut rec = reverse::record(|x| x[0] * x[0] * x[1] + x[1].powi(3), &[1.0, 2.0]);
/// let mut at = rec.second_order(&[1.0, 2.0]).unwrap();
/// assert_eq!(at.value(), 10.0);
/// assert_eq!(at.gradient(), vec![4.0, 13.0]);
/// assert_eq!(at.hvp(&[1.0, 0.0]), Ok(vec![4.0, 2.0]));
/// assert_eq!(at.hvp(&[0.0, 1.0]), Ok(vec![2.0, 12.0]));
/// let mut hv = [[0.0; 2]; 2];
/// at.hvps(&[[1.0, 1.0], [0.0, -1.0]], &mut hv).unwrap(); // H·(1, 0) and H·(1, −1)
/// assert_eq!(hv, [[4.0, 2.0], [2.0, -10.0]]);
/// ```
#[derive(Debug)]
pub struct SecondOrder<'r, S: Real = f64> {
    recording: &'r mut Recording<S>,
}

impl<S: Real> Recording<S> {
    /// Replays the recording at `x` and linearises it there, for Hessian–vector products
    /// and Hessians: one replay, one first-order sweep and one pass that evaluates each op's
    /// rule on dual numbers (its second partials).
    ///
    /// # Errors
    /// As [`value_and_gradient`](Self::value_and_gradient).
    pub fn second_order(&mut self, x: &[S]) -> Result<SecondOrder<'_, S>, ReplayError> {
        self.tape.nodes.get_mut().replay(x)?;
        Ok(self.linearize())
    }

    /// Linearises at the values the tape holds (those of the recording or of the last
    /// replay).
    pub(crate) fn linearize(&mut self) -> SecondOrder<'_, S> {
        let nodes = self.tape.nodes.get_mut();
        let (inputs, output, constant) = (self.inputs, self.output, self.constant_output);
        self.linear.prepare(nodes, inputs, output, constant);
        SecondOrder { recording: self }
    }

    /// `H(x)·v`: one replay and one Hessian–vector product (for many directions at one point,
    /// use [`second_order`](Self::second_order) once).
    ///
    /// # Errors
    /// As [`value_and_gradient`](Self::value_and_gradient), and
    /// [`ReplayError::WrongLength`] if `v` has another length than `x`.
    pub fn hvp(&mut self, x: &[S], v: &[S]) -> Result<Vec<S>, ReplayError> {
        check_length(
            "the direction",
            "the recording's inputs",
            self.inputs,
            v.len(),
        )
        .map_err(ReplayError::WrongLength)?;
        let mut at = self.second_order(x)?;
        Ok(at.hvp(v).expect("length checked"))
    }

    /// `(f(x), ∇f(x), H(x))` from one replay, the Hessian by [`HessianStrategy::Auto`].
    ///
    /// # Errors
    /// As [`value_and_gradient`](Self::value_and_gradient).
    pub fn value_gradient_and_hessian(
        &mut self,
        x: &[S],
    ) -> Result<(S, Vec<S>, Array2<S>), ReplayError> {
        let mut at = self.second_order(x)?;
        let h = at.hessian();
        Ok((at.value(), at.gradient(), h))
    }
}

impl<S: Real> SecondOrder<'_, S> {
    /// `f(x)`.
    pub fn value(&self) -> S {
        self.recording.linear.value()
    }

    /// `∇f(x)`.
    pub fn gradient(&self) -> Vec<S> {
        let mut g = vec![S::constant(0.0); self.recording.inputs];
        self.recording.linear.gradient_into(&mut g);
        g
    }

    /// `H(x)·v`.
    ///
    /// # Errors
    /// [`LengthError`] if `v` has another length than `x`.
    pub fn hvp(&mut self, v: &[S]) -> Result<Vec<S>, LengthError> {
        let mut out = vec![S::constant(0.0); v.len()];
        self.hvp_into(v, &mut out)?;
        Ok(out)
    }

    /// `H(x)·v` into `out`, allocating nothing once the buffers have grown.
    ///
    /// # Errors
    /// [`LengthError`] if `v` or `out` has another length than `x`.
    pub fn hvp_into(&mut self, v: &[S], out: &mut [S]) -> Result<(), LengthError> {
        let n = self.recording.inputs;
        check_length("hvp vector", "the input x", n, v.len())?;
        check_length("hvp output", "the input x", n, out.len())?;
        self.recording
            .linear
            .hvps::<1>(|j, _| v[j], |j, _, h| out[j] = h);
        Ok(())
    }

    /// `N` Hessian–vector products in one pair of sweeps: `v[j][k]` is component `j` of
    /// direction `k`, and on return `out[j][k] = (H·v_k)ⱼ`. Each node's partials and weights
    /// are read once for the `N` directions, which is where the batch saves.
    ///
    /// # Errors
    /// [`LengthError`] if `v` or `out` has another length than `x`.
    pub fn hvps<const N: usize>(
        &mut self,
        v: &[[S; N]],
        out: &mut [[S; N]],
    ) -> Result<(), LengthError> {
        let n = self.recording.inputs;
        check_length("hvps directions", "the input x", n, v.len())?;
        check_length("hvps output", "the input x", n, out.len())?;
        self.recording
            .linear
            .hvps::<N>(|j, k| v[j][k], |j, k, h| out[j][k] = h);
        Ok(())
    }

    /// The Hessian `H(x)`, by [`HessianStrategy::Auto`].
    pub fn hessian(&mut self) -> Array2<S> {
        self.hessian_with(HessianStrategy::Auto)
    }

    /// The Hessian `H(x)` by the given strategy. It is exactly symmetric: each entry is
    /// computed once and mirrored.
    pub fn hessian_with(&mut self, strategy: HessianStrategy) -> Array2<S> {
        let n = self.recording.inputs;
        let budget = match strategy {
            HessianStrategy::Dense => return self.dense(),
            HessianStrategy::Auto if n <= DENSE_UP_TO => return self.dense(),
            HessianStrategy::Auto => {
                // About the dense Hessian's cost in node visits per lane.
                let len = self.recording.tape.len();
                n.div_ceil(CHUNK).saturating_mul(len).saturating_mul(CHUNK)
            }
            HessianStrategy::Sparse => usize::MAX,
        };
        let nodes = self.recording.tape.nodes.get_mut();
        let pattern = recorded_hessian_pattern(nodes, n, self.recording.output, budget);
        let Some(sparsity) = pattern.and_then(|p| HessianSparsity::new(p).ok()) else {
            return self.dense();
        };
        let colors = sparsity.coloring().count();
        if strategy == HessianStrategy::Auto && colors.div_ceil(CHUNK) >= n.div_ceil(CHUNK) {
            return self.dense();
        }
        self.sparse_to_dense(&sparsity)
    }

    /// The dense Hessian: products with the unit vectors, `CHUNK` at a time (the last batch
    /// 1, 2 or 4 wide when that covers the rest); column `c` gives the entries on and below
    /// the diagonal, mirrored above.
    fn dense(&mut self) -> Array2<S> {
        let n = self.recording.inputs;
        let mut h = Array2::from_elem((n, n), S::constant(0.0));
        let mut start = 0;
        while start < n {
            start += match n - start {
                1 => self.unit_columns::<1>(start, &mut h),
                2 => self.unit_columns::<2>(start, &mut h),
                3..=4 => self.unit_columns::<4>(start, &mut h),
                _ => self.unit_columns::<CHUNK>(start, &mut h),
            };
        }
        h
    }

    /// Columns `start..start + N` of the Hessian (on and below the diagonal, mirrored) from
    /// one batch of products with unit vectors; returns `N`.
    fn unit_columns<const N: usize>(&mut self, start: usize, h: &mut Array2<S>) -> usize {
        let n = self.recording.inputs;
        let unit = |j: usize, k: usize| S::constant(f64::from(u8::from(j == start + k)));
        self.recording.linear.hvps::<N>(unit, |j, k, v| {
            let c = start + k;
            if c < n && j >= c {
                h[[j, c]] = v;
                h[[c, j]] = v;
            }
        });
        N
    }

    /// The compressed Hessian `B = H·S` of `sparsity`'s colouring, `b[r·p + c] = (H·s_c)[r]`
    /// with `s_c` the sum of the unit vectors of colour `c`: one product per colour, in
    /// batches of 1, 2, 4 or `CHUNK`.
    fn compressed_matrix(&mut self, sparsity: &HessianSparsity) -> Vec<S> {
        match sparsity.coloring().count() {
            0..=1 => self.compressed::<1>(sparsity),
            2 => self.compressed::<2>(sparsity),
            3..=4 => self.compressed::<4>(sparsity),
            _ => self.compressed::<CHUNK>(sparsity),
        }
    }

    fn compressed<const N: usize>(&mut self, sparsity: &HessianSparsity) -> Vec<S> {
        let n = self.recording.inputs;
        let colors = sparsity.coloring().colors();
        let p = sparsity.coloring().count();
        let mut b = vec![S::constant(0.0); n * p];
        let linear = &mut self.recording.linear;
        for start in (0..p).step_by(N) {
            let seed =
                |j: usize, k: usize| S::constant(f64::from(u8::from(colors[j] == start + k)));
            linear.hvps::<N>(seed, |j, k, v| {
                if start + k < p {
                    b[j * p + start + k] = v;
                }
            });
        }
        b
    }

    /// The dense Hessian from the compressed one, each entry on and above the diagonal read
    /// directly (star colouring) and mirrored.
    fn sparse_to_dense(&mut self, sparsity: &HessianSparsity) -> Array2<S> {
        let n = self.recording.inputs;
        let p = sparsity.coloring().count();
        let b = self.compressed_matrix(sparsity);
        let mut h = Array2::from_elem((n, n), S::constant(0.0));
        for ((i, j), &(r, c)) in sparsity.pattern().positions().zip(sparsity.read()) {
            if i <= j {
                h[[i, j]] = b[r * p + c];
                h[[j, i]] = b[r * p + c];
            }
        }
        h
    }
}

impl SecondOrder<'_, f64> {
    /// The Hessian with `sparsity`'s pattern as a CSR matrix: one Hessian–vector product per
    /// colour of its star colouring (batched), each entry read directly from the compressed
    /// matrix. Every compressed entry outside the pattern is checked to be zero.
    ///
    /// # Errors
    /// * [`SparseError::Length`] if the pattern's size is not the number of inputs;
    /// * [`SparseError::PatternChanged`] if a product has a nonzero in a row and colour
    ///   group where the pattern has none (the pattern was detected on another branch). A
    ///   stray nonzero in a group already present in its row goes undetected, as for
    ///   [`sparse_hessian_with`](crate::sparse::sparse_hessian_with).
    ///
    /// ```
    /// use weifen::sparse::HessianSparsity;
    /// use weifen::{reverse, Scalar};
    ///
    /// fn chain<S: Scalar>(x: &[S]) -> S {
    ///     x.windows(2).fold(S::constant(0.0), |s, w| s + w[0].clone() * w[1].clone().sin())
    /// }
    /// let x = [0.3, 0.7, 1.1];
    /// let s = HessianSparsity::detect(|x| chain(x), &x);
    /// let mut rec = reverse::record(|x| chain(x), &x);
    /// let h = rec.second_order(&x).unwrap().sparse_hessian(&s).unwrap();
    /// assert_eq!(h.get(0, 1), Some(&0.7f64.cos()));
    /// assert_eq!(h.get(0, 2), None);
    /// ```
    pub fn sparse_hessian(
        &mut self,
        sparsity: &HessianSparsity,
    ) -> Result<CsMat<f64>, SparseError> {
        let n = self.recording.inputs;
        let pattern = sparsity.pattern();
        check_length(
            "the point x",
            "the Hessian pattern's size",
            pattern.ncols(),
            n,
        )?;
        let colors = sparsity.coloring().colors();
        let p = sparsity.coloring().count();
        let b = self.compressed_matrix(sparsity);
        let mut present = vec![usize::MAX; p];
        for r in 0..n {
            guard(r, pattern.row(r), colors, 0..p, &mut present, |c| {
                b[r * p + c]
            })?;
        }
        let values = sparsity.read().iter().map(|&(r, c)| b[r * p + c]).collect();
        Ok(csr(pattern, values))
    }
}
