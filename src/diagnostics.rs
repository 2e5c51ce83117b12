//! Errors and warnings as values with a location.
//!
//! Every stage of the build can meet many bad files; instead of stopping at the first one it
//! collects [`Diagnostic`]s, each naming a file, a line and a column and carrying the offending
//! line, so that the terminal (and later the dev server's overlay) can show all of them at once:
//!
//! ```text
//! error: content/breves/x.md:4:9: unknown author "mdupont"
//!   |
//! 4 | authors: [mdupont]
//!   |         ^
//! ```

use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// How bad a diagnostic is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a source file: 1-based line and column (columns count characters).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Shared: a post holds a location for every value of its front matter, and posts are
    /// cloned at every rebuild of `chronique serve`.
    pub path: Arc<Path>,
    pub line: usize,
    pub column: usize,
}

impl Location {
    pub fn new(path: impl AsRef<Path>, line: usize, column: usize) -> Self {
        Location {
            path: Arc::from(path.as_ref()),
            line: line.max(1),
            column: column.max(1),
        }
    }

    /// The start of a file, for errors that concern the whole file.
    pub fn file(path: impl AsRef<Path>) -> Self {
        Location::new(path, 1, 1)
    }
}

/// One error or warning, with where it is and the line it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Option<Location>,
    pub message: String,
    /// The text of the offending line, shown under the message with a caret.
    pub source_line: Option<String>,
    /// Extra lines: a hint, or the other file of a conflict.
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(location: Option<Location>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location,
            message: message.into(),
            source_line: None,
            notes: Vec::new(),
        }
    }

    pub fn warning(location: Option<Location>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(location, message)
        }
    }

    /// Attaches the offending line, taken from `text` (the whole file) at the location's line.
    pub fn with_source(mut self, text: &str) -> Self {
        if let Some(loc) = &self.location {
            self.source_line = text
                .split('\n')
                .nth(loc.line - 1)
                .map(|l| l.trim_end_matches('\r').to_string());
        }
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The message as one line without the snippet: `path:line:col: message`.
    pub fn headline(&self) -> String {
        match &self.location {
            Some(loc) => format!(
                "{}:{}:{}: {}",
                display_path(&loc.path),
                loc.line,
                loc.column,
                self.message
            ),
            None => self.message.clone(),
        }
    }
}

impl Diagnostic {
    /// The diagnostic as shown, without its `error: ` or `warning: ` label: for a caller that
    /// labels the message itself (`chronique new` says `error:` before any of its errors).
    pub fn unlabelled(&self) -> impl fmt::Display + '_ {
        Unlabelled(self)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", Unlabelled(self))
    }
}

/// A diagnostic's headline, offending line and notes, without the label.
struct Unlabelled<'a>(&'a Diagnostic);

impl fmt::Display for Unlabelled<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        write!(f, "{}", d.headline())?;
        if let (Some(loc), Some(line)) = (&d.location, &d.source_line) {
            let number = loc.line.to_string();
            let pad = " ".repeat(number.len());
            let (shown, caret_at) = snippet(line, loc.column);
            write!(
                f,
                "\n{pad} |\n{number} | {shown}\n{pad} | {}^",
                " ".repeat(caret_at)
            )?;
        }
        for note in &d.notes {
            write!(f, "\n  = {note}")?;
        }
        Ok(())
    }
}

/// The widest source line shown, in characters: a 100 000-character title is cut around the
/// caret instead of flooding the terminal.
const SNIPPET_WIDTH: usize = 120;

/// The source line as shown under a message, and where its caret goes (0-based, in characters).
/// Tabs would move the caret and control characters (a binary file) garble the terminal: both
/// are shown as one space.
fn snippet(line: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = line
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let caret = column.saturating_sub(1).min(chars.len());
    if chars.len() <= SNIPPET_WIDTH {
        return (chars.into_iter().collect(), caret);
    }
    let start = caret.saturating_sub(SNIPPET_WIDTH / 2);
    let end = (start + SNIPPET_WIDTH).min(chars.len());
    let start = end.saturating_sub(SNIPPET_WIDTH);
    let mut shown = String::new();
    let mut caret_at = caret - start;
    if start > 0 {
        shown.push('…');
        caret_at += 1;
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, caret_at)
}

