//! `opal-jira requests list|show|bind` and `opal-jira revoke`.

use serde_json::Value;

use crate::sim::Flavor;
use crate::support::{ANA, BEN, FLAVORS, TestEnv};

fn setup(flavor: Flavor) -> TestEnv {
    let mut env = TestEnv::new(flavor);
    env.at("2026-12-03T10:00:00Z");
    env.add_resource("db", &[]);
    env.add_resource("host", &[]);
    env
}

#[test]
fn list_filters_and_show() {
    let env = setup(Flavor::Cloud);
    let (_, key) = env.ticket("t", ANA);
    let first = env.json(&["request", "--resource", "db", "--expire", "1h"]);
    let second = env.json(&[
        "request",
        "--resource",
        "host",
        "--ticket",
        &key,
        "--expire",
        "1h",
    ]);
    env.run(&["revoke", &first["id"].to_string()]).success();

    let active = env.json(&["requests", "list"]);
    assert_eq!(active.as_array().unwrap().len(), 1);
    assert_eq!(active[0]["id"], second["id"]);
    let all = env.json(&["requests", "list", "--all"]);
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert_eq!(
        env.json(&["requests", "list", "--all", "--resource", "db"])[0]["id"],
        first["id"]
    );
    assert_eq!(
        env.json(&["requests", "list", "--ticket", &key])[0]["id"],
        second["id"]
    );
    assert_eq!(
        env.json(&["requests", "list", "--resource", "nope"]),
        serde_json::json!([])
    );

    let shown = env.json(&["requests", "show", &first["id"].to_string()]);
    assert_eq!(shown["status"], "revoked");
    assert_eq!(shown["revoke_reason"], "manual");
    assert_eq!(shown["revoked_at"], "2026-12-03T10:00:00Z");
    env.run(&["requests", "show", "999"])
        .code(2)
        .stderr_has("no request 999");
    env.run(&["requests", "show", "abc"]).code(2);

    let table = env.run(&["requests", "list"]).success();
    assert!(
        table
            .stdout
            .starts_with("ID\tRESOURCE\tREQUESTER\tSTATUS\tEXPIRES\tTICKET"),
        "{table:?}"
    );
    assert!(table.stdout.contains("(in 1h)"), "{table:?}");
}

#[test]
fn bind_applies_the_ticket_rules() {
    for flavor in FLAVORS {
        let env = setup(flavor);
        let (id, key) = env.ticket("mine", ANA);
        let (_, bens) = env.ticket("his", BEN);
        let request = env.json(&["request", "--resource", "db", "--expire", "1h"]);
        let rid = request["id"].to_string();
        env.run(&["requests", "bind", &rid, "--ticket", &bens])
            .code(2)
            .stderr_has("assigned to Ben");
        env.run(&["requests", "bind", &rid, "--ticket", "bad key"])
            .code(2);
        let bound = env.json(&["requests", "bind", &rid, "--ticket", &key]);
        assert_eq!(bound["ticket"]["id"], id.as_str());
        assert_eq!(bound["ticket"]["key"], key.as_str());
        let log = env.json_lines(&["log", "--request", &rid]);
        assert!(log.iter().any(|event| event["kind"] == "bound"), "{log:?}");
        env.run(&["revoke", &rid]).success();
        env.run(&["requests", "bind", &rid, "--ticket", &key])
            .code(2)
            .stderr_has("only active requests");
    }
}

#[test]
fn revoke_runs_the_revoke_command_once_and_refuses_twice() {
    let env = setup(Flavor::Cloud);
    let request = env.json(&["request", "--resource", "db", "--expire", "1h"]);
    let id = request["id"].to_string();
    let revoked = env.json(&["revoke", &id, "--reason", "done early"]);
    assert_eq!(revoked["status"], "revoked");
    assert_eq!(revoked["revoke_reason"], "manual");
    env.run(&["revoke", &id]).code(2).stderr_has("not active");
    let revokes: Vec<String> = env
        .hook_log()
        .into_iter()
        .filter(|line| line.starts_with("revoke"))
        .collect();
    assert_eq!(
        revokes,
        [format!(
            "revoke {id} db {ANA}  manual env={id},db,{ANA},,manual token=none"
        )]
    );
    let log = env.json_lines(&["log", "--request", &id]);
    let revoked_event = log
        .iter()
        .find(|event| event["kind"] == "revoked")
        .expect("revoked event");
    assert!(
        revoked_event.to_string().contains("done early"),
        "{revoked_event}"
    );
}

#[test]
fn a_failing_manual_revoke_stays_active() {
    let env = setup(Flavor::Cloud);
    let id = env.json(&["request", "--resource", "db", "--expire", "1h"])["id"].to_string();
    env.set_failing("revoke", true);
    let run = env.run(&["--output", "json", "revoke", &id]).code(1);
    let request: Value = run.json();
    assert_eq!(request["status"], "active");
    assert!(
        request["error"].as_str().unwrap().contains("status 3"),
        "{request}"
    );
    env.set_failing("revoke", false);
    assert_eq!(env.json(&["revoke", &id])["status"], "revoked");
    assert_eq!(env.json(&["requests", "show", &id])["error"], Value::Null);
}

