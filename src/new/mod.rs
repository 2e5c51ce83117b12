//! `chronique new`: writes the file of a new post or author, front matter complete.
//!
//! It exists so that authors never copy front matter by hand from another post (and carry over
//! its date, its series or its findings by mistake). Each kind gets every key it needs, filled
//! with what is known (today's date, the author, the next free part of a series) and the optional
//! keys as comments to uncomment; a breakdown gets a skeleton of context, steps and findings. The
//! file written builds at once with no error, and an existing file is never overwritten. The
//! comments and examples are in the site's language ([`text`]).

mod text;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::config::{Config, NewSections};
use crate::content::{self, Kind, capitalise};
use crate::diagnostics::{Diagnostic, display_path};
use crate::language::Language;
use crate::slug::{shorten, slugify};
use crate::source;
use text::{PostTemplate, author_text, post_text, series_text};

/// The longest slug `new` makes from a title, in bytes: cut at a hyphen, it keeps the first
/// words of a long title (and the file name far from the file system's limit).
pub const MAX_SLUG: usize = 80;

/// What to create: a post of one of the four kinds, or an author.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Post(Kind),
    Author,
}

impl What {
    /// `breve`, `article`, `irritant`, `conte` or `author`.
    pub fn parse(name: &str) -> Option<What> {
        if name == "author" {
            return Some(What::Author);
        }
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .map(What::Post)
    }

    /// The names `parse` accepts, for messages and `--help`.
    pub const NAMES: [&'static str; 5] = ["breve", "article", "irritant", "conte", "author"];
}

/// The folder under `content/` each kind of post goes to: site.toml's `[sections]`, by default
/// as in the example column (`breves`, `articles`, `contes`, `decryptages`).
pub fn section_of(sections: &NewSections, kind: Kind) -> &str {
    match kind {
        Kind::Breve => &sections.breve,
        Kind::Article => &sections.article,
        Kind::Conte => &sections.conte,
        Kind::Irritant => &sections.irritant,
    }
}

/// What `chronique new` was asked to do.
#[derive(Debug, Clone)]
pub struct NewOptions {
    pub root: PathBuf,
    pub what: What,
    /// The post's title, or the author's name.
    pub title: String,
    /// `--series <slug>` (contes, but any kind may be part of a series).
    pub series: Option<String>,
    /// `--author <slug>`; default: site.toml's `default_author`.
    pub author: Option<String>,
    /// `--bundle`: the post as a page bundle, `content/<section>/<slug>/index.md`, for its
    /// images to go beside it.
    pub bundle: bool,
    /// "Now": the clock, or `SOURCE_DATE_EPOCH`.
    pub now: jiff::Timestamp,
}

/// The files `new` wrote, relative to the site's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub path: PathBuf,
    /// The series file, when `--series` named a series that had none.
    pub series_file: Option<PathBuf>,
    /// What the writer should know about the files written (a title to check).
    pub notes: Vec<String>,
}

/// Why nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewError {
    /// The kind asked for is none of [`What::NAMES`].
    UnknownKind(String),
    /// `site.toml` is missing, cannot be read or is wrong (its diagnostic says which).
    Settings(Box<Diagnostic>),
    /// The title (or the author's name) has no letter or digit to make a file name from.
    NoSlug(String),
    /// The slug made from the title cannot be a file name of the site.
    BadSlug { why: String },
    /// `--series` was given with `new author`.
    SeriesForAuthor,
    /// `--bundle` was given with `new author`.
    BundleForAuthor,
    /// The file to write is there already (relative to the root).
    Exists(PathBuf),
    /// Another post of the section already has the slug: the new one would take its URL.
    SlugTaken {
        other: PathBuf,
        slug: String,
        section: String,
    },
    /// The author to sign with has no file in `content/authors/`.
    UnknownAuthor {
        slug: String,
        from: AuthorFrom,
        /// The slugs of the authors there are.
        known: Vec<String>,
    },
    /// `--series` has no letter or digit.
    BadSeries(String),
    /// The series has all the parts its file announces.
    SeriesFull { series: String, parts: u32 },
    /// A folder could not be created.
    CreateFolder { path: PathBuf, reason: String },
    /// The file could not be created.
    CreateFile { path: PathBuf, reason: String },
}

