//! The scenario model: a guide turned into steps a browser can walk, and its parser.
//!
//! A scenario file is TOML (see the README for the format). Each step carries the guide's section,
//! step number and words; its actions are short sentences in the guide's own language
//! (`click menu item "Enterprise Cluster"`), parsed by [`action`]. This module never touches a
//! browser or the network: it reads one file and returns a typed model or a [`ScenarioError`]
//! that names the file, line and column and says what was expected.

pub mod action;
mod duration;
mod parse;
pub mod source;
pub mod toml_text;

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

pub use action::{Action, ActionKind, Crop, Keeping, Role, Shot, Target};
pub use duration::{parse_duration, InvalidDuration};
pub use parse::{load, parse, parse_bytes};

/// A place in a scenario file, 1-based, as editors show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

#[derive(Clone, Debug)]
pub struct Scenario {
    pub file: PathBuf,
    pub title: String,
    /// The guide this scenario follows, as a path in the docs repository.
    pub guide: Option<String>,
    pub steps: Vec<Step>,
    /// How this scenario's screenshots draw highlights.
    pub highlight: HighlightStyle,
    /// What the built-in reference console imitates when this scenario runs on it.
    pub reference_console: ReferenceConsole,
}

/// `[reference_console]`: the kind of installation the built-in console imitates for a scenario
/// (ignored when `--console` names a real one).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReferenceConsole {
    /// Palette VerteX rather than Palette.
    pub vertex: bool,
    /// An airgap installation: the update is offered after a pack registry sync.
    pub airgap: bool,
}

/// The box drawn around a highlighted element: outside its edges by `padding`, so nothing of the
/// element is covered. The default follows the docs' screenshots: a bright red rounded box.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HighlightStyle {
    pub color: [u8; 3],
    /// The line's width in CSS pixels.
    pub width: u32,
    /// Space between the element's edge and the line, in CSS pixels.
    pub padding: u32,
    /// Corner radius in CSS pixels.
    pub radius: u32,
}

impl Default for HighlightStyle {
    fn default() -> Self {
        HighlightStyle {
            color: [0xe0, 0x20, 0x4a],
            width: 3,
            padding: 6,
            radius: 6,
        }
    }
}

impl Scenario {
    /// The scenario's short name: its file stem, used for output folders.
    pub fn name(&self) -> String {
        self.file
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_else(|| "scenario".to_string())
    }
}

#[derive(Clone, Debug)]
pub struct Step {
    /// The guide's section (`Upgrade`, `Validate`).
    pub section: String,
    /// The guide's step number within its section.
    pub number: u32,
    /// The guide's words for this step.
    pub guide_words: String,
    /// What the scenario does differently from the guide's words, and why.
    pub note: Option<String>,
    pub actions: Vec<Action>,
    /// The step changes the console: against a console other than the built-in one, the run
    /// stops before its first mutating action unless `--apply` is given.
    pub mutating: bool,
    /// This step's own deadline, overriding the run's per-step timeout.
    pub timeout: Option<Duration>,
    /// The step runs only when this holds over values captured earlier in the run.
    pub when: Option<Condition>,
    /// How this step's `snapshot` actions treat dynamic parts of the page.
    pub snapshot: SnapshotOptions,
    /// Where the step happens when it is not in the console (vCenter, the airgap support VM):
    /// such a step has no actions and is reported as done outside the console.
    pub outside: Option<String>,
    pub location: Location,
}

/// What a snapshot leaves out or tolerates. Text masks from the scenario's top level apply to
/// every step, in addition to the step's own.
#[derive(Clone, Debug, Default)]
pub struct SnapshotOptions {
    /// Patterns replaced by `[masked]` in the page outline (versions, timestamps).
    pub mask_text: Vec<regex::Regex>,
    /// Elements painted over with a solid box in the image, in baseline and new alike.
    pub mask: Vec<Target>,
    /// Elements hidden with CSS (`visibility: hidden`) while the image is taken.
    pub hide: Vec<Target>,
    /// Elements left visible but excluded from the image comparison.
    pub ignore: Vec<Target>,
    /// Differing pixels tolerated in the image (default 0).
    pub max_diff_pixels: Option<u64>,
    /// Differing pixels tolerated, as a fraction of the image (0.001 = 0.1 %).
    pub max_diff_ratio: Option<f64>,
}

/// A value a run captures as it goes (`check upgrade path` reads the versions).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Captured {
    InstalledVersion,
    TargetVersion,
    InstalledKubernetes,
    TargetKubernetes,
}

impl Captured {
    pub const ALL: [(Captured, &'static str); 4] = [
        (Captured::InstalledVersion, "installed_version"),
        (Captured::TargetVersion, "target_version"),
        (Captured::InstalledKubernetes, "installed_kubernetes"),
        (Captured::TargetKubernetes, "target_kubernetes"),
    ];

    pub fn name(self) -> &'static str {
        Captured::ALL
            .iter()
            .find(|(value, _)| *value == self)
            .map(|(_, name)| *name)
            .unwrap_or("?")
    }
}

/// `left == right` or `left != right` over captured values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    pub left: Captured,
    pub equal: bool,
    pub right: Captured,
}

impl Condition {
    /// Parses `target_kubernetes != installed_kubernetes`; an error carries a byte offset.
    pub fn parse(text: &str) -> Result<Condition, (usize, String)> {
        let (operator_at, equal) =
            match (text.find("!="), text.find("==")) {
                (Some(at), _) => (at, false),
                (None, Some(at)) => (at, true),
                (None, None) => return Err((
                    0,
                    "expected a condition such as \"target_kubernetes != installed_kubernetes\""
                        .to_string(),
                )),
            };
        let value = |part: &str, offset: usize| {
            let name = part.trim();
            let at = offset + part.len() - part.trim_start().len();
            Captured::ALL
                .iter()
                .find(|(_, known)| *known == name)
                .map(|(value, _)| *value)
                .ok_or_else(|| {
                    let known: Vec<&str> = Captured::ALL.iter().map(|(_, name)| *name).collect();
                    (
                        at,
                        format!(
                            "expected a captured value ({}), found \"{name}\"",
                            known.join(", ")
                        ),
                    )
                })
        };
        Ok(Condition {
            left: value(&text[..operator_at], 0)?,
            equal,
            right: value(&text[operator_at + 2..], operator_at + 2)?,
        })
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let operator = if self.equal { "==" } else { "!=" };
        write!(f, "{} {operator} {}", self.left.name(), self.right.name())
    }
}

impl Step {
    /// `Upgrade 4`, `Validate 2`: how reports name a step.
    pub fn title(&self) -> String {
        format!("{} {}", self.section, self.number)
    }
}

/// No scenario files were given and the folder to look in has none.
#[derive(Debug, thiserror::Error)]
#[error("no scenario files given and {} has no .toml files; pass SCENARIO paths or run from the project folder", folder.display())]
pub struct NoScenarioFiles {
    pub folder: PathBuf,
}

/// The scenario files (`*.toml`) of a folder, sorted by name.
pub fn scenario_files(folder: &std::path::Path) -> Result<Vec<PathBuf>, NoScenarioFiles> {
    let none = || NoScenarioFiles {
        folder: folder.to_path_buf(),
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(|_| none())?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "toml")
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(none());
    }
    Ok(files)
}

#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("cannot read scenario {}: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{location}: {message}")]
    Malformed { location: Location, message: String },
}
