//! Help, version and completions need no configuration, keyring or database.

use crate::sim::Flavor;
use crate::support::TestEnv;

#[test]
fn help_and_version_work_with_nothing_set_up() {
    let mut env = TestEnv::new(Flavor::Cloud);
    env.set_env("OPAL_JIRA_DB", "/nonexistent/dir/db");
    env.unset_env("OPAL_JIRA_TOKEN");
    let help = env.run(&["--help"]).success();
    for command in [
        "configure",
        "tickets",
        "resources",
        "request",
        "requests",
        "revoke",
        "reconcile",
        "log",
        "completions",
    ] {
        assert!(
            help.stdout.contains(command),
            "{command} missing from --help"
        );
    }
    assert!(!help.stdout.contains("doctor"), "doctor does not exist yet");
    let version = env.run(&["--version"]).success();
    assert!(version.stdout.starts_with("opal-jira "), "{version:?}");
    let request_help = env.run(&["request", "--help"]).success();
    assert!(
        request_help.stdout.contains("--indefinite"),
        "{request_help:?}"
    );
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = env.run(&["completions", shell]).success();
        assert!(script.stdout.contains("reconcile"), "{shell}");
    }
    env.run(&["completions", "tcsh"]).code(2);
    env.run(&["request", "--create-ticket"]).code(2);
    env.run(&["doctor"]).code(2);
}
