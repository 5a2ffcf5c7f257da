//! Reading an action sentence: its tokens (words, double-quoted labels, commas) with their
//! character offsets, and the cursor the action parser walks them with, whose errors say what
//! was expected at which character (and "did you mean" where a word is near a known one).

use super::{ActionSyntaxError, Keeping, Role, Target, LARGEST_PIXELS, MAX_NESTING};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
    Word(String),
    Quoted(String),
    Comma,
}

#[derive(Debug, Clone)]
pub(super) struct Spanned {
    pub(super) token: Token,
    pub(super) offset: usize,
}

pub(super) fn tokenize(text: &str) -> Result<Vec<Spanned>, ActionSyntaxError> {
    let characters: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut index = 0;
    while index < characters.len() {
        let character = characters[index];
        if character.is_whitespace() {
            index += 1;
        } else if character == ',' {
            tokens.push(Spanned {
                token: Token::Comma,
                offset: index,
            });
            index += 1;
        } else if character == '"' {
            let start = index;
            index += 1;
            let mut value = String::new();
            loop {
                match characters.get(index) {
                    None => {
                        return Err(ActionSyntaxError {
                            offset: start,
                            message: "expected a closing `\"` for this quoted label".to_string(),
                        })
                    }
                    Some('"') => break,
                    // `\"` is a quote inside the label, `\\` a backslash.
                    Some('\\') if matches!(characters.get(index + 1), Some('"' | '\\')) => {
                        value.push(characters[index + 1]);
                        index += 2;
                    }
                    Some(other) => {
                        value.push(*other);
                        index += 1;
                    }
                }
            }
            index += 1;
            tokens.push(Spanned {
                token: Token::Quoted(value),
                offset: start,
            });
        } else {
            let start = index;
            let mut word = String::new();
            while let Some(next) = characters.get(index) {
                if next.is_whitespace() || *next == '"' || *next == ',' {
                    break;
                }
                word.push(*next);
                index += 1;
            }
            tokens.push(Spanned {
                // As written, so that messages quote the file; compared without case.
                token: Token::Word(word),
                offset: start,
            });
        }
    }
    Ok(tokens)
}

pub(super) struct Cursor {
    pub(super) tokens: Vec<Spanned>,
    pub(super) position: usize,
    pub(super) end: usize,
}

impl Cursor {
    pub(super) fn offset(&self) -> usize {
        self.tokens
            .get(self.position)
            .map(|token| token.offset)
            .unwrap_or(self.end)
    }

    pub(super) fn error<T>(&self, expected: &str) -> Result<T, ActionSyntaxError> {
        let found = match self.tokens.get(self.position).map(|token| &token.token) {
            None => "the end of the action".to_string(),
            Some(Token::Word(word)) => format!("`{word}`"),
            Some(Token::Quoted(text)) => format!("\"{text}\""),
            Some(Token::Comma) => "`,`".to_string(),
        };
        Err(ActionSyntaxError {
            offset: self.offset(),
            message: format!("expected {expected}, found {found}"),
        })
    }

    /// Like [`Cursor::error`], adding "did you mean" when the word found is close to one of
    /// `choices` (each a phrase; its first word is compared).
    pub(super) fn error_suggesting<T>(
        &self,
        expected: &str,
        choices: &[&str],
    ) -> Result<T, ActionSyntaxError> {
        let mut error = match self.error::<T>(expected) {
            Err(error) => error,
            Ok(_) => unreachable!("error always fails"),
        };
        if let Some(word) = self.peek_word(0) {
            let firsts = choices
                .iter()
                .map(|choice| choice.split(' ').next().unwrap_or(choice));
            if let Some(close) = crate::scenario::source::did_you_mean(word, firsts) {
                let phrase = choices
                    .iter()
                    .find(|choice| choice.split(' ').next() == Some(close))
                    .unwrap_or(&close);
                error
                    .message
                    .push_str(&format!(": did you mean `{phrase}`?"));
            }
        }
        Err(error)
    }

    pub(super) fn peek_word(&self, index: usize) -> Option<&str> {
        match self
            .tokens
            .get(self.position + index)
            .map(|token| &token.token)
        {
            Some(Token::Word(word)) => Some(word),
            _ => None,
        }
    }

    pub(super) fn eat_words(&mut self, words: &str) -> bool {
        let expected: Vec<&str> = words.split(' ').collect();
        let matches = expected.iter().enumerate().all(|(index, word)| {
            self.peek_word(index)
                .is_some_and(|found| found.eq_ignore_ascii_case(word))
        });
        if matches {
            self.position += expected.len();
        }
        matches
    }

