//! A Firefox profile that trusts the console's certificate: Firefox takes no list of keys to
//! trust (Chromium's `--ignore-certificate-errors-spki-list`), but a profile's
//! `cert_override.txt` names, per host and port, the one certificate (by its SHA-256
//! fingerprint) to accept there: the exception a person adds on Firefox's warning page, for
//! that certificate at that address and nothing else. The harness has already checked the
//! certificate (its pin, or its chain to `--ca-cert`) before it gets here.

use std::path::Path;

use super::{BrowserError, TrustedCertificate};

/// Creates `dir` as a profile whose certificate overrides accept each certificate given, at its
/// host and port only.
pub(super) fn trusting(
    dir: &Path,
    certificates: &[TrustedCertificate],
) -> Result<(), BrowserError> {
    let failed = |error: std::io::Error| BrowserError::FirefoxProfile {
        dir: dir.to_path_buf(),
        message: error.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(failed)?;
    std::fs::write(dir.join("cert_override.txt"), overrides(certificates)).map_err(failed)
}

/// The file's text, in the format current Firefox writes (the override bits and database key
/// of older versions are obsolete, and read as optional).
fn overrides(certificates: &[TrustedCertificate]) -> String {
    let mut text = String::from(
        "# PSM Certificate Override Settings file\n# This is a generated file!  Do not edit.\n",
    );
    for certificate in certificates {
        let host = if certificate.host.contains(':') {
            format!("[{}]", certificate.host)
        } else {
            certificate.host.clone()
        };
        text.push_str(&format!(
            "{host}:{}:\tOID.2.16.840.1.101.3.4.2.1\t{}\t\n",
            certificate.port,
            fingerprint(&certificate.der)
        ));
    }
    text
}

/// Upper-case hex SHA-256 in colon-separated pairs, as Firefox shows fingerprints.
fn fingerprint(der: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(der)
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_certificate_is_accepted_at_its_own_address_only() {
        let text = overrides(&[
            TrustedCertificate {
                host: "127.0.0.1".to_string(),
                port: 8443,
                der: b"abc".to_vec(),
                pin: String::new(),
            },
            TrustedCertificate {
                host: "::1".to_string(),
                port: 443,
                der: b"abc".to_vec(),
                pin: String::new(),
            },
        ]);
        // SHA-256 of "abc".
        let abc = "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD";
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert_eq!(
            lines[2],
            format!("127.0.0.1:8443:\tOID.2.16.840.1.101.3.4.2.1\t{abc}\t")
        );
        assert_eq!(
            lines[3],
            format!("[::1]:443:\tOID.2.16.840.1.101.3.4.2.1\t{abc}\t")
        );
    }
}
