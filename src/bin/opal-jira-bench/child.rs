//! Running a program and measuring it: wall time from start to end, and its peak
//! resident memory.
//!
//! The peak comes from `wait4(2)`, which reports it for exactly the child reaped
//! (`getrusage(RUSAGE_CHILDREN)` keeps the largest of every child so far). But Linux
//! starts a new process's peak at its parent's: the child begins life in a copy of the
//! parent's memory (or in the parent's own, with `vfork`), and `exec` keeps the larger
//! figure. The benchmark holds workloads of 100 000 requests, so its children would all
//! seem that big. Each program therefore runs under a shim, this same binary started
//! afresh (`opal-jira-bench __measure REPORT PROGRAM ARGS…`), whose own small memory is
//! the only floor; the shim times and reaps the program and writes what it saw to
//! REPORT.

use std::ffi::OsString;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

/// The first argument that makes this binary the measuring shim.
pub const SHIM: &str = "__measure";

/// A program that has ended.
#[derive(Debug)]
pub struct Finished {
    /// The exit code; `None` when a signal ended it.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub wall: Duration,
    /// Peak resident set size, in bytes.
    pub max_rss: u64,
}

impl Finished {
    /// Fails unless the program exited with `code`.
    pub fn expect_code(self, code: i32, what: &str) -> anyhow::Result<Finished> {
        if self.code != Some(code) {
            bail!(
                "{what} ended with {:?}, expected exit code {code}\nstderr: {}",
                self.code,
                self.stderr.trim()
            );
        }
        Ok(self)
    }

    /// Stdout parsed as one JSON document.
    pub fn json(&self) -> anyhow::Result<serde_json::Value> {
        serde_json::from_str(&self.stdout).with_context(|| {
            let start: String = self.stdout.chars().take(200).collect();
            format!("stdout is not JSON: {start}")
        })
    }
}

/// A program to run under the shim: set its arguments and environment on
/// [`command`](Job::command), then [`run`](Job::run) or [`spawn`](Job::spawn) it.
pub struct Job {
    command: Command,
    report: PathBuf,
}

impl Job {
    /// `program`, measured by the shim, which writes its figures to `report`.
    pub fn new(program: &Path, report: PathBuf) -> anyhow::Result<Job> {
        let me = std::env::current_exe().context("cannot locate the benchmark binary")?;
        let mut command = Command::new(me);
        command.arg(SHIM).arg(&report).arg(program);
        Ok(Job { command, report })
    }

    /// The shim's command line, to which the program's arguments are added.
    pub fn command(&mut self) -> &mut Command {
        &mut self.command
    }

    /// Starts the program with its output captured (and no input).
    pub fn spawn(mut self) -> anyhow::Result<Running> {
        let _ = std::fs::remove_file(&self.report);
        self.command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self.command.spawn().context("cannot start the shim")?;
        let stdout = drain(child.stdout.take());
        let stderr = drain(child.stderr.take());
        Ok(Running {
            child,
            report: self.report,
            stdout,
            stderr,
        })
    }

    /// Runs the program to its end.
    pub fn run(self) -> anyhow::Result<Finished> {
        self.spawn()?.finish()
    }
}

/// A program still running, with readers draining its output.
pub struct Running {
    child: Child,
    report: PathBuf,
    stdout: JoinHandle<Vec<u8>>,
    stderr: JoinHandle<Vec<u8>>,
}

impl Running {
    /// Waits for the program, then collects its output and the shim's figures.
    pub fn finish(mut self) -> anyhow::Result<Finished> {
        self.child.wait().context("cannot wait for the shim")?;
        let text = |reader: JoinHandle<Vec<u8>>| {
            String::from_utf8_lossy(&reader.join().unwrap_or_default()).into_owned()
        };
        let stderr = text(self.stderr);
        let report = std::fs::read_to_string(&self.report)
            .with_context(|| format!("the shim left no report; stderr: {}", stderr.trim()))?;
        let figures = Figures::parse(&report)?;
        Ok(Finished {
            code: figures.code,
            stdout: text(self.stdout),
            stderr,
            wall: figures.wall,
            max_rss: figures.max_rss,
        })
    }
}

/// What the shim writes: `CODE WALL_NANOS MAX_RSS_BYTES`, the code `-` after a signal.
#[derive(Debug, PartialEq, Eq)]
struct Figures {
    code: Option<i32>,
    wall: Duration,
    max_rss: u64,
}

