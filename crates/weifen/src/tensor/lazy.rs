//! Pending values: the forward pass of element-wise ops, fused.
//!
//! Op by op, `f(x)` writes a full array for every intermediate, and a recorded graph keeps
//! them all, so a large forward pass runs from memory. Instead, an element-wise op on large
//! operands of one shape returns a tensor whose values are *pending*: its buffer keeps a
//! [`Recipe`] — the ops from contiguous arrays (read at an offset, for a slice that is a
//! window of its input) to the result — and computes the values the first time something
//! reads them, in one blocked pass that keeps every intermediate in cache
//! ([`fusion::BLOCK`] elements at a time, as the fused backward regions do). An op on a
//! pending operand copies the operand's recipe into its own (up to [`fusion::MAX_NODES`]
//! ops; beyond, the operand is computed and read as an array), so the values nobody reads
//! are never written: a tensor Rosenbrock writes one array, not nine, and its backward
//! region (which recomputes its values from its inputs) reads none of them.
//!
//! The values are the same as op by op: each op runs the forward pass's own kernels on the
//! same positions (`fusion::Pointwise::forward`; `f32` in `f32` lanes, as the forward
//! kernels compute it). What a pending tensor costs is recomputation: each read
//! intermediate computes its own recipe from the arrays (a rule under `create_graph` reads
//! several), which is compute on data in cache where op by op was a pass over memory.

use super::buffer::{self, Buffer};
use super::fusion::{self, BLOCK, Operand, Pointwise, PointwiseOp, SPAN};
use super::{Element, Tensor, kernel};
use ndarray::{ArrayD, ArrayViewD, IxDyn};
use rayon::prelude::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How to compute a pending buffer: element-wise ops on arrays read from an offset. The last
/// step is the result; with no step, the result is the first array itself (a window). A
/// *sum* recipe's buffer is the sum of those values (one element), which are never stored.
#[derive(Clone)]
pub(super) struct Recipe<T: Element> {
    /// Arrays whose values are computed, contiguous, with the offset to read from.
    arrays: Vec<(Arc<Buffer<T>>, usize)>,
    steps: Vec<Step>,
    /// Whether the buffer is the sum of the values (of how many) rather than the values.
    sum: Option<usize>,
}

/// One op of a recipe: what it computes, from what, and which pending buffer's result it was
/// made for (so that a value two operands share is computed once).
#[derive(Clone, Copy)]
struct Step {
    op: PointwiseOp,
    operands: [Operand; 2],
    id: usize,
}

/// The fewest elements whose values are left pending: below, arrays are in cache and op by
/// op is cheaper (the same size from which the backward regions fuse).
const MIN_ELEMENTS: usize = fusion::MIN_ELEMENTS;

/// A number for each recipe made, naming its last step.
fn fresh_id() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Pending values of `op` on `operands`, or `None` when they should be computed now: the
/// operands are small (below [`MIN_ELEMENTS`]), of different shapes, or one is a strided
/// array.
pub(super) fn pointwise<T: Element>(
    op: PointwiseOp,
    operands: &[&Tensor<T>],
) -> Option<Arc<Buffer<T>>> {
    let shape = operands[0].shape();
    if operands[0].len() < MIN_ELEMENTS
        || operands
            .iter()
            .any(|t| t.shape() != shape || !t.data.contiguous())
    {
        return None;
    }
    let mut recipe = Recipe {
        arrays: Vec::new(),
        steps: Vec::new(),
        sum: None,
    };
    let mut args = [Operand::Input(0); 2];
    for (arg, t) in args.iter_mut().zip(operands) {
        *arg = recipe.absorb(&t.data);
    }
    recipe.steps.push(Step {
        op,
        operands: args,
        id: fresh_id(),
    });
    Some(Arc::new(Buffer::pending(shape, recipe)))
}

