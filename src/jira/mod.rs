//! A blocking client for the Jira REST API: Cloud (REST v3, email and API token) and
//! Data Center 8.14+ (REST v2, personal access token).
//!
//! This module owns the connection: configuration, URL rules, TLS roots and
//! credentials. `http` is the path every request takes (retries, limits, logging);
//! the endpoints live in `site`, `issue`, `search`, `user`, `write` (creating issues,
//! commenting), `meta` (createmeta, permissions) and `jsm` (the service desk API); the
//! types callers see are in `model`, and failures are described in `error`.

mod adf;
mod error;
mod http;
mod issue;
mod jsm;
mod meta;
mod model;
mod search;
mod site;
mod user;
mod write;

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod testserver;

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use reqwest::Url;
use reqwest::blocking::Client;

use crate::error::UserError;
use crate::secret::Secret;

pub use error::{JiraError, JiraErrorKind, JiraMessages};
pub use jsm::{CustomerRequest, NewCustomerRequest, RequestType, ServiceDesk};
pub use meta::{FieldMeta, IssueTypeMeta};
pub use model::{Issue, Project, ServerInfo, StatusCategory, User, parse_jira_time, validate_key};
pub use search::{BatchLookup, jql};
pub use write::{CreatedIssue, NewIssue};

use http::Call;

/// The most a response body may weigh; a bigger one is an error, never read whole.
pub const MAX_BODY_BYTES: u64 = 8 * 1024 * 1024;

/// Which Jira product the site runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Deployment {
    /// Jira Cloud (`*.atlassian.net`): REST v3, HTTP Basic with email and API token.
    Cloud,
    /// Jira Data Center / Server 8.14+: REST v2, Bearer personal access token.
    DataCenter,
}

impl Deployment {
    /// The contract's spelling: `cloud` or `datacenter`.
    pub fn as_str(self) -> &'static str {
        match self {
            Deployment::Cloud => "cloud",
            Deployment::DataCenter => "datacenter",
        }
    }

    /// The REST API root this deployment is spoken to through.
    pub(crate) fn api_root(self) -> &'static str {
        match self {
            Deployment::Cloud => "/rest/api/3",
            Deployment::DataCenter => "/rest/api/2",
        }
    }
}

impl fmt::Display for Deployment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Deployment {
    type Err = UserError;

    fn from_str(s: &str) -> Result<Deployment, UserError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "cloud" => Ok(Deployment::Cloud),
            "datacenter" => Ok(Deployment::DataCenter),
            _ => Err(UserError::usage(format!("unknown Jira deployment `{s}`"))
                .hint("Use `cloud` or `datacenter`.")),
        }
    }
}

/// [`validate_key`] as a clap value parser.
pub fn parse_key_arg(text: &str) -> Result<String, String> {
    validate_key(text).map_err(|err| {
        let hints = err.hints.join(" ");
        format!("{err}. {hints}")
    })
}

/// Everything needed to talk to one Jira site.
#[derive(Debug, Clone)]
pub struct JiraConfig {
    pub deployment: Deployment,
    /// The site's base URL, e.g. `https://acme.atlassian.net` or
    /// `https://jira.acme.com/jira`.
    pub base_url: Url,
    /// The account's email: required on Cloud (it is the Basic auth user name).
    pub email: Option<String>,
    pub token: Secret,
    /// An extra PEM CA certificate to trust (`OPAL_JIRA_CA_CERT`).
    pub ca_cert: Option<PathBuf>,
    pub connect_timeout: Duration,
    /// Bounds each request from sending it to reading the last byte of the answer.
    pub read_timeout: Duration,
    /// The total time one call may spend waiting out rate limits before failing.
    pub max_retry_wait: Duration,
    /// How many batch requests may be in flight at once.
    pub concurrency: usize,
}

