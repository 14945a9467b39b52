//! The seed's two PyTorch snippets, ported line by line to weifen tensors.
//!
//! ```text
//! cargo run --release -p weifen --example autograd
//! ```
//!
//! Prints the largest error of f′ on 1000 points of [0, 5] against the exact f′, of f″
//! (through `create_graph`) against the exact f″, and the Jacobian of g with its shape.

use weifen::Scalar;
use weifen::tensor::functional::jacobian;
use weifen::tensor::{GradOptions, Tensor, grad};

/// f(x) = (−2x² + 4x + 1)·exp(−x²/2), written once for every scalar type (tensors included).
fn f<S: Scalar>(x: S) -> S {
    let x2 = x.clone().powi(2);
    (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
}

/// `def g(x): return torch.stack([x[0]**2 + x[1], x[1]*x[2]])`
fn g(x: &Tensor) -> Tensor {
    Tensor::stack(&[&(x.get(0).powi(2) + x.get(1)), &(x.get(1) * x.get(2))], 0)
}

/// f′(x) = (2x³ − 4x² − 5x + 4)·exp(−x²/2)
fn exact_d1(x: f64) -> f64 {
    (2.0 * x.powi(3) - 4.0 * x * x - 5.0 * x + 4.0) * (-x * x / 2.0).exp()
}

/// f″(x) = (−2x⁴ + 4x³ + 11x² − 12x − 5)·exp(−x²/2)
fn exact_d2(x: f64) -> f64 {
    (-2.0 * x.powi(4) + 4.0 * x.powi(3) + 11.0 * x * x - 12.0 * x - 5.0) * (-x * x / 2.0).exp()
}

fn max_error(t: &Tensor, x: &Tensor, exact: fn(f64) -> f64) -> f64 {
    t.to_vec()
        .iter()
        .zip(x.to_vec())
        .map(|(d, x)| (d - exact(x)).abs())
        .fold(0.0, f64::max)
}

fn main() -> Result<(), weifen::tensor::TensorError> {
    // x = torch.linspace(0, 5, 1000, requires_grad=True)
    let x = Tensor::linspace(0.0, 5.0, 1000).requires_grad_(true);
    // y = f(x)
    let y = f(x.clone());
    // dydx, = torch.autograd.grad(y, x, grad_outputs=torch.ones_like(y), create_graph=True)
    let options = GradOptions {
        create_graph: true,
        ..Default::default()
    };
    let dydx = grad(&[&y], &[&x], &[&Tensor::ones_like(&y)], options)?.remove(0);
    // d2ydx2, = torch.autograd.grad(dydx, x, grad_outputs=torch.ones_like(dydx))
    let d2ydx2 = grad(
        &[&dydx],
        &[&x],
        &[&Tensor::ones_like(&dydx)],
        GradOptions::default(),
    )?
    .remove(0);

    // J = torch.autograd.functional.jacobian(g, torch.tensor([1., 2., 3.]))
    let j = jacobian(g, &weifen::tensor![1., 2., 3.])?;

    println!(
        "f′ on 1000 points of [0, 5]: largest error {:.1e}",
        max_error(&dydx, &x, exact_d1)
    );
    println!(
        "f″ through create_graph:     largest error {:.1e}",
        max_error(&d2ydx2, &x, exact_d2)
    );
    println!("Jacobian of g at (1, 2, 3), shape {:?}:", j.shape());
    for i in 0..j.shape()[0] {
        println!("  {:?}", j.get(i).to_vec());
    }
    Ok(())
}
