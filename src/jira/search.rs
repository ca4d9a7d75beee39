//! Finding issues: JQL quoting, paginated search (Cloud `search/jql` by page token,
//! Data Center `search` by offset) and batch lookup by issue id.
//!
//! Cloud's old `/rest/api/3/search` endpoint is gone (it answers 410), so Cloud only
//! ever uses `search/jql` and `issue/bulkfetch`. Data Center has neither, so batch
//! lookups there are `id in (…)` searches.

use std::collections::HashSet;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use serde::Deserialize;
use serde_json::json;

use super::model::{ISSUE_FIELDS, Issue, WireIssue, is_issue_id};
use super::{Call, Deployment, JiraClient, JiraError, JiraErrorKind};

/// Issues asked for per page of a search.
const PAGE_SIZE: usize = 100;
/// Ids per batch. Cloud's bulkfetch accepts at most 100. A Data Center search by id
/// could fill a whole page (1 000 issues by default) and cut the requests tenfold, but
/// each answer would be ten times larger and slower, and its JQL thousands of
/// characters long; 100 keeps both deployments alike. When a site's page size is
/// lower, the batch pages on, so no id is lost.
const BATCH_SIZE: usize = 100;
/// What a batch lookup asks Jira for: enough to tell whether a ticket is Done and
/// where it lives now. Fewer fields make Jira's answer smaller and cheaper.
const BATCH_FIELDS: [&str; 2] = ["status", "project"];

/// Building JQL safely.
pub mod jql {
    /// A JQL string literal: `value` in double quotes, with `\` and `"` escaped.
    /// Control characters (newlines, tabs) become spaces.
    pub fn quote(value: &str) -> String {
        let mut quoted = String::with_capacity(value.len() + 2);
        quoted.push('"');
        for c in value.chars() {
            match c {
                '"' => quoted.push_str("\\\""),
                '\\' => quoted.push_str("\\\\"),
                c if c.is_control() => quoted.push(' '),
                c => quoted.push(c),
            }
        }
        quoted.push('"');
        quoted
    }

    /// The caller's tickets in a project, most recently updated first: those not
    /// Done unless `include_done`, narrowed by `text` in the summary when given.
    pub fn my_tickets(project_key: &str, text: Option<&str>, include_done: bool) -> String {
        let mut clauses = vec![
            format!("project = {}", quote(project_key)),
            "assignee = currentUser()".into(),
        ];
        if !include_done {
            clauses.push("statusCategory != \"Done\"".into());
        }
        if let Some(words) = text.map(summary_words).filter(|w| !w.is_empty()) {
            clauses.push(format!("summary ~ {}", quote(&words)));
        }
        format!("{} ORDER BY updated DESC", clauses.join(" AND "))
    }

