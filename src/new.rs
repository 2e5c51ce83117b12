//! `chronique new`: writes the file of a new post or author, front matter complete.
//!
//! It exists so that authors never copy front matter by hand from another post (and carry over
//! its date, its series or its findings by mistake). Each kind gets every key it needs, filled
//! with what is known (today's date, the author, the next free part of a series) and the optional
//! keys as comments to uncomment; a breakdown gets a skeleton of context, steps and findings. The
//! file written builds at once with no error, and an existing file is never overwritten.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::config::{Config, Language, NewSections};
use crate::content::{self, Kind};
use crate::diagnostics::{Diagnostic, display_path};
use crate::slug::{shorten, slugify};

/// The longest slug `new` makes from a title, in bytes: cut at a hyphen, it keeps the first
/// words of a long title (and the file name far from the file system's limit).
pub const MAX_SLUG: usize = 80;
use crate::source;

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
                "series \"{series}\" already has its {parts} parts; raise `parts` in content/series/{series}.md to add one"
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
    // A long title makes a readable address of its first words (a file name has a limit).
    let slug = shorten(&slugify(title), MAX_SLUG).to_string();
    if slug.is_empty() {
        return Err(NewError::NoSlug(title.to_string()));
    }
    if let Some(why) = crate::slug::problem(&slug) {
        return Err(NewError::BadSlug { why });
    }
    match options.what {
        What::Author => create_author(options, &config, title, &slug),
        What::Post(kind) => create_post(options, &config, kind, title, &slug),
    }
}

/// The site's `site.toml`, or why it cannot be used (there is none in `root`: not a column).
fn load_config(root: &Path) -> Result<Config, NewError> {
    Config::load(root, None).map_err(|diagnostic| NewError::Settings(Box::new(diagnostic)))
}

