//! Matrix products: `matmul` (batched, broadcasting the batch dimensions, as `torch.matmul`),
//! `dot`, `outer`.
//!
//! The rule of `C = A·B` is `∂A = ∂C·Bᵀ`, `∂B = Aᵀ·∂C`, reduced to each input's shape when
//! batch dimensions were broadcast; it is written with `matmul` itself, so it differentiates
//! again. Vectors are promoted to matrices by `unsqueeze` and the added dimension removed
//! after, as NumPy does; `dot` and `outer` are compositions.

use super::buffer;
use super::error::or_panic;
use super::graph::{is_grad_enabled, record};
use super::shape::broadcast_shape;
use super::{Element, Tensor, TensorError};
use ndarray::{Array2, Array3, ArrayD, ArrayView2, Axis, Ix2, Ix3, IxDyn};

impl<T: Element> Tensor<T> {
    /// The matrix product, as `torch.matmul`: 1-d·1-d is the dot product, a 1-d operand is a
    /// row (left) or column (right) vector, and leading batch dimensions broadcast.
    ///
    /// ```
    /// use weifen::tensor;
    /// let a = tensor![[1.0, 2.0], [3.0, 4.0]];
    /// let b = tensor![5.0, 6.0];
    /// assert_eq!(a.matmul(&b).to_vec(), vec![17.0, 39.0]);
    /// ```
    ///
    /// # Panics
    /// As [`try_matmul`](Tensor::try_matmul) errs.
    #[track_caller]
    pub fn matmul(&self, rhs: &Tensor<T>) -> Tensor<T> {
        or_panic(self.try_matmul(rhs))
    }

    /// [`matmul`](Tensor::matmul).
    ///
    /// # Errors
    /// [`TensorError::ShapeMismatch`] if an operand is 0-d, the inner dimensions differ, or
    /// the batch dimensions do not broadcast.
    pub fn try_matmul(&self, rhs: &Tensor<T>) -> Result<Tensor<T>, TensorError> {
        let mismatch = || TensorError::ShapeMismatch {
            op: "matmul",
            lhs: self.shape().to_vec(),
            rhs: rhs.shape().to_vec(),
        };
        match (self.ndim(), rhs.ndim()) {
            (0, _) | (_, 0) => Err(mismatch()),
            (1, 1) => self.try_dot(rhs),
            (1, _) => Ok(self
                .unsqueeze(0)
                .try_matmul(rhs)
                .map_err(|_| mismatch())?
                .squeeze(rhs.ndim() - 2)),
            (_, 1) => {
                let r = self.try_matmul(&rhs.unsqueeze(1)).map_err(|_| mismatch())?;
                Ok(r.squeeze(r.ndim() - 1))
            }
            _ => matmul_nd(self, rhs).ok_or_else(mismatch),
        }
    }

    /// `Σᵢ aᵢbᵢ` for two 1-d tensors of one length (a 0-d tensor).
    ///
    /// # Panics
    /// As [`try_dot`](Tensor::try_dot) errs.
    #[track_caller]
    pub fn dot(&self, rhs: &Tensor<T>) -> Tensor<T> {
        or_panic(self.try_dot(rhs))
    }

    /// [`dot`](Tensor::dot).
    ///
    /// # Errors
    /// [`TensorError::ShapeMismatch`] unless both are 1-d of one length.
    pub fn try_dot(&self, rhs: &Tensor<T>) -> Result<Tensor<T>, TensorError> {
        if self.ndim() != 1 || self.shape() != rhs.shape() {
            return Err(TensorError::ShapeMismatch {
                op: "dot",
                lhs: self.shape().to_vec(),
                rhs: rhs.shape().to_vec(),
            });
        }
        Ok((self.clone() * rhs.clone()).sum())
    }

    /// `aᵢbⱼ` for two 1-d tensors (shape `[n, m]`).
    ///
    /// # Panics
    /// As [`try_outer`](Tensor::try_outer) errs.
    #[track_caller]
    pub fn outer(&self, rhs: &Tensor<T>) -> Tensor<T> {
        or_panic(self.try_outer(rhs))
    }

