//! Parsed content: what each Markdown file under `content/` says, checked file by file.
//!
//! This stage is pure: it takes the text read by [`crate::source`] and returns typed values —
//! [`Post`]s, [`Page`]s, [`Author`]s, [`SeriesFile`]s, [`SectionMeta`]s — plus a diagnostic for every bad
//! file. A bad file is left out and the others go on, so one run reports them all. What needs
//! the whole site (links between posts, duplicate paths, unknown authors) is checked later, in
//! [`crate::site`].

mod author;
pub mod comments;
mod date;
mod located;
mod page;
mod post;
mod series;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub use author::Author;
pub use date::PostDate;
pub use located::{Located, section_of};
pub use page::Page;
pub use post::{Body, Breakdown, Finding, FindingLocations, Image, Kind, Post, TermLocations};
pub use series::{PlannedPart, SeriesFile};

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::front_matter::{self, Split};
use crate::language::Language;
use crate::source::{ContentKind, SourceFile, Sources};

/// A section's metadata, from its `_index.md`.
#[derive(Debug, Clone)]
pub struct SectionMeta {
    /// The folder under `content/`: `breves`.
    pub name: String,
    pub title: String,
    pub description: String,
}

/// Everything under `content/`, parsed.
#[derive(Debug, Default)]
pub struct Content {
    pub posts: Vec<Post>,
    /// The pages, by source path.
    pub pages: Vec<Page>,
    pub sections: Vec<SectionMeta>,
    pub authors: Vec<Author>,
    pub series: Vec<SeriesFile>,
    /// The sizes of the site's images, as the reader measured them.
    pub images: std::sync::Arc<crate::source::images::Measured>,
}

/// Parses every content file; bad files become diagnostics and are left out. Their notes to
/// the writer (« écrivez : … ») are in `language`, the site's.
pub fn parse_all(sources: &Sources, language: Language) -> (Content, Diagnostics) {
    parse_all_with(sources, language, None)
}

/// What each file parsed to, kept between the rebuilds of `chronique serve`: a file whose text
/// is the very same (shared) text as last time is not parsed again. Parsing is a function of
/// the text, the path and the site's language alone (the language only words the notes of
/// errors), so a remembered result is exactly what parsing would give; a change of language
/// forgets them all.
#[derive(Default)]
pub struct ParseMemo {
    language: Option<Language>,
    files: HashMap<PathBuf, (Arc<str>, Result<Parsed, Diagnostic>)>,
}

impl ParseMemo {
    /// Remembers what `file`, a post whose front matter did not change, parses to: its last
    /// result with the new body ([`Post::with_body_of`]), without parsing it. Nothing is
    /// remembered when that cannot be had (the file is then parsed at the next full read).
    pub fn rebody(&mut self, file: &SourceFile) {
        let Some((_, Ok(Parsed::Post(post)))) = self.files.get(&file.path) else {
            return;
        };
        if let Some(post) = post.with_body_of(file) {
            let parsed = Ok(Parsed::Post(Box::new(post)));
            self.files
                .insert(file.path.clone(), (Arc::clone(&file.text), parsed));
        }
    }
}

/// [`parse_all`], reusing and refreshing `memo` when there is one.
pub fn parse_all_with(
    sources: &Sources,
    language: Language,
    memo: Option<&mut ParseMemo>,
) -> (Content, Diagnostics) {
    let parse = |f: &SourceFile| parse_guarded(f, language);
    let parsed: Vec<Result<Parsed, Diagnostic>> = match memo {
        None => sources.content.par_iter().map(parse).collect(),
        Some(memo) => {
            if memo.language != Some(language) {
                memo.files.clear();
                memo.language = Some(language);
            }
            let parsed: Vec<Result<Parsed, Diagnostic>> = sources
                .content
                .par_iter()
                .map(|f| match memo.files.get(&f.path) {
                    Some((text, parsed)) if Arc::ptr_eq(text, &f.text) => parsed.clone(),
                    _ => parse(f),
                })
                .collect();
            // Only the files parsed just now go into the memo; the others are there already.
            let present: HashSet<&Path> =
                sources.content.iter().map(|f| f.path.as_path()).collect();
            memo.files
                .retain(|path, _| present.contains(path.as_path()));
            for (f, p) in sources.content.iter().zip(&parsed) {
                let known = memo
                    .files
                    .get(&f.path)
                    .is_some_and(|(text, _)| Arc::ptr_eq(text, &f.text));
                if !known {
                    memo.files
                        .insert(f.path.clone(), (f.text.clone(), p.clone()));
                }
            }
            parsed
        }
    };
    // Posts are large and most files are posts: their list is made once, not grown.
    let mut content = Content {
        images: std::sync::Arc::clone(&sources.images),
        posts: Vec::with_capacity(parsed.len()),
        ..Content::default()
    };
    let mut diagnostics = Diagnostics::new();
    for p in parsed {
        match p {
            Ok(Parsed::Post(post)) => content.posts.push(*post),
            Ok(Parsed::Page(page)) => content.pages.push(*page),
            Ok(Parsed::Section(s)) => content.sections.push(s),
            Ok(Parsed::Author(a)) => content.authors.push(a),
            Ok(Parsed::Series(s)) => content.series.push(s),
            Err(d) => diagnostics.push(d),
        }
    }
    attach_comments(&mut content.posts, &sources.comments, &mut diagnostics);
    (content, diagnostics)
}

