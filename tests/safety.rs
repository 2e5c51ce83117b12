//! What the build must never do: touch the previous output on failure, write into or delete the
//! sources, replace a folder it did not create, lose `public/.git`, or depend on anything but the
//! sources and `SOURCE_DATE_EPOCH`.

mod common;

use std::fs;
use std::path::Path;

use common::{EPOCH, Site, files, run_in, snapshot};

/// The names in `dir` that look like chronique's staging or old-output folders.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".chronique-"))
        .collect()
}

#[test]
fn a_failed_build_leaves_the_previous_output_as_it_was() {
    let breakages: [(&str, &str); 3] = [
        (
            "content/breves/punition.md",
            "---\ntitel: \"La punition\"\ndate: 2019-12-17\n---\n",
        ),
        (
            "content/articles/attente.md",
            "---\ntitle: \"Lien\"\ndate: 2020-03-01\n---\n[x](@/breves/absente.md)\n",
        ),
        (
            "templates/page.html",
            "{% extends \"base.html\" %}{% block content %}{{ page.nope | upper }}{% endblock content %}",
        ),
    ];
    for (file, text) in breakages {
        let site = Site::fixture("basic");
        site.build(&[]).success();
        let before = snapshot(&site.public());
        assert!(before.len() > 5, "the first build wrote too little");

        site.write(file, text);
        let run = site.build(&[]);
        run.failure();
        assert!(run.stderr.contains("nothing was written"), "{run}");
        let after = snapshot(&site.public());
        assert!(before == after, "breaking {file} changed public/\n{run}");
        assert_eq!(leftovers(&site.root), Vec::<String>::new());
    }
}

#[test]
fn output_folders_holding_sources_are_refused() {
    for output in [
        ".",
        "./",
        "..",
        "content",
        "content/breves",
        "static",
        "themes",
        "templates",
    ] {
        let site = Site::fixture("basic");
        site.write("canary.txt", "ne pas effacer");
        fs::write(site.tmp.path().join("beside.txt"), "ne pas effacer").unwrap();
        let before = snapshot(site.tmp.path());

        let run = site.run(&["build", "--output-dir", output]);
        run.failure();
        assert!(run.stderr.contains("refusing"), "{output}\n{run}");
        assert!(
            before == snapshot(site.tmp.path()),
            "--output-dir {output} changed files\n{run}"
        );
    }
}

#[test]
fn absolute_output_paths_into_the_sources_are_refused() {
    let site = Site::fixture("basic");
    let before = snapshot(site.tmp.path());
    for output in [site.root.clone(), site.path("content")] {
        let run = site.build(&["--output-dir", output.to_str().unwrap()]);
        run.failure();
        assert!(run.stderr.contains("refusing"), "{run}");
    }
    assert!(before == snapshot(site.tmp.path()));
}

#[test]
fn the_home_folder_is_refused() {
    let site = Site::fixture("basic");
    let home = site.tmp.path().join("home");
    fs::create_dir(&home).unwrap();
    fs::write(home.join(".bashrc"), "# mine").unwrap();
    let before = snapshot(site.tmp.path());
    let epoch = EPOCH.to_string();
    let run = run_in(
        &site.root,
        &[
            ("SOURCE_DATE_EPOCH", epoch.as_str()),
            ("HOME", home.to_str().unwrap()),
        ],
        &["build", "--output-dir", home.to_str().unwrap()],
    );
    run.failure();
    assert!(run.stderr.contains("refusing"), "{run}");
    assert!(before == snapshot(site.tmp.path()));
}

#[test]
fn a_non_empty_folder_not_created_by_chronique_is_refused() {
    let site = Site::fixture("basic");
    let other = site.tmp.path().join("other");
    fs::create_dir(&other).unwrap();
    fs::write(other.join("keep.txt"), "à moi").unwrap();
    // The default output too: a hand-made public/ is not ours.
    site.write("public/index.html", "<p>fait main</p>");
    let before = snapshot(site.tmp.path());

    let run = site.build(&["--output-dir", other.to_str().unwrap()]);
    run.failure();
    assert!(run.stderr.contains("was not created by chronique"), "{run}");
    let run = site.build(&[]);
    run.failure();
    assert!(run.stderr.contains("was not created by chronique"), "{run}");
    assert!(before == snapshot(site.tmp.path()));
}

