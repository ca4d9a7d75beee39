//! Turns a parsed query into a matcher over the site's issues: every value is resolved
//! once (project keys to projects, users to accounts, keys to issue ids), so filtering
//! thousands of issues is a cheap walk.

use std::cmp::Ordering;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};

use super::JqlError;
use super::parser::{Clause, Expr, Op, Operand, Query};
use crate::state::{Category, Flavor, Issue, State, key_number};

/// What the query is evaluated against and how strictly values are checked.
pub struct Context<'a> {
    pub state: &'a State,
    /// The authenticated user, for `currentUser()` and visibility.
    pub caller: Option<usize>,
    /// Reject values that name no project, user, status or category.
    pub strict_values: bool,
    /// Reject keys and ids that name no issue the caller can see (DC `validateQuery`).
    pub strict_keys: bool,
}

/// A query ready to filter and order issues.
#[derive(Debug)]
pub struct Compiled {
    filter: Option<Node>,
    order: Vec<(SortField, bool)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Project,
    Assignee,
    Reporter,
    Status,
    Category,
    Issue,
    Summary,
    Text,
    Created,
    Updated,
    Resolution,
}

impl Field {
    fn from_name(name: &str) -> Option<Field> {
        let field = match name.to_ascii_lowercase().as_str() {
            "project" => Field::Project,
            "assignee" => Field::Assignee,
            "reporter" => Field::Reporter,
            "status" => Field::Status,
            "statuscategory" => Field::Category,
            "key" | "issuekey" | "issue" | "id" => Field::Issue,
            "summary" => Field::Summary,
            "text" => Field::Text,
            "created" | "createddate" => Field::Created,
            "updated" | "updateddate" => Field::Updated,
            "resolution" => Field::Resolution,
            _ => return None,
        };
        Some(field)
    }

    fn supports(self, op: Op) -> bool {
        use Op::*;
        match self {
            Field::Summary => matches!(op, Like | NotLike | IsEmpty | IsNotEmpty),
            Field::Text => matches!(op, Like),
            Field::Created | Field::Updated => {
                matches!(op, Eq | NotEq | Gt | Ge | Lt | Le | IsEmpty | IsNotEmpty)
            }
            _ => matches!(op, Eq | NotEq | In | NotIn | IsEmpty | IsNotEmpty),
        }
    }
}

#[derive(Debug)]
enum Node {
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Test(Test),
}

/// A resolved clause. `negate` follows Jira: `!=` and `not in` never match an empty field.
#[derive(Debug)]
enum Test {
    Const(bool),
    Project {
        set: Vec<usize>,
        negate: bool,
    },
    User {
        reporter: bool,
        set: Vec<usize>,
        empty: bool,
        negate: bool,
    },
    Status {
        set: Vec<String>,
        negate: bool,
    },
    Category {
        set: Vec<Category>,
        negate: bool,
    },
    Issue {
        set: Vec<u64>,
        negate: bool,
    },
    Resolution {
        done: bool,
        empty: bool,
        negate: bool,
    },
    Words {
        words: Vec<String>,
        negate: bool,
    },
    SummaryEmpty(bool),
    Date {
        updated: bool,
        op: Op,
        at: DateTime<Utc>,
    },
}

#[derive(Debug, Clone, Copy)]
enum SortField {
    Key,
    Id,
    Created,
    Updated,
    Summary,
    Status,
    Category,
    Assignee,
    Reporter,
    Project,
    Resolution,
}

/// Resolves a parsed query against the site.
pub fn compile(query: &Query, ctx: &Context) -> Result<Compiled, JqlError> {
    let filter = query.filter.as_ref().map(|e| node(e, ctx)).transpose()?;
    let mut order = Vec::new();
    for key in &query.order {
        let field = match key.field.to_ascii_lowercase().as_str() {
            "key" | "issuekey" | "issue" => SortField::Key,
            "id" => SortField::Id,
            "created" | "createddate" => SortField::Created,
            "updated" | "updateddate" => SortField::Updated,
            "summary" => SortField::Summary,
            "status" => SortField::Status,
            "statuscategory" => SortField::Category,
            "assignee" => SortField::Assignee,
            "reporter" => SortField::Reporter,
            "project" => SortField::Project,
            "resolution" => SortField::Resolution,
            "text" => {
                return Err(JqlError::plain("Field 'text' does not support sorting."));
            }
            _ => return Err(unknown_field(&key.field)),
        };
        order.push((field, key.descending));
    }
    Ok(Compiled { filter, order })
}

