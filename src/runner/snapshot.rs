//! The `snapshot "name"` action: captures the page outline and a stable screenshot, compares
//! both with their baselines, and records, updates or reports them as the update policy says.
//! A changed snapshot does not stop the scenario: later steps are still checked, and the
//! scenario fails at its end.

use super::page::Page;
use std::path::PathBuf;
use std::time::Instant;

use image::RgbaImage;

use super::{ActionFailure, Need, ScenarioRun};
use crate::artifacts::write_atomically;
use crate::browser::ElementHandle;
use crate::capture::{mask_text, region_of};
use crate::compare::image::{diff, paint_box, DiffError, DiffOptions, Image, Region};
use crate::compare::text::{diff_lines, unified, Line};
use crate::event::{ArtifactKind, Event, SnapshotCheck, SnapshotKind};
use crate::image_file::{decode_rgba, encode_png};
use crate::scenario::{Action, Step, Target};
use crate::snapshot::policy::{
    decide, decide_on_retry, Comparison, Decision, UpdatePolicy, Verdict,
};
use crate::snapshot::{Metadata, Slot, SnapshotId, SnapshotStore};

/// Where snapshots live and which baselines this run may write.
#[derive(Clone, Debug)]
pub struct SnapshotSettings {
    pub store: SnapshotStore,
    pub policy: UpdatePolicy,
    /// False on CI: a failing comparison writes no `.snap.new` there.
    pub pending_allowed: bool,
}

/// The colour of a mask box: no page uses it, so a masked area is obvious in any image.
const MASK_COLOR: [u8; 3] = [255, 0, 255];

