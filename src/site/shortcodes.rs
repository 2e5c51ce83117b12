//! Shortcodes, as assembling sees them: the site's templates are compiled above this layer
//! (`render::shortcodes`), so what a call becomes is asked of a [`Shortcodes`] the pipeline
//! gives, as internal links are asked of the site's URLs. A post's rendition remembers which
//! shortcodes it used and the digest of each ([`Used`]): a post is rendered again, and its
//! pages re-rendered by `serve`, exactly when one of them changed.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics, Location, line_col};
use crate::markdown::shortcode::{Call, Refusal, ShortcodeError};
use crate::markdown::{self, Picture};

/// The post a shortcode is expanded in.
pub struct ShortcodePage<'a> {
    /// Its source file, for messages.
    pub path: &'a Path,
    /// Its URL.
    pub url: &'a str,
    /// What the site knows of an image, by its `src` as written in the post (the same answers
    /// as the post's Markdown images get).
    pub measure: &'a dyn Fn(&str) -> Picture,
}

/// The site's shortcodes.
pub trait Shortcodes: Sync {
    /// The HTML of `call` in `page`, or why it cannot be made.
    fn expand(&self, call: &Call<'_>, page: &ShortcodePage<'_>) -> Result<String, Refusal>;

    /// A hash of everything the shortcode `name` is made from besides its call (its template,
    /// the values it gets); `None` when there is no such shortcode.
    fn digest(&self, name: &str) -> Option<u64>;
}

/// A site without shortcodes (a build without templates, tests): every call is unknown.
pub struct NoShortcodes;

impl Shortcodes for NoShortcodes {
    fn expand(&self, call: &Call<'_>, _: &ShortcodePage<'_>) -> Result<String, Refusal> {
        Err(Refusal::new(format!(
            "unknown shortcode `{}`: the site has no shortcode templates",
            call.name
        )))
    }

    fn digest(&self, _: &str) -> Option<u64> {
        None
    }
}

/// The shortcodes a post's Markdown used.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Used {
    /// Each one's name, in order, once, with its digest when it was expanded.
    pub calls: Vec<(String, Option<u64>)>,
}

impl Used {
    pub fn note(&mut self, name: &str, digest: Option<u64>) {
        if !self.calls.iter().any(|(n, _)| n == name) {
            self.calls.push((name.to_string(), digest));
            self.calls.sort();
        }
    }

    /// Whether every shortcode used is still made the same way.
    pub fn holds_for(&self, shortcodes: &dyn Shortcodes) -> bool {
        (self.calls.iter()).all(|(name, digest)| shortcodes.digest(name) == *digest)
    }

    /// The names, for the page's view (`page.shortcodes`: which styles and script it needs).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.calls.iter().map(|(n, _)| n.as_str())
    }

    /// A hash of the shortcodes used and their digests: 0 when none, so that the traces of
    /// `serve` are unchanged for posts without any.
    pub fn digest(&self) -> u64 {
        if self.calls.is_empty() {
            return 0;
        }
        let mut h = DefaultHasher::new();
        self.calls.hash(&mut h);
        h.finish()
    }
}

/// Reports the shortcode errors of a text: `body` is the Markdown the offsets are in, which
/// starts at line `body_line` of `text`, the file at `path`.
pub fn report(
    (path, text, body, body_line): (&Path, &str, &str, usize),
    errors: &[ShortcodeError],
    diagnostics: &mut Diagnostics,
) {
    for e in errors {
        let (line, column) = line_col(body, e.offset);
        let at = Location::new(path, line + body_line - 1, column);
        let mut d = Diagnostic::error(Some(at), e.message.clone()).with_source(text);
        if let Some(note) = &e.note {
            d = d.with_note(note.clone());
        }
        diagnostics.push(d);
    }
}

/// Reports the shortcode errors of a front-matter summary (its offsets are in no line of the
/// file: at the file).
pub fn report_summary(path: &Path, errors: &[ShortcodeError], diagnostics: &mut Diagnostics) {
    for e in errors {
        let message = format!("in the summary: {}", e.message);
        let mut d = Diagnostic::error(Some(Location::file(path)), message);
        if let Some(note) = &e.note {
            d = d.with_note(note.clone());
        }
        diagnostics.push(d);
    }
}

/// Renders Markdown with the site's shortcodes, noting each one used in `used`.
pub fn render(
    text: &str,
    options: &markdown::Options,
    resolve: &dyn Fn(&str) -> Option<String>,
    page: &ShortcodePage<'_>,
    (shortcodes, used): (&dyn Shortcodes, &std::sync::Mutex<Used>),
) -> markdown::Rendered {
    let expand = |call: &Call<'_>| {
        if let Ok(mut used) = used.lock() {
            used.note(call.name, shortcodes.digest(call.name));
        }
        shortcodes.expand(call, page)
    };
    markdown::render_expanding(text, options, resolve, page.measure, &expand)
}