#[test]
fn an_empty_folder_may_be_used() {
    let site = Site::fixture("basic");
    let out = site.tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    for _ in 0..2 {
        site.build(&["--output-dir", out.to_str().unwrap()])
            .success();
        assert!(out.join("breves/punition/index.html").is_file());
        assert_eq!(leftovers(site.tmp.path()), Vec::<String>::new());
    }
    assert!(!site.public().exists());
}

#[test]
fn a_rebuild_replaces_the_output_but_keeps_its_top_dotfiles() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    site.write("public/.git/HEAD", "ref: refs/heads/main\n");
    site.write("public/.well-known/security.txt", "Contact: x\n");
    site.write("public/stale.html", "<p>old</p>");
    site.write("public/breves/stale/index.html", "<p>old</p>");
    fs::remove_file(site.path("content/articles/attente.md")).unwrap();

    site.build(&[]).success();
    assert_eq!(
        fs::read_to_string(site.public().join(".git/HEAD")).unwrap(),
        "ref: refs/heads/main\n"
    );
    assert_eq!(
        fs::read_to_string(site.public().join(".well-known/security.txt")).unwrap(),
        "Contact: x\n"
    );
    assert!(!site.has("stale.html"), "a stale file survived");
    assert!(
        !site.has("breves/stale/index.html"),
        "a stale page survived"
    );
    assert!(
        !site.has("articles/attente/index.html"),
        "a removed post survived"
    );
    assert!(site.has("breves/punition/index.html"));
    assert_eq!(leftovers(&site.root), Vec::<String>::new());
}

#[test]
fn a_leftover_staging_folder_of_ours_is_cleaned_up() {
    let site = Site::fixture("basic");
    site.write(".public.chronique-staging/.chronique-output", "");
    site.write(".public.chronique-staging/half.html", "half");
    site.build(&[]).success();
    assert!(!site.has("half.html"));
    assert_eq!(leftovers(&site.root), Vec::<String>::new());
}

#[test]
fn builds_with_the_same_source_date_epoch_are_byte_identical() {
    for fixture in [
        "basic",
        "pagination",
        "markdown_extensions",
        "static_files",
        "internal_links",
        "drafts_and_schedule",
    ] {
        let site = Site::fixture(fixture);
        let a = site.tmp.path().join("a");
        let b = site.tmp.path().join("b");
        site.build(&["--drafts", "-o", a.to_str().unwrap()])
            .success();
        // Another run, another folder, one thread instead of many.
        let epoch = EPOCH.to_string();
        run_in(
            site.tmp.path(),
            &[
                ("SOURCE_DATE_EPOCH", epoch.as_str()),
                ("RAYON_NUM_THREADS", "1"),
            ],
            &[
                "build",
                "--drafts",
                "--root",
                site.root.to_str().unwrap(),
                "-o",
                b.to_str().unwrap(),
            ],
        )
        .success();
        let (a, b) = (files(&a), files(&b));
        assert!(a.len() > 3, "{fixture}: too few files");
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "{fixture}"
        );
        for (path, bytes) in &a {
            assert!(bytes == &b[path], "{fixture}: {} differs", path.display());
        }
    }
}

#[test]
fn rebuilding_the_same_sources_rewrites_the_same_bytes() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    let first = files(&site.public());
    site.build(&[]).success();
    assert!(first == files(&site.public()));
    // A different "now" is seen: the comparison above is not blind.
    site.write(
        "content/breves/future.md",
        "---\ntitle: \"Futur\"\ndate: 2026-06-01\n---\n",
    );
    site.build(&[]).success();
    assert!(
        first == files(&site.public()),
        "a scheduled post changed the site"
    );
    site.build_at(EPOCH + 365 * common::DAY, &[]).success();
    assert!(first != files(&site.public()));
}

/// The inode and modification time of a file: what tells a reused file from a rewritten one.
fn identity(path: &Path) -> (u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt;
    let m = fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (m.ino(), m.modified().unwrap())
}

