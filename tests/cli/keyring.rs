//! The real OS keyrings. These run only where one is reachable, so they are ignored by
//! default and `.ci/test` runs them explicitly: the Secret Service inside a private
//! D-Bus session with gnome-keyring, and the kernel keyring (keyutils).

use crate::sim::Flavor;
use crate::support::{ANA, ANA_TOKEN, PROJECT, TestEnv};

/// `configure --token-stdin` in one process, `tickets search` in another, the token
/// travelling only through the real keyring backend.
fn round_trip(backend: Option<&str>) {
    let mut env = TestEnv::new(Flavor::Cloud);
    env.without_env_connection();
    env.unset_env("__OPAL_JIRA_TEST_KEYRING_DIR");
    for name in ["DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR"] {
        if let Ok(value) = std::env::var(name) {
            env.set_env(name, &value);
        }
    }
    if let Some(backend) = backend {
        env.set_env("OPAL_JIRA_KEYRING", backend);
    }
    let profile = format!(
        "test-{}-{}",
        backend.unwrap_or("default"),
        std::process::id()
    );
    env.ticket("mine", ANA);

    let url = env.sim.url().to_string();
    let configure = [
        "--profile",
        &profile,
        "configure",
        "--deployment",
        "cloud",
        "--url",
        &url,
        "--project",
        PROJECT,
        "--email",
        ANA,
        "--token-stdin",
    ];
    env.run_stdin(&configure, ANA_TOKEN).success();
    let show = env.json(&["--profile", &profile, "configure", "show"]);
    assert_eq!(show["source"], "keyring");
    let tickets = env.json(&["--profile", &profile, "tickets", "search"]);
    assert_eq!(tickets.as_array().unwrap().len(), 1);
    assert!(
        env.sim
            .requests()
            .iter()
            .any(|r| r["auth"] == format!("basic:{ANA}"))
    );
    env.run(&["--profile", &profile, "configure", "remove"])
        .success();
    env.run(&["--profile", &profile, "tickets", "search"])
        .code(2)
        .stderr_has("no Jira connection");
}

#[test]
#[ignore = "needs a Secret Service: run by .ci/test under dbus-run-session with gnome-keyring"]
fn keyring_real_secret_service() {
    round_trip(None);
}

#[test]
#[ignore = "needs the kernel keyring: run by .ci/test"]
fn keyring_real_keyutils() {
    round_trip(Some("keyutils"));
}

#[test]
fn an_unreachable_keyring_says_so_and_names_the_variables() {
    let mut env = TestEnv::new(Flavor::Cloud);
    for name in ["OPAL_JIRA_TOKEN", "__OPAL_JIRA_TEST_KEYRING_DIR"] {
        env.unset_env(name);
    }
    env.set_env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");
    env.run(&["tickets", "search"])
        .code(2)
        .stderr_has("keyring")
        .stderr_has("not reachable")
        .stderr_has("OPAL_JIRA_TOKEN");
    env.set_env("OPAL_JIRA_KEYRING", "floppy");
    env.run(&["tickets", "search"])
        .code(2)
        .stderr_has("unknown keyring backend");
}