fn unknown_field(name: &str) -> JqlError {
    JqlError::plain(format!(
        "Field '{name}' does not exist or you do not have permission to view it."
    ))
}

fn node(expr: &Expr, ctx: &Context) -> Result<Node, JqlError> {
    Ok(match expr {
        Expr::And(a, b) => Node::And(Box::new(node(a, ctx)?), Box::new(node(b, ctx)?)),
        Expr::Or(a, b) => Node::Or(Box::new(node(a, ctx)?), Box::new(node(b, ctx)?)),
        Expr::Not(a) => Node::Not(Box::new(node(a, ctx)?)),
        Expr::Clause(c) => Node::Test(test(c, ctx)?),
    })
}

fn test(clause: &Clause, ctx: &Context) -> Result<Test, JqlError> {
    let name = clause.field.as_str();
    let field = Field::from_name(name).ok_or_else(|| unknown_field(name))?;
    if !field.supports(clause.op) {
        return Err(JqlError::plain(format!(
            "The operator '{}' is not supported by the '{name}' field.",
            clause.op.text()
        )));
    }
    let negate = matches!(
        clause.op,
        Op::NotEq | Op::NotIn | Op::NotLike | Op::IsNotEmpty
    );
    let empty_test = matches!(clause.op, Op::IsEmpty | Op::IsNotEmpty);
    let always_set = matches!(
        field,
        Field::Project
            | Field::Status
            | Field::Category
            | Field::Issue
            | Field::Created
            | Field::Updated
    );
    if empty_test && always_set {
        return Ok(Test::Const(clause.op == Op::IsNotEmpty));
    }

    let resolver = Resolver {
        ctx,
        field_name: name,
    };
    Ok(match field {
        Field::Project => Test::Project {
            set: resolver.each(clause, Resolver::project)?,
            negate,
        },
        Field::Status => Test::Status {
            set: resolver.each(clause, Resolver::status)?,
            negate,
        },
        Field::Category => Test::Category {
            set: resolver.each(clause, Resolver::category)?,
            negate,
        },
        Field::Issue => Test::Issue {
            set: resolver.each(clause, Resolver::issue)?,
            negate,
        },
        Field::Assignee | Field::Reporter => {
            let empty = empty_test || clause.operands.contains(&Operand::Empty);
            let set = resolver.each(clause, Resolver::user)?;
            Test::User {
                reporter: field == Field::Reporter,
                set,
                empty,
                negate,
            }
        }
        Field::Resolution => {
            let values = resolver.each(clause, Resolver::resolution)?;
            let empty =
                empty_test || clause.operands.contains(&Operand::Empty) || values.contains(&false);
            Test::Resolution {
                done: values.contains(&true),
                empty,
                negate,
            }
        }
        Field::Summary if empty_test => Test::SummaryEmpty(!negate),
        Field::Summary | Field::Text => Test::Words {
            words: resolver.words(clause)?,
            negate,
        },
        Field::Created | Field::Updated => {
            let at = resolver.date(&clause.operands[0])?;
            Test::Date {
                updated: field == Field::Updated,
                op: clause.op,
                at,
            }
        }
    })
}

/// Resolves the operands of one clause.
struct Resolver<'a, 'b> {
    ctx: &'a Context<'b>,
    field_name: &'a str,
}

impl Resolver<'_, '_> {
    /// Resolves every non-empty operand; operands naming nothing are dropped unless strict.
    fn each<T>(
        &self,
        clause: &Clause,
        resolve: fn(&Self, &Operand) -> Result<Option<T>, JqlError>,
    ) -> Result<Vec<T>, JqlError> {
        let mut out = Vec::new();
        for operand in &clause.operands {
            if *operand == Operand::Empty {
                continue;
            }
            if let Some(v) = resolve(self, operand)? {
                out.push(v);
            }
        }
        Ok(out)
    }

    fn missing_value(&self, value: &str, strict: bool) -> Result<Option<()>, JqlError> {
        if strict {
            return Err(JqlError::plain(format!(
                "The value '{value}' does not exist for the field '{}'.",
                self.field_name
            )));
        }
        Ok(None)
    }

