//! The component-library consoles of tests/fixtures/component-consoles, built once per test
//! process from their sources (shared by every test that serves one).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};

use super::text;

pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/component-consoles")
}

/// Builds a console (`npm ci` and its `build.mjs`) unless its `dist/` was built from the same
/// sources, as a stamp beside it records. A failed build fails the test: none is skipped.
pub fn built(console: &str) -> PathBuf {
    // One build at a time: two cores, and npm's cache is shared.
    static BUILDING: Mutex<()> = Mutex::new(());
    static BUILT: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    let _turn = BUILDING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let folder = corpus().join(console);
    let dist = folder.join("dist");
    let done = BUILT.get_or_init(|| Mutex::new(Vec::new()));
    if done.lock().unwrap().iter().any(|name| name == console) {
        return dist;
    }
    let stamp = sources_stamp(&folder);
    let stamp_file = dist.join(".built-from");
    if std::fs::read_to_string(&stamp_file).ok().as_deref() != Some(stamp.as_str()) {
        for (program, args) in [
            (
                "npm",
                &["ci", "--no-audit", "--no-fund", "--loglevel=error"][..],
            ),
            ("node", &["build.mjs"][..]),
        ] {
            let output = Command::new(program)
                .args(args)
                .current_dir(&folder)
                .stdin(Stdio::null())
                .output()
                .unwrap_or_else(|error| {
                    panic!("{program} could not start ({error}): install Node.js and npm")
                });
            assert!(
                output.status.success(),
                "`{program} {}` in {} failed:\n{}\n{}",
                args.join(" "),
                folder.display(),
                text(&output.stdout),
                text(&output.stderr)
            );
        }
        std::fs::write(&stamp_file, &stamp).expect("build stamp written");
    }
    done.lock().unwrap().push(console.to_string());
    dist
}

/// A digest of the console's sources (everything but `node_modules/` and `dist/`).
fn sources_stamp(folder: &Path) -> String {
    use std::hash::{Hash, Hasher};
    let mut files: Vec<PathBuf> = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).expect("readable folder").flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir() {
                if name != "node_modules" && name != "dist" {
                    pending.push(path);
                }
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for file in files {
        file.strip_prefix(folder).expect("inside").hash(&mut hasher);
        std::fs::read(&file)
            .expect("readable source")
            .hash(&mut hasher);
    }
    format!("{:016x}", hasher.finish())
}
