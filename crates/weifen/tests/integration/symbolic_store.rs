//! Owned stores: expressions, formulas and programs cross threads; a store's nodes are its
//! own; the thread's default store can be cleared; expressions of two stores combine.

use std::thread;
use weifen::forward;
use weifen::symbolic::{Expr, Formula, Program, Store, store_len};
use weifen::{Scalar, ScalarFn};

const fn send_and_sync<T: Send + Sync>() {}
const _: () = {
    send_and_sync::<Expr>();
    send_and_sync::<Formula>();
    send_and_sync::<Program>();
    send_and_sync::<Store>();
};

/// f = x²·sin x and f′ = 2x·sin x + x²·cos x, by hand.
fn f(x: f64) -> f64 {
    x * x * x.sin()
}
fn df(x: f64) -> f64 {
    2.0 * x * x.sin() + x * x * x.cos()
}

#[test]
fn a_formula_parsed_on_one_thread_is_evaluated_and_differentiated_on_many() {
    let store = Store::new();
    let e = store.parse("x^2*sin(x)").unwrap();
    let formula = Formula::new(std::slice::from_ref(&e), &["x"]).unwrap();
    let program = Program::new(&[e.diff("x")], &["x"]).unwrap();
    thread::scope(|s| {
        let workers: Vec<_> = (0..4)
            .map(|k| {
                let (formula, program, e) = (&formula, &program, &e);
                s.spawn(move || {
                    let x = 0.3 + 0.7 * f64::from(k);
                    let value = ScalarFn::eval(formula, x);
                    let by_forward = forward::derivative(|x| ScalarFn::eval(formula, x), x);
                    let compiled = program.eval(&[x]).unwrap()[0];
                    // Each thread also builds in the shared store: the same nodes.
                    let symbolic = e.diff("x").eval(&[("x", x)]).unwrap();
                    (x, value, by_forward, compiled, symbolic, e.diff("x"))
                })
            })
            .collect();
        for w in workers {
            let (x, value, by_forward, compiled, symbolic, d) = w.join().unwrap();
            assert!((value - f(x)).abs() <= 1e-15 * f(x).abs());
            for got in [by_forward, compiled, symbolic] {
                assert!((got - df(x)).abs() <= 1e-14 * df(x).abs().max(1.0), "{got}");
            }
            assert_eq!(d, e.diff("x"), "hash-consed across threads");
        }
    });
}

#[test]
fn expressions_of_a_store_are_its_own_and_move_to_another_thread() {
    let store = Store::new();
    assert!(store.is_empty());
    let x = store.var("x");
    let f = (&x * &x).sin() + 1.0;
    assert_eq!(f.store(), &store);
    assert!(store.len() >= f.dag_size());
    let before = store_len();
    let g = store.parse("cos(x)^3").unwrap().diff("x");
    assert_eq!(
        store_len(),
        before,
        "nothing was built in the default store"
    );
    let text = thread::spawn(move || g.to_string()).join().unwrap();
    // d/dx cos³x = −3·sin x·cos²x (the factors' order is the canonical form's).
    let back: Expr = text.parse().unwrap();
    let at = back.eval(&[("x", 0.7)]).unwrap();
    assert!(
        (at + 3.0 * 0.7f64.sin() * 0.7f64.cos().powi(2)).abs() < 1e-15,
        "{text}"
    );
    assert!(
        text.contains("sin(x)") && text.contains("cos(x)^2"),
        "{text}"
    );
}

#[test]
fn clearing_the_default_store_keeps_earlier_expressions_valid() {
    let old = "exp(x)*x".parse::<Expr>().unwrap();
    let d = old.diff("x");
    assert!(store_len() > 0);
    Store::clear_default();
    assert_eq!(store_len(), 0);
    // The old expressions still hold their (now private) store.
    assert_eq!(d.eval(&[("x", 0.0)]), Ok(1.0));
    let new = "exp(x)*x".parse::<Expr>().unwrap();
    assert_ne!(new, old, "equal structure, different stores");
    assert_eq!(new.to_string(), old.to_string());
}

#[test]
fn expressions_of_two_stores_combine_in_the_left_store() {
    let (a, b) = (Store::new(), Store::new());
    let f = a.parse("sin(x)").unwrap();
    let g = b.parse("x^2 + y").unwrap();
    let h = f.clone() * g.clone();
    assert_eq!(h.store(), &a);
    assert_eq!(h, a.parse("sin(x)*(x^2 + y)").unwrap());
    let at = [("x", 0.5), ("y", 2.0)];
    let expected = 0.5f64.sin() * 2.25;
    assert!((h.eval(&at).unwrap() - expected).abs() < 1e-15);
    // A number from the default store joins the other operand's store.
    let k = Expr::constant(2.0) * g.clone();
    assert_eq!(k.store(), &b);
    // Outputs of several stores compile together.
    let program = Program::new(&[f, g], &["x", "y"]).unwrap();
    assert_eq!(program.eval(&[0.0, 3.0]).unwrap(), vec![0.0, 3.0]);
}

#[test]
fn differentiating_in_an_owned_store_builds_nothing_in_the_default_store() {
    let store = Store::new();
    // asinh′ = 1/hypot(x, 1): the rule builds the number 1 with `S::constant`.
    let f = store.parse("asinh(x)*sign(x)").unwrap();
    Store::clear_default();
    let d = f.nth_diff("x", 2);
    assert_eq!(store_len(), 0);
    assert_eq!(d.store(), &store);
    // Generic code builds in the store it is run with.
    let g = store.with_default(|| Expr::var("x").hypot(Expr::constant(1.0)));
    assert_eq!(g.store(), &store);
    assert_eq!(store_len(), 0);
    assert!(Expr::var("x").store() != &store, "the default is back");
}
