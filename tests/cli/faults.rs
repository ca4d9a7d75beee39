//! `reconcile` against a Jira that misbehaves: down, slow, rate limiting, failing some
//! batches, or answering with something other than Jira's JSON. In every case expiry is
//! still enforced, nothing is revoked on bad evidence, the pass ends in bounded time,
//! and the exit code and report say what could not be checked.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::sim::Flavor;
use crate::support::{ANA, FLAVORS, TestEnv};

/// Short limits so that each faulty call gives up within a few seconds.
fn setup(flavor: Flavor) -> TestEnv {
    let mut env = TestEnv::new(flavor);
    env.at("2026-12-01T00:00:00Z");
    env.set_env("OPAL_JIRA_TIMEOUT", "1s");
    env.set_env("OPAL_JIRA_RETRY_WAIT", "2s");
    env.add_resource("db", &[]);
    env
}

fn api(env: &TestEnv) -> &'static str {
    match env.flavor {
        Flavor::Cloud => "/rest/api/3",
        Flavor::DataCenter => "/rest/api/2",
    }
}

fn request(env: &TestEnv, args: &[&str]) -> i64 {
    let mut all = vec!["request", "--resource", "db"];
    all.extend_from_slice(args);
    env.json(&all)["id"].as_i64().expect("a request id")
}

/// Runs a pass and returns its exit code, report and duration.
fn reconcile(env: &TestEnv, extra: &[&str]) -> (i32, Value, Duration) {
    let mut args = vec!["--output", "json", "reconcile"];
    args.extend_from_slice(extra);
    let started = Instant::now();
    let run = env.run(&args);
    let elapsed = started.elapsed();
    (run.code, run.json(), elapsed)
}

fn revoked(report: &Value) -> Vec<(i64, String)> {
    report["revoked"]
        .as_array()
        .expect("revoked is a list")
        .iter()
        .map(|entry| {
            let id = entry["id"].as_i64().expect("an id");
            (id, entry["reason"].as_str().unwrap_or_default().to_string())
        })
        .collect()
}

