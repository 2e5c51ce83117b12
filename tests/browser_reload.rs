//! Live reload in a real browser: headless Chromium keeps a served page open while the test
//! edits the sources on disk, and the page proves by itself that it reloaded.
//!
//! A DevTools client would need a WebSocket library; instead the page is opened with
//! `?__chronique_probe`, and the reload script (served by `chronique serve` only) then reports
//! each load and each stylesheet refresh to `/__chronique/probe`: how many times it loaded in
//! this tab, its title, its scroll position, whether the error overlay is shown, and the value of
//! the CSS custom property `--chronique-probe`, and the scroll position the script restored
//! itself after a reload. The test reads the reports back from `/__chronique/probes`.
//!
//! Skips, with a message, when `/usr/bin/chromium` is absent.

#[path = "fixtures/serve/harness.rs"]
mod harness;

use std::collections::BTreeMap;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use harness::{Server, Site, WAIT};

const CHROMIUM: &str = "/usr/bin/chromium";
const POST: &str = "content/breves/punition.md";
const CSS: &str = "themes/chronique/static/css/chronique.css";

/// Headless Chromium in a process group of its own, killed (with its helpers) when dropped.
struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn open(url: &str) -> Browser {
        let profile = tempfile::tempdir().expect("a profile folder");
        let child = Command::new(CHROMIUM)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-default-browser-check",
                // Small, so the post is taller than the window and can scroll.
                "--window-size=480,360",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("chromium starts");
        Browser {
            child,
            _profile: profile,
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The group was created for this browser: its renderer and helper processes go too.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One report from the page.
type Probe = BTreeMap<String, String>;

fn probes(server: &Server) -> Vec<Probe> {
    let reply = server.get("/__chronique/probes");
    assert_eq!(reply.status, 200);
    reply
        .body
        .lines()
        .filter(|l| !l.is_empty())
        .map(|line| {
            line.split('&')
                .filter_map(|pair| pair.split_once('='))
                .map(|(k, v)| (form_decode(k), form_decode(v)))
                .collect()
        })
        .collect()
}

/// Waits for a report matching `test`; panics with every report seen after `timeout`.
fn wait_for_probe(server: &Server, timeout: Duration, test: impl Fn(&Probe) -> bool) -> Probe {
    let deadline = Instant::now() + timeout;
    loop {
        let seen = probes(server);
        if let Some(found) = seen.iter().find(|p| test(p)) {
            return found.clone();
        }
        if Instant::now() > deadline {
            panic!(
                "the page never reported as expected; reports: {seen:#?}\nserver said:\n{}",
                server.log().join("\n")
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn field<'a>(probe: &'a Probe, key: &str) -> &'a str {
    probe.get(key).map(String::as_str).unwrap_or("")
}

#[test]
fn a_real_browser_reloads_itself_after_edits() {
    if !Path::new(CHROMIUM).exists() {
        eprintln!(
            "skipping the browser reload test: {CHROMIUM} is not installed (apt-get install chromium)"
        );
        return;
    }
    let site = Site::new();
    let server = Server::start(&site, &[]);
    let _browser = Browser::open(&format!(
        "http://{}/breves/punition/?__chronique_probe=1",
        server.addr
    ));

    // The first load (Chromium's start-up included, hence the longer wait).
    let first = wait_for_probe(&server, WAIT * 3, |p| {
        field(p, "event") == "load" && field(p, "loads") == "1"
    });
    assert!(
        field(&first, "title").starts_with("La punition"),
        "{first:?}"
    );
    assert_eq!(field(&first, "overlay"), "0");
    let scrolled = field(&first, "scroll").to_string();

    // A real edit: the page reloads by itself, shows the new title, keeps its scroll position.
    site.edit(
        POST,
        "title: \"La punition\"",
        "title: \"La grande punition\"",
    );
    let second = wait_for_probe(&server, WAIT, |p| {
        field(p, "event") == "load" && field(p, "loads") == "2"
    });
    assert!(
        field(&second, "title").starts_with("La grande punition"),
        "{second:?}"
    );
    assert_eq!(
        field(&second, "scroll"),
        scrolled,
        "{first:?} then {second:?}"
    );
    // …and it is the script that put it back (Chromium may restore it on a reload too).
    assert_eq!(field(&second, "restored"), scrolled, "{second:?}");

    // A stylesheet change: new CSS applied without a reload (still the second load).
    let css = site.read(CSS);
    site.write(CSS, &format!("{css}\n:root {{ --chronique-probe: 42; }}\n"));
    let restyled = wait_for_probe(&server, WAIT, |p| {
        field(p, "event") == "css" && field(p, "probe") == "42"
    });
    assert_eq!(field(&restyled, "loads"), "2", "{restyled:?}");

    // Broken front matter: the page reloads and shows the overlay.
    site.edit(
        POST,
        "title: \"La grande punition\"",
        "title: \"La grande punition",
    );
    let broken = wait_for_probe(&server, WAIT, |p| {
        field(p, "event") == "load" && field(p, "loads") == "3"
    });
    assert_eq!(field(&broken, "overlay"), "1", "{broken:?}");

    // Fixed: the overlay goes with the next reload.
    site.edit(
        POST,
        "title: \"La grande punition",
        "title: \"La punition réparée\"",
    );
    let fixed = wait_for_probe(&server, WAIT, |p| {
        field(p, "event") == "load" && field(p, "loads") == "4"
    });
    assert_eq!(field(&fixed, "overlay"), "0", "{fixed:?}");
    assert!(
        field(&fixed, "title").starts_with("La punition réparée"),
        "{fixed:?}"
    );

    println!("what the page reported:");
    for probe in probes(&server) {
        println!("  {probe:?}");
    }
}
