//! `hello`: `square(x) = x²` and `double(x) = d(x²)/dx = 2x`, the protocol's smoke test.
//! One scalar input: forward mode (one dual number) is the natural mode.

use super::{Prepared, number, unknown_function};
use serde_json::{Value, json};
use weifen::{Scalar, forward};

fn square<S: Scalar>(x: S) -> S {
    x.clone() * x
}

struct Hello {
    derivative: bool,
    x: f64,
    y: f64,
}

impl Prepared for Hello {
    fn run(&mut self) {
        self.y = if self.derivative {
            forward::derivative(square, self.x)
        } else {
            square(self.x)
        };
    }

    fn output(&self) -> Value {
        json!(self.y)
    }
}

/// Prepares `square` or `double`; the input is the number itself.
pub fn prepare(function: &str, input: &Value) -> Result<Box<dyn Prepared>, String> {
    let derivative = match function {
        "square" => false,
        "double" => true,
        _ => return Err(unknown_function("hello", function)),
    };
    let x = number(input, "the input")?;
    Ok(Box::new(Hello {
        derivative,
        x,
        y: f64::NAN,
    }))
}
