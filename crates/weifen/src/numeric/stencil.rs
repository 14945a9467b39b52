//! Finite-difference stencils: weights from Fornberg's algorithm, for any offsets and any
//! derivative order.

use super::NumericError;

/// A finite-difference formula `f⁽ⁿ⁾(x) ≈ Σⱼ wⱼ·f(x + oⱼh) / hⁿ` for given offsets `oⱼ`.
///
/// The weights solve the moment conditions `Σⱼ wⱼ·oⱼ^q = n!·[q = n]` for `q < N` (N points),
/// computed by Fornberg's recurrence (Fornberg 1988), which is stable for any distinct
/// offsets, unlike solving the Vandermonde system. Expanding `f` in a Taylor series shows the
/// error: `D(h) − f⁽ⁿ⁾(x) = Σ_{q ≥ N} μ_q/q!·f⁽q⁾(x)·h^{q−n}` with the moments
/// `μ_q = Σⱼ wⱼ·oⱼ^q`. The first `q` with `μ_q ≠ 0` gives the order of accuracy
/// `p = q − n`; symmetric stencils skip every other power (central differences have
/// `p = 2, 4, 6…`), which Richardson extrapolation exploits.
///
/// ```
/// use weifen::numeric::Stencil;
///
/// // The five-point central first derivative: (f(−2h) − 8f(−h) + 8f(h) − f(2h)) / 12h.
/// let s = Stencil::new(&[-2.0, -1.0, 0.0, 1.0, 2.0], 1).unwrap();
/// let w = s.weights();
/// assert!((w[0] - 1.0 / 12.0).abs() < 1e-15 && (w[1] + 2.0 / 3.0).abs() < 1e-15);
/// assert_eq!(w[2], 0.0);
/// assert_eq!(s.accuracy(), 4);
/// assert_eq!(&s.error_exponents()[..3], &[4, 6, 8]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Stencil {
    offsets: Vec<f64>,
    weights: Vec<f64>,
    order: usize,
    exponents: Vec<usize>,
    error_coefficient: f64,
}

/// How many powers of `h` of the truncation error a stencil records (enough columns for any
/// Richardson tableau within a sensible evaluation cap).
const EXPONENTS: usize = 10;

impl Stencil {
    /// The stencil for the `order`-th derivative on the given offsets (in units of `h`).
    ///
    /// # Errors
    /// [`NumericError::InvalidOffset`] if an offset is repeated or not finite;
    /// [`NumericError::UnsupportedOrder`] for order 0; [`NumericError::TooFewPoints`] if there
    /// are not more points than the order.
    pub fn new(offsets: &[f64], order: usize) -> Result<Stencil, NumericError> {
        for (i, &o) in offsets.iter().enumerate() {
            if !o.is_finite() || offsets[..i].contains(&o) {
                return Err(NumericError::InvalidOffset { offset: o });
            }
        }
        if order == 0 {
            let max = offsets.len().saturating_sub(1);
            return Err(NumericError::UnsupportedOrder {
                scheme: "stencil",
                order,
                max,
            });
        }
        if offsets.len() <= order {
            return Err(NumericError::TooFewPoints {
                points: offsets.len(),
                order,
            });
        }
        let mut weights = fornberg_weights(0.0, offsets, order).swap_remove(order);
        // Weights that cancel to rounding level (the centre of a central first difference)
        // are exactly zero: snapping them saves an evaluation and changes nothing else.
        let scale = weights.iter().fold(0.0f64, |m, w| m.max(w.abs()));
        for w in &mut weights {
            if w.abs() < 1e-13 * scale {
                *w = 0.0;
            }
        }
        let (exponents, error_coefficient) = truncation(offsets, &weights, order);
        Ok(Stencil {
            offsets: offsets.to_vec(),
            weights,
            order,
            exponents,
            error_coefficient,
        })
    }

    /// The offsets `oⱼ`, in units of the step.
    pub fn offsets(&self) -> &[f64] {
        &self.offsets
    }

    /// The weights `wⱼ`, one per offset.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// The derivative order `n`.
    pub fn order(&self) -> usize {
        self.order
    }

    /// The order of accuracy `p`: the truncation error is `O(hᵖ)`.
    pub fn accuracy(&self) -> usize {
        self.exponents[0]
    }

    /// The first powers of `h` in the truncation error, in increasing order.
    pub fn error_exponents(&self) -> &[usize] {
        &self.exponents
    }

    /// The leading truncation coefficient `C = μ_{n+p}/(n+p)!`:
    /// `D(h) − f⁽ⁿ⁾(x) ≈ C·f⁽ⁿ⁺ᵖ⁾(x)·hᵖ`.
    pub fn error_coefficient(&self) -> f64 {
        self.error_coefficient
    }

