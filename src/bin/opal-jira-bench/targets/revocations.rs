//! Target 3: 1 000 due revocations with a 100 ms revoke command take at most 1.3 ×
//! 1 000 × 0.1 s / jobs, and each request is revoked exactly once, also when two passes
//! run at once.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context as _, ensure};
use opal_jira::db::{Db, RequestFilter, RequestStatus};

use super::{Sims, Workload};
use crate::checks::{Check, Target, Unit};
use crate::scenario::{Bench, Requests};
use crate::sim::Flavor;

const COMMAND_SECS: f64 = 0.1;
/// `reconcile --jobs`' default.
const JOBS: usize = 4;
const SLACK: f64 = 1.3;

pub fn measure(
    bench: &Bench,
    sims: &mut Sims,
    work: &Workload,
    target: &mut Target,
) -> anyhow::Result<()> {
    let due = work.revocations;
    let sim = sims.get(Flavor::Cloud);
    let script = revoke_script(bench)?;

    // One pass, timed.
    let log = bench.path("revoked-once.log");
    let db = expired_database(bench, sim.url(), "revoke-once.db", &script, &log, due)?;
    let (run, report) = bench.reconcile(sim, &db)?;
    let revoked = report["revoked"].as_array().map_or(0, Vec::len);
    ensure!(
        revoked == due,
        "the pass revoked {revoked} of {due} requests"
    );
    let ideal = due as f64 * COMMAND_SECS / JOBS as f64;
    target.add(
        Check::new(
            format!("{due} due"),
            run.wall.as_secs_f64(),
            SLACK * ideal,
            Unit::Seconds,
        )
        .note(format!(
            "{SLACK} × {due} × {COMMAND_SECS} s / {JOBS} jobs; ideal {ideal:.2} s"
        )),
    );
    target.add(exactly_once("one pass", &db, &log, due)?);

    // Two passes at once over the same database. The pass lock makes the second one
    // wait for the first (long enough here for the full run), then find nothing left.
    let log = bench.path("revoked-twice.log");
    let db = expired_database(bench, sim.url(), "revoke-two.db", &script, &log, due)?;
    let args = ["--output", "json", "reconcile", "--wait", "10m"];
    let first = bench.opal(sim, &db, &args)?.spawn()?;
    let second = bench.opal(sim, &db, &args)?.spawn()?;
    for pass in [first.finish()?, second.finish()?] {
        pass.expect_code(0, "a concurrent reconcile pass")?;
    }
    target.add(exactly_once("two passes at once", &db, &log, due)?);
    Ok(())
}

/// A revoke command that takes 100 ms and appends its request id to a log.
fn revoke_script(bench: &Bench) -> anyhow::Result<std::path::PathBuf> {
    use std::os::unix::fs::PermissionsExt as _;

    let path = bench.path("revoke.sh");
    std::fs::write(&path, "#!/bin/sh\nsleep 0.1\necho \"$1\" >> \"$2\"\n")?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
    Ok(path)
}

fn expired_database(
    bench: &Bench,
    site: &str,
    name: &str,
    script: &Path,
    log: &Path,
    due: usize,
) -> anyhow::Result<std::path::PathBuf> {
    let _ = std::fs::remove_file(log);
    let shape = Requests::new(site);
    let requests: Vec<_> = (0..due).map(|n| shape.expired(n)).collect();
    let revoke = format!("{} {{request_id}} {}", script.display(), log.display());
    bench.database(name, &revoke, &requests)
}

/// Revoke commands that ran more than once, plus requests not revoked, must be none.
fn exactly_once(case: &str, db: &Path, log: &Path, due: usize) -> anyhow::Result<Check> {
    let text = std::fs::read_to_string(log).context("reading the revoke log")?;
    let mut runs: HashMap<&str, usize> = HashMap::new();
    for id in text.lines() {
        *runs.entry(id).or_default() += 1;
    }
    let repeated: usize = runs.values().map(|n| n - 1).sum();

    let all = RequestFilter {
        all: true,
        ..RequestFilter::default()
    };
    let requests = Db::open(db)?.list_requests(&all)?;
    let left = requests
        .iter()
        .filter(|r| {
            r.status != RequestStatus::Revoked || !runs.contains_key(r.id.to_string().as_str())
        })
        .count();
    Ok(
        Check::new(case, (repeated + left) as f64, 0.0, Unit::Faults).note(format!(
            "{} commands run for {due} requests; {repeated} repeated, {left} not revoked",
            text.lines().count()
        )),
    )
}
