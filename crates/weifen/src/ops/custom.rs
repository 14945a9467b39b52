//! Ops declared by users: a kernel and a rule, then every method differentiates them.
//!
//! [`custom_unary!`](crate::custom_unary) declares an op the way a row of the table does: a
//! type implementing [`UnaryOp`] (static dispatch: `x.unary(Softplus)` is monomorphised like
//! `x.sin()`) and, for what must name the op at run time (a tape, a symbolic expression, the
//! parser), a [`CustomUnary`] reached through [`UnaryOp::id`]. The run-time form keeps the
//! rule as the list of table ops it was recorded to — the rule evaluated once on a recording
//! scalar — and replays that list on any scalar type, so the symbolic method differentiates
//! it and prints it by its name, and nested duals differentiate it again.
//!
//! ```
//! use weifen::{custom_unary, forward, reverse, ops::UnaryOp, Scalar};
//!
//! custom_unary! {
//!     /// `ln(1 + eˣ)`, without overflow for large x.
//!     pub Softplus = "softplus" {
//!         eval: |x| if x > 30.0 { x + (-x).exp() } else { x.exp().ln_1p() },
//!         // The logistic function 1/(1 + e⁻ˣ).
//!         rule: |x, _y| ((-x).exp() + 1.0).recip(),
//!     }
//! }
//! let d = forward::derivative(|x| x.unary(Softplus), 0.0);
//! assert_eq!(d, 0.5);
//! let r = reverse::derivative(|x| x.unary(Softplus) * 2.0, 0.0);
//! assert_eq!(r, 1.0);
//! assert_eq!(Softplus.id().spec().name, "softplus");
//! ```

use super::{Binary, BinaryOp, Domain, Unary, UnaryOp, UnarySpec};
use crate::Scalar;
pub use num_complex::Complex64;
use std::fmt;
use std::sync::RwLock;

/// One instruction of a recorded rule: registers 0 and 1 hold `x` and `y`.
#[derive(Clone, Copy, Debug)]
enum Instr {
    Const(f64),
    Unary(Unary, usize),
    Binary(Binary, usize, usize),
}

/// The run-time form of a user's op: its name, kernels and recorded rule.
pub struct CustomUnary {
    name: &'static str,
    domain: Domain,
    kernel: fn(f64) -> f64,
    complex: Option<fn(Complex64) -> Complex64>,
    rule: Vec<Instr>,
    result: Operand,
}

impl fmt::Debug for CustomUnary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CustomUnary({})", self.name)
    }
}

impl CustomUnary {
    /// The run-time form of `op`: its kernel, and its rule recorded once. Called by
    /// [`custom_unary!`](crate::custom_unary); `kernel` must be `op`'s own.
    pub fn record<O: UnaryOp>(
        name: &'static str,
        domain: Domain,
        op: O,
        kernel: fn(f64) -> f64,
        complex: Option<fn(Complex64) -> Complex64>,
    ) -> CustomUnary {
        let tape = Recorder::tape();
        let x = Recorder::Node(tape.clone(), 0);
        let y = Recorder::Node(tape.clone(), 1);
        let result = op.derivative(&x, &y).operand();
        let rule = tape.take_instructions();
        CustomUnary {
            name,
            domain,
            kernel,
            complex,
            rule,
            result,
        }
    }

    /// Its names and domain (LaTeX `\operatorname{name}`).
    pub fn spec(&'static self) -> UnarySpec {
        UnarySpec {
            name: self.name,
            aliases: &[],
            latex: ("", ""),
            domain: self.domain,
        }
    }

    /// The `f64` kernel.
    pub fn eval(&self, x: f64) -> f64 {
        (self.kernel)(x)
    }

    /// The complex-analytic kernel, if the user gave one (the complex step needs it).
    pub fn complex(&self) -> Option<fn(Complex64) -> Complex64> {
        self.complex
    }

    /// The rule replayed on `S`.
    pub fn derivative<S: Scalar>(&self, x: &S, y: &S) -> S {
        let mut r: Vec<S> = vec![x.clone(), y.clone()];
        for ins in &self.rule {
            let v = match *ins {
                Instr::Const(c) => S::constant(c),
                Instr::Unary(op, a) => r[a].clone().unary(op),
                Instr::Binary(op, a, b) => r[a].clone().binary(op, r[b].clone()),
            };
            r.push(v);
        }
        match self.result {
            Operand::Const(c) => S::constant(c),
            Operand::Register(i) => r.swap_remove(i),
        }
    }

    /// `t·rule(x, y)`.
    pub fn tangent<S: Scalar>(&self, x: &S, y: &S, t: S) -> S {
        t * self.derivative(x, y)
    }
}

/// Ops that the parser knows by name beside the table's.
static REGISTRY: RwLock<Vec<&'static CustomUnary>> = RwLock::new(Vec::new());

/// Makes `op` known to the parser (and so to the command) by its name.
///
/// # Errors
/// The name clashes with a table op or another registered op; the message names it.
pub fn register(op: impl UnaryOp) -> Result<(), String> {
    let Unary::Custom(custom) = op.id() else {
        return Err(format!(
            "`{}` is an op of the table; only user ops are registered",
            op.spec().name
        ));
    };
    let taken = Unary::all()
        .into_iter()
        .any(|u| u.spec().name == custom.name || u.spec().aliases.contains(&custom.name))
        || Binary::all()
            .into_iter()
            .any(|b| b.spec().name == custom.name);
    if taken {
        return Err(format!(
            "`{}` is already the name of a built-in op",
            custom.name
        ));
    }
    let mut registry = REGISTRY.write().unwrap_or_else(|e| e.into_inner());
    match registry.iter().find(|c| c.name == custom.name) {
        Some(c) if std::ptr::eq(*c, custom) => Ok(()),
        Some(_) => Err(format!(
            "another op is already registered as `{}`",
            custom.name
        )),
        None => {
            registry.push(custom);
            Ok(())
        }
    }
}

