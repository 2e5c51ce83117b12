//! The site's layout: the folders chronique reads, the URL segments it writes pages under, and
//! the names of the files it makes. Every stage reads them from here, so that a folder or a
//! segment has one name, and so that the settings can refuse a taxonomy that would take one
//! (which they could not do if these lived in the stages above them).

use std::path::{Path, PathBuf};

use crate::language::Language;

/// The settings file, at the root of the site.
pub const SITE_FILE: &str = "site.toml";
/// The Markdown of posts, sections, authors and series.
pub const CONTENT_DIR: &str = "content";
/// Files copied as they are.
pub const STATIC_DIR: &str = "static";
/// Archived comments, one data file per post (`comments/breves/x.yaml`): see
/// `content::comments`.
pub const COMMENTS_DIR: &str = "comments";
/// The site's own templates, overriding the theme's.
pub const TEMPLATES_DIR: &str = "templates";
/// The themes, one folder each.
pub const THEMES_DIR: &str = "themes";
/// The output folder, unless `--output-dir` says otherwise.
pub const OUTPUT_DIR: &str = "public";

/// The folder under `content/` that holds the authors.
pub const AUTHORS_FOLDER: &str = "authors";
/// The folder under `content/` that holds the series.
pub const SERIES_FOLDER: &str = "series";
/// A section's title and description, in its folder.
pub const SECTION_INDEX: &str = "_index.md";
/// The Markdown of a bundle, `content/<section>/<folder>/index.md` (a post) or
/// `content/<folder>/index.md` (a page): the folder's other files are published beside its page.
pub const BUNDLE_INDEX: &str = "index.md";

/// The URL folder of authors' pages.
pub const AUTHORS_PATH: &str = "auteurs";
/// The URL folder of series pages.
pub const SERIES_PATH: &str = "series";
/// The URL segment of a list's later pages: `/breves/page/2/`.
pub const PAGE_SEGMENT: &str = "page";

/// The URL folder of the search page, in the site's language.
pub fn search_path(language: Language) -> &'static str {
    match language {
        Language::Fr => "recherche",
        Language::En => "search",
    }
}

/// The search index, at the root of the output.
pub const SEARCH_INDEX_FILE: &str = "search-index.json";
/// The page served for a missing address.
pub const NOT_FOUND_FILE: &str = "404.html";

/// The site a command run in `start` is about: the nearest folder, `start` or one of its
/// parents, that holds a `site.toml` (as git and Zola look for theirs), written relative to
/// `start` (`.`, `..`, `../..`) so that paths in messages stay short. `None` when there is none.
pub fn find_site_root(start: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(start).ok()?;
    let mut relative = PathBuf::from(".");
    for folder in absolute.ancestors() {
        // Whatever it is: reading it says what is wrong with it (a named pipe, a folder…).
        if folder.join(SITE_FILE).symlink_metadata().is_ok() {
            return Some(relative);
        }
        relative = if relative == Path::new(".") {
            PathBuf::from("..")
        } else {
            relative.join("..")
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_is_found_in_the_folder_or_a_parent() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("colonne");
        std::fs::create_dir_all(site.join("content/breves")).unwrap();
        std::fs::write(site.join(SITE_FILE), "title = \"T\"\n").unwrap();
        assert_eq!(find_site_root(&site), Some(PathBuf::from(".")));
        assert_eq!(
            find_site_root(&site.join("content")),
            Some(PathBuf::from(".."))
        );
        assert_eq!(
            find_site_root(&site.join("content/breves")),
            Some(PathBuf::from("../.."))
        );
        assert_eq!(find_site_root(tmp.path()), None);
    }
}
