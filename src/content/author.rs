//! An author of the column, from `content/authors/<slug>.md`.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::front_matter::{self, Split};
use crate::language::Language;
use crate::slug::slugify;
use crate::source::SourceFile;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAuthor {
    name: String,
    role: Option<String>,
    avatar: Option<String>,
    links: Option<BTreeMap<String, String>>,
}

/// A person who signs posts.
#[derive(Debug, Clone, Hash)]
pub struct Author {
    /// The file name without `.md`: what posts write in `authors`.
    pub slug: String,
    pub name: String,
    pub role: Option<String>,
    pub avatar: Option<String>,
    /// Named links (site, email, LinkedIn…), in name order.
    pub links: BTreeMap<String, String>,
    /// The bio, Markdown.
    pub body: String,
}

impl Author {
    pub fn parse(
        file: &SourceFile,
        split: &Split<'_>,
        language: Language,
    ) -> Result<Author, Diagnostic> {
        let raw: RawAuthor = front_matter::parse_yaml(split, &file.text, &file.path, language)?;
        let stem = file
            .rel
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(Author {
            slug: slugify(&stem),
            name: raw.name,
            role: raw.role,
            avatar: raw.avatar,
            links: raw
                .links
                .unwrap_or_default()
                .into_iter()
                .map(|(name, url)| {
                    let url = link_url(&url);
                    (name, url)
                })
                .collect(),
            body: split.body.to_string(),
        })
    }
}

/// A contact link as written, made usable as an `href`: a bare e-mail address
/// (`claire@exemple.fr`) gets `mailto:`, a Mastodon handle (`@claire@mastodon.exemple`) becomes
/// the profile's URL, and anything else (a URL, `mailto:…`, `tel:…`) stays as written. Written
/// as is, the first two would be relative links to pages that do not exist.
fn link_url(raw: &str) -> String {
    let url = raw.trim();
    if let Some((user, host)) = url.strip_prefix('@').and_then(|h| h.split_once('@'))
        && !user.is_empty()
        && host.contains('.')
        && !url.contains([':', '/', ' '])
    {
        return format!("https://{host}/@{user}");
    }
    let is_bare_email = !url.contains([':', '/', ' '])
        && url
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
    if is_bare_email {
        format!("mailto:{url}")
    } else {
        url.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::{RawAuthor, link_url};

    #[test]
    fn the_known_keys_are_the_fields_of_raw_author() {
        assert_eq!(
            crate::config::field_names::<RawAuthor>(),
            ["name", "role", "avatar", "links"]
        );
    }

    #[test]
    fn bare_email_addresses_become_mailto_links() {
        assert_eq!(link_url("claire@exemple.fr"), "mailto:claire@exemple.fr");
        assert_eq!(
            link_url("mailto:claire@exemple.fr"),
            "mailto:claire@exemple.fr"
        );
        assert_eq!(
            link_url("https://mastodon.exemple/@claire"),
            "https://mastodon.exemple/@claire"
        );
        assert_eq!(
            link_url("@claire@mastodon.exemple"),
            "https://mastodon.exemple/@claire"
        );
        assert_eq!(link_url("tel:+33100000000"), "tel:+33100000000");
    }
}
