//! The command's error: bad input (exit 2) or a failure while running (exit 1).

use std::fmt;
use std::process::ExitCode;
use weifen::method::MethodError;

/// What went wrong, already phrased for the user.
#[derive(Debug)]
pub enum CliError {
    /// The input is wrong: a formula that does not parse, a flag with a bad value, a variable
    /// without a value. Exit code 2, like clap's own usage errors.
    Input(String),
    /// The input was fine but running failed (an unwritable file, a plot that cannot be
    /// drawn). Exit code 1.
    Failure(String),
    /// Standard output was closed by its reader (`weifen … | head`): stop quietly with
    /// success, as other command-line tools do.
    OutputClosed,
}

impl CliError {
    /// The process exit code.
    pub fn code(&self) -> ExitCode {
        match self {
            CliError::Input(_) => ExitCode::from(2),
            CliError::Failure(_) => ExitCode::from(1),
            CliError::OutputClosed => ExitCode::SUCCESS,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Input(m) | CliError::Failure(m) => f.write_str(m),
            CliError::OutputClosed => f.write_str("standard output was closed"),
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            CliError::OutputClosed
        } else {
            CliError::Failure(e.to_string())
        }
    }
}

impl From<MethodError> for CliError {
    fn from(e: MethodError) -> Self {
        match e {
            // A finite-difference method that rejects its point failed while running.
            MethodError::Numeric(_) => CliError::Failure(e.to_string()),
            MethodError::Eval(weifen::symbolic::EvalError::UnknownVariable { ref name }) => {
                CliError::Input(format!("{e}; give it a value with --at {name}=VALUE"))
            }
            _ => CliError::Input(e.to_string()),
        }
    }
}

/// Shorthand for the commands' results.
pub type Result<T, E = CliError> = std::result::Result<T, E>;
