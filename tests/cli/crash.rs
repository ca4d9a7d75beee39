//! Crash safety: `reconcile` killed with SIGKILL at each step of a revocation (after
//! claiming the request, while its revoke command runs, after the command succeeded but
//! before the database recorded it). The next pass finishes the job; no request is
//! forgotten, none is recorded revoked before its command succeeded, and the audit log
//! tells the story. SIGINT and SIGTERM let the running revocation finish and be recorded.

use std::process::{Child, Stdio};

use serde_json::Value;

use crate::support::{FLAVORS, TestEnv, wait_for_file};

/// A revoke command that logs its start and its end, and in between, while a file
/// named `pause` exists, writes its pid to `revoke.pid` and waits.
const PAUSING_REVOKE: &str = r#"echo "start $1" >> "$LOG"
DIR=$(dirname "$LOG")
if [ -e "$DIR/pause" ]; then
    echo $$ > "$DIR/revoke.pid"
    while [ -e "$DIR/pause" ]; do sleep 0.05; done
fi
echo "done $1" >> "$LOG""#;

fn setup() -> (TestEnv, i64) {
    let flavor = FLAVORS[0];
    let mut env = TestEnv::new(flavor);
    env.at("2026-12-01T00:00:00Z");
    env.add_scripted_resource("db", PAUSING_REVOKE);
    let id = env.json(&["request", "--resource", "db", "--expire", "1h"])["id"]
        .as_i64()
        .expect("an id");
    env.at("2026-12-01T02:00:00Z");
    (env, id)
}

fn spawn(env: &TestEnv, args: &[&str]) -> Child {
    env.command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn opal-jira")
}

/// SIGKILL, the way a crash or the OOM killer ends a process.
fn kill(mut child: Child) {
    child.kill().expect("kill");
    child.wait().expect("reap");
}

