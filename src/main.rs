//! The `chronique` command: parses arguments, runs the library, prints diagnostics, sets the
//! exit code. Nothing else lives here.

#![forbid(unsafe_code)]

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

/// glibc's allocator spent a quarter of a large build in malloc/free under rayon's threads (many
/// short-lived strings per page); mimalloc's per-thread heaps remove that contention.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "chronique",
    version,
    about = "A static site generator for a French customer-experience column"
)]
struct Cli {
    /// Print nothing but errors and warnings.
    #[arg(short, long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (default: <root>/public).
    Build(BuildArgs),
    /// Check the site: everything `build` does, except writing.
    Check(CheckArgs),
    /// Serve a preview of the site; rebuild and reload open pages on every change.
    Serve(ServeArgs),
    /// Write a new post (breve, article, irritant, conte) or author, front matter complete.
    New(NewArgs),
    /// Create a new, empty column (site.toml, sections, mentions légales) in DIR.
    Init {
        /// A new or empty folder (default: the current folder).
        #[arg(default_value = ".", value_name = "DIR")]
        dir: PathBuf,
        /// Create this author ("Prénom Nom") and make it site.toml's default_author, so that
        /// `chronique new` signs posts with it.
        #[arg(long, value_name = "NAME")]
        author: Option<String>,
        /// Add the files that build and publish the site on HOST: github (a GitHub Pages
        /// workflow), gitlab (.gitlab-ci.yml), netlify (netlify.toml) or rsync (publier.sh).
        /// Repeat it, or separate hosts with commas, for several.
        #[arg(long, value_name = "HOST", value_delimiter = ',', value_parser = clap::builder::PossibleValuesParser::new(chronique::init::Host::NAMES))]
        publish: Vec<String>,
    },
    /// Import another tool's export: `import wordpress EXPORT.xml` (Outils → Exporter).
    Import {
        #[command(subcommand)]
        source: ImportSource,
    },
    /// The theme: `theme eject` copies the built-in theme into themes/chronique/ to change it.
    Theme {
        #[command(subcommand)]
        action: ThemeAction,
    },
}

