//! num-traits' arithmetic traits (`Zero`, `One`, `Num`, `NumCast`, `ToPrimitive`,
//! `FromPrimitive`, `Signed`, `Bounded`, `FloatConst`) and `%`, for the dual numbers and tape
//! variables: constants are lifted inner values, conversions read the value.

use super::lift::{FloatReal, Wrap};
use crate::forward::{Dual, DualVec};
use crate::reverse::Var;
use num_traits::{
    Bounded, Float, FloatConst, FromPrimitive, Num, NumCast, One, Signed, ToPrimitive, Zero,
};
use std::ops::{Rem, RemAssign};

/// Implements the traits for a type that implements [`Wrap`].
macro_rules! num_impls {
    ([$($gen:tt)*] $ty:ty) => {
        impl<$($gen)*> Zero for $ty {
            #[inline]
            fn zero() -> Self {
                crate::Scalar::constant(0.0)
            }
            /// Whether the value is zero (the tangents are not looked at, as `==` does not).
            #[inline]
            fn is_zero(&self) -> bool {
                *self == 0.0
            }
        }

        impl<$($gen)*> One for $ty {
            #[inline]
            fn one() -> Self {
                crate::Scalar::constant(1.0)
            }
            #[inline]
            fn is_one(&self) -> bool {
                *self == 1.0
            }
        }

        /// `a % b = a − b·trunc(a/b)`, so `∂/∂a = 1` and `∂/∂b = −trunc(a/b)`.
        impl<$($gen)*> Rem for $ty {
            type Output = Self;
            #[inline]
            fn rem(self, rhs: Self) -> Self {
                self - rhs * Float::trunc(self / rhs)
            }
        }

        impl<$($gen)*> RemAssign for $ty {
            #[inline]
            fn rem_assign(&mut self, rhs: Self) {
                *self = *self % rhs;
            }
        }

        /// Parses the value; the result is a constant.
        impl<$($gen)*> Num for $ty {
            type FromStrRadixErr = <S as Num>::FromStrRadixErr;
            fn from_str_radix(text: &str, radix: u32) -> Result<Self, Self::FromStrRadixErr> {
                S::from_str_radix(text, radix).map(<$ty>::lift)
            }
        }

        /// The value, converted (the tangents are dropped).
        impl<$($gen)*> ToPrimitive for $ty {
            #[inline]
            fn to_i64(&self) -> Option<i64> {
                self.inner().to_i64()
            }
            #[inline]
            fn to_u64(&self) -> Option<u64> {
                self.inner().to_u64()
            }
            #[inline]
            fn to_f64(&self) -> Option<f64> {
                self.inner().to_f64()
            }
        }

        /// A constant.
        impl<$($gen)*> NumCast for $ty {
            #[inline]
            fn from<T: ToPrimitive>(n: T) -> Option<Self> {
                <S as NumCast>::from(n).map(<$ty>::lift)
            }
        }

        /// A constant.
        impl<$($gen)*> FromPrimitive for $ty {
            #[inline]
            fn from_i64(n: i64) -> Option<Self> {
                S::from_i64(n).map(<$ty>::lift)
            }
            #[inline]
            fn from_u64(n: u64) -> Option<Self> {
                S::from_u64(n).map(<$ty>::lift)
            }
            #[inline]
            fn from_f64(n: f64) -> Option<Self> {
                S::from_f64(n).map(<$ty>::lift)
            }
        }

        impl<$($gen)*> Signed for $ty {
            #[inline]
            fn abs(&self) -> Self {
                Float::abs(*self)
            }
            #[inline]
            fn abs_sub(&self, other: &Self) -> Self {
                Float::abs_sub(*self, *other)
            }
            #[inline]
            fn signum(&self) -> Self {
                Float::signum(*self)
            }
            #[inline]
            fn is_positive(&self) -> bool {
                *self > 0.0
            }
            #[inline]
            fn is_negative(&self) -> bool {
                *self < 0.0
            }
        }

        /// Bounds of the value; the order is by value, so they bound every dual number.
        impl<$($gen)*> Bounded for $ty {
            #[inline]
            fn min_value() -> Self {
                <$ty>::lift(<S as Bounded>::min_value())
            }
            #[inline]
            fn max_value() -> Self {
                <$ty>::lift(<S as Bounded>::max_value())
            }
        }

        impl<$($gen)*> FloatConst for $ty {
            float_consts!(
                E FRAC_1_PI FRAC_1_SQRT_2 FRAC_2_PI FRAC_2_SQRT_PI FRAC_PI_2 FRAC_PI_3
                FRAC_PI_4 FRAC_PI_6 FRAC_PI_8 LN_10 LN_2 LOG10_E LOG2_E PI SQRT_2 TAU LOG10_2
                LOG2_10
            );
        }
    };
}

/// The constants of `FloatConst`, lifted from the inner type's.
macro_rules! float_consts {
    ($($name:ident)*) => {
        $(
            #[inline]
            #[allow(non_snake_case)]
            fn $name() -> Self {
                Self::lift(S::$name())
            }
        )*
    };
}

num_impls!([S: FloatReal] Dual<S>);
num_impls!([S: FloatReal, const N: usize] DualVec<S, N>);
num_impls!(['t, S: FloatReal] Var<'t, S>);
