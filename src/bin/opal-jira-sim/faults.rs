//! Injected failures: rules added through `POST /_sim/faults` that replace (or delay) the
//! normal answer to matching requests, to exercise a client's error handling.

use std::collections::BTreeMap;
use std::io::Read;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::http::{Body, Incoming, Reply, percent_encode};
use crate::state::Flavor;

/// Default size of a `huge` body: far more than any sane client should buffer.
const HUGE_DEFAULT_BYTES: u64 = 64 * 1024 * 1024;

/// The special misbehaviours a rule can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// A JSON content type with a body cut off mid-document.
    TruncatedJson,
    /// An HTML page where JSON was expected (proxy error, maintenance page).
    Html,
    /// A 302 to the login page, as an SSO proxy in front of Jira would answer.
    RedirectSso,
    /// A plausible JSON body of many megabytes, for bounded-read tests.
    Huge,
    /// No HTTP answer: the client sees a broken connection.
    DropConnection,
}

/// One rule. `times` = 0 means forever; rules are tried in the order they were added.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub path_prefix: Option<String>,
    #[serde(default = "one")]
    pub times: u32,
    #[serde(default)]
    pub status: Option<u16>,
    /// Headers to add; they override generated ones, and an empty value removes one.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub content_type: Option<String>,
    #[serde(default)]
    pub delay_ms: Option<u64>,
    #[serde(default)]
    pub kind: Option<FaultKind>,
    /// Size of a `huge` body in bytes (default 64 MiB).
    #[serde(default)]
    pub size_bytes: Option<u64>,
    /// Send a `huge` body without `Content-Length` (chunked), so only a bounded read helps.
    #[serde(default)]
    pub chunked: bool,
    #[serde(skip)]
    pub fired: u32,
}

fn one() -> u32 {
    1
}

impl FaultRule {
    fn applies(&self, request: &Incoming) -> bool {
        let left = self.times == 0 || self.fired < self.times;
        let method = self
            .method
            .as_ref()
            .is_none_or(|m| m.eq_ignore_ascii_case(&request.method));
        let path = self
            .path_prefix
            .as_ref()
            .is_none_or(|p| request.path.starts_with(p.as_str()));
        left && method && path
    }

    /// The rule as `GET /_sim/faults` lists it.
    pub fn to_json(&self) -> Value {
        json!({
            "method": self.method,
            "path_prefix": self.path_prefix,
            "times": self.times,
            "fired": self.fired,
            "status": self.status,
            "kind": self.kind.map(|k| format!("{k:?}")),
            "delay_ms": self.delay_ms,
        })
    }
}

/// What a fired rule does to a request.
#[derive(Debug)]
pub struct Effect {
    /// Sleep this long (outside the state lock) before answering.
    pub delay: Duration,
    /// The answer to send instead of the normal one; `None` = answer normally after the delay.
    pub reply: Option<Reply>,
}

/// Where the rule's answer is built: the parts of the site it needs to know.
pub struct Site<'a> {
    pub flavor: Flavor,
    pub base_url: &'a str,
    pub now: DateTime<Utc>,
}

/// Finds the first rule with uses left that matches, counts the use and returns its effect.
pub fn fire(rules: &mut [FaultRule], request: &Incoming, site: &Site) -> Option<Effect> {
    // The login page is where `redirect_sso` sends clients; faulting it would loop.
    if request.path == "/login.jsp" {
        return None;
    }
    let rule = rules.iter_mut().find(|r| r.applies(request))?;
    rule.fired += 1;
    let rule = rule.clone();
    let delay = Duration::from_millis(rule.delay_ms.unwrap_or(0));
    Some(Effect {
        delay,
        reply: build(&rule, request, site),
    })
}