impl JiraConfig {
    /// Defaults used by [`JiraConfig::new`].
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);
    pub const DEFAULT_MAX_RETRY_WAIT: Duration = Duration::from_secs(60);
    pub const DEFAULT_CONCURRENCY: usize = 4;

    /// A configuration with the default timeouts, retry budget and concurrency.
    pub fn new(
        deployment: Deployment,
        base_url: Url,
        email: Option<String>,
        token: Secret,
    ) -> JiraConfig {
        JiraConfig {
            deployment,
            base_url,
            email,
            token,
            ca_cert: None,
            connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
            read_timeout: Self::DEFAULT_READ_TIMEOUT,
            max_retry_wait: Self::DEFAULT_MAX_RETRY_WAIT,
            concurrency: Self::DEFAULT_CONCURRENCY,
        }
    }
}

/// How requests prove who they are.
#[derive(Clone)]
enum Auth {
    /// Cloud: HTTP Basic with the email and the API token.
    Basic { email: String, token: Secret },
    /// Data Center: a personal access token as a Bearer token.
    Bearer(Secret),
}

/// A connection to one Jira site. Cheap to clone; safe to share between threads.
#[derive(Clone)]
pub struct JiraClient {
    http: Client,
    deployment: Deployment,
    base_url: Url,
    auth: Auth,
    read_timeout: Duration,
    max_retry_wait: Duration,
    concurrency: usize,
    body_limit: u64,
    /// Set by [`JiraClient::with_time_limit`].
    deadline: Option<http::Deadline>,
    skew: std::sync::Arc<http::SkewProbe>,
}

impl fmt::Debug for JiraClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JiraClient")
            .field("deployment", &self.deployment)
            .field("base_url", &self.base_url.as_str())
            .finish_non_exhaustive()
    }
}

impl JiraClient {
    /// Checks the configuration and builds the HTTP client. Configuration problems
    /// (bad URL scheme, missing email on Cloud, unusable CA file) are usage errors.
    pub fn new(config: JiraConfig) -> anyhow::Result<JiraClient> {
        check_base_url(&config.base_url)?;
        if config.token.expose().trim().is_empty() {
            return Err(UserError::usage("the Jira token is empty")
                .hint("Run `opal-jira configure` or set OPAL_JIRA_TOKEN.")
                .into());
        }
        let auth = match config.deployment {
            Deployment::Cloud => {
                let email = config.email.as_deref().map(str::trim).unwrap_or_default();
                if email.is_empty() {
                    return Err(UserError::usage(
                        "Jira Cloud needs the account's email to go with the API token",
                    )
                    .hint("Set it with `opal-jira configure --email` or OPAL_JIRA_EMAIL.")
                    .into());
                }
                Auth::Basic {
                    email: email.to_string(),
                    token: config.token.clone(),
                }
            }
            Deployment::DataCenter => Auth::Bearer(config.token.clone()),
        };

        // reqwest is built without a default crypto provider; installing one twice
        // is harmless (the second attempt just reports the first).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.read_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("opal-jira/", env!("CARGO_PKG_VERSION")));
        if let Some(path) = &config.ca_cert {
            builder = builder.tls_certs_merge(load_ca_certs(path)?);
        }
        let http = builder.build().map_err(|err| match &config.ca_cert {
            Some(path) => UserError::usage(format!(
                "could not use the CA certificate `{}`: {}",
                path.display(),
                innermost_cause(&err)
            ))
            .hint("OPAL_JIRA_CA_CERT must name a PEM file holding the CA certificate.")
            .into(),
            None => anyhow::Error::new(err).context("could not set up the HTTP client"),
        })?;

        Ok(JiraClient {
            http,
            deployment: config.deployment,
            base_url: config.base_url,
            auth,
            read_timeout: config.read_timeout,
            max_retry_wait: config.max_retry_wait,
            concurrency: config.concurrency.max(1),
            body_limit: MAX_BODY_BYTES,
            deadline: None,
            skew: JiraClient::new_skew_probe(),
        })
    }

