//! The only module that reads the site's files.
//!
//! It walks `content/`, the theme and the site's `templates/` and `static/`, and returns their
//! text (or, for static files, where their bytes are) as plain values, sorted by path so that
//! everything downstream is deterministic. The theme is the folder `themes/<theme>/`, or, for a
//! site without a `themes/chronique/` folder, the copy built into chronique ([`crate::builtin`]),
//! whose files are handed on like the others, as values. Text is normalised here once: a UTF-8 byte-order mark is dropped
//! and CRLF line endings become LF, so no later stage has to care. A file that is not UTF-8 is a
//! diagnostic naming the line and column of its first bad byte; reading goes on with the others.

pub mod images;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::builtin;
use crate::config::Config;
use crate::css;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::layout::{
    AUTHORS_FOLDER, BUNDLE_INDEX, COMMENTS_DIR, CONTENT_DIR, SECTION_INDEX, SERIES_FOLDER,
    SITE_FILE, STATIC_DIR, TEMPLATES_DIR, THEMES_DIR,
};

/// What a Markdown file under `content/` is, from where it lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentKind {
    Post,
    /// A file directly under `content/` (`mentions-legales.md`), or the `index.md` of a folder
    /// directly under it (`a-propos/index.md`): a page without a date, outside every list.
    Page,
    /// `_index.md`: a section's title and description.
    SectionIndex,
    /// `content/authors/*.md`
    Author,
    /// `content/series/*.md`
    Series,
}

/// A text file of the site, already normalised.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the site root, for messages: `content/breves/x.md`.
    pub path: PathBuf,
    /// Relative to `content/`: `breves/x.md`.
    pub rel: PathBuf,
    pub kind: ContentKind,
    /// Shared with the posts parsed from it, and compared by pointer between rebuilds.
    pub text: Arc<str>,
}

/// A data file of the site (`comments/breves/x.yaml`): its text.
#[derive(Debug, Clone)]
pub struct DataFile {
    /// Relative to the site root, for messages: `comments/breves/x.yaml`.
    pub path: PathBuf,
    /// Relative to its folder: `breves/x.yaml`.
    pub rel: PathBuf,
    pub text: Arc<str>,
}

impl DataFile {
    /// A hash of its path and text.
    pub fn digest(&self) -> u64 {
        let mut h = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(&(&self.path, &*self.text), &mut h);
        std::hash::Hasher::finish(&h)
    }
}

/// A template file: its Tera name (`page.html`, `partials/byline.html`) and text.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    pub name: String,
    /// Relative to the site root, for messages.
    pub path: PathBuf,
    pub text: String,
}

/// A file copied as it is: where its bytes are, and its path inside the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticFile {
    pub source: StaticSource,
    pub dest: PathBuf,
}

/// Where the bytes of a static file are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticSource {
    /// A file of the site, on disk: `<root>/static/robots.txt`, `<root>/content/x/photo.jpg`.
    File(PathBuf),
    /// A file of the theme built into chronique, for a site without `themes/chronique/`.
    BuiltIn(builtin::File),
    /// A stylesheet of the theme (built in or in its folder, `of`), as it is published: without
    /// its comments and needless white space ([`css::minify`]).
    Minified {
        of: Box<StaticSource>,
        bytes: Arc<[u8]>,
    },
}

impl StaticSource {
    /// The file on disk, when it is one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            StaticSource::File(path) => Some(path),
            StaticSource::BuiltIn(_) | StaticSource::Minified { .. } => None,
        }
    }

    /// The file as messages name it: relative to the site's folder `root`
    /// (`static/robots.txt`), or `static/x of the theme chronique (built in)`.
    pub fn shown(&self, root: &Path) -> PathBuf {
        match self {
            StaticSource::File(path) => path.strip_prefix(root).unwrap_or(path).to_path_buf(),
            StaticSource::BuiltIn(file) => PathBuf::from(file.shown()),
            StaticSource::Minified { of, .. } => of.shown(root),
        }
    }
}

/// Where the theme's templates and static files are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ThemeFiles {
    /// `themes/<theme>`, relative to the site's root (reported when it is missing).
    Folder(PathBuf),
    /// The theme built into chronique: the site has no `themes/chronique`.
    BuiltIn,
}

/// Everything the build reads, before any parsing.
#[derive(Debug, Default)]
pub struct Sources {
    pub content: Vec<SourceFile>,
    /// The archived comments' data files, under `comments/`.
    pub comments: Vec<DataFile>,
    pub templates: Vec<TemplateSource>,
    pub statics: Vec<StaticFile>,
    /// The sizes of the images among `statics`, measured once per read of them: a change to a
    /// static file or an image makes [`update`] give way to [`read_all`], which measures again.
    pub images: Arc<images::Measured>,
    /// Files that could not be read (not UTF-8, unreadable, missing theme).
    pub problems: Diagnostics,
}

