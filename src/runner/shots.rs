//! The `screenshot` action: the page as the guide shows it (hidden and masked elements, boxes
//! around what the alt text highlights, an optional crop), saved in the run's output folder, and
//! in docs mode (`shoot`) into the docs checkout at the image's name, only when it changed.

use super::page::Page;
use std::time::Instant;

use image::RgbaImage;

use super::find::{EditorQuery, Need};
use super::{ActionFailure, ScenarioRun};
use crate::browser::ElementHandle;
use crate::capture::region_of;
use crate::compare::image::Region;
use crate::docs::images::{differing_ratio, write_unless_unchanged, ImageChange};
use crate::event::{ArtifactKind, DocsImage, Event};
use crate::image_file::{decode_rgba, encode_for};
use crate::scenario::{Action, Crop, Role, Shot, Step, Target};

impl<P: Page> ScenarioRun<'_, P> {
    pub(super) async fn screenshot(
        &mut self,
        step: &Step,
        action: &Action,
        shot: &Shot,
        highlight_style: &crate::scenario::HighlightStyle,
        deadline: Instant,
    ) -> Result<Option<String>, ActionFailure> {
        // The page may re-render between finding the elements and drawing on them: then they
        // are found again, until the step's deadline.
        let (captured, crop_box) = loop {
            let hide = self.elements(action, &step.snapshot.hide, deadline).await?;
            let highlighted = self.highlighted(action, &shot.highlight, deadline).await?;
            let crop_element = match &shot.crop {
                Some(Crop::Target { target, .. }) => Some(
                    self.wait_for(action, target, Need::Visible, deadline)
                        .await?
                        .0,
                ),
                _ => None,
            };
            let shot = match self
                .prepare_shot(&hide, &highlighted, crop_element, highlight_style)
                .await
            {
                Ok(crop_box) => Ok((self.stable_screenshot(true, |_| false).await, crop_box)),
                Err(error) => Err(error),
            };
            // Whatever happened, the page is left as it was (an element the page replaced
            // meanwhile has nothing left to undo).
            let removed = if highlighted.is_empty() {
                Ok(())
            } else {
                self.browser.remove_highlights().await
            };
            let shown = self.browser.set_hidden(&hide, false).await;
            match shot {
                Ok((captured, crop_box)) => {
                    let captured = captured?;
                    removed?;
                    shown.or_else(|error| if error.is_stale() { Ok(()) } else { Err(error) })?;
                    break (captured, crop_box);
                }
                Err(error) if error.is_stale() && Instant::now() < deadline => continue,
                Err(error) => return Err(error.into()),
            }
        };

        let mut image = decode_rgba(&captured.png).map_err(|message| ActionFailure {
            expected: "the browser's screenshot to be a PNG".to_string(),
            page_showed: message.to_string(),
        })?;
        self.paint_masks(action, &step.snapshot.mask, &mut image, deadline)
            .await?;
        if let Some(crop) = &shot.crop {
            let region = self.crop_region(crop, crop_box, &image).await?;
            image =
                image::imageops::crop_imm(&image, region.x, region.y, region.width, region.height)
                    .to_image();
        }

        let mut notes = Vec::new();
        if !captured.settled {
            notes.push(super::UNSETTLED.to_string());
        }
        if captured.fonts_late {
            notes.push(super::wait::FONTS_LATE.to_string());
        }
        // The run's own copy, for the report.
        let stem = shot
            .image_name
            .rsplit_once('.')
            .map(|(stem, _)| stem)
            .unwrap_or(&shot.image_name);
        let path = self
            .settings
            .output_dir
            .join("screenshots")
            .join(format!("{stem}.png"));
        let png = encode_for(&path, &image).map_err(|error| ActionFailure {
            expected: format!("to encode {}", path.display()),
            page_showed: error.to_string(),
        })?;
        self.save_or_fail(ArtifactKind::Screenshot, path, &png)?;
        if let Some(docs) = &self.settings.docs {
            notes.push(self.publish(step, shot, &image, docs)?);
        }
        Ok((!notes.is_empty()).then(|| notes.join("; ")))
    }

    /// The elements to box. A bare `editor` is the editor a person is looking at: the only one,
    /// or, where a console shows every layer's values at once, the one of the layer last
    /// opened (as `back up layer` reads it).
    async fn highlighted(
        &mut self,
        action: &Action,
        targets: &[Target],
        deadline: Instant,
    ) -> Result<Vec<ElementHandle>, ActionFailure> {
        let mut elements = Vec::with_capacity(targets.len());
        for target in targets {
            let bare_editor =
                target.role == Role::Editor && target.label.is_none() && target.within.is_none();
            let element = match (&self.last_layer, bare_editor) {
                (Some(layer), true) => {
                    let editor = EditorQuery::OfLayer(layer.clone());
                    self.read_stable(action, &editor, deadline).await?.0
                }
                _ => {
                    self.wait_for(action, target, Need::Visible, deadline)
                        .await?
                        .0
                }
            };
            elements.push(element);
        }
        Ok(elements)
    }

    /// Writes the image into the docs checkout unless it is unchanged, or another scenario of
    /// this run made it; says which.
    fn publish(
        &mut self,
        step: &Step,
        shot: &Shot,
        image: &RgbaImage,
        docs: &crate::docs::DocsOutput,
    ) -> Result<String, ActionFailure> {
        let path = docs.images_dir.join(&shot.image_name);
        let change = match docs.claim(&shot.image_name, &self.scenario_name) {
            Some(scenario) => ImageChange::MadeBy {
                scenario,
                ratio: differing_ratio(&path, image).unwrap_or(1.0),
            },
            None => write_unless_unchanged(&path, image, docs.max_diff_ratio).map_err(|error| {
                ActionFailure {
                    expected: format!("to write the guide's image {}", path.display()),
                    page_showed: error.to_string(),
                }
            })?,
        };
        let note = format!("{}: {}", shot.image_name, change.describe());
        if change.written() {
            self.reporter.on_event(&Event::ArtifactWritten {
                kind: ArtifactKind::DocsImage,
                path: path.clone(),
            });
        }
        let (browser, browser_version) = self.browser.name_and_version();
        self.reporter.on_event(&Event::DocsImage(DocsImage {
            image: shot.image_name.clone(),
            path,
            change,
            scenario: self.scenario_name.clone(),
            step: step.title(),
            console_version: self.console_version.clone(),
            browser: browser.to_string(),
            browser_version: browser_version.to_string(),
            size: (image.width(), image.height()),
            highlighted: shot.highlight.iter().map(ToString::to_string).collect(),
            crop: shot.crop.as_ref().map(describe_crop),
        }));
        Ok(note)
    }

    /// Hides what the step hides, measures the crop target (in CSS pixels, with the device pixel
    /// ratio), draws the highlights and makes the page hold still, all before the shot is taken.
    async fn prepare_shot(
        &mut self,
        hide: &[ElementHandle],
        highlighted: &[ElementHandle],
        crop_element: Option<ElementHandle>,
        highlight_style: &crate::scenario::HighlightStyle,
    ) -> Result<Option<([i64; 4], f64)>, crate::browser::BrowserError> {
        self.browser.set_hidden(hide, true).await?;
        // The crop target is measured before the highlights are drawn, which then make the
        // page hold still in the same command.
        let crop_box = match crop_element {
            Some(element) => {
                let (rects, scale) = self.browser.rects(&[element]).await?;
                Some((rects[0], scale))
            }
            None => None,
        };
        self.browser
            .draw_highlights_then_hold_still(highlighted, highlight_style)
            .await?;
        Ok(crop_box)
    }

    async fn crop_region(
        &mut self,
        crop: &Crop,
        crop_box: Option<([i64; 4], f64)>,
        image: &RgbaImage,
    ) -> Result<Region, ActionFailure> {
        let (rect, padding, scale) = match (crop, crop_box) {
            (Crop::Target { padding, .. }, Some((rect, scale))) => {
                (rect, i64::from(*padding), scale)
            }
            (
                Crop::Region {
                    x,
                    y,
                    width,
                    height,
                },
                _,
            ) => (
                [
                    i64::from(*x),
                    i64::from(*y),
                    i64::from(*width),
                    i64::from(*height),
                ],
                0,
                self.browser.device_pixel_ratio().await?,
            ),
            (Crop::Target { .. }, None) => {
                unreachable!("a crop target is measured before the shot")
            }
        };
        let [x, y, width, height] = rect;
        let widened = [
            x - padding,
            y - padding,
            width + 2 * padding,
            height + 2 * padding,
        ];
        region_of(widened, scale, image.width(), image.height()).ok_or_else(|| ActionFailure {
            expected: format!(
                "the crop ({}) to lie inside the viewport",
                describe_crop(crop)
            ),
            page_showed: format!(
                "it lies outside the {}x{} screenshot",
                image.width(),
                image.height()
            ),
        })
    }
}

fn describe_crop(crop: &Crop) -> String {
    match crop {
        Crop::Target { target, padding: 0 } => target.to_string(),
        Crop::Target { target, padding } => format!("{target} with padding {padding}"),
        Crop::Region {
            x,
            y,
            width,
            height,
        } => format!("region {x}, {y}, {width}, {height}"),
    }
}
