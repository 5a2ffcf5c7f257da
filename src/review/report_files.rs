//! Which file of the run's output folder `review --serve` may send for `/report/<token>/<path>`: the
//! folder's `report.html` and what its relative links reach (screenshots, snapshot copies, diff
//! images, traces), never a file outside the folder, never one reached through a symbolic link
//! and never the run's lock. Reads the file system (each component's `symlink_metadata`) but
//! serves nothing itself.

use std::io::Read as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Component, Path, PathBuf};

/// `--out`'s lock file (`harness::output`), which says which process holds the folder: not a
/// file of the report.
const LOCK_FILE: &str = ".palette-harness.lock";

/// Why a `/report/…` path is not served. The server answers 404 for every one of them, with no
/// content of any file; the reasons are for the unit tests and the message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Unserved {
    #[error("the path is not valid percent-encoded UTF-8")]
    Encoding,
    #[error("the path holds a backslash or a NUL")]
    Character,
    #[error("the path is empty, absolute or holds an empty, `.` or `..` component")]
    Component,
    #[error("the output folder's lock is not part of the report")]
    Lock,
    #[error("the path passes through a symbolic link")]
    SymbolicLink,
    #[error("the path leaves the output folder")]
    Outside,
    #[error("no such file in the output folder")]
    Missing,
}

/// `%XX` decoded into bytes, then read as UTF-8; a `%` not followed by two hex digits is refused.
/// (`+` stays a plus: this is a path, not a form.)
pub fn percent_decoded(raw: &str) -> Result<String, Unserved> {
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = bytes
                .get(index + 1..index + 3)
                .and_then(|pair| std::str::from_utf8(pair).ok())
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or(Unserved::Encoding)?;
            decoded.push(hex);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).map_err(|_| Unserved::Encoding)
}

/// The file `raw` (the request path after `/report/<token>/`, still percent-encoded) names inside
/// `root`, checked: decoded first, so `%2e%2e` is a `..` like any other; each component must be
/// a plain name; every component, from `root` down, must exist and be no symbolic link; the
/// canonical file must lie under `root`'s canonical form; and it must be a regular file.
pub fn confined(root: &Path, raw: &str) -> Result<PathBuf, Unserved> {
    let decoded = percent_decoded(raw)?;
    if decoded.contains(['\\', '\0']) {
        return Err(Unserved::Character);
    }
    // A plain name between every slash: no leading slash (absolute), no `//`, `.` or `..`.
    let names: Vec<&str> = decoded.split('/').collect();
    let plain = |name: &&str| {
        let mut components = Path::new(name).components();
        matches!(components.next(), Some(Component::Normal(_))) && components.next().is_none()
    };
    if decoded.is_empty() || !names.iter().all(|name| plain(name) && !name.is_empty()) {
        return Err(Unserved::Component);
    }
    if names == [LOCK_FILE] {
        return Err(Unserved::Lock);
    }
    let root = root.canonicalize().map_err(|_| Unserved::Missing)?;
    let mut path = root.clone();
    for name in &names {
        path.push(name);
        let metadata = std::fs::symlink_metadata(&path).map_err(|_| Unserved::Missing)?;
        if metadata.file_type().is_symlink() {
            return Err(Unserved::SymbolicLink);
        }
    }
    // Every component was checked to be no link, so this only restates it; it is the test a
    // later change to the walk above cannot silently lose.
    let canonical = path.canonicalize().map_err(|_| Unserved::Missing)?;
    if !canonical.starts_with(&root) {
        return Err(Unserved::Outside);
    }
    if !canonical.is_file() {
        return Err(Unserved::Missing);
    }
    Ok(canonical)
}

/// The file `raw` names (as `confined` checks it) and its bytes. The file is opened without
/// following a link in its last component, so one swapped in after the check is refused, not
/// read.
pub fn read_confined(root: &Path, raw: &str) -> Result<(PathBuf, Vec<u8>), Unserved> {
    let path = confined(root, raw)?;
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&path)
        .map_err(|_| Unserved::Missing)?;
    if !file.metadata().is_ok_and(|metadata| metadata.is_file()) {
        return Err(Unserved::Missing);
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|_| Unserved::Missing)?;
    Ok((path, bytes))
}

