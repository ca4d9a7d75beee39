//! `opal-jira tickets search|show`.

use serde_json::{Value, json};

use crate::sim::Flavor;
use crate::support::{ANA, BEN, FLAVORS, PROJECT, TestEnv};

fn keys(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|t| t["key"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn search_lists_my_open_tickets_most_recent_first() {
    for flavor in FLAVORS {
        let env = TestEnv::new(flavor);
        let (_, first) = env.ticket("Disk full on db-3", ANA);
        let (_, second) = env.sim.add_issue(PROJECT, "Rotate keys", "new", Some(ANA));
        let (_, done) = env
            .sim
            .add_issue(PROJECT, "Old disk thing", "done", Some(ANA));
        env.ticket("Ben's", BEN);
        env.sim
            .add_issue("OTHER", "Other project disk", "new", Some(ANA));
        env.sim
            .update_issue(&first, json!({"summary": "Disk full on db-3!"}));

        let list = env.json(&["tickets", "search"]);
        assert_eq!(keys(&list), [first.clone(), second.clone()]);
        let ticket = &list[0];
        assert_eq!(ticket["summary"], "Disk full on db-3!");
        assert_eq!(ticket["status_category"], "indeterminate");
        assert_eq!(ticket["assignee"], "Ana Lima");
        assert_eq!(ticket["url"], format!("{}/browse/{first}", env.sim.url()));
        assert!(ticket["id"].as_str().unwrap().parse::<u64>().is_ok());
        assert!(ticket["updated"].as_str().unwrap().ends_with('Z'));
        assert_eq!(
            ticket.as_object().unwrap().keys().collect::<Vec<_>>(),
            [
                "assignee",
                "id",
                "key",
                "status",
                "status_category",
                "summary",
                "updated",
                "url"
            ]
        );

        let all = env.json(&["tickets", "search", "--all-statuses"]);
        assert!(keys(&all).contains(&done));
        let disk = env.json(&["tickets", "search", "disk", "--all-statuses"]);
        let mut disk_keys = keys(&disk);
        disk_keys.sort();
        let mut expected = vec![first.clone(), done.clone()];
        expected.sort();
        assert_eq!(disk_keys, expected);
        assert_eq!(
            keys(&env.json(&["tickets", "search", "--limit", "1"])),
            [first.as_str()]
        );
    }
}

#[test]
fn search_pages_through_many_tickets() {
    for flavor in FLAVORS {
        let env = TestEnv::new(flavor);
        env.sim.set_config(json!({"search_page_cap": 7}));
        for n in 0..30 {
            env.ticket(&format!("ticket {n}"), ANA);
        }
        // The first search from an environment connection learns the project's kind
        // (for the links), once.
        env.json(&["tickets", "search", "--limit", "1"]);
        env.sim.clear_requests();
        let list = env.json(&["tickets", "search", "--limit", "25"]);
        assert_eq!(list.as_array().unwrap().len(), 25);
        let searches = env
            .sim
            .requests()
            .iter()
            .filter(|r| r["path"].as_str().unwrap().contains("search"))
            .count();
        assert_eq!(searches, 4, "25 tickets at 7 a page take 4 pages");
        let paths: Vec<String> = env
            .sim
            .requests()
            .iter()
            .map(|r| r["path"].as_str().unwrap().to_string())
            .collect();
        let expected = match flavor {
            Flavor::Cloud => "/rest/api/3/search/jql",
            Flavor::DataCenter => "/rest/api/2/search",
        };
        assert!(paths.iter().all(|path| path == expected), "{paths:?}");
    }
}

#[test]
fn search_escapes_the_text_and_project() {
    let mut env = TestEnv::new(Flavor::DataCenter);
    // INT is a JQL reserved word: it only works quoted.
    env.sim.add_project("INT", "software");
    env.set_env("OPAL_JIRA_PROJECT", "INT");
    let (_, int_key) = env
        .sim
        .add_issue("INT", "quote \" and backslash \\ here", "new", Some(ANA));
    env.ticket("an OPS ticket here", ANA);
    assert_eq!(
        keys(&env.json(&["tickets", "search", "backslash\""])),
        [int_key.as_str()]
    );
    // Text that looks like JQL stays text: it cannot widen the query to OPS.
    let injected = env.json(&["tickets", "search", "here\" OR project = \"OPS"]);
    assert!(
        !keys(&injected).iter().any(|key| key.starts_with("OPS-")),
        "{injected}"
    );
}

#[test]
fn show_one_ticket_and_bad_keys() {
    for flavor in FLAVORS {
        let env = TestEnv::new(flavor);
        let (id, key) = env.ticket("Disk full", ANA);
        let ticket = env.json(&["tickets", "show", &key]);
        assert_eq!(ticket["id"], id.as_str());
        assert_eq!(ticket["status"], "In Progress");
        let table = env.run(&["tickets", "show", &key]).success();
        assert!(table.stdout.contains("Disk full"), "{table:?}");
        env.run(&["tickets", "show", "OPS-999"])
            .code(1)
            .stderr_has("does not exist");
        for bad in [
            "",
            "OPS",
            "OPS-",
            "OPS-0",
            "OPS-01",
            "OPS-1 OR 1=1",
            "OPS-1\"",
            "ÖPS-1",
        ] {
            env.run(&["tickets", "show", bad])
                .code(2)
                .stderr_has("is not a Jira ticket key");
        }
    }
}

#[test]
fn cloud_never_uses_the_removed_search_endpoint() {
    let env = TestEnv::new(Flavor::Cloud);
    env.ticket("t", ANA);
    env.json(&["tickets", "search"]);
    let requests = env.sim.requests();
    assert!(!requests.is_empty());
    for request in requests {
        let path = request["path"].as_str().unwrap();
        assert!(!path.ends_with("/search"), "{path}");
        assert_eq!(request["auth"], format!("basic:{ANA}"));
    }
}

#[test]
fn data_center_uses_a_bearer_token() {
    let env = TestEnv::new(Flavor::DataCenter);
    env.json(&["tickets", "search"]);
    for request in env.sim.requests() {
        assert_eq!(request["auth"], format!("bearer:{ANA}"), "{request}");
    }
}

#[test]
fn a_rate_limit_is_waited_out_and_logged() {
    for flavor in FLAVORS {
        let env = TestEnv::new(flavor);
        env.ticket("t", ANA);
        env.sim.add_fault(
            json!({"path_prefix": "/rest/api", "status": 429, "headers": {"Retry-After": "1"}}),
        );
        let run = env
            .run(&["--output", "json", "tickets", "search"])
            .success();
        assert_eq!(run.json().as_array().unwrap().len(), 1);
        assert!(
            run.stderr.contains("Jira answered 429") && run.stderr.contains("retrying in 1.0 s"),
            "{run:?}"
        );
        let calls: Vec<_> = env
            .sim
            .requests()
            .into_iter()
            .filter(|call| call["path"].as_str().unwrap().contains("/search"))
            .collect();
        assert_eq!(calls.len(), 2, "{calls:?}");
        assert_eq!(calls[0]["status"], 429);
        let waited = calls[1]["at_ms"].as_u64().unwrap() - calls[0]["at_ms"].as_u64().unwrap();
        assert!(waited >= 1_000, "Retry-After honoured: waited {waited} ms");
    }
}
