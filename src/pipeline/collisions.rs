//! Files that would land where another one is, or on what is not chronique's. One rule for each:
//!
//! - A static file (from `static/`, the theme's `static/` or the built-in theme's, or
//!   `content/`) replaces a generated file of the same path, with a warning naming both: a site's
//!   own `robots.txt` or `sitemap.xml` is a choice, made visible.
//! - An alias at a static file's path is an error at the alias's line (an alias at a generated
//!   page's path is one too, reported by the renderer; one below a file, by
//!   `site::aliases::conflicts`).
//! - A static file or an alias that would write into a dotfile at the top of the output that is
//!   yours (`public/.git`, `public/.well-known/` made by hand) is an error at its location; so is
//!   one at the marker's path.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics, Location, display_path};
use crate::output::{self, MARKER};
use crate::site::Site;
use crate::source::{StaticFile, StaticSource};

/// The static files by their path inside the output.
pub(super) fn by_dest(statics: &[StaticFile]) -> HashMap<&Path, &StaticSource> {
    statics
        .iter()
        .map(|s| (s.dest.as_path(), &s.source))
        .collect()
}

/// The errors known before rendering: aliases on static files, and files on your dotfiles or
/// on the marker. `output` is the output folder whose dotfiles are looked at.
pub(super) fn check(
    site: &Site,
    statics: &[StaticFile],
    output: &Path,
    diagnostics: &mut Diagnostics,
) {
    let dests = by_dest(statics);
    let would_write = |rel: &Path| dests.get(rel).map(|&s| s.clone());
    let yours: HashSet<OsString> = output::users_dotfiles(output, &would_write)
        .into_iter()
        .collect();
    let top = |path: &Path| match path.components().next() {
        Some(Component::Normal(name)) => Some(name.to_os_string()),
        _ => None,
    };
    let root = site.config.root.as_path();
    let mut reported = HashSet::new();
    for s in statics {
        let Some(name) = top(&s.dest) else { continue };
        if name == MARKER {
            diagnostics.push(Diagnostic::error(
                Some(Location::file(s.source.shown(root))),
                format!(
                    "{MARKER} is the name of chronique's marker in the output: rename this file"
                ),
            ));
        } else if yours.contains(&name) && reported.insert(name.clone()) {
            let mine = output.join(&name);
            diagnostics.push(Diagnostic::error(
                Some(Location::file(s.source.shown(root))),
                format!(
                    "would replace {}, which is yours (chronique did not write it): move what you keep there into the site's static/{}, or remove one of them",
                    display_path(&mine),
                    name.to_string_lossy()
                ),
            ));
        }
    }
    for r in site.redirects() {
        let a = r.alias;
        {
            // (An alias below a static file, needing a folder where a file is, is reported
            // with the other path conflicts: `site::aliases::conflicts`.)
            let problem = if let Some(source) = dests.get(a.path.as_path()) {
                Some(format!(
                    "alias \"{}\" collides with the static file {}: both would be written to {}",
                    a.written,
                    display_path(&source.shown(root)),
                    display_path(&a.path)
                ))
            } else {
                match top(&a.path) {
                    Some(name) if name == MARKER => Some(format!(
                        "alias \"{}\" is at the path of chronique's marker {MARKER}",
                        a.written
                    )),
                    Some(name) if yours.contains(&name) => Some(format!(
                        "alias \"{}\" would write into {}, which is yours (chronique did not write it)",
                        a.written,
                        display_path(&output.join(&name))
                    )),
                    _ => None,
                }
            };
            if let Some(message) = problem {
                diagnostics
                    .push(Diagnostic::error(Some(a.location.clone()), message).with_source(r.text));
            }
        }
    }
}

/// A warning for each generated file a static file replaced (aliases are errors already).
pub(super) fn replaced(
    site: &Site,
    statics: &[StaticFile],
    mut paths: Vec<PathBuf>,
    diagnostics: &mut Diagnostics,
) {
    let dests = by_dest(statics);
    let redirects = site.redirects();
    let aliases: HashSet<&Path> = redirects.iter().map(|r| r.alias.path.as_path()).collect();
    paths.sort();
    paths.dedup();
    for path in paths {
        let Some(source) = dests.get(path.as_path()) else {
            continue;
        };
        if aliases.contains(path.as_path()) {
            continue;
        }
        diagnostics.push(Diagnostic::warning(
            Some(Location::file(source.shown(&site.config.root))),
            format!(
                "replaces the {} that chronique generates (a static file wins over a generated file of the same path)",
                display_path(&path)
            ),
        ));
    }
}
