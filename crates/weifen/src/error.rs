//! Errors for library misuse that a caller can act on.

use std::fmt;

/// A vector argument whose length does not match the input: a `jvp` direction or an `hvp`
/// vector of the wrong length.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LengthError {
    /// The operator and argument at fault, e.g. `"jvp direction"`.
    pub what: &'static str,
    /// The length it must have (the number of inputs).
    pub expected: usize,
    /// The length it has.
    pub found: usize,
}

impl fmt::Display for LengthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} has length {}, but the input x has length {}; they must be equal",
            self.what, self.found, self.expected
        )
    }
}

impl std::error::Error for LengthError {}

/// Checks that `found == expected`, naming `what` otherwise.
pub(crate) fn check_length(
    what: &'static str,
    expected: usize,
    found: usize,
) -> Result<(), LengthError> {
    if expected == found {
        Ok(())
    } else {
        Err(LengthError {
            what,
            expected,
            found,
        })
    }
}
