//! Integration tests of `opal-jira-sim` over HTTP, for both flavours: authentication,
//! searching and paging, issue lookups under moves, deletes and permission changes, fault
//! injection, the request log and latency.

#[path = "support/sim.rs"]
mod sim;

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::blocking::Client;
use serde_json::json;
use sim::{Flavor, Json, Sim};

const ANN: &str = "ann@example.com";
const ANN_TOKEN: &str = "ann-token-0123456789";
const BOB: &str = "bob@example.com";
const BOB_TOKEN: &str = "bob-token-9876543210";

/// Credentials for one request.
#[derive(Clone, Copy)]
enum Auth<'a> {
    None,
    Basic(&'a str, &'a str),
    Bearer(&'a str),
}

/// What came back.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    text: String,
}

impl Answer {
    fn json(&self) -> Json {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

fn client() -> Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a plain HTTP client builds")
}

fn send(
    client: &Client,
    sim: &Sim,
    method: &str,
    path: &str,
    auth: Auth,
    body: Option<Json>,
) -> Result<Answer, reqwest::Error> {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("valid method");
    let mut request = client.request(method, format!("{}{path}", sim.url()));
    request = match auth {
        Auth::None => request,
        Auth::Basic(user, password) => request.basic_auth(user, Some(password)),
        Auth::Bearer(token) => request.bearer_auth(token),
    };
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send()?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text()?;
    Ok(Answer {
        status,
        headers,
        text,
    })
}

fn call(sim: &Sim, method: &str, path: &str, auth: Auth, body: Option<Json>) -> Answer {
    send(&client(), sim, method, path, auth, body).expect("the simulator answers")
}

fn cloud_site() -> Sim {
    let sim = Sim::start(Flavor::Cloud);
    sim.add_user(ANN, "Ann Lee", ANN_TOKEN);
    sim.add_user(BOB, "Bob Roy", BOB_TOKEN);
    sim.add_project("ABC", "software");
    sim.add_project("XYZ", "service_desk");
    sim
}

fn dc_site() -> Sim {
    let sim = Sim::start(Flavor::DataCenter);
    sim.add_user(ANN, "Ann Lee", ANN_TOKEN);
    sim.add_user(BOB, "Bob Roy", BOB_TOKEN);
    sim.add_project("ABC", "software");
    sim.add_project("XYZ", "software");
    sim
}

const ANN_BASIC: Auth = Auth::Basic(ANN, ANN_TOKEN);
const ANN_BEARER: Auth = Auth::Bearer(ANN_TOKEN);

fn jql_page(sim: &Sim, body: Json) -> Answer {
    call(sim, "POST", "/rest/api/3/search/jql", ANN_BASIC, Some(body))
}

fn keys_of(page: &Json) -> Vec<String> {
    page["issues"]
        .as_array()
        .expect("issues is a list")
        .iter()
        .map(|i| i["key"].as_str().expect("issue has a key").to_string())
        .collect()
}

// ---- authentication ----

#[test]
fn cloud_basic_auth_identifies_the_user() {
    let sim = cloud_site();
    let me = call(&sim, "GET", "/rest/api/3/myself", ANN_BASIC, None);
    assert_eq!(me.status, 200);
    let body = me.json();
    assert_eq!(body["emailAddress"], ANN);
    assert_eq!(body["accountType"], "atlassian");
    let account = body["accountId"].as_str().unwrap();
    assert_eq!(me.header("X-AACCOUNTID"), Some(account));
    assert_eq!(me.header("X-Seraph-LoginReason"), Some("OK"));
    assert_eq!(me.header("X-AUSERNAME"), None);
}

#[test]
fn cloud_rejects_bad_missing_and_bearer_credentials() {
    let sim = cloud_site();
    let attempts = [
        Auth::Basic(ANN, "wrong"),
        Auth::None,
        Auth::Bearer(ANN_TOKEN),
    ];
    for auth in attempts {
        let me = call(&sim, "GET", "/rest/api/3/myself", auth, None);
        assert_eq!(me.status, 401);
        assert_eq!(
            me.header("X-Seraph-LoginReason"),
            Some("AUTHENTICATED_FAILED")
        );
    }
}

#[test]
fn server_info_answers_bad_credentials_but_flags_them() {
    let sim = cloud_site();
    let info = call(
        &sim,
        "GET",
        "/rest/api/2/serverInfo",
        Auth::Basic(ANN, "wrong"),
        None,
    );
    assert_eq!(info.status, 200);
    assert_eq!(
        info.header("X-Seraph-LoginReason"),
        Some("AUTHENTICATED_FAILED")
    );
    assert_eq!(info.json()["deploymentType"], "Cloud");
    assert_eq!(info.json()["versionNumbers"], json!([1001, 0, 0]));
    let time = info.json()["serverTime"].as_str().unwrap().to_string();
    assert!(time.ends_with("+0000") && time.len() == 28, "{time}");

    let good = call(&sim, "GET", "/rest/api/3/serverInfo", ANN_BASIC, None);
    assert_eq!(good.header("X-Seraph-LoginReason"), Some("OK"));
}

#[test]
fn datacenter_takes_bearer_pats_and_refuses_them_as_basic_passwords() {
    let sim = dc_site();
    let me = call(&sim, "GET", "/rest/api/2/myself", ANN_BEARER, None);
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["name"], "ann");
    assert!(me.json()["key"].as_str().unwrap().starts_with("JIRAUSER"));
    assert_eq!(me.json()["deleted"], false);
    assert_eq!(me.header("X-AUSERNAME"), Some("ann"));

