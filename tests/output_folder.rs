//! The output folder under real processes: two builds at once, builds killed (SIGKILL) or
//! interrupted (SIGINT) at each phase of the swap, a full disk (a file size limit), dotfiles at
//! the top of the output (yours and chronique's), and files that land on the same path.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{EPOCH, Site, files, run_in, send_signal, snapshot};

/// The names beside the output that are chronique's (staging, old, lock, journal).
fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".chronique-"))
        .collect();
    names.sort();
    names
}

/// A site with `posts` more brèves, so that a build takes a while.
fn big_site(posts: usize) -> Site {
    let site = Site::fixture("basic");
    for i in 0..posts {
        site.write(
            &format!("content/breves/b{i:04}.md"),
            format!(
                "---\ntitle: \"Brève {i}\"\ndate: 2020-01-01\nauthors: [claire-morel]\ntags: [t{}]\n---\n{}\n",
                i % 40,
                "Une phrase sur l'attente au téléphone, encore et encore. ".repeat(30)
            ),
        );
    }
    site
}

/// `chronique build` on the site, started and not waited for (its errors kept for messages).
fn spawn_build(site: &Site, args: &[&str]) -> Child {
    common::spawn_build(site, args, Stdio::piped())
}

/// Sends `signal` (`INT`, `KILL`) to the process.
fn signal(child: &Child, signal: &str) {
    assert!(send_signal(child, signal), "kill -{signal}");
}

/// Waits until `ready()` (true), or the process ended or 60 s passed (false).
fn wait_until(mut ready: impl FnMut() -> bool, child: &mut Child) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if ready() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    false
}

/// Waits until `path` exists.
fn wait_for(path: &Path, child: &mut Child) -> bool {
    wait_until(|| path.exists(), child)
}

/// The phase of a build a test interrupts, seen from outside.
#[derive(Debug, Clone, Copy)]
enum Phase {
    /// Pages are being written into the staging folder.
    Staging,
    /// The previous output is being deleted, and at least its marker or most of it is gone.
    Deleting,
}

impl Phase {
    /// A test of whether the build is in this phase (it remembers what it saw).
    fn seen(self, root: &Path) -> impl FnMut() -> bool {
        let root = root.to_path_buf();
        let mut first_count = None;
        move || match self {
            Phase::Staging => root.join(".public.chronique-staging/breves").exists(),
            Phase::Deleting => {
                let old = root.join(".public.chronique-old");
                let Ok(entries) = fs::read_dir(&old) else {
                    return false;
                };
                let count = entries.count();
                let first = *first_count.get_or_insert(count);
                !old.join(".chronique-output").exists() || count < first
            }
        }
    }
}

/// What a fresh build of the site writes, in a folder of its own.
fn fresh(site: &Site) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let out = site.tmp.path().join("fresh");
    let _ = fs::remove_dir_all(&out);
    site.build(&["-q", "--output-dir", out.to_str().unwrap()])
        .success();
    let built = files(&out);
    fs::remove_dir_all(&out).unwrap();
    built
}

/// The output's files but the user's own dotfiles at its top.
fn published(site: &Site, yours: &[&str]) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    files(&site.public())
        .into_iter()
        .filter(|(p, _)| !yours.iter().any(|y| p.starts_with(y)))
        .collect()
}

// ---------------------------------------------------------------- 1. two builds at once

#[test]
fn two_builds_at_once_leave_a_whole_site() {
    let site = big_site(150);
    site.build(&["-q"]).success();
    site.write("public/.git/HEAD", "ref: refs/heads/main\n");
    site.write(
        "content/breves/nouvelle.md",
        "---\ntitle: \"Nouvelle\"\ndate: 2021-01-01\n---\nTexte.\n",
    );
    let mut first = spawn_build(&site, &[]);
    assert!(
        wait_for(&site.path(".public.chronique-staging"), &mut first),
        "the first build never staged"
    );
    let second = spawn_build(&site, &[]);
    let first = first.wait_with_output().unwrap();
    let second = second.wait_with_output().unwrap();
    assert!(first.status.success(), "{first:?}");
    assert!(second.status.success(), "{second:?}");
    let waited = String::from_utf8_lossy(&second.stderr);
    assert!(
        waited.is_empty() || waited.contains("waiting for another chronique (process"),
        "{waited}"
    );
    assert_eq!(published(&site, &[".git"]), fresh(&site));
    assert!(site.has("breves/nouvelle/index.html"));
    assert_eq!(
        fs::read_to_string(site.public().join(".git/HEAD")).unwrap(),
        "ref: refs/heads/main\n"
    );
    assert_eq!(leftovers(&site.root), Vec::<String>::new());
    // And the next build is as good.
    site.build(&["-q"]).success();
}

