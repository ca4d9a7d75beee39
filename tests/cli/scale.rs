//! What keeps opal-jira fast with many requests: `requests list --limit`, and how many
//! Jira requests a reconcile pass keeps in flight (`--jira-concurrency`,
//! `OPAL_JIRA_CONCURRENCY`). The figures themselves are measured by `opal-jira-bench`.

use serde_json::{Value, json};

use crate::sim::Flavor;
use crate::support::{ANA, TestEnv};

fn setup(flavor: Flavor) -> TestEnv {
    let mut env = TestEnv::new(flavor);
    env.at("2026-12-03T10:00:00Z");
    env.add_resource("db", &[]);
    env
}

fn request(env: &TestEnv, args: &[&str]) -> i64 {
    let mut all = vec!["request", "--resource", "db"];
    all.extend_from_slice(args);
    env.json(&all)["id"].as_i64().expect("a request id")
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .expect("a list of requests")
        .iter()
        .map(|request| request["id"].as_i64().expect("an id"))
        .collect()
}

#[test]
fn requests_list_shows_the_newest_up_to_the_limit_and_says_so() {
    let env = setup(Flavor::Cloud);
    let made: Vec<i64> = (0..3).map(|_| request(&env, &["--expire", "1h"])).collect();

    let run = env
        .run(&["--output", "json", "requests", "list", "--limit", "2"])
        .success();
    assert_eq!(ids(&run.json()), [made[2], made[1]], "the two newest");
    assert!(
        run.stderr.contains("showing the newest 2") && run.stderr.contains("leave out `--limit`"),
        "a cut list says so on stderr: {}",
        run.stderr
    );

    for args in [&["--limit", "0"][..], &["--limit", "3"], &[]] {
        let mut all = vec!["--output", "json", "requests", "list"];
        all.extend_from_slice(args);
        let run = env.run(&all).success();
        assert_eq!(ids(&run.json()), [made[2], made[1], made[0]], "{args:?}");
        assert!(!run.stderr.contains("showing"), "{args:?}: {}", run.stderr);
    }

    env.run(&["requests", "list", "--limit", "-1"])
        .code(2)
        .stderr_has("-1");
}

/// The most Jira requests the simulator was answering at any one time.
fn peak_in_flight(log: &[Value]) -> usize {
    let span = |entry: &Value| {
        let at = entry["at_ms"].as_u64().expect("arrival time");
        (at, entry["done_ms"].as_u64().expect("answer time"))
    };
    log.iter()
        .map(|entry| {
            let (start, _) = span(entry);
            log.iter()
                .filter(|other| {
                    let (from, to) = span(other);
                    from <= start && start < to
                })
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// Six bound tickets that all disappear: the batch answer lacks them, so each is
/// looked up on its own (and found deleted). Returns the pass's Jira requests.
fn lookups_with(env: &TestEnv, args: &[&str]) -> Vec<Value> {
    let keys: Vec<(String, String)> = (0..6)
        .map(|n| env.ticket(&format!("ticket {n}"), ANA))
        .collect();
    for (_, key) in &keys {
        request(env, &["--ticket", key, "--indefinite"]);
    }
    for (id, _) in &keys {
        env.sim.delete_issue(id);
    }
    env.sim.set_config(json!({"latency_ms": 150}));
    env.sim.clear_requests();

    // Every bound ticket disappearing at once trips the deletion guard; these really
    // were deleted.
    let mut all = vec!["--output", "json", "reconcile", "--allow-mass-deletion"];
    all.extend_from_slice(args);
    let run = env.run(&all);
    assert_eq!(run.code, 0, "{run:?}");
    let report = run.json();
    let revoked = report["revoked"].as_array().expect("revoked list");
    assert_eq!(revoked.len(), 6, "{report}");
    assert!(revoked.iter().all(|r| r["reason"] == "ticket_deleted"));

    // The deletion guard's look at the project comes after the lookups; leave it out.
    let log: Vec<Value> = env
        .sim
        .requests()
        .into_iter()
        .filter(|entry| !entry["path"].as_str().unwrap_or("").contains("/project/"))
        .collect();
    let lookups = log.iter().filter(|entry| entry["method"] == "GET").count();
    assert_eq!(lookups, 6, "one lookup per missing ticket: {log:?}");
    log
}

#[test]
fn confirmations_run_in_parallel_up_to_the_jira_concurrency() {
    for (flavor, args, expected) in [
        (Flavor::Cloud, &[][..], 4),
        (Flavor::DataCenter, &["--jira-concurrency", "1"][..], 1),
        (Flavor::Cloud, &["--jira-concurrency", "3"][..], 3),
    ] {
        let env = setup(flavor);
        let log = lookups_with(&env, args);
        assert_eq!(
            peak_in_flight(&log),
            expected,
            "{flavor:?} {args:?}: {log:?}"
        );
    }
}

#[test]
fn the_jira_concurrency_comes_from_the_environment_too() {
    let mut env = setup(Flavor::Cloud);
    env.set_env("OPAL_JIRA_CONCURRENCY", "2");
    let log = lookups_with(&env, &[]);
    assert_eq!(peak_in_flight(&log), 2, "{log:?}");

    env.set_env("OPAL_JIRA_CONCURRENCY", "lots");
    env.run(&["reconcile"])
        .code(2)
        .stderr_has("--jira-concurrency");
    env.unset_env("OPAL_JIRA_CONCURRENCY");
    for bad in ["0", "33"] {
        env.run(&["reconcile", "--jira-concurrency", bad])
            .code(2)
            .stderr_has("--jira-concurrency");
    }
}

#[test]
fn version_and_help_set_nothing_up() {
    let env = TestEnv::new(Flavor::Cloud);
    for args in [&["--version"][..], &["--help"], &["reconcile", "--help"]] {
        env.run(args).success();
    }
    assert!(!env.db_path().exists(), "the database was created");
    assert!(env.sim.requests().is_empty(), "Jira was called");
}
