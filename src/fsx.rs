//! Files read and written safely, outside the output folder.
//!
//! A site's folder may come from someone else (a cloned repository), and a symbolic link in it
//! can point anywhere the user may write: `.chronique-linkcache -> ~/.bashrc`. So every file
//! chronique writes outside its output (the link cache, `serve`'s `.gitignore`, `new`'s posts)
//! goes through here, and none of these functions ever writes through a link:
//!
//! - [`replace`] writes a new temporary file beside the target (`create_new`, which never
//!   follows a link) and renames it over the target, which replaces the name itself, never what
//!   a link points to; a target that is a link, or anything but a regular file, is refused.
//! - [`create_new`] does the same for a file that must not exist yet, and gives the file its
//!   name only once it is whole (a full disk leaves no half-written file behind).
//! - [`create_dirs`] creates the folders below a trusted one, refusing a link on the way.
//!
//! And reading a file that is not a regular file (a named pipe waits forever for a writer,
//! `/dev/zero` never ends) is refused before it is opened: [`read`].

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// What a file system entry is, in words, when it is not a regular file or a folder: `a named
/// pipe (FIFO)`, `a socket`, `a device`.
pub fn special_kind(file_type: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// The error for a path that is not a regular file.
fn not_regular(file_type: fs::FileType) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("it is {}, not a regular file", special_kind(file_type)),
    )
}

/// The error for a target that is a symbolic link.
fn is_link() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        "it is a symbolic link, and chronique never writes through a link: delete the link",
    )
}

/// Reads a whole file, following links (the sources may be links inside the site, the caller
/// decides), but only a regular file: its type is checked before it is opened, so a named pipe
/// cannot keep the build waiting, and again on the open file.
pub fn read(path: &Path) -> io::Result<Vec<u8>> {
    let file_type = fs::metadata(path)?.file_type();
    if !file_type.is_file() {
        return Err(not_regular(file_type));
    }
    let mut file = File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(meta.file_type()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// [`read`], as UTF-8 text.
pub fn read_to_string(path: &Path) -> io::Result<String> {
    String::from_utf8(read(path)?).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Checks that `path` may be replaced: nothing is there, or a regular file (not a link).
fn replaceable(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(is_link()),
        Ok(meta) if !meta.is_file() => Err(not_regular(meta.file_type())),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// A new temporary file beside `path` (created with `create_new`, so never through a link),
/// holding `bytes`, and its path.
fn temporary_beside(path: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".{name}.{}-{n}.chronique-tmp", std::process::id()));
        let mut file = match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        if let Err(e) = file.write_all(bytes).and_then(|()| file.flush()) {
            drop(file);
            let _ = fs::remove_file(&temp);
            return Err(e);
        }
        return Ok(temp);
    }
}

/// Writes `bytes` to `path`, replacing the regular file there if any: a new temporary file
/// renamed over it. Refused when `path` is a symbolic link (even a broken one) or anything but
/// a regular file; nothing is written then.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replaceable(path)?;
    let temp = temporary_beside(path, bytes)?;
    fs::rename(&temp, path).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })
}

/// Creates `path` with `bytes`; `AlreadyExists` when anything is there (a file, a folder, a
/// symbolic link, broken or not). The file gets its name only once it is whole.
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if fs::symlink_metadata(path).is_ok() {
        return Err(io::ErrorKind::AlreadyExists.into());
    }
    let temp = temporary_beside(path, bytes)?;
    // A hard link gives the whole file its name, and fails if the name is taken meanwhile.
    let linked = fs::hard_link(&temp, path);
    let _ = fs::remove_file(&temp);
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        // A file system without hard links: `create_new` on the name itself, which does not
        // follow a link either.
        Err(_) => {
            let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
            file.write_all(bytes).inspect_err(|_| {
                let _ = fs::remove_file(path);
            })
        }
    }
}

/// Creates the folders of `rel` below `base` (which must exist and is trusted), one at a time,
/// refusing any on the way that is a symbolic link or not a folder.
pub fn create_dirs(base: &Path, rel: &Path) -> io::Result<()> {
    let mut dir = base.to_path_buf();
    for part in rel.components() {
        match part {
            std::path::Component::Normal(name) => dir.push(name),
            std::path::Component::CurDir => continue,
            _ => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{} leaves {}", rel.display(), base.display()),
                ));
            }
        }
        match fs::symlink_metadata(&dir) {
            Ok(meta) if meta.is_dir() => {}
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "{} is a symbolic link, and chronique never writes through a link",
                        dir.display()
                    ),
                ));
            }
            Ok(meta) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "{} is {}, not a folder",
                        dir.display(),
                        special_kind(meta.file_type())
                    ),
                ));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => match fs::create_dir(&dir) {
                Ok(()) => {}
                // Made meanwhile: checked again on the next loop would be as racy; a folder
                // is what we wanted.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => {}
                Err(e) => return Err(e),
            },
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn replace_never_writes_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "mine").unwrap();
        let link = dir.path().join("cache");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let e = replace(&link, b"theirs").unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert_eq!(fs::read_to_string(&victim).unwrap(), "mine");
        // A broken link: nothing is created where it points.
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert!(replace(&dangling, b"x").is_err());
        assert!(create_new(&dangling, b"x").is_err());
        assert!(!dir.path().join("nowhere").exists());
        // No temporary file left behind.
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 3);
    }

    #[test]
    fn replace_and_create_new_write_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        replace(&path, b"one").unwrap();
        replace(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(
            create_new(&path, b"three").unwrap_err().kind(),
            io::ErrorKind::AlreadyExists
        );
        create_new(&dir.path().join("g"), b"four").unwrap();
        assert_eq!(read_to_string(&dir.path().join("g")).unwrap(), "four");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
        assert!(replace(dir.path(), b"x").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn create_dirs_refuses_a_link_on_the_way() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("content")).unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("content/breves")).unwrap();
        let e = create_dirs(dir.path(), Path::new("content/breves/x")).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 0);
        create_dirs(dir.path(), Path::new("content/articles/y")).unwrap();
        assert!(dir.path().join("content/articles/y").is_dir());
    }

    #[test]
    fn reading_a_folder_is_refused_before_opening_it() {
        let dir = tempfile::tempdir().unwrap();
        let e = read(dir.path()).unwrap_err();
        assert!(
            e.to_string().contains("a folder, not a regular file"),
            "{e}"
        );
    }
}
