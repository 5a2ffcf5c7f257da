//! The rule table of `docs draft`: how a sentence of a guide becomes actions. A guide names UI
//! elements in bold, and the words around a bold label say what to do with it: the verb before it
//! (`select`, `click`, `enter`, `states`), the noun after it (`tab`, `button`, `layer`, `page`,
//! `field`, `modal`), and the phrase that leads to it (`from the left **Main Menu**`, `>`). The
//! tables below are that reading, as data; [`translate`] applies them to one sentence. Pure.
//!
//! The rehearsal's own steps are read too: layers the guide copies "for backup" become `back up
//! layer`, and "replace … each … layer … with the values … from our support team" becomes
//! `replace layer … with support values` for the layers backed up before. What it does not do:
//! guess a value to type (it writes `TODO`), or translate what happens off the page (copying to
//! a comparison tool): those stay TODOs for the person reviewing the draft.

use crate::scenario::{Role, Target};

/// An action the draft writes, before it is a sentence of the action language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Drafted {
    LogIn,
    Click(Target),
    /// A click on a Main Menu entry or a page's name: it goes somewhere, it never changes the
    /// console (`Update Management` is a page, not an update).
    Navigate(Target),
    ExpectText(String),
    /// `type "TODO" into field "X"`: the guide says what to enter, never a value.
    TypeInto(Target),
    WaitUntilUnlocked,
    /// `back up layer "CSI"`: the guide asks for a layer's configuration to be kept for backup.
    BackUpLayer(String),
    /// `replace layer "CSI" with support values`: the guide asks for each layer's configuration
    /// to be replaced with what support sent.
    ReplaceWithSupportValues(String),
}

/// What the verb before a bold label asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    /// Click or select the label.
    Click,
    /// Type into the field the label names.
    Type,
    /// The page shows the label's text (a message).
    Expect,
    /// Something the action language does not say (copy, paste, add, transfer).
    Other,
}

/// Verbs (lower case, whole words) and what they ask; the last one before a label counts.
pub const VERBS: [(&str, Verb); 27] = [
    ("click", Verb::Click),
    ("select", Verb::Click),
    ("choose", Verb::Click),
    ("open", Verb::Click),
    ("press", Verb::Click),
    ("go to", Verb::Click),
    ("navigate to", Verb::Click),
    ("enter", Verb::Type),
    ("type", Verb::Type),
    ("fill in", Verb::Type),
    ("state", Verb::Expect),
    ("states", Verb::Expect),
    ("display", Verb::Expect),
    ("displays", Verb::Expect),
    ("shows", Verb::Expect),
    ("reads", Verb::Expect),
    ("says", Verb::Expect),
    ("copy", Verb::Other),
    ("paste", Verb::Other),
    ("add", Verb::Other),
    ("transfer", Verb::Other),
    ("append", Verb::Other),
    ("remove", Verb::Other),
    ("replace", Verb::Other),
    ("right-click", Verb::Other),
    ("receive", Verb::Other),
    ("deploy", Verb::Other),
];

/// What the noun right after a bold label says the label is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Noun {
    /// An element a person clicks, of this role (`the **Profile** tab`).
    Clickable(Role),
    /// A page of the console, reached from the Main Menu (`On the **Summary** page`).
    Page,
    /// A field to type into.
    Field,
    /// A dialog: what follows in the step happens inside it (`the **Palette version update**
    /// preview modal`).
    Dialog,
    /// Where something is, not what to click (`the **Current configuration** pane`, `your
    /// **spectro-packs** registry`, a wizard's step, a message).
    Place,
}

/// Nouns (lower case, the words right after the label), longest first where they share a word.
pub const NOUNS: [(&str, Noun); 26] = [
    ("menu item", Noun::Clickable(Role::MenuItem)),
    ("tab", Noun::Clickable(Role::Tab)),
    ("button", Noun::Clickable(Role::Button)),
    ("link", Noun::Clickable(Role::Link)),
    ("layer", Noun::Clickable(Role::Layer)),
    ("row", Noun::Clickable(Role::Row)),
    ("drop-down", Noun::Clickable(Role::Dropdown)),
    ("dropdown", Noun::Clickable(Role::Dropdown)),
    ("page", Noun::Page),
    ("field", Noun::Field),
    ("preview modal", Noun::Dialog),
    ("modal", Noun::Dialog),
    ("dialog", Noun::Dialog),
    ("pane", Noun::Place),
    ("panes", Noun::Place),
    ("editor", Noun::Place),
    ("wizard", Noun::Place),
    ("step", Noun::Place),
    ("registry", Noun::Place),
    ("folder", Noun::Place),
    ("directory", Noun::Place),
    ("selector", Noun::Place),
    ("message", Noun::Place),
    ("success message", Noun::Place),
    ("section", Noun::Place),
    ("column", Noun::Place),
];

