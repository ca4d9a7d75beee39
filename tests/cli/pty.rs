//! A pseudo-terminal for testing prompts: the child gets a real terminal on stdin,
//! stdout and stderr, and the test reads the screen output and types keys.

use std::fs::File;
use std::io::{Read as _, Write as _};
use std::os::fd::{AsRawFd as _, FromRawFd as _};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Pty {
    master: File,
    child: Child,
    /// Everything the child wrote, escape sequences removed.
    pub screen: String,
    /// Everything the child wrote, as written.
    pub raw: String,
}

impl Pty {
    /// Starts `command` with a fresh 100x30 terminal as its standard streams.
    pub fn spawn(command: Command) -> Pty {
        Pty::spawn_sized(command, 100)
    }

    /// Starts `command` on a fresh terminal `columns` wide and 30 lines high.
    pub fn spawn_sized(mut command: Command, columns: u16) -> Pty {
        let mut master = -1;
        let mut slave = -1;
        let size = libc::winsize {
            ws_row: 30,
            ws_col: columns,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: openpty writes two descriptors into the provided integers; the name
        // and termios pointers may be null.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &size,
            )
        };
        assert_eq!(rc, 0, "openpty failed: {}", std::io::Error::last_os_error());
        // SAFETY: both descriptors were just opened by openpty and are owned here.
        let (master, slave) = unsafe { (File::from_raw_fd(master), File::from_raw_fd(slave)) };
        // SAFETY: fcntl on a descriptor we own.
        unsafe {
            let flags = libc::fcntl(master.as_raw_fd(), libc::F_GETFL);
            libc::fcntl(master.as_raw_fd(), libc::F_SETFL, flags | libc::O_NONBLOCK);
        }
        command
            .stdin(Stdio::from(slave.try_clone().expect("dup pty")))
            .stdout(Stdio::from(slave.try_clone().expect("dup pty")))
            .stderr(Stdio::from(slave));
        let child = command.spawn().expect("spawn on the pty");
        Pty {
            master,
            child,
            screen: String::new(),
            raw: String::new(),
        }
    }

    fn pump(&mut self) {
        let mut buffer = [0u8; 4096];
        loop {
            match self.master.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => {
                    let text = String::from_utf8_lossy(&buffer[..n]);
                    self.screen.push_str(&strip_escapes(&text));
                    self.raw.push_str(&text);
                }
                // EAGAIN: nothing more for now; EIO: the child closed the terminal.
                Err(_) => break,
            }
        }
    }

    /// Waits until the screen shows `text` (after everything already matched).
    #[track_caller]
    pub fn expect(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        let start = self.screen.len();
        loop {
            self.pump();
            if self.screen[start.min(self.screen.len())..].contains(text)
                || self.screen.contains(text)
            {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out waiting for {text:?}; screen so far:\n{}",
                    self.screen
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Types keys.
    pub fn send(&mut self, keys: &str) {
        self.master
            .write_all(keys.as_bytes())
            .expect("write to pty");
        self.master.flush().expect("flush pty");
    }

    /// Waits for the child to exit and returns its exit code.
    #[track_caller]
    pub fn wait(&mut self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            self.pump();
            if let Some(status) = self.child.try_wait().expect("wait") {
                self.pump();
                return status.code().unwrap_or(-1);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the child did not exit; screen:\n{}", self.screen);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Removes ANSI escape sequences (CSI and OSC) and carriage returns.
fn strip_escapes(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.next() {
                Some('[') => {
                    for next in chars.by_ref() {
                        if ('@'..='~').contains(&next) {
                            break;
                        }
                    }
                }
                Some(']') => {
                    for next in chars.by_ref() {
                        if next == '\u{7}' {
                            break;
                        }
                    }
                }
                _ => {}
            },
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Keys as a terminal sends them.
pub mod keys {
    pub const ENTER: &str = "\r";
    pub const DOWN: &str = "\u{1b}[B";
}
