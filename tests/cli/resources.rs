//! `opal-jira resources add|list|remove`.

use crate::sim::Flavor;
use crate::support::TestEnv;

#[test]
fn add_list_remove() {
    let env = TestEnv::new(Flavor::Cloud);
    env.add_resource(
        "prod-db",
        &["--description", "Production database", "--max-expire", "8h"],
    );
    env.run(&["resources", "add", "bastion", "--revoke", "true"])
        .success();

    let list = env.json(&["resources", "list"]);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["bastion", "prod-db"]);
    assert_eq!(list[1]["max_expire_seconds"], 28_800);
    assert_eq!(list[1]["description"], "Production database");
    assert_eq!(list[0]["grant"], serde_json::Value::Null);

    let table = env.run(&["resources", "list"]).success();
    assert!(table.stdout.starts_with("NAME\tMAX"), "{table:?}");
    assert!(
        table.stdout.contains("prod-db\t8h\tProduction database"),
        "{table:?}"
    );

    env.run(&["resources", "remove", "bastion"]).success();
    let list = env.json(&["resources", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[test]
fn bad_input_is_refused_and_nothing_is_stored() {
    let env = TestEnv::new(Flavor::Cloud);
    let cases: &[(&[&str], &str)] = &[
        (&["resources", "add", "db", "--revoke", ""], "empty"),
        (
            &["resources", "add", "db", "--revoke", "revoke 'unclosed"],
            "missing closing quote",
        ),
        (
            &["resources", "add", "db", "--revoke", "revoke {nope}"],
            "unknown placeholder `{nope}` in the revoke command",
        ),
        (
            &[
                "resources",
                "add",
                "db",
                "--revoke",
                "true",
                "--grant",
                "grant {reason}",
            ],
            "reason",
        ),
        (
            &["resources", "add", "has space", "--revoke", "true"],
            "invalid resource name",
        ),
        (
            &[
                "resources",
                "add",
                "db",
                "--revoke",
                "true",
                "--max-expire",
                "0s",
            ],
            "longer than zero",
        ),
        (
            &[
                "resources",
                "add",
                "db",
                "--revoke",
                "true",
                "--max-expire",
                "1.5h",
            ],
            "whole numbers",
        ),
        (&["resources", "add", "db"], "--revoke"),
    ];
    for (args, message) in cases {
        env.run(args).code(2).stderr_has(message);
    }
    assert_eq!(env.json(&["resources", "list"]), serde_json::json!([]));
}

#[test]
fn duplicate_and_unknown_names() {
    let env = TestEnv::new(Flavor::Cloud);
    env.run(&["resources", "add", "db", "--revoke", "true"])
        .success();
    env.run(&["resources", "add", "db", "--revoke", "true"])
        .code(2)
        .stderr_has("db");
    env.run(&["resources", "remove", "nope"])
        .code(2)
        .stderr_has("nope");
}

#[test]
fn a_resource_with_active_requests_cannot_be_removed() {
    let env = TestEnv::new(Flavor::Cloud);
    env.add_resource("db", &[]);
    env.run(&["request", "--resource", "db", "--expire", "1h"])
        .success();
    env.run(&["resources", "remove", "db"])
        .code(2)
        .stderr_has("active");
    assert_eq!(
        env.json(&["resources", "list"]).as_array().unwrap().len(),
        1
    );
}

#[test]
fn tables_fit_the_terminal() {
    use crate::pty::Pty;
    let env = TestEnv::new(Flavor::Cloud);
    env.run(&[
        "resources",
        "add",
        "long-one",
        "--revoke",
        "/usr/local/sbin/a-very-long-revoke-command --with many --flags {requester}",
        "--description",
        "A description long enough to need wrapping on a narrow terminal",
    ])
    .success();
    for columns in [50u16, 120] {
        let mut pty = Pty::spawn_sized(env.command(&["resources", "list"]), columns);
        assert_eq!(pty.wait(), 0, "{}", pty.screen);
        let widest = pty
            .screen
            .lines()
            .map(|line| line.chars().count())
            .max()
            .unwrap_or(0);
        assert!(
            widest <= usize::from(columns),
            "{widest} > {columns}:\n{}",
            pty.screen
        );
        assert!(pty.screen.contains("long-one"), "{}", pty.screen);
    }
}
