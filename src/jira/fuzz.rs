//! Property tests over what comes from outside: JQL quoting of user text, ticket keys
//! typed by people, and response bodies from Jira (arbitrary and mutated JSON). None
//! may panic, and nothing malformed may be accepted.
//!
//! Each property runs 256 cases by default; set `PROPTEST_CASES` for a longer run.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::model::{ServerInfo, WireIssue, WireServerInfo, is_issue_id};
use super::{Issue, JiraMessages, jql, validate_key};

/// Reads a JQL string literal the way Jira's lexer does: `\"` and `\\` are escapes, a
/// bare `"` ends the literal. Returns the value and what follows the closing quote.
fn unquote(text: &str) -> Option<(String, &str)> {
    let mut chars = text.strip_prefix('"')?.char_indices();
    let mut value = String::new();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                (_, escaped @ ('"' | '\\')) => value.push(escaped),
                _ => return None,
            },
            '"' => return Some((value, &text[1 + at + 1..])),
            c => value.push(c),
        }
    }
    None
}

/// Any JSON value, nested a few levels.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        any::<String>().prop_map(Value::from),
        "[0-9]{1,6}".prop_map(Value::from),
        "[A-Z]{2,4}-[0-9]{1,3}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    "[a-zA-Z]{1,12}",
                    Just("id".to_string()),
                    Just("key".to_string()),
                    Just("fields".to_string()),
                    Just("status".to_string()),
                ],
                inner,
                0..6
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// A well-formed issue as Jira sends it.
fn issue() -> Value {
    json!({"id": "10012", "key": "OPS-12", "fields": {
        "summary": "Disk full on db-3",
        "status": {"name": "In Progress", "statusCategory": {"id": 4, "key": "indeterminate"}},
        "assignee": {"accountId": "5b10a", "displayName": "Ana Lima", "active": true},
        "project": {"id": "10000", "key": "OPS", "name": "Operations"},
        "updated": "2024-05-01T09:30:00.000+0000"
    }})
}

/// Replaces the value at a path of object keys (the path stops where objects do).
fn replace_at(doc: &mut Value, path: &[&str], replacement: Value) {
    match path.split_first() {
        Some((step, rest)) if doc.get(*step).is_some() => {
            if let Some(next) = doc.get_mut(*step) {
                replace_at(next, rest, replacement);
            }
        }
        _ => *doc = replacement,
    }
}

const PATHS: [&[&str]; 9] = [
    &[],
    &["id"],
    &["key"],
    &["fields"],
    &["fields", "status"],
    &["fields", "status", "statusCategory"],
    &["fields", "status", "statusCategory", "key"],
    &["fields", "assignee"],
    &["fields", "updated"],
];

/// What any accepted issue must look like.
fn assert_sane(issue: &Issue) {
    assert!(is_issue_id(&issue.id), "id {:?}", issue.id);
    assert_eq!(validate_key(&issue.key).ok().as_ref(), Some(&issue.key));
}

proptest! {
    #[test]
    fn quoted_values_read_back_unchanged(value in any::<String>()) {
        let quoted = jql::quote(&value);
        let (read, rest) = unquote(&quoted).expect("a complete literal");
        let expected: String = value
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        prop_assert_eq!(read, expected);
        prop_assert_eq!(rest, "", "nothing escapes the literal");
    }

    #[test]
    fn quoting_stops_injection(value in r#"[a-z"\\ ()=]{0,20}"#) {
        let clause = format!("project = {} AND assignee = currentUser()", jql::quote(&value));
        let literal = clause.strip_prefix("project = ").expect("prefix");
        let (_, rest) = unquote(literal).expect("a literal");
        prop_assert_eq!(rest, " AND assignee = currentUser()");
    }

    #[test]
    fn keys_are_accepted_only_in_shape(text in any::<String>()) {
        if let Ok(key) = validate_key(&text) {
            prop_assert_eq!(&key, &text.to_ascii_uppercase());
            let (project, number) = key.rsplit_once('-').expect("a dash");
            prop_assert!(project.len() >= 2 && key.len() <= 64);
            prop_assert!(project.starts_with(|c: char| c.is_ascii_uppercase()));
            prop_assert!(project.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'));
            prop_assert!(!number.starts_with('0') && number.chars().all(|c| c.is_ascii_digit()));
        }
    }

    #[test]
    fn well_formed_keys_are_accepted(project in "[A-Za-z][A-Za-z0-9_]{1,9}", number in 1u32..10_000_000) {
        let key = format!("{project}-{number}");
        prop_assert_eq!(validate_key(&key).ok(), Some(key.to_ascii_uppercase()));
    }

    #[test]
    fn arbitrary_json_never_makes_a_bad_issue(doc in any_json()) {
        if let Ok(wire) = serde_json::from_value::<WireIssue>(doc) {
            assert_sane(&Issue::from(wire));
        }
    }

    #[test]
    fn mutated_issues_are_read_or_refused(
        path in prop::sample::select(&PATHS[..]),
        replacement in any_json(),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut doc = issue();
        replace_at(&mut doc, path, replacement);
        let mut bytes = serde_json::to_vec(&doc).expect("serializes");
        if truncate {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        if let Ok(wire) = serde_json::from_slice::<WireIssue>(&bytes) {
            assert_sane(&Issue::from(wire));
        }
        if let Ok(wire) = serde_json::from_slice::<WireServerInfo>(&bytes) {
            let _ = ServerInfo::from(wire);
        }
        let _ = JiraMessages::from_body(&bytes).to_string();
    }

    #[test]
    fn arbitrary_bytes_are_never_an_issue(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        if let Ok(wire) = serde_json::from_slice::<WireIssue>(&bytes) {
            assert_sane(&Issue::from(wire));
        }
        let _ = JiraMessages::from_body(&bytes).to_string();
    }
}

#[test]
fn the_reference_unquoter_reads_jira_literals() {
    assert_eq!(
        unquote(r#""a\"b\\c" rest"#),
        Some((r#"a"b\c"#.into(), " rest"))
    );
    assert_eq!(unquote(r#""open"#), None);
    assert_eq!(unquote(r#""bad \x""#), None);
}

#[test]
fn malformed_ids_and_keys_refuse_the_issue() {
    for (id, key) in [
        ("abc", "OPS-1"),
        ("10001", "not a key"),
        ("-1", "OPS-1"),
        ("10001", "OPS-0"),
    ] {
        let doc = json!({"id": id, "key": key, "fields": {}});
        let err = serde_json::from_value::<WireIssue>(doc).expect_err(id);
        assert!(err.to_string().contains("is not a"), "{err}");
    }
    assert!(serde_json::from_value::<WireIssue>(issue()).is_ok());
}
