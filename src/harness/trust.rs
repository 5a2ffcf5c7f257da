//! Reaching the console and deciding how the browser trusts its certificate: a TCP check with
//! what was tried, then the certificate's pin or its chain to `--ca-cert`, before any page loads.

use super::HarnessError;
use crate::browser::{CertificateTrust, TrustedCertificate};
use crate::settings::{ConsoleAddress, Trust};
use std::time::Duration;

pub(super) async fn check_reachable(console: &ConsoleAddress) -> Result<(), HarnessError> {
    let unreachable = |address: String, reason: String| HarnessError::ConsoleUnreachable {
        url: console.url.clone(),
        address,
        reason,
    };
    let address = console.socket_address();
    match tokio::time::timeout(
        Duration::from_secs(10),
        tokio::net::TcpStream::connect(&address),
    )
    .await
    {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(error)) => Err(unreachable(address, error.to_string())),
        Err(_) => Err(unreachable(address, "no answer within 10 s".to_string())),
    }
}

/// What the browser is told after the harness checked the certificate `presented` at
/// `host:port`: to trust that certificate (its leaf), there and by its key.
fn pinned(presented: &crate::tls::Presented, host: &str, port: u16) -> CertificateTrust {
    let leaf = presented.chain.first().map(|leaf| TrustedCertificate {
        host: host.to_string(),
        port,
        der: leaf.to_vec(),
        pin: presented.pin.clone(),
    });
    CertificateTrust::Pinned(leaf.into_iter().collect())
}

/// How the browser is to treat the console's certificate, and the verdict for the report. An
/// https console is checked here, before any browser starts, when the user named what to trust:
/// a pin must match the certificate presented, and `--ca-cert` must be its chain's root; the
/// browser is then told to trust exactly that certificate.
pub(super) async fn establish_trust(
    console: &ConsoleAddress,
    trust: &Trust,
) -> Result<(CertificateTrust, Option<String>), HarnessError> {
    if !console.is_https() {
        let accept = if *trust == Trust::Insecure {
            CertificateTrust::AcceptAny
        } else {
            CertificateTrust::Verify
        };
        return Ok((accept, None));
    }
    let (host, port) = (console.host.clone(), console.port);
    let refused = |reason: String| HarnessError::Certificate {
        url: console.url.clone(),
        reason,
    };
    match trust {
        Trust::Verify => Ok((
            CertificateTrust::Verify,
            Some("verified by the browser against its trusted roots".to_string()),
        )),
        Trust::Insecure => {
            let pin = crate::tls::presented_certificate(&host, port)
                .await
                .map(|presented| format!(" (it presented sha256/{})", presented.pin))
                .unwrap_or_default();
            Ok((
                CertificateTrust::AcceptAny,
                Some(format!(
                    "WARNING: not checked: --insecure accepted whatever certificate the console presented{pin}"
                )),
            ))
        }
        Trust::Pin(pin) => {
            let presented = crate::tls::presented_certificate(&host, port)
                .await
                .map_err(|error| refused(error.to_string()))?;
            if presented.pin != *pin {
                return Err(refused(format!(
                    "it presents a certificate whose key is sha256/{}, not the sha256/{pin} that --trust-cert names. \
                     If the console's certificate was replaced on purpose, check it and pin the new one",
                    presented.pin
                )));
            }
            Ok((
                pinned(&presented, &host, port),
                Some(format!(
                    "pinned: the console presented sha256/{pin}, as --trust-cert names"
                )),
            ))
        }
        Trust::CaCert(path) => {
            let presented = crate::tls::presented_certificate(&host, port)
                .await
                .map_err(|error| refused(error.to_string()))?;
            let ca = std::fs::read(path)
                .map_err(|error| refused(format!("cannot read {}: {error}", path.display())))?;
            crate::tls::chains_to(&presented, &ca, &host).map_err(|why| {
                refused(format!(
                    "it does not chain to --ca-cert {} for {host} ({why}). Its key is sha256/{}: \
                     --trust-cert sha256/{} trusts exactly this certificate",
                    path.display(),
                    presented.pin,
                    presented.pin
                ))
            })?;
            Ok((
                pinned(&presented, &host, port),
                Some(format!(
                    "verified: the certificate for {host} chains to --ca-cert {} (key sha256/{})",
                    path.display(),
                    presented.pin
                )),
            ))
        }
    }
}
