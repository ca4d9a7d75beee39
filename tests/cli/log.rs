//! `opal-jira log`: the audit trail of grants, binds, revokes and failures.

use crate::sim::Flavor;
use crate::support::{ANA, TestEnv};

#[test]
fn events_tell_the_story_oldest_first() {
    let mut env = TestEnv::new(Flavor::Cloud);
    env.at("2026-12-03T10:00:00Z");
    env.add_resource("db", &[]);
    let (_, key) = env.ticket("t", ANA);
    let id = env.json(&["request", "--resource", "db", "--expire", "1h"])["id"].to_string();
    env.at("2026-12-03T10:30:00Z");
    env.json(&["requests", "bind", &id, "--ticket", &key]);
    env.at("2026-12-03T12:00:00Z");
    env.run(&["reconcile"]).success();

    let events = env.json_lines(&["log", "--request", &id]);
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "requested",
            "granted",
            "bound",
            "commented",
            "revoke_started",
            "revoked",
            "commented"
        ]
    );
    assert!(
        events
            .iter()
            .all(|e| e["request_id"] == id.parse::<i64>().unwrap())
    );
    assert_eq!(events[0]["at"], "2026-12-03T10:00:00Z");
    let granted = events[1].to_string();
    assert!(
        granted.contains("grant.sh"),
        "the grant command is in the audit detail: {granted}"
    );

    let since = env.json_lines(&["log", "--since", "2026-12-03T11:00:00Z"]);
    assert!(
        since
            .iter()
            .all(|e| e["at"].as_str().unwrap() >= "2026-12-03T11:00:00Z"),
        "{since:?}"
    );
    assert!(since.iter().any(|e| e["kind"] == "revoked"));
    env.run(&["log", "--since", "yesterday"])
        .code(2)
        .stderr_has("RFC 3339");

    let table = env.run(&["log"]).success();
    assert!(table.stdout.starts_with("AT\tREQUEST\tEVENT"), "{table:?}");
}

#[test]
fn log_filters_by_time_window() {
    let mut env = TestEnv::new(Flavor::Cloud);
    for (at, name) in [
        ("2026-12-01T10:00:00Z", "a"),
        ("2026-12-02T10:00:00Z", "b"),
        ("2026-12-03T10:00:00Z", "c"),
    ] {
        env.at(at);
        env.run(&["resources", "add", name, "--revoke", "true"])
            .success();
    }
    let events = env.json_lines(&[
        "log",
        "--since",
        "2026-12-02T00:00:00Z",
        "--until",
        "2026-12-03T00:00:00Z",
    ]);
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(
        events[0]["message"]
            .as_str()
            .unwrap()
            .contains("resource b"),
        "{events:?}"
    );
    assert!(events.iter().all(|e| e["request_id"].is_null()));
}

#[test]
fn a_reader_that_stops_early_ends_the_stream_quietly() {
    use std::io::{BufRead as _, BufReader};
    let env = TestEnv::new(Flavor::Cloud);
    env.run(&["resources", "add", "db", "--revoke", "true"])
        .success();
    let db = opal_jira::db::Db::open(&env.db_path()).expect("open the test database");
    let at = chrono::Utc::now();
    for n in 0..2_000 {
        db.record_event(
            None,
            "note",
            "tester",
            &format!("event {n}"),
            serde_json::json!({}),
            at,
        )
        .expect("record an event");
    }
    drop(db);

    let mut child = env
        .command(&["--output", "json", "log"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("read");
    // The pipe closes here, like `opal-jira log --output json | head -1`.
    let output = child.wait_with_output().expect("wait");
    assert!(first.contains("resource_added"), "{first}");
    assert!(output.status.success(), "{output:?}");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
