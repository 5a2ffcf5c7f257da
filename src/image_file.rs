//! Reading and writing image files: PNG and WebP in, PNG (fast compression) or lossless WebP out,
//! every write atomic. The only place that touches image codecs.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ExtendedColorType, ImageEncoder, RgbaImage};

use crate::artifacts::write_atomically;

#[derive(Debug, thiserror::Error)]
pub enum ImageFileError {
    #[error("cannot read {}: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} is not a PNG or WebP image this program can decode: {message}", path.display())]
    Undecodable { path: PathBuf, message: String },
    #[error("cannot write {}: {message}", path.display())]
    Unwritable { path: PathBuf, message: String },
}

pub fn read_rgba(path: &Path) -> Result<RgbaImage, ImageFileError> {
    let bytes = std::fs::read(path).map_err(|source| ImageFileError::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    decode_rgba(&bytes).map_err(|undecodable| ImageFileError::Undecodable {
        path: path.to_path_buf(),
        message: undecodable.to_string(),
    })
}

/// Bytes that are no image the harness can read, with the decoder's reason.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UndecodableImage(String);

pub fn decode_rgba(bytes: &[u8]) -> Result<RgbaImage, UndecodableImage> {
    let decoded =
        image::load_from_memory(bytes).map_err(|error| UndecodableImage(error.to_string()))?;
    Ok(decoded.into_rgba8())
}

/// PNG bytes of an RGBA image, with fast compression: diff images are looked at, not archived.
pub fn encode_png(image: &RgbaImage) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    PngEncoder::new_with_quality(
        Cursor::new(&mut bytes),
        CompressionType::Fast,
        FilterType::Sub,
    )
    .write_image(
        image.as_raw(),
        image.width(),
        image.height(),
        ExtendedColorType::Rgba8,
    )
    .map_err(|error| error.to_string())?;
    Ok(bytes)
}

pub fn write_png(path: &Path, image: &RgbaImage) -> Result<(), ImageFileError> {
    let unwritable = |message: String| ImageFileError::Unwritable {
        path: path.to_path_buf(),
        message,
    };
    let bytes = encode_png(image).map_err(unwritable)?;
    write_atomically(path, &bytes).map_err(|error| unwritable(error.to_string()))
}

/// Lossless WebP bytes of an RGBA image (the guides' format).
pub fn encode_webp(image: &RgbaImage) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(Cursor::new(&mut bytes))
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            ExtendedColorType::Rgba8,
        )
        .map_err(|error| error.to_string())?;
    Ok(bytes)
}

/// The bytes of `image` in the format `path`'s extension names: lossless WebP for `.webp`,
/// PNG otherwise.
pub fn encode_for(path: &Path, image: &RgbaImage) -> Result<Vec<u8>, ImageFileError> {
    let webp = path
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("webp"));
    let encoded = if webp {
        encode_webp(image)
    } else {
        encode_png(image)
    };
    encoded.map_err(|message| ImageFileError::Unwritable {
        path: path.to_path_buf(),
        message,
    })
}
