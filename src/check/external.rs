//! `chronique check --external`: fetches every `http(s)` link of the posts, once per URL.
//!
//! Each URL gets a HEAD request; a server that refuses HEAD (405, 501, some 403/404 from
//! misconfigured servers) or a failed HEAD gets a GET, whose body is not read (a HEAD that timed
//! out is not retried, so a dead host costs one timeout). Eight threads at
//! most, a timeout per request, redirects followed. Answers are sorted into:
//!
//! - broken (an error): 404 and 410, a host that does not resolve, a refused connection;
//! - unconfirmed (a warning): timeouts, 5xx, 401/403/429 and other failures a retry or a browser
//!   may get past;
//! - good: any 2xx or 3xx after redirects.
//!
//! Good answers go to `.chronique-linkcache` at the site's root (one `seconds<TAB>status<TAB>url`
//! line each) and are trusted for [`CACHE_DAYS`] days, so a second run only fetches what is new or
//! was failing. The cache is a by-product: `init` git-ignores it, and the build never reads it.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::diagnostics::{Diagnostic, Diagnostics, Location};

/// Requests in flight at once.
pub const THREADS: usize = 8;
/// How long a good answer is trusted.
pub const CACHE_DAYS: u64 = 7;
/// The cache file, at the site's root.
pub const CACHE_FILE: &str = ".chronique-linkcache";

/// What `--external` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Distinct URLs.
    pub urls: usize,
    /// Of which answered from the cache.
    pub cached: usize,
    pub broken: usize,
    pub unconfirmed: usize,
}

/// The answer about one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Good(u16),
    Broken(String),
    Unconfirmed(String),
}

/// The cache file.
pub struct Cache {
    path: PathBuf,
}

impl Cache {
    pub fn at(root: &Path) -> Cache {
        Cache {
            path: root.join(CACHE_FILE),
        }
    }

    /// URL → (when it was checked, seconds since 1970) of the good answers still fresh. Only a
    /// regular file is read, never through a link (`-> /dev/zero` would never end).
    fn load(&self, now: u64) -> HashMap<String, (u64, u16)> {
        let regular = std::fs::symlink_metadata(&self.path).is_ok_and(|m| m.is_file());
        let text = regular
            .then(|| crate::fsx::read_to_string(&self.path).ok())
            .flatten()
            .unwrap_or_default();
        text.lines()
            .filter_map(|l| {
                let mut parts = l.splitn(3, '\t');
                let when: u64 = parts.next()?.parse().ok()?;
                let status: u16 = parts.next()?.parse().ok()?;
                let url = parts.next()?;
                (now.saturating_sub(when) < CACHE_DAYS * 86_400)
                    .then(|| (url.to_string(), (when, status)))
            })
            .collect()
    }

    /// Writes the cache, replacing the file, never through a symbolic link: a site's
    /// repository could ship `.chronique-linkcache -> ~/.bashrc`.
    fn save(&self, entries: &HashMap<String, (u64, u16)>) -> std::io::Result<()> {
        let mut lines: Vec<String> = entries
            .iter()
            .map(|(url, (when, status))| format!("{when}\t{status}\t{url}"))
            .collect();
        lines.sort();
        let mut text = String::from(
            "# chronique check --external: links found good, trusted for 7 days. Safe to delete.\n",
        );
        for l in lines {
            text.push_str(&l);
            text.push('\n');
        }
        crate::fsx::replace(&self.path, text.as_bytes())
    }
}

/// Checks every URL (with where each is written and the text of its file); returns the summary
/// and a diagnostic per place a bad link is written.
pub fn check_all(
    links: &BTreeMap<String, Vec<(Location, std::sync::Arc<str>)>>,
    timeout: Duration,
    cache: &Cache,
) -> (Summary, Diagnostics) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut known = cache.load(now);
    let urls: Vec<&String> = links.keys().collect();
    let to_fetch: Vec<&String> = urls
        .iter()
        .copied()
        .filter(|u| !known.contains_key(*u))
        .collect();
    let mut summary = Summary {
        urls: urls.len(),
        cached: urls.len() - to_fetch.len(),
        ..Summary::default()
    };

    let mut diagnostics = Diagnostics::new();
    for (url, outcome) in fetch_all(&to_fetch, timeout) {
        let (error, why) = match outcome {
            Outcome::Good(status) => {
                known.insert(url, (now, status));
                continue;
            }
            Outcome::Broken(why) => {
                summary.broken += 1;
                (true, why)
            }
            Outcome::Unconfirmed(why) => {
                summary.unconfirmed += 1;
                (false, why)
            }
        };
        for (location, text) in links.get(&url).into_iter().flatten() {
            let message = if error {
                format!("broken external link {url}: {why}")
            } else {
                format!("external link {url} could not be confirmed: {why}")
            };
            let d = if error {
                Diagnostic::error(Some(location.clone()), message)
            } else {
                Diagnostic::warning(Some(location.clone()), message)
            };
            diagnostics.push(d.with_source(text));
        }
    }
    if !to_fetch.is_empty()
        && let Err(e) = cache.save(&known)
    {
        // A cache that cannot be written only makes the next run slower: a warning.
        diagnostics.push(Diagnostic::warning(
            Some(Location::file(CACHE_FILE)),
            format!("the link cache was not written: {e}"),
        ));
    }
    (summary, diagnostics)
}

/// Fetches the URLs, [`THREADS`] at a time, each request within `timeout`: each URL with its
/// outcome, in the order they finish.
fn fetch_all(urls: &[&String], timeout: Duration) -> Vec<(String, Outcome)> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(concat!(
            "chronique/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build()
        .into();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(String, Outcome)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..THREADS.min(urls.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(url) = urls.get(i) else {
                        break;
                    };
                    let outcome = fetch(&agent, url);
                    results
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push(((*url).clone(), outcome));
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// HEAD, then GET when HEAD did not give a good answer.
fn fetch(agent: &ureq::Agent, url: &str) -> Outcome {
    let head = match agent.head(url).call() {
        Ok(response) => judge(response.status().as_u16()),
        Err(e) => transport(&e),
    };
    // A good answer is final, and so is silence: a server that does not answer HEAD in time
    // would most likely keep a GET waiting as long.
    if matches!(head, Outcome::Good(_)) || is_timeout(&head) {
        return head;
    }
    match agent.get(url).call() {
        // The body is not read: the status is the answer.
        Ok(response) => judge(response.status().as_u16()),
        Err(e) => transport(&e),
    }
}

fn is_timeout(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Unconfirmed(why) if why == NO_ANSWER)
}

const NO_ANSWER: &str = "no answer in time";

fn judge(status: u16) -> Outcome {
    match status {
        200..=399 => Outcome::Good(status),
        404 | 410 => Outcome::Broken(format!("HTTP {status}")),
        _ => Outcome::Unconfirmed(format!("HTTP {status}")),
    }
}

fn transport(e: &ureq::Error) -> Outcome {
    match e {
        ureq::Error::HostNotFound => Outcome::Broken("the host does not exist".into()),
        ureq::Error::Timeout(_) => Outcome::Unconfirmed(NO_ANSWER.into()),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            Outcome::Broken("connection refused".into())
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            Outcome::Unconfirmed(NO_ANSWER.into())
        }
        other => Outcome::Unconfirmed(other.to_string()),
    }
}
