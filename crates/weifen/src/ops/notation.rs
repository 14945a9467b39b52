//! How an op applied to named operands reads, for the evaluation trace: `v1 · v2`, `sin(v1)`,
//! `v1 + 2`, `v1^3`.

use super::{Binary, Unary};

impl Unary {
    /// The op applied to the operand written `a`, as the trace prints it.
    pub fn notation(self, a: &str) -> String {
        match self {
            Unary::Neg => format!("−{a}"),
            Unary::AddConst(c) if c < 0.0 => format!("{a} − {}", -c),
            Unary::AddConst(c) => format!("{a} + {c}"),
            Unary::MulConst(c) => format!("{a} · {c}"),
            Unary::DivConst(c) => format!("{a} / {c}"),
            Unary::ConstSub(c) => format!("{c} − {a}"),
            Unary::ConstDiv(c) => format!("{c} / {a}"),
            Unary::Powi(n) => format!("{a}^{n}"),
            Unary::Powf(c) => format!("{a}^{c}"),
            op => format!("{}({a})", op.spec().name),
        }
    }
}

impl Binary {
    /// The op applied to the operands written `a` and `b`, as the trace prints it.
    pub fn notation(self, a: &str, b: &str) -> String {
        let spec = self.spec();
        match spec.infix {
            Some(_) => format!("{a} {} {b}", spec.symbol),
            None => format!("{}({a}, {b})", spec.name),
        }
    }
}
