//! Which pending snapshots changed the same way, so that one accept takes them all: page
//! snapshots whose diffs add and remove the same lines, images whose differing pixels fill the
//! same box with the same new pixels. Pure: the keys are made from diffs already computed.

use sha2::{Digest, Sha256};

use crate::compare::image::{Image, Region};
use crate::compare::text::Line;

/// What a change is, as far as grouping goes: two snapshots with equal keys changed alike.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChangeKey {
    /// A page snapshot: its removed (`-`) and added (`+`) lines, in order; unchanged lines
    /// around them do not count.
    Page(Vec<String>),
    /// An image: its size, the box of its differing pixels (x, y, width, height; none when no
    /// pixel differs) and a digest of the new image's pixels in that box.
    Image {
        size: (u32, u32),
        region: Option<(u32, u32, u32, u32)>,
        pixels: String,
    },
}

impl ChangeKey {
    /// A page snapshot's key: its diff's changed lines.
    pub fn of_page(lines: &[Line]) -> ChangeKey {
        ChangeKey::Page(
            lines
                .iter()
                .filter_map(|line| match line {
                    Line::Same(_) => None,
                    Line::Removed(text) => Some(format!("- {text}")),
                    Line::Added(text) => Some(format!("+ {text}")),
                })
                .collect(),
        )
    }

    /// An image's key: the box its diff found (the whole image for a new one or a size change)
    /// and the digest of the new image's pixels inside it.
    pub fn of_image(new: Image, region: Option<Region>) -> ChangeKey {
        let mut digest = Sha256::new();
        let whole = Region {
            x: 0,
            y: 0,
            width: new.width,
            height: new.height,
        };
        let area = region.unwrap_or(whole);
        let row_bytes = new.width as usize * 4;
        for y in area.y..(area.y + area.height).min(new.height) {
            let start = y as usize * row_bytes + area.x as usize * 4;
            let end = (start + area.width as usize * 4).min((y as usize + 1) * row_bytes);
            if let Some(row) = new.rgba.get(start..end) {
                digest.update(row);
            }
        }
        ChangeKey::Image {
            size: (new.width, new.height),
            region: region.map(|region| (region.x, region.y, region.width, region.height)),
            pixels: hex(&digest.finalize()[..16]),
        }
    }

    /// A short name for the group, the same wherever the same change is found: `page-…` or
    /// `image-…` and 12 hex digits of the key's digest.
    pub fn group_id(&self) -> String {
        let mut digest = Sha256::new();
        let kind = match self {
            ChangeKey::Page(lines) => {
                for line in lines {
                    digest.update(line.as_bytes());
                    digest.update(b"\n");
                }
                "page"
            }
            ChangeKey::Image {
                size,
                region,
                pixels,
            } => {
                digest.update(format!("{size:?} {region:?} {pixels}").as_bytes());
                "image"
            }
        };
        format!("{kind}-{}", hex(&digest.finalize()[..6]))
    }
}

/// Snapshots that changed alike, in the order the first of them was listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub id: String,
    pub members: Vec<String>,
}

/// Groups snapshot ids by their change keys, keeping the listing's order within and across
/// groups.
pub fn group(changes: &[(String, ChangeKey)]) -> Vec<Group> {
    let mut groups: Vec<(ChangeKey, Group)> = Vec::new();
    for (id, key) in changes {
        match groups.iter_mut().find(|(known, _)| known == key) {
            Some((_, group)) => group.members.push(id.clone()),
            None => groups.push((
                key.clone(),
                Group {
                    id: key.group_id(),
                    members: vec![id.clone()],
                },
            )),
        }
    }
    groups.into_iter().map(|(_, group)| group).collect()
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::text::diff_lines;

    fn page(old: &str, new: &str) -> ChangeKey {
        ChangeKey::of_page(&diff_lines(old, new))
    }

    fn canvas(width: u32, height: u32) -> Vec<u8> {
        vec![255; (width * height * 4) as usize]
    }

    fn paint(pixels: &mut [u8], width: u32, x: u32, y: u32, value: u8) {
        let at = ((y * width + x) * 4) as usize;
        pixels[at..at + 3].copy_from_slice(&[value, value, value]);
    }

    fn image_key(pixels: &[u8], region: Option<Region>) -> ChangeKey {
        ChangeKey::of_image(
            Image {
                width: 8,
                height: 8,
                rgba: pixels,
            },
            region,
        )
    }

    const BOX: Region = Region {
        x: 2,
        y: 2,
        width: 3,
        height: 2,
    };

    #[test]
    fn pages_with_the_same_lines_changed_share_a_group_whatever_surrounds_them() {
        let summary = page(
            "- heading \"Summary\"\n- text: \"healthy\"\n",
            "- heading \"Summary\"\n- text: \"healthy and running\"\n",
        );
        let same_change_elsewhere = page(
            "- tab \"Profile\"\n- text: \"healthy\"\n- button \"Update\"\n",
            "- tab \"Profile\"\n- text: \"healthy and running\"\n- button \"Update\"\n",
        );
        let other_change = page("- text: \"healthy\"\n", "- text: \"degraded\"\n");
        assert_eq!(summary, same_change_elsewhere);
        assert_ne!(summary, other_change);
        let groups = group(&[
            ("a".to_string(), summary.clone()),
            ("b".to_string(), other_change.clone()),
            ("c".to_string(), same_change_elsewhere),
        ]);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].members, ["a", "c"]);
        assert_eq!(groups[1].members, ["b"]);
        assert_eq!(groups[0].id, summary.group_id());
        assert!(groups[0].id.starts_with("page-"), "{}", groups[0].id);
        assert_ne!(groups[0].id, groups[1].id);
    }

    #[test]
    fn images_group_by_their_box_and_the_new_pixels_in_it() {
        let mut first = canvas(8, 8);
        paint(&mut first, 8, 3, 2, 0);
        let mut second = canvas(8, 8);
        paint(&mut second, 8, 3, 2, 0);
        // Outside the box: not part of the change, so not part of the key.
        paint(&mut second, 8, 7, 7, 9);
        let mut other_pixels = canvas(8, 8);
        paint(&mut other_pixels, 8, 3, 2, 128);
        let key = image_key(&first, Some(BOX));
        assert_eq!(key, image_key(&second, Some(BOX)));
        assert_ne!(key, image_key(&other_pixels, Some(BOX)));
        let moved = Region { x: 3, ..BOX };
        assert_ne!(key, image_key(&first, Some(moved)));
        assert!(key.group_id().starts_with("image-"));
        // A new image (no box) is keyed by all of its pixels.
        assert_ne!(image_key(&first, None), image_key(&second, None));
    }

    #[test]
    fn a_page_and_an_image_never_share_a_group() {
        let groups = group(&[
            ("page".to_string(), ChangeKey::Page(Vec::new())),
            ("image".to_string(), image_key(&canvas(8, 8), None)),
        ]);
        assert_eq!(groups.len(), 2);
    }
}