#[test]
fn a_build_waits_for_the_one_holding_the_lock_and_takes_a_stale_one_over() {
    let site = Site::fixture("basic");
    // A lock left by a build that died: its process is gone, the system released its lock.
    site.write(".public.chronique-lock", "4194303\n");
    site.build(&["-q"]).success();
    assert_eq!(leftovers(&site.root), Vec::<String>::new());

    // A lock held by a living process (flock(1), the same system lock): the build waits.
    if Command::new("flock").arg("--version").output().is_err() {
        eprintln!("skipped the waiting part: no flock(1)");
        return;
    }
    site.write(".public.chronique-lock", "12345\n");
    let holder = Command::new("flock")
        .arg(site.path(".public.chronique-lock"))
        .args(["sleep", "1.5"])
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let run = site.build(&["-q"]);
    run.success();
    assert!(
        started.elapsed() > Duration::from_millis(800),
        "did not wait: {run}"
    );
    assert!(
        run.stderr
            .contains("waiting for another chronique (process 12345) to finish writing"),
        "{run}"
    );
    let _ = { holder }.wait();
    assert_eq!(leftovers(&site.root), Vec::<String>::new());
}

#[test]
fn a_lock_file_that_is_a_link_is_refused_and_its_target_untouched() {
    let site = Site::fixture("basic");
    let target = site.tmp.path().join("bashrc");
    fs::write(&target, "export PS1='$ '\n").unwrap();
    std::os::unix::fs::symlink(&target, site.path(".public.chronique-lock")).unwrap();
    let run = site.build(&["-q"]);
    run.failure();
    assert!(run.stderr.contains("is not chronique's lock file"), "{run}");
    assert_eq!(fs::read_to_string(&target).unwrap(), "export PS1='$ '\n");
}

// ---------------------------------------------------------------- 2. interrupted builds

/// Kills a build with `sig` once `phase` (a path beside the output) appears, then checks that
/// the next build repairs everything and writes what a fresh build writes; with SIGINT, that
/// the interrupted build left nothing behind.
fn interrupt_at(phase: Phase, sig: &str) {
    // The deletion needs a larger site to be seen.
    let site = big_site(match phase {
        Phase::Staging => 100,
        Phase::Deleting => 300,
    });
    site.build(&["-q"]).success();
    site.write("public/.git/HEAD", "ref: refs/heads/main\n");
    site.write("static/.htaccess", "Options -Indexes\n");
    site.write(
        "content/breves/nouvelle.md",
        "---\ntitle: \"Nouvelle\"\ndate: 2021-01-01\n---\nTexte.\n",
    );
    let mut child = spawn_build(&site, &[]);
    let reached = wait_until(phase.seen(&site.root), &mut child);
    match phase {
        Phase::Staging => assert!(reached, "{phase:?} was never seen"),
        // The deletion is short: on a fast machine it may be missed.
        Phase::Deleting if !reached => eprintln!("{phase:?} was missed: the build ended first"),
        Phase::Deleting => {}
    }
    if reached {
        signal(&child, sig);
    }
    let status = child.wait().unwrap();
    assert!(reached || status.success(), "{phase:?}: the build failed");
    if reached && sig != "KILL" {
        use std::os::unix::process::ExitStatusExt;
        let number = if sig == "INT" { 2 } else { 15 };
        assert_eq!(status.signal(), Some(number), "{phase:?}: {status:?}");
        assert_eq!(
            leftovers(&site.root),
            Vec::<String>::new(),
            "{phase:?}: Ctrl-C left something"
        );
    }
    // The output is a whole site, the old or the new one.
    assert!(
        site.public().join(".chronique-output").is_file(),
        "{phase:?} {sig}"
    );
    assert!(site.public().join(".git/HEAD").is_file(), "{phase:?} {sig}");
    let run = site.build(&["-q"]);
    run.success();
    assert_eq!(published(&site, &[".git"]), fresh(&site), "{phase:?} {sig}");
    assert_eq!(
        fs::read_to_string(site.public().join(".git/HEAD")).unwrap(),
        "ref: refs/heads/main\n"
    );
    assert_eq!(
        leftovers(&site.root),
        Vec::<String>::new(),
        "{phase:?} {sig}"
    );
}

#[test]
fn a_build_killed_while_staging_is_repaired_by_the_next() {
    interrupt_at(Phase::Staging, "KILL");
}

#[test]
fn a_build_killed_while_deleting_the_old_output_is_repaired_by_the_next() {
    interrupt_at(Phase::Deleting, "KILL");
}

#[test]
fn ctrl_c_while_staging_removes_the_staging_folder() {
    interrupt_at(Phase::Staging, "INT");
}

#[test]
fn sigterm_while_staging_removes_the_staging_folder() {
    interrupt_at(Phase::Staging, "TERM");
}

#[test]
fn ctrl_c_while_deleting_the_old_output_finishes_the_deletion() {
    interrupt_at(Phase::Deleting, "INT");
}

