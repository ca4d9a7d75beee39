//! Errors that users are meant to read, and the exit code each one maps to.
//!
//! Expected failures (bad input, missing configuration, a refused rule) are a
//! [`UserError`]: a one-line message, optional hints, and the exit kind. Everything else
//! travels as `anyhow::Error` with context attached at each boundary; `main` walks the
//! chain to find a `UserError` and picks the exit code from it.

use std::fmt;

/// The exit code classes of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitKind {
    /// The operation failed or partly failed: exit code 1.
    Failure,
    /// Usage or configuration error: exit code 2.
    Usage,
}

impl ExitKind {
    pub fn code(self) -> i32 {
        match self {
            ExitKind::Failure => 1,
            ExitKind::Usage => 2,
        }
    }
}

/// An error whose message is written for the person at the terminal.
#[derive(Debug)]
pub struct UserError {
    pub kind: ExitKind,
    pub message: String,
    pub hints: Vec<String>,
}

impl UserError {
    /// A usage or configuration error (exit code 2).
    pub fn usage(message: impl Into<String>) -> Self {
        UserError {
            kind: ExitKind::Usage,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// A failed operation (exit code 1).
    pub fn failure(message: impl Into<String>) -> Self {
        UserError {
            kind: ExitKind::Failure,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// Adds a hint: a full sentence telling the user what to try next.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

/// The user errors in an error chain, outermost first. A `UserError` attached with
/// `.context(..)` is found too (a chain walk alone would not see it).
fn user_errors(err: &anyhow::Error) -> Vec<&UserError> {
    let mut found: Vec<&UserError> = Vec::new();
    let attached = err.downcast_ref::<UserError>();
    let in_chain = err
        .chain()
        .filter_map(|cause| cause.downcast_ref::<UserError>());
    for user in attached.into_iter().chain(in_chain) {
        if !found.iter().any(|seen| std::ptr::eq(*seen, user)) {
            found.push(user);
        }
    }
    found
}

/// The first `UserError` in an error chain, whether it is an error in the chain or
/// context attached to one (`err.context(UserError::..)`).
pub fn user_error(err: &anyhow::Error) -> Option<&UserError> {
    user_errors(err).first().copied()
}

/// The exit kind of an error chain: the first `UserError` in it decides, and anything
/// else is a plain failure.
pub fn exit_kind(err: &anyhow::Error) -> ExitKind {
    user_errors(err)
        .first()
        .map_or(ExitKind::Failure, |user| user.kind)
}

/// The hints attached anywhere in an error chain, in order: those of user errors, and
/// the advice that goes with a Jira failure.
pub fn hints(err: &anyhow::Error) -> Vec<String> {
    let mut hints: Vec<String> = user_errors(err)
        .iter()
        .flat_map(|user| user.hints.iter().cloned())
        .collect();
    for cause in err.chain() {
        if let Some(hint) = cause
            .downcast_ref::<crate::jira::JiraError>()
            .and_then(|e| e.hint())
        {
            hints.push(hint);
        }
    }
    let mut seen = std::collections::HashSet::new();
    hints.retain(|hint| seen.insert(hint.clone()));
    hints
}

#[cfg(test)]
mod tests {
    use anyhow::Context as _;

    use super::*;

    #[test]
    fn a_user_error_attached_as_context_decides_the_exit_code() {
        let err = Err::<(), _>(std::io::Error::other("disk"))
            .context(UserError::usage("bad path").hint("Pass --db."))
            .unwrap_err();
        assert_eq!(exit_kind(&err), ExitKind::Usage);
        assert_eq!(hints(&err), ["Pass --db."]);
    }

    #[test]
    fn a_user_error_at_the_root_is_found_once() {
        let err = anyhow::Error::new(UserError::failure("failed").hint("Retry."))
            .context("while doing things");
        assert_eq!(exit_kind(&err), ExitKind::Failure);
        assert_eq!(hints(&err), ["Retry."]);
        let plain = anyhow::anyhow!("plain");
        assert_eq!(exit_kind(&plain), ExitKind::Failure);
        assert!(hints(&plain).is_empty());
    }
}