impl Sources {
    /// The Markdown files of the bundles, relative to `content/` (`articles/mon-billet/index.md`,
    /// `a-propos/index.md`): see [`bundle_folder`].
    pub fn bundles(&self) -> Vec<PathBuf> {
        (self.content.iter())
            .filter(|f| bundle_folder(&f.rel).is_some())
            .map(|f| f.rel.clone())
            .collect()
    }
}

/// Reads every input of the site described by `config`.
pub fn read_all(config: &Config) -> Sources {
    let root = &config.root;
    let mut sources = Sources::default();
    let theme = find_theme(config, &mut sources.problems);
    // The folders read, each only if no folder on its way from the root is a link leaving
    // the site: the theme's (none for the built-in one), then the site's own.
    let mut reported = Vec::new();
    let mut readable = |dir: &Path, problems: &mut Diagnostics| {
        !linked_outside(root, dir, &mut reported, problems)
    };
    let folders = |sub: &str| {
        let theme_dir = match &theme {
            ThemeFiles::Folder(dir) => Some(dir.join(sub)),
            ThemeFiles::BuiltIn => None,
        };
        [theme_dir, Some(PathBuf::from(sub))]
    };
    let content = readable(Path::new(CONTENT_DIR), &mut sources.problems);
    let templates =
        folders(TEMPLATES_DIR).map(|dir| dir.filter(|dir| readable(dir, &mut sources.problems)));
    let statics =
        folders(STATIC_DIR).map(|dir| dir.filter(|dir| readable(dir, &mut sources.problems)));
    if content {
        read_content(root, &mut sources);
    }
    let comments = Path::new(COMMENTS_DIR);
    if root.join(comments).is_dir() && readable(comments, &mut sources.problems) {
        read_comments(root, &mut sources);
    }
    sources.templates = read_templates(root, &theme, &templates, &mut sources.problems);
    if let Some(d) = theme_without_templates(config, &theme, &templates[0]) {
        sources.problems.push(d);
    }
    add_static_files(root, &theme, &statics, &mut sources.statics);
    sources.images = Arc::new(measure_images(&sources.statics, &root.join(CONTENT_DIR)));
    let content = content.then(|| PathBuf::from(CONTENT_DIR));
    for dir in [content].iter().chain(&templates).chain(&statics).flatten() {
        sources.problems.extend(check_symlinks(root, dir).0);
    }
    sources
}

