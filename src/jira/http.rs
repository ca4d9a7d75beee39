//! The path every request takes: authentication, sending, rate-limit retries,
//! login-failure detection, redirects refused, bodies read under a size cap, JSON
//! decoding, logging, and the turning of each failure into a [`JiraError`].
//!
//! Every call is bounded in time: each attempt by the read timeout, the waiting between
//! attempts by the retry budget, and all calls of a client made with
//! [`JiraClient::with_time_limit`] by that limit. Each answer's `Date` header is also
//! compared with this host's clock (see [`JiraClient::clock_skew`]).

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::io::Read;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use log::{debug, trace, warn};
use reqwest::blocking::Response;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;

use super::{
    Auth, JiraClient, JiraError, JiraErrorKind, JiraMessages, innermost_cause, parse_jira_time,
};

/// Retries after a 429 (or a 503 with `Retry-After`) before giving up.
const MAX_RETRIES: u32 = 4;

/// When the calls of a client must be over, and the limit that set it (for messages).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    at: Instant,
    limit: Duration,
}

/// The latest difference between Jira's clock (its `Date` header) and this host's,
/// shared by the clones of a client.
#[derive(Debug, Default)]
pub(crate) struct SkewProbe(Mutex<Option<chrono::Duration>>);

impl SkewProbe {
    fn observe(&self, skew: chrono::Duration) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(skew);
    }

    fn latest(&self) -> Option<chrono::Duration> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl JiraClient {
    /// A clone whose calls, all together, may take at most `limit` from now: each
    /// attempt's timeout and each rate-limit wait are cut to the time left, and a call
    /// made after that fails at once with [`JiraErrorKind::OutOfTime`].
    pub fn with_time_limit(&self, limit: Duration) -> JiraClient {
        let mut client = self.clone();
        client.deadline = Some(Deadline {
            at: Instant::now() + limit,
            limit,
        });
        client
    }

    /// How far Jira's clock is ahead of this host's (negative: behind), as seen in the
    /// `Date` header of the latest answer; `None` before any answer carried one.
    /// The header has whole seconds, so differences under two seconds mean nothing.
    pub fn clock_skew(&self) -> Option<chrono::Duration> {
        self.skew.latest()
    }

    pub(crate) fn new_skew_probe() -> Arc<SkewProbe> {
        Arc::default()
    }

    /// The time left before the deadline, if the client has one.
    fn time_left(&self) -> Option<Duration> {
        self.deadline
            .map(|deadline| deadline.at.saturating_duration_since(Instant::now()))
    }

    fn out_of_time(&self, call: &Call<'_>) -> Option<JiraError> {
        let deadline = self.deadline?;
        (Instant::now() >= deadline.at).then(|| {
            call.error(JiraErrorKind::OutOfTime {
                limit: deadline.limit,
            })
        })
    }

    /// Sends `call` and decodes a JSON success body into `T`.
    pub(crate) fn send_json<T: DeserializeOwned>(&self, call: &Call<'_>) -> Result<T, JiraError> {
        let body = self.send(call)?;
        serde_json::from_slice(&body).map_err(|err| {
            let cause = err.to_string();
            let kind = match err.classify() {
                serde_json::error::Category::Data => JiraErrorKind::UnexpectedShape { cause },
                _ => JiraErrorKind::InvalidJson { cause },
            };
            call.error(kind)
        })
    }

    /// Like [`send_json`](Self::send_json), with 404 meaning `None`.
    pub(crate) fn send_json_optional<T: DeserializeOwned>(
        &self,
        call: &Call<'_>,
    ) -> Result<Option<T>, JiraError> {
        match self.send_json(call) {
            Ok(value) => Ok(Some(value)),
            Err(err) if err.is_not_found() => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// Sends `call` to an endpoint that answers with no body (e.g. 204).
    pub(crate) fn send_no_content(&self, call: &Call<'_>) -> Result<(), JiraError> {
        self.send(call).map(drop)
    }

    /// Sends `call`, waiting out rate limits within the retry budget, and returns the
    /// body of a success answer.
    fn send(&self, call: &Call<'_>) -> Result<Vec<u8>, JiraError> {
        let mut budget = RetryBudget::new(self.max_retry_wait);
        loop {
            let response = self.attempt(call)?;
            let status = response.status();
            let headers = response.headers();

            if let Some(reason) = login_failure(headers).filter(|_| !call.anonymous_ok) {
                return Err(call.error(JiraErrorKind::Unauthorized {
                    status: status.as_u16(),
                    login_reason: Some(reason),
                    detail: JiraMessages::default(),
                }));
            }

            let throttled = status == StatusCode::TOO_MANY_REQUESTS
                || (status == StatusCode::SERVICE_UNAVAILABLE
                    && headers.contains_key("retry-after"));
            if throttled {
                if let Some(on_throttle) = call.on_throttle {
                    on_throttle();
                }
                let wait = throttle_wait(headers, budget.retries);
                let in_time = self.time_left().is_none_or(|left| wait < left);
                if in_time && budget.admit(wait) {
                    warn!(
                        "Jira answered {} to {} {}; retrying in {:.1} s",
                        status.as_u16(),
                        call.method,
                        call.path,
                        wait.as_secs_f64()
                    );
                    std::thread::sleep(wait);
                    continue;
                }
                if status == StatusCode::TOO_MANY_REQUESTS {
                    return Err(call.error(JiraErrorKind::RateLimited {
                        retries: budget.retries,
                        waited: budget.waited,
                        asked_wait: Some(wait),
                    }));
                }
            }
            return self.finish(call, response);
        }
    }

    /// Sends one attempt and logs its outcome.
    fn attempt(&self, call: &Call<'_>) -> Result<Response, JiraError> {
        if let Some(err) = self.out_of_time(call) {
            return Err(err);
        }
        let url = self.url_for(call)?;
        let mut request = self.http.request(call.method.clone(), url);
        if let Some(left) = self.time_left() {
            request = request.timeout(left.min(self.read_timeout));
        }
        request = match &self.auth {
            Auth::Basic { email, token } => request.basic_auth(email, Some(token.expose())),
            Auth::Bearer(token) => request.bearer_auth(token.expose()),
        };
        request = request.header(reqwest::header::ACCEPT, "application/json");
        for (name, value) in &call.headers {
            request = request.header(*name, *value);
        }
        if !call.query.is_empty() {
            request = request.query(&call.query);
        }
        if let Some(body) = &call.body {
            trace!("{} {} request body: {}", call.method, call.path, body);
            request = request.json(body);
        }

        let started = Instant::now();
        let result = request.send();
        let millis = started.elapsed().as_millis();
        match result {
            Ok(response) => {
                debug!(
                    "{} {} -> {} ({millis} ms)",
                    call.method,
                    call.path,
                    response.status().as_u16()
                );
                if let Some(skew) = date_skew(response.headers(), chrono::Utc::now()) {
                    self.skew.observe(skew);
                }
                Ok(response)
            }
            Err(err) => {
                debug!("{} {} -> failed ({millis} ms)", call.method, call.path);
                // A timeout cut short by the deadline is the deadline's doing.
                if err.is_timeout()
                    && let Some(err) = self.out_of_time(call)
                {
                    return Err(err);
                }
                Err(call.error(self.transport_error(&err)))
            }
        }
    }

    /// The full URL of `call`: the site (which may carry a context path) plus the path.
    fn url_for(&self, call: &Call<'_>) -> Result<Url, JiraError> {
        Url::parse(&format!("{}{}", self.site(), call.path)).map_err(|err| {
            call.error(JiraErrorKind::InvalidInput {
                message: format!("bad request URL: {err}"),
            })
        })
    }

    /// Turns a non-throttled answer into the body or the right error.
    fn finish(&self, call: &Call<'_>, response: Response) -> Result<Vec<u8>, JiraError> {
        let status = response.status();
        if status.is_redirection() {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|value| value.to_str().ok())
                .map(|location| self.scrub(location));
            return Err(call.error(JiraErrorKind::Redirect {
                status: status.as_u16(),
                location,
            }));
        }

        let html_type = is_html_content_type(response.headers());
        if !status.is_success() {
            // An error body only adds detail: if it cannot be read, the status still speaks.
            let body = self.read_body(call, response).unwrap_or_default();
            let html = html_type || looks_like_html(&body);
            let detail = JiraMessages::from_body(&body).redact(self.token());
            let kind = match status.as_u16() {
                401 => JiraErrorKind::Unauthorized {
                    status: 401,
                    login_reason: None,
                    detail,
                },
                403 => JiraErrorKind::Forbidden { detail },
                // Jira's REST API answers 404 with JSON. An HTML 404 comes from something
                // else (a proxy, a wrong base URL) and proves nothing about the resource.
                404 if !html => JiraErrorKind::NotFound { detail },
                code => JiraErrorKind::Status {
                    status: code,
                    reason: status.canonical_reason().unwrap_or_default().to_string(),
                    detail,
                    html,
                },
            };
            return Err(call.error(kind));
        }

        let body = self.read_body(call, response)?;
        if html_type || looks_like_html(&body) {
            return Err(call.error(JiraErrorKind::Html {
                status: status.as_u16(),
            }));
        }
        Ok(body)
    }

    /// Reads a body, refusing anything past the size cap.
    fn read_body(&self, call: &Call<'_>, response: Response) -> Result<Vec<u8>, JiraError> {
        let limit = self.body_limit;
        if response
            .content_length()
            .is_some_and(|length| length > limit)
        {
            return Err(call.error(JiraErrorKind::TooLarge { limit }));
        }
        let mut body = Vec::new();
        // One byte past the cap tells "exactly at the cap" from "too big".
        response
            .take(limit + 1)
            .read_to_end(&mut body)
            .map_err(|err| {
                let reqwest_err = err
                    .get_ref()
                    .and_then(|e| e.downcast_ref::<reqwest::Error>());
                let kind = match reqwest_err {
                    Some(inner) => self.transport_error(inner),
                    None => JiraErrorKind::Network {
                        host: self.host(),
                        cause: format!("the answer was cut off: {err}"),
                        timeout: err.kind() == std::io::ErrorKind::TimedOut,
                    },
                };
                call.error(kind)
            })?;
        if body.len() as u64 > limit {
            return Err(call.error(JiraErrorKind::TooLarge { limit }));
        }
        trace!(
            "{} {} response body: {}",
            call.method,
            call.path,
            self.scrub(&preview(&body))
        );
        Ok(body)
    }

    /// Describes a failure to exchange bytes with the site.
    fn transport_error(&self, err: &reqwest::Error) -> JiraErrorKind {
        let timeout = err.is_timeout();
        let mut cause = if timeout && err.is_connect() {
            "could not connect in time (connect timeout)".to_string()
        } else if timeout {
            format!(
                "no complete answer within {} s (timed out)",
                self.read_timeout.as_secs_f64()
            )
        } else {
            innermost_cause(err)
        };
        if cause.to_ascii_lowercase().contains("certificate") {
            cause = self.certificate_problem(&cause);
        }
        JiraErrorKind::Network {
            host: self.host(),
            cause,
            timeout,
        }
    }
}

impl JiraClient {
    /// Says what is wrong with the site's certificate and what to do; `cause` is the
    /// TLS library's words. Verification cannot be turned off, so the advice never
    /// suggests it.
    fn certificate_problem(&self, cause: &str) -> String {
        let host = self.base_url.host_str().unwrap_or("?");
        let lower = cause.to_ascii_lowercase();
        if lower.contains("notvalidforname") || lower.contains("not valid for name") {
            format!(
                "the site's TLS certificate is not valid for `{host}` ({cause}); check the host name in the Jira URL"
            )
        } else if lower.contains("expired") || lower.contains("notvalidyet") {
            format!(
                "the site's TLS certificate is outside its validity period ({cause}); check this host's clock, or ask the site's administrators to renew it"
            )
        } else {
            format!(
                "the site's TLS certificate is not trusted ({cause}); if the site uses a private certificate authority, set OPAL_JIRA_CA_CERT to that authority's PEM certificate"
            )
        }
    }
}

/// One request: everything needed to build it again for a retry.
pub(crate) struct Call<'a> {
    method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: Vec<(&'static str, &'static str)>,
    body: Option<serde_json::Value>,
    /// Told about every 429 or throttling 503, even one that is retried.
    on_throttle: Option<&'a (dyn Fn() + Sync)>,
    /// The endpoint answers anonymous callers, so a rejected login still gets a useful
    /// answer (serverInfo): `X-Seraph-LoginReason` is then not an error here.
    anonymous_ok: bool,
}

