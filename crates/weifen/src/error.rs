//! Errors for library misuse that a caller can act on.

use std::fmt;

/// A vector argument whose length does not match: a `jvp` direction or an `hvp` vector that
/// differs in length from the input, a `vjp` cotangent that differs from the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LengthError {
    /// The operator and argument at fault, e.g. `"jvp direction"`.
    pub what: &'static str,
    /// What it must match, e.g. `"the input x"`.
    pub other: &'static str,
    /// The length it must have.
    pub expected: usize,
    /// The length it has.
    pub found: usize,
}

impl fmt::Display for LengthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} has length {}, but {} has length {}; they must be equal",
            self.what, self.found, self.other, self.expected
        )
    }
}

impl std::error::Error for LengthError {}

/// Checks that `found == expected`, naming `what` and `other` otherwise.
pub(crate) fn check_length(
    what: &'static str,
    other: &'static str,
    expected: usize,
    found: usize,
) -> Result<(), LengthError> {
    if expected == found {
        Ok(())
    } else {
        Err(LengthError {
            what,
            other,
            expected,
            found,
        })
    }
}
