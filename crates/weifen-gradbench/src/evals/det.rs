//! `det`: the determinant of an `ℓ × ℓ` matrix by expansion by minors along the first row,
//! recursively (`ℓ!·(e − 1)` products: not an algorithm for large matrices, a source of
//! scalar operations), and its gradient with respect to the matrix.
//!
//! Mode: reverse, the matrix's `ℓ²` entries being the inputs of one output. The whole
//! recording at ℓ = 11 would be about 1.4·10⁸ operations (over 2 GB of tape at 16–24 bytes each),
//! so the `ℓ` minors of the first row are [`checkpoint`]ed: the tape holds their values, and
//! the backward sweep records each minor again on a scratch tape when it reaches it. The
//! peak tape is one minor's (a factor `ℓ` smaller) for one more evaluation of the function.
//! Forward mode would need `⌈ℓ²/8⌉` passes of chunked dual numbers.
//!
//! Layout: `A` row-major, flat. Remaining columns of a minor are a bit mask; its rows are
//! always the last `m` rows (the first remaining row is the one expanded).

use super::{Output, Prepared, count, numbers, wants_gradient};
use serde_json::Value;
use weifen::Scalar;
use weifen::reverse::{Tape, Var, checkpoint};

/// The largest edge accepted: `ℓ!` grows past any time budget beyond it.
const MAX_ELL: usize = 16;

/// The determinant of the minor of the `ℓ × ℓ` row-major `a` made of its last
/// `columns.count_ones()` rows and of the columns in the mask `columns`.
fn minor<S: Scalar>(a: &[S], ell: usize, columns: u32) -> S {
    let m = columns.count_ones() as usize;
    let row = &a[(ell - m) * ell..(ell - m + 1) * ell];
    if m == 1 {
        return row[columns.trailing_zeros() as usize].clone();
    }
    let mut det: Option<S> = None;
    let mut rest = columns;
    let mut even = true;
    while rest != 0 {
        let c = rest.trailing_zeros();
        rest &= rest - 1;
        let term = row[c as usize].clone() * minor(a, ell, columns & !(1 << c));
        det = Some(match det {
            None => term,
            Some(d) if even => d + term,
            Some(d) => d - term,
        });
        even = !even;
    }
    det.expect("a minor has at least one column")
}

/// `det A` by expansion by minors; `a` is `ℓ × ℓ`, row-major, `1 ≤ ℓ ≤ 16`.
pub fn det<S: Scalar>(a: &[S], ell: usize) -> S {
    minor(a, ell, (1u32 << ell) - 1)
}

/// `∇ det A`, row-major: the first row's minors are checkpointed (see the module docs).
fn gradient(tape: &mut Tape, a: &[f64], ell: usize) -> Vec<f64> {
    tape.clear();
    let vars = tape.vars(a);
    if ell == 1 {
        return vec![1.0];
    }
    let mut det: Option<Var<'_>> = None;
    for c in 0..ell {
        let entries: Vec<Var<'_>> = (1..ell)
            .flat_map(|r| (0..ell).filter(move |&k| k != c).map(move |k| (r, k)))
            .map(|(r, k)| vars[r * ell + k])
            .collect();
        let size = ell - 1;
        let sub = checkpoint(tape, move |m| vec![self::det(m, size)], &entries)[0];
        let term = vars[c] * sub;
        det = Some(match det {
            None => term,
            Some(d) if c % 2 == 0 => d + term,
            Some(d) => d - term,
        });
    }
    det.expect("ℓ ≥ 2").backward().wrt_all(&vars)
}

struct Det {
    a: Vec<f64>,
    ell: usize,
    tape: Option<Tape>,
    output: Output,
}

impl Prepared for Det {
    fn run(&mut self) {
        self.output = match &mut self.tape {
            None => Output::Primal(det(&self.a, self.ell)),
            Some(tape) => Output::Gradient(gradient(tape, &self.a, self.ell)),
        };
    }

    fn output(&self) -> Value {
        self.output.to_json()
    }
}