/// Bold labels that are the menu itself: what follows is chosen from it (a menu item).
pub const MENU_LABELS: [&str; 3] = ["main menu", "left main menu", "left menu"];

/// Plain words before a label that mean the same (`from the left menu, select …`).
pub const MENU_PHRASES: [&str; 2] = ["left menu", "main menu"];

/// Words that describe an icon button rather than name it: `**three-dot Menu**` is the button a
/// person reads as Menu.
pub const ICON_WORDS: [&str; 5] = ["three-dot", "three-dots", "kebab", "ellipsis", "hamburger"];

/// In `**A** > **B**`, what B is, by what A is: a Main Menu entry's page shows its parts as tabs
/// (Administration > Pack Registries); a button opens a menu (three-dot Menu > Sync).
pub const CHAINED: [(Role, Role); 2] =
    [(Role::MenuItem, Role::Tab), (Role::Button, Role::MenuItem)];

/// Verbs that start an instruction: a sentence that starts one of its clauses with one and yields
/// no action is left as a TODO.
pub const INSTRUCTIONS: [&str; 27] = [
    "click",
    "select",
    "choose",
    "open",
    "press",
    "enter",
    "type",
    "copy",
    "paste",
    "add",
    "transfer",
    "repeat",
    "review",
    "replace",
    "use",
    "refer",
    "remove",
    "append",
    "right-click",
    "log",
    "navigate",
    "go",
    "wait",
    "download",
    "execute",
    "run",
    "update",
];

/// What one sentence became.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Translation {
    pub actions: Vec<Drafted>,
    /// The sentence instructs something no rule turned into an action.
    pub untranslated: bool,
}

/// What carries from one sentence of a step to the next: the dialog the step works in, and the
/// profile layers the guide named for backup so far (for "each layer" later on).
#[derive(Clone, Debug, Default)]
pub struct StepContext {
    pub dialog: Option<String>,
    pub layers: Vec<String>,
}

/// The layers a sentence lists before the word `layers` (`your CSI, CNI, and Kubernetes layers`
/// → CSI, CNI, Kubernetes); none where it lists none.
pub fn layers_listed(sentence: &str) -> Vec<String> {
    let lower = sentence.to_lowercase();
    let Some(at) = lower.find(" layers") else {
        return Vec::new();
    };
    let before = &sentence[..at];
    let lower_before = &lower[..at];
    let start = ["your ", "the "]
        .iter()
        .filter_map(|word| lower_before.rfind(word).map(|found| found + word.len()))
        .max()
        .unwrap_or(0);
    let names: Vec<String> = before[start..]
        .split(',')
        .flat_map(|part| part.split(" and "))
        .map(|name| name.trim().trim_start_matches("and ").trim().to_string())
        .filter(|name| !name.is_empty())
        .collect();
    // A list of layer names is a few short names, each starting with a capital (`CSI`,
    // `Kubernetes`), not words such as "all Enterprise Cluster Profile".
    let plausible = names.iter().all(|name| {
        name.split_whitespace().count() <= 2 && name.chars().next().is_some_and(char::is_uppercase)
    });
    if plausible {
        names
    } else {
        Vec::new()
    }
}

