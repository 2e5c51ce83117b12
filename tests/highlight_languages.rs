//! One real snippet per language the highlighter recognises, its HTML compared with a snapshot
//! (`tests/snapshots/highlight_languages__*.snap`), so that an upgrade of syntect, of its syntax
//! definitions or of its regex engine (fancy-regex, see vendor/syntect/CHRONIQUE.md) cannot
//! silently change a code block, nor hang on one: each snippet must be coloured within
//! [`LIMIT`].
//!
//! The snippets are in `tests/fixtures/highlight/`. [`every_reachable_syntax_has_a_snippet`] keeps
//! the list whole: a syntax that a fence can name (by a file extension or its one-word name)
//! and that no snippet covers fails it, so a new bundled language gets its snippet too.
//!
//! After an intended change: `cargo insta review` (or `INSTA_UPDATE=always cargo test --test
//! highlight_languages`), and read the diff.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use chronique::markdown::highlight::{highlight, syntax_name};

/// How long one snippet may take to colour (a debug build, on a busy machine: it takes
/// milliseconds).
const LIMIT: Duration = Duration::from_secs(30);

/// `test_name("file in tests/fixtures/highlight", "fence label") => the syntax it must reach,`
/// (`None`: a language that is not bundled, so the block stays plain).
macro_rules! languages {
    ($($name:ident($file:literal, $label:literal) => $syntax:expr,)*) => {
        /// Every snippet: test name, file, fence label, syntax.
        const LANGUAGES: &[(&str, &str, &str, Option<&str>)] =
            &[$((stringify!($name), $file, $label, $syntax)),*];
        $(
            #[test]
            fn $name() {
                snippet(stringify!($name), $file, $label, $syntax);
            }
        )*
    };
}

languages! {
    actionscript("actionscript.as", "actionscript") => Some("ActionScript"),
    applescript("applescript.applescript", "applescript") => Some("AppleScript"),
    asp("asp.asa", "asa") => Some("ASP"),
    bash("bash.sh", "bash") => Some("Bourne Again Shell (bash)"),
    batch("batch.bat", "bat") => Some("Batch File"),
    bibtex("bibtex.bib", "bib") => Some("BibTeX"),
    c("c.c", "c") => Some("C"),
    camlp4("camlp4.ml", "camlp4") => Some("camlp4"),
    clojure("clojure.clj", "clojure") => Some("Clojure"),
    commands_builtin_shell_bash("commands_builtin_shell_bash.sh", "commands-builtin-shell-bash")
        => Some("commands-builtin-shell-bash"),
    console("console.console", "console") => Some("Bourne Again Shell (bash)"),
    cpp("cpp.cpp", "cpp") => Some("C++"),
    csharp("csharp.cs", "cs") => Some("C#"),
    css("css.css", "css") => Some("CSS"),
    d("d.d", "d") => Some("D"),
    diff("diff.diff", "diff") => Some("Diff"),
    erlang("erlang.erl", "erlang") => Some("Erlang"),
    go("go.go", "go") => Some("Go"),
    graphviz("graphviz.dot", "dot") => Some("Graphviz (DOT)"),
    groovy("groovy.groovy", "groovy") => Some("Groovy"),
    haml("haml.haml", "haml") => Some("Ruby Haml"),
    haskell("haskell.hs", "haskell") => Some("Haskell"),
    html("html.html", "html") => Some("HTML"),
    html_asp("html_asp.asp", "asp") => Some("HTML (ASP)"),
    html_erlang("html_erlang.yaws", "yaws") => Some("HTML (Erlang)"),
    html_rails("html_rails.erb", "erb") => Some("HTML (Rails)"),
    html_tcl("html_tcl.adp", "adp") => Some("HTML (Tcl)"),
    java("java.java", "java") => Some("Java"),
    java_properties("java_properties.properties", "properties") => Some("Java Properties"),
    javadoc("javadoc.javadoc", "javadoc") => Some("JavaDoc"),
    javascript("javascript.js", "js") => Some("JavaScript"),
    js_rails("js_rails.js.erb", "js.erb") => Some("JavaScript (Rails)"),
    json("json.json", "json") => Some("JSON"),
    jsp("jsp.jsp", "jsp") => Some("Java Server Page (JSP)"),
    latex("latex.tex", "latex") => Some("LaTeX"),
    lisp("lisp.lisp", "lisp") => Some("Lisp"),
    literate_haskell("literate_haskell.lhs", "lhs") => Some("Literate Haskell"),
    lua("lua.lua", "lua") => Some("Lua"),
    makefile("makefile.mk", "makefile") => Some("Makefile"),
    markdown("markdown.md", "markdown") => Some("Markdown"),
    matlab("matlab.matlab", "matlab") => Some("MATLAB"),
    multimarkdown("multimarkdown.mmd", "multimarkdown") => Some("MultiMarkdown"),
    nant("nant.build", "build") => Some("NAnt Build File"),
    objective_c("objective_c.m", "m") => Some("Objective-C"),
    objective_cpp("objective_cpp.mm", "mm") => Some("Objective-C++"),
    ocaml("ocaml.ml", "ocaml") => Some("OCaml"),
    ocamllex("ocamllex.mll", "mll") => Some("OCamllex"),
    ocamlyacc("ocamlyacc.mly", "mly") => Some("OCamlyacc"),
    pascal("pascal.pas", "pascal") => Some("Pascal"),
    perl("perl.pl", "perl") => Some("Perl"),
    php("php.php", "php") => Some("PHP"),
    python("python.py", "python") => Some("Python"),
    r("r.r", "r") => Some("R"),
    rd("rd.rd", "rd") => Some("Rd (R Documentation)"),
    regexp("regexp.re", "re") => Some("Regular Expression"),
    rst("rst.rst", "rst") => Some("reStructuredText"),
    ruby("ruby.rb", "ruby") => Some("Ruby"),
    ruby_on_rails("ruby_on_rails.builder", "builder") => Some("Ruby on Rails"),
    rust("rust.rs", "rust") => Some("Rust"),
    scala("scala.scala", "scala") => Some("Scala"),
    shell_unix_generic("shell_unix_generic.sh", "shell-unix-generic") => Some("Shell-Unix-Generic"),
    sql("sql.sql", "sql") => Some("SQL"),
    sql_rails("sql_rails.sql.erb", "sql.erb") => Some("SQL (Rails)"),
    tcl("tcl.tcl", "tcl") => Some("Tcl"),
    tex("tex.sty", "sty") => Some("TeX"),
    textile("textile.textile", "textile") => Some("Textile"),
    // Not among syntect's bundled syntaxes: a site's own settings file stays plain.
    toml("toml.toml", "toml") => None,
    xml("xml.xml", "xml") => Some("XML"),
    yaml("yaml.yaml", "yaml") => Some("YAML"),
}