    /// The text of an operand; functions other than those a field accepts are errors.
    fn text<'o>(&self, operand: &'o Operand) -> Result<&'o str, JqlError> {
        match operand {
            Operand::Text(t) => Ok(t),
            Operand::Func { name, .. } => Err(self.bad_function(name)),
            Operand::Empty => Ok(""),
        }
    }

    fn bad_function(&self, name: &str) -> JqlError {
        let known = ["currentuser", "now"].contains(&name.to_ascii_lowercase().as_str());
        if known {
            JqlError::plain(format!(
                "The function '{name}' is not supported by the field '{}'.",
                self.field_name
            ))
        } else {
            JqlError::plain(format!("Unable to find JQL function '{name}()'."))
        }
    }

    fn project(&self, operand: &Operand) -> Result<Option<usize>, JqlError> {
        let text = self.text(operand)?;
        let state = self.ctx.state;
        let found = state
            .project_by_ref(text)
            .filter(|p| state.project_visible(*p, self.ctx.caller));
        match found {
            Some(p) => Ok(Some(p)),
            None => self
                .missing_value(text, self.ctx.strict_values)
                .map(|_| None),
        }
    }

    fn status(&self, operand: &Operand) -> Result<Option<String>, JqlError> {
        let text = self.text(operand)?;
        match self.ctx.state.status_known(text) {
            Some(name) => Ok(Some(name.to_lowercase())),
            None => self
                .missing_value(text, self.ctx.strict_values)
                .map(|_| None),
        }
    }

    fn category(&self, operand: &Operand) -> Result<Option<Category>, JqlError> {
        let text = self.text(operand)?;
        match Category::parse(text) {
            Some(c) => Ok(Some(c)),
            None => self
                .missing_value(text, self.ctx.strict_values)
                .map(|_| None),
        }
    }

    fn user(&self, operand: &Operand) -> Result<Option<usize>, JqlError> {
        if let Operand::Func { name, args } = operand {
            if name.eq_ignore_ascii_case("currentuser") && args.is_empty() {
                return Ok(self.ctx.caller);
            }
            if !name.eq_ignore_ascii_case("currentuser") {
                return Err(self.bad_function(name));
            }
            return Err(JqlError::plain(
                "The function 'currentUser' takes no arguments.",
            ));
        }
        let text = self.text(operand)?;
        let state = self.ctx.state;
        let found = state.users.iter().position(|u| {
            u.email.eq_ignore_ascii_case(text)
                || match state.config.flavor {
                    Flavor::Cloud => u.account_id == text,
                    Flavor::DataCenter => {
                        u.name.eq_ignore_ascii_case(text) || u.key.eq_ignore_ascii_case(text)
                    }
                }
        });
        match found {
            Some(u) => Ok(Some(u)),
            None => self
                .missing_value(text, self.ctx.strict_values)
                .map(|_| None),
        }
    }

    fn issue(&self, operand: &Operand) -> Result<Option<u64>, JqlError> {
        let text = self.text(operand)?;
        let strict = self.ctx.strict_keys;
        let numeric = text.parse::<u64>().is_ok();
        if !numeric && key_number(text).is_none() {
            if strict {
                return Err(JqlError::plain(format!(
                    "The issue key '{text}' for field '{}' is invalid.",
                    self.field_name
                )));
            }
            return Ok(None);
        }
        let state = self.ctx.state;
        let visible = state
            .issue_id(text)
            .and_then(|id| state.issue(id))
            .filter(|issue| state.issue_visible(issue, self.ctx.caller));
        match visible {
            Some(issue) => Ok(Some(issue.id)),
            None if strict => Err(JqlError::plain(format!(
                "An issue with key '{text}' does not exist for field '{}'.",
                self.field_name
            ))),
            None => Ok(None),
        }
    }

    /// `Some(true)` for a resolution value, `Some(false)` for `Unresolved`.
    fn resolution(&self, operand: &Operand) -> Result<Option<bool>, JqlError> {
        let text = self.text(operand)?;
        if text.eq_ignore_ascii_case("unresolved") {
            return Ok(Some(false));
        }
        if text.eq_ignore_ascii_case("done") || text == "10000" {
            return Ok(Some(true));
        }
        self.missing_value(text, self.ctx.strict_values)
            .map(|_| None)
    }

    /// The lower-case words of a `~` operand; `*` wildcards are dropped.
    fn words(&self, clause: &Clause) -> Result<Vec<String>, JqlError> {
        let text = match &clause.operands[0] {
            Operand::Text(t) => t.as_str(),
            Operand::Empty => "",
            Operand::Func { name, .. } => return Err(self.bad_function(name)),
        };
        let words: Vec<String> = text
            .split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| c == '*' || c == '?')
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            return Err(JqlError::plain(format!(
                "The field '{}' does not support searching for an empty string.",
                self.field_name
            )));
        }
        Ok(words)
    }

    fn date(&self, operand: &Operand) -> Result<DateTime<Utc>, JqlError> {
        let now = self.ctx.state.now();
        if let Operand::Func { name, .. } = operand {
            if name.eq_ignore_ascii_case("now") {
                return Ok(now);
            }
            return Err(self.bad_function(name));
        }
        let text = self.text(operand)?;
        parse_date(text, now).ok_or_else(|| {
            JqlError::plain(format!(
                "Date value '{text}' for field '{}' is invalid. Use 'yyyy-MM-dd', \
                 'yyyy/MM/dd', either with ' HH:mm', or a period such as '-5d' or '-4w 2d'.",
                self.field_name
            ))
        })
    }
}

