//! The site's own menus (`[[menu.main]]` and `[[menu.footer]]` in site.toml): each entry's
//! target made a URL and the entries put in order of weight.
//!
//! A `page` goes through the same [`Targets`] as an `@/` link in a post, so a menu reaches
//! whatever a post can link to, and a page that is not on the site is an error at its line in
//! site.toml rather than a link to nowhere on every page. A `url` is an outside address, kept as
//! written, or a path on the site, which gets the base path like every other URL.

use super::links::Targets;
use crate::config::{Config, MenuItem, MenuTarget};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::markdown;

/// The menus every page shows, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Menus {
    pub main: Vec<MenuEntry>,
    pub footer: Vec<MenuEntry>,
}

/// One link of a menu.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MenuEntry {
    /// As written, in the site's typography.
    pub name: String,
    /// A root-relative URL on the site (with the base path), or an outside address as written.
    pub url: String,
    /// Whether the link leaves the site (`http:`, `https:`, `mailto:`).
    pub external: bool,
}

/// The menus of `config`, their targets resolved through `targets`; every entry that goes
/// nowhere is reported, and left out.
pub fn resolve(config: &Config, targets: &Targets, diagnostics: &mut Diagnostics) -> Menus {
    let options = super::model::markdown_options(config);
    let mut menu = |items: &[MenuItem], table: &str| {
        let mut entries = Vec::with_capacity(items.len());
        for item in items {
            match target(item, table, &config.base_path, targets) {
                Ok((url, external)) => entries.push((
                    item.weight,
                    MenuEntry {
                        name: markdown::typeset(&options, &item.name),
                        url,
                        external,
                    },
                )),
                Err(d) => diagnostics.push(d.with_source(&config.text)),
            }
        }
        // Stable: entries of the same weight keep the order they are written in.
        entries.sort_by_key(|&(weight, _)| weight);
        entries.into_iter().map(|(_, e)| e).collect()
    };
    Menus {
        main: menu(&config.menus.main, "main"),
        footer: menu(&config.menus.footer, "footer"),
    }
}

/// The URL of `item` and whether it leaves the site, or an error at its target in site.toml.
fn target(
    item: &MenuItem,
    table: &str,
    base: &str,
    targets: &Targets,
) -> Result<(String, bool), Diagnostic> {
    let at = Some(item.location.clone());
    let entry = format!("the [[menu.{table}]] entry \"{}\"", item.name);
    match &item.target {
        MenuTarget::Page(page) => {
            let Some(path) = page.strip_prefix("@/") else {
                return Err(Diagnostic::error(
                    at,
                    format!(
                        "{entry} has page = \"{page}\": a page is a source file written as an internal link, like \"@/{}\"",
                        page.trim_start_matches('/')
                    ),
                ));
            };
            let (path, anchor) = path.split_at(path.find('#').unwrap_or(path.len()));
            match targets.resolve(path) {
                Some(url) => Ok((format!("{url}{anchor}"), false)),
                None => {
                    let why = targets.why(path);
                    let d = Diagnostic::error(at, format!("{entry} links to @/{path}: {why}"));
                    Err(match did_you_mean(path, targets.paths()) {
                        Some(hint) => d.with_note(format!("did you mean `@/{hint}`?")),
                        None => d,
                    })
                }
            }
        }
        MenuTarget::Url(url) => address(url, base).ok_or_else(|| {
            Diagnostic::error(
                at,
                format!(
                    "{entry} has url = \"{url}\": an outside address starts with https://, http:// or mailto:, and a path on the site with one / (\"/breves/\")"
                ),
            )
        }),
    }
}

