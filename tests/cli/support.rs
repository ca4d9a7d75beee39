//! A sealed environment per test: temporary home, database and keyring directory, a
//! simulator with one project and two users, and helpers to run the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::sim::{Flavor, Sim};

pub const PROJECT: &str = "OPS";
pub const ANA: &str = "ana@acme.com";
pub const ANA_TOKEN: &str = "ana-token-Zq8xV3kP9w";
pub const BEN: &str = "ben@acme.com";
pub const BEN_TOKEN: &str = "ben-token-Hj4mR7tL2c";

/// Both deployments, for tests that must hold on each.
pub const FLAVORS: [Flavor; 2] = [Flavor::Cloud, Flavor::DataCenter];

pub struct TestEnv {
    pub dir: tempfile::TempDir,
    pub sim: Sim,
    pub flavor: Flavor,
    /// Extra or overridden environment variables for every run.
    pub env: Vec<(String, String)>,
    /// Variables removed from the default environment.
    pub unset: Vec<String>,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Parses stdout as one JSON document.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|err| panic!("stdout is not JSON ({err}): {self:?}"))
    }

    #[track_caller]
    pub fn success(self) -> Run {
        assert_eq!(self.code, 0, "expected success: {self:?}");
        self
    }

    #[track_caller]
    pub fn code(self, code: i32) -> Run {
        assert_eq!(self.code, code, "expected exit code {code}: {self:?}");
        self
    }

    #[track_caller]
    pub fn stderr_has(self, text: &str) -> Run {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}: {self:?}"
        );
        self
    }
}

impl TestEnv {
    /// A simulator with project OPS, users Ana (the configured user) and Ben, and an
    /// environment-driven connection as Ana.
    pub fn new(flavor: Flavor) -> TestEnv {
        TestEnv::with_project(flavor, "software")
    }

    /// The same, with OPS a Jira Service Management project (its whole opal-jira setup
    /// in place).
    pub fn jsm(flavor: Flavor) -> TestEnv {
        TestEnv::with_project(flavor, "service_desk")
    }

    fn with_project(flavor: Flavor, kind: &str) -> TestEnv {
        let sim = Sim::start(flavor);
        sim.add_project(PROJECT, kind);
        sim.add_project("OTHER", "software");
        sim.add_user(ANA, "Ana Lima", ANA_TOKEN);
        sim.add_user(BEN, "Ben Okafor", BEN_TOKEN);
        let dir = tempfile::tempdir().expect("temp dir");
        TestEnv {
            dir,
            sim,
            flavor,
            env: Vec::new(),
            unset: Vec::new(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn db_path(&self) -> PathBuf {
        self.path("data/opal-jira.db")
    }

    pub fn deployment(&self) -> &'static str {
        match self.flavor {
            Flavor::Cloud => "cloud",
            Flavor::DataCenter => "datacenter",
        }
    }

    /// The base command: the environment cleared, then only what the test sets.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_opal-jira"));
        command.args(args).env_clear().stdin(Stdio::null());
        let home = self.path("home");
        let defaults: Vec<(&str, String)> = vec![
            ("PATH", std::env::var("PATH").unwrap_or_default()),
            ("HOME", home.display().to_string()),
            (
                "XDG_DATA_HOME",
                home.join(".local/share").display().to_string(),
            ),
            ("USER", "tester".to_string()),
            ("NO_COLOR", "1".to_string()),
            ("TZ", "UTC".to_string()),
            ("OPAL_JIRA_DB", self.db_path().display().to_string()),
            (
                "__OPAL_JIRA_TEST_KEYRING_DIR",
                self.path("keyring").display().to_string(),
            ),
            ("OPAL_JIRA_DEPLOYMENT", self.deployment().to_string()),
            ("OPAL_JIRA_URL", self.sim.url().to_string()),
            ("OPAL_JIRA_PROJECT", PROJECT.to_string()),
            ("OPAL_JIRA_EMAIL", ANA.to_string()),
            ("OPAL_JIRA_TOKEN", ANA_TOKEN.to_string()),
        ];
        for (name, value) in defaults {
            if !self.unset.iter().any(|unset| unset == name) {
                command.env(name, value);
            }
        }
        for (name, value) in &self.env {
            command.env(name, value);
        }
        command
    }

    /// Runs the binary and captures what it did.
    pub fn run(&self, args: &[&str]) -> Run {
        capture(self.command(args).output().expect("run opal-jira"))
    }

    /// Runs with `text` on stdin.
    pub fn run_stdin(&self, args: &[&str], text: &str) -> Run {
        use std::io::Write as _;
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn opal-jira");
        // A process that exits without reading its input closes the pipe early; that is
        // its business, and its exit code tells the test what happened.
        let _ = child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes());
        capture(child.wait_with_output().expect("wait"))
    }

