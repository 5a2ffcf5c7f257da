//! Who may talk to `review --serve`: only a client that holds the token printed with the URL
//! (in a header, the query, or as the first segment of a `/report/<token>/…` path, which the
//! report's relative links keep), that addressed this server by its own loopback name (a
//! DNS-rebinding page names another host), and whose page, if a browser says where it came
//! from, is this server's own. Pure but
//! for reading the token's randomness from the kernel.

use std::io::Read as _;

/// The secret in the review URL: 256 random bits, as 64 hex digits.
#[derive(Clone)]
pub struct Token(String);

impl std::fmt::Debug for Token {
    /// Never shown in logs or errors: a token is as good as the server's write access.
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("Token(…)")
    }
}

impl Token {
    /// A fresh token from the kernel's random source.
    pub fn fresh() -> std::io::Result<Token> {
        let mut bytes = [0u8; 32];
        std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
        Ok(Token(super::group::hex(&bytes)))
    }

    /// A token with a known value, for tests.
    pub fn from_secret(secret: &str) -> Token {
        Token(secret.to_string())
    }

    /// The value, for the URL printed to whoever started the server.
    pub fn reveal(&self) -> &str {
        &self.0
    }

    /// Whether `candidate` is the token, in time that does not depend on where they differ.
    pub fn matches(&self, candidate: &str) -> bool {
        let (expected, candidate) = (self.0.as_bytes(), candidate.as_bytes());
        if expected.len() != candidate.len() {
            return false;
        }
        let difference = expected
            .iter()
            .zip(candidate)
            .fold(0u8, |difference, (a, b)| difference | (a ^ b));
        std::hint::black_box(difference) == 0
    }
}

/// Why a request was refused before it was read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("the Host header must be 127.0.0.1:{port} or localhost:{port}, found {found:?}")]
    Host { port: u16, found: Option<String> },
    #[error(
        "requests from the page at {found} are refused: only this server's own pages may call it"
    )]
    Origin { found: String },
    #[error("the review token is missing or wrong: use the URL `review --serve` printed")]
    Token,
}

/// The names this server answers to: its loopback address and `localhost`, at its port.
pub fn host_allowed(host: Option<&str>, port: u16) -> Result<(), Refused> {
    let allowed = host.is_some_and(|host| {
        host == format!("127.0.0.1:{port}") || host == format!("localhost:{port}")
    });
    if allowed {
        Ok(())
    } else {
        Err(Refused::Host {
            port,
            found: host.map(str::to_string),
        })
    }
}

/// A request a browser sends from a page says where the page came from; only this server's own
/// origin may act. No `Origin` (a tool, a same-origin GET) is left to the token.
pub fn origin_allowed(origin: Option<&str>, port: u16) -> Result<(), Refused> {
    match origin {
        None => Ok(()),
        Some(origin)
            if origin == format!("http://127.0.0.1:{port}")
                || origin == format!("http://localhost:{port}") =>
        {
            Ok(())
        }
        Some(origin) => Err(Refused::Origin {
            found: origin.to_string(),
        }),
    }
}

/// How a request carried a token that matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carrier {
    /// `X-Review-Token`, as the page's own `fetch` and a bot send it.
    Header,
    /// `?token=`, as in the URL printed.
    Query,
    /// The first segment of a `/report/<token>/…` path, which the report's relative links keep.
    Path,
}

/// The token a request carries: for a report file, the first segment of its
/// `/report/<token>/…` path (`path_token`), and nothing else; otherwise the `X-Review-Token`
/// header, else the `token` query parameter. The first one present decides; a wrong one is not
/// rescued by another.
pub fn token_allowed(
    token: &Token,
    header: Option<&str>,
    query: Option<&str>,
    path_token: Option<&str>,
) -> Result<Carrier, Refused> {
    let (carrier, candidate) = match (path_token, header, query) {
        (Some(path), _, _) => (Carrier::Path, path),
        (None, Some(header), _) => (Carrier::Header, header),
        (None, None, Some(query)) => (Carrier::Query, query),
        (None, None, None) => return Err(Refused::Token),
    };
    if token.matches(candidate) {
        Ok(carrier)
    } else {
        Err(Refused::Token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_token_is_256_random_bits_and_only_itself_matches() {
        let token = Token::fresh().unwrap();
        assert_eq!(token.reveal().len(), 64);
        assert!(token.reveal().chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(token.reveal(), Token::fresh().unwrap().reveal());
        assert!(token.matches(token.reveal()));
        let mut wrong = token.reveal().to_string();
        wrong.replace_range(63.., if wrong.ends_with('0') { "1" } else { "0" });
        assert!(!token.matches(&wrong));
        assert!(!token.matches(&token.reveal()[..63]));
        assert!(!token.matches(""));
        assert_eq!(format!("{token:?}"), "Token(…)");
    }

    #[test]
    fn the_token_comes_from_the_report_path_the_header_or_the_query() {
        let token = Token::from_secret("s3cret");
        let allowed = |header, query, path| token_allowed(&token, header, query, path);
        assert_eq!(allowed(Some("s3cret"), None, None), Ok(Carrier::Header));
        assert_eq!(allowed(None, Some("s3cret"), None), Ok(Carrier::Query));
        assert_eq!(allowed(None, None, Some("s3cret")), Ok(Carrier::Path));
        assert_eq!(allowed(None, None, None), Err(Refused::Token));
        assert_eq!(
            allowed(Some("s3cret"), None, Some("wrong")),
            Err(Refused::Token),
            "a report path's wrong token is not rescued by the header"
        );
        assert_eq!(
            allowed(Some("wrong"), Some("s3cret"), None),
            Err(Refused::Token),
            "a wrong header is not rescued by the query"
        );
    }

    #[test]
    fn only_the_servers_own_loopback_names_are_hosts() {
        assert_eq!(host_allowed(Some("127.0.0.1:4100"), 4100), Ok(()));
        assert_eq!(host_allowed(Some("localhost:4100"), 4100), Ok(()));
        for refused in [
            Some("127.0.0.1:4101"),
            Some("evil.example:4100"),
            Some("127.0.0.1"),
            Some("localhost.evil.example:4100"),
            Some("[::1]:4100"),
            None,
        ] {
            assert!(host_allowed(refused, 4100).is_err(), "{refused:?}");
        }
    }

    #[test]
    fn only_the_servers_own_origin_may_call_it_from_a_page() {
        assert_eq!(origin_allowed(None, 4100), Ok(()));
        assert_eq!(origin_allowed(Some("http://127.0.0.1:4100"), 4100), Ok(()));
        assert_eq!(origin_allowed(Some("http://localhost:4100"), 4100), Ok(()));
        for refused in [
            "http://evil.example",
            "http://127.0.0.1:4101",
            "https://127.0.0.1:4100",
            "null",
            "http://127.0.0.1:4100.evil.example",
        ] {
            assert!(origin_allowed(Some(refused), 4100).is_err(), "{refused}");
        }
    }
}
