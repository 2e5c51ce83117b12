//! A post: its front matter checked and typed, its Markdown body kept for later rendering.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::date::PostDate;
use super::located::{Located, located, section_of};
use crate::diagnostics::{Diagnostic, Location, did_you_mean};
use crate::front_matter::{self, Split};
use crate::slug::slugify;
use crate::source::SourceFile;

/// The four genres of the column; each picks its own template, `<kind>.html`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Breve,
    Conte,
    Irritant,
    Article,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Breve, Kind::Conte, Kind::Irritant, Kind::Article];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Breve => "breve",
            Kind::Conte => "conte",
            Kind::Irritant => "irritant",
            Kind::Article => "article",
        }
    }

    fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// A lead image with its credit line.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Image {
    pub src: String,
    #[serde(default)]
    pub alt: String,
    pub credit: Option<String>,
}

/// One finding of an irritant breakdown (checked in depth by the breakdown stage).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: String,
    pub effort: Option<String>,
    pub title: String,
    pub detail: String,
    pub steps: Vec<u32>,
    /// Where its values are written, so that messages point at them even when two findings
    /// share a title.
    pub at: FindingLocations,
}

/// Where the values of a finding are in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingLocations {
    pub kind: Location,
    pub effort: Option<Location>,
    /// One per number of `steps`.
    pub steps: Vec<Location>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFinding {
    kind: Spanned<String>,
    effort: Option<Spanned<String>>,
    title: String,
    #[serde(default)]
    detail: String,
    #[serde(default)]
    steps: Vec<Spanned<u32>>,
}

impl RawFinding {
    fn locate(self, split: &Split<'_>, path: &Path) -> Finding {
        let at = |s: &serde_saphyr::Location| front_matter::spanned_location(s, split, path);
        Finding {
            at: FindingLocations {
                kind: at(&self.kind.referenced),
                effort: self.effort.as_ref().map(|e| at(&e.referenced)),
                steps: self.steps.iter().map(|s| at(&s.referenced)).collect(),
            },
            kind: self.kind.value,
            effort: self.effort.map(|e| e.value),
            title: self.title,
            detail: self.detail,
            steps: self.steps.into_iter().map(|s| s.value).collect(),
        }
    }
}

/// Where the terms of a post are written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermLocations {
    pub irritants: Vec<Location>,
    pub tags: Vec<Location>,
}

/// The structured part of a *décryptage d'irritant*.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Breakdown {
    pub context: Option<String>,
    pub steps: Vec<String>,
    pub findings: Vec<Finding>,
    pub basics: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPost {
    title: String,
    date: Spanned<String>,
    kind: Option<Spanned<String>>,
    authors: Option<Vec<Spanned<String>>>,
    series: Option<Spanned<String>>,
    part: Option<Spanned<u32>>,
    irritants: Option<Vec<Spanned<String>>>,
    tags: Option<Vec<Spanned<String>>>,
    summary: Option<String>,
    image: Option<Image>,
    draft: Option<bool>,
    slug: Option<Spanned<String>>,
    updated: Option<Spanned<String>>,
    aliases: Option<Vec<Spanned<String>>>,
    context: Option<String>,
    steps: Option<Vec<String>>,
    findings: Option<Vec<RawFinding>>,
    basics: Option<Vec<String>>,
}

/// A post of the column, as its file says.
#[derive(Debug, Clone)]
pub struct Post {
    /// `content/breves/x.md`
    pub path: PathBuf,
    /// `breves/x.md`
    pub rel: PathBuf,
    /// The folder under `content/`, if any.
    pub section: Option<String>,
    pub slug: String,
    pub title: String,
    pub date: PostDate,
    pub updated: Option<PostDate>,
    pub kind: Kind,
    pub authors: Vec<Located<String>>,
    pub series: Option<Located<String>>,
    pub part: Option<Located<u32>>,
    pub irritants: Vec<String>,
    pub tags: Vec<String>,
    /// Where each of `irritants` and `tags` is written, same order, for messages about terms.
    pub term_locations: TermLocations,
    /// The `summary` key, Markdown.
    pub summary: Option<String>,
    pub image: Option<Image>,
    pub draft: bool,
    pub aliases: Vec<Located<String>>,
    pub breakdown: Option<Breakdown>,
    pub body: Body,
    /// Line of the file where the body starts: body offsets are shifted by it in messages.
    pub body_line: usize,
    /// The whole file, to show offending lines in later messages.
    pub text: Arc<str>,
    /// A hash of the path and the whole file: everything a post's own page and list items are
    /// made of, besides the rest of the site. Rebuilds compare it to see which posts changed.
    pub digest: u64,
}

