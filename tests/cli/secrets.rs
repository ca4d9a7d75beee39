//! Secrets: the Jira token never shows up anywhere opal-jira writes, whatever the
//! verbosity; hook output keeps no recognizable credential; the database, its files and
//! its directory are private from creation on.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use serde_json::json;

use crate::sim::Flavor;
use crate::support::{ANA, ANA_TOKEN, FLAVORS, PROJECT, Run, TestEnv, file_contains};

/// What a grant prints: a credential it made, labelled the usual way.
const CREATED_PASSWORD: &str = "Pw-created-4kq9Zt";

/// Every file under `dir` (recursively) except those under `skip`.
fn files(dir: &Path, skip: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.starts_with(skip) {
            continue;
        }
        if path.is_dir() {
            files(&path, skip, found);
        } else {
            found.push(path);
        }
    }
}

/// Hooks that record their whole environment and print a labelled password.
fn add_env_recording_resource(env: &TestEnv) {
    let dump = env.path("hook-env.txt");
    let script = env.path("grant-env.sh");
    std::fs::write(
        &script,
        format!(
            "env >> '{}'\necho \"created role, password={CREATED_PASSWORD}\"\n",
            dump.display()
        ),
    )
    .expect("script");
    let line = format!("sh {}", script.display());
    env.run(&[
        "resources",
        "add",
        "db",
        "--grant",
        &line,
        "--revoke",
        &line,
        "-vvv",
    ])
    .success();
}

