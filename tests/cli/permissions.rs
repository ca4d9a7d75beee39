//! No mass revocation on a permission change: when Jira answers 404 because the account
//! lost access (to the project, or to its tickets) rather than because tickets were
//! deleted, `reconcile` revokes nothing for `ticket_deleted`, exits 2 and says what to
//! fix. Expiry is still enforced.

use serde_json::{Value, json};

use crate::sim::Flavor;
use crate::support::{ANA, BEN, FLAVORS, TestEnv};

fn setup(flavor: Flavor) -> TestEnv {
    let mut env = TestEnv::new(flavor);
    env.at("2026-12-01T00:00:00Z");
    env.add_resource("db", &[]);
    env
}

/// Four requests bound to four open tickets, plus one that expires in an hour.
/// Returns (ticket keys, bound request ids, expiring request id).
fn bound_requests(env: &TestEnv) -> (Vec<String>, Vec<i64>, i64) {
    let mut keys = Vec::new();
    let mut ids = Vec::new();
    for n in 0..4 {
        let (_, key) = env.ticket(&format!("ticket {n}"), ANA);
        let request = env.json(&[
            "request",
            "--resource",
            "db",
            "--ticket",
            &key,
            "--indefinite",
        ]);
        ids.push(request["id"].as_i64().expect("an id"));
        keys.push(key);
    }
    let expiring = env.json(&["request", "--resource", "db", "--expire", "1h"])["id"]
        .as_i64()
        .expect("an id");
    (keys, ids, expiring)
}

fn reconcile(env: &TestEnv, extra: &[&str]) -> (i32, Value, String) {
    let mut args = vec!["--output", "json", "reconcile"];
    args.extend_from_slice(extra);
    let run = env.run(&args);
    (run.code, run.json(), run.stderr)
}

fn project_lookups(env: &TestEnv) -> usize {
    env.sim
        .requests()
        .iter()
        .filter(|r| r["path"].as_str().unwrap_or_default().contains("/project/"))
        .count()
}

#[test]
fn a_project_the_account_can_no_longer_see_revokes_nothing() {
    for flavor in FLAVORS {
        let mut env = setup(flavor);
        let (_, bound, expiring) = bound_requests(&env);
        env.sim.restrict_project("OPS", Some(&[BEN]));
        env.at("2026-12-01T02:00:00Z");

        let (code, report, stderr) = reconcile(&env, &[]);
        assert_eq!(code, 2, "a configuration error: {report}");
        assert_eq!(
            report["revoked"],
            json!([{"id": expiring, "reason": "expired"}])
        );
        assert!(
            report["errors"][0]
                .as_str()
                .unwrap_or_default()
                .starts_with(
                    "project OPS is not visible to the Jira account: 4 tickets answered 404"
                ),
            "{report}"
        );
        assert!(stderr.contains("hint: Give the account the Browse Projects permission in OPS"));
        // Even the mass-deletion override does not revoke for an invisible project.
        let (code, report, _) = reconcile(&env, &["--allow-mass-deletion"]);
        assert_eq!((code, report["revoked"].clone()), (2, json!([])));

        env.sim.restrict_project("OPS", None);
        let (code, report, _) = reconcile(&env, &[]);
        assert_eq!(
            (code, report["revoked"].clone()),
            (0, json!([])),
            "{report}"
        );
        assert_eq!(
            env.json(&["requests", "list"]).as_array().map(Vec::len),
            Some(bound.len())
        );
    }
}

#[test]
fn every_ticket_answering_404_at_once_revokes_nothing() {
    for flavor in FLAVORS {
        let mut env = setup(flavor);
        let (keys, _, expiring) = bound_requests(&env);
        // Issue security: the project stays visible, its tickets do not.
        for key in &keys {
            env.sim.update_issue(key, json!({"forbidden": true}));
        }
        env.at("2026-12-01T02:00:00Z");
        let (code, report, stderr) = reconcile(&env, &[]);
        assert_eq!(code, 2, "{report}");
        assert_eq!(
            report["revoked"],
            json!([{"id": expiring, "reason": "expired"}])
        );
        assert!(
            report["errors"][0]
                .as_str()
                .unwrap_or_default()
                .starts_with("4 of 4 bound tickets answered 404 at once"),
            "{report}"
        );
        assert!(stderr.contains("--allow-mass-deletion"), "{stderr}");
        assert_eq!(
            env.json(&["requests", "list"]).as_array().map(Vec::len),
            Some(4)
        );
    }
}

#[test]
fn many_real_deletions_need_the_override() {
    for flavor in FLAVORS {
        let env = setup(flavor);
        let (keys, bound, _) = bound_requests(&env);
        for key in &keys[..3] {
            env.sim.delete_issue(key);
        }
        let (code, report, _) = reconcile(&env, &[]);
        assert_eq!(
            (code, report["revoked"].clone()),
            (2, json!([])),
            "{report}"
        );

        let (code, report, _) = reconcile(&env, &["--allow-mass-deletion"]);
        assert_eq!(code, 0, "{report}");
        let expected: Vec<Value> = bound[..3]
            .iter()
            .map(|id| json!({"id": id, "reason": "ticket_deleted"}))
            .collect();
        assert_eq!(report["revoked"], json!(expected));
    }
}

#[test]
fn a_single_deletion_costs_one_project_lookup_and_is_revoked() {
    for flavor in FLAVORS {
        let env = setup(flavor);
        let (keys, bound, _) = bound_requests(&env);
        env.sim.clear_requests();
        let (code, report, _) = reconcile(&env, &[]);
        assert_eq!((code, report["revoked"].clone()), (0, json!([])));
        assert_eq!(project_lookups(&env), 0, "no deletion, no extra request");

        env.sim.delete_issue(&keys[1]);
        env.sim.clear_requests();
        let (code, report, _) = reconcile(&env, &[]);
        assert_eq!(code, 0, "{report}");
        assert_eq!(
            report["revoked"],
            json!([{"id": bound[1], "reason": "ticket_deleted"}])
        );
        assert_eq!(project_lookups(&env), 1);
    }
}

#[test]
fn a_project_check_that_fails_leaves_the_ticket_unchecked() {
    for flavor in FLAVORS {
        let env = setup(flavor);
        let (keys, bound, _) = bound_requests(&env);
        env.sim.delete_issue(&keys[0]);
        let api = match flavor {
            Flavor::Cloud => "/rest/api/3",
            Flavor::DataCenter => "/rest/api/2",
        };
        env.sim.add_fault(
            json!({"path_prefix": format!("{api}/project/"), "status": 503, "times": 0}),
        );
        let (code, report, _) = reconcile(&env, &[]);
        assert_eq!(
            (code, report["revoked"].clone()),
            (1, json!([])),
            "{report}"
        );
        assert!(
            report["errors"][0]
                .as_str()
                .unwrap_or_default()
                .starts_with("could not check 1 tickets that answered 404: confirming that project OPS is visible failed: Jira answered 503"),
            "{report}"
        );
        env.sim.clear_faults();
        let (code, report, _) = reconcile(&env, &[]);
        assert_eq!(
            (code, report["revoked"].clone()),
            (0, json!([{"id": bound[0], "reason": "ticket_deleted"}]))
        );
    }
}
