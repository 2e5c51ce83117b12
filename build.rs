//! Embeds the default theme in the binary: writes `$OUT_DIR/theme_files.rs`, a list of every file
//! under `themes/chronique/` with its bytes (`include_bytes!`), which `src/builtin.rs` includes.
//! A site without a `themes/chronique/` folder builds with it, and `chronique theme eject` writes
//! it out; so chronique works anywhere, far from this repository.

use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let theme = manifest.join("themes/chronique");
    println!("cargo::rerun-if-changed=themes/chronique");
    let mut files = Vec::new();
    walk(&theme, &theme, &mut files);
    files.sort();
    let mut out = String::from(
        "/// Every file of the default theme: its path under the theme's folder, and its bytes.\n",
    );
    out.push_str("pub const THEME_FILES: &[(&str, &[u8])] = &[\n");
    for rel in &files {
        let full = theme.join(rel);
        out.push_str(&format!(
            "    ({:?}, include_bytes!({:?})),\n",
            rel.replace('\\', "/"),
            full.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("theme_files.rs");
    std::fs::write(dest, out).expect("write theme_files.rs");
}

fn walk(base: &Path, dir: &Path, files: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        if path.is_dir() {
            walk(base, &path, files);
        } else if let Ok(rel) = path.strip_prefix(base) {
            files.push(rel.to_string_lossy().into_owned());
        }
    }
}
