//! The console's TLS certificate, looked at by the harness itself: the certificate a console
//! presents, its public-key pin (`sha256/…`, the SPKI hash Chromium's
//! `--ignore-certificate-errors-spki-list` takes), and whether it chains to a CA the user named.
//! The browser is then told to trust exactly that certificate; nothing here trusts anything by
//! itself. Network I/O only to read the certificate; no browser.

use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use rustls_pki_types::pem::PemObject;

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("could not read the certificate of {host}:{port}: {message}")]
    Unreachable {
        host: String,
        port: u16,
        message: String,
    },
    #[error("{0}")]
    Certificate(String),
}

/// What the console presented: its chain, leaf first, and the leaf's pin.
pub struct Presented {
    pub chain: Vec<CertificateDer<'static>>,
    pub pin: String,
}

/// Connects to the console and records the certificate chain it presents, trusting nothing.
pub async fn presented_certificate(host: &str, port: u16) -> Result<Presented, TlsError> {
    let unreachable = |message: String| TlsError::Unreachable {
        host: host.to_string(),
        port,
        message,
    };
    let recorder = Arc::new(Recorder::default());
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| unreachable(error.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone())
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let name =
        ServerName::try_from(host.to_string()).map_err(|error| unreachable(error.to_string()))?;
    let stream = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        tokio::net::TcpStream::connect((host, port)),
    )
    .await
    .map_err(|_| unreachable("no answer within 10 s".to_string()))?
    .map_err(|error| unreachable(error.to_string()))?;
    let handshake = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        connector.connect(name, stream),
    )
    .await
    .map_err(|_| unreachable("no TLS handshake within 10 s".to_string()))?;
    let chain = recorder
        .chain
        .lock()
        .map(|chain| chain.clone())
        .unwrap_or_default();
    if chain.is_empty() {
        let why = handshake
            .err()
            .map(|error| error.to_string())
            .unwrap_or_default();
        return Err(unreachable(format!("it presented no certificate {why}")));
    }
    let pin = spki_pin(&chain[0])?;
    Ok(Presented { chain, pin })
}

/// Whether the presented chain is valid for `host` when `ca_pem` (one or more PEM
/// certificates) are the only roots. `Err` says why not.
pub fn chains_to(presented: &Presented, ca_pem: &[u8], host: &str) -> Result<(), TlsError> {
    chains_to_roots(presented, ca_pem, host).map_err(TlsError::Certificate)
}

fn chains_to_roots(presented: &Presented, ca_pem: &[u8], host: &str) -> Result<(), String> {
    let mut roots = rustls::RootCertStore::empty();
    let mut count = 0;
    for certificate in CertificateDer::pem_slice_iter(ca_pem) {
        let certificate = certificate.map_err(|error| format!("not a PEM certificate: {error}"))?;
        roots
            .add(certificate)
            .map_err(|error| format!("not a usable CA certificate: {error}"))?;
        count += 1;
    }
    if count == 0 {
        return Err("the file holds no PEM certificate (-----BEGIN CERTIFICATE-----)".to_string());
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier =
        rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .map_err(|error| error.to_string())?;
    let name = ServerName::try_from(host.to_string()).map_err(|error| error.to_string())?;
    verifier
        .verify_server_cert(
            &presented.chain[0],
            &presented.chain[1..],
            &name,
            &[],
            UnixTime::now(),
        )
        .map(|_| ())
        .map_err(|error| error.to_string())
}

/// `base64(sha256(SubjectPublicKeyInfo))` of a DER certificate.
pub fn spki_pin(certificate: &[u8]) -> Result<String, TlsError> {
    use sha2::Digest;
    let spki = subject_public_key_info(certificate).ok_or_else(|| {
        TlsError::Certificate("the certificate is not DER X.509 the harness can read".to_string())
    })?;
    Ok(base64(&sha2::Sha256::digest(spki)))
}

/// The bytes of the SubjectPublicKeyInfo: the seventh element of the TBSCertificate when it
/// starts with an explicit version, the sixth otherwise.
fn subject_public_key_info(certificate: &[u8]) -> Option<&[u8]> {
    let certificate_body = der_element(certificate)?.content;
    let mut tbs = der_element(certificate_body)?.content;
    let mut elements = Vec::new();
    while !tbs.is_empty() && elements.len() < 8 {
        let element = der_element(tbs)?;
        elements.push((element.tag, element.whole));
        tbs = element.rest;
    }
    // [0] version (optional), serial, signature, issuer, validity, subject, subjectPublicKeyInfo
    let spki = if elements.first()?.0 == 0xa0 { 6 } else { 5 };
    elements.get(spki).map(|(_, whole)| *whole)
}

/// One DER element read off the front of some bytes.
struct DerElement<'a> {
    tag: u8,
    content: &'a [u8],
    /// Tag, length and content.
    whole: &'a [u8],
    /// What follows the element.
    rest: &'a [u8],
}

fn der_element(input: &[u8]) -> Option<DerElement<'_>> {
    let tag = *input.first()?;
    let first = *input.get(1)? as usize;
    let (length, header) = if first < 0x80 {
        (first, 2)
    } else {
        let count = first & 0x7f;
        if count == 0 || count > 4 {
            return None;
        }
        let mut length = 0usize;
        for byte in input.get(2..2 + count)? {
            length = (length << 8) | *byte as usize;
        }
        (length, 2 + count)
    };
    let end = header.checked_add(length)?;
    let content = input.get(header..end)?;
    Some(DerElement {
        tag,
        content,
        whole: &input[..end],
        rest: &input[end..],
    })
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A verifier that accepts every certificate and remembers the chain: used only to read it.
#[derive(Debug, Default)]
struct Recorder {
    chain: Mutex<Vec<CertificateDer<'static>>>,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut chain) = self.chain.lock() {
            *chain = std::iter::once(end_entity)
                .chain(intermediates)
                .map(|certificate| certificate.clone().into_owned())
                .collect();
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _certificate: &CertificateDer<'_>,
        _signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn verify_tls13_signature(
        &self,
        _message: &[u8],
        _certificate: &CertificateDer<'_>,
        _signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        rustls::crypto::aws_lc_rs::default_provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_like_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(&[0xff; 32]).len(), 44);
    }

    #[test]
    fn the_pin_of_a_certificate_matches_openssl() {
        // `openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64`
        // for this certificate (made once with `openssl req -x509 -newkey ec ...`).
        let pem = include_bytes!("../tests/fixtures/pin-test-cert.pem");
        let certificate = CertificateDer::pem_slice_iter(pem).next().unwrap().unwrap();
        let expected = include_str!("../tests/fixtures/pin-test-cert.pin").trim();
        assert_eq!(spki_pin(&certificate).unwrap(), expected);
    }
}