/// A post's body: the part of its file's text after the front matter, sharing the file's text
/// rather than copying it (on a large column the bodies are most of the memory).
#[derive(Debug, Clone)]
pub struct Body {
    text: Arc<str>,
    range: std::ops::Range<usize>,
}

impl Body {
    /// `body`, a slice of `text`, as a shared part of it (copied only if it is not a slice).
    pub fn within(text: &Arc<str>, body: &str) -> Body {
        let start = (body.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
        match text.get(start..start + body.len()) {
            Some(part) if std::ptr::eq(part, body) => Body {
                text: Arc::clone(text),
                range: start..start + body.len(),
            },
            _ => Body::from(body),
        }
    }

    /// Whether both are the same part of the same shared text (so certainly equal).
    pub fn same(&self, other: &Body) -> bool {
        Arc::ptr_eq(&self.text, &other.text) && self.range == other.range
    }
}

impl Post {
    /// Lets the body's text go once it is rendered, keeping the front matter's, which later
    /// messages may quote (an alias that collides): on a large column the bodies are most of
    /// the memory a build holds. Only for a build that will not read the Markdown again.
    pub fn release_body(&mut self) {
        if Arc::ptr_eq(&self.body.text, &self.text) {
            self.text = Arc::from(&self.text[..self.body.range.start]);
        }
        self.body = Body::from("");
    }
}

impl From<&str> for Body {
    fn from(body: &str) -> Body {
        Body {
            text: Arc::from(body),
            range: 0..body.len(),
        }
    }
}

impl std::ops::Deref for Body {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text[self.range.clone()]
    }
}

