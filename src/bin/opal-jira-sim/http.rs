//! The simulator's own view of HTTP: a decoded incoming request, the reply the routes build,
//! and the URL encoding helpers both need. Only `server.rs` touches tiny_http types.

use serde_json::{Value, json};

/// A request as the routes see it: method, decoded path and query, auth header, body.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// Upper-case HTTP method.
    pub method: String,
    /// Percent-decoded path without the query string.
    pub path: String,
    /// Decoded query parameters in their original order (repeats kept).
    pub query: Vec<(String, String)>,
    /// Raw `Authorization` header value, if any. Never logged.
    pub authorization: Option<String>,
    /// Request body bytes (empty when none).
    pub body: Vec<u8>,
    /// The `X-ExperimentalApi` header, which JSM clients send to opt in to its
    /// experimental endpoints; logged so tests can see that it was sent.
    pub experimental_api: Option<String>,
}

impl Incoming {
    /// Builds a request from a raw URL such as `/rest/api/2/search?jql=a%3Db`.
    pub fn new(method: &str, url: &str, authorization: Option<String>, body: Vec<u8>) -> Self {
        let (raw_path, raw_query) = url.split_once('?').unwrap_or((url, ""));
        Incoming {
            method: method.to_ascii_uppercase(),
            path: percent_decode(raw_path, false),
            query: parse_query(raw_query),
            authorization,
            body,
            experimental_api: None,
        }
    }

    /// The last value of query parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// All values of query parameter `name`, in order.
    pub fn params(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The body parsed as JSON; `None` when it is empty or not JSON.
    pub fn json_body(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The query parameters as a JSON object (last value wins), for the request log.
    pub fn query_json(&self) -> Value {
        let map = self
            .query
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())));
        Value::Object(map.collect())
    }
}

/// What a reply carries after its headers.
#[derive(Debug)]
pub enum Body {
    /// An ordinary, fully built body.
    Bytes(Vec<u8>),
    /// A syntactically plausible JSON body of this many bytes, generated while streaming;
    /// sent with chunked encoding when `chunked`, else with a `Content-Length`.
    Huge { bytes: u64, chunked: bool },
    /// No HTTP answer at all: the connection is broken instead.
    Drop,
}

/// A response built by the routes, turned into bytes on the wire by `server.rs`.
#[derive(Debug)]
pub struct Reply {
    /// HTTP status code.
    pub status: u16,
    /// Extra headers, in order; `Content-Type` is set from `content_type`.
    pub headers: Vec<(String, String)>,
    /// Value of the `Content-Type` header.
    pub content_type: String,
    /// The body.
    pub body: Body,
}

impl Reply {
    /// A JSON reply.
    pub fn json(status: u16, value: &Value) -> Reply {
        let bytes = serde_json::to_vec(value).expect("a serde_json::Value always serializes");
        Reply::bytes(status, "application/json;charset=UTF-8", bytes)
    }

    /// A reply with a body of the given content type.
    pub fn bytes(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            content_type: content_type.to_string(),
            body: Body::Bytes(body.into()),
        }
    }

    /// A reply with an empty body.
    pub fn empty(status: u16) -> Reply {
        Reply::bytes(status, "text/plain;charset=UTF-8", Vec::new())
    }

    /// Jira's usual error body: `{"errorMessages":[...],"errors":{}}`.
    pub fn jira_error(status: u16, message: &str) -> Reply {
        Reply::json(status, &json!({"errorMessages": [message], "errors": {}}))
    }

    /// Jira's field-level error body: `{"errorMessages":[],"errors":{field: message}}`.
    pub fn field_error(status: u16, field: &str, message: &str) -> Reply {
        Reply::json(
            status,
            &json!({"errorMessages": [], "errors": {field: message}}),
        )
    }

    /// Adds (or replaces) a header.
    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Sets a header unless the reply already has one by that name (a fault's headers
    /// win over the ones every answer gets).
    pub fn with_default_header(self, name: &str, value: &str) -> Reply {
        if self
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            return self;
        }
        self.with_header(name, value)
    }

    /// The value of a header set on this reply.
    #[cfg(test)]
    pub fn header(&self, name: &str) -> Option<&str> {
        let found = self
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name));
        found.map(|(_, v)| v.as_str())
    }
}

/// Splits and decodes an `a=1&b=x+y` query string.
pub fn parse_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

/// Decodes `%XX` escapes (and `+` as space when `plus_is_space`); bad escapes stay literal.
pub fn percent_decode(input: &str, plus_is_space: bool) -> String {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' if plus_is_space => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes everything except RFC 3986 unreserved characters.
pub fn percent_encode(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for b in input.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_is_split_and_decoded() {
        let q = parse_query("jql=project%20%3D%20%22A%22&fields=id,key&x=a+b&flag");
        assert_eq!(q[0], ("jql".into(), "project = \"A\"".into()));
        assert_eq!(q[1], ("fields".into(), "id,key".into()));
        assert_eq!(q[2], ("x".into(), "a b".into()));
        assert_eq!(q[3], ("flag".into(), "".into()));
    }

    #[test]
    fn bad_escapes_stay_literal() {
        assert_eq!(percent_decode("100%", false), "100%");
        assert_eq!(percent_decode("%zz1", false), "%zz1");
        assert_eq!(percent_decode("%41%4", false), "A%4");
        assert_eq!(percent_decode("a+b", false), "a+b");
    }

    #[test]
    fn encode_round_trips() {
        let raw = "/rest/api/2/myself?x=a b&y=ü";
        assert_eq!(percent_decode(&percent_encode(raw), false), raw);
        assert!(!percent_encode(raw).contains(' '));
    }
}