impl<'a> Call<'a> {
    pub(crate) fn get(path: String) -> Call<'a> {
        Call {
            method: Method::GET,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            on_throttle: None,
            anonymous_ok: false,
        }
    }

    /// Marks an endpoint that answers anonymous callers.
    pub(crate) fn anonymous_ok(mut self) -> Call<'a> {
        self.anonymous_ok = true;
        self
    }

    pub(crate) fn post(path: String, body: serde_json::Value) -> Call<'a> {
        Call {
            method: Method::POST,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: Some(body),
            on_throttle: None,
            anonymous_ok: false,
        }
    }

    pub(crate) fn query(mut self, name: &'static str, value: impl Into<String>) -> Call<'a> {
        self.query.push((name, value.into()));
        self
    }

    /// Adds a request header (never one carrying a secret: headers are not redacted).
    pub(crate) fn header(mut self, name: &'static str, value: &'static str) -> Call<'a> {
        self.headers.push((name, value));
        self
    }

    pub(crate) fn on_throttle(mut self, callback: &'a (dyn Fn() + Sync)) -> Call<'a> {
        self.on_throttle = Some(callback);
        self
    }

    /// An error about this call.
    pub(crate) fn error(&self, kind: JiraErrorKind) -> JiraError {
        JiraError::new(self.method.as_str(), &self.path, kind)
    }
}

