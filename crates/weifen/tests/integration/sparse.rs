//! Sparse Jacobians and Hessians against the dense ones, colourings against their
//! definitions (checked here by brute force, independently of the colouring code), and the
//! guard against a pattern that no longer holds.

use ndarray::Array2;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use weifen::forward::{self, ChunkDual};
use weifen::reverse::HessianVar;
use weifen::sparse::{
    self, CsMat, HessianSparsity, JacobianSparsity, Mode, SparseError, SparsityPattern, Tracer,
    column_coloring, row_coloring, star_coloring,
};
use weifen::{MultivariateFn, Scalar, VectorFn};

// ---------------------------------------------------------------- test functions

/// One term of a random sparse function: an op of inputs `a` and `b`.
#[derive(Clone, Debug)]
struct Term {
    kind: u8,
    a: usize,
    b: usize,
    c: f64,
}

fn term<S: Scalar>(t: &Term, x: &[S]) -> S {
    let (a, b) = (x[t.a].clone(), x[t.b].clone());
    match t.kind {
        0 => a * t.c,
        1 => a.sin() * b,
        2 => (a * 0.5).exp() - b.powi(3),
        3 => a / (b.powi(2) + 1.0),
        4 => a.hypot(b) * t.c,
        _ => (a - b * t.c).tanh(),
    }
}

/// `ℝⁿ → ℝᵐ`, output `i` the sum of its terms (possibly none).
#[derive(Clone, Debug)]
struct RandomMap {
    n: usize,
    outputs: Vec<Vec<Term>>,
}

impl VectorFn for RandomMap {
    fn eval<S: Scalar>(&self, x: &[S]) -> Vec<S> {
        self.outputs
            .iter()
            .map(|ts| ts.iter().fold(S::constant(0.0), |s, t| s + term(t, x)))
            .collect()
    }
}

impl MultivariateFn for RandomMap {
    fn eval<S: Scalar>(&self, x: &[S]) -> S {
        VectorFn::eval(self, x)
            .into_iter()
            .fold(S::constant(0.0), |s, y| s + y)
    }
}

fn random_map() -> impl Strategy<Value = RandomMap> {
    (1usize..12, 1usize..10).prop_flat_map(|(n, m)| {
        let t =
            (0u8..6, 0..n, 0..n, -2.0..2.0f64).prop_map(|(kind, a, b, c)| Term { kind, a, b, c });
        prop::collection::vec(prop::collection::vec(t, 0..4), m)
            .prop_map(move |outputs| RandomMap { n, outputs })
    })
}

/// Residual of the 1-D Bratu problem `u″ + λeᵘ = 0` on a uniform grid, zero boundary values.
struct Bratu;
impl VectorFn for Bratu {
    fn eval<S: Scalar>(&self, u: &[S]) -> Vec<S> {
        let n = u.len();
        let h2 = 1.0 / ((n + 1) as f64).powi(2);
        let at = |i: usize| u.get(i).cloned().unwrap_or(S::constant(0.0));
        (0..n)
            .map(|i| {
                (at(i.wrapping_sub(1)) - at(i) * 2.0 + at(i + 1)) / h2 + u[i].clone().exp() * 2.0
            })
            .collect()
    }
}

/// `f = Σ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)²`: tridiagonal Hessian.
struct Rosenbrock;
impl MultivariateFn for Rosenbrock {
    fn eval<S: Scalar>(&self, x: &[S]) -> S {
        x.windows(2).fold(S::constant(0.0), |s, w| {
            let t1 = w[1].clone() - w[0].clone().powi(2);
            let t2 = -w[0].clone() + 1.0;
            s + t1.powi(2) * 100.0 + t2.powi(2)
        })
    }
}