fn status(env: &TestEnv, id: i64) -> String {
    env.json(&["requests", "show", &id.to_string()])["status"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn events(env: &TestEnv, id: i64) -> Vec<Value> {
    env.json_lines(&["log", "--request", &id.to_string()])
}

fn kinds(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|event| event["kind"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The next pass takes over the dead process's claim at once and revokes.
#[track_caller]
fn next_pass_finishes(env: &TestEnv, id: i64, killed_pid: u32) {
    let report = env.json(&["reconcile"]);
    assert_eq!(report["revoked"][0]["id"], id, "{report}");
    assert_eq!(status(env, id), "revoked");
    let events = events(env, id);
    assert_eq!(
        kinds(&events),
        [
            "requested",
            "granted",
            "revoke_started",
            "revoke_started",
            "revoked"
        ]
    );
    assert_eq!(events[2]["detail"]["pid"], killed_pid);
    assert_eq!(
        events[3]["detail"]["replaced_claim"]["pid"], killed_pid,
        "the second start says whose claim it took over: {events:?}"
    );
}

#[test]
fn killed_after_the_claim_before_the_command() {
    let (mut env, id) = setup();
    let marker = env.path("claimed");
    env.set_env(
        "__OPAL_JIRA_TEST_PAUSE_AFTER_CLAIM",
        &marker.display().to_string(),
    );
    let child = spawn(&env, &["reconcile"]);
    let pid = child.id();
    assert_eq!(wait_for_file(&marker, 10), id.to_string());
    kill(child);
    env.unset_env("__OPAL_JIRA_TEST_PAUSE_AFTER_CLAIM");

    assert_eq!(status(&env, id), "active", "claimed is not revoked");
    assert!(env.hook_log().is_empty(), "the command never started");
    next_pass_finishes(&env, id, pid);
    assert_eq!(
        env.hook_log(),
        [format!("start {id}"), format!("done {id}")]
    );
}

#[test]
fn killed_while_the_revoke_command_runs() {
    let (env, id) = setup();
    std::fs::write(env.path("pause"), "").expect("pause flag");
    let child = spawn(&env, &["reconcile"]);
    let pid = child.id();
    let script_pid: i32 = wait_for_file(&env.path("revoke.pid"), 10)
        .trim()
        .parse()
        .expect("a pid");
    kill(child);
    // The command runs in its own process group, so it outlives opal-jira; end it
    // before it could finish, as a machine crash would.
    // SAFETY: kill(2) with a negative pid signals the script's own process group.
    unsafe {
        libc::kill(-script_pid, libc::SIGKILL);
    }
    std::fs::remove_file(env.path("pause")).expect("unpause");

    assert_eq!(status(&env, id), "active", "never recorded revoked");
    assert_eq!(env.hook_log(), [format!("start {id}")]);
    next_pass_finishes(&env, id, pid);
    assert_eq!(
        env.hook_log(),
        [
            format!("start {id}"),
            format!("start {id}"),
            format!("done {id}")
        ]
    );
}

#[test]
fn killed_after_the_command_succeeded_before_it_was_recorded() {
    let (mut env, id) = setup();
    let marker = env.path("revoked");
    env.set_env(
        "__OPAL_JIRA_TEST_PAUSE_AFTER_REVOKE",
        &marker.display().to_string(),
    );
    let child = spawn(&env, &["reconcile"]);
    let pid = child.id();
    assert_eq!(wait_for_file(&marker, 10), id.to_string());
    kill(child);
    env.unset_env("__OPAL_JIRA_TEST_PAUSE_AFTER_REVOKE");

    assert_eq!(
        env.hook_log(),
        [format!("start {id}"), format!("done {id}")]
    );
    assert_eq!(
        status(&env, id),
        "active",
        "the database did not hear of it, so the request is still due"
    );
    next_pass_finishes(&env, id, pid);
    // Revoke commands must be safe to run twice; this is when they are.
    assert_eq!(env.hook_log().len(), 4);
}

#[test]
fn a_killed_manual_revoke_can_be_run_again() {
    let (mut env, id) = setup();
    let marker = env.path("claimed");
    env.set_env(
        "__OPAL_JIRA_TEST_PAUSE_AFTER_CLAIM",
        &marker.display().to_string(),
    );
    let child = spawn(&env, &["revoke", &id.to_string()]);
    wait_for_file(&marker, 10);
    kill(child);
    env.unset_env("__OPAL_JIRA_TEST_PAUSE_AFTER_CLAIM");
    assert_eq!(status(&env, id), "active");

    let shown = env.json(&["revoke", &id.to_string()]);
    assert_eq!(
        (shown["status"].as_str(), shown["revoke_reason"].as_str()),
        (Some("revoked"), Some("manual"))
    );
}

#[test]
fn sigint_and_sigterm_finish_the_running_revocation_and_stop() {
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let (mut env, first) = setup();
        env.at("2026-12-01T00:00:00Z");
        let others: Vec<i64> = (0..2)
            .map(|_| {
                env.json(&["request", "--resource", "db", "--expire", "1h"])["id"]
                    .as_i64()
                    .expect("an id")
            })
            .collect();
        env.at("2026-12-01T02:00:00Z");
        std::fs::write(env.path("pause"), "").expect("pause flag");
        let child = spawn(&env, &["--output", "json", "reconcile", "--jobs", "1"]);
        wait_for_file(&env.path("revoke.pid"), 10);
        let pid = i32::try_from(child.id()).expect("a pid");
        // SAFETY: kill(2) sends `signal` to the reconcile process.
        unsafe {
            libc::kill(pid, signal);
        }
        // The running command is not interrupted: it finishes once unpaused.
        std::thread::sleep(std::time::Duration::from_millis(300));
        std::fs::remove_file(env.path("pause")).expect("unpause");
        let output = child.wait_with_output().expect("wait");
        let report: Value = serde_json::from_slice(&output.stdout).expect("a report");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{signal}: {stderr}");
        assert!(stderr.contains("reconcile was interrupted"), "{stderr}");
        assert_eq!(
            report["revoked"].as_array().map(Vec::len),
            Some(1),
            "{report}"
        );
        let revoked = report["revoked"][0]["id"].as_i64().expect("an id");
        assert_eq!(revoked, first, "--jobs 1 takes the oldest first");
        assert_eq!(
            report["errors"][0],
            "interrupted: 2 due requests were not revoked; the next pass will revoke them"
        );
        assert_eq!(status(&env, first), "revoked");
        for id in &others {
            assert_eq!(status(&env, *id), "active");
        }
        assert_eq!(
            env.hook_log(),
            [format!("start {first}"), format!("done {first}")]
        );

        let report = env.json(&["reconcile"]);
        assert_eq!(report["revoked"].as_array().map(Vec::len), Some(2));
    }
}
