//! `opal-jira doctor`: every check passing, and each failure with its fix, on both
//! deployments and both project kinds.

use serde_json::{Value, json};

use crate::sim::Flavor;
use crate::support::{ANA, FLAVORS, PROJECT, Run, TestEnv};

const JSM_CHECKS: [&str; 9] = [
    "service_desk",
    "issue_type",
    "request_type",
    "request_type_issue_type",
    "request_type_field",
    "reporter_field",
    "customer_accounts",
    "customer_signup",
    "modify_reporter",
];

/// A JSM project whose whole setup is in place, with Ana allowed to create customers.
fn healthy_jsm(flavor: Flavor) -> TestEnv {
    let env = TestEnv::jsm(flavor);
    env.sim.set_user(ANA, json!({"administer": true}));
    env
}

fn doctor(env: &TestEnv) -> (Run, Value) {
    let run = env.run(&["--output", "json", "doctor"]);
    let report = run.json();
    (run, report)
}

fn check<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no check {name}: {report}"))
}

fn names(report: &Value) -> Vec<String> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

/// The names of the checks with this status.
fn with_status(report: &Value, status: &str) -> Vec<String> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == status)
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_healthy_software_setup_passes() {
    for flavor in FLAVORS {
        let env = TestEnv::new(flavor);
        let (run, report) = doctor(&env);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(report["ok"], true);
        let mut expected = vec![
            "configuration",
            "keyring",
            "database",
            "server",
            "token",
            "token_expiry",
            "project",
            "modify_reporter",
        ];
        if flavor == Flavor::DataCenter {
            expected.insert(4, "data_center_version");
        }
        assert_eq!(names(&report), expected);
        for entry in report["checks"].as_array().unwrap() {
            let keys: Vec<&String> = entry.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["detail", "fix", "name", "ok", "status"], "{entry}");
            assert_eq!(entry["ok"], true, "{entry}");
            assert_eq!(entry["fix"], Value::Null, "{entry}");
        }
        assert_eq!(with_status(&report, "info"), ["keyring", "token_expiry"]);
        assert!(
            check(&report, "token")["detail"]
                .as_str()
                .unwrap()
                .contains("authenticated as Ana Lima")
        );
        assert!(
            check(&report, "project")["detail"]
                .as_str()
                .unwrap()
                .contains("`software`")
        );

        let table = env.run(&["doctor"]).success();
        let lines: Vec<&str> = table.stdout.lines().collect();
        assert_eq!(lines[0], "RESULT\tCHECK\tDETAIL\tFIX");
        assert_eq!(lines.len(), expected.len() + 1, "one line per check");
        assert!(lines[1].starts_with("ok\tconfiguration\t"), "{table:?}");
    }
}

#[test]
fn a_healthy_jsm_setup_passes_every_step() {
    for flavor in FLAVORS {
        let env = healthy_jsm(flavor);
        let (run, report) = doctor(&env);
        assert_eq!(run.code, 0, "{run:?}");
        for name in JSM_CHECKS {
            assert_eq!(check(&report, name)["ok"], true, "{name}: {report}");
        }
        let field = match flavor {
            Flavor::Cloud => "`Request Type`",
            Flavor::DataCenter => "`Customer Request Type`",
        };
        assert!(
            check(&report, "request_type_field")["detail"]
                .as_str()
                .unwrap()
                .contains(field),
            "{report}"
        );
        let signup = check(&report, "customer_signup");
        assert_eq!(signup["status"], "info");
        assert!(
            signup["detail"]
                .as_str()
                .unwrap()
                .starts_with("not checked")
        );
        let expiry = check(&report, "token_expiry");
        assert_eq!(expiry["status"], "info");
        assert!(
            expiry["detail"]
                .as_str()
                .unwrap()
                .starts_with("not checked")
        );
    }
}

