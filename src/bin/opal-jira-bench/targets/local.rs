//! Target 4: on a database of 100 000 requests, `requests list` and `requests show`
//! stay well under 100 ms, a pass with nothing due spends under 0.5 s outside Jira
//! calls, no command's peak memory reaches 50 MB, and `--version` and `--help` start in
//! a few milliseconds without touching the database.

use anyhow::ensure;

use super::round_trips::check_quiet_pass;
use super::{Sims, Workload};
use crate::checks::{Check, Target, Unit};
use crate::child::Finished;
use crate::scenario::{Bench, Requests, median_ms};
use crate::sim::{self, Flavor};

const QUERY_MS: f64 = 100.0;
const PASS_LOCAL_SECS: f64 = 0.5;
const PEAK_MB: f64 = 50.0;
const STARTUP_MS: f64 = 10.0;
/// Runs per timed command; the median is reported.
const RUNS: usize = 5;
const STARTUP_RUNS: usize = 21;
/// What `requests list` shows by default.
const LIST_LIMIT: usize = 1_000;

pub fn measure(
    bench: &Bench,
    sims: &mut Sims,
    work: &Workload,
    target: &mut Target,
) -> anyhow::Result<()> {
    let sim = sims.get(Flavor::Cloud);
    let shape = Requests::new(sim.url());
    let mut requests: Vec<_> = (0..work.history - work.active)
        .map(|n| shape.history(n))
        .collect();
    let tickets = sim.tickets(work.active)?;
    requests.extend(tickets.iter().enumerate().map(|(n, t)| shape.bound(n, t)));
    let db = bench.database("history.db", "true", &requests)?;
    let timed = bench.optimized;
    let size = format!("{} requests, {} active", work.history, work.active);

    let mut peak: Vec<(String, u64)> = Vec::new();
    let mut runs = |args: &[&str], n: usize| -> anyhow::Result<Vec<Finished>> {
        let runs = (0..n)
            .map(|_| bench.run_opal(sim, &db, args))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let most = runs.iter().map(|r| r.max_rss).max().unwrap_or(0);
        peak.push((args.join(" "), most));
        Ok(runs)
    };

    let list = runs(
        &[
            "--output",
            "json",
            "requests",
            "list",
            "--limit",
            &LIST_LIMIT.to_string(),
        ],
        RUNS,
    )?;
    let shown = list[0].json()?.as_array().map_or(0, Vec::len);
    ensure!(
        shown == work.active.min(LIST_LIMIT),
        "`requests list` showed {shown} requests"
    );
    target.add(
        Check::new(
            "requests list --output json",
            median_ms(&list),
            QUERY_MS,
            Unit::Millis,
        )
        .note(format!("{size}, {shown} shown; median of {RUNS}"))
        .enforced(timed),
    );
    let table = runs(
        &["requests", "list", "--limit", &LIST_LIMIT.to_string()],
        RUNS,
    )?;
    target.add(
        Check::new(
            "requests list (table)",
            median_ms(&table),
            QUERY_MS,
            Unit::Millis,
        )
        .note(format!("{size}, {shown} rows; median of {RUNS}"))
        .enforced(timed),
    );
    let middle = (work.history / 2).to_string();
    let show = runs(&["--output", "json", "requests", "show", &middle], RUNS)?;
    target.add(
        Check::new("requests show", median_ms(&show), QUERY_MS, Unit::Millis)
            .note(format!("{size}; median of {RUNS}"))
            .enforced(timed),
    );

    // The pass: everything it did outside Jira calls, with Jira answering at once.
    sim.clear_log()?;
    let (pass, report) = bench.reconcile(sim, &db)?;
    peak.push(("reconcile".to_string(), pass.max_rss));
    check_quiet_pass(&report, work.active)?;
    let log = sim.log()?;
    let in_jira = sim::time_in_jira(&log);
    let local = pass.wall.saturating_sub(in_jira);
    target.add(
        Check::new(
            "reconcile, nothing due",
            local.as_secs_f64(),
            PASS_LOCAL_SECS,
            Unit::Seconds,
        )
        .note(format!(
            "{size}; {:.2} s in all, {:.2} s inside {} Jira calls",
            pass.wall.as_secs_f64(),
            in_jira.as_secs_f64(),
            log.len()
        ))
        .enforced(timed),
    );

    for (command, bytes) in &peak {
        target.add(
            Check::new(
                format!("peak memory, {command}"),
                mb(*bytes),
                PEAK_MB,
                Unit::Megabytes,
            )
            .note(size.clone())
            .enforced(timed),
        );
    }

    startup(bench, sim, target, timed)
}

/// `--version` and `--help`: fast, and the database is never created.
fn startup(bench: &Bench, sim: &sim::Sim, target: &mut Target, timed: bool) -> anyhow::Result<()> {
    let untouched = bench.path("never-created.db");
    for flag in ["--version", "--help"] {
        let runs = (0..STARTUP_RUNS)
            .map(|_| {
                bench
                    .opal(sim, &untouched, &[flag])?
                    .run()?
                    .expect_code(0, flag)
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        target.add(
            Check::new(
                format!("opal-jira {flag}"),
                median_ms(&runs),
                STARTUP_MS,
                Unit::Millis,
            )
            .note(format!("median of {STARTUP_RUNS}"))
            .enforced(timed),
        );
    }
    ensure!(
        !untouched.exists(),
        "`--version` or `--help` created the database"
    );
    Ok(())
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}