/// Prepares `primal` or `gradient`; the input is `{"A": [ℓ² numbers, row-major], "ell": ℓ}`.
pub fn prepare(function: &str, input: &Value) -> Result<Box<dyn Prepared>, String> {
    let gradient = wants_gradient("det", function)?;
    let a = numbers(input, "A")?;
    let ell = count(input, "ell")?;
    if !(1..=MAX_ELL).contains(&ell) {
        return Err(format!(
            "the input's \"ell\" must be between 1 and {MAX_ELL} (expansion by minors takes ℓ! steps), not {ell}"
        ));
    }
    if a.len() != ell * ell {
        return Err(format!(
            "the input's \"A\" has {} entries where ell = {ell} needs {}",
            a.len(),
            ell * ell
        ));
    }
    Ok(Box::new(Det {
        a,
        ell,
        tape: gradient.then(Tape::new),
        output: Output::Primal(f64::NAN),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evals::testing::{floats, run_once};
    use serde_json::json;

    fn run(function: &str, a: &[f64], ell: usize) -> Value {
        run_once(prepare, function, &json!({"A": a, "ell": ell}))
    }

    #[test]
    fn determinant_of_a_triangular_matrix_is_its_diagonal_product() {
        let a = [2.0, 7.0, -1.0, 0.0, 3.0, 5.0, 0.0, 0.0, -0.5];
        assert_eq!(run("primal", &a, 3).as_f64(), Some(-3.0));
    }

    #[test]
    fn determinant_of_a_permutation_is_its_sign() {
        // (0 1 2 3) ↦ (1 0 3 2): two transpositions, +1; (0 1 2) ↦ (1 2 0): a 3-cycle, +1;
        // one transposition of a 2 × 2: −1.
        let p4 = [
            0., 1., 0., 0., 1., 0., 0., 0., 0., 0., 0., 1., 0., 0., 1., 0.,
        ];
        assert_eq!(run("primal", &p4, 4).as_f64(), Some(1.0));
        let p3 = [0., 1., 0., 0., 0., 1., 1., 0., 0.];
        assert_eq!(run("primal", &p3, 3).as_f64(), Some(1.0));
        assert_eq!(run("primal", &[0., 1., 1., 0.], 2).as_f64(), Some(-1.0));
    }

    #[test]
    fn gradient_of_a_3x3_is_its_cofactor_matrix() {
        let a = [1.5, -2.0, 0.5, 3.0, 1.0, -1.0, 0.25, 4.0, 2.0];
        let m = |r: usize, c: usize| a[3 * r + c];
        // Cofactor Cᵣ꜀ = (−1)^(r+c) det(minor), written out with 2 × 2 determinants.
        let cof = |r: usize, c: usize| {
            let rows: Vec<usize> = (0..3).filter(|&i| i != r).collect();
            let cols: Vec<usize> = (0..3).filter(|&j| j != c).collect();
            let d = m(rows[0], cols[0]) * m(rows[1], cols[1])
                - m(rows[0], cols[1]) * m(rows[1], cols[0]);
            if (r + c).is_multiple_of(2) { d } else { -d }
        };
        let g = floats(&run("gradient", &a, 3));
        for r in 0..3 {
            for c in 0..3 {
                assert!((g[3 * r + c] - cof(r, c)).abs() < 1e-14);
            }
        }
    }

    #[test]
    fn gradient_is_det_times_inverse_transpose() {
        // ∂ det A/∂A = det(A)·A⁻ᵀ; A⁻¹ by Gauss–Jordan elimination with partial pivoting.
        let ell = 5;
        let a: Vec<f64> = (0..ell * ell)
            .map(|k| ((k * 37 % 11) as f64 - 5.0) / 3.0 + if k % 6 == 0 { 4.0 } else { 0.0 })
            .collect();
        let mut work: Vec<Vec<f64>> = (0..ell)
            .map(|r| {
                let mut row = a[r * ell..(r + 1) * ell].to_vec();
                row.extend((0..ell).map(|c| f64::from(u8::from(c == r))));
                row
            })
            .collect();
        let mut det = 1.0;
        for c in 0..ell {
            let p = (c..ell)
                .max_by(|&i, &j| work[i][c].abs().total_cmp(&work[j][c].abs()))
                .unwrap();
            if p != c {
                work.swap(p, c);
                det = -det;
            }
            let pivot = work[c][c];
            det *= pivot;
            for v in &mut work[c] {
                *v /= pivot;
            }
            for r in (0..ell).filter(|&r| r != c) {
                let f = work[r][c];
                let pivot_row = work[c].clone();
                for (v, p) in work[r].iter_mut().zip(&pivot_row) {
                    *v -= f * p;
                }
            }
        }
        let primal = run("primal", &a, ell).as_f64().unwrap();
        assert!((primal - det).abs() < 1e-12 * det.abs().max(1.0));
        let g = floats(&run("gradient", &a, ell));
        for r in 0..ell {
            for c in 0..ell {
                let exact = det * work[c][ell + r]; // (A⁻¹)ᵀ[r][c] = A⁻¹[c][r]
                let got = g[r * ell + c];
                assert!(
                    (got - exact).abs() < 1e-11 * det.abs().max(1.0),
                    "{got} vs {exact}"
                );
            }
        }
    }

    #[test]
    fn one_by_one() {
        assert_eq!(run("primal", &[-4.0], 1).as_f64(), Some(-4.0));
        assert_eq!(floats(&run("gradient", &[-4.0], 1)), vec![1.0]);
    }

    #[test]
    fn a_matrix_of_the_wrong_size_is_refused() {
        let e = prepare("primal", &json!({"A": [1.0, 2.0, 3.0], "ell": 2}))
            .err()
            .unwrap();
        assert!(e.contains("\"A\" has 3 entries") && e.contains("needs 4"));
        let e = prepare("primal", &json!({"A": [], "ell": 0}))
            .err()
            .unwrap();
        assert!(e.contains("\"ell\""));
    }
}