/// The URL of a menu's `url` and whether it leaves the site: an outside address as written, a
/// path on the site under the base path `base`; None for anything else (a relative path, which
/// would change meaning from page to page, `//host/`, an unknown scheme, spaces).
fn address(url: &str, base: &str) -> Option<(String, bool)> {
    if url.is_empty() || url.contains(|c: char| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let lower = url.to_ascii_lowercase();
    let outside = ["https://", "http://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && url.len() > scheme.len());
    if outside {
        return Some((url.to_string(), true));
    }
    let path = url
        .strip_prefix('/')
        .filter(|rest| !rest.starts_with('/'))?;
    Some((format!("{base}{path}"), false))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::site::publish::Placed;
    use crate::site::testing::{config, post};

    fn targets() -> Targets {
        let placed = vec![Placed {
            post: post("breves/a-propos.md", "date: 2020-01-01"),
            preview: false,
            url: "/breves/a-propos/".into(),
            output: "breves/a-propos/index.html".into(),
        }];
        let unpublished = HashMap::from([("breves/brouillon.md".into(), "a draft".into())]);
        Targets::new(&placed, unpublished)
    }

    fn menus(site_toml: &str) -> (Menus, Vec<String>) {
        let config = config(site_toml);
        let mut d = Diagnostics::new();
        let menus = resolve(&config, &targets(), &mut d);
        let errors = d.0.iter().map(|e| e.to_string()).collect();
        (menus, errors)
    }

    #[test]
    fn outside_addresses_stay_and_paths_on_the_site_get_the_base_path() {
        assert_eq!(
            address("https://editions.example.fr/livre", "/chronique/"),
            Some(("https://editions.example.fr/livre".into(), true))
        );
        assert_eq!(
            address("mailto:claire@exemple.fr", "/"),
            Some(("mailto:claire@exemple.fr".into(), true))
        );
        assert_eq!(address("HTTP://E.FR", "/").map(|(_, e)| e), Some(true));
        assert_eq!(
            address("/breves/", "/chronique/"),
            Some(("/chronique/breves/".into(), false))
        );
        assert_eq!(
            address("/", "/chronique/"),
            Some(("/chronique/".into(), false))
        );
        for bad in [
            "breves/",
            "//autre.fr/x",
            "javascript:alert(1)",
            "ftp://e.fr",
            "https://",
            "",
            "/a b/",
        ] {
            assert_eq!(address(bad, "/"), None, "{bad}");
        }
    }

    #[test]
    fn entries_are_ordered_by_weight_and_ties_keep_the_written_order() {
        let (m, errors) = menus(
            "[[menu.main]]\nname = \"B\"\nurl = \"/b/\"\nweight = 5\n[[menu.main]]\nname = \"A\"\npage = \"@/breves/a-propos.md#fin\"\nweight = 1\n[[menu.main]]\nname = \"C\"\nurl = \"https://c.fr/\"\nweight = 5\n[[menu.footer]]\nname = \"L'avis\"\nurl = \"/avis/\"\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let main: Vec<(&str, &str, bool)> = (m.main.iter())
            .map(|e| (e.name.as_str(), e.url.as_str(), e.external))
            .collect();
        assert_eq!(
            main,
            [
                ("A", "/breves/a-propos/#fin", false),
                ("B", "/b/", false),
                ("C", "https://c.fr/", true),
            ]
        );
        // Typography, as for the site's title.
        assert_eq!(m.footer[0].name, "L\u{2019}avis");
    }

    #[test]
    fn a_page_not_on_the_site_is_an_error_at_its_line_with_a_hint() {
        let (m, errors) = menus(
            "[[menu.main]]\nname = \"À propos\"\npage = \"@/breves/apropos.md\"\n[[menu.footer]]\nname = \"Brouillon\"\npage = \"@/breves/brouillon.md\"\n[[menu.footer]]\nname = \"Nulle part\"\npage = \"breves/a-propos.md\"\n[[menu.footer]]\nname = \"Relatif\"\nurl = \"breves/\"\n",
        );
        assert!(m.main.is_empty() && m.footer.is_empty());
        assert_eq!(
            errors,
            [
                "error: site.toml:5:8: the [[menu.main]] entry \"À propos\" links to @/breves/apropos.md: content/breves/apropos.md does not exist\n  |\n5 | page = \"@/breves/apropos.md\"\n  |        ^\n  = did you mean `@/breves/a-propos.md`?",
                "error: site.toml:8:8: the [[menu.footer]] entry \"Brouillon\" links to @/breves/brouillon.md: it is not published (a draft)\n  |\n8 | page = \"@/breves/brouillon.md\"\n  |        ^",
                "error: site.toml:11:8: the [[menu.footer]] entry \"Nulle part\" has page = \"breves/a-propos.md\": a page is a source file written as an internal link, like \"@/breves/a-propos.md\"\n   |\n11 | page = \"breves/a-propos.md\"\n   |        ^",
                "error: site.toml:14:7: the [[menu.footer]] entry \"Relatif\" has url = \"breves/\": an outside address starts with https://, http:// or mailto:, and a path on the site with one / (\"/breves/\")\n   |\n14 | url = \"breves/\"\n   |       ^",
            ]
        );
    }
}