/// Parses an absolute date (UTC) or a period relative to `now` such as `-1d` or `-4w 2d`.
pub fn parse_date(text: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let text = text.trim();
    for format in ["%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Some(t.and_utc());
        }
    }
    for format in ["%Y-%m-%d", "%Y/%m/%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(text, format) {
            return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
        }
    }
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let mut total = Duration::zero();
    let mut parts = 0;
    for part in body.split_whitespace() {
        let unit = part.chars().last()?;
        let amount: i64 = part[..part.len() - unit.len_utf8()].parse().ok()?;
        total += match unit {
            'w' => Duration::weeks(amount),
            'd' => Duration::days(amount),
            'h' => Duration::hours(amount),
            'm' => Duration::minutes(amount),
            _ => return None,
        };
        parts += 1;
    }
    (parts > 0).then(|| now + total * sign)
}

impl Compiled {
    /// Whether the issue satisfies the restriction (an unbounded query matches all).
    pub fn matches(&self, issue: &Issue) -> bool {
        self.filter.as_ref().is_none_or(|n| eval(n, issue))
    }

    /// Whether the query had a restriction at all.
    pub fn is_bounded(&self) -> bool {
        self.filter.is_some()
    }

    /// Orders issues by the query's `ORDER BY`, then by id descending so pages are stable.
    pub fn sort(&self, state: &State, issues: &mut [&Issue]) {
        issues.sort_by(|a, b| {
            for (field, descending) in &self.order {
                let ord = compare(state, *field, a, b);
                let ord = if *descending { ord.reverse() } else { ord };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            b.id.cmp(&a.id)
        });
    }
}

fn eval(node: &Node, issue: &Issue) -> bool {
    match node {
        Node::And(a, b) => eval(a, issue) && eval(b, issue),
        Node::Or(a, b) => eval(a, issue) || eval(b, issue),
        Node::Not(a) => !eval(a, issue),
        Node::Test(t) => check(t, issue),
    }
}

/// `=`/`in` match a member (or an empty field when EMPTY was listed); `!=`/`not in` match
/// only a set field outside the set, as in Jira.
fn nullable(value: Option<usize>, set: &[usize], empty: bool, negate: bool) -> bool {
    match (value, negate) {
        (None, false) => empty,
        (None, true) => false,
        (Some(v), false) => set.contains(&v),
        (Some(v), true) => !set.contains(&v),
    }
}

fn check(test: &Test, issue: &Issue) -> bool {
    match test {
        Test::Const(b) => *b,
        Test::Project { set, negate } => set.contains(&issue.project) != *negate,
        Test::Status { set, negate } => set.contains(&issue.status.to_lowercase()) != *negate,
        Test::Category { set, negate } => set.contains(&issue.category) != *negate,
        Test::Issue { set, negate } => set.contains(&issue.id) != *negate,
        Test::User {
            reporter,
            set,
            empty,
            negate,
        } => {
            let value = if *reporter {
                issue.reporter
            } else {
                issue.assignee
            };
            nullable(value, set, *empty, *negate)
        }
        Test::Resolution {
            done,
            empty,
            negate,
        } => {
            let value = (issue.category == Category::Done).then_some(0);
            let set: &[usize] = if *done { &[0] } else { &[] };
            nullable(value, set, *empty, *negate)
        }
        Test::Words { words, negate } => {
            let summary = issue.summary.to_lowercase();
            words.iter().all(|w| summary.contains(w.as_str())) != *negate
        }
        Test::SummaryEmpty(want_empty) => issue.summary.trim().is_empty() == *want_empty,
        Test::Date { updated, op, at } => {
            let t = if *updated {
                issue.updated
            } else {
                issue.created
            };
            let minute = |d: DateTime<Utc>| d.timestamp().div_euclid(60);
            match op {
                Op::Eq => minute(t) == minute(*at),
                Op::NotEq => minute(t) != minute(*at),
                Op::Gt => t > *at,
                Op::Ge => t >= *at,
                Op::Lt => t < *at,
                Op::Le => t <= *at,
                _ => false,
            }
        }
    }
}

fn compare(state: &State, field: SortField, a: &Issue, b: &Issue) -> Ordering {
    let user = |u: Option<usize>| u.map(|i| state.users[i].display_name.to_lowercase());
    let project_key = |i: &Issue| state.projects[i.project].key.clone();
    match field {
        SortField::Key => (project_key(a), a.number()).cmp(&(project_key(b), b.number())),
        SortField::Id => a.id.cmp(&b.id),
        SortField::Created => a.created.cmp(&b.created),
        SortField::Updated => a.updated.cmp(&b.updated),
        SortField::Summary => a.summary.to_lowercase().cmp(&b.summary.to_lowercase()),
        SortField::Status => a.status.to_lowercase().cmp(&b.status.to_lowercase()),
        SortField::Category => a.category.id().cmp(&b.category.id()),
        // Empty values sort last in ascending order, as in Jira.
        SortField::Assignee => none_last(user(a.assignee), user(b.assignee)),
        SortField::Reporter => none_last(user(a.reporter), user(b.reporter)),
        SortField::Project => project_key(a).cmp(&project_key(b)),
        SortField::Resolution => (a.category == Category::Done)
            .cmp(&(b.category == Category::Done))
            .reverse(),
    }
}

fn none_last<T: Ord>(a: Option<T>, b: Option<T>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jql::parse;
    use crate::state::{IssuePatch, NewIssue, NewUser};

    /// ann owns ABC-1 (To Do) and ABC-3 (Done); ABC-2 is unassigned and In Progress;
    /// XYZ-1 belongs to bob.
    fn site(flavor: Flavor) -> State {
        let mut s = State::new(flavor);
        s.add_user(NewUser::new("ann@example.com", Some("t")))
            .unwrap();
        s.add_user(NewUser::new("bob@example.com", Some("u")))
            .unwrap();
        s.add_project("ABC", Some("Alpha".into()), None, None)
            .unwrap();
        s.add_project("XYZ", None, None, None).unwrap();
        let issues = [
            ("ABC", "Fix the login page", "new", Some("ann@example.com")),
            ("ABC", "Write docs", "indeterminate", None),
            (
                "ABC",
                "Ship release \"one\"",
                "done",
                Some("ann@example.com"),
            ),
            ("XYZ", "Login audit", "new", Some("bob@example.com")),
        ];
        for (project, summary, category, assignee) in issues {
            let category = serde_json::from_value(serde_json::json!(category)).unwrap();
            s.add_issue(NewIssue {
                project: project.into(),
                summary: Some(summary.into()),
                status_category: Some(category),
                assignee: assignee.map(String::from),
                ..NewIssue::default()
            })
            .unwrap();
        }
        s
    }

    fn ctx(state: &State, strict: bool) -> Context<'_> {
        Context {
            state,
            caller: Some(0),
            strict_values: strict,
            strict_keys: strict,
        }
    }