    /// Cloud or Data Center, as configured.
    pub fn deployment(&self) -> Deployment {
        self.deployment
    }

    /// The site's base URL, as configured.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// The page a person opens for a ticket: `<site>/browse/<KEY>`. (The base URL is
    /// always the site itself: the API gateway of scoped tokens is refused when the
    /// connection is read, see `connection::parse_site_url`.)
    pub fn browse_url(&self, key: &str) -> String {
        format!("{}/browse/{key}", self.site())
    }

    /// The base URL without a trailing slash, ready for paths to be appended.
    fn site(&self) -> &str {
        self.base_url.as_str().trim_end_matches('/')
    }

    /// `rest` under this deployment's REST API root, e.g. `/rest/api/3/myself`.
    pub(crate) fn api_path(&self, rest: &str) -> String {
        format!("{}{rest}", self.deployment.api_root())
    }

    pub(crate) fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// The same client with at most `requests` batch or lookup requests in flight at
    /// once (at least one). A 429 still halves it for the rest of a batch run.
    pub fn with_concurrency(mut self, requests: usize) -> JiraClient {
        self.concurrency = requests.max(1);
        self
    }

    #[cfg(test)]
    pub(crate) fn set_body_limit(&mut self, limit: u64) {
        self.body_limit = limit;
    }

    /// The token, for masking it in anything Jira sends back.
    fn token(&self) -> &str {
        match &self.auth {
            Auth::Basic { token, .. } | Auth::Bearer(token) => token.expose(),
        }
    }

    /// `text` from Jira with the token masked, should Jira or a proxy echo it.
    pub(crate) fn scrub(&self, text: &str) -> String {
        error::redact(text, self.token())
    }

    /// `host` or `host:port` of the site, for messages.
    fn host(&self) -> String {
        let host = self.base_url.host_str().unwrap_or("?");
        match self.base_url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        }
    }
}

/// The most specific message in an error's chain (e.g. `Connection refused`), which
/// is what a person can act on.
fn innermost_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cause: &(dyn std::error::Error + 'static) = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// Checks that a Jira base URL is one opal-jira will talk to: `https://`, or
/// `http://` for a loopback host only, with no credentials inside.
pub fn check_base_url(url: &Url) -> Result<(), UserError> {
    if !url.username().is_empty() || url.password().is_some() {
        let mut shown = url.clone();
        // Clearing is only refused for URLs without a host, which have no credentials.
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        return Err(UserError::usage(format!(
            "the Jira URL `{shown}` must not contain a user name or password"
        ))
        .hint(
            "Give the email with `--email` and the token at the prompt or with `--token-stdin`.",
        ));
    }
    let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
        return Err(UserError::usage(format!(
            "the Jira URL `{url}` has no host name"
        )));
    };
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(host) => Ok(()),
                "http" => Err(UserError::usage(format!(
            "refusing plain http:// for `{host}`: the token would cross the network unencrypted"
        ))
        .hint(format!(
            "Use `https://{host}` instead; plain http:// is only for localhost, 127.0.0.0/8 or [::1]."
        ))),
        other => Err(UserError::usage(format!(
            "the Jira URL `{url}` must start with https:// (not {other}://)"
        ))),
    }
}

/// `localhost`, 127.0.0.0/8 or ::1.
fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") || host.eq_ignore_ascii_case("localhost.") {
        return true;
    }
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback());
    }
    host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// Reads the extra CA certificates named by `OPAL_JIRA_CA_CERT`.
