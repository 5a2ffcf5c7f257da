//! What a snapshot captures of a page: its outline (`outline.js`, roles, names, states and text in
//! document order) with dynamic parts masked, the scripts that make a page hold still for a
//! screenshot and let it go again (`hold_still.js`, `release.js`: no focus, no caret, animations
//! finished, fonts loaded), and the pure helpers that prepare a screenshot (boxes painted over
//! masked elements, rectangles turned into pixel regions).

/// Makes the page hold still for a screenshot; run with execute-async.
pub const HOLD_STILL_SCRIPT: &str = include_str!("hold_still.js");
/// Undoes [`HOLD_STILL_SCRIPT`].
pub const RELEASE_SCRIPT: &str = include_str!("release.js");

pub const OUTLINE_SCRIPT: &str = concat!(
    include_str!("../locate/code_editor.js"),
    "\n",
    include_str!("../locate/accname.js"),
    "\n",
    include_str!("../locate/candidates.js"),
    "\n",
    include_str!("outline.js")
);

/// `first` (a script run as with execute, with the command's arguments), then
/// [`HOLD_STILL_SCRIPT`], in one execute-async command: one round trip instead of two for what
/// is done right before a screenshot. Answers `{first, held}`: what `first` returned, and what
/// holding still answered (false: web fonts were still loading after 2 s).
pub fn then_hold_still(first: &str) -> String {
    format!(
        "const done = arguments[arguments.length - 1];\n\
         const given = Array.prototype.slice.call(arguments, 0, -1);\n\
         const first = (function () {{\n{first}\n}}).apply(null, given);\n\
         (function () {{\n{HOLD_STILL_SCRIPT}\n}}).call(null, (held) => done({{ first: first === undefined ? null : first, held }}));"
    )
}

use regex::Regex;

use crate::compare::image::Region;

/// Replaces every match of every pattern with `[masked]`, so versions, timestamps and other
/// dynamic parts do not make a page snapshot fail.
pub fn mask_text(outline: &str, patterns: &[Regex]) -> String {
    patterns.iter().fold(outline.to_string(), |text, pattern| {
        pattern.replace_all(&text, "[masked]").into_owned()
    })
}

/// An element's box in CSS pixels (`[x, y, width, height]`) as a pixel region of a screenshot
/// taken at `scale` device pixels per CSS pixel, clipped to the image.
pub fn region_of(
    rect: [i64; 4],
    scale: f64,
    image_width: u32,
    image_height: u32,
) -> Option<Region> {
    let [x, y, width, height] = rect.map(|value| (value as f64 * scale).round() as i64);
    let x0 = x.clamp(0, i64::from(image_width));
    let y0 = y.clamp(0, i64::from(image_height));
    let x1 = (x + width).clamp(0, i64::from(image_width));
    let y1 = (y + height).clamp(0, i64::from(image_height));
    (x1 > x0 && y1 > y0).then(|| Region {
        x: x0 as u32,
        y: y0 as u32,
        width: (x1 - x0) as u32,
        height: (y1 - y0) as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_replace_every_match() {
        let patterns = [Regex::new(r"\d+\.\d+\.\d+").unwrap()];
        assert_eq!(
            mask_text(
                "- text: \"4.8.33\"\n- text: \"Palette 4.8.21 is installed\"",
                &patterns
            ),
            "- text: \"[masked]\"\n- text: \"Palette [masked] is installed\""
        );
    }

    #[test]
    fn regions_are_scaled_and_clipped_to_the_image() {
        assert_eq!(
            region_of([10, 20, 30, 40], 1.0, 100, 100),
            Some(Region {
                x: 10,
                y: 20,
                width: 30,
                height: 40
            })
        );
        assert_eq!(region_of([-5, 90, 20, 20], 2.0, 100, 100), None);
        assert_eq!(
            region_of([-5, 40, 20, 20], 1.0, 100, 100),
            Some(Region {
                x: 0,
                y: 40,
                width: 15,
                height: 20
            })
        );
    }
}