/// The sizes of the images among `statics` (`content`: the content folder, whose files move
/// with their bundles).
fn measure_images(statics: &[StaticFile], content: &Path) -> images::Measured {
    let files: Vec<(&Path, images::Bytes<'_>)> = (statics.iter())
        .map(|s| match &s.source {
            StaticSource::File(f) => (
                s.dest.as_path(),
                images::Bytes::File(f, f.starts_with(content)),
            ),
            StaticSource::BuiltIn(b) => (s.dest.as_path(), images::Bytes::Memory(b.bytes)),
            StaticSource::Minified { bytes, .. } => {
                (s.dest.as_path(), images::Bytes::Memory(bytes))
            }
        })
        .collect();
    images::measure_all(&files)
}

/// The error for a theme folder whose `templates/` (`theme_templates`, when it may be read)
/// holds no file: the site's own templates may replace every one of the theme's, so the
/// folder is looked at, not the templates read.
fn theme_without_templates(
    config: &Config,
    theme: &ThemeFiles,
    theme_templates: &Option<PathBuf>,
) -> Option<Diagnostic> {
    let ThemeFiles::Folder(theme_dir) = theme else {
        return None;
    };
    let templates = theme_templates.as_ref()?;
    let root = &config.root;
    if !root.join(theme_dir).is_dir() || !list_files(&root.join(templates)).is_empty() {
        return None;
    }
    Some(
        Diagnostic::error(
            Some(Location::new(SITE_FILE, config.theme_line, 1)),
            format!(
                "theme \"{}\" has no templates: {} holds no file, so there is no page to make",
                config.theme,
                display_dir(templates)
            ),
        )
        .with_source(&config.text),
    )
}

/// `themes/x/templates/`, as messages show a folder.
fn display_dir(dir: &Path) -> String {
    format!("{}/", crate::diagnostics::display_path(dir))
}

/// Whether the folder `rel` (relative to the site's root) or one above it is a symbolic link
/// leading outside the site, or a broken one: then it is not read, and the link is an error
/// (a warning when broken), reported once even when several folders go through it. The folders
/// below are checked by [`check_symlinks`]; a top-level folder that is a link inside the site
/// (`static -> assets/static`) is read through it.
fn linked_outside(
    root: &Path,
    rel: &Path,
    reported: &mut Vec<PathBuf>,
    problems: &mut Diagnostics,
) -> bool {
    let Ok(real_root) = std::fs::canonicalize(root) else {
        return false;
    };
    let mut at = PathBuf::new();
    for part in rel.components() {
        at.push(part);
        let full = root.join(&at);
        let is_link = std::fs::symlink_metadata(&full).is_ok_and(|m| m.file_type().is_symlink());
        if !is_link {
            continue;
        }
        let problem = match std::fs::canonicalize(&full) {
            Ok(target) if target.starts_with(&real_root) => continue,
            Ok(target) => Diagnostic::error(
                Some(Location::file(&at)),
                format!(
                    "{} is a symbolic link to {}, outside the site: refused; copy the folder into the site instead",
                    display_dir(&at),
                    target.display()
                ),
            ),
            Err(_) => Diagnostic::warning(
                Some(Location::file(&at)),
                format!("{} is a broken symbolic link: skipped", display_dir(&at)),
            ),
        };
        if !reported.contains(&at) {
            reported.push(at);
            problems.push(problem);
        }
        return true;
    }
    false
}

/// Reads `content/`: its Markdown files, in parallel, into `sources.content`; anything else is
/// a co-located asset, added to `sources.statics` to be copied as it is (a bundle's files are
/// placed beside their page later, once its URL is known: `pipeline::bundles`). A Markdown
/// file where no post can be ([`misplaced`]) is an error, and is not read.
fn read_content(root: &Path, sources: &mut Sources) {
    let content_dir = root.join(CONTENT_DIR);
    let mut markdown = Vec::new();
    for rel in list_files(&content_dir) {
        if is_markdown(&rel) {
            markdown.push(rel);
        } else {
            sources.statics.push(StaticFile {
                source: StaticSource::File(content_dir.join(&rel)),
                dest: rel,
            });
        }
    }
    let bundles: HashSet<&Path> = markdown.iter().filter_map(|r| bundle_folder(r)).collect();
    let mut misplaced_files = Vec::new();
    for rel in &markdown {
        if let Some(why) = misplaced(rel, &bundles) {
            let path = Path::new(CONTENT_DIR).join(rel);
            sources
                .problems
                .push(Diagnostic::error(Some(Location::file(&path)), why));
            misplaced_files.push(rel.clone());
        }
    }
    markdown.retain(|rel| !misplaced_files.contains(rel));
    let read: Vec<Result<SourceFile, Diagnostic>> = markdown
        .par_iter()
        .map(|rel| {
            let path = Path::new(CONTENT_DIR).join(rel);
            let text = read_text(&content_dir.join(rel), &path)?;
            Ok(SourceFile {
                kind: content_kind(rel),
                path,
                rel: rel.clone(),
                text: text.into(),
            })
        })
        .collect();
    for r in read {
        match r {
            Ok(file) => sources.content.push(file),
            Err(d) => sources.problems.push(d),
        }
    }
}

/// The YAML files under `comments/` (see [`crate::content::comments`]).
fn read_comments(root: &Path, sources: &mut Sources) {
    let dir = root.join(COMMENTS_DIR);
    for rel in list_files(&dir) {
        if rel.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let path = Path::new(COMMENTS_DIR).join(&rel);
        match read_text(&dir.join(&rel), &path) {
            Ok(text) => sources.comments.push(DataFile {
                path,
                rel,
                text: text.into(),
            }),
            Err(d) => sources.problems.push(d),
        }
    }
}

/// Where the theme is: the folder `themes/<theme>` (relative to the site root) when there is
/// anything of that name; else, for the theme `chronique`, the one built into chronique; else an
/// error pointing at the `theme` line of `site.toml` (the folder is returned all the same).
fn find_theme(config: &Config, problems: &mut Diagnostics) -> ThemeFiles {
    let theme_dir = Path::new(THEMES_DIR).join(&config.theme);
    let full = config.root.join(&theme_dir);
    // A link or a file there is not a missing theme: reading it says what is wrong.
    if config.theme == builtin::NAME && std::fs::symlink_metadata(&full).is_err() {
        return ThemeFiles::BuiltIn;
    }
    if !full.is_dir() {
        problems.push(
            Diagnostic::error(
                Some(Location::new(SITE_FILE, config.theme_line, 1)),
                format!(
                    "theme \"{}\" not found: there is no folder {}",
                    config.theme,
                    theme_dir.display()
                ),
            )
            .with_source(&config.text),
        );
    }
    ThemeFiles::Folder(theme_dir)
}

/// The templates, sorted by name: the theme's (the built-in ones, or its folder's), then the
/// site's own, which replace the theme's of the same name (`dirs`, the folders that may be
/// read). Files that cannot be read go to `problems`.
fn read_templates(
    root: &Path,
    theme: &ThemeFiles,
    dirs: &[Option<PathBuf>],
    problems: &mut Diagnostics,
) -> Vec<TemplateSource> {
    let mut templates: Vec<TemplateSource> = Vec::new();
    if *theme == ThemeFiles::BuiltIn {
        for file in builtin::templates() {
            let path = PathBuf::from(file.shown());
            match decode(file.bytes.to_vec(), &path) {
                Ok(text) => templates.push(TemplateSource {
                    name: file.rel.to_string(),
                    path,
                    text,
                }),
                Err(d) => problems.push(d),
            }
        }
    }
    for dir in dirs.iter().flatten() {
        for rel in list_files(&root.join(dir)) {
            let name = rel.to_string_lossy().replace('\\', "/");
            let path = dir.join(&rel);
            match read_text(&root.join(&path), &path) {
                Ok(text) => {
                    templates.retain(|t| t.name != name);
                    templates.push(TemplateSource { name, path, text });
                }
                Err(d) => problems.push(d),
            }
        }
    }
    templates.sort_by(|a, b| a.name.cmp(&b.name));
    templates
}

/// Adds the static files to `statics` (which holds content's assets), then sorts them by
/// destination: the theme's (the built-in ones, or its folder's), then the site's own (`dirs`:
/// the theme's folder and the site's, when they may be read), each replacing any file already
/// there on the same path. The theme's stylesheets are published minified, the site's own files
/// as they are. Hidden files are copied too (`.well-known/`, `.nojekyll`), editors' leftovers
/// are not.
fn add_static_files(
    root: &Path,
    theme: &ThemeFiles,
    dirs: &[Option<PathBuf>; 2],
    statics: &mut Vec<StaticFile>,
) {
    let mut add = |file: StaticFile| {
        statics.retain(|s| s.dest != file.dest);
        statics.push(file);
    };
    if *theme == ThemeFiles::BuiltIn {
        for file in builtin::statics() {
            add(theme_static(
                PathBuf::from(file.rel),
                StaticSource::BuiltIn(file),
            ));
        }
    }
    let [theme_dir, site_dir] = dirs;
    for (dir, of_theme) in [(theme_dir, true), (site_dir, false)] {
        let Some(dir) = dir else { continue };
        for rel in list_static_files(&root.join(dir)) {
            let source = StaticSource::File(root.join(dir).join(&rel));
            add(match of_theme {
                true => theme_static(rel, source),
                false => StaticFile { source, dest: rel },
            });
        }
    }
    statics.sort_by(|a, b| a.dest.cmp(&b.dest));
}

/// A static file of the theme, at `dest` in the output: a stylesheet is read and minified here
/// (a few small files a build), anything else is copied as it is. A sheet that cannot be read
/// is left to the writer, whose copy reports the error.
fn theme_static(dest: PathBuf, source: StaticSource) -> StaticFile {
    let is_css = dest
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("css"));
    let read = match (&source, is_css) {
        (StaticSource::BuiltIn(file), true) => Some(css::minify(file.bytes)),
        (StaticSource::File(path), true) => crate::fsx::read(path).ok().map(|b| css::minify(&b)),
        _ => None,
    };
    let source = match read {
        Some(bytes) => StaticSource::Minified {
            of: Box::new(source),
            bytes: bytes.into(),
        },
        None => source,
    };
    StaticFile { source, dest }
}

