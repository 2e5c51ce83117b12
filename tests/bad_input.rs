//! Bad input that cannot live in `tests/fixtures/errors/` (see `tests/errors.rs` for those):
//! inputs too big to commit, made here at run time, and states of the file system (symbolic
//! links, a read-only or full output folder). No case may panic: each exits 1 with a message
//! naming the file, or builds when the input is actually valid.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{Run, Site, snapshot};

/// A one-section site with the given posts.
fn site_with(posts: &[(&str, String)]) -> Site {
    let site = Site::from_dir(&common::fixtures().join("errors/bad_date"));
    fs::remove_file(site.path("content/breves/punition.md")).unwrap();
    for (name, text) in posts {
        site.write(&format!("content/breves/{name}"), text);
    }
    site
}

fn post(title: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndate: 2019-12-17\n---\n{body}\n")
}

#[track_caller]
fn no_panic(run: &Run) {
    assert!(!run.stderr.contains("panicked"), "a panic\n{run}");
    assert!(!run.stderr.contains("overflow"), "an overflow\n{run}");
}

#[test]
fn a_title_of_100_000_characters_builds() {
    let title = "é".repeat(100_000);
    let site = site_with(&[("long.md", post(&title, "Texte."))]);
    let run = site.build(&[]);
    no_panic(&run);
    run.success();
    assert!(site.page_text("breves/long/index.html").contains(&title));
}

#[test]
fn markdown_nested_10_000_levels_deep_builds() {
    let depth = 10_000;
    let site = site_with(&[
        ("citations.md", post("Citations", &"> ".repeat(depth))),
        (
            "liste.md",
            post("Liste", &format!("{}fond", "- ".repeat(depth))),
        ),
        (
            "numeros.md",
            post("Numéros", &format!("{}fond", "1. ".repeat(depth))),
        ),
        (
            "emphase.md",
            post(
                "Emphase",
                &format!("{}a{}", "*_".repeat(depth), "_*".repeat(depth)),
            ),
        ),
        (
            "crochets.md",
            post(
                "Crochets",
                &format!("{}x{}", "[".repeat(depth), "](/)".repeat(depth)),
            ),
        ),
        (
            "html.md",
            post(
                "HTML",
                &format!("{}x{}", "<div>".repeat(depth), "</div>".repeat(depth)),
            ),
        ),
    ]);
    let run = site.build(&[]);
    no_panic(&run);
    run.success();
    assert!(site.has("breves/citations/index.html"));
    assert!(site.has("breves/liste/index.html"));
}

#[test]
fn a_huge_front_matter_is_refused_naming_the_file() {
    let body = format!("x: \"{}\"\n", "a".repeat(2 << 20));
    let text = format!("---\ntitle: \"Gros\"\ndate: 2019-12-17\n{body}---\nTexte.\n");
    let site = site_with(&[("gros.md", text)]);
    let run = site.build(&[]);
    run.failure();
    assert!(
        run.stderr
            .contains("error: content/breves/gros.md:2:1: the front matter is too large"),
        "{run}"
    );
}

#[test]
fn a_symbolic_link_to_outside_the_site_is_refused() {
    let site = site_with(&[("ok.md", post("Ok", "Texte."))]);
    let secret = site.tmp.path().join("secret.txt");
    fs::write(&secret, "mot de passe").unwrap();
    fs::create_dir_all(site.path("static")).unwrap();
    std::os::unix::fs::symlink(&secret, site.path("static/secret.txt")).unwrap();
    std::os::unix::fs::symlink(&secret, site.path("content/breves/secret.md")).unwrap();
    let run = site.build(&[]);
    run.failure();
    for file in ["static/secret.txt", "content/breves/secret.md"] {
        let line = format!("error: {file}:1:1: symbolic link to ");
        assert!(run.stderr.contains(&line), "lacks {line}\n{run}");
    }
    assert!(run.stderr.contains("outside the site: refused"), "{run}");
    assert!(!site.public().exists());
}

