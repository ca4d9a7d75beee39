//! JQL grammar, by precedence from loosest to tightest:
//!
//! ```text
//! query    := [or_expr] [ORDER BY key {, key}]
//! or_expr  := and_expr {OR and_expr}
//! and_expr := not_expr {AND not_expr}
//! not_expr := NOT not_expr | '(' or_expr ')' | clause
//! clause   := field (op operand | [NOT] IN list | IS [NOT] (EMPTY|NULL))
//! operand  := word | string | EMPTY | NULL | name '(' [operand {, operand}] ')'
//! ```

use super::JqlError;
use super::lexer::{Symbol, Tok, Token, symbol_text, tokenize};

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The restriction; `None` for an unbounded query such as `ORDER BY key`.
    pub filter: Option<Expr>,
    pub order: Vec<OrderKey>,
}

/// A boolean combination of clauses.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Clause(Clause),
}

/// `field op value(s)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// The field as written (quotes removed).
    pub field: String,
    pub op: Op,
    /// One operand, several for `IN`, none for `IS`.
    pub operands: Vec<Operand>,
}

/// A clause operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    NotEq,
    Like,
    NotLike,
    Gt,
    Ge,
    Lt,
    Le,
    In,
    NotIn,
    IsEmpty,
    IsNotEmpty,
}

impl Op {
    /// How the operator is written, for error messages.
    pub fn text(self) -> &'static str {
        match self {
            Op::In => "in",
            Op::NotIn => "not in",
            Op::IsEmpty => "is",
            Op::IsNotEmpty => "is not",
            Op::Eq => symbol_text(Symbol::Eq),
            Op::NotEq => symbol_text(Symbol::NotEq),
            Op::Like => symbol_text(Symbol::Like),
            Op::NotLike => symbol_text(Symbol::NotLike),
            Op::Gt => symbol_text(Symbol::Gt),
            Op::Ge => symbol_text(Symbol::Ge),
            Op::Lt => symbol_text(Symbol::Lt),
            Op::Le => symbol_text(Symbol::Le),
        }
    }
}

/// A value on the right of an operator.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// A bare word or quoted string.
    Text(String),
    /// `EMPTY` or `NULL` unquoted.
    Empty,
    /// A function call such as `currentUser()`.
    Func { name: String, args: Vec<String> },
}

/// One `ORDER BY` term.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderKey {
    pub field: String,
    pub descending: bool,
}

/// Words that must be quoted when used as a field name or value. A subset of Jira's list,
/// chosen so that project keys like `INT` or `DO` trip up a client that forgets to quote.
const RESERVED: &[&str] = &[
    "and", "are", "as", "asc", "at", "by", "do", "desc", "else", "empty", "end", "for", "from",
    "go", "if", "in", "int", "into", "is", "not", "null", "of", "on", "or", "order", "select",
    "set", "then", "to", "update", "user", "where", "while", "with",
];

fn is_reserved(word: &str) -> bool {
    RESERVED.iter().any(|r| r.eq_ignore_ascii_case(word))
}

/// Parses a whole JQL query.
pub fn parse(input: &str) -> Result<Query, JqlError> {
    let tokens = tokenize(input)?;
    let end = end_position(input);
    let mut parser = Parser {
        tokens,
        pos: 0,
        end,
    };
    parser.query()
}