/// The rehearsal's own steps, as a guide says them: layers copied for backup become `back up
/// layer`, each layer replaced with support's values becomes `replace layer … with support
/// values` (for the layers named for backup before). `None` for any other sentence.
fn rehearsal_actions(
    lower: &str,
    sentence: &str,
    context: &mut StepContext,
) -> Option<Vec<Drafted>> {
    if lower.contains("layers") && (lower.contains("backup") || lower.contains("back up")) {
        let layers = layers_listed(sentence);
        if layers.is_empty() {
            return None;
        }
        for layer in &layers {
            if !context.layers.contains(layer) {
                context.layers.push(layer.clone());
            }
        }
        return Some(layers.into_iter().map(Drafted::BackUpLayer).collect());
    }
    if lower.contains("replace")
        && lower.contains("support")
        && lower.contains("layer")
        && !context.layers.is_empty()
    {
        return Some(
            context
                .layers
                .iter()
                .cloned()
                .map(Drafted::ReplaceWithSupportValues)
                .collect(),
        );
    }
    None
}

/// A sentence as text and bold labels, in order.
enum Piece<'a> {
    Words(&'a str),
    Label(&'a str),
}

fn pieces(sentence: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    for (index, piece) in sentence.split("**").enumerate() {
        if index % 2 == 1 {
            pieces.push(Piece::Label(piece.trim()));
        } else {
            pieces.push(Piece::Words(piece));
        }
    }
    pieces
}

/// The last verb of `VERBS` in `text`, as whole words.
pub fn last_verb(text: &str) -> Option<Verb> {
    let lower = text.to_lowercase();
    VERBS
        .iter()
        .filter_map(|(words, verb)| last_whole_words(&lower, words).map(|at| (at, *verb)))
        .max_by_key(|(at, _)| *at)
        .map(|(_, verb)| verb)
}

/// Where `words` last occur in `text` as whole words (not inside `selector` or `recopy`).
fn last_whole_words(text: &str, words: &str) -> Option<usize> {
    let is_word = |character: char| character.is_alphanumeric() || character == '-';
    text.rmatch_indices(words).map(|(at, _)| at).find(|at| {
        let before = text[..*at].chars().next_back();
        let after = text[at + words.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

/// The noun the words after a label start with.
pub fn noun_after(text: &str) -> Option<Noun> {
    let words: Vec<String> = text
        .split_whitespace()
        .take(2)
        .map(|word| {
            word.trim_matches(|character: char| !character.is_alphanumeric() && character != '-')
                .to_lowercase()
        })
        .collect();
    let two = words.join(" ");
    let one = words.first().cloned().unwrap_or_default();
    NOUNS
        .iter()
        .find(|(noun, _)| *noun == two)
        .or_else(|| NOUNS.iter().find(|(noun, _)| *noun == one))
        .map(|(_, noun)| *noun)
}

/// `three-dot Menu` → `Menu`; other labels as they are.
pub fn without_icon_words(label: &str) -> &str {
    for word in ICON_WORDS {
        if let Some(rest) = label
            .get(..word.len())
            .filter(|start| start.eq_ignore_ascii_case(word))
            .and_then(|_| label[word.len()..].strip_prefix(' '))
        {
            return rest.trim();
        }
    }
    label
}

/// Whether the words between two labels only continue a list (`and`, `or`, `,`).
fn continues_list(text: &str) -> bool {
    text.split(|character: char| character.is_whitespace() || character == ',')
        .all(|word| {
            word.is_empty() || word.eq_ignore_ascii_case("and") || word.eq_ignore_ascii_case("or")
        })
}

/// Translates one sentence (bold as `**…**`) into actions, the step's dialog carried along.
pub fn translate(sentence: &str, context: &mut StepContext) -> Translation {
    let mut translation = Translation::default();
    let lower = sentence.to_lowercase();
    if let Some(actions) = rehearsal_actions(&lower, sentence, context) {
        translation.actions = actions;
        return translation;
    }
    if lower.starts_with("log in") && lower.contains("console") {
        translation.actions.push(Drafted::LogIn);
    }
    let pieces = pieces(sentence);
    let mut menu_pending = false;
    let mut previous: Option<(Verb, Option<Role>)> = None;
    let mut unhandled_instruction = false;
    for (index, piece) in pieces.iter().enumerate() {
        let Piece::Label(label) = piece else {
            continue;
        };
        let before = match index.checked_sub(1).map(|at| &pieces[at]) {
            Some(Piece::Words(words)) => *words,
            _ => "",
        };
        let after = match pieces.get(index + 1) {
            Some(Piece::Words(words)) => *words,
            _ => "",
        };
        let before_lower = before.to_lowercase();
        if MENU_PHRASES
            .iter()
            .any(|phrase| before_lower.contains(phrase))
        {
            menu_pending = true;
        }
        if MENU_LABELS.contains(&label.to_lowercase().as_str()) {
            menu_pending = true;
            continue;
        }
        let chained = before.trim() == ">";
        let verb = match last_verb(before) {
            Some(verb) => Some(verb),
            None if chained || (index > 1 && continues_list(before)) => {
                previous.map(|(verb, _)| verb)
            }
            None => None,
        };
        let noun = noun_after(after);
        let within = || {
            context.dialog.as_ref().map(|dialog| {
                Box::new(Target {
                    role: Role::Dialog,
                    label: Some(dialog.clone()),
                    within: None,
                })
            })
        };
        let target = |role: Role| Target {
            role,
            label: Some(without_icon_words(label).to_string()),
            within: within(),
        };
        let drafted = match (verb, noun) {
            (_, Some(Noun::Dialog)) => {
                context.dialog = Some(label.to_string());
                None
            }
            (_, Some(Noun::Place)) => None,
            (Some(Verb::Type), Some(Noun::Field) | None) => {
                Some(Drafted::TypeInto(target(Role::Field)))
            }
            (None, Some(Noun::Field)) if last_verb(after) == Some(Verb::Type) => {
                Some(Drafted::TypeInto(target(Role::Field)))
            }
            (Some(Verb::Expect), _) => Some(Drafted::ExpectText(label.to_string())),
            (Some(Verb::Click), Some(Noun::Page)) => {
                Some(Drafted::Navigate(target(Role::MenuItem)))
            }
            // `On the **Summary** page, …`: the page is reached from the Main Menu.
            (None, Some(Noun::Page)) if before_lower.trim_end().ends_with("on the") => {
                Some(Drafted::Navigate(target(Role::MenuItem)))
            }
            (Some(Verb::Click), Some(Noun::Field)) => Some(Drafted::Click(target(Role::Field))),
            (Some(Verb::Click), Some(Noun::Clickable(role))) => Some(Drafted::Click(target(role))),
            (Some(Verb::Click), None) => {
                let chained_role =
                    previous
                        .filter(|_| chained)
                        .and_then(|(_, role)| role)
                        .map(|role| {
                            CHAINED
                                .iter()
                                .find(|(from, _)| *from == role)
                                .map_or(role, |(_, to)| *to)
                        });
                match chained_role {
                    Some(role) => Some(Drafted::Click(target(role))),
                    None if menu_pending => Some(Drafted::Navigate(target(Role::MenuItem))),
                    None => Some(Drafted::Click(target(Role::Button))),
                }
            }
            (Some(Verb::Other), _) => {
                unhandled_instruction = true;
                None
            }
            _ => None,
        };
        let role = match &drafted {
            Some(Drafted::Click(target) | Drafted::Navigate(target)) => {
                menu_pending = false;
                Some(target.role)
            }
            _ => None,
        };
        if let Some(verb) = verb {
            previous = Some((verb, role));
        }
        translation.actions.extend(drafted);
    }
    if lower.contains("console locks") {
        translation.actions.push(Drafted::WaitUntilUnlocked);
    }
    translation.untranslated =
        translation.actions.is_empty() && (unhandled_instruction || instructs(sentence));
    translation
}

/// Whether a clause of the sentence starts with an instruction's verb (`From your current
/// configuration, transfer …`; `… and then paste it …`).
pub fn instructs(sentence: &str) -> bool {
    let plain = sentence.replace("**", "").to_lowercase();
    plain
        .split([',', ';', ':'])
        .flat_map(|clause| clause.split(" and "))
        .any(|clause| {
            let mut words = clause.split_whitespace();
            let mut first = words.next().unwrap_or("");
            if first == "then" {
                first = words.next().unwrap_or("");
            }
            INSTRUCTIONS.contains(&first)
        })
}

/// A step's instructions as sentences: split after `.`, `?` or `!` and a space, never inside bold
/// or code.
pub fn sentences(words: &str) -> Vec<String> {
    let mut sentences = Vec::new();
    let mut current = String::new();
    let mut in_bold = false;
    let mut in_code = false;
    let characters: Vec<char> = words.chars().collect();
    let mut index = 0;
    while index < characters.len() {
        let character = characters[index];
        if character == '*' && characters.get(index + 1) == Some(&'*') && !in_code {
            in_bold = !in_bold;
            current.push_str("**");
            index += 2;
            continue;
        }
        if character == '`' {
            in_code = !in_code;
        }
        current.push(character);
        let ends = matches!(character, '.' | '?' | '!')
            && !in_bold
            && !in_code
            && characters
                .get(index + 1)
                .is_none_or(|next| next.is_whitespace());
        if ends {
            sentences.push(current.trim().to_string());
            current.clear();
        }
        index += 1;
    }
    if !current.trim().is_empty() {
        sentences.push(current.trim().to_string());
    }
    sentences
}

/// Where a step happens outside the console, by the words that say so (first match wins).
pub const OUTSIDE_CUES: [(&str, &str); 9] = [
    ("vcenter", "vCenter"),
    ("ovf", "vCenter"),
    ("ova", "vCenter"),
    ("support vm", "a terminal on the airgap support VM"),
    ("ssh", "a terminal"),
    ("terminal", "a terminal"),
    ("command", "a terminal"),
    ("binary", "a terminal"),
    ("bin", "a terminal"),
];

/// Words that put a step in the console whatever else it mentions.
pub const CONSOLE_CUES: [&str; 2] = ["system console", "main menu"];

/// Where the step's words say it happens, when that is outside the console.
pub fn outside_place(words: &str) -> Option<&'static str> {
    let plain = words.replace("**", "").to_lowercase();
    if CONSOLE_CUES.iter().any(|cue| plain.contains(cue)) {
        return None;
    }
    OUTSIDE_CUES
        .iter()
        .find(|(cue, _)| last_whole_words(&plain, cue).is_some())
        .map(|(_, place)| *place)
}

/// What an image's alt text says is highlighted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Highlighted {
    /// The alt text says nothing is.
    Nothing,
    /// These, read safely: each label is one of the step's bold labels
    /// (`with the Update button highlighted`); only an editor or a dialog may go unnamed
    /// (`with the editor highlighted`).
    Targets(Vec<Target>),
    /// Something is, in words no safe rule reads (`with the highlighted profile values`).
    Unreadable,
}

pub fn highlighted(alt: &str, bold: &[String]) -> Highlighted {
    let Some(end) = alt.rfind(" highlighted") else {
        return Highlighted::Nothing;
    };
    // `with the highlighted … configuration values`: a layer's values are what its editor shows.
    if alt.to_lowercase().contains("configuration values") {
        return Highlighted::Targets(vec![Target {
            role: Role::Editor,
            label: None,
            within: None,
        }]);
    }
    let phrase = &alt[..end];
    let phrase = match phrase.rfind(" with ") {
        Some(at) => &phrase[at + " with ".len()..],
        None => phrase,
    };
    // `with Update Management open and the Update button highlighted`: the highlighted ones
    // are the last parts that name an element; the first part that does not ends them.
    let mut targets = Vec::new();
    for part in phrase.split(" and ").collect::<Vec<_>>().into_iter().rev() {
        let part = part.trim();
        let part = part
            .strip_prefix("the ")
            .or_else(|| part.strip_prefix("The "))
            .unwrap_or(part);
        let found = Role::ALL.iter().find_map(|(role, words)| {
            let lower = part.to_lowercase();
            if lower == *words {
                return Some((*role, ""));
            }
            lower
                .strip_suffix(words)
                .filter(|rest| rest.ends_with(' '))
                .map(|rest| (*role, part[..rest.len()].trim()))
        });
        let target = match found {
            Some((role @ (Role::Editor | Role::Dialog), "")) => Target {
                role,
                label: None,
                within: None,
            },
            Some((role, label)) => {
                let named = bold.iter().find(|known| known.eq_ignore_ascii_case(label));
                match named {
                    Some(known) if !label.is_empty() => Target {
                        role,
                        label: Some(known.clone()),
                        within: None,
                    },
                    _ => return Highlighted::Unreadable,
                }
            }
            None if !targets.is_empty() => break,
            None => return Highlighted::Unreadable,
        };
        targets.insert(0, target);
    }
    Highlighted::Targets(targets)
}