/// How much rate-limit waiting one call has done and may still do.
struct RetryBudget {
    max_wait: Duration,
    waited: Duration,
    retries: u32,
}

impl RetryBudget {
    fn new(max_wait: Duration) -> RetryBudget {
        RetryBudget {
            max_wait,
            waited: Duration::ZERO,
            retries: 0,
        }
    }

    /// Counts a retry after `wait` if both the retry count and the waiting time allow it.
    fn admit(&mut self, wait: Duration) -> bool {
        if self.retries >= MAX_RETRIES || self.waited + wait > self.max_wait {
            return false;
        }
        self.retries += 1;
        self.waited += wait;
        true
    }
}

/// How long to wait before retrying a throttled request: `Retry-After` seconds, else
/// until `X-RateLimit-Reset`, else a doubling backoff from one second with jitter.
fn throttle_wait(headers: &HeaderMap, retries: u32) -> Duration {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };

    // Data Center sends `retry-after: 0` while tokens remain; that is no guidance.
    let retry_after = header("retry-after").and_then(|v| v.parse::<u64>().ok());
    if let Some(secs) = retry_after.filter(|secs| *secs > 0) {
        return Duration::from_secs(secs);
    }
    let until_reset = header("x-ratelimit-reset")
        .and_then(parse_jira_time)
        .and_then(|reset| (reset - chrono::Utc::now()).to_std().ok());
    if let Some(until) = until_reset.filter(|until| !until.is_zero()) {
        return until;
    }

    let base = Duration::from_secs(1) * 2u32.saturating_pow(retries.min(10));
    // Spread retries of parallel workers so they do not hit Jira in lockstep.
    let jitter = 0.8 + (RandomState::new().hash_one(Instant::now()) % 400) as f64 / 1000.0;
    base.mul_f64(jitter)
}

