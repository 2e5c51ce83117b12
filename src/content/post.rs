//! A post: its front matter checked and typed, its Markdown body kept for later rendering.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::date::PostDate;
use super::located::{Located, located, section_of};
use crate::diagnostics::{Diagnostic, Location, did_you_mean};
use crate::front_matter::{self, Split};
use crate::language::Language;
use crate::slug::slugify;
use crate::source::{SourceFile, bundle_folder};

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

/// A lead image with its caption and credit line.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Image {
    pub src: String,
    #[serde(default)]
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// One finding of an irritant breakdown (checked in depth by the breakdown stage).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
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
    authors: Option<List>,
    series: Option<Spanned<String>>,
    part: Option<Spanned<u32>>,
    irritants: Option<List>,
    tags: Option<List>,
    summary: Option<String>,
    image: Option<Image>,
    draft: Option<bool>,
    slug: Option<Spanned<String>>,
    updated: Option<Spanned<String>>,
    aliases: Option<List>,
    context: Option<String>,
    steps: Option<Vec<String>>,
    findings: Option<Vec<RawFinding>>,
    basics: Option<Vec<String>>,
}

/// Authors, terms and aliases: a list, or one value written alone (`irritants: Attente`), which
/// is what the writer meant — a list of one.
pub(super) type List = Spanned<OneOrMany>;

#[derive(Debug)]
pub(super) enum OneOrMany {
    One(String),
    Many(Vec<Spanned<String>>),
}

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(OneOrManyVisitor)
    }
}

struct OneOrManyVisitor;

