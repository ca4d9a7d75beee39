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

/// Shorthand for `Err(UserError::usage(..).into())`.
pub fn usage<T>(message: impl Into<String>) -> anyhow::Result<T> {
    Err(UserError::usage(message).into())
}

/// The outermost `UserError` of an error, including one attached with
/// `.context(UserError…)`: `chain()` yields such a layer as anyhow's own wrapper type,
/// which a downcast of the chain's items does not see through.
fn context_user_error(err: &anyhow::Error) -> Option<&UserError> {
    err.downcast_ref::<UserError>()
}

/// The exit kind of an error chain: the first `UserError` in it decides, and anything
/// else is a plain failure.
pub fn exit_kind(err: &anyhow::Error) -> ExitKind {
    context_user_error(err)
        .or_else(|| {
            err.chain()
                .find_map(|cause| cause.downcast_ref::<UserError>())
        })
        .map_or(ExitKind::Failure, |user| user.kind)
}

/// The hints attached anywhere in an error chain, in order: those of user errors, and
/// the advice that goes with a Jira failure.
pub fn hints(err: &anyhow::Error) -> Vec<String> {
    let mut hints: Vec<String> = Vec::new();
    if let Some(user) = context_user_error(err) {
        hints.extend(user.hints.iter().cloned());
    }
    for cause in err.chain() {
        if let Some(user) = cause.downcast_ref::<UserError>() {
            hints.extend(user.hints.iter().cloned());
        } else if let Some(hint) = cause
            .downcast_ref::<crate::jira::JiraError>()
            .and_then(|e| e.hint())
        {
            hints.push(hint);
        }
    }
    // The context layer's UserError may also be the chain's first item.
    let mut unique: Vec<String> = Vec::with_capacity(hints.len());
    for hint in hints {
        if !unique.contains(&hint) {
            unique.push(hint);
        }
    }
    unique
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_error_attached_as_context_decides_and_hints() {
        let cause = std::io::Error::other("disk on fire");
        let err = anyhow::Error::new(cause)
            .context(UserError::usage("cannot use the database").hint("Point --db elsewhere."));
        assert_eq!(exit_kind(&err), ExitKind::Usage);
        assert_eq!(hints(&err), ["Point --db elsewhere."]);

        let plain: anyhow::Error = UserError::failure("no").hint("Try again.").into();
        let wrapped = plain.context("while doing it");
        assert_eq!(exit_kind(&wrapped), ExitKind::Failure);
        assert_eq!(hints(&wrapped), ["Try again."]);
        assert_eq!(exit_kind(&anyhow::anyhow!("other")), ExitKind::Failure);
    }
}
