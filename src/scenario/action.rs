//! The action language: one short sentence per action, in the guide's words.
//!
//! ```text
//! log in
//! click menu item "Enterprise Cluster"          select tab "Profile"
//! expect dialog "Palette version update"        expect text "On-prem system console is healthy"
//! screenshot "enterprise-version_upgrade-upgrade_vmware_non-airgap_update.webp"
//! back up layer "Kubernetes"
//! merge editor "Incoming changes" into editor "Current configuration" keeping "podCIDR"
//! check layer "Kubernetes" kept "podCIDR", "serviceClusterIpRange"
//! type "value" into field "Username"
//! wait until unlocked within 15m
//! ```
//!
//! A target is a role and the label a person reads (`button "Update"`), optionally inside another
//! target (`layer "Kubernetes" in dialog "Palette version update"`). There are deliberately no CSS
//! selectors, XPath or ids: a scenario must drive any console built from the same docs.

use std::fmt;

pub use crate::yaml::Keeping;

mod sentence;

use sentence::{tokenize, Cursor};

/// What a person calls the thing they look for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    MenuItem,
    Tab,
    Button,
    Link,
    Dialog,
    Pane,
    Field,
    Editor,
    Layer,
    /// A closed drop-down (a select menu, a combobox) whose entries appear once it is opened.
    Dropdown,
    /// A row of a table or grid (a registry, a tenant, a node), named by its cells.
    Row,
    /// A cell of a table row, named by what it says and by its column's header.
    Cell,
    Heading,
    Text,
}

impl Role {
    /// Every role with the words that name it in a scenario, longest first so that
    /// `menu item` wins over a future `menu`.
    pub const ALL: [(Role, &'static str); 14] = [
        (Role::MenuItem, "menu item"),
        (Role::Tab, "tab"),
        (Role::Button, "button"),
        (Role::Link, "link"),
        (Role::Dialog, "dialog"),
        (Role::Pane, "pane"),
        (Role::Field, "field"),
        (Role::Editor, "editor"),
        (Role::Layer, "layer"),
        (Role::Dropdown, "dropdown"),
        (Role::Row, "row"),
        (Role::Cell, "cell"),
        (Role::Heading, "heading"),
        (Role::Text, "text"),
    ];

    pub fn words(self) -> &'static str {
        Role::ALL
            .iter()
            .find(|(role, _)| *role == self)
            .map(|(_, words)| *words)
            .unwrap_or("element")
    }

    /// The name the in-page locator script uses for this role.
    pub fn script_name(self) -> &'static str {
        match self {
            Role::MenuItem => "menuitem",
            Role::Tab => "tab",
            Role::Button => "button",
            Role::Link => "link",
            Role::Dialog => "dialog",
            Role::Pane => "pane",
            Role::Field => "field",
            Role::Editor => "editor",
            Role::Layer => "layer",
            Role::Dropdown => "dropdown",
            Role::Row => "row",
            Role::Cell => "cell",
            Role::Heading => "heading",
            Role::Text => "text",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.words())
    }
}

/// An element as a person describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub role: Role,
    /// `None` means "the only visible one", e.g. `editor` on a page with one editor.
    pub label: Option<String>,
    pub within: Option<Box<Target>>,
}

impl Target {
    /// The target and the targets it is inside, innermost first (`button "Confirm"`, then
    /// `dialog "Palette version update"`).
    pub fn levels(&self) -> impl Iterator<Item = &Target> {
        std::iter::successors(Some(self), |target| target.within.as_deref())
    }
}

/// A label as a sentence writes it: in double quotes, a quote inside it as `\"` and a
/// backslash as `\\`, so the sentence reads back as the same label.
pub fn quoted(label: &str) -> String {
    format!("\"{}\"", label.replace('\\', "\\\\").replace('"', "\\\""))
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.label {
            Some(label) => write!(f, "{} {}", self.role, quoted(label))?,
            None => write!(f, "{}", self.role)?,
        }
        if let Some(within) = &self.within {
            write!(f, " in {within}")?;
        }
        Ok(())
    }
}

