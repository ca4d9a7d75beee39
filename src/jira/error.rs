//! The one place where Jira failures become words: every failed call ends up as a
//! [`JiraError`] naming the request (method and path, never the token or headers),
//! what went wrong, and what Jira itself said when it said anything.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;

use crate::error::UserError;

/// A failed Jira call. Boxed inside, so results carrying it stay small.
#[derive(Debug, Clone)]
pub struct JiraError(Box<Inner>);

#[derive(Debug, Clone)]
struct Inner {
    method: String,
    endpoint: String,
    kind: JiraErrorKind,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JiraErrorKind {
    /// 401, or a login rejection announced by `X-Seraph-LoginReason`.
    Unauthorized {
        status: u16,
        login_reason: Option<String>,
        detail: JiraMessages,
    },
    /// 403: the credentials work but the account may not do this.
    Forbidden { detail: JiraMessages },
    /// 404: missing, or hidden from this account (Jira does not say which).
    NotFound { detail: JiraMessages },
    /// Still throttled (429) after the allowed retries and waiting time.
    RateLimited {
        retries: u32,
        waited: Duration,
        asked_wait: Option<Duration>,
    },
    /// Any other non-success status.
    Status {
        status: u16,
        reason: String,
        detail: JiraMessages,
        html: bool,
    },
    /// A 3xx answer: redirects are never followed.
    Redirect {
        status: u16,
        location: Option<String>,
    },
    /// The connection failed or timed out.
    Network {
        host: String,
        cause: String,
        timeout: bool,
    },
    /// A success status with an HTML page where JSON was expected.
    Html { status: u16 },
    /// The body is not JSON at all (truncated, garbage).
    InvalidJson { cause: String },
    /// The body is JSON but not the shape the endpoint documents.
    UnexpectedShape { cause: String },
    /// The body exceeds the size cap and was not read to the end.
    TooLarge { limit: u64 },
    /// The time the caller allowed for all its Jira calls ran out (see
    /// `JiraClient::with_time_limit`) before this call could finish.
    OutOfTime { limit: Duration },
    /// Jira reported an error for one issue of a batch.
    IssueError { id: String, message: String },
    /// The caller passed something that cannot be sent (e.g. a malformed id).
    InvalidInput { message: String },
}

/// The `errorMessages` and field `errors` from a Jira error body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JiraMessages {
    pub messages: Vec<String>,
    pub field_errors: Vec<(String, String)>,
}

/// The platform API's error body (`errorMessages`, `errors`), or the service desk
/// API's (`errorMessage`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireErrorBody {
    #[serde(default)]
    error_messages: Vec<String>,
    #[serde(default)]
    errors: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    error_message: Option<String>,
}

impl JiraMessages {
    /// Reads Jira's error body; anything that is not Jira's error shape gives none.
    pub fn from_body(body: &[u8]) -> JiraMessages {
        let Ok(wire) = serde_json::from_slice::<WireErrorBody>(body) else {
            return JiraMessages::default();
        };
        let field_errors = wire
            .errors
            .into_iter()
            .map(|(field, value)| {
                let text = match value {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                (field, text)
            })
            .collect();
        let messages = wire
            .error_messages
            .into_iter()
            .chain(wire.error_message)
            .filter(|m| !m.trim().is_empty())
            .collect();
        JiraMessages {
            messages,
            field_errors,
        }
    }

    /// True when Jira gave neither messages nor field errors.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty() && self.field_errors.is_empty()
    }

    /// Masks `secret` wherever Jira (or a proxy) echoed it back.
    pub(crate) fn redact(mut self, secret: &str) -> JiraMessages {
        let mask = |text: &mut String| *text = redact(text, secret);
        self.messages.iter_mut().for_each(mask);
        self.field_errors
            .iter_mut()
            .for_each(|(_, text)| mask(text));
        self
    }
}

impl fmt::Display for JiraMessages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = self.messages.iter().map(|m| one_line(m)).collect();
        parts.extend(
            self.field_errors
                .iter()
                .map(|(k, v)| format!("{k}: {}", one_line(v))),
        );
        f.write_str(&parts.join("; "))
    }
}

/// `text` with every occurrence of `secret` replaced by a placeholder.
pub(crate) fn redact(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        text.to_string()
    } else {
        text.replace(secret, "********")
    }
}