fn load_ca_certs(path: &Path) -> Result<Vec<reqwest::Certificate>, UserError> {
    let shown = path.display();
    let hint = "OPAL_JIRA_CA_CERT must name a PEM file holding the CA certificate.";
    let pem = std::fs::read(path).map_err(|err| {
        UserError::usage(format!(
            "could not read the CA certificate `{shown}`: {err}"
        ))
        .hint(hint)
    })?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|err| {
        UserError::usage(format!(
            "the CA certificate `{shown}` is not valid PEM: {}",
            innermost_cause(&err)
        ))
        .hint(hint)
    })?;
    if certs.is_empty() {
        return Err(UserError::usage(format!(
            "the CA certificate `{shown}` holds no PEM certificate (no `BEGIN CERTIFICATE` block)"
        ))
        .hint(hint));
    }
    Ok(certs)
}
#[cfg(test)]
mod tests {
    use super::testserver::{Reply, TEST_EMAIL, TEST_TOKEN, TestServer};
    use super::*;

    /// The `myself` answer of a valid login.
    fn me() -> Reply {
        Reply::json(
            200,
            serde_json::json!({"accountId": "acc-1", "displayName": "Ana"}),
        )
    }

    #[test]
    fn client_is_clone_send_and_sync() {
        fn assert_traits<T: Clone + Send + Sync>() {}
        assert_traits::<JiraClient>();
    }

    #[test]
    fn cloud_without_email_is_a_configuration_error() {
        let server = TestServer::start(|_| me());
        for email in [None, Some("  ".to_string())] {
            let mut config = server.config(Deployment::Cloud);
            config.email = email;
            let err = JiraClient::new(config).unwrap_err();
            assert_eq!(crate::error::exit_kind(&err), crate::error::ExitKind::Usage);
            assert!(err.to_string().contains("email"), "{err}");
        }
        let mut config = server.config(Deployment::DataCenter);
        config.email = None;
        assert!(
            JiraClient::new(config).is_ok(),
            "Data Center needs no email"
        );
        let mut config = server.config(Deployment::DataCenter);
        config.token = Secret::new(" ");
        assert!(
            JiraClient::new(config)
                .unwrap_err()
                .to_string()
                .contains("token is empty")
        );
    }

    #[test]
    fn base_url_context_path_and_browse_links() {
        let server = TestServer::start(|_| me());
        let mut config = server.config(Deployment::DataCenter);
        config.base_url = server.url.join("/jira/").unwrap();
        let client = JiraClient::new(config).unwrap();
        client.myself().unwrap();
        assert_eq!(server.requests()[0].path(), "/jira/rest/api/2/myself");
        let port = server.url.port().unwrap();
        assert_eq!(
            client.browse_url("OPS-12"),
            format!("http://127.0.0.1:{port}/jira/browse/OPS-12")
        );
        assert_eq!(
            server.client(Deployment::Cloud).browse_url("OPS-1"),
            format!("http://127.0.0.1:{port}/browse/OPS-1")
        );
    }

    #[test]
    fn base_url_scheme_rules() {
        let ok = [
            "https://acme.atlassian.net",
            "https://jira.acme.test/jira/",
            "http://localhost:8080",
            "http://LOCALHOST",
            "http://127.0.0.1:9",
            "http://127.8.9.10",
            "http://[::1]:8080/",
        ];
        for url in ok {
            assert!(check_base_url(&Url::parse(url).unwrap()).is_ok(), "{url}");
        }
        let refused = [
            "http://jira.acme.test",
            "http://10.0.0.1",
            "http://[::2]",
            "http://localhost.acme.test",
            "http://128.0.0.1",
            "ftp://jira.acme.test",
            "file:///etc/passwd",
        ];
        for url in refused {
            let err = check_base_url(&Url::parse(url).unwrap()).expect_err(url);
            assert_eq!(err.kind, crate::error::ExitKind::Usage);
        }
        let err = check_base_url(&Url::parse("http://jira.acme.test").unwrap()).unwrap_err();
        assert!(err.message.contains("plain http://"), "{}", err.message);
        assert!(err.hints[0].contains("https://jira.acme.test"));

        let with_password = Url::parse("https://ana:hunter2@jira.acme.test").unwrap();
        let err = check_base_url(&with_password).unwrap_err();
        assert!(!err.message.contains("hunter2") && err.message.contains("user name or password"));
    }

