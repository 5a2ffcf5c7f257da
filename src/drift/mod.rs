//! Label drift: the console renamed what a scenario names. When a target is not found, the
//! console's baseline page outlines say where an element of that role with that name used to be;
//! when the page now has exactly one element of that role there under another name, the label
//! was renamed (`button "Update" is now button "Upgrade"`). [`fixes`] turns a rename into
//! proposals for the scenario, the guide and its images. Pure: outlines and files come as text.

pub mod fixes;

use crate::scenario::Role;

/// One element of a page outline (the text `capture/outline.js` writes), with where it sits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutlineNode {
    pub role: String,
    pub name: Option<String>,
    /// Its ancestors, outermost first, each as role and name.
    pub place: Vec<(String, Option<String>)>,
}

/// A renamed label, and the baseline that shows where the old one was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rename {
    pub role: Role,
    pub old: String,
    pub new: String,
    /// The page snapshot whose baseline held the old label.
    pub baseline: String,
}

impl Rename {
    /// `button "Update" is now button "Upgrade"`.
    pub fn sentence(&self) -> String {
        format!(
            "{} \"{}\" is now {} \"{}\"",
            self.role, self.old, self.role, self.new
        )
    }
}

/// Reads an outline's lines into nodes; lines it cannot read (none, from outline.js) are skipped.
pub fn parse_outline(outline: &str) -> Vec<OutlineNode> {
    let mut nodes = Vec::new();
    let mut stack: Vec<(usize, String, Option<String>)> = Vec::new();
    for line in outline.lines() {
        let indent = line.len() - line.trim_start().len();
        let Some(rest) = line.trim_start().strip_prefix("- ") else {
            continue;
        };
        let role: String = rest
            .chars()
            .take_while(|character| !character.is_whitespace() && *character != ':')
            .collect();
        if role.is_empty() {
            continue;
        }
        let after = rest[role.len()..].trim_start();
        let name = after.strip_prefix('"').and_then(|_| json_string_at(after));
        while stack.last().is_some_and(|(depth, _, _)| *depth >= indent) {
            stack.pop();
        }
        nodes.push(OutlineNode {
            role: role.clone(),
            name: name.clone(),
            place: stack
                .iter()
                .map(|(_, role, name)| (role.clone(), name.clone()))
                .collect(),
        });
        stack.push((indent, role, name));
    }
    nodes
}

/// The JSON string literal `text` starts with, decoded.
fn json_string_at(text: &str) -> Option<String> {
    let mut escaped = false;
    for (at, character) in text.char_indices().skip(1) {
        match (escaped, character) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '"') => return serde_json::from_str(&text[..=at]).ok(),
            _ => {}
        }
    }
    None
}

/// The outline roles a scenario role stands for; empty where an outline cannot tell (layers,
/// editors and text are named by what they hold, not by a label).
pub fn outline_roles(role: Role) -> &'static [&'static str] {
    match role {
        Role::Button => &["button"],
        Role::MenuItem => &[
            "menuitem",
            "menuitemradio",
            "menuitemcheckbox",
            "link",
            "button",
            "treeitem",
        ],
        Role::Tab => &["tab"],
        Role::Link => &["link"],
        Role::Dialog => &["dialog", "alertdialog"],
        Role::Heading => &["heading"],
        Role::Field => &["textbox", "searchbox", "spinbutton", "combobox", "checkbox"],
        Role::Dropdown => &["combobox", "listbox"],
        Role::Row => &["row"],
        Role::Cell => &["cell", "gridcell", "rowheader"],
        Role::Pane | Role::Editor | Role::Layer | Role::Text => &[],
    }
}

/// Whether a name in a baseline (where masked parts read `[masked]`) is the name on the page.
fn same_name(baseline: &str, page: &str) -> bool {
    let parts: Vec<&str> = baseline.split("[masked]").collect();
    if parts.len() == 1 {
        return baseline.eq_ignore_ascii_case(page);
    }
    let page = page.to_lowercase();
    let mut rest = page.as_str();
    for (index, part) in parts.iter().enumerate() {
        let part = part.to_lowercase();
        match rest.find(&part) {
            Some(0) => rest = &rest[part.len()..],
            Some(at) if index > 0 => rest = &rest[at + part.len()..],
            _ => return false,
        }
    }
    parts.last().is_none_or(|last| last.is_empty()) || rest.is_empty()
}

fn same_place(baseline: &[(String, Option<String>)], page: &[(String, Option<String>)]) -> bool {
    baseline.len() == page.len()
        && baseline
            .iter()
            .zip(page)
            .all(|((role, name), (page_role, page_name))| {
                role == page_role
                    && match (name, page_name) {
                        (Some(name), Some(page_name)) => same_name(name, page_name),
                        (None, None) => true,
                        _ => false,
                    }
            })
}

/// The rename behind a target not found: `baselines` are the page snapshots' baseline outlines
/// (name, outline), the step's own first; `page` the outline now. Found when a baseline had an
/// element of `role` named `label` and, at that place, the page now has exactly one element of
/// that role whose name the baseline did not have there.
pub fn find_rename(
    role: Role,
    label: &str,
    baselines: &[(String, String)],
    page: &str,
) -> Option<Rename> {
    let roles = outline_roles(role);
    if roles.is_empty() {
        return None;
    }
    let page_nodes = parse_outline(page);
    for (snapshot, baseline) in baselines {
        let nodes = parse_outline(baseline);
        let of_role = |node: &&OutlineNode| roles.contains(&node.role.as_str());
        for old in nodes.iter().filter(of_role) {
            if !old
                .name
                .as_deref()
                .is_some_and(|name| name.eq_ignore_ascii_case(label))
            {
                continue;
            }
            let there_before: Vec<&str> = nodes
                .iter()
                .filter(of_role)
                .filter(|node| node.place == old.place)
                .filter_map(|node| node.name.as_deref())
                .collect();
            let new_there: Vec<&str> = page_nodes
                .iter()
                .filter(of_role)
                .filter(|node| same_place(&old.place, &node.place))
                .filter_map(|node| node.name.as_deref())
                .filter(|name| !there_before.iter().any(|before| same_name(before, name)))
                .collect();
            if let [new] = new_there.as_slice() {
                return Some(Rename {
                    role,
                    old: label.to_string(),
                    new: new.to_string(),
                    baseline: snapshot.clone(),
                });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests;