impl<'de> serde::de::Visitor<'de> for OneOrManyVisitor {
    type Value = OneOrMany;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list like [Attente, Tarifs], or a single value")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OneOrMany, E> {
        Ok(OneOrMany::One(v.to_string()))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<OneOrMany, E> {
        Ok(OneOrMany::One(v.to_string()))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<OneOrMany, E> {
        Ok(OneOrMany::One(v.to_string()))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<OneOrMany, E> {
        Ok(OneOrMany::One(v.to_string()))
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<OneOrMany, E> {
        Ok(OneOrMany::One(v.to_string()))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element::<Spanned<String>>()? {
            items.push(item);
        }
        Ok(OneOrMany::Many(items))
    }
}

/// A date as French writers write it (« 12 mars 2024 », « 1er mars 2024 », « le 12/03/2024 »),
/// in the form the front matter wants (`2024-03-12`), when it is one.
fn french_date(text: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "janvier",
        "fevrier",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "aout",
        "septembre",
        "octobre",
        "novembre",
        "decembre",
    ];
    let folded = deunicode::deunicode(text).to_lowercase();
    let words: Vec<&str> = folded
        .split(|c: char| c.is_whitespace() || c == '/' || c == '.' || c == '-')
        .filter(|w| !w.is_empty() && *w != "le")
        .collect();
    let [day, month, year] = words.as_slice() else {
        return None;
    };
    let day: i8 = day.trim_end_matches("er").parse().ok()?;
    let month = match month.parse::<i8>() {
        Ok(m) => m,
        Err(_) => MONTHS.iter().position(|m| m == month)? as i8 + 1,
    };
    let year: i16 = year.parse().ok()?;
    let date = jiff::civil::Date::new(year, month, day).ok()?;
    Some(date.to_string())
}

/// The items of a [`List`], a single value located where it is written.
pub(super) fn list(value: Option<List>) -> Option<Vec<Spanned<String>>> {
    value.map(|s| match s.value {
        OneOrMany::Many(items) => items,
        OneOrMany::One(item) => vec![Spanned::new(item, s.referenced, s.defined)],
    })
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
    /// Its archived comments (`comments/`), read-only: see [`super::comments`].
    pub comments: Vec<super::comments::ArchivedComment>,
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
    /// This post with the body of `file`, when `file` is its file and its front matter is this
    /// post's byte for byte (`None` otherwise). Parsing is a function of the front matter's text
    /// and the path (the body is only kept), so the result is exactly what parsing `file` would
    /// give, with what was added since (typography, comments) kept: the digest keeps its part
    /// that is not the file's (the comments', see `attach_comments`).
    pub fn with_body_of(&self, file: &SourceFile) -> Option<Post> {
        let front = self.body.range.start;
        let same_text = Arc::ptr_eq(&self.body.text, &self.text);
        if !same_text || file.path != self.path || self.text.get(..front) != file.text.get(..front)
        {
            return None;
        }
        let split = front_matter::split(&file.text, &file.path).ok()?;
        let starts = split.body.as_ptr() as usize - file.text.as_ptr() as usize;
        if starts != front || split.body_line != self.body_line {
            return None;
        }
        let own = self.digest ^ digest_of(&self.path, &self.text);
        Some(Post {
            body: Body::within(&file.text, split.body),
            text: Arc::clone(&file.text),
            digest: digest(file) ^ own,
            ..self.clone()
        })
    }

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
    /// Checks and types the front matter of `file` (`split` from its text), keeping the body as
    /// a part of the file's shared text. The first problem met is the error, in the order of the
    /// steps: the YAML itself, the dates, the kind, the slug, the terms and series. Notes to the
    /// writer are in `language`, the site's.
    pub fn parse(
        file: &SourceFile,
        split: &Split<'_>,
        language: Language,
    ) -> Result<Post, Diagnostic> {
        let raw: RawPost = front_matter::parse_yaml(split, &file.text, &file.path, language)?;
        let front = Front {
            file,
            split,
            language,
        };
        let date = front.date(&raw.date)?;
        let updated = raw.updated.as_ref().map(|u| front.date(u)).transpose()?;
        let kind = front.kind(raw.kind.as_ref())?;
        let slug = front.slug(raw.slug.as_ref())?;
        let (irritants, tags, term_locations) = front.terms(list(raw.irritants), list(raw.tags))?;
        if let Some(series) = &raw.series {
            front.check_slug_of("series", series)?;
        }
        let breakdown = front.breakdown(raw.context, raw.steps, raw.findings, raw.basics);
        Ok(Post {
            path: file.path.clone(),
            rel: file.rel.clone(),
            section: section_of(&file.rel),
            slug,
            title: raw.title,
            date,
            updated,
            kind,
            authors: front.located_all(list(raw.authors)),
            series: raw.series.map(|s| front.located(s)),
            part: raw.part.map(|p| front.located(p)),
            term_locations,
            irritants,
            tags,
            summary: raw.summary,
            image: raw.image,
            draft: raw.draft.unwrap_or(false),
            aliases: front.located_all(list(raw.aliases)),
            breakdown,
            body: Body::within(&file.text, split.body),
            body_line: split.body_line,
            text: file.text.clone(),
            digest: digest(file),
            comments: Vec::new(),
        })
    }
}

/// The file a post is parsed from and where its front matter is in it: what each step of
/// [`Post::parse`] needs to say where a value is written.
pub(super) struct Front<'a> {
    pub(super) file: &'a SourceFile,
    pub(super) split: &'a Split<'a>,
    /// The site's: notes that show the writer a line as it should be are in it.
    pub(super) language: Language,
}

impl Front<'_> {
    /// Where `value` is written in the file.
    pub(super) fn at<T>(&self, value: &Spanned<T>) -> Location {
        front_matter::spanned_location(&value.referenced, self.split, &self.file.path)
    }

    /// An error pointing at `value`, showing its line.
    pub(super) fn error<T>(&self, value: &Spanned<T>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(Some(self.at(value)), message).with_source(&self.file.text)
    }

    /// `value` with where it is written.
    pub(super) fn located<T>(&self, value: Spanned<T>) -> Located<T> {
        located(value, self.split, &self.file.path)
    }

    /// Each value of a list key (`authors`, `aliases`) with where it is written; none when the
    /// key is absent.
    pub(super) fn located_all(&self, list: Option<Vec<Spanned<String>>>) -> Vec<Located<String>> {
        list.unwrap_or_default()
            .into_iter()
            .map(|v| self.located(v))
            .collect()
    }

    /// A `date` or `updated` value, or the error saying why it is not a date.
    pub(super) fn date(&self, value: &Spanned<String>) -> Result<PostDate, Diagnostic> {
        PostDate::parse(&value.value).map_err(|m| match french_date(&value.value) {
            Some(day) => {
                // The line as it should be: its key as written, then the date in figures.
                let at = self.at(value);
                let line = self.file.text.lines().nth(at.line - 1).unwrap_or("");
                let key: String = line.chars().take(at.column - 1).collect();
                let words = value.value.trim();
                self.error(
                    value,
                    format!("\"{words}\" is a date in words: write it in figures, year first"),
                )
                .with_note(front_matter::write_note(
                    self.language,
                    &format!("{key}{day}"),
                ))
            }
            None => self.error(value, m),
        })
    }

