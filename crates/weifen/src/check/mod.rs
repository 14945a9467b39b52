//! Gradient checking: a function's derivatives by automatic differentiation (or by the
//! caller's own code) against finite differences, entry by entry.
//!
//! For `f: ℝⁿ → ℝᵐ` at `x`, every entry `Jᵢⱼ` of an analytic Jacobian is compared with a
//! numeric one, and agrees when
//!
//! `|analytic − numeric| ≤ atol + rtol·|numeric| + error(numeric)`,
//!
//! the test of PyTorch's `gradcheck` (and NumPy's `allclose`) plus the numeric method's own
//! error bound. The numeric reference is the complex step `Im f(x + ihⱼeⱼ)/hⱼ` where `f` is
//! complex-analytic (exact to rounding; checked at two steps, which disagree at a branch
//! point or a pole), Richardson extrapolation of central differences
//! elsewhere (accurate to about `10⁻¹²` relative, with an honest bound). Because the
//! reference says how accurate it is, the default tolerances can be far tighter than
//! PyTorch's (`atol = 10⁻⁵, rtol = 10⁻³`, set for single differences in `float64`): a wrong
//! rule that is off by `10⁻⁶` relative is caught. An entry whose reference cannot be vouched
//! for (both methods failed: a pole, a kink, NaN) is listed as unverified, never as agreeing.
//!
//! ```
//! use weifen::check::{self, CheckParams};
//! use weifen::{Scalar, VectorFn};
//!
//! /// Polar to Cartesian coordinates.
//! struct Polar;
//! impl VectorFn for Polar {
//!     fn eval<S: Scalar>(&self, x: &[S]) -> Vec<S> {
//!         let (r, t) = (x[0].clone(), x[1].clone());
//!         vec![r.clone() * t.clone().cos(), r * t.sin()]
//!     }
//! }
//!
//! let report = check::check_jacobian(&Polar, &[2.0, 0.5], &CheckParams::default()).unwrap();
//! assert!(report.passed(), "{report}");
//! assert_eq!(report.checked, 8); // 4 entries, by forward and by reverse mode
//!
//! // A hand-written Jacobian with a wrong entry (∂x/∂θ should be −r·sin θ) is caught.
//! let wrong = ndarray::array![[0.5f64.cos(), 2.0 * 0.5f64.sin()], [0.5f64.sin(), 2.0 * 0.5f64.cos()]];
//! let report = check::check_given(&wrong, "by hand", &Polar, &[2.0, 0.5], &CheckParams::default())
//!     .unwrap();
//! assert_eq!(report.mismatches.len(), 1);
//! assert_eq!((report.mismatches[0].output, report.mismatches[0].input), (0, 1));
//! ```

mod jacobian;
mod points;
mod reference;
mod report;

pub use jacobian::{CheckParams, check_closure, check_given, check_gradient, check_jacobian};
pub use points::{check_jacobian_at, random_points};
pub use report::{Mismatch, Report, Unverified};
