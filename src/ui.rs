//! Everything the user sees goes through here.
//!
//! Standard output carries only the result: a table, tab-separated rows when it is not a
//! terminal, or the contract's JSON with `--output json`. Status lines, warnings and
//! prompts go to standard error, and `--quiet` silences the status lines. Text that came
//! from Jira or from a hook command is sanitized before it reaches a terminal.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{self, IsTerminal as _, Write as _};
use std::time::{Duration, Instant};

use clap::ValueEnum;
use comfy_table::{Cell, Color, ContentArrangement, Table, presets};
use serde::Serialize;

/// The `--color` choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream: `always` wins over NO_COLOR; `auto` needs a terminal
    /// and no NO_COLOR.
    fn enabled(self, terminal: bool) -> bool {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && !no_color,
        }
    }
}

/// The `--output` formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
}

/// The user interface of one run.
#[derive(Debug)]
pub struct Ui {
    pub format: OutputFormat,
    quiet: bool,
    no_input: bool,
    stdout_tty: bool,
    stdout_color: bool,
    /// Set once a write found stdout closed (`| head`): later output is dropped.
    stdout_closed: std::cell::Cell<bool>,
}

impl Ui {
    pub fn new(format: OutputFormat, quiet: bool, no_input: bool, color: ColorChoice) -> Self {
        let stdout_tty = io::stdout().is_terminal();
        let stdout_color = color.enabled(stdout_tty);
        console::set_colors_enabled(stdout_color);
        console::set_colors_enabled_stderr(color.enabled(io::stderr().is_terminal()));
        Ui {
            format,
            quiet,
            no_input,
            stdout_tty,
            stdout_color,
            stdout_closed: std::cell::Cell::new(false),
        }
    }

    pub fn json(&self) -> bool {
        self.format == OutputFormat::Json
    }

    /// Whether prompting is allowed: stdin and stderr are terminals and `--no-input`
    /// was not given.
    pub fn can_prompt(&self) -> bool {
        !self.no_input && io::stdin().is_terminal() && io::stderr().is_terminal()
    }

    /// Writes a JSON value on stdout (one document, pretty on a terminal).
    pub fn print_json<T: Serialize + ?Sized>(&self, value: &T) -> anyhow::Result<()> {
        let text = if self.stdout_tty {
            serde_json::to_string_pretty(value)?
        } else {
            serde_json::to_string(value)?
        };
        self.stdout_line(&text)
    }

    /// Writes one compact JSON document per line (JSON Lines).
    pub fn print_json_line<T: Serialize + ?Sized>(&self, value: &T) -> anyhow::Result<()> {
        self.stdout_line(&serde_json::to_string(value)?)
    }

    /// Writes rows under a header: a drawn table on a terminal, tab-separated lines
    /// (header first) otherwise, so the output stays easy to `cut` and `grep`.
    pub fn print_table(&self, header: &[&str], rows: Vec<Vec<String>>) -> anyhow::Result<()> {
        if !self.stdout_tty {
            let mut out = String::new();
            out.push_str(&header.join("\t"));
            for row in rows {
                out.push('\n');
                let cells: Vec<String> = row.iter().map(|cell| sanitize(cell)).collect();
                out.push_str(&cells.join("\t"));
            }
            return self.stdout_line(&out);
        }
        let mut table = Table::new();
        table
            .load_style(presets::UTF8_BORDERS_ONLY)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(header.to_vec());
        if self.stdout_color {
            table.enforce_styling();
        }
        // Status words are coloured so that what needs attention stands out.
        let status_columns: Vec<usize> = header
            .iter()
            .enumerate()
            .filter(|(_, name)| matches!(**name, "STATUS" | "ACTION"))
            .map(|(index, _)| index)
            .collect();
        for row in rows {
            let cells = row.iter().enumerate().map(|(index, text)| {
                let cell = Cell::new(sanitize(text));
                match status_color(text) {
                    Some(color) if self.stdout_color && status_columns.contains(&index) => {
                        cell.fg(color)
                    }
                    _ => cell,
                }
            });
            table.add_row(cells.collect::<Vec<_>>());
        }
        self.stdout_line(&table.to_string())
    }

