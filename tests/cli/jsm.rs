//! Jira Service Management projects: requester-facing portal links in every command,
//! and how the project's kind is learned (once) and remembered.

use serde_json::Value;

use crate::sim::{Flavor, Json};
use crate::support::{ANA, ANA_TOKEN, FLAVORS, PROJECT, TestEnv};

/// The customer portal link of a ticket in OPS, from the simulator's own portal id.
fn portal_url(env: &TestEnv, key: &str) -> String {
    let project = env.sim.project(PROJECT);
    let portal = project["desk"]["portal_id"]
        .as_str()
        .expect("OPS has a desk");
    assert_ne!(
        Some(portal),
        project["desk"]["id"].as_str(),
        "the portal id differs from the desk id, so mixing them up shows"
    );
    format!(
        "{}/servicedesk/customer/portal/{portal}/{key}",
        env.sim.url()
    )
}

fn paths(requests: &[Json]) -> Vec<String> {
    requests
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_command_shows_the_portal_link() {
    for flavor in FLAVORS {
        let env = TestEnv::jsm(flavor);
        env.add_resource("db", &[]);
        let (id, key) = env.ticket("VPN access for the audit", ANA);
        let (_, second) = env.ticket("Database console", ANA);
        let url = portal_url(&env, &key);

        let search = env.json(&["tickets", "search"]);
        let found = search
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["key"] == key.as_str())
            .expect("the ticket is found");
        assert_eq!(found["url"], url.as_str(), "{flavor:?}");
        assert_eq!(found["id"], id.as_str());

        let shown = env.json(&["tickets", "show", &key]);
        assert_eq!(shown["url"], url.as_str());
        let table = env.run(&["tickets", "show", &key]).success();
        assert!(table.stdout.contains(&url), "{table:?}");

        let request = env.json(&["request", "--ticket", &key, "--expire", "1h"]);
        assert_eq!(request["ticket"]["url"], url.as_str());
        let request_id = request["id"].to_string();
        assert_eq!(
            env.json(&["requests", "show", &request_id])["ticket"]["url"],
            url.as_str()
        );
        assert_eq!(
            env.json(&["requests", "list"])[0]["ticket"]["url"],
            url.as_str()
        );

        let unbound = env.json(&["request", "--expire", "1h"])["id"].to_string();
        let bound = env.json(&["requests", "bind", &unbound, "--ticket", &second]);
        assert_eq!(bound["ticket"]["url"], portal_url(&env, &second).as_str());

        // Never the agent view.
        for output in [search.to_string(), shown.to_string(), bound.to_string()] {
            assert!(!output.contains("/browse/"), "{output}");
        }
    }
}

#[test]
fn one_ticket_links_to_its_requests_own_portal_page() {
    for flavor in FLAVORS {
        let env = TestEnv::jsm(flavor);
        let (id, key) = env.ticket("t", ANA);
        env.json(&["tickets", "show", &key]);
        env.sim.clear_requests();
        env.json(&["tickets", "show", &key]);
        let requests = env.sim.requests();
        let lookups: Vec<&Json> = requests
            .iter()
            .filter(|r| {
                r["path"]
                    .as_str()
                    .unwrap()
                    .starts_with("/rest/servicedeskapi/")
            })
            .collect();
        assert_eq!(lookups.len(), 1, "{:?}", paths(&requests));
        assert_eq!(
            lookups[0]["path"],
            format!("/rest/servicedeskapi/request/{id}")
        );
        assert_eq!(lookups[0]["experimental_api"], "opt-in");
    }
}

#[test]
fn search_builds_links_without_a_request_per_ticket() {
    for flavor in FLAVORS {
        let env = TestEnv::jsm(flavor);
        env.sim.add_issues(PROJECT, 12, Some(ANA));
        let first = env.json(&["tickets", "search"]);
        assert_eq!(first.as_array().unwrap().len(), 12);
        for ticket in first.as_array().unwrap() {
            let key = ticket["key"].as_str().unwrap();
            assert_eq!(ticket["url"], portal_url(&env, key).as_str());
        }
        let learned = paths(&env.sim.requests());
        assert!(
            !learned
                .iter()
                .any(|p| p.starts_with("/rest/servicedeskapi/request")),
            "no request per ticket: {learned:?}"
        );
        assert!(
            learned.iter().any(|p| p.ends_with("/requesttype")),
            "the portal id comes from the desk's request types: {learned:?}"
        );

        env.sim.clear_requests();
        let again = env.json(&["tickets", "search"]);
        assert_eq!(again, first);
        let searched = paths(&env.sim.requests());
        assert!(
            searched.iter().all(|p| p.contains("/search")),
            "the kind and portal are remembered: {searched:?}"
        );
    }
}

