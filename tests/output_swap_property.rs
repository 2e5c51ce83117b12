//! A property of the output swap, under real processes: whatever happens to builds (killed with
//! SIGKILL or interrupted with SIGINT after a random delay, two of them at once, one of two
//! killed), after the next good build `public/` holds exactly what a fresh build writes, plus
//! your own dotfiles at its top, and nothing else of yours changed (the sources, a file beside
//! the site).
//!
//! Seeded, and short by default (a few seconds); for a long run:
//! `CHRONIQUE_SWAP_SECONDS=900 cargo test --release --test output_swap_property -- --nocapture`
//! (`CHRONIQUE_SWAP_SEED` picks another seed, `CHRONIQUE_SWAP_ITERATIONS` a number of rounds).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use common::{Site, files, send_signal};

/// xorshift64*: enough randomness for delays and choices, the same for the same seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// Your own files: dotfiles at the top of the output, and a file beside the site.
const YOURS: [(&str, &str); 2] = [
    ("public/.git/HEAD", "ref: refs/heads/main\n"),
    ("public/.mine/notes.txt", "à moi\n"),
];

fn spawn_build(site: &Site) -> Child {
    common::spawn_build(site, &[], Stdio::null())
}

fn send(child: &Child, signal: &str) {
    // The build may have ended already: then there is nothing to signal.
    let _ = send_signal(child, signal);
}

/// A build's end is one of these: success, or the signal it was sent.
fn assert_ended(status: ExitStatus, signal: Option<i32>, what: &str) {
    let ok = status.success() || (signal.is_some() && status.signal() == signal);
    assert!(ok, "{what}: {status:?}");
}

/// The sources and the file beside the site: what the builds must never touch.
fn sources(site: &Site) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut all = BTreeMap::new();
    for dir in ["content", "static", "themes"] {
        for (p, b) in files(&site.root.join(dir)) {
            all.insert(Path::new(dir).join(p), b);
        }
    }
    all.insert(
        PathBuf::from("site.toml"),
        fs::read(site.path("site.toml")).unwrap(),
    );
    all.insert(
        PathBuf::from("../canary.txt"),
        fs::read(site.tmp.path().join("canary.txt")).unwrap(),
    );
    all
}

/// Changes the site a little: static dotfiles come and go, posts appear, change and vanish.
fn mutate(site: &Site, rng: &mut Rng, round: u64) {
    match rng.below(6) {
        0 => site.write("static/.htaccess", format!("# round {round}\n")),
        1 => {
            let _ = fs::remove_file(site.path("static/.htaccess"));
        }
        2 => site.write(
            "static/.well-known/security.txt",
            format!("Contact: {round}\n"),
        ),
        3 => {
            let _ = fs::remove_dir_all(site.path("static/.well-known"));
        }
        4 => site.write(
            &format!("content/breves/p{:02}.md", rng.below(20)),
            format!("---\ntitle: \"Brève {round}\"\ndate: 2020-02-02\n---\nTexte {round}.\n"),
        ),
        _ => {
            let _ = fs::remove_file(site.path(&format!("content/breves/p{:02}.md", rng.below(20))));
        }
    }
}

/// What a fresh build writes.
fn fresh(site: &Site) -> BTreeMap<PathBuf, Vec<u8>> {
    let out = site.tmp.path().join("fresh");
    let _ = fs::remove_dir_all(&out);
    site.build(&["-q", "--output-dir", out.to_str().unwrap()])
        .success();
    let built = files(&out);
    fs::remove_dir_all(&out).unwrap();
    built
}

