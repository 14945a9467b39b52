//! Tensor autograd against central differences (`gradcheck`), for every op of the table,
//! broadcasting, every reduction along every dimension, and the structural ops; and second
//! derivatives (`gradgradcheck`) through `create_graph`.

use weifen::Scalar;
use weifen::ops::{Binary, Domain, Unary};
use weifen::tensor::{GradOptions, Tensor, grad};

/// Deterministic points in `(lo, hi)`, away from its ends and from `kink`.
fn points(d: Domain, shape: &[usize], seed: u64) -> Tensor {
    let lo = if d.lo.is_finite() { d.lo } else { -2.0 };
    let hi = if d.hi.is_finite() {
        d.hi
    } else {
        lo.max(-2.0) + 4.0
    };
    let (lo, hi) = (lo + 0.1 * (hi - lo), hi - 0.1 * (hi - lo));
    let u = Tensor::rand(shape, seed).to_vec();
    let v: Vec<f64> = u
        .into_iter()
        .map(|u| {
            let x = lo + u * (hi - lo);
            match d.kink {
                Some(k) if (x - k).abs() < 0.1 => k + 0.1f64.copysign(x - k),
                _ => x,
            }
        })
        .collect();
    Tensor::from_shape_vec(shape, v).unwrap()
}

/// Checks ∂L/∂inputs by tensor AD against central differences, where `L = Σ w ⊙ f(inputs)`
/// with fixed pseudo-random weights `w` (so that every output element matters differently).
/// The step is `1e-6·max(1, |x|)`: truncation `O(h²)` and rounding `O(ε/h)` both stay below
/// `1e-8` for the moderate derivatives of these points; the tolerance is `1e-6` relative.
fn gradcheck(what: &str, f: &dyn Fn(&[Tensor]) -> Tensor, inputs: &[Tensor]) {
    let xs: Vec<Tensor> = inputs
        .iter()
        .map(|x| x.clone().requires_grad_(true))
        .collect();
    let y = f(&xs);
    let w = Tensor::rand(y.shape(), 7) + 0.5;
    let loss = |y: &Tensor| (y.clone() * w.clone()).sum().item();
    let refs: Vec<&Tensor> = xs.iter().collect();
    // An output that does not depend on the inputs through the graph (the first derivative
    // of a linear op is a constant) has zero derivatives.
    let g = if y.requires_grad() {
        let options = GradOptions {
            allow_unused: true,
            ..Default::default()
        };
        grad(&[&y], &refs, &[&w], options).unwrap()
    } else {
        xs.iter().map(Tensor::zeros_like).collect()
    };
    for (i, x) in inputs.iter().enumerate() {
        assert_eq!(
            g[i].shape(),
            x.shape(),
            "{what}: gradient shape of input {i}"
        );
        let base = x.to_vec();
        for (j, &v) in base.iter().enumerate() {
            let h = 1e-6 * v.abs().max(1.0);
            let at = |s: f64| {
                let mut vals = base.clone();
                vals[j] = v + s;
                let mut args = inputs.to_vec();
                args[i] = Tensor::from_shape_vec(x.shape(), vals).unwrap();
                loss(&f(&args))
            };
            let fd = (at(h) - at(-h)) / (2.0 * h);
            let ad = g[i].to_vec()[j];
            assert!(
                (ad - fd).abs() <= 1e-6 * fd.abs().max(1.0),
                "{what}: input {i}, element {j} (x = {v}): AD {ad} vs FD {fd}"
            );
        }
    }
}

/// Checks the gradient of the gradient: `f ↦ Σ w ⊙ ∂(Σ f)/∂x` through `create_graph`.
fn gradgradcheck(what: &str, f: &'static dyn Fn(&[Tensor]) -> Tensor, inputs: &[Tensor]) {
    let first = move |xs: &[Tensor]| {
        let xs: Vec<Tensor> = xs.iter().map(|x| x.clone().requires_grad_(true)).collect();
        let y = f(&xs).sum();
        let refs: Vec<&Tensor> = xs.iter().collect();
        let options = GradOptions {
            create_graph: true,
            allow_unused: true,
            ..Default::default()
        };
        let g = grad(&[&y], &refs, &[], options).unwrap();
        Tensor::cat(
            &g.iter()
                .map(|t| t.reshape(&[t.len()]))
                .collect::<Vec<_>>()
                .iter()
                .collect::<Vec<_>>(),
            0,
        )
    };
    gradcheck(what, &first, inputs);
}

#[test]
fn every_unary_op_matches_central_differences() {
    for (k, op) in Unary::all().into_iter().enumerate() {
        let x = points(op.spec().domain, &[2, 3], k as u64);
        gradcheck(op.spec().name, &move |xs| xs[0].clone().unary(op), &[x]);
    }
}