#[test]
fn a_software_project_beside_keeps_browse_links() {
    for flavor in FLAVORS {
        let env = TestEnv::jsm(flavor);
        let (_, other) = env.sim.add_issue("OTHER", "elsewhere", "new", Some(ANA));
        let shown = env.json(&["tickets", "show", &other]);
        assert_eq!(shown["url"], format!("{}/browse/{other}", env.sim.url()));
    }
}

#[test]
fn the_project_kind_is_learned_once_from_the_environment() {
    let env = TestEnv::jsm(Flavor::Cloud);
    let (_, key) = env.ticket("t", ANA);
    env.json(&["tickets", "show", &key]);
    let first = paths(&env.sim.requests());
    assert!(
        first.contains(&"/rest/api/3/project/OPS".to_string()),
        "{first:?}"
    );
    assert!(first.contains(&"/rest/servicedeskapi/servicedesk".to_string()));

    env.sim.clear_requests();
    env.json(&["tickets", "show", &key]);
    env.json(&["tickets", "search"]);
    let later = paths(&env.sim.requests());
    assert!(
        !later
            .iter()
            .any(|p| p.contains("/project/") || p.ends_with("/servicedesk")),
        "remembered in the database: {later:?}"
    );

    // A different database has to learn it again: the memory is per database.
    let mut fresh = env;
    fresh.set_env(
        "OPAL_JIRA_DB",
        &fresh.path("other/opal-jira.db").display().to_string(),
    );
    fresh.sim.clear_requests();
    fresh.json(&["tickets", "show", &key]);
    assert!(paths(&fresh.sim.requests()).contains(&"/rest/api/3/project/OPS".to_string()));
}

#[test]
fn a_saved_profile_knows_its_project_kind_and_doctor_refreshes_it() {
    for flavor in FLAVORS {
        let mut env = TestEnv::jsm(flavor);
        for name in [
            "OPAL_JIRA_TOKEN",
            "OPAL_JIRA_DEPLOYMENT",
            "OPAL_JIRA_URL",
            "OPAL_JIRA_PROJECT",
            "OPAL_JIRA_EMAIL",
        ] {
            env.unset_env(name);
        }
        let mut args = vec![
            "configure",
            "--deployment",
            env.deployment(),
            "--url",
            env.sim.url(),
            "--project",
            PROJECT,
            "--token-stdin",
            "--no-verify",
        ];
        if flavor == Flavor::Cloud {
            args.extend(["--email", ANA]);
        }
        env.run_stdin(&args, ANA_TOKEN).success();
        assert_eq!(
            env.json(&["configure", "show"])["project_type"],
            Value::Null,
            "--no-verify learned nothing"
        );

        env.sim
            .set_user(ANA, serde_json::json!({"administer": true}));
        env.run(&["doctor"]).success();
        assert_eq!(
            env.json(&["configure", "show"])["project_type"],
            "service_desk"
        );

        // configure (verified) records the kind too.
        let verified: Vec<&str> = args
            .iter()
            .copied()
            .filter(|a| *a != "--no-verify")
            .collect();
        env.run_stdin(&verified, ANA_TOKEN).success();
        assert_eq!(
            env.json(&["configure", "show"])["project_type"],
            "service_desk"
        );
    }
}

#[test]
fn a_ticket_moved_to_another_service_desk_gets_that_portals_link() {
    for flavor in FLAVORS {
        let env = TestEnv::jsm(flavor);
        env.sim.add_project("HELP", "service_desk");
        env.add_resource("db", &[]);
        let (id, key) = env.ticket("t", ANA);
        let request = env.json(&["request", "--ticket", &key, "--indefinite"]);
        assert_eq!(request["ticket"]["url"], portal_url(&env, &key).as_str());

        let moved = env.sim.move_issue(&id, "HELP");
        env.run(&["reconcile"]).success();
        let shown = env.json(&["requests", "show", &request["id"].to_string()]);
        let help = env.sim.project("HELP");
        let portal = help["desk"]["portal_id"].as_str().unwrap();
        assert_ne!(portal, env.sim.project(PROJECT)["desk"]["portal_id"]);
        assert_eq!(shown["ticket"]["key"], moved.as_str());
        assert_eq!(
            shown["ticket"]["url"],
            format!(
                "{}/servicedesk/customer/portal/{portal}/{moved}",
                env.sim.url()
            )
        );
    }
}
