//! Where a build's files go, and the thread that takes them there while pages are rendered.
//!
//! A build hands its files to one [`Sink`], chosen once before rendering: a new folder staged
//! beside the output and swapped in whole ([`Sink::Stage`]), the few pages a rebuild of
//! `chronique serve` renders again, written over the previous output ([`Sink::InPlace`]), the
//! whole site kept in memory for `chronique check` ([`Sink::Memory`]), or nothing at all when an
//! error is already known ([`Sink::Discard`]). Rendering and writing overlap: rayon's threads
//! render, and a single writer thread puts each file as it comes ([`render_into`]).
//!
//! Nothing reaches the output before [`Sink::commit`], and only a build without errors commits.
//! A writer that fails or panics is an error of the build, never a silent success: the staging
//! folder is removed when its [`output::Staging`] is dropped, so the previous output stays.

use std::path::PathBuf;
use std::sync::RwLock;
use std::sync::mpsc::{Receiver, sync_channel};

use crate::content::panic_message;
use crate::diagnostics::Diagnostic;
use crate::output::{self, Staging};
use crate::render::OutputFile;

/// Where the files of a build go.
pub(super) enum Sink {
    /// A new output folder, swapped in whole at the end.
    Stage(Box<Staging>),
    /// Files written over the previous output at the end, each replaced atomically: for a
    /// rebuild that renders only the pages whose inputs changed (the set of files is the same).
    InPlace {
        output: PathBuf,
        files: Vec<OutputFile>,
    },
    /// Every file, kept for the caller (`chronique check`).
    Memory(Vec<OutputFile>),
    /// Nothing: the build already has an error, or has no theme to render with.
    Discard,
}

/// What the writer thread does with each file.
pub(super) trait Put: Send {
    fn put(&mut self, file: OutputFile) -> Result<(), Diagnostic>;
}

impl Put for Sink {
    fn put(&mut self, file: OutputFile) -> Result<(), Diagnostic> {
        match self {
            Sink::Stage(staging) => staging.put(&file),
            Sink::InPlace { files, .. } | Sink::Memory(files) => {
                files.push(file);
                Ok(())
            }
            Sink::Discard => Ok(()),
        }
    }
}

/// What [`Sink::commit`] did.
pub(super) struct Committed {
    /// Files written (or kept from the previous output).
    pub files: usize,
    /// The files of a [`Sink::Memory`].
    pub kept: Vec<OutputFile>,
}

impl Sink {
    /// Puts the files in place. `lock` is held for writing only while the output changes (the
    /// swap's renames, the in-place writes), so that a server reading the output under the same
    /// lock answers from the previous site for the whole build and never sees half of one.
    pub(super) fn commit(self, lock: Option<&RwLock<()>>) -> Result<Committed, Diagnostic> {
        let hold = || lock.map(|l| l.write().unwrap_or_else(|e| e.into_inner()));
        match self {
            Sink::Stage(staging) => {
                let swapped = {
                    let _held = hold();
                    (*staging).swap()?
                };
                // The previous site is deleted after the lock is released.
                let report = swapped.clean()?;
                Ok(Committed {
                    files: report.files,
                    kept: Vec::new(),
                })
            }
            Sink::InPlace { output, files } => {
                let _held = hold();
                let report = output::update_in_place(&output, &files)?;
                Ok(Committed {
                    files: report.files,
                    kept: Vec::new(),
                })
            }
            Sink::Memory(kept) => Ok(Committed { files: 0, kept }),
            Sink::Discard => Ok(Committed {
                files: 0,
                kept: Vec::new(),
            }),
        }
    }

    /// Gives up: a staged folder is removed, kept files are handed back (for `check`).
    pub(super) fn abort(self) -> Vec<OutputFile> {
        match self {
            Sink::Memory(files) | Sink::InPlace { files, .. } => files,
            Sink::Stage(staging) => {
                (*staging).abort();
                Vec::new()
            }
            Sink::Discard => Vec::new(),
        }
    }
}

