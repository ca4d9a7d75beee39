//! JQL tokens: words, quoted strings, operators and punctuation, each with its position.

use super::JqlError;

/// A comparison operator written with symbols.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbol {
    Eq,
    NotEq,
    Like,
    NotLike,
    Gt,
    Ge,
    Lt,
    Le,
}

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// An unquoted run of ordinary characters (field names, keys, keywords, numbers).
    Word(String),
    /// A single- or double-quoted string, escapes already applied.
    Str(String),
    Op(Symbol),
    LParen,
    RParen,
    Comma,
    /// `&&`, a synonym of `AND`.
    AndSym,
    /// `||`, a synonym of `OR`.
    OrSym,
    /// `!` on its own, a synonym of `NOT`.
    NotSym,
}

/// A token and where it starts (1-based line and character, as Jira reports them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub line: usize,
    pub col: usize,
}

impl Token {
    /// How the token reads in an error message.
    pub fn describe(&self) -> String {
        match &self.tok {
            Tok::Word(w) => w.clone(),
            Tok::Str(s) => format!("\"{s}\""),
            Tok::Op(op) => symbol_text(*op).to_string(),
            Tok::LParen => "(".into(),
            Tok::RParen => ")".into(),
            Tok::Comma => ",".into(),
            Tok::AndSym => "&&".into(),
            Tok::OrSym => "||".into(),
            Tok::NotSym => "!".into(),
        }
    }
}

/// The written form of an operator symbol.
pub fn symbol_text(op: Symbol) -> &'static str {
    match op {
        Symbol::Eq => "=",
        Symbol::NotEq => "!=",
        Symbol::Like => "~",
        Symbol::NotLike => "!~",
        Symbol::Gt => ">",
        Symbol::Ge => ">=",
        Symbol::Lt => "<",
        Symbol::Le => "<=",
    }
}

/// Characters that end an unquoted word.
fn is_delimiter(c: char) -> bool {
    c.is_whitespace() || "\"'(),=!<>~&|".contains(c)
}

/// Splits a JQL string into tokens.
pub fn tokenize(input: &str) -> Result<Vec<Token>, JqlError> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let (mut i, mut line, mut col) = (0, 1, 1);

    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            (i, line, col) = (i + 1, line + 1, 1);
            continue;
        }
        if c.is_whitespace() {
            (i, col) = (i + 1, col + 1);
            continue;
        }
        let start = (line, col);
        let next = chars.get(i + 1).copied();
        let (tok, width) = match (c, next) {
            ('(', _) => (Tok::LParen, 1),
            (')', _) => (Tok::RParen, 1),
            (',', _) => (Tok::Comma, 1),
            ('=', _) => (Tok::Op(Symbol::Eq), 1),
            ('~', _) => (Tok::Op(Symbol::Like), 1),
            ('!', Some('=')) => (Tok::Op(Symbol::NotEq), 2),
            ('!', Some('~')) => (Tok::Op(Symbol::NotLike), 2),
            ('!', _) => (Tok::NotSym, 1),
            ('>', Some('=')) => (Tok::Op(Symbol::Ge), 2),
            ('>', _) => (Tok::Op(Symbol::Gt), 1),
            ('<', Some('=')) => (Tok::Op(Symbol::Le), 2),
            ('<', _) => (Tok::Op(Symbol::Lt), 1),
            ('&', Some('&')) => (Tok::AndSym, 2),
            ('|', Some('|')) => (Tok::OrSym, 2),
            ('&' | '|', _) => {
                let msg = format!("the character '{c}' is reserved and must be quoted");
                return Err(JqlError::at(&msg, line, col));
            }
            ('"' | '\'', _) => {
                let (text, used, lines) = quoted(&chars[i..], line, col)?;
                tokens.push(Token {
                    tok: Tok::Str(text),
                    line,
                    col,
                });
                i += used;
                if lines > 0 {
                    line += lines;
                    col = 1 + chars[..i]
                        .iter()
                        .rev()
                        .take_while(|ch| **ch != '\n')
                        .count();
                } else {
                    col += used;
                }
                continue;
            }
            _ => {
                let len = chars[i..]
                    .iter()
                    .take_while(|ch| !is_delimiter(**ch))
                    .count();
                (Tok::Word(chars[i..i + len].iter().collect()), len)
            }
        };
        tokens.push(Token {
            tok,
            line: start.0,
            col: start.1,
        });
        i += width;
        col += width;
    }
    Ok(tokens)
}

