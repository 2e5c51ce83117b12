//! The video shortcode in a real browser (issue 23): headless Chromium loads the `shortcodes`
//! fixture's post with three videos, served over HTTP, and
//! - records every request it makes (its NetLog): none goes to another host than the test
//!   server's, and the one script of the theme did turn each link into a button;
//! - with JavaScript off, each video is a plain link to its page;
//! - after a click (a test page around the post clicks the buttons), the player's iframe is in
//!   the page, from youtube-nocookie.com for YouTube (read at once and taken out, and host names
//!   resolve nowhere: nothing leaves the machine).
//!
//! Skips, with a message, when `/usr/bin/chromium` is absent.

mod browser;
mod common;

use std::path::Path;

use browser::{CHROMIUM, StaticServer, dump_dom_with};
use common::{Site, attrs};
use scraper::Html;

const POST: &str = "/breves/tous-les-shortcodes/";

/// The page at `url` once its scripts have run, one browser at a time (the two tests would
/// otherwise start two at once).
fn dump_dom(url: &str, extra: &[String]) -> String {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let flags: Vec<&str> = extra.iter().map(String::as_str).collect();
    dump_dom_with(url, &flags)
}

/// The requests in a NetLog file: each one's URL, and whether a page started it (Chromium's
/// own background requests, to its vendor's services, have no initiator).
fn requested(netlog: &Path) -> Vec<(String, bool)> {
    let log = std::fs::read_to_string(netlog).unwrap_or_default();
    // Chromium may leave the last event unterminated when it exits.
    let log: serde_json::Value = serde_json::from_str(&log)
        .or_else(|_| serde_json::from_str(&format!("{}]}}", log.trim_end().trim_end_matches(','))))
        .expect("a NetLog in JSON");
    let mut out: Vec<(String, bool)> = (log["events"].as_array().into_iter().flatten())
        .filter_map(|e| {
            let url = e["params"]["url"].as_str()?;
            let from_page = e["params"]["initiator"]
                .as_str()
                .is_some_and(|i| i.starts_with("http"));
            Some((url.to_string(), from_page))
        })
        .filter(|(u, _)| u.starts_with("http"))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn served() -> Option<(Site, StaticServer)> {
    if !Path::new(CHROMIUM).exists() {
        eprintln!("skipped: no {CHROMIUM} (install chromium to run the video browser test)");
        return None;
    }
    let site = Site::fixture("shortcodes");
    site.build(&[]).success();
    // A test page around the post, which clicks the first two videos' buttons once loaded and
    // copies the players' addresses and titles into itself for --dump-dom (not part of the site).
    std::fs::write(
        site.public().join("clic.html"),
        format!(
            r#"<!doctype html><title>clic</title><pre id="players"></pre>
<iframe id="post" src="{POST}" width="800" height="600"></iframe>
<script>
document.getElementById("post").addEventListener("load", function () {{
  var doc = this.contentDocument;
  var buttons = doc.querySelectorAll(".sc-video-button");
  buttons[0].click(); buttons[1].click();
  // The players are read at once, then taken out before they load: nothing leaves the machine.
  var frames = doc.querySelectorAll(".sc-video iframe");
  var srcs = [].map.call(frames, function (f) {{ return f.src + " " + f.title; }});
  [].forEach.call(frames, function (f) {{ f.remove(); }});
  document.getElementById("players").textContent = srcs.join("\n") + "\nbuttons left: " + doc.querySelectorAll(".sc-video-button").length;
}});
</script>"#
        ),
    )
    .unwrap();
    // The post with its scripts off: a sandboxed frame without `allow-scripts` (Chromium's
    // --dump-dom needs JavaScript in the page it dumps), read by this page's script.
    std::fs::write(
        site.public().join("sans-js.html"),
        format!(
            r#"<!doctype html><title>sans js</title><pre id="links"></pre>
<iframe id="post" sandbox="allow-same-origin" src="{POST}"></iframe>
<script>
document.getElementById("post").addEventListener("load", function () {{
  var doc = this.contentDocument;
  var links = [].map.call(doc.querySelectorAll(".sc-video a.sc-video-link"), function (a) {{ return a.href; }});
  document.getElementById("links").textContent = links.join("\n") + "\nbuttons: " + doc.querySelectorAll(".sc-video-button").length;
}});
</script>"#
        ),
    )
    .unwrap();
    let server = StaticServer::start(site.public());
    Some((site, server))
}

/// Host names resolve nowhere but the test server's address.
fn offline() -> String {
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1".to_string()
}

#[test]
fn two_videos_request_nothing_from_another_host_until_a_click_and_then_play() {
    let Some((site, server)) = served() else {
        return;
    };
    let netlog = site.tmp.path().join("netlog.json");
    let url = format!("http://{}{POST}", server.addr);
    let dom = dump_dom(
        &url,
        &[format!("--log-net-log={}", netlog.display()), offline()],
    );
    let page = Html::parse_document(&dom);
    // The script ran: each link is now a button, and no player is there yet.
    assert_eq!(
        common::ntexts(&page, ".sc-video-button .sc-video-label"),
        [
            "Lire la vidéo : Une file d'attente",
            "Lire la vidéo : Le rappel",
            "Lire la vidéo : framatube.org"
        ],
        "{dom}"
    );
    assert!(attrs(&page, "iframe", "src").is_empty());
    let requests = requested(&netlog);
    let own = format!("http://{}/", server.addr);
    let from_page = |end: &str| requests.iter().any(|(u, page)| *page && u.ends_with(end));
    assert!(
        from_page("/js/video.js") && from_page("/affiche.svg") && from_page("/css/sc/video.css"),
        "the recording missed the page's own requests: {requests:?}"
    );
    let foreign: Vec<&String> = (requests.iter())
        .filter(|(u, page)| *page && !u.starts_with(&own))
        .map(|(u, _)| u)
        .collect();
    assert!(
        foreign.is_empty(),
        "requests to another host before any click: {foreign:?}"
    );

    // A click swaps in the player.
    let dom = dump_dom(&format!("http://{}/clic.html", server.addr), &[offline()]);
    let page = Html::parse_document(&dom);
    let players = common::texts(&page, "#players").join("");
    assert!(
        players.contains(
            "https://www.youtube-nocookie.com/embed/jNQXAC9IVRw?autoplay=1 Une file d’attente"
        ),
        "{players}"
    );
    assert!(
        players.contains("https://player.vimeo.com/video/76979871"),
        "{players}"
    );
    assert!(players.contains("buttons left: 1"), "{players}");
}

#[test]
fn without_javascript_each_video_is_a_link_to_its_page() {
    let Some((_site, server)) = served() else {
        return;
    };
    let url = format!("http://{}/sans-js.html", server.addr);
    let dom = dump_dom(&url, &[offline()]);
    let page = Html::parse_document(&dom);
    let text = common::texts(&page, "#links").join(" ");
    let links: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(
        links,
        [
            "https://www.youtube.com/watch?v=jNQXAC9IVRw",
            "https://vimeo.com/76979871",
            "https://framatube.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d",
            "buttons:",
            "0"
        ],
        "{dom}"
    );
}
