//! `request --create-ticket`: the ticket created for a request, in Jira Software and
//! Jira Service Management projects, on both deployments; and every way it can fail
//! without leaving anything half-recorded.

use serde_json::{Value, json};

use crate::sim::{Flavor, Json};
use crate::support::{ANA, BEN, FLAVORS, PROJECT, TestEnv};

const NOW: &str = "2026-12-03T10:00:00Z";
const CAROL: &str = "carol@contractor.io";

fn setup(env: &mut TestEnv) {
    env.at(NOW);
    env.add_resource("db", &["--max-expire", "1w"]);
}

fn software(flavor: Flavor) -> TestEnv {
    let mut env = TestEnv::new(flavor);
    setup(&mut env);
    env
}

fn jsm(flavor: Flavor) -> TestEnv {
    let mut env = TestEnv::jsm(flavor);
    setup(&mut env);
    env
}

fn request_count(env: &TestEnv) -> usize {
    env.json(&["requests", "list", "--all"])
        .as_array()
        .unwrap()
        .len()
}

/// The Jira calls of the simulator's log, as `METHOD path`.
fn calls(env: &TestEnv) -> Vec<String> {
    env.sim
        .requests()
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r["method"].as_str().unwrap(),
                r["path"].as_str().unwrap()
            )
        })
        .collect()
}

fn posted(env: &TestEnv, path_end: &str) -> Vec<Json> {
    env.sim
        .requests()
        .into_iter()
        .filter(|r| r["method"] == "POST" && r["path"].as_str().unwrap().ends_with(path_end))
        .collect()
}

