//! Many opal-jira processes on one database at once: reconcile passes, requests and
//! manual revokes. Every revoke command runs once per request, nothing is lost, no
//! "database is locked" reaches anyone, and a pass that cannot get the pass lock in
//! time says who holds it and exits 1.

use std::collections::HashMap;
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{FLAVORS, TestEnv, wait_for_file};

/// Logs each revoke and takes a little time, so that processes overlap.
const SLOW_REVOKE: &str = r#"sleep 0.1
echo "revoke $1" >> "$LOG""#;

fn spawn(env: &TestEnv, args: &[&str]) -> Child {
    env.command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn opal-jira")
}

fn new_request(env: &TestEnv) -> i64 {
    env.json(&["request", "--resource", "db", "--expire", "1h"])["id"]
        .as_i64()
        .expect("an id")
}

#[test]
fn four_passes_with_requests_and_revokes_at_once() {
    let mut env = TestEnv::new(FLAVORS[0]);
    env.at("2026-12-01T00:00:00Z");
    env.add_scripted_resource("db", SLOW_REVOKE);
    let due: Vec<i64> = (0..16).map(|_| new_request(&env)).collect();
    env.at("2026-12-01T02:00:00Z");

    // 4 passes, 4 processes creating requests (not yet due), and 4 manual revokes,
    // two of them racing the passes for requests that are due.
    let mut children: Vec<(String, Child)> = Vec::new();
    for n in 0..4 {
        children.push((
            format!("reconcile {n}"),
            spawn(&env, &["--output", "json", "reconcile"]),
        ));
        children.push((
            format!("request {n}"),
            spawn(
                &env,
                &[
                    "--output",
                    "json",
                    "request",
                    "--resource",
                    "db",
                    "--expire",
                    "1h",
                ],
            ),
        ));
    }
    for id in &due[..4] {
        let id = id.to_string();
        children.push((format!("revoke {id}"), spawn(&env, &["revoke", &id])));
    }
    let outputs: Vec<(String, Output)> = children
        .into_iter()
        .map(|(name, child)| (name, child.wait_with_output().expect("wait")))
        .collect();

    let mut passes_revoked = Vec::new();
    let mut created = Vec::new();
    for (name, output) in &outputs {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr.contains("locked") && !stderr.contains("busy"),
            "{name}: {stderr}"
        );
        let code = output.status.code();
        if name.starts_with("revoke") {
            // A manual revoke that lost the race to a pass is refused cleanly.
            let lost = stderr.contains("is being revoked by another opal-jira process")
                || stderr.contains("is not active");
            assert!(code == Some(0) || lost, "{name}: {code:?} {stderr}");
            continue;
        }
        assert_eq!(code, Some(0), "{name}: {stderr}");
        let value: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        if name.starts_with("reconcile") {
            for entry in value["revoked"].as_array().expect("revoked") {
                passes_revoked.push(entry["id"].as_i64().expect("an id"));
            }
        } else {
            created.push(value["id"].as_i64().expect("an id"));
        }
    }

    // Every due request was revoked, by exactly one process, its command run once.
    let mut runs: HashMap<i64, usize> = HashMap::new();
    for line in env.hook_log() {
        let id = line.trim_start_matches("revoke ").parse().expect("an id");
        *runs.entry(id).or_default() += 1;
    }
    for id in &due {
        assert_eq!(runs.get(id), Some(&1), "request {id}: {runs:?}");
        let shown = env.json(&["requests", "show", &id.to_string()]);
        assert_eq!(shown["status"], "revoked", "{shown}");
    }
    assert_eq!(runs.len(), due.len(), "nothing else was revoked");
    passes_revoked.sort_unstable();
    passes_revoked.dedup();
    assert!(passes_revoked.len() >= 12, "{passes_revoked:?}");

    // Nothing lost: the new requests are all there and active.
    assert_eq!(created.len(), 4);
    let active: Vec<i64> = env
        .json(&["requests", "list"])
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| r["id"].as_i64().expect("an id"))
        .collect();
    created.sort_unstable();
    let mut active_sorted = active.clone();
    active_sorted.sort_unstable();
    assert_eq!(active_sorted, created);
    let all = env.json(&["requests", "list", "--all"]);
    assert_eq!(all.as_array().map(Vec::len), Some(20));
}

#[test]
fn a_pass_that_cannot_get_the_lock_says_who_holds_it() {
    let mut env = TestEnv::new(FLAVORS[0]);
    env.at("2026-12-01T00:00:00Z");
    env.add_resource("db", &[]);
    let id = new_request(&env);
    env.at("2026-12-01T02:00:00Z");

    // The first pass stops right after claiming its request, holding the lock.
    let marker = env.path("claimed");
    env.set_env(
        "__OPAL_JIRA_TEST_PAUSE_AFTER_CLAIM",
        &marker.display().to_string(),
    );
    let mut holder = spawn(&env, &["reconcile"]);
    wait_for_file(&marker, 10);
    env.unset_env("__OPAL_JIRA_TEST_PAUSE_AFTER_CLAIM");

    let started = Instant::now();
    let run = env.run(&["--output", "json", "reconcile", "--wait", "1s"]);
    let waited = started.elapsed();
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        waited >= Duration::from_secs(1) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
    let report = run.json();
    let expected = format!("another reconcile pass is running (pid {} on ", holder.id());
    assert!(
        report["errors"][0]
            .as_str()
            .unwrap_or_default()
            .starts_with(&expected),
        "{report}"
    );
    assert_eq!(report["revoked"], serde_json::json!([]));
    assert!(run.stderr.contains("this pass did nothing"), "{run:?}");
    // In table mode, the same in one error line.
    let run = env.run(&["reconcile", "--wait", "0"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(run.stderr.contains(&expected), "{run:?}");
    // A dry run changes nothing and needs no lock.
    env.run(&["reconcile", "--dry-run"]).success();

    // The kernel drops the lock with its holder, however it ends.
    holder.kill().expect("kill");
    holder.wait().expect("reap");
    let report = env.json(&["reconcile", "--wait", "0"]);
    assert_eq!(report["revoked"][0]["id"], id, "{report}");
}
