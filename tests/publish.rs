//! Publishing (issue 21): `chronique init --publish` writes each host's files, and they are what
//! they claim to be (YAML, TOML, a shell script) and run what works: the commands they run are
//! run here, with stand-ins for `cargo`, `rustup` and `rsync`. Also `init --author`, and the
//! warning about a `base_url` that is still a placeholder.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Run, run_in};
use serde_json::Value;

const ENV: [(&str, &str); 1] = [("SOURCE_DATE_EPOCH", "1767225600")];

/// A column made by `chronique init <args>` in a temporary folder, with a folder of stand-in
/// tools that write their arguments to a log.
struct Column {
    tmp: tempfile::TempDir,
    root: PathBuf,
    init: Run,
}

impl Column {
    fn init(args: &[&str]) -> Column {
        let tmp = tempfile::tempdir().unwrap();
        let mut all = vec!["init", "colonne"];
        all.extend_from_slice(args);
        let init = run_in(tmp.path(), &ENV, &all);
        init.success();
        let bin = tmp.path().join("bin");
        fs::create_dir(&bin).unwrap();
        for tool in ["cargo", "rustup", "rsync"] {
            let path = bin.join(tool);
            let log = tmp.path().join("tools.log");
            let script = format!("#!/bin/sh\necho \"{tool} $*\" >> '{}'\n", log.display());
            fs::write(&path, script).unwrap();
            make_executable(&path);
        }
        Column {
            root: tmp.path().join("colonne"),
            tmp,
            init,
        }
    }

    fn text(&self, rel: &str) -> String {
        fs::read_to_string(self.root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// `script` run by bash in the column's folder, with `env`, the stand-in tools and the
    /// chronique under test first on the PATH.
    fn bash(&self, script: &str, env: &[(&str, &str)]) -> Run {
        let chronique = assert_cmd::cargo::cargo_bin("chronique");
        let path = format!(
            "{}:{}:{}",
            self.tmp.path().join("bin").display(),
            chronique.parent().unwrap().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let out = Command::new("bash")
            .args(["-c", script])
            .current_dir(&self.root)
            .env("PATH", path)
            .envs(ENV)
            .envs(env.iter().copied())
            .output()
            .expect("bash");
        Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// What the stand-in tools were called with, one call a line.
    fn tool_calls(&self) -> Vec<String> {
        let log = fs::read_to_string(self.tmp.path().join("tools.log")).unwrap_or_default();
        log.lines().map(str::to_string).collect()
    }

    /// The canonical link of the built home page.
    fn canonical(&self) -> String {
        let home = fs::read_to_string(self.root.join("public/index.html")).unwrap();
        let doc = scraper::Html::parse_document(&home);
        common::attrs(&doc, "link[rel=canonical]", "href").concat()
    }
}

fn make_executable(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
    }
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("not YAML: {e}\n{text}"))
}

/// The default of CHRONIQUE_GIT the files are written with: the package's repository.
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// A build that wrote the site without a single warning.
#[track_caller]
fn built_cleanly(run: &Run, column: &Column) {
    run.success();
    assert!(!run.stderr.contains("warning"), "{run}");
    assert!(column.root.join("public/index.html").is_file(), "{run}");
}

#[test]
fn init_publish_writes_each_hosts_files_once() {
    let column = Column::init(&[
        "--publish",
        "github,gitlab",
        "--publish",
        "netlify",
        "--publish=rsync",
        "--publish",
        "github",
    ]);
    for (file, host) in [
        (".github/workflows/publier.yml", "GitHub Pages"),
        (".gitlab-ci.yml", "GitLab Pages"),
        ("netlify.toml", "Netlify"),
        ("publier.sh", "your server"),
    ] {
        assert!(column.root.join(file).is_file(), "{file}");
        let line = format!("publishing: {file} ({host}");
        assert_eq!(
            column.init.stdout.matches(&line).count(),
            1,
            "{}",
            column.init
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(column.root.join("publier.sh"))
            .unwrap()
            .permissions();
        assert_eq!(mode.mode() & 0o111, 0o111, "publier.sh is executable");
    }
    // Without --publish, none of them.
    let bare = Column::init(&[]);
    for file in [".github", ".gitlab-ci.yml", "netlify.toml", "publier.sh"] {
        assert!(!bare.root.join(file).exists(), "{file}");
    }
    assert!(!bare.init.stdout.contains("publishing:"), "{}", bare.init);
    // An unknown host is refused by name, and nothing is written.
    let tmp = tempfile::tempdir().unwrap();
    let run = run_in(tmp.path(), &[], &["init", "x", "--publish", "ftp"]);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(
        run.stderr.contains("github, gitlab, netlify, rsync"),
        "{run}"
    );
    assert!(!tmp.path().join("x").exists());
}

#[test]
fn the_github_workflow_is_yaml_that_rebuilds_every_morning_and_deploys_to_pages() {
    let column = Column::init(&["--publish", "github"]);
    let text = column.text(".github/workflows/publier.yml");
    let workflow = yaml(&text);
    let on = &workflow["on"];
    assert_eq!(on["schedule"][0]["cron"], "0 5 * * *", "{on}");
    assert!(
        text.contains("06:00 in Paris in winter"),
        "the schedule says why"
    );
    assert_eq!(on["push"]["branches"][0], "main");
    assert!(on.get("workflow_dispatch").is_some(), "{on}");
    assert_eq!(workflow["permissions"]["pages"], "write");
    assert_eq!(workflow["permissions"]["id-token"], "write");
    assert_eq!(
        workflow["env"]["CHRONIQUE_GIT"],
        format!("${{{{ vars.CHRONIQUE_GIT || '{REPOSITORY}' }}}}")
    );
    let steps = workflow["jobs"]["build"]["steps"].as_array().unwrap();
    let uses: Vec<&str> = (steps
        .iter()
        .chain(workflow["jobs"]["deploy"]["steps"].as_array().unwrap()))
    .filter_map(|s| s["uses"].as_str())
    .map(|u| u.split('@').next().unwrap())
    .collect();
    assert_eq!(
        uses,
        [
            "actions/checkout",
            "actions/configure-pages",
            "actions/upload-pages-artifact",
            "actions/deploy-pages"
        ]
    );
    let upload = steps
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.contains("upload")));
    assert_eq!(upload.unwrap()["with"]["path"], "public");
    let step = |name: &str| {
        steps
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("no step {name}"))
    };

