use super::*;
use crate::cli::{DocsDraftArgs, OutlineArgs, RecordArgs};
use clap::Parser;

fn args(line: &[&str]) -> RunArgs {
    let mut full = vec!["palette-harness", "run"];
    full.extend_from_slice(line);
    match crate::cli::Cli::parse_from(full).command {
        crate::cli::Command::Run(args) => args,
        other => panic!("not a run: {other:?}"),
    }
}

fn outline_args(line: &[&str]) -> OutlineArgs {
    let mut full = vec!["palette-harness", "outline"];
    full.extend_from_slice(line);
    match crate::cli::Cli::parse_from(full).command {
        crate::cli::Command::Outline(args) => args,
        other => panic!("not an outline: {other:?}"),
    }
}

fn no_environment(_: &str) -> Option<String> {
    None
}

#[test]
fn outline_takes_web_and_file_pages_and_names_a_bad_address_or_driver() {
    let page = resolve_outline(
        &outline_args(&["file:///tmp/trace.html", "--insecure"]),
        no_environment,
    )
    .expect("a file page");
    assert_eq!(
        page.page,
        OutlinePage::Address("file:///tmp/trace.html".to_string())
    );
    assert_eq!(page.browser.certificates, CertificateTrust::AcceptAny);
    assert!(
        page.credentials.is_none(),
        "no credentials in the environment"
    );
    let error = resolve_outline(
        &outline_args(&["palette.example.com/system"]),
        no_environment,
    )
    .err()
    .expect("no scheme");
    assert!(
        error
            .to_string()
            .starts_with("`palette.example.com/system` is not a page address"),
        "{error}"
    );
    let error = resolve_outline(
        &outline_args(&["https://h/system", "--webdriver", "ftp://grid"]),
        no_environment,
    )
    .err()
    .expect("no http driver");
    assert!(
        error.to_string().starts_with("--webdriver: `ftp://grid`"),
        "{error}"
    );
}

#[test]
fn outline_without_an_address_logs_in_to_the_built_in_console_and_takes_actions_in_order() {
    let settings = resolve_outline(
        &outline_args(&[
            "--do",
            r#"click menu item "Administration""#,
            "--do",
            r#"click tab "Pack Registries""#,
        ]),
        no_environment,
    )
    .expect("valid");
    assert_eq!(settings.page, OutlinePage::BuiltIn);
    let credentials = settings.credentials.expect("the built-in console's");
    assert_eq!(credentials.username, "admin");
    let texts: Vec<&str> = settings.actions.iter().map(|a| a.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            r#"click menu item "Administration""#,
            r#"click tab "Pack Registries""#
        ]
    );
    assert_eq!(settings.actions[1].location.to_string(), "--do #2:1:1");
}

