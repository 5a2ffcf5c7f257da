//! A Firefox profile that trusts the console's certificate: Firefox takes no list of keys to
//! trust (Chromium's `--ignore-certificate-errors-spki-list`), but a profile's
//! `cert_override.txt` names, per host and port, the one certificate (by its SHA-256
//! fingerprint) to accept there: the exception a person adds on Firefox's warning page, for
//! that certificate at that address and nothing else. The harness has already checked the
//! certificate (its pin, or its chain to `--ca-cert`) before it gets here.
//!
//! A local Firefox gets the profile as a folder; a remote one (on a Selenium Grid node) as
//! WebDriver's `moz:firefoxOptions.profile`, a base64 zip that geckodriver unpacks on the node.

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

/// The same profile as a base64 zip of its one file, for `moz:firefoxOptions.profile`.
pub(super) fn zipped_trusting(certificates: &[TrustedCertificate]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(stored_zip(
        "cert_override.txt",
        overrides(certificates).as_bytes(),
    ))
}

/// A zip archive holding one file, stored without compression (a few hundred bytes here).
fn stored_zip(name: &str, data: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    // Writing into memory fails only on a bug of the zip crate's.
    let written = zip
        .start_file(name, options)
        .and_then(|()| zip.write_all(data).map_err(zip::result::ZipError::from))
        .and_then(|()| zip.finish());
    written.expect("a zip written into memory").into_inner()
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

    /// Python's zipfile, an independent reader, unpacks the archive to the same file.
    #[test]
    fn the_zipped_profile_unpacks_to_its_one_file() {
        use std::io::Write;
        let text = "127.0.0.1:8443:\tOID.2.16.840.1.101.3.4.2.1\tAB:CD\t\n";
        let mut python = std::process::Command::new("python3")
            .args([
                "-c",
                "import io, sys, zipfile\n\
                 z = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))\n\
                 assert z.testzip() is None\n\
                 print(z.namelist())\n\
                 sys.stdout.write(z.read('cert_override.txt').decode())",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs");
        python
            .stdin
            .take()
            .expect("stdin")
            .write_all(&stored_zip("cert_override.txt", text.as_bytes()))
            .expect("zip written");
        let output = python.wait_with_output().expect("python3 ends");
        assert!(output.status.success(), "{output:?}");
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            format!("['cert_override.txt']\n{text}")
        );
    }

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