    // Installing: refused without a repository to install from, else rustup and cargo install.
    let install = step("Install Rust and chronique")["run"].as_str().unwrap();
    let refused = column.bash(install, &[("CHRONIQUE_GIT", "")]);
    assert_eq!(refused.code, Some(1), "{refused}");
    assert!(
        refused
            .stdout
            .contains("::error::Set the repository variable CHRONIQUE_GIT"),
        "{refused}"
    );
    assert!(column.tool_calls().is_empty(), "{:?}", column.tool_calls());
    let git = "https://git.example.org/chronique.git";
    column.bash(install, &[("CHRONIQUE_GIT", git)]).success();
    assert_eq!(
        column.tool_calls(),
        [
            "rustup toolchain install stable --profile minimal".to_string(),
            "rustup default stable".to_string(),
            format!("cargo install --locked --git {git} chronique"),
        ]
    );

    // Building, with the address configure-pages gives (without the final slash).
    let build = step("Build the site");
    assert_eq!(
        build["env"]["BASE_URL"],
        "${{ steps.pages.outputs.base_url }}"
    );
    let run = column.bash(
        build["run"].as_str().unwrap(),
        &[("BASE_URL", "https://moi.github.io/chronique")],
    );
    built_cleanly(&run, &column);
    assert_eq!(column.canonical(), "https://moi.github.io/chronique/");
}

