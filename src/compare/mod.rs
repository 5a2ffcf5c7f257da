//! Pure comparison over in-memory buffers: pixels ([`image`]) and page text ([`text`]).
//! Knows nothing of browsers, files or snapshots.

pub mod image;
pub mod text;