/// Where "end of query" is, for messages about a missing token.
fn end_position(input: &str) -> (usize, usize) {
    let line = input.matches('\n').count() + 1;
    let last = input.rsplit('\n').next().unwrap_or("");
    (line, last.chars().count() + 1)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    end: (usize, usize),
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn peek_word(&self, offset: usize, word: &str) -> bool {
        matches!(self.tokens.get(self.pos + offset), Some(Token { tok: Tok::Word(w), .. })
            if w.eq_ignore_ascii_case(word))
    }

    fn advance(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        token
    }

    /// An error pointing at the current token (or the end of the query).
    fn unexpected(&self, expected: &str) -> JqlError {
        match self.peek() {
            Some(t) => JqlError::at(
                &format!("Expecting {expected} but got '{}'", t.describe()),
                t.line,
                t.col,
            ),
            None => JqlError::at(
                &format!("Expecting {expected} but reached the end of the query"),
                self.end.0,
                self.end.1,
            ),
        }
    }

    fn query(&mut self) -> Result<Query, JqlError> {
        let filter = if self.peek().is_none() || self.at_order_by() {
            None
        } else {
            Some(self.or_expr()?)
        };
        let mut order = Vec::new();
        if self.at_order_by() {
            self.pos += 2;
            order.push(self.order_key()?);
            while matches!(
                self.peek(),
                Some(Token {
                    tok: Tok::Comma,
                    ..
                })
            ) {
                self.pos += 1;
                order.push(self.order_key()?);
            }
        }
        if self.peek().is_some() {
            let expected = if order.is_empty() {
                "either 'OR' or 'AND'"
            } else {
                "',' or the end"
            };
            return Err(self.unexpected(expected));
        }
        Ok(Query { filter, order })
    }

    fn at_order_by(&self) -> bool {
        self.peek_word(0, "order") && self.peek_word(1, "by")
    }

    fn order_key(&mut self) -> Result<OrderKey, JqlError> {
        let field = self.field()?;
        let descending = if self.peek_word(0, "desc") {
            self.pos += 1;
            true
        } else {
            if self.peek_word(0, "asc") {
                self.pos += 1;
            }
            false
        };
        Ok(OrderKey { field, descending })
    }

    fn or_expr(&mut self) -> Result<Expr, JqlError> {
        let mut left = self.and_expr()?;
        while self.peek_word(0, "or") || matches!(self.peek().map(|t| &t.tok), Some(Tok::OrSym)) {
            self.pos += 1;
            let right = self.and_expr()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> Result<Expr, JqlError> {
        let mut left = self.not_expr()?;
        while self.peek_word(0, "and") || matches!(self.peek().map(|t| &t.tok), Some(Tok::AndSym)) {
            self.pos += 1;
            let right = self.not_expr()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn not_expr(&mut self) -> Result<Expr, JqlError> {
        if self.peek_word(0, "not") || matches!(self.peek().map(|t| &t.tok), Some(Tok::NotSym)) {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.not_expr()?)));
        }
        if matches!(self.peek().map(|t| &t.tok), Some(Tok::LParen)) {
            self.pos += 1;
            let inner = self.or_expr()?;
            if !matches!(self.peek().map(|t| &t.tok), Some(Tok::RParen)) {
                return Err(self.unexpected("')'"));
            }
            self.pos += 1;
            return Ok(inner);
        }
        Ok(Expr::Clause(self.clause()?))
    }

    /// A field name: a non-reserved word or a quoted string.
    fn field(&mut self) -> Result<String, JqlError> {
        match self.peek().cloned() {
            Some(Token {
                tok: Tok::Str(s), ..
            }) => {
                self.pos += 1;
                Ok(s)
            }
            Some(Token {
                tok: Tok::Word(w),
                line,
                col,
            }) => {
                if is_reserved(&w) {
                    return Err(reserved_error(&w, line, col));
                }
                self.pos += 1;
                Ok(w)
            }
            _ => Err(self.unexpected("a field name")),
        }
    }

    fn clause(&mut self) -> Result<Clause, JqlError> {
        let field = self.field()?;
        let op_token = self.advance();
        let op = match op_token.as_ref().map(|t| &t.tok) {
            Some(Tok::Op(symbol)) => match symbol {
                Symbol::Eq => Op::Eq,
                Symbol::NotEq => Op::NotEq,
                Symbol::Like => Op::Like,
                Symbol::NotLike => Op::NotLike,
                Symbol::Gt => Op::Gt,
                Symbol::Ge => Op::Ge,
                Symbol::Lt => Op::Lt,
                Symbol::Le => Op::Le,
            },
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("in") => Op::In,
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("not") && self.peek_word(0, "in") => {
                self.pos += 1;
                Op::NotIn
            }
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("is") => {
                let negated = self.peek_word(0, "not");
                if negated {
                    self.pos += 1;
                }
                if !(self.peek_word(0, "empty") || self.peek_word(0, "null")) {
                    return Err(self.unexpected("'EMPTY' or 'NULL'"));
                }
                self.pos += 1;
                let op = if negated { Op::IsNotEmpty } else { Op::IsEmpty };
                return Ok(Clause {
                    field,
                    op,
                    operands: Vec::new(),
                });
            }
            _ => {
                self.pos -= 1;
                return Err(self.unexpected("an operator such as '=', '!=', '~', 'in' or 'is'"));
            }
        };
        let operands = if matches!(op, Op::In | Op::NotIn) {
            self.list()?
        } else {
            vec![self.operand()?]
        };
        Ok(Clause {
            field,
            op,
            operands,
        })
    }

    fn list(&mut self) -> Result<Vec<Operand>, JqlError> {
        if !matches!(self.peek().map(|t| &t.tok), Some(Tok::LParen)) {
            return Err(self.unexpected("'('"));
        }
        self.pos += 1;
        let mut items = vec![self.operand()?];
        loop {
            match self.advance().map(|t| t.tok) {
                Some(Tok::Comma) => items.push(self.operand()?),
                Some(Tok::RParen) => return Ok(items),
                _ => {
                    self.pos -= 1;
                    return Err(self.unexpected("',' or ')'"));
                }
            }
        }
    }

    fn operand(&mut self) -> Result<Operand, JqlError> {
        let Some(token) = self.peek().cloned() else {
            return Err(self.unexpected("a value"));
        };
        match token.tok {
            Tok::Str(s) => {
                self.pos += 1;
                Ok(Operand::Text(s))
            }
            Tok::Word(w) => {
                self.pos += 1;
                if w.eq_ignore_ascii_case("empty") || w.eq_ignore_ascii_case("null") {
                    return Ok(Operand::Empty);
                }
                if matches!(self.peek().map(|t| &t.tok), Some(Tok::LParen)) {
                    self.pos += 1;
                    return Ok(Operand::Func {
                        name: w,
                        args: self.arguments()?,
                    });
                }
                if is_reserved(&w) {
                    return Err(reserved_error(&w, token.line, token.col));
                }
                Ok(Operand::Text(w))
            }
            _ => Err(self.unexpected("a value")),
        }
    }

    /// Function arguments after the opening parenthesis, up to and including `)`.
    fn arguments(&mut self) -> Result<Vec<String>, JqlError> {
        let mut args = Vec::new();
        if matches!(self.peek().map(|t| &t.tok), Some(Tok::RParen)) {
            self.pos += 1;
            return Ok(args);
        }
        loop {
            match self.advance().map(|t| t.tok) {
                Some(Tok::Word(w) | Tok::Str(w)) => args.push(w),
                _ => {
                    self.pos -= 1;
                    return Err(self.unexpected("a function argument"));
                }
            }
            match self.advance().map(|t| t.tok) {
                Some(Tok::Comma) => continue,
                Some(Tok::RParen) => return Ok(args),
                _ => {
                    self.pos -= 1;
                    return Err(self.unexpected("',' or ')'"));
                }
            }
        }
    }
}

fn reserved_error(word: &str, line: usize, col: usize) -> JqlError {
    let what = format!("'{word}' is a reserved JQL word; put it in quotation marks to use it");
    JqlError::at(&what, line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(field: &str, op: Op, values: &[&str]) -> Expr {
        let operands = values
            .iter()
            .map(|v| Operand::Text(v.to_string()))
            .collect();
        Expr::Clause(Clause {
            field: field.into(),
            op,
            operands,
        })
    }

    fn and(a: Expr, b: Expr) -> Expr {
        Expr::And(Box::new(a), Box::new(b))
    }

    fn or(a: Expr, b: Expr) -> Expr {
        Expr::Or(Box::new(a), Box::new(b))
    }

    fn not(a: Expr) -> Expr {
        Expr::Not(Box::new(a))
    }

    fn filter(jql: &str) -> Expr {
        parse(jql).unwrap().filter.unwrap()
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let (a, b, c) = (
            clause("a", Op::Eq, &["1"]),
            clause("b", Op::Eq, &["2"]),
            clause("c", Op::Eq, &["3"]),
        );
        assert_eq!(
            filter("a = 1 OR b = 2 AND c = 3"),
            or(a.clone(), and(b.clone(), c.clone()))
        );
        assert_eq!(
            filter("a = 1 and b = 2 or c = 3"),
            or(and(a.clone(), b.clone()), c.clone())
        );
        assert_eq!(
            filter("(a = 1 OR b = 2) AND c = 3"),
            and(or(a.clone(), b.clone()), c.clone())
        );
        assert_eq!(filter("a = 1 || b = 2 && c = 3"), or(a, and(b, c)));
    }

    #[test]
    fn not_binds_tightest() {
        let (a, b) = (clause("a", Op::Eq, &["1"]), clause("b", Op::Eq, &["2"]));
        assert_eq!(
            filter("NOT a = 1 AND b = 2"),
            and(not(a.clone()), b.clone())
        );
        assert_eq!(
            filter("not (a = 1 AND b = 2)"),
            not(and(a.clone(), b.clone()))
        );
        assert_eq!(filter("! a = 1"), not(a));
    }

    #[test]
    fn all_operators_parse() {
        assert_eq!(
            filter("key in (A-1, \"A-2\")"),
            clause("key", Op::In, &["A-1", "A-2"])
        );
        assert_eq!(
            filter("key NOT IN (A-1)"),
            clause("key", Op::NotIn, &["A-1"])
        );
        assert_eq!(
            filter("summary ~ 'x y'"),
            clause("summary", Op::Like, &["x y"])
        );
        assert_eq!(
            filter("summary !~ x"),
            clause("summary", Op::NotLike, &["x"])
        );
        assert_eq!(
            filter("updated >= -1d"),
            clause("updated", Op::Ge, &["-1d"])
        );
        let empty = Expr::Clause(Clause {
            field: "assignee".into(),
            op: Op::IsEmpty,
            operands: vec![],
        });
        assert_eq!(filter("assignee is EMPTY"), empty);
        let not_empty = Expr::Clause(Clause {
            field: "assignee".into(),
            op: Op::IsNotEmpty,
            operands: vec![],
        });
        assert_eq!(filter("assignee IS NOT null"), not_empty);
        let f = Operand::Func {
            name: "currentUser".into(),
            args: vec![],
        };
        let me = Expr::Clause(Clause {
            field: "assignee".into(),
            op: Op::Eq,
            operands: vec![f],
        });
        assert_eq!(filter("assignee = currentUser()"), me);
        let e = Expr::Clause(Clause {
            field: "assignee".into(),
            op: Op::In,
            operands: vec![Operand::Empty, Operand::Text("x".into())],
        });
        assert_eq!(filter("assignee in (EMPTY, x)"), e);
    }

    #[test]
    fn order_by_terms_and_unbounded_queries() {
        let q = parse("project = A ORDER BY updated DESC, key asc, created").unwrap();
        assert!(q.filter.is_some());
        let fields: Vec<_> = q
            .order
            .iter()
            .map(|k| (k.field.as_str(), k.descending))
            .collect();
        assert_eq!(
            fields,
            vec![("updated", true), ("key", false), ("created", false)]
        );
        let unbounded = parse("order by key").unwrap();
        assert_eq!(unbounded.filter, None);
        assert_eq!(unbounded.order.len(), 1);
        assert_eq!(
            parse("").unwrap(),
            Query {
                filter: None,
                order: vec![]
            }
        );
    }

    #[test]
    fn quoted_values_and_fields_may_hold_anything() {
        assert_eq!(
            filter(r#"project = "INT""#),
            clause("project", Op::Eq, &["INT"])
        );
        assert_eq!(
            filter(r#""summary" ~ "a \"b\" \\ c""#),
            clause("summary", Op::Like, &["a \"b\" \\ c"])
        );
    }

    #[test]
    fn reserved_words_must_be_quoted() {
        let err = parse("project = INT").unwrap_err();
        assert!(
            err.message.contains("'INT' is a reserved JQL word"),
            "{}",
            err.message
        );
        assert!(err.message.contains("character 11"), "{}", err.message);
        assert!(parse("project in (ABC, do)").is_err());
    }

    #[test]
    fn syntax_errors_name_the_position() {
        let cases = [
            ("project = ", "(line 1, character 11)"),
            ("project ABC", "(line 1, character 9)"),
            ("a = 1 b = 2", "(line 1, character 7)"),
            ("(a = 1", "(line 1, character 7)"),
            ("key in A-1", "(line 1, character 8)"),
            ("key in (A-1 A-2)", "(line 1, character 13)"),
            ("assignee is nobody", "(line 1, character 13)"),
            ("a = 1 AND", "(line 1, character 10)"),
            ("a = 1\nAND = 2", "(line 2, character 5)"),
            ("order by", "(line 1, character 9)"),
        ];
        for (jql, position) in cases {
            let err = parse(jql).unwrap_err();
            assert!(
                err.message.starts_with("Error in the JQL Query: "),
                "{jql}: {}",
                err.message
            );
            assert!(err.message.ends_with(position), "{jql}: {}", err.message);
        }
    }
}