/// A screenshot as the guides publish it: named after the guide's image, with a box drawn around
/// each element its alt text says is highlighted, optionally cropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shot {
    pub image_name: String,
    pub highlight: Vec<Target>,
    pub crop: Option<Crop>,
}

/// What part of the viewport a screenshot keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Crop {
    /// A target's box, widened by `padding` CSS pixels on each side.
    Target { target: Target, padding: u32 },
    /// A region of the viewport, in CSS pixels.
    Region {
        x: u32,
        y: u32,
        width: u32,
        height: u32,
    },
}

/// The largest padding or region coordinate accepted, in CSS pixels.
const LARGEST_PIXELS: u32 = 100_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionKind {
    /// Logs in through whatever login form is shown; does nothing when already logged in.
    LogIn,
    Click(Target),
    /// Waits until the target is visible (for `text`, until the page shows that text).
    Expect(Target),
    /// Saves the page, named after the guide's image, highlighted and cropped as the guide
    /// shows it.
    Screenshot(Shot),
    /// Compares the page with its snapshots (outline and image), or records them.
    Snapshot {
        name: String,
    },
    /// Selects a profile layer and saves the editor's content to the run's backups.
    BackUpLayer {
        layer: String,
    },
    /// Takes `from`'s text, carries over from `into` what `keeping` says (listed keys, or every
    /// customization the harness finds), writes the result into `into` (the guide's external
    /// diff tool, done in place).
    Merge {
        from: Target,
        into: Target,
        keeping: Keeping,
    },
    /// Selects a layer and proves the listed keys still hold the values of this run's backup, or
    /// (`kept customizations`) that every customization this run's merge carried is still there.
    CheckLayerKept {
        layer: String,
        keeping: Keeping,
    },
    Type {
        text: String,
        into: Target,
    },
    /// Reads the installed Palette version from the page (the Summary page shows it).
    ReadInstalledVersion,
    /// After the upgrade: the page names the version `check upgrade path` read as the target,
    /// and no older one.
    ExpectUpgradedVersion,
    /// Reads the offered version from the page and checks the path against the docs' rules:
    /// an unsupported or unknown path stops the run here, before any change.
    CheckUpgradePath,
    /// Selects a layer, pastes the values support sent for it (`--support-values DIR`) with this
    /// run's carried customizations on top, saves, and checks the layer holds them.
    ReplaceWithSupportValues {
        layer: String,
    },
    /// Waits through the console's upgrade lock until a login form or the Main Menu is usable,
    /// for as long as `within` says (the lock's own time), 30 minutes if it says nothing.
    WaitUntilUnlocked {
        within: Option<std::time::Duration>,
    },
}

