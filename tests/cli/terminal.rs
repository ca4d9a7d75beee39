//! Text from Jira or from hook commands that carries terminal control sequences (colour,
//! window titles, cursor moves) or bidirectional overrides is made harmless before it
//! reaches a terminal: in tables, in field lists, in errors and in logs.

use serde_json::json;

use crate::support::{ANA, FLAVORS, Run, TestEnv};

/// Colour, an OSC window title, a bell, a CSI in its one-byte form, and overrides
/// that would show "evil.exe" as "exe.live".
const HOSTILE: &str = "\u{1b}[31mred\u{1b}[0m \u{1b}]0;pwned\u{7} \u{9b}2J \u{202e}exe.live\u{202c} \u{2066}x\u{2069}";

/// None of the characters that steer a terminal made it through.
#[track_caller]
fn harmless(text: &str, context: &Run) {
    for bad in [
        '\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\u{202c}', '\u{2066}', '\u{2069}',
    ] {
        assert!(!text.contains(bad), "{:?} in {context:?}", bad);
    }
}

#[test]
fn ticket_text_in_tables_and_fields() {
    for flavor in FLAVORS {
        let env = TestEnv::new(flavor);
        let (_, key) = env.ticket(&format!("Disk full {HOSTILE}"), ANA);
        for args in [vec!["tickets", "search"], vec!["tickets", "show", &key]] {
            let run = env.run(&args).success();
            harmless(&run.stdout, &run);
            harmless(&run.stderr, &run);
            // The printable rest is still shown.
            assert!(run.stdout.contains("Disk full [31mred[0m"), "{run:?}");
            assert!(run.stdout.contains("exe.live"), "{run:?}");
        }
        // JSON keeps the data exact (escaped as JSON does), for programs.
        let ticket = env.json(&["tickets", "show", &key]);
        assert_eq!(ticket["summary"], format!("Disk full {HOSTILE}"));
    }
}

#[test]
fn jira_messages_in_errors_and_logs() {
    for flavor in FLAVORS {
        let env = TestEnv::new(flavor);
        env.sim.add_fault(json!({
            "path_prefix": "/rest/api/", "status": 400, "times": 0,
            "body": json!({"errorMessages": [HOSTILE], "errors": {"jql": HOSTILE}}).to_string()
        }));
        let run = env.run(&["-vvv", "tickets", "search"]).code(1);
        harmless(&run.stderr, &run);
        assert!(
            run.stderr.contains("exe.live"),
            "Jira's message is shown: {run:?}"
        );
    }
}

#[test]
fn hook_output_in_errors_and_the_log() {
    let mut env = TestEnv::new(FLAVORS[0]);
    env.at("2026-12-01T00:00:00Z");
    let script = env.path("noisy.sh");
    std::fs::write(&script, format!("printf '%s\\n' '{HOSTILE}' >&2\nexit 4\n")).expect("script");
    let revoke = format!("sh {}", script.display());
    env.run(&["resources", "add", "noisy", "--revoke", &revoke])
        .success();
    let id = env.json(&["request", "--resource", "noisy", "--expire", "1h"])["id"]
        .as_i64()
        .expect("an id")
        .to_string();

    let run = env.run(&["revoke", &id]).code(1);
    harmless(&run.stdout, &run);
    harmless(&run.stderr, &run);
    assert!(run.stderr.contains("exited with status 4"), "{run:?}");
    for args in [
        vec!["log"],
        vec!["requests", "show", &id],
        vec!["reconcile"],
    ] {
        let run = env.run(&args);
        harmless(&run.stdout, &run);
        harmless(&run.stderr, &run);
    }
}