#[derive(Subcommand)]
enum ThemeAction {
    /// Copy the theme built into chronique into the site's themes/chronique/, to change it
    /// there (a new chronique then no longer updates it); never overwrites anything.
    Eject {
        /// The site's folder (where site.toml is); default: this folder or the nearest parent
        /// with a site.toml.
        #[arg(long, short = 'r', value_name = "DIR")]
        root: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ImportSource {
    /// Posts, pages, categories, tags and authors of a WordPress export (WXR) made files of
    /// the column; old permalinks become aliases. Never overwrites a file without --force.
    Wordpress {
        /// The export file (WordPress: Outils → Exporter → Tout le contenu).
        #[arg(value_name = "EXPORT.xml")]
        export: PathBuf,
        /// The site's folder (where site.toml is); default: this folder or the nearest parent
        /// with a site.toml.
        #[arg(long, short = 'r', value_name = "DIR")]
        root: Option<PathBuf>,
        /// The blog's wp-content/uploads folder (from its backup): the posts' images are
        /// copied from it beside their post. Nothing is ever downloaded.
        #[arg(long, value_name = "DIR")]
        uploads: Option<PathBuf>,
        /// Where categories and tags go (sections, kinds, irritants): a TOML file, in the form
        /// the report prints the mapping it used.
        #[arg(long, value_name = "FILE")]
        map: Option<PathBuf>,
        /// Write nothing: print the report of what would be written.
        #[arg(long)]
        dry_run: bool,
        /// Replace files that exist with other contents.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Args)]
struct SiteArgs {
    /// The site's folder (where site.toml is); default: this folder or the nearest parent
    /// with a site.toml.
    #[arg(long, short = 'r', value_name = "DIR")]
    root: Option<PathBuf>,
    /// Include drafts and scheduled posts.
    #[arg(long)]
    drafts: bool,
}

// The arguments of each command; their help is the command's, above.

#[derive(Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Where to write the site.
    #[arg(long, short = 'o', value_name = "DIR")]
    output_dir: Option<PathBuf>,
    /// Override site.toml's base_url.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Print the time spent in each stage.
    #[arg(long)]
    timings: bool,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Also fetch external links (HEAD, then GET), 8 at a time; good ones are cached for a
    /// week in <root>/.chronique-linkcache.
    #[arg(long)]
    external: bool,
    /// Seconds an external link may take to answer.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    timeout: u64,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// The port to listen on (0: any free port; the address is printed).
    #[arg(long, short = 'p', default_value_t = 1111)]
    port: u16,
    /// The address to listen on. Anything but loopback exposes the site to the network.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    bind: IpAddr,
    /// Open the site in the browser (xdg-open).
    #[arg(long)]
    open: bool,
    /// Watch files by polling (network folders, or when the system's watch limit is hit).
    #[arg(long)]
    poll: bool,
    /// After each rebuild, print the time each stage took.
    #[arg(long)]
    timings: bool,
}

#[derive(Args)]
struct NewArgs {
    /// breve, article, irritant, conte or author.
    #[arg(value_name = "KIND", value_parser = clap::builder::PossibleValuesParser::new(chronique::new::What::NAMES))]
    kind: String,
    /// The post's title, or the author's first and last name.
    #[arg(value_name = "TITLE")]
    title: String,
    /// Make the post the next free part of this series (its file is created if missing).
    #[arg(long, value_name = "SLUG")]
    series: Option<String>,
    /// Sign the post with this author slug (default: site.toml's default_author).
    #[arg(long, value_name = "SLUG")]
    author: Option<String>,
    /// Write the post as a bundle, content/<section>/<slug>/index.md, with its images beside
    /// it.
    #[arg(long)]
    bundle: bool,
    /// The site's folder (where site.toml is); default: this folder or the nearest parent
    /// with a site.toml.
    #[arg(long, short = 'r', value_name = "DIR")]
    root: Option<PathBuf>,
}

/// Parses the arguments and runs the command; its exit code is the process's.
fn main() -> ExitCode {
    let cli = Cli::parse();
    deepen_rayon_stacks();
    let started = Instant::now();
    let now = match now() {
        Ok(now) => now,
        Err(message) => return fail(message),
    };
    let signalled = matches!(cli.command, Command::Build(_) | Command::Serve(_))
        .then(stop_cleanly_on_signals)
        .flatten();
    let code = match cli.command {
        Command::Build(args) => build(args, now, cli.quiet, started),
        Command::Check(args) => check(args, now, cli.quiet, started),
        Command::Serve(args) => serve(args, cli.quiet),
        Command::New(args) => new(args, now),
        Command::Init {
            dir,
            author,
            publish,
        } => {
            let options = chronique::init::InitOptions {
                author,
                // Only the names clap accepts reach here.
                publish: (publish.iter())
                    .filter_map(|name| chronique::init::Host::parse(name))
                    .collect(),
            };
            init(&dir, &options, cli.quiet)
        }
        Command::Theme {
            action: ThemeAction::Eject { root },
        } => eject(root, cli.quiet),
        Command::Import {
            source:
                ImportSource::Wordpress {
                    export,
                    root,
                    uploads,
                    map,
                    dry_run,
                    force,
                },
        } => import(
            export,
            root,
            chronique::import::Inputs { uploads, map },
            dry_run,
            force,
        ),
    };
    // A signal that came while the build wrote is its handler's to act on: it waits for the
    // step under way, then ends the process by that signal. The command must not end first,
    // with its own exit code, as if nobody had pressed Ctrl-C.
    if signalled.is_some_and(|flag| flag.load(std::sync::atomic::Ordering::SeqCst)) {
        loop {
            std::thread::park();
        }
    }
    code
}

/// Ctrl-C (SIGINT), SIGTERM and SIGHUP while a build writes: a thread of signal-hook's (the
/// only way to act on a signal without unsafe code) lets the output module finish the swap or
/// the deletion under way, or remove the staging folder, then ends the process by the same
/// signal, as it would have ended without the handler.
///
/// Gives the flag set as soon as such a signal arrives, for `main` to wait for the handler.
fn stop_cleanly_on_signals() -> Option<std::sync::Arc<std::sync::atomic::AtomicBool>> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return None;
    };
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        signal_hook::flag::register(signal, std::sync::Arc::clone(&flag)).ok()?;
    }
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            chronique::output::interrupted();
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            std::process::exit(128 + signal);
        }
    });
    Some(flag)
}