    /// [`outer`](Tensor::outer).
    ///
    /// # Errors
    /// [`TensorError::ShapeMismatch`] unless both are 1-d.
    pub fn try_outer(&self, rhs: &Tensor<T>) -> Result<Tensor<T>, TensorError> {
        if self.ndim() != 1 || rhs.ndim() != 1 {
            return Err(TensorError::ShapeMismatch {
                op: "outer",
                lhs: self.shape().to_vec(),
                rhs: rhs.shape().to_vec(),
            });
        }
        Ok(self.unsqueeze(1) * rhs.unsqueeze(0))
    }

    /// The last two dimensions swapped (`mT`).
    fn mt(&self) -> Tensor<T> {
        self.transpose(self.ndim() - 2, self.ndim() - 1)
    }
}

/// `[..., n, k] · [..., k, m]` with broadcast batch dimensions; `None` on a shape mismatch.
fn matmul_nd<T: Element>(a: &Tensor<T>, b: &Tensor<T>) -> Option<Tensor<T>> {
    let (sa, sb) = (a.shape(), b.shape());
    let (n, k) = (sa[sa.len() - 2], sa[sa.len() - 1]);
    let (k2, m) = (sb[sb.len() - 2], sb[sb.len() - 1]);
    if k != k2 {
        return None;
    }
    if sa.len() == 2 && sb.len() == 2 {
        // No batch: the product reads both operands in place, whatever their strides
        // (a transposed operand is not copied).
        let av = a.data.view().into_dimensionality::<Ix2>().ok()?;
        let bv = b.data.view().into_dimensionality::<Ix2>().ok()?;
        return Some(record_matmul(a, b, product(&av, &bv)));
    }
    let batch = broadcast_shape("matmul", &sa[..sa.len() - 2], &sb[..sb.len() - 2]).ok()?;
    let count: usize = batch.iter().product();
    let flat = |t: &Tensor<T>, r: usize, c: usize| -> Array3<T> {
        let shape: Vec<usize> = batch.iter().copied().chain([r, c]).collect();
        let v = t
            .data
            .broadcast(IxDyn(&shape))
            .expect("batch shape checked");
        v.to_shape((count, r, c))
            .expect("same element count")
            .into_owned()
    };
    let (fa, fb) = (flat(a, n, k), flat(b, k, m));
    let mut out = Array3::<T>::zeros((count, n, m));
    for (i, mut o) in out.axis_iter_mut(Axis(0)).enumerate() {
        let ai = fa.index_axis(Axis(0), i);
        let bi = fb.index_axis(Axis(0), i);
        ndarray::linalg::general_mat_mul(T::one(), &ai, &bi, T::zero(), &mut o);
    }
    let shape: Vec<usize> = batch.iter().copied().chain([n, m]).collect();
    let out: ArrayD<T> = out
        .into_dimensionality::<Ix3>()
        .ok()?
        .into_shape_with_order(IxDyn(&shape))
        .ok()?;
    Some(record_matmul(a, b, out))
}

/// The product `out = a·b`, recorded with its rule.
fn record_matmul<T: Element>(a: &Tensor<T>, b: &Tensor<T>, out: ArrayD<T>) -> Tensor<T> {
    record(
        "matmul",
        &[a, b],
        out,
        Box::new(|inputs, _, g| {
            let (a, b) = (&inputs[0], &inputs[1]);
            if let (false, Some(av), Some(bv), Some(gv)) =
                (is_grad_enabled(), matrix(a), matrix(b), matrix(g))
            {
                // Not recorded (no create_graph): the products read the transposes in place
                // rather than copying them, which at a wide constant operand (the data of a
                // model) costs more than the product itself.
                return vec![
                    a.requires_grad()
                        .then(|| Tensor::from_data(product(&gv, &bv.t()))),
                    b.requires_grad()
                        .then(|| Tensor::from_data(product(&av.t(), &gv))),
                ];
            }
            vec![
                a.requires_grad()
                    .then(|| g.matmul(&b.mt()).sum_to(a.shape())),
                b.requires_grad()
                    .then(|| a.mt().matmul(g).sum_to(b.shape())),
            ]
        }),
    )
}

/// A 2-d tensor's array as a matrix view; `None` for any other dimension.
fn matrix<T: Element>(t: &Tensor<T>) -> Option<ArrayView2<'_, T>> {
    t.data.view().into_dimensionality::<Ix2>().ok()
}