    #[test]
    fn client_refuses_plain_http_to_other_hosts() {
        let url = Url::parse("http://jira.acme.test").unwrap();
        let config = JiraConfig::new(
            Deployment::Cloud,
            url,
            Some(TEST_EMAIL.into()),
            Secret::new(TEST_TOKEN),
        );
        let err = JiraClient::new(config).unwrap_err();
        assert_eq!(crate::error::exit_kind(&err), crate::error::ExitKind::Usage);
        assert!(err.to_string().contains("plain http://"), "{err}");
    }

    /// A self-signed CA certificate made for these tests (no private key kept).
    const TEST_CA: &str = "-----BEGIN CERTIFICATE-----
MIIBkDCCATWgAwIBAgIUcANb2htPQNyEVvMkL0bUahRTUtEwCgYIKoZIzj0EAwIw
HDEaMBgGA1UEAwwRb3BhbC1qaXJhIHRlc3QgQ0EwIBcNMjYxMjAzMTczNzU0WhgP
MjEyNjExMDkxNzM3NTRaMBwxGjAYBgNVBAMMEW9wYWwtamlyYSB0ZXN0IENBMFkw
EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE6neZrPEqWTqE152yudPcOY+1gEZV1gba
FvABZ1+OmFrTHHi83aIwGjZmshLpkPo3nAubxKTDXzbYwZpy/84336NTMFEwHQYD
VR0OBBYEFKpvFuFLOUolYKZxLfxQYpoPJ6ZxMB8GA1UdIwQYMBaAFKpvFuFLOUol
YKZxLfxQYpoPJ6ZxMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIh
APwJuOhOIqay9oF3Bz+4KDoFwqiIywwJBmoyfm1rJl7fAiEAg+UGcIxejqOP8waH
qIAW4QXHgPZJX+Gz9alVPvYl0Kw=
-----END CERTIFICATE-----
";

    fn client_with_ca(contents: Option<&str>) -> anyhow::Result<JiraClient> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("ca.pem");
        if let Some(contents) = contents {
            std::fs::write(&path, contents)?;
        }
        let url = Url::parse("https://jira.acme.test").unwrap();
        let mut config =
            JiraConfig::new(Deployment::DataCenter, url, None, Secret::new(TEST_TOKEN));
        config.ca_cert = Some(path);
        JiraClient::new(config)
    }

    #[test]
    fn a_valid_ca_certificate_is_accepted() {
        client_with_ca(Some(TEST_CA)).unwrap();
    }

    #[test]
    fn bad_ca_files_are_clear_configuration_errors() {
        let garbled = TEST_CA.replace("MIIBkDCC", "M!!BkDCC");
        let bad_der =
            "-----BEGIN CERTIFICATE-----\nAAAAAAAAAAAA\n-----END CERTIFICATE-----\n".to_string();
        let cases = [
            (None, "could not read the CA certificate"),
            (Some("just some text\n"), "holds no PEM certificate"),
            (Some(garbled.as_str()), "is not valid PEM"),
            (Some(bad_der.as_str()), "could not use the CA certificate"),
        ];
        for (contents, expected) in cases {
            let err = client_with_ca(contents).unwrap_err();
            let text = err.to_string();
            assert!(text.contains(expected), "{contents:?}: {text}");
            assert!(text.contains("ca.pem"), "names the file: {text}");
            assert_eq!(crate::error::exit_kind(&err), crate::error::ExitKind::Usage);
        }
    }

    #[test]
    fn deployment_names() {
        assert_eq!("Cloud".parse::<Deployment>().unwrap(), Deployment::Cloud);
        assert_eq!(
            "datacenter".parse::<Deployment>().unwrap(),
            Deployment::DataCenter
        );
        assert!("server".parse::<Deployment>().is_err());
        assert_eq!(Deployment::DataCenter.to_string(), "datacenter");
    }
}
