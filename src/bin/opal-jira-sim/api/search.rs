//! Searching: Cloud's `search/jql` (token paging), its removed predecessor (410), Data
//! Center's `search` (`startAt`/`total` paging, `validateQuery`) and Cloud's bulkfetch.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use serde_json::{Map, Value, json};

use super::render::FieldSet;
use super::{Call, json_object};
use crate::http::Reply;
use crate::jql::{self, Context};
use crate::state::{Issue, State};

const DEFAULT_PAGE: u32 = 50;

/// Cloud's `/search` and `/search/id` answer 410 since the CHANGE-2046 removal.
pub fn removed() -> Reply {
    Reply::jira_error(
        410,
        "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. \
         A full migration guideline is available at \
         https://developer.atlassian.com/changelog/#CHANGE-2046",
    )
}

/// The search parameters common to both flavours, from the query string or a JSON body.
#[derive(Debug, Default)]
struct Params {
    jql: String,
    fields: Vec<String>,
    max_results: Option<i64>,
    next_page_token: Option<String>,
    start_at: Option<i64>,
    validate_query: Option<bool>,
    reconcile: Vec<u64>,
}

fn bad_request(message: &str) -> Reply {
    Reply::jira_error(400, message)
}

/// Reads an optional integer member of a JSON body.
fn int(map: &Map<String, Value>, name: &str) -> Result<Option<i64>, Reply> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .map(Some)
            .ok_or_else(|| bad_request(&format!("'{name}' must be a number."))),
    }
}

/// Reads an optional array-of-strings member of a JSON body.
fn strings(map: &Map<String, Value>, name: &str) -> Result<Vec<String>, Reply> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(String::from))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| bad_request(&format!("'{name}' must be a list of strings."))),
        Some(_) => Err(bad_request(&format!("'{name}' must be a list of strings."))),
    }
}

fn query_int(call: &Call, name: &str) -> Result<Option<i64>, Reply> {
    match call.request.param(name) {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| bad_request(&format!("The value '{v}' is not valid for '{name}'."))),
    }
}

fn query_bool(call: &Call, name: &str) -> Result<Option<bool>, Reply> {
    match call.request.param(name) {
        None | Some("") => Ok(None),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(v) => Err(bad_request(&format!(
            "The value '{v}' is not valid for '{name}'."
        ))),
    }
}

impl Params {
    /// Cloud `search/jql`: GET query or POST `SearchAndReconcileRequestBean`.
    fn cloud(call: &Call) -> Result<Params, Reply> {
        if call.request.method == "GET" {
            let reconcile = call
                .request
                .params("reconcileIssues")
                .iter()
                .flat_map(|v| v.split(','))
                .filter(|v| !v.trim().is_empty())
                .map(|v| v.trim().parse::<u64>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| bad_request("'reconcileIssues' must list issue ids."))?;
            return Ok(Params {
                jql: call.request.param("jql").unwrap_or("").to_string(),
                fields: call
                    .request
                    .params("fields")
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                max_results: query_int(call, "maxResults")?,
                next_page_token: call.request.param("nextPageToken").map(String::from),
                reconcile,
                ..Params::default()
            });
        }
        let map = json_object(call.request)?;
        // `expand` is a comma-separated string here, unlike bulkfetch's list.
        if map
            .get("expand")
            .is_some_and(|e| !e.is_string() && !e.is_null())
        {
            return Err(bad_request("'expand' must be a comma-separated string."));
        }
        let reconcile = match map.get("reconcileIssues") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(ids)) => ids
                .iter()
                .map(Value::as_u64)
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| bad_request("'reconcileIssues' must list issue ids."))?,
            Some(_) => return Err(bad_request("'reconcileIssues' must list issue ids.")),
        };
        let token = match map.get("nextPageToken") {
            None | Some(Value::Null) => None,
            Some(Value::String(t)) => Some(t.clone()),
            Some(_) => return Err(bad_request("'nextPageToken' must be a string.")),
        };
        Ok(Params {
            jql: map
                .get("jql")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            fields: strings(&map, "fields")?,
            max_results: int(&map, "maxResults")?,
            next_page_token: token,
            reconcile,
            ..Params::default()
        })
    }

    /// DC `search`: GET query or POST `SearchRequestBean`, whose unknown members are
    /// rejected the way DC's JSON binding rejects them.
    fn datacenter(call: &Call) -> Result<Params, Reply> {
        if call.request.method == "GET" {
            return Ok(Params {
                jql: call.request.param("jql").unwrap_or("").to_string(),
                fields: call
                    .request
                    .params("fields")
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                max_results: query_int(call, "maxResults")?,
                start_at: query_int(call, "startAt")?,
                validate_query: query_bool(call, "validateQuery")?,
                ..Params::default()
            });
        }
        let map = json_object(call.request)?;
        let known = [
            "jql",
            "startAt",
            "maxResults",
            "validateQuery",
            "fields",
            "expand",
        ];
        if let Some(unknown) = map.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(bad_request(&format!(
                "Unrecognized field \"{unknown}\" (Class com.atlassian.jira.rest.v2.search.\
                 SearchRequestBean), not marked as ignorable"
            )));
        }
        let validate = match map.get("validateQuery") {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => return Err(bad_request("'validateQuery' must be true or false.")),
        };
        Ok(Params {
            jql: map
                .get("jql")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            fields: strings(&map, "fields")?,
            max_results: int(&map, "maxResults")?,
            start_at: int(&map, "startAt")?,
            validate_query: validate,
            ..Params::default()
        })
    }
}