/// The content type a file of the report is sent with, by its extension; anything else is
/// bytes to save, never content a browser guesses at.
pub fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|extension| extension.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        Some("json") => "application/json",
        // A backup's or a merge's YAML, and the page outlines, read as text.
        Some("txt" | "yaml" | "yml") => "text/plain; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output folder with a report, a scenario's image, the lock, and beside it a secret.
    fn folder() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("summary three")).unwrap();
        std::fs::write(out.join("report.html"), "<html>").unwrap();
        std::fs::write(out.join("summary three/one.actual.png"), "png").unwrap();
        std::fs::write(out.join(LOCK_FILE), "4242").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        (dir, out)
    }

    #[test]
    fn a_file_of_the_folder_is_found_by_its_encoded_relative_path() {
        let (_dir, out) = folder();
        let root = out.canonicalize().unwrap();
        assert_eq!(confined(&out, "report.html"), Ok(root.join("report.html")));
        assert_eq!(
            confined(&out, "summary%20three/one.actual.png"),
            Ok(root.join("summary three/one.actual.png"))
        );
        assert_eq!(confined(&out, "nothing.png"), Err(Unserved::Missing));
        assert_eq!(confined(&out, "summary%20three"), Err(Unserved::Missing));
        assert_eq!(
            read_confined(&out, "report.html"),
            Ok((root.join("report.html"), b"<html>".to_vec()))
        );
        assert_eq!(
            read_confined(&out, "summary%20three"),
            Err(Unserved::Missing)
        );
    }

    #[test]
    fn traversal_absolute_paths_backslashes_and_nul_are_refused_however_encoded() {
        let (_dir, out) = folder();
        for (raw, why) in [
            ("../secret.txt", Unserved::Component),
            ("%2e%2e/secret.txt", Unserved::Component),
            ("%2E%2E%2Fsecret.txt", Unserved::Component),
            ("summary%20three/../../secret.txt", Unserved::Component),
            ("./report.html", Unserved::Component),
            ("/etc/passwd", Unserved::Component),
            ("%2fetc%2fpasswd", Unserved::Component),
            ("summary%20three//one.actual.png", Unserved::Component),
            ("", Unserved::Component),
            ("..%5csecret.txt", Unserved::Character),
            ("..\\secret.txt", Unserved::Character),
            ("report.html%00.png", Unserved::Character),
            ("%zz", Unserved::Encoding),
            ("%2", Unserved::Encoding),
            ("%ff", Unserved::Encoding),
            (LOCK_FILE, Unserved::Lock),
        ] {
            assert_eq!(confined(&out, raw), Err(why), "{raw}");
        }
    }

    #[test]
    fn a_symbolic_link_is_never_followed_wherever_it_points() {
        let (dir, out) = folder();
        let secret = dir.path().join("secret.txt");
        std::os::unix::fs::symlink(&secret, out.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path(), out.join("up")).unwrap();
        std::os::unix::fs::symlink(out.join("report.html"), out.join("inside.html")).unwrap();
        for raw in [
            "leak.txt",
            "up/secret.txt",
            "up/out/report.html",
            "inside.html",
        ] {
            assert_eq!(confined(&out, raw), Err(Unserved::SymbolicLink), "{raw}");
        }
    }

    #[test]
    fn a_folder_reached_through_a_link_is_still_served_from_its_real_place() {
        // The root itself may be named through a link (a temp dir under a linked /tmp); only
        // what lies below it is walked.
        let (dir, out) = folder();
        let alias = dir.path().join("alias");
        std::os::unix::fs::symlink(&out, &alias).unwrap();
        assert_eq!(
            confined(&alias, "report.html"),
            Ok(out.canonicalize().unwrap().join("report.html"))
        );
    }

    #[test]
    fn each_kind_of_report_file_has_its_content_type() {
        for (name, kind) in [
            ("report.html", "text/html; charset=utf-8"),
            ("a/one.actual.png", "image/png"),
            ("docs/x.WEBP", "image/webp"),
            ("a/report.json", "application/json"),
            ("a/one.page.txt", "text/plain; charset=utf-8"),
            ("a/style.css", "text/css; charset=utf-8"),
            ("a/app.js", "text/javascript; charset=utf-8"),
            ("a/junit.xml", "application/octet-stream"),
            ("noextension", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(name)), kind, "{name}");
        }
    }
}