    let basic = call(
        &sim,
        "GET",
        "/rest/api/2/myself",
        Auth::Basic("ann", ANN_TOKEN),
        None,
    );
    assert_eq!(basic.status, 401);
    assert!(
        basic
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(basic.text.contains("Unauthorized (401)"));
    assert_eq!(
        basic.header("X-Seraph-LoginReason"),
        Some("AUTHENTICATED_FAILED")
    );
    assert_eq!(basic.header("X-AUSERNAME"), Some("anonymous"));
}

#[test]
fn datacenter_server_info_says_server_and_reports_the_configured_version() {
    let sim = dc_site();
    let info = call(&sim, "GET", "/rest/api/2/serverInfo", Auth::None, None).json();
    assert_eq!(info["deploymentType"], "Server");
    assert_eq!(info["version"], "10.3.13");
    sim.set_config(json!({"dc_version": [9, 12, 28], "server_time_offset_secs": -7200}));
    let info = call(&sim, "GET", "/rest/api/2/serverInfo", Auth::None, None).json();
    assert_eq!(info["versionNumbers"], json!([9, 12, 28]));
    let server_time = chrono::DateTime::parse_from_str(
        info["serverTime"].as_str().unwrap(),
        "%Y-%m-%dT%H:%M:%S%.3f%z",
    )
    .unwrap();
    let skew = chrono::Utc::now()
        .signed_duration_since(server_time)
        .num_seconds();
    assert!((7190..7210).contains(&skew), "{skew}");
}

#[test]
fn datacenter_has_no_v3_search_jql_or_bulkfetch() {
    let sim = dc_site();
    for (method, path) in [
        ("GET", "/rest/api/3/myself"),
        ("GET", "/rest/api/2/search/jql?jql=project%3DABC"),
        ("POST", "/rest/api/2/issue/bulkfetch"),
    ] {
        let body = (method == "POST").then(|| json!({"issueIdsOrKeys": ["ABC-1"]}));
        let answer = call(&sim, method, path, ANN_BEARER, body);
        assert_eq!(answer.status, 404, "{path}");
        assert!(answer.json()["errorMessages"].is_array());
    }
}

// ---- searching ----

#[test]
fn cloud_old_search_endpoints_are_gone() {
    let sim = cloud_site();
    for version in [2, 3] {
        let path = format!("/rest/api/{version}/search");
        let get = call(
            &sim,
            "GET",
            &format!("{path}?jql=project%3DABC"),
            ANN_BASIC,
            None,
        );
        let post = call(
            &sim,
            "POST",
            &path,
            ANN_BASIC,
            Some(json!({"jql": "project = ABC"})),
        );
        for answer in [get, post] {
            assert_eq!(answer.status, 410);
            let message = answer.json()["errorMessages"][0]
                .as_str()
                .unwrap()
                .to_string();
            assert!(message.contains("CHANGE-2046") && message.contains("/search/jql"));
        }
    }
}

#[test]
fn cloud_search_jql_pages_with_tokens_until_is_last() {
    let sim = cloud_site();
    sim.add_issues("ABC", 120, Some(ANN));
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut sizes = Vec::new();
    loop {
        let mut body = json!({"jql": "project = ABC ORDER BY key ASC", "maxResults": 50, "fields": ["summary"]});
        if let Some(t) = &token {
            body["nextPageToken"] = json!(t);
        }
        let page = jql_page(&sim, body).json();
        sizes.push(page["issues"].as_array().unwrap().len());
        seen.extend(keys_of(&page));
        if page["isLast"] == json!(true) {
            assert!(
                page.get("nextPageToken").is_none(),
                "last page must not carry a token"
            );
            break;
        }
        token = Some(
            page["nextPageToken"]
                .as_str()
                .expect("a token until the end")
                .to_string(),
        );
    }
    assert_eq!(sizes, vec![50, 50, 20]);
    let expected: Vec<String> = (1..=120).map(|n| format!("ABC-{n}")).collect();
    assert_eq!(seen, expected);
}

#[test]
fn cloud_search_jql_caps_pages_and_defaults_to_ids_only() {
    let sim = cloud_site();
    sim.add_issues("ABC", 120, None);
    let wide = jql_page(
        &sim,
        json!({"jql": "project = ABC", "maxResults": 1000, "fields": ["summary"]}),
    );
    assert_eq!(wide.json()["issues"].as_array().unwrap().len(), 100);
    assert_eq!(wide.json()["isLast"], false);

    let ids = jql_page(
        &sim,
        json!({"jql": "project = ABC", "maxResults": 1000, "fields": ["id", "key"]}),
    );
    assert_eq!(ids.json()["issues"].as_array().unwrap().len(), 120);

    sim.set_config(json!({"search_page_cap": 7}));
    let capped = jql_page(
        &sim,
        json!({"jql": "project = ABC", "maxResults": 50, "fields": ["summary"]}),
    );
    assert_eq!(capped.json()["issues"].as_array().unwrap().len(), 7);

    let bare = call(
        &sim,
        "GET",
        "/rest/api/3/search/jql?jql=project%3DABC&maxResults=2",
        ANN_BASIC,
        None,
    );
    let issue = &bare.json()["issues"][0];
    assert_eq!(
        issue.as_object().unwrap().keys().collect::<Vec<_>>(),
        vec!["id"]
    );
}

#[test]
fn cloud_search_jql_returns_requested_fields_in_jira_shapes() {
    let sim = cloud_site();
    let (id, key) = sim.add_issue("ABC", "Grant db access", "done", Some(ANN));
    let query = "jql=key%3DABC-1&fields=summary,status,assignee,resolution,project,updated";
    let page = call(
        &sim,
        "GET",
        &format!("/rest/api/3/search/jql?{query}"),
        ANN_BASIC,
        None,
    )
    .json();
    let issue = &page["issues"][0];
    assert_eq!(
        (
            issue["id"].as_str().unwrap(),
            issue["key"].as_str().unwrap()
        ),
        (id.as_str(), key.as_str())
    );
    let fields = &issue["fields"];
    assert_eq!(fields["summary"], "Grant db access");
    assert_eq!(fields["status"]["statusCategory"]["key"], "done");
    assert_eq!(fields["status"]["statusCategory"]["id"], 3);
    assert_eq!(fields["assignee"]["emailAddress"], ANN);
    assert!(fields["assignee"]["accountId"].is_string());
    assert_eq!(fields["resolution"]["name"], "Done");
    assert_eq!(fields["project"]["projectTypeKey"], "software");
    assert!(fields["updated"].as_str().unwrap().ends_with("+0000"));
    assert!(
        fields.get("created").is_none(),
        "fields not asked for are left out"
    );
}

#[test]
fn cloud_search_jql_rejects_unbounded_broken_and_unknown_queries() {
    let sim = cloud_site();
    sim.add_issue("ABC", "x", "new", None);
    let cases = [
        ("ORDER BY key", "Unbounded"),
        ("", "Unbounded"),
        ("project = ", "(line 1, character 11)"),
        ("colour = red", "Field 'colour' does not exist"),
        ("project = INT", "reserved"),
        (
            "project = NOPE",
            "'NOPE' does not exist for the field 'project'",
        ),
    ];
    for (jql, expected) in cases {
        let answer = jql_page(&sim, json!({"jql": jql}));
        assert_eq!(answer.status, 400, "{jql}");
        let message = answer.json()["errorMessages"][0]
            .as_str()
            .unwrap()
            .to_string();
        assert!(message.contains(expected), "{jql}: {message}");
    }
    let bad_token = jql_page(
        &sim,
        json!({"jql": "project = ABC", "nextPageToken": "garbage"}),
    );
    assert_eq!(bad_token.status, 400);
    let array_expand = jql_page(&sim, json!({"jql": "project = ABC", "expand": ["names"]}));
    assert_eq!(array_expand.status, 400);
}

#[test]
fn jql_finds_my_open_tickets_with_quoting_and_precedence() {
    let sim = cloud_site();
    sim.add_issue("ABC", "Mine, open", "new", Some(ANN));
    sim.add_issue("ABC", "Mine, closed", "done", Some(ANN));
    sim.add_issue("ABC", "Bob's", "indeterminate", Some(BOB));
    sim.add_issue("XYZ", "Mine elsewhere", "indeterminate", Some(ANN));
    let jql = r#"project = "ABC" AND assignee = currentUser() AND statusCategory != Done ORDER BY updated DESC"#;
    let page = jql_page(&sim, json!({"jql": jql, "fields": ["summary"]})).json();
    assert_eq!(keys_of(&page), vec!["ABC-1"]);

    let jql = r#"project = XYZ OR project = "ABC" AND statusCategory = "In Progress" ORDER BY key"#;
    let page = jql_page(&sim, json!({"jql": jql, "fields": ["summary"]})).json();
    assert_eq!(keys_of(&page), vec!["ABC-3", "XYZ-1"]);
}

#[test]
fn datacenter_search_pages_with_start_at_and_total() {
    let sim = dc_site();
    sim.add_issues("ABC", 120, Some(ANN));
    let mut seen = Vec::new();
    let mut start = 0;
    loop {
        let path = format!(
            "/rest/api/2/search?jql=project%3DABC%20order%20by%20key&startAt={start}&maxResults=50&fields=summary"
        );
        let page = call(&sim, "GET", &path, ANN_BEARER, None).json();
        assert_eq!(page["total"], 120);
        assert_eq!(page["startAt"], start);
        assert_eq!(page["maxResults"], 50);
        let keys = keys_of(&page);
        if keys.is_empty() {
            break;
        }
        start += keys.len();
        seen.extend(keys);
    }
    assert_eq!(seen.len(), 120);
    assert_eq!(seen.first().map(String::as_str), Some("ABC-1"));

    sim.set_config(json!({"search_page_cap": 30}));
    let body = json!({"jql": "project = ABC", "maxResults": 1000});
    let page = call(&sim, "POST", "/rest/api/2/search", ANN_BEARER, Some(body)).json();
    assert_eq!(page["maxResults"], 30, "the applied cap is reported back");
    assert_eq!(page["issues"].as_array().unwrap().len(), 30);
    assert!(
        page["issues"][0]["fields"]["status"].is_object(),
        "default fields are *navigable"
    );
}

#[test]
fn datacenter_validate_query_decides_about_missing_keys() {
    let sim = dc_site();
    sim.add_issue("ABC", "one", "new", None);
    let (_, gone) = sim.add_issue("ABC", "two", "new", None);
    sim.delete_issue(&gone);
    for missing in ["ABC-999", gone.as_str()] {
        let jql = format!("key in (ABC-1, {missing})");
        let strict = call(
            &sim,
            "POST",
            "/rest/api/2/search",
            ANN_BEARER,
            Some(json!({"jql": jql})),
        );
        assert_eq!(strict.status, 400);
        assert_eq!(
            strict.json()["errorMessages"][0],
            format!("An issue with key '{missing}' does not exist for field 'key'.")
        );
        let body = json!({"jql": jql, "validateQuery": false, "fields": ["summary"]});
        let lenient = call(&sim, "POST", "/rest/api/2/search", ANN_BEARER, Some(body));
        assert_eq!(lenient.status, 200);
        assert_eq!(keys_of(&lenient.json()), vec!["ABC-1"]);
    }
    let get = call(
        &sim,
        "GET",
        "/rest/api/2/search?jql=key%3DABC-999&validateQuery=false",
        ANN_BEARER,
        None,
    );
    assert_eq!(get.json()["total"], 0);
}

#[test]
fn datacenter_rejects_cloud_only_search_members() {
    let sim = dc_site();
    let body = json!({"jql": "project = ABC", "fieldsByKeys": true});
    let answer = call(&sim, "POST", "/rest/api/2/search", ANN_BEARER, Some(body));
    assert_eq!(answer.status, 400);
    assert!(
        answer
            .text
            .contains("Unrecognized field \\\"fieldsByKeys\\\""),
        "{}",
        answer.text
    );
}

#[test]
fn user_search_by_flavour() {
    let cloud = cloud_site();
    let found = call(
        &cloud,
        "GET",
        "/rest/api/3/user/search?query=bob%40ex",
        ANN_BASIC,
        None,
    )
    .json();
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["emailAddress"], BOB);
    let none = call(
        &cloud,
        "GET",
        "/rest/api/3/user/search?query=zed",
        ANN_BASIC,
        None,
    )
    .json();
    assert_eq!(none, json!([]));