/// The login rejection announced by `X-Seraph-LoginReason`, if any. Anonymous-capable
/// endpoints answer 200 with this header when the credentials are bad.
fn login_failure(headers: &HeaderMap) -> Option<String> {
    let reason = headers.get("x-seraph-loginreason")?.to_str().ok()?;
    // The header may list several reasons separated by commas.
    reason
        .split(',')
        .map(str::trim)
        .find(|r| matches!(*r, "AUTHENTICATED_FAILED" | "AUTHENTICATION_DENIED"))
        .map(str::to_string)
}

/// How far the clock behind an answer's `Date` header is ahead of `now`.
fn date_skew(headers: &HeaderMap, now: chrono::DateTime<chrono::Utc>) -> Option<chrono::Duration> {
    let date = headers.get(reqwest::header::DATE)?.to_str().ok()?;
    let at = chrono::DateTime::parse_from_rfc2822(date.trim()).ok()?;
    Some(at.with_timezone(&chrono::Utc) - now)
}

fn is_html_content_type(headers: &HeaderMap) -> bool {
    headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("text/html"))
}

/// Whether a body is an HTML page (whatever the content type claims).
fn looks_like_html(body: &[u8]) -> bool {
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let head = String::from_utf8_lossy(&body[start..body.len().min(start + 64)]).to_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.starts_with("<head")
}