/// Jira's messages sometimes span lines; an error message must not.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl JiraError {
    pub(crate) fn new(method: &str, endpoint: &str, kind: JiraErrorKind) -> JiraError {
        JiraError(Box::new(Inner {
            method: method.to_string(),
            endpoint: endpoint.to_string(),
            kind,
        }))
    }

    /// `GET`, `POST`, …
    pub fn method(&self) -> &str {
        &self.0.method
    }

    /// The endpoint path, e.g. `/rest/api/3/myself` (no query string).
    pub fn endpoint(&self) -> &str {
        &self.0.endpoint
    }

    /// What went wrong, for callers that need more than the classifiers.
    pub fn kind(&self) -> &JiraErrorKind {
        &self.0.kind
    }

    /// The HTTP status Jira answered with, when it answered at all.
    pub fn status(&self) -> Option<u16> {
        match self.kind() {
            JiraErrorKind::Unauthorized { status, .. }
            | JiraErrorKind::Status { status, .. }
            | JiraErrorKind::Redirect { status, .. }
            | JiraErrorKind::Html { status } => Some(*status),
            JiraErrorKind::Forbidden { .. } => Some(403),
            JiraErrorKind::NotFound { .. } => Some(404),
            JiraErrorKind::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// 404: the thing is missing or hidden from this account.
    pub fn is_not_found(&self) -> bool {
        matches!(self.kind(), JiraErrorKind::NotFound { .. })
    }

    /// The credentials were refused.
    pub fn is_auth(&self) -> bool {
        matches!(self.kind(), JiraErrorKind::Unauthorized { .. })
    }

    /// The credentials work but lack a permission.
    pub fn is_forbidden(&self) -> bool {
        matches!(self.kind(), JiraErrorKind::Forbidden { .. })
    }

    /// Still throttled after the allowed retries.
    pub fn is_rate_limited(&self) -> bool {
        matches!(self.kind(), JiraErrorKind::RateLimited { .. })
    }

    /// Worth trying again later: throttling, network trouble, or a Jira-side 5xx.
    pub fn is_transient(&self) -> bool {
        match self.kind() {
            JiraErrorKind::RateLimited { .. }
            | JiraErrorKind::Network { .. }
            | JiraErrorKind::OutOfTime { .. } => true,
            JiraErrorKind::Status { status, .. } => *status >= 500 || *status == 408,
            _ => false,
        }
    }

    /// A full-sentence suggestion for the user, when there is a useful one.
    pub fn hint(&self) -> Option<String> {
        let hint = match self.kind() {
            JiraErrorKind::Unauthorized {
                login_reason: Some(reason),
                ..
            } if reason == "AUTHENTICATION_DENIED" => {
                "Jira may require a CAPTCHA after repeated failed logins: sign in once in a web browser, then run `opal-jira configure` again."
            }
            JiraErrorKind::Unauthorized { .. } => {
                "Run `opal-jira configure` to store a new token, or set OPAL_JIRA_TOKEN to a valid one."
            }
            JiraErrorKind::Forbidden { .. } => {
                "Ask a Jira administrator for the permission this needs, or use an account that has it."
            }
            JiraErrorKind::RateLimited { .. } => "Wait a minute and try again.",
            JiraErrorKind::Redirect { .. } | JiraErrorKind::Html { .. } => {
                "Check the Jira URL with `opal-jira configure show`: it should be the site's base URL."
            }
            JiraErrorKind::Network { .. } => {
                "Check the Jira URL and the network (proxy, VPN, firewall); `opal-jira doctor` runs the checks."
            }
            _ => return None,
        };
        Some(hint.to_string())
    }

    /// The error as a [`UserError`] (a failure, exit code 1) with its hint attached.
    pub fn to_user_error(&self) -> UserError {
        let user = UserError::failure(self.to_string());
        match self.hint() {
            Some(hint) => user.hint(hint),
            None => user,
        }
    }
}

impl fmt::Display for JiraError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let call = format!("`{} {}`", self.method(), self.endpoint());
        match self.kind() {
            JiraErrorKind::Unauthorized {
                status,
                login_reason,
                detail,
            } => {
                write!(f, "Jira refused the token for {call}")?;
                match login_reason {
                    Some(reason) => write!(f, " (status {status}, login reason {reason})")?,
                    None => write!(f, " ({status} Unauthorized)")?,
                }
                write_detail(f, detail)?;
                write!(
                    f,
                    "; re-run `opal-jira configure` to store a valid token (or fix OPAL_JIRA_TOKEN)"
                )
            }
            JiraErrorKind::Forbidden { detail } => {
                write!(
                    f,
                    "Jira answered 403 Forbidden for {call}: the account lacks permission"
                )?;
                write_detail(f, detail)
            }
            JiraErrorKind::NotFound { detail } => {
                write!(f, "Jira answered 404 Not Found for {call}")?;
                write_detail(f, detail)
            }
            JiraErrorKind::RateLimited {
                retries,
                waited,
                asked_wait,
            } => {
                write!(
                    f,
                    "Jira is rate limiting {call}: still 429 Too Many Requests after {retries} retries and {} s of waiting",
                    waited.as_secs()
                )?;
                if let Some(asked) = asked_wait {
                    write!(
                        f,
                        " (it asked for {} s more, past the limit)",
                        asked.as_secs()
                    )?;
                }
                Ok(())
            }
            JiraErrorKind::Status {
                status,
                reason,
                detail,
                html,
            } => {
                write!(f, "Jira answered {status}")?;
                if !reason.is_empty() {
                    write!(f, " {reason}")?;
                }
                write!(f, " for {call}")?;
                write_detail(f, detail)?;
                if *html {
                    write!(f, " (the body was an HTML page, perhaps from a proxy)")?;
                }
                Ok(())
            }
            JiraErrorKind::Redirect { status, location } => {
                let to = location
                    .as_deref()
                    .map_or("an unnamed location".to_string(), |l| format!("`{l}`"));
                write!(
                    f,
                    "Jira answered {call} with a redirect ({status}) to {to}: this looks like an SSO or login redirect, so the Jira URL is probably wrong"
                )
            }
            JiraErrorKind::Network { host, cause, .. } => {
                write!(f, "could not reach Jira at `{host}` for {call}: {cause}")
            }
            JiraErrorKind::Html { status } => write!(
                f,
                "Jira sent an HTML page instead of JSON for {call} (status {status}): a proxy or SSO login page may be answering in Jira's place"
            ),
            JiraErrorKind::InvalidJson { cause } => {
                write!(
                    f,
                    "Jira sent a response that is not valid JSON for {call}: {cause}"
                )
            }
            JiraErrorKind::UnexpectedShape { cause } => {
                write!(
                    f,
                    "Jira's response to {call} does not have the expected shape: {cause}"
                )
            }
            JiraErrorKind::TooLarge { limit } => write!(
                f,
                "Jira's response to {call} is larger than the {} MiB limit and was not read",
                limit / (1024 * 1024)
            ),
            JiraErrorKind::OutOfTime { limit } => write!(
                f,
                "gave up on {call}: the {} s allowed for Jira calls ran out",
                limit.as_secs()
            ),
            JiraErrorKind::IssueError { id, message } => {
                write!(
                    f,
                    "Jira could not return issue {id} for {call}: {}",
                    one_line(message)
                )
            }
            JiraErrorKind::InvalidInput { message } => write!(f, "{message} (for {call})"),
        }
    }
}

