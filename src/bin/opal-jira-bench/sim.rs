//! The simulated Jira a benchmark runs against: an `opal-jira-sim serve` child on a free
//! loopback port, seeded through its admin API, with its request log read back to count
//! round trips and time spent inside Jira calls.

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use serde_json::{Value, json};

/// The project every benchmark ticket lives in.
pub const PROJECT: &str = "OPS";
/// The configured user, who every ticket is assigned to.
pub const USER: &str = "ana@acme.com";
/// Made up for the run; the simulator accepts the token it was seeded with.
pub const TOKEN: &str = "bench-token-7c1f";

/// Which Jira the simulator imitates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Cloud,
    DataCenter,
}

impl Flavor {
    pub const BOTH: [Flavor; 2] = [Flavor::Cloud, Flavor::DataCenter];

    /// The spelling of `--flavor` and `OPAL_JIRA_DEPLOYMENT`.
    pub fn as_str(self) -> &'static str {
        match self {
            Flavor::Cloud => "cloud",
            Flavor::DataCenter => "datacenter",
        }
    }
}

/// A ticket made in the simulator.
#[derive(Debug, Clone)]
pub struct Ticket {
    pub id: String,
    pub key: String,
}

/// One Jira request the simulator received.
#[derive(Debug, Clone, PartialEq)]
pub struct Logged {
    pub method: String,
    pub path: String,
    /// Milliseconds since the simulator started, at arrival and when answered.
    pub at_ms: u64,
    pub done_ms: Option<u64>,
}

/// A running simulator; dropping it closes its stdin, which ends it.
pub struct Sim {
    child: Child,
    stdin: Option<ChildStdin>,
    url: String,
    flavor: Flavor,
    http: reqwest::blocking::Client,
    tickets: Vec<Ticket>,
}

impl Sim {
    /// Starts `opal-jira-sim serve` with the real product's page caps (its defaults), a
    /// project and the configured user.
    /// Its log of requests goes to `log`.
    pub fn start(binary: &Path, flavor: Flavor, log: &Path) -> anyhow::Result<Sim> {
        let log = std::fs::File::create(log)
            .with_context(|| format!("cannot create {}", log.display()))?;
        let mut child = Command::new(binary)
            .args([
                "serve",
                "--verbose",
                "--flavor",
                flavor.as_str(),
                "--port",
                "0",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().context("the simulator's stdout")?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .context("reading the simulator's first line")?;
        let Some(url) = line.trim().strip_prefix("listening on ") else {
            bail!("the simulator did not say where it listens: {line:?}");
        };
        let sim = Sim {
            url: url.to_string(),
            child,
            stdin,
            flavor,
            http: reqwest::blocking::Client::new(),
            tickets: Vec::new(),
        };
        sim.admin(
            "POST",
            "projects",
            Some(json!({"key": PROJECT, "type": "software"})),
        )?;
        sim.admin(
            "POST",
            "users",
            Some(json!({"email": USER, "display_name": "Ana Lima", "token": TOKEN})),
        )?;
        Ok(sim)
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn flavor(&self) -> Flavor {
        self.flavor
    }

    /// Calls the admin API; any status but 2xx is an error naming the call.
    pub fn admin(&self, method: &str, path: &str, body: Option<Value>) -> anyhow::Result<Value> {
        let method_value = reqwest::Method::from_bytes(method.as_bytes())?;
        let mut request = self
            .http
            .request(method_value, format!("{}/_sim/{path}", self.url))
            .timeout(Duration::from_secs(120));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request
            .send()
            .with_context(|| format!("{method} /_sim/{path}"))?;
        let status = response.status();
        let text = response.text().unwrap_or_default();
        if !status.is_success() {
            bail!("{method} /_sim/{path} answered {status}: {text}");
        }
        if text.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&text).with_context(|| format!("{method} /_sim/{path}: not JSON"))
    }

    /// Makes sure at least `count` open tickets assigned to the user exist, and returns
    /// the first `count`.
    pub fn tickets(&mut self, count: usize) -> anyhow::Result<&[Ticket]> {
        if self.tickets.len() < count {
            let made = self.admin(
                "POST",
                "issues/bulk",
                Some(json!({
                    "project": PROJECT,
                    "count": count - self.tickets.len(),
                    "assignee": USER,
                    "status_category": "indeterminate",
                })),
            )?;
            let ids = strings(&made["ids"]).context("bulk answer without ids")?;
            let keys = strings(&made["keys"]).context("bulk answer without keys")?;
            self.tickets.extend(
                ids.into_iter()
                    .zip(keys)
                    .map(|(id, key)| Ticket { id, key }),
            );
        }
        Ok(&self.tickets[..count])
    }

    /// Adds `ms` of latency to every Jira call (not to admin calls).
    pub fn set_latency(&self, ms: u64) -> anyhow::Result<()> {
        self.admin("PUT", "config", Some(json!({"latency_ms": ms})))
            .map(drop)
    }

    pub fn clear_log(&self) -> anyhow::Result<()> {
        self.admin("DELETE", "requests", None).map(drop)
    }

    /// The Jira requests received since the log was last cleared.
    pub fn log(&self) -> anyhow::Result<Vec<Logged>> {
        let entries = self.admin("GET", "requests", None)?;
        let entries = entries.as_array().context("the request log is a list")?;
        entries
            .iter()
            .map(|entry| {
                Ok(Logged {
                    method: entry["method"].as_str().unwrap_or_default().to_string(),
                    path: entry["path"].as_str().unwrap_or_default().to_string(),
                    at_ms: entry["at_ms"].as_u64().context("log entry without at_ms")?,
                    done_ms: entry["done_ms"].as_u64(),
                })
            })
            .collect()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn strings(value: &Value) -> Option<Vec<String>> {
    value
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(String::from))
        .collect()
}

/// The time covered by at least one of the logged requests, from arrival to answer:
/// what a pass spent waiting on Jira, however many calls overlapped.
pub fn time_in_jira(log: &[Logged]) -> Duration {
    let mut spans: Vec<(u64, u64)> = log
        .iter()
        .map(|entry| (entry.at_ms, entry.done_ms.unwrap_or(entry.at_ms)))
        .collect();
    spans.sort_unstable();
    let mut total = 0;
    let mut current: Option<(u64, u64)> = None;
    for (start, end) in spans {
        current = match current {
            Some((from, to)) if start <= to => Some((from, to.max(end))),
            Some((from, to)) => {
                total += to - from;
                Some((start, end))
            }
            None => Some((start, end)),
        };
    }
    if let Some((from, to)) = current {
        total += to - from;
    }
    Duration::from_millis(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(at_ms: u64, done_ms: u64) -> Logged {
        Logged {
            method: "POST".into(),
            path: "/rest/api/3/issue/bulkfetch".into(),
            at_ms,
            done_ms: Some(done_ms),
        }
    }

    #[test]
    fn overlapping_calls_count_once() {
        let log = [entry(10, 60), entry(20, 70), entry(100, 150), entry(65, 80)];
        assert_eq!(time_in_jira(&log), Duration::from_millis(70 + 50));
        assert_eq!(time_in_jira(&[]), Duration::ZERO);
        let nested = [entry(0, 100), entry(10, 20)];
        assert_eq!(time_in_jira(&nested), Duration::from_millis(100));
    }
}
