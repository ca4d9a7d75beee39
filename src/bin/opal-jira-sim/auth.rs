//! Who is calling: Cloud accepts HTTP Basic `email:api-token`, Data Center accepts
//! `Bearer <personal access token>` (a PAT sent as a Basic password is refused, as on DC).

use crate::state::{Flavor, State};

/// The outcome of checking a request's `Authorization` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// No credentials were sent.
    Anonymous,
    /// Credentials matched this user (index into `State::users`).
    User(usize),
    /// Credentials were sent but did not match an active user.
    Bad,
}

impl Caller {
    /// The user index, if authenticated.
    pub fn user(self) -> Option<usize> {
        match self {
            Caller::User(u) => Some(u),
            _ => None,
        }
    }
}

/// Checks the header against the site's users for the current flavour.
pub fn identify(state: &State, authorization: Option<&str>) -> Caller {
    let Some(header) = authorization.map(str::trim).filter(|h| !h.is_empty()) else {
        return Caller::Anonymous;
    };
    let (scheme, credentials) = header.split_once(' ').unwrap_or((header, ""));
    let credentials = credentials.trim();
    let found = match state.config.flavor {
        Flavor::Cloud if scheme.eq_ignore_ascii_case("basic") => {
            let decoded = base64_decode(credentials).and_then(|b| String::from_utf8(b).ok());
            decoded.and_then(|pair| {
                let (email, token) = pair.split_once(':')?;
                state.users.iter().position(|u| {
                    u.active
                        && u.email.eq_ignore_ascii_case(email)
                        && u.token.as_deref() == Some(token)
                })
            })
        }
        Flavor::DataCenter if scheme.eq_ignore_ascii_case("bearer") => {
            state.users.iter().position(|u| {
                u.active && !credentials.is_empty() && u.token.as_deref() == Some(credentials)
            })
        }
        _ => None,
    };
    found.map_or(Caller::Bad, Caller::User)
}

/// How the request log shows the caller; never the secret itself.
pub fn log_label(state: &State, caller: Caller) -> String {
    match caller {
        Caller::Anonymous => "none".into(),
        Caller::Bad => "bad".into(),
        Caller::User(u) => {
            let scheme = match state.config.flavor {
                Flavor::Cloud => "basic",
                Flavor::DataCenter => "bearer",
            };
            format!("{scheme}:{}", state.users[u].email)
        }
    }
}

/// Decodes standard base64 (padding optional); `None` on any invalid character.
fn base64_decode(input: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in input.trim_end_matches('=').bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::NewUser;

    fn site(flavor: Flavor) -> State {
        let mut s = State::new(flavor);
        s.add_user(NewUser::new("ann@example.com", Some("s3cret")))
            .unwrap();
        let mut off = NewUser::new("old@example.com", Some("gone"));
        off.active = false;
        s.add_user(off).unwrap();
        s
    }

    #[test]
    fn base64_decodes_with_and_without_padding() {
        assert_eq!(base64_decode("YW5uOnMzY3JldA==").unwrap(), b"ann:s3cret");
        assert_eq!(base64_decode("YQ").unwrap(), b"a");
        assert_eq!(base64_decode("YWI=").unwrap(), b"ab");
        assert_eq!(base64_decode("bad!"), None);
    }

    #[test]
    fn cloud_takes_basic_email_and_token_only() {
        let s = site(Flavor::Cloud);
        // "ann@example.com:s3cret"
        let good = "Basic YW5uQGV4YW1wbGUuY29tOnMzY3JldA==";
        assert_eq!(identify(&s, Some(good)), Caller::User(0));
        assert_eq!(log_label(&s, Caller::User(0)), "basic:ann@example.com");
        // "ann@example.com:wrong"
        assert_eq!(
            identify(&s, Some("Basic YW5uQGV4YW1wbGUuY29tOndyb25n")),
            Caller::Bad
        );
        assert_eq!(identify(&s, Some("Bearer s3cret")), Caller::Bad);
        assert_eq!(identify(&s, None), Caller::Anonymous);
        // "old@example.com:gone": inactive users cannot log in.
        assert_eq!(
            identify(&s, Some("Basic b2xkQGV4YW1wbGUuY29tOmdvbmU=")),
            Caller::Bad
        );
    }

    #[test]
    fn datacenter_takes_bearer_pat_only() {
        let s = site(Flavor::DataCenter);
        assert_eq!(identify(&s, Some("Bearer s3cret")), Caller::User(0));
        assert_eq!(log_label(&s, Caller::User(0)), "bearer:ann@example.com");
        assert_eq!(
            identify(&s, Some("Basic YW5uQGV4YW1wbGUuY29tOnMzY3JldA==")),
            Caller::Bad
        );
        assert_eq!(identify(&s, Some("Bearer ")), Caller::Bad);
        assert_eq!(identify(&s, Some("Bearer nope")), Caller::Bad);
        assert_eq!(identify(&s, Some("Bearer gone")), Caller::Bad);
    }
}
