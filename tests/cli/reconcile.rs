//! `opal-jira reconcile`: what ends, what does not, and what happens when Jira or a
//! revoke command misbehaves.

use serde_json::{Value, json};

use crate::sim::Flavor;
use crate::support::{ANA, FLAVORS, PROJECT, TestEnv};

const T0: &str = "2026-12-03T10:00:00Z";

fn setup(flavor: Flavor) -> TestEnv {
    let mut env = TestEnv::new(flavor);
    env.at(T0);
    env.add_resource("db", &[]);
    env
}

fn request(env: &TestEnv, args: &[&str]) -> i64 {
    let mut all = vec!["request", "--resource", "db"];
    all.extend_from_slice(args);
    env.json(&all)["id"].as_i64().unwrap()
}

fn reconcile(env: &TestEnv, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["--output", "json", "reconcile"];
    args.extend_from_slice(extra);
    let run = env.run(&args);
    (run.code, run.json())
}

fn revokes(env: &TestEnv) -> Vec<String> {
    env.hook_log()
        .into_iter()
        .filter(|line| line.starts_with("revoke"))
        .collect()
}

#[test]
fn expired_closed_and_deleted_tickets_end_access() {
    for flavor in FLAVORS {
        let mut env = setup(flavor);
        let (open_id, open_key) = env.ticket("stays open", ANA);
        let (closed_id, closed_key) = env.ticket("gets closed", ANA);
        let (_, deleted_key) = env.ticket("gets deleted", ANA);
        let expiring = request(&env, &["--expire", "1h"]);
        let open = request(&env, &["--ticket", &open_key, "--indefinite"]);
        let closed = request(&env, &["--ticket", &closed_key, "--expire", "1w"]);
        let deleted = request(&env, &["--ticket", &deleted_key, "--indefinite"]);

        let (code, report) = reconcile(&env, &[]);
        assert_eq!(code, 0, "{report}");
        assert_eq!(
            report,
            json!({"dry_run": false, "checked": 4, "revoked": [], "failed": [], "errors": []})
        );

        env.sim.update_issue(
            &closed_id,
            json!({"status": "Done", "status_category": "done"}),
        );
        env.sim.delete_issue(&deleted_key);
        env.at("2026-12-03T11:00:01Z");
        let (code, report) = reconcile(&env, &[]);
        assert_eq!(code, 0, "{report}");
        assert_eq!(report["checked"], 4);
        assert_eq!(
            report["revoked"],
            json!([
                {"id": expiring, "reason": "expired"},
                {"id": closed, "reason": "ticket_closed"},
                {"id": deleted, "reason": "ticket_deleted"},
            ])
        );
        assert_eq!(revokes(&env).len(), 3);
        assert!(
            revokes(&env)
                .iter()
                .any(|line| line.ends_with(&format!(",{closed_key},ticket_closed token=none")))
        );

        let (_, report) = reconcile(&env, &[]);
        assert_eq!(report["checked"], 1, "only the open one is left");
        assert_eq!(report["revoked"], json!([]));
        assert_eq!(revokes(&env).len(), 3, "nothing revoked twice");
        assert_eq!(env.json(&["requests", "list"])[0]["id"], open);
        assert_eq!(
            env.json(&["requests", "show", &closed.to_string()])["revoke_reason"],
            "ticket_closed"
        );
        let _ = open_id;
    }
}

