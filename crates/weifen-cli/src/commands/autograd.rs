//! The demo's tensor part: the seed's two PyTorch snippets on weifen tensors, as
//! `examples/autograd.rs` has them, with autograd.png drawn from the results.

use crate::chart::{self, Chart, Series};
use crate::error::{CliError, Result};
use std::io::Write;
use std::path::Path;
use weifen::Scalar;
use weifen::tensor::functional::jacobian;
use weifen::tensor::{GradOptions, Tensor, TensorError, grad};

/// f(x) = (−2x² + 4x + 1)·exp(−x²/2), written once for every scalar type.
fn f<S: Scalar>(x: S) -> S {
    let x2 = x.clone().powi(2);
    (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
}

/// `torch.stack([x[0]**2 + x[1], x[1]*x[2]])`
fn g(x: &Tensor) -> Tensor {
    Tensor::stack(&[&(x.get(0).powi(2) + x.get(1)), &(x.get(1) * x.get(2))], 0)
}

/// f′ and f″ by hand, to measure the tensors against.
fn exact(x: f64) -> (f64, f64) {
    let e = (-x * x / 2.0).exp();
    let d1 = (2.0 * x.powi(3) - 4.0 * x * x - 5.0 * x + 4.0) * e;
    let d2 = (-2.0 * x.powi(4) + 4.0 * x.powi(3) + 11.0 * x * x - 12.0 * x - 5.0) * e;
    (d1, d2)
}

fn failed(e: TensorError) -> CliError {
    CliError::Failure(format!("the tensor example failed: {e}"))
}

/// Runs the snippets, prints the three results and writes `autograd.png` into `dir`.
pub fn run(dir: &Path, out: &mut impl Write) -> Result<()> {
    // x = torch.linspace(0, 5, 1000, requires_grad=True); y = f(x)
    let x = Tensor::linspace(0.0, 5.0, 1000).requires_grad_(true);
    let y = f(x.clone());
    // dydx, = torch.autograd.grad(y, x, grad_outputs=torch.ones_like(y), create_graph=True)
    let keep = GradOptions {
        create_graph: true,
        ..Default::default()
    };
    let ones = Tensor::ones_like(&y);
    let dydx = grad(&[&y], &[&x], &[&ones], keep)
        .map_err(failed)?
        .remove(0);
    let ones = Tensor::ones_like(&dydx);
    let d2 = grad(&[&dydx], &[&x], &[&ones], GradOptions::default())
        .map_err(failed)?
        .remove(0);
    let j = jacobian(g, &weifen::tensor![1., 2., 3.]).map_err(failed)?;

    let xs = x.to_vec();
    let (d1s, d2s) = (dydx.to_vec(), d2.to_vec());
    let worst = |d: &[f64], k: fn((f64, f64)) -> f64| {
        xs.iter()
            .zip(d)
            .map(|(&x, &d)| (d - k(exact(x))).abs())
            .fold(0.0, f64::max)
    };
    writeln!(
        out,
        "Tensors, as the seed's PyTorch snippets (examples/autograd.rs):"
    )?;
    writeln!(
        out,
        "  f′ on 1000 points of [0, 5] by grad(y, x, ones_like(y), create_graph): largest error {:.1e}",
        worst(&d1s, |e| e.0)
    )?;
    writeln!(
        out,
        "  f″ by grad of that f′ (through create_graph): largest error {:.1e}",
        worst(&d2s, |e| e.1)
    )?;
    let rows: Vec<String> = (0..j.shape()[0])
        .map(|i| format!("{:?}", j.get(i).to_vec()))
        .collect();
    writeln!(
        out,
        "  functional::jacobian of [x0² + x1, x1·x2] at (1, 2, 3), shape {:?}: [{}]",
        j.shape(),
        rows.join(", ")
    )?;

    let series = |name: &str, v: &[f64]| Series {
        name: name.to_string(),
        points: xs.iter().copied().zip(v.iter().copied()).collect(),
        marker: None,
    };
    let chart = Chart {
        title: "f(x) = (-2x² + 4x + 1)·exp(-x²/2) and its derivatives by tensor autograd"
            .to_string(),
        x_label: "x".to_string(),
        y_label: "value".to_string(),
        log: false,
        series: vec![
            series("f(x)", &y.to_vec()),
            series("f′(x) by grad", &d1s),
            series("f″(x) by grad of grad", &d2s),
        ],
    };
    let path = dir.join("autograd.png");
    chart::draw(&chart, &path)?;
    writeln!(
        out,
        "Wrote {}: f, f′ and f″ from the tensors",
        path.display()
    )?;
    Ok(())
}