fn build(rule: &FaultRule, request: &Incoming, site: &Site) -> Option<Reply> {
    let status = rule.status;
    let mut reply = match rule.kind {
        Some(FaultKind::DropConnection) => Reply {
            status: 0,
            headers: Vec::new(),
            content_type: String::new(),
            body: Body::Drop,
        },
        Some(FaultKind::Huge) => Reply {
            status: status.unwrap_or(200),
            headers: Vec::new(),
            content_type: "application/json;charset=UTF-8".into(),
            body: Body::Huge {
                bytes: rule.size_bytes.unwrap_or(HUGE_DEFAULT_BYTES),
                chunked: rule.chunked,
            },
        },
        Some(FaultKind::RedirectSso) => {
            let mut target = request.path.clone();
            if !request.query.is_empty() {
                let pairs: Vec<String> = request
                    .query
                    .iter()
                    .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
                    .collect();
                target = format!("{target}?{}", pairs.join("&"));
            }
            let location = format!(
                "{}/login.jsp?os_destination={}",
                site.base_url,
                percent_encode(&target)
            );
            let page = format!("<html><body><a href=\"{location}\">Log in</a></body></html>");
            Reply::bytes(status.unwrap_or(302), "text/html;charset=UTF-8", page)
                .with_header("Location", &location)
        }
        Some(FaultKind::Html) => {
            let page = rule
                .body
                .clone()
                .unwrap_or_else(|| maintenance_page().to_string());
            let content_type = rule
                .content_type
                .as_deref()
                .unwrap_or("text/html;charset=UTF-8");
            Reply::bytes(status.unwrap_or(200), content_type, page)
        }
        Some(FaultKind::TruncatedJson) => {
            let body = rule
                .body
                .clone()
                .unwrap_or_else(|| r#"{"isLast":false,"issues":[{"id":"10000","key":"TRU"#.into());
            let content_type = rule.content_type.as_deref().unwrap_or("application/json");
            Reply::bytes(status.unwrap_or(200), content_type, body)
        }
        None if status.is_none() && rule.body.is_none() && rule.headers.is_empty() => return None,
        None => {
            let status = status.unwrap_or(200);
            match &rule.body {
                Some(body) => {
                    let content_type = rule.content_type.as_deref().unwrap_or("application/json");
                    Reply::bytes(status, content_type, body.clone())
                }
                None if status == 401 => crate::api::unauthorized(site.flavor),
                None => Reply::jira_error(status, default_message(status)),
            }
        }
    };
    if reply.status == 429 {
        reply = rate_limit_headers(reply, site);
    }
    for (name, value) in &rule.headers {
        reply = reply.with_header(name, value);
    }
    reply.headers.retain(|(_, v)| !v.is_empty());
    Some(reply)
}

/// The headers each flavour sends with a 429; `Retry-After` defaults to one second.
fn rate_limit_headers(reply: Reply, site: &Site) -> Reply {
    let reply = reply.with_header("Retry-After", "1");
    match site.flavor {
        Flavor::Cloud => {
            let reset = (site.now + chrono::Duration::seconds(1)).format("%Y-%m-%dT%H:%M:%S%.3fZ");
            reply
                .with_header("X-RateLimit-Reset", &reset.to_string())
                .with_header("RateLimit-Reason", "jira-burst-based")
        }
        Flavor::DataCenter => reply
            .with_header("X-RateLimit-Limit", "10")
            .with_header("X-RateLimit-Remaining", "0")
            .with_header("X-RateLimit-Interval-Seconds", "1")
            .with_header("X-RateLimit-FillRate", "1"),
    }
}

fn default_message(status: u16) -> &'static str {
    match status {
        429 => "Rate limit exceeded.",
        500 => "Internal server error.",
        502 => "Bad gateway.",
        503 => "Service temporarily unavailable.",
        504 => "Gateway timeout.",
        403 => "You do not have permission to perform this operation.",
        404 => "Not found.",
        _ => "Simulated failure.",
    }
}

fn maintenance_page() -> &'static str {
    "<!DOCTYPE html><html><head><title>Site maintenance</title></head>\
     <body><h1>We'll be back soon</h1><p>The site is down for maintenance.</p></body></html>"
}

/// Streams `{"isLast":true,"issues":[{"id":"10000"},...]}` of (about) a requested size,
/// without ever holding it in memory.
pub struct HugeJson {
    position: u64,
    items: u64,
}

const HUGE_HEAD: &[u8] = br#"{"isLast":true,"issues":["#;
const HUGE_ITEM: &[u8] = br#"{"id":"10000","key":"HUGE-1"},"#;
const HUGE_TAIL: &[u8] = br#"{"id":"10000","key":"HUGE-1"}]}"#;

impl HugeJson {
    /// A body of at least `bytes` bytes (rounded up to whole items).
    pub fn new(bytes: u64) -> HugeJson {
        let fixed = (HUGE_HEAD.len() + HUGE_TAIL.len()) as u64;
        let items = bytes.saturating_sub(fixed).div_ceil(HUGE_ITEM.len() as u64);
        HugeJson { position: 0, items }
    }

    /// The exact length, for `Content-Length`.
    pub fn len(&self) -> u64 {
        (HUGE_HEAD.len() + HUGE_TAIL.len()) as u64 + self.items * HUGE_ITEM.len() as u64
    }

    fn byte_at(&self, at: u64) -> u8 {
        let head = HUGE_HEAD.len() as u64;
        let middle = self.items * HUGE_ITEM.len() as u64;
        let index = |n: u64| usize::try_from(n).expect("offsets within a part fit in usize");
        if at < head {
            HUGE_HEAD[index(at)]
        } else if at < head + middle {
            HUGE_ITEM[index((at - head) % HUGE_ITEM.len() as u64)]
        } else {
            HUGE_TAIL[index(at - head - middle)]
        }
    }
}