/// Brings `sources` up to date after the Markdown files `changed` (relative to the site root)
/// were saved, created or deleted, reading only those. Returns `false`, leaving the caller to
/// read everything again, when the change is anything else (a folder, a template, a static
/// file, a symbolic link) or a file cannot be read: those cases keep [`read_all`]'s rules in
/// one place.
pub fn update(sources: &mut Sources, root: &Path, changed: &[PathBuf]) -> bool {
    if !sources.problems.is_empty() {
        return false;
    }
    let mut fresh = Vec::new();
    for path in changed {
        let Ok(rel) = path.strip_prefix(CONTENT_DIR) else {
            if update_shortcode(sources, root, path) {
                continue;
            }
            return false;
        };
        let hidden = rel
            .components()
            .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()));
        if hidden {
            continue;
        }
        if !is_markdown(rel) {
            return false;
        }
        let full = root.join(path);
        let file: Option<SourceFile> = match std::fs::symlink_metadata(&full) {
            Ok(meta) if meta.is_file() => match read_text(&full, path) {
                Ok(text) => Some(SourceFile {
                    kind: content_kind(rel),
                    path: path.clone(),
                    rel: rel.to_path_buf(),
                    text: text.into(),
                }),
                Err(_) => return false,
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            _ => return false,
        };
        if reshapes(sources, rel, file.is_some()) {
            return false;
        }
        fresh.push((rel.to_path_buf(), file));
    }
    for (rel, file) in fresh {
        let at = sources.content.binary_search_by(|f| f.rel.cmp(&rel));
        match (at, file) {
            (Ok(i), Some(file)) => sources.content[i] = file,
            (Err(i), Some(file)) => sources.content.insert(i, file),
            (Ok(i), None) => {
                sources.content.remove(i);
            }
            (Err(_), None) => {}
        }
    }
    true
}