    pub(super) fn word(&mut self, what: &str) -> Result<String, ActionSyntaxError> {
        match self.peek_word(0) {
            Some(word) => {
                let word = word.to_lowercase();
                self.position += 1;
                Ok(word)
            }
            None => self.error(what),
        }
    }

    pub(super) fn expect_words(&mut self, words: &str) -> Result<(), ActionSyntaxError> {
        if self.eat_words(words) {
            Ok(())
        } else {
            self.error(&format!("`{words}`"))
        }
    }

    pub(super) fn quoted(&mut self, what: &str) -> Result<String, ActionSyntaxError> {
        match self.tokens.get(self.position).map(|token| &token.token) {
            Some(Token::Quoted(text)) if !text.trim().is_empty() => {
                let text = text.clone();
                self.position += 1;
                Ok(text)
            }
            Some(Token::Quoted(_)) => Err(ActionSyntaxError {
                offset: self.offset(),
                message: format!("expected {what}, found an empty label"),
            }),
            _ => self.error(what),
        }
    }

    pub(super) fn quoted_list(&mut self, what: &str) -> Result<Vec<String>, ActionSyntaxError> {
        let mut items = vec![self.quoted(what)?];
        while matches!(
            self.tokens.get(self.position).map(|token| &token.token),
            Some(Token::Comma)
        ) {
            self.position += 1;
            items.push(self.quoted(what)?);
        }
        Ok(items)
    }

    /// A whole number of CSS pixels.
    pub(super) fn pixels(&mut self, what: &str) -> Result<u32, ActionSyntaxError> {
        match self.peek_word(0).and_then(|word| word.parse::<u32>().ok()) {
            Some(pixels) if pixels <= LARGEST_PIXELS => {
                self.position += 1;
                Ok(pixels)
            }
            Some(_) => self.error(&format!("at most {LARGEST_PIXELS} pixels")),
            None => self.error(what),
        }
    }

    pub(super) fn comma(&mut self, what: &str) -> Result<(), ActionSyntaxError> {
        match self.tokens.get(self.position).map(|token| &token.token) {
            Some(Token::Comma) => {
                self.position += 1;
                Ok(())
            }
            _ => self.error(what),
        }
    }

    pub(super) fn at_end(&self) -> bool {
        self.position >= self.tokens.len()
    }

    pub(super) fn role(&mut self) -> Result<Role, ActionSyntaxError> {
        for (role, words) in Role::ALL {
            if self.eat_words(words) {
                return Ok(role);
            }
        }
        let known: Vec<&str> = Role::ALL.iter().map(|(_, words)| *words).collect();
        self.error_suggesting(&format!("a role ({})", known.join(", ")), &known)
    }

    pub(super) fn target(&mut self) -> Result<Target, ActionSyntaxError> {
        self.target_nested(0)
    }

    pub(super) fn target_nested(&mut self, depth: usize) -> Result<Target, ActionSyntaxError> {
        if depth > MAX_NESTING {
            return self.error(&format!(
                "at most {MAX_NESTING} nested `in` targets (a button in a pane in a dialog is 2)"
            ));
        }
        let role = self.role()?;
        let label = match self.tokens.get(self.position).map(|token| &token.token) {
            Some(Token::Quoted(_)) => Some(self.quoted("a label in double quotes")?),
            _ if matches!(role, Role::Editor | Role::Dialog) => None,
            _ => {
                return self.error(&format!(
                    "the {role}'s label in double quotes, as the guide names it"
                ))
            }
        };
        let within = if self.eat_words("in") {
            Some(Box::new(self.target_nested(depth + 1)?))
        } else {
            None
        };
        Ok(Target {
            role,
            label,
            within,
        })
    }
}

impl Cursor {
    /// `customizations`, or a list of keys in double quotes.
    pub(super) fn keeping(&mut self) -> Result<Keeping, ActionSyntaxError> {
        if self.eat_words("customizations") {
            if self.eat_words("except") {
                return Ok(Keeping::CustomizationsExcept(
                    self.quoted_list("a configuration key in double quotes")?,
                ));
            }
            return Ok(Keeping::Customizations);
        }
        Ok(Keeping::Keys(self.quoted_list(
            "`customizations` or a configuration key in double quotes",
        )?))
    }
}
