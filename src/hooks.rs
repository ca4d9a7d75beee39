//! Grant and revoke commands: checking a command line when a resource is added, and
//! running it for one request.
//!
//! A command line is split into words the way a POSIX shell splits them, but no shell
//! ever runs: the first word is the program (looked up on `PATH`), the others are its
//! arguments, so pipes, `$VAR` and globs have no special meaning. Inside each word the
//! placeholders `{request_id}`, `{resource}`, `{requester}`, `{ticket}` and (revoke
//! only) `{reason}` are replaced by the request's values.
//!
//! Brace rule: every `{` opens a placeholder and every `}` closes one, as in Rust format
//! strings; a literal brace is written twice (`{{` or `}}`). A lone brace is an error, so
//! a typo such as `{requestid}` or `{ticket` is caught when the resource is added rather
//! than passed to the program as text.
//!
//! The child gets no stdin, the Jira token variables are removed from its environment,
//! its output is captured (the first 4 KiB of each stream, secrets masked), and it runs
//! in its own process group so that a timeout ends everything it started.

use std::fmt;
use std::io::{self, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::db::RevokeReason;
use crate::error::UserError;

/// How much of each output stream a report keeps.
const OUTPUT_CAP: usize = 4096;

/// How long a timed-out command gets between SIGTERM and SIGKILL.
const TERM_GRACE: Duration = Duration::from_secs(2);

/// How long to keep reading output once the command has exited. A background process it
/// left behind can hold the pipes open for ever; its output is not worth waiting for.
const DRAIN_GRACE: Duration = Duration::from_millis(500);

/// How often the child is checked while waiting, where the system cannot say at once
/// that it exited.
const POLL_INTERVAL: Duration = Duration::from_millis(10);

/// Variables that carry the Jira token: no hook ever sees them.
const SECRET_VARS: [&str; 2] = ["OPAL_JIRA_TOKEN", "OPAL_JIRA_TOKEN_FILE"];

/// Which of a resource's two commands a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HookKind {
    Grant,
    Revoke,
}

impl HookKind {
    /// `grant` or `revoke`.
    pub fn as_str(self) -> &'static str {
        match self {
            HookKind::Grant => "grant",
            HookKind::Revoke => "revoke",
        }
    }
}

impl fmt::Display for HookKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The values a command line's placeholders and environment are filled from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookVars {
    pub request_id: i64,
    pub resource: String,
    pub requester: String,
    /// The bound ticket's key; `{ticket}` becomes an empty argument when unbound.
    pub ticket: Option<String>,
    /// Set for a revoke, unset for a grant.
    pub reason: Option<RevokeReason>,
}

impl HookVars {
    /// A revoke when a reason is set, otherwise a grant.
    pub fn kind(&self) -> HookKind {
        if self.reason.is_some() {
            HookKind::Revoke
        } else {
            HookKind::Grant
        }
    }
}

/// What happened when a command ran: kept in the audit log and used for error messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HookReport {
    pub kind: HookKind,
    /// The program and its arguments as run, quoted like shell words.
    pub command: String,
    /// The exit status, when the program exited on its own.
    pub exit_code: Option<i32>,
    /// The signal that ended the program, if one did.
    pub signal: Option<i32>,
    /// Whether the time limit ran out and the process group was killed.
    pub timed_out: bool,
    pub timeout_ms: u64,
    /// The start of standard output, decoded lossily, with recognizable secrets masked
    /// (it is kept in the audit log; see [`crate::redact`]) and a note when some was cut.
    pub stdout: String,
    /// The start of standard error, decoded lossily, with a note when some was cut.
    pub stderr: String,
    pub elapsed_ms: u64,
}

impl HookReport {
    /// Whether the command exited with status 0 within its time limit.
    pub fn success(&self) -> bool {
        !self.timed_out && self.exit_code == Some(0)
    }

    /// One line saying how the command failed, or `None` when it succeeded.
    ///
    /// For example "revoke command exited with status 3: no such user", "grant command
    /// timed out after 60s" or "revoke command was killed by signal 9".
    pub fn failure_summary(&self) -> Option<String> {
        if self.success() {
            return None;
        }
        let kind = self.kind;
        if self.timed_out {
            return Some(format!(
                "{kind} command timed out after {}",
                format_ms(self.timeout_ms)
            ));
        }
        if let Some(signal) = self.signal {
            return Some(format!("{kind} command was killed by signal {signal}"));
        }
        let mut summary = match self.exit_code {
            Some(code) => format!("{kind} command exited with status {code}"),
            None => format!("{kind} command ended without an exit status"),
        };
        // Most tools explain themselves on stderr; some only on stdout.
        if let Some(line) = first_line(&self.stderr).or_else(|| first_line(&self.stdout)) {
            summary.push_str(": ");
            summary.push_str(line);
        }
        Some(summary)
    }
}