impl<P: Page> ScenarioRun<'_, P> {
    pub(super) async fn snapshot(
        &mut self,
        step: &Step,
        action: &Action,
        name: &str,
        deadline: Instant,
    ) -> Result<Option<String>, ActionFailure> {
        let scenario = self.scenario_name.clone();
        let folder = self.settings.output_dir.join("snapshots");
        let metadata = |kind: &str| Metadata {
            source: action.location.file.to_string_lossy().into_owned(),
            line: Some(action.location.line),
            description: format!("{} › {name}: {kind}", step.title()),
            info: vec![
                ("scenario".to_string(), scenario.clone()),
                ("step".to_string(), step.title()),
                ("guide".to_string(), step.guide_words.clone()),
            ],
        };

        // The page outline, masked and with secrets removed. With nothing to hide, mask or
        // ignore, nothing is done to the page between the outline and the screenshot: the page
        // is made to hold still in the same command.
        let (hidden, masked, ignored) = (
            &step.snapshot.hide,
            &step.snapshot.mask,
            &step.snapshot.ignore,
        );
        let held = hidden.is_empty() && masked.is_empty() && ignored.is_empty();
        let outline = if held {
            self.browser.page_outline_then_hold_still().await?
        } else {
            self.browser.page_outline().await?
        };
        let outline = self
            .settings
            .redactor
            .redact(&mask_text(&outline, &step.snapshot.mask_text));
        let page_id = SnapshotId {
            scenario: scenario.clone(),
            name: name.to_string(),
            variant: None,
        };
        let page_check =
            self.check_page(step, name, &page_id, &outline, &metadata("page"), &folder)?;

        // The image: hidden elements hidden, masked and ignored ones measured on the page as it
        // is shot, then masked elements painted over.
        let image_id = SnapshotId {
            scenario: scenario.clone(),
            name: name.to_string(),
            variant: Some(self.browser.tag().to_string()),
        };
        let baseline = self.baseline_image(&image_id)?;
        let hide = self.elements(action, hidden, deadline).await?;
        self.browser.set_hidden(&hide, true).await?;
        // A first shot that matched its baseline is kept decoded and masked.
        let mut matched = None;
        let shot = match self.shot_areas(action, masked, ignored, deadline).await {
            Ok(areas) => {
                let baseline = baseline.as_ref().map(|(_, image)| image);
                let matches = |png: &[u8]| {
                    matched = first_shot_matching(step, baseline, &areas, png);
                    matched.is_some()
                };
                let shot = self.stable_screenshot(held, matches).await;
                shot.map(|shot| (shot, areas))
            }
            Err(failure) => Err(failure),
        };
        self.browser.set_hidden(&hide, false).await?;
        let (shot, areas) = shot?;
        let actual = match matched {
            Some(actual) => actual,
            None => {
                let mut actual = decode_rgba(&shot.png).map_err(|message| ActionFailure {
                    expected: "the browser's screenshot to be a PNG".to_string(),
                    page_showed: message.to_string(),
                })?;
                areas.paint_masks(&mut actual);
                actual
            }
        };
        let ignore = areas.ignored(&actual);
        let image_check = self.check_image(
            step,
            name,
            &image_id,
            &actual,
            ignore,
            baseline,
            &metadata("image"),
            &folder,
        )?;

        let mut image_check = image_check;
        if !shot.settled {
            image_check
                .detail
                .push_str(&format!("; {}", super::UNSETTLED));
        }
        if shot.fonts_late {
            image_check
                .detail
                .push_str(&format!("; {}", super::wait::FONTS_LATE));
        }
        let notes: Vec<String> = [&page_check, &image_check]
            .iter()
            .map(|check| {
                format!(
                    "{} {}: {}",
                    check.kind.word(),
                    check.verdict.word(),
                    check.detail
                )
            })
            .collect();
        for check in [page_check, image_check] {
            if check.verdict.is_failure() {
                self.snapshot_failures += 1;
            }
            self.reporter.on_event(&Event::SnapshotChecked(check));
        }
        Ok(Some(notes.join("; ")))
    }

    /// Where the masked and ignored elements are, measured in one round trip.
    async fn shot_areas(
        &mut self,
        action: &Action,
        masked: &[Target],
        ignored: &[Target],
        deadline: Instant,
    ) -> Result<ShotAreas, ActionFailure> {
        let mut elements = self.elements(action, masked, deadline).await?;
        let masked = elements.len();
        elements.extend(self.elements(action, ignored, deadline).await?);
        if elements.is_empty() {
            return Ok(ShotAreas::default());
        }
        let (mut mask, scale) = self.browser.rects(&elements).await?;
        let ignore = mask.split_off(masked);
        Ok(ShotAreas {
            mask,
            ignore,
            scale,
        })
    }

    /// The image baseline as stored and decoded, if there is one.
    fn baseline_image(
        &self,
        id: &SnapshotId,
    ) -> Result<Option<(Vec<u8>, RgbaImage)>, ActionFailure> {
        let store = &self.snapshot_settings().store;
        let Some(png) = store.read_image(id, Slot::Baseline) else {
            return Ok(None);
        };
        let image = decode_rgba(&png).map_err(|message| ActionFailure {
            expected: format!(
                "the baseline {} to be a PNG",
                store.image_path(id, Slot::Baseline).display()
            ),
            page_showed: message.to_string(),
        })?;
        Ok(Some((png, image)))
    }

    /// Paints a solid box over each masked element, in the screenshot `image`.
    pub(super) async fn paint_masks(
        &mut self,
        action: &Action,
        targets: &[Target],
        image: &mut RgbaImage,
        deadline: Instant,
    ) -> Result<(), ActionFailure> {
        let areas = self.shot_areas(action, targets, &[], deadline).await?;
        areas.paint_masks(image);
        Ok(())
    }

    /// Resolves each target to a visible element; a target that is not there is an error, so a
    /// mask never silently stops masking.
    pub(super) async fn elements(
        &mut self,
        action: &Action,
        targets: &[Target],
        deadline: Instant,
    ) -> Result<Vec<ElementHandle>, ActionFailure> {
        let mut elements = Vec::with_capacity(targets.len());
        for target in targets {
            let (element, _) = self
                .wait_for(action, target, Need::Visible, deadline)
                .await?;
            elements.push(element);
        }
        Ok(elements)
    }

    fn snapshot_settings(&self) -> &SnapshotSettings {
        &self.settings.snapshots
    }

    /// What to write for this comparison; a step's retry, or a scenario's, never writes a
    /// baseline.
    fn decide(&self, comparison: Comparison) -> Decision {
        let settings = self.snapshot_settings();
        if self.attempt > 1 || self.settings.scenario_attempt > 1 {
            decide_on_retry(settings.policy, comparison, settings.pending_allowed)
        } else {
            decide(settings.policy, comparison, settings.pending_allowed)
        }
    }

    fn check_page(
        &mut self,
        step: &Step,
        name: &str,
        id: &SnapshotId,
        outline: &str,
        metadata: &Metadata,
        folder: &std::path::Path,
    ) -> Result<SnapshotCheck, ActionFailure> {
        let settings = self.snapshot_settings().clone();
        let baseline = settings.store.read_text(id, Slot::Baseline);
        let outline = outline.trim_end();
        let comparison = match &baseline {
            None => Comparison::NoBaseline,
            Some(baseline) if baseline == outline => Comparison::Matches,
            Some(_) => Comparison::Differs,
        };
        let decision = self.decide(comparison);
        let stored = self.store(decision, id, |store, slot| {
            store.write_text(id, slot, metadata, outline)
        })?;
        let actual = self.copy(folder.join(format!("{name}.page.txt")), outline.as_bytes())?;
        let baseline_copy = match &baseline {
            Some(text) => Some(self.copy(
                folder.join(format!("{name}.page.baseline.txt")),
                text.as_bytes(),
            )?),
            None => None,
        };
        let (detail, text_diff) = match &baseline {
            Some(baseline) if comparison == Comparison::Differs => {
                let lines = diff_lines(baseline, outline);
                let changed = lines
                    .iter()
                    .filter(|line| !matches!(line, Line::Same(_)))
                    .count();
                (format!("{changed} lines differ"), Some(unified(&lines, 2)))
            }
            Some(_) => ("same as the baseline".to_string(), None),
            None => (format!("{} lines", outline.lines().count()), None),
        };
        Ok(SnapshotCheck {
            step: step.title(),
            name: name.to_string(),
            kind: SnapshotKind::Page,
            verdict: decision.verdict,
            detail,
            text_diff,
            baseline: baseline_copy,
            actual,
            diff_image: None,
            stored,
        })
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one call site; the pieces are all distinct"
    )]
    fn check_image(
        &mut self,
        step: &Step,
        name: &str,
        id: &SnapshotId,
        actual: &RgbaImage,
        ignore: Vec<Region>,
        baseline: Option<(Vec<u8>, RgbaImage)>,
        metadata: &Metadata,
        folder: &std::path::Path,
    ) -> Result<SnapshotCheck, ActionFailure> {
        let encode_failed = |message: String| ActionFailure {
            expected: "to encode the screenshot".to_string(),
            page_showed: message,
        };
        let actual_png = encode_png(actual).map_err(encode_failed)?;
        let (baseline_png, baseline) = baseline.unzip();
        let mut diff_output = baseline
            .as_ref()
            .map(|_| RgbaImage::new(actual.width(), actual.height()));
        let (comparison, detail) = match &baseline {
            None => (
                Comparison::NoBaseline,
                format!("{}x{}", actual.width(), actual.height()),
            ),
            Some(baseline) => {
                match judge(step, baseline, actual, ignore, diff_output.as_deref_mut()) {
                    Ok(judged) => judged,
                    Err(DiffError::SizeMismatch { left, right }) => {
                        diff_output = None;
                        (
                            Comparison::Differs,
                            format!(
                                "size changed: the baseline is {}x{}, the page is now {}x{}",
                                left.0, left.1, right.0, right.1
                            ),
                        )
                    }
                    Err(error) => {
                        return Err(ActionFailure {
                            expected: "two comparable images".to_string(),
                            page_showed: error.to_string(),
                        })
                    }
                }
            }
        };
        let decision = self.decide(comparison);
        let stored = self.store(decision, id, |store, slot| {
            store.write_image(id, slot, metadata, &actual_png)
        })?;
        let actual_path = self.copy(folder.join(format!("{name}.actual.png")), &actual_png)?;
        let baseline_copy = match &baseline_png {
            Some(png) => Some(self.copy(folder.join(format!("{name}.baseline.png")), png)?),
            None => None,
        };
        let diff_image = match (&diff_output, comparison) {
            (Some(image), Comparison::Differs) => {
                let png = encode_png(image).map_err(encode_failed)?;
                Some(self.copy(folder.join(format!("{name}.diff.png")), &png)?)
            }
            _ => None,
        };
        Ok(SnapshotCheck {
            step: step.title(),
            name: name.to_string(),
            kind: SnapshotKind::Image,
            verdict: decision.verdict,
            detail,
            text_diff: None,
            baseline: baseline_copy,
            actual: actual_path,
            diff_image,
            stored,
        })
    }

    /// Writes the baseline or the pending snapshot as decided, and clears a stale pending one.
    fn store(
        &mut self,
        decision: Decision,
        id: &SnapshotId,
        write: impl Fn(&SnapshotStore, Slot) -> Result<PathBuf, crate::snapshot::StoreError>,
    ) -> Result<Option<PathBuf>, ActionFailure> {
        let store = self.snapshot_settings().store.clone();
        let failed = |error: crate::snapshot::StoreError| ActionFailure {
            expected: "to write the snapshot".to_string(),
            page_showed: error.to_string(),
        };
        if decision.verdict == Verdict::Recorded {
            // A first capture becomes the baseline only if the whole scenario passes: a console
            // that is broken in a later step must not leave its pages behind as the truth.
            let written = write(&store, Slot::Pending).map_err(failed)?;
            self.new_snapshots.push(id.clone());
            return Ok(Some(written));
        }
        if decision.write_baseline {
            store.remove_pending(id);
            return write(&store, Slot::Baseline).map(Some).map_err(failed);
        }
        if decision.write_pending {
            return write(&store, Slot::Pending).map(Some).map_err(failed);
        }
        if !decision.verdict.is_failure() {
            store.remove_pending(id);
        }
        Ok(None)
    }

    /// After the scenario: its new snapshots become baselines if it passed (or stopped before
    /// changing a console), and stay pending for review if it failed.
    pub(super) fn settle_new_snapshots(&mut self, outcome: &super::Outcome) {
        if self.new_snapshots.is_empty() {
            return;
        }
        let store = self.snapshot_settings().store.clone();
        let promote = *outcome != super::Outcome::Failed;
        let mut recorded = 0;
        let mut left_pending = 0;
        let mut promoted = Vec::new();
        let pending: Vec<_> = std::mem::take(&mut self.new_snapshots)
            .iter()
            .map(|id| store.pending_of(id))
            .collect();
        // All under one hold of the store's lock: another run never sees half the set.
        let baselines: Vec<Option<PathBuf>> = match promote.then(|| store.accept_all(&pending)) {
            Some(Ok(accepted)) => accepted.into_iter().map(Result::ok).collect(),
            _ => vec![None; pending.len()],
        };
        for (pending, baseline) in pending.iter().zip(baselines) {
            match baseline {
                Some(baseline) => {
                    recorded += 1;
                    promoted.push((pending.path.clone(), baseline));
                }
                None => left_pending += 1,
            }
        }
        self.reporter.on_event(&Event::NewSnapshotsSettled {
            recorded,
            left_pending,
            folder: store.root().to_path_buf(),
            promoted,
        });
    }

    fn copy(&mut self, path: PathBuf, bytes: &[u8]) -> Result<PathBuf, ActionFailure> {
        write_atomically(&path, bytes).map_err(|error| ActionFailure {
            expected: format!("to write {}", path.display()),
            page_showed: error.to_string(),
        })?;
        self.reporter.on_event(&Event::ArtifactWritten {
            kind: ArtifactKind::SnapshotCopy,
            path: path.clone(),
        });
        Ok(path)
    }
}

