//! A perceptual image diff: pixelmatch 7.2's model, ported so counts agree with it.
//!
//! Each pixel pair is compared by its squared YIQ colour distance (NTSC luma and chroma weights)
//! against `35215 × threshold²`; differing pixels that look like anti-aliasing (a pixel between a
//! darker and a brighter neighbour, whose extremes have several identical siblings in both images)
//! can be told apart and left out of the count. Byte-identical images take a fast path. Ignore
//! regions are compared by no one: they count as equal and are tinted in the diff image. Rows are
//! split across threads; every thread reads both images and writes its own rows of the output.

/// An RGBA8 image borrowed from a decoder or a screenshot.
/// Rows per unit of work handed to a thread.
const BAND_ROWS: usize = 32;

#[derive(Clone, Copy, Debug)]
pub struct Image<'a> {
    pub width: u32,
    pub height: u32,
    /// `width × height × 4` bytes, row-major RGBA.
    pub rgba: &'a [u8],
}

impl<'a> From<&'a image::RgbaImage> for Image<'a> {
    fn from(picture: &'a image::RgbaImage) -> Self {
        Image {
            width: picture.width(),
            height: picture.height(),
            rgba: picture.as_raw(),
        }
    }
}

/// A rectangle in pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Region {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

impl Region {
    fn contains(&self, x: u32, y: u32) -> bool {
        x >= self.x && y >= self.y && x - self.x < self.width && y - self.y < self.height
    }
}

#[derive(Clone, Debug)]
pub struct DiffOptions {
    /// 0 (exact) to 1 (anything goes); pixelmatch and odiff default to 0.1.
    pub threshold: f64,
    /// Leave pixels that look like anti-aliasing out of the count (pixelmatch's default,
    /// odiff's `--aa`).
    pub detect_antialiasing: bool,
    /// How faded the unchanged pixels are in the diff image.
    pub alpha: f64,
    pub diff_color: [u8; 3],
    /// Changed pixels that got darker in the second image.
    pub diff_color_darker: [u8; 3],
    pub antialiasing_color: [u8; 3],
    pub ignore_color: [u8; 3],
    /// Areas left out of the comparison (still visible in both images).
    pub ignore: Vec<Region>,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            threshold: 0.1,
            detect_antialiasing: false,
            alpha: 0.1,
            diff_color: [255, 0, 0],
            diff_color_darker: [255, 0, 0],
            antialiasing_color: [255, 255, 0],
            ignore_color: [128, 170, 255],
            ignore: Vec::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DiffCounts {
    pub different: u64,
    /// Pixels above the threshold that were taken for anti-aliasing (0 when detection is off).
    pub antialiased: u64,
    pub total: u64,
    /// The two buffers were byte for byte the same.
    pub identical: bool,
}

impl DiffCounts {
    pub fn ratio(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.different as f64 / self.total as f64
        }
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum DiffError {
    #[error("the images differ in size: {}x{} and {}x{}", left.0, left.1, right.0, right.1)]
    SizeMismatch { left: (u32, u32), right: (u32, u32) },
    #[error("an image buffer holds {found} bytes, expected {expected} for its size")]
    BadBuffer { expected: usize, found: usize },
}

/// Compares two images; when `output` is given (same size as the images) it receives the diff
/// image: faded grey where equal, red where different, yellow for anti-aliasing.
pub fn diff(
    a: Image,
    b: Image,
    options: &DiffOptions,
    output: Option<&mut [u8]>,
) -> Result<DiffCounts, DiffError> {
    if (a.width, a.height) != (b.width, b.height) {
        return Err(DiffError::SizeMismatch {
            left: (a.width, a.height),
            right: (b.width, b.height),
        });
    }
    let expected = a.width as usize * a.height as usize * 4;
    for found in [a.rgba.len(), b.rgba.len()]
        .into_iter()
        .chain(output.as_ref().map(|output| output.len()))
    {
        if found != expected {
            return Err(DiffError::BadBuffer { expected, found });
        }
    }
    let total = u64::from(a.width) * u64::from(a.height);
    let identical = a.rgba == b.rgba;
    if identical && output.is_none() {
        return Ok(DiffCounts {
            total,
            identical,
            ..DiffCounts::default()
        });
    }
    let width = a.width as usize;
    let height = a.height as usize;
    if width == 0 || height == 0 {
        return Ok(DiffCounts {
            total,
            identical,
            ..DiffCounts::default()
        });
    }
    let threads = std::thread::available_parallelism()
        .map(|count| count.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let context = Context {
        a: a.rgba,
        b: b.rgba,
        width,
        height,
        max_delta: 35215.0 * options.threshold * options.threshold,
        options,
        identical,
    };
    // Small bands handed out on demand, so a change concentrated in one part of the image still
    // keeps every core busy.
    let mut bands: Vec<(usize, usize, Option<&mut [u8]>)> = Vec::new();
    match output {
        Some(output) => {
            for (index, rows) in output.chunks_mut(BAND_ROWS * width * 4).enumerate() {
                bands.push((index * BAND_ROWS, rows.len() / (width * 4), Some(rows)));
            }
        }
        None => {
            for first_row in (0..height).step_by(BAND_ROWS) {
                bands.push((first_row, BAND_ROWS.min(height - first_row), None));
            }
        }
    }
    bands.reverse();
    let queue = std::sync::Mutex::new(bands);
    let mut counts = DiffCounts {
        total,
        identical,
        ..DiffCounts::default()
    };
    std::thread::scope(|scope| {
        let (context, queue) = (&context, &queue);
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(move || {
                    let (mut different, mut antialiased) = (0, 0);
                    loop {
                        // A poisoned queue means another worker panicked; that panic surfaces below.
                        let band = queue.lock().ok().and_then(|mut bands| bands.pop());
                        let Some((first_row, row_count, rows)) = band else {
                            break;
                        };
                        let (band_different, band_antialiased) =
                            context.rows(first_row, row_count, rows);
                        different += band_different;
                        antialiased += band_antialiased;
                    }
                    (different, antialiased)
                })
            })
            .collect();
        for worker in workers {
            // A worker only does arithmetic on in-bounds indices; a panic there is a bug to surface.
            let (different, antialiased) = worker.join().expect("diff worker panicked");
            counts.different += different;
            counts.antialiased += antialiased;
        }
    });
    Ok(counts)
}

struct Neighbourhood {
    x0: usize,
    y0: usize,
    x2: usize,
    y2: usize,
    zeroes: u32,
}

struct Context<'a> {
    a: &'a [u8],
    b: &'a [u8],
    width: usize,
    height: usize,
    max_delta: f64,
    options: &'a DiffOptions,
    identical: bool,
}