    let dc = dc_site();
    let found = call(
        &dc,
        "GET",
        "/rest/api/2/user/search?username=bob",
        ANN_BEARER,
        None,
    )
    .json();
    assert_eq!(found[0]["name"], "bob");
    let missing = call(&dc, "GET", "/rest/api/2/user/search", ANN_BEARER, None);
    assert_eq!(missing.status, 400);
}

// ---- issue lifecycles ----

#[test]
fn bulkfetch_omits_missing_deleted_and_forbidden_issues_and_sorts_by_id() {
    let sim = cloud_site();
    let made: Vec<(String, String)> = (1..=5)
        .map(|n| sim.add_issue("ABC", &format!("issue {n}"), "new", None))
        .collect();
    sim.delete_issue(&made[1].1);
    sim.update_issue(&made[3].1, json!({"forbidden": true}));
    let wanted = json!([
        made[4].1, made[0].1, "ABC-999", made[1].1, made[3].0, made[2].0, "nonsense"
    ]);
    let body = json!({"issueIdsOrKeys": wanted, "fields": ["summary"]});
    let answer = call(
        &sim,
        "POST",
        "/rest/api/3/issue/bulkfetch",
        ANN_BASIC,
        Some(body),
    )
    .json();
    assert_eq!(keys_of(&answer), vec!["ABC-1", "ABC-3", "ABC-5"]);
    assert_eq!(answer["issueErrors"], json!([]));

    let too_many: Vec<String> = (0..101).map(|n| format!("ABC-{n}")).collect();
    let over = json!({"issueIdsOrKeys": too_many});
    assert_eq!(
        call(
            &sim,
            "POST",
            "/rest/api/3/issue/bulkfetch",
            ANN_BASIC,
            Some(over)
        )
        .status,
        400
    );
    let string_expand = json!({"issueIdsOrKeys": ["ABC-1"], "expand": "names"});
    let answer = call(
        &sim,
        "POST",
        "/rest/api/3/issue/bulkfetch",
        ANN_BASIC,
        Some(string_expand),
    );
    assert_eq!(answer.status, 400);
}