/// Breaks one thing, and checks that exactly the expected check fails, with its fix.
fn fails_only(env: &TestEnv, name: &str, detail: &str, fix: &str) {
    let (run, report) = doctor(env);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(report["ok"], false);
    assert_eq!(with_status(&report, "fail"), [name], "{report}");
    let failed = check(&report, name);
    assert!(
        failed["detail"].as_str().unwrap().contains(detail),
        "{name} detail lacks {detail:?}: {failed}"
    );
    assert!(
        failed["fix"].as_str().unwrap().contains(fix),
        "{name} fix lacks {fix:?}: {failed}"
    );
    assert!(run.stderr.contains("1 check failed"), "{run:?}");

    let table = env.run(&["doctor"]).code(1);
    let line = table
        .stdout
        .lines()
        .find(|l| l.starts_with(&format!("FAIL\t{name}\t")))
        .unwrap_or_else(|| panic!("no FAIL line for {name}: {table:?}"));
    assert!(line.ends_with(failed["fix"].as_str().unwrap()), "{line}");
}

#[test]
fn each_broken_jsm_step_fails_with_its_fix() {
    let cases = [
        (
            "no_issue_type",
            "issue_type",
            "does not offer the issue type `Service Request - Opal`",
            "Issue types",
        ),
        (
            "no_request_type",
            "request_type",
            "has no request type `Access Change - Opal`",
            "Create request type `Access Change - Opal`",
        ),
        (
            "wrong_issue_type",
            "request_type_issue_type",
            "creates issues of `Service Request`, not `Service Request - Opal`",
            "base it on the issue type `Service Request - Opal`",
        ),
        (
            "no_reporter_field",
            "reporter_field",
            "lacks the `Reporter` field",
            "adds the `Reporter` field to the create screen",
        ),
    ];
    for flavor in FLAVORS {
        for (step, name, detail, fix) in cases {
            let env = healthy_jsm(flavor);
            env.sim.break_setup(PROJECT, step);
            fails_only(&env, name, detail, fix);
        }
        let env = healthy_jsm(flavor);
        env.sim.break_setup(PROJECT, "no_request_type_field");
        let field = match flavor {
            Flavor::Cloud => "Request Type",
            Flavor::DataCenter => "Customer Request Type",
        };
        fails_only(
            &env,
            "request_type_field",
            &format!("lacks the `{field}` field"),
            &format!("adds the `{field}` field to the create screen"),
        );
    }
}

#[test]
fn missing_permissions_fail_with_where_to_grant_them() {
    for flavor in FLAVORS {
        let env = healthy_jsm(flavor);
        env.sim.set_user(ANA, json!({"modify_reporter": false}));
        fails_only(
            &env,
            "modify_reporter",
            "lacks the Modify Reporter permission in OPS",
            "permission scheme",
        );

        let env = TestEnv::jsm(flavor);
        fails_only(
            &env,
            "customer_accounts",
            "lacks the global permission `Administer Jira` (ADMINISTER)",
            "Global permissions",
        );
    }
}

#[test]
fn a_bad_token_fails_and_the_rest_is_skipped() {
    for flavor in FLAVORS {
        let mut env = TestEnv::jsm(flavor);
        env.set_env("OPAL_JIRA_TOKEN", "not-the-token");
        let (run, report) = doctor(&env);
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(with_status(&report, "fail"), ["token"]);
        let fix = check(&report, "token")["fix"].as_str().unwrap().to_string();
        let expected = match flavor {
            Flavor::Cloud => "id.atlassian.com/manage-profile/security/api-tokens",
            Flavor::DataCenter => "Personal Access Tokens",
        };
        assert!(fix.contains(expected), "{fix}");
        assert_eq!(
            with_status(&report, "skip"),
            ["token_expiry", "project", "modify_reporter"]
        );
        assert!(!run.stdout.contains("not-the-token") && !run.stderr.contains("not-the-token"));
    }
}

