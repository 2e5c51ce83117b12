//! What a build tells its caller: the counts for the summary line, the warnings, and where the
//! time went (`build --timings`). Kept apart from the spine so that measuring never hides a stage.

use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostics;
use crate::render::Rendering;
use crate::site::{Site, TaxonomyKind};

/// What a build did, for the summary line.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub pages: usize,
    pub posts: usize,
    /// Pages without a date (`content/a-propos.md`): the output's `pages` count them too.
    pub standalone: usize,
    pub sections: usize,
    /// Terms of the `irritants` taxonomy.
    pub irritant_themes: usize,
    /// The posts left out: drafts, scheduled posts, and the next to come out.
    pub unpublished: crate::site::Unpublished,
    pub files_written: usize,
    /// Photos resized and stripped by this build, and photos whose files were all in the cache.
    pub photos_processed: usize,
    pub photos_cached: usize,
    /// Pages rendered: all of them, unless a [`super::Session`] could reuse some.
    pub rendered: usize,
    pub warnings: Diagnostics,
    /// Per stage: its wall time, the CPU time it took on all threads, and the process's peak
    /// memory at its end (Linux only).
    pub timings: Vec<StageTiming>,
    /// Per template: time spent on its pages (summed over threads) and their number, most
    /// expensive first.
    pub templates: Vec<(String, Duration, usize)>,
}

/// One stage of a build, for `build --timings`.
#[derive(Debug, Clone)]
pub struct StageTiming {
    pub stage: &'static str,
    pub wall: Duration,
    /// User and system time of all threads (Linux only): more than `wall` when the stage
    /// ran on several cores.
    pub cpu: Option<Duration>,
    /// The process's peak resident memory at the stage's end (Linux only).
    pub peak: Option<u64>,
}

/// Times the stages one after the other.
pub(super) struct Clock {
    started: Instant,
    used: Option<Duration>,
    pub(super) timings: Vec<StageTiming>,
}

impl Clock {
    pub(super) fn start() -> Clock {
        Clock {
            started: Instant::now(),
            used: cpu_time(),
            timings: Vec::new(),
        }
    }

    /// Ends the stage `stage` and starts the next one.
    pub(super) fn lap(&mut self, stage: &'static str) {
        let now = cpu_time();
        self.timings.push(StageTiming {
            stage,
            wall: self.started.elapsed(),
            cpu: now
                .zip(self.used)
                .map(|(now, before)| now.saturating_sub(before)),
            peak: peak_memory(),
        });
        self.started = Instant::now();
        self.used = now;
    }
}

/// The CPU time (user and system, all threads) this process has used so far (Linux only).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name, in parentheses, may hold spaces: count fields after it.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    // In clock ticks, which Linux reports at 100 per second to user space.
    Some(Duration::from_millis((utime + stime) * 10))
}

/// The peak resident memory of this process so far, in bytes (`VmHWM`; Linux only).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The report of a patched rebuild (see [`super::patch`]): the site's counts, `pages` and
/// `warnings` as they now are.
pub(super) fn summarise_patch(
    site: &Site,
    pages: usize,
    warnings: Diagnostics,
    patched: crate::render::Patched,
    files_written: usize,
    clock: Clock,
) -> BuildReport {
    let mut rendering = Rendering {
        rendered: patched.rendered,
        templates: patched.templates,
        ..Rendering::default()
    };
    BuildReport {
        pages,
        ..summarise(site, &mut rendering, files_written, warnings, clock)
    }
}

/// The report of a successful build.
pub(super) fn summarise(
    site: &Site,
    rendering: &mut Rendering,
    files_written: usize,
    warnings: Diagnostics,
    clock: Clock,
) -> BuildReport {
    BuildReport {
        pages: rendering
            .paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .count(),
        rendered: rendering.rendered,
        irritant_themes: site
            .taxonomy(TaxonomyKind::Irritants)
            .map_or(0, |t| t.terms.len()),
        posts: site.posts.len(),
        standalone: site.pages.len(),
        sections: site.sections.len(),
        unpublished: site.unpublished.clone(),
        files_written,
        photos_processed: 0,
        photos_cached: 0,
        warnings,
        timings: clock.timings,
        templates: std::mem::take(&mut rendering.templates),
    }
}
