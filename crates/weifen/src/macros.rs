//! Operator boilerplate shared by the scalar types: the arithmetic operators, and their mixes
//! with `f64` constants, forward to [`Scalar::unary`]/[`Scalar::binary`] with the op table's
//! types (`x + 2.0` is `x.unary(AddConst(2.0))`), so the table stays the one source of
//! derivative rules and of the constant-operand forms.

/// Implements `+ − × ÷`, negation, the compound assignments, and mixed arithmetic with `f64`
/// constants on either side, for a type that implements `Scalar`.
///
/// Each operator is `#[inline(always)]`: on the tensor module's SIMD lanes, an operator the
/// compiler leaves out of line is compiled without the kernel's AVX-512 or AVX2 features, so
/// each intrinsic in it becomes a call (a dual number's `*` on AVX-512 lanes was left out of
/// line with `#[inline]`, and the fused seed ran 1.5× slower than on the baseline lanes).
macro_rules! scalar_operators {
    ([$($gen:tt)*] $ty:ty) => {
        scalar_operators!(@binary [$($gen)*] $ty, Add, add, AddAssign, add_assign, Add);
        scalar_operators!(@binary [$($gen)*] $ty, Sub, sub, SubAssign, sub_assign, Sub);
        scalar_operators!(@binary [$($gen)*] $ty, Mul, mul, MulAssign, mul_assign, Mul);
        scalar_operators!(@binary [$($gen)*] $ty, Div, div, DivAssign, div_assign, Div);

        impl<$($gen)*> ::std::ops::Neg for $ty {
            type Output = Self;
            #[inline(always)]
            fn neg(self) -> Self {
                $crate::Scalar::unary(self, $crate::ops::Neg)
            }
        }
        impl<$($gen)*> ::std::ops::Add<f64> for $ty {
            type Output = Self;
            #[inline(always)]
            fn add(self, c: f64) -> Self {
                $crate::Scalar::unary(self, $crate::ops::AddConst(c))
            }
        }
        // x − c is exactly x + (−c) in IEEE arithmetic.
        impl<$($gen)*> ::std::ops::Sub<f64> for $ty {
            type Output = Self;
            #[inline(always)]
            fn sub(self, c: f64) -> Self {
                $crate::Scalar::unary(self, $crate::ops::AddConst(-c))
            }
        }
        impl<$($gen)*> ::std::ops::Mul<f64> for $ty {
            type Output = Self;
            #[inline(always)]
            fn mul(self, c: f64) -> Self {
                $crate::Scalar::unary(self, $crate::ops::MulConst(c))
            }
        }
        impl<$($gen)*> ::std::ops::Div<f64> for $ty {
            type Output = Self;
            #[inline(always)]
            fn div(self, c: f64) -> Self {
                $crate::Scalar::unary(self, $crate::ops::DivConst(c))
            }
        }
        impl<$($gen)*> ::std::ops::Add<$ty> for f64 {
            type Output = $ty;
            #[inline(always)]
            fn add(self, x: $ty) -> $ty {
                $crate::Scalar::unary(x, $crate::ops::AddConst(self))
            }
        }
        impl<$($gen)*> ::std::ops::Sub<$ty> for f64 {
            type Output = $ty;
            #[inline(always)]
            fn sub(self, x: $ty) -> $ty {
                $crate::Scalar::unary(x, $crate::ops::ConstSub(self))
            }
        }
        impl<$($gen)*> ::std::ops::Mul<$ty> for f64 {
            type Output = $ty;
            #[inline(always)]
            fn mul(self, x: $ty) -> $ty {
                $crate::Scalar::unary(x, $crate::ops::MulConst(self))
            }
        }
        impl<$($gen)*> ::std::ops::Div<$ty> for f64 {
            type Output = $ty;
            #[inline(always)]
            fn div(self, x: $ty) -> $ty {
                $crate::Scalar::unary(x, $crate::ops::ConstDiv(self))
            }
        }
    };
    (@binary [$($gen:tt)*] $ty:ty, $tr:ident, $f:ident, $tra:ident, $fa:ident, $op:ident) => {
        impl<$($gen)*> ::std::ops::$tr for $ty {
            type Output = Self;
            #[inline(always)]
            fn $f(self, rhs: Self) -> Self {
                $crate::Scalar::binary(self, $crate::ops::$op, rhs)
            }
        }
        impl<$($gen)*> ::std::ops::$tra for $ty {
            #[inline(always)]
            fn $fa(&mut self, rhs: Self) {
                *self = $crate::Scalar::binary(self.clone(), $crate::ops::$op, rhs);
            }
        }
    };
}