#[test]
fn moved_issue_is_found_by_its_old_key_everywhere() {
    let sim = cloud_site();
    let (id, old) = sim.add_issue("ABC", "moving", "new", None);
    let new = sim.move_issue(&old, "XYZ");
    assert_eq!(new, "XYZ-1");

    let got = call(
        &sim,
        "GET",
        &format!("/rest/api/3/issue/{old}?fields=summary"),
        ANN_BASIC,
        None,
    );
    assert_eq!(got.status, 200);
    assert_eq!(got.json()["key"], new);
    assert_eq!(got.json()["id"], id);

    let page = jql_page(
        &sim,
        json!({"jql": format!("key = {old}"), "fields": ["summary"]}),
    )
    .json();
    assert_eq!(keys_of(&page), vec![new.clone()]);
    let body = json!({"issueIdsOrKeys": [old]});
    let fetched = call(
        &sim,
        "POST",
        "/rest/api/3/issue/bulkfetch",
        ANN_BASIC,
        Some(body),
    )
    .json();
    assert_eq!(keys_of(&fetched), vec![new]);
}

#[test]
fn deleted_forbidden_and_restricted_issues_are_404() {
    let sim = cloud_site();
    let (_, deleted) = sim.add_issue("ABC", "a", "new", None);
    let (_, forbidden) = sim.add_issue("ABC", "b", "new", None);
    let (_, restricted) = sim.add_issue("XYZ", "c", "new", None);
    sim.delete_issue(&deleted);
    sim.update_issue(&forbidden, json!({"forbidden": true}));
    sim.restrict_project("XYZ", Some(&[BOB]));

    for key in [&deleted, &forbidden, &restricted, &"ABC-404".to_string()] {
        let answer = call(
            &sim,
            "GET",
            &format!("/rest/api/2/issue/{key}"),
            ANN_BASIC,
            None,
        );
        assert_eq!(answer.status, 404, "{key}");
        assert_eq!(
            answer.json()["errorMessages"][0],
            "Issue does not exist or you do not have permission to see it."
        );
    }
    assert_eq!(
        call(&sim, "GET", "/rest/api/3/project/XYZ", ANN_BASIC, None).status,
        404
    );
    let bob = call(
        &sim,
        "GET",
        &format!("/rest/api/3/issue/{restricted}"),
        Auth::Basic(BOB, BOB_TOKEN),
        None,
    );
    assert_eq!(bob.status, 200);

    let page = jql_page(
        &sim,
        json!({"jql": "project in (ABC) OR summary ~ c", "fields": ["summary"]}),
    );
    assert_eq!(keys_of(&page.json()), Vec::<String>::new());
}

#[test]
fn search_index_lag_hides_issues_from_search_but_not_from_get() {
    let sim = cloud_site();
    let (id, key) = sim.add_issue("ABC", "fresh", "new", Some(ANN));
    sim.update_issue(&key, json!({"hidden_from_search": true}));
    assert_eq!(
        call(
            &sim,
            "GET",
            &format!("/rest/api/3/issue/{key}"),
            ANN_BASIC,
            None
        )
        .status,
        200
    );
    let jql = "project = ABC";
    let page = jql_page(&sim, json!({"jql": jql, "fields": ["summary"]})).json();
    assert!(keys_of(&page).is_empty());
    let id_number: u64 = id.parse().unwrap();
    let body = json!({"jql": jql, "fields": ["summary"], "reconcileIssues": [id_number]});
    assert_eq!(keys_of(&jql_page(&sim, body).json()), vec![key]);
}