/// Where a snapshot's masked and ignored elements are on the page, in CSS pixels.
#[derive(Debug, Default)]
struct ShotAreas {
    mask: Vec<[i64; 4]>,
    ignore: Vec<[i64; 4]>,
    scale: f64,
}

impl ShotAreas {
    fn regions(&self, rects: &[[i64; 4]], image: &RgbaImage) -> Vec<Region> {
        rects
            .iter()
            .filter_map(|rect| region_of(*rect, self.scale, image.width(), image.height()))
            .collect()
    }

    fn paint_masks(&self, image: &mut RgbaImage) {
        let (width, height) = (image.width(), image.height());
        for region in self.regions(&self.mask, image) {
            paint_box(image, width, height, region, MASK_COLOR);
        }
    }

    fn ignored(&self, image: &RgbaImage) -> Vec<Region> {
        self.regions(&self.ignore, image)
    }
}

/// A first screenshot, decoded and masked, if compared as the snapshot would be it already
/// matches the baseline (so no second shot is needed to show the page held still).
fn first_shot_matching(
    step: &Step,
    baseline: Option<&RgbaImage>,
    areas: &ShotAreas,
    png: &[u8],
) -> Option<RgbaImage> {
    let baseline = baseline?;
    let mut actual = decode_rgba(png).ok()?;
    areas.paint_masks(&mut actual);
    let ignore = areas.ignored(&actual);
    match judge(step, baseline, &actual, ignore, None) {
        Ok((Comparison::Matches, _)) => Some(actual),
        _ => None,
    }
}

/// Compares a screenshot with its baseline under the step's allowances (`max_diff_pixels`,
/// `max_diff_ratio`); says how many pixels differ. Writes the diff image when asked.
fn judge(
    step: &Step,
    baseline: &RgbaImage,
    actual: &RgbaImage,
    ignore: Vec<Region>,
    diff_output: Option<&mut [u8]>,
) -> Result<(Comparison, String), DiffError> {
    let options = DiffOptions {
        detect_antialiasing: true,
        ignore,
        ..DiffOptions::default()
    };
    let counts = diff(
        Image::from(baseline),
        Image::from(actual),
        &options,
        diff_output,
    )?;
    let allowed_pixels = step.snapshot.max_diff_pixels.unwrap_or(0);
    let allowed_ratio = step.snapshot.max_diff_ratio.unwrap_or(0.0);
    let within = counts.different <= allowed_pixels
        || counts.ratio() <= allowed_ratio && allowed_ratio > 0.0;
    let detail = format!(
        "{} pixels differ ({:.2}%)",
        counts.different,
        counts.ratio() * 100.0
    );
    let comparison = if within {
        Comparison::Matches
    } else {
        Comparison::Differs
    };
    Ok((comparison, detail))
}
