//! Docs mode: the guides' images written into a docs checkout, and the guide ⇄ scenario coverage
//! check. Nothing here touches a browser.
//!
//! - [`images`]: writes an image only when its pixels changed (no churn in the docs repository).
//! - [`manifest`]: where each image came from (scenario, step, console, browser, viewport).

pub mod check;
pub mod coverage;
pub mod draft;
pub mod guide;
pub mod images;
pub mod manifest;
pub mod write_guide;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The manifest's file name beside the images.
pub const MANIFEST_NAME: &str = "palette-harness-shots.json";

/// Where and how `shoot` writes the guides' images.
#[derive(Clone, Debug)]
pub struct DocsOutput {
    /// `DOCS_ROOT/static/assets/docs/images`.
    pub images_dir: PathBuf,
    /// The shots manifest; by default beside the images.
    pub manifest: PathBuf,
    /// Differing pixels tolerated before an image is rewritten, as a fraction of the image.
    pub max_diff_ratio: f64,
    /// Which scenario of this run made each image first: a later scenario that makes the same
    /// image (the VerteX guide reuses the Palette guide's images) compares, never overwrites.
    pub made_by: Arc<Mutex<BTreeMap<String, String>>>,
}

impl DocsOutput {
    pub fn new(
        docs_root: &std::path::Path,
        manifest: Option<PathBuf>,
        max_diff_ratio: f64,
    ) -> Self {
        let images_dir = docs_root
            .join("static")
            .join("assets")
            .join("docs")
            .join("images");
        DocsOutput {
            manifest: manifest.unwrap_or_else(|| images_dir.join(MANIFEST_NAME)),
            images_dir,
            max_diff_ratio,
            made_by: Arc::default(),
        }
    }

    /// Claims `image` for `scenario`; the scenario that claimed it first, if another.
    pub fn claim(&self, image: &str, scenario: &str) -> Option<String> {
        let mut made_by = self
            .made_by
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match made_by.get(image) {
            Some(owner) if owner != scenario => Some(owner.clone()),
            Some(_) => None,
            None => {
                made_by.insert(image.to_string(), scenario.to_string());
                None
            }
        }
    }
}