impl Read for HugeJson {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let total = self.len();
        let mut n = 0;
        while n < buf.len() && self.position < total {
            buf[n] = self.byte_at(self.position);
            n += 1;
            self.position += 1;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(json: Value) -> FaultRule {
        serde_json::from_value(json).unwrap()
    }

    fn request(method: &str, url: &str) -> Incoming {
        Incoming::new(method, url, None, Vec::new())
    }

    fn site() -> Site<'static> {
        Site {
            flavor: Flavor::Cloud,
            base_url: "http://127.0.0.1:1",
            now: Utc::now(),
        }
    }

    #[test]
    fn rules_fire_in_order_and_run_out() {
        let mut rules = vec![
            rule(json!({"path_prefix": "/rest/api/3/myself", "status": 503})),
            rule(json!({"method": "post", "status": 500, "times": 2})),
        ];
        let get = request("GET", "/rest/api/3/myself");
        let post = request("POST", "/rest/api/3/search/jql");
        assert_eq!(
            fire(&mut rules, &get, &site())
                .unwrap()
                .reply
                .unwrap()
                .status,
            503
        );
        assert!(fire(&mut rules, &get, &site()).is_none());
        assert_eq!(
            fire(&mut rules, &post, &site())
                .unwrap()
                .reply
                .unwrap()
                .status,
            500
        );
        assert_eq!(
            fire(&mut rules, &post, &site())
                .unwrap()
                .reply
                .unwrap()
                .status,
            500
        );
        assert!(fire(&mut rules, &post, &site()).is_none());
    }

    #[test]
    fn zero_times_means_forever_but_not_for_the_login_page() {
        let mut rules = vec![rule(json!({"times": 0, "kind": "redirect_sso"}))];
        for _ in 0..5 {
            assert!(fire(&mut rules, &request("GET", "/rest/api/2/myself"), &site()).is_some());
        }
        assert!(fire(&mut rules, &request("GET", "/login.jsp"), &site()).is_none());
    }

    #[test]
    fn rate_limit_gets_flavour_headers_and_overrides() {
        let mut rules = vec![rule(
            json!({"status": 429, "headers": {"Retry-After": "7"}}),
        )];
        let reply = fire(&mut rules, &request("GET", "/x"), &site())
            .unwrap()
            .reply
            .unwrap();
        assert_eq!(reply.header("retry-after"), Some("7"));
        assert_eq!(reply.header("RateLimit-Reason"), Some("jira-burst-based"));
        assert!(reply.header("X-RateLimit-Reset").is_some());

        let mut rules = vec![rule(json!({"status": 429, "headers": {"Retry-After": ""}}))];
        let dc = Site {
            flavor: Flavor::DataCenter,
            ..site()
        };
        let reply = fire(&mut rules, &request("GET", "/x"), &dc)
            .unwrap()
            .reply
            .unwrap();
        assert_eq!(reply.header("Retry-After"), None);
        assert_eq!(reply.header("X-RateLimit-Remaining"), Some("0"));
    }

    #[test]
    fn delay_only_rules_answer_normally() {
        let mut rules = vec![rule(json!({"delay_ms": 250}))];
        let effect = fire(&mut rules, &request("GET", "/x"), &site()).unwrap();
        assert_eq!(effect.delay, Duration::from_millis(250));
        assert!(effect.reply.is_none());
    }

    #[test]
    fn redirect_points_at_login_with_the_original_target() {
        let mut rules = vec![rule(json!({"kind": "redirect_sso"}))];
        let req = request("GET", "/rest/api/2/search?jql=a%3D1");
        let reply = fire(&mut rules, &req, &site()).unwrap().reply.unwrap();
        assert_eq!(reply.status, 302);
        let location = reply.header("Location").unwrap();
        assert_eq!(
            location,
            "http://127.0.0.1:1/login.jsp?os_destination=%2Frest%2Fapi%2F2%2Fsearch%3Fjql%3Da%253D1"
        );
    }

    #[test]
    fn unknown_rule_fields_are_rejected() {
        let bad = serde_json::from_value::<FaultRule>(json!({"status": 500, "tmes": 2}));
        assert!(bad.is_err());
        let bad_kind = serde_json::from_value::<FaultRule>(json!({"kind": "explode"}));
        assert!(bad_kind.is_err());
    }

    #[test]
    fn huge_body_is_valid_json_of_the_promised_length() {
        let mut body = HugeJson::new(10_000);
        let len = body.len();
        assert!((10_000..10_100).contains(&len), "{len}");
        let mut text = String::new();
        body.read_to_string(&mut text).unwrap();
        assert_eq!(text.len() as u64, len);
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert!(parsed["issues"].as_array().unwrap().len() > 300);
    }
}
