//! A console served over https with a certificate no browser trusts, as a self-hosted console is
//! out of the box: refused by default before any credential is typed, with the pin to use; then
//! driven with each way of trusting it (`--trust-cert`, `--ca-cert`, `--insecure`), and refused
//! again when the pin or the CA do not match.

mod common;

use common::*;

/// The `sha256/…` pin the refusal names.
fn pin_in(stdout: &str) -> String {
    let start = stdout.find("--trust-cert sha256/").expect("a pin to use") + "--trust-cert ".len();
    stdout[start..]
        .split_whitespace()
        .next()
        .expect("the pin")
        .to_string()
}

#[test]
fn an_untrusted_certificate_is_refused_before_login_and_its_pin_drives_the_rehearsal() {
    let console = HttpsPage::independent_console();
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(
        scenario_command(out.path()).args(["--apply", "--console", &console.url]),
        1,
    );
    assert!(stdout.contains("FAILED at Upgrade 1"), "{stdout}");
    assert!(stdout.contains("ERR_CERT_AUTHORITY_INVALID"), "{stdout}");
    assert!(
        stdout.contains("before any credential was typed"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("✓ log in"),
        "no login was attempted: {stdout}"
    );
    let pin = pin_in(&stdout);

    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(
        scenario_command(out.path()).args([
            "--apply",
            "--console",
            &console.url,
            "--trust-cert",
            &pin,
        ]),
        0,
    );
    assert!(
        stdout.contains("You are using the latest version"),
        "{stdout}"
    );
    let report = report(&out.path().join("upgrade-vmware-non-airgap"));
    let verdict = report["rehearsal"]["certificate"]
        .as_str()
        .expect("a verdict");
    assert!(verdict.starts_with("pinned"), "{verdict}");
}

#[test]
fn the_consoles_ca_verifies_its_certificate() {
    let console = HttpsPage::independent_console();
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(
        scenario_command(out.path())
            .args(["--apply", "--console", &console.url, "--ca-cert"])
            .arg(console.ca_certificate()),
        0,
    );
    assert!(
        stdout.contains("You are using the latest version"),
        "{stdout}"
    );
    let report = report(&out.path().join("upgrade-vmware-non-airgap"));
    let verdict = report["rehearsal"]["certificate"]
        .as_str()
        .expect("a verdict");
    assert!(
        verdict.starts_with("verified: the certificate for 127.0.0.1 chains to --ca-cert"),
        "{verdict}"
    );
}

#[test]
fn insecure_accepts_the_certificate_and_the_report_warns() {
    let console = HttpsPage::independent_console();
    let out = tempfile::tempdir().expect("temp dir");
    run_expecting(
        scenario_command(out.path()).args(["--apply", "--console", &console.url, "--insecure"]),
        0,
    );
    let report = report(&out.path().join("upgrade-vmware-non-airgap"));
    let verdict = report["rehearsal"]["certificate"]
        .as_str()
        .expect("a verdict");
    assert!(verdict.starts_with("WARNING: not checked"), "{verdict}");
    let html = std::fs::read_to_string(out.path().join("report.html")).expect("report.html");
    assert!(html.contains("WARNING: not checked"), "report.html warns");
}

#[test]
fn a_wrong_pin_or_another_ca_is_refused_before_a_browser_starts() {
    let console = HttpsPage::independent_console();
    let out = tempfile::tempdir().expect("temp dir");
    let wrong = "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    let stderr = stderr_expecting(
        scenario_command(out.path()).args([
            "--apply",
            "--console",
            &console.url,
            "--trust-cert",
            wrong,
        ]),
        2,
    );
    assert!(stderr.contains("is not trusted"), "{stderr}");
    assert!(stderr.contains("not the sha256/AAAA"), "{stderr}");

    let other = HttpsPage::serve("<!doctype html><p>another console</p>");
    let stderr = stderr_expecting(
        scenario_command(out.path())
            .args(["--apply", "--console", &console.url, "--ca-cert"])
            .arg(other.ca_certificate()),
        2,
    );
    assert!(stderr.contains("does not chain to --ca-cert"), "{stderr}");
    assert!(
        stderr.contains("--trust-cert sha256/"),
        "the pin to use: {stderr}"
    );
}

#[test]
fn the_reference_console_over_https_is_refused_without_its_ca_and_upgraded_with_it() {
    let folder = tempfile::tempdir().expect("temp dir");
    let ca = folder.path().join("ca.pem");
    let ca_arg = ca.to_string_lossy().into_owned();
    let console = ConsoleProcess::start(&["--https", "--ca-out", &ca_arg]);
    assert!(
        console.url.starts_with("https://127.0.0.1:"),
        "{}",
        console.url
    );
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(
        scenario_command(out.path()).args(["--apply", "--console", &console.url]),
        1,
    );
    assert!(
        stdout.contains("refused the console's certificate"),
        "{stdout}"
    );
    let stdout = run_expecting(
        scenario_command(out.path())
            .args(["--apply", "--console", &console.url, "--ca-cert"])
            .arg(&ca),
        0,
    );
    assert!(
        stdout.contains("You are using the latest version"),
        "{stdout}"
    );
}

/// Firefox takes no list of keys to trust: the harness gives it a profile whose certificate
/// database trusts exactly the console's certificate, once its pin matched.
#[test]
fn on_firefox_a_pinned_or_ca_checked_certificate_is_trusted_and_an_unchecked_one_refused() {
    let console = HttpsPage::independent_console();
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(
        scenario_command(out.path()).args([
            "--apply",
            "--browser",
            "firefox",
            "--console",
            &console.url,
        ]),
        1,
    );
    assert!(stdout.contains("FAILED at Upgrade 1"), "{stdout}");
    assert!(
        !stdout.contains("✓ log in"),
        "no login was attempted: {stdout}"
    );
    assert!(
        stdout.contains("refused the console's certificate, before any credential was typed"),
        "{stdout}"
    );
    let pin = pin_in(&stdout);

    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(
        scenario_command(out.path()).args([
            "--apply",
            "--browser",
            "firefox",
            "--console",
            &console.url,
            "--trust-cert",
            &pin,
        ]),
        0,
    );
    assert!(
        stdout.contains("You are using the latest version"),
        "{stdout}"
    );

    // --ca-cert: the chain is checked by the harness, then that certificate is accepted.
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(
        scenario_command(out.path())
            .args(["--apply", "--browser", "firefox", "--console", &console.url])
            .arg("--ca-cert")
            .arg(console.ca_certificate()),
        0,
    );
    assert!(
        stdout.contains("You are using the latest version"),
        "{stdout}"
    );
}
