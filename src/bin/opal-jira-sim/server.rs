//! The HTTP server: binds 127.0.0.1, runs a pool of worker threads over one shared state,
//! applies latency and faults, records every Jira request, and exits when stdin closes.

use std::io::{Cursor, Read, Write};
use std::net::TcpStream;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow};
use serde_json::{Value, json};
use tiny_http::{Header, Response, StatusCode};

use crate::auth;
use crate::faults::{self, HugeJson};
use crate::http::{Body, Incoming, Reply};
use crate::state::{Flavor, State};
use crate::{admin, api};

/// Enough workers that injected delays on a few requests do not stall the others.
const WORKERS: usize = 16;

/// Request bodies beyond this are cut off; no Jira request the client sends comes close.
const MAX_BODY: u64 = 16 * 1024 * 1024;

/// Shared by all workers.
struct Sim {
    state: Mutex<State>,
    base_url: String,
    started: Instant,
    verbose: bool,
    /// Numbers log entries, so a late status lands on the right one even after a clear.
    next_seq: AtomicU64,
}

impl Sim {
    /// The state, even if a worker panicked while holding it: one broken request must not
    /// take the whole simulator down.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Runs the simulator until stdin reaches EOF (or the process is killed).
pub fn serve(flavor: Flavor, port: u16, seed: Option<&Path>, verbose: bool) -> anyhow::Result<()> {
    let mut state = State::new(flavor);
    if let Some(path) = seed {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read seed file `{}`", path.display()))?;
        let doc: Value = serde_json::from_str(&text)
            .with_context(|| format!("seed file `{}` is not JSON", path.display()))?;
        admin::seed(&mut state, doc).map_err(|e| anyhow!("seed file `{}`: {e}", path.display()))?;
    }

    let listener = std::net::TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| anyhow!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    send_without_delay(&listener);
    let server = tiny_http::Server::from_listener(listener, None)
        .map_err(|e| anyhow!("cannot serve on 127.0.0.1:{port}: {e}"))?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .ok_or_else(|| anyhow!("the listener has no IP address"))?;
    let base_url = format!("http://127.0.0.1:{port}");
    let sim = Arc::new(Sim {
        state: Mutex::new(state),
        base_url,
        started: Instant::now(),
        verbose,
        next_seq: AtomicU64::new(0),
    });

    let mut stdout = std::io::stdout();
    writeln!(stdout, "listening on {}", sim.base_url).context("cannot write to stdout")?;
    stdout.flush().context("cannot flush stdout")?;
    eprintln!(
        "opal-jira-sim: {} flavour on {}",
        flavor.as_str(),
        sim.base_url
    );

    // The test harness holds our stdin open; when it exits or crashes the pipe closes and
    // we must not outlive it.
    thread::spawn(|| {
        let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
        eprintln!("opal-jira-sim: stdin closed, exiting");
        std::process::exit(0);
    });

    let server = Arc::new(server);
    let nudge = nudger(port);
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (server, sim, nudge) = (Arc::clone(&server), Arc::clone(&sim), nudge.clone());
            thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    let _ = nudge.send(());
                    serve_one(&sim, request);
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
    Ok(())
}

/// Turns off Nagle's algorithm for every connection (Linux gives accepted sockets the
/// listener's setting; tiny_http offers no hook of its own). tiny_http writes an
/// answer in several pieces; with Nagle each piece after the first waits for the
/// client to acknowledge the one before, and clients delay acknowledgements by up to
/// 40 ms, which made every large answer take tens of milliseconds longer than it
/// should.
#[cfg(unix)]
fn send_without_delay(listener: &std::net::TcpListener) {
    use std::os::fd::AsRawFd as _;

    let on: libc::c_int = 1;
    // SAFETY: the descriptor is the listener's own, open for the call; the option
    // value is a live c_int whose size is passed with it.
    let result = unsafe {
        libc::setsockopt(
            listener.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_NODELAY,
            (&raw const on).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if result != 0 {
        eprintln!(
            "opal-jira-sim: cannot turn off Nagle's algorithm: {}",
            std::io::Error::last_os_error()
        );
    }
}

#[cfg(not(unix))]
fn send_without_delay(_listener: &std::net::TcpListener) {}

/// Works around a race in tiny_http's connection pool. Each accepted connection runs
/// on a pool thread for as long as the client keeps it alive, and the pool adds a
/// thread only when it sees none idle; it counts an idle thread that was just handed a
/// connection but has not woken yet. So when several connections arrive at once (a
/// client opening four for parallel batches) one can stay queued with every thread
/// held by a kept-alive connection, and its request waits until some client hangs up.
///
/// For each request received, a throwaway connection to ourselves either wakes an
/// idle thread or makes the pool start one, and that thread serves the queue in order.
/// A connection is stranded only when others of its burst were served, and their
/// requests come in at once, so it is picked up within moments (one nudge per request:
/// several connections may be stranded at a time).
fn nudger(port: u16) -> mpsc::Sender<()> {
    let (nudge, nudged) = mpsc::channel::<()>();
    thread::spawn(move || {
        for () in nudged {
            // Closed at once: tiny_http reads end-of-file and frees the thread.
            let _ = TcpStream::connect(("127.0.0.1", port));
        }
    });
    nudge
}

fn serve_one(sim: &Sim, mut request: tiny_http::Request) {
    let authorization = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Authorization"))
        .map(|h| h.value.as_str().to_string());
    let experimental_api = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("X-ExperimentalApi"))
        .map(|h| h.value.as_str().to_string());
    let mut body = Vec::new();
    let _ = request.as_reader().take(MAX_BODY).read_to_end(&mut body);
    let mut incoming = Incoming::new(
        request.method().as_str(),
        request.url(),
        authorization,
        body,
    );
    incoming.experimental_api = experimental_api;

    let started = Instant::now();
    let answer = panic::catch_unwind(AssertUnwindSafe(|| answer(sim, &incoming)));
    let reply = answer.unwrap_or_else(|_| Reply::jira_error(500, "The simulator failed."));
    if sim.verbose {
        let ms = started.elapsed().as_millis();
        eprintln!(
            "{} {} -> {} ({ms} ms)",
            incoming.method, incoming.path, reply.status
        );
    }
    send(request, reply);
}

fn answer(sim: &Sim, incoming: &Incoming) -> Reply {
    if incoming.path == "/_sim" || incoming.path.starts_with("/_sim/") {
        return admin::handle(&mut sim.lock(), incoming);
    }
    let at_ms = sim.started.elapsed().as_millis();

    // Note the request on arrival, so the log keeps arrival order even when answers are
    // delayed; its status is filled in once known.
    let (latency, caller, seq) = {
        let mut state = sim.lock();
        let caller = auth::identify(&state, incoming.authorization.as_deref());
        let seq = sim.next_seq.fetch_add(1, Ordering::Relaxed);
        let entry = json!({
            "method": incoming.method,
            "path": incoming.path,
            "query": incoming.query_json(),
            "auth": auth::log_label(&state, caller),
            "status": null,
            "body": incoming.json_body(),
            "experimental_api": incoming.experimental_api,
            "at_ms": at_ms,
            "seq": seq,
        });
        state.log.push(entry);
        (state.config.latency_ms, caller, seq)
    };
    sleep_ms(latency);

    let (reply, delay) = {
        let mut state = sim.lock();
        let site = faults::Site {
            flavor: state.config.flavor,
            base_url: &sim.base_url,
            now: state.now(),
        };
        match faults::fire(&mut state.faults, incoming, &site) {
            Some(effect) => (effect.reply, effect.delay),
            None => (
                Some(api::route(&mut state, caller, incoming, &sim.base_url)),
                Duration::ZERO,
            ),
        }
    };
    thread::sleep(delay);

    // A delay-only fault answers normally once the delay is over.
    let reply = match reply {
        Some(reply) => reply,
        None => api::route(&mut sim.lock(), caller, incoming, &sim.base_url),
    };
    let reply = match reply.body {
        Body::Drop => reply,
        _ => api::decorate(reply, &sim.lock(), caller),
    };
    let done_ms = sim.started.elapsed().as_millis();
    record_status(&mut sim.lock(), seq, &reply, done_ms);
    reply
}

/// Fills in the status of a logged request and when it was answered (unless the log
/// was cleared meanwhile).
fn record_status(state: &mut State, seq: u64, reply: &Reply, done_ms: u128) {
    let status = match reply.body {
        Body::Drop => Value::Null,
        _ => json!(reply.status),
    };
    let entry = state.log.iter_mut().rev().find(|e| e["seq"] == json!(seq));
    if let Some(entry) = entry {
        entry["status"] = status;
        entry["done_ms"] = json!(done_ms);
    }
}

fn sleep_ms(ms: u64) {
    if ms > 0 {
        thread::sleep(Duration::from_millis(ms));
    }
}

fn send(request: tiny_http::Request, reply: Reply) {
    let mut headers: Vec<Header> = reply
        .headers
        .iter()
        .filter_map(|(n, v)| Header::from_bytes(n.as_bytes(), v.as_bytes()).ok())
        .collect();
    if !reply.content_type.is_empty()
        && let Ok(h) = Header::from_bytes("Content-Type", reply.content_type.as_bytes())
    {
        headers.push(h);
    }
    let status = StatusCode(reply.status);
    let _ = match reply.body {
        Body::Bytes(bytes) => {
            let len = bytes.len();
            request.respond(Response::new(
                status,
                headers,
                Cursor::new(bytes),
                Some(len),
                None,
            ))
        }
        Body::Huge { bytes, chunked } => {
            let body = HugeJson::new(bytes);
            let len = usize::try_from(body.len()).ok();
            let response = Response::new(status, headers, body, len, None);
            // tiny_http switches to chunked encoding above a threshold; move it as asked.
            let threshold = if chunked { 0 } else { usize::MAX };
            request.respond(response.with_chunked_threshold(threshold))
        }
        // A connection broken mid-answer. tiny_http cannot close a connection it still
        // reads from, so the answer is bytes that are not HTTP, after which the client
        // abandons the connection. The client meets the same transport error as after a
        // reset (a reset before any byte would need an accept loop of our own).
        Body::Drop => {
            let mut writer = request.into_writer();
            writer
                .write_all(b"\x00\x00\x00 connection dropped\r\n\r\n")
                .and_then(|()| writer.flush())
        }
    };
}
