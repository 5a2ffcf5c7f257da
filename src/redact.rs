//! Keeps secrets out of everything the harness writes: logs, reports, page dumps.

/// Text that must never leave the process, replaced by `********` wherever it appears.
#[derive(Clone, Debug, Default)]
pub struct Redactor {
    secrets: Vec<String>,
}

pub const MASK: &str = "********";

impl Redactor {
    pub fn new(secrets: impl IntoIterator<Item = String>) -> Self {
        let mut secrets: Vec<String> = secrets
            .into_iter()
            .filter(|secret| !secret.is_empty())
            .collect();
        // Longest first, so a secret containing another is masked whole.
        secrets.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
        Redactor { secrets }
    }

    pub fn redact(&self, text: &str) -> String {
        self.secrets.iter().fold(text.to_string(), |text, secret| {
            text.replace(secret.as_str(), MASK)
        })
    }
}

/// Login credentials; the password is only ever typed into a password field.
#[derive(Clone)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Credentials {{ username: {:?}, password: <redacted> }}",
            self.username
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_occurrence_of_every_secret_is_masked() {
        let redactor = Redactor::new(["S3cret!".to_string(), "tok-123".to_string(), String::new()]);
        assert_eq!(
            redactor.redact("password=S3cret! again S3cret! token tok-123"),
            "password=******** again ******** token ********"
        );
    }
}