impl ActionKind {
    /// The elements the action looks for on the page, as targets: what it clicks, expects,
    /// highlights, reads or writes (a layer's entry for the layer actions).
    pub fn targets(&self) -> Vec<Target> {
        let layer = |name: &str| Target {
            role: Role::Layer,
            label: Some(name.to_string()),
            within: None,
        };
        match self {
            ActionKind::Click(target) | ActionKind::Expect(target) => vec![target.clone()],
            ActionKind::Screenshot(shot) => shot.highlight.clone(),
            ActionKind::Merge { from, into, .. } => vec![from.clone(), into.clone()],
            ActionKind::Type { into, .. } => vec![into.clone()],
            ActionKind::BackUpLayer { layer: name }
            | ActionKind::CheckLayerKept { layer: name, .. }
            | ActionKind::ReplaceWithSupportValues { layer: name } => vec![layer(name)],
            ActionKind::LogIn
            | ActionKind::Snapshot { .. }
            | ActionKind::ReadInstalledVersion
            | ActionKind::ExpectUpgradedVersion
            | ActionKind::CheckUpgradePath
            | ActionKind::WaitUntilUnlocked { .. } => Vec::new(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Action {
    pub kind: ActionKind,
    /// The sentence as written in the scenario.
    pub text: String,
    /// Clicking this changes the console (Update, Confirm, Save, ...).
    pub mutating: bool,
    pub location: super::Location,
}

/// Labels of buttons whose click changes the console. A click on one must sit in a step marked
/// `mutating = true`, so a read-only run can never press it by accident.
const MUTATING_BUTTON_WORDS: [&str; 13] = [
    "update", "confirm", "save", "apply", "delete", "sync", "activate", "create", "submit",
    "upgrade", "remove", "reset", "install",
];

/// Whether a label reads as a console-changing command (Update, `Confirm!`, `(Save)`): its first
/// word is one of the mutating button words.
pub fn is_mutating_label(label: &str) -> bool {
    // `Confirm!` and `(Update)` are still Confirm and Update.
    let first_word: String = label
        .split_whitespace()
        .next()
        .unwrap_or("")
        .chars()
        .filter(|character| character.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    MUTATING_BUTTON_WORDS.contains(&first_word.as_str())
}

pub fn is_mutating(kind: &ActionKind) -> bool {
    match kind {
        ActionKind::Click(Target {
            role: Role::Button,
            label: Some(label),
            ..
        }) => is_mutating_label(label),
        // Pasting and saving a layer's values changes the console.
        ActionKind::ReplaceWithSupportValues { .. } => true,
        _ => false,
    }
}

/// A parse failure at a character offset within the action's text.
#[derive(Debug, PartialEq, Eq)]
pub struct ActionSyntaxError {
    pub offset: usize,
    pub message: String,
}

/// How each action begins, for "did you mean".
const ACTION_PHRASES: [&str; 15] = [
    "log in",
    "click",
    "select",
    "open",
    "expect",
    "screenshot",
    "snapshot",
    "back up layer",
    "merge",
    "check layer",
    "read installed version",
    "replace layer",
    "type",
    "wait until unlocked",
    "check upgrade path",
];

/// How deep `in` targets may nest.
const MAX_NESTING: usize = 8;

const ACTIONS_HELP: &str =
    "an action (log in, click, select, expect, screenshot, snapshot, back up layer, merge, \
check layer, read installed version, check upgrade path, expect upgraded version, replace layer, type, wait until unlocked)";

/// Parses a target alone (`pane "System health"`), as snapshot options name them.
pub fn parse_target(text: &str) -> Result<Target, ActionSyntaxError> {
    let mut cursor = Cursor {
        tokens: tokenize(text)?,
        position: 0,
        end: text.chars().count(),
    };
    let target = cursor.target()?;
    if !cursor.at_end() {
        return cursor.error("the end of the target");
    }
    Ok(target)
}

/// Parses one action sentence. Offsets in errors count characters from the sentence's start.
pub fn parse_action(text: &str) -> Result<ActionKind, ActionSyntaxError> {
    let tokens = tokenize(text)?;
    let mut cursor = Cursor {
        tokens,
        position: 0,
        end: text.chars().count(),
    };
    let kind = if cursor.eat_words("log in") {
        ActionKind::LogIn
    } else if cursor.eat_words("click") || cursor.eat_words("select") || cursor.eat_words("open") {
        ActionKind::Click(cursor.target()?)
    } else if cursor.eat_words("expect upgraded version") {
        ActionKind::ExpectUpgradedVersion
    } else if cursor.eat_words("expect") {
        ActionKind::Expect(cursor.target()?)
    } else if cursor.eat_words("screenshot") {
        let image_name = cursor.quoted("the guide's image name in double quotes")?;
        let lower = image_name.to_lowercase();
        if !(lower.ends_with(".webp") || lower.ends_with(".png")) {
            return Err(ActionSyntaxError {
                offset: cursor.tokens[cursor.position - 1].offset,
                message: format!(
                    "expected an image name ending in .webp (as the guides' images are) or .png, found \"{image_name}\""
                ),
            });
        }
        if image_name.contains('/') || image_name.contains('\\') {
            return Err(ActionSyntaxError {
                offset: cursor.tokens[cursor.position - 1].offset,
                message: "expected a plain image name such as \"name.webp\", without folders"
                    .to_string(),
            });
        }
        let mut highlight = Vec::new();
        if cursor.eat_words("highlighting") {
            highlight.push(cursor.target()?);
            while cursor.eat_words("and") {
                highlight.push(cursor.target()?);
            }
        }
        let crop = if cursor.eat_words("cropped to region") {
            let x = cursor
                .pixels("the region's left edge in CSS pixels, as in `region 0, 0, 800, 600`")?;
            cursor.comma("`,` and the region's top edge")?;
            let y = cursor.pixels("the region's top edge in CSS pixels")?;
            cursor.comma("`,` and the region's width")?;
            let width = cursor.pixels("the region's width in CSS pixels")?;
            cursor.comma("`,` and the region's height")?;
            let height = cursor.pixels("the region's height in CSS pixels")?;
            if width == 0 || height == 0 {
                return Err(ActionSyntaxError {
                    offset: cursor.tokens[cursor.position - 1].offset,
                    message: format!(
                        "expected a region at least 1 pixel wide and high, found {width}x{height}"
                    ),
                });
            }
            Some(Crop::Region {
                x,
                y,
                width,
                height,
            })
        } else if cursor.eat_words("cropped to") {
            let target = cursor.target()?;
            let padding = if cursor.eat_words("with padding") {
                cursor.pixels("the padding in CSS pixels, such as 16")?
            } else {
                0
            };
            Some(Crop::Target { target, padding })
        } else {
            None
        };
        ActionKind::Screenshot(Shot {
            image_name,
            highlight,
            crop,
        })
    } else if cursor.eat_words("snapshot") {
        let name = cursor.quoted("the snapshot's name in double quotes")?;
        if !name.chars().all(|character| {
            character.is_ascii_alphanumeric() || character == '-' || character == '_'
        }) {
            return Err(ActionSyntaxError {
                offset: cursor.tokens[cursor.position - 1].offset,
                message: format!(
                    "expected a snapshot name of letters, digits, `-` and `_`, found \"{name}\""
                ),
            });
        }
        ActionKind::Snapshot { name }
    } else if cursor.eat_words("back up layer") {
        ActionKind::BackUpLayer {
            layer: cursor.quoted("the layer's name in double quotes")?,
        }
    } else if cursor.eat_words("merge") {
        let from = cursor.target()?;
        cursor.expect_words("into")?;
        let into = cursor.target()?;
        let keeping = if cursor.eat_words("keeping") {
            cursor.keeping()?
        } else {
            Keeping::Keys(Vec::new())
        };
        ActionKind::Merge {
            from,
            into,
            keeping,
        }
    } else if cursor.eat_words("check layer") {
        let layer = cursor.quoted("the layer's name in double quotes")?;
        cursor.expect_words("kept")?;
        let keeping = cursor.keeping()?;
        ActionKind::CheckLayerKept { layer, keeping }
    } else if cursor.eat_words("read installed version") {
        ActionKind::ReadInstalledVersion
    } else if cursor.eat_words("check upgrade path") {
        ActionKind::CheckUpgradePath
    } else if cursor.eat_words("replace layer") {
        let layer = cursor.quoted("the layer's name in double quotes")?;
        cursor.expect_words("with support values")?;
        ActionKind::ReplaceWithSupportValues { layer }
    } else if cursor.eat_words("type") {
        let text = cursor.quoted("the text to type in double quotes")?;
        cursor.expect_words("into")?;
        ActionKind::Type {
            text,
            into: cursor.target()?,
        }
    } else if cursor.eat_words("wait until unlocked") {
        let within = if cursor.eat_words("within") {
            let offset = cursor.offset();
            let word = cursor.word("a duration such as `15m`")?;
            Some(
                super::parse_duration(&word).map_err(|invalid| ActionSyntaxError {
                    offset,
                    message: invalid.to_string(),
                })?,
            )
        } else {
            None
        };
        ActionKind::WaitUntilUnlocked { within }
    } else {
        return cursor.error_suggesting(ACTIONS_HELP, &ACTION_PHRASES);
    };
    if !cursor.at_end() {
        return cursor.error("the end of the action");
    }
    Ok(kind)
}

#[cfg(test)]
mod tests;
