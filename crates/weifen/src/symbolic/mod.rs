//! Symbolic differentiation: formulas parsed, differentiated, simplified, printed and
//! compiled.
//!
//! An [`Expr`] is a node of a hash-consed DAG in canonical form: equal subexpressions are
//! one node, and sums and products are n-ary nodes that keep like terms and like factors
//! together (`x·y·x → x²·y`, `2x + x → 3x`). `Expr` implements [`Scalar`](crate::Scalar),
//! so the derivative of each op is the op table's own rule evaluated on expressions, and
//! [`Expr::diff`] memoises per node: the derivative's size grows linearly with the DAG's,
//! and, because like terms merge at every step, the n-th derivative of `exp(sin x)` or
//! `tan x` grows polynomially in n (about 70 nodes at n = 20 for `exp(sin x)`, built in a
//! millisecond). See [Canonical form](#canonical-form) for the rules and the domains they
//! change.
//!
//! Evaluation ([`Program`]) and printing visit each node of the DAG once: a program
//! computes every shared node once, and [`cse`] prints each shared node once under a name.
//! The plain text of [`Expr`]'s `Display` writes shared nodes at every use, as text must.
//!
//! ## Stores
//!
//! Nodes live in a [`Store`]: an append-only arena (ids are a topological order, so every
//! walk is a loop, never a recursion) with a hash-consing index, behind a mutex and shared
//! by reference counting. An `Expr` is the store and a `u32` id; it is `Clone` (a reference
//! count), `Send` and `Sync`, and so are [`Formula`] and [`Program`] (a program holds no
//! store at all): parse on one thread, evaluate on many. Dropping a store and every
//! expression of it frees its nodes (about 50 bytes each, plus 16 per term and 8 per factor
//! of a sum or product). [`Expr::var`], `str::parse` and `Scalar::constant` use the thread's
//! default store, a convenience that grows until [`Store::clear_default`] replaces it;
//! [`Store::var`] and [`Store::parse`] build in a store the caller holds.
//!
//! Why the store inside each `Expr` rather than `Copy` ids with an explicit `&Store` passed
//! to every constructor: [`Scalar`](crate::Scalar) builds values with no context
//! (`S::constant(2.0)`, `x.sin()`), which is what lets one generic function produce an
//! expression, so an id alone would have to mean "in the thread's store" — the design this
//! replaced, with nodes that were never freed and expressions that could not cross threads.
//! The handle costs a reference count per clone and an uncontended lock per built node
//! (measured in the swell report and `benches/symbolic.rs`: differentiation stayed within
//! noise); walks (differentiation's memo, compilation, printing) take the lock once and then
//! work on ids. Two stores combine: the right operand is copied into the left's store.
//!
//! ```
//! use weifen::symbolic::{Expr, Formula};
//! use weifen::{forward, ScalarFn};
//!
//! let f: Expr = "(-2*x^2 + 4*x + 1)*exp(-x^2/2)".parse().unwrap();
//! let df = f.diff("x");
//! // f′(x) = (2x³ − 4x² − 5x + 4)·exp(−x²/2), by hand.
//! let exact = |x: f64| (2.0 * x.powi(3) - 4.0 * x * x - 5.0 * x + 4.0) * (-x * x / 2.0).exp();
//! let at = df.eval(&[("x", 1.3)]).unwrap();
//! assert!((at - exact(1.3)).abs() < 1e-15);
//!
//! // The parsed formula is a function every method can differentiate.
//! let formula = Formula::new(&[f], &["x"]).unwrap();
//! assert!((forward::derivative(|x| formula.eval(x), 1.3) - at).abs() < 1e-15);
//! ```
//!
//! ## The expression language
//!
//! Numbers (`2`, `0.5`, `1.5e-3`), the constants `pi` and `e`, variables (identifiers such
//! as `x`, `x_1`, `theta`), `+ - * /` (left-associative), `^` or `**` (right-associative,
//! tighter than a sign: `-x^2` is `-(x^2)`, `2^-x` is `2^(-x)`), parentheses, and calls of
//! every op by its name in the [op table](crate::ops) (`sin(x)`, `atan2(y, x)`, `pow(a, b)`)
//! or an alias (`log` = `ln`, `expm1`, `log1p`). A constant exponent makes `powi` (integer,
//! exact at 0) or `powf`; a variable one makes `pow`. There is no implicit multiplication.
//!
//! ## Canonical form
//!
//! Each node is put in canonical form as it is built (`canon.rs`), by rules that look at
//! the new node's operands only (a sum or product is flattened one level), so building is
//! O(operands) per node:
//!
//! * a **sum** is `k + Σ cᵢ·tᵢ` with numeric coefficients, its terms distinct and sorted
//!   (like terms merged: `x + 2x → 3x`, `x − x → 0`); `a − b` is `a + (−1)·b`, `−a` is
//!   `(−1)·a`;
//! * a **product** is `Π bᵢ^eᵢ` with integer exponents, its bases distinct and sorted (like
//!   factors merged: `x·x → x²`, `x³/x → x²`, `x/x → 1`); `a/b` is `a·b⁻¹`; a coefficient
//!   belongs to the sum around the product (`3·x·y` is the sum `0 + 3·(x·y)`), and a sum it
//!   joins multiplies it out (`2·(x + 1) + y → 2x + y + 2`);
//! * operands are sorted by size, then variables by name and other nodes by a hash of their
//!   structure, so the order (and the printed text) does not depend on what the thread built
//!   before;
//! * numbers fold (`+ − ×` always; `÷`, powers and the elementary functions only when the
//!   result is an integer or a short decimal, or a division by a power of two, so `sin(2)` and
//!   `x/3` stay as written); `e^x → exp(x)`, `x^2.0 → x^2`, `|−x| → |x|`,
//!   `a^(b + k) → a^b·a^k` for an integer `k`;
//! * a sum of 256 terms or a product of 8 factors is left closed (not flattened into the
//!   next), so a chain of a million additions builds in linear time, and the product rule
//!   does not copy long products into every term;
//! * the derivative of a product multiplies out a small sum of up to 4 terms (`tan′ =
//!   tan² + 1`), so `tan`'s n-th derivative is a polynomial in `tan x`.
//!
//! Values do not change where the original is defined (to rounding: terms are added in a
//! different order), but these rules **extend the domain**: `x − x → 0` and `0·x → 0` (NaN
//! before for infinite `x`), `x/x → 1`, `x^0 → 1`, `x·(1/x) → 1`, `x^n/x^n → 1` (NaN
//! before at `x = 0`), `a^(b − 1) → a^b/a` (NaN instead of a value at `a = 0`); and
//! `(x·y)^n → xⁿ·yⁿ` can overflow or underflow where the original did not.

mod canon;
mod compile;
mod define;
mod diff;
mod display;
mod error;
mod eval;
mod expr;
mod functions;
mod hash;
mod import;
mod kernels;
mod latex;
mod lexer;
mod lower;
mod owned;
mod parse;
mod store;
mod wide;

pub use compile::{BLOCK, Program};
pub use define::{DefineError, define};
pub use diff::{derivative, gradient, hessian, jacobian, nth_derivative};
pub use display::{Cse, cse};
pub use error::{EvalError, ParseError, ParseErrorKind};
pub use eval::Formula;
pub use owned::{Store, store_len};

// Expressions, formulas and programs cross threads.
const _: () = {
    const fn send_and_sync<T: Send + Sync>() {}
    send_and_sync::<Expr>();
    send_and_sync::<Formula>();
    send_and_sync::<Program>();
    send_and_sync::<Store>();
};
pub use expr::{Expr, ExprKind};
pub use parse::MAX_DEPTH;
