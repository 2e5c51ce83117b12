//! What the dev server adds to the HTML it serves, and only there: the live-reload script and,
//! while the last rebuild has failed, an overlay listing its errors as the terminal shows them.
//!
//! The built files stay exactly what `chronique build` writes; the additions happen on the way
//! out, just before `</body>`. Everything in the overlay comes from the user's files (paths,
//! messages, the offending line), so all of it is HTML-escaped. Its own words, and those of the
//! stand-in pages, are in the site's language ([`Words`]).

use super::wording::Words;
use crate::diagnostics::Diagnostics;

/// The live-reload script, served at [`SCRIPT_URL`].
pub const SCRIPT: &str = include_str!("live.js");
pub const SCRIPT_URL: &str = "/__chronique/live.js";

/// Whether the page under the overlay is the last good build or a stand-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Under {
    LastGoodSite,
    NoSite,
}

/// `html` with the script (and the overlay, if `failure`) inserted before the last `</body>`,
/// or appended when there is none.
pub fn inject(
    html: &[u8],
    build_id: &str,
    failure: Option<&Diagnostics>,
    under: Under,
    words: &Words,
) -> Vec<u8> {
    let mut addition = String::new();
    if let Some(diagnostics) = failure {
        addition.push_str(&overlay(diagnostics, under, words));
    }
    addition.push_str(&format!(
        "<script src=\"{SCRIPT_URL}\" data-build=\"{}\"></script>\n",
        escape(build_id)
    ));
    let at = find_last_ignore_case(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + addition.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(addition.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The errors of a failed build, over the page.
pub fn overlay(diagnostics: &Diagnostics, under: Under, words: &Words) -> String {
    let errors = diagnostics.errors().count();
    let under = match under {
        Under::LastGoodSite => words.under_last_good,
        Under::NoSite => "",
    };
    let mut listing = String::new();
    for d in &diagnostics.0 {
        listing.push_str(&escape(&d.to_string()));
        listing.push_str("\n\n");
    }
    format!(
        concat!(
            "<div id=\"chronique-overlay\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;",
            "overflow:auto;margin:0;padding:1.5rem 2rem;background:rgba(24,24,27,.96);color:#f4f4f5;",
            "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left\">\n",
            "<button id=\"chronique-overlay-close\" type=\"button\" style=\"float:right;font:inherit;",
            "color:inherit;background:none;border:1px solid #71717a;border-radius:3px;padding:.1rem .6rem;",
            "cursor:pointer\">{close}</button>\n",
            "<p style=\"margin:0 0 1rem;color:#fca5a5;font-weight:700\">{not_built} ({errors}). ",
            "{under}{fix}</p>\n",
            "<pre style=\"margin:0;white-space:pre-wrap;font:inherit\">{listing}</pre>\n</div>\n"
        ),
        close = words.close,
        not_built = words.not_built,
        errors = words.errors(errors),
        under = under,
        fix = words.fix_the_file,
        listing = listing.trim_end()
    )
}

/// A page for when there is no site to show at all (the very first build failed).
pub fn unbuilt_page(words: &Words) -> Vec<u8> {
    stand_in(
        words,
        words.not_built,
        &format!(
            "<h1>{}</h1>\n<p>{}</p>",
            words.not_built_heading, words.fix_the_errors
        ),
    )
}

/// A page for a missing file when the site has no `404.html`.
pub fn not_found_page(words: &Words) -> Vec<u8> {
    stand_in(
        words,
        words.not_found,
        &format!("<h1>{}</h1>", words.not_found),
    )
}

/// A page of the server's own, in the site's language.
fn stand_in(words: &Words, title: &str, body: &str) -> Vec<u8> {
    format!(
        concat!(
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n",
            "<title>{}</title>\n</head>\n<body>\n{}\n</body>\n</html>\n"
        ),
        words.language.code(),
        title,
        body
    )
    .into_bytes()
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn find_last_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > haystack.len() {
        return None;
    }
    (0..=haystack.len() - needle.len())
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dev::wording::words;
    use crate::diagnostics::{Diagnostic, Location};
    use crate::language::Language;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let html = b"<html><body><p>&lt;/body&gt;</p></BODY></html>";
        let en = words(Language::En);
        let out = String::from_utf8(inject(html, "abc-1", None, Under::LastGoodSite, en)).unwrap();
        assert_eq!(
            out,
            "<html><body><p>&lt;/body&gt;</p><script src=\"/__chronique/live.js\" data-build=\"abc-1\"></script>\n</BODY></html>"
        );
        let bare = String::from_utf8(inject(b"<p>x", "1", None, Under::NoSite, en)).unwrap();
        assert!(bare.starts_with("<p>x<script"));
    }

    #[test]
    fn the_overlay_escapes_what_the_files_say() {
        let d = Diagnostic::error(
            Some(Location::new("content/breves/<x>.md", 2, 8)),
            "invalid YAML: unclosed quote",
        )
        .with_source("---\ntitle: \"<script>alert(1)</script>\n---\n");
        let diagnostics = Diagnostics::from(d);
        let html = overlay(&diagnostics, Under::LastGoodSite, words(Language::En));
        assert!(html.contains("content/breves/&lt;x&gt;.md:2:8: invalid YAML"));
        assert!(html.contains("2 | title: &quot;&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("(1 error)"));
        let html = overlay(&diagnostics, Under::LastGoodSite, words(Language::Fr));
        assert!(html.contains("(1 erreur)"), "{html}");
    }
}
