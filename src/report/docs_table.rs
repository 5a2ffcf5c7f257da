//! What `shoot` prints at its end: one row per image (new, changed with its diff %, unchanged),
//! the totals, and what became of the manifest.

use crate::event::DocsImage;

pub fn render(images: &[DocsImage], manifest_note: &str) -> String {
    let width = images
        .iter()
        .map(|image| image.image.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let made_in = |image: &DocsImage| format!("{} › {}", image.scenario, image.step);
    let made_width = images
        .iter()
        .map(|image| made_in(image).chars().count())
        .max()
        .unwrap_or(7)
        .max(7);
    let mut text = format!("{:<width$}  {:<made_width$}  status\n", "image", "made in");
    let (mut new, mut changed, mut unchanged, mut shared) = (0, 0, 0, 0);
    for image in images {
        use crate::docs::images::ImageChange::*;
        match image.change {
            New => new += 1,
            Changed { .. } => changed += 1,
            Unchanged { .. } => unchanged += 1,
            MadeBy { .. } => shared += 1,
        }
        text.push_str(&format!(
            "{:<width$}  {:<made_width$}  {}\n",
            image.image,
            made_in(image),
            image.change.describe()
        ));
    }
    let written = new + changed;
    text.push_str(&format!(
        "{} image(s): {new} new, {changed} changed, {unchanged} unchanged{}; {}\n",
        images.len(),
        if shared > 0 {
            format!(", {shared} made by another scenario")
        } else {
            String::new()
        },
        if written == 0 {
            "no file rewritten".to_string()
        } else {
            format!("{written} file(s) written")
        }
    ));
    text.push_str(manifest_note);
    text.push('\n');
    text
}
