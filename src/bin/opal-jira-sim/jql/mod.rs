//! A small JQL implementation: a lexer, a recursive-descent parser and an evaluator that
//! resolves values against the simulated site and filters and orders its issues.

mod eval;
mod lexer;
mod parser;

pub use eval::{Context, compile};
pub use parser::parse;

/// A JQL failure, reported to the caller as a 400 with this message in `errorMessages`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JqlError {
    pub message: String,
}

impl JqlError {
    /// A syntax error at a position, worded the way Jira words them.
    pub fn at(what: &str, line: usize, col: usize) -> JqlError {
        JqlError {
            message: format!("Error in the JQL Query: {what}. (line {line}, character {col})"),
        }
    }

    /// A semantic error (unknown field, value or operator) with a complete message.
    pub fn plain(message: impl Into<String>) -> JqlError {
        JqlError {
            message: message.into(),
        }
    }
}
