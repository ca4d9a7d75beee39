//! A string that must never be printed: the Jira token.

use std::fmt;

/// A secret value. `Debug` and `Display` print a placeholder, so a secret that ends up
/// in a log line or an error message by accident shows nothing.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one place that needs it (an `Authorization` header,
    /// a keyring write).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A redacted form safe to show: the length and the last two characters at most.
    pub fn redacted(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() < 12 {
            return "********".to_string();
        }
        let tail: String = chars[chars.len() - 2..].iter().collect();
        format!("********{tail} ({} characters)", chars.len())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(********)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("********")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let secret = Secret::new("tok-1234567890-abcdef");
        assert!(!format!("{secret:?}").contains("tok-"));
        assert!(!format!("{secret}").contains("tok-"));
        assert_eq!(secret.expose(), "tok-1234567890-abcdef");
    }

    #[test]
    fn redacted_shows_at_most_a_short_tail() {
        assert_eq!(Secret::new("short").redacted(), "********");
        let long = Secret::new("abcdefghijklmnopqrstuvwxyz");
        assert_eq!(long.redacted(), "********yz (26 characters)");
    }
}
