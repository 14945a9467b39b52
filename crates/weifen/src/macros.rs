//! Operator boilerplate shared by the scalar types: the arithmetic operators forward to
//! [`Scalar::unary`]/[`Scalar::binary`] (so the op table stays the one source of derivative
//! rules), and `f64` constants mix in through the type's `add_f64`/`mul_f64`/`div_f64`.

/// Implements `+ − × ÷`, negation, the compound assignments, and mixed arithmetic with `f64`
/// constants on either side, for a type that implements `Scalar` and has inherent
/// `add_f64`, `mul_f64` and `div_f64` methods.
macro_rules! scalar_operators {
    ([$($gen:tt)*] $ty:ty) => {
        scalar_operators!(@binary [$($gen)*] $ty, Add, add, AddAssign, add_assign, Add);
        scalar_operators!(@binary [$($gen)*] $ty, Sub, sub, SubAssign, sub_assign, Sub);
        scalar_operators!(@binary [$($gen)*] $ty, Mul, mul, MulAssign, mul_assign, Mul);
        scalar_operators!(@binary [$($gen)*] $ty, Div, div, DivAssign, div_assign, Div);

        impl<$($gen)*> ::std::ops::Neg for $ty {
            type Output = Self;
            #[inline]
            fn neg(self) -> Self {
                $crate::Scalar::unary(self, $crate::ops::Unary::Neg)
            }
        }
        impl<$($gen)*> ::std::ops::Add<f64> for $ty {
            type Output = Self;
            #[inline]
            fn add(self, c: f64) -> Self {
                self.add_f64(c)
            }
        }
        // x − c is exactly x + (−c) in IEEE arithmetic.
        impl<$($gen)*> ::std::ops::Sub<f64> for $ty {
            type Output = Self;
            #[inline]
            fn sub(self, c: f64) -> Self {
                self.add_f64(-c)
            }
        }
        impl<$($gen)*> ::std::ops::Mul<f64> for $ty {
            type Output = Self;
            #[inline]
            fn mul(self, c: f64) -> Self {
                self.mul_f64(c)
            }
        }
        impl<$($gen)*> ::std::ops::Div<f64> for $ty {
            type Output = Self;
            #[inline]
            fn div(self, c: f64) -> Self {
                self.div_f64(c)
            }
        }
        impl<$($gen)*> ::std::ops::Add<$ty> for f64 {
            type Output = $ty;
            #[inline]
            fn add(self, x: $ty) -> $ty {
                x.add_f64(self)
            }
        }
        impl<$($gen)*> ::std::ops::Sub<$ty> for f64 {
            type Output = $ty;
            #[inline]
            fn sub(self, x: $ty) -> $ty {
                (-x).add_f64(self)
            }
        }
        impl<$($gen)*> ::std::ops::Mul<$ty> for f64 {
            type Output = $ty;
            #[inline]
            fn mul(self, x: $ty) -> $ty {
                x.mul_f64(self)
            }
        }
        impl<$($gen)*> ::std::ops::Div<$ty> for f64 {
            type Output = $ty;
            #[inline]
            fn div(self, x: $ty) -> $ty {
                <$ty as $crate::Scalar>::constant(self) / x
            }
        }
    };
    (@binary [$($gen:tt)*] $ty:ty, $tr:ident, $f:ident, $tra:ident, $fa:ident, $op:ident) => {
        impl<$($gen)*> ::std::ops::$tr for $ty {
            type Output = Self;
            #[inline]
            fn $f(self, rhs: Self) -> Self {
                $crate::Scalar::binary(self, $crate::ops::Binary::$op, rhs)
            }
        }
        impl<$($gen)*> ::std::ops::$tra for $ty {
            #[inline]
            fn $fa(&mut self, rhs: Self) {
                *self = $crate::Scalar::binary(self.clone(), $crate::ops::Binary::$op, rhs);
            }
        }
    };
}
