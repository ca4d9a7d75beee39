//! `opal-jira-sim demo`: the whole opal-jira flow, run for real against this simulator.
//!
//! The simulator runs as a child process (`serve`), seeded through its admin API; the
//! real `opal-jira` binary is run step by step with the connection in its environment
//! and a database in a temporary directory, so nothing on the machine is read or
//! changed. Each step prints the command it runs and what it printed.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::{Context as _, bail};
use serde_json::{Value, json};

const ANA: &str = "ana@acme.com";
const PROJECT: &str = "OPS";

/// Options of the demo.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Which Jira to simulate: `cloud` or `datacenter`
    #[arg(long, default_value = "cloud")]
    pub flavor: String,
}

struct Demo {
    opal: PathBuf,
    admin: reqwest::blocking::Client,
    url: String,
    flavor: String,
    dir: PathBuf,
    token: String,
}

pub fn run(args: &DemoArgs) -> anyhow::Result<()> {
    if !matches!(args.flavor.as_str(), "cloud" | "datacenter") {
        bail!(
            "unknown flavor `{}`: use `cloud` or `datacenter`",
            args.flavor
        );
    }
    let opal = find_opal_jira()?;
    let dir = std::env::temp_dir().join(format!("opal-jira-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;

    let (mut server, url) = start_server(&args.flavor)?;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let demo = Demo {
        opal,
        admin: reqwest::blocking::Client::new(),
        url,
        flavor: args.flavor.clone(),
        dir: dir.clone(),
        // Made up per run: the simulator accepts whatever token it was seeded with.
        token: format!("demo-token-{}", std::process::id()),
    };
    let result = demo.walk_through();

    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// The `opal-jira` binary beside this one, built first when run through `cargo run`.
fn find_opal_jira() -> anyhow::Result<PathBuf> {
    let me = std::env::current_exe().context("locating the simulator binary")?;
    let opal = me.with_file_name(format!("opal-jira{}", std::env::consts::EXE_SUFFIX));
    if let Some(cargo) = std::env::var_os("CARGO") {
        // `cargo run --bin opal-jira-sim` builds only the simulator.
        let mut build = Command::new(cargo);
        build.args(["build", "--quiet", "--bin", "opal-jira"]);
        if me.components().any(|part| part.as_os_str() == "release") {
            build.arg("--release");
        }
        if let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
            build.current_dir(dir);
        }
        let status = build.status().context("building opal-jira")?;
        if !status.success() {
            bail!("building opal-jira failed");
        }
    }
    if !opal.exists() {
        bail!(
            "{} not found: build it first with `cargo build`",
            opal.display()
        );
    }
    Ok(opal)
}

fn start_server(flavor: &str) -> anyhow::Result<(Child, String)> {
    let me = std::env::current_exe()?;
    let mut child = Command::new(me)
        .args(["serve", "--flavor", flavor, "--port", "0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("starting the simulator")?;
    let stdout = child.stdout.take().context("simulator stdout")?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .context("the simulator did not say where it listens")?
        .to_string();
    Ok((child, url))
}

impl Demo {
    fn admin(&self, method: &str, path: &str, body: Value) -> anyhow::Result<Value> {
        let url = format!("{}/_sim/{path}", self.url);
        let request = match method {
            "POST" => self.admin.post(&url),
            "PATCH" => self.admin.patch(&url),
            _ => self.admin.get(&url),
        };
        let response = request.json(&body).send()?.error_for_status()?;
        Ok(response.json().unwrap_or(Value::Null))
    }

    fn seed(&self) -> anyhow::Result<(String, String)> {
        self.admin(
            "POST",
            "projects",
            json!({"key": PROJECT, "name": "Operations", "type": "software"}),
        )?;
        self.admin(
            "POST",
            "users",
            json!({"email": ANA, "display_name": "Ana Lima", "token": self.token}),
        )?;
        self.admin(
            "POST",
            "users",
            json!({"email": "ben@acme.com", "display_name": "Ben Okafor", "token": "unused"}),
        )?;
        let disk = self.admin(
            "POST",
            "issues",
            json!({"project": PROJECT, "summary": "Disk full on db-3", "status": "In Progress",
                   "status_category": "indeterminate", "assignee": ANA}),
        )?;
        self.admin(
            "POST",
            "issues",
            json!({"project": PROJECT, "summary": "Rotate the TLS certificates", "status": "To Do",
                   "status_category": "new", "assignee": ANA}),
        )?;
        self.admin(
            "POST",
            "issues",
            json!({"project": PROJECT, "summary": "Upgrade the bastion", "status": "To Do",
                   "status_category": "new", "assignee": "ben@acme.com"}),
        )?;
        let id = disk["id"].as_str().context("issue id")?.to_string();
        let key = disk["key"].as_str().context("issue key")?.to_string();
        Ok((id, key))
    }

    fn walk_through(&self) -> anyhow::Result<()> {
        let (id, key) = self.seed()?;
        println!(
            "A Jira {} simulator is running at {}.",
            self.flavor, self.url
        );
        println!(
            "Ana Lima (ana@acme.com) has two open tickets in project {PROJECT}; {key} is one."
        );

        step("An admin registers a resource, with the commands that grant and revoke it");
        self.opal(&[
            "resources",
            "add",
            "prod-db",
            "--description",
            "Production database (read-only role)",
            "--max-expire",
            "1d",
            "--grant",
            "echo GRANT readonly ON prod-db TO {requester} -- ticket {ticket}",
            "--revoke",
            "echo REVOKE readonly ON prod-db FROM {requester} -- {reason}",
        ])?;
        self.opal(&["resources", "list"])?;

        step("Ana looks for the tickets assigned to her");
        self.opal(&["tickets", "search"])?;

        step(&format!("Ana requests access for 8 hours, bound to {key}"));
        self.opal(&[
            "request",
            "--resource",
            "prod-db",
            "--ticket",
            &key,
            "--expire",
            "8h",
            "--reason",
            "investigate the full disk",
        ])?;
        self.opal(&["requests", "list"])?;

        step("cron runs reconcile: the ticket is still open, so nothing ends");
        self.opal(&["reconcile"])?;

        step(&format!(
            "In Jira, {key} is resolved (status category Done)"
        ));
        self.admin(
            "PATCH",
            &format!("issues/{id}"),
            json!({"status": "Done", "status_category": "done"}),
        )?;
        println!("(the simulator now reports {key} as Done)");

        step("cron runs reconcile again: the access ends with the ticket");
        self.opal(&["reconcile"])?;
        self.opal(&["requests", "list", "--all"])?;

        step("The audit log tells the story (`--output json` adds each command's output)");
        self.opal(&["log"])?;
        println!("\nThat is the whole loop. See README.md to set up a real Jira connection.");
        Ok(())
    }

    /// Runs the real binary, echoing the command line first.
    fn opal(&self, args: &[&str]) -> anyhow::Result<()> {
        println!("\n$ opal-jira {}", shell_words_join(args));
        let mut command = Command::new(&self.opal);
        command.args(args).env_clear();
        for name in [
            "PATH", "HOME", "USER", "LOGNAME", "TERM", "COLUMNS", "LANG", "NO_COLOR",
        ] {
            if let Some(value) = std::env::var_os(name) {
                command.env(name, value);
            }
        }
        command
            .env("OPAL_JIRA_DEPLOYMENT", &self.flavor)
            .env("OPAL_JIRA_URL", &self.url)
            .env("OPAL_JIRA_PROJECT", PROJECT)
            .env("OPAL_JIRA_EMAIL", ANA)
            .env("OPAL_JIRA_TOKEN", &self.token)
            .env("OPAL_JIRA_DB", db_path(&self.dir));
        let status = command
            .status()
            .with_context(|| format!("running {}", self.opal.display()))?;
        if !status.success() {
            bail!("`opal-jira {}` failed ({status})", args.join(" "));
        }
        Ok(())
    }
}

fn db_path(dir: &Path) -> PathBuf {
    dir.join("opal-jira.db")
}

fn step(title: &str) {
    println!("\n== {title}");
}

/// Quotes arguments for display the way a shell would need them.
fn shell_words_join(args: &[&str]) -> String {
    args.iter()
        .map(|arg| {
            if !arg.is_empty()
                && arg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:@=".contains(c))
            {
                arg.to_string()
            } else {
                format!("'{}'", arg.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