/// Colours one snippet and compares it with its snapshot.
fn snippet(name: &str, file: &str, label: &'static str, syntax: Option<&str>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/highlight")
        .join(file);
    let code = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let lines = code.lines().count();
    assert!(
        (8..=25).contains(&lines),
        "{file}: {lines} lines, not a small real snippet"
    );
    // The syntaxes load here, outside the time limit.
    assert_eq!(syntax_name(label), syntax, "the fence label `{label}`");
    let html = within_limit(name, move || highlight(&code, Some(label)));
    let coloured = html.starts_with("<pre class=\"code hl-code\"");
    assert_eq!(coloured, syntax.is_some(), "{name}: {html}");
    if coloured {
        // Real code, not one long span: the syntax told its tokens apart (one span per run of
        // tokens of a kind, plain text unwrapped).
        assert!(
            html.matches("<span class=\"hl-").count() >= 5,
            "{name}: {html}"
        );
    }
    insta::with_settings!({
        description => format!("tests/fixtures/highlight/{file}, fenced as ```{label}"),
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, html);
    });
}

/// `work()`'s result, or a failure if it takes longer than [`LIMIT`] (the thread is left behind:
/// the test binary ends anyway).
fn within_limit(name: &str, work: impl FnOnce() -> String + Send + 'static) -> String {
    let (send, receive) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        let _ = send.send(work());
    });
    match receive.recv_timeout(LIMIT) {
        Ok(html) => html,
        Err(RecvTimeoutError::Timeout) => {
            panic!("{name}: highlighting took more than {LIMIT:?}, it may hang")
        }
        Err(RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the worker sends before it ends"),
        },
    }
}

#[test]
fn every_reachable_syntax_has_a_snippet() {
    // The set src/markdown/highlight.rs loads.
    let set = syntect::parsing::SyntaxSet::load_defaults_newlines();
    let covered: BTreeSet<&str> = LANGUAGES.iter().filter_map(|l| l.3).collect();
    let mut missing = Vec::new();
    for syntax in set.syntaxes() {
        // The labels that could name it in a fence: its extensions, and its name if one word.
        let one_word = !syntax.name.contains(char::is_whitespace);
        let reachable = syntax
            .file_extensions
            .iter()
            .chain(one_word.then_some(&syntax.name))
            .any(|label| syntax_name(label) == Some(syntax.name.as_str()));
        if reachable && !covered.contains(syntax.name.as_str()) {
            missing.push(format!("{} ({:?})", syntax.name, syntax.file_extensions));
        }
    }
    assert!(missing.is_empty(), "no snippet for: {missing:#?}");
}

#[test]
fn every_snippet_file_is_listed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/highlight");
    let listed: BTreeSet<&str> = LANGUAGES.iter().map(|l| l.1).collect();
    let on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for file in &on_disk {
        assert!(listed.contains(file.as_str()), "{file} is not in LANGUAGES");
    }
    assert_eq!(on_disk.len(), LANGUAGES.len());
}
