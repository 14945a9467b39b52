//! Comparisons (masks of 0 and 1, which do not require grad), `where_`, and the activations
//! `relu`, `sigmoid`, `softplus`, composed from table ops and masks so they need no rule.

use super::error::or_panic;
use super::graph::record;
use super::kernel;
use super::shape::broadcast_shape;
use super::{Element, Tensor, TensorError};
use crate::Scalar;
use ndarray::{IxDyn, Zip};

macro_rules! comparisons {
    ($($name:ident $try_name:ident $op:tt $text:literal;)*) => {$(
        impl<T: Element> Tensor<T> {
            #[doc = concat!("The mask `self ", $text, " other` (1 where true, 0 elsewhere), broadcast;")]
            #[doc = "it does not require grad. `other` may be a tensor or an `f64`."]
            #[doc = ""]
            #[doc = "# Panics"]
            #[doc = "If the shapes do not broadcast, with the message of the `try_` form."]
            #[track_caller]
            pub fn $name(&self, other: impl Into<Tensor<T>>) -> Tensor<T> {
                or_panic(self.$try_name(other))
            }

            #[doc = concat!("The mask `self ", $text, " other`.")]
            #[doc = ""]
            #[doc = "# Errors"]
            #[doc = "[`TensorError::ShapeMismatch`] if the shapes do not broadcast."]
            pub fn $try_name(&self, other: impl Into<Tensor<T>>) -> Result<Tensor<T>, TensorError> {
                let other = other.into();
                let shape = broadcast_shape(stringify!($name), self.shape(), other.shape())?;
                let out = kernel::zip(&self.data, &other.data, &shape, |a: T, b: T| {
                    if a $op b { T::one() } else { T::zero() }
                });
                Ok(Tensor::from_data(out))
            }
        }
    )*};
}

comparisons! {
    gt try_gt > ">";
    ge try_ge >= "≥";
    lt try_lt < "<";
    le try_le <= "≤";
    eq_ try_eq_ == "=";
}

impl<T: Element> Tensor<T> {
    /// `a` where `cond` is non-zero, `b` elsewhere, all three broadcast (`torch.where`). The
    /// gradient goes to the chosen side only.
    ///
    /// # Panics
    /// As [`try_where_`](Tensor::try_where_) errs.
    #[track_caller]
    pub fn where_(cond: &Tensor<T>, a: &Tensor<T>, b: &Tensor<T>) -> Tensor<T> {
        or_panic(Tensor::try_where_(cond, a, b))
    }

    /// [`where_`](Tensor::where_).
    ///
    /// # Errors
    /// [`TensorError::ShapeMismatch`] if the three shapes do not broadcast.
    pub fn try_where_(
        cond: &Tensor<T>,
        a: &Tensor<T>,
        b: &Tensor<T>,
    ) -> Result<Tensor<T>, TensorError> {
        let ab = broadcast_shape("where_", a.shape(), b.shape())?;
        let shape = broadcast_shape("where_", cond.shape(), &ab)?;
        let view = |t: &Tensor<T>| {
            t.data
                .broadcast(IxDyn(&shape))
                .expect("checked above")
                .to_owned()
        };
        let (c, av, bv) = (view(cond), view(a), view(b));
        let out = Zip::from(&c)
            .and(&av)
            .and(&bv)
            .map_collect(|&c, &a, &b| if c != T::zero() { a } else { b });
        Ok(record(
            "where_",
            &[&cond.detach(), a, b],
            out,
            Box::new(|inputs, _, g| {
                let (c, a, b) = (&inputs[0], &inputs[1], &inputs[2]);
                let zero = Tensor::filled(&[], 0.0);
                vec![
                    None,
                    a.requires_grad()
                        .then(|| Tensor::where_(c, g, &zero).sum_to(a.shape())),
                    b.requires_grad()
                        .then(|| Tensor::where_(c, &zero, g).sum_to(b.shape())),
                ]
            }),
        ))
    }

    /// `max(x, 0)`, with `relu′(0) = 0` as PyTorch: `x · [x > 0]`.
    pub fn relu(&self) -> Tensor<T> {
        self.clone() * self.gt(Tensor::filled(&[], 0.0))
    }

    /// `1/(1 + e⁻ˣ)`, computed as `(1 + tanh(x/2))/2`, which overflows for no `x`.
    pub fn sigmoid(&self) -> Tensor<T> {
        ((self.clone() * 0.5).tanh() + 1.0) * 0.5
    }

    /// `ln(1 + eˣ)`, computed as `max(x, 0) + ln(1 + e^−|x|)`, which overflows for no `x`;
    /// the table's `max` gives `softplus′(0) = ½` exactly.
    pub fn softplus(&self) -> Tensor<T> {
        let x = self.clone();
        x.clone().max(Tensor::filled(&[], 0.0)) + (-x.abs()).exp().ln_1p()
    }
}