impl Context<'_> {
    /// Compares `row_count` rows from `first_row`; `output` holds exactly those rows.
    fn rows(
        &self,
        first_row: usize,
        row_count: usize,
        mut output: Option<&mut [u8]>,
    ) -> (u64, u64) {
        let (mut different, mut antialiased) = (0, 0);
        let row_bytes = self.width * 4;
        for row in 0..row_count {
            let y = first_row + row;
            let start = y * row_bytes;
            let (row_a, row_b) = (
                &self.a[start..start + row_bytes],
                &self.b[start..start + row_bytes],
            );
            let out_row = output
                .as_deref_mut()
                .map(|output| &mut output[row * row_bytes..(row + 1) * row_bytes]);
            if self.identical || row_a == row_b {
                if let Some(out_row) = out_row {
                    for x in 0..self.width {
                        gray_pixel(row_a, x * 4, self.options.alpha, out_row);
                    }
                }
                continue;
            }
            let mut out_row = out_row;
            for x in 0..self.width {
                let position = x * 4;
                let pa = &row_a[position..position + 4];
                let pb = &row_b[position..position + 4];
                let delta = if pa == pb {
                    0.0
                } else {
                    color_delta(pa, pb, start + position)
                };
                let ignored = !self.options.ignore.is_empty()
                    && self
                        .options
                        .ignore
                        .iter()
                        .any(|region| region.contains(x as u32, y as u32));
                let color = if ignored {
                    Some(self.options.ignore_color)
                } else if delta.abs() > self.max_delta {
                    if self.options.detect_antialiasing
                        && (self.antialiased(self.a, self.b, x, y)
                            || self.antialiased(self.b, self.a, x, y))
                    {
                        antialiased += 1;
                        Some(self.options.antialiasing_color)
                    } else {
                        different += 1;
                        Some(if delta < 0.0 {
                            self.options.diff_color_darker
                        } else {
                            self.options.diff_color
                        })
                    }
                } else {
                    None
                };
                if let Some(out_row) = out_row.as_deref_mut() {
                    match color {
                        Some(rgb) => draw_pixel(out_row, position, rgb),
                        None => gray_pixel(row_a, position, self.options.alpha, out_row),
                    }
                }
            }
        }
        (different, antialiased)
    }

    /// The 3x3 window around a pixel, clipped to the image. pixelmatch counts a pixel on the
    /// image's border as already having one equal neighbour.
    #[inline(always)]
    fn neighbourhood(&self, x1: usize, y1: usize) -> Neighbourhood {
        let (x0, y0) = (x1.saturating_sub(1), y1.saturating_sub(1));
        let (x2, y2) = ((x1 + 1).min(self.width - 1), (y1 + 1).min(self.height - 1));
        let zeroes = u32::from(x1 == x0 || x1 == x2 || y1 == y0 || y1 == y2);
        Neighbourhood {
            x0,
            y0,
            x2,
            y2,
            zeroes,
        }
    }

    /// pixelmatch's `antialiased`: is the pixel at (x1, y1) of `image` an edge pixel between a
    /// darker and a brighter neighbour, one of which sits in a flat area in both images?
    fn antialiased(&self, image: &[u8], other: &[u8], x1: usize, y1: usize) -> bool {
        let width = self.width;
        let Neighbourhood {
            x0,
            y0,
            x2,
            y2,
            mut zeroes,
        } = self.neighbourhood(x1, y1);
        let center = (y1 * width + x1) * 4;
        let center_pixel = &image[center..center + 4];
        let (mut min, mut max) = (0.0f64, 0.0f64);
        let (mut min_x, mut min_y, mut max_x, mut max_y) = (0, 0, 0, 0);
        for x in x0..=x2 {
            for y in y0..=y2 {
                if x == x1 && y == y1 {
                    continue;
                }
                let neighbour = (y * width + x) * 4;
                let delta =
                    brightness_delta(center_pixel, &image[neighbour..neighbour + 4], center);
                if delta == 0.0 {
                    zeroes += 1;
                    if zeroes > 2 {
                        return false;
                    }
                } else if delta < min {
                    min = delta;
                    min_x = x;
                    min_y = y;
                } else if delta > max {
                    max = delta;
                    max_x = x;
                    max_y = y;
                }
            }
        }
        if min == 0.0 || max == 0.0 {
            return false;
        }
        (self.has_many_siblings(image, min_x, min_y) && self.has_many_siblings(other, min_x, min_y))
            || (self.has_many_siblings(image, max_x, max_y)
                && self.has_many_siblings(other, max_x, max_y))
    }

    /// More than two neighbours share this pixel's exact value.
    fn has_many_siblings(&self, image: &[u8], x1: usize, y1: usize) -> bool {
        let width = self.width;
        let Neighbourhood {
            x0,
            y0,
            x2,
            y2,
            mut zeroes,
        } = self.neighbourhood(x1, y1);
        let center = (y1 * width + x1) * 4;
        let value = &image[center..center + 4];
        for x in x0..=x2 {
            for y in y0..=y2 {
                if x == x1 && y == y1 {
                    continue;
                }
                let position = (y * width + x) * 4;
                if &image[position..position + 4] == value {
                    zeroes += 1;
                }
                if zeroes > 2 {
                    return true;
                }
            }
        }
        false
    }
}

