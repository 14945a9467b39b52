//! The user-facing backward passes: [`grad`] (PyTorch's `torch.autograd.grad`) and
//! [`Tensor::backward`]. Both check their arguments, seed the outputs' gradients and hand
//! them to the engine.

use super::engine::{GradOptions, Root, run};
use super::{Element, Tensor, TensorError};

/// The gradient of each output's node, checked against its output (shape), or the implied
/// ones for a one-element output.
fn seeds<T: Element>(
    outputs: &[&Tensor<T>],
    grad_outputs: &[&Tensor<T>],
) -> Result<Vec<Root<T>>, TensorError> {
    if !grad_outputs.is_empty() && grad_outputs.len() != outputs.len() {
        return Err(TensorError::InvalidArgument {
            op: "grad",
            reason: format!(
                "{} grad_outputs for {} outputs; pass one per output (or none for scalar outputs)",
                grad_outputs.len(),
                outputs.len()
            ),
        });
    }
    let mut roots = Vec::with_capacity(outputs.len());
    for (i, y) in outputs.iter().enumerate() {
        let node = y.node.clone().ok_or_else(|| TensorError::NoGrad {
            what: format!("output {i}"),
        })?;
        let g = match grad_outputs.get(i) {
            Some(g) if g.shape() == y.shape() => (*g).clone(),
            Some(g) => {
                return Err(TensorError::ShapeMismatch {
                    op: "grad (output vs grad_output)",
                    lhs: y.shape().to_vec(),
                    rhs: g.shape().to_vec(),
                });
            }
            None if y.len() == 1 => Tensor::ones_like(y),
            None => {
                return Err(TensorError::NonScalarBackward {
                    shape: y.shape().to_vec(),
                });
            }
        };
        roots.push((node, g));
    }
    Ok(roots)
}

/// `∑ᵢ ⟨grad_outputsᵢ, ∂outputsᵢ/∂inputsⱼ⟩` for each input j: vector–Jacobian products, as
/// `torch.autograd.grad`. An empty `grad_outputs` means ones, allowed for one-element outputs.
///
/// # Errors
/// [`TensorError::NoGrad`] if an output or an input does not require grad;
/// [`TensorError::UnusedInput`] if an output does not depend on an input (unless
/// `allow_unused`); [`TensorError::NonScalarBackward`] if a gradient must be implied for an
/// output with several elements; [`TensorError::ShapeMismatch`] if a `grad_outputs` entry
/// does not have its output's shape; [`TensorError::BuffersFreed`] on a second pass through
/// a graph whose buffers were freed.
///
/// ```
/// use weifen::tensor::{grad, GradOptions, Tensor};
/// let x = Tensor::from(vec![1.0, 2.0]).requires_grad_(true);
/// let y = x.clone() * x.clone() * 3.0; // dy/dx = 6x
/// let g = grad(&[&y], &[&x], &[&Tensor::ones_like(&y)], GradOptions::default()).unwrap();
/// assert_eq!(g[0].to_vec(), vec![6.0, 12.0]);
/// ```
pub fn grad<T: Element>(
    outputs: &[&Tensor<T>],
    inputs: &[&Tensor<T>],
    grad_outputs: &[&Tensor<T>],
    options: GradOptions,
) -> Result<Vec<Tensor<T>>, TensorError> {
    let roots = seeds(outputs, grad_outputs)?;
    let mut targets = Vec::with_capacity(inputs.len());
    for (i, x) in inputs.iter().enumerate() {
        targets.push(x.node.clone().ok_or_else(|| TensorError::NoGrad {
            what: format!("input {i}"),
        })?);
    }
    let captured = run(roots, options, Some(&targets))?;
    captured
        .into_iter()
        .enumerate()
        .map(|(index, g)| match g {
            Some(g) => Ok(g),
            None if options.allow_unused => Ok(Tensor::zeros_like(inputs[index])),
            None => Err(TensorError::UnusedInput { index }),
        })
        .collect()
}

impl<T: Element> Tensor<T> {
    /// Accumulates `∂self/∂leaf` into every leaf's [`grad`](Tensor::grad), for a one-element
    /// tensor (PyTorch's `y.backward()`).
    ///
    /// # Panics
    /// As [`try_backward`](Tensor::try_backward) errs, with the same message.
    #[track_caller]
    pub fn backward(&self) {
        super::error::or_panic(self.try_backward())
    }

    /// [`backward`](Tensor::backward), returning an error instead of panicking.
    ///
    /// # Errors
    /// [`TensorError::NonScalarBackward`] if `self` has more than one element,
    /// [`TensorError::NoGrad`] if it does not require grad, [`TensorError::BuffersFreed`] on
    /// a second pass through freed buffers.
    pub fn try_backward(&self) -> Result<(), TensorError> {
        self.backward_options(None, GradOptions::default())
    }

    /// Accumulates the vector–Jacobian product `gradᵀ·∂self/∂leaf` into every leaf.
    ///
    /// # Panics
    /// If `grad`'s shape differs from `self`'s, or as [`try_backward`](Tensor::try_backward).
    #[track_caller]
    pub fn backward_with(&self, grad: &Tensor<T>) {
        super::error::or_panic(self.backward_options(Some(grad), GradOptions::default()))
    }

    /// The backward pass with an optional output gradient and PyTorch's options
    /// (`allow_unused` is ignored: leaves that get no gradient keep theirs).
    ///
    /// # Errors
    /// As [`try_backward`](Tensor::try_backward), and [`TensorError::ShapeMismatch`] if
    /// `grad`'s shape differs from `self`'s.
    pub fn backward_options(
        &self,
        grad: Option<&Tensor<T>>,
        options: GradOptions,
    ) -> Result<(), TensorError> {
        let roots = seeds(&[self], grad.as_slice())?;
        run(roots, options, None).map(drop)
    }
}
