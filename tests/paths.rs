//! Paths, symbolic links and odd files (issue 19): chronique never writes through a link
//! outside its output, never reads through a top-level folder that is a link leaving the site,
//! never waits on a named pipe, and says where a theme falls short.
//!
//! (The settings and front-matter cases with a line to point at are fixtures under
//! `tests/fixtures/errors/`, run by tests/errors.rs.)

mod common;
#[path = "fixtures/serve/harness.rs"]
mod harness;

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{Run, Site};

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).expect("a symbolic link");
}

/// Makes a named pipe with `mkfifo`; false (the test then says it skipped) where there is none.
fn mkfifo(path: &Path) -> bool {
    match Command::new("mkfifo").arg(path).status() {
        Ok(status) if status.success() => true,
        _ => {
            eprintln!("skipped: no mkfifo to make {}", path.display());
            false
        }
    }
}

/// Runs `chronique` with `args` in `dir`, killed after `limit`: `None` when it had to be.
fn run_within(dir: &Path, args: &[&str], limit: Duration) -> Option<Run> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chronique"))
        .current_dir(dir)
        .args(args)
        .env("SOURCE_DATE_EPOCH", common::EPOCH.to_string())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("chronique starts");
    let started = Instant::now();
    while started.elapsed() < limit {
        if child.try_wait().expect("wait").is_some() {
            let out = child.wait_with_output().expect("output");
            return Some(Run {
                code: out.status.code(),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            });
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

// ---- 3. Files written outside the output: never through a link -----------------------------

#[cfg(unix)]
#[test]
fn check_external_never_writes_through_a_linked_link_cache() {
    let site = Site::fixture("basic");
    // A link to a port nothing listens on: refused at once, no network needed.
    site.write(
        "content/breves/lien.md",
        "---\ntitle: \"Lien\"\ndate: 2019-12-18\n---\n[ailleurs](http://127.0.0.1:9/x)\n",
    );
    let victim = site.tmp.path().join(".bashrc");
    fs::write(&victim, "# mine\n").unwrap();
    symlink(&victim, site.path(".chronique-linkcache"));
    let run = site.run(&["check", "--external", "--timeout", "2"]);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "# mine\n", "{run}");
    assert!(
        run.stderr.contains(
            "warning: .chronique-linkcache:1:1: the link cache was not written: it is a symbolic link"
        ),
        "{run}"
    );
    // A broken link: nothing created where it points either.
    fs::remove_file(site.path(".chronique-linkcache")).unwrap();
    let nowhere = site.tmp.path().join("nowhere");
    symlink(&nowhere, site.path(".chronique-linkcache"));
    site.run(&["check", "--external", "--timeout", "2"]);
    assert!(!nowhere.exists());
    // Without a link, the cache is written as before (a regular file, no temporary left).
    fs::remove_file(site.path(".chronique-linkcache")).unwrap();
    site.run(&["check", "--external", "--timeout", "2"]);
    let cache = site.path(".chronique-linkcache");
    assert!(fs::symlink_metadata(&cache).unwrap().is_file());
    let leftovers: Vec<_> = fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("chronique-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[cfg(unix)]
#[test]
fn check_external_does_not_read_a_linked_link_cache() {
    // Read through, a link to `/dev/zero` would never end; here, a file outside the site
    // vouching for a link is not believed.
    let site = Site::fixture("basic");
    site.write(
        "content/breves/lien.md",
        "---\ntitle: \"Lien\"\ndate: 2019-12-18\n---\n[ailleurs](http://127.0.0.1:9/x)\n",
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let outside = site.tmp.path().join("cache");
    fs::write(&outside, format!("{now}\t200\thttp://127.0.0.1:9/x\n")).unwrap();
    symlink(&outside, site.path(".chronique-linkcache"));
    let run = site.run(&["check", "--external", "--timeout", "2"]);
    assert!(
        run.stdout.contains("(0 from the cache)") || run.stderr.contains("(0 from the cache)"),
        "{run}"
    );
}

#[cfg(unix)]
#[test]
fn serve_never_writes_its_gitignore_through_a_link() {
    let site = harness::Site::new();
    let victim = site.tmp.path().join("victim");
    // As a cloned repository could ship it: a serve folder of chronique's, with the link.
    fs::create_dir_all(site.output()).unwrap();
    fs::write(site.output().join(".chronique-output"), "").unwrap();
    symlink(&victim, site.output().join(".gitignore"));
    let server = harness::Server::start(&site, &[]);
    assert_eq!(server.get("/").status, 200, "{}", server.log().join("\n"));
    drop(server);
    assert!(!victim.exists(), "serve wrote through .gitignore");
    assert!(
        fs::symlink_metadata(site.output().join(".gitignore"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[cfg(unix)]
#[test]
fn new_never_writes_through_a_linked_folder() {
    let site = Site::fixture("basic");
    let elsewhere = site.tmp.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    symlink(&elsewhere, site.path("content/contes"));
    let root = site.root.to_str().unwrap();
    let run = site.run(&["new", "conte", "Le retour", "--root", root]);
    run.failure();
    assert!(
        run.stderr
            .contains("is a symbolic link, and chronique never writes through a link"),
        "{run}"
    );
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
    // The post's own name, a broken link: `new` says the file is in the way.
    let nowhere = site.tmp.path().join("nowhere.md");
    symlink(&nowhere, site.path("content/breves/le-retour.md"));
    let run = site.run(&["new", "breve", "Le retour", "--root", root]);
    run.failure();
    assert!(run.stderr.contains("already exists"), "{run}");
    assert!(!nowhere.exists());
}

#[test]
fn new_shortens_the_slug_of_a_very_long_title() {
    let site = Site::fixture("basic");
    let title = "Une très longue histoire de service client qui ne finit jamais ".repeat(4);
    assert!(title.len() > 250);
    let root = site.root.to_str().unwrap();
    let run = site.run(&["new", "breve", title.trim(), "--root", root]);
    run.success();
    let path = run.stdout.trim();
    let stem = Path::new(path).file_stem().unwrap().to_str().unwrap();
    assert!(stem.len() <= 80, "{path}");
    assert!(
        stem.starts_with("une-tres-longue-histoire-de-service-client") && !stem.ends_with('-'),
        "{path}"
    );
    // The whole title is kept, and the post builds.
    let text = fs::read_to_string(site.path(path)).unwrap();
    assert!(text.contains(title.trim()), "{text}");
    site.build(&["--drafts"]).success();
}

#[test]
fn new_refuses_a_title_that_makes_a_reserved_name() {
    let site = Site::fixture("basic");
    let root = site.root.to_str().unwrap();
    let run = site.run(&["new", "breve", "Nul", "--root", root]);
    run.failure();
    assert!(
        run.stderr.contains("\"nul\", a name Windows reserves"),
        "{run}"
    );
    assert!(!site.path("content/breves/nul.md").exists());
}

// ---- 4. Top-level folders that are links ---------------------------------------------------

#[cfg(unix)]
#[test]
fn a_top_level_folder_linked_outside_the_site_is_refused() {
    for dir in [
        "static",
        "content",
        "templates",
        "themes/chronique",
        "themes",
    ] {
        let site = Site::fixture("basic");
        let dotssh = site.tmp.path().join("dotssh");
        if dir.starts_with("themes") {
            // A copy of the theme outside, with a secret among its static files.
            common::copy_dir(&site.path(dir), &dotssh);
            fs::remove_dir_all(site.path(dir)).unwrap();
        } else if dir == "content" {
            common::copy_dir(&site.path("content"), &dotssh);
            fs::remove_dir_all(site.path("content")).unwrap();
        } else {
            fs::create_dir(&dotssh).unwrap();
        }
        fs::write(dotssh.join("id_rsa"), "SECRET").unwrap();
        symlink(&dotssh, site.path(dir));
        let run = site.build(&[]);
        run.failure();
        let shown = format!("error: {dir}:1:1: {dir}/ is a symbolic link to ");
        assert!(run.stderr.contains(&shown), "{dir}\n{run}");
        assert!(run.stderr.contains("outside the site: refused"), "{run}");
        assert!(!site.public().exists(), "{dir}");
        // `check` says so too.
        site.run(&["check"]).failure();
    }
}

#[cfg(unix)]
#[test]
fn a_top_level_folder_linked_inside_the_site_is_read() {
    let site = Site::fixture("basic");
    site.write("assets/static/robots.txt", "User-agent: *\n");
    symlink("assets/static", site.path("static"));
    site.build(&[]).success();
    assert_eq!(site.page_text("robots.txt"), "User-agent: *\n");
}

// ---- 15. A theme without templates, or without base.html -----------------------------------

#[test]
fn an_empty_theme_is_an_error_and_check_counts_it() {
    let site = Site::fixture("basic");
    fs::create_dir_all(site.path("themes/vide")).unwrap();
    let toml = fs::read_to_string(site.path("site.toml")).unwrap();
    site.write("site.toml", format!("{toml}theme = \"vide\"\n"));
    let line = toml.lines().count() + 1;
    let expected = format!(
        "error: site.toml:{line}:1: theme \"vide\" has no templates: themes/vide/templates/ holds no file"
    );
    let run = site.build(&[]);
    run.failure();
    assert!(run.stderr.contains(&expected), "{run}");
    assert!(!site.public().exists());
    let run = site.run(&["check"]);
    run.failure();
    assert!(run.stderr.contains(&expected), "{run}");
    assert!(
        !run.stdout.contains("0 errors") && !run.stderr.contains("0 errors"),
        "{run}"
    );
}

#[test]
fn a_theme_without_base_html_names_the_template_that_extends_it() {
    let site = Site::fixture("basic");
    fs::remove_file(site.path("themes/chronique/templates/base.html")).unwrap();
    let run = site.build(&[]);
    run.failure();
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{run}");
    assert!(
        errors[0].starts_with("error: themes/chronique/templates/")
            && errors[0].contains(":1:12: template error: ")
            && errors[0].contains(
                "extends \"base.html\", which the theme does not have: add themes/chronique/templates/base.html or templates/base.html"
            ),
        "{run}"
    );
}

// ---- 17. Named pipes -----------------------------------------------------------------------

#[test]
fn a_named_pipe_as_site_toml_is_an_error_not_a_hang() {
    let site = Site::fixture("basic");
    fs::remove_file(site.path("site.toml")).unwrap();
    if !mkfifo(&site.path("site.toml")) {
        return;
    }
    for command in ["build", "check"] {
        let run = run_within(&site.root, &[command], Duration::from_secs(30))
            .unwrap_or_else(|| panic!("{command} waited on the named pipe site.toml"));
        run.failure();
        assert!(
            run.stderr.contains(
                "error: cannot read site.toml: it is a named pipe (FIFO), not a regular file"
            ),
            "{run}"
        );
    }
}

#[test]
fn a_named_pipe_as_i18n_toml_is_an_error_not_a_hang() {
    let site = Site::fixture("basic");
    if !mkfifo(&site.path("i18n.toml")) {
        return;
    }
    let run = run_within(&site.root, &["build"], Duration::from_secs(30))
        .expect("build waited on the named pipe i18n.toml");
    run.failure();
    assert!(
        run.stderr
            .contains("cannot read i18n.toml: it is a named pipe"),
        "{run}"
    );
}

#[test]
fn named_pipes_in_the_sources_are_skipped_with_a_warning() {
    let site = Site::fixture("basic");
    fs::create_dir_all(site.path("static")).unwrap();
    if !mkfifo(&site.path("content/breves/tuyau.md")) || !mkfifo(&site.path("static/tuyau.txt")) {
        return;
    }
    let run = run_within(&site.root, &["build"], Duration::from_secs(60))
        .expect("build waited on a named pipe");
    run.success();
    for path in ["content/breves/tuyau.md", "static/tuyau.txt"] {
        let line = format!(
            "warning: {path}:1:1: a named pipe (FIFO): skipped, chronique reads only regular files"
        );
        assert!(run.stderr.contains(&line), "{run}");
    }
    assert!(!site.has("tuyau.txt"));
}