    /// Text for a `~` search with the Lucene operator characters removed: Jira
    /// rejects or reinterprets them, and a person typing a summary means words.
    fn summary_words(text: &str) -> String {
        const OPERATORS: &str = "+-&|!(){}[]^~*?\\/:\"'";
        let cleaned: String = text
            .chars()
            .map(|c| if OPERATORS.contains(c) { ' ' } else { c })
            .collect();
        cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// `id in (1, 2, …)` for ids already checked to be numbers.
    pub(crate) fn id_list(ids: &[String]) -> String {
        format!("id in ({})", ids.join(", "))
    }
}

/// The result of looking up many issues by id.
#[derive(Debug, Default)]
pub struct BatchLookup {
    /// Issues Jira returned, in request order of their batches.
    pub found: Vec<Issue>,
    /// Ids that could not be checked (their batch failed, Jira reported an error for
    /// them, or the id was malformed), each with the reason.
    pub failed_ids: Vec<(String, JiraError)>,
}

impl BatchLookup {
    /// The ids of `asked` that are neither found nor failed: Jira silently leaves
    /// out issues that are deleted or hidden, so these need a one-by-one check
    /// before anyone concludes they are gone.
    pub fn missing<'a>(&self, asked: &'a [String]) -> Vec<&'a str> {
        let known: HashSet<&str> = self
            .found
            .iter()
            .map(|issue| issue.id.as_str())
            .chain(self.failed_ids.iter().map(|(id, _)| id.as_str()))
            .collect();
        asked
            .iter()
            .map(|id| id.trim())
            .filter(|id| !known.contains(id))
            .collect()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CloudPage {
    #[serde(default)]
    issues: Vec<WireIssue>,
    is_last: Option<bool>,
    next_page_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DataCenterPage {
    #[serde(default)]
    issues: Vec<WireIssue>,
    max_results: Option<usize>,
    total: Option<usize>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BulkFetchResults {
    #[serde(default)]
    issues: Vec<WireIssue>,
    #[serde(default)]
    issue_errors: Vec<WireIssueError>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireIssueError {
    id: Option<String>,
    error_message: Option<String>,
}

/// What one batch produced: issues, and per-issue errors Jira reported.
type BatchPart = (Vec<Issue>, Vec<(String, JiraError)>);

impl JiraClient {
    /// Issues matching `jql`, at most `limit`, fetching pages until done.
    pub fn search(&self, jql: &str, limit: usize) -> Result<Vec<Issue>, JiraError> {
        match self.deployment() {
            Deployment::Cloud => self.search_cloud(jql, limit),
            Deployment::DataCenter => self.search_data_center(&DataCenterSearch {
                jql,
                limit,
                page_size: PAGE_SIZE,
                fields: &ISSUE_FIELDS,
                validate_query: true,
                on_throttle: None,
            }),
        }
    }

    /// Cloud: `POST search/jql`, following `nextPageToken` until `isLast`.
    fn search_cloud(&self, jql: &str, limit: usize) -> Result<Vec<Issue>, JiraError> {
        let mut found = Vec::new();
        let mut token: Option<String> = None;
        while found.len() < limit {
            let mut body = json!({
                "jql": jql,
                "maxResults": (limit - found.len()).min(PAGE_SIZE),
                "fields": ISSUE_FIELDS,
            });
            if let Some(token) = &token {
                body["nextPageToken"] = json!(token);
            }
            let page: CloudPage =
                self.send_json(&Call::post(self.api_path("/search/jql"), body))?;

            let count = page.issues.len();
            found.extend(page.issues.into_iter().map(Issue::from));
            // An empty page or a repeated token would otherwise loop forever.
            match page.next_page_token {
                Some(next)
                    if page.is_last != Some(true) && count > 0 && token != Some(next.clone()) =>
                {
                    token = Some(next);
                }
                _ => break,
            }
        }
        found.truncate(limit);
        Ok(found)
    }

    /// Data Center: `POST search`, advancing `startAt` by what each page returned.
    /// Jira may apply a lower `maxResults` than asked, so a short page is the end
    /// only when `total` says so.
    fn search_data_center(&self, search: &DataCenterSearch<'_>) -> Result<Vec<Issue>, JiraError> {
        let limit = search.limit;
        let mut found = Vec::new();
        while found.len() < limit {
            let asked = (limit - found.len()).min(search.page_size);
            let body = json!({
                "jql": search.jql,
                "startAt": found.len(),
                "maxResults": asked,
                "fields": search.fields,
                "validateQuery": search.validate_query,
            });
            let mut call = Call::post(self.api_path("/search"), body);
            if let Some(callback) = search.on_throttle {
                call = call.on_throttle(callback);
            }
            let page: DataCenterPage = self.send_json(&call)?;

            let count = page.issues.len();
            found.extend(page.issues.into_iter().map(Issue::from));
            let more = match page.total {
                Some(total) => found.len() < total,
                None => count >= page.max_results.unwrap_or(asked).min(asked),
            };
            if count == 0 || !more {
                break;
            }
        }
        found.truncate(limit);
        Ok(found)
    }

    /// Looks up issues by numeric id in batches of 100, several batches at once. The
    /// issues carry their key, status and project only.
    ///
    /// Issues that are deleted or hidden are simply absent from `found` (see
    /// [`BatchLookup::missing`]). A batch that fails puts its ids in `failed_ids`;
    /// refused credentials fail the whole call.
    pub fn issues_by_id(&self, ids: &[String]) -> Result<BatchLookup, JiraError> {
        let mut lookup = BatchLookup::default();
        let mut seen = HashSet::new();
        let mut valid = Vec::new();
        for id in ids.iter().map(|id| id.trim()) {
            if !is_issue_id(id) {
                let message = format!("`{id}` is not a Jira issue id");
                let kind = JiraErrorKind::InvalidInput { message };
                lookup
                    .failed_ids
                    .push((id.to_string(), self.batch_error(kind)));
            } else if seen.insert(id) {
                valid.push(id.to_string());
            }
        }

        let batches: Vec<&[String]> = valid.chunks(BATCH_SIZE).collect();
        let results = run_bounded(&batches, self.concurrency(), |batch, on_throttle| {
            self.fetch_batch(batch, on_throttle)
        });
        for (batch, result) in batches.iter().zip(results) {
            match result {
                Ok((issues, errors)) => {
                    lookup.found.extend(issues);
                    lookup.failed_ids.extend(errors);
                }
                Err(err) if err.is_auth() => return Err(err),
                Err(err) => lookup
                    .failed_ids
                    .extend(batch.iter().map(|id| (id.clone(), err.clone()))),
            }
        }
        Ok(lookup)
    }

    /// An error about the batch endpoint of this deployment.
    fn batch_error(&self, kind: JiraErrorKind) -> JiraError {
        let path = match self.deployment() {
            Deployment::Cloud => self.api_path("/issue/bulkfetch"),
            Deployment::DataCenter => self.api_path("/search"),
        };
        JiraError::new("POST", &path, kind)
    }

    /// Looks up issues one by one (by id or key), several at once: for each, what
    /// [`issue`](Self::issue) answers, in the order asked. After refused credentials no
    /// more are sent; those not looked up carry the same error.
    pub fn issues_one_by_one(&self, ids: &[String]) -> Vec<Result<Option<Issue>, JiraError>> {
        run_bounded(ids, self.concurrency(), |id, on_throttle| {
            self.issue_throttled(id, Some(on_throttle))
        })
    }

    /// One batch of ids.
    fn fetch_batch(
        &self,
        ids: &[String],
        on_throttle: &(dyn Fn() + Sync),
    ) -> Result<BatchPart, JiraError> {
        match self.deployment() {
            Deployment::Cloud => {
                let body = json!({"issueIdsOrKeys": ids, "fields": BATCH_FIELDS});
                let call =
                    Call::post(self.api_path("/issue/bulkfetch"), body).on_throttle(on_throttle);
                let results: BulkFetchResults = self.send_json(&call)?;
                let errors = results
                    .issue_errors
                    .into_iter()
                    .filter_map(|e| {
                        let id = e.id?;
                        let message = self.scrub(&e.error_message.unwrap_or_default());
                        let kind = JiraErrorKind::IssueError {
                            id: id.clone(),
                            message,
                        };
                        Some((id, call.error(kind)))
                    })
                    .collect();
                Ok((
                    results.issues.into_iter().map(Issue::from).collect(),
                    errors,
                ))
            }
            // Without validation, ids that no longer exist are dropped instead of
            // failing the whole search with a 400.
            Deployment::DataCenter => {
                let issues = self.search_data_center(&DataCenterSearch {
                    jql: &jql::id_list(ids),
                    limit: ids.len(),
                    page_size: ids.len(),
                    fields: &BATCH_FIELDS,
                    validate_query: false,
                    on_throttle: Some(on_throttle),
                })?;
                Ok((issues, Vec::new()))
            }
        }
    }
}

/// One Data Center search, run page by page to its end.
struct DataCenterSearch<'a> {
    jql: &'a str,
    /// The most issues wanted.
    limit: usize,
    /// Issues asked per page; Jira may apply fewer.
    page_size: usize,
    fields: &'a [&'a str],
    validate_query: bool,
    on_throttle: Option<&'a (dyn Fn() + Sync)>,
}

/// Runs `work` on every job with at most `limit` jobs in flight, on scoped threads
/// taking jobs from a shared queue. `work` gets a callback to report a 429; after
/// one, the in-flight limit is halved (at least 1) for the rest of the run. Results
/// come back in job order.
fn run_bounded<J: Sync, T: Send>(
    jobs: &[J],
    limit: usize,
    work: impl Fn(&J, &(dyn Fn() + Sync)) -> Result<T, JiraError> + Sync,
) -> Vec<Result<T, JiraError>> {
    let gate = Gate::new(limit);
    let results: Mutex<Vec<Option<Result<T, JiraError>>>> =
        Mutex::new(jobs.iter().map(|_| None).collect());
    let on_throttle = || gate.throttled();

    std::thread::scope(|scope| {
        for _ in 0..limit.clamp(1, jobs.len().max(1)) {
            scope.spawn(|| {
                while let Some(index) = gate.acquire(jobs.len()) {
                    let result = work(&jobs[index], &on_throttle);
                    // Refused credentials will fail every other batch too.
                    if result.as_ref().is_err_and(JiraError::is_auth) {
                        gate.stop();
                    }
                    lock(&results)[index] = Some(result);
                    gate.release();
                }
            });
        }
    });

    let results = results.into_inner().unwrap_or_else(PoisonError::into_inner);
    let first_error = results
        .iter()
        .flatten()
        .find_map(|r| r.as_ref().err())
        .cloned();
    results
        .into_iter()
        .map(|result| match (result, &first_error) {
            (Some(result), _) => result,
            // Only a stop leaves jobs unrun, and a stop follows an error.
            (None, Some(err)) => Err(err.clone()),
            (None, None) => unreachable!("jobs are skipped only after a failed one"),
        })
        .collect()
}

/// The in-flight limit of one batch run.
struct Gate {
    state: Mutex<GateState>,
    freed: Condvar,
}

struct GateState {
    limit: usize,
    active: usize,
    next: usize,
    stopped: bool,
}

impl Gate {
    fn new(limit: usize) -> Gate {
        let state = GateState {
            limit: limit.max(1),
            active: 0,
            next: 0,
            stopped: false,
        };
        Gate {
            state: Mutex::new(state),
            freed: Condvar::new(),
        }
    }

    /// Waits for a free slot and claims the next job, or `None` when there is none.
    fn acquire(&self, jobs: usize) -> Option<usize> {
        let mut state = lock(&self.state);
        loop {
            if state.stopped || state.next >= jobs {
                return None;
            }
            if state.active < state.limit {
                state.active += 1;
                state.next += 1;
                return Some(state.next - 1);
            }
            state = self
                .freed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn release(&self) {
        lock(&self.state).active -= 1;
        self.freed.notify_all();
    }

    /// Jira is throttling: halve the in-flight limit, down to one.
    fn throttled(&self) {
        let mut state = lock(&self.state);
        state.limit = (state.limit / 2).max(1);
    }

    /// Hands out no more jobs.
    fn stop(&self) {
        lock(&self.state).stopped = true;
        self.freed.notify_all();
    }

    #[cfg(test)]
    fn limit(&self) -> usize {
        lock(&self.state).limit
    }
}

/// Locks a mutex whose data stays consistent even if a holder panicked.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use serde_json::{Value, json};

    use super::super::Deployment;
    use super::super::testserver::{Recorded, Reply, TestServer, issue_json};
    use super::*;

    #[test]
    fn quote_escapes_quotes_and_backslashes() {
        assert_eq!(jql::quote("OPS"), r#""OPS""#);
        assert_eq!(jql::quote(r#"say "hi""#), r#""say \"hi\"""#);
        assert_eq!(jql::quote(r"C:\temp"), r#""C:\\temp""#);
        assert_eq!(jql::quote(r#"\""#), r#""\\\"""#);
        assert_eq!(jql::quote("a\nb\tc"), r#""a b c""#);
        assert_eq!(jql::quote(""), r#""""#);
        // A value trying to close the string and add a clause stays inside it.
        assert_eq!(
            jql::quote(r#"x" OR project = "Y"#),
            r#""x\" OR project = \"Y""#
        );
    }

    #[test]
    fn my_tickets_quotes_the_project_and_cleans_text() {
        assert_eq!(
            jql::my_tickets("INT", None, false),
            r#"project = "INT" AND assignee = currentUser() AND statusCategory != "Done" ORDER BY updated DESC"#
        );
        assert_eq!(
            jql::my_tickets("OPS", Some(r#"disk "full" (db-3)*"#), true),
            r#"project = "OPS" AND assignee = currentUser() AND summary ~ "disk full db 3" ORDER BY updated DESC"#
        );
        assert!(!jql::my_tickets("OPS", Some("  ?* "), true).contains("summary"));
    }

    fn keys(issues: &[Issue]) -> Vec<&str> {
        issues.iter().map(|i| i.key.as_str()).collect()
    }

    #[test]
    fn cloud_search_follows_page_tokens() {
        let server = TestServer::start(|request| {
            let token = request.json()["nextPageToken"].as_str().map(String::from);
            let (issues, next) = match token.as_deref() {
                None => (
                    vec![
                        issue_json("1", "OPS-1", "new"),
                        issue_json("2", "OPS-2", "new"),
                    ],
                    Some("t1"),
                ),
                Some("t1") => (
                    vec![
                        issue_json("3", "OPS-3", "done"),
                        issue_json("4", "OPS-4", "new"),
                    ],
                    Some("t2"),
                ),
                Some("t2") => (vec![issue_json("5", "OPS-5", "indeterminate")], None),
                Some(other) => panic!("unexpected token {other}"),
            };
            let mut page = json!({"issues": issues, "isLast": next.is_none()});
            if let Some(next) = next {
                page["nextPageToken"] = json!(next);
            }
            Reply::json(200, page)
        });
        let found = server
            .client(Deployment::Cloud)
            .search("project = \"OPS\"", 50)
            .unwrap();
        assert_eq!(keys(&found), ["OPS-1", "OPS-2", "OPS-3", "OPS-4", "OPS-5"]);

        let requests = server.requests();
        assert_eq!(requests.len(), 3);
        for request in &requests {
            assert_eq!(
                (request.method.as_str(), request.path()),
                ("POST", "/rest/api/3/search/jql")
            );
            let body = request.json();
            assert_eq!(body["jql"], "project = \"OPS\"");
            assert_eq!(body["fields"], json!(ISSUE_FIELDS));
            assert!(body.get("startAt").is_none() && body.get("validateQuery").is_none());
        }
        assert_eq!(requests[0].json()["maxResults"], 50);
        assert_eq!(requests[1].json()["nextPageToken"], "t1");
        assert_eq!(requests[2].json()["nextPageToken"], "t2");
    }

    #[test]
    fn cloud_search_stops_at_the_limit() {
        let server = TestServer::start(|request| {
            let asked = request.json()["maxResults"].as_u64().unwrap_or(0);
            let issues: Vec<Value> = (1..=asked.min(2))
                .map(|n| issue_json(&n.to_string(), &format!("OPS-{n}"), "new"))
                .collect();
            Reply::json(
                200,
                json!({"issues": issues, "isLast": false, "nextPageToken": "more"}),
            )
        });
        let found = server
            .client(Deployment::Cloud)
            .search("project = OPS", 3)
            .unwrap();
        assert_eq!(found.len(), 3);
        let asked: Vec<Value> = server
            .requests()
            .iter()
            .map(|r| r.json()["maxResults"].clone())
            .collect();
        assert_eq!(asked, [json!(3), json!(1)]);
        assert!(
            server
                .client(Deployment::Cloud)
                .search("x", 0)
                .unwrap()
                .is_empty()
        );
        assert_eq!(server.requests().len(), 2, "a zero limit sends nothing");
    }

    /// A Data Center search that applies at most `applied` results per page over
    /// `total` issues numbered from 1.
    fn dc_search_server(applied: usize, total: usize) -> TestServer {
        TestServer::start(move |request| {
            let body = request.json();
            let start = body["startAt"].as_u64().unwrap_or(0) as usize;
            let asked = body["maxResults"].as_u64().unwrap_or(50) as usize;
            let size = asked.min(applied);
            let issues: Vec<Value> = (start..total.min(start + size))
                .map(|n| issue_json(&(n + 1).to_string(), &format!("DC-{}", n + 1), "new"))
                .collect();
            Reply::json(
                200,
                json!({"startAt": start, "maxResults": size, "total": total, "issues": issues}),
            )
        })
    }

    #[test]
    fn data_center_search_pages_by_start_at_with_a_lower_applied_page_size() {
        let server = dc_search_server(2, 5);
        let found = server
            .client(Deployment::DataCenter)
            .search("project = DC", 100)
            .unwrap();
        assert_eq!(keys(&found), ["DC-1", "DC-2", "DC-3", "DC-4", "DC-5"]);

        let requests = server.requests();
        let starts: Vec<Value> = requests
            .iter()
            .map(|r| r.json()["startAt"].clone())
            .collect();
        assert_eq!(starts, [json!(0), json!(2), json!(4)]);
        for request in &requests {
            assert_eq!(request.path(), "/rest/api/2/search");
            let body = request.json();
            assert_eq!(body["validateQuery"], true);
            assert_eq!(body["fields"], json!(ISSUE_FIELDS));
            assert!(body.get("nextPageToken").is_none());
        }
    }

    #[test]
    fn data_center_search_respects_the_limit() {
        let server = dc_search_server(2, 50);
        let found = server
            .client(Deployment::DataCenter)
            .search("project = DC", 3)
            .unwrap();
        assert_eq!(keys(&found), ["DC-1", "DC-2", "DC-3"]);
        assert_eq!(server.requests().len(), 2);
    }

    fn ids(range: std::ops::RangeInclusive<u32>) -> Vec<String> {
        range.map(|n| (10000 + n).to_string()).collect()
    }

    /// A bulkfetch answering every asked id except multiples of 7.
    fn bulkfetch_reply(request: &Recorded) -> Reply {
        let asked: Vec<String> = serde_json::from_value(request.json()["issueIdsOrKeys"].clone())
            .expect("issueIdsOrKeys is a list of strings");
        let issues: Vec<Value> = asked
            .iter()
            .filter(|id| id.parse::<u32>().unwrap_or(0) % 7 != 0)
            .map(|id| issue_json(id, &format!("OPS-{id}"), "done"))
            .collect();
        Reply::json(200, json!({"issues": issues, "issueErrors": []}))
    }

    #[test]
    fn cloud_bulkfetch_batches_by_one_hundred() {
        let server = TestServer::start(bulkfetch_reply);
        let asked = ids(1..=250);
        let lookup = server
            .client(Deployment::Cloud)
            .issues_by_id(&asked)
            .unwrap();

        let requests = server.requests();
        assert_eq!(requests.len(), 3);
        let mut sizes: Vec<usize> = requests
            .iter()
            .map(|r| {
                assert_eq!(
                    (r.method.as_str(), r.path()),
                    ("POST", "/rest/api/3/issue/bulkfetch")
                );
                assert_eq!(
                    r.json()["fields"],
                    json!(["status", "project"]),
                    "a batch asks only for what a status check needs"
                );
                r.json()["issueIdsOrKeys"].as_array().map_or(0, Vec::len)
            })
            .collect();
        sizes.sort_unstable();
        assert_eq!(sizes, [50, 100, 100]);

        let sevens = asked
            .iter()
            .filter(|id| id.parse::<u32>().unwrap_or(0) % 7 == 0)
            .count();
        assert_eq!(lookup.found.len(), 250 - sevens);
        assert!(lookup.failed_ids.is_empty());
        let missing = lookup.missing(&asked);
        assert_eq!(missing.len(), sevens);
        assert!(
            missing
                .iter()
                .all(|id| id.parse::<u32>().unwrap_or(1) % 7 == 0)
        );
    }

    #[test]
    fn cloud_bulkfetch_reports_issue_errors_and_failed_batches() {
        let server = TestServer::start(|request| {
            let asked = request.json()["issueIdsOrKeys"].clone();
            if asked[0] == "10101" {
                return Reply::json(503, json!({"errorMessages": ["try later"]}));
            }
            Reply::json(
                200,
                json!({"issues": [issue_json("10001", "OPS-1", "new")],
                "issueErrors": [{"id": "10002", "errorMessage": "payload too large"}]}),
            )
        });
        let asked = ids(1..=150);
        let mut with_bad = asked.clone();
        with_bad.push("10003) OR (1=1".to_string());
        let lookup = server
            .client(Deployment::Cloud)
            .issues_by_id(&with_bad)
            .unwrap();

        assert_eq!(keys(&lookup.found), ["OPS-1"]);
        let failed: HashSet<&str> = lookup
            .failed_ids
            .iter()
            .map(|(id, _)| id.as_str())
            .collect();
        assert!(failed.contains("10002"));
        assert!(failed.contains("10003) OR (1=1"));
        assert!((10101..=10150).all(|n| failed.contains(n.to_string().as_str())));
        assert_eq!(failed.len(), 52);
        let batch_err = &lookup
            .failed_ids
            .iter()
            .find(|(id, _)| id == "10120")
            .unwrap()
            .1;
        assert!(batch_err.is_transient() && batch_err.to_string().contains("try later"));
        for request in server.requests() {
            assert!(!request.body.contains("OR (1=1"), "a malformed id was sent");
        }
    }

    #[test]
    fn data_center_batch_searches_ids_without_validation() {
        let server = TestServer::start(|request| {
            let jql = request.json()["jql"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let inner = jql.trim_start_matches("id in (").trim_end_matches(')');
            let issues: Vec<Value> = inner
                .split(", ")
                .filter(|id| *id != "10002")
                .map(|id| issue_json(id, &format!("DC-{id}"), "new"))
                .collect();
            let total = issues.len();
            Reply::json(
                200,
                json!({"startAt": 0, "maxResults": 100, "total": total, "issues": issues}),
            )
        });
        let asked = ids(1..=120);
        let lookup = server
            .client(Deployment::DataCenter)
            .issues_by_id(&asked)
            .unwrap();
        assert_eq!(lookup.found.len(), 119);
        assert_eq!(lookup.missing(&asked), ["10002"]);

        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        let mut jqls: Vec<String> = Vec::new();
        for request in &requests {
            assert_eq!(request.path(), "/rest/api/2/search");
            let body = request.json();
            assert_eq!(body["validateQuery"], false);
            assert_eq!(body["fields"], json!(["status", "project"]));
            let mut fields: Vec<&str> = body
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            fields.sort_unstable();
            assert_eq!(
                fields,
                ["fields", "jql", "maxResults", "startAt", "validateQuery"]
            );
            jqls.push(body["jql"].as_str().unwrap().to_string());
        }
        jqls.sort();
        assert!(jqls[0].starts_with("id in (10001, 10002, "), "{}", jqls[0]);
        assert_eq!(jqls[1], format!("id in ({})", ids(101..=120).join(", ")));
    }

    #[test]
    fn data_center_batches_page_on_when_the_site_applies_a_smaller_page() {
        // A site whose admin lowered the page size to 40: each batch of 100 ids takes
        // three pages, and no id is lost.
        let server = TestServer::start(|request| {
            let body = request.json();
            let jql = body["jql"].as_str().unwrap_or_default().to_string();
            let start = body["startAt"].as_u64().unwrap_or(0) as usize;
            let asked = body["maxResults"].as_u64().unwrap_or(0) as usize;
            let all: Vec<&str> = jql
                .trim_start_matches("id in (")
                .trim_end_matches(')')
                .split(", ")
                .collect();
            let size = asked.min(40);
            let issues: Vec<Value> = all
                .iter()
                .skip(start)
                .take(size)
                .map(|id| issue_json(id, &format!("DC-{id}"), "indeterminate"))
                .collect();
            Reply::json(
                200,
                json!({"startAt": start, "maxResults": size, "total": all.len(), "issues": issues}),
            )
        });
        let asked = ids(1..=150);
        let lookup = server
            .client(Deployment::DataCenter)
            .issues_by_id(&asked)
            .unwrap();
        assert_eq!(lookup.found.len(), 150);
        assert!(lookup.missing(&asked).is_empty());
        let mut pages: Vec<(u64, u64)> = server
            .requests()
            .iter()
            .map(|r| {
                let body = r.json();
                (
                    body["startAt"].as_u64().unwrap_or(999),
                    body["maxResults"].as_u64().unwrap_or(999),
                )
            })
            .collect();
        pages.sort_unstable();
        assert_eq!(
            pages,
            [(0, 50), (0, 100), (40, 10), (40, 60), (80, 20)],
            "each batch asks for what it still lacks"
        );
    }

    #[test]
    fn one_by_one_lookups_run_in_parallel_and_keep_their_order() {
        let in_flight = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let server = {
            let (in_flight, peak) = (Arc::clone(&in_flight), Arc::clone(&peak));
            TestServer::start_concurrent(move |request| {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(100));
                in_flight.fetch_sub(1, Ordering::SeqCst);
                let id = request
                    .path()
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_string();
                if id.ends_with('3') {
                    Reply::json(404, json!({"errorMessages": ["Issue does not exist"]}))
                } else {
                    Reply::json(200, issue_json(&id, &format!("OPS-{id}"), "done"))
                }
            })
        };
        let asked = ids(1..=8);
        let started = std::time::Instant::now();
        let results = server.client(Deployment::Cloud).issues_one_by_one(&asked);
        let elapsed = started.elapsed();

        assert_eq!(results.len(), 8);
        for (id, result) in asked.iter().zip(&results) {
            match result {
                Ok(Some(issue)) => assert_eq!(&issue.id, id),
                Ok(None) => assert!(id.ends_with('3'), "{id} was found missing"),
                Err(err) => panic!("{id}: {err}"),
            }
        }
        assert_eq!(peak.load(Ordering::SeqCst), 4, "the default limit of four");
        assert!(
            elapsed < Duration::from_millis(700),
            "eight 100 ms lookups, four at a time: {elapsed:?}"
        );
    }

    #[test]
    fn one_by_one_lookups_stop_after_refused_credentials() {
        let server =
            TestServer::start(|_| Reply::raw(401, "text/html", "<html>Unauthorized (401)</html>"));
        let client = server.client(Deployment::Cloud).with_concurrency(1);
        let results = client.issues_one_by_one(&ids(1..=5));
        assert_eq!(results.len(), 5);
        assert!(
            results
                .iter()
                .all(|r| r.as_ref().is_err_and(JiraError::is_auth))
        );
        assert_eq!(server.requests().len(), 1, "no request after the refusal");
    }

    #[test]
    fn refused_credentials_fail_the_whole_lookup() {
        let server =
            TestServer::start(|_| Reply::raw(401, "text/html", "<html>Unauthorized (401)</html>"));
        let err = server
            .client(Deployment::Cloud)
            .issues_by_id(&ids(1..=300))
            .unwrap_err();
        assert!(err.is_auth(), "{err}");
        assert!(
            server.requests().len() < 3 + 1,
            "workers stop after the refusal"
        );
    }

    #[test]
    fn gate_halves_down_to_one() {
        let gate = Gate::new(4);
        gate.throttled();
        assert_eq!(gate.limit(), 2);
        gate.throttled();
        gate.throttled();
        assert_eq!(gate.limit(), 1);
        assert_eq!(Gate::new(0).limit(), 1);
    }

    #[test]
    fn gate_never_exceeds_its_limit() {
        let gate = Gate::new(2);
        assert_eq!(gate.acquire(5), Some(0));
        assert_eq!(gate.acquire(5), Some(1));
        gate.throttled();
        gate.release();
        gate.release();
        assert_eq!(gate.acquire(5), Some(2));
        // The limit is now one: a second claim would block, so check the state.
        assert_eq!(lock(&gate.state).active, 1);
        gate.stop();
        assert_eq!(gate.acquire(5), None);
    }

    #[test]
    fn batches_run_in_parallel_and_slow_down_after_a_429() {
        let in_flight = Arc::new(AtomicUsize::new(0));
        // (arrival order, requests in flight on arrival)
        let seen: Arc<Mutex<Vec<(usize, usize)>>> = Arc::default();
        let server = {
            let (in_flight, seen) = (Arc::clone(&in_flight), Arc::clone(&seen));
            TestServer::start_concurrent(move |request| {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                lock(&seen).push((request.index, now));
                let reply = if request.index == 0 {
                    Reply::json(429, json!({})).header("Retry-After", "1")
                } else {
                    std::thread::sleep(Duration::from_millis(300));
                    bulkfetch_reply(request)
                };
                in_flight.fetch_sub(1, Ordering::SeqCst);
                reply
            })
        };
        let lookup = server
            .client(Deployment::Cloud)
            .issues_by_id(&ids(1..=800))
            .unwrap();
        assert!(lookup.failed_ids.is_empty());
        assert_eq!(server.requests().len(), 9, "8 batches plus one retry");

        let seen = lock(&seen).clone();
        let peak = seen.iter().map(|(_, n)| *n).max().unwrap_or(0);
        assert!((2..=4).contains(&peak), "peak in flight {peak}: {seen:?}");
        // The first four went out together; everything after the 429 runs at most
        // two at a time (without halving, three would start at once).
        let later_peak = seen
            .iter()
            .filter(|(index, _)| *index >= 4)
            .map(|(_, n)| *n)
            .max();
        assert!(later_peak.unwrap_or(0) <= 2, "after the 429: {seen:?}");
    }
}