/// Checks a command line without running it: it must split into words, name a program,
/// and use only the placeholders `kind` allows, with literal braces doubled.
pub fn validate(line: &str, kind: HookKind) -> anyhow::Result<()> {
    parse(line, kind).map(|_| ())
}

/// Runs a command line for one request and reports how it went.
///
/// A command that runs but fails (non-zero status, signal, timeout) is an `Ok` report
/// whose [`HookReport::success`] is false; `Err` means the line is invalid or the
/// program could not be started at all.
pub fn run(line: &str, vars: &HookVars, timeout: Duration) -> anyhow::Result<HookReport> {
    run_with_grace(line, vars, timeout, TERM_GRACE)
}

fn run_with_grace(
    line: &str,
    vars: &HookVars,
    timeout: Duration,
    grace: Duration,
) -> anyhow::Result<HookReport> {
    let kind = vars.kind();
    // `parse` refuses a line without a program, so `argv[0]` exists.
    let argv = expand(&parse(line, kind)?, vars);
    let mut command = build_command(&argv, vars);

    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|err| spawn_error(kind, &argv[0], err))?;
    let stdout = OutputReader::spawn(child.stdout.take());
    let stderr = OutputReader::spawn(child.stderr.take());
    let (status, timed_out) = wait_with_timeout(&mut child, timeout, grace).map_err(|err| {
        anyhow::Error::new(err).context(format!("cannot wait for the {kind} command"))
    })?;
    let elapsed = started.elapsed();

    let drain_deadline = Instant::now() + DRAIN_GRACE;
    Ok(HookReport {
        kind,
        command: shell_words::join(&argv),
        exit_code: status.code(),
        signal: exit_signal(status),
        timed_out,
        timeout_ms: millis(timeout),
        stdout: stdout.finish(drain_deadline),
        stderr: stderr.finish(drain_deadline),
        elapsed_ms: millis(elapsed),
    })
}

/// A parsed command line: each word is a list of literal text and placeholders.
type Template = Vec<Vec<Piece>>;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Var(Placeholder),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placeholder {
    RequestId,
    Resource,
    Requester,
    Ticket,
    Reason,
}

impl Placeholder {
    fn from_name(name: &str) -> Option<Placeholder> {
        Some(match name {
            "request_id" => Placeholder::RequestId,
            "resource" => Placeholder::Resource,
            "requester" => Placeholder::Requester,
            "ticket" => Placeholder::Ticket,
            "reason" => Placeholder::Reason,
            _ => return None,
        })
    }

    fn value(self, vars: &HookVars) -> String {
        match self {
            Placeholder::RequestId => vars.request_id.to_string(),
            Placeholder::Resource => vars.resource.clone(),
            Placeholder::Requester => vars.requester.clone(),
            Placeholder::Ticket => vars.ticket.clone().unwrap_or_default(),
            Placeholder::Reason => vars
                .reason
                .map(|r| r.as_str().to_string())
                .unwrap_or_default(),
        }
    }
}

fn parse(line: &str, kind: HookKind) -> anyhow::Result<Template> {
    let words = shell_words::split(line).map_err(|err| {
        UserError::usage(format!("cannot split the {kind} command into words: {err}"))
            .hint("Quote arguments as a shell would: every ' and \" needs its partner.")
    })?;
    match words.first() {
        None => return Err(UserError::usage(format!("the {kind} command is empty")).into()),
        Some(program) if program.is_empty() => {
            return Err(
                UserError::usage(format!("the {kind} command has an empty program name")).into(),
            );
        }
        Some(_) => {}
    }
    words.iter().map(|word| parse_word(word, kind)).collect()
}

fn parse_word(word: &str, kind: HookKind) -> anyhow::Result<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut rest = word;
    while let Some(at) = rest.find(['{', '}']) {
        text.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("{{") {
            text.push('{');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            text.push('}');
            rest = after;
        } else if tail.starts_with('}') {
            return Err(brace_error(format!(
                "unmatched `}}` in the {kind} command argument `{word}`"
            )));
        } else {
            let Some(end) = tail.find('}') else {
                return Err(brace_error(format!(
                    "unclosed `{{` in the {kind} command argument `{word}`"
                )));
            };
            let placeholder = placeholder(&tail[1..end], kind)?;
            if !text.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut text)));
            }
            pieces.push(Piece::Var(placeholder));
            rest = &tail[end + 1..];
        }
    }
    text.push_str(rest);
    if !text.is_empty() || pieces.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok(pieces)
}

fn placeholder(name: &str, kind: HookKind) -> anyhow::Result<Placeholder> {
    match Placeholder::from_name(name) {
        Some(Placeholder::Reason) if kind == HookKind::Grant => Err(UserError::usage(
            "`{reason}` is only available in revoke commands",
        )
        .hint("A grant has no revoke reason: remove `{reason}` from the grant command.")
        .into()),
        Some(placeholder) => Ok(placeholder),
        None => Err(UserError::usage(format!(
            "unknown placeholder `{{{name}}}` in the {kind} command"
        ))
        .hint(known_placeholders_hint())
        .into()),
    }
}