#[test]
fn outline_names_a_bad_action_and_refuses_to_change_a_real_console_without_apply() {
    let error = resolve_outline(
        &outline_args(&["--do", r#"clack button "Menu""#]),
        no_environment,
    )
    .err()
    .expect("not an action");
    assert!(
        error
            .to_string()
            .starts_with(r#"--do #1: `clack button "Menu"`, column 1: expected"#),
        "{error}"
    );
    let real = |apply: bool| {
        let mut line = vec![
            "https://palette.example.com/system",
            "--do",
            r#"click button "Update""#,
        ];
        if apply {
            line.push("--apply");
        }
        resolve_outline(&outline_args(&line), |name| Some(format!("{name}-value")))
    };
    let error = real(false).err().expect("it would change the console");
    assert!(
        error.to_string().contains("would change the console"),
        "{error}"
    );
    let settings = real(true).expect("--apply");
    assert!(settings.may_mutate);
    assert_eq!(
        settings.credentials.expect("from the environment").username,
        "PALETTE_USERNAME-value"
    );
}

#[test]
fn shards_split_the_list_into_contiguous_near_equal_parts_that_cover_it_once() {
    let items: Vec<u32> = (1..=7).collect();
    let parts: Vec<Vec<u32>> = (1..=3).map(|k| shard_of(&items, k, 3)).collect();
    assert_eq!(parts, vec![vec![1, 2], vec![3, 4], vec![5, 6, 7]]);
    // More shards than items: some are empty, none repeats an item.
    let parts: Vec<Vec<u32>> = (1..=4).map(|k| shard_of(&items[..2], k, 4)).collect();
    assert_eq!(parts.concat(), vec![1, 2]);
    assert_eq!(parse_shard("2/3"), Some((2, 3)));
    for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
        assert_eq!(parse_shard(bad), None, "{bad}");
    }
    let settings = resolve(
        &args(&["a.toml", "b.toml", "c.toml", "--shard", "2/3"]),
        |_| None,
    )
    .expect("resolves");
    assert_eq!(settings.scenarios, vec![PathBuf::from("b.toml")]);
    let error = resolve(&args(&["a.toml", "--shard", "4/3"]), |_| None).unwrap_err();
    assert!(
        error.to_string().starts_with("--shard: expected K/N"),
        "{error}"
    );
    let error = resolve(&args(&["a.toml", "--workers", "0"]), |_| None).unwrap_err();
    assert!(error.to_string().starts_with("--workers:"), "{error}");
}

#[test]
fn the_built_in_console_defaults_to_admin_admin() {
    let settings = resolve(&args(&["x.toml"]), |_| None).expect("resolves");
    assert!(matches!(settings.console, ConsoleTarget::BuiltIn { .. }));
    assert_eq!(settings.credentials.username, "admin");
    assert_eq!(settings.credentials.password, "admin");
}

#[test]
fn an_external_console_needs_credentials_from_the_environment() {
    let error = resolve(
        &args(&["x.toml", "--console", "https://palette.example.com/system"]),
        |_| None,
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("PALETTE_USERNAME and PALETTE_PASSWORD must be set"),
        "{error}"
    );
    let settings = resolve(
        &args(&["x.toml", "--console", "https://palette.example.com/system"]),
        |name| {
            Some(if name == USERNAME_VARIABLE {
                "ops".to_string()
            } else {
                "S3cret".to_string()
            })
        },
    )
    .expect("resolves");
    assert_eq!(settings.credentials.username, "ops");
}

#[test]
fn on_ci_no_baseline_is_written_unless_asked() {
    let ci = |name: &str| (name == "CI").then(|| "true".to_string());
    assert_eq!(
        resolve(&args(&["x.toml"]), ci).unwrap().update_snapshots,
        UpdatePolicy::None
    );
    assert_eq!(
        resolve(&args(&["x.toml"]), |_| None)
            .unwrap()
            .update_snapshots,
        UpdatePolicy::Missing
    );
    let explicit = resolve(&args(&["x.toml", "--update-snapshots", "changed"]), ci).unwrap();
    assert_eq!(explicit.update_snapshots, UpdatePolicy::Changed);
    assert!(explicit.on_ci);
}

#[test]
fn each_console_has_its_own_snapshot_folder() {
    let with_credentials = |_: &str| Some("x".to_string());
    let built_in = resolve(&args(&["x.toml"]), |_| None).unwrap();
    assert_eq!(
        built_in.snapshots_dir,
        PathBuf::from("snapshots/reference-console")
    );
    let real = resolve(
        &args(&["x.toml", "--console", "https://palette.example.com/system"]),
        with_credentials,
    )
    .unwrap();
    assert_eq!(
        real.snapshots_dir,
        PathBuf::from("snapshots/palette.example.com")
    );
    let local = resolve(
        &args(&["x.toml", "--console", "http://127.0.0.1:8443/system"]),
        with_credentials,
    )
    .unwrap();
    assert_eq!(
        local.snapshots_dir,
        PathBuf::from("snapshots/127.0.0.1-8443")
    );
    let named = resolve(&args(&["x.toml", "--console-name", "staging"]), |_| None).unwrap();
    assert_eq!(named.snapshots_dir, PathBuf::from("snapshots/staging"));
    assert!(resolve(&args(&["x.toml", "--console-name", "../up"]), |_| None).is_err());
}

#[test]
fn bad_flags_name_the_flag() {
    assert!(resolve(&args(&["x.toml", "--timeout", "soon"]), |_| None)
        .unwrap_err()
        .to_string()
        .starts_with("--timeout"));
    assert!(resolve(&args(&["x.toml", "--viewport", "big"]), |_| None)
        .unwrap_err()
        .to_string()
        .starts_with("--viewport"));
    assert!(
        resolve(&args(&["x.toml", "--console", "palette.local"]), |_| None)
            .unwrap_err()
            .to_string()
            .starts_with("--console")
    );
}

fn draft_args(line: &[&str]) -> DocsDraftArgs {
    let mut full = vec!["palette-harness", "docs", "draft"];
    full.extend_from_slice(line);
    match crate::cli::Cli::parse_from(full).command {
        crate::cli::Command::Docs(crate::cli::DocsCommand::Draft(args)) => args,
        other => panic!("not a docs draft: {other:?}"),
    }
}

#[test]
fn a_draft_names_its_guide_by_the_path_after_docs_content_unless_told() {
    let settings = |line: &[&str]| resolve_draft(&draft_args(line)).map(|draft| draft.docs_path);
    assert_eq!(
        settings(&["/home/me/librarium/docs/docs-content/vertex/upgrade/a.md"]).unwrap(),
        "vertex/upgrade/a.md"
    );
    assert_eq!(settings(&["./guides/a.md"]).unwrap(), "guides/a.md");
    assert_eq!(
        settings(&["a.md", "--docs-path", "/enterprise-version/a.md"]).unwrap(),
        "enterprise-version/a.md"
    );
    assert!(settings(&["a.md", "--docs-path", " "])
        .unwrap_err()
        .to_string()
        .starts_with("--docs-path"));
}

fn record_args(line: &[&str]) -> RecordArgs {
    let mut full = vec!["palette-harness", "record"];
    full.extend_from_slice(line);
    match crate::cli::Cli::parse_from(full).command {
        crate::cli::Command::Record(args) => args,
        other => panic!("not a record: {other:?}"),
    }
}

#[test]
fn record_is_a_headed_run_that_needs_credentials_only_to_replay_steps() {
    let none = |_: &str| None;
    let fresh = resolve_record(
        &record_args(&["--console", "https://palette.example.com/system"]),
        none,
    )
    .expect("a person logs in by hand");
    assert!(fresh.run.browser.headed && fresh.run.scenarios.is_empty() && !fresh.mask_password);
    assert_eq!(fresh.out_file, PathBuf::from("recorded.toml"));
    let replaying = record_args(&[
        "--console",
        "https://palette.example.com/system",
        "--from",
        "scenarios/upgrade-vmware-non-airgap.toml",
        "--at",
        "Upgrade 5",
    ]);
    assert!(matches!(
        resolve_record(&replaying, none),
        Err(SettingsError::MissingCredentials { .. })
    ));
    let with_credentials = |name: &str| Some(format!("{name}-value"));
    let settings = resolve_record(&replaying, with_credentials).expect("credentials given");
    assert_eq!(
        settings.from,
        Some((
            PathBuf::from("scenarios/upgrade-vmware-non-airgap.toml"),
            "Upgrade".to_string(),
            5
        ))
    );
    assert!(settings.mask_password);
    let error = resolve_record(
        &record_args(&["--from", "a.toml", "--at", "Upgrade"]),
        with_credentials,
    )
    .err()
    .expect("no number");
    assert_eq!(
        error.to_string(),
        "--at: expected a step as SECTION NUMBER, such as \"Upgrade 5\", found `Upgrade`"
    );
}
