//! The layering ARCHITECTURE.md writes down holds: every module of `src/` uses only modules on
//! lower layers. Read from the source itself: each `use crate::…` (with its `{…}` groups) and
//! each `crate::module::…` path written in code; a module's own submodules are the module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// `## Layers` of ARCHITECTURE.md: lines `N. module, module, …`, top layer first; a module may
/// use only modules on a lower-numbered line.
fn layers(architecture: &str) -> BTreeMap<String, usize> {
    let section = architecture
        .split("\n## Layers")
        .nth(1)
        .expect("ARCHITECTURE.md has a `## Layers` section");
    let section = section.split("\n## ").next().unwrap_or_default();
    let mut layers = BTreeMap::new();
    for line in section.lines() {
        let Some((number, modules)) = line.trim().split_once(". ") else {
            continue;
        };
        let Ok(number) = number.parse::<usize>() else {
            continue;
        };
        for module in modules.split(',') {
            let module = module.trim().trim_matches('`');
            if !module.is_empty() {
                let earlier = layers.insert(module.to_string(), number);
                assert!(
                    earlier.is_none(),
                    "ARCHITECTURE.md's layers list {module} twice"
                );
            }
        }
    }
    layers
}

/// The module a source file belongs to: `src/runner/wait.rs` → `runner`, `src/main.rs` → `main`.
fn module_of(file: &Path, src: &Path) -> String {
    let relative = file.strip_prefix(src).expect("under src");
    let first = relative.components().next().expect("a component");
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_string()
}

fn rust_files(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder)
        .expect("readable folder")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
    files
}

/// Code without its comments (`//…` to the end of the line) and string literals, roughly: what
/// a `crate::` inside them says is no import.
fn code_only(source: &str) -> String {
    let mut code = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    let mut in_string = false;
    while let Some(character) = chars.next() {
        if in_string {
            match character {
                '\\' => {
                    chars.next();
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match character {
            '/' if chars.peek() == Some(&'/') => {
                for next in chars.by_ref() {
                    if next == '\n' {
                        code.push('\n');
                        break;
                    }
                }
            }
            '"' => in_string = true,
            _ => code.push(character),
        }
    }
    code
}

/// The top-level modules a file's code names through `root::` (`crate` in the library,
/// `palette_harness` in the binary): `use root::{a, b::c}` and `root::d::…` paths.
fn used_modules(code: &str, root: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let prefix = format!("{root}::");
    let mut rest = code;
    while let Some(at) = rest.find(&prefix) {
        let before = rest[..at].chars().last();
        rest = &rest[at + prefix.len()..];
        if before.is_some_and(|character| character.is_alphanumeric() || character == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            // A group: its top-level entries, nested groups skipped.
            let mut depth = 0;
            let mut entry = String::new();
            for character in group.chars() {
                match character {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        used.insert(first_name(&entry));
                        entry.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 {
                    entry.push(character);
                }
            }
            used.insert(first_name(&entry));
        } else {
            used.insert(first_name(rest));
        }
    }
    used.remove("");
    used.remove("self");
    used
}

fn first_name(text: &str) -> String {
    text.trim_start()
        .chars()
        .take_while(|character| character.is_alphanumeric() || *character == '_')
        .collect()
}

/// Every use of a module on the same or a higher layer, as `file: a (layer N) uses b (layer M)`.
fn upward_uses(src: &Path, layers: &BTreeMap<String, usize>) -> (Vec<String>, Vec<String>) {
    let mut upward = Vec::new();
    let mut unplaced = BTreeSet::new();
    for file in rust_files(src) {
        let module = module_of(&file, src);
        if module == "lib" {
            continue;
        }
        let root = if module == "main" {
            "palette_harness"
        } else {
            "crate"
        };
        let code = code_only(&std::fs::read_to_string(&file).expect("readable source"));
        let Some(&own) = layers.get(&module) else {
            unplaced.insert(module);
            continue;
        };
        for used in used_modules(&code, root) {
            if used == module {
                continue;
            }
            match layers.get(&used) {
                None => {
                    unplaced.insert(used);
                }
                Some(&layer) if layer >= own => upward.push(format!(
                    "{}: {module} (layer {own}) uses {used} (layer {layer})",
                    file.display()
                )),
                Some(_) => {}
            }
        }
    }
    (upward, unplaced.into_iter().collect())
}

#[test]
fn every_module_uses_only_modules_on_lower_layers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let architecture =
        std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let layers = layers(&architecture);
    let (upward, unplaced) = upward_uses(&root.join("src"), &layers);
    assert!(
        unplaced.is_empty(),
        "modules missing from ARCHITECTURE.md's layers: {unplaced:?}"
    );
    assert!(
        upward.is_empty(),
        "imports against the layering in ARCHITECTURE.md:\n{}",
        upward.join("\n")
    );
}

/// The check itself: an upward `use`, a grouped one and a path in code are each seen; comments
/// and strings are not imports.
#[test]
fn the_check_sees_use_lines_groups_and_paths_but_not_comments() {
    let layers: BTreeMap<String, usize> = [("runner", 5), ("browser", 2), ("harness", 6)]
        .into_iter()
        .map(|(module, layer)| (module.to_string(), layer))
        .collect();
    let folder = tempfile::tempdir().expect("temp dir");
    let src = folder.path();
    std::fs::create_dir_all(src.join("browser")).expect("folder");
    std::fs::write(
        src.join("browser/mod.rs"),
        "// crate::harness is only named here\nuse crate::{runner::Event, browser};\nfn f() { let s = \"crate::harness::x\"; }\n",
    )
    .expect("source");
    std::fs::write(
        src.join("runner.rs"),
        "fn g() { crate::harness::run(); }\nuse crate::browser::Browser;\n",
    )
    .expect("source");
    let (upward, unplaced) = upward_uses(src, &layers);
    assert!(unplaced.is_empty(), "{unplaced:?}");
    assert_eq!(upward.len(), 2, "{upward:?}");
    assert!(
        upward[0].ends_with("browser (layer 2) uses runner (layer 5)")
            || upward[1].ends_with("browser (layer 2) uses runner (layer 5)"),
        "{upward:?}"
    );
    assert!(
        upward
            .iter()
            .any(|line| line.ends_with("runner (layer 5) uses harness (layer 6)")),
        "{upward:?}"
    );
}
