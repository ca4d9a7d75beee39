//! `opal-jira configure`, `configure show` and `configure remove`, with profiles kept in
//! the test keyring directory (the real keyrings are exercised in `keyring.rs`).

use serde_json::json;

use crate::sim::Flavor;
use crate::support::{ANA, ANA_TOKEN, FLAVORS, PROJECT, TestEnv, file_contains};

/// A test environment whose connection must come from the keyring.
fn keyring_env(flavor: Flavor) -> TestEnv {
    let mut env = TestEnv::new(flavor);
    env.without_env_connection();
    env
}

fn configure_args(env: &TestEnv) -> Vec<String> {
    let mut args: Vec<String> = [
        "configure",
        "--deployment",
        env.deployment(),
        "--url",
        env.sim.url(),
        "--project",
        PROJECT,
        "--token-stdin",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if env.flavor == Flavor::Cloud {
        args.extend(["--email".to_string(), ANA.to_string()]);
    }
    args
}

fn configure(env: &TestEnv, token: &str, extra: &[&str]) -> crate::support::Run {
    let mut args = configure_args(env);
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.run_stdin(&args, token)
}

#[test]
fn configure_verifies_saves_and_is_used_by_later_commands() {
    for flavor in FLAVORS {
        let env = keyring_env(flavor);
        env.ticket("mine", ANA);
        let run = configure(&env, &format!("{ANA_TOKEN}\n"), &[]).success();
        assert!(run.stderr.contains("Authenticated as Ana Lima"), "{run:?}");
        assert!(!run.stderr.contains(ANA_TOKEN) && !run.stdout.contains(ANA_TOKEN));

        let show = env.json(&["configure", "show"]);
        assert_eq!(show["source"], "keyring");
        assert_eq!(show["project"], PROJECT);
        assert_eq!(show["user"], "Ana Lima");
        assert_eq!(show["project_type"], "software");
        assert!(!show.to_string().contains(ANA_TOKEN), "{show}");
        let table = env.run(&["configure", "show"]).success();
        assert!(
            table.stdout.contains("OS keyring") && !table.stdout.contains(ANA_TOKEN),
            "{table:?}"
        );

        assert_eq!(
            env.json(&["tickets", "search"]).as_array().unwrap().len(),
            1
        );

        // The cached identity spares `request` a call to `myself`.
        env.add_resource("db", &[]);
        env.sim.clear_requests();
        env.json(&["request", "--expire", "1h"]);
        assert!(
            env.sim
                .requests()
                .iter()
                .all(|r| !r["path"].as_str().unwrap().ends_with("/myself"))
        );

        env.run(&["configure", "remove"]).success();
        env.run(&["tickets", "search"])
            .code(2)
            .stderr_has("no Jira connection is configured")
            .stderr_has("OPAL_JIRA_TOKEN");
        env.run(&["configure", "remove"]).code(2);
    }
}

#[test]
fn a_bad_token_is_refused_and_nothing_is_saved() {
    for flavor in FLAVORS {
        let env = keyring_env(flavor);
        let run = configure(&env, "not-the-token-Pq9", &[]).code(1);
        assert!(run.stderr.contains("configure"), "{run:?}");
        assert!(!run.stderr.contains("not-the-token-Pq9"), "{run:?}");
        env.run(&["configure", "show"])
            .code(2)
            .stderr_has("no Jira connection");
    }
}

#[test]
fn a_200_with_a_failed_login_header_is_an_auth_failure() {
    let env = keyring_env(Flavor::Cloud);
    env.sim.add_fault(json!({"path_prefix": "/rest/api/3/myself", "status": 200, "headers": {"X-Seraph-LoginReason": "AUTHENTICATED_FAILED"}, "body": "{\"accountId\":\"x\",\"displayName\":\"Anonymous\"}", "content_type": "application/json"}));
    configure(&env, ANA_TOKEN, &[]).code(1);
    env.run(&["configure", "show"]).code(2);
}

#[test]
fn old_data_center_wrong_deployment_and_missing_project_are_refused() {
    let env = keyring_env(Flavor::DataCenter);
    env.sim.set_config(json!({"dc_version": [8, 13, 2]}));
    configure(&env, ANA_TOKEN, &[])
        .code(2)
        .stderr_has("8.14 or later");
    env.sim.set_config(json!({"dc_version": [8, 14, 0]}));
    configure(&env, ANA_TOKEN, &[]).success();

    let env = keyring_env(Flavor::Cloud);
    let run = env.run_stdin(
        &[
            "configure",
            "--deployment",
            "datacenter",
            "--url",
            env.sim.url(),
            "--project",
            PROJECT,
            "--token-stdin",
        ],
        ANA_TOKEN,
    );
    run.code(2).stderr_has("is Jira Cloud");
    let run = env.run_stdin(
        &[
            "configure",
            "--deployment",
            "cloud",
            "--url",
            env.sim.url(),
            "--project",
            "NOPE",
            "--email",
            ANA,
            "--token-stdin",
        ],
        ANA_TOKEN,
    );
    run.code(2).stderr_has("project NOPE does not exist");
    env.run(&["configure", "show"]).code(2);
}

#[test]
fn no_verify_saves_without_calling_jira() {
    let env = keyring_env(Flavor::Cloud);
    configure(&env, ANA_TOKEN, &["--no-verify"])
        .success()
        .stderr_has("--no-verify");
    assert!(env.sim.requests().is_empty());
    assert_eq!(env.json(&["configure", "show"])["source"], "keyring");
}

#[test]
fn missing_flags_without_a_terminal_are_named() {
    let env = keyring_env(Flavor::Cloud);
    let cases: &[(&[&str], &str)] = &[
        (&["configure"], "--deployment is required"),
        (
            &["configure", "--deployment", "cloud"],
            "--workspace or --url is required",
        ),
        (
            &["configure", "--deployment", "datacenter"],
            "--url is required",
        ),
        (
            &["configure", "--deployment", "cloud", "--workspace", "acme"],
            "--project is required",
        ),
        (
            &[
                "configure",
                "--deployment",
                "cloud",
                "--workspace",
                "acme",
                "--project",
                "OPS",
            ],
            "--email is required",
        ),
        (
            &[
                "configure",
                "--deployment",
                "cloud",
                "--workspace",
                "acme",
                "--project",
                "OPS",
                "--email",
                ANA,
            ],
            "--token-stdin",
        ),
        (
            &["configure", "--deployment", "onprem"],
            "unknown Jira deployment",
        ),
        (
            &[
                "configure",
                "--deployment",
                "cloud",
                "--workspace",
                "acme.atlassian.net",
            ],
            "invalid Cloud workspace",
        ),
        (
            &[
                "configure",
                "--deployment",
                "datacenter",
                "--url",
                "http://jira.example.com",
            ],
            "refusing plain http://",
        ),
        (
            &[
                "configure",
                "--deployment",
                "datacenter",
                "--url",
                "not a url",
            ],
            "invalid Jira URL",
        ),
        (
            &[
                "configure",
                "--deployment",
                "cloud",
                "--workspace",
                "acme",
                "--project",
                "O-PS",
            ],
            "invalid project key",
        ),
        (
            &[
                "configure",
                "--deployment",
                "cloud",
                "--workspace",
                "acme",
                "--project",
                "OPS",
                "--email",
                "ana",
            ],
            "invalid email",
        ),
    ];
    for (args, message) in cases {
        env.run(args).code(2).stderr_has(message);
    }
    env.run_stdin(
        &[
            "configure",
            "--deployment",
            "cloud",
            "--workspace",
            "acme",
            "--project",
            "OPS",
            "--email",
            ANA,
            "--token-stdin",
        ],
        "",
    )
    .code(2)
    .stderr_has("empty");
    env.run_stdin(
        &[
            "configure",
            "--deployment",
            "cloud",
            "--workspace",
            "acme",
            "--project",
            "OPS",
            "--email",
            ANA,
            "--token-stdin",
        ],
        "two\nlines",
    )
    .code(2)
    .stderr_has("several lines");
    assert!(env.sim.requests().is_empty());
}

#[test]
fn the_environment_wins_and_the_keyring_is_left_alone() {
    let env = TestEnv::new(Flavor::Cloud);
    let show = env.json(&["configure", "show"]);
    assert_eq!(show["source"], "environment");
    assert!(!show.to_string().contains(ANA_TOKEN));
    configure(&env, ANA_TOKEN, &[])
        .code(2)
        .stderr_has("environment");
    env.run(&["configure", "remove"])
        .code(2)
        .stderr_has("environment");
    assert!(
        !env.path("keyring").exists(),
        "the keyring was never touched"
    );
}

#[test]
fn a_token_file_works_and_a_readable_one_draws_a_warning() {
    use std::os::unix::fs::PermissionsExt as _;
    let mut env = TestEnv::new(Flavor::Cloud);
    let file = env.path("token");
    std::fs::write(&file, format!("{ANA_TOKEN}\n")).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    env.unset_env("OPAL_JIRA_TOKEN");
    env.set_env("OPAL_JIRA_TOKEN_FILE", &file.display().to_string());
    let run = env.run(&["tickets", "search"]).success();
    assert!(!run.stderr.contains("warning"), "{run:?}");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.run(&["tickets", "search"])
        .success()
        .stderr_has("can be read by other users");
    env.set_env("OPAL_JIRA_TOKEN_FILE", "/nonexistent/token");
    env.run(&["tickets", "search"])
        .code(2)
        .stderr_has("/nonexistent/token");
}

#[test]
fn the_token_never_reaches_disk_output_or_hooks() {
    for flavor in FLAVORS {
        let mut env = keyring_env(flavor);
        configure(&env, ANA_TOKEN, &["-vvv"]).success();
        env.at("2026-12-03T10:00:00Z");
        env.add_resource("db", &[]);
        let (_, key) = env.ticket("t", ANA);
        let mut outputs = Vec::new();
        for args in [
            vec!["-vvv", "tickets", "search"],
            vec!["-vvv", "request", "--ticket", &key, "--expire", "1h"],
            vec!["-vvv", "requests", "list", "--all"],
            vec!["-vvv", "configure", "show"],
        ] {
            outputs.push(env.run(&args));
        }
        env.at("2026-12-03T12:00:00Z");
        outputs.push(env.run(&["-vvv", "reconcile"]));
        outputs.push(env.run(&["-vvv", "log"]));
        for run in &outputs {
            assert!(
                !run.stdout.contains(ANA_TOKEN) && !run.stderr.contains(ANA_TOKEN),
                "{run:?}"
            );
        }
        assert!(
            outputs[1].stderr.contains("GET"),
            "-vvv logs each call: {:?}",
            outputs[1]
        );
        assert!(!file_contains(&env.db_path(), ANA_TOKEN));
        assert!(
            env.hook_log()
                .iter()
                .all(|line| line.ends_with("token=none")),
            "{:?}",
            env.hook_log()
        );
        assert!(
            !serde_json::to_string(&env.sim.requests())
                .unwrap()
                .contains(ANA_TOKEN)
        );
    }
}

#[test]
fn configure_prompts_on_a_terminal() {
    use crate::pty::{Pty, keys};
    for flavor in FLAVORS {
        let env = keyring_env(flavor);
        let mut pty = Pty::spawn(env.command(&["configure", "--url", env.sim.url()]));
        pty.expect("Jira deployment");
        if flavor == Flavor::DataCenter {
            pty.send(keys::DOWN);
        }
        pty.send(keys::ENTER);
        pty.expect("Project key");
        pty.send(&format!("ops{}", keys::ENTER));
        if flavor == Flavor::Cloud {
            pty.expect("email");
            pty.send(&format!("{ANA}{}", keys::ENTER));
            pty.expect("API token");
        } else {
            pty.expect("Personal access token");
        }
        pty.send(&format!("{ANA_TOKEN}{}", keys::ENTER));
        assert_eq!(pty.wait(), 0, "{}", pty.screen);
        assert!(
            pty.screen.contains("Authenticated as Ana Lima"),
            "{}",
            pty.screen
        );
        assert!(
            !pty.screen.contains(ANA_TOKEN),
            "the hidden prompt does not echo the token"
        );
        let show = env.json(&["configure", "show"]);
        assert_eq!(show["project"], PROJECT);
        assert_eq!(show["deployment"], env.deployment());
    }
}