/// Parses and resolves JQL, then returns the matching issues the caller may find, ordered.
fn run<'s>(
    state: &'s State,
    call: &Call,
    jql: &str,
    strict_values: bool,
    strict_keys: bool,
    reconcile: &[u64],
) -> Result<(Vec<&'s Issue>, bool), Reply> {
    let query = jql::parse(jql).map_err(|e| bad_request(&e.message))?;
    let caller = call.caller.user();
    let ctx = Context {
        state,
        caller,
        strict_values,
        strict_keys,
    };
    let compiled = jql::compile(&query, &ctx).map_err(|e| bad_request(&e.message))?;
    let mut found: Vec<&Issue> = state
        .issues
        .iter()
        .filter(|i| state.issue_visible(i, caller))
        .filter(|i| !i.hidden_from_search || reconcile.contains(&i.id))
        .filter(|i| compiled.matches(i))
        .collect();
    compiled.sort(state, &mut found);
    Ok((found, compiled.is_bounded()))
}

/// `GET|POST search/jql` (Cloud).
pub fn cloud(state: &State, call: &Call) -> Reply {
    let params = match Params::cloud(call) {
        Ok(p) => p,
        Err(reply) => return reply,
    };
    if params.reconcile.len() > 50 {
        return bad_request("'reconcileIssues' can hold at most 50 issue ids.");
    }
    let config = &state.config;
    let cap = if FieldSet::only_ids(&params.fields) {
        config.search_id_page_cap
    } else {
        config.search_page_cap
    };
    let max = match params.max_results {
        None => DEFAULT_PAGE.min(cap),
        Some(n) if n < 0 => return bad_request("'maxResults' must not be negative."),
        Some(n) => u32::try_from(n).unwrap_or(u32::MAX).min(cap),
    };
    let offset = match params.next_page_token.as_deref() {
        None | Some("") => 0,
        Some(token) => match PageToken::decode(token, &params.jql) {
            Some(offset) => offset,
            None => return bad_request("The provided next page token is invalid or expired."),
        },
    };

    let strict_keys = config.cloud_validate_keys;
    let (found, bounded) = match run(
        state,
        call,
        &params.jql,
        true,
        strict_keys,
        &params.reconcile,
    ) {
        Ok(r) => r,
        Err(reply) => return reply,
    };
    if !bounded {
        return bad_request(
            "Unbounded JQL queries are not allowed here. Please add a search restriction to \
             your query.",
        );
    }

    let fields = FieldSet::parse(&params.fields, FieldSet::IdOnly);
    let view = call.view(state);
    let page: Vec<Value> = found
        .iter()
        .skip(offset)
        .take(max as usize)
        .map(|i| view.issue(i, &fields))
        .collect();
    let end = offset + page.len();
    let is_last = end >= found.len();
    let mut body = json!({"issues": page, "isLast": is_last});
    if !is_last {
        body["nextPageToken"] = json!(PageToken::encode(&params.jql, end));
    }
    Reply::json(200, &body)
}