/// Paths are shown with forward slashes and without a leading `./`.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// All the diagnostics of a run, errors and warnings together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sorts by file, line and column so that output does not depend on thread scheduling.
    /// Sorts by severity, file and line, and merges the same problem met on several pages (a
    /// template error is met by every page that uses the template): the first page is named,
    /// the others counted.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (a.severity, &a.location, &a.message, &a.notes).cmp(&(
                b.severity,
                &b.location,
                &b.message,
                &b.notes,
            ))
        });
        let mut merged: Vec<(Diagnostic, usize)> = Vec::with_capacity(self.0.len());
        for d in self.0.drain(..) {
            match merged.last_mut() {
                Some((last, more))
                    if last.severity == d.severity
                        && last.location == d.location
                        && last.message == d.message =>
                {
                    if last.notes != d.notes {
                        *more += 1;
                    }
                }
                _ => merged.push((d, 0)),
            }
        }
        self.0 = merged
            .into_iter()
            .map(|(mut d, more)| {
                if more > 0 {
                    d.notes.push(format!(
                        "and on {more} other page{}",
                        if more == 1 { "" } else { "s" }
                    ));
                }
                d
            })
            .collect();
        self.collapse();
    }

    /// Keeps the first [`SHOWN_PER_SHAPE`] diagnostics of each shape (the same message but for
    /// its numbers and quoted names: `unknown author "x"`, `part 12 is planned…`) and counts
    /// the others on the last one shown: a flood of 100 000 warnings is 20 and "and 99 980
    /// more like this one". Collapsing again changes nothing.
    fn collapse(&mut self) {
        if self.0.len() <= SHOWN_PER_SHAPE {
            return;
        }
        let shapes: Vec<(Severity, String)> = (self.0.iter())
            .map(|d| (d.severity, shape(&d.message)))
            .collect();
        let mut totals: std::collections::HashMap<&(Severity, String), usize> =
            std::collections::HashMap::new();
        for s in &shapes {
            *totals.entry(s).or_default() += 1;
        }
        if totals.values().all(|&n| n <= SHOWN_PER_SHAPE) {
            return;
        }
        let mut seen: std::collections::HashMap<&(Severity, String), usize> =
            std::collections::HashMap::new();
        let mut kept = Vec::with_capacity(self.0.len().min(totals.len() * SHOWN_PER_SHAPE));
        for (mut d, s) in self.0.drain(..).zip(&shapes) {
            let total = totals[s];
            let n = seen.entry(s).or_default();
            *n += 1;
            if *n > SHOWN_PER_SHAPE {
                continue;
            }
            if *n == SHOWN_PER_SHAPE && total > SHOWN_PER_SHAPE {
                let more = total - SHOWN_PER_SHAPE;
                let kind = match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                d.notes.push(format!(
                    "… and {} more {kind}{} like this one, not shown",
                    thousands(more),
                    if more == 1 { "" } else { "s" }
                ));
            }
            kept.push(d);
        }
        self.0 = kept;
    }
}

/// How many diagnostics of one shape are shown (see [`Diagnostics::collapse`]).
pub const SHOWN_PER_SHAPE: usize = 20;

/// A message with its numbers and its quoted parts (`"…"`, `` `…` ``) blanked, so that the
/// same problem about other values has the same shape.
fn shape(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quote: Option<char> = None;
    let mut digits = false;
    for c in message.chars() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                out.push(c);
            }
            Some(_) => {}
            None if c == '"' || c == '`' => {
                quote = Some(c);
                out.push(c);
            }
            None if c.is_ascii_digit() => {
                if !digits {
                    out.push('#');
                }
            }
            None => out.push(c),
        }
        digits = quote.is_none() && c.is_ascii_digit();
    }
    out
}

/// `99998` as `99 998`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