#[test]
fn every_unary_op_second_derivative_matches_central_differences() {
    for (k, op) in Unary::all().into_iter().enumerate() {
        let x = points(op.spec().domain, &[4], 100 + k as u64);
        let f: &'static dyn Fn(&[Tensor]) -> Tensor =
            Box::leak(Box::new(move |xs: &[Tensor]| xs[0].clone().unary(op)));
        gradgradcheck(op.spec().name, f, &[x]);
    }
}

#[test]
fn every_binary_op_matches_central_differences_with_broadcasting() {
    let shapes: [(&[usize], &[usize]); 4] = [
        (&[2, 3], &[2, 3]),
        (&[2, 3], &[3]),
        (&[2, 1], &[1, 3]),
        (&[], &[2, 2]),
    ];
    for (k, op) in Binary::all().into_iter().enumerate() {
        let spec = op.spec();
        for (s, (sa, sb)) in shapes.iter().enumerate() {
            let seed = (10 * k + s) as u64;
            let a = points(spec.a, sa, seed);
            let b = points(spec.b, sb, seed + 1000);
            gradcheck(
                &format!("{} {sa:?} {sb:?}", spec.name),
                &move |xs| xs[0].clone().binary(op, xs[1].clone()),
                &[a, b],
            );
        }
    }
}

#[test]
fn every_binary_op_second_derivative_matches_central_differences() {
    for (k, op) in Binary::all().into_iter().enumerate() {
        let spec = op.spec();
        let a = points(spec.a, &[3], 300 + k as u64);
        let b = points(spec.b, &[3], 400 + k as u64);
        let f: &'static dyn Fn(&[Tensor]) -> Tensor =
            Box::leak(Box::new(move |xs: &[Tensor]| {
                xs[0].clone().binary(op, xs[1].clone())
            }));
        gradgradcheck(spec.name, f, &[a, b]);
    }
}

#[test]
fn constant_operands_on_either_side_match_central_differences() {
    let x = points(Domain::open(0.5, 2.0), &[3], 1);
    gradcheck("x + c", &|xs| xs[0].clone() + 2.5, std::slice::from_ref(&x));
    gradcheck("c − x", &|xs| 2.5 - xs[0].clone(), std::slice::from_ref(&x));
    gradcheck(
        "x · c",
        &|xs| xs[0].clone() * -1.5,
        std::slice::from_ref(&x),
    );
    gradcheck("c / x", &|xs| 3.0 / &xs[0], std::slice::from_ref(&x));
    gradcheck("x / c", &|xs| &xs[0] / 3.0, &[x]);
}

#[test]
fn reductions_along_each_dimension_match_central_differences() {
    type R = fn(&Tensor, usize, bool) -> Tensor;
    let reductions: [(&str, R); 6] = [
        ("sum", Tensor::sum_dim),
        ("mean", Tensor::mean_dim),
        ("prod", Tensor::prod_dim),
        ("max", Tensor::max_dim),
        ("min", Tensor::min_dim),
        ("logsumexp", Tensor::logsumexp_dim),
    ];
    let x = points(Domain::open(0.5, 2.0), &[2, 3, 4], 5);
    for (name, r) in reductions {
        for dim in 0..3 {
            for keepdim in [false, true] {
                gradcheck(
                    &format!("{name} dim {dim} keepdim {keepdim}"),
                    &move |xs| r(&xs[0], dim, keepdim),
                    std::slice::from_ref(&x),
                );
            }
        }
    }
    gradcheck("sum", &|xs| xs[0].sum(), std::slice::from_ref(&x));
    gradcheck("mean", &|xs| xs[0].mean(), std::slice::from_ref(&x));
    gradcheck("prod", &|xs| xs[0].prod(), std::slice::from_ref(&x));
    gradcheck("max", &|xs| xs[0].max_all(), std::slice::from_ref(&x));
    gradcheck("min", &|xs| xs[0].min_all(), std::slice::from_ref(&x));
    gradcheck("logsumexp", &|xs| xs[0].logsumexp(), &[x]);
}

#[test]
fn reductions_second_derivatives_match_central_differences() {
    let x = points(Domain::open(0.5, 2.0), &[2, 3], 6);
    gradgradcheck(
        "prod dim",
        &|xs| xs[0].prod_dim(1, false),
        std::slice::from_ref(&x),
    );
    gradgradcheck(
        "logsumexp",
        &|xs| xs[0].logsumexp_dim(0, true),
        std::slice::from_ref(&x),
    );
    gradgradcheck("max·x", &|xs| xs[0].max_dim(1, true) * xs[0].clone(), &[x]);
}

