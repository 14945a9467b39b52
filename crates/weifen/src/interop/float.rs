//! num-traits' `Float` for the dual numbers and tape variables: every method that computes is
//! a `Scalar` op (so the op table's rule differentiates it), predicates read the value.

use super::lift::{FloatReal, Wrap};
use crate::forward::{Dual, DualVec};
use crate::reverse::Var;
use crate::{Real, Scalar};
use num_traits::Float;
use std::num::FpCategory;

/// Implements `Float` for a type that implements [`Wrap`].
macro_rules! float_impl {
    ([$($gen:tt)*] $ty:ty) => {
        impl<$($gen)*> Float for $ty {
            float_impl!(@constants nan infinity neg_infinity neg_zero min_value
                min_positive_value epsilon max_value);
            float_impl!(@predicates is_nan is_infinite is_finite is_normal is_subnormal);
            float_impl!(@ops sqrt exp exp2 ln log2 log10 cbrt recip sin cos tan asin acos atan
                sinh cosh tanh asinh acosh atanh exp_m1 ln_1p abs);
            float_impl!(@binary hypot atan2);

            #[inline]
            fn classify(self) -> FpCategory {
                self.inner().classify()
            }
            #[inline]
            fn integer_decode(self) -> (u64, i16, i8) {
                self.inner().integer_decode()
            }
            // The piecewise-constant functions, each with the interval of its piece.
            #[inline]
            fn floor(self) -> Self {
                let f = self.value().floor();
                self.step(S::floor, f, f + 1.0)
            }
            #[inline]
            fn ceil(self) -> Self {
                let c = self.value().ceil();
                self.step(S::ceil, c - 1.0, c)
            }
            #[inline]
            fn trunc(self) -> Self {
                let f = self.value().floor();
                self.step(S::trunc, f, f + 1.0)
            }
            #[inline]
            fn round(self) -> Self {
                let r = self.value().round();
                self.step(S::round, r - 0.5, r + 0.5)
            }
            /// `1` for `+0` and above, `−1` for `−0` and below (as `f64::signum`, unlike the
            /// table's `sign`, which is 0 at 0); a constant.
            #[inline]
            fn signum(self) -> Self {
                self.step(<S as Float>::signum, 0.0, 0.0)
            }
            /// `x − trunc(x)`: derivative 1.
            #[inline]
            fn fract(self) -> Self {
                self - Float::trunc(self)
            }
            #[inline]
            fn is_sign_positive(self) -> bool {
                self.guard(0.0);
                self.inner().is_sign_positive()
            }
            #[inline]
            fn is_sign_negative(self) -> bool {
                self.guard(0.0);
                self.inner().is_sign_negative()
            }
            /// `x·a + b`, in two roundings (the derivative is the point; a fused kernel
            /// would need a table row of three operands).
            #[inline]
            fn mul_add(self, a: Self, b: Self) -> Self {
                self * a + b
            }
            #[inline]
            fn powi(self, n: i32) -> Self {
                Scalar::powi(self, n)
            }
            /// A constant exponent takes the table's `powf` row (exact at `x = 0`, defined
            /// for `x < 0`), a variable one the `pow` row (`∂/∂n = xⁿ·ln x`).
            #[inline]
            fn powf(self, n: Self) -> Self {
                if n.is_constant() {
                    Scalar::powf(self, n.value())
                } else {
                    Scalar::pow(self, n)
                }
            }
            /// `ln x / ln b`.
            #[inline]
            fn log(self, base: Self) -> Self {
                Scalar::ln(self) / Scalar::ln(base)
            }
            #[inline]
            fn to_degrees(self) -> Self {
                self * (180.0 / std::f64::consts::PI)
            }
            #[inline]
            fn to_radians(self) -> Self {
                self * (std::f64::consts::PI / 180.0)
            }
            /// The table's `max`, except that a NaN argument gives the other (as `f64::max`).
            #[inline]
            fn max(self, other: Self) -> Self {
                match (Float::is_nan(self), Float::is_nan(other)) {
                    (true, _) => other,
                    (_, true) => self,
                    _ => Scalar::max(self, other),
                }
            }
            /// The table's `min`, except that a NaN argument gives the other (as `f64::min`).
            #[inline]
            fn min(self, other: Self) -> Self {
                match (Float::is_nan(self), Float::is_nan(other)) {
                    (true, _) => other,
                    (_, true) => self,
                    _ => Scalar::min(self, other),
                }
            }
            /// `x − y` where `x > y`, else 0.
            #[inline]
            fn abs_sub(self, other: Self) -> Self {
                if self > other { self - other } else { Scalar::constant(0.0) }
            }
            #[inline]
            fn sin_cos(self) -> (Self, Self) {
                (Scalar::sin(self), Scalar::cos(self))
            }
        }
    };
    (@constants $($name:ident)*) => {$(
        #[inline]
        fn $name() -> Self {
            Self::lift(<S as Float>::$name())
        }
    )*};
    (@predicates $($name:ident)*) => {$(
        #[inline]
        fn $name(self) -> bool {
            self.inner().$name()
        }
    )*};
    (@ops $($name:ident)*) => {$(
        #[inline]
        fn $name(self) -> Self {
            Scalar::$name(self)
        }
    )*};
    (@binary $($name:ident)*) => {$(
        #[inline]
        fn $name(self, other: Self) -> Self {
            Scalar::$name(self, other)
        }
    )*};
}

float_impl!([S: FloatReal] Dual<S>);
float_impl!([S: FloatReal, const N: usize] DualVec<S, N>);
float_impl!(['t, S: FloatReal] Var<'t, S>);