/// Where the author a post is signed with was named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorFrom {
    /// `--author`.
    Flag,
    /// site.toml's `default_author`.
    DefaultAuthor,
}

impl fmt::Display for NewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NewError::UnknownKind(kind) => write!(f, "unknown kind \"{kind}\""),
            // The caller labels the message `error:`: the diagnostic's own label would say it
            // twice.
            NewError::Settings(diagnostic) => write!(f, "{}", diagnostic.unlabelled()),
            NewError::NoSlug(title) => write!(
                f,
                "\"{title}\" has no letter or digit to make a file name from"
            ),
            NewError::BadSlug { why } => write!(
                f,
                "no file name can be made from this title: its slug {why}; choose another title (the `slug` key can set the address afterwards)"
            ),
            NewError::SeriesForAuthor => f.write_str("--series is for posts, not authors"),
            NewError::BundleForAuthor => f.write_str("--bundle is for posts, not authors"),
            NewError::Exists(rel) => write!(
                f,
                "{} already exists: `chronique new` never overwrites a file; edit it, or choose another title",
                display_path(rel)
            ),
            NewError::SlugTaken {
                other,
                slug,
                section,
            } => write!(
                f,
                "{} already has the slug \"{slug}\" in {section}/: the new post would take its URL; choose another title",
                display_path(other)
            ),
            NewError::UnknownAuthor { slug, from, known } => {
                let from = match from {
                    AuthorFrom::Flag => "--author",
                    AuthorFrom::DefaultAuthor => "site.toml's default_author",
                };
                let known = if known.is_empty() {
                    "there is no author yet".to_string()
                } else {
                    format!("known authors: {}", known.join(", "))
                };
                write!(
                    f,
                    "{from} names \"{slug}\", but there is no content/authors/{slug}.md ({known}); create it with `chronique new author \"Prénom Nom\"`"
                )
            }
            NewError::BadSeries(series) => {
                write!(f, "--series \"{series}\" has no letter or digit")
            }
            NewError::SeriesFull { series, parts } => write!(
                f,
                "series \"{series}\" already has its {parts} part{}; raise `parts` in content/series/{series}.md to add one",
                if *parts == 1 { "" } else { "s" }
            ),
            NewError::CreateFolder { path, reason } | NewError::CreateFile { path, reason } => {
                write!(f, "cannot create {}: {reason}", path.display())
            }
        }
    }
}

impl std::error::Error for NewError {}

/// Writes the new file (and the series file if needed); never overwrites anything.
pub fn create(options: &NewOptions) -> Result<Created, NewError> {
    let config = load_config(&options.root)?;
    let title = options.title.trim();
    let slug = file_slug(title)?;
    match options.what {
        What::Author => create_author(options, &config, title),
        What::Post(kind) => create_post(options, &config, kind, title, &slug),
    }
}

/// The slug of a new file named after `title`, or why there can be none. A long title makes a
/// readable address of its first words (a file name has a limit).
fn file_slug(title: &str) -> Result<String, NewError> {
    let slug = shorten(&slugify(title), MAX_SLUG).to_string();
    if slug.is_empty() {
        return Err(NewError::NoSlug(title.to_string()));
    }
    if let Some(why) = crate::slug::problem(&slug) {
        return Err(NewError::BadSlug { why });
    }
    Ok(slug)
}

/// A new author named `name`: its slug, its file (`content/authors/<slug>.md`, relative to the
/// column) and the file's text. `chronique init --author` writes one too.
pub fn author_file(name: &str, language: Language) -> Result<(String, PathBuf, String), NewError> {
    let name = name.trim();
    let slug = file_slug(name)?;
    let rel = PathBuf::from("content/authors").join(format!("{slug}.md"));
    Ok((slug, rel, author_text(name, language)))
}