/// `f = (Σ xᵢ)·x₀ + Σ sin xᵢ`: an arrowhead Hessian (dense row and column 0, diagonal).
struct Arrowhead;
impl MultivariateFn for Arrowhead {
    fn eval<S: Scalar>(&self, x: &[S]) -> S {
        let sum = x.iter().fold(S::constant(0.0), |s, xi| s + xi.clone());
        let sines = x
            .iter()
            .fold(S::constant(0.0), |s, xi| s + xi.clone().sin());
        sum * x[0].clone() + sines
    }
}

/// Output `i` couples inputs `i − 2 … i + 2`: pentadiagonal Jacobian; plus a dense first
/// column (`x₀` in every output), an arrowhead Jacobian.
struct Banded {
    arrow: bool,
}
impl VectorFn for Banded {
    fn eval<S: Scalar>(&self, x: &[S]) -> Vec<S> {
        let n = x.len();
        (0..n)
            .map(|i| {
                let mut y = x[i].clone().powi(2);
                for k in i.saturating_sub(2)..(i + 3).min(n) {
                    if k != i {
                        y = y + (x[k].clone() * x[i].clone()).cos();
                    }
                }
                match self.arrow && i > 0 {
                    true => y + x[0].clone().exp() * x[i].clone(),
                    false => y,
                }
            })
            .collect()
    }
}

// ---------------------------------------------------------------- checks

fn point(n: usize) -> Vec<f64> {
    (0..n).map(|i| 0.4 + 0.37 * (i % 5) as f64).collect()
}

fn close(a: &Array2<f64>, b: &Array2<f64>) -> bool {
    a.shape() == b.shape()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x == y || (x - y).abs() <= 1e-12 * x.abs().max(y.abs()).max(1.0))
}

/// Every nonzero of the dense matrix is in the sparse one's structure.
fn covers_nonzeros(sparse: &CsMat<f64>, dense: &Array2<f64>) -> bool {
    dense
        .indexed_iter()
        .all(|((i, j), &v)| v == 0.0 || sparse.get(i, j).is_some())
}

fn dense_jacobian(f: &impl VectorFn, x: &[f64]) -> Array2<f64> {
    forward::jacobian(|x: &[ChunkDual]| f.eval(x), x)
}

fn dense_hessian(f: &impl MultivariateFn, x: &[f64]) -> Array2<f64> {
    forward::hessian(|x| f.eval(x), x)
}

/// No two columns of one colour share a row.
fn columns_valid(p: &SparsityPattern, colors: &[usize]) -> bool {
    (0..p.nrows()).all(|i| {
        let row = p.row(i);
        row.iter()
            .enumerate()
            .all(|(a, &j)| row[a + 1..].iter().all(|&k| colors[j] != colors[k]))
    })
}

/// A proper colouring of the symmetric off-diagonal graph with no two-coloured path on four
/// vertices, by enumerating every such path.
fn star_valid(p: &SparsityPattern, colors: &[usize]) -> bool {
    let n = p.nrows();
    let adj = |i: usize| (0..n).filter(move |&j| j != i && (p.contains(i, j) || p.contains(j, i)));
    for a in 0..n {
        for b in adj(a) {
            if colors[a] == colors[b] {
                return false;
            }
            for c in adj(b).filter(|&c| c != a) {
                for d in adj(c).filter(|&d| d != a && d != b) {
                    if colors[a] == colors[c] && colors[b] == colors[d] {
                        return false;
                    }
                }
            }
        }
    }
    true
}

fn count_is_distinct_colours(colors: &[usize], count: usize) -> bool {
    let mut seen = colors.to_vec();
    seen.sort_unstable();
    seen.dedup();
    seen.len() == count && colors.iter().all(|&c| c < count)
}

