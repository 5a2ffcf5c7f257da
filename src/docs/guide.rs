//! A guide as the docs write it (Docusaurus Markdown: front matter, `:::` admonitions,
//! `<Tabs>`/`<TabItem>`, numbered steps with nested content, bold UI labels, image references,
//! partials), read into what `docs check` compares with scenarios: sections, their numbered
//! steps, and each step's bold labels and images. Images in code fences and HTML comments are not
//! images; neither is bold text in code. Pure: text in, model out.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Guide {
    /// The front matter's `title`.
    pub title: Option<String>,
    pub steps: Vec<GuideStep>,
    /// Every image the guide shows, in order, in a step or not.
    pub images: Vec<GuideImage>,
    /// `<PartialsComponent name="…">` references: text the guide pulls in from elsewhere, which
    /// this reading does not see.
    pub partials: Vec<String>,
}

/// A numbered step of a section (`## Upgrade`, step 4).
#[derive(Clone, Debug, PartialEq)]
pub struct GuideStep {
    pub section: String,
    /// The `<TabItem label="…">` the step sits in, if any.
    pub tab: Option<String>,
    pub number: u64,
    /// 1-based line of the step's number.
    pub line: usize,
    /// The step's own text, its nested content included, as plain words.
    pub text: String,
    /// Text in bold: the UI labels the step names (and, in admonitions, emphasis).
    pub bold: Vec<String>,
    /// The step's own words and images in reading order, for `docs draft`.
    pub parts: Vec<StepPart>,
}

/// A piece of a step as a reader meets it.
#[derive(Clone, Debug, PartialEq)]
pub enum StepPart {
    /// A paragraph of the step's instructions (nested list items included), on one line, bold
    /// written as `**…**` and inline code as `` `…` ``. Code blocks and admonitions (`:::info` …
    /// `:::`) are left out: they show or explain, they do not instruct.
    Words(String),
    /// An image the step shows: an index into `Guide::images`.
    Image(usize),
}

impl GuideStep {
    /// The step's instructions, its paragraphs joined by a space, bold kept as `**…**`.
    pub fn words(&self) -> String {
        let paragraphs: Vec<&str> = self
            .parts
            .iter()
            .filter_map(|part| match part {
                StepPart::Words(words) => Some(words.as_str()),
                StepPart::Image(_) => None,
            })
            .collect();
        paragraphs.join(" ")
    }
}

/// The paragraph being read for a step's `parts`, and whether it sits in an admonition.
#[derive(Default)]
struct Prose {
    paragraph: Option<String>,
    in_admonition: bool,
    in_code_block: bool,
}

impl Prose {
    fn push(&mut self, text: &str) {
        if !self.in_code_block {
            self.paragraph
                .get_or_insert_with(String::new)
                .push_str(text);
        }
    }