    fn keys(state: &State, jql: &str) -> Vec<String> {
        let compiled = compile(&parse(jql).unwrap(), &ctx(state, true)).unwrap();
        let mut found: Vec<&Issue> = state
            .issues
            .iter()
            .filter(|i| compiled.matches(i))
            .collect();
        compiled.sort(state, &mut found);
        found.iter().map(|i| i.key.clone()).collect()
    }

    fn error(state: &State, jql: &str, strict: bool) -> String {
        compile(&parse(jql).unwrap(), &ctx(state, strict))
            .unwrap_err()
            .message
    }

    #[test]
    fn the_usual_open_tickets_query() {
        let s = site(Flavor::Cloud);
        let jql = r#"project = "ABC" AND assignee = currentUser() AND statusCategory != Done ORDER BY updated DESC"#;
        assert_eq!(keys(&s, jql), vec!["ABC-1"]);
    }

    #[test]
    fn boolean_structure_is_respected() {
        let s = site(Flavor::Cloud);
        assert_eq!(
            keys(
                &s,
                "project = XYZ OR project = ABC AND statusCategory = Done ORDER BY key"
            ),
            vec!["ABC-3", "XYZ-1"]
        );
        assert_eq!(
            keys(
                &s,
                "(project = XYZ OR project = ABC) AND statusCategory = Done"
            ),
            vec!["ABC-3"]
        );
        assert_eq!(keys(&s, "NOT project = ABC"), vec!["XYZ-1"]);
    }