/// The states a build killed inside the swap leaves (the window is too short to hit with a
/// signal), made by hand from a real build.
#[test]
fn a_build_killed_inside_the_swap_is_repaired_by_the_next() {
    // (staging with the user's dotfiles moved in, output), (staging, old), (old only),
    // and an old output half deleted by a version that deleted the marker first.
    for case in [
        "carrying",
        "between the renames",
        "old only",
        "old without marker",
    ] {
        let site = Site::fixture("basic");
        site.build(&["-q"]).success();
        site.write("public/.git/HEAD", "ref: refs/heads/main\n");
        site.write("public/.well-known/mine.txt", "à moi\n");
        let expected = fresh(&site);
        let root = &site.root;
        let staging = root.join(".public.chronique-staging");
        let old = root.join(".public.chronique-old");
        let journal = "Dotfiles of yours that chronique is moving into its staging folder (it puts them back):\n.git\n.well-known\n.\n";
        match case {
            "carrying" => {
                common::copy_dir(&site.public(), &staging);
                fs::remove_dir_all(staging.join(".well-known")).unwrap();
                fs::remove_dir_all(site.public().join(".git")).unwrap();
                fs::write(root.join(".public.chronique-carried"), journal).unwrap();
            }
            "between the renames" => {
                common::copy_dir(&site.public(), &staging);
                fs::remove_dir_all(site.public().join(".git")).unwrap();
                fs::remove_dir_all(site.public().join(".well-known")).unwrap();
                fs::rename(site.public(), &old).unwrap();
                fs::write(root.join(".public.chronique-carried"), journal).unwrap();
            }
            "old only" => {
                fs::rename(site.public(), &old).unwrap();
            }
            _ => {
                common::copy_dir(&site.public(), &old);
                for gone in [
                    ".chronique-output",
                    ".git",
                    ".well-known",
                    "breves",
                    "index.html",
                ] {
                    let p = old.join(gone);
                    if p.is_dir() {
                        fs::remove_dir_all(p).unwrap();
                    } else {
                        fs::remove_file(p).unwrap();
                    }
                }
            }
        }
        let run = site.build(&["-q"]);
        run.success();
        assert_eq!(
            published(&site, &[".git", ".well-known"]),
            expected,
            "{case}"
        );
        assert_eq!(
            fs::read_to_string(site.public().join(".git/HEAD")).unwrap(),
            "ref: refs/heads/main\n",
            "{case}"
        );
        assert_eq!(
            fs::read_to_string(site.public().join(".well-known/mine.txt")).unwrap(),
            "à moi\n",
            "{case}"
        );
        assert_eq!(leftovers(root), Vec::<String>::new(), "{case}");
    }
}

// ---------------------------------------------------------------- 11. dotfiles

#[test]
fn static_dotfiles_are_published_updated_and_unpublished() {
    let site = Site::fixture("basic");
    site.write("static/.htaccess", "Options -Indexes\n");
    site.write("static/.well-known/security.txt", "Contact: a\n");
    site.build(&["-q"]).success();
    assert_eq!(site.page_text(".htaccess"), "Options -Indexes\n");
    site.write("public/.git/HEAD", "ref: refs/heads/main\n");

    site.write("static/.htaccess", "Options +Indexes\n");
    site.write("static/.well-known/security.txt", "Contact: b\n");
    site.build(&["-q"]).success();
    assert_eq!(site.page_text(".htaccess"), "Options +Indexes\n");
    assert_eq!(site.page_text(".well-known/security.txt"), "Contact: b\n");

    fs::remove_file(site.path("static/.htaccess")).unwrap();
    fs::remove_dir_all(site.path("static/.well-known")).unwrap();
    site.build(&["-q"]).success();
    assert!(!site.public().join(".htaccess").exists(), "still published");
    assert!(
        !site.public().join(".well-known").exists(),
        "still published"
    );
    assert_eq!(site.page_text(".git/HEAD"), "ref: refs/heads/main\n");
    assert_eq!(published(&site, &[".git"]), fresh(&site));
}

#[test]
fn a_static_folder_on_your_own_dotfolder_is_an_error_and_it_survives() {
    let site = Site::fixture("basic");
    site.build(&["-q"]).success();
    site.write("public/.well-known/mine.txt", "à moi\n");
    site.write("static/.well-known/security.txt", "Contact: a\n");
    let before = snapshot(&site.public());
    let run = site.build(&[]);
    run.failure();
    assert!(
        run.stderr.contains("static/.well-known/security.txt")
            && run
                .stderr
                .contains("which is yours (chronique did not write it)"),
        "{run}"
    );
    assert!(before == snapshot(&site.public()), "public/ changed\n{run}");
}