/// Pages render on rayon's threads, and Tera's interpreter takes much stack for each level of
/// includes, macros and cached partials: with the default 2 MiB, 12 cached partials one inside
/// the other overflow it. Untouched stack costs nothing.
fn deepen_rayon_stacks() {
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(8 << 20)
        .build_global();
}

/// Prints `error: <message>` and fails.
fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

/// `chronique build`: the warnings, then the summary line (and the timings when asked); on
/// errors, every diagnostic and their count.
fn build(args: BuildArgs, now: jiff::Timestamp, quiet: bool, started: Instant) -> ExitCode {
    let Some(root) = site_root(args.site.root) else {
        return ExitCode::FAILURE;
    };
    let options = chronique::BuildOptions {
        root,
        output_dir: args.output_dir,
        base_url: args.base_url,
        drafts: args.site.drafts,
        now,
    };
    match chronique::build(&options) {
        Ok(report) => {
            for w in &report.warnings.0 {
                eprintln!("{w}\n");
            }
            if !quiet {
                println!("{}", summary("built", &report, started));
                if args.timings {
                    print_timings(&report);
                }
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            eprint!("{diagnostics}");
            let errors = diagnostics.errors().count();
            eprintln!(
                "\n{} error{}: nothing was written",
                errors,
                if errors == 1 { "" } else { "s" }
            );
            ExitCode::FAILURE
        }
    }
}

/// `build --timings`: each stage's wall and CPU time and the peak memory at its end, then the
/// five templates that took the most time.
fn print_timings(report: &chronique::BuildReport) {
    println!("  stage           time      CPU   peak memory so far");
    for t in &report.timings {
        let cpu = t.cpu.map_or(String::from("       -"), |d| {
            format!("{:>5.2} s", d.as_secs_f64())
        });
        let peak = t.peak.map_or(String::new(), |b| {
            format!("{:>8.0} MiB", b as f64 / (1024.0 * 1024.0))
        });
        println!(
            "  {:<10} {:>8.1} ms {cpu} {peak}",
            t.stage,
            t.wall.as_secs_f64() * 1000.0
        );
    }
    println!("  templates, slowest first (time on all threads, pages, per page):");
    for (name, d, pages) in &report.templates {
        println!(
            "    {name:<22} {:>8.1} ms {pages:>7} {:>8.3} ms",
            d.as_secs_f64() * 1000.0,
            d.as_secs_f64() * 1000.0 / (*pages).max(1) as f64
        );
    }
}

/// `chronique new`: prints the paths of the files written (the series file first, if any).
fn new(args: NewArgs, now: jiff::Timestamp) -> ExitCode {
    let Some(root) = site_root(args.root) else {
        return ExitCode::FAILURE;
    };
    let Some(what) = chronique::new::What::parse(&args.kind) else {
        return fail(chronique::new::NewError::UnknownKind(args.kind));
    };
    let options = chronique::new::NewOptions {
        root,
        what,
        title: args.title,
        series: args.series,
        author: args.author,
        bundle: args.bundle,
        now,
    };
    match chronique::new::create(&options) {
        Ok(created) => {
            for rel in created.series_file.iter().chain([&created.path]) {
                println!("{}", openable(&options.root, rel));
            }
            for note in &created.notes {
                eprintln!("note: {note}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

/// The site's folder: `--root` as given, else this folder or the nearest parent holding a
/// site.toml. `None`, with the error printed, when there is none.
fn site_root(given: Option<PathBuf>) -> Option<PathBuf> {
    if given.is_some() {
        return given;
    }
    let found = chronique::layout::find_site_root(Path::new("."));
    if found.is_none() {
        eprintln!(
            "error: there is no site.toml in this folder or in its parents: run the command in the column's folder, give --root DIR, or create a column with `chronique init`"
        );
    }
    found
}

/// A path relative to the site's folder as the caller can open it: under `root` when `--root`
/// is given.
fn openable(root: &Path, rel: &Path) -> String {
    if root == Path::new(".") {
        rel.display().to_string()
    } else {
        root.join(rel).display().to_string()
    }
}

/// `chronique init`: what was created, then what to do next.
fn init(dir: &Path, options: &chronique::init::InitOptions, quiet: bool) -> ExitCode {
    let done = match chronique::init::init_with(dir, options) {
        Ok(done) => done,
        Err(e) => return fail(e),
    };
    if quiet {
        return ExitCode::SUCCESS;
    }
    println!(
        "created a new column in {} ({} files)",
        dir.display(),
        done.files.len()
    );
    match &done.author {
        Some(slug) => println!(
            "author: content/authors/{slug}.md, site.toml's default_author: `chronique new` signs posts with it"
        ),
        None => println!(
            "no author yet: `chronique new author \"Prénom Nom\"` creates one, and `default_author = \"prenom-nom\"` in site.toml makes `chronique new` sign posts with it"
        ),
    }
    for host in options.hosts() {
        println!(
            "publishing: {} ({})",
            host.file().0.display(),
            host.describe()
        );
    }
    let into = if dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {}, ", dir.display())
    };
    println!("next: {into}set base_url in site.toml to the site's address, then `chronique serve`");
    ExitCode::SUCCESS
}

/// `chronique import wordpress`: the report on stdout, or why nothing was written.
fn import(
    export: PathBuf,
    root: Option<PathBuf>,
    inputs: chronique::import::Inputs,
    dry_run: bool,
    force: bool,
) -> ExitCode {
    let Some(root) = site_root(root) else {
        return ExitCode::FAILURE;
    };
    let options = chronique::import::ImportOptions {
        root,
        export,
        uploads: inputs.uploads,
        map: inputs.map,
        dry_run,
        force,
        progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
    };
    match chronique::import::wordpress(&options) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(chronique::import::ImportError::Conflicts(report)) => {
            print!("{report}");
            fail(chronique::import::ImportError::Conflicts(report))
        }
        Err(e) => fail(e),
    }
}

/// `chronique theme eject`: one line saying where the theme now is.
fn eject(root: Option<PathBuf>, quiet: bool) -> ExitCode {
    let Some(root) = site_root(root) else {
        return ExitCode::FAILURE;
    };
    match chronique::eject::eject(&root) {
        Ok(done) => {
            if !quiet {
                println!(
                    "wrote the theme chronique into {}/ ({} files): the site builds with this copy from now on, and a new chronique no longer updates it",
                    openable(&root, Path::new("themes/chronique")),
                    done.files
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

/// `chronique check`: the build's diagnostics and the check's own, then a summary; exit 1 on
/// errors.
fn check(args: CheckArgs, now: jiff::Timestamp, quiet: bool, started: Instant) -> ExitCode {
    let Some(root) = site_root(args.site.root) else {
        return ExitCode::FAILURE;
    };
    let options = chronique::check::CheckOptions {
        build: chronique::BuildOptions {
            root,
            output_dir: None,
            base_url: None,
            drafts: args.site.drafts,
            now,
        },
        external: args.external,
        timeout: std::time::Duration::from_secs(args.timeout.max(1)),
    };
    let report = chronique::check::check(&options);
    for d in &report.diagnostics.0 {
        eprintln!("{d}\n");
    }
    let (errors, warnings) = (report.errors(), report.warnings());
    // Worded like build's last line on errors, which scripts and tests already look for.
    let mut counts = if errors > 0 {
        format!(
            "{}: nothing was written; {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    } else {
        format!(
            "{}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    };
    if let Some(x) = &report.external {
        counts.push_str(&format!(
            "; {} ({} from the cache): {} broken, {} unconfirmed",
            plural(x.urls, "external link"),
            x.cached,
            x.broken,
            x.unconfirmed
        ));
    }
    if errors > 0 {
        eprintln!("\n{counts}");
        return ExitCode::FAILURE;
    }
    if !quiet {
        if let Some(build) = &report.build {
            println!("{}", summary("checked", build, started));
        }
        println!("{counts}");
    }
    ExitCode::SUCCESS
}

/// `chronique serve`: runs until Ctrl-C; returns only if it cannot start.
fn serve(args: ServeArgs, quiet: bool) -> ExitCode {
    let Some(root) = site_root(args.site.root) else {
        return ExitCode::FAILURE;
    };
    let fixed_now = match source_date_epoch() {
        Ok(fixed) => fixed,
        Err(message) => return fail(message),
    };
    let options = chronique::dev::ServeOptions {
        root,
        bind: args.bind,
        port: args.port,
        drafts: args.site.drafts,
        fixed_now,
        open: args.open,
        poll: args.poll,
        timings: args.timings,
        quiet,
    };
    match chronique::dev::serve(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

/// "Now": `SOURCE_DATE_EPOCH` when set (reproducible builds), else the clock.
fn now() -> Result<jiff::Timestamp, String> {
    Ok(source_date_epoch()?.unwrap_or_else(jiff::Timestamp::now))
}

/// `SOURCE_DATE_EPOCH` (seconds since 1970), when it is set.
fn source_date_epoch() -> Result<Option<jiff::Timestamp>, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) if !s.trim().is_empty() => s
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|secs| jiff::Timestamp::from_second(secs).ok())
            .map(Some)
            .ok_or_else(|| format!("SOURCE_DATE_EPOCH={s} is not a number of seconds")),
        _ => Ok(None),
    }
}

/// `built 39 pages (8 posts, 2 standalone pages), 4 sections, 7 irritant themes in 0.03 s`
fn summary(verb: &str, report: &chronique::BuildReport, started: Instant) -> String {
    let mut contents = plural(report.posts, "post");
    if report.standalone > 0 {
        contents.push_str(&format!(
            ", {}",
            plural(report.standalone, "standalone page")
        ));
    }
    let mut line = format!(
        "{verb} {} ({contents}), {}, {} in {:.2} s",
        plural(report.pages, "page"),
        plural(report.sections, "section"),
        plural(report.irritant_themes, "irritant theme"),
        started.elapsed().as_secs_f64()
    );
    let photos = report.photos_processed + report.photos_cached;
    if photos > 0 {
        line.push_str(&format!(
            "; {}: {} processed, {} from the cache",
            plural(photos, "photo"),
            report.photos_processed,
            report.photos_cached
        ));
    }
    let left = &report.unpublished;
    let counts: Vec<String> = [(left.drafts, "draft"), (left.scheduled, "scheduled post")]
        .into_iter()
        .filter(|&(n, _)| n > 0)
        .map(|(n, noun)| plural(n, noun))
        .collect();
    if !counts.is_empty() {
        line.push_str(&format!(
            "; {} not published (--drafts to see them)",
            counts.join(" and ")
        ));
    }
    if let Some((title, date)) = &left.next {
        line.push_str(&format!(
            "\nnext publication: \u{ab}\u{a0}{title}\u{a0}\u{bb}, {} (rebuild the site then to publish it)",
            date.datetime
        ));
    }
    line
}

/// `1 page`, `2 pages`.
fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