impl Post {
    pub fn parse(file: &SourceFile, split: &Split<'_>) -> Result<Post, Diagnostic> {
        let path = &file.path;
        let raw: RawPost = front_matter::parse_yaml(split, &file.text, path)?;
        let at = |s: &Spanned<String>| front_matter::spanned_location(&s.referenced, split, path);

        let date = PostDate::parse(&raw.date.value)
            .map_err(|m| Diagnostic::error(Some(at(&raw.date)), m).with_source(&file.text))?;
        let updated = match &raw.updated {
            Some(u) => Some(
                PostDate::parse(&u.value)
                    .map_err(|m| Diagnostic::error(Some(at(u)), m).with_source(&file.text))?,
            ),
            None => None,
        };
        let kind = match &raw.kind {
            None => Kind::Article,
            Some(k) => Kind::from_name(k.value.trim()).ok_or_else(|| {
                let names = Kind::ALL.map(Kind::name);
                let mut d = Diagnostic::error(Some(at(k)), format!("unknown kind \"{}\"", k.value))
                    .with_source(&file.text);
                if let Some(hint) = did_you_mean(&k.value, names) {
                    d = d.with_note(format!("did you mean `{hint}`?"));
                }
                d.with_note(format!("kinds: {}", names.join(", ")))
            })?,
        };
        let stem = file
            .rel
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let slug = match &raw.slug {
            Some(s) => {
                let slug = slugify(&s.value);
                if slug.is_empty() {
                    return Err(Diagnostic::error(
                        Some(at(s)),
                        format!("slug \"{}\" has no letter or digit", s.value),
                    )
                    .with_source(&file.text));
                }
                slug
            }
            None => slugify(&stem),
        };
        if slug.is_empty() {
            return Err(Diagnostic::error(
                Some(crate::diagnostics::Location::file(path)),
                "the file name gives an empty slug: rename the file or set `slug`",
            ));
        }
        let spans = |list: &Option<Vec<Spanned<String>>>| -> Vec<Location> {
            list.iter().flatten().map(&at).collect()
        };
        let values = |list: Option<Vec<Spanned<String>>>| -> Vec<String> {
            list.into_iter().flatten().map(|s| s.value).collect()
        };
        let has_breakdown = raw.context.is_some()
            || raw.steps.is_some()
            || raw.findings.is_some()
            || raw.basics.is_some();
        Ok(Post {
            path: path.clone(),
            rel: file.rel.clone(),
            section: section_of(&file.rel),
            slug,
            title: raw.title,
            date,
            updated,
            kind,
            authors: raw
                .authors
                .unwrap_or_default()
                .into_iter()
                .map(|a| located(a, split, path))
                .collect(),
            series: raw.series.map(|s| located(s, split, path)),
            part: raw.part.map(|p| located(p, split, path)),
            term_locations: TermLocations {
                irritants: spans(&raw.irritants),
                tags: spans(&raw.tags),
            },
            irritants: values(raw.irritants),
            tags: values(raw.tags),
            summary: raw.summary,
            image: raw.image,
            draft: raw.draft.unwrap_or(false),
            aliases: raw
                .aliases
                .unwrap_or_default()
                .into_iter()
                .map(|a| located(a, split, path))
                .collect(),
            breakdown: has_breakdown.then(|| Breakdown {
                context: raw.context,
                steps: raw.steps.unwrap_or_default(),
                findings: raw
                    .findings
                    .unwrap_or_default()
                    .into_iter()
                    .map(|f| f.locate(split, path))
                    .collect(),
                basics: raw.basics.unwrap_or_default(),
            }),
            body: Body::within(&file.text, split.body),
            body_line: split.body_line,
            text: file.text.clone(),
            digest: {
                let mut h = std::hash::DefaultHasher::new();
                std::hash::Hash::hash(&(&file.path, &*file.text), &mut h);
                std::hash::Hasher::finish(&h)
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::ContentKind;

    fn parse(text: &str) -> Result<Post, Diagnostic> {
        let file = SourceFile {
            path: Path::new("content/breves/punition.md").into(),
            rel: Path::new("breves/punition.md").into(),
            kind: ContentKind::Post,
            text: text.into(),
        };
        let split = front_matter::split(&file.text, &file.path)?;
        Post::parse(&file, &split)
    }

    /// The keys offered for an unknown one are RawPost's (a flattened field would leave none).
    #[test]
    fn the_known_keys_are_the_fields_of_raw_post() {
        let keys = crate::config::field_names::<RawPost>();
        assert_eq!(keys.len(), 18, "{keys:?}");
        assert_eq!((keys[0], keys[17]), ("title", "basics"));
        assert_eq!(
            crate::config::field_names::<RawFinding>(),
            ["kind", "effort", "title", "detail", "steps"]
        );
    }

    #[test]
    fn a_breve() {
        let p = parse("---\ntitle: La punition\ndate: 2019-12-17\nkind: breve\nauthors: [claire]\n---\nTexte.\n").unwrap();
        assert_eq!(p.slug, "punition");
        assert_eq!(p.section.as_deref(), Some("breves"));
        assert_eq!(p.kind, Kind::Breve);
        assert_eq!(p.authors[0].value, "claire");
        assert_eq!(p.authors[0].location.line, 5);
        assert_eq!(p.body_line, 7);
    }

    #[test]
    fn unknown_kind_with_hint() {
        let e = parse("---\ntitle: T\ndate: 2019-12-17\nkind: brev\n---\n").unwrap_err();
        assert_eq!(
            e.headline(),
            "content/breves/punition.md:4:7: unknown kind \"brev\""
        );
        assert_eq!(e.notes[0], "did you mean `breve`?");
    }

    #[test]
    fn bad_date_points_at_the_value() {
        let e = parse("---\ntitle: T\ndate: 2019-02-30\n---\n").unwrap_err();
        assert!(
            e.headline()
                .starts_with("content/breves/punition.md:3:7: invalid date \"2019-02-30\""),
            "{}",
            e.headline()
        );
    }

    #[test]
    fn slug_key_is_sanitised() {
        let p = parse("---\ntitle: T\ndate: 2019-12-17\nslug: ../../etc\n---\n").unwrap();
        assert_eq!(p.slug, "etc");
    }
}
