//! Single-issue endpoints: `GET issue/{idOrKey}` and `POST issue/{idOrKey}/comment`.

use serde_json::{Value, json};

use super::render::FieldSet;
use super::{Call, json_object};
use crate::http::Reply;
use crate::state::{Flavor, State, jira_time};

const NOT_FOUND: &str = "Issue does not exist or you do not have permission to see it.";

/// Resolves an id or (current or historical) key to an issue the caller may see.
fn visible(state: &State, call: &Call, id_or_key: &str) -> Option<u64> {
    let id = state.issue_id(id_or_key)?;
    let issue = state.issue(id)?;
    state.issue_visible(issue, Some(call.user())).then_some(id)
}

/// `GET issue/{idOrKey}?fields=`: deleted, forbidden and unknown issues are all 404;
/// a moved issue is found by its old key and answers with its current key.
pub fn get(state: &State, call: &Call, id_or_key: &str) -> Reply {
    let Some(id) = visible(state, call, id_or_key) else {
        return Reply::jira_error(404, NOT_FOUND);
    };
    let fields = FieldSet::parse(&call.request.params("fields"), FieldSet::all());
    let issue = state
        .issue(id)
        .expect("visible() returned an existing issue id");
    Reply::json(200, &call.view(state).issue(issue, &fields))
}

/// `POST issue/{idOrKey}/comment`: v3 wants an Atlassian Document, v2 a string.
pub fn comment(state: &mut State, call: &Call, id_or_key: &str) -> Reply {
    let Some(id) = visible(state, call, id_or_key) else {
        return Reply::jira_error(404, NOT_FOUND);
    };
    let body = match json_object(call.request) {
        Ok(mut map) => map.remove("body").unwrap_or(Value::Null),
        Err(reply) => return reply,
    };
    if call.version == 3 {
        if !is_adf_document(&body) {
            return Reply::field_error(
                400,
                "comment",
                "Comment body must be an Atlassian Document Format document.",
            );
        }
    } else if body.as_str().is_none_or(|s| s.trim().is_empty()) {
        return Reply::field_error(400, "comment", "Comment body can not be empty!");
    }

    let author = call.user();
    let comment = state.add_comment(id, author, body, call.version).clone();
    let view = call.view(state);
    let mut json = json!({
        "self": format!("{}/rest/api/{}/issue/{id}/comment/{}", call.base, call.version, comment.id),
        "id": comment.id.to_string(),
        "author": view.user(author),
        "body": comment.body,
        "updateAuthor": view.user(author),
        "created": jira_time(comment.created),
        "updated": jira_time(comment.created),
    });
    if state.config.flavor == Flavor::Cloud {
        json["jsdPublic"] = json!(true);
    }
    Reply::json(201, &json)
}

/// A minimal structural check of an ADF document: `{"type":"doc","version":1,"content":[..]}`.
pub(super) fn is_adf_document(body: &Value) -> bool {
    body.get("type").and_then(Value::as_str) == Some("doc")
        && body.get("version").and_then(Value::as_u64) == Some(1)
        && body.get("content").is_some_and(Value::is_array)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adf_check_accepts_documents_only() {
        let doc = json!({"type": "doc", "version": 1, "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": "hi"}]}
        ]});
        assert!(is_adf_document(&doc));
        assert!(!is_adf_document(&json!("hi")));
        assert!(!is_adf_document(
            &json!({"type": "doc", "version": 2, "content": []})
        ));
        assert!(!is_adf_document(
            &json!({"type": "paragraph", "version": 1, "content": []})
        ));
    }
}