#[test]
fn a_symbolic_link_inside_the_site_is_skipped_with_a_warning() {
    let site = site_with(&[("ok.md", post("Ok", "Texte."))]);
    std::os::unix::fs::symlink("ok.md", site.path("content/breves/lien.md")).unwrap();
    std::os::unix::fs::symlink("absent.md", site.path("content/breves/casse.md")).unwrap();
    let run = site.build(&[]);
    run.success();
    assert!(
        run.stderr
            .contains("warning: content/breves/lien.md:1:1: symbolic link: skipped"),
        "{run}"
    );
    assert!(
        run.stderr
            .contains("warning: content/breves/casse.md:1:1: broken symbolic link: skipped"),
        "{run}"
    );
    assert!(site.has("breves/ok/index.html"));
    assert!(!site.has("breves/lien/index.html"));
}

/// Makes `dir` impossible to change, even for root (CI runs as root, where mode bits do not
/// stop anything): `chattr +i` when there is one, else the mode bits. `false` if neither works.
fn freeze(dir: &Path, frozen: bool) -> bool {
    let flag = if frozen { "+i" } else { "-i" };
    let chattr = Command::new("chattr").arg(flag).arg(dir).output();
    if chattr.is_ok_and(|o| o.status.success()) {
        return true;
    }
    use std::os::unix::fs::PermissionsExt;
    let mode = if frozen { 0o555 } else { 0o755 };
    fs::set_permissions(dir, fs::Permissions::from_mode(mode)).unwrap();
    // Root ignores the mode bits: then the case cannot be set up here.
    let probe = dir.join(".probe");
    if frozen && fs::write(&probe, "").is_ok() {
        fs::remove_file(&probe).unwrap();
        return false;
    }
    true
}

#[test]
fn a_read_only_output_folder_is_an_error_naming_it() {
    let site = site_with(&[("ok.md", post("Ok", "Texte."))]);
    site.build(&[]).success();
    let before = snapshot(&site.public());
    if !freeze(&site.public(), true) {
        eprintln!("skipped: cannot make a read-only folder here");
        return;
    }
    site.write("content/breves/autre.md", post("Autre", "Texte."));
    let run = site.build(&[]);
    freeze(&site.public(), false);
    run.failure();
    assert!(
        run.stderr.contains(site.public().to_str().unwrap()),
        "{run}"
    );
    assert!(run.stderr.contains("nothing was written"), "{run}");
    assert!(before == snapshot(&site.public()), "public/ changed\n{run}");
    let leftovers: Vec<_> = fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".chronique-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A full disk, where a small tmpfs can be mounted (root on Linux); skipped elsewhere.
#[test]
fn a_full_disk_is_an_error_and_leaves_nothing_behind() {
    let site = site_with(&[("ok.md", post("Ok", &"Texte. ".repeat(20_000)))]);
    let disk = site.tmp.path().join("disk");
    fs::create_dir(&disk).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&disk)
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        eprintln!("skipped: cannot mount a small tmpfs here");
        return;
    }
    let out = disk.join("public");
    let run = site.build(&["--output-dir", out.to_str().unwrap()]);
    let leftovers: Vec<String> = fs::read_dir(&disk)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let unmounted = Command::new("umount").arg(&disk).status();
    run.failure();
    assert!(run.stderr.contains("No space left on device"), "{run}");
    assert!(run.stderr.contains("nothing was written"), "{run}");
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(unmounted.is_ok_and(|s| s.success()));
}

/// A 10 MB post through the Markdown pipeline (typography, highlighting, summary, plain text).
/// Through the library: the whole build of such a post takes several seconds in a debug build,
/// most of it in the templates.
#[test]
fn a_10_mb_post_is_rendered() {
    use chronique::config::Language;
    use chronique::markdown::{Options, render};
    let chunk = "Le client « attend » depuis 3 heures… C'est l'irritant n° 1 ; vraiment !\n\n\
                 > Une citation, avec un [lien](https://exemple.fr/) et du *gras*.\n\n\
                 - un point\n  - un sous-point\n\n";
    let code = "```rust\nfn main() { println!(\"x\"); }\n```\n\n";
    let mut text = String::with_capacity(10 << 20);
    while text.len() < 10 << 20 {
        for _ in 0..200 {
            text.push_str(chunk);
        }
        text.push_str(code);
    }
    let options = Options {
        language: Language::Fr,
        typography: true,
        highlight: true,
        heading_shift: 0,
    };
    let rendered = render(&text, &options, &|_| None);
    assert!(rendered.html.len() > text.len());
    assert!(rendered.html.contains("<blockquote>"));
}