/// Pending values of `x`'s elements from `offset` taking `n` along `dim` (a slice that is a
/// window of its input), or `None` when they should be copied now (small, or `x` not
/// computed and contiguous).
pub(super) fn window<T: Element>(
    x: &Tensor<T>,
    offset: usize,
    dim: usize,
    n: usize,
) -> Option<Arc<Buffer<T>>> {
    let len = n * x.shape()[dim + 1..].iter().product::<usize>();
    if len < MIN_ELEMENTS || !x.data.is_ready() || !x.data.contiguous() {
        return None;
    }
    let mut shape = x.shape().to_vec();
    shape[dim] = n;
    let recipe = Recipe {
        arrays: vec![(x.data.clone(), offset)],
        steps: Vec::new(),
        sum: None,
    };
    Some(Arc::new(Buffer::pending(&shape, recipe)))
}

/// The pending sum of all of `x`'s elements, of `shape` (one element), or `None` when it
/// should be computed now: `x`'s values are not pending, or too few to be summed in the
/// blocks of [`kernel::sum_all`], whose order (and so whose bits) the pending sum keeps.
///
/// So `grad` of a sum of element-wise ops computes no value its backward region does not
/// recompute itself: the value of the sum is computed when read, in one pass that stores
/// none of the element-wise values.
pub(super) fn sum<T: Element>(x: &Tensor<T>, shape: &[usize]) -> Option<Arc<Buffer<T>>> {
    let len = x.len();
    let mut recipe = x.data.recipe()?;
    if len < kernel::PARALLEL_MIN || recipe.steps.is_empty() {
        return None;
    }
    recipe.sum = Some(len);
    Some(Arc::new(Buffer::pending(shape, recipe)))
}

impl<T: Element> Recipe<T> {
    /// Whether the recipe is a sum of element-wise values.
    pub(super) fn awaits_sum(&self) -> bool {
        self.sum.is_some()
    }

    /// The operand for the values of `b`: its recipe copied in when it is pending and fits,
    /// else the array (computed now if pending, so that a recipe's arrays are never pending
    /// and computing one never recurses).
    fn absorb(&mut self, b: &Arc<Buffer<T>>) -> Operand {
        if let Some(sub) = b.recipe()
            && sub.sum.is_none()
            && self.steps.len() + sub.steps.len() < fusion::MAX_NODES
        {
            return self.merge(&sub);
        }
        let _ = &**b;
        Operand::Input(self.array(b.clone(), 0))
    }

    /// The index of array `b` read from `offset`, added if new.
    fn array(&mut self, b: Arc<Buffer<T>>, offset: usize) -> usize {
        let same = |(a, o): &(Arc<Buffer<T>>, usize)| Arc::ptr_eq(a, &b) && *o == offset;
        match self.arrays.iter().position(same) {
            Some(k) => k,
            None => {
                self.arrays.push((b, offset));
                self.arrays.len() - 1
            }
        }
    }

    /// `sub`'s steps appended (those already here, by id, shared), and the operand of its
    /// result.
    fn merge(&mut self, sub: &Recipe<T>) -> Operand {
        let mut at = Vec::with_capacity(sub.steps.len());
        for step in &sub.steps {
            if let Some(i) = self.steps.iter().position(|s| s.id == step.id) {
                at.push(i);
                continue;
            }
            let mut operands = step.operands;
            for o in &mut operands[..step.op.arity()] {
                *o = match *o {
                    Operand::Input(k) => {
                        let (b, offset) = &sub.arrays[k];
                        Operand::Input(self.array(b.clone(), *offset))
                    }
                    Operand::Node(n) => Operand::Node(at[n]),
                };
            }
            self.steps.push(Step { operands, ..*step });
            at.push(self.steps.len() - 1);
        }
        match at.last() {
            Some(&i) => Operand::Node(i),
            None => {
                let (b, offset) = &sub.arrays[0];
                Operand::Input(self.array(b.clone(), *offset))
            }
        }
    }

