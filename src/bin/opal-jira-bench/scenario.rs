//! The benchmark's workspace: the binaries under test, a temporary directory, fresh
//! databases seeded in bulk, and `opal-jira` commands with a sealed environment.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context as _, bail};
use chrono::{DateTime, Duration, Utc};
use opal_jira::db::{Db, Request, RequestStatus, Resource, RevokeReason, TicketRef};

use crate::child::{Finished, Job};
use crate::sim::{self, Sim, Ticket};

/// The resource every benchmark request is for.
pub const RESOURCE: &str = "bench-db";

/// Where the benchmark works and what it runs.
pub struct Bench {
    pub dir: PathBuf,
    opal: PathBuf,
    pub sim_binary: PathBuf,
    keep: bool,
    /// Whether the binaries are an optimized build (absolute timings mean something).
    pub optimized: bool,
    /// Numbers the measuring shims' reports.
    jobs: AtomicUsize,
}

impl Bench {
    /// Finds `opal-jira` and `opal-jira-sim` beside this program (asking cargo to bring
    /// them up to date first when `build` and run through `cargo run`), and makes a
    /// private temporary directory.
    pub fn new(build: bool, keep: bool) -> anyhow::Result<Bench> {
        let me = std::env::current_exe().context("cannot locate the benchmark binary")?;
        if build {
            build_siblings(&me)?;
        }
        let sibling =
            |name: &str| me.with_file_name(format!("{name}{}", std::env::consts::EXE_SUFFIX));
        let (opal, sim_binary) = (sibling("opal-jira"), sibling("opal-jira-sim"));
        for binary in [&opal, &sim_binary] {
            if !binary.exists() {
                bail!(
                    "{} not found: build it first (`cargo build --release --features bench --bins`)",
                    binary.display()
                );
            }
        }
        let dir = std::env::temp_dir().join(format!("opal-jira-bench-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("home"))
            .with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Bench {
            dir,
            opal,
            sim_binary,
            keep,
            optimized: !cfg!(debug_assertions),
            jobs: AtomicUsize::new(0),
        })
    }

    /// A path inside the workspace.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// `opal-jira ARGS` against `sim`'s site and the database at `db`, with nothing
    /// from the caller's environment but `PATH`, to be run and measured.
    pub fn opal(&self, sim: &Sim, db: &Path, args: &[&str]) -> anyhow::Result<Job> {
        let n = self.jobs.fetch_add(1, Ordering::Relaxed);
        let mut job = Job::new(&self.opal, self.path(&format!("measure-{n}.txt")))?;
        let command = job.command();
        command.args(args).env_clear();
        let home = self.dir.join("home");
        command
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("USER", "bench")
            .env("NO_COLOR", "1")
            .env("OPAL_JIRA_DB", db)
            .env("OPAL_JIRA_DEPLOYMENT", sim.flavor().as_str())
            .env("OPAL_JIRA_URL", sim.url())
            .env("OPAL_JIRA_PROJECT", sim::PROJECT)
            .env("OPAL_JIRA_EMAIL", sim::USER)
            .env("OPAL_JIRA_TOKEN", sim::TOKEN);
        Ok(job)
    }

    /// Runs `opal-jira ARGS` and requires exit code 0.
    pub fn run_opal(&self, sim: &Sim, db: &Path, args: &[&str]) -> anyhow::Result<Finished> {
        let what = format!("opal-jira {}", args.join(" "));
        self.opal(sim, db, args)?.run()?.expect_code(0, &what)
    }

    /// Runs `opal-jira --output json reconcile`, requiring success, and returns the
    /// run and its report. A failed pass is an error that quotes its report.
    pub fn reconcile(&self, sim: &Sim, db: &Path) -> anyhow::Result<(Finished, serde_json::Value)> {
        let run = self
            .opal(sim, db, &["--output", "json", "reconcile"])?
            .run()?;
        if run.code != Some(0) {
            bail!(
                "reconcile ended with {:?}: {}\nstderr: {}",
                run.code,
                run.stdout.trim(),
                run.stderr.trim()
            );
        }
        let report = run.json()?;
        Ok((run, report))
    }

    /// A new database named `name` with the benchmark resource (revoked by `revoke`)
    /// and `requests` imported as given.
    pub fn database(
        &self,
        name: &str,
        revoke: &str,
        requests: &[Request],
    ) -> anyhow::Result<PathBuf> {
        let path = self.path(name);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        let db = Db::open(&path)?;
        let mut resource = Resource::new(RESOURCE, revoke, Utc::now());
        resource.timeout_secs = 30;
        db.add_resource(&resource, "bench")?;
        db.import_requests(requests)?;
        Ok(path)
    }
}

impl Drop for Bench {
    fn drop(&mut self) {
        if self.keep {
            eprintln!("kept the benchmark's files in {}", self.dir.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Builds the two binaries the benchmark runs, in the profile it was built in, when it
/// runs under `cargo run` (which builds only the benchmark itself).
fn build_siblings(me: &Path) -> anyhow::Result<()> {
    let Some(cargo) = std::env::var_os("CARGO") else {
        return Ok(());
    };
    let profile_dir = me
        .parent()
        .and_then(Path::file_name)
        .and_then(|name| name.to_str())
        .unwrap_or("debug");
    let mut build = Command::new(cargo);
    build.args([
        "build",
        "--quiet",
        "--features",
        "bench",
        "--bin",
        "opal-jira",
        "--bin",
        "opal-jira-sim",
    ]);
    match profile_dir {
        "debug" => {}
        "release" => {
            build.arg("--release");
        }
        other => {
            build.args(["--profile", other]);
        }
    }
    if let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
        build.current_dir(dir);
    }
    let status = build.status().context("cannot run cargo build")?;
    if !status.success() {
        bail!("building opal-jira and opal-jira-sim failed");
    }
    Ok(())
}

/// What the requests of a workload look like.
pub struct Requests {
    now: DateTime<Utc>,
    site: String,
}

impl Requests {
    pub fn new(site: &str) -> Requests {
        Requests {
            now: Utc::now(),
            site: site.to_string(),
        }
    }

    fn base(&self, n: usize) -> Request {
        let requester = format!("user{}@acme.com", n % 500);
        Request {
            id: 0,
            resource: RESOURCE.to_string(),
            requested_by: requester.clone(),
            requester,
            reason: Some(format!("benchmark request {n}")),
            status: RequestStatus::Active,
            created_at: self.now - Duration::minutes(30),
            expires_at: None,
            ticket: None,
            revoked_at: None,
            revoke_reason: None,
            error: None,
        }
    }

    /// Active access that ends only when `ticket` closes.
    pub fn bound(&self, n: usize, ticket: &Ticket) -> Request {
        Request {
            ticket: Some(TicketRef {
                key: ticket.key.clone(),
                id: ticket.id.clone(),
                url: format!("{}/browse/{}", self.site, ticket.key),
            }),
            ..self.base(n)
        }
    }

    /// Active, unbound access whose expiry passed a minute ago.
    pub fn expired(&self, n: usize) -> Request {
        Request {
            created_at: self.now - Duration::hours(1),
            expires_at: Some(self.now - Duration::minutes(1)),
            ..self.base(n)
        }
    }

    /// Finished access from the past year: mostly revoked, some failed grants.
    pub fn history(&self, n: usize) -> Request {
        let created_at = self.now - Duration::days(365) + Duration::seconds(n as i64 * 150);
        let expires_at = created_at + Duration::hours(8);
        let base = Request {
            created_at,
            expires_at: Some(expires_at),
            ..self.base(n)
        };
        if n.is_multiple_of(20) {
            return Request {
                status: RequestStatus::Failed,
                error: Some("grant command exited with status 1".to_string()),
                ..base
            };
        }
        Request {
            status: RequestStatus::Revoked,
            revoked_at: Some(expires_at),
            revoke_reason: Some(RevokeReason::Expired),
            ..base
        }
    }
}

/// The median of some durations, in milliseconds.
pub fn median_ms(runs: &[Finished]) -> f64 {
    let mut ms: Vec<f64> = runs.iter().map(|r| r.wall.as_secs_f64() * 1e3).collect();
    ms.sort_by(f64::total_cmp);
    match ms.len() {
        0 => 0.0,
        n if n % 2 == 1 => ms[n / 2],
        n => (ms[n / 2 - 1] + ms[n / 2]) / 2.0,
    }
}