#[test]
fn after_any_interruption_the_next_build_is_a_fresh_build() {
    let seed = env_number("CHRONIQUE_SWAP_SEED").unwrap_or(0x5eed_c401);
    let seconds = env_number("CHRONIQUE_SWAP_SECONDS");
    let rounds = env_number("CHRONIQUE_SWAP_ITERATIONS").unwrap_or(if seconds.is_some() {
        u64::MAX
    } else {
        3
    });
    let deadline = seconds.map(|s| Instant::now() + Duration::from_secs(s));
    let mut rng = Rng(seed | 1);

    let site = Site::fixture("basic");
    for i in 0..20 {
        site.write(
            &format!("content/breves/p{i:02}.md"),
            format!(
                "---\ntitle: \"Brève {i}\"\ndate: 2020-01-01\ntags: [t{}]\n---\n{}\n",
                i % 7,
                "L'attente, encore. ".repeat(40)
            ),
        );
    }
    fs::write(site.tmp.path().join("canary.txt"), "ne pas toucher\n").unwrap();
    site.build(&["-q"]).success();
    for (rel, text) in YOURS {
        site.write(rel, text);
    }
    // How long a build takes here: the delays are drawn up to a bit more than that.
    let started = Instant::now();
    site.build(&["-q"]).success();
    let span = (started.elapsed().as_micros() as u64 * 3 / 2).max(1_000);

    let mut round = 0;
    let mut kinds = [0u32; 5];
    while round < rounds && deadline.is_none_or(|d| Instant::now() < d) {
        mutate(&site, &mut rng, round);
        let before = sources(&site);
        let kind = rng.below(5) as usize;
        kinds[kind] += 1;
        let delay = Duration::from_micros(rng.below(span));
        let what = format!("seed {seed:#x}, round {round}, kind {kind}, delay {delay:?}");
        match kind {
            // Killed, or interrupted, after the delay.
            0 | 1 => {
                let (name, number) = if kind == 0 { ("KILL", 9) } else { ("INT", 2) };
                let mut child = spawn_build(&site);
                std::thread::sleep(delay);
                send(&child, name);
                assert_ended(child.wait().unwrap(), Some(number), &what);
            }
            // Two at once, the second after the delay.
            2 => {
                let mut first = spawn_build(&site);
                std::thread::sleep(delay);
                let mut second = spawn_build(&site);
                assert_ended(first.wait().unwrap(), None, &what);
                assert_ended(second.wait().unwrap(), None, &what);
            }
            // Two at once, one of them killed.
            3 => {
                let mut first = spawn_build(&site);
                let mut second = spawn_build(&site);
                std::thread::sleep(delay);
                let (victim, other) = if rng.below(2) == 0 {
                    (&mut first, &mut second)
                } else {
                    (&mut second, &mut first)
                };
                send(victim, "KILL");
                assert_ended(victim.wait().unwrap(), Some(9), &what);
                assert_ended(other.wait().unwrap(), None, &what);
            }
            _ => {
                site.build(&["-q"]).success();
            }
        }
        assert!(before == sources(&site), "{what}: the sources changed");

        // The next good build repairs everything.
        let run = site.build(&["-q"]);
        assert_eq!(run.code, Some(0), "{what}\n{run}");
        let published: BTreeMap<PathBuf, Vec<u8>> = files(&site.public())
            .into_iter()
            .filter(|(p, _)| !p.starts_with(".git") && !p.starts_with(".mine"))
            .collect();
        let expected = fresh(&site);
        if published != expected {
            let a: Vec<_> = published.keys().collect();
            let b: Vec<_> = expected.keys().collect();
            panic!("{what}: public/ is not a fresh build\n{a:?}\n{b:?}");
        }
        for (rel, text) in YOURS {
            assert_eq!(
                fs::read_to_string(site.path(rel)).ok().as_deref(),
                Some(text),
                "{what}: {rel}"
            );
        }
        let left: Vec<String> = fs::read_dir(&site.root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".chronique-"))
            .collect();
        assert!(left.is_empty(), "{what}: left {left:?}");
        assert!(before == sources(&site), "{what}: the sources changed");
        round += 1;
    }
    eprintln!(
        "{round} rounds (seed {seed:#x}): {} killed, {} interrupted, {} two at once, {} two with one killed, {} plain",
        kinds[0], kinds[1], kinds[2], kinds[3], kinds[4]
    );
}