    /// Writes `key: value` lines, for a single record in table mode.
    pub fn print_fields(&self, fields: &[(&str, String)]) -> anyhow::Result<()> {
        let width = fields.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
        let lines: Vec<String> = fields
            .iter()
            .map(|(name, value)| format!("{name:>width$}: {}", sanitize(value)))
            .collect();
        self.stdout_line(&lines.join("\n"))
    }

    /// Writes a line of the result on stdout. A closed pipe ends quietly.
    pub fn stdout_line(&self, text: &str) -> anyhow::Result<()> {
        if self.stdout_closed.get() {
            return Ok(());
        }
        let mut out = io::stdout().lock();
        match writeln!(out, "{text}").and_then(|()| out.flush()) {
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe => {
                self.stdout_closed.set(true);
                Ok(())
            }
            other => Ok(other?),
        }
    }

    /// Whether the reader of stdout has gone away, so that producing more is pointless.
    pub fn stdout_closed(&self) -> bool {
        self.stdout_closed.get()
    }

    /// A status line on stderr (dropped with `--quiet`).
    pub fn status(&self, text: &str) {
        if !self.quiet {
            eprintln!("{}", sanitize(text));
        }
    }

    /// A progress line for a long task, drawn on stderr only when it is a terminal and
    /// `--quiet` is off; silent otherwise.
    pub fn progress(&self, what: &'static str) -> Progress {
        let visible = !self.quiet && io::stderr().is_terminal();
        Progress {
            what,
            visible,
            started: Instant::now(),
            drawn: std::cell::Cell::new(false),
        }
    }

    /// A warning on stderr (shown even with `--quiet`).
    pub fn warn(&self, text: &str) {
        eprintln!(
            "{} {}",
            console::style("warning:").yellow().for_stderr(),
            sanitize(text)
        );
    }
}

/// A `revoking 12/300` line on stderr, redrawn in place. It appears only once the task
/// has run for a moment, so quick passes print nothing extra.
pub struct Progress {
    what: &'static str,
    visible: bool,
    started: Instant,
    drawn: std::cell::Cell<bool>,
}

impl Progress {
    /// How long a task runs before its progress is shown.
    const DELAY: Duration = Duration::from_millis(500);

    pub fn update(&self, done: usize, total: usize) {
        if !self.visible || self.started.elapsed() < Self::DELAY {
            return;
        }
        eprint!("\r{} {done}/{total}…\u{1b}[K", self.what);
        let _ = io::stderr().flush();
        self.drawn.set(true);
    }

    /// Clears the line, if one was drawn.
    pub fn finish(&self) {
        if self.drawn.get() {
            eprint!("\r\u{1b}[K");
            let _ = io::stderr().flush();
        }
    }
}

fn status_color(status: &str) -> Option<Color> {
    match status {
        "active" => Some(Color::Green),
        "failed" => Some(Color::Red),
        "revoked" | "would revoke" => Some(Color::Yellow),
        _ => None,
    }
}

/// Removes what could steer a terminal: control characters (escape sequences begin with
/// one) and the bidirectional overrides that can make text read differently from what
/// it is. Newlines and tabs become spaces.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\t' | '\r' => Some(' '),
            c if c.is_control() => None,
            '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => None,
            c => Some(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_strips_escape_sequences_and_bidi_overrides() {
        assert_eq!(sanitize("ok\u{1b}[31mred\u{1b}[0m"), "ok[31mred[0m");
        assert_eq!(sanitize("a\u{202e}b\u{2066}c"), "abc");
        assert_eq!(sanitize("two\nlines\tand\rtab"), "two lines and tab");
        assert_eq!(sanitize("\u{7}bell\u{9b}csi"), "bellcsi");
        assert_eq!(
            sanitize("Disk full on db-3 – ünïcode"),
            "Disk full on db-3 – ünïcode"
        );
    }
}
