//! Running a child process and measuring it: wall time from spawn to reaping, and its
//! peak resident memory, which `wait4(2)` reports for exactly that child (unlike
//! `getrusage(RUSAGE_CHILDREN)`, which keeps the peak of every child reaped so far).

use std::io::{self, Read};
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

/// A child that has ended.
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
    /// Fails unless the child exited with `code`.
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

/// A child still running, with readers draining its output.
pub struct Running {
    child: Child,
    started: Instant,
    stdout: JoinHandle<Vec<u8>>,
    stderr: JoinHandle<Vec<u8>>,
}

/// Starts `command` with its output captured (and no input).
pub fn spawn(command: &mut Command) -> anyhow::Result<Running> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command
        .spawn()
        .with_context(|| format!("cannot start {:?}", command.get_program()))?;
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    Ok(Running {
        child,
        started,
        stdout,
        stderr,
    })
}

/// Runs `command` to its end.
pub fn run(command: &mut Command) -> anyhow::Result<Finished> {
    spawn(command)?.finish()
}

impl Running {
    /// Waits for the child, then collects its output.
    pub fn finish(self) -> anyhow::Result<Finished> {
        let (status, usage) = wait4(&self.child).context("cannot wait for a child")?;
        let wall = self.started.elapsed();
        let text = |reader: JoinHandle<Vec<u8>>| {
            String::from_utf8_lossy(&reader.join().unwrap_or_default()).into_owned()
        };
        Ok(Finished {
            code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
            stdout: text(self.stdout),
            stderr: text(self.stderr),
            wall,
            max_rss: max_rss_bytes(&usage),
        })
    }
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

    #[test]
    fn measures_exit_code_output_time_and_memory() {
        let done =
            run(Command::new("sh").args(["-c", "echo out; echo err >&2; sleep 0.1; exit 3"]))
                .expect("sh runs");
        assert_eq!(done.code, Some(3));
        assert_eq!(done.stdout, "out\n");
        assert_eq!(done.stderr, "err\n");
        assert!(done.wall >= Duration::from_millis(100), "{:?}", done.wall);
        assert!(done.max_rss > 100 * 1024, "a shell uses some memory");
        assert!(done.expect_code(0, "sh").is_err());
    }

    #[test]
    fn the_peak_is_the_childs_own() {
        // A shell that holds 32 MB in a variable, then a small child: the second must
        // not inherit the first one's peak.
        let big = run(Command::new("sh").args([
            "-c",
            "x=$(head -c 33554432 /dev/zero | tr '\\0' a); echo ${#x}",
        ]))
        .expect("big child");
        assert_eq!(big.stdout.trim(), "33554432");
        assert!(big.max_rss > 32 * 1024 * 1024, "{}", big.max_rss);
        let small = run(&mut Command::new("true")).expect("small child");
        assert!(small.max_rss < 16 * 1024 * 1024, "{}", small.max_rss);
    }
}
