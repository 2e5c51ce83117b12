//! Splits a Markdown file into its YAML front matter and its body, and parses the YAML.
//!
//! The split remembers on which line of the file the YAML and the body start, so that an error
//! found later (a bad date in the YAML, a broken link in the body) points at the right line of
//! the file and not of the fragment. YAML goes through serde-saphyr, whose errors carry a line
//! and a column; they are shifted by the front matter's offset here, once.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::config::backticked;
use crate::diagnostics::{Diagnostic, Location, did_you_mean};

/// A file cut in two: the YAML between the `---` lines, and the Markdown after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based line of the file where the YAML starts (2 when the file starts with `---`).
    pub yaml_line: usize,
    pub body: &'a str,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
}

/// Cuts `text` (already LF-normalised) at its `---` lines.
pub fn split<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, Diagnostic> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Err(Diagnostic::error(
            Some(Location::file(path)),
            "no front matter: the file must start with a line `---`, then YAML (title, date…), then a closing `---`",
        )
        .with_source(text));
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    for (line, l) in (2..).zip(text[yaml_start..].split_inclusive('\n')) {
        if l.trim_end() == "---" {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[offset + l.len()..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(Diagnostic::error(
        Some(Location::file(path)),
        "the front matter opened on line 1 is never closed: add a line `---` after the YAML",
    )
    .with_source(text))
}

/// Parses the YAML of `split` into `T`. `full` is the whole file, to show the offending line;
/// `keys` are the accepted keys, for the hint on an unknown one.
pub fn parse_yaml<T: DeserializeOwned>(
    split: &Split<'_>,
    full: &str,
    path: &Path,
    keys: &[&str],
) -> Result<T, Diagnostic> {
    let yaml = if split.yaml.trim().is_empty() {
        "{}"
    } else {
        split.yaml
    };
    serde_saphyr::from_str::<T>(yaml).map_err(|e| {
        let (line, column) = e
            .location()
            .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
        let loc = Location::new(path, line + split.yaml_line - 1, column);
        yaml_diagnostic(&e.without_snippet().to_string(), loc, keys).with_source(full)
    })
}

/// Turns serde-saphyr's message into ours: unknown keys get a hint, missing ones a plain word.
fn yaml_diagnostic(raw: &str, loc: Location, keys: &[&str]) -> Diagnostic {
    // "unknown field `titel`, expected one of … at line 2, column 1": drop the position suffix.
    let message = match raw.rfind(" at line ") {
        Some(i) => &raw[..i],
        None => raw,
    };
    if message.starts_with("unknown field")
        && let Some(key) = backticked(message)
    {
        // The keys of the mapping the key is in (a nested one, like `image`, has its own).
        let expected: Vec<&str> = match message.find("expected one of ") {
            Some(i) => message[i + 16..]
                .split(',')
                .map(|k| k.trim().trim_matches('`'))
                .filter(|k| !k.is_empty())
                .collect(),
            None => keys.to_vec(),
        };
        let mut d = Diagnostic::error(Some(loc), format!("unknown key `{key}`"));
        if let Some(hint) = did_you_mean(key, expected.iter().copied()) {
            d = d.with_note(format!("did you mean `{hint}`?"));
        }
        return d.with_note(format!("known keys: {}", expected.join(", ")));
    }
    if message.starts_with("missing field")
        && let Some(key) = backticked(message)
    {
        // The parser points at the end of the mapping; the key belongs to the whole front
        // matter, which opens on line 1.
        if keys.contains(&key) {
            let start = Location::new(&loc.path, 1, 1);
            return Diagnostic::error(Some(start), format!("missing `{key}` in the front matter"));
        }
        return Diagnostic::error(Some(loc), format!("missing `{key}`"));
    }
    if message.starts_with("duplicate mapping key") {
        let key = message
            .trim_start_matches("duplicate mapping key: ")
            .split(',')
            .next()
            .unwrap_or("");
        return Diagnostic::error(Some(loc), format!("key `{key}` is given twice"));
    }
    Diagnostic::error(Some(loc), format!("invalid YAML: {message}"))
}

/// The location in the file of a value read with `serde_saphyr::Spanned`.
pub fn spanned_location(loc: &serde_saphyr::Location, split: &Split<'_>, path: &Path) -> Location {
    Location::new(
        path,
        loc.line() as usize + split.yaml_line - 1,
        loc.column() as usize,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Fm {
        title: String,
        date: Option<String>,
    }

    const KEYS: &[&str] = &["title", "date"];

    #[test]
    fn split_remembers_lines() {
        let text = "---\ntitle: a\ndate: b\n---\nBody\n";
        let s = split(text, Path::new("x.md")).unwrap();
        assert_eq!(s.yaml, "title: a\ndate: b\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn closing_line_may_end_the_file() {
        let s = split("---\ntitle: a\n---", Path::new("x.md")).unwrap();
        assert_eq!(s.body, "");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let e = split("---\ntitle: a\n", Path::new("x.md")).unwrap_err();
        assert!(
            e.headline()
                .starts_with("x.md:1:1: the front matter opened on line 1 is never closed")
        );
    }

    #[test]
    fn yaml_errors_are_offset_to_the_file() {
        let text = "---\ntitle: a\ntitel: b\n---\n";
        let s = split(text, Path::new("x.md")).unwrap();
        let e = parse_yaml::<Fm>(&s, text, Path::new("x.md"), KEYS).unwrap_err();
        assert_eq!(e.headline(), "x.md:3:1: unknown key `titel`");
        assert_eq!(e.notes[0], "did you mean `title`?");
        assert_eq!(e.source_line.as_deref(), Some("titel: b"));
    }

    #[test]
    fn missing_title() {
        let text = "---\ndate: b\n---\n";
        let s = split(text, Path::new("x.md")).unwrap();
        let e = parse_yaml::<Fm>(&s, text, Path::new("x.md"), KEYS).unwrap_err();
        assert_eq!(
            e.headline(),
            "x.md:1:1: missing `title` in the front matter"
        );
    }

    #[test]
    fn bad_yaml_points_inside() {
        let text = "---\ntitle: a\ndate: [1\n---\n";
        let s = split(text, Path::new("x.md")).unwrap();
        let e = parse_yaml::<Fm>(&s, text, Path::new("x.md"), KEYS).unwrap_err();
        assert!(e.headline().starts_with("x.md:3:"), "{}", e.headline());
        assert!(e.message.starts_with("invalid YAML"), "{}", e.message);
    }
}