    /// Ends the paragraph being read; an admonition's opening and closing lines (`:::tip`,
    /// `:::`) and what lies between them are not a step's words.
    fn end_paragraph(&mut self, step: Option<&mut GuideStep>) {
        let Some(paragraph) = self.paragraph.take() else {
            return;
        };
        let words = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
        if words.is_empty() {
            return;
        }
        if let Some(kind) = words.strip_prefix(":::") {
            // `:::` closes; `:::info` opens, unless the whole admonition is this one paragraph.
            let closes = kind.is_empty();
            let whole_admonition = kind.len() > 3 && kind.ends_with(":::");
            self.in_admonition = !closes && !whole_admonition;
            return;
        }
        if let (false, Some(step)) = (self.in_admonition, step) {
            step.parts.push(StepPart::Words(words));
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct GuideImage {
    /// The file name, as `shoot` writes it: `name.webp` for `![…](/name.webp)`.
    pub name: String,
    pub alt: String,
    pub line: usize,
    /// Index into `Guide::steps` of the step showing it.
    pub step: Option<usize>,
}

impl Guide {
    pub fn step_of(&self, image: &GuideImage) -> Option<&GuideStep> {
        image.step.map(|index| &self.steps[index])
    }
}

impl GuideStep {
    /// `Upgrade 4`, or `Upgrade (Airgap) 4` inside a tab.
    pub fn title(&self) -> String {
        match &self.tab {
            Some(tab) => format!("{} ({tab}) {}", self.section, self.number),
            None => format!("{} {}", self.section, self.number),
        }
    }
}

pub fn read(text: &str) -> Guide {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(index, _)| index + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|start| *start <= offset);
    let mut guide = Guide {
        title: front_matter_title(text),
        ..Guide::default()
    };
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS | Options::ENABLE_TABLES;
    let mut section = String::new();
    let mut heading: Option<String> = None;
    let mut tab: Option<String> = None;
    // Each open list: the number of its next item (None for a bulleted list).
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut current_step: Option<usize> = None;
    let mut bold: Option<String> = None;
    let mut image: Option<(String, String, usize)> = None;
    let mut in_metadata = false;
    let mut prose = Prose::default();
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        // A paragraph of a step ends where a block starts or ends (a paragraph, an item, a
        // heading, a list); its words are the step's.
        if current_step.is_some()
            && matches!(
                &event,
                Event::Start(Tag::Paragraph | Tag::Item | Tag::Heading { .. } | Tag::List(_))
                    | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::List(_))
            )
        {
            let step = current_step.map(|index| &mut guide.steps[index]);
            prose.end_paragraph(step);
        }
        match event {
            Event::Start(Tag::MetadataBlock(_)) => in_metadata = true,
            Event::End(TagEnd::MetadataBlock(_)) => in_metadata = false,
            _ if in_metadata => {}
            Event::Start(Tag::Heading { level, .. }) if level <= HeadingLevel::H2 => {
                heading = Some(String::new());
                current_step = None;
                tab = None;
            }
            Event::End(TagEnd::Heading(level)) if level <= HeadingLevel::H2 => {
                section = heading.take().unwrap_or_default().trim().to_string();
            }
            Event::Start(Tag::List(start)) => lists.push(start),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                if lists.is_empty() {
                    current_step = None;
                }
            }
            Event::Start(Tag::Item) => {
                let depth = lists.len();
                if let Some(Some(number)) = lists.last_mut() {
                    let this = *number;
                    *number += 1;
                    // A numbered item of a top-level list, under a section: a step.
                    if depth == 1 && !section.is_empty() {
                        guide.steps.push(GuideStep {
                            section: section.clone(),
                            tab: tab.clone(),
                            number: this,
                            line: line_of(range.start),
                            text: String::new(),
                            bold: Vec::new(),
                            parts: Vec::new(),
                        });
                        current_step = Some(guide.steps.len() - 1);
                        // An admonition a step leaves open (the airgap guide's step 4) ends there.
                        prose = Prose::default();
                    }
                }
            }
            Event::Start(Tag::CodeBlock(_)) => prose.in_code_block = true,
            Event::End(TagEnd::CodeBlock) => prose.in_code_block = false,
            Event::Start(Tag::Strong) => {
                bold = Some(String::new());
                if image.is_none() {
                    prose.push("**");
                }
            }
            Event::End(TagEnd::Strong) => {
                if image.is_none() {
                    prose.push("**");
                }
                if let (Some(label), Some(index)) = (bold.take(), current_step) {
                    let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !label.is_empty() {
                        guide.steps[index].bold.push(label);
                    }
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some((dest_url.to_string(), String::new(), line_of(range.start)));
            }
            Event::End(TagEnd::Image) => {
                if let Some((url, alt, line)) = image.take() {
                    if let Some(name) = image_name(&url) {
                        guide.images.push(GuideImage {
                            name,
                            alt: alt.trim().to_string(),
                            line,
                            step: current_step,
                        });
                        if let Some(index) = current_step {
                            // Words before the image in its paragraph come before it.
                            prose.end_paragraph(Some(&mut guide.steps[index]));
                            if !prose.in_admonition {
                                let shown = StepPart::Image(guide.images.len() - 1);
                                guide.steps[index].parts.push(shown);
                            }
                        }
                    }
                }
            }
            Event::Text(ref words) | Event::Code(ref words) => {
                if let Some(heading) = heading.as_mut() {
                    heading.push_str(words);
                }
                if let Some((_, alt, _)) = image.as_mut() {
                    alt.push_str(words);
                }
                if let Some(label) = bold.as_mut() {
                    if matches!(event, Event::Text(_)) {
                        label.push_str(words);
                    }
                }
                if heading.is_none() && image.is_none() && current_step.is_some() {
                    match event {
                        Event::Code(_) => prose.push(&format!("`{words}`")),
                        _ => prose.push(words),
                    }
                }
                if let Some(index) = current_step {
                    let step = &mut guide.steps[index];
                    if !step.text.is_empty() && !step.text.ends_with(' ') {
                        step.text.push(' ');
                    }
                    step.text.push_str(words.trim());
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(label) = bold.as_mut() {
                    label.push(' ');
                }
                prose.push(" ");
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if let Some(label) = attribute(&html, "<TabItem", "label") {
                    tab = Some(label);
                } else if html.trim_start().starts_with("</TabItem") {
                    tab = None;
                }
                if let Some(name) = attribute(&html, "<PartialsComponent", "name") {
                    guide.partials.push(name);
                }
            }
            _ => {}
        }
    }
    guide
}

/// `name.webp` of `/name.webp` or `/static/assets/docs/images/name.webp`; none for a web URL.
fn image_name(url: &str) -> Option<String> {
    if url.contains("://") || url.starts_with("data:") {
        return None;
    }
    let name = url.rsplit('/').next()?.split(['?', '#']).next()?;
    (!name.is_empty()).then(|| name.to_string())
}

/// The value of `attribute="…"` in an HTML/MDX tag that starts with `tag`.
fn attribute(html: &str, tag: &str, attribute: &str) -> Option<String> {
    let start = html.find(tag)?;
    let element = &html[start..];
    let element = &element[..element.find('>').map_or(element.len(), |end| end + 1)];
    let key = format!("{attribute}=");
    let at = element.find(&key)? + key.len();
    let rest = &element[at..];
    let quote = rest
        .chars()
        .next()
        .filter(|quote| *quote == '"' || *quote == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_string())
}

/// The `title:` of a front matter block at the top.
fn front_matter_title(text: &str) -> Option<String> {
    let rest = text.strip_prefix("---")?;
    let end = rest.find("\n---")?;
    rest[..end].lines().find_map(|line| {
        let value = line.strip_prefix("title:")?.trim();
        Some(
            value
                .trim_matches(|quote| quote == '"' || quote == '\'')
                .to_string(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUIDE: &str = r#"---
title: "Upgrade Something"
sidebar_label: "Something"
---

Intro with **Not A Step** and ![intro](/intro.webp).

## Prerequisites

1. A numbered prerequisite with **Bold**.

## Upgrade

:::info

Read **this** first.

:::

1. Log in to vCenter.
2. From the left **Main Menu**, select **Enterprise Cluster** and then the **Profile**
   tab.

   ```shell
   ![not an image](/in-a-fence.webp) **not bold**
   ```

   <!-- ![commented out](/in-a-comment.webp) -->

   - A nested bullet with **Nested Label**.

   ![Shown with the **Profile** tab highlighted.](/profile.webp)

:::warning

Between steps: **Warning Label**.

:::

3. Select `**code**` and **Update**.

<Tabs>
<TabItem label="Airgap" value="airgap">

1. In the tab, select **Sync**.

</TabItem>
</Tabs>

## Validate

1. Check the **Summary** page.

   ![Summary](/static/assets/docs/images/summary.webp)
"#;

    #[test]
    fn steps_images_and_bold_labels_are_read_as_the_docs_render_them() {
        let guide = read(GUIDE);
        assert_eq!(guide.title.as_deref(), Some("Upgrade Something"));
        let titles: Vec<String> = guide.steps.iter().map(GuideStep::title).collect();
        assert_eq!(
            titles,
            [
                "Prerequisites 1",
                "Upgrade 1",
                "Upgrade 2",
                "Upgrade 3",
                "Upgrade (Airgap) 1",
                "Validate 1"
            ]
        );
        let upgrade_2 = &guide.steps[2];
        assert_eq!(upgrade_2.line, 21);
        assert_eq!(
            upgrade_2.bold,
            [
                "Main Menu",
                "Enterprise Cluster",
                "Profile",
                "Nested Label",
                "Profile"
            ]
        );
        assert_eq!(guide.steps[3].bold, ["Update"], "bold in code is code");
        assert_eq!(
            upgrade_2.parts,
            [
                StepPart::Words(
                    "From the left **Main Menu**, select **Enterprise Cluster** and then the \
                     **Profile** tab."
                        .to_string()
                ),
                StepPart::Words("A nested bullet with **Nested Label**.".to_string()),
                StepPart::Image(1),
            ],
            "no code, no comment, no admonition; the image where it stands"
        );
        assert_eq!(guide.steps[3].words(), "Select `**code**` and **Update**.");
        assert_eq!(guide.steps[4].bold, ["Sync"]);
        let images: Vec<(&str, Option<String>)> = guide
            .images
            .iter()
            .map(|image| {
                (
                    image.name.as_str(),
                    guide.step_of(image).map(GuideStep::title),
                )
            })
            .collect();
        assert_eq!(
            images,
            [
                ("intro.webp", None),
                ("profile.webp", Some("Upgrade 2".to_string())),
                ("summary.webp", Some("Validate 1".to_string())),
            ],
            "no image from a code fence or an HTML comment"
        );
        assert_eq!(
            guide.images[1].alt,
            "Shown with the Profile tab highlighted."
        );
    }

    #[test]
    fn partials_are_listed() {
        let guide = read(
            "## Notes\n\n- <PartialsComponent category=\"self-hosted\" name=\"nginx-traefik-upgrade\" />\n",
        );
        assert_eq!(guide.partials, ["nginx-traefik-upgrade"]);
    }
}
#[cfg(test)]
mod shipped_guides {
    use super::*;

    fn guide(path: &str) -> Guide {
        read(&std::fs::read_to_string(format!("tests/fixtures/guides/{path}")).unwrap())
    }

    fn titles(guide: &Guide) -> Vec<String> {
        guide.steps.iter().map(GuideStep::title).collect()
    }

    fn images(guide: &Guide) -> Vec<(String, String)> {
        guide
            .images
            .iter()
            .map(|image| {
                (
                    image.name.clone(),
                    guide
                        .step_of(image)
                        .map(GuideStep::title)
                        .unwrap_or_default(),
                )
            })
            .collect()
    }

    fn bold_of(guide: &Guide, title: &str) -> Vec<String> {
        guide
            .steps
            .iter()
            .find(|step| step.title() == title)
            .map(|step| step.bold.clone())
            .unwrap_or_default()
    }

    #[test]
    fn the_three_upgrade_guides_read_as_their_pages_show() {
        let non_airgap = guide("enterprise-version/upgrade/upgrade-vmware/non-airgap.md");
        let upgrade: Vec<String> = (1..=7).map(|n| format!("Upgrade {n}")).collect();
        let mut expected = upgrade.clone();
        expected.extend(["Validate 1".to_string(), "Validate 2".to_string()]);
        assert_eq!(titles(&non_airgap), expected);
        let prefix = "enterprise-version_upgrade-upgrade_vmware_";
        assert_eq!(
            images(&non_airgap),
            [
                (
                    format!("{prefix}non-airgap_copy_configurations.webp"),
                    "Upgrade 3".to_string()
                ),
                (
                    format!("{prefix}non-airgap_update.webp"),
                    "Upgrade 4".to_string()
                ),
                (
                    format!("{prefix}non-airgap_upgrade-preview.webp"),
                    "Upgrade 5".to_string()
                ),
                (
                    format!("{prefix}non-airgap_upgraded.webp"),
                    "Validate 2".to_string()
                ),
            ]
        );
        assert_eq!(
            bold_of(&non_airgap, "Upgrade 4"),
            ["Main Menu", "Update Management", "Update"]
        );

        let airgap = guide("enterprise-version/upgrade/upgrade-vmware/airgap.md");
        assert_eq!(
            airgap.steps.len(),
            21 + 2,
            "21 upgrade steps, 2 validation steps"
        );
        assert_eq!(
            images(&airgap),
            [
                (
                    format!("{prefix}non-airgap_copy_configurations.webp"),
                    "Upgrade 13".to_string()
                ),
                (
                    format!("{prefix}non-airgap_update.webp"),
                    "Upgrade 15".to_string()
                ),
                (
                    format!("{prefix}diff-checker.webp"),
                    "Upgrade 18".to_string()
                ),
                (
                    format!("{prefix}palette-upgrade-preview.webp"),
                    "Upgrade 19".to_string()
                ),
            ]
        );
        assert_eq!(
            bold_of(&airgap, "Upgrade 14"),
            [
                "Main Menu",
                "Administration",
                "Pack Registries",
                "spectro-packs",
                "three-dot Menu",
                "Sync"
            ]
        );
        // Step 4's unclosed `:::tip` does not swallow step 5.
        assert!(titles(&airgap).contains(&"Upgrade 5".to_string()));

        let vertex = guide("vertex/upgrade/upgrade-vmware/non-airgap.md");
        assert_eq!(vertex.steps.len(), 10 + 2);
        assert_eq!(vertex.partials, ["nginx-traefik-upgrade"]);
        assert_eq!(
            bold_of(&vertex, "Validate 2"),
            [
                "Summary",
                "You are using the latest version of Palette VerteX",
                "On-prem system console is healthy"
            ]
        );
        assert_eq!(images(&vertex).len(), 4);
    }
}