/// Runs `render` while a writer thread puts every file it emits into `sink`. Gives back what
/// `render` returned, the sink (`None` if the writer died), and the writer's failure if any: the
/// first error of `put`, or its panic as an internal error.
pub(super) fn render_into<S: Put, R>(
    sink: S,
    render: impl FnOnce(&(dyn Fn(OutputFile) + Sync)) -> R,
) -> (R, Option<S>, Option<Diagnostic>) {
    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel::<OutputFile>(256);
        let writer = scope.spawn(move || drain(rx, sink));
        let emit = move |file: OutputFile| {
            // The writer only stops early by panicking: then the file has nowhere to go.
            let _ = tx.send(file);
        };
        let done = render(&emit);
        drop(emit);
        match writer.join() {
            Ok((sink, failure)) => (done, Some(sink), failure),
            Err(panic) => {
                let message = format!(
                    "internal error while writing the site: {} (please report it); the previous output was left as it was",
                    panic_message(panic.as_ref())
                );
                (done, None, Some(Diagnostic::error(None, message)))
            }
        }
    })
}

/// The writer thread: every file into the sink, until the first failure (later files are
/// dropped, the build being lost anyway).
fn drain<S: Put>(rx: Receiver<OutputFile>, mut sink: S) -> (S, Option<Diagnostic>) {
    let mut failure = None;
    for file in rx {
        if failure.is_none() {
            failure = sink.put(file).err();
        }
    }
    (sink, failure)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> OutputFile {
        OutputFile {
            path: PathBuf::from(path),
            bytes: b"<p>page</p>".to_vec(),
        }
    }

    /// A staging folder whose writer panics at the second file.
    struct Exploding(Staging, usize);

    impl Put for Exploding {
        fn put(&mut self, file: OutputFile) -> Result<(), Diagnostic> {
            self.1 += 1;
            assert!(self.1 < 2, "the disk caught fire");
            self.0.put(&file)
        }
    }

    #[test]
    fn a_writer_panic_is_an_error_and_leaves_no_staging_folder() {
        let tmp = tempfile::tempdir().expect("temporary folder");
        let root = tmp.path().join("site");
        std::fs::create_dir_all(&root).expect("site folder");
        let output = tmp.path().join("public");
        // A previous output of chronique's.
        let previous = Staging::begin(&output, &root, &[]).expect("staging");
        let mut previous = Sink::Stage(Box::new(previous));
        previous.put(file("index.html")).expect("put");
        previous.commit(None).expect("first build");
        let before = std::fs::read(output.join("index.html")).expect("previous page");

        let staging = Staging::begin(&output, &root, &[]).expect("staging");
        let (rendered, sink, failure) = render_into(Exploding(staging, 0), |emit| {
            for path in ["index.html", "a/index.html", "b/index.html"] {
                emit(OutputFile {
                    path: PathBuf::from(path),
                    bytes: b"new".to_vec(),
                });
            }
            3
        });
        assert_eq!(rendered, 3, "rendering goes on to its end");
        assert!(sink.is_none(), "the writer died with its sink");
        let failure = failure.expect("the panic is reported");
        assert!(failure.is_error());
        assert!(
            failure.to_string().contains("the disk caught fire"),
            "{failure}"
        );
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .expect("list")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("staging"))
            .collect();
        assert!(leftovers.is_empty(), "staging folder left: {leftovers:?}");
        assert_eq!(
            std::fs::read(output.join("index.html")).expect("page"),
            before,
            "the previous output is intact"
        );
    }

    #[test]
    fn a_failed_put_stops_writing_and_is_reported() {
        struct Full(usize);
        impl Put for Full {
            fn put(&mut self, _: OutputFile) -> Result<(), Diagnostic> {
                self.0 += 1;
                Err(Diagnostic::error(None, "no space left on device"))
            }
        }
        let (_, sink, failure) = render_into(Full(0), |emit| {
            emit(file("a"));
            emit(file("b"));
        });
        assert_eq!(sink.map(|s| s.0), Some(1), "no put after the first failure");
        assert!(failure.is_some_and(|d| d.to_string().contains("no space left")));
    }
}
