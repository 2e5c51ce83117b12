//! The theme built into chronique (issue 21): a site without `themes/chronique/` builds with it,
//! exactly as with the folder; the site's `templates/` and `static/` override its files one by
//! one; messages name its files as the built-in theme's; and `chronique theme eject` writes it
//! into the site, once, for the site to change.

mod common;

use std::fs;
use std::path::Path;

use common::{EPOCH, Site, copy_dir, files, run_in};

/// The repository's theme folder, which the binary embeds.
fn repo_theme() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/chronique")
}

/// A fixture site without its `themes/` folder.
fn without_theme(name: &str) -> Site {
    let site = Site::fixture(name);
    fs::remove_dir_all(site.path("themes")).unwrap();
    site
}

#[test]
fn a_new_column_builds_without_a_theme_folder_the_pages_of_the_theme_copied_in() {
    let tmp = tempfile::tempdir().unwrap();
    let env = [("SOURCE_DATE_EPOCH", "1767225600")];
    run_in(tmp.path(), &env, &["init", "neuve"]).success();
    let root = tmp.path().join("neuve");
    assert!(!root.join("themes").exists(), "init wrote the theme");
    // (A real address: the placeholder's warning is not what this test looks at.)
    let real = ["--base-url", "https://chronique.test/"];
    let built = run_in(
        &root,
        &env,
        &["build", "-q", "--output-dir", "../a", real[0], real[1]],
    );
    built.success();
    assert_eq!(built.stderr, "", "{built}");
    run_in(&root, &env, &["check", "-q"]).success();

    copy_dir(&repo_theme(), &root.join("themes/chronique"));
    run_in(
        &root,
        &env,
        &["build", "-q", "--output-dir", "../b", real[0], real[1]],
    )
    .success();
    let (a, b) = (files(&tmp.path().join("a")), files(&tmp.path().join("b")));
    assert!(a.contains_key(Path::new("css/chronique.css")));
    assert!(a.contains_key(Path::new("favicon.svg")));
    assert!(
        a == b,
        "the built-in theme and its copy make different sites"
    );
}

#[test]
fn the_example_column_builds_the_same_once_its_theme_folder_is_deleted() {
    let site = Site::example();
    site.build(&[
        "-q",
        "--output-dir",
        "../with",
        "--base-url=https://chronique.test/",
    ])
    .success();
    fs::remove_dir_all(site.path("themes")).unwrap();
    let real = "--base-url=https://chronique.test/";
    let run = site.build(&["-q", "--output-dir", "../without", real]);
    run.success();
    assert_eq!(run.stderr, "", "{run}");
    let with = files(&site.tmp.path().join("with"));
    assert!(with.len() > 50);
    assert!(with == files(&site.tmp.path().join("without")));
}

#[test]
fn a_site_template_overrides_one_of_the_built_in_theme() {
    let site = without_theme("basic");
    site.write(
        "templates/partials/byline.html",
        "<p class=\"byline maison\">{{ post.title }}, par la maison</p>\n",
    );
    site.build(&[]).success();
    let page = site.page_text("breves/punition/index.html");
    assert!(page.contains("<p class=\"byline maison\">"), "{page}");
    assert!(!page.contains("byline-dates"), "{page}");
    // The other templates are the built-in theme's.
    assert!(page.contains("class=post-title"), "{page}");
}

#[test]
fn a_site_stylesheet_replaces_the_built_in_one_without_a_word() {
    let site = without_theme("basic");
    site.write("static/css/chronique.css", "body { color: teal; }\n");
    let run = site.build(&[]);
    run.success();
    assert_eq!(run.stderr, "", "{run}");
    assert_eq!(
        fs::read_to_string(site.public().join("css/chronique.css")).unwrap(),
        "body { color: teal; }\n"
    );
    // The other static files are the built-in theme's.
    assert_eq!(
        fs::read(site.public().join("favicon.svg")).unwrap(),
        fs::read(repo_theme().join("static/favicon.svg")).unwrap()
    );
}

