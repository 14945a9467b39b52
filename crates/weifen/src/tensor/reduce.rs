//! Reductions over all elements or along one dimension (`keepdim` as PyTorch).
//!
//! Rules, written in tensor ops so they differentiate again: `sum` sends the gradient back by
//! broadcasting; `mean` is `sum / n`; `prod` is `g·y/x` (NaN where an element is 0, documented
//! below); `max`/`min` send the gradient to the elements equal to the result, split evenly
//! on ties (the op table's convention for `max`/`min`); `logsumexp` is composed from table
//! ops around the detached maximum, so it needs no rule.

use super::buffer::Buffer;
use super::error::or_panic;
use super::fusion::Fusion;
use super::graph::{is_grad_enabled, record_node};
use super::{Element, Tensor, TensorError, kernel, lazy};
use crate::Scalar;
use ndarray::{ArrayD, Axis, Zip};
use std::sync::Arc;

#[derive(Clone, Copy)]
enum Reduce {
    Sum,
    Prod,
    Max,
    Min,
}

impl Reduce {
    fn name(self) -> &'static str {
        match self {
            Reduce::Sum => "sum",
            Reduce::Prod => "prod",
            Reduce::Max => "max",
            Reduce::Min => "min",
        }
    }

    fn lane<T: Element>(self, x: ndarray::ArrayViewD<'_, T>) -> T {
        // max and min compare in f64, which is exact, and return one of the elements.
        match self {
            Reduce::Sum => x.sum(),
            Reduce::Prod => x.product(),
            Reduce::Max => T::from_f64(x.fold(f64::NEG_INFINITY, |m, &v| max_nan(m, v.to_f64()))),
            Reduce::Min => T::from_f64(x.fold(f64::INFINITY, |m, &v| -max_nan(-m, -v.to_f64()))),
        }
    }
}

/// The larger, NaN if either is NaN (as the op table's `max`).
fn max_nan(m: f64, v: f64) -> f64 {
    if m.is_nan() || v.is_nan() {
        f64::NAN
    } else {
        m.max(v)
    }
}

impl<T: Element> Tensor<T> {
    fn check_dim(&self, op: &'static str, dim: usize) -> Result<(), TensorError> {
        if dim < self.ndim() {
            Ok(())
        } else {
            Err(TensorError::DimOutOfRange {
                op,
                dim,
                ndim: self.ndim(),
            })
        }
    }

    /// The shape of a reduction over everything: 0-d, or ones with `keepdim`.
    fn reduced_shape(&self, keepdim: bool) -> Vec<usize> {
        if keepdim {
            vec![1; self.ndim()]
        } else {
            vec![]
        }
    }

    /// The values of the reduction `r` over everything or along `dim`.
    fn reduced(
        &self,
        r: Reduce,
        dim: Option<usize>,
        keepdim: bool,
    ) -> Result<ArrayD<T>, TensorError> {
        Ok(match dim {
            None => {
                let v = match r {
                    Reduce::Sum => kernel::sum_all(&self.data),
                    _ => r.lane(self.data.view()),
                };
                ArrayD::from_elem(self.reduced_shape(keepdim), v)
            }
            Some(d) => {
                self.check_dim(r.name(), d)?;
                let lanes = Zip::from(self.data.lanes(Axis(d)));
                let y = if self.len() >= kernel::PARALLEL_MIN {
                    lanes.par_map_collect(|l| r.lane(l.into_dyn()))
                } else {
                    lanes.map_collect(|l| r.lane(l.into_dyn()))
                };
                if keepdim { y.insert_axis(Axis(d)) } else { y }
            }
        })
    }

    /// The reduction over everything (`dim = None`, a 0-d result unless `keepdim`) or along
    /// `dim`.
    fn reduce(
        &self,
        r: Reduce,
        dim: Option<usize>,
        keepdim: bool,
    ) -> Result<Tensor<T>, TensorError> {
        // The sum of everything of pending values is pending too (`lazy::sum`).
        let pending = match (r, dim) {
            (Reduce::Sum, None) => lazy::sum(self, &self.reduced_shape(keepdim)),
            _ => None,
        };
        let data = match pending {
            Some(data) => data,
            None => Arc::new(Buffer::new(self.reduced(r, dim, keepdim)?)),
        };
        let shape = self.shape().to_vec();
        let fusion = match (r, dim) {
            (Reduce::Sum, None) => Fusion::SumAll,
            _ => Fusion::None,
        };
        Ok(record_node(
            r.name(),
            &[self],
            data,
            Box::new(move |inputs, y, g| {
                let x = &inputs[0];
                // The result and its gradient with the reduced dimension(s) kept, so that they
                // broadcast against x.
                let keep = |t: &Tensor<T>| match (dim, keepdim) {
                    (Some(d), false) => t.unsqueeze(d),
                    (None, false) => t.reshape(&vec![1; shape.len()]),
                    _ => t.clone(),
                };
                let g = keep(g).expand(&shape);
                // The result, read by the rules that need it only (a sum's value, when
                // pending, stays so).
                let y = || {
                    if is_grad_enabled() {
                        keep(&or_panic(x.reduce(r, dim, keepdim)))
                    } else {
                        keep(y)
                    }
                };
                vec![Some(match r {
                    Reduce::Sum => g,
                    Reduce::Prod => g * y() / x.clone(),
                    Reduce::Max | Reduce::Min => {
                        let mask = x.eq_(y());
                        let count = match dim {
                            Some(d) => mask.sum_dim(d, true),
                            None => mask.sum(),
                        };
                        g * (mask / count)
                    }
                })]
            }),
            fusion,
        ))
    }