/// The site's `site.toml`, or why it cannot be used (there is none in `root`: not a column).
fn load_config(root: &Path) -> Result<Config, NewError> {
    Config::load(root, None).map_err(|diagnostic| NewError::Settings(Box::new(diagnostic)))
}

/// `new author`: `content/authors/<slug>.md`, named `name`.
fn create_author(options: &NewOptions, config: &Config, name: &str) -> Result<Created, NewError> {
    if options.series.is_some() {
        return Err(NewError::SeriesForAuthor);
    }
    if options.bundle {
        return Err(NewError::BundleForAuthor);
    }
    let (_, rel, text) = author_file(name, config.language)?;
    write_new(&options.root, &rel, &text)?;
    Ok(Created {
        path: rel,
        series_file: None,
        notes: Vec::new(),
    })
}

/// A new post of `kind` in its section, signed, dated today (or on the date its series part
/// was announced for), and the series file when `--series` names a series that has none.
fn create_post(
    options: &NewOptions,
    config: &Config,
    kind: Kind,
    title: &str,
    slug: &str,
) -> Result<Created, NewError> {
    // What the site already has: authors, series parts, slugs taken in the section.
    let sources = source::read_all(config);
    let (parsed, _) = content::parse_all(&sources, config.language);
    let rel = free_path(options, config, &parsed, kind, slug)?;
    let author = signing_author(options, config, &parsed)?;
    let part = match &options.series {
        Some(series) => Some(next_part(options, &parsed, series)?),
        None => None,
    };
    let today = options
        .now
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
        .to_string();
    let date = part
        .as_ref()
        .and_then(|p| p.planned_date.clone())
        .unwrap_or(today);
    let text = post_text(&PostTemplate {
        kind,
        title,
        date: &date,
        author: author.as_deref(),
        part: part.as_ref().map(|p| (p.slug.as_str(), p.number)),
        efforts: &config
            .efforts
            .iter()
            .map(|e| e.id.as_str())
            .collect::<Vec<_>>(),
        language: config.language,
    });
    write_new(&options.root, &rel, &text)?;
    let (series_file, notes) = match &part {
        Some(part) => write_series_file(options, config, &parsed, title, part),
        None => (None, Vec::new()),
    };
    Ok(Created {
        path: rel,
        series_file,
        notes,
    })
}

/// The file of a series that has none, titled as the site already writes its words
/// ([`series_title`]), with a note when the title could only be made from the slug.
fn write_series_file(
    options: &NewOptions,
    config: &Config,
    parsed: &content::Content,
    post_title: &str,
    part: &SeriesPart,
) -> (Option<PathBuf>, Vec<String>) {
    let Some(rel) = part.new_file.clone() else {
        return (None, Vec::new());
    };
    let typed = options.series.as_deref().unwrap_or_default();
    let title = series_title(&part.slug, &[typed, post_title], parsed);
    // The post is written; a series file appearing meanwhile is left as it is.
    if write_new(
        &options.root,
        &rel,
        &series_text(&title.text, config.language),
    )
    .is_err()
    {
        return (None, Vec::new());
    }
    let notes = title.from_slug.then(|| {
        format!(
            "the series is titled \"{}\", made from its slug: edit the title in {} if it needs accents",
            title.text,
            display_path(&rel)
        )
    });
    (Some(rel), notes.into_iter().collect())
}

/// The title of a new series file.
#[derive(Debug, PartialEq, Eq)]
struct SeriesTitle {
    text: String,
    /// Made from the slug alone: accents it should have are missing ("Conte de noel").
    from_slug: bool,
}