impl Figures {
    fn line(&self) -> String {
        let code = self.code.map_or("-".to_string(), |code| code.to_string());
        format!("{code} {} {}\n", self.wall.as_nanos(), self.max_rss)
    }

    fn parse(text: &str) -> anyhow::Result<Figures> {
        let parts: Vec<&str> = text.split_whitespace().collect();
        let [code, wall, rss] = parts[..] else {
            bail!("malformed shim report {text:?}");
        };
        Ok(Figures {
            code: if code == "-" {
                None
            } else {
                Some(code.parse()?)
            },
            wall: Duration::from_nanos(wall.parse()?),
            max_rss: rss.parse()?,
        })
    }
}

/// The shim: runs `PROGRAM ARGS…` with this process's input, output and environment,
/// writes its figures to `REPORT`, and exits as it did.
pub fn shim(args: &[OsString]) -> ExitCode {
    let [report, program, rest @ ..] = args else {
        eprintln!("opal-jira-bench: usage: {SHIM} REPORT PROGRAM [ARGS…]");
        return ExitCode::from(2);
    };
    match measure(Command::new(program).args(rest)) {
        Ok(figures) => {
            if let Err(err) = std::fs::write(report, figures.line()) {
                eprintln!("opal-jira-bench: cannot write {report:?}: {err}");
                return ExitCode::from(2);
            }
            let code = figures.code.unwrap_or(128);
            ExitCode::from(u8::try_from(code).unwrap_or(1))
        }
        Err(err) => {
            eprintln!("opal-jira-bench: cannot run {program:?}: {err}");
            ExitCode::from(2)
        }
    }
}

/// Starts `command`, reaps it with `wait4`, and returns what was measured.
fn measure(command: &mut Command) -> io::Result<Figures> {
    let started = Instant::now();
    let child = command.spawn()?;
    let (status, usage) = wait4(&child)?;
    Ok(Figures {
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        wall: started.elapsed(),
        max_rss: max_rss_bytes(&usage),
    })
}

fn drain(pipe: Option<impl Read + Send + 'static>) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

/// Reaps `child` and returns its wait status and resource usage.
fn wait4(child: &Child) -> io::Result<(libc::c_int, libc::rusage)> {
    let pid = libc::pid_t::try_from(child.id()).map_err(io::Error::other)?;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain integers and timevals, for which all zeroes is valid.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: the pointers refer to live locals of the right types; the pid is our
        // own child, not yet reaped (`Child::wait` is never called on it).
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            return Ok((status, usage));
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

fn max_rss_bytes(usage: &libc::rusage) -> u64 {
    let value = u64::try_from(usage.ru_maxrss).unwrap_or(0);
    // macOS reports bytes; Linux and the BSDs report kibibytes.
    if cfg!(target_os = "macos") {
        value
    } else {
        value * 1024
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Figures {
        measure(
            Command::new("sh")
                .args(["-c", script])
                .stdout(Stdio::null()),
        )
        .expect("sh runs")
    }

    #[test]
    fn measures_exit_code_time_and_memory() {
        let figures = sh("sleep 0.1; exit 3");
        assert_eq!(figures.code, Some(3));
        assert!(figures.wall >= Duration::from_millis(100), "{figures:?}");
        assert!(figures.max_rss > 100 * 1024, "a shell uses some memory");
        assert_eq!(sh("kill -9 $$").code, None, "a signal leaves no code");
    }

    #[test]
    fn the_peak_is_the_childs_own() {
        // A shell that holds 32 MB in a variable, then a small child: the second must
        // not inherit the first one's peak.
        let big = sh("x=$(head -c 33554432 /dev/zero | tr '\\0' a); test ${#x} = 33554432");
        assert_eq!(big.code, Some(0));
        assert!(big.max_rss > 32 * 1024 * 1024, "{big:?}");
        let small = sh("true");
        assert!(small.max_rss < 16 * 1024 * 1024, "{small:?}");
    }

    #[test]
    fn reports_round_trip() {
        for figures in [
            Figures {
                code: Some(0),
                wall: Duration::from_nanos(1_234_567),
                max_rss: 7 << 20,
            },
            Figures {
                code: None,
                wall: Duration::ZERO,
                max_rss: 0,
            },
        ] {
            assert_eq!(Figures::parse(&figures.line()).expect("parses"), figures);
        }
        assert!(Figures::parse("0 12").is_err());
        assert!(Figures::parse("x 1 2").is_err());
    }
}
