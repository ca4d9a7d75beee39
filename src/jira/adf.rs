//! Atlassian Document Format: the rich-text shape Cloud's REST v3 wants for issue
//! descriptions and comments (v2, on Cloud and Data Center, takes plain strings).

use serde_json::{Value, json};

/// A document with one paragraph per non-empty line of `text`.
pub fn document(text: &str) -> Value {
    let paragraphs: Vec<Value> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| json!({"type": "paragraph", "content": [{"type": "text", "text": line}]}))
        .collect();
    json!({"type": "doc", "version": 1, "content": paragraphs})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_paragraph_per_line() {
        let doc = document("Access granted.\n\nReason: INC-4");
        assert_eq!(doc["type"], "doc");
        assert_eq!(doc["version"], 1);
        let paragraphs = doc["content"].as_array().unwrap();
        assert_eq!(paragraphs.len(), 2, "the empty line is dropped");
        assert_eq!(paragraphs[1]["content"][0]["text"], "Reason: INC-4");
        assert_eq!(document("")["content"], json!([]));
    }
}
