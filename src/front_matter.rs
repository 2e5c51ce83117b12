//! Splits a Markdown file into its YAML front matter and its body, and parses the YAML.
//!
//! The split remembers on which line of the file the YAML and the body start, so that an error
//! found later (a bad date in the YAML, a broken link in the body) points at the right line of
//! the file and not of the fragment. YAML goes through serde-saphyr, whose errors carry a line
//! and a column; they are shifted by the front matter's offset here, once.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::config::field_names;
use crate::diagnostics::{Diagnostic, Location, backticked, did_you_mean};
use crate::language::Language;

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
/// the keys `T` reads (its serde fields) are the hints for an unknown one, and the notes that
/// show the writer a line as it should be written are in `language`, the site's.
pub fn parse_yaml<T: DeserializeOwned>(
    split: &Split<'_>,
    full: &str,
    path: &Path,
    language: Language,
) -> Result<T, Diagnostic> {
    let yaml = if split.yaml.trim().is_empty() {
        "{}"
    } else {
        split.yaml
    };
    if yaml.len() > MAX_YAML_BYTES {
        return Err(Diagnostic::error(
            Some(Location::new(path, split.yaml_line, 1)),
            format!(
                "the front matter is too large ({} bytes, at most {MAX_YAML_BYTES}): put long text in the body",
                yaml.len()
            ),
        ));
    }
    serde_saphyr::from_str_with_options::<T>(yaml, yaml_options()).map_err(|e| {
        let (line, column) = e
            .location()
            .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
        let loc = Location::new(path, line + split.yaml_line - 1, column);
        let keys = field_names::<T>();
        let d = yaml_diagnostic(&e.without_snippet().to_string(), loc, keys);
        // A syntax error is often reported lines away from its cause: a mistake writers make
        // every day, found on its own line, is a better message.
        match find_slip(yaml).filter(|_| d.message.starts_with("invalid YAML")) {
            Some(slip) => slip.diagnostic(split, path, language),
            None => d,
        }
        .with_source(full)
    })
}

/// A whole YAML data file (`comments/breves/x.yaml`) parsed with front matter's bounds; an
/// error at its line and column, with the line.
pub fn parse_data<T: DeserializeOwned>(text: &str, path: &Path) -> Result<T, Diagnostic> {
    if text.len() > MAX_YAML_BYTES {
        return Err(Diagnostic::error(
            Some(Location::file(path)),
            format!(
                "the file is too large ({} bytes, at most {MAX_YAML_BYTES})",
                text.len()
            ),
        ));
    }
    serde_saphyr::from_str_with_options::<T>(text, yaml_options()).map_err(|e| {
        let (line, column) = e
            .location()
            .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
        let loc = Location::new(path, line, column);
        yaml_diagnostic(&e.without_snippet().to_string(), loc, field_names::<T>()).with_source(text)
    })
}

/// A mistake writers make every day in front matter, found on its own line of the YAML: where
/// it is, what it is, and the line as it should be written.
#[derive(Debug, PartialEq, Eq)]
struct Slip {
    /// 1-based, within the YAML.
    line: usize,
    /// 1-based, in characters.
    column: usize,
    message: &'static str,
    fix: String,
}

impl Slip {
    fn diagnostic(self, split: &Split<'_>, path: &Path, language: Language) -> Diagnostic {
        let at = Location::new(path, self.line + split.yaml_line - 1, self.column);
        Diagnostic::error(Some(at), self.message).with_note(write_note(language, &self.fix))
    }
}

/// A note for the writer with a line of front matter as it should be written, in the site's
/// language: « écrivez : title: "…" » on a French site, `write: title: "…"` on an English one.
/// The diagnostic's own message stays English, as every message of the command line.
pub fn write_note(language: Language, line: &str) -> String {
    match language {
        Language::Fr => format!("écrivez : {line}"),
        Language::En => format!("write: {line}"),
    }
}