#[test]
fn the_token_is_nowhere_at_the_highest_verbosity() {
    for flavor in FLAVORS {
        let mut env = TestEnv::new(flavor);
        env.at("2026-12-01T00:00:00Z");
        let mut runs: Vec<Run> = Vec::new();

        // Saved in the (test) keyring by configure; every later command reads it there.
        for name in [
            "OPAL_JIRA_TOKEN",
            "OPAL_JIRA_DEPLOYMENT",
            "OPAL_JIRA_URL",
            "OPAL_JIRA_PROJECT",
            "OPAL_JIRA_EMAIL",
        ] {
            env.unset_env(name);
        }
        let url = env.sim.url().to_string();
        let mut configure = vec![
            "-vvv",
            "configure",
            "--deployment",
            env.deployment(),
            "--url",
            &url,
            "--project",
            PROJECT,
            "--token-stdin",
        ];
        if flavor == Flavor::Cloud {
            configure.extend(["--email", ANA]);
        }
        runs.push(env.run_stdin(&configure, ANA_TOKEN).success());

        add_env_recording_resource(&env);
        let (_, key) = env.ticket("t", ANA);
        let (_, other) = env.ticket("u", ANA);
        let id = env.json(&[
            "request",
            "--resource",
            "db",
            "--ticket",
            &key,
            "--expire",
            "1h",
        ])["id"]
            .as_i64()
            .expect("an id")
            .to_string();
        let second = env.json(&["request", "--resource", "db", "--expire", "1h"])["id"]
            .as_i64()
            .expect("an id")
            .to_string();
        // Jira (or a proxy) echoing the token back in an error.
        env.sim.add_fault(json!({
            "path_prefix": "/rest/api/", "method": "GET", "status": 500, "times": 1,
            "body": json!({"errorMessages": [format!("bad token {ANA_TOKEN}")]}).to_string()
        }));
        let commands: Vec<Vec<&str>> = vec![
            vec!["tickets", "show", &key],
            vec!["configure", "show"],
            vec!["tickets", "search"],
            vec!["tickets", "show", &key],
            vec!["resources", "list"],
            vec![
                "request",
                "--resource",
                "db",
                "--ticket",
                &other,
                "--indefinite",
            ],
            vec!["requests", "list", "--all"],
            vec!["requests", "show", &id],
            vec!["requests", "bind", &second, "--ticket", &other],
            vec!["revoke", &id, "--reason", "done"],
            vec!["reconcile", "--dry-run"],
            vec!["log"],
            vec!["completions", "bash"],
            vec!["tickets", "show", "OPS-999"],
        ];
        for args in &commands {
            for output in ["table", "json"] {
                let mut all = vec!["-vvv", "--output", output];
                all.extend_from_slice(args);
                runs.push(env.run(&all));
            }
        }
        env.at("2026-12-01T02:00:00Z");
        runs.push(env.run(&["-vvv", "reconcile"]));
        // A wrong token, refused by Jira.
        env.set_env("OPAL_JIRA_TOKEN", "wrong-token-value");
        env.set_env("OPAL_JIRA_DEPLOYMENT", env.deployment());
        env.set_env("OPAL_JIRA_URL", &url);
        env.set_env("OPAL_JIRA_PROJECT", PROJECT);
        env.set_env("OPAL_JIRA_EMAIL", ANA);
        runs.push(env.run(&["-vvv", "tickets", "search"]).code(1));

        assert!(
            runs.iter()
                .any(|run| run.stderr.contains("opal-jira: trace:")),
            "-vvv traces"
        );
        assert!(
            runs.iter()
                .any(|run| run.stderr.contains("bad token ********")),
            "the echoed token is masked, not dropped silently"
        );
        for run in &runs {
            assert!(!run.stdout.contains(ANA_TOKEN), "{run:?}");
            assert!(!run.stderr.contains(ANA_TOKEN), "{run:?}");
        }

        // Nothing on disk holds it but the keyring, which is where it belongs.
        let keyring = env.path("keyring");
        assert!(file_contains(
            &std::fs::read_dir(&keyring)
                .expect("the keyring was used")
                .flatten()
                .next()
                .expect("a profile")
                .path(),
            ANA_TOKEN
        ));
        let mut written = Vec::new();
        files(env.dir.path(), &keyring, &mut written);
        assert!(written.iter().any(|p| p.ends_with("opal-jira.db")));
        for path in &written {
            assert!(!file_contains(path, ANA_TOKEN), "{}", path.display());
        }
        let hook_env = std::fs::read_to_string(env.path("hook-env.txt")).expect("hooks ran");
        assert!(hook_env.contains("OPAL_JIRA_REQUEST_ID="), "{hook_env}");
        assert!(!hook_env.contains(ANA_TOKEN));
        assert!(!hook_env.contains("OPAL_JIRA_TOKEN"), "{hook_env}");

        // The audit log kept the hook's output, without the password it printed.
        let log = env
            .json_lines(&["log"])
            .iter()
            .map(|e| e.to_string())
            .collect::<String>();
        assert!(log.contains("created role, password=********"), "{log}");
        assert!(!log.contains(CREATED_PASSWORD));
        assert!(!file_contains(&env.db_path(), CREATED_PASSWORD));
    }
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|err| panic!("{}: {err}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Runs the binary under `umask 000`, so that only opal-jira's own care keeps its files
/// private.
fn run_loose(env: &TestEnv, args: &[&str]) {
    let command = env.command(args);
    let mut shell = std::process::Command::new("sh");
    shell
        .arg("-c")
        .arg("umask 000; exec \"$@\"")
        .arg("sh")
        .arg(command.get_program())
        .args(command.get_args())
        .env_clear();
    for (name, value) in command.get_envs() {
        if let Some(value) = value {
            shell.env(name, value);
        }
    }
    let output = shell.output().expect("run");
    assert!(output.status.success(), "{args:?}: {output:?}");
}

#[test]
fn the_database_is_private_from_creation_even_with_a_loose_umask() {
    let mut env = TestEnv::new(FLAVORS[0]);
    env.at("2026-12-01T00:00:00Z");
    let db = env.path("shared/nested/opal-jira.db");
    env.set_env("OPAL_JIRA_DB", &db.display().to_string());
    run_loose(&env, &["resources", "add", "db", "--revoke", "true"]);
    run_loose(&env, &["request", "--resource", "db", "--expire", "1h"]);

    for dir in [env.path("shared"), env.path("shared/nested")] {
        assert_eq!(mode(&dir), 0o700, "{}", dir.display());
    }
    assert_eq!(mode(&db), 0o600);
    env.at("2026-12-01T02:00:00Z");
    run_loose(&env, &["reconcile"]);
    run_loose(&env, &["log"]);
    // They stay so, and the files beside the database are private too.
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(&env.path("shared/nested")), 0o700);
    for sibling in ["opal-jira.db-wal", "opal-jira.db-shm", "opal-jira.db.lock"] {
        let path = env.path("shared/nested").join(sibling);
        if path.exists() {
            assert_eq!(mode(&path), 0o600, "{sibling}");
        }
    }
    assert!(env.path("shared/nested/opal-jira.db.lock").exists());
}