#[test]
fn a_ticket_missing_from_search_is_looked_up_before_revoking() {
    for flavor in FLAVORS {
        let env = setup(flavor);
        let (id, key) = env.ticket("not yet indexed", ANA);
        let rid = request(&env, &["--ticket", &key, "--indefinite"]);
        match flavor {
            // Data Center batches go through search, which may lag behind.
            Flavor::DataCenter => {
                env.sim
                    .update_issue(&id, json!({"hidden_from_search": true}));
            }
            // Cloud's bulkfetch silently leaves out what it cannot return.
            Flavor::Cloud => env.sim.add_fault(json!({
                "path_prefix": "/rest/api/3/issue/bulkfetch", "status": 200,
                "body": "{\"issues\":[],\"issueErrors\":[]}", "content_type": "application/json"
            })),
        }
        env.sim.clear_requests();
        let (code, report) = reconcile(&env, &[]);
        assert_eq!(code, 0, "{report}");
        assert_eq!(
            report["revoked"],
            json!([]),
            "an unindexed ticket is not deleted"
        );
        let paths: Vec<String> = env
            .sim
            .requests()
            .iter()
            .map(|r| r["path"].as_str().unwrap().to_string())
            .collect();
        assert!(
            paths
                .iter()
                .any(|path| path.ends_with(&format!("/issue/{id}"))),
            "{paths:?}"
        );
        assert_eq!(
            env.json(&["requests", "show", &rid.to_string()])["status"],
            "active"
        );
    }
}

#[test]
fn a_hidden_or_unreachable_ticket_is_not_revoked_on_bad_evidence() {
    for flavor in FLAVORS {
        let env = setup(flavor);
        let (_, key) = env.ticket("t", ANA);
        let rid = request(&env, &["--ticket", &key, "--indefinite"]);
        for status in [500, 503, 401, 403] {
            env.sim.clear_faults();
            env.sim
                .add_fault(json!({"path_prefix": "/rest/api", "status": status, "times": 0}));
            let (code, report) = reconcile(&env, &[]);
            assert_eq!(code, 1, "{status}: {report}");
            assert_eq!(report["revoked"], json!([]), "{status}");
            assert!(
                report["errors"][0]
                    .as_str()
                    .unwrap()
                    .contains("could not check 1 tickets"),
                "{report}"
            );
        }
        env.sim.clear_faults();
        assert_eq!(
            env.json(&["requests", "show", &rid.to_string()])["status"],
            "active"
        );
        assert!(revokes(&env).is_empty());
    }
}

#[test]
fn expiry_is_enforced_with_jira_down() {
    let mut env = setup(Flavor::Cloud);
    let (_, key) = env.ticket("t", ANA);
    let expiring = request(&env, &["--ticket", &key, "--expire", "1h"]);
    let bound = request(&env, &["--ticket", &key, "--indefinite"]);
    env.set_env("OPAL_JIRA_URL", "http://127.0.0.1:9");
    env.at("2026-12-03T12:00:00Z");
    let (code, report) = reconcile(&env, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        report["revoked"],
        json!([{"id": expiring, "reason": "expired"}])
    );
    assert_eq!(report["errors"].as_array().unwrap().len(), 2, "{report}");
    assert!(
        report["errors"][0]
            .as_str()
            .unwrap()
            .contains("could not check 1 tickets"),
        "{report}"
    );
    // The revoke went ahead; only the comment telling the ticket about it failed.
    assert!(
        report["errors"][1].as_str().unwrap().starts_with(&format!(
            "could not comment on {key} about request {expiring}"
        )),
        "{report}"
    );
    assert_eq!(
        env.json(&["requests", "show", &bound.to_string()])["status"],
        "active"
    );
}

#[test]
fn expiry_is_enforced_with_no_connection_configured() {
    let mut env = setup(Flavor::Cloud);
    let expiring = request(&env, &["--expire", "1h"]);
    env.unset_env("OPAL_JIRA_TOKEN");
    env.at("2026-12-03T12:00:00Z");
    let (code, report) = reconcile(&env, &[]);
    assert_eq!(
        (code, report["revoked"].clone()),
        (0, json!([{"id": expiring, "reason": "expired"}]))
    );
}

