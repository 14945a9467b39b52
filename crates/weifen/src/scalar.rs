//! The scalar spine: the one interface every method evaluates a function through.

use crate::ops::{BinaryOp, UnaryOp};
use std::fmt::Debug;
use std::ops::{Add, Div, Mul, Neg, Sub};

/// Generates the `Scalar` trait, with one provided method per op of the table that has one.
macro_rules! define_scalar {
    (
        unary { $($(#[$m:meta])* $Name:ident $(($p:ident: $pt:ty; $($sample:expr),+))? $(=> $method:ident)? { $($body:tt)* })* }
        binary { $($(#[$bm:meta])* $BName:ident $(=> $bmethod:ident)? { $($bbody:tt)* })* }
    ) => {
        /// A number-like type that a function written once can be evaluated with: a plain `f64`, a
/// dual number, a tape variable, a symbolic expression, a complex number or a tensor.
///
/// A new type implements three methods ([`constant`](Scalar::constant),
/// [`unary`](Scalar::unary), [`binary`](Scalar::binary)), each generic in the op, and the
/// arithmetic operators (the `scalar_operators!` macro writes them); every elementary function
/// is a provided method generated from the [op table](crate::ops), which calls `unary` with
/// the op's own type, so the kernel and the rule are chosen at compile time.
/// The trait asks for neither `Copy` nor an ordering nor a way to read a number back, since
/// expressions and tensors have none of those; [`Real`] adds them for the types that do.
///
/// Arithmetic mixes with `f64` constants on the right (`x * 2.0`, `x + 1.0`); write
/// `-x + 1.0` for `1 − x`. Values are taken by value: clone a value you use twice
/// (`x.clone() * x`), which is free for `Copy` types.
///
/// Non-smooth points follow fixed conventions, listed in [`ops`](crate::ops).
///
/// ```
/// use weifen::Scalar;
///
/// // Written once, evaluated as f64 here and differentiated by every method elsewhere.
/// fn seed<S: Scalar>(x: S) -> S {
///     let x2 = x.clone().powi(2);
///     (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
/// }
/// assert_eq!(seed(0.0), 1.0);
/// ```
        pub trait Scalar:
            Clone
            + Debug
            + Add<Output = Self>
            + Sub<Output = Self>
            + Mul<Output = Self>
            + Div<Output = Self>
            + Neg<Output = Self>
            + Add<f64, Output = Self>
            + Sub<f64, Output = Self>
            + Mul<f64, Output = Self>
            + Div<f64, Output = Self>
        {
            /// The constant `c` as this type (its derivatives are zero).
            fn constant(c: f64) -> Self;

            /// Applies a unary op of the op table (a type per op, or [`Unary`](crate::ops::Unary)
            /// chosen at run time).
            fn unary<O: UnaryOp>(self, op: O) -> Self;

            /// Applies a binary op of the op table to `(self, rhs)`.
            fn binary<O: BinaryOp>(self, op: O, rhs: Self) -> Self;

            /// Whether this is known to be the constant zero, zero in every part (a dual
            /// number's tangents too); `false` when it cannot be known, as for an expression
            /// with variables. Tangent maps skip products with such a zero, so that `0·∞` in a
            /// derivative's bookkeeping does not turn an infinite derivative into NaN.
            #[inline]
            fn is_zero(&self) -> bool {
                false
            }

            /// `self·d` where `self` is a tangent and `d` a partial derivative: the product
            /// the tangent maps use. Dual numbers skip the products of their zero parts
            /// ([`ops::times`](crate::ops::times)), so that `0·∞` in nested derivatives is
            /// 0 and not NaN; for `f64` it is the plain product.
            #[inline(always)]
            fn scale_by(self, d: Self) -> Self {
                self * d
            }

            /// Whether the real value (the primal part) is known to be exactly zero. Taylor
            /// recurrences that divide by the value ask it.
            #[inline]
            fn value_is_zero(&self) -> bool {
                self.is_zero()
            }

            $(define_scalar!(@unary [$(#[$m])*] $Name [$($p: $pt)?] [$($method)?]);)*
            $(define_scalar!(@binary [$(#[$bm])*] $BName [$($bmethod)?]);)*
        }
    };
    (@unary [$(#[$m:meta])*] $Name:ident [$($p:ident: $pt:ty)?] []) => {};
    (@unary [$(#[$m:meta])*] $Name:ident [$($p:ident: $pt:ty)?] [$method:ident]) => {
        $(#[$m])*
        #[inline(always)]
        fn $method(self $(, $p: $pt)?) -> Self {
            self.unary(crate::ops::$Name $(($p))?)
        }
    };
    (@binary [$(#[$m:meta])*] $Name:ident []) => {};
    (@binary [$(#[$m:meta])*] $Name:ident [$method:ident]) => {
        $(#[$m])*
        #[inline(always)]
        fn $method(self, rhs: Self) -> Self {
            self.binary(crate::ops::$Name, rhs)
        }
    };
}

op_table!(define_scalar);

/// A [`Scalar`] that carries a real number: it is `Copy`, can be compared (with its own type
/// and with `f64`), and its value can be read (`f64`, dual numbers, tape variables). Use it
/// for functions that branch on values.
pub trait Real: Scalar + Copy + PartialOrd + PartialOrd<f64> {
    /// The real value (the primal part of a dual number).
    fn value(&self) -> f64;

    /// The per-thread pool of tape memory that reverse-mode gradients reuse for this type
    /// (`f64` has one; see `reverse::release_buffers`).
    #[doc(hidden)]
    fn with_tape_pool<R>(f: impl FnOnce(&crate::reverse::TapePool<Self>) -> R) -> Option<R> {
        let _ = f;
        None
    }
}

impl Scalar for f64 {
    #[inline]
    fn constant(c: f64) -> Self {
        c
    }
    #[inline(always)]
    fn unary<O: UnaryOp>(self, op: O) -> Self {
        op.eval(self)
    }
    #[inline(always)]
    fn binary<O: BinaryOp>(self, op: O, rhs: Self) -> Self {
        op.eval(self, rhs)
    }
    #[inline]
    fn is_zero(&self) -> bool {
        *self == 0.0
    }
}

impl Real for f64 {
    #[inline]
    fn value(&self) -> f64 {
        *self
    }

    fn with_tape_pool<R>(f: impl FnOnce(&crate::reverse::TapePool<Self>) -> R) -> Option<R> {
        crate::reverse::with_f64_pool(f)
    }
}