/// Products with at least this many multiply-adds are split over the threads.
const PARALLEL_PRODUCT_MIN: usize = 1 << 22;

/// `a·b` into a zeroed array from the pool of freed buffers. A large product is split into
/// one block of columns (of `b` and the result) per thread, or of rows (of `a`) when `a` is
/// the taller operand, so that each thread packs only its share of the larger operand.
fn product<T: Element>(a: &ArrayView2<'_, T>, b: &ArrayView2<'_, T>) -> ArrayD<T> {
    use ndarray::linalg::general_mat_mul;
    use rayon::prelude::*;
    let (n, k, m) = (a.nrows(), a.ncols(), b.ncols());
    let mut out = Array2::from_shape_vec((n, m), buffer::take(n * m)).expect("n·m zeros");
    let threads = rayon::current_num_threads();
    if n * k * m < PARALLEL_PRODUCT_MIN || threads < 2 {
        general_mat_mul(T::one(), a, b, T::zero(), &mut out);
    } else if m >= n {
        let width = m.div_ceil(threads);
        let mut outs: Vec<_> = out.axis_chunks_iter_mut(Axis(1), width).collect();
        let bs: Vec<_> = b.axis_chunks_iter(Axis(1), width).collect();
        outs.par_iter_mut()
            .zip(bs.par_iter())
            .for_each(|(o, b)| general_mat_mul(T::one(), a, b, T::zero(), o));
    } else {
        let height = n.div_ceil(threads);
        let mut outs: Vec<_> = out.axis_chunks_iter_mut(Axis(0), height).collect();
        let as_: Vec<_> = a.axis_chunks_iter(Axis(0), height).collect();
        outs.par_iter_mut()
            .zip(as_.par_iter())
            .for_each(|(o, a)| general_mat_mul(T::one(), a, b, T::zero(), o));
    }
    out.into_dyn()
}

#[cfg(test)]
mod tests {
    use crate::tensor::{GradOptions, Tensor, grad};

    #[test]
    fn products_split_over_threads_match_the_sum_of_products() {
        // Above the threshold either way (wide and tall); each entry is Σ_j a[i, j] b[j, m].
        for (n, k, m) in [(40, 300, 400), (400, 300, 40)] {
            let a = Tensor::randn(&[n, k], 7);
            let b = Tensor::randn(&[k, m], 8);
            let c = a.matmul(&b);
            for (i, l) in [(0, 0), (n - 1, m - 1), (n / 2, m / 3), (n / 3, m / 2)] {
                let s: f64 = (0..k).map(|j| a.at(&[i, j]) * b.at(&[j, l])).sum();
                assert!((c.at(&[i, l]) - s).abs() < 1e-12 * (k as f64), "[{i}, {l}]");
            }
        }
    }

    #[test]
    fn matmul_gradients_agree_with_and_without_create_graph() {
        // y = Σ (Aᵀ)·B with Aᵀ a non-contiguous operand: ∂y/∂A[i, j] = Σ_m B[i, m] (row sums of
        // B, since (Aᵀ)[j, i] = A[i, j]), ∂y/∂B[i, m] = Σ_j A[i, j] — closed forms, and the
        // in-place path (no create_graph) must match the recorded one.
        let a = Tensor::randn(&[3, 2], 5).requires_grad_(true);
        let b = Tensor::randn(&[3, 4], 6).requires_grad_(true);
        let run = |create_graph: bool| {
            let y = a.transpose(0, 1).matmul(&b).sum();
            let options = GradOptions {
                create_graph,
                ..Default::default()
            };
            grad(&[&y], &[&a, &b], &[&Tensor::scalar(1.0)], options).unwrap()
        };
        let (plain, recorded) = (run(false), run(true));
        let row_sums_b = b.sum_dim(1, true).expand(&[3, 2]);
        let row_sums_a = a.sum_dim(1, true).expand(&[3, 4]);
        for (g, expected) in [(&plain[0], &row_sums_b), (&plain[1], &row_sums_a)] {
            for (x, y) in g.to_vec().iter().zip(expected.to_vec()) {
                assert!((x - y).abs() < 1e-14);
            }
        }
        for (p, r) in plain.iter().zip(&recorded) {
            for (x, y) in p.to_vec().iter().zip(r.to_vec()) {
                assert!((x - y).abs() < 1e-14);
            }
        }
    }
}