fn brace_error(message: String) -> anyhow::Error {
    UserError::usage(message)
        .hint(known_placeholders_hint())
        .into()
}

fn known_placeholders_hint() -> &'static str {
    "Placeholders are {request_id}, {resource}, {requester}, {ticket} and, in revoke \
     commands, {reason}; write `{{` and `}}` for literal braces."
}

fn expand(template: &Template, vars: &HookVars) -> Vec<String> {
    template
        .iter()
        .map(|word| {
            word.iter()
                .map(|piece| match piece {
                    Piece::Text(text) => text.clone(),
                    Piece::Var(placeholder) => placeholder.value(vars),
                })
                .collect()
        })
        .collect()
}

/// The child's command: program, arguments, environment and pipes, not yet started.
fn build_command(argv: &[String], vars: &HookVars) -> Command {
    let mut command = Command::new(&argv[0]);
    command
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for name in SECRET_VARS {
        command.env_remove(name);
    }
    command
        .env("OPAL_JIRA_REQUEST_ID", vars.request_id.to_string())
        .env("OPAL_JIRA_RESOURCE", &vars.resource)
        .env("OPAL_JIRA_REQUESTER", &vars.requester)
        .env("OPAL_JIRA_TICKET", vars.ticket.as_deref().unwrap_or(""));
    // A grant must not see a reason inherited from whatever started opal-jira.
    match vars.reason {
        Some(reason) => command.env("OPAL_JIRA_REVOKE_REASON", reason.as_str()),
        None => command.env_remove("OPAL_JIRA_REVOKE_REASON"),
    };
    own_process_group(&mut command);
    command
}

fn spawn_error(kind: HookKind, program: &str, err: io::Error) -> anyhow::Error {
    let user = match err.kind() {
        io::ErrorKind::NotFound => {
            UserError::failure(format!("{kind} command `{program}` not found"))
                .hint("Give the program's full path, or make sure it is on opal-jira's PATH.")
        }
        io::ErrorKind::PermissionDenied => UserError::failure(format!(
            "{kind} command `{program}` cannot be run: permission denied"
        ))
        .hint("Check that the file is executable by the user running opal-jira."),
        _ => UserError::failure(format!("{kind} command `{program}` could not be started")),
    };
    anyhow::Error::new(err).context(user)
}

/// Waits for the child until `timeout`; then ends its whole process group. Returns the
/// exit status and whether the time limit ran out.
fn wait_with_timeout(
    child: &mut Child,
    timeout: Duration,
    grace: Duration,
) -> io::Result<(ExitStatus, bool)> {
    if let Some(status) = wait_until(child, Instant::now() + timeout)? {
        return Ok((status, false));
    }
    end_process_group(child, grace).map(|status| (status, true))
}

fn wait_until(child: &mut Child, deadline: Instant) -> io::Result<Option<ExitStatus>> {
    let exit = ExitWatch::new(child);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok(None);
        }
        exit.wait(deadline - now);
    }
}

/// Wakes a waiter the moment a child exits. Checking every few milliseconds instead
/// would add half an interval to every command on average: with many short revoke
/// commands in a row, that was most of the time a pass spent beyond the commands'
/// own.
#[cfg(target_os = "linux")]
struct ExitWatch(Option<std::os::fd::OwnedFd>);

#[cfg(target_os = "linux")]
impl ExitWatch {
    /// A process file descriptor for `child`, which becomes readable when it exits.
    /// Without one (kernels before 5.3), waiting falls back to checking on a timer.
    fn new(child: &Child) -> ExitWatch {
        use std::os::fd::{FromRawFd as _, OwnedFd};

        // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor or -1.
        // The child is not reaped yet, so its pid cannot name another process.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, child.id(), 0) };
        let fd = libc::c_int::try_from(fd).ok().filter(|fd| *fd >= 0);
        // SAFETY: a non-negative result is a descriptor that nothing else owns.
        ExitWatch(fd.map(|fd| unsafe { OwnedFd::from_raw_fd(fd) }))
    }

    /// Returns when the child has exited, `most` has passed, or a signal interrupted.
    fn wait(&self, most: Duration) {
        use std::os::fd::AsRawFd as _;

        let Some(fd) = &self.0 else {
            thread::sleep(POLL_INTERVAL.min(most));
            return;
        };
        let mut ready = libc::pollfd {
            fd: fd.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // Rounded up, so a wait never ends just before the deadline and spins.
        let millis = libc::c_int::try_from(most.as_micros().div_ceil(1000)).unwrap_or(i32::MAX);
        // SAFETY: one valid pollfd, and its count.
        unsafe { libc::poll(&mut ready, 1, millis) };
    }
}

#[cfg(not(target_os = "linux"))]
struct ExitWatch;

#[cfg(not(target_os = "linux"))]
impl ExitWatch {
    fn new(_child: &Child) -> ExitWatch {
        ExitWatch
    }