#[test]
fn a_failed_revoke_stays_active_and_is_retried() {
    for flavor in FLAVORS {
        let mut env = setup(flavor);
        let id = request(&env, &["--expire", "1h"]);
        env.at("2026-12-03T12:00:00Z");
        env.set_failing("revoke", true);
        let (code, report) = reconcile(&env, &[]);
        assert_eq!(code, 1);
        assert_eq!(report["revoked"], json!([]));
        assert_eq!(report["failed"][0]["id"], id);
        assert!(
            report["failed"][0]["error"]
                .as_str()
                .unwrap()
                .contains("status 3"),
            "{report}"
        );
        let shown = env.json(&["requests", "show", &id.to_string()]);
        assert_eq!(shown["status"], "active");
        assert!(
            shown["error"].as_str().unwrap().contains("revoke refused"),
            "{shown}"
        );

        env.set_failing("revoke", false);
        let (code, report) = reconcile(&env, &[]);
        assert_eq!(code, 0, "{report}");
        assert_eq!(report["revoked"], json!([{"id": id, "reason": "expired"}]));
        let kinds: Vec<String> = env
            .json_lines(&["log", "--request", &id.to_string()])
            .iter()
            .map(|event| event["kind"].as_str().unwrap().to_string())
            .collect();
        assert!(
            kinds.contains(&"revoke_failed".to_string())
                && kinds.ends_with(&["revoked".to_string()]),
            "{kinds:?}"
        );
    }
}

#[test]
fn dry_run_reports_and_changes_nothing() {
    let mut env = setup(Flavor::Cloud);
    let id = request(&env, &["--expire", "1h"]);
    env.at("2026-12-03T12:00:00Z");
    let (code, report) = reconcile(&env, &["--dry-run"]);
    assert_eq!(code, 0);
    assert_eq!(
        report,
        json!({"dry_run": true, "checked": 1, "revoked": [{"id": id, "reason": "expired"}], "failed": [], "errors": []})
    );
    assert!(revokes(&env).is_empty());
    assert_eq!(
        env.json(&["requests", "show", &id.to_string()])["status"],
        "active"
    );
}

#[test]
fn a_moved_ticket_keeps_its_binding_and_updates_its_key() {
    for flavor in FLAVORS {
        let env = setup(flavor);
        let (id, key) = env.ticket("t", ANA);
        let rid = request(&env, &["--ticket", &key, "--indefinite"]);
        let new_key = env.sim.move_issue(&key, "OTHER");
        let (code, report) = reconcile(&env, &[]);
        assert_eq!(code, 0, "{report}");
        let shown = env.json(&["requests", "show", &rid.to_string()]);
        assert_eq!(shown["ticket"]["id"], id.as_str());
        assert_eq!(shown["ticket"]["key"], new_key.as_str());
        assert_eq!(
            shown["ticket"]["url"],
            format!("{}/browse/{new_key}", env.sim.url())
        );
        assert_eq!(
            env.json(&["requests", "list", "--ticket", &new_key])[0]["id"],
            rid
        );
    }
}

#[test]
fn bound_tickets_are_checked_in_batches() {
    for flavor in FLAVORS {
        let env = setup(flavor);
        let (ids, keys) = env.sim.add_issues(PROJECT, 250, Some(ANA));
        // Recording 250 requests through the binary would only test `request` 250
        // times; write them straight into the store instead.
        let db = opal_jira::db::Db::open(&env.db_path()).expect("open the test database");
        for (id, key) in ids.iter().zip(&keys) {
            let new = opal_jira::db::NewRequest {
                resource: "db".into(),
                requester: ANA.into(),
                requested_by: ANA.into(),
                reason: None,
                created_at: chrono::Utc::now(),
                expires_at: None,
                ticket: Some(opal_jira::db::TicketRef {
                    key: key.clone(),
                    id: id.clone(),
                    url: String::new(),
                }),
            };
            db.insert_request(&new).expect("insert request");
        }
        drop(db);
        env.sim.clear_requests();
        let (code, report) = reconcile(&env, &[]);
        assert_eq!(code, 0, "{report}");
        assert_eq!(report["checked"], 250);
        let calls = env.sim.requests();
        assert_eq!(
            calls.len(),
            3,
            "250 tickets take 3 batch requests: {calls:?}"
        );
    }
}