/// A shortcode template saved, at `path`: its new text, when it is the very file the templates
/// were read from (a new, deleted or overriding file goes through [`read_all`]). Shortcodes
/// reach the pages through the posts that use them, so such a change is like a post's.
fn update_shortcode(sources: &mut Sources, root: &Path, path: &Path) -> bool {
    let in_folder = (path.parent()).is_some_and(|p| p.ends_with("templates/shortcodes"));
    let Some(t) = (sources.templates.iter_mut()).find(|t| in_folder && t.path == path) else {
        return false;
    };
    match std::fs::symlink_metadata(root.join(path)) {
        Ok(meta) if meta.is_file() => match read_text(&root.join(path), path) {
            Ok(text) => {
                t.text = text;
                true
            }
            Err(_) => false,
        },
        _ => false,
    }
}

/// Symbolic links below `root/dir` are never followed (the listings above skip them), so that a
/// site cloned from someone else cannot publish `~/.ssh/id_rsa` through `static/key ->
/// ~/.ssh/id_rsa`. Skipping silently would hide a missing post, so: a link leaving the site is an
/// error (the build stops, as Hugo refuses such links), one inside it or broken is a warning.
/// Named pipes, sockets and devices are skipped with a warning too.
pub fn check_symlinks(root: &Path, dir: &Path) -> Diagnostics {
    let mut problems = Diagnostics::new();
    let Ok(real_root) = std::fs::canonicalize(root) else {
        return problems;
    };
    let links = WalkDir::new(root.join(dir))
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || e.file_name() != ".git")
        .filter_map(Result::ok)
        .filter(|e| e.depth() > 0 && !e.file_type().is_file() && !e.file_type().is_dir());
    for link in links {
        let Ok(rel) = link.path().strip_prefix(root) else {
            continue;
        };
        let location = Some(Location::file(rel));
        if !link.path_is_symlink() {
            // A named pipe, a socket, a device: never read (a pipe would keep the build
            // waiting), and said so rather than skipped silently.
            problems.push(Diagnostic::warning(
                location,
                format!(
                    "{}: skipped, chronique reads only regular files",
                    crate::fsx::special_kind(link.file_type())
                ),
            ));
            continue;
        }
        problems.push(match std::fs::canonicalize(link.path()) {
            Ok(target) if !target.starts_with(&real_root) => Diagnostic::error(
                location,
                format!(
                    "symbolic link to {}, outside the site: refused; copy the file into the site instead",
                    target.display()
                ),
            ),
            Ok(_) => Diagnostic::warning(
                location,
                "symbolic link: skipped, chronique does not follow links; copy or move the file instead",
            ),
            Err(_) => Diagnostic::warning(location, "broken symbolic link: skipped"),
        });
    }
    problems
}

fn content_kind(rel: &Path) -> ContentKind {
    let first = rel.components().next().map(|c| c.as_os_str());
    let depth = rel.components().count();
    let special = first.is_some_and(|f| f == AUTHORS_FOLDER || f == SERIES_FOLDER);
    if rel.file_name().is_some_and(|n| n == SECTION_INDEX) {
        ContentKind::SectionIndex
    } else if depth == 1 || (depth == 2 && !special && rel.ends_with(BUNDLE_INDEX)) {
        ContentKind::Page
    } else if rel.components().count() > 1 && first.is_some_and(|f| f == AUTHORS_FOLDER) {
        ContentKind::Author
    } else if rel.components().count() > 1 && first.is_some_and(|f| f == SERIES_FOLDER) {
        ContentKind::Series
    } else {
        ContentKind::Post
    }
}

