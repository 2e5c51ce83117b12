//! The import graph of `src/` is a ladder: no file imports one that imports it back (no cycle),
//! and no top-level module imports one declared after it in `src/lib.rs`, which lists them
//! from the bottom rung up.
//!
//! The graph is read from the source text, file by file: every `crate::…` and `super::…` path
//! (in `use` trees and in expressions), and in a `mod.rs` every path through one of its own
//! child modules. Each path goes to the deepest file module it names. Comments, string and
//! character literals are skipped first, so a path in a doc comment is not an import.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// A source file's module path: `["render", "views"]` for `src/render/views.rs`, `[]` for lib.rs.
type ModPath = Vec<String>;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every file of the library crate (main.rs is a crate of its own), by module path.
fn modules() -> BTreeMap<ModPath, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("src folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src()).expect("inside src");
            let mut parts: Vec<String> = rel
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            let file = parts.pop().expect("a file name");
            match file.as_str() {
                "main.rs" if parts.is_empty() => continue,
                "lib.rs" if parts.is_empty() => {}
                "mod.rs" => {}
                other => parts.push(other.trim_end_matches(".rs").to_string()),
            }
            out.insert(parts, path);
        }
    }
    out
}

/// The text with comments, strings and character literals blanked out (lifetimes stay).
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if b[i] == b'r' && (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#')) {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&b'"') {
                out.push('r');
                i += 1;
                continue;
            }
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            j += 1;
            while j < b.len() && !b[j..].starts_with(&close) {
                j += 1;
            }
            i = j + close.len();
            out.push_str("\"\"");
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' {
            // A character literal ('a', '\n', '\u{a0}') or a lifetime ('a).
            let rest = &text[i + 1..];
            let end = if rest.starts_with('\\') {
                rest.find('\'').map(|e| e + 2)
            } else {
                let mut chars = rest.char_indices();
                match (chars.next(), chars.next()) {
                    (Some((_, _)), Some((k, '\''))) => Some(k + 2),
                    _ => None,
                }
            };
            match end {
                Some(e) => {
                    out.push_str("' '");
                    i += e;
                }
                None => {
                    out.push('\'');
                    i += 1;
                }
            }
        } else {
            let c = text[i..].chars().next().expect("a character");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Where the file's test module starts: `#[cfg(test)]` on the line before `mod tests` (with
/// any visibility).
fn test_module(code: &str) -> Option<usize> {
    code.match_indices("#[cfg(test)]\n")
        .map(|(i, _)| i)
        .find(|&i| {
            let next = code[i..].lines().nth(1).unwrap_or("");
            next.trim_start()
                .trim_start_matches("pub(super) ")
                .starts_with("mod tests")
        })
}

/// Tokens: identifiers, `::`, and single punctuation characters.
fn tokens(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = code.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_alphanumeric() || d == '_' {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(code[i..end].to_string());
        } else if c == ':' && chars.peek().is_some_and(|&(_, d)| d == ':') {
            chars.next();
            out.push("::".into());
        } else if !c.is_whitespace() {
            out.push(c.to_string());
        }
    }
    out
}

/// The paths that start at token `at` (just after a root such as `crate`), with the use-tree
/// groups `{a::b, c}` expanded. Paths in expressions stop at the first non-path token.
fn paths_from(t: &[String], mut at: usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut path = prefix;
    loop {
        if t.get(at).map(String::as_str) != Some("::") {
            out.push(path);
            return;
        }
        at += 1;
        match t.get(at).map(String::as_str) {
            Some("{") => {
                // A group: each comma-separated item is a path from here.
                let mut depth = 0;
                let mut item_start = at + 1;
                let mut j = at;
                while j < t.len() {
                    match t[j].as_str() {
                        "{" => depth += 1,
                        "}" => {
                            depth -= 1;
                            if depth == 0 {
                                group_item(t, item_start, j, &path, out);
                                return;
                            }
                        }
                        "," if depth == 1 => {
                            group_item(t, item_start, j, &path, out);
                            item_start = j + 1;
                        }
                        _ => {}
                    }
                    j += 1;
                }
                return;
            }
            Some(seg) if seg.chars().all(|c| c.is_alphanumeric() || c == '_') => {
                path.push(seg.to_string());
                at += 1;
            }
            _ => {
                out.push(path);
                return;
            }
        }
    }
}

/// One item of a use-tree group, tokens `from..to`.
fn group_item(t: &[String], from: usize, to: usize, prefix: &[String], out: &mut Vec<Vec<String>>) {
    let Some(first) = t.get(from).filter(|_| from < to) else {
        return;
    };
    if first == "self" {
        out.push(prefix.to_vec());
        return;
    }
    let mut p = prefix.to_vec();
    p.push(first.clone());
    paths_from(&t[..to], from + 1, p, out);
}

/// The file module a path leads to: the deepest existing prefix.
fn resolve(path: &[String], known: &BTreeMap<ModPath, PathBuf>) -> Option<ModPath> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| known.contains_key(p))
}

