//! `chronique init --publish <host>`: the files that build the column and put it online, so that
//! publishing does not start with reading four hosts' manuals.
//!
//! A static site only changes when it is built: a post dated tomorrow appears tomorrow only if
//! something builds the site again then. So the CI files rebuild every morning as well as on each
//! push, and the others say how to do the same. The files are kept beside this module as they are
//! written (`include_str!`), so that they can be read, and tested, as what they are: YAML, TOML,
//! a shell script.

use std::path::PathBuf;

/// A place to publish the column, and the files that do it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Host {
    /// GitHub Pages, by a GitHub Actions workflow.
    Github,
    /// GitLab Pages, by a `pages` job of GitLab CI.
    Gitlab,
    /// Netlify, by its `netlify.toml`.
    Netlify,
    /// Any server reachable by SSH, by a script calling rsync.
    Rsync,
}

/// Where CI installs chronique from when nothing else is said: the package's `repository` (in
/// Cargo.toml), which it does not have yet. Empty, the files ask for one and stop.
const CHRONIQUE_GIT: &str = env!("CARGO_PKG_REPOSITORY");

/// What the files say instead of [`CHRONIQUE_GIT`] until `init` writes them.
const CHRONIQUE_GIT_MARK: &str = "@CHRONIQUE_GIT@";

/// The script of `--publish rsync`, which `init` makes executable.
pub const SCRIPT: &str = "publier.sh";

impl Host {
    /// The names `--publish` takes, in the order of the variants.
    pub const NAMES: [&'static str; 4] = ["github", "gitlab", "netlify", "rsync"];

    /// `github`, `gitlab`, `netlify` or `rsync`.
    pub fn parse(name: &str) -> Option<Host> {
        let hosts = [Host::Github, Host::Gitlab, Host::Netlify, Host::Rsync];
        (Host::NAMES.iter().zip(hosts)).find_map(|(n, host)| (*n == name).then_some(host))
    }

    /// The file this host reads, relative to the column's folder, and its text.
    pub fn file(self) -> (PathBuf, String) {
        let (path, text) = match self {
            Host::Github => (".github/workflows/publier.yml", include_str!("publier.yml")),
            Host::Gitlab => (".gitlab-ci.yml", include_str!("gitlab-ci.yml")),
            Host::Netlify => ("netlify.toml", include_str!("netlify.toml")),
            Host::Rsync => (SCRIPT, include_str!("publier.sh")),
        };
        (
            PathBuf::from(path),
            text.replace(CHRONIQUE_GIT_MARK, CHRONIQUE_GIT),
        )
    }

    /// What the host is, for the lines `init` prints.
    pub fn describe(self) -> &'static str {
        match self {
            Host::Github => "GitHub Pages, rebuilt at each push and every morning",
            Host::Gitlab => "GitLab Pages; add a pipeline schedule to rebuild every morning",
            Host::Netlify => "Netlify; call a build hook every morning to rebuild",
            Host::Rsync => "your server: set DESTINATION in it, then run it every morning",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_hosts_go_together() {
        for name in Host::NAMES {
            let host = Host::parse(name).unwrap();
            assert_eq!(format!("{host:?}").to_lowercase(), name);
        }
        assert_eq!(Host::parse("GitHub"), None);
    }

    #[test]
    fn every_mark_is_replaced() {
        for name in Host::NAMES {
            let (path, text) = Host::parse(name).unwrap().file();
            assert!(!text.contains(CHRONIQUE_GIT_MARK), "{}", path.display());
        }
        // The CI files install chronique from a variable; the script needs none.
        for host in [Host::Github, Host::Gitlab, Host::Netlify] {
            assert!(host.file().1.contains("CHRONIQUE_GIT"), "{host:?}");
        }
    }
}