    /// The values, of `shape`, in one blocked pass (on all cores when large); for a sum
    /// recipe, their sum in `shape`.
    pub(super) fn evaluate(self, shape: &[usize]) -> ArrayD<T> {
        #[cfg(test)]
        EVALUATED.with(|e| e.set(e.get() + 1));
        let len: usize = self.sum.unwrap_or_else(|| shape.iter().product());
        let inputs: Vec<(&[T], usize)> = self
            .arrays
            .iter()
            .map(|(b, o)| (b.as_slice().expect("a recipe's arrays are contiguous"), *o))
            .collect();
        if self.sum.is_some() {
            return ArrayD::from_elem(IxDyn(shape), self.sum_of(&inputs, len));
        }
        if self.steps.is_empty() {
            let (x, from) = inputs[0];
            let view = ArrayViewD::from_shape(IxDyn(shape), &x[from..from + len]);
            return buffer::copy_of(view.expect("the length of the shape"));
        }
        let mut out = buffer::scratch(len);
        let nodes = self.nodes();
        if kernel::parallel(len) {
            out.par_chunks_mut(SPAN)
                .enumerate()
                .for_each_init(Vec::new, |values, (s, out)| {
                    fill(&inputs, &nodes, values, s * SPAN, out);
                });
        } else {
            fill(&inputs, &nodes, &mut Vec::new(), 0, &mut out);
        }
        ArrayD::from_shape_vec(IxDyn(shape), out).expect("the length of the shape")
    }

    /// The sum of the `len` values: each run of [`kernel::SUM_BLOCK`] computed into a
    /// buffer of that size and summed as [`kernel::sum_all`] sums it (on all cores), then
    /// the runs' sums as it sums them, so the bits are those of the sum of the stored values.
    fn sum_of(&self, inputs: &[(&[T], usize)], len: usize) -> T {
        let nodes = self.nodes();
        let runs: Vec<T> = (0..len.div_ceil(kernel::SUM_BLOCK))
            .into_par_iter()
            .map_init(
                || (Vec::new(), vec![T::zero(); kernel::SUM_BLOCK]),
                |(values, run), r| {
                    let start = r * kernel::SUM_BLOCK;
                    let run = &mut run[..kernel::SUM_BLOCK.min(len - start)];
                    fill(inputs, &nodes, values, start, run);
                    kernel::sum_slice(run)
                },
            )
            .collect();
        kernel::sum_slice(&runs)
    }

    /// Each step's kernel and operands, in order.
    fn nodes(&self) -> Vec<(Box<dyn Pointwise>, [Operand; 2])> {
        self.steps
            .iter()
            .map(|s| (s.op.kernel(), s.operands))
            .collect()
    }
}

/// The values of elements `start..start + out.len()` into `out`, block by block, `values`
/// holding each block's values of every slot (inputs', then nodes').
fn fill<T: Element>(
    inputs: &[(&[T], usize)],
    nodes: &[(Box<dyn Pointwise>, [Operand; 2])],
    values: &mut Vec<T>,
    start: usize,
    out: &mut [T],
) {
    let slots = inputs.len() + nodes.len();
    values.resize(slots * BLOCK, T::zero());
    let last = (slots - 1) * BLOCK;
    for (b, out) in out.chunks_mut(BLOCK).enumerate() {
        let len = out.len();
        fusion::prefetch_block(out.as_ptr(), 0, len);
        fusion::forward_block(inputs, nodes, values, start + b * BLOCK, len);
        out.copy_from_slice(&values[last..][..len]);
    }
}

