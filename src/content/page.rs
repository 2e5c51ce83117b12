//! A page: a Markdown file directly under `content/` (`mentions-legales.md`), or the `index.md`
//! of a folder there (`a-propos/index.md`, a bundle with its files). The law asks a French
//! column for its *mentions légales*; readers look for an *à propos* and a contact page. None
//! of them is a post: no date is needed, no genre, no author, and they appear in no list, feed
//! or taxonomy. Their front matter is checked like a post's, by the same steps.

use std::path::PathBuf;
use std::sync::Arc;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::date::PostDate;
use super::located::Located;
use super::post::{Body, Front, Image, List, digest, list};
use crate::diagnostics::Diagnostic;
use crate::front_matter::{self, Split};
use crate::language::Language;
use crate::source::SourceFile;

/// A page of the site, as its file says.
#[derive(Debug, Clone)]
pub struct Page {
    /// `content/mentions-legales.md`
    pub path: PathBuf,
    /// `mentions-legales.md`
    pub rel: PathBuf,
    pub slug: String,
    pub title: String,
    /// Shown when given; a page is never held back by its date.
    pub date: Option<PostDate>,
    pub updated: Option<PostDate>,
    /// For the meta description and the search index; else the first paragraph.
    pub description: Option<String>,
    /// The template to render it with, instead of `standalone.html`.
    pub template: Option<Located<String>>,
    pub image: Option<Image>,
    pub draft: bool,
    pub aliases: Vec<Located<String>>,
    pub body: Body,
    /// Line of the file where the body starts.
    pub body_line: usize,
    /// The whole file, to show offending lines in later messages.
    pub text: Arc<str>,
    /// A hash of the path and the whole file (see [`super::Post::digest`]).
    pub digest: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: String,
    description: Option<String>,
    date: Option<Spanned<String>>,
    updated: Option<Spanned<String>>,
    slug: Option<Spanned<String>>,
    template: Option<Spanned<String>>,
    image: Option<Image>,
    draft: Option<bool>,
    aliases: Option<List>,
}

/// The keys a post has and a page has not: written on a page, the writer meant a post.
const POST_KEYS: [&str; 12] = [
    "kind",
    "authors",
    "series",
    "part",
    "irritants",
    "tags",
    "summary",
    "context",
    "steps",
    "findings",
    "basics",
    "author",
];

impl Page {
    /// Checks and types the front matter of `file` (`split` from its text).
    pub fn parse(
        file: &SourceFile,
        split: &Split<'_>,
        language: Language,
    ) -> Result<Page, Diagnostic> {
        let raw: RawPage = front_matter::parse_yaml(split, &file.text, &file.path, language)
            .map_err(post_key_note)?;
        let front = Front {
            file,
            split,
            language,
        };
        let date = raw.date.as_ref().map(|d| front.date(d)).transpose()?;
        let updated = raw.updated.as_ref().map(|u| front.date(u)).transpose()?;
        let slug = front.slug(raw.slug.as_ref())?;
        let template = raw.template.map(|t| front.located(t));
        if let Some(t) = &template
            && !valid_template_name(&t.value)
        {
            return Err(Diagnostic::error(
                Some(t.location.clone()),
                format!(
                    "template \"{}\" is not a template name: write it like `contact.html`",
                    t.value.escape_debug()
                ),
            )
            .with_source(&file.text));
        }
        Ok(Page {
            path: file.path.clone(),
            rel: file.rel.clone(),
            slug,
            title: raw.title,
            date,
            updated,
            description: raw.description,
            template,
            image: raw.image,
            draft: raw.draft.unwrap_or(false),
            aliases: front.located_all(list(raw.aliases)),
            body: Body::within(&file.text, split.body),
            body_line: split.body_line,
            text: file.text.clone(),
            digest: digest(file),
        })
    }
}

/// A template of the theme, named as Tera names them: `contact.html`, `pages/contact.html`.
fn valid_template_name(name: &str) -> bool {
    name.ends_with(".html")
        && !name.starts_with('/')
        && name
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// An unknown key that a post would have: say that this file is a page, and where posts go.
fn post_key_note(d: Diagnostic) -> Diagnostic {
    let key = d
        .message
        .strip_prefix("unknown key `")
        .and_then(|rest| rest.strip_suffix('`'))
        .map(str::to_string);
    match key.as_deref() {
        Some(key) if POST_KEYS.contains(&key) => d.with_note(format!(
            "a file directly under content/ is a page, which has no `{key}`: a post goes in a section's folder, like content/breves/"
        )),
        _ => d,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::source::ContentKind;

    fn parse(rel: &str, text: &str) -> Result<Page, Diagnostic> {
        let file = SourceFile {
            path: Path::new("content").join(rel),
            rel: PathBuf::from(rel),
            kind: ContentKind::Page,
            text: text.into(),
        };
        let split = front_matter::split(&file.text, &file.path)?;
        Page::parse(&file, &split, Language::Fr)
    }

    #[test]
    fn a_page_needs_only_a_title() {
        let page = parse(
            "mentions-legales.md",
            "---\ntitle: Mentions légales\n---\nTexte.\n",
        )
        .unwrap();
        assert_eq!(page.slug, "mentions-legales");
        assert_eq!(page.title, "Mentions légales");
        assert!(page.date.is_none() && !page.draft && page.template.is_none());
        assert_eq!(&*page.body, "Texte.\n");
        assert_eq!(page.body_line, 4);
    }

    #[test]
    fn a_bundle_takes_its_folder_name_and_a_slug_key_wins() {
        let page = parse("À propos/index.md", "---\ntitle: À propos\n---\n").unwrap();
        assert_eq!(page.slug, "a-propos");
        let page = parse("contact.md", "---\ntitle: Contact\nslug: Écrire\n---\n").unwrap();
        assert_eq!(page.slug, "ecrire");
    }

    #[test]
    fn dates_are_checked_when_given() {
        let page = parse(
            "a-propos.md",
            "---\ntitle: À propos\ndate: 2024-03-12\nupdated: 2025-01-02\n---\n",
        )
        .unwrap();
        assert_eq!(page.date.unwrap().day.to_string(), "2024-03-12");
        let e = parse(
            "a-propos.md",
            "---\ntitle: À propos\ndate: 12 mars 2024\n---\n",
        )
        .unwrap_err();
        assert!(
            e.headline().starts_with("content/a-propos.md:3:7: "),
            "{e:?}"
        );
    }

    #[test]
    fn a_post_key_on_a_page_says_where_posts_go() {
        let e = parse("billet.md", "---\ntitle: Billet\nkind: breve\n---\n").unwrap_err();
        assert_eq!(e.headline(), "content/billet.md:3:1: unknown key `kind`");
        assert!(
            e.notes
                .iter()
                .any(|n| n.contains("a post goes in a section's folder")),
            "{:?}",
            e.notes
        );
    }

    #[test]
    fn a_template_is_a_name_of_the_theme() {
        let page = parse("contact.md", "---\ntitle: C\ntemplate: contact.html\n---\n").unwrap();
        assert_eq!(page.template.unwrap().value, "contact.html");
        for bad in ["../x.html", "contact", "/abs.html"] {
            let e = parse(
                "contact.md",
                &format!("---\ntitle: C\ntemplate: {bad}\n---\n"),
            )
            .unwrap_err();
            assert!(e.message.contains("is not a template name"), "{bad}: {e:?}");
        }
    }
}
