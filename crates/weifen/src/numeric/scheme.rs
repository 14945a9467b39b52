//! The named finite-difference schemes, and the stencil each gives for a derivative order.

use super::{NumericError, Stencil};
use std::borrow::Cow;
use std::sync::OnceLock;

/// A finite-difference scheme: which points around `x` the derivative is taken from.
///
/// | scheme | offsets for order n | accuracy p |
/// |---|---|---|
/// | `Forward` | `0, 1, …, n` | 1 |
/// | `Backward` | `−n, …, −1, 0` | 1 |
/// | `Central` (default) | `−m, …, m`, `m = ⌊(n+1)/2⌋` | 2 |
/// | `FivePoint` (n ≤ 4) | `−2, −1, 0, 1, 2` | 4 for n ≤ 2, 2 for n = 3, 4 |
/// | `Custom(offsets)` | as given (one-sided too), via Fornberg's algorithm | from the moments |
///
/// ```
/// use weifen::numeric::Scheme;
///
/// assert_eq!(Scheme::Central.stencil(1).unwrap().offsets(), &[-1.0, 0.0, 1.0]);
/// assert_eq!(Scheme::FivePoint.stencil(2).unwrap().accuracy(), 4);
/// // A one-sided fourth-order first derivative.
/// let s = Scheme::Custom(vec![0.0, 1.0, 2.0, 3.0, 4.0]).stencil(1).unwrap();
/// assert_eq!(s.accuracy(), 4);
/// assert!(Scheme::FivePoint.stencil(5).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Scheme {
    /// One-sided to the right, first-order accurate.
    Forward,
    /// One-sided to the left, first-order accurate.
    Backward,
    /// Symmetric, second-order accurate (the base of Richardson extrapolation by default).
    #[default]
    Central,
    /// The symmetric five-point stencil, for derivative orders 1 to 4.
    FivePoint,
    /// Any distinct offsets, in units of the step; the weights come from Fornberg's algorithm.
    Custom(Vec<f64>),
}

impl Scheme {
    /// The named schemes (every variant but `Custom`), for tables and studies.
    pub const NAMED: [Scheme; 4] = [
        Scheme::Forward,
        Scheme::Backward,
        Scheme::Central,
        Scheme::FivePoint,
    ];

    /// The scheme's name, as printed in tables and the command line.
    pub fn name(&self) -> &'static str {
        match self {
            Scheme::Forward => "forward",
            Scheme::Backward => "backward",
            Scheme::Central => "central",
            Scheme::FivePoint => "five-point",
            Scheme::Custom(_) => "custom",
        }
    }

    /// The stencil of this scheme for the derivative of order `n`.
    ///
    /// # Errors
    /// [`NumericError::UnsupportedOrder`] for `n = 0` or `FivePoint` with `n > 4`; for
    /// `Custom`, the errors of [`Stencil::new`].
    pub fn stencil(&self, n: usize) -> Result<Stencil, NumericError> {
        let max = match self {
            Scheme::FivePoint => 4,
            // A custom stencil's limit is its number of points: Stencil::new says so.
            _ => usize::MAX,
        };
        if n == 0 || n > max {
            return Err(NumericError::UnsupportedOrder {
                scheme: self.name(),
                order: n,
                max,
            });
        }
        let range = |lo: i64, hi: i64| (lo..=hi).map(|k| k as f64).collect::<Vec<_>>();
        let n_i = n as i64;
        let offsets = match self {
            Scheme::Forward => range(0, n_i),
            Scheme::Backward => range(-n_i, 0),
            Scheme::Central => {
                let m = (n_i + 1) / 2;
                range(-m, m)
            }
            Scheme::FivePoint => range(-2, 2),
            Scheme::Custom(offsets) => offsets.clone(),
        };
        Stencil::new(&offsets, n)
    }
}

impl Scheme {
    /// The stencil for order `n`, built once per named scheme for orders 1 to 4: Fornberg's
    /// weights and the moments cost more (≈ 0.5 µs, a few allocations) than a cheap `f`.
    pub(crate) fn cached(&self, n: usize) -> Result<Cow<'static, Stencil>, NumericError> {
        static TABLE: OnceLock<Vec<Stencil>> = OnceLock::new();
        let index = match self {
            Scheme::Forward => 0,
            Scheme::Backward => 1,
            Scheme::Central => 2,
            Scheme::FivePoint => 3,
            Scheme::Custom(_) => return self.stencil(n).map(Cow::Owned),
        };
        if !(1..=4).contains(&n) {
            return self.stencil(n).map(Cow::Owned);
        }
        let table = TABLE.get_or_init(|| {
            Scheme::NAMED
                .iter()
                .flat_map(|s| (1..=4).map(move |n| s.stencil(n).expect("orders 1 to 4 exist")))
                .collect()
        });
        Ok(Cow::Borrowed(&table[index * 4 + n - 1]))
    }
}

/// The one-sided stencil with the same derivative order and accuracy as `stencil`: offsets
/// `0, 1, …, n + p − 1` (to the right) or their negatives, for use next to a domain bound.
pub(crate) fn one_sided(stencil: &Stencil, to_the_right: bool) -> Stencil {
    let points = stencil.order() + stencil.accuracy();
    let offsets: Vec<f64> = (0..points).map(|k| k as f64).collect();
    let right = Stencil::new(&offsets, stencil.order()).expect("distinct offsets, enough points");
    if to_the_right {
        right
    } else {
        right.mirrored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn central_stencils_are_second_order_for_every_derivative_order() {
        for n in 1..=6 {
            assert_eq!(
                Scheme::Central.stencil(n).unwrap().accuracy(),
                2,
                "order {n}"
            );
        }
    }

    #[test]
    fn one_sided_stencils_keep_the_accuracy() {
        let five = Scheme::FivePoint.stencil(1).unwrap();
        let right = one_sided(&five, true);
        assert_eq!(right.accuracy(), 4);
        assert!(right.offsets().iter().all(|&o| o >= 0.0));
        let left = one_sided(&five, false);
        assert!(left.offsets().iter().all(|&o| o <= 0.0));
    }

    #[test]
    fn orders_a_scheme_cannot_give_are_errors() {
        assert_eq!(
            Scheme::FivePoint.stencil(5),
            Err(NumericError::UnsupportedOrder {
                scheme: "five-point",
                order: 5,
                max: 4
            })
        );
        assert!(Scheme::Central.stencil(0).is_err());
        assert_eq!(
            Scheme::Custom(vec![0.0, 1.0]).stencil(2),
            Err(NumericError::TooFewPoints {
                points: 2,
                order: 2
            })
        );
    }
}
