//! The import's report: what the export held, how it was mapped, what was written, and what is
//! left to do by hand. Printed on stdout at the end, `--dry-run` or not.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use super::files::{Planned, State, Written};

/// A category slug as a TOML key: bare when it can be.
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    match bare {
        true => key.to_string(),
        false => serde_json::to_string(key).unwrap_or_default(),
    }
}

/// What `chronique import wordpress` found and did.
#[derive(Debug, Default)]
pub struct Report {
    /// Items by `wp:post_type`, then by `wp:status`.
    pub items: BTreeMap<String, BTreeMap<String, usize>>,
    /// (category name, WordPress slug, section, kind).
    pub sections: Vec<(String, String, String, Option<&'static str>)>,
    /// Tag slugs that are irritants (the map's).
    pub irritant_tags: Vec<String>,
    /// Series recognised: (title, slug, parts found, parts).
    pub series: Vec<(String, String, Vec<String>, u32)>,
    /// Breakdowns recognised: (title, steps, findings).
    pub breakdowns: Vec<(String, usize, usize)>,
    /// Approved comments archived, and the others (pending, spam, trash, pingbacks) dropped.
    pub comments: usize,
    pub comments_dropped: usize,
    /// Whether a `--map` file was given.
    pub mapped: bool,
    /// Categories the `--map` file names that the export does not have.
    pub unknown_in_map: Vec<String>,
    /// (name, slug).
    pub authors: Vec<(String, String)>,
    /// By kind of file: [created, unchanged, replaced, kept].
    pub files: BTreeMap<Written, [usize; 4]>,
    pub conflicts: Vec<PathBuf>,
    /// Files with a symbolic link (or a special file) where they or their folders would go.
    pub blocked: Vec<PathBuf>,
    /// Posts and pages given a `/p/<id>/` alias, for the old `/?p=<id>` links.
    pub query_links: usize,
    /// Links between imported posts made `@/` links.
    pub internal_links: usize,
    /// (old link, why it is not an alias).
    pub skipped_aliases: Vec<(String, String)>,
    /// (title, why): posts and pages not imported.
    pub not_imported: Vec<(String, String)>,
    /// (post title, URL): uploads referenced but not in the uploads folder (references kept).
    pub missing_media: Vec<(String, String)>,
    /// (title, why): imported, but to look at by hand.
    pub look_at: Vec<(String, String)>,
    /// Whether `--uploads` was given.
    pub uploads: bool,
    /// Shortcodes and embeds made chronique's: what → count.
    pub converted: BTreeMap<&'static str, usize>,
    /// Shortcodes kept as they are: name → count.
    pub shortcodes: BTreeMap<String, usize>,
    pub dry_run: bool,
    /// The section of posts without a category.
    pub default_section: &'static str,
}

impl Report {
    /// Counts a planned file by what is where it would go.
    pub(super) fn count(&mut self, file: &Planned, state: State, force: bool) {
        let slot = match (state, file.keep_existing, force) {
            (State::Blocked, _, _) => {
                self.blocked.push(file.rel.clone());
                return;
            }
            (State::Missing, _, _) => 0,
            (State::Same, _, _) => 1,
            (State::Different, true, _) => 3,
            (State::Different, false, true) => 2,
            (State::Different, false, false) => {
                self.conflicts.push(file.rel.clone());
                return;
            }
        };
        self.files.entry(file.what).or_default()[slot] += 1;
    }

    /// Whether the run changed (or would change) no file.
    pub fn unchanged(&self) -> bool {
        self.conflicts.is_empty()
            && self.blocked.is_empty()
            && self.files.values().all(|c| c[0] == 0 && c[2] == 0)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "WordPress export:")?;
        for (kind, statuses) in &self.items {
            let list: Vec<String> = statuses.iter().map(|(s, n)| format!("{n} {s}")).collect();
            writeln!(f, "  {kind}: {}", list.join(", "))?;
        }
        writeln!(
            f,
            "  (only posts and pages are imported; the other types are counted)"
        )?;
        self.mapping(f)?;
        writeln!(f, "authors:")?;
        for (name, slug) in &self.authors {
            writeln!(f, "  {name} → content/authors/{slug}.md")?;
        }
        self.recognised(f)?;
        self.files_section(f)?;
        self.to_do(f)?;
        let verb = if self.dry_run {
            "would change"
        } else {
            "changed"
        };
        match self.unchanged() {
            true => writeln!(f, "nothing to do: the site already holds this export"),
            false => writeln!(
                f,
                "{}",
                if self.dry_run {
                    format!("dry run: nothing written ({verb} the files above)")
                } else {
                    "done: `chronique build` to see the site".into()
                }
            ),
        }
    }
}