/// Reads a quoted string starting at `chars[0]` (the quote). Returns the unescaped text,
/// the characters consumed and the newlines crossed.
fn quoted(chars: &[char], line: usize, col: usize) -> Result<(String, usize, usize), JqlError> {
    let quote = chars[0];
    let mut text = String::new();
    let mut i = 1;
    let mut newlines = 0;
    while i < chars.len() {
        match chars[i] {
            c if c == quote => return Ok((text, i + 1, newlines)),
            '\\' => {
                let escaped = match chars.get(i + 1) {
                    Some('"') => '"',
                    Some('\'') => '\'',
                    Some('\\') => '\\',
                    Some(' ') => ' ',
                    Some('n') => '\n',
                    Some('t') => '\t',
                    Some('r') => '\r',
                    Some('u') => {
                        let hex: String = chars.iter().skip(i + 2).take(4).collect();
                        let code = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                        match code {
                            Some(ch) if hex.len() == 4 => {
                                text.push(ch);
                                i += 6;
                                continue;
                            }
                            _ => {
                                let msg = "illegal unicode escape '\\u' in a quoted string";
                                return Err(JqlError::at(msg, line, col + i));
                            }
                        }
                    }
                    Some(other) => {
                        let msg = format!("illegal escape sequence '\\{other}' in a quoted string");
                        return Err(JqlError::at(&msg, line, col + i));
                    }
                    None => break,
                };
                text.push(escaped);
                i += 2;
            }
            c => {
                if c == '\n' {
                    newlines += 1;
                }
                text.push(c);
                i += 1;
            }
        }
    }
    Err(JqlError::at("the quoted string is not closed", line, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(input: &str) -> Vec<Tok> {
        tokenize(input)
            .unwrap()
            .into_iter()
            .map(|t| t.tok)
            .collect()
    }

    fn word(w: &str) -> Tok {
        Tok::Word(w.into())
    }

    #[test]
    fn splits_words_operators_and_punctuation() {
        assert_eq!(
            toks("key in (ABC-1,10002) AND summary ~ x"),
            vec![
                word("key"),
                word("in"),
                Tok::LParen,
                word("ABC-1"),
                Tok::Comma,
                word("10002"),
                Tok::RParen,
                word("AND"),
                word("summary"),
                Tok::Op(Symbol::Like),
                word("x"),
            ]
        );
        assert_eq!(
            toks("a!=b c!~d e>=f g<=h i>j k<l m=n"),
            vec![
                word("a"),
                Tok::Op(Symbol::NotEq),
                word("b"),
                word("c"),
                Tok::Op(Symbol::NotLike),
                word("d"),
                word("e"),
                Tok::Op(Symbol::Ge),
                word("f"),
                word("g"),
                Tok::Op(Symbol::Le),
                word("h"),
                word("i"),
                Tok::Op(Symbol::Gt),
                word("j"),
                word("k"),
                Tok::Op(Symbol::Lt),
                word("l"),
                word("m"),
                Tok::Op(Symbol::Eq),
                word("n"),
            ]
        );
        assert_eq!(
            toks("!a && b || c"),
            vec![
                Tok::NotSym,
                word("a"),
                Tok::AndSym,
                word("b"),
                Tok::OrSym,
                word("c")
            ]
        );
    }

    #[test]
    fn quoted_strings_unescape() {
        assert_eq!(toks(r#""say \"hi\"""#), vec![Tok::Str("say \"hi\"".into())]);
        assert_eq!(
            toks(r#"'it\'s' "a\\b""#),
            vec![Tok::Str("it's".into()), Tok::Str("a\\b".into())]
        );
        assert_eq!(toks(r#""x\u0041y""#), vec![Tok::Str("xAy".into())]);
        assert_eq!(toks(r#""a 'b' c""#), vec![Tok::Str("a 'b' c".into())]);
        assert_eq!(toks(r#"'a "b"'"#), vec![Tok::Str("a \"b\"".into())]);
    }

    #[test]
    fn emails_and_relative_dates_are_single_words() {
        assert_eq!(
            toks("ann.lee@example.com -1d"),
            vec![word("ann.lee@example.com"), word("-1d")]
        );
    }

    #[test]
    fn positions_are_one_based_and_track_lines() {
        let t = tokenize("a = \"x\"\n  AND b").unwrap();
        assert_eq!((t[0].line, t[0].col), (1, 1));
        assert_eq!((t[2].line, t[2].col), (1, 5));
        assert_eq!((t[3].line, t[3].col), (2, 3));
        assert_eq!((t[4].line, t[4].col), (2, 7));
    }

    #[test]
    fn bad_strings_are_errors_with_position() {
        let err = tokenize("summary ~ \"open").unwrap_err();
        assert!(err.message.contains("not closed"), "{}", err.message);
        assert!(
            err.message.contains("(line 1, character 11)"),
            "{}",
            err.message
        );
        let err = tokenize(r#"a = "x\qy""#).unwrap_err();
        assert!(err.message.contains("\\q"), "{}", err.message);
        assert!(tokenize(r#"a = "\u12""#).is_err());
        assert!(tokenize("a = b & c").is_err());
    }
}
