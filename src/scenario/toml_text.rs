//! How a scenario file writes a string, for the commands that write scenarios (`docs draft`,
//! `record`): TOML that reads back as the same text.

use std::fmt::Write as _;

/// A TOML string: literal (`'…'`) when it can be, as the shipped scenarios write actions, else
/// basic with escapes.
pub fn toml_string(text: &str) -> String {
    if !text.contains(['\'', '\n', '\r', '\t']) && !text.chars().any(char::is_control) {
        return format!("'{text}'");
    }
    toml_basic_string(text)
}

/// A TOML basic string (`"…"`) with every character that needs it escaped.
pub fn toml_basic_string(text: &str) -> String {
    let mut quoted = String::from("\"");
    for character in text.chars() {
        match character {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            other if other.is_control() => {
                let _ = write!(quoted, "\\u{:04X}", u32::from(other));
            }
            other => quoted.push(other),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_quoted_as_toml_reads_them_back() {
        for text in [
            "plain",
            "it's \"quoted\" \\ here",
            "tab\tand\nline",
            "bell\u{7}",
        ] {
            let line = format!(
                "a = {}\nb = {}\n",
                toml_string(text),
                toml_basic_string(text)
            );
            let table: toml::Table = toml::from_str(&line).expect("valid TOML");
            assert_eq!(table["a"].as_str(), Some(text));
            assert_eq!(table["b"].as_str(), Some(text));
        }
        assert_eq!(
            toml_string(r#"click button "Update""#),
            r#"'click button "Update"'"#
        );
    }
}