#[test]
fn select_and_stack_second_derivatives_match_central_differences() {
    // Their rules (`place`, and `select` for `stack`) are recorded under `create_graph`.
    let x = points(Domain::REAL, &[2, 3], 10);
    gradgradcheck(
        "select·stack",
        &|xs| {
            let t = &xs[0];
            Tensor::stack(&[&t.select(1, 2), &t.select(1, 0).sin()], 1).powi(3)
        },
        &[x],
    );
}

#[test]
fn structural_ops_match_central_differences() {
    let x = points(Domain::REAL, &[2, 3], 8);
    let y = points(Domain::REAL, &[2, 3], 9);
    let one = |name: &str, f: &dyn Fn(&Tensor) -> Tensor| {
        gradcheck(name, &|xs| f(&xs[0]).sin(), std::slice::from_ref(&x))
    };
    one("reshape", &|t| t.reshape(&[3, 2]));
    one("permute", &|t| t.permute(&[1, 0]));
    one("transpose", &|t| {
        t.transpose(0, 1) * Tensor::from(vec![1.0, 2.0])
    });
    one("unsqueeze/squeeze", &|t| {
        t.unsqueeze(1).squeeze(1).unsqueeze(0)
    });
    one("expand", &|t| {
        t.unsqueeze(0).expand(&[4, 2, 3]) * Tensor::arange(1.0, 5.0, 1.0).reshape(&[4, 1, 1])
    });
    one("slice", &|t| t.slice(1, 1, 3));
    one("get", &|t| t.get(1) * t.get(0));
    one("sum_to", &|t| t.sum_to(&[1, 3]));
    one("relu", &|t| t.relu());
    one("sigmoid", &|t| t.sigmoid());
    one("softplus", &|t| t.softplus());
    let pair = |name: &str, f: &dyn Fn(&Tensor, &Tensor) -> Tensor| {
        gradcheck(name, &|xs| f(&xs[0], &xs[1]), &[x.clone(), y.clone()]);
    };
    pair("cat", &|a, b| Tensor::cat(&[a, b], 1).exp());
    pair("stack", &|a, b| Tensor::stack(&[a, b], 2).exp());
    pair("stack first", &|a, b| Tensor::stack(&[a, b, a], 0).exp());
    pair("select", &|a, b| {
        a.select(1, 2) * b.select(0, 1).slice(0, 0, 2)
    });
    pair("where_", &|a, b| {
        Tensor::where_(&a.gt(b), &(a.clone() * 2.0), &b.clone().sin())
    });
    pair("matmul", &|a, b| a.matmul(&b.transpose(0, 1)));
    pair("matmul vector", &|a, b| a.matmul(&b.get(0)));
    pair("vector matmul", &|a, b| a.get(1).matmul(&b.transpose(0, 1)));
    pair("dot", &|a, b| a.get(0).dot(&b.get(1)));
    pair("outer", &|a, b| a.get(0).outer(&b.get(1)));
}

#[test]
fn batched_matmul_broadcasts_batch_dimensions() {
    let a = points(Domain::REAL, &[2, 1, 2, 3], 10);
    let b = points(Domain::REAL, &[3, 3, 2], 11);
    gradcheck(
        "batched matmul",
        &|xs| xs[0].matmul(&xs[1]),
        &[a.clone(), b.clone()],
    );
    assert_eq!(a.matmul(&b).shape(), &[2, 3, 2, 2]);
    gradgradcheck(
        "batched matmul",
        &|xs| xs[0].matmul(&xs[1]).powi(2),
        &[a, b],
    );
}

#[test]
fn matmul_matches_the_sum_of_products() {
    let a = weifen::tensor![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
    let b = weifen::tensor![[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]];
    // [1·7 + 2·9 + 3·11, 1·8 + 2·10 + 3·12; 4·7 + 5·9 + 6·11, 4·8 + 5·10 + 6·12]
    assert_eq!(a.matmul(&b).to_vec(), vec![58.0, 64.0, 139.0, 154.0]);
}

#[test]
fn relu_and_softplus_follow_the_conventions_at_zero() {
    let x = Tensor::from(vec![0.0]).requires_grad_(true);
    let g = grad(&[&x.relu().sum()], &[&x], &[], GradOptions::default()).unwrap();
    assert_eq!(g[0].item(), 0.0);
    let g = grad(&[&x.softplus().sum()], &[&x], &[], GradOptions::default()).unwrap();
    assert_eq!(g[0].item(), 0.5);
    assert!((x.softplus().item() - 2f64.ln()).abs() < 1e-16);
    assert_eq!(Tensor::from(vec![800.0]).softplus().item(), 800.0);
    assert_eq!(Tensor::from(vec![-800.0]).sigmoid().item(), 0.0);
}