    /// The `kind` key: an article when absent; an unknown name is an error offering the
    /// nearest kind and listing them all.
    fn kind(&self, value: Option<&Spanned<String>>) -> Result<Kind, Diagnostic> {
        let Some(k) = value else {
            return Ok(Kind::Article);
        };
        Kind::from_name(k.value.trim()).ok_or_else(|| {
            let names = Kind::ALL.map(Kind::name);
            let mut d = self.error(k, format!("unknown kind \"{}\"", k.value));
            if let Some(hint) = did_you_mean(&k.value, names) {
                d = d.with_note(format!("did you mean `{hint}`?"));
            }
            d.with_note(format!("kinds: {}", names.join(", ")))
        })
    }

    /// The slug: the `slug` key's, made safe, or else the file name's (the folder's, for the
    /// `index.md` of a bundle). Either must keep a letter or digit.
    pub(super) fn slug(&self, value: Option<&Spanned<String>>) -> Result<String, Diagnostic> {
        let slug = match value {
            Some(s) => {
                let slug = slugify(&s.value);
                if slug.is_empty() {
                    return Err(
                        self.error(s, format!("slug \"{}\" has no letter or digit", s.value))
                    );
                }
                slug
            }
            None => slugify(&self.name().unwrap_or_default()),
        };
        // A bundle's slug is its folder's name.
        let (name, file) = match bundle_folder(&self.file.rel) {
            Some(_) => ("folder name", "folder"),
            None => ("file name", "file"),
        };
        if slug.is_empty() {
            return Err(Diagnostic::error(
                Some(Location::file(&self.file.path)),
                format!("the {name} gives an empty slug: rename the {file} or set `slug`"),
            ));
        }
        if let Some(why) = crate::slug::problem(&slug) {
            return Err(match value {
                Some(s) => self.error(s, format!("the slug {why}; choose another `slug`")),
                None => Diagnostic::error(
                    Some(Location::file(&self.file.path)),
                    format!("the slug made from the {name} {why}; rename the {file} or set `slug`"),
                ),
            });
        }
        Ok(slug)
    }

    /// The name a post's slug is made of when it sets none: its file's, without `.md`, or for a
    /// bundle (`articles/mon-billet/index.md`) its folder's.
    fn name(&self) -> Option<std::borrow::Cow<'_, str>> {
        let rel = &self.file.rel;
        match bundle_folder(rel) {
            Some(folder) => folder.file_name(),
            None => rel.file_stem(),
        }
        .map(|s| s.to_string_lossy())
    }

    /// A term (`what`: `irritant`, `tag`) or a series must make a slug that can be a folder
    /// of the output: one with a letter or digit (else the term would vanish, with no page),
    /// not too long, not a name Windows reserves.
    fn check_slug_of(&self, what: &str, value: &Spanned<String>) -> Result<(), Diagnostic> {
        let slug = slugify(&value.value);
        let shown = if value.value.len() > 60 {
            let mut end = 60;
            while !value.value.is_char_boundary(end) {
                end -= 1;
            }
            format!("{}…", &value.value[..end])
        } else {
            value.value.clone()
        };
        let why = if slug.is_empty() {
            "has no letter or digit to make its address from".to_string()
        } else {
            match crate::slug::problem(&slug) {
                Some(why) => format!("makes a slug that {why}"),
                None => return Ok(()),
            }
        };
        Err(self.error(value, format!("{what} \"{}\" {why}", shown.escape_debug())))
    }

    /// The `irritants` and `tags` keys: their values, and apart, where each is written. Each
    /// must make a slug ([`Front::check_slug_of`]).
    fn terms(
        &self,
        irritants: Option<Vec<Spanned<String>>>,
        tags: Option<Vec<Spanned<String>>>,
    ) -> Result<(Vec<String>, Vec<String>, TermLocations), Diagnostic> {
        for term in irritants.iter().flatten() {
            self.check_slug_of("irritant", term)?;
        }
        for term in tags.iter().flatten() {
            self.check_slug_of("tag", term)?;
        }
        let spans = |list: &Option<Vec<Spanned<String>>>| -> Vec<Location> {
            list.iter().flatten().map(|s| self.at(s)).collect()
        };
        let term_locations = TermLocations {
            irritants: spans(&irritants),
            tags: spans(&tags),
        };
        let values = |list: Option<Vec<Spanned<String>>>| -> Vec<String> {
            list.into_iter().flatten().map(|s| s.value).collect()
        };
        Ok((values(irritants), values(tags), term_locations))
    }

    /// The breakdown of an irritant, when any of its keys is there (whatever the kind: the
    /// breakdown stage says what a kind may have).
    fn breakdown(
        &self,
        context: Option<String>,
        steps: Option<Vec<String>>,
        findings: Option<Vec<RawFinding>>,
        basics: Option<Vec<String>>,
    ) -> Option<Breakdown> {
        let any = context.is_some() || steps.is_some() || findings.is_some() || basics.is_some();
        any.then(|| Breakdown {
            context,
            steps: steps.unwrap_or_default(),
            findings: findings
                .unwrap_or_default()
                .into_iter()
                .map(|f| f.locate(self.split, &self.file.path))
                .collect(),
            basics: basics.unwrap_or_default(),
        })
    }
}