fn write_detail(f: &mut fmt::Formatter<'_>, detail: &JiraMessages) -> fmt::Result {
    if detail.is_empty() {
        Ok(())
    } else {
        write!(f, ": {detail}")
    }
}

impl std::error::Error for JiraError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(kind: JiraErrorKind) -> JiraError {
        JiraError::new("GET", "/rest/api/3/issue/10012", kind)
    }

    #[test]
    fn reads_error_messages_and_field_errors() {
        let body = br#"{"errorMessages":["Field 'x' does not exist.",""],
                        "errors":{"jql":"bad\nquery","n":3}}"#;
        let messages = JiraMessages::from_body(body);
        assert_eq!(messages.messages, vec!["Field 'x' does not exist."]);
        assert_eq!(
            messages.to_string(),
            "Field 'x' does not exist.; jql: bad query; n: 3"
        );
        assert!(JiraMessages::from_body(b"<html>").is_empty());
        assert!(JiraMessages::from_body(b"[1,2]").is_empty());
    }

    #[test]
    fn reads_the_service_desk_api_error_body() {
        let body = br#"{"errorMessage":"You must be a Jira administrator to create customers.",
                        "i18nErrorMessage":{"i18nKey":"sd.x","parameters":[]}}"#;
        let messages = JiraMessages::from_body(body);
        assert_eq!(
            messages.to_string(),
            "You must be a Jira administrator to create customers."
        );
    }

    #[test]
    fn classification() {
        let unauthorized = err(JiraErrorKind::Unauthorized {
            status: 401,
            login_reason: None,
            detail: JiraMessages::default(),
        });
        assert!(unauthorized.is_auth() && !unauthorized.is_transient());
        assert_eq!(unauthorized.status(), Some(401));
        let not_found = err(JiraErrorKind::NotFound {
            detail: JiraMessages::default(),
        });
        assert!(not_found.is_not_found() && !not_found.is_auth());
        let status = |status| {
            err(JiraErrorKind::Status {
                status,
                reason: String::new(),
                detail: JiraMessages::default(),
                html: false,
            })
        };
        assert!(status(503).is_transient());
        assert!(!status(400).is_transient());
        let network = err(JiraErrorKind::Network {
            host: "h".into(),
            cause: "c".into(),
            timeout: true,
        });
        assert!(network.is_transient() && network.status().is_none());
    }

    #[test]
    fn messages_name_the_call_and_give_advice() {
        let unauthorized = err(JiraErrorKind::Unauthorized {
            status: 401,
            login_reason: None,
            detail: JiraMessages::default(),
        });
        let text = unauthorized.to_string();
        assert!(text.contains("`GET /rest/api/3/issue/10012`"), "{text}");
        assert!(text.contains("refused the token"), "{text}");
        assert!(
            text.contains("opal-jira configure") && text.contains("OPAL_JIRA_TOKEN"),
            "{text}"
        );
        let user = unauthorized.to_user_error();
        assert_eq!(user.kind, crate::error::ExitKind::Failure);
        assert_eq!(user.hints.len(), 1);

        let forbidden = err(JiraErrorKind::Forbidden {
            detail: JiraMessages::default(),
        });
        assert!(forbidden.to_string().contains("lacks permission"));
    }
}
