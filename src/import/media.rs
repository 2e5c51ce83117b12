//! A post's uploads: the files of the blog's `wp-content/uploads/` it shows or links to, found
//! in the `--uploads` folder (the one from the WordPress backup) and copied beside the post,
//! which becomes a bundle; their references rewritten to the copy's bare name. Nothing is ever
//! fetched: a file that is not in the folder keeps its reference and is listed in the report.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::links::percent_decoded;

/// The uploads of one post.
pub struct PostMedia<'a> {
    folder: Option<&'a Path>,
    /// (name in the bundle, the file in the uploads folder), in the order first referenced.
    pub files: Vec<(String, PathBuf)>,
    /// Path below `uploads/` → name in the bundle.
    by_path: HashMap<String, String>,
    /// References to uploads that are not in the folder (or no folder was given), once each.
    pub missing: Vec<String>,
}

impl<'a> PostMedia<'a> {
    pub fn new(folder: Option<&'a Path>) -> Self {
        PostMedia {
            folder,
            files: Vec::new(),
            by_path: HashMap::new(),
            missing: Vec::new(),
        }
    }

    /// The name in the bundle of the upload at `url`, planned to be copied; `None` when `url`
    /// is not an upload, or when its file is missing (then listed in [`Self::missing`]).
    pub fn take(&mut self, url: &str) -> Option<String> {
        let path = upload_path(url)?;
        if let Some(name) = self.by_path.get(&path) {
            return Some(name.clone());
        }
        let found = self.folder.map(|f| f.join(&path)).filter(|file| {
            // A regular file only: a link in a backup could point anywhere on this machine.
            std::fs::symlink_metadata(file).is_ok_and(|m| m.is_file())
        });
        let Some(file) = found else {
            if !self.missing.iter().any(|m| m == url) {
                self.missing.push(url.to_string());
            }
            return None;
        };
        let name = self.free_name(&path);
        self.by_path.insert(path, name.clone());
        self.files.push((name.clone(), file));
        Some(name)
    }

    /// The file's name, or `name-2.ext`… when another upload of the post has it (two months'
    /// `photo.jpg`); never a Markdown file's (a bundle holds one, its `index.md`).
    fn free_name(&self, path: &str) -> String {
        let name = path.rsplit('/').next().unwrap_or(path);
        let name = match name.to_ascii_lowercase().ends_with(".md") {
            true => format!("{name}.txt"),
            false => name.to_string(),
        };
        let (stem, ext) = match name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => (stem.to_string(), format!(".{ext}")),
            _ => (name.clone(), String::new()),
        };
        let mut candidate = name;
        let mut n = 2;
        while self.files.iter().any(|(taken, _)| *taken == candidate) {
            candidate = format!("{stem}-{n}{ext}");
            n += 1;
        }
        candidate
    }
}

/// The path below `wp-content/uploads/` of an upload's URL (absolute or not), decoded, if it is
/// one and every part of it can be a file's name (no `..`, no `\`).
pub fn upload_path(url: &str) -> Option<String> {
    let (_, after) = url.split_once("/wp-content/uploads/")?;
    let after = after.split(['?', '#']).next().unwrap_or_default();
    let path = percent_decoded(after);
    let parts: Vec<&str> = path.split('/').collect();
    let bad = |p: &&str| {
        p.is_empty()
            || *p == "."
            || *p == ".."
            || p.contains(['\\', ':'])
            || p.contains(char::is_control)
    };
    (!parts.iter().any(bad)).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_are_found_by_their_path_below_uploads() {
        let url = "https://b.fr/wp-content/uploads/2018/03/caf%C3%A9.jpg?w=300";
        assert_eq!(upload_path(url).as_deref(), Some("2018/03/café.jpg"));
        assert_eq!(
            upload_path("/wp-content/uploads/a.png").as_deref(),
            Some("a.png")
        );
        assert_eq!(
            upload_path("https://b.fr/wp-content/uploads/../../etc/passwd"),
            None
        );
        assert_eq!(upload_path("https://b.fr/wp-content/uploads/"), None);
        assert_eq!(upload_path("https://b.fr/img/a.png"), None);
    }

    #[test]
    fn files_are_copied_once_under_free_names_and_missing_ones_listed() {
        let tmp = tempfile::tempdir().unwrap();
        for dir in ["2018/03", "2019/01"] {
            std::fs::create_dir_all(tmp.path().join(dir)).unwrap();
            std::fs::write(tmp.path().join(dir).join("photo.jpg"), dir).unwrap();
        }
        let mut media = PostMedia::new(Some(tmp.path()));
        let first = "https://b.fr/wp-content/uploads/2018/03/photo.jpg";
        assert_eq!(media.take(first).as_deref(), Some("photo.jpg"));
        assert_eq!(media.take(first).as_deref(), Some("photo.jpg"));
        let second = "https://b.fr/wp-content/uploads/2019/01/photo.jpg";
        assert_eq!(media.take(second).as_deref(), Some("photo-2.jpg"));
        let gone = "https://b.fr/wp-content/uploads/2020/01/gone.jpg";
        assert_eq!(media.take(gone), None);
        assert_eq!(media.take(gone), None);
        assert_eq!(media.take("https://ailleurs.fr/x.jpg"), None);
        assert_eq!(media.files.len(), 2);
        assert_eq!(media.missing, [gone]);
    }
}