/// A hash of the file's path and whole text, for [`Post::digest`].
pub(super) fn digest(file: &SourceFile) -> u64 {
    digest_of(&file.path, &file.text)
}

fn digest_of(path: &Path, text: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(&(path, text), &mut h);
    std::hash::Hasher::finish(&h)
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
        Post::parse(&file, &split, Language::Fr)
    }

    fn file(text: &str) -> SourceFile {
        SourceFile {
            path: Path::new("content/breves/punition.md").into(),
            rel: Path::new("breves/punition.md").into(),
            kind: ContentKind::Post,
            text: text.into(),
        }
    }

    /// A new body is what parsing gives (the digest's own part kept); a new front matter, or a
    /// body that moves where the front matter ends, is refused.
    #[test]
    fn a_new_body_is_taken_only_under_the_same_front_matter() {
        let front = "---\ntitle: Punition\ndate: 2020-01-01\ntags: [banque]\n---\n";
        let mut post = parse(&format!("{front}Un.\n")).unwrap();
        post.digest ^= 0x5eed;
        let edited = format!("{front}Deux.\n\nTrois.\n");
        let rebodied = post
            .with_body_of(&file(&edited))
            .expect("same front matter");
        let parsed = parse(&edited).unwrap();
        assert_eq!(&*rebodied.body, "Deux.\n\nTrois.\n");
        assert_eq!((rebodied.body_line, &*rebodied.text), (6, edited.as_str()));
        assert_eq!(rebodied.digest, parsed.digest ^ 0x5eed);
        assert_eq!((rebodied.title, rebodied.tags), (parsed.title, parsed.tags));
        for other in [
            "---\ntitle: Punition\ndate: 2020-01-02\ntags: [banque]\n---\nUn.\n",
            "---\ntitle: Punition\ndate: 2020-01-01\ntags: [banque]\n---",
            "---\ntitle: Punition\ndate: 2020-01-01\ntags: [banque]\nmore: 1\n---\nUn.\n",
        ] {
            assert!(post.with_body_of(&file(other)).is_none(), "{other:?}");
        }
        let elsewhere = SourceFile {
            path: "content/breves/autre.md".into(),
            ..file(&edited)
        };
        assert!(post.with_body_of(&elsewhere).is_none());
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
    fn a_bundle_takes_its_slug_from_its_folder_unless_slug_is_set() {
        let parse_at = |rel: &str, text: &str| {
            let file = SourceFile {
                path: Path::new("content").join(rel),
                rel: rel.into(),
                kind: ContentKind::Post,
                text: text.into(),
            };
            let split = front_matter::split(&file.text, &file.path)?;
            Post::parse(&file, &split, Language::Fr)
        };
        let front = "---\ntitle: T\ndate: 2019-12-17\n---\n";
        let p = parse_at("articles/Ça m'agace/index.md", front).unwrap();
        assert_eq!(
            (p.slug.as_str(), p.section.as_deref()),
            ("ca-m-agace", Some("articles"))
        );
        let p = parse_at(
            "articles/billet/index.md",
            "---\ntitle: T\ndate: 2019-12-17\nslug: autre\n---\n",
        )
        .unwrap();
        assert_eq!(p.slug, "autre");
        let e = parse_at("articles/!!!/index.md", front).unwrap_err();
        assert_eq!(
            e.headline(),
            "content/articles/!!!/index.md:1:1: the folder name gives an empty slug: rename the folder or set `slug`"
        );
    }

    #[test]
    fn slug_key_is_sanitised() {
        let p = parse("---\ntitle: T\ndate: 2019-12-17\nslug: ../../etc\n---\n").unwrap();
        assert_eq!(p.slug, "etc");
    }
}