/// `GET|POST search` (Data Center).
pub fn datacenter(state: &State, call: &Call) -> Reply {
    let params = match Params::datacenter(call) {
        Ok(p) => p,
        Err(reply) => return reply,
    };
    let cap = state.config.search_page_cap;
    let max = match params.max_results {
        None => DEFAULT_PAGE.min(cap),
        Some(n) if n < 0 => DEFAULT_PAGE.min(cap),
        Some(n) => u32::try_from(n).unwrap_or(u32::MAX).min(cap),
    };
    let start = params.start_at.unwrap_or(0).max(0);
    let start = usize::try_from(start).unwrap_or(usize::MAX);
    let validate = params.validate_query.unwrap_or(true);

    let (found, _) = match run(state, call, &params.jql, validate, validate, &[]) {
        Ok(r) => r,
        Err(reply) => return reply,
    };
    let fields = FieldSet::parse(&params.fields, FieldSet::all());
    let view = call.view(state);
    let page: Vec<Value> = found
        .iter()
        .skip(start)
        .take(max as usize)
        .map(|i| view.issue(i, &fields))
        .collect();
    Reply::json(
        200,
        &json!({
            "expand": "schema,names",
            "startAt": start,
            "maxResults": max,
            "total": found.len(),
            "issues": page,
        }),
    )
}

/// `POST issue/bulkfetch` (Cloud): missing and hidden issues are silently left out.
pub fn bulkfetch(state: &State, call: &Call) -> Reply {
    let map = match json_object(call.request) {
        Ok(map) => map,
        Err(reply) => return reply,
    };
    let known = [
        "issueIdsOrKeys",
        "fields",
        "expand",
        "properties",
        "fieldsByKeys",
    ];
    if let Some(unknown) = map.keys().find(|k| !known.contains(&k.as_str())) {
        return bad_request(&format!("Unrecognized field \"{unknown}\"."));
    }
    // `expand` is a list here, unlike search/jql's comma-separated string.
    if map
        .get("expand")
        .is_some_and(|e| !e.is_array() && !e.is_null())
    {
        return bad_request("'expand' must be a list of strings.");
    }
    if !map.get("issueIdsOrKeys").is_some_and(Value::is_array) {
        return Reply::field_error(400, "issueIdsOrKeys", "issueIdsOrKeys is required.");
    }
    let (wanted, fields) = match (strings(&map, "issueIdsOrKeys"), strings(&map, "fields")) {
        (Ok(w), Ok(f)) => (w, f),
        (Err(reply), _) | (_, Err(reply)) => return reply,
    };
    let cap = state.config.bulkfetch_cap as usize;
    if wanted.is_empty() || wanted.len() > cap {
        return Reply::field_error(
            400,
            "issueIdsOrKeys",
            &format!("Provide between 1 and {cap} issue ids or keys."),
        );
    }

    let caller = call.caller.user();
    let mut ids: Vec<u64> = wanted
        .iter()
        .filter_map(|w| state.issue_id(w.trim()))
        .filter(|id| {
            state
                .issue(*id)
                .is_some_and(|i| state.issue_visible(i, caller))
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();

    let fields = FieldSet::parse(&fields, FieldSet::all());
    let view = call.view(state);
    let issues: Vec<Value> = ids
        .iter()
        .filter_map(|id| state.issue(*id))
        .map(|i| view.issue(i, &fields))
        .collect();
    Reply::json(
        200,
        &json!({"expand": "", "issues": issues, "issueErrors": []}),
    )
}

/// The opaque `nextPageToken`: the offset of the next page, bound to the JQL it came from.
struct PageToken;

impl PageToken {
    fn fingerprint(jql: &str) -> u64 {
        let mut hasher = DefaultHasher::new();
        jql.hash(&mut hasher);
        hasher.finish()
    }

    fn encode(jql: &str, offset: usize) -> String {
        format!("{:016x}{offset:x}", PageToken::fingerprint(jql))
    }

    /// The offset stored in a token, if the token is well-formed and was made for `jql`.
    fn decode(token: &str, jql: &str) -> Option<usize> {
        let fingerprint = u64::from_str_radix(token.get(..16)?, 16).ok()?;
        let offset = usize::from_str_radix(token.get(16..)?, 16).ok()?;
        (fingerprint == PageToken::fingerprint(jql)).then_some(offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_token_round_trips_for_the_same_jql() {
        let jql = "project = ABC ORDER BY key";
        for offset in [1, 50, 4999, 123_456] {
            let token = PageToken::encode(jql, offset);
            assert_eq!(PageToken::decode(&token, jql), Some(offset));
        }
    }

    #[test]
    fn page_token_rejects_other_jql_and_garbage() {
        let token = PageToken::encode("project = ABC", 100);
        assert_eq!(PageToken::decode(&token, "project = XYZ"), None);
        assert_eq!(PageToken::decode("", "project = ABC"), None);
        assert_eq!(
            PageToken::decode("not-a-token-at-all!", "project = ABC"),
            None
        );
        assert_eq!(PageToken::decode(&token[..16], "project = ABC"), None);
        assert_eq!(
            PageToken::decode(&format!("{token}zz"), "project = ABC"),
            None
        );
    }
}