    #[test]
    fn not_equal_skips_empty_fields_like_jira() {
        let s = site(Flavor::Cloud);
        assert_eq!(
            keys(
                &s,
                "project = ABC AND assignee != bob@example.com ORDER BY key"
            ),
            vec!["ABC-1", "ABC-3"]
        );
        assert_eq!(keys(&s, "assignee is EMPTY"), vec!["ABC-2"]);
        assert_eq!(
            keys(&s, "assignee in (EMPTY, bob@example.com) order by key"),
            vec!["ABC-2", "XYZ-1"]
        );
        assert_eq!(
            keys(&s, "project = ABC AND assignee is not empty order by key"),
            vec!["ABC-1", "ABC-3"]
        );
    }

    #[test]
    fn keys_ids_and_aliases() {
        let s = site(Flavor::Cloud);
        assert_eq!(
            keys(&s, "key in (ABC-1, 10003) order by key"),
            vec!["ABC-1", "XYZ-1"]
        );
        assert_eq!(keys(&s, "issuekey = abc-2"), vec!["ABC-2"]);
        assert_eq!(keys(&s, "id = 10002"), vec!["ABC-3"]);
        assert_eq!(
            keys(&s, "issue not in (ABC-1, ABC-2, ABC-3)"),
            vec!["XYZ-1"]
        );
    }

    #[test]
    fn moved_keys_still_match() {
        let mut s = site(Flavor::Cloud);
        s.move_issue(10000, "XYZ").unwrap();
        assert_eq!(keys(&s, "key = ABC-1"), vec!["XYZ-2"]);
    }

    #[test]
    fn status_category_accepts_names_keys_and_ids() {
        let s = site(Flavor::Cloud);
        for v in ["\"In Progress\"", "indeterminate", "4", "'in progress'"] {
            assert_eq!(
                keys(&s, &format!("statusCategory = {v}")),
                vec!["ABC-2"],
                "{v}"
            );
        }
        assert_eq!(
            keys(&s, "status = \"to do\" order by key"),
            vec!["ABC-1", "XYZ-1"]
        );
        assert_eq!(
            keys(&s, "resolution = Unresolved AND project = ABC order by key"),
            vec!["ABC-1", "ABC-2"]
        );
        assert_eq!(keys(&s, "resolution is not EMPTY"), vec!["ABC-3"]);
    }

    #[test]
    fn text_search_needs_every_word() {
        let s = site(Flavor::Cloud);
        assert_eq!(
            keys(&s, "summary ~ LOGIN order by key"),
            vec!["ABC-1", "XYZ-1"]
        );
        assert_eq!(keys(&s, "summary ~ \"login page\""), vec!["ABC-1"]);
        assert_eq!(keys(&s, "text ~ \"\\\"one\\\"\""), vec!["ABC-3"]);
        assert_eq!(
            keys(&s, "project = ABC and summary !~ login order by key"),
            vec!["ABC-2", "ABC-3"]
        );
    }

    #[test]
    fn users_by_flavour() {
        let s = site(Flavor::Cloud);
        let bob = s.users[1].account_id.clone();
        assert_eq!(keys(&s, &format!("assignee = {bob}")), vec!["XYZ-1"]);
        assert!(
            error(&s, "assignee = bob", true).contains("does not exist for the field 'assignee'")
        );

        let dc = site(Flavor::DataCenter);
        assert_eq!(keys(&dc, "assignee = bob"), vec!["XYZ-1"]);
        assert_eq!(keys(&dc, "assignee = JIRAUSER10101"), vec!["XYZ-1"]);
    }