/// Whether a file under `content/` is Markdown (a post, a section's, an author's, a series').
fn is_markdown(rel: &Path) -> bool {
    rel.extension().is_some_and(|e| e == "md")
}

/// Whether `rel` (relative to `content/`) is below a section's own folder: in a folder of a
/// section (`articles/mon-billet/index.md`), not in `authors/` or `series/`, which keep their
/// rules, nor directly under `content/` or a section.
fn below_section(rel: &Path) -> bool {
    let first = rel.components().next().map(|c| c.as_os_str());
    rel.components().count() >= 3
        && first.is_some_and(|f| f != AUTHORS_FOLDER && f != SERIES_FOLDER)
}

/// The folder of the bundle whose Markdown is `rel` (relative to `content/`):
/// `articles/mon-billet` for the post `articles/mon-billet/index.md`, `a-propos` for the page
/// `a-propos/index.md`; none for any other file. The post or page takes its slug from the
/// folder, and the folder's other files are published beside its page.
pub fn bundle_folder(rel: &Path) -> Option<&Path> {
    if rel.file_name().is_none_or(|n| n != BUNDLE_INDEX) {
        return None;
    }
    let depth = rel.components().count();
    let first = rel.components().next().map(|c| c.as_os_str());
    let page = depth == 2 && first.is_some_and(|f| f != AUTHORS_FOLDER && f != SERIES_FOLDER);
    let post = depth == 3 && below_section(rel);
    (page || post).then(|| rel.parent()).flatten()
}

/// Why the Markdown file `rel` (relative to `content/`) is where no post can be, if it is: a
/// section holds posts (`<section>/<name>.md`) and bundles (`<section>/<folder>/index.md`, the
/// folder's only Markdown file), nothing deeper and no sub-section. `bundles`: the folders of
/// the bundles there are. Each message says how to fix it.
fn misplaced(rel: &Path, bundles: &HashSet<&Path>) -> Option<String> {
    if !below_section(rel) || bundle_folder(rel).is_some() {
        return None;
    }
    let parts: Vec<String> = (rel.components())
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let [section, folder, .., name] = parts.as_slice() else {
        return None;
    };
    let shown = |p: &str| format!("{CONTENT_DIR}/{section}/{p}");
    let stem = name.strip_suffix(".md").unwrap_or(name);
    Some(if name == SECTION_INDEX {
        format!(
            "a section has no sub-sections: {} describes the section; remove this file",
            shown(SECTION_INDEX)
        )
    } else if bundles.contains(Path::new(section).join(folder).as_path()) {
        format!(
            "a bundle holds one Markdown file, index.md ({}): move this file to {} to make it a post of its own",
            shown(&format!("{folder}/{BUNDLE_INDEX}")),
            shown(&format!("{stem}.md"))
        )
    } else if parts.len() == 3 {
        format!(
            "{} is not a bundle (it has no {BUNDLE_INDEX}): rename this file {BUNDLE_INDEX} to make the folder a bundle, or move it to {}",
            shown(&format!("{folder}/")),
            shown(name)
        )
    } else if name == BUNDLE_INDEX {
        let inner = &parts[parts.len() - 2];
        format!(
            "bundles are not nested: a bundle is a folder directly in its section; move this folder to {}",
            shown(&format!("{inner}/"))
        )
    } else {
        format!(
            "a post is {} or {}, not deeper: move it to {}",
            shown("<name>.md"),
            shown(&format!("<folder>/{BUNDLE_INDEX}")),
            shown(name)
        )
    })
}

/// Whether saving (or deleting: `exists` false) the Markdown file `rel` may change which
/// folders are bundles, or which files are misplaced: anything below a section's folder but an
/// edit of a bundle's `index.md` already read. [`update`] then leaves it to [`read_all`], so
/// that those rules are in one place.
fn reshapes(sources: &Sources, rel: &Path, exists: bool) -> bool {
    if !below_section(rel) {
        return false;
    }
    let known = (sources.content)
        .binary_search_by(|f| f.rel.as_path().cmp(rel))
        .is_ok();
    !(exists && known && bundle_folder(rel).is_some())
}

/// Files below `dir`, relative to it, sorted; hidden files and editors' temporary files skipped.
/// A missing folder has no files.
pub fn list_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.path().strip_prefix(dir).ok().map(Path::to_path_buf))
        .collect();
    files.sort();
    files
}

