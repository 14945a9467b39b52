//! A gradient workspace: one tape and one adjoint buffer reused across calls, so that a
//! gradient computed in a loop (an optimiser's) allocates only the gradient it returns.

use super::pool::{self, Buffers};
use super::{Tape, Var};
use crate::Real;

/// Memory kept between gradient calls: the tape's arena and the adjoint vector.
///
/// A fresh tape per call (what [`gradient`](super::gradient) does) pays for its allocation and,
/// for large functions, for the first touch of every page; a workspace records into the
/// memory of the previous call. At 10⁶ Rosenbrock terms that is most of the difference.
///
/// ```
/// use weifen::reverse::Workspace;
///
/// let mut ws = Workspace::new();
/// for k in 0..3 {
///     let x = [1.0 + f64::from(k), 2.0];
///     let (y, g) = ws.value_and_gradient(|v| v[0] * v[0] * v[1], &x);
///     assert_eq!(y, x[0] * x[0] * x[1]);
///     assert_eq!(g, vec![2.0 * x[0] * x[1], x[0] * x[0]]);
/// }
/// ```
#[derive(Debug)]
pub struct Workspace<S: Real = f64> {
    tape: Tape<S>,
    adjoints: Vec<S>,
}

impl<S: Real> Default for Workspace<S> {
    fn default() -> Self {
        Workspace::new()
    }
}

impl<S: Real> Workspace<S> {
    /// An empty workspace.
    pub fn new() -> Self {
        Workspace {
            tape: Tape::new(),
            adjoints: Vec::new(),
        }
    }

    /// A workspace on this thread's pooled arrays for `S` (see [`release_buffers`]).
    ///
    /// [`release_buffers`]: super::release_buffers
    pub(crate) fn pooled() -> Self {
        let b = pool::take::<S>();
        Workspace {
            tape: Tape::with_arrays(None, b.nodes, b.partials),
            adjoints: b.adjoints,
        }
    }

    /// Gives the arrays back to this thread's pool.
    pub(crate) fn into_pool(self) {
        let (nodes, partials) = self.tape.into_arrays();
        pool::give(Buffers {
            nodes,
            partials,
            adjoints: self.adjoints,
        });
    }

    /// `(f(x), ∇f(x))`, recorded into the workspace's tape.
    pub fn value_and_gradient(
        &mut self,
        f: impl for<'t> Fn(&[Var<'t, S>]) -> Var<'t, S>,
        x: &[S],
    ) -> (S, Vec<S>) {
        self.tape.clear();
        let zero = S::constant(0.0);
        let (value, output) = {
            let vars = self.tape.vars(x);
            let y = f(&vars);
            (y.primal(), y.index())
        };
        let Some(out) = output else {
            return (value, vec![zero; x.len()]);
        };
        let adjoints = &mut self.adjoints;
        adjoints.clear();
        adjoints.resize(self.tape.len() + 1, zero);
        adjoints[out as usize] = S::constant(1.0);
        self.tape.sweep(adjoints);
        // Inputs are nodes 1..=n, in order.
        (value, adjoints[1..=x.len()].to_vec())
    }

    /// `∇f(x)`. See [`value_and_gradient`](Self::value_and_gradient).
    pub fn gradient(&mut self, f: impl for<'t> Fn(&[Var<'t, S>]) -> Var<'t, S>, x: &[S]) -> Vec<S> {
        self.value_and_gradient(f, x).1
    }

    /// Bytes held by the workspace (the tape's arena and the adjoints).
    pub fn bytes(&self) -> usize {
        self.tape.bytes() + self.adjoints.capacity() * size_of::<S>()
    }
}