/// Each file's imports (other files, by module path).
fn graph() -> BTreeMap<ModPath, BTreeSet<ModPath>> {
    let known = modules();
    let mut graph = BTreeMap::new();
    for (module, file) in &known {
        let text = fs::read_to_string(file).expect("source file");
        let code = code_only(&text);
        // Test modules are not part of the layering.
        let code = match test_module(&code) {
            Some(i) => &code[..i],
            None => &code[..],
        };
        let t = tokens(code);
        let children: BTreeSet<&str> = t
            .windows(3)
            .filter(|w| w[0] == "mod" && w[2] == ";")
            .map(|w| w[1].as_str())
            .collect();
        let mut paths = Vec::new();
        for (i, tok) in t.iter().enumerate() {
            // A path continues a previous one (`a::crate` cannot happen, `x::super` neither).
            if i > 0 && t[i - 1] == "::" {
                continue;
            }
            // `pub(crate)`, `pub(super)`, `pub(in crate::x)`: visibility, not an import.
            if i > 1 && (t[i - 1] == "(" && t[i - 2] == "pub" || t[i - 1] == "in") {
                continue;
            }
            match tok.as_str() {
                "crate" => paths_from(&t, i + 1, Vec::new(), &mut paths),
                "super" => {
                    let mut base = module.clone();
                    let mut j = i;
                    // `super::super::x`: one module up for each.
                    loop {
                        base.pop();
                        if t.get(j + 1).map(String::as_str) == Some("::")
                            && t.get(j + 2).map(String::as_str) == Some("super")
                        {
                            j += 2;
                        } else {
                            break;
                        }
                    }
                    paths_from(&t, j + 1, base, &mut paths);
                }
                name if children.contains(name)
                    && t.get(i + 1).map(String::as_str) == Some("::") =>
                {
                    paths_from(
                        &t,
                        i + 1,
                        [module.clone(), vec![name.to_string()]].concat(),
                        &mut paths,
                    );
                }
                _ => {}
            }
        }
        let mut deps = BTreeSet::new();
        for p in paths {
            if let Some(target) = resolve(&p, &known)
                && &target != module
            {
                deps.insert(target);
            }
        }
        graph.insert(module.clone(), deps);
    }
    graph
}

fn name(m: &ModPath) -> String {
    if m.is_empty() {
        "lib".into()
    } else {
        m.join("::")
    }
}

/// The cycles of the graph (strongly connected components of more than one file).
fn cycles(graph: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Vec<Vec<String>> {
    // Kosaraju: order by finishing time, then walk the reversed graph.
    let nodes: Vec<&ModPath> = graph.keys().collect();
    let mut seen = BTreeSet::new();
    let mut order = Vec::new();
    for &start in &nodes {
        if seen.contains(start) {
            continue;
        }
        let mut stack = vec![(start, false)];
        while let Some((n, done)) = stack.pop() {
            if done {
                order.push(n);
                continue;
            }
            if !seen.insert(n) {
                continue;
            }
            stack.push((n, true));
            for d in graph.get(n).into_iter().flatten() {
                if !seen.contains(d) {
                    stack.push((d, false));
                }
            }
        }
    }
    let mut reversed: BTreeMap<&ModPath, Vec<&ModPath>> = BTreeMap::new();
    for (n, deps) in graph {
        for d in deps {
            reversed.entry(d).or_default().push(n);
        }
    }
    let mut assigned = BTreeSet::new();
    let mut out = Vec::new();
    for &n in order.iter().rev() {
        if assigned.contains(n) {
            continue;
        }
        let mut component = Vec::new();
        let mut stack = vec![n];
        while let Some(m) = stack.pop() {
            if !assigned.insert(m) {
                continue;
            }
            component.push(name(m));
            for &r in reversed.get(m).into_iter().flatten() {
                if !assigned.contains(r) {
                    stack.push(r);
                }
            }
        }
        if component.len() > 1 {
            component.sort();
            out.push(component);
        }
    }
    out
}

/// The top-level modules in the order `src/lib.rs` declares them: the ladder, bottom first.
fn ladder() -> Vec<String> {
    let lib = fs::read_to_string(src().join("lib.rs")).expect("lib.rs");
    let t = tokens(&code_only(&lib));
    t.windows(3)
        .filter(|w| w[0] == "mod" && w[2] == ";")
        .map(|w| w[1].clone())
        .collect()
}

#[test]
fn the_import_graph_has_no_cycle() {
    let graph = graph();
    assert!(graph.len() > 20, "the source files were not found");
    let cycles = cycles(&graph);
    assert!(
        cycles.is_empty(),
        "import cycles between source files:\n{}",
        cycles
            .iter()
            .map(|c| format!("  {}", c.join(" ⇄ ")))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn no_module_imports_one_above_it() {
    let rungs = ladder();
    assert!(
        rungs.len() > 10,
        "src/lib.rs declares too few modules: {rungs:?}"
    );
    let rung = |m: &ModPath| {
        m.first()
            .and_then(|top| rungs.iter().position(|r| r == top))
    };
    let mut upward = Vec::new();
    for (module, deps) in graph() {
        let Some(from) = rung(&module) else { continue };
        for d in deps {
            if let Some(to) = rung(&d)
                && to > from
            {
                upward.push(format!(
                    "  {} imports {} (declared after it in lib.rs)",
                    name(&module),
                    name(&d)
                ));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports up the ladder:\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_reader_sees_paths_in_use_trees_and_skips_comments() {
    let code = code_only(
        "// crate::a\nuse crate::{b::{c, d::E}, f};\nlet s = \"crate::g\"; let c = '\"'; fn x<'a>() { crate::h::i(); }",
    );
    let t = tokens(&code);
    let mut paths = Vec::new();
    for (i, tok) in t.iter().enumerate() {
        if tok == "crate" {
            paths_from(&t, i + 1, Vec::new(), &mut paths);
        }
    }
    let want: Vec<Vec<String>> = [
        vec!["b", "c"],
        vec!["b", "d", "E"],
        vec!["f"],
        vec!["h", "i"],
    ]
    .iter()
    .map(|p| p.iter().map(|s| s.to_string()).collect())
    .collect();
    assert_eq!(paths, want);
}
