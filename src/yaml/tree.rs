//! A YAML document as a tree whose every node knows its byte range in the text, read with
//! saphyr-parser's event API. The ranges are what edits are made with: changing a value replaces
//! its bytes and nothing else, so comments, order and formatting stay as they were.

use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle};

/// One node of a document.
#[derive(Clone, Debug)]
pub struct Node {
    pub kind: Kind,
    /// The node's bytes in the text: a scalar's as written (quotes and block header included),
    /// a block collection's from its first key or dash to the end of its last value, a flow
    /// collection's from bracket to bracket.
    pub span: Range<usize>,
}

#[derive(Clone, Debug)]
pub enum Kind {
    Scalar {
        value: String,
        block: bool,
    },
    Map {
        entries: Vec<Entry>,
        flow: bool,
    },
    Seq {
        items: Vec<Node>,
        flow: bool,
    },
    /// `*anchor`: a reference the harness does not follow.
    Alias,
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub key: String,
    pub key_span: Range<usize>,
    pub value: Node,
}

/// A YAML text the parser rejected, with the 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Node {
    /// Same content, whatever the formatting: `"1400"` equals `'1400'` and `1400`.
    pub fn same_as(&self, other: &Node) -> bool {
        match (&self.kind, &other.kind) {
            (Kind::Scalar { value: a, .. }, Kind::Scalar { value: b, .. }) => a == b,
            (Kind::Map { entries: a, .. }, Kind::Map { entries: b, .. }) => {
                a.len() == b.len()
                    && a.iter().all(|entry| {
                        b.iter()
                            .find(|other| other.key == entry.key)
                            .is_some_and(|other| entry.value.same_as(&other.value))
                    })
            }
            (Kind::Seq { items: a, .. }, Kind::Seq { items: b, .. }) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_as(y))
            }
            (Kind::Alias, Kind::Alias) => true,
            _ => false,
        }
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.kind {
            Kind::Map { entries, .. } => entries.iter().find(|entry| entry.key == key),
            _ => None,
        }
    }

    pub fn scalar(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }
}

/// Parses the first document of `text`; `None` for a text of comments and blank lines only.
pub fn parse(text: &str) -> Result<Option<Node>, YamlError> {
    let bytes = CharToByte::new(text);
    let mut builder = Builder {
        text,
        stack: Vec::new(),
        root: None,
    };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|error| YamlError {
            line: error.marker().line(),
            column: error.marker().col() + 1,
            message: error.info().to_string(),
        })?;
        let start = bytes.at(span.start.index());
        let end = bytes.at(span.end.index());
        match event {
            Event::DocumentStart(_) if builder.root.is_some() => {
                return Err(YamlError {
                    line: span.start.line(),
                    column: span.start.col() + 1,
                    message: "a second YAML document; a layer's values are one document"
                        .to_string(),
                })
            }
            Event::Scalar(value, style, ..) => {
                let block = matches!(style, ScalarStyle::Literal | ScalarStyle::Folded);
                let span = match style {
                    ScalarStyle::Literal | ScalarStyle::Folded => {
                        builder.block_scalar_span(start, end)
                    }
                    // The parser's end for a quoted scalar may run on past a trailing comment.
                    ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted => {
                        start..quoted_end(text, start).unwrap_or(end).min(end)
                    }
                    _ => start..end,
                };
                builder.add(Node {
                    kind: Kind::Scalar {
                        value: value.into_owned(),
                        block,
                    },
                    span,
                });
            }
            Event::Alias(_) => builder.add(Node {
                kind: Kind::Alias,
                span: start..end,
            }),
            Event::MappingStart(..) => builder.stack.push(Open::Map {
                start,
                flow: end > start,
                entries: Vec::new(),
                key: None,
            }),
            Event::SequenceStart(..) => builder.stack.push(Open::Seq {
                start,
                flow: end > start,
                items: Vec::new(),
            }),
            Event::MappingEnd | Event::SequenceEnd => {
                let node = builder.close(end)?;
                builder.add(node);
            }
            _ => {}
        }
    }
    Ok(builder.root)
}

/// The byte after the closing quote of the quoted scalar that starts at `start`.
fn quoted_end(text: &str, start: usize) -> Option<usize> {
    let quote = text[start..].chars().next()?;
    let mut chars = text[start + 1..].char_indices().peekable();
    while let Some((offset, character)) = chars.next() {
        match character {
            '\\' if quote == '"' => {
                chars.next();
            }
            '\'' if quote == '\'' && chars.peek().map(|(_, next)| *next) == Some('\'') => {
                chars.next();
            }
            _ if character == quote => return Some(start + 1 + offset + 1),
            _ => {}
        }
    }
    None
}

/// saphyr's markers count characters; edits need bytes.
struct CharToByte(Vec<usize>);

impl CharToByte {
    fn new(text: &str) -> Self {
        let mut offsets: Vec<usize> = text.char_indices().map(|(byte, _)| byte).collect();
        offsets.push(text.len());
        CharToByte(offsets)
    }

