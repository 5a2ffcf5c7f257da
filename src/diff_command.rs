//! `palette-harness diff A B`: the image diff engine as a standalone command, for scripts and the
//! benchmark. Its first output line starts with the differing pixel count.

use std::path::PathBuf;

use image::RgbaImage;

use crate::compare::image::{diff, DiffCounts, DiffError, DiffOptions, Image, Region};
use crate::image_file::{read_rgba, write_png, ImageFileError};

#[derive(Clone, Debug)]
pub struct DiffRequest {
    pub left: PathBuf,
    pub right: PathBuf,
    pub threshold: f64,
    pub detect_antialiasing: bool,
    pub output: Option<PathBuf>,
    pub ignore: Vec<Region>,
}

/// What the command found: the line to print and whether the images differ.
#[derive(Debug)]
pub struct DiffAnswer {
    pub summary: String,
    pub different: bool,
}

pub fn run(request: &DiffRequest) -> Result<DiffAnswer, ImageFileError> {
    let (left, right) = std::thread::scope(|scope| {
        // Both decodes at once: decoding dominates the whole command's time.
        let right = scope.spawn(|| read_rgba(&request.right));
        let left = read_rgba(&request.left);
        (left, right.join().expect("decoder thread panicked"))
    });
    let (left, right) = (left?, right?);
    let options = DiffOptions {
        threshold: request.threshold,
        detect_antialiasing: request.detect_antialiasing,
        ignore: request.ignore.clone(),
        ..DiffOptions::default()
    };
    // Byte-identical images need no comparison and have nothing to draw.
    let identical = left.dimensions() == right.dimensions() && left.as_raw() == right.as_raw();
    let mut output = request
        .output
        .as_ref()
        .filter(|_| !identical)
        .map(|_| RgbaImage::new(left.width(), left.height()));
    let counts = if identical {
        Ok(DiffCounts {
            total: u64::from(left.width()) * u64::from(left.height()),
            identical,
            ..DiffCounts::default()
        })
    } else {
        diff(
            Image::from(&left),
            Image::from(&right),
            &options,
            output.as_deref_mut(),
        )
    };
    match counts {
        Ok(counts) => {
            // Like odiff, the diff image is written only when pixels differ; a stale one from an
            // earlier comparison is removed so it cannot be mistaken for this one.
            match (&request.output, &output) {
                (Some(path), Some(image)) if counts.different > 0 => write_png(path, image)?,
                (Some(path), _) => {
                    let _ = std::fs::remove_file(path);
                }
                (None, _) => {}
            }
            let mut summary = format!(
                "{} pixels differ ({:.2}%)",
                counts.different,
                counts.ratio() * 100.0
            );
            if counts.antialiased > 0 {
                summary.push_str(&format!(
                    ", {} anti-aliased pixels ignored",
                    counts.antialiased
                ));
            }
            Ok(DiffAnswer {
                summary,
                different: counts.different > 0,
            })
        }
        Err(DiffError::SizeMismatch {
            left: (lw, lh),
            right: (rw, rh),
        }) => {
            let larger = (u64::from(lw) * u64::from(lh)).max(u64::from(rw) * u64::from(rh));
            Ok(DiffAnswer {
                summary: format!("{larger} pixels differ (100.00%): the images differ in size, {lw}x{lh} and {rw}x{rh}"),
                different: true,
            })
        }
        Err(DiffError::BadBuffer { .. }) => unreachable!("decoded images always match their size"),
    }
}

/// A `--ignore` region that is not `x,y,width,height`.
#[derive(Debug, thiserror::Error)]
#[error("expected x,y,width,height in pixels, found `{0}`")]
pub struct InvalidRegion(String);

/// `x,y,width,height` as written on the command line.
pub fn parse_region(text: &str) -> Result<Region, InvalidRegion> {
    let numbers: Vec<u32> = text
        .split(',')
        .map(|part| part.trim().parse::<u32>())
        .collect::<Result<_, _>>()
        .map_err(|_| InvalidRegion(text.to_string()))?;
    match numbers.as_slice() {
        [x, y, width, height] => Ok(Region {
            x: *x,
            y: *y,
            width: *width,
            height: *height,
        }),
        _ => Err(InvalidRegion(text.to_string())),
    }
}
