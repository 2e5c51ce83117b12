//! The default theme, built into the binary.
//!
//! A column that never changed the theme should get the next version's fixes by updating
//! chronique, not by copying files: so a site without a `themes/chronique/` folder builds with
//! this copy, and `chronique theme eject` writes it out for a site that wants to change it.
//! `build.rs` embeds every file of the repository's `themes/chronique/` as [`THEME_FILES`]; this
//! low module only hands them out, for the reader (`source`) and the commands to use.

use crate::layout::{STATIC_DIR, TEMPLATES_DIR};

include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));

/// The name of the built-in theme, in `site.toml`'s `theme`.
pub const NAME: &str = "chronique";

/// How messages name the built-in theme, whose files are in no folder of the site.
pub const SHOWN: &str = "the theme chronique (built in)";

/// A file of the built-in theme: its path in the theme (`static/css/chronique.css`), and its
/// path below the `templates/` or `static/` folder (`css/chronique.css`), and its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct File {
    pub path: &'static str,
    pub rel: &'static str,
    pub bytes: &'static [u8],
}

impl File {
    /// The file as messages name it: `static/css/chronique.css of the theme chronique (built in)`.
    pub fn shown(&self) -> String {
        shown(self.path)
    }
}

/// A path of the built-in theme as messages name it.
pub fn shown(path: &str) -> String {
    format!("{path} of {SHOWN}")
}

/// The templates, sorted by name (`page.html`, `partials/byline.html`).
pub fn templates() -> impl Iterator<Item = File> {
    below(TEMPLATES_DIR)
}

/// The static files, sorted by their path in the output (`css/chronique.css`, `favicon.svg`).
pub fn statics() -> impl Iterator<Item = File> {
    below(STATIC_DIR)
}

/// The files below the theme's folder `dir`.
fn below(dir: &'static str) -> impl Iterator<Item = File> {
    THEME_FILES.iter().filter_map(move |&(path, bytes)| {
        let rel = path.strip_prefix(dir)?.strip_prefix('/')?;
        Some(File { path, rel, bytes })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    /// The embedded theme is the repository's, file for file.
    #[test]
    fn the_embedded_theme_is_the_repositorys() {
        let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/chronique");
        let on_disk = crate::source::list_files(&theme);
        let embedded: Vec<PathBuf> = THEME_FILES.iter().map(|(p, _)| PathBuf::from(p)).collect();
        assert_eq!(embedded, on_disk);
        for (rel, bytes) in THEME_FILES {
            assert_eq!(std::fs::read(theme.join(rel)).unwrap(), *bytes, "{rel}");
        }
    }

    #[test]
    fn templates_and_static_files_are_told_apart() {
        let page = templates().find(|f| f.rel == "page.html").unwrap();
        assert_eq!(page.path, "templates/page.html");
        let css = statics().find(|f| f.rel == "css/chronique.css").unwrap();
        assert_eq!(
            css.shown(),
            "static/css/chronique.css of the theme chronique (built in)"
        );
        assert_eq!(
            templates().count() + statics().count(),
            THEME_FILES.len(),
            "every file is a template or a static file"
        );
    }
}