/// The title of the series `slug` as the site writes its words: one of `typed` (`--series` as
/// typed, then the new post's title) when it is the series' name written out, or the words of
/// a title whose slug is the series' — the typed ones, then the titles of the series' posts,
/// of other series and of any post ("Conte de Noël (1/3) : l'attente" gives "Conte de Noël").
/// Else the slug with spaces, capitalised, which cannot know its accents.
fn series_title(slug: &str, typed: &[&str], parsed: &content::Content) -> SeriesTitle {
    let found = |text: &str| SeriesTitle {
        text: capitalise(text),
        from_slug: false,
    };
    if let Some(t) = typed
        .iter()
        .map(|t| t.trim())
        .find(|t| *t != slug && slugify(t) == slug)
    {
        return found(t);
    }
    let in_series = (parsed.posts.iter())
        .filter(|p| p.series.as_ref().is_some_and(|s| slugify(&s.value) == slug))
        .map(|p| p.title.as_str());
    let others = (parsed.series.iter().map(|s| s.title.as_str()))
        .chain(parsed.posts.iter().map(|p| p.title.as_str()));
    // The slug itself (`--series conte-de-noel`) would only give itself back.
    let typed = typed.iter().copied().filter(|t| t.trim() != slug);
    let titles = typed.chain(in_series).chain(others);
    match titles.filter_map(|t| words_for(slug, t)).next() {
        Some(words) => found(&words),
        None => SeriesTitle {
            text: capitalise(&slug.replace('-', " ")),
            from_slug: true,
        },
    }
}

/// The words of `title` whose slug is `slug`, when a run of them has it: "Conte de Noël" in
/// "Conte de Noël (1/3) : l'attente" for `conte-de-noel`, without the punctuation around.
fn words_for(slug: &str, title: &str) -> Option<String> {
    let words: Vec<&str> = title.split_whitespace().collect();
    for start in 0..words.len() {
        for end in start + 1..=words.len() {
            let run = words[start..end].join(" ");
            let run_slug = slugify(&run);
            if run_slug == slug {
                let trimmed = run.trim_matches(|c: char| !c.is_alphanumeric());
                return Some(trimmed.to_string());
            }
            // Longer runs only add words.
            if !run_slug.is_empty() && !slug.starts_with(&run_slug) {
                break;
            }
        }
    }
    None
}

/// Where the new post goes, `content/<section>/<slug>.md` (with `--bundle`,
/// `content/<section>/<slug>/index.md`), if no post of the section has the slug already (in
/// that file or, with a `slug` key, in another).
fn free_path(
    options: &NewOptions,
    config: &Config,
    parsed: &content::Content,
    kind: Kind,
    slug: &str,
) -> Result<PathBuf, NewError> {
    let section = section_of(&config.sections, kind);
    let folder = PathBuf::from(crate::layout::CONTENT_DIR).join(section);
    let rel = match options.bundle {
        true => folder.join(slug).join(crate::layout::BUNDLE_INDEX),
        false => folder.join(format!("{slug}.md")),
    };
    let taken = parsed
        .posts
        .iter()
        .find(|p| p.section.as_deref() == Some(section) && p.slug == slug);
    match taken {
        None => Ok(rel),
        Some(_) if options.root.join(&rel).exists() => Err(NewError::Exists(rel)),
        Some(other) => Err(NewError::SlugTaken {
            other: other.path.clone(),
            slug: slug.to_string(),
            section: section.to_string(),
        }),
    }
}

/// The author slug the post is signed with (`--author`, else site.toml's `default_author`), if
/// any: it must have its file, or the post would not build.
fn signing_author(
    options: &NewOptions,
    config: &Config,
    parsed: &content::Content,
) -> Result<Option<String>, NewError> {
    let Some(a) = options
        .author
        .as_deref()
        .or(config.default_author.as_deref())
    else {
        return Ok(None);
    };
    let a = a.trim();
    if parsed.authors.iter().any(|known| known.slug == a) {
        return Ok(Some(a.to_string()));
    }
    Err(NewError::UnknownAuthor {
        slug: a.to_string(),
        from: if options.author.is_some() {
            AuthorFrom::Flag
        } else {
            AuthorFrom::DefaultAuthor
        },
        known: parsed.authors.iter().map(|a| a.slug.clone()).collect(),
    })
}