#[test]
fn expiring_within_finds_access_about_to_end() {
    let env = setup(Flavor::Cloud);
    let (_, key) = env.ticket("t", ANA);
    let soon = env.json(&["request", "--resource", "db", "--expire", "30m"])["id"].clone();
    env.json(&["request", "--resource", "db", "--expire", "1d"]);
    env.json(&[
        "request",
        "--resource",
        "host",
        "--ticket",
        &key,
        "--indefinite",
    ]);
    let list = env.json(&["requests", "list", "--expiring-within", "1h"]);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["id"], soon);
    assert_eq!(
        env.json(&["requests", "list", "--expiring-within", "2d"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    env.run(&["requests", "list", "--expiring-within", "soon"])
        .code(2)
        .stderr_has("invalid duration");
    env.run(&["requests", "list", "--all", "--expiring-within", "1h"])
        .code(2);
}

#[test]
fn extend_moves_the_expiry_within_the_maximum() {
    let mut env = setup(Flavor::Cloud);
    env.run(&[
        "resources",
        "add",
        "capped",
        "--revoke",
        "true",
        "--max-expire",
        "8h",
    ])
    .success();
    let id = env.json(&["request", "--resource", "capped", "--expire", "2h"])["id"].to_string();
    env.at("2026-12-03T11:00:00Z");
    let extended = env.json(&["requests", "extend", &id, "--expire", "4h"]);
    assert_eq!(extended["expires_at"], "2026-12-03T15:00:00Z");
    let extended = env.json(&["requests", "extend", &id, "--until", "2026-12-03T18:00:00Z"]);
    assert_eq!(extended["expires_at"], "2026-12-03T18:00:00Z");
    // The maximum counts from the original grant at 10:00, not from now.
    env.run(&["requests", "extend", &id, "--expire", "8h"])
        .code(2)
        .stderr_has("until 2026-12-03T18:00:00Z at the latest");
    env.run(&["requests", "extend", &id, "--until", "2026-12-03T10:30:00Z"])
        .code(2)
        .stderr_has("not in the future");
    env.run(&["requests", "extend", &id]).code(2);
    env.run(&["requests", "extend", "999", "--expire", "1h"])
        .code(2)
        .stderr_has("no request 999");
    let events = env.json_lines(&["log", "--request", &id]);
    let extended: Vec<_> = events
        .iter()
        .filter(|event| event["kind"] == "extended")
        .collect();
    assert_eq!(extended.len(), 2, "{events:?}");
    assert!(
        extended[1]["message"]
            .as_str()
            .unwrap()
            .contains("to 2026-12-03T18:00:00Z")
    );

    let (_, key) = env.ticket("t", ANA);
    let bound = env.json(&[
        "request",
        "--resource",
        "db",
        "--ticket",
        &key,
        "--indefinite",
    ])["id"]
        .to_string();
    env.run(&["requests", "extend", &bound, "--expire", "1h"])
        .code(2)
        .stderr_has("no expiry");
    env.run(&["revoke", &id]).success();
    env.run(&["requests", "extend", &id, "--expire", "1h"])
        .code(2)
        .stderr_has("only an active request");
}

#[test]
fn tables_show_local_time_and_json_stays_utc() {
    let mut env = setup(Flavor::Cloud);
    env.set_env("TZ", "Asia/Kolkata");
    let id = env.json(&["request", "--resource", "db", "--expire", "3h10m"])["id"].to_string();
    let table = env.run(&["requests", "list"]).success();
    assert!(
        table.stdout.contains("2026-12-03 18:40 (in 3h 10m)"),
        "{table:?}"
    );
    let fields = env.run(&["requests", "show", &id]).success();
    assert!(
        fields
            .stdout
            .contains("2026-12-03 18:40:00 +05:30 (in 3h 10m)"),
        "{fields:?}"
    );
    assert_eq!(
        env.json(&["requests", "show", &id])["expires_at"],
        "2026-12-03T13:10:00Z"
    );
}

#[test]
fn colours_follow_the_terminal_no_color_and_the_flag() {
    use crate::pty::Pty;
    let mut env = setup(Flavor::Cloud);
    env.json(&["request", "--resource", "db", "--expire", "1h"]);

    let coloured = |env: &TestEnv, args: &[&str]| -> bool {
        let mut pty = Pty::spawn(env.command(args));
        assert_eq!(pty.wait(), 0, "{}", pty.screen);
        assert!(pty.screen.contains("active"), "{}", pty.screen);
        pty.raw.contains("\u{1b}[")
    };
    // The test environment sets NO_COLOR.
    assert!(!coloured(&env, &["requests", "list"]));
    assert!(coloured(&env, &["--color", "always", "requests", "list"]));
    env.unset_env("NO_COLOR");
    assert!(coloured(&env, &["requests", "list"]));
    assert!(!coloured(&env, &["--color", "never", "requests", "list"]));
    // Piped output has no colour unless asked for; errors are coloured on request too.
    let piped = env.run(&["requests", "list"]).success();
    assert!(!piped.stdout.contains('\u{1b}'));
    let error = env
        .run(&["--color", "always", "requests", "show", "99"])
        .code(2);
    assert!(error.stderr.contains("\u{1b}["), "{error:?}");
}