    #[test]
    fn ordering_and_stable_tie_break() {
        let mut s = site(Flavor::Cloud);
        let later = IssuePatch {
            updated: Some("2030-01-01T00:00:00Z".into()),
            ..Default::default()
        };
        s.patch_issue(10001, later).unwrap();
        let jql = "project in (ABC, XYZ) ORDER BY updated DESC";
        assert_eq!(keys(&s, jql)[0], "ABC-2");
        assert_eq!(
            keys(&s, "project = ABC order by assignee"),
            vec!["ABC-3", "ABC-1", "ABC-2"]
        );
        assert_eq!(keys(&s, "project = ABC"), vec!["ABC-3", "ABC-2", "ABC-1"]);
    }

    #[test]
    fn dates_compare_absolute_and_relative() {
        let mut s = site(Flavor::Cloud);
        let old = IssuePatch {
            updated: Some("2020-05-01T10:00:00Z".into()),
            ..Default::default()
        };
        s.patch_issue(10003, old).unwrap();
        assert_eq!(keys(&s, "updated < 2021-01-01"), vec!["XYZ-1"]);
        assert_eq!(keys(&s, "updated <= \"2020/05/01 10:00\""), vec!["XYZ-1"]);
        assert_eq!(keys(&s, "updated = \"2020-05-01 10:00\""), vec!["XYZ-1"]);
        assert_eq!(keys(&s, "project = ABC and updated >= -1d").len(), 3);
        assert_eq!(keys(&s, "updated > \"-4w 2d\"").len(), 3);
        assert!(error(&s, "updated > yesterday", true).contains("Date value 'yesterday'"));
    }

    #[test]
    fn strict_mode_rejects_unknown_values_lenient_mode_ignores_them() {
        let s = site(Flavor::DataCenter);
        assert_eq!(
            error(&s, "key in (ABC-1, ABC-99)", true),
            "An issue with key 'ABC-99' does not exist for field 'key'."
        );
        assert!(error(&s, "project = NOPE", true).contains("'NOPE' does not exist for the field"));
        assert!(error(&s, "status = Closed", true).contains("'Closed'"));
        assert!(error(&s, "issuekey = banana", true).contains("is invalid"));

        let jql = parse("key in (ABC-1, ABC-99) OR project = NOPE").unwrap();
        let compiled = compile(&jql, &ctx(&s, false)).unwrap();
        let found: Vec<_> = s
            .issues
            .iter()
            .filter(|i| compiled.matches(i))
            .map(|i| &i.key)
            .collect();
        assert_eq!(found, vec!["ABC-1"]);
    }

    #[test]
    fn invisible_and_deleted_issues_do_not_resolve() {
        let mut s = site(Flavor::DataCenter);
        s.delete_issue(10000).unwrap();
        let forbid = IssuePatch {
            forbidden: Some(true),
            ..Default::default()
        };
        s.patch_issue(10001, forbid).unwrap();
        assert!(error(&s, "key = ABC-1", true).contains("'ABC-1' does not exist"));
        assert!(error(&s, "key = ABC-2", true).contains("'ABC-2' does not exist"));
        s.set_visibility("XYZ", Some(vec!["bob@example.com".into()]))
            .unwrap();
        assert!(error(&s, "key = XYZ-1", true).contains("'XYZ-1' does not exist"));
        assert!(error(&s, "project = XYZ", true).contains("'XYZ' does not exist"));
    }

    #[test]
    fn unknown_fields_operators_and_functions() {
        let s = site(Flavor::Cloud);
        assert_eq!(
            error(&s, "colour = red", true),
            "Field 'colour' does not exist or you do not have permission to view it."
        );
        assert!(error(&s, "project ~ ABC", true).contains("operator '~' is not supported"));
        assert!(error(&s, "summary = x", true).contains("operator '=' is not supported"));
        assert!(error(&s, "assignee = membersOf(x)", true).contains("Unable to find JQL function"));
        assert!(error(&s, "project = currentUser()", true).contains("not supported by the field"));
        assert!(error(&s, "summary ~ \"\"", true).contains("empty string"));
        assert!(
            error(&s, "project = ABC order by colour", true).contains("'colour' does not exist")
        );
    }

    #[test]
    fn relative_periods_parse() {
        let now = DateTime::parse_from_rfc3339("2026-01-10T12:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(parse_date("-1d", now), Some(now - Duration::days(1)));
        assert_eq!(parse_date("-4w 2d", now), Some(now - Duration::days(30)));
        assert_eq!(parse_date("2h", now), Some(now + Duration::hours(2)));
        assert_eq!(parse_date("-1x", now), None);
        assert_eq!(parse_date("", now), None);
    }
}