/// The part of a series a new post takes.
struct SeriesPart {
    slug: String,
    /// The first part number no post has.
    number: u32,
    /// The date the series file announces for that part, if it does: the post is scheduled.
    planned_date: Option<String>,
    /// The series file to write, when the series has none.
    new_file: Option<PathBuf>,
}

/// The next free part of the series `--series` names; refused when the series file says it
/// has all its parts.
fn next_part(
    options: &NewOptions,
    parsed: &content::Content,
    series: &str,
) -> Result<SeriesPart, NewError> {
    let slug = slugify(series);
    if slug.is_empty() {
        return Err(NewError::BadSeries(series.to_string()));
    }
    let file = parsed.series.iter().find(|s| s.slug == slug);
    let taken: Vec<u32> = parsed
        .posts
        .iter()
        .filter(|p| p.series.as_ref().is_some_and(|s| slugify(&s.value) == slug))
        .filter_map(|p| p.part.as_ref().map(|n| n.value))
        .collect();
    let number = (1..).find(|n| !taken.contains(n)).unwrap_or(1);
    if let Some(parts) = file.and_then(|f| f.parts)
        && number > parts
    {
        return Err(NewError::SeriesFull {
            series: slug,
            parts,
        });
    }
    let planned_date = file
        .and_then(|f| f.planned.iter().find(|p| p.part == number))
        .map(|p| p.date.datetime.clone());
    let new_file = match file {
        Some(_) => None,
        None => Some(PathBuf::from("content/series").join(format!("{slug}.md")))
            .filter(|rel| !options.root.join(rel).exists()),
    };
    Ok(SeriesPart {
        slug,
        number,
        planned_date,
        new_file,
    })
}

/// Creates `root/rel` with `text`, refusing an existing file (anything there, a symbolic link
/// too), never writing through a link, folders on the way included: [`crate::fsx`].
fn write_new(root: &Path, rel: &Path, text: &str) -> Result<(), NewError> {
    let path = root.join(rel);
    if let Some(parent) = rel.parent() {
        crate::fsx::create_dirs(root, parent).map_err(|e| NewError::CreateFolder {
            path: root.join(parent),
            reason: e.to_string(),
        })?;
    }
    match crate::fsx::create_new(&path, text.as_bytes()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(NewError::Exists(rel.to_path_buf()))
        }
        Err(e) => Err(NewError::CreateFile {
            path,
            reason: e.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_series_title_keeps_the_accents_the_site_already_writes() {
        let none = content::Content::default();
        let title = |typed: &[&str]| series_title("conte-de-noel", typed, &none);
        // From --series as typed, or from the new post's title.
        assert_eq!(title(&["Conte de Noël", "x"]).text, "Conte de Noël");
        assert_eq!(
            title(&["conte-de-noel", "Conte de Noël (1/3) : l'attente"]).text,
            "Conte de Noël"
        );
        assert_eq!(
            title(&["conte-de-noel", "Mon conte de Noël, enfin"]),
            SeriesTitle {
                text: "Conte de Noël".into(),
                from_slug: false
            }
        );
        // Nothing to guess from: the slug, capitalised, and said to be so.
        assert_eq!(
            title(&["conte-de-noel", "La file d'attente"]),
            SeriesTitle {
                text: "Conte de noel".into(),
                from_slug: true
            }
        );
        assert_eq!(
            words_for("noel", "« Noël » au guichet"),
            Some("Noël".into())
        );
        assert_eq!(words_for("a-b", "a c b"), None);
    }

    #[test]
    fn kinds_and_sections() {
        assert_eq!(What::parse("author"), Some(What::Author));
        assert_eq!(What::parse("irritant"), Some(What::Post(Kind::Irritant)));
        assert_eq!(What::parse("billet"), None);
        assert_eq!(
            section_of(&NewSections::default(), Kind::Irritant),
            "decryptages"
        );
    }
}