#[test]
fn only_files_whose_bytes_changed_are_rewritten() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    let public = site.public();
    let page = public.join("breves/punition/index.html");
    let other = public.join("articles/attente/index.html");
    let css = public.join("css/chronique.css");
    let before = [identity(&page), identity(&other), identity(&css)];
    std::thread::sleep(std::time::Duration::from_millis(20));

    // Nothing changed: every file is the previous one, mtime and all.
    site.build(&[]).success();
    assert_eq!(before, [identity(&page), identity(&other), identity(&css)]);

    // One post changed: its page is new, an unrelated page and the stylesheet are kept.
    let path = site.path("content/breves/punition.md");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replace("Vingt-deux minutes", "Vingt-trois minutes"),
    )
    .unwrap();
    site.build(&[]).success();
    assert_ne!(identity(&page), before[0]);
    assert!(
        fs::read_to_string(&page)
            .unwrap()
            .contains("Vingt-trois minutes")
    );
    assert_eq!(identity(&other), before[1]);
    assert_eq!(identity(&css), before[2]);

    // A file edited by hand in the output (same length) is rewritten, not trusted.
    let edited = fs::read_to_string(&other)
        .unwrap()
        .replacen("<main", "<MAIN", 1);
    fs::write(&other, &edited).unwrap();
    site.build(&[]).success();
    assert!(fs::read_to_string(&other).unwrap().contains("<main"));
}

#[test]
fn a_failed_build_after_a_reusing_build_leaves_the_output_as_it_was() {
    let site = Site::fixture("basic");
    site.build(&[]).success();
    site.build(&[]).success();
    let before = snapshot(&site.public());
    site.write(
        "content/breves/punition.md",
        "---\ntitel: \"La punition\"\ndate: 2019-12-17\n---\n",
    );
    site.build(&[]).failure();
    assert!(before == snapshot(&site.public()));
}

#[test]
fn slugs_and_aliases_never_write_outside_the_output() {
    let site = Site::fixture("basic");
    fs::write(site.tmp.path().join("canary.txt"), "ne pas toucher").unwrap();
    site.write(
        "content/breves/evasion.md",
        "---\ntitle: \"Évasion\"\ndate: 2019-12-17\nslug: \"../../../etc\"\n\
         aliases: [\"/ancienne/evasion/\"]\n---\nTexte.\n",
    );
    site.write(
        "content/breves/codee.md",
        "---\ntitle: \"Codée\"\ndate: 2019-12-17\nslug: \"%2e%2e/%2e%2e/x\"\n---\nTexte.\n",
    );
    let outside = |site: &Site| {
        snapshot(site.tmp.path())
            .into_keys()
            .filter(|p| !p.starts_with("site"))
            .collect::<Vec<_>>()
    };
    let before = outside(&site);
    site.build(&[]).success();
    assert_eq!(
        before,
        outside(&site),
        "something was written beside the site"
    );
    // The slugs lost their dots and slashes; everything is below public/.
    assert!(site.has("breves/etc/index.html"));
    assert!(site.has("breves/2e-2e-2e-2e-x/index.html"));
    assert!(site.has("ancienne/evasion/index.html"));
    for (path, _) in files(&site.root) {
        let path = path.to_string_lossy();
        assert!(
            path.starts_with("public/")
                || path.starts_with("content/")
                || path.starts_with("themes/")
                || path.starts_with("templates/")
                || path.starts_with("static/")
                || path == "site.toml",
            "unexpected file {path}"
        );
    }

    // Traversing aliases are refused, encoded or not: see tests/fixtures/errors/alias_traversal.
    site.write(
        "content/breves/evasion.md",
        "---\ntitle: \"Évasion\"\ndate: 2019-12-17\naliases: [\"/a/%2e%2e/%2e%2e/%2e%2e/x/\"]\n---\n",
    );
    let run = site.build(&[]);
    run.failure();
    assert_eq!(before, outside(&site));
}

#[test]
fn the_file_system_root_is_refused() {
    let site = Site::fixture("basic");
    let run = site.build(&["--output-dir", "/"]);
    run.failure();
    assert!(
        run.stderr
            .contains("refusing to use / as the output folder"),
        "{run}"
    );
    let ours: Vec<_> = fs::read_dir("/")
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".chronique-"))
        .collect();
    assert!(ours.is_empty(), "{ours:?}");
}

#[test]
fn an_output_folder_that_is_a_link_into_the_sources_is_refused() {
    let site = Site::fixture("basic");
    std::os::unix::fs::symlink("content", site.public()).unwrap();
    let link = site.tmp.path().join("lien");
    std::os::unix::fs::symlink(site.path("content/breves"), &link).unwrap();
    let before = snapshot(site.tmp.path());
    let run = site.build(&[]);
    run.failure();
    assert!(run.stderr.contains("refusing"), "{run}");
    let run = site.build(&["--output-dir", link.to_str().unwrap()]);
    run.failure();
    assert!(run.stderr.contains("refusing"), "{run}");
    assert!(before == snapshot(site.tmp.path()));
}
