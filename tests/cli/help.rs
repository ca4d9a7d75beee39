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
        "doctor",
        "log",
        "completions",
    ] {
        assert!(
            help.stdout.contains(command),
            "{command} missing from --help"
        );
    }
    let version = env.run(&["--version"]).success();
    assert!(version.stdout.starts_with("opal-jira "), "{version:?}");
    let request_help = env.run(&["request", "--help"]).success();
    for flag in ["--indefinite", "--create-ticket", "--issue-type"] {
        assert!(
            request_help.stdout.contains(flag),
            "{flag}: {request_help:?}"
        );
    }
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = env.run(&["completions", shell]).success();
        assert!(script.stdout.contains("reconcile"), "{shell}");
    }
    env.run(&["completions", "tcsh"]).code(2);
    env.run(&["request", "--create-ticket", "--ticket", "OPS-1"])
        .code(2)
        .stderr_has("cannot be used with");
    // With nothing configured, doctor still runs its checks, then exits 2.
    let db = env.path("doctor.db");
    env.set_env("OPAL_JIRA_DB", &db.display().to_string());
    let doctor = env.run(&["doctor"]).code(2);
    assert!(doctor.stdout.contains("FAIL\tconfiguration"), "{doctor:?}");
    assert!(doctor.stdout.contains("ok\tdatabase"), "{doctor:?}");
}
