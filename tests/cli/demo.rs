//! The README's first command, `opal-jira-sim demo`, walks through the whole flow; it
//! must keep working as the tool changes.

use std::process::Command;

#[test]
fn the_demo_runs_the_whole_flow_on_both_deployments() {
    for flavor in ["cloud", "datacenter"] {
        let output = Command::new(env!("CARGO_BIN_EXE_opal-jira-sim"))
            .args(["demo", "--flavor", flavor])
            // Under `cargo run` the demo builds opal-jira first; here it is built already.
            .env_remove("CARGO")
            .env("NO_COLOR", "1")
            .output()
            .expect("run the demo");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{flavor}: {stdout}\n{stderr}");
        for step in [
            "$ opal-jira tickets search",
            "Disk full on db-3",
            "Granted prod-db to ana@acme.com",
            "revoked\tprod-db for ana@acme.com\tticket_closed",
            "That is the whole loop.",
        ] {
            assert!(
                stdout.contains(step) || stderr.contains(step),
                "{flavor}: no {step:?} in\n{stdout}\n{stderr}"
            );
        }
    }
}

#[test]
fn the_demo_refuses_an_unknown_flavor() {
    let output = Command::new(env!("CARGO_BIN_EXE_opal-jira-sim"))
        .args(["demo", "--flavor", "server"])
        .env_remove("CARGO")
        .output()
        .expect("run the demo");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown flavor `server`"));
}
