//! Comments on a request's ticket when access is granted, bound and ended, in both
//! project kinds on both deployments; and what happens when a comment fails.

use serde_json::{Value, json};

use crate::sim::{Flavor, Json};
use crate::support::{ANA, FLAVORS, TestEnv};

const T0: &str = "2026-12-03T10:00:00Z";

fn setup(flavor: Flavor, jsm: bool) -> TestEnv {
    let mut env = if jsm {
        TestEnv::jsm(flavor)
    } else {
        TestEnv::new(flavor)
    };
    env.at(T0);
    env.add_resource("db", &[]);
    env
}

/// Every combination of deployment and project kind.
fn envs() -> Vec<TestEnv> {
    FLAVORS
        .iter()
        .flat_map(|&flavor| [setup(flavor, false), setup(flavor, true)])
        .collect()
}

/// A comment's text, whatever its shape (a string on v2, a document on v3).
fn text(comment: &Json) -> String {
    match &comment["body"] {
        Value::String(text) => text.clone(),
        doc => doc["content"]
            .as_array()
            .expect("an ADF document")
            .iter()
            .map(|p| p["content"][0]["text"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

fn texts(env: &TestEnv, key: &str) -> Vec<String> {
    env.sim.comments(key).iter().map(text).collect()
}

fn request(env: &TestEnv, args: &[&str]) -> i64 {
    let mut all = vec!["request", "--resource", "db"];
    all.extend_from_slice(args);
    env.json(&all)["id"].as_i64().unwrap()
}

fn events(env: &TestEnv, id: i64) -> Vec<Json> {
    env.json_lines(&["log", "--request", &id.to_string()])
}

#[test]
fn grant_comment_says_who_what_until_when_and_why() {
    for env in envs() {
        let (_, key) = env.ticket("Disk full", ANA);
        let id = request(
            &env,
            &[
                "--ticket",
                &key,
                "--expire",
                "8h",
                "--reason",
                "INC-4 debug",
            ],
        );
        let comments = env.sim.comments(&key);
        assert_eq!(comments.len(), 1, "{comments:?}");
        assert_eq!(comments[0]["author"], ANA);
        let expected_version = match env.flavor {
            Flavor::Cloud => 3,
            Flavor::DataCenter => 2,
        };
        assert_eq!(comments[0]["api_version"], expected_version);
        if env.flavor == Flavor::Cloud {
            assert_eq!(comments[0]["body"]["type"], "doc", "ADF on Cloud");
        }
        assert_eq!(
            text(&comments[0]),
            format!(
                "opal-jira granted {ANA} access to db (request {id}).\n\
                 Access ends at 2026-12-03T18:00:00Z, or when this ticket is closed if that comes first.\n\
                 Requested by {ANA}.\n\
                 Reason: INC-4 debug"
            )
        );
        let kinds: Vec<Value> = events(&env, id).iter().map(|e| e["kind"].clone()).collect();
        assert!(kinds.contains(&json!("commented")), "{kinds:?}");
    }
}

#[test]
fn unbound_requests_comment_on_nothing() {
    let env = setup(Flavor::Cloud, false);
    env.sim.clear_requests();
    request(&env, &["--expire", "1h"]);
    assert!(
        !env.sim
            .requests()
            .iter()
            .any(|r| r["path"].as_str().unwrap().contains("/comment")),
        "no ticket, no comment"
    );
}

#[test]
fn binding_a_request_comments_on_the_ticket() {
    for env in envs() {
        let (_, key) = env.ticket("t", ANA);
        let id = request(&env, &["--expire", "2h"]);
        env.json(&["requests", "bind", &id.to_string(), "--ticket", &key]);
        let texts = texts(&env, &key);
        assert_eq!(texts.len(), 1, "{texts:?}");
        assert!(
            texts[0].starts_with(&format!(
                "opal-jira: {ANA} bound {ANA}'s access to db (request {id}) to this ticket."
            )),
            "{texts:?}"
        );
        assert!(texts[0].contains("Access ends at 2026-12-03T12:00:00Z"));
    }
}

#[test]
fn manual_revoke_comments_with_the_reason() {
    for env in envs() {
        let (_, key) = env.ticket("t", ANA);
        let id = request(&env, &["--ticket", &key, "--expire", "8h"]);
        env.json(&["revoke", &id.to_string(), "--reason", "done early"]);
        let texts = texts(&env, &key);
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert_eq!(
            texts[1],
            format!(
                "opal-jira ended {ANA}'s access to db (request {id}) at {T0}: \
                 {ANA} revoked it: done early."
            )
        );
    }
}

#[test]
fn reconcile_comments_when_access_expires_or_the_ticket_closes() {
    for mut env in envs() {
        let (_, expiring_key) = env.ticket("expires", ANA);
        let (closing_id, closing_key) = env.ticket("closes", ANA);
        let (deleted_id, deleted_key) = env.ticket("vanishes", ANA);
        let expiring = request(&env, &["--ticket", &expiring_key, "--expire", "1h"]);
        let closing = request(&env, &["--ticket", &closing_key, "--indefinite"]);
        request(&env, &["--ticket", &deleted_key, "--indefinite"]);
        env.sim
            .update_issue(&closing_id, json!({"status_category": "done"}));
        env.sim.delete_issue(&deleted_id);
        env.at("2026-12-03T12:00:00Z");

        let run = env.run(&["--output", "json", "reconcile"]).success();
        assert_eq!(run.json()["revoked"].as_array().unwrap().len(), 3);
        assert_eq!(
            texts(&env, &expiring_key)[1],
            format!(
                "opal-jira ended {ANA}'s access to db (request {expiring}) at \
                 2026-12-03T12:00:00Z: its expiry time (2026-12-03T11:00:00Z) passed."
            )
        );
        assert!(
            texts(&env, &closing_key)[1].ends_with(&format!(
                "(request {closing}) at 2026-12-03T12:00:00Z: this ticket was closed."
            )),
            "{:?}",
            texts(&env, &closing_key)
        );
        assert_eq!(
            texts(&env, &deleted_key).len(),
            1,
            "a deleted ticket gets no revoke comment"
        );
    }
}

#[test]
fn a_failing_comment_never_blocks_a_revoke() {
    for env in envs() {
        let (_, key) = env.ticket("t", ANA);
        let id = request(&env, &["--ticket", &key, "--expire", "8h"]);
        env.sim.add_fault(json!({
            "method": "POST", "path_prefix": "/rest/api/", "status": 500, "times": 0
        }));
        let run = env
            .run(&["revoke", &id.to_string()])
            .success()
            .stderr_has(&format!("could not comment on {key} about request {id}"))
            .stderr_has("the request is not affected");
        assert!(run.stderr.contains("500"), "{run:?}");
        assert_eq!(
            env.json(&["requests", "show", &id.to_string()])["status"],
            "revoked"
        );
        let failed: Vec<Json> = events(&env, id)
            .into_iter()
            .filter(|e| e["kind"] == "comment_failed")
            .collect();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0]["detail"]["ticket"]["key"], key.as_str());
        assert_eq!(failed[0]["detail"]["about"], "revoked");
        assert!(
            failed[0]["detail"]["error"]
                .as_str()
                .unwrap()
                .contains("500")
        );
    }
}

#[test]
fn reconcile_reports_a_failed_comment_as_an_error_and_exits_1() {
    for flavor in FLAVORS {
        let mut env = setup(flavor, true);
        let (_, key) = env.ticket("t", ANA);
        let id = request(&env, &["--ticket", &key, "--expire", "1h"]);
        env.sim.add_fault(json!({
            "method": "POST", "path_prefix": "/rest/api/", "status": 503, "times": 0
        }));
        env.at("2026-12-03T12:00:00Z");
        let run = env.run(&["--output", "json", "reconcile"]);
        assert_eq!(run.code, 1, "{run:?}");
        let report = run.json();
        assert_eq!(report["revoked"], json!([{"id": id, "reason": "expired"}]));
        assert_eq!(report["failed"], json!([]));
        let errors = report["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{report}");
        assert!(
            errors[0]
                .as_str()
                .unwrap()
                .starts_with(&format!("could not comment on {key} about request {id}: ")),
            "{report}"
        );
        assert!(
            events(&env, id)
                .iter()
                .any(|e| e["kind"] == "comment_failed"),
            "recorded in the audit log"
        );
        // The comment is not retried: the next pass has nothing to do.
        env.sim.clear_faults();
        let (code, again) = {
            let run = env.run(&["--output", "json", "reconcile"]);
            (run.code, run.json())
        };
        assert_eq!((code, again["checked"].clone()), (0, json!(0)));
    }
}

#[test]
fn a_rate_limited_comment_is_retried() {
    let env = setup(Flavor::Cloud, false);
    let (_, key) = env.ticket("t", ANA);
    env.sim.add_fault(json!({
        "method": "POST", "path_prefix": "/rest/api/3/issue/", "status": 429, "times": 1
    }));
    let run = env.run(&[
        "request",
        "--resource",
        "db",
        "--ticket",
        &key,
        "--expire",
        "1h",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!run.stderr.contains("could not comment"), "{run:?}");
    assert_eq!(texts(&env, &key).len(), 1);
}

#[test]
fn comments_stop_once_jira_is_unreachable() {
    let mut env = setup(Flavor::Cloud, false);
    let ids: Vec<i64> = (0..8)
        .map(|n| {
            let (_, key) = env.ticket(&format!("t{n}"), ANA);
            request(&env, &["--ticket", &key, "--expire", "1h"])
        })
        .collect();
    env.sim.add_fault(json!({
        "method": "POST", "path_prefix": "/rest/api/3/issue/", "kind": "drop_connection",
        "times": 0
    }));
    env.sim.clear_requests();
    env.at("2026-12-03T12:00:00Z");
    let run = env.run(&["--output", "json", "reconcile"]);
    assert_eq!(run.code, 1, "{run:?}");
    let report = run.json();
    assert_eq!(report["revoked"].as_array().unwrap().len(), ids.len());
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), ids.len(), "one line per comment: {report}");
    let attempts = env
        .sim
        .requests()
        .iter()
        .filter(|r| r["path"].as_str().unwrap().ends_with("/comment"))
        .count();
    assert!(
        (1..=4).contains(&attempts),
        "at most one attempt per worker once Jira is unreachable: {attempts}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.as_str().unwrap().contains("not attempted")),
        "{report}"
    );
}

#[test]
fn extending_bound_access_is_told_on_the_ticket() {
    for mut env in envs() {
        let (_, key) = env.ticket("Disk full", ANA);
        let id = request(&env, &["--ticket", &key, "--expire", "2h"]);
        env.at("2026-12-03T11:00:00Z");
        env.json(&["requests", "extend", &id.to_string(), "--expire", "4h"]);
        let texts = texts(&env, &key);
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert!(
            texts[1].contains("moved the end of ana@acme.com's access to db"),
            "{}",
            texts[1]
        );
        assert!(
            texts[1].contains("from 2026-12-03T12:00:00Z"),
            "{}",
            texts[1]
        );
        assert!(
            texts[1].contains("Access ends at 2026-12-03T15:00:00Z"),
            "{}",
            texts[1]
        );
        assert!(
            events(&env, id)
                .iter()
                .any(|e| e["kind"] == "commented" && e["detail"]["about"] == "extended")
        );
    }
}