/// The first everyday mistake in `yaml`, if any: a tab in the indentation, a quote never
/// closed, or « : » inside a value that is not quoted (French typography puts a space before
/// it, and YAML then reads a new key). Only consulted once the YAML has failed to parse.
fn find_slip(yaml: &str) -> Option<Slip> {
    // The indentation of a key whose value is a block (`|`, `>`): its lines are text.
    let mut block: Option<usize> = None;
    // The indentation a line may have: the last key's, or more when that key opened a mapping.
    let mut expected = String::new();
    for (n, raw) in (1..).zip(yaml.lines()) {
        let indent = raw.len() - raw.trim_start_matches(' ').len();
        if let Some(b) = block {
            if raw.trim().is_empty() || indent > b {
                continue;
            }
            block = None;
        }
        let text = raw.trim_start_matches([' ', '\t']);
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        if let Some(tab) = raw[..raw.len() - text.len()].find('\t') {
            return Some(Slip {
                line: n,
                column: raw[..tab].chars().count() + 1,
                message: "a tab in the indentation: YAML accepts only spaces there",
                fix: format!("{expected}{text}"),
            });
        }
        let Some((key, value, value_at)) = key_and_value(raw) else {
            continue;
        };
        expected = " ".repeat(indent + if value.is_empty() { 2 } else { 0 });
        let value = strip_comment(value).trim_end();
        let column = |byte: usize| raw[..value_at + byte].chars().count() + 1;
        let lead = &raw[..indent];
        match value.chars().next() {
            Some('|' | '>') => block = Some(indent),
            Some(q @ ('"' | '\'')) if !closes(value, q) => {
                return Some(Slip {
                    line: n,
                    column: column(0),
                    message: "this quote is never closed",
                    fix: format!("{lead}{key}: {value}{q}"),
                });
            }
            Some('"' | '\'' | '[' | '{' | '&' | '*' | '!') | None => {}
            Some(_) => {
                if let Some(colon) = plain_colon(value) {
                    return Some(Slip {
                        line: n,
                        column: column(colon),
                        message: "« : » in a value that is not between quotes: YAML reads a new key there",
                        fix: format!(
                            "{lead}{key}: \"{}\"",
                            value.replace('\\', "\\\\").replace('"', "\\\"")
                        ),
                    });
                }
            }
        }
    }
    None
}

/// `key: value` (or `- key: value`): the key, the value, and the byte where the value starts.
fn key_and_value(line: &str) -> Option<(&str, &str, usize)> {
    let start = line.len() - line.trim_start_matches([' ', '-']).len();
    let rest = &line[start..];
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))?;
    if end == 0 || !rest[end..].starts_with(':') {
        return None;
    }
    let after = &rest[end + 1..];
    if !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    let value = after.trim_start_matches(' ');
    Some((&rest[..end], value, line.len() - value.len()))
}

/// A plain value without its ` # comment`.
fn strip_comment(value: &str) -> &str {
    match value.find(" #") {
        Some(i) if !value.starts_with(['"', '\'']) => &value[..i],
        _ => value,
    }
}

/// Whether a value that opens with the quote `q` closes it on the same line.
fn closes(value: &str, q: char) -> bool {
    let mut chars = value.char_indices().skip(1);
    while let Some((_, c)) = chars.next() {
        match c {
            '\\' if q == '"' => {
                chars.next();
            }
            c if c == q => return true,
            _ => {}
        }
    }
    false
}

/// Where a plain value holds « : » that YAML takes as a key's end: a colon followed by a space,
/// or ending the value.
fn plain_colon(value: &str) -> Option<usize> {
    let bytes = value.as_bytes();
    (0..bytes.len()).find(|&i| bytes[i] == b':' && bytes.get(i + 1).is_none_or(|&b| b == b' '))
}

/// The largest front matter read, in bytes. A real one is a few hundred bytes; a title of
/// 100 000 characters still fits, a pasted database dump does not.
pub const MAX_YAML_BYTES: usize = 1 << 20;