#[test]
fn messages_name_a_file_of_the_built_in_theme_as_such() {
    let site = without_theme("basic");
    let post = site.path("content/breves/punition.md");
    let text = fs::read_to_string(&post).unwrap();
    let text = text.replacen("---\n", "---\naliases: [\"/css/chronique.css\"]\n", 1);
    fs::write(&post, text).unwrap();
    let run = site.build(&[]);
    run.failure();
    assert!(
        run.stderr.contains(
            "content/breves/punition.md:2:11: alias \"/css/chronique.css\" needs a folder css/chronique.css/, but css/chronique.css is a file of the site (the file static/css/chronique.css of the theme chronique (built in)): choose another address"
        ),
        "{run}"
    );
}

#[test]
fn only_chronique_falls_back_to_the_built_in_theme() {
    let site = without_theme("basic");
    let toml = fs::read_to_string(site.path("site.toml")).unwrap();
    site.write("site.toml", format!("{toml}theme = \"autre\"\n"));
    let run = site.build(&[]);
    run.failure();
    assert!(
        run.stderr
            .contains("site.toml:5:1: theme \"autre\" not found: there is no folder themes/autre"),
        "{run}"
    );
}

#[cfg(unix)]
#[test]
fn an_unchanged_built_in_file_is_kept_from_the_previous_build() {
    use std::os::unix::fs::MetadataExt;
    let site = without_theme("basic");
    site.build(&[]).success();
    let inode = |rel: &str| fs::metadata(site.public().join(rel)).unwrap().ino();
    let before = inode("css/chronique.css");
    site.build(&[]).success();
    assert_eq!(inode("css/chronique.css"), before, "rewritten");
}

#[test]
fn eject_writes_the_theme_once_and_the_build_then_reads_it() {
    let site = without_theme("basic");
    let run = site.run(&["theme", "eject"]);
    run.success();
    assert_eq!(
        run.stdout,
        format!(
            "wrote the theme chronique into themes/chronique/ ({} files): the site builds with this copy from now on, and a new chronique no longer updates it\n",
            chronique::builtin::THEME_FILES.len()
        )
    );
    let ejected = files(&site.path("themes/chronique"));
    assert!(
        ejected == files(&repo_theme()),
        "not the theme, byte for byte"
    );
    assert_eq!(ejected.len(), chronique::builtin::THEME_FILES.len());

    // A second time: refused, nothing changed.
    site.write("themes/chronique/templates/base.html", "mine\n");
    let again = site.run(&["theme", "eject"]);
    again.failure();
    assert_eq!(
        again.stderr,
        "error: themes/chronique is in the way (a folder holding static, templates): `chronique theme eject` never overwrites it; to eject the built-in theme afresh, move it aside first (the build reads the folder themes/chronique/ when there is one)\n"
    );
    assert_eq!(
        fs::read_to_string(site.path("themes/chronique/templates/base.html")).unwrap(),
        "mine\n"
    );

    // The ejected base.html is the one the build uses.
    let base = fs::read_to_string(repo_theme().join("templates/base.html")).unwrap();
    site.write(
        "themes/chronique/templates/base.html",
        base.replace(
            "</head>",
            "<meta name=\"gabarit\" content=\"ejecte\">\n</head>",
        ),
    );
    site.build(&[]).success();
    assert!(
        site.page_text("breves/punition/index.html")
            .contains("<meta name=\"gabarit\" content=\"ejecte\">")
    );
}

#[test]
fn eject_from_a_folder_of_the_site_writes_into_the_site() {
    let site = without_theme("basic");
    let run = run_in(
        &site.path("content"),
        &[("SOURCE_DATE_EPOCH", &EPOCH.to_string())],
        &["theme", "eject"],
    );
    run.success();
    assert!(run.stdout.contains("into ../themes/chronique/"), "{run}");
    assert!(site.path("themes/chronique/templates/page.html").is_file());
    assert!(!site.path("content/themes").exists());
    let outside = tempfile::tempdir().unwrap();
    let run = run_in(outside.path(), &[], &["theme", "eject"]);
    run.failure();
    assert!(run.stderr.contains("there is no site.toml"), "{run}");
    assert!(files(outside.path()).is_empty());
}