/// Gives each post its archived comments (and folds their file into its digest); a comments
/// file with no post is a warning.
fn attach_comments(
    posts: &mut [Post],
    files: &[crate::source::DataFile],
    diagnostics: &mut Diagnostics,
) {
    if files.is_empty() {
        return;
    }
    let mut parsed = comments::parse_all(files, diagnostics);
    for post in posts.iter_mut() {
        if let Some((digest, found)) = parsed.remove(&comments::file_of(&post.rel)) {
            post.comments = found;
            post.digest ^= digest.rotate_left(1);
        }
    }
    for file in files.iter().filter(|f| parsed.contains_key(&f.rel)) {
        diagnostics.push(Diagnostic::warning(
            Some(Location::file(&file.path)),
            format!(
                "comments of no post: there is no content/{} (nor its bundle)",
                file.rel.with_extension("md").display()
            ),
        ));
    }
}

#[derive(Clone)]
enum Parsed {
    Post(Box<Post>),
    Page(Box<Page>),
    Section(SectionMeta),
    Author(Author),
    Series(SeriesFile),
}

/// [`parse_one`], with a panic (a bug of ours or of a library on some odd input) turned into an
/// error on that file, so the other files are still checked and the user knows which file to
/// look at, instead of a crash naming none.
fn parse_guarded(file: &SourceFile, language: Language) -> Result<Parsed, Diagnostic> {
    let parse = || parse_one(file, language);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(parse)).unwrap_or_else(|payload| {
        Err(Diagnostic::error(
            Some(Location::file(&file.path)),
            format!(
                "internal error while reading this file ({}): please report it with the file",
                panic_message(payload.as_ref())
            ),
        ))
    })
}

/// The message of a panic, when it has one.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("panic")
}

fn parse_one(file: &SourceFile, language: Language) -> Result<Parsed, Diagnostic> {
    #[cfg(test)]
    if file.text.contains("<!-- chronique: panic here -->") {
        panic!("a test asked for a panic");
    }
    let split = front_matter::split(&file.text, &file.path)?;
    Ok(match file.kind {
        ContentKind::Post => Parsed::Post(Box::new(Post::parse(file, &split, language)?)),
        ContentKind::Page => Parsed::Page(Box::new(Page::parse(file, &split, language)?)),
        ContentKind::SectionIndex => Parsed::Section(parse_section(file, &split, language)?),
        ContentKind::Author => Parsed::Author(Author::parse(file, &split, language)?),
        ContentKind::Series => Parsed::Series(SeriesFile::parse(file, &split, language)?),
    })
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    title: Option<String>,
    description: Option<String>,
}

fn parse_section(
    file: &SourceFile,
    split: &Split<'_>,
    language: Language,
) -> Result<SectionMeta, Diagnostic> {
    let raw: RawSection = front_matter::parse_yaml(split, &file.text, &file.path, language)?;
    let name = section_of(&file.rel).unwrap_or_default();
    Ok(SectionMeta {
        title: raw.title.unwrap_or_else(|| section_title(&name)),
        description: raw.description.unwrap_or_default(),
        name,
    })
}

/// The title of a section whose `_index.md` gives none (or that has none): the folder's name
/// capitalised, with its accents for the four folders a column is made with (`breves` →
/// `Brèves`, `decryptages` → `Décryptages`), which a folder name cannot carry.
pub fn section_title(name: &str) -> String {
    const KNOWN: [(&str, &str); 4] = [
        ("breves", "Brèves"),
        ("contes", "Contes"),
        ("decryptages", "Décryptages"),
        ("articles", "Articles"),
    ];
    match KNOWN.iter().find(|(folder, _)| *folder == name) {
        Some((_, title)) => title.to_string(),
        None => capitalise(name),
    }
}

/// `breves` → `Breves`: the first letter of `s` in capitals.
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The path relative to `content/` as written in internal links: `breves/x.md`.
pub fn link_key(rel: &Path) -> String {
    rel.to_string_lossy().replace('\\', "/")
}

/// Where a post lives relative to the content folder, for messages.
pub fn content_path(rel: &Path) -> PathBuf {
    Path::new(crate::layout::CONTENT_DIR).join(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(rel: &str, text: &str) -> SourceFile {
        SourceFile {
            path: Path::new("content").join(rel),
            rel: PathBuf::from(rel),
            kind: ContentKind::Post,
            text: text.into(),
        }
    }

    #[test]
    fn the_column_s_own_sections_keep_their_accents() {
        assert_eq!(section_title("breves"), "Brèves");
        assert_eq!(section_title("decryptages"), "Décryptages");
        assert_eq!(section_title("chroniques"), "Chroniques");
    }

    #[test]
    fn the_known_keys_of_an_index_are_the_fields_of_raw_section() {
        assert_eq!(
            crate::config::field_names::<RawSection>(),
            ["title", "description"]
        );
    }

    #[test]
    fn a_panic_on_one_file_is_an_error_on_that_file() {
        let sources = Sources {
            content: vec![
                post(
                    "breves/bug.md",
                    "---\ntitle: a\ndate: 2019-12-17\n---\n<!-- chronique: panic here -->\n",
                ),
                post(
                    "breves/ok.md",
                    "---\ntitle: b\ndate: 2019-12-17\n---\nTexte.\n",
                ),
            ],
            ..Sources::default()
        };
        let (content, diagnostics) = parse_all(&sources, Language::Fr);
        assert_eq!(content.posts.len(), 1);
        assert_eq!(diagnostics.0.len(), 1);
        assert_eq!(
            diagnostics.0[0].headline(),
            "content/breves/bug.md:1:1: internal error while reading this file (a test asked for a panic): please report it with the file"
        );
    }
}