fn tridiagonal(n: usize) -> SparsityPattern {
    let rows = (0..n)
        .map(|i| (i.saturating_sub(1)..(i + 2).min(n)).collect())
        .collect();
    SparsityPattern::new(n, n, rows).unwrap()
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 96,
        rng_seed: RngSeed::Fixed(0x5eed_5ba5),
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------- property tests

proptest! {
    #![proptest_config(config())]

    #[test]
    fn sparse_jacobian_equals_dense_in_both_modes(f in random_map()) {
        let x = point(f.n);
        let dense = dense_jacobian(&f, &x);
        let (j, s) = sparse::sparse_jacobian(&f, &x);
        prop_assert!(close(&j.to_dense(), &dense));
        prop_assert!(covers_nonzeros(&j, &dense));
        for mode in [Mode::Forward, Mode::Reverse] {
            let s = s.clone().with_mode(mode);
            let j = sparse::sparse_jacobian_with(&s, &f, &x).unwrap();
            prop_assert!(close(&j.to_dense(), &dense), "{mode:?}");
        }
        // The pattern holds at another point (no branches).
        let y: Vec<f64> = x.iter().map(|v| 1.3 - v).collect();
        let j = sparse::sparse_jacobian_with(&s, &f, &y).unwrap();
        prop_assert!(close(&j.to_dense(), &dense_jacobian(&f, &y)));
    }

    #[test]
    fn sparse_hessian_equals_dense(f in random_map()) {
        let x = point(f.n);
        let dense = dense_hessian(&f, &x);
        let (h, s) = sparse::sparse_hessian(&f, &x);
        prop_assert!(close(&h.to_dense(), &dense));
        prop_assert!(covers_nonzeros(&h, &dense));
        prop_assert!(star_valid(s.pattern(), s.coloring().colors()));
    }

    #[test]
    fn colourings_of_random_patterns_are_valid(
        (m, n, rows) in (1usize..15, 1usize..15).prop_flat_map(|(m, n)| {
            (Just(m), Just(n), prop::collection::vec(prop::collection::vec(0..n, 0..5), m))
        })
    ) {
        let p = SparsityPattern::new(m, n, rows).unwrap();
        let cols = column_coloring(&p);
        prop_assert!(columns_valid(&p, cols.colors()));
        prop_assert!(count_is_distinct_colours(cols.colors(), cols.count()));
        // At least as many colours as the longest row has entries.
        let longest = (0..m).map(|i| p.row(i).len()).max().unwrap_or(0);
        prop_assert!(cols.count() >= longest);
        let rows = row_coloring(&p);
        prop_assert!(columns_valid(&p.transpose(), rows.colors()));
        let square = SparsityPattern::new(n, n, (0..n).map(|i| {
            if i < m { p.row(i).to_vec() } else { Vec::new() }
        }).collect()).unwrap();
        let star = star_coloring(&square);
        prop_assert!(star_valid(&square, star.colors()));
        prop_assert!(count_is_distinct_colours(star.colors(), star.count()));
    }
}

// ---------------------------------------------------------------- structured functions

#[test]
fn tridiagonal_patterns_take_three_colours() {
    for n in [3, 4, 10, 101] {
        let p = tridiagonal(n);
        assert_eq!(column_coloring(&p).count(), 3, "columns, n = {n}");
        assert_eq!(row_coloring(&p).count(), 3, "rows, n = {n}");
        // For n = 3 the graph is a star (one centre), and a star takes 2 colours.
        let star = star_coloring(&p);
        assert_eq!(star.count(), if n == 3 { 2 } else { 3 }, "star, n = {n}");
        assert!(star_valid(&p, star.colors()));
    }
}

#[test]
fn bratu_residual_jacobian_is_tridiagonal_and_matches_dense() {
    let x = point(40);
    let (j, s) = sparse::sparse_jacobian(&Bratu, &x);
    assert_eq!(s.pattern(), &tridiagonal(40));
    assert_eq!(s.coloring().count(), 3);
    assert!(close(&j.to_dense(), &dense_jacobian(&Bratu, &x)));
}

#[test]
fn rosenbrock_hessian_is_tridiagonal_with_three_colours() {
    for n in [2, 4, 10, 57] {
        let x = point(n);
        let (h, s) = sparse::sparse_hessian(&Rosenbrock, &x);
        assert_eq!(s.pattern(), &tridiagonal(n));
        assert_eq!(s.coloring().count(), if n == 2 { 2 } else { 3 });
        assert!(close(&h.to_dense(), &dense_hessian(&Rosenbrock, &x)));
        let by_reverse = weifen::reverse::hessian(|x| Rosenbrock.eval(x), &x);
        assert!(close(&h.to_dense(), &by_reverse));
    }
}

#[test]
fn arrowhead_hessian_matches_dense_with_two_colours() {
    let x = point(30);
    let (h, s) = sparse::sparse_hessian(&Arrowhead, &x);
    // Row 0 is full, every other row has (i, 0) and (i, i).
    assert_eq!(s.pattern().nnz(), 30 + 2 * 29);
    // A star: the hub alone, the leaves together.
    assert_eq!(s.coloring().count(), 2);
    assert!(close(&h.to_dense(), &dense_hessian(&Arrowhead, &x)));
}

#[test]
fn banded_and_arrowhead_jacobians_match_dense() {
    let x = point(25);
    let (j, s) = sparse::sparse_jacobian(&Banded { arrow: false }, &x);
    assert_eq!(s.pattern().nnz(), 25 * 5 - 2 * (1 + 2));
    assert_eq!(s.column_coloring().count(), 5);
    assert!(close(
        &j.to_dense(),
        &dense_jacobian(&Banded { arrow: false }, &x)
    ));
    // A dense column costs one more colour, not n.
    let f = Banded { arrow: true };
    let (j, s) = sparse::sparse_jacobian(&f, &x);
    assert!(s.coloring().count() <= 6, "{}", s.coloring().count());
    assert!(close(&j.to_dense(), &dense_jacobian(&f, &x)));
}

// ---------------------------------------------------------------- a pattern that no longer holds

/// `y₀ = x₀ + x₁ + x₂` (three colours), `y₁ = 2x₀` where `x₀ > 0`, `y₁ = 2x₁` elsewhere.
fn switch<S: Scalar + PartialOrd<f64>>(x: &[S]) -> Vec<S> {
    let sum = x[0].clone() + x[1].clone() + x[2].clone();
    match x[0] > 0.0 {
        true => vec![sum, x[0].clone() * 2.0],
        false => vec![sum, x[1].clone() * 2.0],
    }
}

#[test]
fn reused_pattern_on_another_branch_is_reported() {
    let s = JacobianSparsity::detect(|x: &[Tracer]| switch(x), &[1.0, 1.0, 1.0]);
    assert_eq!(s.pattern().row(1), &[0]);
    assert_eq!(s.column_coloring().count(), 3);
    let ok = sparse::forward_jacobian_with(&s, switch, &[2.0, 1.0, 1.0]);
    assert_eq!(
        ok.unwrap().to_dense(),
        ndarray::array![[1.0, 1.0, 1.0], [2.0, 0.0, 0.0]]
    );
    let err = sparse::forward_jacobian_with(&s, switch, &[-1.0, 1.0, 1.0]).unwrap_err();
    assert!(
        matches!(
            err,
            SparseError::PatternChanged {
                row: 1,
                value: 2.0,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("detect the pattern again"));
    // Detected again at the new point, the new pattern is not covered by the old one.
    let again = JacobianSparsity::detect(|x: &[Tracer]| switch(x), &[-1.0, 1.0, 1.0]);
    assert!(!s.pattern().covers(again.pattern()));
}

#[test]
fn reused_hessian_pattern_on_another_branch_is_reported() {
    fn g<S: Scalar + PartialOrd<f64>>(x: &[S]) -> S {
        match x[0] > 0.0 {
            true => x[1].clone().powi(2),
            false => x[1].clone() * x[2].clone(),
        }
    }
    let s = HessianSparsity::detect(|x: &[Tracer]| g(x), &[1.0, 1.0, 1.0]);
    let h = sparse::hessian_with(&s, |x: &[HessianVar<'_>]| g(x), &[1.0, 3.0, 1.0]).unwrap();
    assert_eq!(h.get(1, 1), Some(&2.0));
    let err = sparse::hessian_with(&s, |x: &[HessianVar<'_>]| g(x), &[-1.0, 3.0, 1.0]);
    assert!(
        matches!(err, Err(SparseError::PatternChanged { .. })),
        "{err:?}"
    );
}

#[test]
fn wrong_lengths_name_both_lengths() {
    let (_, s) = sparse::sparse_jacobian(&Bratu, &[0.1; 4]);
    let err = sparse::sparse_jacobian_with(&s, &Bratu, &[0.1; 5]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the point x has length 5, but the pattern's columns has length 4; they must be equal"
    );
    let (_, s) = sparse::sparse_hessian(&Rosenbrock, &[0.1; 4]);
    assert!(matches!(
        sparse::sparse_hessian_with(&s, &Rosenbrock, &[0.1; 3]),
        Err(SparseError::Length(_))
    ));
    let bad = SparsityPattern::new(2, 2, vec![vec![0], vec![2]]).unwrap_err();
    assert_eq!(
        bad.to_string(),
        "pattern entry (1, 2) is out of range: the pattern has 2 columns"
    );
}

#[test]
fn parsed_formulas_are_traced_like_rust_functions() {
    use weifen::symbolic::{Expr, Formula};
    let fs: Vec<Expr> = ["x*y + sin(z)", "exp(z)/y"]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    let formula = Formula::new(&fs, &["x", "y", "z"]).unwrap();
    let x = [0.5, 2.0, 1.5];
    let (j, s) = sparse::sparse_jacobian(&formula, &x);
    assert_eq!(
        s.pattern().positions().collect::<Vec<_>>(),
        vec![(0, 0), (0, 1), (0, 2), (1, 1), (1, 2)]
    );
    assert!(close(&j.to_dense(), &dense_jacobian(&formula, &x)));
    let single = Formula::new(&fs[..1], &["x", "y", "z"]).unwrap();
    let (h, s) = sparse::sparse_hessian(&single, &x);
    assert_eq!(s.pattern().nnz(), 3);
    assert!(close(&h.to_dense(), &dense_hessian(&single, &x)));
}

/// `[Σ xᵢ², x₀x₁, …]` and `(Σ xᵢ)³`: dense row and dense Hessian, more colours than one
/// chunk of tangents carries.
struct Dense;
impl VectorFn for Dense {
    fn eval<S: Scalar>(&self, x: &[S]) -> Vec<S> {
        let mut y = vec![
            x.iter()
                .fold(S::constant(0.0), |s, xi| s + xi.clone().powi(2)),
        ];
        y.extend(x.windows(2).map(|w| w[0].clone() * w[1].clone()));
        y
    }
}
impl MultivariateFn for Dense {
    fn eval<S: Scalar>(&self, x: &[S]) -> S {
        x.iter()
            .fold(S::constant(0.0), |s, xi| s + xi.clone())
            .powi(3)
    }
}

#[test]
fn more_colours_than_one_chunk_take_several_sweeps() {
    let x = point(20);
    let (j, s) = sparse::sparse_jacobian(&Dense, &x);
    assert_eq!(s.column_coloring().count(), 20);
    assert!(close(&j.to_dense(), &dense_jacobian(&Dense, &x)));
    let j = sparse::sparse_jacobian_with(&s.clone().with_mode(Mode::Reverse), &Dense, &x).unwrap();
    assert!(close(&j.to_dense(), &dense_jacobian(&Dense, &x)));
    let (h, s) = sparse::sparse_hessian(&Dense, &x[..11]);
    assert_eq!(s.coloring().count(), 11);
    assert!(close(&h.to_dense(), &dense_hessian(&Dense, &x[..11])));
    // The closure forms carry CHUNK colours per evaluation whatever the count.
    let h2 = sparse::hessian_with(&s, |x| MultivariateFn::eval(&Dense, x), &x[..11]).unwrap();
    assert_eq!(h2.to_dense(), h.to_dense());
}