/// `new author`: `content/authors/<slug>.md`, named `name`.
fn create_author(
    options: &NewOptions,
    config: &Config,
    name: &str,
    slug: &str,
) -> Result<Created, NewError> {
    if options.series.is_some() {
        return Err(NewError::SeriesForAuthor);
    }
    if options.bundle {
        return Err(NewError::BundleForAuthor);
    }
    let rel = PathBuf::from("content/authors").join(format!("{slug}.md"));
    write_new(&options.root, &rel, &author_text(name, config.language))?;
    Ok(Created {
        path: rel,
        series_file: None,
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
    let series_file = part.and_then(|p| {
        // The post is written; a series file appearing meanwhile is left as it is.
        let rel = p.new_file?;
        let _ = write_new(&options.root, &rel, &series_text(&p.slug));
        Some(rel)
    });
    Ok(Created {
        path: rel,
        series_file,
    })
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

/// A string as a double-quoted YAML scalar.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What a new post's file is made from.
struct PostTemplate<'a> {
    kind: Kind,
    title: &'a str,
    date: &'a str,
    author: Option<&'a str>,
    part: Option<(&'a str, u32)>,
    efforts: &'a [&'a str],
    language: Language,
}

/// The text of a new post: every key it needs, the optional ones as comments, a breakdown's
/// skeleton for an irritant, and a body to replace.
fn post_text(t: &PostTemplate<'_>) -> String {
    let fr = t.language == Language::Fr;
    let mut s = String::from("---\n");
    s.push_str(&format!("title: {}\n", quoted(t.title)));
    s.push_str(&format!(
        "{:<26}# a later date schedules the post\n",
        format!("date: {}", t.date)
    ));
    s.push_str(&format!("kind: {}\n", t.kind.name()));
    s.push_str("draft: true               # remove this line to publish\n");
    match t.author {
        Some(a) => s.push_str(&format!("authors:\n  - {a}\n")),
        None => s.push_str(
            "# authors:                # slugs of files in content/authors/\n#   - prenom-nom\n",
        ),
    }
    match t.part {
        Some((series, n)) => s.push_str(&format!("series: {series}\npart: {n}\n")),
        None if t.kind == Kind::Conte => s.push_str(
            "# series: conte-de-noel    # a tale in several parts: content/series/<slug>.md\n# part: 1\n",
        ),
        None => {}
    }
    s.push_str("# irritants:              # the pain points it is about\n#   - \"Attente\"\n");
    s.push_str("# tags:\n#   - \"télécoms\"\n");
    s.push_str("# summary: \"One or two sentences for lists and feeds (Markdown).\"\n");
    s.push_str(
        "# image:\n#   src: photo.jpg         # next to this file, or /img/x.jpg under static/\n#   alt: \"What the image shows\"\n#   credit: \"Photographer\"\n",
    );
    s.push_str("# slug: other-address     # instead of the file name\n");
    s.push_str("# updated: 2026-01-31     # the date of the last revision\n");
    s.push_str(
        "# aliases:                # old addresses that redirect here\n#   - /ancienne/adresse/\n",
    );
    if t.kind == Kind::Irritant {
        s.push_str(&breakdown_skeleton(t.efforts, fr));
    }
    s.push_str("---\n");
    s.push_str(match (t.kind, fr) {
        (Kind::Irritant, true) => {
            "Ce qui aurait dû se passer, comment réparer, comment éviter l'irritant.\n"
        }
        (Kind::Irritant, false) => "What should have happened, how to repair, how to avoid it.\n",
        (_, true) => "Le texte commence ici.\n\n<!-- more -->\n\nLa suite.\n",
        (_, false) => "The text starts here.\n\n<!-- more -->\n\nThe rest.\n",
    });
    s
}

/// The front matter of an irritant's breakdown: a context and two steps to replace, and the
/// findings as commented examples (the effort one names one of the site's `efforts`).
fn breakdown_skeleton(efforts: &[&str], fr: bool) -> String {
    let effort = efforts.first().copied().unwrap_or("temps");
    format!(
        concat!(
            "context: {context}\n",
            "steps:                    # the customer's journey, numbered from 1\n",
            "  - {step1}\n",
            "  - {step2}\n",
            "findings: []              # problem, effort or frustration, at the steps they concern:\n",
            "#  - kind: problem\n",
            "#    title: \"What went wrong\"\n",
            "#    detail: \"How it went wrong\"\n",
            "#    steps: [1]\n",
            "#  - kind: effort\n",
            "#    effort: {effort}              # one of: {efforts}\n",
            "#    title: \"What the customer had to do\"\n",
            "#    detail: \"\"\n",
            "#    steps: [1, 2]\n",
            "#  - kind: frustration\n",
            "#    title: \"How it felt\"\n",
            "#    detail: \"\"\n",
            "#    steps: [2]\n",
            "# basics:                 # the basic promises broken\n",
            "#   - \"Faire ce que l'on a promis.\"\n",
        ),
        context = quoted(if fr {
            "Où, quand, qui : la situation du client avant le parcours."
        } else {
            "Where, when, who: the customer's situation before the journey."
        }),
        step1 = quoted(if fr {
            "Première étape du parcours."
        } else {
            "First step of the journey."
        }),
        step2 = quoted(if fr {
            "Deuxième étape."
        } else {
            "Second step."
        }),
        effort = effort,
        efforts = efforts.join(", "),
    )
}

/// The text of a new author's file: the name, the optional keys as comments, a bio to replace.
fn author_text(name: &str, language: Language) -> String {
    let bio = match language {
        Language::Fr => "Quelques lignes de présentation.",
        Language::En => "A few lines about the author.",
    };
    format!(
        concat!(
            "---\n",
            "name: {name}\n",
            "# role: \"Chroniqueuse\"\n",
            "# avatar: /img/portrait.jpg   # under static/\n",
            "# links:\n",
            "#   site: \"https://exemple.fr\"\n",
            "#   email: \"prenom@exemple.fr\"\n",
            "#   mastodon: \"@prenom@mastodon.exemple\"\n",
            "---\n",
            "{bio}\n",
        ),
        name = quoted(name),
        bio = bio,
    )
}

/// The text of a new series file: a title made from the slug, the optional keys as comments.
fn series_text(slug: &str) -> String {
    format!(
        concat!(
            "---\n",
            "title: {title}\n",
            "# parts: 3                 # how many parts it will have\n",
            "# planned:                 # parts announced before they are written\n",
            "#   - part: 2\n",
            "#     date: 2026-12-24\n",
            "#     title: \"Title of part 2\"\n",
            "#     outline:\n",
            "#       - \"What happens in it.\"\n",
            "---\n",
        ),
        title = quoted(&content::capitalise(&slug.replace('-', " "))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_strings_are_quoted() {
        assert_eq!(quoted("Ça \"marche\""), "\"Ça \\\"marche\\\"\"");
        assert_eq!(quoted("a\\b"), "\"a\\\\b\"");
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
