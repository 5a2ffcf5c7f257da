//! Positions in a scenario file: byte offsets to line and column in one lookup (the line starts
//! are found once), and characters of a TOML string's value back to where they are written, past
//! escapes and the newline a multi-line string may open with. Also the "did you mean" of every
//! message that names something unknown.

use std::path::{Path, PathBuf};

use super::Location;

/// A scenario's text with the byte offset of every line start.
pub struct SourceText<'a> {
    pub text: &'a str,
    file: &'a Path,
    line_starts: Vec<usize>,
}

impl<'a> SourceText<'a> {
    pub fn new(file: &'a Path, text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(index, _)| index + 1))
            .collect();
        SourceText {
            text,
            file,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn location(&self, byte_offset: usize) -> Location {
        let mut offset = byte_offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|start| *start <= offset);
        let line_start = self.line_starts[line.saturating_sub(1)];
        Location {
            file: PathBuf::from(self.file),
            line,
            column: self.text[line_start..offset].chars().count() + 1,
        }
    }

    /// The byte offset where the `char_offset`-th character of the value of the TOML string
    /// written at `literal_start` is written (past the end: the string's end).
    pub fn string_char(&self, literal_start: usize, char_offset: usize) -> usize {
        let rest = &self.text[literal_start.min(self.text.len())..];
        let (quote, multi_line) = if rest.starts_with("\"\"\"") {
            ('"', true)
        } else if rest.starts_with("'''") {
            ('\'', true)
        } else if rest.starts_with('"') {
            ('"', false)
        } else if rest.starts_with('\'') {
            ('\'', false)
        } else {
            return literal_start;
        };
        let opening = if multi_line { 3 } else { 1 };
        let mut position = literal_start + opening;
        // A multi-line string's newline right after its opening quotes is not part of it.
        if multi_line {
            if self.text[position..].starts_with("\r\n") {
                position += 2;
            } else if self.text[position..].starts_with('\n') {
                position += 1;
            }
        }
        let mut seen = 0;
        let body = &self.text[position..];
        let mut characters = body.char_indices().peekable();
        while let Some((index, character)) = characters.next() {
            let at = position + index;
            if !multi_line && character == quote {
                return at;
            }
            if multi_line
                && self.text[at..].starts_with(if quote == '"' { "\"\"\"" } else { "'''" })
            {
                return at;
            }
            if quote == '"' && character == '\\' {
                // One escape is one character of the value: \n, \", \uXXXX, \UXXXXXXXX.
                if seen == char_offset {
                    return at;
                }
                let escape_length = match characters.peek().map(|(_, next)| *next) {
                    Some('u') => 5,
                    Some('U') => 9,
                    Some(next) if next.is_whitespace() && multi_line => {
                        // A line-ending backslash trims the white space that follows.
                        while characters
                            .peek()
                            .is_some_and(|(_, next)| next.is_whitespace())
                        {
                            characters.next();
                        }
                        continue;
                    }
                    _ => 1,
                };
                for _ in 0..escape_length {
                    characters.next();
                }
                seen += 1;
                continue;
            }
            if seen == char_offset {
                return at;
            }
            seen += 1;
        }
        self.text.len()
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            (
                strsim::levenshtein(&word, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, candidate)| *distance <= (candidate.chars().count() / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_count_characters_and_never_split_one() {
        let text = "a = 1\nb = \"é x\"\n";
        let source = SourceText::new(Path::new("f.toml"), text);
        let location = source.location(text.find('x').unwrap());
        assert_eq!((location.line, location.column), (2, 8));
        // Inside the two bytes of é: the character's own column, no panic.
        let inside = source.location(text.find('é').unwrap() + 1);
        assert_eq!((inside.line, inside.column), (2, 6));
    }

    #[test]
    fn string_characters_map_past_escapes_and_an_opening_newline() {
        let text = "x = \"a\\\"b\\u00e9c\"\ny = '''\nline'''\n";
        let source = SourceText::new(Path::new("f.toml"), text);
        // a, ", b, é, c: the 5th character (index 4) is `c`.
        let c = source.string_char(4, 4);
        assert_eq!(&text[c..c + 1], "c");
        let literal = text.find("'''").unwrap();
        let l = source.string_char(literal, 0);
        assert_eq!(&text[l..l + 4], "line");
    }

    #[test]
    fn typos_get_the_closest_name() {
        assert_eq!(
            did_you_mean("mutatin", ["section", "mutating", "timeout"]),
            Some("mutating")
        );
        assert_eq!(did_you_mean("zzzz", ["section", "mutating"]), None);
    }
}