/// Files below a static folder: hidden ones included, editors' and systems' leftovers not.
fn list_static_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(name == ".git" || name == ".DS_Store" || is_editor_leftover(&name))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.path().strip_prefix(dir).ok().map(Path::to_path_buf))
        .collect();
    files.sort();
    files
}

/// Names the build never reads: hidden files, and the temporary files editors leave behind.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.') || is_editor_leftover(name)
}

/// The temporary files editors leave next to the files they save.
fn is_editor_leftover(name: &str) -> bool {
    name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".bck")
        || name.ends_with(".kate-swp")
        || name.ends_with("___jb_tmp___")
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'))
}

/// Reads a file as UTF-8 text, without BOM, with LF line endings: only a regular file (its
/// type is checked before it is opened, so a named pipe put there meanwhile is an error, not a
/// build waiting forever).
fn read_text(full: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = crate::fsx::read(full).map_err(|e| {
        Diagnostic::error(
            Some(Location::file(shown)),
            format!("cannot read file: {e}"),
        )
    })?;
    decode(bytes, shown)
}

/// Decodes bytes as UTF-8 text, without BOM, with LF line endings.
pub fn decode(bytes: Vec<u8>, shown: &Path) -> Result<String, Diagnostic> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let bad = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&bytes[..bad]);
        let (line, column) = crate::diagnostics::line_col(&valid, valid.len());
        let shown_line = String::from_utf8_lossy(bytes)
            .split('\n')
            .nth(line - 1)
            .unwrap_or("")
            .to_string();
        let mut d = Diagnostic::error(
            Some(Location::new(shown, line, column)),
            format!(
                "file is not valid UTF-8 (byte 0x{:02x}); save it as UTF-8",
                bytes[bad]
            ),
        );
        d.source_line = Some(shown_line);
        d
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_normalised() {
        let text = decode(
            b"\xef\xbb\xbf---\r\ntitle: a\r\n---\r\n".to_vec(),
            Path::new("x.md"),
        )
        .unwrap();
        assert_eq!(text, "---\ntitle: a\n---\n");
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let e = decode(b"---\ntitle: caf\xe9\n".to_vec(), Path::new("content/x.md")).unwrap_err();
        assert_eq!(
            e.headline(),
            "content/x.md:2:11: file is not valid UTF-8 (byte 0xe9); save it as UTF-8"
        );
    }

    #[test]
    fn a_file_that_disappears_before_it_is_read_is_an_error_naming_it() {
        // The listing saw it, an editor's save-by-rename removed it before the read.
        let dir = tempfile::tempdir().unwrap();
        let full = dir.path().join("parti.md");
        std::fs::write(&full, "---\ntitle: a\n---\n").unwrap();
        std::fs::remove_file(&full).unwrap();
        let e = read_text(&full, Path::new("content/breves/parti.md")).unwrap_err();
        assert!(
            e.headline()
                .starts_with("content/breves/parti.md:1:1: cannot read file: "),
            "{}",
            e.headline()
        );
    }

    #[test]
    fn kinds_follow_folders() {
        assert_eq!(content_kind(Path::new("breves/x.md")), ContentKind::Post);
        assert_eq!(
            content_kind(Path::new("breves/_index.md")),
            ContentKind::SectionIndex
        );
        assert_eq!(content_kind(Path::new("authors/a.md")), ContentKind::Author);
        assert_eq!(
            content_kind(Path::new("series/conte.md")),
            ContentKind::Series
        );
        assert_eq!(content_kind(Path::new("authors.md")), ContentKind::Page);
        assert_eq!(
            content_kind(Path::new("mentions-legales.md")),
            ContentKind::Page
        );
        assert_eq!(
            content_kind(Path::new("a-propos/index.md")),
            ContentKind::Page
        );
        assert_eq!(
            content_kind(Path::new("authors/index.md")),
            ContentKind::Author
        );
    }

    #[test]
    fn a_bundle_is_a_folder_of_a_section_or_of_content_with_index_md() {
        let folder = |rel: &str| bundle_folder(Path::new(rel)).map(Path::to_path_buf);
        assert_eq!(
            folder("articles/mon-billet/index.md"),
            Some(PathBuf::from("articles/mon-billet"))
        );
        // A page's bundle.
        assert_eq!(folder("a-propos/index.md"), Some(PathBuf::from("a-propos")));
        for not_one in [
            "articles/mon-billet/autre.md",
            "articles/a/b/index.md",
            "authors/claire/index.md",
            "series/conte/index.md",
            "index.md",
        ] {
            assert_eq!(folder(not_one), None, "{not_one}");
        }
        assert_eq!(
            content_kind(Path::new("articles/mon-billet/index.md")),
            ContentKind::Post
        );
    }

    #[test]
    fn markdown_below_a_section_is_a_post_a_bundle_or_an_error_saying_how_to_fix_it() {
        let bundles: HashSet<&Path> = [Path::new("articles/billet")].into_iter().collect();
        let why = |rel: &str| misplaced(Path::new(rel), &bundles);
        for fine in [
            "articles/x.md",
            "articles/_index.md",
            "articles/billet/index.md",
            "authors/x.md",
            "authors/sub/x.md",
            "series/sub/x.md",
            "x.md",
            "x/index.md",
        ] {
            assert_eq!(why(fine), None, "{fine}");
        }
        assert_eq!(
            why("articles/sub/autre.md").unwrap(),
            "content/articles/sub/ is not a bundle (it has no index.md): rename this file index.md to make the folder a bundle, or move it to content/articles/autre.md"
        );
        let second = "a bundle holds one Markdown file, index.md (content/articles/billet/index.md): move this file to content/articles/notes.md to make it a post of its own";
        assert_eq!(why("articles/billet/notes.md").unwrap(), second);
        assert_eq!(why("articles/billet/annexe/notes.md").unwrap(), second);
        assert_eq!(
            why("articles/a/b/index.md").unwrap(),
            "bundles are not nested: a bundle is a folder directly in its section; move this folder to content/articles/b/"
        );
        assert_eq!(
            why("articles/a/b/x.md").unwrap(),
            "a post is content/articles/<name>.md or content/articles/<folder>/index.md, not deeper: move it to content/articles/x.md"
        );
        assert_eq!(
            why("articles/sub/_index.md").unwrap(),
            "a section has no sub-sections: content/articles/_index.md describes the section; remove this file"
        );
    }

    #[test]
    fn a_change_that_may_reshape_a_bundle_is_left_to_a_full_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "---\ntitle: a\ndate: 2020-01-01\n---\n").unwrap();
        };
        write("content/articles/x.md");
        write("content/articles/billet/index.md");
        let mut sources = Sources::default();
        read_content(root, &mut sources);
        assert_eq!(sources.content.len(), 2);
        let changed = |rel: &str| vec![PathBuf::from(rel)];
        // Edits of a post and of a bundle's index.md already read: read alone.
        assert!(update(
            &mut sources,
            root,
            &changed("content/articles/x.md")
        ));
        let index = "content/articles/billet/index.md";
        assert!(update(&mut sources, root, &changed(index)));
        // A new bundle, a deleted one, a new file deeper: read again in full.
        write("content/articles/neuf/index.md");
        assert!(!update(
            &mut sources,
            root,
            &changed("content/articles/neuf/index.md")
        ));
        write("content/articles/billet/notes.md");
        assert!(!update(
            &mut sources,
            root,
            &changed("content/articles/billet/notes.md")
        ));
        std::fs::remove_file(root.join(index)).unwrap();
        assert!(!update(&mut sources, root, &changed(index)));
    }

    #[test]
    fn without_a_theme_folder_the_built_in_theme_is_read_under_the_sites_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            SITE_FILE,
            "title = \"T\"\nbase_url = \"https://exemple.fr/\"\n",
        );
        write("templates/page.html", "<p>mine</p>");
        write("static/favicon.svg", "<svg/>");
        let config = Config::load(root, None).unwrap();
        let sources = read_all(&config);
        assert!(sources.problems.is_empty(), "{}", sources.problems);
        let template = |name: &str| sources.templates.iter().find(|t| t.name == name).unwrap();
        assert_eq!(template("page.html").path, Path::new("templates/page.html"));
        assert_eq!(template("page.html").text, "<p>mine</p>");
        assert_eq!(
            template("base.html").path,
            Path::new("templates/base.html of the theme chronique (built in)")
        );
        let source = |dest: &str| {
            let s = sources.statics.iter().find(|s| s.dest == Path::new(dest));
            s.unwrap().source.shown(root)
        };
        assert_eq!(source("favicon.svg"), Path::new("static/favicon.svg"));
        assert_eq!(
            source("css/chronique.css"),
            Path::new("static/css/chronique.css of the theme chronique (built in)")
        );
    }

    #[test]
    fn editor_files_are_ignored() {
        for name in [
            ".x.md.swp",
            "x.md~",
            "4913",
            "#x.md#",
            ".#x.md",
            "x___jb_tmp___",
        ] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("x.md"));
    }
}
