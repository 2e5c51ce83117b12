//! What a [`super::Session`] keeps between builds, and the rules for reusing it: only where
//! reusing it gives exactly what doing the work again would.
//!
//! - after a change to Markdown files only, only those files are read again
//!   ([`source::update`]); the sources are kept as read, and each build places the bundles'
//!   files again from them ([`super::bundles`]), so a new slug or a draft moves them;
//! - a file whose text is unchanged is not parsed again ([`content::ParseMemo`]);
//! - a post whose body, summary and links are unchanged is not rendered to HTML again
//!   ([`site::AssemblyMemo`]);
//! - when the templates, settings and structure of the site are unchanged, only the pages that
//!   read a changed post are rendered, and written in place ([`render::trace`], [`Memory::pages`]);
//! - when only posts' bodies changed, the site of the last build is patched rather than
//!   assembled again ([`Kept`], [`super::patch`]).

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::render::{search, trace};
use crate::site::Site;
use crate::source::Sources;
use crate::{content, output, site, source};

/// What a [`super::Session`] keeps between builds.
#[derive(Default)]
pub(super) struct Memory {
    /// The settings of the last build.
    pub(super) config: Option<Config>,
    /// The sources as last read.
    pub(super) sources: Option<Sources>,
    pub(super) parse: content::ParseMemo,
    pub(super) assembly: site::AssemblyMemo,
    /// The pages now in the output folder, with what each read: set by a build that wrote.
    pub(super) traces: Option<trace::Traces>,
    pub(super) search: search::Memo,
    /// The site of the last build that wrote, as the output holds it.
    pub(super) kept: Option<Kept>,
}

/// A build's site, kept to be patched ([`Site::patch`]), with what its report said.
pub(super) struct Kept {
    pub(super) site: Site,
    /// Every warning of the build (it had no error), sorted.
    pub(super) warnings: Diagnostics,
    /// The HTML pages of the output.
    pub(super) pages: usize,
}

impl Kept {
    /// The warnings once a patch took the problems `before` of its posts' Markdown away and
    /// brought the problems `after`.
    pub(super) fn patch_warnings(&mut self, before: Diagnostics, after: Diagnostics) {
        for gone in before.0 {
            if let Some(i) = self.warnings.0.iter().position(|d| *d == gone) {
                self.warnings.0.remove(i);
            }
        }
        self.warnings.extend(after.0);
        self.warnings.sort();
    }
}

impl Memory {
    /// Forgets the kept site and the pages' traces: the next build assembles and renders all.
    pub(super) fn forget_site(&mut self) {
        self.kept = None;
        self.traces = None;
    }

    /// The settings and the content of the last build, parsed: taken from the memo, so nothing
    /// is read or parsed again (for the editorial calendar of `chronique serve`).
    pub(super) fn last_content(&mut self) -> Option<(Config, content::Content)> {
        let config = self.config.clone()?;
        let sources = self.sources.as_ref()?;
        let (content, _) = content::parse_all_with(sources, config.language, Some(&mut self.parse));
        Some((config, content))
    }

    /// The sources of the last build brought up to date, when only Markdown files changed
    /// (`true`: then the site's templates and static files are the same); else `None`.
    pub(super) fn updated_sources(
        &mut self,
        config: &Config,
        changed: Option<&[PathBuf]>,
    ) -> Option<Sources> {
        let mut sources = self.sources.take()?;
        let changed = changed?;
        source::update(&mut sources, &config.root, changed).then_some(sources)
    }

    /// The pages of the last build, when this one may render only those whose posts changed
    /// and write them in place: only posts changed, the templates, settings and structure hash
    /// the same (`key`), and the output folder is still the one those pages are in.
    pub(super) fn pages(
        &self,
        only_posts_changed: bool,
        key: Option<u64>,
        output: &Path,
    ) -> Option<&trace::Traces> {
        self.traces.as_ref().filter(|t| {
            only_posts_changed && Some(t.key) == key && output.join(output::MARKER).is_file()
        })
    }
}