/// The start of a body, for trace logs.
fn preview(body: &[u8]) -> String {
    const MAX: usize = 4096;
    let text = String::from_utf8_lossy(&body[..body.len().min(MAX)]);
    if body.len() > MAX {
        format!("{text}… ({} bytes)", body.len())
    } else {
        text.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::time::{Duration, Instant};

    use reqwest::header::{HeaderMap, HeaderValue};
    use serde_json::json;

    use super::super::testserver::{Reply, TEST_TOKEN, TestServer};
    use super::super::{Deployment, JiraConfig, MAX_BODY_BYTES};
    use super::*;
    use crate::secret::Secret;

    /// The `myself` answer of a valid login.
    fn me() -> Reply {
        Reply::json(
            200,
            json!({"accountId": "acc-1", "displayName": "Ana", "active": true}),
        )
    }

    fn cloud(server: &TestServer) -> JiraClient {
        server.client(Deployment::Cloud)
    }

    #[test]
    fn cloud_sends_basic_auth_with_email_and_token() {
        let server = TestServer::start(|_| me());
        cloud(&server).myself().unwrap();
        let request = &server.requests()[0];
        assert_eq!(request.path(), "/rest/api/3/myself");
        // base64("ana@example.com:tok-SECRET-9f8e7d6c5b4a")
        assert_eq!(
            request.header("authorization"),
            Some("Basic YW5hQGV4YW1wbGUuY29tOnRvay1TRUNSRVQtOWY4ZTdkNmM1YjRh")
        );
        assert_eq!(request.header("accept"), Some("application/json"));
    }

    #[test]
    fn data_center_sends_the_token_as_bearer() {
        let server = TestServer::start(|_| me());
        server.client(Deployment::DataCenter).myself().unwrap();
        let request = &server.requests()[0];
        assert_eq!(request.path(), "/rest/api/2/myself");
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TEST_TOKEN}").as_str())
        );
    }

    #[test]
    fn seraph_login_failure_on_a_200_is_an_auth_error() {
        for reason in ["AUTHENTICATED_FAILED", "AUTHENTICATION_DENIED"] {
            let server = TestServer::start(move |_| {
                Reply::json(200, json!({"version": "9.12.0"}))
                    .header("X-Seraph-LoginReason", reason)
            });
            let client = server.client(Deployment::DataCenter);
            let err = client.myself().unwrap_err();
            assert!(err.is_auth(), "{reason}: {err}");
            // serverInfo answers anonymous callers: the header is no error there.
            assert!(client.server_info().is_ok(), "{reason}");
            assert!(err.to_string().contains(reason), "{err}");
            assert!(err.to_string().contains("opal-jira configure"), "{err}");
        }
        let server = TestServer::start(|_| me().header("X-Seraph-LoginReason", "OK"));
        assert!(cloud(&server).myself().is_ok(), "OK is a successful login");
    }

    #[test]
    fn unauthorized_with_an_html_body() {
        let server = TestServer::start(|_| {
            Reply::raw(
                401,
                "text/html;charset=UTF-8",
                "<!DOCTYPE html><html><title>Unauthorized (401)</title></html>",
            )
        });
        let err = cloud(&server).myself().unwrap_err();
        assert!(err.is_auth() && !err.is_transient());
        let text = err.to_string();
        assert!(
            text.starts_with("Jira refused the token for `GET /rest/api/3/myself` (401"),
            "{text}"
        );
        assert!(text.contains("re-run `opal-jira configure`") && text.contains("OPAL_JIRA_TOKEN"));
        assert!(
            err.hint()
                .is_some_and(|h| h.contains("opal-jira configure"))
        );
    }

    #[test]
    fn forbidden_names_the_missing_permission() {
        let server = TestServer::start(|_| {
            Reply::json(
                403,
                json!({"errorMessages": ["You do not have permission to view this project."]}),
            )
        });
        let err = cloud(&server).project("OPS").unwrap_err();
        assert!(err.is_forbidden() && !err.is_auth());
        assert!(err.to_string().contains("lacks permission"), "{err}");
        assert!(
            err.to_string().contains("You do not have permission"),
            "{err}"
        );
    }

    #[test]
    fn server_errors_show_jira_messages() {
        let server = TestServer::start(|_| {
            Reply::json(
                500,
                json!({"errorMessages": ["Internal server error"],
                "errors": {"jql": "Field 'x' does not exist"}}),
            )
        });
        let err = cloud(&server).search("x = 1", 10).unwrap_err();
        assert!(err.is_transient());
        assert_eq!(err.status(), Some(500));
        assert_eq!(
            err.to_string(),
            "Jira answered 500 Internal Server Error for `POST /rest/api/3/search/jql`: Internal server error; jql: Field 'x' does not exist"
        );
        assert_eq!(server.requests().len(), 1, "a 500 is not retried");
    }

    #[test]
    fn a_503_without_retry_after_fails_at_once() {
        let server = TestServer::start(|_| Reply::raw(503, "text/html", "<html>down</html>"));
        let err = cloud(&server).myself().unwrap_err();
        assert!(
            err.to_string()
                .starts_with("Jira answered 503 Service Unavailable"),
            "{err}"
        );
        assert!(err.to_string().contains("HTML page"), "{err}");
        assert_eq!(server.requests().len(), 1);
    }

    #[test]
    fn a_429_is_retried_after_retry_after() {
        let server = TestServer::start(|request| {
            if request.index == 0 {
                Reply::json(429, json!({})).header("Retry-After", "1")
            } else {
                me()
            }
        });
        let started = Instant::now();
        assert_eq!(cloud(&server).myself().unwrap().display_name, "Ana");
        assert!(
            started.elapsed() >= Duration::from_secs(1),
            "waited {:?}",
            started.elapsed()
        );
        assert_eq!(server.requests().len(), 2);
    }

    #[test]
    fn a_503_with_retry_after_is_retried() {
        let server = TestServer::start(|request| {
            if request.index == 0 {
                Reply::json(503, json!({})).header("Retry-After", "1")
            } else {
                me()
            }
        });
        assert!(cloud(&server).myself().is_ok());
        assert_eq!(server.requests().len(), 2);
    }

    #[test]
    fn endless_429_gives_up_within_the_budget() {
        let server = TestServer::start(|_| Reply::json(429, json!({})).header("Retry-After", "1"));
        let mut config = server.config(Deployment::Cloud);
        config.max_retry_wait = Duration::from_secs(2);
        let client = JiraClient::new(config).unwrap();

        let started = Instant::now();
        let err = client.myself().unwrap_err();
        let elapsed = started.elapsed();
        assert!(err.is_rate_limited() && err.is_transient(), "{err}");
        assert!(
            err.to_string()
                .starts_with("Jira is rate limiting `GET /rest/api/3/myself`")
        );
        assert!(
            err.to_string()
                .contains("after 2 retries and 2 s of waiting"),
            "{err}"
        );
        assert!(
            elapsed >= Duration::from_secs(2) && elapsed < Duration::from_secs(4),
            "{elapsed:?}"
        );
        assert_eq!(server.requests().len(), 3);
    }

    #[test]
    fn a_retry_after_beyond_the_budget_fails_without_waiting() {
        let server =
            TestServer::start(|_| Reply::json(429, json!({})).header("Retry-After", "3600"));
        let started = Instant::now();
        let err = cloud(&server).myself().unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(1));
        assert!(err.to_string().contains("asked for 3600 s more"), "{err}");
        assert_eq!(server.requests().len(), 1);
    }

    #[test]
    fn retry_budget_caps_retries_and_waiting() {
        let mut budget = RetryBudget::new(Duration::from_secs(60));
        for _ in 0..MAX_RETRIES {
            assert!(budget.admit(Duration::from_secs(1)));
        }
        assert!(!budget.admit(Duration::from_secs(1)), "no fifth retry");
        let mut budget = RetryBudget::new(Duration::from_secs(5));
        assert!(budget.admit(Duration::from_secs(4)));
        assert!(!budget.admit(Duration::from_secs(2)));
        assert_eq!((budget.retries, budget.waited), (1, Duration::from_secs(4)));
    }

    #[test]
    fn throttle_wait_prefers_retry_after_then_reset_then_backoff() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("7"));
        assert_eq!(throttle_wait(&headers, 0), Duration::from_secs(7));

        let reset = (chrono::Utc::now() + chrono::Duration::seconds(20)).to_rfc3339();
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("0"));
        headers.insert("x-ratelimit-reset", HeaderValue::from_str(&reset).unwrap());
        let wait = throttle_wait(&headers, 0);
        assert!(
            wait > Duration::from_secs(18) && wait <= Duration::from_secs(20),
            "{wait:?}"
        );

        for (retries, base) in [(0u32, 1.0f64), (1, 2.0), (3, 8.0)] {
            let wait = throttle_wait(&HeaderMap::new(), retries).as_secs_f64();
            assert!(
                wait >= base * 0.8 && wait <= base * 1.2,
                "retry {retries}: {wait}"
            );
        }
    }

    #[test]
    fn redirects_are_not_followed() {
        let server = TestServer::start(|_| {
            Reply::raw(302, "text/html", "")
                .header("Location", "https://sso.acme.test/login?next=/jira")
        });
        let err = cloud(&server).myself().unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("`https://sso.acme.test/login?next=/jira`"),
            "{text}"
        );
        assert!(text.contains("SSO or login redirect") && text.contains("URL is probably wrong"));
        assert_eq!(server.requests().len(), 1);
    }

    #[test]
    fn an_html_page_where_json_was_expected() {
        let server = TestServer::start(|request| match request.index {
            0 => Reply::raw(
                200,
                "text/html",
                "<html><body>Log in to continue</body></html>",
            ),
            // Mislabelled as JSON: the body gives it away.
            _ => Reply::raw(200, "application/json", "\n  <!DOCTYPE html><html></html>"),
        });
        let client = cloud(&server);
        for _ in 0..2 {
            let err = client.myself().unwrap_err();
            assert!(
                matches!(err.kind(), JiraErrorKind::Html { status: 200 }),
                "{err:?}"
            );
            assert!(
                err.to_string().contains("HTML page instead of JSON"),
                "{err}"
            );
            assert!(err.to_string().contains("proxy or SSO"), "{err}");
        }
    }

    #[test]
    fn truncated_json_is_reported() {
        let server = TestServer::start(|_| {
            Reply::raw(
                200,
                "application/json",
                r#"{"accountId": "acc-1", "displayN"#,
            )
        });
        let err = cloud(&server).myself().unwrap_err();
        assert!(
            err.to_string().starts_with(
                "Jira sent a response that is not valid JSON for `GET /rest/api/3/myself`"
            ),
            "{err}"
        );
        let server = TestServer::start(|_| Reply::json(200, json!([1, 2])));
        let err = cloud(&server).myself().unwrap_err();
        assert!(
            err.to_string().contains("does not have the expected shape"),
            "{err}"
        );
    }

    #[test]
    fn oversize_bodies_are_refused() {
        // Streamed (no Content-Length): the cap stops the read.
        let big = format!(
            "{{\"accountId\": \"{}\"}}",
            "x".repeat(MAX_BODY_BYTES as usize)
        );
        let server =
            TestServer::start(move |_| Reply::raw(200, "application/json", big.clone()).chunked());
        let err = cloud(&server).myself().unwrap_err();
        assert!(
            matches!(
                err.kind(),
                JiraErrorKind::TooLarge {
                    limit: MAX_BODY_BYTES
                }
            ),
            "{err:?}"
        );
        assert!(
            err.to_string().contains("larger than the 8 MiB limit"),
            "{err}"
        );

        // Declared too large up front.
        let server = TestServer::start(|_| me());
        let mut client = cloud(&server);
        client.set_body_limit(16);
        assert!(matches!(
            client.myself().unwrap_err().kind(),
            JiraErrorKind::TooLarge { .. }
        ));
        client.set_body_limit(4096);
        assert!(client.myself().is_ok(), "a body under the cap is read");
    }

    #[test]
    fn a_slow_server_times_out() {
        let server = TestServer::start(|_| me().after(Duration::from_millis(1500)));
        let mut config = server.config(Deployment::Cloud);
        config.read_timeout = Duration::from_millis(300);
        let client = JiraClient::new(config).unwrap();
        let started = Instant::now();
        let err = client.myself().unwrap_err();
        assert!(
            started.elapsed() < Duration::from_millis(1200),
            "{:?}",
            started.elapsed()
        );
        assert!(
            matches!(err.kind(), JiraErrorKind::Network { timeout: true, .. }),
            "{err:?}"
        );
        assert!(err.is_transient());
        let host = format!("127.0.0.1:{}", server.url.port().unwrap());
        assert!(
            err.to_string()
                .starts_with(&format!("could not reach Jira at `{host}`")),
            "{err}"
        );
        assert!(err.to_string().contains("timed out"), "{err}");
    }

    #[test]
    fn a_closed_port_is_a_network_error() {
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let url = Url::parse(&format!("http://127.0.0.1:{port}")).unwrap();
        let config = JiraConfig::new(Deployment::DataCenter, url, None, Secret::new(TEST_TOKEN));
        let err = JiraClient::new(config).unwrap().myself().unwrap_err();
        assert!(
            matches!(err.kind(), JiraErrorKind::Network { timeout: false, .. }),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .starts_with(&format!("could not reach Jira at `127.0.0.1:{port}`"))
        );
        assert!(
            !err.to_string().contains("error sending request"),
            "the innermost cause: {err}"
        );
    }

    #[test]
    fn a_time_limit_bounds_all_calls_together() {
        let server = TestServer::start(|_| me().after(Duration::from_millis(250)));
        let client = cloud(&server).with_time_limit(Duration::from_millis(1000));
        let started = Instant::now();
        let results: Vec<_> = (0..6).map(|_| client.myself()).collect();
        let elapsed = started.elapsed();
        assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");

        // Calls succeed until the limit; from then on every call fails at once.
        let done = results.iter().take_while(|r| r.is_ok()).count();
        assert!((1..6).contains(&done), "{done} calls made it");
        for err in results[done..].iter().map(|r| r.as_ref().unwrap_err()) {
            assert!(
                matches!(err.kind(), JiraErrorKind::OutOfTime { .. }) && err.is_transient(),
                "{err:?}"
            );
            assert!(
                err.to_string()
                    .contains("the 1 s allowed for Jira calls ran out")
            );
        }
        // At most the call cut at the deadline reached the server after the last success.
        assert!(server.requests().len() <= done + 1);
        assert!(cloud(&server).myself().is_ok(), "the original has no limit");
    }

    #[test]
    fn a_rate_limit_wait_past_the_time_limit_is_not_waited() {
        let server = TestServer::start(|_| Reply::json(429, json!({})).header("Retry-After", "2"));
        let client = cloud(&server).with_time_limit(Duration::from_secs(1));
        let started = Instant::now();
        assert!(client.myself().unwrap_err().is_rate_limited());
        assert!(started.elapsed() < Duration::from_millis(500));
    }

    #[test]
    fn an_html_404_is_not_a_missing_issue() {
        let server = TestServer::start(|_| Reply::raw(404, "text/html", "<html>no</html>"));
        let err = cloud(&server).issue("10001").unwrap_err();
        assert_eq!(err.status(), Some(404));
        assert!(!err.is_not_found(), "{err:?}");
        assert!(err.to_string().contains("HTML page"), "{err}");
        let server = TestServer::start(|_| Reply::json(404, json!({"errorMessages": ["gone"]})));
        assert_eq!(cloud(&server).issue("10001").unwrap(), None);
    }

    #[test]
    fn the_date_header_tells_the_clock_skew() {
        let ahead = chrono::Utc::now() + chrono::Duration::seconds(3600);
        let date = ahead.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        let server = TestServer::start(move |_| me().header("Date", &date));
        let client = cloud(&server);
        assert_eq!(client.clock_skew(), None);
        client.myself().unwrap();
        let skew = client.with_time_limit(Duration::from_secs(5)).clock_skew();
        let seconds = skew.expect("observed").num_seconds();
        assert!((3597..=3600).contains(&seconds), "{seconds}");

        let mut headers = HeaderMap::new();
        headers.insert("date", HeaderValue::from_static("yesterday"));
        assert_eq!(date_skew(&headers, chrono::Utc::now()), None);
    }

    /// Collects every log line of the test process.
    struct Capture;

    static CAPTURED: Mutex<Vec<String>> = Mutex::new(Vec::new());

    impl log::Log for Capture {
        fn enabled(&self, _: &log::Metadata<'_>) -> bool {
            true
        }
        fn log(&self, record: &log::Record<'_>) {
            let line = format!("{} {}", record.level(), record.args());
            CAPTURED
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(line);
        }
        fn flush(&self) {}
    }

    static CAPTURE: Capture = Capture;

    #[test]
    fn the_token_never_reaches_errors_or_logs() {
        let _ = log::set_logger(&CAPTURE);
        log::set_max_level(log::LevelFilter::Trace);

        // A server that echoes the token back in every way it can.
        let server = TestServer::start(|request| {
            let echoed = format!(
                "header was {}",
                request.header("authorization").unwrap_or_default()
            );
            match request.path() {
                "/rest/api/2/myself" => Reply::json(401, json!({"errorMessages": [echoed]})),
                "/rest/api/2/serverInfo" => Reply::json(
                    500,
                    json!({"errorMessages": [echoed], "errors": {"x": echoed}}),
                ),
                "/rest/api/2/issue/OPS-1" => Reply::raw(302, "text/html", "")
                    .header("Location", &format!("https://sso.test/?t={TEST_TOKEN}")),
                "/rest/api/2/search" => Reply::json(200, json!({"issues": [], "echo": echoed})),
                _ => Reply::json(429, json!({})).header("Retry-After", "1"),
            }
        });
        let mut config = server.config(Deployment::DataCenter);
        config.max_retry_wait = Duration::from_secs(1);
        let client = JiraClient::new(config.clone()).unwrap();

        let errors = [
            client.myself().unwrap_err(),
            client.server_info().unwrap_err(),
            client.issue("OPS-1").unwrap_err(),
            client.project("OPS").unwrap_err(),
        ];
        assert!(client.search("project = OPS", 5).unwrap().is_empty());
        assert!(
            errors[1].to_string().contains("header was Bearer ********"),
            "{}",
            errors[1]
        );
        for err in &errors {
            for text in [
                err.to_string(),
                format!("{err:?}"),
                format!("{:?}", err.to_user_error()),
            ] {
                assert!(!text.contains(TEST_TOKEN), "token leaked: {text}");
            }
        }
        assert!(!format!("{client:?} {config:?}").contains(TEST_TOKEN));

        let lines = CAPTURED.lock().unwrap().clone();
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("DEBUG GET /rest/api/2/myself -> 401 (")),
            "the capture logger is installed and calls are logged at debug: {lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("WARN Jira answered 429 to GET /rest/api/2/project/OPS"))
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("TRACE POST /rest/api/2/search response body"))
        );
        for line in &lines {
            assert!(!line.contains(TEST_TOKEN), "token in a log line: {line}");
            assert!(
                !line.to_ascii_lowercase().contains("authorization"),
                "header in a log line: {line}"
            );
        }
    }
}