    /// Runs with `--output json` and parses stdout.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--output", "json"];
        all.extend_from_slice(args);
        self.run(&all).success().json()
    }

    /// Runs with `--output json` and parses each stdout line (JSON Lines).
    pub fn json_lines(&self, args: &[&str]) -> Vec<Value> {
        let mut all = vec!["--output", "json"];
        all.extend_from_slice(args);
        let run = self.run(&all).success();
        run.stdout
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|err| panic!("{err}: {line}")))
            .collect()
    }

    /// Removes the environment connection, so that commands look in the keyring.
    pub fn without_env_connection(&mut self) {
        for name in [
            "OPAL_JIRA_TOKEN",
            "OPAL_JIRA_DEPLOYMENT",
            "OPAL_JIRA_URL",
            "OPAL_JIRA_PROJECT",
            "OPAL_JIRA_EMAIL",
        ] {
            self.unset_env(name);
        }
    }

    pub fn set_env(&mut self, name: &str, value: &str) {
        self.env.retain(|(existing, _)| existing != name);
        self.env.push((name.to_string(), value.to_string()));
    }

    pub fn unset_env(&mut self, name: &str) {
        self.env.retain(|(existing, _)| existing != name);
        self.unset.push(name.to_string());
    }

    /// Pins the binary's clock.
    pub fn at(&mut self, rfc3339: &str) {
        self.set_env("__OPAL_JIRA_TEST_NOW", rfc3339);
    }

    /// Registers a resource whose grant and revoke commands are real shell scripts that
    /// append a line per run to `hooks.log` and fail (exit 3) while a file named
    /// `fail-grant` / `fail-revoke` exists in the test directory.
    pub fn add_resource(&self, name: &str, extra: &[&str]) {
        let grant = self.hook_script("grant");
        let revoke = self.hook_script("revoke");
        let grant_line = format!(
            "sh {} {{request_id}} {{resource}} {{requester}} {{ticket}}",
            grant.display()
        );
        let revoke_line = format!(
            "sh {} {{request_id}} {{resource}} {{requester}} {{ticket}} {{reason}}",
            revoke.display()
        );
        let mut args = vec![
            "resources",
            "add",
            name,
            "--grant",
            &grant_line,
            "--revoke",
            &revoke_line,
        ];
        args.extend_from_slice(extra);
        self.run(&args).success();
    }

    fn hook_script(&self, kind: &str) -> PathBuf {
        let path = self.path(&format!("{kind}.sh"));
        let log = self.path("hooks.log");
        let flag = self.path(&format!("fail-{kind}"));
        let script = format!(
            "#!/bin/sh\nif [ -e '{flag}' ]; then echo '{kind} refused' >&2; exit 3; fi\n\
             echo \"{kind} $* env=$OPAL_JIRA_REQUEST_ID,$OPAL_JIRA_RESOURCE,$OPAL_JIRA_REQUESTER,$OPAL_JIRA_TICKET,$OPAL_JIRA_REVOKE_REASON token=${{OPAL_JIRA_TOKEN:-none}}\" >> '{log}'\n",
            flag = flag.display(),
            log = log.display()
        );
        std::fs::write(&path, script).expect("write hook script");
        path
    }

    /// The lines the hook scripts logged, in order.
    pub fn hook_log(&self) -> Vec<String> {
        std::fs::read_to_string(self.path("hooks.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    pub fn set_failing(&self, kind: &str, failing: bool) {
        let flag = self.path(&format!("fail-{kind}"));
        if failing {
            std::fs::write(flag, "").expect("write flag");
        } else {
            let _ = std::fs::remove_file(flag);
        }
    }

    /// Adds a ticket in OPS assigned to `assignee`, returning (id, key).
    pub fn ticket(&self, summary: &str, assignee: &str) -> (String, String) {
        self.sim
            .add_issue(PROJECT, summary, "indeterminate", Some(assignee))
    }
}

impl TestEnv {
    /// Registers a resource whose revoke command is `sh <script> {request_id}`, with
    /// `body` as the script; `$LOG` in it is `hooks.log` in the test directory.
    pub fn add_scripted_resource(&self, name: &str, body: &str) {
        let script = self.path(&format!("{name}-revoke.sh"));
        let text = format!(
            "#!/bin/sh\nLOG='{}'\n{body}\n",
            self.path("hooks.log").display()
        );
        std::fs::write(&script, text).expect("write revoke script");
        let revoke = format!("sh {} {{request_id}}", script.display());
        self.run(&["resources", "add", name, "--revoke", &revoke])
            .success();
    }
}

/// Waits until `path` exists (and is not empty), for at most `seconds`.
#[track_caller]
pub fn wait_for_file(path: &Path, seconds: u64) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        if let Ok(text) = std::fs::read_to_string(path)
            && !text.is_empty()
        {
            return text;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{} did not appear within {seconds} s",
            path.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn capture(output: Output) -> Run {
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Whether a file contains a byte string anywhere.
pub fn file_contains(path: &Path, needle: &str) -> bool {
    std::fs::read(path)
        .map(|bytes| {
            bytes
                .windows(needle.len())
                .any(|window| window == needle.as_bytes())
        })
        .unwrap_or(false)
}