/// Colour differences of two pixels; see [`blended_on_checkerboard`] for translucent ones.
#[inline(always)]
fn blended_differences(p1: &[u8], p2: &[u8], k: usize) -> (f64, f64, f64) {
    if p1[3] == 255 && p2[3] == 255 {
        return (
            f64::from(p1[0]) - f64::from(p2[0]),
            f64::from(p1[1]) - f64::from(p2[1]),
            f64::from(p1[2]) - f64::from(p2[2]),
        );
    }
    blended_on_checkerboard(p1, p2, k)
}

/// pixelmatch blends translucent pixels onto a checkerboard keyed by the byte offset `k`.
/// Screenshots are opaque, so this is kept out of the hot path.
#[cold]
#[inline(never)]
fn blended_on_checkerboard(p1: &[u8], p2: &[u8], k: usize) -> (f64, f64, f64) {
    let (r1, g1, b1, a1) = (
        f64::from(p1[0]),
        f64::from(p1[1]),
        f64::from(p1[2]),
        f64::from(p1[3]),
    );
    let (r2, g2, b2, a2) = (
        f64::from(p2[0]),
        f64::from(p2[1]),
        f64::from(p2[2]),
        f64::from(p2[3]),
    );
    let rb = 48.0 + 159.0 * (k & 1) as f64;
    let gb = 48.0 + 159.0 * (((k as f64 / 1.618033988749895) as u64) & 1) as f64;
    let bb = 48.0 + 159.0 * (((k as f64 / 2.618033988749895) as u64) & 1) as f64;
    let da = a1 - a2;
    (
        (r1 * a1 - r2 * a2 - rb * da) / 255.0,
        (g1 * a1 - g2 * a2 - gb * da) / 255.0,
        (b1 * a1 - b2 * a2 - bb * da) / 255.0,
    )
}