#[test]
fn two_passes_at_once_revoke_each_request_once() {
    let mut env = setup(Flavor::Cloud);
    // A slow revoke command widens the window in which both passes are running.
    env.run(&[
        "resources",
        "add",
        "slow",
        "--revoke",
        &format!(
            "sh -c 'sleep 0.3; echo revoke $0 >> {}' {{request_id}}",
            env.path("hooks.log").display()
        ),
    ])
    .success();
    let ids: Vec<i64> = (0..6)
        .map(|_| {
            env.json(&["request", "--resource", "slow", "--expire", "1h"])["id"]
                .as_i64()
                .unwrap()
        })
        .collect();
    env.at("2026-12-03T12:00:00Z");
    let children: Vec<_> = (0..2)
        .map(|_| {
            env.command(&["--output", "json", "reconcile", "--jobs", "2"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn reconcile")
        })
        .collect();
    let mut revoked_ids = Vec::new();
    for child in children {
        let output = child.wait_with_output().expect("wait");
        let report: Value = serde_json::from_slice(&output.stdout).expect("report");
        for entry in report["revoked"].as_array().unwrap() {
            revoked_ids.push(entry["id"].as_i64().unwrap());
        }
    }
    revoked_ids.sort();
    assert_eq!(revoked_ids, ids, "each request revoked by exactly one pass");
    let mut logged: Vec<String> = revokes(&env);
    logged.sort();
    let expected: Vec<String> = {
        let mut lines: Vec<String> = ids.iter().map(|id| format!("revoke {id}")).collect();
        lines.sort();
        lines
    };
    assert_eq!(logged, expected, "each revoke command ran exactly once");
}

#[test]
fn quiet_reconcile_is_silent_unless_something_happened() {
    let mut env = setup(Flavor::Cloud);
    let id = request(&env, &["--expire", "1h"]);
    let quiet = env.run(&["--quiet", "reconcile"]).success();
    assert_eq!(
        (quiet.stdout.as_str(), quiet.stderr.as_str()),
        ("", ""),
        "nothing to say"
    );
    let chatty = env.run(&["reconcile"]).success();
    assert!(
        chatty.stderr.contains("Checked 1 active request"),
        "{chatty:?}"
    );

    env.at("2026-12-03T12:00:00Z");
    let quiet = env.run(&["--quiet", "reconcile"]).success();
    assert!(
        quiet
            .stdout
            .contains(&format!("{id}\trevoked\tdb for {ANA}\texpired")),
        "{quiet:?}"
    );
    assert_eq!(
        quiet.stdout.lines().count(),
        2,
        "a header and one line: {quiet:?}"
    );

    let failing = request(&env, &["--expire", "1m"]);
    env.set_failing("revoke", true);
    env.at("2026-12-03T13:00:00Z");
    let quiet = env.run(&["--quiet", "reconcile"]).code(1);
    assert!(
        quiet.stdout.contains(&format!("{failing}\tfailed")),
        "{quiet:?}"
    );
    assert!(quiet.stderr.contains("1 failed"), "{quiet:?}");
}

#[test]
fn a_long_pass_shows_progress_on_a_terminal_only() {
    use crate::pty::Pty;
    let mut env = setup(Flavor::Cloud);
    env.run(&["resources", "add", "slow", "--revoke", "sh -c 'sleep 0.1'"])
        .success();
    let make = |env: &TestEnv| {
        for _ in 0..10 {
            env.json(&["request", "--resource", "slow", "--expire", "1h"]);
        }
    };
    make(&env);
    env.at("2026-12-03T12:00:00Z");
    let mut pty = Pty::spawn(env.command(&["reconcile", "--jobs", "1"]));
    assert_eq!(pty.wait(), 0, "{}", pty.screen);
    assert!(
        pty.raw.contains("revoking ") && pty.raw.contains("/10"),
        "{:?}",
        pty.raw
    );
    assert!(pty.screen.contains("revoked 10"), "{}", pty.screen);

    env.at("2026-12-03T10:00:00Z");
    make(&env);
    env.at("2026-12-03T12:00:00Z");
    let piped = env.run(&["reconcile", "--jobs", "1"]).success();
    assert!(!piped.stderr.contains("revoking"), "{piped:?}");
}
