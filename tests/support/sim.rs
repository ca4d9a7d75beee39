//! Test harness for `opal-jira-sim`: starts the simulator on a free loopback port with its
//! stdin held open (closing it ends the simulator, so it never outlives a test), and wraps
//! the `/_sim/` admin API in typed helpers.
//!
//! Include it with `#[path = "support/sim.rs"] mod sim;` (or from a `support` module).
//! Set `OPAL_JIRA_SIM_VERBOSE=1` to see the simulator's request log on stderr.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdin, Command, Stdio};

use serde_json::json;

/// JSON values exchanged with the simulator.
pub type Json = serde_json::Value;

/// Which Jira the simulator imitates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Cloud,
    DataCenter,
}

/// A running simulator; dropping it stops the process.
pub struct Sim {
    child: Child,
    /// Held only so that dropping the `Sim` closes the simulator's stdin.
    _stdin: ChildStdin,
    url: String,
    http: reqwest::blocking::Client,
}

impl Sim {
    /// Spawns `opal-jira-sim serve` and waits for its `listening on` line.
    pub fn start(flavor: Flavor) -> Sim {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let verbose = std::env::var_os("OPAL_JIRA_SIM_VERBOSE").is_some();
        let flavor_arg = match flavor {
            Flavor::Cloud => "cloud",
            Flavor::DataCenter => "datacenter",
        };
        let mut command = Command::new(env!("CARGO_BIN_EXE_opal-jira-sim"));
        command.args(["serve", "--flavor", flavor_arg, "--port", "0"]);
        if verbose {
            command.arg("--verbose");
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(if verbose {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .expect("the opal-jira-sim binary is built by cargo for integration tests");

        let stdout = child.stdout.take().expect("stdout was piped");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("reading the simulator's stdout");
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from opal-jira-sim: {line:?}"))
            .to_string();
        let stdin = child.stdin.take().expect("stdin was piped");
        let http = reqwest::blocking::Client::new();
        Sim {
            child,
            _stdin: stdin,
            url,
            http,
        }
    }

    /// `http://127.0.0.1:PORT`, the Jira base URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Calls the admin API and returns the JSON answer (`null` for empty bodies). Panics on
    /// any non-2xx status, showing the simulator's reason.
    pub fn admin(&self, method: &str, path: &str, body: Option<Json>) -> Json {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a valid HTTP method");
        let mut request = self
            .http
            .request(method.clone(), format!("{}/_sim/{path}", self.url));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().expect("the simulator answers admin calls");
        let status = response.status();
        let text = response.text().unwrap_or_default();
        assert!(
            status.is_success(),
            "{method} /_sim/{path} -> {status}: {text}"
        );
        if text.is_empty() {
            Json::Null
        } else {
            serde_json::from_str(&text).expect("admin JSON")
        }
    }

    /// Adds a user who authenticates with `token` (Basic on Cloud, Bearer on DC).
    pub fn add_user(&self, email: &str, display_name: &str, token: &str) -> Json {
        let body = json!({"email": email, "display_name": display_name, "token": token});
        self.admin("POST", "users", Some(body))
    }

    /// Adds a project; `kind` is `software` or `service_desk`.
    pub fn add_project(&self, key: &str, kind: &str) -> Json {
        self.admin("POST", "projects", Some(json!({"key": key, "type": kind})))
    }

    /// Adds an issue; `status_category` is `new`, `indeterminate` or `done`. Returns (id, key).
    pub fn add_issue(
        &self,
        project: &str,
        summary: &str,
        status_category: &str,
        assignee_email: Option<&str>,
    ) -> (String, String) {
        let body = json!({
            "project": project,
            "summary": summary,
            "status_category": status_category,
            "assignee": assignee_email,
        });
        let made = self.admin("POST", "issues", Some(body));
        (text(&made["id"]), text(&made["key"]))
    }

    /// Creates `count` issues at once; returns their (ids, keys).
    pub fn add_issues(
        &self,
        project: &str,
        count: usize,
        assignee_email: Option<&str>,
    ) -> (Vec<String>, Vec<String>) {
        let body = json!({"project": project, "count": count, "assignee": assignee_email});
        let made = self.admin("POST", "issues/bulk", Some(body));
        let list = |v: &Json| v.as_array().expect("a list").iter().map(text).collect();
        (list(&made["ids"]), list(&made["keys"]))
    }

    /// Changes an issue (`summary`, `status`, `status_category`, `assignee`,
    /// `hidden_from_search`, `forbidden`, ...); returns its admin view.
    pub fn update_issue(&self, id_or_key: &str, changes: Json) -> Json {
        self.admin("PATCH", &format!("issues/{id_or_key}"), Some(changes))
    }

    /// Moves an issue to another project and returns its new key.
    pub fn move_issue(&self, id_or_key: &str, project: &str) -> String {
        let moved = self.admin(
            "POST",
            &format!("issues/{id_or_key}/move"),
            Some(json!({"project": project})),
        );
        text(&moved["key"])
    }

    /// Deletes an issue.
    pub fn delete_issue(&self, id_or_key: &str) {
        self.admin("DELETE", &format!("issues/{id_or_key}"), None);
    }

    /// Restricts a project to the given users (`None` opens it to everyone again).
    pub fn restrict_project(&self, key: &str, emails: Option<&[&str]>) {
        self.admin(
            "PATCH",
            &format!("projects/{key}"),
            Some(json!({"visible_to": emails})),
        );
    }

    /// Adds a fault rule (see `POST /_sim/faults`).
    pub fn add_fault(&self, rule: Json) {
        self.admin("POST", "faults", Some(rule));
    }

    /// Removes all fault rules.
    pub fn clear_faults(&self) {
        self.admin("DELETE", "faults", None);
    }

    /// Merges settings into the config and returns the whole config.
    pub fn set_config(&self, changes: Json) -> Json {
        self.admin("PUT", "config", Some(changes))
    }

    /// The Jira requests received so far, in arrival order.
    pub fn requests(&self) -> Vec<Json> {
        match self.admin("GET", "requests", None) {
            Json::Array(items) => items,
            other => panic!("request log is not a list: {other}"),
        }
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        self.admin("DELETE", "requests", None);
    }

    /// An issue as the admin API shows it (key, status, reporter, issue type, request
    /// type, description, …).
    pub fn issue(&self, id_or_key: &str) -> Json {
        self.admin("GET", &format!("issues/{id_or_key}"), None)
    }

    /// Every user, with their permissions (`administer`, `modify_reporter`) and whether
    /// they are portal-only customers.
    pub fn users(&self) -> Vec<Json> {
        match self.admin("GET", "users", None) {
            Json::Array(items) => items,
            other => panic!("users are not a list: {other}"),
        }
    }

    /// Changes a user's permissions, e.g. `{"administer": true}`.
    pub fn set_user(&self, email: &str, changes: Json) -> Json {
        self.admin("PATCH", &format!("users/{email}"), Some(changes))
    }

    /// Takes one step of a JSM project's setup away: `no_issue_type`,
    /// `no_request_type`, `wrong_issue_type`, `no_request_type_field` or
    /// `no_reporter_field`.
    pub fn break_setup(&self, project: &str, step: &str) {
        self.admin(
            "POST",
            &format!("projects/{project}/break"),
            Some(json!({"step": step})),
        );
    }

    /// A project as the admin API shows it, with its service desk's `id` and
    /// `portal_id` under `desk` for a JSM project.
    pub fn project(&self, key: &str) -> Json {
        self.admin("GET", &format!("projects/{key}"), None)
    }

    /// The emails of a service desk's customers.
    pub fn desk_customers(&self, project: &str) -> Vec<String> {
        match self.admin("GET", &format!("projects/{project}/customers"), None) {
            Json::Array(items) => items.iter().map(text).collect(),
            other => panic!("customers are not a list: {other}"),
        }
    }

    /// Comments stored on an issue.
    pub fn comments(&self, id_or_key: &str) -> Vec<Json> {
        match self.admin("GET", &format!("issues/{id_or_key}/comments"), None) {
            Json::Array(items) => items,
            other => panic!("comments are not a list: {other}"),
        }
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn text(value: &Json) -> String {
    value
        .as_str()
        .unwrap_or_else(|| panic!("expected a string, got {value}"))
        .to_string()
}