    /// The sum of all elements (a 0-d tensor).
    pub fn sum(&self) -> Tensor<T> {
        or_panic(self.reduce(Reduce::Sum, None, false))
    }

    /// The mean of all elements.
    pub fn mean(&self) -> Tensor<T> {
        self.sum() / self.len() as f64
    }

    /// The product of all elements. Its gradient `y/xᵢ` is NaN where an element is 0.
    pub fn prod(&self) -> Tensor<T> {
        or_panic(self.reduce(Reduce::Prod, None, false))
    }

    /// The largest element (NaN if any is NaN); ties share the gradient evenly.
    pub fn max_all(&self) -> Tensor<T> {
        or_panic(self.reduce(Reduce::Max, None, false))
    }

    /// The smallest element (NaN if any is NaN); ties share the gradient evenly.
    pub fn min_all(&self) -> Tensor<T> {
        or_panic(self.reduce(Reduce::Min, None, false))
    }

    /// `ln Σ exp(xᵢ)` over all elements, computed as `m + ln Σ exp(xᵢ − m)` with `m` the
    /// (detached) maximum, so that it neither overflows nor underflows.
    pub fn logsumexp(&self) -> Tensor<T> {
        let m = self.max_all().detach();
        (self.clone() - m.clone()).exp().sum().ln() + m
    }
}

macro_rules! along_dim {
    ($($name:ident $try_name:ident $r:ident $doc:literal;)*) => {$(
        impl<T: Element> Tensor<T> {
            #[doc = $doc]
            #[doc = ""]
            #[doc = "# Panics"]
            #[doc = "If `dim` is out of range, with the message of the `try_` form."]
            #[track_caller]
            pub fn $name(&self, dim: usize, keepdim: bool) -> Tensor<T> {
                or_panic(self.$try_name(dim, keepdim))
            }

            #[doc = $doc]
            #[doc = ""]
            #[doc = "# Errors"]
            #[doc = "[`TensorError::DimOutOfRange`] if `dim` is out of range."]
            pub fn $try_name(&self, dim: usize, keepdim: bool) -> Result<Tensor<T>, TensorError> {
                self.reduce(Reduce::$r, Some(dim), keepdim)
            }
        }
    )*};
}

along_dim! {
    sum_dim try_sum_dim Sum "The sum along `dim` (removed unless `keepdim`).";
    prod_dim try_prod_dim Prod "The product along `dim`; its gradient is NaN where an element is 0.";
    max_dim try_max_dim Max "The maximum along `dim`; ties share the gradient evenly.";
    min_dim try_min_dim Min "The minimum along `dim`; ties share the gradient evenly.";
}

impl<T: Element> Tensor<T> {
    /// The mean along `dim`.
    ///
    /// # Panics
    /// If `dim` is out of range.
    #[track_caller]
    pub fn mean_dim(&self, dim: usize, keepdim: bool) -> Tensor<T> {
        or_panic(self.try_mean_dim(dim, keepdim))
    }

    /// The mean along `dim`.
    ///
    /// # Errors
    /// [`TensorError::DimOutOfRange`] if `dim` is out of range.
    pub fn try_mean_dim(&self, dim: usize, keepdim: bool) -> Result<Tensor<T>, TensorError> {
        let n = self.shape().get(dim).copied().unwrap_or(1) as f64;
        Ok(self.try_sum_dim(dim, keepdim)? / n)
    }

    /// `ln Σ exp` along `dim`, stabilised by the detached maximum along `dim`.
    ///
    /// # Panics
    /// If `dim` is out of range.
    #[track_caller]
    pub fn logsumexp_dim(&self, dim: usize, keepdim: bool) -> Tensor<T> {
        or_panic(self.try_logsumexp_dim(dim, keepdim))
    }

    /// `ln Σ exp` along `dim`.
    ///
    /// # Errors
    /// [`TensorError::DimOutOfRange`] if `dim` is out of range.
    pub fn try_logsumexp_dim(&self, dim: usize, keepdim: bool) -> Result<Tensor<T>, TensorError> {
        let m = self.try_max_dim(dim, true)?.detach();
        let s = (self.clone() - m.clone()).exp().sum_dim(dim, true).ln() + m;
        Ok(if keepdim { s } else { s.squeeze(dim) })
    }
}