    fn wait(&self, most: Duration) {
        thread::sleep(POLL_INTERVAL.min(most));
    }
}

#[cfg(unix)]
fn own_process_group(command: &mut Command) {
    use std::os::unix::process::CommandExt as _;
    command.process_group(0);
}

#[cfg(not(unix))]
fn own_process_group(_command: &mut Command) {}

/// SIGTERM to the group, `grace` for it to go, then SIGKILL to whatever is left (the
/// leader may be gone while children that ignore SIGTERM live on), then reap.
#[cfg(unix)]
fn end_process_group(child: &mut Child, grace: Duration) -> io::Result<ExitStatus> {
    signal_group(child, libc::SIGTERM);
    let status = wait_until(child, Instant::now() + grace)?;
    signal_group(child, libc::SIGKILL);
    match status {
        Some(status) => Ok(status),
        None => child.wait(),
    }
}

#[cfg(not(unix))]
fn end_process_group(child: &mut Child, _grace: Duration) -> io::Result<ExitStatus> {
    child.kill()?;
    child.wait()
}

#[cfg(unix)]
fn signal_group(child: &Child, signal: libc::c_int) {
    // The child leads its own group (process_group(0)), so its pid is the group id.
    let Ok(group) = libc::pid_t::try_from(child.id()) else {
        return;
    };
    // SAFETY: kill(2) takes plain integers; a negative pid addresses the process group.
    // Failure (ESRCH once the group is empty) needs no handling.
    unsafe {
        libc::kill(-group, signal);
    }
}

#[cfg(unix)]
fn exit_signal(status: ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt as _;
    status.signal()
}

#[cfg(not(unix))]
fn exit_signal(_status: ExitStatus) -> Option<i32> {
    None
}

/// Reads one output stream on its own thread, so a child that fills one pipe while we
/// wait on the other cannot stall.
struct OutputReader {
    capture: Arc<Mutex<Capture>>,
    /// The reader thread, and a channel that disconnects the moment it ends.
    thread: Option<(JoinHandle<()>, mpsc::Receiver<()>)>,
}

#[derive(Default)]
struct Capture {
    kept: Vec<u8>,
    total: usize,
}

impl OutputReader {
    fn spawn(pipe: Option<impl Read + Send + 'static>) -> OutputReader {
        let capture = Arc::new(Mutex::new(Capture::default()));
        let thread = pipe.map(|mut pipe| {
            let sink = Arc::clone(&capture);
            let (done, ended) = mpsc::channel::<()>();
            let thread = thread::spawn(move || {
                // Dropped when the thread ends, which the channel reports at once.
                let _done = done;
                let mut buf = [0u8; 8192];
                loop {
                    match pipe.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => {
                            let mut capture = sink.lock().unwrap_or_else(PoisonError::into_inner);
                            let room = OUTPUT_CAP.saturating_sub(capture.kept.len());
                            capture.kept.extend_from_slice(&buf[..n.min(room)]);
                            capture.total += n;
                        }
                        Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                        Err(_) => break,
                    }
                }
            });
            (thread, ended)
        });
        OutputReader { capture, thread }
    }

    /// Waits until the stream closes or `deadline` passes, then renders what was read.
    fn finish(self, deadline: Instant) -> String {
        let mut still_open = false;
        if let Some((thread, ended)) = self.thread {
            let left = deadline.saturating_duration_since(Instant::now());
            match ended.recv_timeout(left) {
                // Detached: it ends when the last writer closes the pipe.
                Err(mpsc::RecvTimeoutError::Timeout) => still_open = true,
                // The reader cannot panic; if it somehow did, its output is simply short.
                _ => {
                    let _ = thread.join();
                }
            }
        }
        let capture = self.capture.lock().unwrap_or_else(PoisonError::into_inner);
        render(&capture, still_open)
    }
}

fn render(capture: &Capture, still_open: bool) -> String {
    let mut kept = capture.kept.as_slice();
    if capture.total > kept.len() {
        // Don't let the cut leave half a character behind.
        if let Err(err) = std::str::from_utf8(kept)
            && err.error_len().is_none()
        {
            kept = &kept[..err.valid_up_to()];
        }
    }
    let mut text = crate::redact::secrets(&String::from_utf8_lossy(kept));
    let cut = capture.total - kept.len();
    if cut > 0 {
        text.push_str(&format!("\n[{cut} more bytes not shown]"));
    }
    if still_open {
        text.push_str(
            "\n[output still open after the command exited; a background process holds it]",
        );
    }
    text
}

