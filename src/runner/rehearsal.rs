//! The parts of a rehearsal that are about the upgrade rather than the page: the versions and
//! the preflight of the upgrade path, the steps that run only when a condition holds, and the
//! values support sent for each layer.

use super::page::Page;
use std::collections::BTreeMap;
use std::time::Instant;

use super::find::EditorQuery;
use super::wait::{meaningful_lines, Attempt};
use super::{ActionFailure, ScenarioRun};
use crate::artifacts::slug;
use crate::event::{Event, Fact};
use crate::preflight::{self, Support, Version};
use crate::scenario::{Action, Captured, Condition, Keeping, Role, Target};
use crate::yaml;

/// Values captured during a run, for `when` conditions.
pub(super) type CapturedValues = BTreeMap<Captured, String>;

impl<P: Page> ScenarioRun<'_, P> {
    /// `read installed version`: the Palette version the page names (the lowest, if it also
    /// names the offered one).
    pub(super) async fn read_installed_version(
        &mut self,
        action: &Action,
        deadline: Instant,
    ) -> Result<Option<String>, ActionFailure> {
        let browser = self.browser;
        let installed = self
            .poll(
                action,
                "the page to name the installed Palette version",
                deadline,
                |_budget| async move {
                    let versions = preflight::palette_versions_in(&browser.page_text().await?);
                    Ok(match versions.iter().min() {
                        Some(lowest) => Attempt::Done(*lowest),
                        None => Attempt::NotYet(
                            "the page names no Palette version (such as 4.8.21)".to_string(),
                        ),
                    })
                },
            )
            .await?;
        self.captured
            .insert(Captured::InstalledVersion, installed.to_string());
        self.console_version = Some(installed.to_string());
        let kubernetes = preflight::kubernetes_for(installed);
        if let Some(kubernetes) = kubernetes {
            self.captured
                .insert(Captured::InstalledKubernetes, kubernetes.to_string());
        }
        Ok(Some(match kubernetes {
            Some(kubernetes) => format!("installed Palette {installed} (Kubernetes {kubernetes})"),
            None => format!(
                "installed Palette {installed} (its Kubernetes version is not in the docs' table)"
            ),
        }))
    }

    /// `check upgrade path`: the offered version, and whether the docs support the path. An
    /// unsupported or unknown path fails here, before the step's change, unless
    /// `--allow-unsupported-path`.
    pub(super) async fn check_upgrade_path(
        &mut self,
        action: &Action,
        deadline: Instant,
    ) -> Result<Option<String>, ActionFailure> {
        let installed = self
            .captured
            .get(&Captured::InstalledVersion)
            .and_then(|text| Version::parse(text));
        let browser = self.browser;
        let (installed, target) = self
            .poll(
                action,
                "the page to name the offered Palette version",
                deadline,
                |_budget| async move {
                    let versions = preflight::palette_versions_in(&browser.page_text().await?);
                    let newest = versions.iter().max().copied();
                    Ok(match (installed, newest) {
                        (Some(installed), Some(newest)) if newest > installed => {
                            Attempt::Done((installed, newest))
                        }
                        (None, Some(newest)) if versions.len() > 1 => {
                            Attempt::Done((*versions.iter().min().unwrap_or(&newest), newest))
                        }
                        _ => Attempt::NotYet(format!(
                            "the page names {} and no version newer than {}",
                            if versions.is_empty() {
                                "no Palette version".to_string()
                            } else {
                                versions.iter().map(Version::to_string).collect::<Vec<_>>().join(", ")
                            },
                            installed
                                .map(|version| version.to_string())
                                .unwrap_or_else(|| "the installed one (read it with `read installed version` on the Summary page)".to_string())
                        )),
                    })
                },
            )
            .await?;
        let verdict = preflight::check_path(installed, target);
        let allowed_anyway =
            verdict.support != Support::Supported && self.settings.allow_unsupported_path;
        self.captured
            .insert(Captured::InstalledVersion, installed.to_string());
        self.console_version = Some(installed.to_string());
        self.captured
            .insert(Captured::TargetVersion, target.to_string());
        for (value, kubernetes) in [
            (Captured::InstalledKubernetes, &verdict.installed_kubernetes),
            (Captured::TargetKubernetes, &verdict.target_kubernetes),
        ] {
            if let Some(kubernetes) = kubernetes {
                self.captured.insert(value, kubernetes.clone());
            }
        }
        self.reporter.on_event(&Event::Fact(Fact::Preflight {
            installed: installed.to_string(),
            target: target.to_string(),
            verdict: verdict.support.word().to_string(),
            rule: verdict.rule.clone(),
            allowed_anyway,
            installed_kubernetes: verdict.installed_kubernetes.clone(),
            target_kubernetes: verdict.target_kubernetes.clone(),
        }));
        let path = format!("{installed} → {target}");
        match verdict.support {
            Support::Supported => Ok(Some(format!("{path}: supported: {}", verdict.rule))),
            _ if allowed_anyway => Ok(Some(format!(
                "{path}: {}: {}; going on because of --allow-unsupported-path",
                verdict.support.word(),
                verdict.rule
            ))),
            support => Err(ActionFailure {
                expected: format!("an upgrade path the docs support, from {path}"),
                page_showed: format!(
                    "{path} is {}: {}. Nothing was changed; rerun with --allow-unsupported-path to rehearse it anyway",
                    support.word(),
                    verdict.rule
                ),
            }),
        }
    }

    /// `expect upgraded version`: the page names the target version and nothing older, so the
    /// console did not come back on the version it had.
    pub(super) async fn expect_upgraded_version(
        &mut self,
        action: &Action,
        deadline: Instant,
    ) -> Result<Option<String>, ActionFailure> {
        let Some(target) = self
            .captured
            .get(&Captured::TargetVersion)
            .and_then(|text| Version::parse(text))
        else {
            return Err(ActionFailure {
                expected: "the version the upgrade was to bring".to_string(),
                page_showed: "no earlier `check upgrade path` read the offered version".to_string(),
            });
        };
        let browser = self.browser;
        let result = self
            .poll(
                action,
                &format!("the page to name Palette {target}"),
                deadline,
                |_budget| async move {
                    let versions = preflight::palette_versions_in(&browser.page_text().await?);
                    Ok(match versions.iter().min() {
                        Some(lowest) if *lowest == target => Attempt::Done(()),
                        Some(lowest) if *lowest < target => Attempt::NotYet(format!(
                            "the console came back on Palette {lowest}, not the {target} it was upgraded to"
                        )),
                        _ => Attempt::NotYet(format!("the page does not name Palette {target}")),
                    })
                },
            )
            .await;
        result?;
        self.console_version = Some(target.to_string());
        Ok(Some(format!("Palette {target}, as the upgrade offered")))
    }

    /// Whether a step's `when` holds; `Err` names the value no earlier step captured.
    pub(super) fn condition_holds(&self, condition: &Condition) -> Result<(bool, String), String> {
        let value = |captured: Captured| {
            self.captured.get(&captured).cloned().ok_or_else(|| {
                format!(
                    "`when = \"{condition}\"` needs {}, which no earlier step captured (`check upgrade path` captures the versions)",
                    captured.name()
                )
            })
        };
        let (left, right) = (value(condition.left)?, value(condition.right)?);
        let holds = (left == right) == condition.equal;
        let relation = if left == right { "==" } else { "!=" };
        Ok((
            holds,
            format!(
                "{} {relation} {} ({left} and {right})",
                condition.left.name(),
                condition.right.name()
            ),
        ))
    }

    /// `replace layer "…" with support values`: the file support sent for the layer, with the
    /// customizations this run carried at the upgrade put back on top, pasted into the layer's
    /// editor and saved.
    pub(super) async fn replace_with_support_values(
        &mut self,
        action: &Action,
        layer: &str,
        deadline: Instant,
    ) -> Result<Option<String>, ActionFailure> {
        let Some(folder) = self.settings.support_values.clone() else {
            return Err(ActionFailure {
                expected: format!("the values support sent for layer \"{layer}\" (--support-values DIR)"),
                page_showed: "no --support-values folder was given: this upgrade brings a new Kubernetes version, and the guide says to replace each layer's configuration with the values you received from support".to_string(),
            });
        };
        let file = folder.join(format!("{}.yaml", slug(layer)));
        let support = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Some(format!(
                    "no support values for this layer ({} does not exist): left as it is",
                    file.display()
                )))
            }
            Err(error) => {
                return Err(ActionFailure {
                    expected: format!("to read {}", file.display()),
                    page_showed: error.to_string(),
                })
            }
        };
        if let Err(error) = yaml::tree::parse(&support) {
            return Err(ActionFailure {
                expected: format!("{} to be YAML", file.display()),
                page_showed: format!(
                    "{}:{}:{}: {}",
                    file.display(),
                    error.line,
                    error.column,
                    error.message
                ),
            });
        }
        let current = self.open_layer(action, layer, deadline).await?;
        // The customizations carried at the upgrade go back on top of support's values.
        let (pasted, carried) = match self.merges.get(layer) {
            Some(merge) => {
                let merged = yaml::merge(
                    &support,
                    &merge.current,
                    &Keeping::Paths(merge.carried.clone()),
                )
                .map_err(|error| ActionFailure {
                    expected: format!("{} and this run's customizations to merge", file.display()),
                    page_showed: error.to_string(),
                })?;
                let carried = merged.carried.len();
                (merged.text, carried)
            }
            None => (support.clone(), 0),
        };
        let editor = EditorQuery::OfLayer(layer.to_string());
        let (element, _) = self.read_stable(action, &editor, deadline).await?;
        self.browser.write_text(&element, &pasted).await?;
        let save = Target {
            role: Role::Button,
            label: Some("Save".to_string()),
            within: None,
        };
        self.click(action, &save, deadline).await?;
        self.save_or_fail(
            super::ArtifactKind::Merge,
            self.settings
                .output_dir
                .join("support")
                .join(format!("{}.pasted.yaml", slug(layer))),
            pasted.as_bytes(),
        )?;
        // The layer, opened again, holds what was saved.
        let saved = self.open_layer(action, layer, deadline).await?;
        if meaningful_lines(&saved) != meaningful_lines(&pasted) {
            return Err(ActionFailure {
                expected: format!("layer \"{layer}\" to hold support's values after Save"),
                page_showed: format!(
                    "it holds {} lines, {} of them different",
                    saved.lines().count(),
                    meaningful_lines(&saved)
                        .iter()
                        .filter(|line| !meaningful_lines(&pasted).contains(line))
                        .count()
                ),
            });
        }
        let changed = meaningful_lines(&current) != meaningful_lines(&saved);
        Ok(Some(format!(
            "pasted {} ({} lines) with {carried} carried customization(s) on top and saved{}",
            file.display(),
            pasted.lines().count(),
            if changed {
                ""
            } else {
                "; the layer already held these values"
            }
        )))
    }
}
