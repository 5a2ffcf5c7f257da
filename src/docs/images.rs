//! Writing a guide's image without churn: the file is rewritten only when its pixels differ
//! from the file already there beyond a threshold, as the project's diff engine counts them
//! (anti-aliasing aside), so a docs checkout shows no diff when nothing changed.

use std::path::Path;

use image::RgbaImage;

use crate::compare::image::{diff, DiffOptions, Image};
use crate::image_file::{encode_for, read_rgba, ImageFileError};

/// What became of an image.
#[derive(Clone, Debug, PartialEq)]
pub enum ImageChange {
    /// There was no file: written.
    New,
    /// The pixels changed beyond the threshold (`ratio` of them; 1 when the size changed):
    /// rewritten.
    Changed { ratio: f64 },
    /// The file already shows this (`ratio` of pixels differ, within the threshold): left alone.
    Unchanged { ratio: f64 },
    /// Another scenario of this run made the image; this one's version was compared with it and
    /// not written.
    MadeBy { scenario: String, ratio: f64 },
}

impl ImageChange {
    /// The table's word: new, changed (diff %), unchanged.
    pub fn describe(&self) -> String {
        match self {
            ImageChange::New => "new".to_string(),
            ImageChange::Changed { ratio } => format!("changed ({})", percent(*ratio)),
            ImageChange::Unchanged { ratio: 0.0 } => "unchanged".to_string(),
            ImageChange::Unchanged { ratio } => {
                format!("unchanged ({} within the threshold)", percent(*ratio))
            }
            ImageChange::MadeBy { scenario, ratio } => format!(
                "made by {scenario} ({} differ here, not written)",
                percent(*ratio)
            ),
        }
    }

    /// Whether the file on disk was written.
    pub fn written(&self) -> bool {
        matches!(self, ImageChange::New | ImageChange::Changed { .. })
    }
}

fn percent(ratio: f64) -> String {
    if ratio > 0.0 && ratio < 0.0001 {
        "<0.01%".to_string()
    } else {
        format!("{:.2}%", ratio * 100.0)
    }
}

/// The fraction of pixels that differ between `image` and the file at `path`: `None` when there
/// is no file, 1 when it cannot be read or its size differs.
pub fn differing_ratio(path: &Path, image: &RgbaImage) -> Option<f64> {
    if !path.exists() {
        return None;
    }
    let Ok(existing) = read_rgba(path) else {
        return Some(1.0);
    };
    if existing.dimensions() != image.dimensions() {
        return Some(1.0);
    }
    fn view(image: &RgbaImage) -> Image<'_> {
        Image {
            width: image.width(),
            height: image.height(),
            rgba: image.as_raw(),
        }
    }
    match diff(view(&existing), view(image), &DiffOptions::default(), None) {
        Ok(counts) => Some(counts.ratio()),
        Err(_) => Some(1.0),
    }
}

/// Writes `image` at `path` (lossless WebP or PNG, by its extension) unless the file there
/// already shows it within `max_diff_ratio`.
pub fn write_unless_unchanged(
    path: &Path,
    image: &RgbaImage,
    max_diff_ratio: f64,
) -> Result<ImageChange, ImageFileError> {
    let change = match differing_ratio(path, image) {
        None => ImageChange::New,
        Some(ratio) if ratio <= max_diff_ratio && ratio < 1.0 => {
            return Ok(ImageChange::Unchanged { ratio })
        }
        Some(ratio) => ImageChange::Changed { ratio },
    };
    let bytes = encode_for(path, image)?;
    crate::artifacts::write_atomically(path, &bytes).map_err(|error| {
        ImageFileError::Unwritable {
            path: path.to_path_buf(),
            message: error.to_string(),
        }
    })?;
    Ok(change)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(colour: [u8; 4]) -> RgbaImage {
        RgbaImage::from_pixel(40, 30, image::Rgba(colour))
    }

    #[test]
    fn an_image_is_written_once_and_then_only_when_its_pixels_change() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("guide_image.webp");
        let first = square([10, 20, 30, 255]);
        assert_eq!(
            write_unless_unchanged(&path, &first, 0.0).unwrap(),
            ImageChange::New
        );
        let written = std::fs::metadata(&path).unwrap().modified().unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[8..12], b"WEBP", "a WebP file");
        assert_eq!(read_rgba(&path).unwrap(), first, "lossless");

        assert_eq!(
            write_unless_unchanged(&path, &first, 0.0).unwrap(),
            ImageChange::Unchanged { ratio: 0.0 }
        );
        assert_eq!(
            std::fs::metadata(&path).unwrap().modified().unwrap(),
            written
        );

        let mut second = first.clone();
        for x in 0..12 {
            second.put_pixel(x, 0, image::Rgba([250, 250, 250, 255]));
        }
        let change = write_unless_unchanged(&path, &second, 0.0).unwrap();
        assert_eq!(
            change,
            ImageChange::Changed {
                ratio: 12.0 / 1200.0
            }
        );
        assert_eq!(read_rgba(&path).unwrap(), second);

        // Within a threshold the writer chose, a change is left alone.
        assert!(matches!(
            write_unless_unchanged(&path, &first, 0.02).unwrap(),
            ImageChange::Unchanged { .. }
        ));
        assert_eq!(read_rgba(&path).unwrap(), second);
    }

    #[test]
    fn a_size_change_always_rewrites() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("x.webp");
        write_unless_unchanged(&path, &square([0, 0, 0, 255]), 0.0).unwrap();
        let wider = RgbaImage::from_pixel(41, 30, image::Rgba([0, 0, 0, 255]));
        assert_eq!(
            write_unless_unchanged(&path, &wider, 0.5).unwrap(),
            ImageChange::Changed { ratio: 1.0 }
        );
    }
}
