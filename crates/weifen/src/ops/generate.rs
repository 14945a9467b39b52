//! The machinery that turns the rows of `table.rs` into types: one screen of `macro_rules!`,
//! no logic. `define_ops!` is called once, by `ops/mod.rs`, with the whole table; the
//! `Scalar` trait's methods are generated from the same rows by `scalar.rs`.

/// Generates, from the op table: one type per op implementing `UnaryOp`/`BinaryOp`, the
/// run-time enums `Unary`/`Binary` dispatching to them, and their `all()` lists.
macro_rules! define_ops {
    (
        unary { $(
            $(#[$m:meta])*
            $Name:ident $(($p:ident: $pt:ty; $($sample:expr),+))? $(=> $method:ident)? {
                names: [$name:literal $(, $alias:literal)*], latex: $latex:expr,
                domain: $domain:expr,
                eval: |$ex:ident| $eval:expr,
                rule: |$rx:ident, $ry:ident| $rule:expr
                $(, tangent: |$tx:ident, $ty:ident, $tt:ident| $tangent:expr)?
                $(, taylor: |$sx:ident| $taylor:expr)? $(,)?
            }
        )* }
        binary { $(
            $(#[$bm:meta])*
            $BName:ident $(=> $bmethod:ident)? {
                names: [$bname:literal $(, $balias:literal)*], infix: $infix:expr, symbol: $symbol:literal, latex: $blatex:literal,
                domain: ($da:expr, $db:expr), kink_on_tie: $kink:expr,
                eval: |$ea:ident, $eb:ident| $beval:expr,
                partials: |$pa:ident, $pb:ident, $py:ident| $partials:expr
                $(, product: $product:literal)?
                $(, tangent: |$ua:ident, $ub:ident, $uy:ident, $ta:ident, $tb:ident| $btangent:expr)?
                $(, taylor: |$sa:ident, $sb:ident| $btaylor:expr)? $(,)?
            }
        )* }
    ) => {
        $(
            $(#[$m])*
            #[derive(Clone, Copy, Debug, PartialEq)]
            pub struct $Name $((pub $pt))?;

            impl UnaryOp for $Name {
                #[inline(always)]
                fn id(self) -> Unary {
                    $(let Self($p) = self;)?
                    Unary::$Name $(($p))?
                }
                fn spec(self) -> UnarySpec {
                    $(let Self($p) = self; let _ = $p;)?
                    UnarySpec { name: $name, aliases: &[$($alias),*], latex: $latex, domain: $domain }
                }
                #[inline(always)]
                fn eval(self, $ex: f64) -> f64 {
                    $(let Self($p) = self; let _ = $p;)?
                    $eval
                }
                #[inline(always)]
                fn derivative<S: Scalar>(self, $rx: &S, $ry: &S) -> S {
                    $(let Self($p) = self; let _ = $p;)?
                    let ($rx, $ry) = ($rx.clone(), $ry.clone());
                    $rule
                }
                define_ops!(@tangent $Name [$($p)?] [$(|$tx, $ty, $tt| $tangent)?]);
                define_ops!(@taylor $Name [$($p)?] [$(|$sx| $taylor)?]);
            }
        )*

        /// A unary op chosen at run time: one variant per row of the op table, plus the ops
        /// users declare ([`CustomUnary`]).
        #[derive(Clone, Copy, Debug)]
        #[non_exhaustive]
        pub enum Unary {
            $($(#[$m])* $Name $(($pt))?,)*
            /// An op declared by a user.
            Custom(&'static CustomUnary),
        }

        impl Unary {
            /// Every op of the table, the parametrised ones (`powi`, `powf`, the constant
            /// operands) with sample parameters, for tests and listings.
            #[allow(clippy::vec_init_then_push)] // one push per row, from the table
            pub fn all() -> Vec<Unary> {
                let mut all = Vec::new();
                $(define_ops!(@push all $Name [$($($sample),+)?]);)*
                all
            }

            /// `v` run with this op as its own type (a user's op as `Unary` itself).
            pub fn visit<V: UnaryVisitor>(self, v: V) -> V::Output {
                match self {
                    $(Unary::$Name $(($p))? => v.visit($Name $(($p))?),)*
                    Unary::Custom(_) => v.visit(self),
                }
            }

            /// Whether the op carries a constant (`powi`, `powf`, the constant operands): those
            /// are written as operators and powers, not called by name.
            pub fn has_parameter(self) -> bool {
                match self {
                    $(Unary::$Name { .. } => define_ops!(@some [$($p)?]),)*
                    Unary::Custom(_) => false,
                }
            }

            /// A key equal exactly when the ops are equal (parameters compared by bits, user
            /// ops by address), so that `Unary` can be `Eq` and `Hash` although `powf` holds
            /// an `f64`.
            fn key(self) -> (std::mem::Discriminant<Unary>, u64) {
                let bits = match self {
                    $(Unary::$Name $(($p))? => { 0 $(+ $crate::ops::param_bits($p))? })*
                    Unary::Custom(c) => c as *const CustomUnary as usize as u64,
                };
                (std::mem::discriminant(&self), bits)
            }
        }

        impl UnaryOp for Unary {
            #[inline(always)]
            fn id(self) -> Unary {
                self
            }
            fn spec(self) -> UnarySpec {
                match self { $(Unary::$Name $(($p))? => $Name $(($p))?.spec(),)* Unary::Custom(c) => c.spec() }
            }
            #[inline(always)]
            fn eval(self, x: f64) -> f64 {
                match self { $(Unary::$Name $(($p))? => $Name $(($p))?.eval(x),)* Unary::Custom(c) => c.eval(x) }
            }
            #[inline(always)]
            fn derivative<S: Scalar>(self, x: &S, y: &S) -> S {
                match self {
                    $(Unary::$Name $(($p))? => $Name $(($p))?.derivative(x, y),)*
                    Unary::Custom(c) => c.derivative(x, y),
                }
            }
            #[inline(always)]
            fn is_linear(self) -> bool {
                match self { $(Unary::$Name $(($p))? => $Name $(($p))?.is_linear(),)* Unary::Custom(_) => false }
            }
            #[inline(always)]
            fn tangent<S: Scalar>(self, x: &S, y: &S, t: S) -> S {
                match self {
                    $(Unary::$Name $(($p))? => $Name $(($p))?.tangent(x, y, t),)*
                    Unary::Custom(c) => c.tangent(x, y, t),
                }
            }
            fn taylor<S: Scalar>(self, x: &[S]) -> Option<Vec<S>> {
                match self { $(Unary::$Name $(($p))? => $Name $(($p))?.taylor(x),)* Unary::Custom(_) => None }
            }
            #[inline]
            fn value_and_derivative<S: Scalar>(self, x: &S) -> (S, S) {
                match self {
                    $(Unary::$Name $(($p))? => $Name $(($p))?.value_and_derivative(x),)*
                    Unary::Custom(c) => {
                        let y = x.clone().unary(self);
                        let d = c.derivative(x, &y);
                        (y, d)
                    }
                }
            }
        }

        $(
            $(#[$bm])*
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            pub struct $BName;

            impl BinaryOp for $BName {
                #[inline(always)]
                fn id(self) -> Binary {
                    Binary::$BName
                }
                fn spec(self) -> BinarySpec {
                    BinarySpec { name: $bname, aliases: &[$($balias),*], infix: $infix, symbol: $symbol, latex: $blatex, a: $da, b: $db, kink_on_tie: $kink }
                }
                #[inline(always)]
                fn eval(self, $ea: f64, $eb: f64) -> f64 {
                    $beval
                }
                #[inline(always)]
                fn partials<S: Scalar>(self, $pa: &S, $pb: &S, $py: &S) -> (S, S) {
                    let ($pa, $pb, $py) = ($pa.clone(), $pb.clone(), $py.clone());
                    $partials
                }
                $(
                    #[inline(always)]
                    fn is_product(self) -> bool {
                        $product
                    }
                )?
                $(
                    #[inline(always)]
                    fn is_linear(self) -> bool {
                        true
                    }
                    #[inline(always)]
                    fn tangent<S: Scalar>(self, $ua: &S, $ub: &S, $uy: &S, $ta: S, $tb: S) -> S {
                        let _ = ($ua, $ub, $uy);
                        $btangent
                    }
                )?
                $(
                    #[inline(always)]
                    fn taylor<S: Scalar>(self, $sa: &[S], $sb: &[S]) -> Option<Vec<S>> {
                        $btaylor
                    }
                )?
            }
        )*

        /// A binary op chosen at run time: one variant per row of the op table.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Binary {
            $($(#[$bm])* $BName,)*
        }

        impl Binary {
            /// Every binary op of the table.
            pub fn all() -> Vec<Binary> {
                vec![$(Binary::$BName),*]
            }

            /// `v` run with this op as its own type.
            pub fn visit<V: BinaryVisitor>(self, v: V) -> V::Output {
                match self { $(Binary::$BName => v.visit($BName),)* }
            }
        }

        impl BinaryOp for Binary {
            #[inline(always)]
            fn id(self) -> Binary {
                self
            }
            fn spec(self) -> BinarySpec {
                match self { $(Binary::$BName => $BName.spec(),)* }
            }
            #[inline(always)]
            fn eval(self, a: f64, b: f64) -> f64 {
                match self { $(Binary::$BName => $BName.eval(a, b),)* }
            }
            #[inline(always)]
            fn partials<S: Scalar>(self, a: &S, b: &S, y: &S) -> (S, S) {
                match self { $(Binary::$BName => $BName.partials(a, b, y),)* }
            }
            #[inline(always)]
            fn is_linear(self) -> bool {
                match self { $(Binary::$BName => $BName.is_linear(),)* }
            }
            #[inline(always)]
            fn is_product(self) -> bool {
                match self { $(Binary::$BName => $BName.is_product(),)* }
            }
            #[inline(always)]
            fn tangent<S: Scalar>(self, a: &S, b: &S, y: &S, ta: S, tb: S) -> S {
                match self { $(Binary::$BName => $BName.tangent(a, b, y, ta, tb),)* }
            }
            fn taylor<S: Scalar>(self, a: &[S], b: &[S]) -> Option<Vec<S>> {
                match self { $(Binary::$BName => $BName.taylor(a, b),)* }
            }
            #[inline]
            fn value_and_partials<S: Scalar>(self, a: &S, b: &S) -> (S, S, S) {
                match self { $(Binary::$BName => $BName.value_and_partials(a, b),)* }
            }
        }
    };
    (@tangent $Name:ident [$($p:ident)?] []) => {};
    (@tangent $Name:ident [$($p:ident)?] [|$x:ident, $y:ident, $t:ident| $tangent:expr]) => {
        #[inline(always)]
        fn is_linear(self) -> bool {
            true
        }
        #[inline(always)]
        fn tangent<S: Scalar>(self, $x: &S, $y: &S, $t: S) -> S {
            $(let $Name($p) = self; let _ = $p;)?
            let _ = ($x, $y);
            $tangent
        }
    };
    (@taylor $Name:ident [$($p:ident)?] []) => {};
    (@taylor $Name:ident [$($p:ident)?] [|$x:ident| $taylor:expr]) => {
        #[inline(always)]
        fn taylor<S: Scalar>(self, $x: &[S]) -> Option<Vec<S>> {
            $(let $Name($p) = self; let _ = $p;)?
            $taylor
        }
    };
    (@some []) => { false };
    (@some [$p:ident]) => { true };
    (@push $all:ident $Name:ident []) => {
        $all.push(Unary::$Name)
    };
    (@push $all:ident $Name:ident [$($sample:expr),+]) => {
        $($all.push(Unary::$Name($sample));)+
    };
}
