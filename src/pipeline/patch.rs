//! The rebuild of `chronique serve` after posts' bodies were edited: read → patch → render
//! what shows them → write in place (`patched` in the spine runs these steps). The kept site of
//! the last build is patched ([`crate::site::Site::patch`], whose module says why that is
//! exact); parsing and assembling the other posts, hashing the site's structure, and the feeds,
//! sitemap and pages that do not show an edited post are skipped. Anything the patch cannot take
//! (a new post, a new title, a template) goes through the whole pipeline, as before; so does
//! the build after a patch that failed.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use super::memory::Memory;
use super::report::{self, BuildReport, Clock};
use super::writer::{self, Sink};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::output;
use crate::render::{self, Theme};
use crate::site::{Patch, Shortcodes};
use crate::source::{ContentKind, SourceFile, Sources, is_ignored_name};

/// The files of `changed`, when each one is a post of `sources` (files the reader leaves out,
/// such as an editor's, are passed over); `None` for anything else (a deleted file, a page).
pub(super) fn edited_posts<'s>(
    sources: &'s Sources,
    changed: &[PathBuf],
) -> Option<Vec<&'s SourceFile>> {
    let mut files = Vec::with_capacity(changed.len());
    for path in changed {
        match sources.content.iter().find(|f| &f.path == path) {
            Some(f) if f.kind == ContentKind::Post => files.push(f),
            Some(_) => return None,
            None => {
                let ignored =
                    (path.components()).any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()));
                if !ignored {
                    return None;
                }
            }
        }
    }
    Some(files)
}

/// Whether `memory` keeps a site to patch: one written to `output` (which still holds it), with
/// its pages' traces, under the settings `config`.
pub(super) fn can_patch(memory: &Memory, config: &Config, output: &Path) -> bool {
    let (Some(kept), Some(_)) = (&memory.kept, &memory.traces) else {
        return false;
    };
    hash_of(config) == hash_of(&kept.site.config) && output.join(output::MARKER).is_file()
}

/// Patches the kept site with the new bodies of `files` at `now`, and remembers what they parse
/// to; `None`, with nothing changed, when the site cannot be patched.
pub(super) fn patch_site(
    memory: &mut Memory,
    files: &[&SourceFile],
    now: jiff::Timestamp,
    shortcodes: &dyn Shortcodes,
) -> Option<Patch> {
    let kept = memory.kept.as_mut()?;
    let patch = (kept.site).patch(files, now, shortcodes, &mut memory.assembly)?;
    for file in files {
        memory.parse.rebody(file);
    }
    Some(patch)
}

/// What [`render_and_write`] did.
pub(super) enum Written {
    Done(BuildReport),
    /// The output could not be changed.
    Failed(Diagnostic),
    /// Nothing was written: a page could not be rendered (the whole pipeline will say why).
    Withheld,
}

/// Renders again what shows the patched posts, writes it in place into `output`, and gives the
/// report (the kept site's warnings updated). `lock` is held while the output changes.
pub(super) fn render_and_write(
    memory: &mut Memory,
    theme: &Theme,
    patch: Patch,
    (output, lock): (&Path, Option<&RwLock<()>>),
    clock: &mut Clock,
) -> Written {
    let (Some(kept), Some(traces)) = (memory.kept.as_mut(), memory.traces.as_mut()) else {
        return Written::Withheld;
    };
    let sink = Sink::InPlace {
        output: output.to_path_buf(),
        files: Vec::new(),
    };
    let search = &mut memory.search;
    let site = &kept.site;
    let (done, sink, failure) = writer::render_into(sink, |emit| {
        render::render_patch(site, theme, emit, (traces, search), &patch.posts)
    });
    clock.lap("render");
    let (Some(sink), None, false) = (sink, failure, done.diagnostics.has_errors()) else {
        return Written::Withheld;
    };
    let files = match sink.commit(lock) {
        Ok(c) => c.files,
        Err(problem) => return Written::Failed(problem),
    };
    clock.lap("write");
    kept.patch_warnings(patch.before, patch.after);
    let clock = std::mem::replace(clock, Clock::start());
    let warnings = kept.warnings.clone();
    Written::Done(report::summarise_patch(
        &kept.site, kept.pages, warnings, done, files, clock,
    ))
}

fn hash_of(value: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}