fn status(env: &TestEnv, id: i64) -> String {
    env.json(&["requests", "show", &id.to_string()])["status"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Which calls a fault hits.
#[derive(Debug, Clone, Copy)]
enum Scope {
    /// Every REST call: batches and single lookups.
    All,
    /// Only the one-by-one lookups of tickets a batch did not return.
    Lookups,
}

/// Three requests per round: one that expired, one bound to a ticket closed in Jira,
/// one bound to a ticket deleted in Jira. With `fault` active on `scope`, a pass must
/// revoke the expired one, the closed one only if its batch could be read, and never
/// the deleted one: its 404 could not be confirmed. Every deleted-ticket request is
/// revoked once the faults are gone, which shows it was at stake all along.
fn survives(fault: Value, expected: &str) {
    for flavor in FLAVORS {
        let mut env = setup(flavor);
        let mut deleted_requests = Vec::new();
        for (round, scope) in [Scope::All, Scope::Lookups].into_iter().enumerate() {
            let start = format!("2026-12-0{}T00:00:00Z", round + 2);
            env.at(&start);
            let (closed_id, closed_key) = env.ticket("to be closed", ANA);
            let (_, deleted_key) = env.ticket("to be deleted", ANA);
            let expiring = request(&env, &["--expire", "1h"]);
            let closed = request(&env, &["--ticket", &closed_key, "--indefinite"]);
            let deleted = request(&env, &["--ticket", &deleted_key, "--indefinite"]);
            deleted_requests.push(deleted);
            env.sim.update_issue(
                &closed_id,
                json!({"status": "Done", "status_category": "done"}),
            );
            env.sim.delete_issue(&deleted_key);

            let mut rule = fault.clone();
            rule["times"] = json!(0);
            rule["path_prefix"] = json!(match scope {
                Scope::All => "/rest/api/".to_string(),
                Scope::Lookups => format!("{}/issue/1", api(&env)),
            });
            env.sim.add_fault(rule);
            env.at(&format!("2026-12-0{}T02:00:00Z", round + 2));
            let (code, report, elapsed) = reconcile(&env, &[]);
            env.sim.clear_faults();

            let context = format!("{flavor:?} {scope:?}: {report}");
            assert_eq!(code, 1, "{context}");
            let revoked = revoked(&report);
            assert!(
                revoked.contains(&(expiring, "expired".to_string())),
                "{context}"
            );
            match scope {
                Scope::All => assert!(
                    !revoked.iter().any(|(id, _)| *id == closed),
                    "unchecked, so kept: {context}"
                ),
                Scope::Lookups => assert!(
                    revoked.contains(&(closed, "ticket_closed".to_string())),
                    "its batch was fine: {context}"
                ),
            }
            for id in &deleted_requests {
                assert!(!revoked.iter().any(|(r, _)| r == id), "{context}");
                assert_eq!(status(&env, *id), "active", "{context}");
            }
            let errors = report["errors"].to_string();
            assert!(errors.contains("could not check"), "{context}");
            assert!(errors.contains(expected), "{expected:?} in {context}");
            assert!(elapsed < Duration::from_secs(12), "{elapsed:?}: {context}");
        }

        let (code, report, _) = reconcile(&env, &["--allow-mass-deletion"]);
        assert_eq!(code, 0, "{report}");
        let revoked = revoked(&report);
        for id in &deleted_requests {
            assert!(
                revoked.contains(&(*id, "ticket_deleted".to_string())),
                "{report}"
            );
        }
    }
}

#[test]
fn an_html_page_instead_of_json() {
    survives(json!({"kind": "html"}), "HTML page instead of JSON");
}

#[test]
fn truncated_json() {
    survives(json!({"kind": "truncated_json"}), "not valid JSON");
}

#[test]
fn a_redirect_to_an_sso_login_page() {
    survives(json!({"kind": "redirect_sso"}), "SSO or login redirect");
}

#[test]
fn an_answer_far_larger_than_expected() {
    survives(
        json!({"kind": "huge", "chunked": true}),
        "larger than the 8 MiB limit",
    );
    survives(
        json!({"kind": "huge", "size_bytes": 20_000_000}),
        "larger than the 8 MiB limit",
    );
}

#[test]
fn a_dropped_connection() {
    survives(json!({"kind": "drop_connection"}), "could not reach Jira");
}

#[test]
fn server_errors() {
    survives(json!({"status": 503}), "503 Service Unavailable");
    survives(
        json!({"status": 404, "body": "<html>Not here</html>", "content_type": "text/html"}),
        "404 Not Found",
    );
}

#[test]
fn answers_slower_than_the_timeout() {
    survives(json!({"delay_ms": 3000}), "timed out");
}

#[test]
fn a_rate_limit_storm_gives_up_within_the_retry_budget() {
    survives(
        json!({"status": 429, "headers": {"Retry-After": "1"}}),
        "still 429 Too Many Requests after 2 retries and 2 s of waiting",
    );
    // A Retry-After past the budget is not waited for at all.
    survives(
        json!({"status": 429, "headers": {"Retry-After": "3600"}}),
        "asked for 3600 s more",
    );
}

#[test]
fn a_short_rate_limit_is_waited_out() {
    for flavor in FLAVORS {
        let env = setup(flavor);
        let (id, key) = env.ticket("t", ANA);
        let bound = request(&env, &["--ticket", &key, "--indefinite"]);
        env.sim
            .update_issue(&id, json!({"status_category": "done"}));
        env.sim.add_fault(json!({
            "path_prefix": "/rest/api/", "status": 429, "times": 1,
            "headers": {"Retry-After": "1"}
        }));
        let (code, report, elapsed) = reconcile(&env, &[]);
        assert_eq!(code, 0, "{report}");
        assert_eq!(revoked(&report), [(bound, "ticket_closed".to_string())]);
        assert!(elapsed >= Duration::from_secs(1), "Retry-After honoured");
    }
}

#[test]
fn jira_down_leaves_only_expiry() {
    for flavor in FLAVORS {
        let mut env = setup(flavor);
        let (_, key) = env.ticket("t", ANA);
        let expiring = request(&env, &["--expire", "1h"]);
        let bound = request(&env, &["--ticket", &key, "--indefinite"]);
        let closed_port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
            listener.local_addr().expect("address").port()
        };
        env.set_env("OPAL_JIRA_URL", &format!("http://127.0.0.1:{closed_port}"));
        env.at("2026-12-01T02:00:00Z");
        let (code, report, _) = reconcile(&env, &[]);
        assert_eq!(code, 1, "{report}");
        assert_eq!(revoked(&report), [(expiring, "expired".to_string())]);
        assert!(
            report["errors"][0]
                .as_str()
                .unwrap_or_default()
                .contains("could not check 1 tickets: could not reach Jira"),
            "{report}"
        );
        assert_eq!(status(&env, bound), "active");
    }
}

#[test]
fn a_failing_batch_leaves_only_its_own_tickets_unchecked() {
    for flavor in FLAVORS {
        let env = setup(flavor);
        // 101 tickets make two batches: 100 and 1.
        let (_, keys) = env.sim.add_issues("OPS", 101, Some(ANA));
        let ids = std::sync::Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            for chunk in keys.chunks(26) {
                let (env, ids) = (&env, &ids);
                scope.spawn(move || {
                    for key in chunk {
                        let id = request(env, &["--ticket", key, "--indefinite"]);
                        ids.lock().expect("not poisoned").push(id);
                    }
                });
            }
        });
        let ids = ids.into_inner().expect("not poisoned");
        for key in &keys {
            env.sim
                .update_issue(key, json!({"status_category": "done"}));
        }
        let batch = match flavor {
            Flavor::Cloud => "/rest/api/3/issue/bulkfetch",
            Flavor::DataCenter => "/rest/api/2/search",
        };
        env.sim
            .add_fault(json!({"path_prefix": batch, "status": 502, "times": 1}));

        let (code, report, _) = reconcile(&env, &[]);
        assert_eq!(code, 1, "{report}");
        let errors: Vec<&str> = report["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        let unchecked = if errors[0].starts_with("could not check 100 tickets: Jira answered 502") {
            100
        } else if errors[0].starts_with("could not check 1 tickets: Jira answered 502") {
            1
        } else {
            panic!("unexpected error: {errors:?}");
        };
        let revoked = revoked(&report);
        assert_eq!(revoked.len(), 101 - unchecked, "{report}");
        assert!(revoked.iter().all(|(_, reason)| reason == "ticket_closed"));
        let active = env.json(&["requests", "list"]);
        assert_eq!(active.as_array().map(Vec::len), Some(unchecked));

        let (code, report, _) = reconcile(&env, &[]);
        assert_eq!((code, revoked_len(&report)), (0, unchecked), "{report}");
        assert!(
            env.json(&["requests", "list"])
                .as_array()
                .is_some_and(Vec::is_empty)
        );
        assert_eq!(ids.len(), 101);
    }
}

