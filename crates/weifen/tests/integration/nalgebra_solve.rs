//! nalgebra's decompositions run on weifen's dual numbers (the `nalgebra` feature): the
//! derivative of the solution of `A(t)·x = b` against the closed form `x′ = −A⁻¹·A′·x` and a
//! central difference.
#![cfg(feature = "nalgebra")]

use nalgebra::{DMatrix, DVector, Matrix3, Vector3};
use weifen::forward::{Dual, DualVec};

/// A(t) = A₀ + t·A₁, symmetric positive definite near t = 0.3 (diagonally dominant).
fn a0() -> Matrix3<f64> {
    Matrix3::new(4.0, 1.0, 0.5, 1.0, 3.0, -0.2, 0.5, -0.2, 2.5)
}
fn a1() -> Matrix3<f64> {
    Matrix3::new(0.3, -0.1, 0.2, -0.1, 0.5, 0.1, 0.2, 0.1, -0.4)
}
fn a2() -> Matrix3<f64> {
    Matrix3::new(-0.2, 0.4, 0.0, 0.4, 0.1, 0.3, 0.0, 0.3, 0.6)
}
fn b() -> Vector3<f64> {
    Vector3::new(1.0, -2.0, 0.5)
}

fn solve_f64(t: f64) -> Vector3<f64> {
    (a0() + a1() * t).lu().solve(&b()).unwrap()
}

const T: f64 = 0.3;

#[test]
fn lu_solve_on_duals_gives_the_derivative_of_the_solution() {
    let a = (a0() + a1() * T).map(Dual::lift) + a1().map(Dual::lift) * Dual::new(0.0, 1.0);
    let x = a
        .lu()
        .solve(&b().map(Dual::lift))
        .expect("A(t) is invertible");
    // Closed form: x′ = −A⁻¹·A₁·x, in f64.
    let xf = solve_f64(T);
    let exact = -(a0() + a1() * T).lu().solve(&(a1() * xf)).unwrap();
    // A central difference of the f64 solve.
    let h = 1e-5;
    let central = (solve_f64(T + h) - solve_f64(T - h)) / (2.0 * h);
    for i in 0..3 {
        assert!((x[i].value - xf[i]).abs() < 1e-14);
        assert!(
            (x[i].tangent - exact[i]).abs() < 1e-13,
            "{} vs {}",
            x[i].tangent,
            exact[i]
        );
        assert!(
            (x[i].tangent - central[i]).abs() < 1e-8,
            "{} vs {}",
            x[i].tangent,
            central[i]
        );
    }
}

#[test]
fn cholesky_solve_on_dual_vec_gives_two_directional_derivatives() {
    // A(s, t) = A₀ + s·A₁ + t·A₂ at (s, t) = (0.3, −0.1), both directions in one evaluation.
    let (s, t) = (0.3, -0.1);
    let af = a0() + a1() * s + a2() * t;
    let seed = |m: Matrix3<f64>, k: usize| m.map(|v| DualVec::<f64, 2>::seeded(0.0, k) * v);
    let a = af.map(DualVec::lift) + seed(a1(), 0) + seed(a2(), 1);
    // A dynamically sized matrix, as user code often has.
    let a = DMatrix::from_iterator(3, 3, a.iter().copied());
    let rhs = DVector::from_iterator(3, b().iter().map(|&v| DualVec::lift(v)));
    let x = a.cholesky().expect("A is positive definite").solve(&rhs);
    let xf = af.cholesky().unwrap().solve(&b());
    let lu = af.lu();
    let exact = [
        -lu.solve(&(a1() * xf)).unwrap(),
        -lu.solve(&(a2() * xf)).unwrap(),
    ];
    for i in 0..3 {
        for (k, e) in exact.iter().enumerate() {
            assert!((x[i].tangent[k] - e[i]).abs() < 1e-13, "{i},{k}");
        }
    }
}

#[test]
fn nested_duals_through_lu_give_the_second_derivative() {
    // Differentiating A·x′ + A₁·x = 0 again: x″ = −2·A⁻¹·A₁·x′.
    type D2 = Dual<Dual<f64>>;
    let lift = |v: f64| D2::lift(Dual::lift(v));
    let t = D2::new(Dual::variable(T), Dual::new(1.0, 0.0));
    let a = a0().map(lift) + a1().map(lift) * t;
    let x = a.lu().solve(&b().map(lift)).unwrap();
    let lu = (a0() + a1() * T).lu();
    let x1 = -lu.solve(&(a1() * solve_f64(T))).unwrap();
    let x2 = -lu.solve(&(a1() * x1)).unwrap() * 2.0;
    for i in 0..3 {
        assert!((x[i].tangent.value - x1[i]).abs() < 1e-13);
        assert!(
            (x[i].tangent.tangent - x2[i]).abs() < 1e-12,
            "{} vs {}",
            x[i].tangent.tangent,
            x2[i]
        );
    }
}

#[test]
fn determinant_and_symmetric_eigenvalues_on_duals_match_jacobi_formula() {
    // d/dt det A = det A · tr(A⁻¹A₁) (Jacobi); d/dt λ = vᵀA₁v for a simple eigenvalue.
    let a = (a0() + a1() * T).map(Dual::lift) + a1().map(Dual::lift) * Dual::new(0.0, 1.0);
    let af = a0() + a1() * T;
    let det = a.determinant();
    let exact = af.determinant() * (af.try_inverse().unwrap() * a1()).trace();
    assert!((det.tangent - exact).abs() < 1e-12 * exact.abs().max(1.0));
    let eig = a.symmetric_eigen();
    let eigf = af.symmetric_eigen();
    for k in 0..3 {
        let v = eigf.eigenvectors.column(k);
        let dl = (v.transpose() * a1() * v)[0];
        let j = (0..3)
            .min_by(|&i, &j| {
                let di = (eig.eigenvalues[i].value - eigf.eigenvalues[k]).abs();
                let dj = (eig.eigenvalues[j].value - eigf.eigenvalues[k]).abs();
                di.total_cmp(&dj)
            })
            .unwrap();
        assert!(
            (eig.eigenvalues[j].tangent - dl).abs() < 1e-10,
            "{k}: {} vs {dl}",
            eig.eigenvalues[j].tangent
        );
    }
}

#[test]
fn approx_comparisons_look_at_values() {
    use approx::{assert_relative_eq, relative_ne};
    // The tangents differ, the values agree within the tolerance: equal, as `==` says.
    let tol = Dual::lift(1e-12);
    assert_relative_eq!(
        Dual::new(1.0, 5.0),
        Dual::new(1.0 + 1e-15, -5.0),
        max_relative = tol
    );
    assert!(relative_ne!(
        Dual::new(1.0, 0.0),
        Dual::new(1.0 + 1e-9, 0.0),
        max_relative = tol
    ));
}