/// Limits that make hostile YAML fail fast with an error instead of eating memory or stack:
/// a "billion laughs" (aliases of aliases) hits the replay limit, a deeply nested value the
/// depth limit. Front matter is small and shallow, so the limits are far below serde-saphyr's
/// defaults and far above anything a post needs.
fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 32,
            flow_nesting_limit: 32,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_nodes: 50_000,
            max_events: 200_000,
            max_documents: 1,
            max_total_scalar_bytes: MAX_YAML_BYTES,
            max_recorded_anchor_events: 50_000,
            max_recorded_anchor_bytes: MAX_YAML_BYTES,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 50_000,
            max_replay_stack_depth: 16,
        },
    }
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
    if let Some(limit) = exceeded_limit(message) {
        return Diagnostic::error(Some(loc), format!("the front matter is refused: {limit}"))
            .with_note("front matter is meant for a few short keys; long text goes in the body");
    }
    Diagnostic::error(Some(loc), format!("invalid YAML: {message}"))
}

/// Which of [`yaml_options`]' limits serde-saphyr's message says was hit, in plain words.
fn exceeded_limit(message: &str) -> Option<String> {
    let lower = message.to_ascii_lowercase();
    if lower.contains("recursion limit") || lower.contains("depth") || lower.contains("nesting") {
        return Some(format!("it is nested too deeply ({message})"));
    }
    if lower.contains("alias") || lower.contains("anchor") || lower.contains("replay") {
        return Some(format!("it uses too many aliases (`*name`) ({message})"));
    }
    if lower.contains("budget") {
        return Some(format!("it is too large ({message})"));
    }
    None
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

    fn slip(yaml: &str) -> Option<(usize, usize, String)> {
        find_slip(yaml).map(|s| (s.line, s.column, s.fix))
    }

    #[test]
    fn a_colon_in_a_plain_value_is_found_with_the_quoted_line() {
        assert_eq!(
            slip("date: 2024-01-01\ntitle: Mesurer l'attente : 3 méthodes"),
            Some((2, 26, "title: \"Mesurer l'attente : 3 méthodes\"".into()))
        );
        // Quotes inside are escaped; a nested key keeps its indentation.
        assert_eq!(
            slip("image:\n  alt: Le « ticket » : 3 \"€\""),
            Some((2, 22, "  alt: \"Le « ticket » : 3 \\\"€\\\"\"".into()))
        );
        // What YAML accepts is no slip: URLs, quoted values, block text, comments.
        let fine = "url: https://exemple.fr/a\ntitle: \"a : b\"\nsummary: |\n  Mot : suite\n# x : y\ntags: [a]";
        assert_eq!(slip(fine), None);
    }

    #[test]
    fn the_note_that_shows_the_line_is_in_the_sites_language() {
        let text = "---\ntitle: Waiting: 3 ways\n---\n";
        let s = split(text, Path::new("x.md")).unwrap();
        let note = |language| {
            let e = parse_yaml::<Fm>(&s, text, Path::new("x.md"), language).unwrap_err();
            e.notes.join("\n")
        };
        assert_eq!(note(Language::En), "write: title: \"Waiting: 3 ways\"");
        assert_eq!(note(Language::Fr), "écrivez : title: \"Waiting: 3 ways\"");
    }

    #[test]
    fn a_tab_is_found_on_its_own_line() {
        assert_eq!(
            slip("title: T\nimage:\n\tsrc: x.png"),
            Some((3, 1, "  src: x.png".into()))
        );
        assert_eq!(
            slip("title: T\n\tdate: 2024-01-01"),
            Some((2, 1, "date: 2024-01-01".into()))
        );
    }

    #[test]
    fn an_unclosed_quote_is_found_on_its_line_not_at_the_end() {
        let yaml = "title: \"Le ticket\ndate: 2019-12-17\n# commentaire\nkind: breve";
        assert_eq!(slip(yaml), Some((1, 8, "title: \"Le ticket\"".into())));
        assert_eq!(
            slip("title: \"a \\\" b\""),
            None,
            "an escaped quote does not close"
        );
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Fm {
        title: String,
        date: Option<String>,
    }

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
        let e = parse_yaml::<Fm>(&s, text, Path::new("x.md"), Language::Fr).unwrap_err();
        assert_eq!(e.headline(), "x.md:3:1: unknown key `titel`");
        assert_eq!(e.notes[0], "did you mean `title`?");
        assert_eq!(e.source_line.as_deref(), Some("titel: b"));
    }

    #[test]
    fn missing_title() {
        let text = "---\ndate: b\n---\n";
        let s = split(text, Path::new("x.md")).unwrap();
        let e = parse_yaml::<Fm>(&s, text, Path::new("x.md"), Language::Fr).unwrap_err();
        assert_eq!(
            e.headline(),
            "x.md:1:1: missing `title` in the front matter"
        );
    }

    #[test]
    fn bad_yaml_points_inside() {
        let text = "---\ntitle: a\ndate: [1\n---\n";
        let s = split(text, Path::new("x.md")).unwrap();
        let e = parse_yaml::<Fm>(&s, text, Path::new("x.md"), Language::Fr).unwrap_err();
        assert!(e.headline().starts_with("x.md:3:"), "{}", e.headline());
        assert!(e.message.starts_with("invalid YAML"), "{}", e.message);
    }

    /// Accepts any YAML, so that nothing stops the parser before the limits do.
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Anything {
        title: String,
        #[serde(default)]
        data: Option<serde_json::Value>,
    }

    fn parse_anything(text: &str) -> Result<Anything, Diagnostic> {
        let s = split(text, Path::new("content/x.md")).unwrap();
        parse_yaml::<Anything>(&s, text, Path::new("content/x.md"), Language::Fr)
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut text =
            String::from("---\ntitle: a\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            let refs = vec![format!("*l{}", i - 1); 9].join(", ");
            text.push_str(&format!("l{i}: &l{i} [{refs}]\n"));
        }
        text.push_str("data: *l9\n---\n");
        let started = std::time::Instant::now();
        let e = parse_anything(&text).unwrap_err();
        assert!(
            started.elapsed().as_secs() < 2,
            "took {:?}",
            started.elapsed()
        );
        assert!(
            e.headline().starts_with("content/x.md:"),
            "{}",
            e.headline()
        );
        assert!(e.message.contains("too many aliases"), "{}", e.message);
    }

    #[test]
    fn many_aliases_are_refused() {
        let text = format!(
            "---\ntitle: a\ndata: [&a lol{}]\n---\n",
            ", *a".repeat(1_500)
        );
        let e = parse_anything(&text).unwrap_err();
        assert!(e.message.contains("too many aliases"), "{}", e.message);
    }

    #[test]
    fn absurd_depth_is_refused() {
        let text = format!(
            "---\ntitle: a\ndata: {}{}\n---\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        let e = parse_anything(&text).unwrap_err();
        assert!(
            e.headline().starts_with("content/x.md:"),
            "{}",
            e.headline()
        );
        assert!(e.message.contains("nested too deeply"), "{}", e.message);
        let mut block = String::from("---\ntitle: a\ndata:\n");
        for depth in 0..300 {
            block.push_str(&" ".repeat(depth));
            block.push_str("- \n");
        }
        block.push_str("---\n");
        let e = parse_anything(&block).unwrap_err();
        assert!(
            e.headline().starts_with("content/x.md:"),
            "{}",
            e.headline()
        );
        assert!(e.message.contains("nested too deeply"), "{}", e.message);
    }

    #[test]
    fn absurd_size_is_refused_but_a_long_title_is_not() {
        let long = format!("---\ntitle: {}\n---\n", "é".repeat(100_000));
        assert_eq!(
            parse_anything(&long).unwrap().title.chars().count(),
            100_000
        );
        let huge = format!("---\ntitle: {}\n---\n", "a".repeat(MAX_YAML_BYTES + 1));
        let e = parse_anything(&huge).unwrap_err();
        assert_eq!(
            e.headline(),
            format!(
                "content/x.md:2:1: the front matter is too large ({} bytes, at most {MAX_YAML_BYTES}): put long text in the body",
                MAX_YAML_BYTES + 9
            )
        );
    }
}
