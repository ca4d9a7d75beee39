//! The current time, pinnable for tests.
//!
//! Every decision that depends on time (expiry, audit timestamps) asks the [`Clock`],
//! never the system directly, so tests can pin it with `__OPAL_JIRA_TEST_NOW` and check
//! expiry without sleeping.

use anyhow::Context as _;
use chrono::{DateTime, SecondsFormat, Utc};

/// The environment variable that pins the clock (RFC 3339). For tests only.
pub const TEST_NOW_VAR: &str = "__OPAL_JIRA_TEST_NOW";

/// The source of "now".
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// The system clock, unless the test variable pins it.
    pub fn from_env() -> anyhow::Result<Clock> {
        match std::env::var(TEST_NOW_VAR) {
            Ok(value) => {
                let at = DateTime::parse_from_rfc3339(&value)
                    .with_context(|| format!("{TEST_NOW_VAR} is not an RFC 3339 time: {value}"))?;
                Ok(Clock::Fixed(at.with_timezone(&Utc)))
            }
            Err(_) => Ok(Clock::System),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(at) => *at,
        }
    }
}

/// Formats a time as the contract wants it: RFC 3339, UTC, `Z` suffix, whole seconds.
pub fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Parses a user-supplied RFC 3339 time (any offset), for `--until` and `--since`.
pub fn parse_rfc3339(input: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(input.trim())
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| {
            format!(
                "invalid time `{input}`: expected RFC 3339, e.g. `2026-12-24T18:00:00Z` or `2026-12-24T19:00:00+01:00`"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_with_z() {
        let at = parse_rfc3339("2026-12-24T19:00:00+01:00").expect("valid time");
        assert_eq!(rfc3339(at), "2026-12-24T18:00:00Z");
    }

    #[test]
    fn refuses_other_formats() {
        for bad in [
            "",
            "tomorrow",
            "2026-12-24",
            "2026-12-24 18:00",
            "1700000000",
        ] {
            assert!(parse_rfc3339(bad).is_err(), "{bad:?} accepted");
        }
    }
}
