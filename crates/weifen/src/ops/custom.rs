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

/// A list of table ops recorded from a function of `x` (register 0) and `y` (register 1).
#[derive(Clone, Debug)]
struct Program {
    code: Vec<Instr>,
    result: Operand,
}

impl Program {
    /// Records `f(x, y)` once on the recording scalar.
    fn record(f: impl FnOnce(Recorder, Recorder) -> Recorder) -> Program {
        let tape = Recorder::tape();
        let x = Recorder::Node(tape.clone(), 0);
        let y = Recorder::Node(tape.clone(), 1);
        let result = f(x, y).operand();
        Program {
            code: tape.take_instructions(),
            result,
        }
    }

    /// Replays the program on `S`.
    fn run<S: Scalar>(&self, x: &S, y: &S) -> S {
        let mut r: Vec<S> = vec![x.clone(), y.clone()];
        for ins in &self.code {
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
}

/// The `f64` kernel of a user's op: a Rust function, or a recorded program.
enum Kernel {
    Function(fn(f64) -> f64),
    Program(Program),
}

/// The run-time form of a user's op: its name, kernels and recorded rule.
pub struct CustomUnary {
    name: &'static str,
    domain: Domain,
    kernel: Kernel,
    complex: Option<fn(Complex64) -> Complex64>,
    rule: Program,
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
        CustomUnary {
            name,
            domain,
            kernel: Kernel::Function(kernel),
            complex,
            rule: Program::record(|x, y| op.derivative(&x, &y)),
        }
    }

    /// Declares an op at run time from two functions written in `Scalar` operations: the op
    /// itself, `function(x)`, and its derivative, `rule(x, y)` with `y` the op's value. Each is
    /// recorded once as a list of table ops (so they may call anything a scalar can, including
    /// other user ops) and replayed on every scalar type; a formula can be declared this way
    /// (the command's `--define`). The op lives as long as the program: declare it once.
    ///
    /// ```
    /// use weifen::{forward, ops::{CustomUnary, Unary}, Scalar};
    ///
    /// let softplus = CustomUnary::declare("softplus_doc", |x| x.exp().ln_1p(), |x, _y| ((-x).exp() + 1.0).recip());
    /// let op = Unary::Custom(softplus);
    /// assert_eq!(forward::derivative(|x| x.unary(op), 0.0), 0.5);
    /// assert_eq!(op.eval(0.0), 2f64.ln());
    /// ```
    pub fn declare(
        name: &str,
        function: impl FnOnce(Recorder) -> Recorder,
        rule: impl FnOnce(Recorder, Recorder) -> Recorder,
    ) -> &'static CustomUnary {
        let op = CustomUnary {
            name: Box::leak(name.to_string().into_boxed_str()),
            domain: Domain::REAL,
            kernel: Kernel::Program(Program::record(|x, _| function(x))),
            complex: None,
            rule: Program::record(rule),
        };
        Box::leak(Box::new(op))
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
        match &self.kernel {
            Kernel::Function(f) => f(x),
            Kernel::Program(p) => p.run(&x, &f64::NAN),
        }
    }

    /// The op evaluated on any scalar type, where its kernel is a recorded program (an op made
    /// by [`declare`](Self::declare)); `None` for a Rust kernel, which only takes `f64`.
    pub fn eval_generic<S: Scalar>(&self, x: &S) -> Option<S> {
        match &self.kernel {
            Kernel::Function(_) => None,
            Kernel::Program(p) => Some(p.run(x, x)),
        }
    }

    /// The complex-analytic kernel, if the user gave one (the complex step needs it).
    pub fn complex(&self) -> Option<fn(Complex64) -> Complex64> {
        self.complex
    }

    /// The rule replayed on `S`.
    pub fn derivative<S: Scalar>(&self, x: &S, y: &S) -> S {
        self.rule.run(x, y)
    }

    /// `t·rule(x, y)`.
    pub fn tangent<S: Scalar>(&self, x: &S, y: &S, t: S) -> S {
        t.scale_by(self.derivative(x, y))
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
/// instruction. It is what [`CustomUnary::declare`] evaluates a user's functions on, once.
#[derive(Clone, Debug)]
pub enum Recorder {
    /// A constant.
    #[doc(hidden)]
    Const(f64),
    /// A recorded value.
    #[doc(hidden)]
    Node(Tape, usize),
}

/// The instructions a [`Recorder`] writes.
#[derive(Clone, Debug, Default)]
pub struct Tape(std::rc::Rc<std::cell::RefCell<Vec<Instr>>>);

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
