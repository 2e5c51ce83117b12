//! Photos published the way a phone reader needs them: every JPEG, PNG and WebP of the site
//! (`static/`, `content/` and its bundles) is published at the widths of `[images]` in WebP and
//! in its own format, upright, and — the original too — without the metadata that says where
//! and with what it was taken (`strip`).
//!
//! The pages already name the variants ([`crate::picture`]: names are a function of the path
//! and the width), so this stage only makes the files: it reads each photo, keys it by its
//! bytes' hash and the processing's settings, and takes its files from the cache
//! ([`cache::Cache`]) when a build already made them, else decodes it once and encodes every
//! variant into the cache. Photos are processed on rayon's threads, one decoded photo per
//! thread at a time. What it gives back are static files whose bytes are in the cache, for the
//! writer to copy like any other.

pub mod cache;
pub mod strip;
pub mod variants;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use rayon::prelude::*;

use crate::config::ImageSettings;
use crate::diagnostics::{Diagnostic, Location};
use crate::picture::{ImageFacts, MODERN, extension, variant_src};
use crate::site::Images;
use crate::source::{StaticFile, StaticSource};

use cache::Cache;
use strip::Keep;
use variants::Wanted;

/// Bumped when the processing changes, so that the cache's old files are not used.
const VERSION: u32 = 1;

/// What this stage does: make the files, or only name them (for `check`, and for a rebuild that
/// knows the static files did not change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    Process,
    NameOnly,
}

/// The static files with the photos' variants, and how many photos were processed.
#[derive(Debug, Default)]
pub struct Published {
    pub statics: Vec<StaticFile>,
    /// Photos decoded and encoded by this build.
    pub processed: usize,
    /// Photos whose files all came from the cache.
    pub cached: usize,
}

/// One photo to publish: where it is, where it goes, and at which widths.
struct Job<'a> {
    source: &'a Path,
    dest: &'a Path,
    facts: &'a ImageFacts,
}

