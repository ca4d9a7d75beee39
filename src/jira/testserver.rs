//! A tiny loopback HTTP server for the client's unit tests: it binds 127.0.0.1:0,
//! answers each request with whatever the test's handler returns, records what it
//! received, and shuts down when dropped.

use std::io::Cursor;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use reqwest::Url;
use tiny_http::{Header, Response, Server, StatusCode};

use super::{Deployment, JiraClient, JiraConfig};
use crate::secret::Secret;

/// The token every test client sends; tests check it never leaks.
pub(crate) const TEST_TOKEN: &str = "tok-SECRET-9f8e7d6c5b4a";
pub(crate) const TEST_EMAIL: &str = "ana@example.com";

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub(crate) struct Recorded {
    /// 0 for the first request the server received, 1 for the next, …
    pub index: usize,
    pub method: String,
    /// Path and query, as sent.
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Recorded {
    pub fn path(&self) -> &str {
        self.url.split('?').next().unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON; panics (failing the test) when it is not.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("test request body is JSON")
    }
}

/// What the server answers.
pub(crate) struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Send a `Content-Length` (true) or stream chunked (false).
    declare_length: bool,
    delay: Duration,
}

impl Reply {
    pub fn json(status: u16, body: serde_json::Value) -> Reply {
        Reply::raw(status, "application/json", body.to_string().into_bytes())
    }

    pub fn raw(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            declare_length: true,
            delay: Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sleep this long before answering.
    pub fn after(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    pub fn chunked(mut self) -> Reply {
        self.declare_length = false;
        self
    }
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

pub(crate) struct TestServer {
    pub url: Url,
    server: Arc<Server>,
    requests: Arc<Mutex<Vec<Recorded>>>,
    thread: Option<JoinHandle<()>>,
}

impl TestServer {
    /// A server answering one request at a time.
    pub fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> TestServer {
        TestServer::spawn(Arc::new(handler), false)
    }

    /// A server answering each request on its own thread, for concurrency tests.
    pub fn start_concurrent(
        handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
    ) -> TestServer {
        TestServer::spawn(Arc::new(handler), true)
    }

    fn spawn(handler: Arc<Handler>, concurrent: bool) -> TestServer {
        let server = Arc::new(Server::http("127.0.0.1:0").expect("bind a loopback port"));
        let port = server.server_addr().to_ip().expect("an IP listener").port();
        let url = Url::parse(&format!("http://127.0.0.1:{port}")).expect("a valid URL");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let counter = Arc::new(AtomicUsize::new(0));

        let thread = {
            let (server, requests) = (Arc::clone(&server), Arc::clone(&requests));
            std::thread::spawn(move || {
                let mut workers = Vec::new();
                while let Ok(request) = server.recv() {
                    let (handler, requests, counter) = (
                        Arc::clone(&handler),
                        Arc::clone(&requests),
                        Arc::clone(&counter),
                    );
                    let serve = move || serve(request, &*handler, &requests, &counter);
                    if concurrent {
                        workers.push(std::thread::spawn(serve));
                    } else {
                        serve();
                    }
                }
                for worker in workers {
                    let _ = worker.join();
                }
            })
        };
        TestServer {
            url,
            server,
            requests,
            thread: Some(thread),
        }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        let mut all = self.requests.lock().expect("request log lock").clone();
        all.sort_by_key(|r| r.index);
        all
    }

    /// A configuration for this server with short timeouts and the test token.
    pub fn config(&self, deployment: Deployment) -> JiraConfig {
        let mut config = JiraConfig::new(
            deployment,
            self.url.clone(),
            Some(TEST_EMAIL.to_string()),
            Secret::new(TEST_TOKEN),
        );
        config.connect_timeout = Duration::from_secs(2);
        config.read_timeout = Duration::from_secs(5);
        config.max_retry_wait = Duration::from_secs(10);
        config
    }

    pub fn client(&self, deployment: Deployment) -> JiraClient {
        JiraClient::new(self.config(deployment)).expect("test client builds")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(
    mut request: tiny_http::Request,
    handler: &Handler,
    requests: &Mutex<Vec<Recorded>>,
    counter: &AtomicUsize,
) {
    let mut body = String::new();
    let _ = request.as_reader().read_to_string(&mut body);
    let recorded = Recorded {
        index: counter.fetch_add(1, Ordering::SeqCst),
        method: request.method().as_str().to_string(),
        url: request.url().to_string(),
        headers: request
            .headers()
            .iter()
            .map(|h| {
                (
                    h.field.as_str().as_str().to_string(),
                    h.value.as_str().to_string(),
                )
            })
            .collect(),
        body,
    };
    requests
        .lock()
        .expect("request log lock")
        .push(recorded.clone());

    let reply = handler(&recorded);
    if !reply.delay.is_zero() {
        std::thread::sleep(reply.delay);
    }
    let headers = reply
        .headers
        .iter()
        .map(|(k, v)| Header::from_bytes(k.as_bytes(), v.as_bytes()).expect("a valid header"))
        .collect();
    let length = reply.declare_length.then_some(reply.body.len());
    let response = Response::new(
        StatusCode(reply.status),
        headers,
        Cursor::new(reply.body),
        length,
        None,
    )
    .with_chunked_threshold(if reply.declare_length { usize::MAX } else { 0 });
    // The client may have given up already (timeout tests); that is fine.
    let _ = request.respond(response);
}

/// A search or issue result as Jira sends it, with the fields the client asks for.
pub(crate) fn issue_json(id: &str, key: &str, category: &str) -> serde_json::Value {
    let project = key.split('-').next().unwrap_or_default();
    serde_json::json!({"id": id, "key": key, "fields": {
        "summary": format!("summary of {key}"),
        "status": {"name": "Some status", "statusCategory": {"key": category}},
        "assignee": {"accountId": "acc-1", "displayName": "Ana Lima", "active": true},
        "project": {"id": "10000", "key": project, "name": "P"},
        "updated": "2024-05-01T09:30:00.000+0000"
    }})
}