#[test]
fn an_alias_into_your_git_folder_is_an_error_at_its_line() {
    let site = Site::fixture("basic");
    site.build(&["-q"]).success();
    site.write("public/.git/HEAD", "ref: refs/heads/main\n");
    site.write(
        "content/breves/ancien.md",
        "---\ntitle: \"Ancien\"\ndate: 2021-01-01\naliases: [\"/.git/ancien/\"]\n---\nTexte.\n",
    );
    let before = snapshot(&site.public());
    let run = site.build(&[]);
    run.failure();
    assert!(
        run.stderr.contains("content/breves/ancien.md:4:")
            && run
                .stderr
                .contains("alias \"/.git/ancien/\" would write into"),
        "{run}"
    );
    assert!(before == snapshot(&site.public()), "public/ changed\n{run}");
}

// ---------------------------------------------------------------- 12. replacements

#[test]
fn a_static_file_replaces_a_generated_one_with_a_warning() {
    let site = Site::fixture("basic");
    site.write("static/sitemap.xml", "<urlset/>\n");
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    let run = site.build(&["-q"]);
    run.success();
    assert_eq!(site.page_text("sitemap.xml"), "<urlset/>\n");
    assert_eq!(site.page_text("robots.txt"), "User-agent: *\nDisallow: /\n");
    for (file, generated) in [
        ("static/sitemap.xml", "sitemap.xml"),
        ("static/robots.txt", "robots.txt"),
    ] {
        assert!(
            run.stderr.contains(&format!(
                "{file}:1:1: replaces the {generated} that chronique generates"
            )),
            "{run}"
        );
    }
}

#[test]
fn an_alias_on_a_static_file_is_an_error_at_its_line() {
    let site = Site::fixture("basic");
    site.write("static/vieux.html", "<p>à moi</p>\n");
    site.write(
        "content/breves/ancien.md",
        "---\ntitle: \"Ancien\"\ndate: 2021-01-01\naliases:\n  - /vieux.html\n---\nTexte.\n",
    );
    let run = site.build(&[]);
    run.failure();
    assert!(
        run.stderr.contains("content/breves/ancien.md:5:")
            && run
                .stderr
                .contains("alias \"/vieux.html\" collides with the static file"),
        "{run}"
    );
}

// ---------------------------------------------------------------- 18. a full disk

/// The binary under a file size limit of `blocks` × 512 bytes: writes past it fail (EFBIG),
/// as on a full disk.
fn limited(site: &Site, blocks: u32, args: &[&str]) -> common::Run {
    let bin = assert_cmd::cargo::cargo_bin("chronique");
    let script = format!("ulimit -f {blocks}; trap '' XFSZ; exec \"$0\" \"$@\"");
    let mut all = vec!["-c", script.as_str(), bin.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = Command::new("sh")
        .args(&all)
        .current_dir(&site.root)
        .env("SOURCE_DATE_EPOCH", EPOCH.to_string())
        .output()
        .unwrap();
    common::Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn a_full_disk_leaves_the_previous_output_and_nothing_beside_it() {
    let site = big_site(20);
    site.build(&["-q"]).success();
    site.write(
        "content/breves/nouvelle.md",
        "---\ntitle: \"Nouvelle\"\ndate: 2021-01-01\n---\nTexte.\n",
    );
    let before = snapshot(&site.public());
    for blocks in [0, 1, 8] {
        let root = site.root.to_str().unwrap();
        let run = limited(&site, blocks, &["build", "--root", root]);
        run.failure();
        assert!(run.stderr.contains("File too large"), "{blocks}: {run}");
        assert!(
            before == snapshot(&site.public()),
            "{blocks}: public/ changed"
        );
        assert_eq!(
            leftovers(&site.root),
            Vec::<String>::new(),
            "{blocks}: {run}"
        );
    }
    site.build(&["-q"]).success();
    assert!(site.has("breves/nouvelle/index.html"));
}

#[test]
fn init_on_a_full_disk_leaves_nothing_and_can_be_run_again() {
    let tmp = tempfile::tempdir().unwrap();
    let site = Site {
        root: tmp.path().to_path_buf(),
        tmp,
    };
    fs::create_dir(site.root.join(".git")).unwrap();
    for target in ["colonne", "."] {
        let run = limited(&site, 1, &["init", target]);
        run.failure();
        let visible: Vec<String> = fs::read_dir(&site.root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        assert_eq!(visible, Vec::<String>::new(), "{target}: {run}");
        assert!(!site.root.join(".gitignore").exists(), "{target}");
        assert!(site.root.join(".git").is_dir());
        run_in(&site.root, &[], &["init", "-q", target]);
        assert!(
            site.root.join(target).join("site.toml").is_file(),
            "{target}"
        );
        if target == "colonne" {
            fs::remove_dir_all(site.root.join("colonne")).unwrap();
        }
    }
}