    /// The step that minimises the modelled error for `|f| ≈ |f⁽ⁿ⁺ᵖ⁾| ≈ 1` near `x = 1`.
    ///
    /// The model adds the truncation `|C|·hᵖ` and the rounding `ε·Σ|wⱼ|/hⁿ`; setting its
    /// derivative to zero gives `h* = (n·ε·Σ|wⱼ| / (p·|C|))^{1/(n+p)}`, which is
    /// `∝ ε^{1/(n+p)}`: `≈ 1.5e-8` for a forward difference, `≈ 8.7e-6` for a central one.
    pub fn optimal_step(&self) -> f64 {
        let (n, p) = (self.order as f64, self.accuracy() as f64);
        let sum: f64 = self.weights.iter().map(|w| w.abs()).sum();
        (n * f64::EPSILON * sum / (p * self.error_coefficient.abs())).powf(1.0 / (n + p))
    }

    /// The number of evaluations one application costs, not counting `f(x)`.
    pub(crate) fn evaluations_off_centre(&self) -> usize {
        self.points().filter(|&(o, _)| o != 0.0).count()
    }

    /// Whether one application needs `f(x)` (a nonzero weight at offset 0).
    pub(crate) fn uses_centre(&self) -> bool {
        self.points().any(|(o, _)| o == 0.0)
    }

    /// The (offset, weight) pairs with a nonzero weight.
    pub(crate) fn points(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.offsets
            .iter()
            .zip(&self.weights)
            .map(|(&o, &w)| (o, w))
            .filter(|&(_, w)| w != 0.0)
    }

    /// A copy with every offset negated (a backward stencil from a forward one).
    pub(crate) fn mirrored(&self) -> Stencil {
        let offsets: Vec<f64> = self.offsets.iter().map(|o| -o).collect();
        Stencil::new(&offsets, self.order).expect("negated offsets stay distinct and finite")
    }
}

/// Fornberg's recurrence: `c[k][j]` is the weight of node `j` in the `k`-th derivative at
/// `z`, for `k = 0..=max_order`, from the nodes `x`.
///
/// Each new node updates the weights of the old ones and gets its own, so the cost is
/// `O(N²·max_order)` and the result is exact for polynomials of degree `< N`.
pub fn fornberg_weights(z: f64, x: &[f64], max_order: usize) -> Vec<Vec<f64>> {
    let n = x.len();
    let mut c = vec![vec![0.0; n]; max_order + 1];
    if n == 0 {
        return c;
    }
    c[0][0] = 1.0;
    let mut c1 = 1.0;
    let mut c4 = x[0] - z;
    for i in 1..n {
        let mn = i.min(max_order);
        let mut c2 = 1.0;
        let c5 = c4;
        c4 = x[i] - z;
        for j in 0..i {
            let c3 = x[i] - x[j];
            c2 *= c3;
            if j == i - 1 {
                for k in (1..=mn).rev() {
                    c[k][i] = c1 * (k as f64 * c[k - 1][i - 1] - c5 * c[k][i - 1]) / c2;
                }
                c[0][i] = -c1 * c5 * c[0][i - 1] / c2;
            }
            for k in (1..=mn).rev() {
                c[k][j] = (c4 * c[k][j] - k as f64 * c[k - 1][j]) / c3;
            }
            c[0][j] = c4 * c[0][j] / c3;
        }
        c1 = c2;
    }
    c
}