/// Squared YIQ distance, negative when the second pixel is darker... as pixelmatch signs it.
fn color_delta(p1: &[u8], p2: &[u8], k: usize) -> f64 {
    let (dr, dg, db) = blended_differences(p1, p2, k);
    let y = dr * 0.29889531 + dg * 0.58662247 + db * 0.11448223;
    let i = dr * 0.59597799 - dg * 0.27417610 - db * 0.32180189;
    let q = dr * 0.21147017 - dg * 0.52261711 + db * 0.31114694;
    let delta = 0.5053 * y * y + 0.299 * i * i + 0.1957 * q * q;
    if y > 0.0 {
        -delta
    } else {
        delta
    }
}

fn brightness_delta(p1: &[u8], p2: &[u8], k: usize) -> f64 {
    if p1 == p2 {
        return 0.0;
    }
    let (dr, dg, db) = blended_differences(p1, p2, k);
    dr * 0.29889531 + dg * 0.58662247 + db * 0.11448223
}

fn draw_pixel(output: &mut [u8], position: usize, [r, g, b]: [u8; 3]) {
    output[position..position + 4].copy_from_slice(&[r, g, b, 255]);
}

fn gray_pixel(source: &[u8], position: usize, alpha: f64, output: &mut [u8]) {
    let luma = f64::from(source[position]) * 0.29889531
        + f64::from(source[position + 1]) * 0.58662247
        + f64::from(source[position + 2]) * 0.11448223;
    let value = 255.0 + (luma - 255.0) * alpha * f64::from(source[position + 3]) / 255.0;
    // Truncation, as pixelmatch's Uint8Array store does.
    let value = value.clamp(0.0, 255.0) as u8;
    draw_pixel(output, position, [value, value, value]);
}

/// Paints an opaque box over a region (a mask: the element is hidden in both images alike).
pub fn paint_box(rgba: &mut [u8], width: u32, height: u32, region: Region, [r, g, b]: [u8; 3]) {
    let x_end = (region.x + region.width).min(width);
    let y_end = (region.y + region.height).min(height);
    for y in region.y.min(height)..y_end {
        for x in region.x.min(width)..x_end {
            let position = (y as usize * width as usize + x as usize) * 4;
            rgba[position..position + 4].copy_from_slice(&[r, g, b, 255]);
        }
    }
}

/// The smallest box holding every pixel a diff image painted in `color` (the options'
/// `diff_color`, with `diff_color_darker` the same): where two images differ. `None` when none do.
pub fn changed_box(diff_rgba: &[u8], width: u32, [r, g, b]: [u8; 3]) -> Option<Region> {
    let (mut left, mut top, mut right, mut bottom) = (u32::MAX, u32::MAX, 0, 0);
    let width_pixels = width.max(1) as usize;
    for (index, pixel) in diff_rgba.chunks_exact(4).enumerate() {
        if pixel == [r, g, b, 255] {
            let (x, y) = ((index % width_pixels) as u32, (index / width_pixels) as u32);
            left = left.min(x);
            top = top.min(y);
            right = right.max(x);
            bottom = bottom.max(y);
        }
    }
    (left <= right).then(|| Region {
        x: left,
        y: top,
        width: right - left + 1,
        height: bottom - top + 1,
    })
}

#[cfg(test)]
mod tests;
