//! Line diffs for page snapshots: which lines a baseline and a new snapshot do not share, in
//! order, for the terminal and the HTML report.

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "line", rename_all = "lowercase")]
pub enum Line {
    Same(String),
    Removed(String),
    Added(String),
}

/// A minimal line diff (longest common subsequence), baseline first.
pub fn diff_lines(old: &str, new: &str) -> Vec<Line> {
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    // lengths[i][j]: the longest common subsequence of old[i..] and new[j..].
    let mut lengths = vec![vec![0u32; new.len() + 1]; old.len() + 1];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            lengths[i][j] = if old[i] == new[j] {
                lengths[i + 1][j + 1] + 1
            } else {
                lengths[i + 1][j].max(lengths[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut lines = Vec::new();
    while i < old.len() || j < new.len() {
        if i < old.len() && j < new.len() && old[i] == new[j] {
            lines.push(Line::Same(old[i].to_string()));
            i += 1;
            j += 1;
        } else if i < old.len() && (j == new.len() || lengths[i + 1][j] >= lengths[i][j + 1]) {
            lines.push(Line::Removed(old[i].to_string()));
            i += 1;
        } else {
            lines.push(Line::Added(new[j].to_string()));
            j += 1;
        }
    }
    lines
}

/// The changed lines with up to `context` unchanged lines around each change, `-`/`+`/` `
/// prefixed, and `…` where unchanged lines were left out.
pub fn unified(lines: &[Line], context: usize) -> String {
    let changed: Vec<bool> = lines
        .iter()
        .map(|line| !matches!(line, Line::Same(_)))
        .collect();
    let near_change = |index: usize| {
        let start = index.saturating_sub(context);
        let end = (index + context + 1).min(lines.len());
        changed[start..end].iter().any(|changed| *changed)
    };
    let mut out = String::new();
    let mut skipped = false;
    for (index, line) in lines.iter().enumerate() {
        if !near_change(index) {
            skipped = true;
            continue;
        }
        if skipped {
            out.push_str("  …\n");
            skipped = false;
        }
        let (prefix, text) = match line {
            Line::Same(text) => (' ', text),
            Line::Removed(text) => ('-', text),
            Line::Added(text) => ('+', text),
        };
        out.push(prefix);
        out.push(' ');
        out.push_str(text);
        out.push('\n');
    }
    if skipped {
        out.push_str("  …\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_shows_as_removed_then_added_with_context() {
        let old = "heading \"Summary\"\ntext \"A new version of Palette is available: 4.8.33\"\nbutton \"Activate Palette\"\n";
        let new = "heading \"Summary\"\ntext \"You are using the latest version of Palette\"\nbutton \"Activate Palette\"\n";
        let lines = diff_lines(old, new);
        assert_eq!(
            lines,
            vec![
                Line::Same("heading \"Summary\"".to_string()),
                Line::Removed("text \"A new version of Palette is available: 4.8.33\"".to_string()),
                Line::Added("text \"You are using the latest version of Palette\"".to_string()),
                Line::Same("button \"Activate Palette\"".to_string()),
            ]
        );
        assert_eq!(
            unified(&lines, 0),
            "  …\n- text \"A new version of Palette is available: 4.8.33\"\n+ text \"You are using the latest version of Palette\"\n  …\n"
        );
    }

    #[test]
    fn identical_texts_have_no_changes() {
        let lines = diff_lines("a\nb\n", "a\nb\n");
        assert!(lines.iter().all(|line| matches!(line, Line::Same(_))));
        assert_eq!(unified(&lines, 1), "  …\n");
    }
}