#[test]
fn an_old_data_center_fails_the_version_check() {
    let env = TestEnv::new(Flavor::DataCenter);
    env.sim.set_config(json!({"dc_version": [8, 13, 2]}));
    let (run, report) = doctor(&env);
    assert_eq!(run.code, 1);
    let version = check(&report, "data_center_version");
    assert_eq!(version["status"], "fail");
    assert!(
        version["detail"]
            .as_str()
            .unwrap()
            .contains("Jira 8.13.2 is older than 8.14")
    );
    assert!(
        version["fix"]
            .as_str()
            .unwrap()
            .contains("Upgrade Jira Data Center to 8.14")
    );
}

#[test]
fn server_problems_say_how_to_fix_them() {
    let mut env = TestEnv::new(Flavor::Cloud);
    env.set_env("OPAL_JIRA_DEPLOYMENT", "datacenter");
    let (run, report) = doctor(&env);
    assert_eq!(run.code, 1);
    let server = check(&report, "server");
    assert!(
        server["detail"].as_str().unwrap().contains("is Jira Cloud"),
        "{server}"
    );
    assert!(
        server["fix"]
            .as_str()
            .unwrap()
            .contains("OPAL_JIRA_DEPLOYMENT=cloud")
    );
    assert_eq!(check(&report, "token")["status"], "skip");

    env.set_env("OPAL_JIRA_DEPLOYMENT", "cloud");
    env.set_env("OPAL_JIRA_URL", "http://127.0.0.1:9");
    let (run, report) = doctor(&env);
    assert_eq!(run.code, 1);
    let server = check(&report, "server");
    assert!(
        server["detail"]
            .as_str()
            .unwrap()
            .contains("could not reach Jira"),
        "{server}"
    );
    assert!(
        server["fix"].as_str().unwrap().contains("network"),
        "{server}"
    );
}

#[test]
fn a_missing_project_fails() {
    let mut env = TestEnv::new(Flavor::DataCenter);
    env.set_env("OPAL_JIRA_PROJECT", "NOPE");
    let (run, report) = doctor(&env);
    assert_eq!(run.code, 1);
    let project = check(&report, "project");
    assert!(
        project["detail"]
            .as_str()
            .unwrap()
            .contains("project NOPE does not exist")
    );
    assert!(
        project["fix"]
            .as_str()
            .unwrap()
            .contains("OPAL_JIRA_PROJECT")
    );
    assert_eq!(check(&report, "modify_reporter")["status"], "skip");
}

#[test]
fn no_configuration_exits_2_and_still_checks_the_database() {
    let mut env = TestEnv::new(Flavor::Cloud);
    env.unset_env("OPAL_JIRA_TOKEN");
    let (run, report) = doctor(&env);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(report["ok"], false);
    let configuration = check(&report, "configuration");
    assert_eq!(configuration["status"], "fail");
    assert!(
        configuration["fix"]
            .as_str()
            .unwrap()
            .contains("opal-jira configure")
    );
    assert_eq!(check(&report, "database")["status"], "pass");
    assert_eq!(check(&report, "keyring")["status"], "fail");
    assert!(
        check(&report, "keyring")["fix"]
            .as_str()
            .unwrap()
            .contains("opal-jira configure")
    );
    assert_eq!(check(&report, "server")["status"], "skip");
}

#[test]
fn an_unusable_database_fails_with_its_fix() {
    let mut env = TestEnv::new(Flavor::Cloud);
    let path = env.path("not-a-db.txt");
    std::fs::write(
        &path,
        "this is not an SQLite database, just some text\n".repeat(20),
    )
    .unwrap();
    env.set_env("OPAL_JIRA_DB", &path.display().to_string());
    let (run, report) = doctor(&env);
    assert_eq!(run.code, 1);
    let database = check(&report, "database");
    assert_eq!(database["status"], "fail");
    assert!(
        database["detail"]
            .as_str()
            .unwrap()
            .contains("is not an opal-jira database")
    );
    assert!(database["fix"].as_str().unwrap().contains("OPAL_JIRA_DB"));
    // Jira is still checked.
    assert_eq!(check(&report, "token")["status"], "pass");
}