    fn at(&self, char_index: usize) -> usize {
        self.0
            .get(char_index)
            .copied()
            .unwrap_or(*self.0.last().unwrap_or(&0))
    }
}

enum Open {
    Map {
        start: usize,
        flow: bool,
        entries: Vec<Entry>,
        key: Option<(String, Range<usize>)>,
    },
    Seq {
        start: usize,
        flow: bool,
        items: Vec<Node>,
    },
}

struct Builder<'a> {
    text: &'a str,
    stack: Vec<Open>,
    root: Option<Node>,
}

impl Builder<'_> {
    fn add(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Open::Seq { items, .. }) => items.push(node),
            Some(Open::Map { entries, key, .. }) => match key.take() {
                None => {
                    // A key: kept until its value arrives. Keys that are not scalars are
                    // named by their text.
                    let name = match &node.kind {
                        Kind::Scalar { value, .. } => value.clone(),
                        _ => self.text[node.span.clone()].to_string(),
                    };
                    *key = Some((name, node.span));
                }
                Some((name, key_span)) => entries.push(Entry {
                    key: name,
                    key_span,
                    value: node,
                }),
            },
        }
    }

    fn close(&mut self, event_end: usize) -> Result<Node, YamlError> {
        let open = self.stack.pop().ok_or_else(|| YamlError {
            line: 0,
            column: 0,
            message: "a collection ends that never started".to_string(),
        })?;
        Ok(match open {
            Open::Map {
                start,
                flow,
                entries,
                ..
            } => {
                let end = if flow {
                    event_end
                } else {
                    entries
                        .iter()
                        .map(|entry| entry.value.span.end.max(entry.key_span.end))
                        .max()
                        .unwrap_or(start)
                };
                Node {
                    kind: Kind::Map { entries, flow },
                    span: start..end,
                }
            }
            Open::Seq { start, flow, items } => {
                let end = if flow {
                    event_end
                } else {
                    items
                        .iter()
                        .map(|item| item.span.end)
                        .max()
                        .unwrap_or(start)
                };
                // A block sequence starts at its first dash; the parser puts the start of one
                // whose dashes are not indented under its key at the first item instead.
                let start = match items.first() {
                    Some(first) if !flow => self.text[..first.span.start]
                        .rfind('-')
                        .filter(|dash| self.text[dash + 1..first.span.start].trim().is_empty())
                        .map_or(start, |dash| dash.min(start)),
                    _ => start,
                };
                Node {
                    kind: Kind::Seq { items, flow },
                    span: start..end,
                }
            }
        })
    }

    /// A block scalar's bytes from its `|` or `>` header to the end of its last line.
    fn block_scalar_span(&self, content_start: usize, end: usize) -> Range<usize> {
        let before = &self.text[..content_start];
        let header = before.rfind(['|', '>']).unwrap_or(content_start);
        let body = &self.text[content_start..end];
        let end = match body.rfind('\n') {
            Some(newline) => content_start + newline + 1,
            None => end,
        };
        header..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_values_as_written() {
        let text = "pack:\n  podCIDR: \"172.30.0.0/16\" # note\n  quoted: 'it''s' # x\n  list:\n    - a\n    - 'b'\n  blk: |\n    one\n    two\nlast: é\n";
        let root = parse(text).unwrap().unwrap();
        let pack = &root.entry("pack").unwrap().value;
        let cidr = &pack.entry("podCIDR").unwrap().value;
        assert_eq!(&text[cidr.span.clone()], "\"172.30.0.0/16\"");
        assert_eq!(cidr.scalar(), Some("172.30.0.0/16"));
        let quoted = &pack.entry("quoted").unwrap().value;
        assert_eq!(&text[quoted.span.clone()], "'it''s'");
        let list = &pack.entry("list").unwrap().value;
        assert_eq!(&text[list.span.clone()], "- a\n    - 'b'");
        let unindented = parse("list:\n- a\n- b\n").unwrap().unwrap();
        let list = &unindented.entry("list").unwrap().value;
        assert_eq!(list.span.start, 6, "at the first dash");
        let block = &pack.entry("blk").unwrap().value;
        assert_eq!(&text[block.span.clone()], "|\n    one\n    two\n");
        let last = &root.entry("last").unwrap().value;
        assert_eq!(&text[last.span.clone()], "é");
    }

    #[test]
    fn comments_only_is_no_document_and_bad_yaml_has_a_position() {
        assert!(parse("# nothing here\n\n").unwrap().is_none());
        let error = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(error.line >= 1, "{error}");
    }

    #[test]
    fn formatting_does_not_make_values_differ() {
        let a = parse("x: \"1400\"\ny: [1, 2]\n").unwrap().unwrap();
        let b = parse("y:\n  - 1\n  - 2\nx: '1400'\n").unwrap().unwrap();
        assert!(a.same_as(&b));
    }
}
