//! Masking credentials in text that opal-jira keeps: the output of grant and revoke
//! commands goes to the audit log, which outlives the access it records.
//!
//! Best effort by design: it recognizes the usual ways programs print a secret
//! (`password=…`, `token: …`, `"api_key": "…"`, `Authorization: Bearer …`,
//! `https://user:secret@host`, PEM private key blocks) and replaces the secret with
//! `********`. A command that prints a bare secret with no label is not caught, which is
//! why the README asks hook authors not to print credentials at all.

/// What replaces a secret.
const MASK: &str = "********";

/// Words that label the value after them as a secret, in lower case. Any word that
/// contains one counts (`db_password`, `X-Api-Key`).
const LABELS: [&str; 10] = [
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "api_key",
    "api-key",
    "access_key",
    "private_key",
    "credential",
];

/// `text` with every recognized secret masked.
pub fn secrets(text: &str) -> String {
    let text = private_key_blocks(text);
    let text = url_credentials(&text);
    let text = auth_schemes(&text);
    labelled_values(&text)
}

/// Masks the body of each `-----BEGIN … PRIVATE KEY-----` block (to its END line, or to
/// the end of the text when the output was cut).
fn private_key_blocks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(begin) = rest.find("-----BEGIN ") {
        let header_end = rest[begin..].find("-----\n").map(|at| begin + at + 6);
        let Some(header_end) = header_end.filter(|end| rest[begin..*end].contains("PRIVATE KEY"))
        else {
            out.push_str(&rest[..begin + 11]);
            rest = &rest[begin + 11..];
            continue;
        };
        out.push_str(&rest[..header_end]);
        out.push_str(MASK);
        out.push('\n');
        match rest[header_end..].find("-----END ") {
            Some(end) => rest = &rest[header_end + end..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// `scheme://user:secret@host` becomes `scheme://user:********@host`.
fn url_credentials(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let start = at + 3;
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let authority_end = rest
            .find(|c: char| c == '/' || c.is_whitespace() || c == '"' || c == '\'')
            .unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        if let (Some(colon), Some(at_sign)) = (authority.find(':'), authority.rfind('@'))
            && colon < at_sign
        {
            out.push_str(&authority[..=colon]);
            out.push_str(MASK);
            rest = &rest[at_sign..];
        }
    }
    out.push_str(rest);
    out
}

/// `Bearer <token>` and `Basic <token>` lose the token.
fn auth_schemes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let lower = text.to_ascii_lowercase();
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = ["bearer ", "basic "]
        .iter()
        .filter_map(|scheme| {
            lower[search..]
                .find(scheme)
                .map(|at| (search + at, scheme.len()))
        })
        .min()
    {
        let (at, len) = found;
        let value_start = at + len;
        let value_len = value_len(&text[value_start..]);
        // Short words after "basic " are prose ("basic setup"), not credentials.
        if value_len >= 8 && !text[value_start..].starts_with(MASK) {
            out.push_str(&text[copied..value_start]);
            out.push_str(MASK);
            copied = value_start + value_len;
        }
        search = value_start;
    }
    out.push_str(&text[copied..]);
    out
}

/// `label=value`, `label: value`, `"label": "value"`: the value is masked.
fn labelled_values(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut search = 0;
    while let Some((at, len)) = LABELS
        .iter()
        .filter_map(|label| {
            lower[search..]
                .find(label)
                .map(|at| (search + at, label.len()))
        })
        .min()
    {
        // The rest of the word the label is part of (`_hash`, `"`), then a separator.
        let mut cursor = at + len;
        cursor += text[cursor..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(text.len() - cursor);
        let after_word = cursor;
        cursor += skip(&text[cursor..], |c| c == '"' || c == '\'' || c == ' ');
        let separator = text[cursor..].chars().next();
        if !matches!(separator, Some('=' | ':')) {
            search = after_word.max(at + 1);
            continue;
        }
        cursor += 1;
        cursor += skip(&text[cursor..], |c| {
            c == ' ' || c == '\t' || c == '"' || c == '\''
        });
        let value = value_len(&text[cursor..]);
        if value > 0 && !text[cursor..].starts_with(MASK) {
            out.push_str(&text[copied..cursor]);
            out.push_str(MASK);
            copied = cursor + value;
        }
        // Step past the value, or past one whole character when there is none.
        let step = match value {
            0 => text[cursor..].chars().next().map_or(1, char::len_utf8),
            value => value,
        };
        search = cursor + step;
        if search >= text.len() {
            break;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// The length of a secret value: up to whitespace, a quote or a list separator.
fn value_len(text: &str) -> usize {
    text.find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';' | '&' | '}' | ')'))
        .unwrap_or(text.len())
}

fn skip(text: &str, what: impl Fn(char) -> bool) -> usize {
    text.find(|c: char| !what(c)).unwrap_or(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labelled_values_are_masked() {
        let cases = [
            ("password=hunter2", "password=********"),
            ("DB_PASSWORD: hunter2 done", "DB_PASSWORD: ******** done"),
            (
                r#"{"api_key": "abc123", "user": "ana"}"#,
                r#"{"api_key": "********", "user": "ana"}"#,
            ),
            ("token=a1&user=b", "token=********&user=b"),
            ("X-Api-Key: k-9", "X-Api-Key: ********"),
            ("secret = 's3 cr3t'", "secret = '******** cr3t'"),
            (
                "created role with password 'x'",
                "created role with password 'x'",
            ),
            ("tokens: none", "tokens: ********"),
        ];
        for (input, expected) in cases {
            assert_eq!(secrets(input), expected, "{input}");
        }
    }

    #[test]
    fn other_forms_are_masked() {
        assert_eq!(
            secrets("curl -H 'Authorization: Bearer eyJhbGciOi.x.y' https://a"),
            "curl -H 'Authorization: Bearer ********' https://a"
        );
        assert_eq!(secrets("basic setup done"), "basic setup done");
        assert_eq!(
            secrets("postgres://admin:pa55@db:5432/x and http://host/path"),
            "postgres://admin:********@db:5432/x and http://host/path"
        );
        let pem = "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nAAAA\n-----END RSA PRIVATE KEY-----\nok";
        assert_eq!(
            secrets(pem),
            "key:\n-----BEGIN RSA PRIVATE KEY-----\n********\n-----END RSA PRIVATE KEY-----\nok"
        );
        let cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        assert_eq!(secrets(cert), cert, "certificates are public");
    }

    #[test]
    fn plain_output_is_untouched() {
        for text in [
            "",
            "granted prod-db to ana@acme.com",
            "ünïcode: ok",
            "a=b c:d",
        ] {
            assert_eq!(secrets(text), text);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_handled(text in "(.|password=|token: |Bearer |://a:b@|-----BEGIN X PRIVATE KEY-----\n){0,40}") {
            // No panic on any text, and masking twice changes nothing more.
            let masked = secrets(&text);
            proptest::prop_assert_eq!(secrets(&masked), masked);
        }

        #[test]
        fn text_without_labels_is_untouched(text in "[a-z0-9 .,é€\n]{0,80}") {
            let labelled = LABELS.iter().any(|label| text.contains(label))
                || text.contains("bearer ")
                || text.contains("basic ");
            if !labelled {
                proptest::prop_assert_eq!(secrets(&text), text);
            }
        }

        #[test]
        fn labelled_values_never_survive(value in "[A-Za-z0-9+/=_-]{1,30}", label in proptest::sample::select(&LABELS[..])) {
            let forms = [
                (format!("{label}={value}"), format!("{label}={MASK}")),
                (format!("\"{label}\": \"{value}\""), format!("\"{label}\": \"{MASK}\"")),
                (format!("X_{label}: {value} end"), format!("X_{label}: {MASK} end")),
            ];
            for (form, expected) in forms {
                proptest::prop_assert_eq!(secrets(&form), expected);
            }
        }
    }
}