/// The powers of `h` with a nonzero moment in the truncation error, and the leading
/// coefficient `μ_{n+p}/(n+p)!`.
fn truncation(offsets: &[f64], weights: &[f64], order: usize) -> (Vec<usize>, f64) {
    let mut exponents = Vec::with_capacity(EXPONENTS);
    let mut leading = 0.0;
    let mut factorial: f64 = (1..=order).map(|k| k as f64).product();
    // Bounded: the moments of distinct offsets cannot all vanish, but never loop on it.
    for q in order + 1..order + 64 {
        factorial *= q as f64;
        let (moment, size) = offsets
            .iter()
            .zip(weights)
            .fold((0.0, 0.0), |(m, s), (o, w)| {
                let t = w * o.powi(q as i32);
                (m + t, s + t.abs())
            });
        // A moment that vanishes in exact arithmetic cancels to rounding level here.
        if moment.abs() > 1e-10 * size {
            if exponents.is_empty() {
                leading = moment / factorial;
            }
            exponents.push(q - order);
            if exponents.len() == EXPONENTS {
                break;
            }
        }
    }
    if exponents.is_empty() {
        exponents.push(offsets.len() - order);
    }
    (exponents, leading)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_weights(offsets: &[f64], order: usize, expected: &[f64]) {
        let s = Stencil::new(offsets, order).unwrap();
        for (w, e) in s.weights().iter().zip(expected) {
            assert!(
                (w - e).abs() < 1e-13,
                "{offsets:?} order {order}: {w} != {e}"
            );
        }
    }

    #[test]
    fn central_first_derivative_weights_match_the_tables() {
        assert_weights(&[-1.0, 0.0, 1.0], 1, &[-0.5, 0.0, 0.5]);
        let o5 = [-2.0, -1.0, 0.0, 1.0, 2.0];
        assert_weights(
            &o5,
            1,
            &[1.0 / 12.0, -2.0 / 3.0, 0.0, 2.0 / 3.0, -1.0 / 12.0],
        );
        let o7 = [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0];
        let w7 = [
            -1.0 / 60.0,
            3.0 / 20.0,
            -0.75,
            0.0,
            0.75,
            -3.0 / 20.0,
            1.0 / 60.0,
        ];
        assert_weights(&o7, 1, &w7);
    }

    #[test]
    fn central_second_derivative_weights_match_the_tables() {
        assert_weights(&[-1.0, 0.0, 1.0], 2, &[1.0, -2.0, 1.0]);
        let o5 = [-2.0, -1.0, 0.0, 1.0, 2.0];
        assert_weights(
            &o5,
            2,
            &[-1.0 / 12.0, 4.0 / 3.0, -2.5, 4.0 / 3.0, -1.0 / 12.0],
        );
        let o7 = [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0];
        let w7 = [1.0 / 90.0, -0.15, 1.5, -49.0 / 18.0, 1.5, -0.15, 1.0 / 90.0];
        assert_weights(&o7, 2, &w7);
    }

    #[test]
    fn central_third_and_fourth_derivative_weights_match_the_tables() {
        let o5 = [-2.0, -1.0, 0.0, 1.0, 2.0];
        assert_weights(&o5, 3, &[-0.5, 1.0, 0.0, -1.0, 0.5]);
        assert_weights(&o5, 4, &[1.0, -4.0, 6.0, -4.0, 1.0]);
    }

    #[test]
    fn one_sided_weights_match_the_tables() {
        assert_weights(&[0.0, 1.0], 1, &[-1.0, 1.0]);
        assert_weights(&[0.0, 1.0, 2.0], 1, &[-1.5, 2.0, -0.5]);
        assert_weights(
            &[0.0, 1.0, 2.0, 3.0],
            1,
            &[-11.0 / 6.0, 3.0, -1.5, 1.0 / 3.0],
        );
        let o5 = [0.0, 1.0, 2.0, 3.0, 4.0];
        assert_weights(&o5, 1, &[-25.0 / 12.0, 4.0, -3.0, 4.0 / 3.0, -0.25]);
        assert_weights(&[0.0, 1.0, 2.0, 3.0], 2, &[2.0, -5.0, 4.0, -1.0]);
        assert_weights(&[-2.0, -1.0, 0.0], 1, &[0.5, -2.0, 1.5]);
    }

    #[test]
    fn accuracy_and_error_terms_follow_the_moments() {
        let central = Stencil::new(&[-1.0, 1.0], 1).unwrap();
        assert_eq!(&central.error_exponents()[..3], &[2, 4, 6]);
        assert!((central.error_coefficient() - 1.0 / 6.0).abs() < 1e-15);
        let forward = Stencil::new(&[0.0, 1.0], 1).unwrap();
        assert_eq!(&forward.error_exponents()[..3], &[1, 2, 3]);
        assert!((forward.error_coefficient() - 0.5).abs() < 1e-15);
    }

    #[test]
    fn optimal_steps_scale_as_powers_of_epsilon() {
        let forward = Stencil::new(&[0.0, 1.0], 1).unwrap();
        assert!((forward.optimal_step() / f64::EPSILON.sqrt() - 2.0).abs() < 1e-12);
        let central = Stencil::new(&[-1.0, 1.0], 1).unwrap();
        let expected = (3.0 * f64::EPSILON).cbrt();
        assert!((central.optimal_step() / expected - 1.0).abs() < 1e-12);
    }

    #[test]
    fn bad_stencils_are_typed_errors() {
        assert_eq!(
            Stencil::new(&[0.0, 1.0], 2),
            Err(NumericError::TooFewPoints {
                points: 2,
                order: 2
            })
        );
        assert_eq!(
            Stencil::new(&[0.0, 1.0, 1.0], 1),
            Err(NumericError::InvalidOffset { offset: 1.0 })
        );
        assert!(matches!(
            Stencil::new(&[0.0, 1.0], 0),
            Err(NumericError::UnsupportedOrder { order: 0, .. })
        ));
    }
}