/// When two names that clash are different strings that may look the same (`café` written with
/// `é`, U+00E9, and with `e` and a combining accent, U+0301, as macOS writes file names), a note
/// showing the code points where they differ. None when the difference is plain ASCII, which
/// the reader sees.
pub fn lookalike_note(a: &str, b: &str) -> Option<String> {
    if a == b {
        return None;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = (a[prefix..].iter().rev())
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (da, db) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    if da.iter().chain(db).all(char::is_ascii) {
        return None;
    }
    let points = |cs: &[char]| {
        let all: Vec<String> = cs.iter().map(|c| format!("U+{:04X}", *c as u32)).collect();
        if all.is_empty() {
            "nothing".to_string()
        } else {
            all.join(" ")
        }
    };
    let shown: String = da.iter().collect();
    let combining = |cs: &[char]| cs.iter().any(|&c| is_combining_mark(c));
    let forms = if combining(da) != combining(db) {
        ": the same name in two Unicode forms (composed, NFC, and decomposed, NFD)"
    } else {
        ""
    };
    Some(format!(
        "the names look alike but differ where the first has \"{shown}\" ({}) and the second {}{forms}",
        points(da),
        points(db)
    ))
}

/// Combining diacritical marks (the accents of decomposed letters).
fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// The closest candidate to a misspelt name, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4) && *d < name.len().max(1))
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The first `` `quoted` `` word of a message.
pub fn backticked(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("é\nàb", 5), (2, 2));
    }

    #[test]
    fn shows_the_line_and_a_caret() {
        let d = Diagnostic::error(
            Some(Location::new("content/breves/x.md", 2, 10)),
            "unknown author \"mdupont\"",
        )
        .with_source("---\nauthors: [mdupont]\n---\n");
        assert_eq!(
            d.to_string(),
            "error: content/breves/x.md:2:10: unknown author \"mdupont\"\n  |\n2 | authors: [mdupont]\n  |          ^"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let line = format!("title: {}", "a".repeat(100_000));
        let (shown, caret) = snippet(&line, 50_000);
        assert_eq!(shown.chars().count(), SNIPPET_WIDTH + 2);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(caret, SNIPPET_WIDTH / 2 + 1);
        let (shown, caret) = snippet(&line, 3);
        assert!(shown.starts_with("title: aaa") && shown.ends_with('…'));
        assert_eq!(caret, 2);
        let (shown, caret) = snippet(&line, usize::MAX);
        assert!(shown.starts_with('…') && !shown.ends_with('…'));
        assert_eq!(caret, SNIPPET_WIDTH + 1);
    }

    #[test]
    fn control_characters_are_shown_as_spaces() {
        assert_eq!(
            snippet("\0\tx\u{1b}[31m", 3),
            (" \u{20}x [31m".to_string(), 2)
        );
    }

    #[test]
    fn lookalike_names_show_their_code_points() {
        assert_eq!(
            lookalike_note("content/café.md", "content/cafe\u{301}.md").as_deref(),
            Some(
                "the names look alike but differ where the first has \"é\" (U+00E9) and the second U+0065 U+0301: the same name in two Unicode forms (composed, NFC, and decomposed, NFD)"
            )
        );
        assert_eq!(lookalike_note("a/x.md", "a/y.md"), None);
        assert_eq!(lookalike_note("é", "é"), None);
    }

    #[test]
    fn suggests_near_misses_only() {
        let keys = ["title", "date", "tags", "summary"];
        assert_eq!(did_you_mean("titel", keys), Some("title"));
        assert_eq!(did_you_mean("sumary", keys), Some("summary"));
        assert_eq!(did_you_mean("colour", keys), None);
    }

    #[test]
    fn a_flood_of_one_shape_is_cut_with_a_count() {
        let mut all = Diagnostics::new();
        for n in 0..100_000 {
            all.push(Diagnostic::warning(
                Some(Location::new("content/series/s.md", n + 1, 3)),
                format!("part {n} of \"s{n}\" is planned for `{n}`"),
            ));
        }
        for n in 0..5 {
            all.push(Diagnostic::warning(None, format!("another problem {n}")));
        }
        all.push(Diagnostic::error(None, "an error"));
        all.sort();
        assert_eq!(all.0.len(), 1 + 5 + SHOWN_PER_SHAPE, "{all}");
        let last = all.0.last().unwrap();
        assert_eq!(last.location.as_ref().unwrap().line, SHOWN_PER_SHAPE);
        assert_eq!(
            last.notes,
            ["… and 99 980 more warnings like this one, not shown"]
        );
        let once = all.clone();
        all.sort();
        assert_eq!(all, once, "collapsing twice changes nothing");
        assert_eq!(thousands(1), "1");
        assert_eq!(thousands(1_000), "1 000");
        assert_eq!(thousands(4_294_967_295), "4 294 967 295");
    }

    #[test]
    fn the_same_problem_on_many_pages_is_one_diagnostic() {
        let at = || Some(Location::new("templates/page.html", 4, 7));
        let mut all = Diagnostics::new();
        for page in ["/b/", "/a/", "/c/"] {
            all.push(
                Diagnostic::error(at(), "template error: Field `x` is not defined")
                    .with_note(format!("while rendering {page}")),
            );
        }
        all.push(Diagnostic::error(at(), "another problem"));
        all.sort();
        assert_eq!(all.0.len(), 2);
        let merged = all
            .0
            .iter()
            .find(|d| d.message.starts_with("template error"))
            .unwrap();
        assert_eq!(
            merged.notes,
            ["while rendering /a/", "and on 2 other pages"]
        );
    }
}
