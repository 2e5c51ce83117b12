//! The first screen of a phone (issue 25): on a 375 × 667 screen, in the light and the dark
//! scheme, the example column's brève, conte part, breakdown and article show their title and
//! the first line of their text (the context, for a breakdown) without scrolling.
//!
//! Headless Chromium loads `tests/browser/first-screen.html` from the built site: it opens the
//! post in a 375 × 667 frame and writes where the post's `h1` and the first line of its text end;
//! `--dump-dom` gives the test what it wrote. The colour scheme is Chromium's
//! (`--blink-settings=preferredColorScheme=…`), checked by the page's background.
//!
//! Skips, with a message, when `/usr/bin/chromium` is absent.

mod browser;
mod common;

use browser::{StaticServer, dump_dom_with};
use common::Site;
use scraper::Html;

/// The phone's first screen, in CSS pixels.
const WIDTH: f64 = 375.0;
const HEIGHT: f64 = 667.0;

/// The posts, and where their text starts.
const POSTS: [(&str, &str); 4] = [
    ("/breves/musique-attente/", ".post-body p"),
    ("/contes/conte-de-noel-2/", ".post-body p"),
    (
        "/decryptages/ca-m-agace-quand-on-promet-de-me-rappeler/",
        ".breakdown-context",
    ),
    ("/articles/chatbots-sans-issue/", ".post-body p"),
];

/// The schemes: Chromium's setting, and the page's background in it (`--bg` of the theme).
const SCHEMES: [(&str, &str, &str); 2] = [
    ("light", "1", "rgb(251, 249, 244)"),
    ("dark", "0", "rgb(23, 22, 20)"),
];

/// What the probe page measured.
#[derive(Debug, serde::Deserialize)]
struct Measure {
    h1: Option<f64>,
    line: Option<f64>,
    text: Option<String>,
    background: String,
    width: f64,
    #[serde(rename = "scrollWidth")]
    scroll_width: f64,
}

fn measure(server: &StaticServer, page: &str, first: &str, scheme: &str) -> Measure {
    let query: String = first
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect();
    let url = format!(
        "http://{}/__first-screen.html?page={page}&first={query}",
        server.addr
    );
    let setting = format!("--blink-settings=preferredColorScheme={scheme}");
    let dom = dump_dom_with(&url, &["--hide-scrollbars", &setting]);
    let doc = Html::parse_document(&dom);
    let out = common::texts(&doc, "#out").join("");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{page}: {e}: {out:?}"))
}

#[test]
fn a_phone_shows_the_title_and_the_first_line_of_each_post() {
    if browser::missing("the first-screen browser test") {
        return;
    }
    let site = Site::example();
    site.build(&[]).success();
    let probe = include_str!("browser/first-screen.html");
    site.write("public/__first-screen.html", probe);
    let server = StaticServer::start(site.public());
    let mut misses = Vec::new();
    for (name, setting, background) in SCHEMES {
        for (page, first) in POSTS {
            let m = measure(&server, page, first, setting);
            assert_eq!(
                m.background, background,
                "{page} in the {name} scheme: {m:?}"
            );
            assert_eq!(m.width, WIDTH, "{page}: {m:?}");
            // Nothing wider than the phone (the navigation scrolls in its own row).
            assert_eq!(
                m.scroll_width, WIDTH,
                "{page} is wider than the phone: {m:?}"
            );
            let (Some(h1), Some(line)) = (m.h1, m.line) else {
                panic!("{page}: no h1 or no {first} in the page: {m:?}");
            };
            assert!(m.text.is_some_and(|t| !t.is_empty()), "{page}");
            if h1 > HEIGHT || line > HEIGHT {
                misses.push(format!(
                    "{page} ({name}): h1 ends at {h1:.0} px, the first line of {first} at {line:.0} px"
                ));
            }
        }
    }
    assert!(
        misses.is_empty(),
        "below the first screen ({HEIGHT} px):\n{}",
        misses.join("\n")
    );
}