/// The registered op called `name`.
pub fn lookup(name: &str) -> Option<&'static CustomUnary> {
    let registry = REGISTRY.read().unwrap_or_else(|e| e.into_inner());
    registry.iter().copied().find(|c| c.name == name)
}

/// The names of the registered ops.
pub fn registered() -> Vec<&'static str> {
    let registry = REGISTRY.read().unwrap_or_else(|e| e.into_inner());
    registry.iter().map(|c| c.name).collect()
}

#[derive(Clone, Copy, Debug)]
enum Operand {
    Const(f64),
    Register(usize),
}

/// A scalar that records the table ops applied to it: constants fold, everything else is an
/// instruction. Used once per op, when it is declared.
#[derive(Clone, Debug)]
enum Recorder {
    Const(f64),
    Node(Tape, usize),
}

#[derive(Clone, Debug, Default)]
struct Tape(std::rc::Rc<std::cell::RefCell<Vec<Instr>>>);

impl Tape {
    fn push(&self, ins: Instr) -> Recorder {
        let mut v = self.0.borrow_mut();
        v.push(ins);
        Recorder::Node(self.clone(), v.len() + 1)
    }

    fn take_instructions(&self) -> Vec<Instr> {
        self.0.borrow_mut().drain(..).collect()
    }
}

impl Recorder {
    fn tape() -> Tape {
        Tape::default()
    }

    fn operand(&self) -> Operand {
        match self {
            Recorder::Const(c) => Operand::Const(*c),
            Recorder::Node(_, i) => Operand::Register(*i),
        }
    }

    fn register(&self, tape: &Tape) -> usize {
        match self {
            Recorder::Const(c) => match tape.push(Instr::Const(*c)) {
                Recorder::Node(_, i) => i,
                Recorder::Const(_) => unreachable!("push returns a node"),
            },
            Recorder::Node(_, i) => *i,
        }
    }
}

impl Scalar for Recorder {
    fn constant(c: f64) -> Self {
        Recorder::Const(c)
    }

    fn unary<O: UnaryOp>(self, op: O) -> Self {
        match &self {
            Recorder::Const(c) => Recorder::Const(op.eval(*c)),
            Recorder::Node(tape, i) => tape.push(Instr::Unary(op.id(), *i)),
        }
    }

    fn binary<O: BinaryOp>(self, op: O, rhs: Self) -> Self {
        let tape = match (&self, &rhs) {
            (Recorder::Const(a), Recorder::Const(b)) => return Recorder::Const(op.eval(*a, *b)),
            (Recorder::Node(t, _), _) | (_, Recorder::Node(t, _)) => t.clone(),
        };
        let (a, b) = (self.register(&tape), rhs.register(&tape));
        tape.push(Instr::Binary(op.id(), a, b))
    }
}

scalar_operators!([] Recorder);

/// Declares a unary op of the user's: a type implementing
/// [`UnaryOp`](crate::ops::UnaryOp) from an `f64` kernel and a rule written in `Scalar`
/// operations on `x` and the result `y`, and optionally a complex-analytic kernel for the
/// complex step. Every method differentiates it; [`register`] makes the parser know its name.
/// See [the module docs](crate::ops::custom).
#[macro_export]
macro_rules! custom_unary {
    (
        $(#[$m:meta])*
        $vis:vis $Name:ident = $name:literal {
            eval: |$ex:ident| $eval:expr,
            rule: |$rx:ident, $ry:ident| $rule:expr
            $(, complex: |$cz:ident| $complex:expr)?
            $(, domain: $domain:expr)? $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq)]
        $vis struct $Name;

        impl $crate::ops::UnaryOp for $Name {
            fn id(self) -> $crate::ops::Unary {
                static DECLARED: ::std::sync::LazyLock<$crate::ops::CustomUnary> =
                    ::std::sync::LazyLock::new(|| {
                        #[allow(unused_mut, unused_assignments)]
                        let mut domain = $crate::ops::Domain::REAL;
                        $(domain = $domain;)?
                        #[allow(unused_mut, unused_assignments)]
                        let mut complex: Option<fn($crate::ops::custom::Complex64) -> $crate::ops::custom::Complex64> = None;
                        $(complex = Some(|$cz| $complex);)?
                        $crate::ops::CustomUnary::record($name, domain, $Name, |x| $Name.eval(x), complex)
                    });
                $crate::ops::Unary::Custom(&DECLARED)
            }
            fn spec(self) -> $crate::ops::UnarySpec {
                match self.id() {
                    $crate::ops::Unary::Custom(c) => c.spec(),
                    _ => unreachable!("a declared op is custom"),
                }
            }
            #[inline(always)]
            fn eval(self, $ex: f64) -> f64 {
                $eval
            }
            #[inline(always)]
            fn derivative<S: $crate::Scalar>(self, $rx: &S, $ry: &S) -> S {
                let ($rx, $ry) = ($rx.clone(), $ry.clone());
                $rule
            }
        }
    };
}