impl Report {
    /// The mapping used, as the TOML of a `--map` file.
    fn mapping(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let given = match self.mapped {
            true => "the --map file's, and the defaults for the rest",
            false => {
                "the defaults; save it as map.toml, edit it, and give --map map.toml to change it"
            }
        };
        writeln!(f, "mapping ({given}):")?;
        for (name, nicename, section, kind) in &self.sections {
            writeln!(f, "  [categories.{}]  # {name}", toml_key(nicename))?;
            writeln!(f, "  section = \"{section}\"")?;
            if let Some(kind) = kind {
                writeln!(f, "  kind = \"{kind}\"")?;
            }
        }
        let tags: Vec<String> = self
            .irritant_tags
            .iter()
            .map(|t| format!("\"{t}\""))
            .collect();
        writeln!(
            f,
            "  [tags]  # these tags are irritants; the others are tags"
        )?;
        writeln!(f, "  irritants = [{}]", tags.join(", "))?;
        writeln!(
            f,
            "  (posts without a category: content/{}/)",
            self.default_section
        )?;
        for slug in &self.unknown_in_map {
            writeln!(
                f,
                "  the --map file names the category {slug}, which the export does not have"
            )?;
        }
        Ok(())
    }

    fn recognised(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (title, slug, found, parts) in &self.series {
            writeln!(
                f,
                "series « {title} » → content/series/{slug}.md: parts {} of {parts}",
                found.join(", ")
            )?;
        }
        for (title, steps, findings) in &self.breakdowns {
            writeln!(
                f,
                "breakdown « {title} »: kind irritant, {steps} steps, {findings} findings"
            )?;
        }
        Ok(())
    }

    fn missing_media(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.missing_media.is_empty() {
            return Ok(());
        }
        let why = match self.uploads {
            true => "not in the uploads folder",
            false => "no --uploads folder given (the wp-content/uploads folder of the backup)",
        };
        writeln!(
            f,
            "uploads not copied ({why}): their references are kept as they are, to the old site:"
        )?;
        for (title, url) in &self.missing_media {
            writeln!(f, "  « {title} »: {url}")?;
        }
        Ok(())
    }

    fn files_section(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (new, replaced) = match self.dry_run {
            true => ("to create", "to replace"),
            false => ("created", "replaced"),
        };
        writeln!(f, "files:")?;
        for (what, [created, same, replace, kept]) in &self.files {
            let name = match what {
                Written::Post => "posts",
                Written::Page => "pages",
                Written::Author => "authors",
                Written::Section => "sections",
                Written::Series => "series",
                Written::Comments => {
                    "comment files (comments/, approved comments, no e-mail nor IP)"
                }
                Written::Media => "images and other uploads (copied beside their post)",
            };
            write!(f, "  {name}: {created} {new}, {same} unchanged")?;
            if *replace > 0 {
                write!(f, ", {replace} {replaced}")?;
            }
            if *kept > 0 {
                write!(
                    f,
                    ", {kept} kept (the section's _index.md is there already)"
                )?;
            }
            writeln!(f)?;
        }
        for path in &self.conflicts {
            writeln!(
                f,
                "  conflict: {} exists with other contents (--force replaces it)",
                path.display()
            )?;
        }
        for path in &self.blocked {
            writeln!(
                f,
                "  refused: {} or a folder on its way is a symbolic link (or not a regular file): the import never writes through one",
                path.display()
            )?;
        }
        Ok(())
    }

    fn to_do(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (title, why) in &self.not_imported {
            writeln!(f, "not imported: « {title} »: {why}")?;
        }
        if self.comments + self.comments_dropped > 0 {
            writeln!(
                f,
                "comments: {} approved archived; {} dropped (pending, spam, trash, pingbacks)",
                self.comments, self.comments_dropped
            )?;
        }
        for (title, why) in &self.look_at {
            writeln!(f, "to look at: « {title} »: {why}")?;
        }
        self.missing_media(f)?;
        if !self.converted.is_empty() {
            let list: Vec<String> = (self.converted.iter())
                .map(|(what, n)| {
                    let into = match *what {
                        "caption" | "gallery" | "image block" => "figure",
                        _ => "video",
                    };
                    format!("{what} ×{n} → {into}")
                })
                .collect();
            writeln!(f, "shortcodes and embeds converted: {}", list.join(", "))?;
        }
        if !self.shortcodes.is_empty() {
            let list: Vec<String> = self
                .shortcodes
                .iter()
                .map(|(s, n)| format!("[{s}] ×{n}"))
                .collect();
            writeln!(
                f,
                "shortcodes kept as they are, to convert by hand: {}",
                list.join(", ")
            )?;
        }
        for (link, why) in &self.skipped_aliases {
            writeln!(f, "no alias for {link}: {why}")?;
        }
        if self.internal_links > 0 {
            writeln!(
                f,
                "links between imported posts made @/ links (checked by each build): {}",
                self.internal_links
            )?;
        }
        if self.query_links > 0 {
            writeln!(
                f,
                "old /?p=<id> links: {} posts and pages also answer at /p/<id>/; a static host ignores the query of /?p=14 and serves the home page, so add one rule to your host to send it there (see docs/commands.md):",
                self.query_links
            )?;
            writeln!(f, "  Netlify (static/_redirects):  /  p=:id  /p/:id/  301")?;
            writeln!(
                f,
                "  Apache (.htaccess):  RewriteCond %{{QUERY_STRING}} ^p=([0-9]+)$  then  RewriteRule ^$ /p/%1/? [R=301,L]"
            )?;
        }
        Ok(())
    }
}
