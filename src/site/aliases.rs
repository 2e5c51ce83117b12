//! Aliases: the old addresses of a post (`aliases` in its front matter), each a redirect page
//! written inside the output folder. An alias is a path on this site or an error: never a URL
//! elsewhere, never a way out of the output folder.

use std::path::PathBuf;

use super::model::Alias;
use crate::content::Post;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// The redirect pages of a post's aliases: `/ancienne/adresse/` → `ancienne/adresse/index.html`,
/// `/vieux.html` → `vieux.html` (a query or fragment is dropped). A bad alias is an error at
/// where it is written, and left out.
pub fn of(post: &Post, diagnostics: &mut Diagnostics) -> Vec<Alias> {
    let mut out = Vec::new();
    for alias in &post.aliases {
        let raw = alias.value.trim();
        let path = raw
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .trim_start_matches('/');
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let bad = segments.is_empty()
            || raw.contains("://")
            || segments.iter().any(|s| {
                *s == "."
                    || *s == ".."
                    || s.contains('\\')
                    || s.contains('%')
                    || s.contains(char::is_control)
            });
        if bad {
            diagnostics.push(
                Diagnostic::error(
                    Some(alias.location.clone()),
                    format!(
                        "alias \"{}\" is not a path on this site (write it like /ancienne/adresse/)",
                        raw.escape_debug()
                    ),
                )
                .with_source(&post.text),
            );
            continue;
        }
        let mut file: PathBuf = segments.iter().collect();
        if !path.ends_with(".html") && !path.ends_with(".htm") {
            file.push("index.html");
        }
        out.push(Alias {
            written: raw.to_string(),
            path: file,
            location: alias.location.clone(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testing::post;

    #[test]
    fn aliases_become_redirect_files() {
        let p = post(
            "breves/x.md",
            "date: 2020-01-01\naliases: [/ancienne/adresse/, 'vieux.html?a=1', /a//b#haut]",
        );
        let mut d = Diagnostics::new();
        let aliases = of(&p, &mut d);
        assert!(d.is_empty(), "{d:?}");
        let files: Vec<PathBuf> = aliases.iter().map(|a| a.path.clone()).collect();
        assert_eq!(
            files,
            [
                PathBuf::from("ancienne/adresse/index.html"),
                PathBuf::from("vieux.html"),
                PathBuf::from("a/b/index.html"),
            ]
        );
        assert_eq!(aliases[1].written, "vieux.html?a=1");
        assert_eq!(aliases[0].location.line, 4);
    }

    #[test]
    fn a_bad_alias_is_an_error_where_it_is_written_and_left_out() {
        let p = post(
            "breves/x.md",
            "date: 2020-01-01\naliases:\n  - https://ailleurs.fr/x/\n  - /../../etc/\n  - /\n  - /bon/\n  - /a%2e/",
        );
        let mut d = Diagnostics::new();
        let aliases = of(&p, &mut d);
        assert_eq!(aliases.len(), 1);
        assert_eq!(aliases[0].written, "/bon/");
        let lines: Vec<usize> = d
            .errors()
            .map(|e| e.location.as_ref().unwrap().line)
            .collect();
        assert_eq!(lines, [5, 6, 7, 9]);
        assert!(
            d.0[0]
                .headline()
                .ends_with("alias \"https://ailleurs.fr/x/\" is not a path on this site (write it like /ancienne/adresse/)"),
            "{}",
            d.0[0].headline()
        );
    }
}
