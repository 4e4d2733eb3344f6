//! What the commands print: aligned tables for people, JSON for programs, progress bars on
//! long work.
//!
//! Colour only when the stream is a terminal and `NO_COLOR` is unset (or empty), with plain
//! ANSI codes and std's `IsTerminal`. Progress bars (indicatif) only when both stdout and
//! stderr are terminals. A reader that closes stdout early (`| head`) ends the command quietly
//! instead of with a panic.
//!
//! Text for people carries strings the server chose (titles, names, error messages), so every
//! way of printing it, [`Out::text`], [`Table`], [`Out::fields`], [`note`] and the error line
//! (`crate::exit`), passes them through [`printable`]: a control character in a title cannot
//! clear the screen, move the cursor or rename the terminal. JSON ([`Out::json`],
//! [`Out::ndjson`]) stays exact, serde escaping what JSON must.
//!
//! The flags that choose between them, [`JsonArg`] and [`ListingFormat`], are here too: every
//! command that prints a result or a listing flattens one of them into its arguments.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::exit::{Failure, Status};
use crate::terminal::{color_on, printable};

/// `--json` for commands that print one result.
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct JsonArg {
    /// Print one JSON document instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `--json` and `--ndjson` for listings.
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct ListingFormat {
    /// Print one JSON document instead of a table.
    #[arg(long, conflicts_with = "ndjson")]
    pub json: bool,
    /// Print one JSON object per line, each as soon as it arrives.
    #[arg(long)]
    pub ndjson: bool,
}

/// Whether a person is watching both streams: only then do progress bars appear.
pub fn interactive() -> bool {
    io::stdout().is_terminal() && io::stderr().is_terminal()
}

/// A progress bar over `len` steps on stderr, hidden unless [`interactive`].
pub fn progress(len: u64, what: &str) -> ProgressBar {
    if !interactive() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    let template = format!("{{bar:30}} {{pos}}/{{len}} {what}");
    bar.set_style(
        ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// A counter for work of unknown length on stderr, hidden unless [`interactive`].
pub fn counter(what: &str) -> ProgressBar {
    if !interactive() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let template = format!("{{spinner}} {{pos}} {what}");
    bar.set_style(
        ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar
}

/// A length in seconds as a clock shows it: `3:52`, `1:01:00`.
pub fn duration(seconds: i64) -> String {
    let seconds = seconds.max(0);
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

/// How a column lines up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text.
    Left,
    /// Numbers and durations.
    Right,
}

/// A table for people: a header row and aligned columns.
#[derive(Debug, Default)]
pub struct Table {
    columns: Vec<(&'static str, Align)>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these columns.
    pub fn new(columns: &[(&'static str, Align)]) -> Self {
        Self {
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    /// Adds a row, one cell per column, each made [`printable`] on one line.
    pub fn row(&mut self, cells: Vec<String>) {
        let cells = cells
            .into_iter()
            .map(|cell| match printable(&cell, false) {
                Cow::Borrowed(_) => cell,
                Cow::Owned(safe) => safe,
            })
            .collect();
        self.rows.push(cells);
    }

    /// The table as text, the header in bold when `color`.
    pub fn render(&self, color: bool) -> String {
        let width = |text: &str| text.chars().count();
        let mut widths: Vec<usize> = self.columns.iter().map(|(name, _)| width(name)).collect();
        for row in &self.rows {
            for (at, cell) in row.iter().enumerate() {
                if let Some(w) = widths.get_mut(at) {
                    *w = (*w).max(width(cell));
                }
            }
        }
        let line = |cells: Vec<&str>| {
            let last = cells.len().saturating_sub(1);
            let mut out = String::new();
            for (at, cell) in cells.into_iter().enumerate() {
                let pad = widths[at].saturating_sub(width(cell));
                let (_, align) = self.columns[at];
                if at > 0 {
                    out.push_str("  ");
                }
                match align {
                    Align::Right => {
                        out.extend(std::iter::repeat_n(' ', pad));
                        out.push_str(cell);
                    }
                    // The last column is not padded: no trailing spaces.
                    Align::Left if at == last => out.push_str(cell),
                    Align::Left => {
                        out.push_str(cell);
                        out.extend(std::iter::repeat_n(' ', pad));
                    }
                }
            }
            // An empty cell at the end of a row would leave trailing spaces.
            out.truncate(out.trim_end().len());
            out
        };
        let header = line(self.columns.iter().map(|(name, _)| *name).collect());
        let mut text = if color {
            format!("\x1b[1m{header}\x1b[0m\n")
        } else {
            format!("{header}\n")
        };
        for row in &self.rows {
            text.push_str(&line(row.iter().map(String::as_str).collect()));
            text.push('\n');
        }
        text
    }
}

/// Standard output, with colour decided once.
#[derive(Debug, Clone, Copy)]
pub struct Out {
    color: bool,
}

impl Out {
    /// Standard output as it is: coloured on a terminal without `NO_COLOR`.
    pub fn stdout() -> Self {
        Self {
            color: color_on(io::stdout().is_terminal()),
        }
    }

    /// Writes text for people, made [`printable`] (its lines and tabs kept), flushed.
    pub fn text(&self, text: &str) -> Result<(), Failure> {
        self.raw(&printable(text, true))
    }

    /// Writes text exactly as it is, flushed (a line of a stream must show as it arrives):
    /// for machine formats whose encoder escapes what it must (JSON, XML) and for text this
    /// program made itself (completion scripts, the manual). Text for people goes through
    /// [`text`](Self::text).
    pub fn raw(&self, text: &str) -> Result<(), Failure> {
        let mut stdout = io::stdout().lock();
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(write_failure)
    }

    /// A table (its cells were made printable as they were added).
    pub fn table(&self, table: &Table) -> Result<(), Failure> {
        self.raw(&table.render(self.color))
    }

    /// `label  value` lines, the labels aligned and in bold when coloured.
    pub fn fields(&self, fields: &[(&str, String)]) -> Result<(), Failure> {
        self.raw(&render_fields(fields, self.color))
    }

    /// One JSON document, pretty-printed.
    pub fn json(&self, value: &impl Serialize) -> Result<(), Failure> {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| Failure::refused(format!("cannot encode the output as JSON: {e}")))?;
        self.raw(&(text + "\n"))
    }

    /// One JSON object on one line (NDJSON).
    pub fn ndjson(&self, value: &impl Serialize) -> Result<(), Failure> {
        let text = serde_json::to_string(value)
            .map_err(|e| Failure::refused(format!("cannot encode the output as JSON: {e}")))?;
        self.raw(&(text + "\n"))
    }
}

/// `label  value` lines, each value made [`printable`] on its line.
fn render_fields(fields: &[(&str, String)], color: bool) -> String {
    let width = fields.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    let mut text = String::new();
    for (label, value) in fields {
        let pad = " ".repeat(width - label.len());
        let value = printable(value, false);
        if color {
            text.push_str(&format!("\x1b[1m{label}\x1b[0m{pad}  {value}\n"));
        } else {
            text.push_str(&format!("{label}{pad}  {value}\n"));
        }
    }
    text
}

/// A closed pipe ends the command quietly: its reader has what it wanted.
fn write_failure(error: io::Error) -> Failure {
    if error.kind() == io::ErrorKind::BrokenPipe {
        Failure::silent(Status::Success)
    } else {
        Failure::refused(format!("cannot write to stdout: {error}"))
    }
}

/// Writes a note on stderr (for `-v` and warnings), made [`printable`] (its lines kept); a
/// closed stderr is not worth failing for.
pub fn note(text: &str) {
    let _ = writeln!(io::stderr().lock(), "{}", printable(text, true));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_a_clock() {
        assert_eq!(duration(232), "3:52");
        assert_eq!(duration(5), "0:05");
        assert_eq!(duration(3660), "1:01:00");
        assert_eq!(duration(-1), "0:00");
    }

    #[test]
    fn tables_align_and_colour_only_when_asked() {
        let mut table = Table::new(&[("ID", Align::Left), ("N", Align::Right), ("T", Align::Left)]);
        table.row(vec!["a".into(), "10".into(), "é".into()]);
        table.row(vec!["bbb".into(), "2".into(), "x".into()]);
        assert_eq!(table.render(false), "ID    N  T\na    10  é\nbbb   2  x\n");
        assert!(table.render(true).starts_with("\x1b[1mID"));
    }

    /// A table cell or a field cannot add a line, nor bring an escape sequence along, and
    /// the columns still line up with the escapes shown.
    #[test]
    fn cells_and_fields_stay_on_their_line() {
        let mut table = Table::new(&[("ID", Align::Left), ("TITLE", Align::Left)]);
        table.row(vec!["a".into(), "x\nB0FAKE  forged row\x1b[2J".into()]);
        let text = table.render(false);
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(!text.contains('\x1b'), "{text}");
        let fields = render_fields(
            &[("title", "t\r\x1b[1Aup".into()), ("x", "y".into())],
            false,
        );
        assert_eq!(fields.lines().count(), 2, "{fields}");
        assert!(!fields.contains(['\x1b', '\r']), "{fields}");
    }
}
