//! Bounds on rendering a page with the theme's templates, which can loop and grow strings at
//! will: Tera 2 limits one `range` to 100 000 numbers, but two nested ones run for hours, and
//! `{% set_global s = s ~ s %}` in a loop doubles a string until an allocation fails and the
//! process aborts. Tera has no instruction budget nor any hook inside its loops, so:
//!
//! - a page is written through [`Capped`], which refuses past [`MAX_PAGE_BYTES`] and past the
//!   page's deadline (checked every few hundred writes): a template that prints too much, or
//!   loops long while printing, fails with an error naming the template and the page;
//! - a [`Watchdog`] thread watches the pages being rendered: one rendering past its deadline
//!   without writing (a silent loop), or the process's memory passing what the machine can give
//!   while pages render (a doubling string), ends the process with an error naming the template
//!   and the page. That cannot be an ordinary error: a thread cannot be stopped from outside,
//!   and letting it run holds a core for hours or aborts the process anyway.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// The largest page, in bytes. The biggest HTML page of a 10 000-post column is well under a
/// megabyte (lists are paginated); 64 MiB is beyond what a browser opens comfortably.
pub const MAX_PAGE_BYTES: usize = 64 << 20;

/// How long one page may take to render. Pages take milliseconds; a minute is a loop that does
/// not end. `CHRONIQUE_RENDER_DEADLINE_MS` changes it (for tests).
const DEADLINE: Duration = Duration::from_secs(60);

/// The deadline, read once.
pub fn deadline() -> Duration {
    static D: OnceLock<Duration> = OnceLock::new();
    *D.get_or_init(|| {
        std::env::var("CHRONIQUE_RENDER_DEADLINE_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .map_or(DEADLINE, Duration::from_millis)
    })
}

/// Why [`Capped`] refused to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    Size,
    Time,
}

/// A page's buffer that refuses to grow past [`MAX_PAGE_BYTES`] or to be written after the
/// deadline.
pub struct Capped {
    pub bytes: Vec<u8>,
    started: Instant,
    writes: u32,
    pub exceeded: Option<Exceeded>,
}

impl Capped {
    pub fn new(capacity: usize) -> Capped {
        Capped {
            bytes: Vec::with_capacity(capacity),
            started: Instant::now(),
            writes: 0,
            exceeded: None,
        }
    }

    fn refuse(&mut self, why: Exceeded) -> std::io::Result<usize> {
        self.exceeded = Some(why);
        Err(std::io::Error::other(match why {
            Exceeded::Size => "the page is too large",
            Exceeded::Time => "the page takes too long",
        }))
    }
}

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_PAGE_BYTES {
            return self.refuse(Exceeded::Size);
        }
        self.writes = self.writes.wrapping_add(1);
        if self.writes.is_multiple_of(512) && self.started.elapsed() > deadline() {
            return self.refuse(Exceeded::Time);
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.write(buf).map(|_| ())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A page being rendered, for the watchdog's message.
struct InFlight {
    started: Instant,
    template: String,
    page: String,
}

/// The pages being rendered, by ticket.
pub struct Watchdog {
    pages: Mutex<HashMap<u64, InFlight>>,
    next: AtomicU64,
}

/// The process's watchdog, started with the first page.
pub fn watchdog() -> &'static Watchdog {
    static W: OnceLock<Watchdog> = OnceLock::new();
    W.get_or_init(|| {
        let spawned = std::thread::Builder::new()
            .name("chronique-watchdog".into())
            .spawn(|| watch(watchdog()));
        if let Err(e) = spawned {
            // Without it, pages still render; only a runaway template goes unwatched.
            eprintln!("warning: no watchdog for runaway templates: {e}");
        }
        Watchdog {
            pages: Mutex::new(HashMap::new()),
            next: AtomicU64::new(0),
        }
    })
}

/// A page under watch; dropping it ends the watch.
pub struct Ticket(u64);

impl Watchdog {
    pub fn begin(&'static self, template: &str, page: &str) -> Ticket {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let page = InFlight {
            started: Instant::now(),
            template: template.to_string(),
            page: page.to_string(),
        };
        self.lock().insert(id, page);
        Ticket(id)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, InFlight>> {
        self.pages.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        watchdog().lock().remove(&self.0);
    }
}

/// Every 20 ms while pages render (every 200 ms otherwise): a page past the deadline, or memory
/// past [`memory_limit`], ends the process with the page and its template named.
fn watch(w: &'static Watchdog) {
    let limit = memory_limit();
    loop {
        let busy = {
            let pages = w.lock();
            let oldest = pages.values().min_by_key(|p| p.started);
            if let Some(p) = oldest {
                let elapsed = p.started.elapsed();
                if elapsed > deadline() + Duration::from_secs(1) {
                    stop(&format!(
                        "rendering {} with {} took more than {} s: stopped. Does the template (or one it includes) loop without end (two nested `range` loops) or grow a string in a loop (`set_global s = s ~ s`)?",
                        p.page,
                        p.template,
                        deadline().as_secs_f64()
                    ));
                }
                if let (Some(limit), Some(rss)) = (limit, resident())
                    && rss > limit
                {
                    stop(&format!(
                        "rendering {} with {} used more than {} MiB of memory: stopped. Does the template (or one it includes) grow a string in a loop, such as `set_global s = s ~ s`?",
                        p.page,
                        p.template,
                        limit >> 20
                    ));
                }
            }
            oldest.is_some()
        };
        std::thread::sleep(Duration::from_millis(if busy { 20 } else { 200 }));
    }
}

/// Prints the error like the build does and ends the process: the build cannot finish.
fn stop(message: &str) -> ! {
    eprintln!("error: {message}\n\n1 error: nothing was written");
    std::process::exit(1);
}

/// The resident memory of the process, in bytes (Linux; None elsewhere).
fn resident() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// How much memory the process may use while pages render before it is a runaway template:
/// half the machine's memory, or a quarter of the address space the process may have (a
/// string doubling in a loop needs three times its size at each step), whichever is lower.
/// `CHRONIQUE_RENDER_MEMORY_MB` sets it. None where it cannot be read.
fn memory_limit() -> Option<u64> {
    if let Some(mb) = std::env::var("CHRONIQUE_RENDER_MEMORY_MB")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        return Some(mb << 20);
    }
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok();
    let total = meminfo.as_deref().and_then(|m| {
        let line = m.lines().find(|l| l.starts_with("MemTotal:"))?;
        let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib * 1024 / 2)
    });
    let limits = std::fs::read_to_string("/proc/self/limits").ok();
    let address_space = limits.as_deref().and_then(|l| {
        let line = l.lines().find(|l| l.starts_with("Max address space"))?;
        let soft = line.split_whitespace().nth(3)?;
        soft.parse::<u64>().ok().map(|b| b / 4)
    });
    match (total, address_space) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_past_the_size_limit_is_refused() {
        let mut page = Capped::new(0);
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..64 {
            page.write_all(&chunk).unwrap();
        }
        assert!(page.write_all(b"y").is_err());
        assert_eq!(page.exceeded, Some(Exceeded::Size));
        assert_eq!(page.bytes.len(), MAX_PAGE_BYTES);
    }
}
