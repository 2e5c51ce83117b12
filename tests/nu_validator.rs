//! Every HTML page of the example column, and of the fixture with menus (which the column does
//! not have), passes the W3C Nu validator with no error.
//!
//! The validator is a Java program shipped by npm's `vnu-jar`. `.ci/run` installs it and points
//! `CHRONIQUE_VNU_JAR` at it; without Java or the jar this test says so and skips.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn vnu_jar() -> Option<PathBuf> {
    if let Some(jar) = std::env::var_os("CHRONIQUE_VNU_JAR") {
        return Some(PathBuf::from(jar)).filter(|p| p.is_file());
    }
    let out = Command::new("npm").args(["root", "-g"]).output().ok()?;
    let root = String::from_utf8(out.stdout).ok()?;
    Some(Path::new(root.trim()).join("vnu-jar/build/dist/vnu.jar")).filter(|p| p.is_file())
}

fn java_works() -> bool {
    Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn example_column_is_valid_html() {
    let Some(jar) = vnu_jar().filter(|_| java_works()) else {
        eprintln!(
            "SKIPPED example_column_is_valid_html: the Nu validator needs Java and npm's vnu-jar \
             (npm install -g vnu-jar, or set CHRONIQUE_VNU_JAR); .ci/run installs both"
        );
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let menus = common::Site::fixture("menus");
    // Every built-in shortcode on one page (issue 23).
    let shortcodes = common::Site::fixture("shortcodes");
    let out = tempfile::tempdir().unwrap();
    // With drafts and scheduled posts as previews, and as published: without them, the third
    // part of the example tale is an announced part, with its own markup.
    let mut outputs = Vec::new();
    for (root, name, flags) in [
        (root, "preview", &["--drafts"][..]),
        (root, "public", &[][..]),
        (menus.root.as_path(), "menus", &[][..]),
        (shortcodes.root.as_path(), "shortcodes", &[][..]),
    ] {
        let public = out.path().join(name);
        let build = Command::new(env!("CARGO_BIN_EXE_chronique"))
            .arg("build")
            .args(flags)
            .arg("--root")
            .arg(root)
            .arg("--output-dir")
            .arg(&public)
            .env("SOURCE_DATE_EPOCH", "1767225600")
            .output()
            .unwrap();
        assert!(
            build.status.success(),
            "build failed: {}",
            String::from_utf8_lossy(&build.stderr)
        );
        outputs.push(public);
    }
    let pages: Vec<PathBuf> = outputs.iter().flat_map(|p| walk_html(p)).collect();
    assert!(pages.len() > 10, "too few pages: {pages:?}");

    let report = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "gnu", "--skip-non-html"])
        .args(&outputs)
        .output()
        .unwrap();
    let messages = String::from_utf8_lossy(&report.stderr);
    assert!(
        report.status.success() && messages.trim().is_empty(),
        "the Nu validator found errors in {} pages:\n{messages}",
        pages.len()
    );
}

fn walk_html(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk_html(&path));
        } else if path.extension().is_some_and(|e| e == "html") {
            found.push(path);
        }
    }
    found
}
