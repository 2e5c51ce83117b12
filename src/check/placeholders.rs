//! Placeholders left to fill in: `chronique init` writes the *mentions légales* with
//! « [À COMPLÉTER : …] » where the law wants the publisher's name, the host's address…; a page
//! published with one of them left is a legal page that says nothing. `check` points at each,
//! as a warning (the site still builds: a columnist may publish before their host is chosen).

use std::path::Path;

use crate::diagnostics::{Diagnostic, Location, line_col};

/// The markers of a placeholder, lowercased: the French one and the English one.
const MARKERS: [&str; 2] = ["[à compléter", "[to fill in"];

/// A warning at each placeholder of a body (of the file at `path`, whose `text` it is part of,
/// from its line `body_line`), showing what it asks for.
pub fn find(path: &Path, text: &str, body: &str, body_line: usize) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let lower = body.to_lowercase();
    // Lowercasing may change lengths (rarely): then positions are looked up in the body itself.
    let same_lengths = lower.len() == body.len();
    let haystack = if same_lengths { &lower } else { body };
    for marker in MARKERS {
        let mut from = 0;
        while let Some(at) = find_marker(haystack, marker, from, same_lengths) {
            let end = body[at..].find(']').map_or(body.len(), |i| at + i + 1);
            let end = body[at..end].find('\n').map_or(end, |i| at + i);
            let (line, column) = line_col(body, at);
            found.push(
                Diagnostic::warning(
                    Some(Location::new(path, line + body_line - 1, column)),
                    format!("placeholder still to fill in: {}", shorten(&body[at..end])),
                )
                .with_source(text),
            );
            from = end.max(at + 1);
        }
    }
    found.sort_by_key(|d| d.location.as_ref().map(|l| (l.line, l.column)));
    found
}

/// The next `marker` in `haystack` from byte `from`: in the lowercased body when lengths are
/// the same, else by a case-insensitive comparison at each character of the body.
fn find_marker(haystack: &str, marker: &str, from: usize, lowered: bool) -> Option<usize> {
    if lowered {
        return haystack[from..].find(marker).map(|i| from + i);
    }
    (haystack[from..].char_indices())
        .map(|(i, _)| from + i)
        .find(|&i| {
            let rest = &haystack[i..];
            let head: String = rest.chars().take(marker.chars().count()).collect();
            head.to_lowercase() == marker
        })
}

/// A placeholder cut for a message.
fn shorten(s: &str) -> String {
    if s.chars().count() <= 100 {
        return s.to_string();
    }
    let cut: String = s.chars().take(100).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_placeholder_is_a_warning_at_its_place() {
        let text = "---\ntitle: M\n---\n## Éditeur\n\nÉdité par [À COMPLÉTER : votre nom].\n- [to fill in: phone]\n";
        let body = &text[17..];
        let found = find(Path::new("content/m.md"), text, body, 4);
        let lines: Vec<String> = found.iter().map(Diagnostic::headline).collect();
        assert_eq!(
            lines,
            [
                "content/m.md:6:11: placeholder still to fill in: [À COMPLÉTER : votre nom]",
                "content/m.md:7:3: placeholder still to fill in: [to fill in: phone]",
            ]
        );
        assert!(find(Path::new("m.md"), "x", "Rien à compléter ici.", 1).is_empty());
    }

    #[test]
    fn an_unclosed_placeholder_ends_at_its_line() {
        let found = find(Path::new("m.md"), "", "[À compléter\nsuite", 1);
        assert_eq!(
            found[0].headline(),
            "m.md:1:1: placeholder still to fill in: [À compléter"
        );
    }
}