#[test]
fn comments_need_adf_on_v3_and_text_on_v2() {
    let sim = cloud_site();
    let (_, key) = sim.add_issue("ABC", "talk", "new", None);
    let v3 = format!("/rest/api/3/issue/{key}/comment");
    let plain = call(&sim, "POST", &v3, ANN_BASIC, Some(json!({"body": "hello"})));
    assert_eq!(plain.status, 400);
    let adf = json!({"type": "doc", "version": 1, "content": [
        {"type": "paragraph", "content": [{"type": "text", "text": "granted"}]}
    ]});
    let made = call(&sim, "POST", &v3, ANN_BASIC, Some(json!({"body": adf})));
    assert_eq!(made.status, 201);
    assert_eq!(made.json()["author"]["emailAddress"], ANN);
    let v2 = format!("/rest/api/2/issue/{key}/comment");
    assert_eq!(
        call(
            &sim,
            "POST",
            &v2,
            ANN_BASIC,
            Some(json!({"body": "revoked"}))
        )
        .status,
        201
    );
    assert_eq!(
        call(&sim, "POST", &v2, ANN_BASIC, Some(json!({"body": adf}))).status,
        400
    );

    let stored = sim.comments(&key);
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0]["body"], adf);
    assert_eq!(stored[1]["body"], "revoked");
    assert_eq!(stored[1]["author"], ANN);

    let dc = dc_site();
    let (_, key) = dc.add_issue("ABC", "talk", "new", None);
    let answer = call(
        &dc,
        "POST",
        &format!("/rest/api/2/issue/{key}/comment"),
        ANN_BEARER,
        Some(json!({"body": "hi"})),
    );
    assert_eq!(answer.status, 201);
    assert_eq!(answer.json()["author"]["name"], "ann");
}

// ---- faults ----

#[test]
fn rate_limit_once_then_success() {
    let sim = cloud_site();
    sim.add_fault(json!({"path_prefix": "/rest/api/3/myself", "status": 429, "headers": {"Retry-After": "2"}}));
    let limited = call(&sim, "GET", "/rest/api/3/myself", ANN_BASIC, None);
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("Retry-After"), Some("2"));
    assert_eq!(limited.header("RateLimit-Reason"), Some("jira-burst-based"));
    assert!(limited.header("X-RateLimit-Reset").is_some());
    assert_eq!(
        call(&sim, "GET", "/rest/api/3/myself", ANN_BASIC, None).status,
        200
    );

    let dc = dc_site();
    dc.add_fault(json!({"status": 429}));
    let limited = call(&dc, "GET", "/rest/api/2/myself", ANN_BEARER, None);
    assert_eq!(limited.header("X-RateLimit-Remaining"), Some("0"));
    assert_eq!(limited.header("Retry-After"), Some("1"));
}

#[test]
fn server_errors_repeat_until_cleared_and_match_by_method() {
    let sim = cloud_site();
    sim.add_fault(json!({"method": "POST", "status": 503, "times": 0}));
    for _ in 0..3 {
        let answer = jql_page(&sim, json!({"jql": "project = ABC"}));
        assert_eq!(answer.status, 503);
    }
    assert_eq!(
        call(&sim, "GET", "/rest/api/3/myself", ANN_BASIC, None).status,
        200
    );
    sim.clear_faults();
    assert_eq!(jql_page(&sim, json!({"jql": "project = ABC"})).status, 200);
}