fn first_line(text: &str) -> Option<&str> {
    const MAX_CHARS: usize = 200;
    let line = text.lines().map(str::trim).find(|line| !line.is_empty())?;
    Some(match line.char_indices().nth(MAX_CHARS) {
        Some((end, _)) => &line[..end],
        None => line,
    })
}

fn format_ms(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::collections::HashMap;
    use std::ffi::OsStr;

    fn grant_vars() -> HookVars {
        HookVars {
            request_id: 7,
            resource: "prod-db".to_string(),
            requester: "ana@acme.com".to_string(),
            ticket: Some("OPS-12".to_string()),
            reason: None,
        }
    }

    fn revoke_vars(reason: RevokeReason) -> HookVars {
        HookVars {
            reason: Some(reason),
            ..grant_vars()
        }
    }

    fn run_ok(line: &str, vars: &HookVars) -> HookReport {
        run(line, vars, Duration::from_secs(10)).expect("the test command starts")
    }

    fn usage_message(err: &anyhow::Error) -> String {
        let user = err.downcast_ref::<UserError>().expect("a UserError");
        assert_eq!(user.kind, crate::error::ExitKind::Usage);
        user.message.clone()
    }

    #[test]
    fn placeholders_are_replaced_inside_arguments() {
        let line = concat!(
            r#"sh -c 'printf "%s|" "$@"' _ "#,
            "{request_id} id-{request_id}.x {resource} {requester} {ticket} {reason}"
        );
        let report = run_ok(line, &revoke_vars(RevokeReason::TicketClosed));
        assert!(report.success(), "{report:?}");
        assert_eq!(
            report.stdout,
            "7|id-7.x|prod-db|ana@acme.com|OPS-12|ticket_closed|"
        );
    }

    #[test]
    fn unbound_ticket_becomes_an_empty_argument() {
        let vars = HookVars {
            ticket: None,
            ..grant_vars()
        };
        let report = run_ok(
            r#"sh -c 'printf "%s:" "$#" "$@"' _ a{ticket}b {ticket} c"#,
            &vars,
        );
        assert_eq!(report.stdout, "3:ab::c:");
    }

    #[test]
    fn doubled_braces_are_literal() {
        let report = run_ok("printf %s {{x}}-{{{resource}}}", &grant_vars());
        assert_eq!(report.stdout, "{x}-{prod-db}");
    }

    #[test]
    fn environment_carries_the_request_values() {
        let report = run_ok("env", &revoke_vars(RevokeReason::Expired));
        let env: HashMap<&str, &str> = report
            .stdout
            .lines()
            .filter_map(|line| line.split_once('='))
            .collect();
        assert_eq!(env.get("OPAL_JIRA_REQUEST_ID"), Some(&"7"));
        assert_eq!(env.get("OPAL_JIRA_RESOURCE"), Some(&"prod-db"));
        assert_eq!(env.get("OPAL_JIRA_REQUESTER"), Some(&"ana@acme.com"));
        assert_eq!(env.get("OPAL_JIRA_TICKET"), Some(&"OPS-12"));
        assert_eq!(env.get("OPAL_JIRA_REVOKE_REASON"), Some(&"expired"));
        // The parent's environment is inherited.
        assert!(env.contains_key("PATH"));
    }

    #[test]
    fn grant_environment_has_empty_ticket_and_no_reason() {
        let vars = HookVars {
            ticket: None,
            ..grant_vars()
        };
        let report = run_ok("env", &vars);
        assert!(
            report
                .stdout
                .lines()
                .any(|line| line == "OPAL_JIRA_TICKET=")
        );
        assert!(!report.stdout.contains("OPAL_JIRA_REVOKE_REASON"));
    }

    #[test]
    fn token_variables_are_removed_from_the_child() {
        // Setting them in this process would race other tests, so check the command
        // itself: both are explicitly removed, whatever the parent holds.
        let command = build_command(&["env".to_string()], &grant_vars());
        let envs: HashMap<&OsStr, Option<&OsStr>> = command.get_envs().collect();
        for name in SECRET_VARS {
            assert_eq!(
                envs.get(OsStr::new(name)),
                Some(&None),
                "{name} must be removed"
            );
        }
        assert_eq!(envs.get(OsStr::new("OPAL_JIRA_REVOKE_REASON")), Some(&None));
    }

    #[test]
    fn stdin_is_empty() {
        let report = run_ok("sh -c 'cat; echo end'", &grant_vars());
        assert_eq!(report.stdout, "end\n");
    }

    #[test]
    fn exit_codes_are_reported() {
        let ok = run_ok("true", &grant_vars());
        assert!(ok.success());
        assert_eq!(ok.exit_code, Some(0));
        assert_eq!(ok.failure_summary(), None);
        assert_eq!(ok.command, "true");

        let report = run_ok(
            "sh -c 'echo >&2; echo \"no such user\" >&2; exit 3'",
            &revoke_vars(RevokeReason::Manual),
        );
        assert!(!report.success());
        assert_eq!(report.exit_code, Some(3));
        assert_eq!(report.signal, None);
        assert_eq!(
            report.failure_summary().as_deref(),
            Some("revoke command exited with status 3: no such user")
        );

        let silent = run_ok("false", &grant_vars());
        assert_eq!(
            silent.failure_summary().as_deref(),
            Some("grant command exited with status 1")
        );
    }

    #[test]
    fn stdout_explains_a_failure_when_stderr_is_silent() {
        let report = run_ok("sh -c 'echo denied; exit 2'", &grant_vars());
        assert_eq!(
            report.failure_summary().as_deref(),
            Some("grant command exited with status 2: denied")
        );
    }

    #[test]
    fn a_signal_is_reported() {
        let report = run_ok("sh -c 'kill -9 $$'", &revoke_vars(RevokeReason::Manual));
        assert_eq!(report.signal, Some(9));
        assert_eq!(report.exit_code, None);
        assert!(!report.timed_out);
        assert_eq!(
            report.failure_summary().as_deref(),
            Some("revoke command was killed by signal 9")
        );
    }

    #[test]
    fn the_command_is_recorded_as_run() {
        let vars = HookVars {
            requester: "Ana Lima".to_string(),
            ..grant_vars()
        };
        let report = run_ok("printf %s {requester} {resource}", &vars);
        assert_eq!(report.command, "printf '%s' 'Ana Lima' prod-db");
    }

    /// Whether a process is gone (or a zombie nobody has reaped yet).
    fn is_gone(pid: i32) -> bool {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => true,
            Ok(stat) => stat
                .rsplit_once(')')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
        }
    }

    fn wait_gone(pid: i32) -> bool {
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if is_gone(pid) {
                return true;
            }
            thread::sleep(Duration::from_millis(20));
        }
        false
    }

    #[test]
    fn timeout_kills_the_command_and_its_children() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let pid_file = dir.path().join("pid");
        let line = format!(
            "sh -c 'sleep 30 & echo $! > \"$1\"; wait' _ {}",
            shell_words::quote(&pid_file.display().to_string())
        );
        let started = Instant::now();
        let report = run(&line, &grant_vars(), Duration::from_millis(300))?;
        let elapsed = started.elapsed();

        assert!(report.timed_out);
        assert!(!report.success());
        assert_eq!(report.signal, Some(libc::SIGTERM));
        assert_eq!(
            report.failure_summary().as_deref(),
            Some("grant command timed out after 300ms")
        );
        assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
        assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
        let child: i32 = std::fs::read_to_string(&pid_file)?.trim().parse()?;
        assert!(wait_gone(child), "the background sleep {child} survived");
        Ok(())
    }

    #[test]
    fn timeout_escalates_to_sigkill_when_sigterm_is_ignored() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let pid_file = dir.path().join("pid");
        // The ignored SIGTERM is inherited by the background sleep too.
        let line = format!(
            "sh -c 'trap \"\" TERM; sleep 30 & echo $! > \"$1\"; wait' _ {}",
            shell_words::quote(&pid_file.display().to_string())
        );
        let started = Instant::now();
        let grace = Duration::from_millis(300);
        let report = run_with_grace(&line, &grant_vars(), Duration::from_millis(200), grace)?;
        let elapsed = started.elapsed();

        assert!(report.timed_out);
        assert_eq!(report.signal, Some(libc::SIGKILL));
        assert!(elapsed >= Duration::from_millis(500), "{elapsed:?}");
        assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
        let child: i32 = std::fs::read_to_string(&pid_file)?.trim().parse()?;
        assert!(wait_gone(child), "the background sleep {child} survived");
        Ok(())
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn an_exit_wakes_the_waiter_instead_of_a_timer() -> anyhow::Result<()> {
        let mut child = Command::new("sleep").arg("0.2").spawn()?;
        let watch = ExitWatch::new(&child);
        assert!(watch.0.is_some(), "this kernel offers process descriptors");
        let started = Instant::now();
        watch.wait(Duration::from_secs(30));
        let waited = started.elapsed();
        // Not a timer tick (that would be 10 ms) and not the whole allowance.
        assert!(
            waited >= Duration::from_millis(150) && waited < Duration::from_secs(10),
            "{waited:?}"
        );
        assert!(child.try_wait()?.is_some(), "the child has exited");
        Ok(())
    }

    #[test]
    fn output_is_truncated_with_a_note() {
        // 1 MB on each stream: far beyond a pipe buffer, so this also shows that both
        // are drained at once.
        let line = concat!(
            "sh -c 'head -c 1000000 /dev/zero | tr \"\\0\" a; ",
            "head -c 1000000 /dev/zero | tr \"\\0\" b >&2'"
        );
        let report = run(line, &grant_vars(), Duration::from_secs(20)).expect("starts");
        assert!(report.success(), "{report:?}");
        let cut = 1_000_000 - OUTPUT_CAP;
        assert_eq!(
            report.stdout,
            format!("{}\n[{cut} more bytes not shown]", "a".repeat(OUTPUT_CAP))
        );
        assert_eq!(
            report.stderr,
            format!("{}\n[{cut} more bytes not shown]", "b".repeat(OUTPUT_CAP))
        );
    }

    #[test]
    fn truncation_does_not_split_a_character() {
        // 'é' is two bytes; an odd byte offset puts the cap in the middle of one.
        let line = "sh -c 'printf x; i=0; while [ $i -lt 3000 ]; do printf é; i=$((i+1)); done'";
        let report = run_ok(line, &grant_vars());
        let (kept, note) = report.stdout.split_once('\n').expect("a truncation note");
        assert!(!kept.contains('\u{FFFD}'));
        assert_eq!(kept.len(), OUTPUT_CAP - 1);
        assert_eq!(
            note,
            format!("[{} more bytes not shown]", 6001 - (OUTPUT_CAP - 1))
        );
    }

    #[test]
    fn non_utf8_output_is_decoded_lossily() {
        let report = run_ok(r"printf 'a\377b'", &grant_vars());
        assert_eq!(report.stdout, "a\u{FFFD}b");
    }

    #[test]
    fn a_background_process_holding_the_output_does_not_block() {
        let started = Instant::now();
        let report = run_ok("sh -c 'echo started; sleep 5 &'", &grant_vars());
        assert!(report.success());
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "waited {:?}",
            started.elapsed()
        );
        assert!(
            report.stdout.starts_with("started\n"),
            "{:?}",
            report.stdout
        );
        assert!(report.stdout.contains("still open"));
    }

    #[test]
    fn a_missing_program_is_an_error_naming_it() {
        let err = run(
            "opal-jira-no-such-program {requester}",
            &grant_vars(),
            Duration::from_secs(5),
        )
        .expect_err("cannot start");
        let user = err.downcast_ref::<UserError>().expect("a UserError");
        assert_eq!(user.kind, crate::error::ExitKind::Failure);
        assert_eq!(
            user.message,
            "grant command `opal-jira-no-such-program` not found"
        );
        let io = err
            .root_cause()
            .downcast_ref::<io::Error>()
            .expect("the OS error is kept");
        assert_eq!(io.kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn a_file_that_is_not_executable_is_reported() -> anyhow::Result<()> {
        let file = tempfile::NamedTempFile::new()?;
        let line = shell_words::quote(&file.path().display().to_string()).into_owned();
        let err = run(&line, &grant_vars(), Duration::from_secs(5)).expect_err("cannot start");
        assert!(
            err.to_string()
                .ends_with("cannot be run: permission denied"),
            "{err}"
        );
        Ok(())
    }

    #[test]
    fn validate_accepts_good_lines() -> anyhow::Result<()> {
        validate(
            "/usr/local/bin/grant --user {requester} --id={request_id}",
            HookKind::Grant,
        )?;
        validate(
            "revoke {resource} {requester} {ticket} {reason}",
            HookKind::Revoke,
        )?;
        validate("jq -n '{{\"a\": 1}}'", HookKind::Grant)?;
        validate("printf ''", HookKind::Grant)?;
        Ok(())
    }

    #[test]
    fn validate_rejects_bad_quoting() {
        let err = validate("grant 'unterminated", HookKind::Grant).expect_err("bad quotes");
        assert_eq!(
            usage_message(&err),
            "cannot split the grant command into words: missing closing quote"
        );
    }

    #[test]
    fn validate_rejects_empty_lines() {
        for line in ["", "   "] {
            let err = validate(line, HookKind::Revoke).expect_err("empty");
            assert_eq!(
                usage_message(&err),
                "the revoke command is empty",
                "{line:?}"
            );
        }
        let err = validate("'' {requester}", HookKind::Grant).expect_err("no program");
        assert_eq!(
            usage_message(&err),
            "the grant command has an empty program name"
        );
    }

    #[test]
    fn validate_rejects_unknown_placeholders() {
        let err = validate("grant {requestid}", HookKind::Grant).expect_err("unknown");
        assert_eq!(
            usage_message(&err),
            "unknown placeholder `{requestid}` in the grant command"
        );
        let hint = &err.downcast_ref::<UserError>().expect("UserError").hints[0];
        assert!(
            hint.contains("{request_id}") && hint.contains("{{"),
            "{hint}"
        );
    }

    #[test]
    fn validate_rejects_reason_in_a_grant() {
        let err = validate("grant {reason}", HookKind::Grant).expect_err("reason in grant");
        assert_eq!(
            usage_message(&err),
            "`{reason}` is only available in revoke commands"
        );
        // Running a grant line that uses it fails the same way, before anything starts.
        let err = run("echo {reason}", &grant_vars(), Duration::from_secs(5)).expect_err("refused");
        assert_eq!(
            usage_message(&err),
            "`{reason}` is only available in revoke commands"
        );
    }

    #[test]
    fn validate_rejects_lone_braces() {
        let err = validate("grant {ticket", HookKind::Grant).expect_err("unclosed");
        assert_eq!(
            usage_message(&err),
            "unclosed `{` in the grant command argument `{ticket`"
        );
        let err = validate(r#"grant '{"a":1}'"#, HookKind::Grant).expect_err("not a placeholder");
        assert_eq!(
            usage_message(&err),
            "unknown placeholder `{\"a\":1}` in the grant command"
        );
        let err = validate("grant a}b", HookKind::Revoke).expect_err("unmatched");
        assert_eq!(
            usage_message(&err),
            "unmatched `}` in the revoke command argument `a}b`"
        );
    }

    #[test]
    fn parse_splits_words_into_text_and_placeholders() -> anyhow::Result<()> {
        let template = parse("cmd a{resource}b {{ ''", HookKind::Grant)?;
        assert_eq!(
            template,
            vec![
                vec![Piece::Text("cmd".into())],
                vec![
                    Piece::Text("a".into()),
                    Piece::Var(Placeholder::Resource),
                    Piece::Text("b".into())
                ],
                vec![Piece::Text("{".into())],
                vec![Piece::Text(String::new())],
            ]
        );
        Ok(())
    }

    #[test]
    fn report_serializes_for_the_audit_log() -> anyhow::Result<()> {
        let report = run_ok("sh -c 'exit 4'", &revoke_vars(RevokeReason::Expired));
        let json = serde_json::to_value(&report)?;
        assert_eq!(json["kind"], "revoke");
        assert_eq!(json["command"], "sh -c 'exit 4'");
        assert_eq!(json["exit_code"], 4);
        assert_eq!(json["signal"], serde_json::Value::Null);
        assert_eq!(json["timed_out"], false);
        assert!(json["elapsed_ms"].is_u64());
        Ok(())
    }

    #[test]
    fn timeouts_are_formatted_readably() {
        assert_eq!(format_ms(60_000), "60s");
        assert_eq!(format_ms(1_500), "1500ms");
    }

    mod properties {
        //! 256 cases per property by default; `PROPTEST_CASES` asks for more.

        use proptest::prelude::*;

        use super::super::{HookKind, HookVars, expand, parse};
        use crate::db::RevokeReason;

        fn vars(resource: String, requester: String, ticket: Option<String>) -> HookVars {
            HookVars {
                request_id: 42,
                resource,
                requester,
                ticket,
                reason: Some(RevokeReason::TicketDeleted),
            }
        }

        /// Escapes braces the way the brace rule wants literal ones.
        fn literal(text: &str) -> String {
            text.replace('{', "{{").replace('}', "}}")
        }

        proptest! {
            #[test]
            fn any_line_is_parsed_or_refused_without_panic(line in any::<String>()) {
                for kind in [HookKind::Grant, HookKind::Revoke] {
                    if let Ok(template) = parse(&line, kind) {
                        let argv = expand(&template, &vars("r".into(), "q".into(), None));
                        prop_assert!(!argv.is_empty() && !argv[0].is_empty());
                    }
                }
            }

            #[test]
            fn lines_of_braces_and_names_never_panic(line in "[{}a-z_ ]{0,24}") {
                for kind in [HookKind::Grant, HookKind::Revoke] {
                    let _ = parse(&line, kind);
                }
            }

            /// Values are never split or read again: whatever a requester or ticket holds
            /// (spaces, quotes, braces, `$(...)`), each lands in its own argument as is.
            #[test]
            fn values_stay_whole_arguments(
                resource in any::<String>(),
                requester in any::<String>(),
                ticket in proptest::option::of(any::<String>()),
            ) {
                let line = "revoke {resource} --user=<{requester}> {ticket} {reason} {request_id}";
                let template = parse(line, HookKind::Revoke).expect("a valid line");
                let argv = expand(&template, &vars(resource.clone(), requester.clone(), ticket.clone()));
                prop_assert_eq!(argv, vec![
                    "revoke".to_string(),
                    resource,
                    format!("--user=<{requester}>"),
                    ticket.unwrap_or_default(),
                    "ticket_deleted".to_string(),
                    "42".to_string(),
                ]);
            }

            /// Text with doubled braces, quoted as a shell word, comes out as written.
            #[test]
            fn literal_text_survives(text in any::<String>().prop_filter("no NUL", |t| !t.contains('\0'))) {
                let line = format!("prog {}", shell_words::quote(&literal(&text)));
                let template = parse(&line, HookKind::Grant).expect("a valid line");
                let argv = expand(&template, &vars(String::new(), String::new(), None));
                prop_assert_eq!(argv, vec!["prog".to_string(), text]);
            }
        }
    }
}
