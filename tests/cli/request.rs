//! `opal-jira request`: every rule of the contract, on both deployments.

use serde_json::Value;

use crate::sim::Flavor;
use crate::support::{ANA, BEN, FLAVORS, PROJECT, TestEnv};

const NOW: &str = "2026-12-03T10:00:00Z";

fn env_with_db(flavor: Flavor) -> TestEnv {
    let mut env = TestEnv::new(flavor);
    env.at(NOW);
    env.add_resource("db", &["--max-expire", "1w"]);
    env
}

fn request_count(env: &TestEnv) -> usize {
    env.json(&["requests", "list", "--all"])
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn grants_with_expiry_and_records_active() {
    for flavor in FLAVORS {
        let env = env_with_db(flavor);
        let request = env.json(&[
            "request",
            "--resource",
            "db",
            "--expire",
            "8h",
            "--reason",
            "INC-4 debug",
        ]);
        assert_eq!(request["status"], "active");
        assert_eq!(request["resource"], "db");
        assert_eq!(request["requester"], ANA);
        assert_eq!(request["requested_by"], ANA);
        assert_eq!(request["reason"], "INC-4 debug");
        assert_eq!(request["created_at"], NOW);
        assert_eq!(request["expires_at"], "2026-12-03T18:00:00Z");
        assert_eq!(request["ticket"], Value::Null);
        assert_eq!(request["revoked_at"], Value::Null);
        assert_eq!(request["error"], Value::Null);
        let id = request["id"].as_i64().unwrap();
        assert_eq!(
            env.hook_log(),
            [format!(
                "grant {id} db {ANA}  env={id},db,{ANA},, token=none"
            )],
            "the grant command ran once, with placeholders, environment, and no token"
        );
    }
}

#[test]
fn bound_to_an_assigned_ticket() {
    for flavor in FLAVORS {
        let env = env_with_db(flavor);
        env.run(&["resources", "add", "group", "--revoke", "true"])
            .success();
        let (id, key) = env.ticket("Disk full on db-3", ANA);
        let request = env.json(&[
            "request",
            "--resource",
            "group",
            "--ticket",
            &key.to_lowercase(),
            "--indefinite",
        ]);
        assert_eq!(request["ticket"]["key"], key.as_str());
        assert_eq!(request["ticket"]["id"], id.as_str());
        assert_eq!(
            request["ticket"]["url"],
            format!("{}/browse/{key}", env.sim.url())
        );
        assert_eq!(request["expires_at"], Value::Null);
        assert_eq!(request["resource"], "group");
    }
}

#[test]
fn until_sets_the_expiry() {
    let env = env_with_db(Flavor::Cloud);
    let request = env.json(&["request", "--until", "2026-12-04T10:00:00+01:00"]);
    assert_eq!(request["expires_at"], "2026-12-04T09:00:00Z");
}

#[test]
fn refused_requests_are_not_recorded() {
    for flavor in FLAVORS {
        let env = env_with_db(flavor);
        let (_, other_project) = env.sim.add_issue("OTHER", "elsewhere", "new", Some(ANA));
        let (_, bens) = env.ticket("Ben's ticket", BEN);
        let (_, unassigned) = env.sim.add_issue(PROJECT, "nobody's", "new", None);
        let (_, done) = env.sim.add_issue(PROJECT, "finished", "done", Some(ANA));
        let cases: Vec<(Vec<&str>, &str)> = vec![
            (vec!["request"], "expiry is required"),
            (vec!["request", "--expire", "0s"], "longer than zero"),
            (vec!["request", "--expire=-1h"], "signs are not allowed"),
            (vec!["request", "--expire", "1.5h"], "whole numbers"),
            (vec!["request", "--expire", "8x"], "unknown unit"),
            (vec!["request", "--expire", ""], "empty"),
            (
                vec!["request", "--expire", "99999999999999999999w"],
                "too large",
            ),
            (
                vec!["request", "--until", "2026-12-03T09:00:00Z"],
                "not in the future",
            ),
            (vec!["request", "--until", "tomorrow"], "RFC 3339"),
            (vec!["request", "--expire", "8d"], "at most 1w"),
            (vec!["request", "--indefinite"], "--ticket"),
            (
                vec![
                    "request",
                    "--expire",
                    "1h",
                    "--until",
                    "2026-12-04T00:00:00Z",
                ],
                "cannot be used with",
            ),
            (
                vec!["request", "--expire", "1h", "--ticket", "not a key"],
                "is not a Jira ticket key",
            ),
            (
                vec!["request", "--expire", "1h", "--ticket", "OPS-1) OR (1=1"],
                "is not a Jira ticket key",
            ),
            (
                vec!["request", "--expire", "1h", "--ticket", "OPS-999"],
                "does not exist",
            ),
            (
                vec!["request", "--expire", "1h", "--ticket", &other_project],
                "not in the configured project",
            ),
            (
                vec!["request", "--expire", "1h", "--ticket", &bens],
                "assigned to Ben Okafor",
            ),
            (
                vec!["request", "--expire", "1h", "--ticket", &unassigned],
                "assigned to nobody",
            ),
            (
                vec!["request", "--expire", "1h", "--ticket", &done],
                "already closed",
            ),
            (
                vec!["request", "--resource", "nope", "--expire", "1h"],
                "unknown resource `nope`",
            ),
            (
                vec!["request", "--expire", "1h", "--for", "not-an-email"],
                "invalid email",
            ),
        ];
        for (args, message) in cases {
            let run = env.run(&args).code(2);
            assert!(run.stderr.contains(message), "{args:?}: {run:?}");
        }
        assert_eq!(request_count(&env), 0, "no refused request is recorded");
        assert!(env.hook_log().is_empty(), "no grant ran");
    }
}

#[test]
fn indefinite_is_refused_for_a_resource_with_a_maximum() {
    let env = env_with_db(Flavor::Cloud);
    let (_, key) = env.ticket("t", ANA);
    env.run(&["request", "--ticket", &key, "--indefinite"])
        .code(2)
        .stderr_has("cannot be indefinite");
}

#[test]
fn resource_may_be_left_out_only_when_one_exists() {
    let env = env_with_db(Flavor::Cloud);
    env.run(&["request", "--expire", "1h"]).success();
    env.run(&["resources", "add", "host", "--revoke", "true"])
        .success();
    env.run(&["request", "--expire", "1h"])
        .code(2)
        .stderr_has("--resource is required")
        .stderr_has("Available resources: db, host.");
}

#[test]
fn a_failing_grant_is_recorded_failed_and_exits_1() {
    for flavor in FLAVORS {
        let env = env_with_db(flavor);
        env.set_failing("grant", true);
        let run = env
            .run(&["--output", "json", "request", "--expire", "1h"])
            .code(1);
        assert!(
            run.stderr.contains("grant command exited with status 3"),
            "{run:?}"
        );
        let request = run.json();
        assert_eq!(request["status"], "failed");
        assert!(
            request["error"].as_str().unwrap().contains("grant refused"),
            "{request}"
        );
        assert_eq!(
            env.json(&["requests", "list"]),
            serde_json::json!([]),
            "nothing active"
        );
        assert_eq!(
            env.json(&["requests", "list", "--all"])[0]["status"],
            "failed"
        );
    }
}

#[test]
fn a_grant_program_that_does_not_exist_fails_cleanly() {
    let env = env_with_db(Flavor::Cloud);
    env.run(&[
        "resources",
        "add",
        "ghost",
        "--grant",
        "/nonexistent/grant-it",
        "--revoke",
        "true",
    ])
    .success();
    env.run(&["request", "--resource", "ghost", "--expire", "1h"])
        .code(1)
        .stderr_has("grant-it");
    assert_eq!(
        env.json(&["requests", "list", "--all", "--resource", "ghost"])[0]["status"],
        "failed"
    );
}

#[test]
fn on_behalf_of_another_person() {
    for flavor in FLAVORS {
        let env = env_with_db(flavor);
        let (_, bens) = env.ticket("Ben's ticket", BEN);
        let (_, anas) = env.ticket("Ana's ticket", ANA);
        let request = env.json(&["request", "--for", BEN, "--ticket", &bens, "--expire", "2h"]);
        assert_eq!(request["requester"], BEN);
        assert_eq!(request["requested_by"], ANA);
        assert!(env.hook_log()[0].contains(&format!("env={},db,{BEN},{bens},", request["id"])));
        env.run(&["request", "--for", BEN, "--ticket", &anas, "--expire", "2h"])
            .code(2)
            .stderr_has("assigned to Ana Lima");
    }
}

#[test]
fn missing_environment_variables_are_named() {
    let cases = [
        ("OPAL_JIRA_DEPLOYMENT", "OPAL_JIRA_DEPLOYMENT is not set"),
        ("OPAL_JIRA_URL", "OPAL_JIRA_WORKSPACE is not set"),
        ("OPAL_JIRA_PROJECT", "OPAL_JIRA_PROJECT is not set"),
        ("OPAL_JIRA_EMAIL", "OPAL_JIRA_EMAIL is not set"),
    ];
    for (variable, message) in cases {
        let mut env = env_with_db(Flavor::Cloud);
        let (_, key) = env.ticket("t", ANA);
        env.unset_env(variable);
        env.run(&["request", "--ticket", &key, "--expire", "1h"])
            .code(2)
            .stderr_has(message);
    }
    let mut env = env_with_db(Flavor::DataCenter);
    env.unset_env("OPAL_JIRA_URL");
    let (_, key) = env.ticket("t", ANA);
    env.run(&["request", "--ticket", &key, "--expire", "1h"])
        .code(2)
        .stderr_has("OPAL_JIRA_URL is not set");
}

#[test]
fn a_bad_token_fails_and_is_never_printed() {
    for flavor in FLAVORS {
        let mut env = env_with_db(flavor);
        let (_, key) = env.ticket("t", ANA);
        env.set_env("OPAL_JIRA_TOKEN", "wrong-token-Xy7Qp2");
        let run = env
            .run(&["-vvv", "request", "--ticket", &key, "--expire", "1h"])
            .code(1);
        assert!(run.stderr.contains("configure"), "{run:?}");
        assert!(
            !run.stderr.contains("wrong-token-Xy7Qp2") && !run.stdout.contains("wrong-token"),
            "{run:?}"
        );
        assert_eq!(request_count(&env), 0);
    }
}

#[test]
fn plain_http_to_a_remote_host_is_refused() {
    let mut env = env_with_db(Flavor::DataCenter);
    env.set_env("OPAL_JIRA_URL", "http://jira.example.com");
    let (_, key) = env.ticket("t", ANA);
    env.run(&["request", "--ticket", &key, "--expire", "1h"])
        .code(2)
        .stderr_has("refusing plain http://");
}

#[test]
fn on_a_terminal_missing_choices_are_picked_and_confirmed() {
    use crate::pty::{Pty, keys};
    for flavor in FLAVORS {
        let env = env_with_db(flavor);
        env.run(&[
            "resources",
            "add",
            "host",
            "--revoke",
            "true",
            "--description",
            "The bastion",
        ])
        .success();
        env.ticket("Disk full on db-3", ANA);
        let (_, rotate) = env.sim.add_issue(PROJECT, "Rotate keys", "new", Some(ANA));

        let mut pty = Pty::spawn(env.command(&["request", "--reason", "picked"]));
        pty.expect("Resource");
        pty.send("bastion");
        pty.expect("The bastion");
        pty.send(keys::ENTER);
        pty.expect("Ticket");
        pty.send("rotate");
        pty.send(keys::ENTER);
        pty.expect("Access for");
        pty.send(keys::ENTER);
        pty.expect("Grant it?");
        assert!(
            pty.screen.contains(&format!(
                "host for {ANA} until 2026-12-03T18:00:00Z, bound to {rotate}"
            )),
            "{}",
            pty.screen
        );
        pty.send("y");
        assert_eq!(pty.wait(), 0, "{}", pty.screen);

        let request = &env.json(&["requests", "list"])[0];
        assert_eq!(request["resource"], "host");
        assert_eq!(request["ticket"]["key"], rotate.as_str());
        assert_eq!(request["expires_at"], "2026-12-03T18:00:00Z");
        assert_eq!(request["reason"], "picked");
    }
}

#[test]
fn the_expiry_choice_respects_the_maximum_and_a_no_cancels() {
    use crate::pty::{Pty, keys};
    let env = env_with_db(Flavor::Cloud);
    env.run(&[
        "resources",
        "add",
        "short",
        "--revoke",
        "true",
        "--max-expire",
        "2h",
    ])
    .success();
    let mut pty = Pty::spawn(env.command(&["request", "--resource", "short"]));
    pty.expect("Ticket");
    pty.send(keys::ENTER);
    pty.expect("another duration");
    assert!(pty.screen.contains("2h (the maximum)"), "{}", pty.screen);
    assert!(
        !pty.screen.contains("8h") && !pty.screen.contains("until the ticket closes"),
        "{}",
        pty.screen
    );
    pty.send(keys::DOWN);
    pty.send(keys::DOWN);
    pty.send(keys::ENTER);
    pty.expect("Duration");
    pty.send(&format!("3h{}", keys::ENTER));
    pty.expect("the maximum for this resource is 2h");
    pty.send(&format!("{}{}", "\u{7f}".repeat(2), "90m"));
    pty.send(keys::ENTER);
    pty.expect("Grant it?");
    pty.send("n");
    assert_eq!(pty.wait(), 1, "{}", pty.screen);
    assert!(pty.screen.contains("cancelled"), "{}", pty.screen);
    assert_eq!(request_count(&env), 0);
}

#[test]
fn unbound_access_asks_jira_nothing() {
    for flavor in FLAVORS {
        let env = env_with_db(flavor);
        env.sim.clear_requests();
        env.json(&["request", "--expire", "1h"]);
        assert!(env.sim.requests().is_empty(), "{:?}", env.sim.requests());
    }
}