#[test]
fn the_gitlab_file_is_yaml_whose_pages_job_runs_on_schedules_and_publishes_public() {
    let column = Column::init(&["--publish", "gitlab"]);
    let text = column.text(".gitlab-ci.yml");
    let ci = yaml(&text);
    let job = &ci["pages"];
    assert_eq!(job["artifacts"]["paths"], serde_json::json!(["public"]));
    let rules: Vec<&str> = (job["rules"].as_array().unwrap().iter())
        .filter_map(|r| r["if"].as_str())
        .collect();
    assert!(
        rules.contains(&"$CI_PIPELINE_SOURCE == \"schedule\""),
        "{rules:?}"
    );
    // GitLab takes schedules from its settings: the file says which one to add.
    assert!(text.contains("Pipeline schedules"), "{text}");
    assert!(text.contains("\n#     0 5 * * *\n"), "{text}");
    assert_eq!(ci["variables"]["CHRONIQUE_GIT"], REPOSITORY);

    let script: Vec<&str> = (job["script"].as_array().unwrap().iter())
        .map(|l| l.as_str().unwrap())
        .collect();
    assert_eq!(script.len(), 3, "{script:?}");
    let refused = column.bash(script[0], &[("CHRONIQUE_GIT", "")]);
    assert_eq!(refused.code, Some(1), "{refused}");
    assert!(
        refused
            .stderr
            .contains("Set the CI/CD variable CHRONIQUE_GIT"),
        "{refused}"
    );
    let git = [("CHRONIQUE_GIT", "https://gitlab.example.org/chronique.git")];
    column.bash(script[0], &git).success();
    column.bash(script[1], &git).success();
    assert_eq!(
        column.tool_calls(),
        ["cargo install --locked --git https://gitlab.example.org/chronique.git chronique"]
    );
    let run = column.bash(
        script[2],
        &[("CI_PAGES_URL", "https://moi.gitlab.io/chronique")],
    );
    built_cleanly(&run, &column);
    assert_eq!(column.canonical(), "https://moi.gitlab.io/chronique/");
}

#[test]
fn netlify_toml_publishes_public_after_its_command_built_it() {
    let column = Column::init(&["--publish", "netlify"]);
    let text = column.text("netlify.toml");
    let config: toml::Table = toml::from_str(&text).unwrap();
    let build = config["build"].as_table().unwrap();
    assert_eq!(build["publish"].as_str(), Some("public"));
    assert_eq!(
        config["build"]["environment"]["CHRONIQUE_GIT"].as_str(),
        Some(REPOSITORY)
    );
    assert!(
        text.contains("build hook"),
        "says how to rebuild on a schedule"
    );
    let command = build["command"].as_str().unwrap();
    let refused = column.bash(command, &[("CHRONIQUE_GIT", "")]);
    assert_eq!(refused.code, Some(1), "{refused}");
    assert!(
        refused.stderr.contains("Set CHRONIQUE_GIT in netlify.toml"),
        "{refused}"
    );
    let run = column.bash(
        command,
        &[
            ("CHRONIQUE_GIT", "https://git.example.org/chronique.git"),
            ("URL", "https://ma-chronique.netlify.app"),
        ],
    );
    built_cleanly(&run, &column);
    assert_eq!(
        column.tool_calls(),
        ["cargo install --locked --git https://git.example.org/chronique.git chronique"]
    );
    assert_eq!(column.canonical(), "https://ma-chronique.netlify.app/");
}

#[test]
fn the_rsync_script_refuses_its_placeholder_then_builds_and_copies() {
    let column = Column::init(&["--publish", "rsync"]);
    column.bash("bash -n publier.sh", &[]).success();
    let script = column.text("publier.sh");
    assert!(script.contains("0 6 * * *"), "says how to run it every day");

    // As written: the destination is the placeholder; nothing is built or copied.
    let refused = column.bash("./publier.sh", &[]);
    assert_eq!(refused.code, Some(1), "{refused}");
    assert!(
        refused
            .stderr
            .contains("publier.sh: set DESTINATION first, in this script or when running it"),
        "{refused}"
    );
    assert!(
        refused
            .stderr
            .contains("\"user@host:/var/www/ma-chronique/\""),
        "{refused}"
    );
    assert!(!column.root.join("public").exists());
    assert!(column.tool_calls().is_empty());

    // With a destination, from another folder: it builds in its own, then copies public/.
    let dest = "moi@serveur.fr:/var/www/chronique/";
    let run = column.bash("cd .. && colonne/publier.sh", &[("DESTINATION", dest)]);
    run.success();
    assert!(column.root.join("public/index.html").is_file(), "{run}");
    assert_eq!(
        column.tool_calls(),
        [format!("rsync -av --delete public/ {dest}")]
    );
    // It builds with site.toml's base_url, still init's placeholder: the build says so.
    assert!(
        run.stderr
            .contains("base_url \"https://exemple.fr/\" is a placeholder"),
        "{run}"
    );
}

