//! The rebuild of `chronique serve` after posts' bodies were edited: read → patch → render
//! what shows them → write in place. The kept site of the last build is patched
//! ([`Site::patch`], whose comment says why that is exact); parsing and assembling the other
//! posts, hashing the site's structure, and the feeds, sitemap and pages that do not show an
//! edited post are skipped. Anything the patch cannot take (a new post, a new title, a template)
//! goes through the whole pipeline, as before; so does the build after a patch that failed.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;
use std::sync::RwLock;

use super::memory::Memory;
use super::report::{self, Clock};
use super::writer::{self, Sink};
use super::{BuildOptions, Outcome, compile_shortcodes, compile_theme};
use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::render;
use crate::source::{ContentKind, SourceFile, Sources, is_ignored_name};

/// The patched rebuild, when the site of the last build can be patched with `changed` (files
/// relative to the root, all read into `sources`); `None`, with nothing done, when it cannot.
pub(super) fn run(
    options: &BuildOptions,
    config: &Config,
    sources: &Sources,
    memory: &mut Memory,
    changed: &[PathBuf],
    (lock, clock): (Option<&RwLock<()>>, &mut Clock),
) -> Option<Outcome> {
    let files = edited_posts(sources, changed)?;
    let kept = memory.kept.as_mut()?;
    let traces = memory.traces.as_mut()?;
    if hash_of(config) != hash_of(&kept.site.config) || !options.output_dir().is_dir() {
        return None;
    }
    let mut diagnostics = Diagnostics::new();
    let shortcodes = compile_shortcodes(sources, config, &mut diagnostics);
    if diagnostics.has_errors() {
        return None;
    }
    let site = &mut kept.site;
    let patch = site.patch(&files, options.now, &shortcodes, &mut memory.assembly)?;
    for file in &files {
        memory.parse.rebody(file);
    }
    clock.lap("patch");
    // From here, a problem leaves the output as it was, but no longer the kept site's: the
    // whole pipeline runs, now and at the next build, and says what is wrong.
    let theme = compile_theme(sources, site, &mut diagnostics);
    let Some(theme) = theme.filter(|_| !diagnostics.has_errors()) else {
        memory.forget_site();
        return None;
    };
    let sink = Sink::InPlace {
        output: options.output_dir(),
        files: Vec::new(),
    };
    let search = &mut memory.search;
    let (done, sink, failure) = writer::render_into(sink, |emit| {
        render::render_patch(site, &theme, emit, (traces, search), &patch.posts)
    });
    clock.lap("render");
    let (Some(sink), None, false) = (sink, failure, done.diagnostics.has_errors()) else {
        memory.forget_site();
        return None;
    };
    let files_written = match sink.commit(lock) {
        Ok(c) => c.files,
        Err(problem) => {
            memory.forget_site();
            return Some(Outcome::failed(Diagnostics(vec![problem]), None));
        }
    };
    clock.lap("write");
    let kept = memory.kept.as_mut()?;
    kept.patch_warnings(patch.before, patch.after);
    let (pages, warnings) = (kept.pages, kept.warnings.clone());
    let clock = std::mem::replace(clock, Clock::start());
    let report = report::summarise_patch(&kept.site, pages, warnings, done, files_written, clock);
    Some(Outcome {
        result: Ok(report),
        kept: None,
    })
}

/// The files of `changed`, when each one is a post of `sources` (files the reader leaves out,
/// such as an editor's, are passed over); `None` for anything else (a deleted file, a page).
fn edited_posts<'s>(sources: &'s Sources, changed: &[PathBuf]) -> Option<Vec<&'s SourceFile>> {
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

fn hash_of(value: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}
