//! nalgebra's scalar traits (simba's `RealField`/`ComplexField`, `Field`, `SimdValue`, the
//! subset conversions, approx's comparisons) for `Dual` and `DualVec`, behind the `nalgebra`
//! feature: a real field whose every function is the num-traits `Float` method of the same
//! name, so nalgebra's decompositions run on dual numbers and their results carry
//! derivatives. Tape variables are left out: nalgebra's scalars are `'static`, a `Var`
//! borrows its tape.
//!
//! `SimdValue` declares its unchecked lane accessors `unsafe`; ours have one lane and call
//! the checked ones, so the file allows `unsafe_code` for those two declarations only.

use super::lift::{FloatReal, Wrap};
use crate::forward::{Dual, DualVec};
use approx::{AbsDiffEq, RelativeEq, UlpsEq};
use nalgebra::{ComplexField, Field, RealField, SimdValue};
use num_traits::{Float, FloatConst};
use simba::scalar::{SubsetOf, SupersetOf};

/// Implements the traits for a type that implements [`Wrap`] and `Float`.
macro_rules! nalgebra_impls {
    ([$($gen:tt)*] $ty:ty) => {
        /// Compared by value, with the inner type's tolerances (as `==` is).
        impl<$($gen)*> AbsDiffEq for $ty {
            type Epsilon = Self;
            fn default_epsilon() -> Self {
                Self::lift(S::default_epsilon())
            }
            fn abs_diff_eq(&self, other: &Self, epsilon: Self) -> bool {
                self.inner().abs_diff_eq(&other.inner(), epsilon.inner())
            }
        }

        impl<$($gen)*> RelativeEq for $ty {
            fn default_max_relative() -> Self {
                Self::lift(S::default_max_relative())
            }
            fn relative_eq(&self, other: &Self, epsilon: Self, max_relative: Self) -> bool {
                let (e, r) = (epsilon.inner(), max_relative.inner());
                self.inner().relative_eq(&other.inner(), e, r)
            }
        }

        impl<$($gen)*> UlpsEq for $ty {
            fn default_max_ulps() -> u32 {
                S::default_max_ulps()
            }
            fn ulps_eq(&self, other: &Self, epsilon: Self, max_ulps: u32) -> bool {
                self.inner().ulps_eq(&other.inner(), epsilon.inner(), max_ulps)
            }
        }

        /// One lane: the dual number itself.
        #[allow(unsafe_code)]
        impl<$($gen)*> SimdValue for $ty {
            const LANES: usize = 1;
            type Element = Self;
            type SimdBool = bool;
            fn splat(val: Self) -> Self {
                val
            }
            fn extract(&self, _: usize) -> Self {
                *self
            }
            unsafe fn extract_unchecked(&self, i: usize) -> Self {
                self.extract(i)
            }
            fn replace(&mut self, _: usize, val: Self) {
                *self = val;
            }
            unsafe fn replace_unchecked(&mut self, i: usize, val: Self) {
                self.replace(i, val);
            }
            fn select(self, cond: bool, other: Self) -> Self {
                if cond { self } else { other }
            }
        }

        impl<$($gen)*> Field for $ty {}

        impl<$($gen)*> SubsetOf<$ty> for $ty {
            fn to_superset(&self) -> Self {
                *self
            }
            fn from_superset_unchecked(element: &Self) -> Self {
                *element
            }
            fn is_in_subset(_: &Self) -> bool {
                true
            }
        }

        nalgebra_impls!(@subset [$($gen)*] $ty, f64);
        nalgebra_impls!(@subset [$($gen)*] $ty, f32);

        impl<$($gen)*> ComplexField for $ty {
            type RealField = Self;
            nalgebra_impls!(@unary floor ceil round trunc fract recip sin cos tan asin
                acos atan sinh cosh tanh asinh acosh atanh log2 log10 ln ln_1p sqrt exp exp2
                exp_m1 cbrt abs signum);
            fn real(self) -> Self {
                self
            }
            fn conjugate(self) -> Self {
                self
            }
            fn from_real(re: Self) -> Self {
                re
            }
            fn imaginary(self) -> Self {
                Self::lift(<S as num_traits::Zero>::zero())
            }
            fn modulus(self) -> Self {
                Float::abs(self)
            }
            fn modulus_squared(self) -> Self {
                self * self
            }
            /// 0 for `x ≥ 0`, π otherwise (the real number as a complex one).
            fn argument(self) -> Self {
                let zero = Self::lift(<S as num_traits::Zero>::zero());
                if self >= 0.0 { zero } else { Self::lift(S::PI()) }
            }
            fn norm1(self) -> Self {
                Float::abs(self)
            }
            fn scale(self, factor: Self) -> Self {
                self * factor
            }
            fn unscale(self, factor: Self) -> Self {
                self / factor
            }
            fn mul_add(self, a: Self, b: Self) -> Self {
                Float::mul_add(self, a, b)
            }
            fn hypot(self, other: Self) -> Self {
                Float::hypot(self, other)
            }
            fn sin_cos(self) -> (Self, Self) {
                Float::sin_cos(self)
            }
            fn log(self, base: Self) -> Self {
                Float::log(self, base)
            }
            fn powi(self, n: i32) -> Self {
                Float::powi(self, n)
            }
            fn powf(self, n: Self) -> Self {
                Float::powf(self, n)
            }
            fn powc(self, n: Self) -> Self {
                Float::powf(self, n)
            }
            fn is_finite(&self) -> bool {
                Float::is_finite(*self)
            }
            /// `None` below 0, as for `f64`.
            fn try_sqrt(self) -> Option<Self> {
                if self >= 0.0 { Some(Float::sqrt(self)) } else { None }
            }
        }

        impl<$($gen)*> RealField for $ty {
            nalgebra_impls!(@constants pi PI, two_pi TAU, frac_pi_2 FRAC_PI_2,
                frac_pi_3 FRAC_PI_3, frac_pi_4 FRAC_PI_4, frac_pi_6 FRAC_PI_6,
                frac_pi_8 FRAC_PI_8, frac_1_pi FRAC_1_PI, frac_2_pi FRAC_2_PI,
                frac_2_sqrt_pi FRAC_2_SQRT_PI, e E, log2_e LOG2_E, log10_e LOG10_E,
                ln_2 LN_2, ln_10 LN_10);
            fn is_sign_positive(&self) -> bool {
                Float::is_sign_positive(*self)
            }
            fn is_sign_negative(&self) -> bool {
                Float::is_sign_negative(*self)
            }
            fn copysign(self, sign: Self) -> Self {
                Float::copysign(self, sign)
            }
            fn max(self, other: Self) -> Self {
                Float::max(self, other)
            }
            fn min(self, other: Self) -> Self {
                Float::min(self, other)
            }
            fn clamp(self, min: Self, max: Self) -> Self {
                Float::clamp(self, min, max)
            }
            fn atan2(self, other: Self) -> Self {
                Float::atan2(self, other)
            }
            fn min_value() -> Option<Self> {
                Some(Float::min_value())
            }
            fn max_value() -> Option<Self> {
                Some(Float::max_value())
            }
        }
    };
    // A primitive float is a constant dual number; a dual number is one when its tangents
    // are zero.
    (@subset [$($gen:tt)*] $ty:ty, $p:ty) => {
        impl<$($gen)*> SubsetOf<$ty> for $p {
            fn to_superset(&self) -> $ty {
                <$ty>::lift(<S as SupersetOf<$p>>::from_subset(self))
            }
            fn from_superset_unchecked(element: &$ty) -> $p {
                <S as SupersetOf<$p>>::to_subset_unchecked(&element.inner())
            }
            fn is_in_subset(element: &$ty) -> bool {
                element.is_constant() && <S as SupersetOf<$p>>::is_in_subset(&element.inner())
            }
        }
    };
    (@unary $($name:ident)*) => {$(
        fn $name(self) -> Self {
            <Self as Float>::$name(self)
        }
    )*};
    (@constants $($name:ident $konst:ident),*) => {$(
        fn $name() -> Self {
            <Self as FloatConst>::$konst()
        }
    )*};
}

nalgebra_impls!([S: RealField + FloatReal] Dual<S>);
nalgebra_impls!([S: RealField + FloatReal, const N: usize] DualVec<S, N>);
