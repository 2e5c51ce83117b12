//! Aliases: the old addresses of a post (`aliases` in its front matter), each a redirect page
//! written inside the output folder. An alias is a path on this site or an error: never a URL
//! elsewhere, never a way out of the output folder.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::model::{Alias, Redirect};
use crate::content::Located;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::source::StaticFile;

/// The redirect pages of a post's aliases: `/ancienne/adresse/` → `ancienne/adresse/index.html`,
/// `/vieux.html` → `vieux.html` (a query or fragment is dropped). A bad alias is an error at
/// where it is written, and left out.
pub fn of(aliases: &[Located<String>], text: &str, diagnostics: &mut Diagnostics) -> Vec<Alias> {
    let mut out = Vec::new();
    for alias in aliases {
        let raw = alias.value.trim();
        let path = raw
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .trim_start_matches('/');
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        // `//host/x/` is an address on another site, as a browser reads it.
        let bad = segments.is_empty()
            || raw.contains("://")
            || raw.starts_with("//")
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
                .with_source(text),
            );
            continue;
        }
        if let Some(why) = segments.iter().find_map(|s| crate::slug::problem(s)) {
            diagnostics.push(
                Diagnostic::error(
                    Some(alias.location.clone()),
                    format!(
                        "alias \"{}\": a part of it {why}",
                        shorten_for_message(raw).escape_debug()
                    ),
                )
                .with_source(text),
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

/// A long alias cut for a message.
fn shorten_for_message(raw: &str) -> String {
    if raw.len() <= 80 {
        return raw.to_string();
    }
    let mut end = 80;
    while !raw.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &raw[..end])
}

/// Aliases that need a folder where the site has a file, or a file where it has a folder:
/// `/atom.xml` (a folder `atom.xml/` for its `index.html`, where the feed is), `/css/chronique.css`
/// (where a static file is). Each is an error at the alias; the files could not both be written.
/// `redirects`: the site's aliases; `generated`: every file the build makes (aliases included);
/// `statics`: the files copied, found below `root`.
pub fn conflicts(
    redirects: &[Redirect<'_>],
    root: &Path,
    generated: &[PathBuf],
    statics: &[StaticFile],
) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    if redirects.is_empty() {
        return diagnostics;
    }
    // Every file, with what it is; and every folder the files need, with one file in it.
    let mut files: HashMap<&Path, String> = HashMap::new();
    for path in generated {
        files
            .entry(path)
            .or_insert_with(|| format!("the generated file {}", display_path(path)));
    }
    for s in statics {
        let source = s.source.shown(root);
        files.insert(&s.dest, format!("the file {}", display_path(&source)));
    }
    let mut folders: HashSet<&Path> = HashSet::new();
    for path in files.keys() {
        folders.extend(
            path.ancestors()
                .skip(1)
                .filter(|a| !a.as_os_str().is_empty()),
        );
    }
    for r in redirects {
        let alias = r.alias;
        {
            let through_file = alias
                .path
                .ancestors()
                .skip(1)
                .find_map(|a| files.get(a).map(|what| (a, what)));
            let message = if let Some((file, what)) = through_file {
                format!(
                    "alias \"{}\" needs a folder {}/, but {} is a file of the site ({what}): choose another address",
                    alias.written,
                    display_path(file),
                    display_path(file)
                )
            } else if folders.contains(alias.path.as_path()) {
                format!(
                    "alias \"{}\" would be the file {}, but the site has a folder of that name: choose another address",
                    alias.written,
                    display_path(&alias.path)
                )
            } else {
                continue;
            };
            diagnostics
                .push(Diagnostic::error(Some(alias.location.clone()), message).with_source(r.text));
        }
    }
    diagnostics
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
        let aliases = of(&p.aliases, &p.text, &mut d);
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
            "date: 2020-01-01\naliases:\n  - https://ailleurs.fr/x/\n  - /../../etc/\n  - /\n  - /bon/\n  - /a%2e/\n  - //evil.example/x/\n  - /con/\n  - /a/nul.html",
        );
        let mut d = Diagnostics::new();
        let aliases = of(&p.aliases, &p.text, &mut d);
        assert_eq!(aliases.len(), 1);
        assert_eq!(aliases[0].written, "/bon/");
        let lines: Vec<usize> = d
            .errors()
            .map(|e| e.location.as_ref().unwrap().line)
            .collect();
        assert_eq!(lines, [5, 6, 7, 9, 10, 11, 12]);
        assert!(
            d.0[0]
                .headline()
                .ends_with("alias \"https://ailleurs.fr/x/\" is not a path on this site (write it like /ancienne/adresse/)"),
            "{}",
            d.0[0].headline()
        );
    }
}