fn revoked_len(report: &Value) -> usize {
    report["revoked"].as_array().map_or(0, Vec::len)
}

#[test]
fn the_whole_pass_is_bounded_by_the_jira_budget() {
    for flavor in FLAVORS {
        let env = setup(flavor);
        let mut bound = Vec::new();
        for n in 0..6 {
            let (id, key) = env.ticket(&format!("t{n}"), ANA);
            bound.push(request(&env, &["--ticket", &key, "--indefinite"]));
            // Missing from the batch answer, so each is looked up on its own.
            env.sim
                .update_issue(&id, json!({"hidden_from_search": true}));
        }
        if flavor == Flavor::Cloud {
            env.sim.add_fault(json!({
                "path_prefix": "/rest/api/3/issue/bulkfetch", "status": 200, "times": 0,
                "body": "{\"issues\":[],\"issueErrors\":[]}"
            }));
        }
        // Each lookup stays under the per-request timeout; together they do not.
        env.sim.add_fault(json!({
            "path_prefix": format!("{}/issue/1", api(&env)), "delay_ms": 900, "times": 0
        }));
        // One lookup at a time, so that the lookups add up past the budget.
        let (code, report, elapsed) =
            reconcile(&env, &["--jira-budget", "2s", "--jira-concurrency", "1"]);
        assert_eq!(code, 1, "{report}");
        assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
        assert!(
            report["errors"]
                .to_string()
                .contains("the 2 s allowed for Jira calls ran out"),
            "{report}"
        );
        assert_eq!(revoked_len(&report), 0);
        for id in bound {
            assert_eq!(status(&env, id), "active");
        }
    }
}