/// The static files to write: `statics` with each photo's original replaced by its stripped copy
/// and its variants added.
pub fn publish(
    root: &Path,
    settings: &ImageSettings,
    images: &Images,
    statics: Vec<StaticFile>,
    work: Work,
) -> Result<Published, Vec<Diagnostic>> {
    let resized: HashMap<&Path, &ImageFacts> = images.resized().collect();
    if resized.is_empty() {
        return Ok(Published {
            statics,
            ..Published::default()
        });
    }
    let (jobs, mut out): (Vec<_>, Vec<_>) = statics.iter().partition(|s| {
        matches!(s.source, StaticSource::File(_)) && resized.contains_key(s.dest.as_path())
    });
    let mut out: Vec<StaticFile> = out.drain(..).cloned().collect();
    let jobs: Vec<Job<'_>> = (jobs.iter())
        .filter_map(|s| match &s.source {
            StaticSource::File(source) => Some(Job {
                source,
                dest: &s.dest,
                facts: resized[s.dest.as_path()],
            }),
            StaticSource::BuiltIn(_) | StaticSource::Minified { .. } => None,
        })
        .collect();
    if work == Work::NameOnly {
        out.extend(jobs.iter().flat_map(named));
        return Ok(Published {
            statics: out,
            ..Published::default()
        });
    }
    let cache = Cache::open(root).map_err(|e| {
        vec![Diagnostic::error(
            Some(Location::file(cache::CACHE_DIR)),
            format!("cannot use the image cache: {e}"),
        )]
    })?;
    let done: Vec<Result<(Vec<StaticFile>, bool), Diagnostic>> = jobs
        .par_iter()
        .map(|j| one(&cache, settings, j).map_err(|why| problem(root, j, &why)))
        .collect();
    let mut published = Published::default();
    let mut problems = Vec::new();
    for d in done {
        match d {
            Ok((files, processed)) => {
                out.extend(files);
                *(if processed {
                    &mut published.processed
                } else {
                    &mut published.cached
                }) += 1;
            }
            Err(p) => problems.push(p),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    published.statics = out;
    Ok(published)
}

/// An error at the photo's file, named from the site's folder.
fn problem(root: &Path, job: &Job<'_>, why: &str) -> Diagnostic {
    let shown = job.source.strip_prefix(root).unwrap_or(job.source);
    Diagnostic::error(
        Some(Location::file(shown)),
        format!("this photo cannot be published: {why}"),
    )
}

/// The files of one photo: the name of each in the cache and where it is published. The first
/// is the original.
fn outputs(job: &Job<'_>) -> Vec<(String, PathBuf)> {
    let dest = job.dest.to_string_lossy();
    let own = extension(&dest).to_ascii_lowercase();
    let mut files = vec![(format!("original.{own}"), job.dest.to_path_buf())];
    let formats: &[&str] = if own == MODERN {
        &[MODERN]
    } else {
        &[MODERN, own.as_str()]
    };
    for &w in &job.facts.widths {
        for &format in formats {
            if w == job.facts.width && format == own {
                continue;
            }
            // The own format's extension as written (`.JPG`), as the pages name it.
            let written = if format == own {
                extension(&dest)
            } else {
                format
            };
            let src = variant_src(&dest, job.facts, w, written);
            files.push((format!("{w}w.{format}"), PathBuf::from(src)));
        }
    }
    files
}

/// The photo's files, named but not made: their bytes are the original's (for `check`, which
/// only looks at which files exist).
fn named(job: &Job<'_>) -> Vec<StaticFile> {
    (outputs(job).into_iter())
        .map(|(_, dest)| StaticFile {
            source: StaticSource::File(job.source.to_path_buf()),
            dest,
        })
        .collect()
}

/// Publishes one photo: its files from the cache, or made now. Returns the files and whether
/// they were made.
fn one(
    cache: &Cache,
    settings: &ImageSettings,
    job: &Job<'_>,
) -> Result<(Vec<StaticFile>, bool), String> {
    let key = key_of(job, settings)?;
    let files = outputs(job);
    let cached = cache.has_all(&key, files.iter().map(|(n, _)| n.as_str()));
    if !cached {
        make(cache, &key, settings, job, &files)?;
    }
    let statics = (files.into_iter())
        .map(|(name, dest)| StaticFile {
            source: StaticSource::File(cache.path(&key, &name)),
            dest,
        })
        .collect();
    Ok((statics, !cached))
}

/// Decodes the photo once and puts its stripped original and every variant in the cache.
fn make(
    cache: &Cache,
    key: &str,
    settings: &ImageSettings,
    job: &Job<'_>,
    files: &[(String, PathBuf)],
) -> Result<(), String> {
    let bytes = crate::fsx::read(job.source).map_err(|e| e.to_string())?;
    let keep = Keep {
        camera: settings.keep_camera,
        location: settings.keep_location,
    };
    let own = extension(&job.dest.to_string_lossy()).to_string();
    let original = strip::strip(&own, &bytes, keep)?;
    let photo = variants::decode(&bytes)?;
    let wanted: Vec<Wanted<'_>> = (files[1..].iter())
        .map(|(name, _)| {
            let (w, format) = name.split_once("w.").unwrap_or_default();
            Wanted {
                width: w.parse().unwrap_or(job.facts.width),
                format,
            }
        })
        .collect();
    let encoded = variants::encode_all(&photo, &wanted, settings.quality)?;
    drop(photo);
    let write = |name: &str, bytes: &[u8]| {
        (cache.put(key, name, bytes)).map_err(|e| format!("cannot write the image cache: {e}"))
    };
    for ((name, _), bytes) in files[1..].iter().zip(&encoded) {
        write(name, bytes)?;
    }
    // The original last: a photo is cached when all its files are.
    write(&files[0].0, &original)?;
    Ok(())
}

/// A photo's size and time when its bytes had this hash.
type Stamped = (u64, SystemTime, u128);

/// The photo's key: its bytes' hash and the settings that change its files, as hex. A running
/// `serve` remembers the hash of a file whose size and time did not change.
fn key_of(job: &Job<'_>, settings: &ImageSettings) -> Result<String, String> {
    static HASHES: Mutex<Option<HashMap<PathBuf, Stamped>>> = Mutex::new(None);
    let meta = std::fs::metadata(job.source).map_err(|e| e.to_string())?;
    let stamp = (
        meta.len(),
        meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
    );
    let known = (HASHES.lock().unwrap_or_else(|e| e.into_inner()).as_ref())
        .and_then(|m| m.get(job.source).copied())
        .filter(|&(len, time, _)| (len, time) == stamp);
    let hash = match known {
        Some((_, _, hash)) => hash,
        None => {
            let bytes = crate::fsx::read(job.source).map_err(|e| e.to_string())?;
            let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
            let mut memo = HASHES.lock().unwrap_or_else(|e| e.into_inner());
            (memo.get_or_insert_with(HashMap::new))
                .insert(job.source.to_path_buf(), (stamp.0, stamp.1, hash));
            hash
        }
    };
    let params = format!(
        "{VERSION} {:?} {} {} {} {}",
        job.facts.widths,
        settings.quality,
        settings.keep_camera,
        settings.keep_location,
        extension(&job.dest.to_string_lossy()).to_ascii_lowercase()
    );
    let params = xxhash_rust::xxh3::xxh3_64(params.as_bytes());
    Ok(format!("{hash:032x}{params:016x}"))
}