#[cfg(test)]
thread_local! {
    /// The number of recipes computed on this thread, for the tests.
    static EVALUATED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scalar;
    use crate::tensor::{GradOptions, grad, no_grad};

    /// The recipes `f` computes.
    fn evaluations(f: impl FnOnce()) -> usize {
        let before = EVALUATED.with(std::cell::Cell::get);
        f();
        EVALUATED.with(std::cell::Cell::get) - before
    }

    fn rosenbrock(x: &Tensor) -> Tensor {
        let n = x.len();
        let (head, tail) = (x.slice(0, 0, n - 1), x.slice(0, 1, n));
        ((tail - head.clone().powi(2)).powi(2) * 100.0 + (1.0 - head).powi(2)).sum()
    }

    #[test]
    fn only_what_is_read_is_computed() {
        let x = Tensor::linspace(-1.0, 1.0, fusion::MIN_ELEMENTS + 1);
        // The sum reads one array: the root's. The slices and six intermediates stay pending.
        let n = evaluations(|| {
            let _guard = no_grad();
            rosenbrock(&x);
        });
        assert_eq!(n, 1);
        // The gradient's backward region recomputes its values from x: nothing else is read.
        let n = evaluations(|| {
            let x = x.clone().requires_grad_(true);
            let y = rosenbrock(&x);
            grad(&[&y], &[&x], &[], GradOptions::default()).unwrap();
        });
        assert_eq!(n, 1);
        // Under create_graph the rules read the intermediates: each is computed when read.
        let n = evaluations(|| {
            let x = x.clone().requires_grad_(true);
            let y = rosenbrock(&x);
            let recorded = GradOptions {
                create_graph: true,
                ..Default::default()
            };
            grad(&[&y], &[&x], &[], recorded).unwrap();
        });
        assert!(n > 1, "{n}");
    }

    #[test]
    fn a_large_uniform_output_gradient_is_never_filled_by_grad() {
        let seed = |x: Tensor| {
            let x2 = x.clone().powi(2);
            (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
        };
        for (n, large) in [(MIN_ELEMENTS - 1, false), (MIN_ELEMENTS, true)] {
            let x = Tensor::linspace(0.0, 5.0, n).requires_grad_(true);
            let y = seed(x.clone());
            let ones = Tensor::ones_like(&y);
            assert_eq!(ones.data.is_ready(), !large, "n = {n}");
            let d = crate::tensor::grad(&[&y], &[&x], &[&ones], Default::default()).unwrap();
            // The rules skip the product by ones: the array was never read.
            assert_eq!(ones.data.is_ready(), !large, "n = {n}");
            let exact =
                |x: f64| (2.0 * x.powi(3) - 4.0 * x * x - 5.0 * x + 4.0) * (-x * x / 2.0).exp();
            for (d, x) in d[0].to_vec().iter().zip(x.to_vec()) {
                assert!((d - exact(x)).abs() < 1e-14, "n = {n}, x = {x}");
            }
            // Read, it holds its value.
            assert!(ones.to_vec().iter().all(|&v| v == 1.0));
            assert!(ones.data.is_ready());
        }
    }

    #[test]
    fn a_pending_sum_is_computed_only_when_read_with_the_bits_of_the_stored_values_sum() {
        // Lengths around the sum's blocks, from the least a pending sum takes.
        let b = kernel::SUM_BLOCK;
        for n in [kernel::PARALLEL_MIN, 5 * b - 1, 5 * b + 1, 9 * b + 77] {
            let x = Tensor::linspace(-1.3, 1.1, n + 1);
            let (y, stored) = (rosenbrock(&x), {
                let n = x.len();
                let (head, tail) = (x.slice(0, 0, n - 1), x.slice(0, 1, n));
                let v = (tail - head.clone().powi(2)).powi(2) * 100.0 + (1.0 - head).powi(2);
                let _ = v.array();
                v.sum()
            });
            assert!(!y.data.is_ready() && stored.data.is_ready());
            assert_eq!(y.item().to_bits(), stored.item().to_bits(), "n = {n}");
            // f32 too.
            let x32 = x.cast::<f32>();
            let y32 = (x32.clone().sin() * x32.clone() + 0.5).sum();
            let v32 = x32.clone().sin() * x32 + 0.5;
            let _ = v32.array();
            assert_eq!(y32.item().to_bits(), v32.sum().item().to_bits(), "n = {n}");
        }
        // Read before any gradient, the sum is computed once.
        let y = rosenbrock(&Tensor::linspace(-1.0, 1.0, kernel::PARALLEL_MIN + 1));
        assert_eq!(evaluations(|| assert!(y.item().is_finite())), 1);
        // A sum of values that are not pending, or too few, is computed at once.
        assert!(
            Tensor::linspace(0.0, 1.0, kernel::PARALLEL_MIN)
                .sum()
                .data
                .is_ready()
        );
        let few = Tensor::linspace(0.0, 1.0, kernel::PARALLEL_MIN - 1);
        assert!((few.clone() * 2.0).sum().data.is_ready());
    }

    #[test]
    fn the_backward_region_of_a_pending_sum_computes_its_value_with_the_same_bits() {
        let b = kernel::SUM_BLOCK;
        let plain = GradOptions::default();
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                // Lengths around the runs of the sum and the spans of the region.
                for n in [kernel::PARALLEL_MIN, 5 * b - 1, 5 * b + 1, 9 * b + 77] {
                    let x = Tensor::linspace(-1.3, 1.1, n + 1);
                    let alone = rosenbrock(&x).item();
                    let x = x.requires_grad_(true);
                    let y = rosenbrock(&x);
                    // No recipe is computed, by the gradient or by the read after it.
                    let n_evaluated = evaluations(|| {
                        grad(&[&y], &[&x], &[], plain).unwrap();
                        assert_eq!(y.item().to_bits(), alone.to_bits(), "n = {n}");
                    });
                    assert_eq!(n_evaluated, 0, "n = {n}, {threads} threads");
                    // f32 too.
                    let x32 = x.detach().cast::<f32>();
                    let f = |x: &Tensor<f32>| (x.clone().sin() * x.clone() + 0.5).sum();
                    let alone = f(&x32).item();
                    let x32 = x32.requires_grad_(true);
                    let y32 = f(&x32);
                    grad(&[&y32], &[&x32], &[], plain).unwrap();
                    assert!(y32.data.is_ready());
                    assert_eq!(y32.item().to_bits(), alone.to_bits(), "n = {n}");
                }
            });
        }
        // Under create_graph the rules run op by op: the sum is left for its reader.
        let x = Tensor::linspace(-1.0, 1.0, kernel::PARALLEL_MIN + 1).requires_grad_(true);
        let y = rosenbrock(&x);
        let recorded = GradOptions {
            create_graph: true,
            ..Default::default()
        };
        grad(&[&y], &[&x], &[], recorded).unwrap();
        assert!(!y.data.is_ready());
    }

    #[test]
    fn a_recipe_holds_at_most_max_nodes_steps() {
        let x = Tensor::linspace(0.0, 1.0, fusion::MIN_ELEMENTS);
        // 70 ops: the 33rd and the 65th compute their operand first; reading the last
        // computes its own six.
        let n = evaluations(|| {
            let y = (0..70).fold(x.clone(), |h, _| h.sin());
            assert!(!y.data.is_ready());
            let _ = y.to_vec();
        });
        assert_eq!(n, 3);
        // Small tensors are computed at once.
        let small = Tensor::linspace(0.0, 1.0, fusion::MIN_ELEMENTS - 1);
        assert!(small.sin().data.is_ready());
    }

    #[test]
    fn a_shared_operand_is_one_step() {
        let x = Tensor::linspace(0.0, 1.0, fusion::MIN_ELEMENTS);
        let x2 = x.clone().powi(2);
        let y = (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp();
        let recipe = y.data.recipe().expect("pending");
        // powi, ·(−2), ·4, +, +1, ·(−½), exp, ·: eight steps, x2 once; x read once.
        assert_eq!(recipe.steps.len(), 8);
        assert_eq!(recipe.arrays.len(), 1);
    }
}