#[test]
fn init_never_overwrites_a_hosts_file_already_there() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("depot");
    fs::create_dir(&dir).unwrap();
    // A hidden file does not make a folder occupied (a fresh clone has .git), but is kept.
    fs::write(dir.join(".gitlab-ci.yml"), "# le mien\n").unwrap();
    let run = run_in(tmp.path(), &[], &["init", "depot", "--publish", "gitlab"]);
    run.failure();
    assert!(run.stderr.contains(".gitlab-ci.yml"), "{run}");
    assert_eq!(
        fs::read_to_string(dir.join(".gitlab-ci.yml")).unwrap(),
        "# le mien\n"
    );
    let left: Vec<_> = fs::read_dir(&dir).unwrap().flatten().collect();
    assert_eq!(left.len(), 1, "what init wrote is removed");
}

#[test]
fn init_author_signs_the_posts_new_writes() {
    let column = Column::init(&["--author", "Claire Morel"]);
    assert!(
        column
            .init
            .stdout
            .contains("author: content/authors/claire-morel.md, site.toml's default_author"),
        "{}",
        column.init
    );
    assert!(
        column
            .text("content/authors/claire-morel.md")
            .contains("name: \"Claire Morel\"")
    );
    assert!(
        column
            .text("site.toml")
            .contains("\ndefault_author = \"claire-morel\" "),
        "{}",
        column.text("site.toml")
    );
    let new = run_in(&column.root, &ENV, &["new", "breve", "Première"]);
    new.success();
    let post = column.text(new.stdout.trim());
    assert!(post.contains("authors:\n  - claire-morel\n"), "{post}");
    let run = run_in(
        &column.root,
        &ENV,
        &["build", "--drafts", "--base-url", "https://chronique.test/"],
    );
    built_cleanly(&run, &column);
    assert!(
        column
            .root
            .join("public/auteurs/claire-morel/index.html")
            .is_file()
    );

    // Without --author, init says how to have one.
    let bare = Column::init(&[]);
    assert!(
        bare.init.stdout.contains(
            "no author yet: `chronique new author \"Prénom Nom\"` creates one, and `default_author = \"prenom-nom\"` in site.toml"
        ),
        "{}",
        bare.init
    );
    // A name no file can be named after is refused, before anything is written.
    let tmp = tempfile::tempdir().unwrap();
    let run = run_in(tmp.path(), &[], &["init", "x", "--author", "???"]);
    run.failure();
    assert!(run.stderr.starts_with("error: --author: "), "{run}");
    assert!(!tmp.path().join("x").exists());
}

#[test]
fn a_placeholder_base_url_is_a_warning_at_its_line_unless_base_url_is_given() {
    let column = Column::init(&[]);
    let run = run_in(&column.root, &ENV, &["build"]);
    run.success();
    let expected = concat!(
        "warning: site.toml:4:13: base_url \"https://exemple.fr/\" is a placeholder: exemple.fr is not where the site is published, yet the canonical links, og:url, the sitemap and the feeds would point there\n",
        "  |\n",
        "4 | base_url = \"https://exemple.fr/\"    # where the site will be published\n",
        "  |             ^\n",
        "  = set base_url to the site's address, or build with --base-url URL\n",
    );
    assert!(run.stderr.starts_with(expected), "{run}");
    assert_eq!(run.stderr.matches("warning").count(), 1, "{run}");
    // `check` says it too: it is what a build would publish.
    let check = run_in(&column.root, &ENV, &["check"]);
    check.success();
    assert!(check.stderr.contains("site.toml:4:13: base_url"), "{check}");
    assert!(check.stdout.contains("0 errors, "), "{check}");
    // Given on the command line, the address is the one the site is built for.
    let run = run_in(
        &column.root,
        &ENV,
        &["build", "--base-url", "https://chronique.test/"],
    );
    built_cleanly(&run, &column);
    // And a real address in site.toml is not one.
    let text = column
        .text("site.toml")
        .replace("https://exemple.fr/", "https://ma-chronique.fr/");
    fs::write(column.root.join("site.toml"), text).unwrap();
    built_cleanly(&run_in(&column.root, &ENV, &["build"]), &column);
}