/// What the description says, from either deployment's shape.
fn description_text(description: &Value) -> String {
    match description {
        Value::String(text) => text.clone(),
        doc => doc["content"]
            .as_array()
            .expect("an ADF document")
            .iter()
            .map(|p| p["content"][0]["text"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// The account id (Cloud) or username (DC) by which Jira knows a user.
fn jira_ref(env: &TestEnv, email: &str) -> String {
    let user = env
        .sim
        .users()
        .into_iter()
        .find(|u| u["email"] == email)
        .expect("the user exists");
    let field = match env.flavor {
        Flavor::Cloud => "account_id",
        Flavor::DataCenter => "name",
    };
    user[field].as_str().unwrap().to_string()
}

#[test]
fn software_ticket_is_assigned_to_and_reported_by_the_requester() {
    for flavor in FLAVORS {
        let env = software(flavor);
        env.sim.clear_requests();
        let request = env.json(&[
            "request",
            "--create-ticket",
            "--expire",
            "8h",
            "--reason",
            "INC-4 debug",
        ]);
        assert_eq!(request["status"], "active");
        let key = request["ticket"]["key"].as_str().unwrap().to_string();
        assert_eq!(
            request["ticket"]["url"],
            format!("{}/browse/{key}", env.sim.url())
        );
        let issue = env.sim.issue(&key);
        assert_eq!(issue["project"], PROJECT);
        assert_eq!(issue["issue_type"], "Task");
        assert_eq!(issue["assignee"], ANA);
        assert_eq!(issue["reporter"], ANA);
        assert_eq!(issue["id"], request["ticket"]["id"]);
        assert_eq!(issue["summary"], format!("Access to db for {ANA}"));
        let description = &issue["description"];
        match flavor {
            Flavor::Cloud => assert_eq!(description["type"], "doc", "ADF on v3"),
            Flavor::DataCenter => assert!(description.is_string(), "a string on v2"),
        }
        let text = description_text(description);
        for part in [
            "Resource: db",
            "Duration: 8h",
            "2026-12-03T18:00:00Z",
            "Reason: INC-4 debug",
        ] {
            assert!(text.contains(part), "{part:?} missing from {text:?}");
        }
        let create = &posted(&env, "/issue")[0];
        assert!(
            create["body"]["fields"].get("reporter").is_none(),
            "a self-request leaves the reporter to Jira (the caller)"
        );
        // Cloud's search lags behind writes: nothing looks for the new ticket.
        assert!(
            !calls(&env).iter().any(|c| c.contains("search")),
            "{:?}",
            calls(&env)
        );
        assert_eq!(
            env.hook_log()[0],
            format!(
                "grant {} db {ANA} {key} env={},db,{ANA},{key}, token=none",
                request["id"], request["id"]
            )
        );
        let events = env.json_lines(&["log", "--request", &request["id"].to_string()]);
        let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(
            kinds,
            ["requested", "ticket_created", "granted", "commented"]
        );
    }
}

#[test]
fn software_ticket_for_someone_else_names_them_as_reporter() {
    for flavor in FLAVORS {
        let env = software(flavor);
        env.run(&["resources", "add", "group", "--revoke", "true"])
            .success();
        let request = env.json(&[
            "request",
            "--resource",
            "group",
            "--create-ticket",
            "--for",
            BEN,
            "--issue-type",
            "Bug",
            "--indefinite",
        ]);
        assert_eq!(request["requester"], BEN);
        assert_eq!(request["requested_by"], ANA);
        assert_eq!(request["expires_at"], Value::Null);
        let issue = env.sim.issue(request["ticket"]["key"].as_str().unwrap());
        assert_eq!(issue["issue_type"], "Bug");
        assert_eq!(
            (&issue["reporter"], &issue["assignee"]),
            (&json!(BEN), &json!(BEN))
        );
        let fields = &posted(&env, "/issue")[0]["body"]["fields"];
        let person = match flavor {
            Flavor::Cloud => json!({"id": jira_ref(&env, BEN)}),
            Flavor::DataCenter => json!({"name": jira_ref(&env, BEN)}),
        };
        assert_eq!(fields["reporter"], person);
        assert_eq!(fields["assignee"], person);
        assert!(description_text(&issue["description"]).contains("until this ticket is closed"));
    }
}

#[test]
fn software_ticket_needs_a_requester_with_an_account() {
    for flavor in FLAVORS {
        let env = software(flavor);
        env.run(&[
            "request",
            "--create-ticket",
            "--for",
            CAROL,
            "--expire",
            "1h",
        ])
        .code(2)
        .stderr_has("has no Jira account")
        .stderr_has("--ticket KEY");
        assert_eq!(request_count(&env), 0);
        assert!(posted(&env, "/issue").is_empty(), "no ticket was created");
    }
}

#[test]
fn software_ticket_without_modify_reporter_fails_cleanly() {
    for flavor in FLAVORS {
        let env = software(flavor);
        env.sim.set_user(ANA, json!({"modify_reporter": false}));
        env.run(&["request", "--create-ticket", "--for", BEN, "--expire", "1h"])
            .code(1)
            .stderr_has("could not create the ticket in project OPS")
            .stderr_has("Field 'reporter' cannot be set")
            .stderr_has("opal-jira doctor");
        assert_eq!(request_count(&env), 0);
        assert!(env.hook_log().is_empty(), "nothing was granted");
    }
}

#[test]
fn flags_that_do_not_go_together_are_usage_errors() {
    let env = software(Flavor::Cloud);
    let (_, key) = env.ticket("t", ANA);
    env.run(&[
        "request",
        "--create-ticket",
        "--ticket",
        &key,
        "--expire",
        "1h",
    ])
    .code(2)
    .stderr_has("cannot be used with");
    env.run(&["request", "--issue-type", "Bug", "--expire", "1h"])
        .code(2)
        .stderr_has("--create-ticket");
    env.run(&["request", "--create-ticket"])
        .code(2)
        .stderr_has("expiry is required");
    // Refused by a rule before any ticket is made.
    env.run(&["request", "--create-ticket", "--expire", "2w"])
        .code(2)
        .stderr_has("at most 1w");
    assert!(posted(&env, "/issue").is_empty());
    assert_eq!(request_count(&env), 0);

    let jsm = jsm(Flavor::Cloud);
    jsm.run(&[
        "request",
        "--create-ticket",
        "--issue-type",
        "Bug",
        "--expire",
        "1h",
    ])
    .code(2)
    .stderr_has("--issue-type does not apply");
    assert_eq!(request_count(&jsm), 0);
}

#[test]
fn a_failed_grant_leaves_a_comment_on_the_new_ticket() {
    for flavor in FLAVORS {
        for env in [software(flavor), jsm(flavor)] {
            env.set_failing("grant", true);
            let run = env.run(&[
                "--output",
                "json",
                "request",
                "--create-ticket",
                "--expire",
                "1h",
            ]);
            assert_eq!(run.code, 1, "{run:?}");
            let request = run.json();
            assert_eq!(request["status"], "failed");
            let key = request["ticket"]["key"].as_str().unwrap();
            let comments = env.sim.comments(key);
            assert_eq!(comments.len(), 1, "{comments:?}");
            let body = comments[0]["body"].to_string();
            assert!(body.contains("could not grant"), "{body}");
            assert!(body.contains("exited with status 3"), "{body}");
            assert!(body.contains("Nothing was granted"), "{body}");
        }
    }
}

#[test]
fn jsm_request_for_oneself_is_raised_in_the_service_desk() {
    for flavor in FLAVORS {
        let env = jsm(flavor);
        env.sim.clear_requests();
        let request = env.json(&[
            "request",
            "--create-ticket",
            "--expire",
            "8h",
            "--reason",
            "audit",
        ]);
        let key = request["ticket"]["key"].as_str().unwrap().to_string();
        let portal = env.sim.project(PROJECT)["desk"]["portal_id"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(
            request["ticket"]["url"],
            format!(
                "{}/servicedesk/customer/portal/{portal}/{key}",
                env.sim.url()
            )
        );
        let issue = env.sim.issue(&key);
        assert_eq!(issue["request_type"], "Access Change - Opal");
        assert_eq!(issue["issue_type"], "Service Request - Opal");
        assert_eq!(issue["reporter"], ANA);
        let text = description_text(&issue["description"]);
        assert!(
            text.contains("Resource: db") && text.contains("Reason: audit"),
            "{text}"
        );

        let raised = posted(&env, "/rest/servicedeskapi/request");
        assert_eq!(raised.len(), 1);
        assert!(raised[0]["body"].get("raiseOnBehalfOf").is_none());
        assert!(
            posted(&env, "/issue").is_empty(),
            "not through the platform API"
        );
        let all = env.sim.requests();
        for call in all.iter().filter(|r| {
            r["path"]
                .as_str()
                .unwrap()
                .starts_with("/rest/servicedeskapi/")
        }) {
            assert_eq!(call["experimental_api"], "opt-in", "{call}");
        }
        assert!(!calls(&env).iter().any(|c| c.contains("search")));
    }
}

#[test]
fn jsm_request_for_a_colleague_is_raised_on_their_behalf() {
    for flavor in FLAVORS {
        let env = jsm(flavor);
        let request = env.json(&["request", "--create-ticket", "--for", BEN, "--expire", "1h"]);
        let issue = env.sim.issue(request["ticket"]["key"].as_str().unwrap());
        assert_eq!(issue["reporter"], BEN, "the requester reports it");
        let raised = &posted(&env, "/rest/servicedeskapi/request")[0];
        assert_eq!(raised["body"]["raiseOnBehalfOf"], jira_ref(&env, BEN));
        assert!(
            posted(&env, "/rest/servicedeskapi/customer").is_empty(),
            "no new account"
        );
        // An existing account is made a customer of this desk before the request is
        // raised, in case it belongs to other desks only.
        let added = posted(&env, "/customer");
        assert_eq!(added.len(), 1, "{added:?}");
        let field = match flavor {
            Flavor::Cloud => "accountIds",
            Flavor::DataCenter => "usernames",
        };
        assert_eq!(added[0]["body"][field], json!([jira_ref(&env, BEN)]));
        let order = calls(&env);
        let add_at = order.iter().position(|c| c.ends_with("/customer")).unwrap();
        let raise_at = order
            .iter()
            .position(|c| c == "POST /rest/servicedeskapi/request")
            .unwrap();
        assert!(add_at < raise_at, "{order:?}");
    }
}

#[test]
fn jsm_request_for_someone_without_an_account_creates_a_customer() {
    for flavor in FLAVORS {
        let env = jsm(flavor);
        env.sim.set_user(ANA, json!({"administer": true}));
        let run = env.run(&[
            "--output",
            "json",
            "request",
            "--create-ticket",
            "--for",
            CAROL,
            "--expire",
            "1h",
        ]);
        let run = run
            .success()
            .stderr_has("customer account for carol@contractor.io");
        let request = run.json();
        assert_eq!(request["requester"], CAROL);
        let carol = env
            .sim
            .users()
            .into_iter()
            .find(|u| u["email"] == CAROL)
            .expect("a customer account was created");
        assert_eq!(carol["customer"], true);
        assert_eq!(env.sim.desk_customers(PROJECT), [CAROL]);
        let issue = env.sim.issue(request["ticket"]["key"].as_str().unwrap());
        assert_eq!(issue["reporter"], CAROL);

        let created = &posted(&env, "/rest/servicedeskapi/customer")[0]["body"];
        match flavor {
            Flavor::Cloud => {
                assert_eq!(created["displayName"], CAROL);
                assert!(created.get("fullName").is_none());
            }
            Flavor::DataCenter => {
                assert_eq!(created["fullName"], CAROL);
                assert!(created.get("displayName").is_none());
            }
        }
        let added = &posted(&env, "/customer")
            .into_iter()
            .find(|r| r["path"].as_str().unwrap().contains("/servicedesk/"))
            .expect("added to the desk")["body"];
        let member = match flavor {
            Flavor::Cloud => json!({"accountIds": [jira_ref(&env, CAROL)]}),
            Flavor::DataCenter => json!({"usernames": [jira_ref(&env, CAROL)]}),
        };
        assert_eq!(added, &member);

        // The next request finds the account instead of creating another.
        env.sim.clear_requests();
        env.json(&[
            "request",
            "--create-ticket",
            "--for",
            CAROL,
            "--expire",
            "1h",
        ]);
        assert!(
            posted(&env, "/rest/servicedeskapi/customer").is_empty(),
            "{:?}",
            calls(&env)
        );
        assert_eq!(env.sim.desk_customers(PROJECT), [CAROL]);
    }
}

#[test]
fn jsm_customer_creation_says_which_permission_or_setting_is_missing() {
    for flavor in FLAVORS {
        let env = jsm(flavor);
        env.run(&[
            "request",
            "--create-ticket",
            "--for",
            CAROL,
            "--expire",
            "1h",
        ])
        .code(1)
        .stderr_has(
            "cannot create a Jira Service Management customer account for carol@contractor.io",
        )
        .stderr_has("`Administer Jira` (ADMINISTER)")
        .stderr_has("Global permissions");

        env.sim.set_user(ANA, json!({"administer": true}));
        env.sim.set_config(json!({"customer_signup": false}));
        let setting = match flavor {
            Flavor::Cloud => "Customer access",
            Flavor::DataCenter => "Public signup",
        };
        env.run(&[
            "request",
            "--create-ticket",
            "--for",
            CAROL,
            "--expire",
            "1h",
        ])
        .code(1)
        .stderr_has("customer signup is turned off")
        .stderr_has(setting);

        assert_eq!(request_count(&env), 0, "nothing was recorded");
        assert!(
            posted(&env, "/rest/servicedeskapi/request").is_empty(),
            "no ticket"
        );
        assert!(env.hook_log().is_empty());
    }
}

#[test]
fn jsm_setup_problems_stop_before_anything_is_recorded() {
    for flavor in FLAVORS {
        let env = jsm(flavor);
        env.sim.break_setup(PROJECT, "no_request_type");
        env.run(&["request", "--create-ticket", "--expire", "1h"])
            .code(1)
            .stderr_has("has no request type `Access Change - Opal`")
            .stderr_has("opal-jira doctor");

        let env = jsm(flavor);
        env.sim.break_setup(PROJECT, "no_reporter_field");
        env.run(&["request", "--create-ticket", "--for", BEN, "--expire", "1h"])
            .code(1)
            .stderr_has("could not create the ticket in project OPS")
            .stderr_has("Field 'reporter' cannot be set");
        assert_eq!(request_count(&env), 0);
        assert!(env.hook_log().is_empty());
    }
}
