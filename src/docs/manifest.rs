//! The shots manifest: per image, what made it (scenario, step, guide), on which console version,
//! in which browser, at which viewport and scale. It holds nothing that changes from one run to
//! the next when the images do not (no dates, no durations), and is rewritten only when its
//! content changes, so it causes no churn either.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::artifacts::write_atomically;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Keyed by the image's file name, as the guides reference it.
    pub images: BTreeMap<String, Provenance>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub scenario: String,
    /// The scenario file, as given to `shoot`.
    pub scenario_file: String,
    /// `Upgrade 4`.
    pub step: String,
    /// The guide the scenario follows, as a path in the docs.
    pub guide: Option<String>,
    /// The Palette version the console showed, when the run had read it.
    pub console_version: Option<String>,
    pub browser: String,
    pub browser_version: String,
    /// CSS pixels, `1280x800`.
    pub viewport: String,
    /// Device pixels per CSS pixel.
    pub scale: f64,
    /// The targets drawn around, as the scenario names them.
    pub highlighted: Vec<String>,
    /// The crop, as the scenario names it.
    pub crop: Option<String>,
}

/// A manifest that exists but cannot be read or parsed: never silently replaced.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ManifestError(String);

impl Manifest {
    /// The manifest at `path`, empty when there is none; an unreadable one is an error so that
    /// it is never silently replaced.
    pub fn load(path: &Path) -> Result<Manifest, ManifestError> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|error| {
                ManifestError(format!(
                    "{} is not a shots manifest: {error}",
                    path.display()
                ))
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
            Err(error) => Err(ManifestError(format!(
                "cannot read {}: {error}",
                path.display()
            ))),
        }
    }

    /// Writes the manifest unless the file already holds exactly this; whether it wrote.
    pub fn write_if_changed(&self, path: &Path) -> std::io::Result<bool> {
        let mut bytes = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        bytes.push(b'\n');
        if std::fs::read(path).is_ok_and(|existing| existing == bytes) {
            return Ok(false);
        }
        write_atomically(path, &bytes)?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provenance(step: &str) -> Provenance {
        Provenance {
            scenario: "upgrade".to_string(),
            scenario_file: "scenarios/upgrade.toml".to_string(),
            step: step.to_string(),
            guide: Some("enterprise-version/upgrade.md".to_string()),
            console_version: Some("4.8.21".to_string()),
            browser: "chrome".to_string(),
            browser_version: "156.0.8078.114".to_string(),
            viewport: "1280x800".to_string(),
            scale: 1.0,
            highlighted: vec!["button \"Update\"".to_string()],
            crop: None,
        }
    }

    #[test]
    fn a_manifest_round_trips_and_is_rewritten_only_when_it_changes() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("shots.json");
        assert_eq!(Manifest::load(&path).unwrap(), Manifest::default());
        let mut manifest = Manifest::default();
        manifest
            .images
            .insert("a.webp".to_string(), provenance("Upgrade 4"));
        assert!(manifest.write_if_changed(&path).unwrap());
        assert!(!manifest.write_if_changed(&path).unwrap());
        assert_eq!(Manifest::load(&path).unwrap(), manifest);
        manifest
            .images
            .insert("a.webp".to_string(), provenance("Upgrade 5"));
        assert!(manifest.write_if_changed(&path).unwrap());
        std::fs::write(&path, "not json").unwrap();
        assert!(Manifest::load(&path)
            .unwrap_err()
            .to_string()
            .contains("not a shots manifest"));
    }
}
