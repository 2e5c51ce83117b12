//! The floor under a build: what reading every input, writing the same output bytes, and running
//! pulldown-cmark alone on every body cost on this machine. The benchmark prints it beside the
//! generators' times, so "how far from the floor" is a measured number.
//!
//! usage: floor SITE_ROOT BUILT_OUTPUT SCRATCH_DIR
//! prints one line: `floor read_s=… write_s=… markdown_s=… files=… bytes=…`

use std::path::{Path, PathBuf};
use std::time::Instant;

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: floor SITE_ROOT BUILT_OUTPUT SCRATCH_DIR");
        std::process::exit(2);
    }
    let (root, built, scratch) = (
        Path::new(&args[1]),
        Path::new(&args[2]),
        Path::new(&args[3]),
    );

    // 1. Read every input.
    let inputs = files_under(&root.join("content"));
    let t = Instant::now();
    let texts: Vec<String> = inputs
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect();
    let read_s = t.elapsed().as_secs_f64();

    // 2. Write the same bytes as the built site (loaded first, not timed).
    let outputs: Vec<(PathBuf, Vec<u8>)> = files_under(built)
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            Some((p.strip_prefix(built).ok()?.to_path_buf(), bytes))
        })
        .collect();
    let _ = std::fs::remove_dir_all(scratch);
    let t = Instant::now();
    for (rel, bytes) in &outputs {
        let dest = scratch.join(rel);
        if let Some(parent) = dest.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = std::fs::write(&dest, bytes);
    }
    let write_s = t.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(scratch);

    // 3. pulldown-cmark alone on every body, one core.
    let bodies: Vec<&str> = texts
        .iter()
        .map(|t| {
            match t
                .strip_prefix("---\n")
                .and_then(|r| r.find("\n---\n").map(|i| &r[i + 5..]))
            {
                Some(body) => body,
                None => t.as_str(),
            }
        })
        .collect();
    let t = Instant::now();
    let mut total = 0usize;
    for body in &bodies {
        let mut html = String::new();
        pulldown_cmark::html::push_html(
            &mut html,
            pulldown_cmark::Parser::new_ext(body, pulldown_cmark::Options::all()),
        );
        total += html.len();
    }
    let markdown_s = t.elapsed().as_secs_f64();

    let bytes: usize = outputs.iter().map(|(_, b)| b.len()).sum();
    println!(
        "floor read_s={read_s:.3} write_s={write_s:.3} markdown_s={markdown_s:.3} files={} bytes={bytes} html_bytes={total}",
        outputs.len()
    );
}
