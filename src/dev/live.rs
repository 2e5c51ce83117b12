//! The served site as open pages see it: which build is current, whether the last rebuild
//! failed and why, and what the last change asks of the pages (a full reload, or only fresh
//! stylesheets).
//!
//! The rebuild loop is the only writer; HTTP handlers read it, and the one thread that tends
//! the event streams (`server::Streams`) sleeps on a condition variable until the generation
//! moves, or a short tick passes: then it writes each stream what it missed, a comment every
//! [`KEEP_ALIVE`], and drops the clients that have gone (noticed by a read of 0 bytes, or a
//! failed write).

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::diagnostics::Diagnostics;

/// How often an idle event stream writes a keep-alive comment.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// What open pages must do after a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// Reload the page.
    Page,
    /// Only stylesheets changed: re-fetch them, keep the page.
    Stylesheets,
}

impl Refresh {
    /// The SSE event type.
    pub fn event(self) -> &'static str {
        match self {
            Refresh::Page => "reload",
            Refresh::Stylesheets => "css",
        }
    }
}

#[derive(Debug, Default)]
struct Status {
    /// Bumped by every published build, good or bad.
    generation: u64,
    /// The last generation whose change needed a full page reload.
    last_page_reload: u64,
    /// The errors of the last build, when it failed.
    failure: Option<Arc<Diagnostics>>,
}

/// Shared between the rebuild loop and the HTTP handlers.
#[derive(Debug)]
pub struct Live {
    /// Differs from one server run to the next, so a page that reconnects to a restarted server
    /// reloads (the site may have changed meanwhile).
    session: u64,
    status: Mutex<Status>,
    changed: Condvar,
    /// Load reports from pages opened with `?__chronique_probe` (the browser test reads them).
    probes: Mutex<VecDeque<String>>,
}

/// How many probe reports are kept.
const PROBES_KEPT: usize = 200;

impl Live {
    pub fn new() -> Live {
        let session = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64 ^ u64::from(std::process::id()))
            .unwrap_or(u64::from(std::process::id()));
        Live {
            session,
            status: Mutex::new(Status::default()),
            changed: Condvar::new(),
            probes: Mutex::new(VecDeque::new()),
        }
    }

    fn status(&self) -> MutexGuard<'_, Status> {
        // A handler that panicked while holding the lock left consistent data: plain fields.
        self.status.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The name of a build, as pages and event streams see it.
    pub fn build_id(&self, generation: u64) -> String {
        format!("{:x}-{generation}", self.session)
    }

    /// The current build and the errors of the last one, if it failed.
    pub fn current(&self) -> (u64, Option<Arc<Diagnostics>>) {
        let status = self.status();
        (status.generation, status.failure.clone())
    }

    /// Records a finished build and wakes every event stream.
    pub fn publish(&self, refresh: Refresh, failure: Option<Diagnostics>) {
        let mut status = self.status();
        // Showing or removing the overlay needs the whole page.
        let overlay_changes = failure.is_some() || status.failure.is_some();
        status.generation += 1;
        if refresh == Refresh::Page || overlay_changes {
            status.last_page_reload = status.generation;
        }
        status.failure = failure.map(Arc::new);
        drop(status);
        self.changed.notify_all();
    }

    /// Waits until a build newer than `seen` is published, or `timeout` passes. Returns the new
    /// generation and what the pages must do (a full reload if any build they missed needs one).
    pub fn wait_newer(&self, seen: u64, timeout: Duration) -> Option<(u64, Refresh)> {
        let status = self.status();
        let (status, _) = self
            .changed
            .wait_timeout_while(status, timeout, |s| s.generation == seen)
            .unwrap_or_else(PoisonError::into_inner);
        if status.generation == seen {
            return None;
        }
        let refresh = if status.last_page_reload > seen {
            Refresh::Page
        } else {
            Refresh::Stylesheets
        };
        Some((status.generation, refresh))
    }

    pub fn record_probe(&self, report: &str) {
        let mut probes = self.probes.lock().unwrap_or_else(PoisonError::into_inner);
        if probes.len() == PROBES_KEPT {
            probes.pop_front();
        }
        probes.push_back(report.chars().take(1000).collect());
    }

    pub fn probes(&self) -> Vec<String> {
        let probes = self.probes.lock().unwrap_or_else(PoisonError::into_inner);
        probes.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;

    #[test]
    fn a_missed_page_reload_wins_over_a_later_css_change() {
        let live = Live::new();
        live.publish(Refresh::Page, None);
        live.publish(Refresh::Stylesheets, None);
        assert_eq!(live.wait_newer(0, Duration::ZERO), Some((2, Refresh::Page)));
        assert_eq!(
            live.wait_newer(1, Duration::ZERO),
            Some((2, Refresh::Stylesheets))
        );
        assert_eq!(live.wait_newer(2, Duration::ZERO), None);
    }

    #[test]
    fn errors_appearing_or_going_reload_the_page() {
        let live = Live::new();
        let errors = Diagnostics::from(Diagnostic::error(None, "bad"));
        live.publish(Refresh::Stylesheets, Some(errors));
        assert_eq!(live.wait_newer(0, Duration::ZERO), Some((1, Refresh::Page)));
        assert!(live.current().1.is_some());
        live.publish(Refresh::Stylesheets, None);
        assert_eq!(live.wait_newer(1, Duration::ZERO), Some((2, Refresh::Page)));
        assert!(live.current().1.is_none());
    }
}
