//! # weifen: differentiation on computers
//!
//! One function, written once against the [`Scalar`] trait, differentiated by the method you
//! choose. Every method evaluates the function through the same scalar interface, and every
//! elementary operation has its derivative written once, in the [op table](ops).
//!
//! ```
//! use weifen::{forward, reverse, Scalar};
//!
//! /// f(x) = (−2x² + 4x + 1)·exp(−x²/2), written once.
//! fn f<S: Scalar>(x: S) -> S {
//!     let x2 = x.clone().powi(2);
//!     (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
//! }
//!
//! // f′(x) = (2x³ − 4x² − 5x + 4)·exp(−x²/2), by hand.
//! let exact = |x: f64| (2.0 * x.powi(3) - 4.0 * x * x - 5.0 * x + 4.0) * (-x * x / 2.0).exp();
//! let x = 1.3;
//!
//! // Forward mode: one evaluation on a dual number.
//! let d_forward = forward::derivative(f, x);
//! // Reverse mode: one recording on a tape and one backward sweep.
//! let d_reverse = reverse::derivative(|x| f(x), x);
//! assert!((d_forward - exact(x)).abs() < 1e-15);
//! assert!((d_reverse - exact(x)).abs() < 1e-15);
//!
//! // Finite differences evaluate f on f64 only: an independent check, with an error bound.
//! let fd = weifen::numeric::derivative(f, x).unwrap();
//! assert!((fd.value - exact(x)).abs() <= fd.error && fd.error < 1e-10);
//! // The complex step evaluates f on complex numbers: exact to rounding, one evaluation.
//! let cs = weifen::numeric::complex_step::derivative(f, x).unwrap();
//! assert!((cs.value - exact(x)).abs() < 1e-15);
//!
//! // Higher orders come from the same rules: second derivative by nesting dual numbers,
//! // and the n-th by Taylor arithmetic.
//! let d2 = forward::second_derivative(f, x);
//! let d2_taylor = forward::nth_derivative(f, x, 2);
//! assert!((d2 - d2_taylor).abs() < 1e-13);
//! ```
//!
//! ## Choosing a method
//!
//! | method | cost of a Jacobian of f: ℝⁿ → ℝᵐ | exact? | higher orders | use it when |
//! |---|---|---|---|---|
//! | [`forward`] (dual numbers) | ⌈n/8⌉ evaluations (chunks of 8 directions) | to rounding | nested duals, Taylor jets | few inputs, many outputs; any derivative of ℝ → ℝ |
//! | [`reverse`] (tape) | one recording + m backward sweeps; memory ∝ operations | to rounding | forward over reverse on one recording (Hessians, HVPs) | many inputs, few outputs: gradients |
//! | [`numeric`] (finite differences) | ≈ 12 evaluations per input with Richardson (default, at most 48), 10 per input for one central difference with its error estimate | no: ≈ 1e-14 relative with Richardson, 1e-11 for one central difference; an error bound comes with it, or an infinite one and a status when the differences cannot vouch for the value | any order by Fornberg stencils (accuracy falls with the order) | checking the other methods, black-box `f64` functions, sampled data; [`numeric::complex_step`] is exact to rounding for analytic functions |
//! | [`sparse`] (pattern detection + colouring, on top of forward and reverse) | one detection, then one forward direction per column colour (8 per evaluation) or one reverse sweep per row colour; Hessians one Hessian–vector product per star colour | to rounding | Hessians | Jacobians and Hessians with few nonzeros per row: least squares, discretised PDEs, partially separable objectives |
//! | [`tensor`](mod@tensor) (arrays, PyTorch-style autograd) | one recorded evaluation + one backward pass per output row; memory ∝ operations × array size | to rounding | `create_graph` (reverse over reverse), double vjp for jvp | array code ported from PyTorch; element-wise functions on many points (fused value-and-derivative pass) |
//! | [`symbolic`] (expression DAG) | one derivative expression per input, linear in the DAG's size; then a compiled program per point | exact formula | `nth_diff`, `hessian` | you want the formula itself (to print, inspect or compile), or to evaluate a derivative at very many points |
//!
//! ## One grid of verbs
//!
//! Every backend offers the same verbs with the same shapes, as methods of a
//! [`method::Backend`] value that carries the method and its parameters, so the backend can
//! be chosen at run time for your own function (a type implementing [`ScalarFn`],
//! [`MultivariateFn`] or [`VectorFn`]; a parsed [`symbolic::Formula`] is one more):
//!
//! ```
//! use weifen::method::Backend;
//! use weifen::{MultivariateFn, Scalar};
//!
//! /// f(x) = Σ xᵢ² · exp(x₀).
//! struct F;
//! impl MultivariateFn for F {
//!     fn eval<S: Scalar>(&self, x: &[S]) -> S {
//!         let sum = x.iter().cloned().fold(S::constant(0.0), |s, xi| s + xi.powi(2));
//!         sum * x[0].clone().exp()
//!     }
//! }
//! let x = [0.5, -1.0];
//! let e = 0.5f64.exp();
//! let exact = [(2.0 * 0.5 + 1.25) * e, -2.0 * e]; // ∂₀ = (2x₀ + Σxᵢ²)e^{x₀}, ∂₁ = 2x₁e^{x₀}
//! for name in ["forward", "reverse", "symbolic", "richardson", "complex-step"] {
//!     let backend: Backend = name.parse().unwrap();
//!     let g = backend.gradient(&F, &x).unwrap();
//!     for (gi, ei) in g.derivative.iter().zip(exact) {
//!         assert!((gi - ei).abs() < 1e-9, "{name}");
//!     }
//! }
//! ```
//!
//! Each verb `v` also has a `value_and_v` form, and there is `value_gradient_and_hessian`.
//! Results are [`method::Outcome`]s: the same shape for every backend, with an error bound,
//! an evaluation count and a status from the numeric backends. A verb a backend cannot do
//! is a typed error ([`method::MethodError::Unsupported`], or `UnsupportedOrder`); on the
//! static path (the module functions) it does not exist.
//!
//! | verb | [`forward`] | [`reverse`] | [`numeric`] (Richardson, central) | numeric (one-sided, five-point, custom stencil) | [`numeric::complex_step`] | [`symbolic`] (traced) |
//! |---|---|---|---|---|---|---|
//! | `derivative` f′(x) | dual number | tape, one sweep | ✓ with error bound | ✓ | ✓ | ✓ |
//! | `second_derivative` f″(x) | nested duals | forward over reverse | ✓ | ✓ | — (order 1 only) | ✓ |
//! | `nth_derivative` f⁽ⁿ⁾(x) | Taylor jet, any n | jet on the tape, any n | n ≤ 4 | n ≤ 4 | n = 1 | any n |
//! | `gradient` ∇f | chunks of 8 directions | one sweep | one derivative per input | ✓ | one complex step per input | ✓ |
//! | `jacobian` J | chunks of 8 directions | one sweep per output | ✓ | ✓ | one complex step per input (composed) | ✓ |
//! | `hessian` ∇²f | 4 × 4 blocks of nested duals | forward over reverse | ✓ | — (central only) | — | ✓ |
//! | `jvp` J·v | one pass of duals | J·v (composed) | one directional difference | ✓ | one complex step | J·v (composed) |
//! | `vjp` uᵀ·J | uᵀ·J (composed) | one sweep | uᵀ·J (composed) | uᵀ·J (composed) | uᵀ·J (composed) | uᵀ·J (composed) |
//! | `hvp` ∇²f·v | dual over a chunk | forward over reverse | ✓ | — (central only) | — | ∇²f·v (composed) |
//!
//! `Auto` picks forward mode for derivatives, Jacobians and JVPs, reverse mode for
//! gradients, Hessians, VJPs and HVPs, and reports its choice. Composed entries carry the
//! error bounds through (`|E|·|v|`). Tensors ([`tensor::functional`]) have the array
//! versions of `jacobian`, `hessian`, `jvp`, `vjp` and `hvp` on tensor functions; they are not
//! a `Backend`, since a tensor function takes arrays, not a list of scalars.
//!
//! ## A function written once
//!
//! A generic `fn` item is passed straight to a forward-mode operator, which instantiates it
//! with its own scalar type. Reverse-mode operators take a closure that works for any tape
//! lifetime, so a generic function is passed to them as `|x| f(x)` (which every operator
//! accepts too). A function that carries data implements [`ScalarFn`], [`MultivariateFn`] or
//! [`VectorFn`] and is passed as `|x| f.eval(x)`.
//!
//! ## Code written against `num_traits::Float` or nalgebra
//!
//! Numeric crates are generic over `num_traits::Float` (and nalgebra's `RealField`), not over
//! [`Scalar`]. The dual numbers and tape variables implement `Float`, `Zero`, `One`, `Num`,
//! `NumCast`, `FromPrimitive`, `Signed`, `Bounded` and `FloatConst` (over any [`FloatReal`]
//! part, so nested duals too); each `Float` method is an op of the table, so such code is
//! differentiated without rewriting. With the `nalgebra` feature, `Dual` and `DualVec` are
//! nalgebra `RealField`s, and nalgebra's decompositions (LU, Cholesky, QR, symmetric
//! eigenvalues) carry derivatives through (not `Var`: nalgebra's scalars are `'static`, and a
//! `Var` borrows its tape). A function bounded by both `Float` and `Scalar`
//! names the trait of a method both have (`Float::sin(x)`).
//!
//! ```
//! use num_traits::Float;
//! use weifen::{forward, reverse};
//!
//! /// A generic function as a numeric crate writes it: log-sum-exp of two values.
//! fn logaddexp<T: Float>(a: T, b: T) -> T {
//!     let m = a.max(b);
//!     m + ((a - m).exp() + (b - m).exp()).ln()
//! }
//!
//! // ∂/∂a = eᵃ/(eᵃ + eᵇ), a softmax weight.
//! let (a, b) = (0.5, -1.0);
//! let exact = a.exp() / (a.exp() + b.exp());
//! let g = reverse::gradient(|v| logaddexp(v[0], v[1]), &[a, b]);
//! let d = forward::derivative(|x| logaddexp(x, forward::Dual::lift(b)), a);
//! assert!((g[0] - exact).abs() < 1e-15 && (d - exact).abs() < 1e-15);
//!
//! # #[cfg(feature = "nalgebra")]
//! # {
//! // With the `nalgebra` feature: d/dt of the solution of (A + tI)x = b is −(A + tI)⁻¹x.
//! use nalgebra::{Matrix2, Vector2};
//! use weifen::forward::Dual;
//! let a = Matrix2::new(2.0, 1.0, 1.0, 3.0).map(Dual::lift) + Matrix2::identity() * Dual::variable(0.0);
//! let x = a.lu().solve(&Vector2::new(1.0, 2.0).map(Dual::lift)).unwrap();
//! let xf = Vector2::new(x[0].value, x[1].value);
//! let exact = -Matrix2::new(2.0, 1.0, 1.0, 3.0).lu().solve(&xf).unwrap();
//! assert!((x[0].tangent - exact[0]).abs() < 1e-15 && (x[1].tangent - exact[1]).abs() < 1e-15);
//! # }
//! ```
//!
//! The design of the crate, its invariants and its conventions are in `docs/ARCHITECTURE.md`.
#![doc(test(attr(deny(warnings))))]

#[macro_use]
mod macros;
#[macro_use]
pub mod ops;

pub mod check;

mod error;
pub mod forward;
mod function;
mod interop;
pub mod method;
pub mod numeric;
pub mod reverse;
mod scalar;
pub mod sparse;
pub mod symbolic;
pub mod tensor;

pub use error::LengthError;
pub use function::{MultivariateFn, ScalarFn, VectorFn};
pub use interop::FloatReal;
pub use scalar::{Real, Scalar};