#[test]
fn html_truncated_and_custom_bodies_are_served_as_configured() {
    let sim = cloud_site();
    sim.add_fault(json!({"kind": "html"}));
    let html = call(&sim, "GET", "/rest/api/3/myself", ANN_BASIC, None);
    assert_eq!(html.status, 200);
    assert!(
        html.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(serde_json::from_str::<Json>(&html.text).is_err());

    sim.add_fault(json!({"kind": "truncated_json"}));
    let cut = call(&sim, "GET", "/rest/api/3/myself", ANN_BASIC, None);
    assert!(
        cut.header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    assert!(
        serde_json::from_str::<Json>(&cut.text).is_err(),
        "{}",
        cut.text
    );

    sim.add_fault(json!({"status": 500, "body": "<h1>oops</h1>", "content_type": "text/html"}));
    let custom = call(&sim, "GET", "/rest/api/3/myself", ANN_BASIC, None);
    assert_eq!(
        (custom.status, custom.text.as_str()),
        (500, "<h1>oops</h1>")
    );
}

#[test]
fn sso_redirect_leads_to_an_html_login_page() {
    let sim = dc_site();
    sim.add_fault(json!({"kind": "redirect_sso", "times": 0}));
    let redirect = call(&sim, "GET", "/rest/api/2/myself", ANN_BEARER, None);
    assert_eq!(redirect.status, 302);
    let location = redirect.header("Location").unwrap().to_string();
    assert!(
        location.starts_with(&format!("{}/login.jsp?os_destination=", sim.url())),
        "{location}"
    );

    let following = Client::new();
    let answer = following
        .get(format!("{}/rest/api/2/myself", sim.url()))
        .bearer_auth(ANN_TOKEN)
        .send()
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    assert_eq!(answer.url().path(), "/login.jsp");
    assert!(
        answer.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
}

#[test]
fn dropped_connections_and_slow_answers_fail_the_client() {
    let sim = cloud_site();
    sim.add_fault(json!({"kind": "drop_connection"}));
    let dropped = send(
        &client(),
        &sim,
        "GET",
        "/rest/api/3/myself",
        ANN_BASIC,
        None,
    );
    assert!(
        dropped.is_err(),
        "a dropped connection is a transport error"
    );

    sim.add_fault(json!({"delay_ms": 1500, "status": 200, "body": "{}"}));
    let impatient = Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let slow = send(
        &impatient,
        &sim,
        "GET",
        "/rest/api/3/myself",
        ANN_BASIC,
        None,
    );
    assert!(slow.unwrap_err().is_timeout());

    assert_eq!(
        call(&sim, "GET", "/rest/api/3/myself", ANN_BASIC, None).status,
        200
    );
}

#[test]
fn huge_bodies_are_streamed_without_limit() {
    let sim = cloud_site();
    sim.add_fault(json!({"kind": "huge"}));
    sim.add_fault(json!({"kind": "huge", "chunked": true, "size_bytes": 8_000_000}));
    let fetch = || {
        client()
            .get(format!("{}/rest/api/3/myself", sim.url()))
            .basic_auth(ANN, Some(ANN_TOKEN))
            .send()
            .unwrap()
    };

    let sized = fetch();
    let length = sized.content_length().unwrap();
    assert!(length >= 64 * 1024 * 1024, "{length}");
    // A careful client reads only a bounded prefix and gives up.
    let mut prefix = vec![0; 4096];
    sized.take(4096).read_exact(&mut prefix).unwrap();
    assert!(prefix.starts_with(b"{\"isLast\":true,\"issues\":["));

    let chunked = fetch();
    assert_eq!(chunked.content_length(), None);
    let mut read = 0;
    let mut buffer = vec![0; 1 << 16];
    let mut body = chunked.take(2_000_000);
    while let Ok(n) = body.read(&mut buffer) {
        if n == 0 {
            break;
        }
        read += n;
    }
    assert_eq!(read, 2_000_000, "the body keeps coming past any sane limit");
}

// ---- request log and latency ----

#[test]
fn request_log_records_callers_but_never_their_tokens() {
    let sim = cloud_site();
    sim.clear_requests();
    call(&sim, "GET", "/rest/api/3/myself", ANN_BASIC, None);
    call(
        &sim,
        "GET",
        "/rest/api/3/myself",
        Auth::Basic(ANN, "wrong-secret-value"),
        None,
    );
    call(&sim, "GET", "/rest/api/3/serverInfo", Auth::None, None);
    jql_page(&sim, json!({"jql": "project = ABC", "fields": ["summary"]}));

    let log = sim.requests();
    let auths: Vec<&str> = log.iter().map(|r| r["auth"].as_str().unwrap()).collect();
    assert_eq!(
        auths,
        vec![
            format!("basic:{ANN}").as_str(),
            "bad",
            "none",
            &format!("basic:{ANN}")
        ]
    );
    let statuses: Vec<u64> = log.iter().map(|r| r["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, vec![200, 401, 200, 200]);
    assert_eq!(log[3]["body"]["jql"], "project = ABC");
    assert_eq!(log[3]["method"], "POST");
    let everything = serde_json::to_string(&log).unwrap();
    assert!(!everything.contains(ANN_TOKEN));
    assert!(!everything.contains("wrong-secret-value"));
    assert!(!everything.contains("Basic "));

    let dc = dc_site();
    call(
        &dc,
        "GET",
        "/rest/api/2/search?jql=project%3DABC",
        ANN_BEARER,
        None,
    );
    let log = dc.requests();
    assert_eq!(log[0]["auth"], format!("bearer:{ANN}"));
    assert_eq!(log[0]["query"]["jql"], "project=ABC");
    assert!(!serde_json::to_string(&log).unwrap().contains(ANN_TOKEN));
}

#[test]
fn latency_applies_to_jira_calls_and_overlaps_between_them() {
    let sim = cloud_site();
    sim.set_config(json!({"latency_ms": 400}));
    let started = Instant::now();
    call(&sim, "GET", "/rest/api/3/myself", ANN_BASIC, None);
    assert!(started.elapsed() >= Duration::from_millis(400));

    let started = Instant::now();
    sim.requests();
    assert!(
        started.elapsed() < Duration::from_millis(400),
        "admin calls are not delayed"
    );

    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| call(&sim, "GET", "/rest/api/3/myself", ANN_BASIC, None));
        }
    });
    assert!(
        started.elapsed() < Duration::from_millis(1200),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn simulator_exits_when_its_stdin_closes() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_opal-jira-sim"))
        .args(["serve", "--flavor", "datacenter"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = [0u8; 13];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    assert_eq!(&first, b"listening on ");
    drop(child.stdin.take());
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success());
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the simulator kept running after stdin closed");
}

#[test]
fn unknown_paths_are_json_404s() {
    let sim = cloud_site();
    let answer = call(&sim, "GET", "/rest/api/3/nothing/here", ANN_BASIC, None);
    assert_eq!(answer.status, 404);
    assert!(answer.json()["errorMessages"][0].is_string());
    assert_eq!(answer.json()["errors"], json!({}));
}

// ---- Jira Service Management, createmeta, permissions and issue creation ----

fn sorted_keys(value: &Json) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

#[test]
fn service_desk_lists_use_jsm_paging_and_jsm_errors() {
    let sim = cloud_site();
    sim.add_project("HR", "service_desk");
    let page = call(
        &sim,
        "GET",
        "/rest/servicedeskapi/servicedesk?limit=1",
        ANN_BASIC,
        None,
    );
    assert_eq!(page.status, 200);
    let page = page.json();
    assert_eq!(
        sorted_keys(&page),
        [
            "_expands",
            "_links",
            "isLastPage",
            "limit",
            "size",
            "start",
            "values"
        ]
    );
    assert_eq!(
        (page["size"].clone(), page["isLastPage"].clone()),
        (json!(1), json!(false))
    );
    assert!(page["_links"]["next"].as_str().unwrap().contains("start=1"));
    assert_eq!(
        sorted_keys(&page["values"][0]),
        ["_links", "id", "projectId", "projectKey", "projectName"]
    );
    assert_eq!(page["values"][0]["projectKey"], "XYZ");

    let missing = call(
        &sim,
        "GET",
        "/rest/servicedeskapi/servicedesk/99/requesttype",
        ANN_BASIC,
        None,
    );
    assert_eq!(missing.status, 404);
    assert_eq!(
        sorted_keys(&missing.json()),
        ["errorMessage", "i18nErrorMessage"]
    );
    assert_eq!(
        call(
            &sim,
            "GET",
            "/rest/servicedeskapi/servicedesk",
            Auth::None,
            None
        )
        .status,
        401
    );
}

#[test]
fn customer_requests_link_to_the_portal_in_each_flavours_shape() {
    for flavor in [Flavor::Cloud, Flavor::DataCenter] {
        let sim = Sim::start(flavor);
        sim.add_user(ANN, "Ann Lee", ANN_TOKEN);
        let project = sim.add_project("XYZ", "service_desk");
        let auth = match flavor {
            Flavor::Cloud => ANN_BASIC,
            Flavor::DataCenter => ANN_BEARER,
        };
        let types = call(
            &sim,
            "GET",
            "/rest/servicedeskapi/servicedesk/1/requesttype?searchQuery=opal",
            auth,
            None,
        )
        .json();
        assert_eq!(types["values"].as_array().unwrap().len(), 1);
        let request_type = &types["values"][0];
        assert_eq!(request_type["name"], "Access Change - Opal");
        assert_eq!(request_type["portalId"], project["desk"]["portal_id"]);

        let created = call(
            &sim,
            "POST",
            "/rest/servicedeskapi/request",
            auth,
            Some(
                json!({"serviceDeskId": "1", "requestTypeId": request_type["id"],
                        "requestFieldValues": {"summary": "s", "description": "d"}}),
            ),
        );
        assert_eq!(created.status, 201, "{}", created.text);
        let created = created.json();
        let portal = project["desk"]["portal_id"].as_str().unwrap();
        assert_eq!(
            created["_links"]["web"],
            format!("{}/servicedesk/customer/portal/{portal}/XYZ-1", sim.url())
        );
        let fetched = call(
            &sim,
            "GET",
            "/rest/servicedeskapi/request/XYZ-1",
            auth,
            None,
        )
        .json();
        assert_eq!(fetched["_links"], created["_links"]);
        match flavor {
            Flavor::Cloud => {
                assert_eq!(
                    created["_links"]["agent"],
                    format!("{}/browse/XYZ-1", sim.url())
                );
                assert_eq!(created["currentStatus"]["statusCategory"], "NEW");
            }
            Flavor::DataCenter => {
                assert!(created["_links"].get("agent").is_none());
                assert!(created["currentStatus"].get("statusCategory").is_none());
            }
        }
        let bad = call(
            &sim,
            "POST",
            "/rest/servicedeskapi/request",
            auth,
            Some(json!({"serviceDeskId": "1", "requestTypeId": "1", "summary": "s"})),
        );
        assert_eq!(bad.status, 400, "unknown members are refused");
    }
}

#[test]
fn customers_need_an_administrator_and_signup() {
    let sim = cloud_site();
    let body = json!({"email": "guest@x.io", "displayName": "Guest"});
    let create = |body: &Json, query: &str| {
        call(
            &sim,
            "POST",
            &format!("/rest/servicedeskapi/customer{query}"),
            ANN_BASIC,
            Some(body.clone()),
        )
    };
    assert_eq!(create(&body, "").status, 403, "not an administrator");
    sim.set_user(ANN, json!({"administer": true}));
    let made = create(&body, "");
    assert_eq!(made.status, 201, "{}", made.text);
    assert!(
        made.json()["accountId"]
            .as_str()
            .unwrap()
            .starts_with("qm:")
    );
    assert_eq!(create(&body, "?strictConflictStatusCode=true").status, 409);
    assert_eq!(create(&body, "").status, 400);
    sim.set_config(json!({"customer_signup": false}));
    let off = create(&json!({"email": "other@x.io", "displayName": "O"}), "");
    assert_eq!(off.status, 403);
    assert!(
        off.json()["errorMessage"]
            .as_str()
            .unwrap()
            .contains("signup")
    );

    // Portal-only customers are not Cloud site users.
    let found = call(
        &sim,
        "GET",
        "/rest/api/3/user/search?query=guest",
        ANN_BASIC,
        None,
    )
    .json();
    assert_eq!(found, json!([]));

    let dc = dc_site();
    dc.set_user(ANN, json!({"administer": true}));
    let cloud_shape = call(
        &dc,
        "POST",
        "/rest/servicedeskapi/customer",
        ANN_BEARER,
        Some(body.clone()),
    );
    assert_eq!(cloud_shape.status, 400, "Data Center takes fullName only");
    let dc_shape = json!({"email": "guest@x.io", "fullName": "Guest"});
    let made = call(
        &dc,
        "POST",
        "/rest/servicedeskapi/customer",
        ANN_BEARER,
        Some(dc_shape),
    );
    assert_eq!(made.json()["name"], "guest@x.io");
}

#[test]
fn createmeta_pages_differ_by_flavour() {
    let cloud = cloud_site();
    let types = call(
        &cloud,
        "GET",
        "/rest/api/3/issue/createmeta/XYZ/issuetypes",
        ANN_BASIC,
        None,
    )
    .json();
    assert_eq!(
        sorted_keys(&types),
        ["issueTypes", "maxResults", "startAt", "total"]
    );
    let opal = types["issueTypes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Service Request - Opal")
        .expect("a JSM project offers the opal issue type");
    let fields = call(
        &cloud,
        "GET",
        &format!(
            "/rest/api/3/issue/createmeta/XYZ/issuetypes/{}",
            opal["id"].as_str().unwrap()
        ),
        ANN_BASIC,
        None,
    )
    .json();
    let names: Vec<&str> = fields["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Request Type") && names.contains(&"Reporter"),
        "{names:?}"
    );
    assert_eq!(
        call(
            &cloud,
            "GET",
            "/rest/api/3/issue/createmeta/XYZ/issuetypes?maxResults=201",
            ANN_BASIC,
            None
        )
        .status,
        400
    );

    let dc = dc_site();
    let types = call(
        &dc,
        "GET",
        "/rest/api/2/issue/createmeta/ABC/issuetypes",
        ANN_BEARER,
        None,
    )
    .json();
    assert_eq!(
        sorted_keys(&types),
        ["isLast", "maxResults", "startAt", "total", "values"]
    );
    assert_eq!(types["values"][0]["name"], "Task");
}

#[test]
fn my_permissions_must_be_listed_on_cloud_only() {
    let cloud = cloud_site();
    assert_eq!(
        call(
            &cloud,
            "GET",
            "/rest/api/3/mypermissions?projectKey=ABC",
            ANN_BASIC,
            None
        )
        .status,
        400
    );
    let asked = call(
        &cloud,
        "GET",
        "/rest/api/3/mypermissions?projectKey=ABC&permissions=MODIFY_REPORTER",
        ANN_BASIC,
        None,
    )
    .json();
    assert_eq!(sorted_keys(&asked["permissions"]), ["MODIFY_REPORTER"]);
    assert_eq!(
        asked["permissions"]["MODIFY_REPORTER"]["havePermission"],
        true
    );

    let dc = dc_site();
    dc.set_user(ANN, json!({"modify_reporter": false}));
    let all = call(
        &dc,
        "GET",
        "/rest/api/2/mypermissions?projectKey=ABC",
        ANN_BEARER,
        None,
    )
    .json();
    assert_eq!(
        all["permissions"]["MODIFY_REPORTER"]["havePermission"],
        false
    );
    assert_eq!(all["permissions"]["ADMINISTER"]["havePermission"], false);
    assert!(
        all["permissions"].get("BROWSE_PROJECTS").is_some(),
        "every permission"
    );
}

#[test]
fn issue_creation_checks_the_screen_the_reporter_and_the_text_shape() {
    let cloud = cloud_site();
    let fields = |description: Json, reporter: Json| {
        json!({"fields": {"project": {"key": "ABC"}, "issuetype": {"name": "Task"},
                          "summary": "s", "description": description, "reporter": reporter}})
    };
    let bob = cloud
        .users()
        .into_iter()
        .find(|u| u["email"] == BOB)
        .unwrap();
    let bob_ref = json!({"id": bob["account_id"]});
    let as_text = call(
        &cloud,
        "POST",
        "/rest/api/3/issue",
        ANN_BASIC,
        Some(fields(json!("text"), bob_ref.clone())),
    );
    assert_eq!(as_text.status, 400);
    assert!(
        as_text.json()["errors"]["description"]
            .as_str()
            .unwrap()
            .contains("Atlassian Document")
    );
    let doc = json!({"type": "doc", "version": 1, "content": []});
    let made = call(
        &cloud,
        "POST",
        "/rest/api/3/issue",
        ANN_BASIC,
        Some(fields(doc.clone(), bob_ref.clone())),
    );
    assert_eq!(made.status, 201, "{}", made.text);
    assert_eq!(sorted_keys(&made.json()), ["id", "key", "self"]);
    assert_eq!(cloud.issue("ABC-1")["reporter"], BOB);

    cloud.set_user(ANN, json!({"modify_reporter": false}));
    let refused = call(
        &cloud,
        "POST",
        "/rest/api/3/issue",
        ANN_BASIC,
        Some(fields(doc, bob_ref)),
    );
    assert_eq!(refused.status, 400);
    assert!(
        refused.json()["errors"]["reporter"]
            .as_str()
            .unwrap()
            .contains("cannot be set")
    );

    let dc = dc_site();
    let dc_fields = json!({"fields": {"project": {"key": "ABC"}, "issuetype": {"name": "Task"},
        "summary": "s", "description": "text", "reporter": {"name": "bob"}}});
    let made = call(
        &dc,
        "POST",
        "/rest/api/2/issue",
        ANN_BEARER,
        Some(dc_fields),
    );
    assert_eq!(made.status, 201, "{}", made.text);
    assert_eq!(dc.issue("ABC-1")["reporter"], BOB);
}

/// Sends `GET path` on an open keep-alive connection and returns the status line.
fn status_on(stream: &mut std::net::TcpStream, path: &str) -> std::io::Result<String> {
    use std::io::{BufRead, BufReader, Write};
    write!(stream, "GET {path} HTTP/1.1\r\nHost: sim\r\n\r\n")?;
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line)?;
    Ok(line.trim_end().to_string())
}

#[test]
fn a_burst_of_kept_alive_connections_is_served_in_full() {
    // Clients that keep connections open hold a server thread each; a burst of new
    // connections used to leave one stranded until another client hung up.
    let sim = Sim::start(Flavor::Cloud);
    let addr = sim
        .url()
        .trim_start_matches("http://")
        .parse::<std::net::SocketAddr>()
        .expect("the simulator listens on an IP address");
    let mut idle = Vec::new();
    for round in 0..5 {
        let mut streams: Vec<std::net::TcpStream> = (0..8)
            .map(|_| std::net::TcpStream::connect(addr).expect("connect"))
            .collect();
        for stream in &mut streams {
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .expect("timeout");
            let status = status_on(stream, "/rest/api/3/serverInfo")
                .unwrap_or_else(|err| panic!("round {round}: no answer: {err}"));
            assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        }
        // Kept open while the next round connects, like a client's idle pool.
        idle.extend(streams);
    }
}
