//! On GitHub Actions (`GITHUB_ACTIONS` set): a failed step becomes an `::error` workflow
//! command at the failing action's place in the scenario file, which GitHub shows on the file
//! in the pull request and in the run's summary.

use std::io::Write;

use crate::event::{Event, Reporter, StepFailure};

pub struct GithubAnnotations {
    output: Box<dyn Write + Send>,
}

impl GithubAnnotations {
    pub fn new(output: Box<dyn Write + Send>) -> Self {
        GithubAnnotations { output }
    }
}

impl Reporter for GithubAnnotations {
    fn on_event(&mut self, event: &Event) {
        if let Event::StepFailed { failure, .. } = event {
            let _ = writeln!(self.output, "{}", annotation(failure));
            let _ = self.output.flush();
        }
    }
}

/// `::error file=F,line=L,col=C,title=T::message`, escaped as GitHub's workflow commands need.
pub fn annotation(failure: &StepFailure) -> String {
    let (file, line, column) = split_location(&failure.location);
    let mut properties = vec![format!("file={}", escape_property(file))];
    if let Some(line) = line {
        properties.push(format!("line={line}"));
    }
    if let Some(column) = column {
        properties.push(format!("col={column}"));
    }
    properties.push(format!(
        "title={}",
        escape_property(&format!("{} failed: {}", failure.step, failure.action))
    ));
    format!(
        "::error {}::{}",
        properties.join(","),
        escape_data(&format!(
            "expected {}\npage showed: {}",
            failure.expected, failure.page_showed
        ))
    )
}

/// `scenarios/x.toml:37:4` → its file, line and column.
fn split_location(location: &str) -> (&str, Option<u32>, Option<u32>) {
    let mut parts = location.rsplitn(3, ':');
    let last = parts.next();
    let middle = parts.next();
    let first = parts.next();
    match (first, middle, last) {
        (Some(file), Some(line), Some(column)) => match (line.parse(), column.parse()) {
            (Ok(line), Ok(column)) => (file, Some(line), Some(column)),
            _ => (location, None, None),
        },
        _ => (location, None, None),
    }
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_is_an_error_at_its_action_with_escaped_text() {
        let failure = StepFailure {
            step: "Upgrade 3".to_string(),
            location: "scenarios/upgrade-vmware-non-airgap.toml:37:4".to_string(),
            action: "click tab \"Profile\"".to_string(),
            expected: "tab \"Profile\" to be visible".to_string(),
            page_showed: "50% done, then: nothing\nat all".to_string(),
            screenshot: None,
            page_html: None,
            trace: None,
        };
        assert_eq!(
            annotation(&failure),
            "::error file=scenarios/upgrade-vmware-non-airgap.toml,line=37,col=4,\
             title=Upgrade 3 failed%3A click tab \"Profile\"::expected tab \"Profile\" to be \
             visible%0Apage showed: 50%25 done, then: nothing%0Aat all"
        );
    }

    #[test]
    fn a_location_without_line_and_column_names_the_file_only() {
        assert_eq!(
            split_location("scenario.toml"),
            ("scenario.toml", None, None)
        );
        assert_eq!(
            split_location("/a:b/x.toml:3:9"),
            ("/a:b/x.toml", Some(3), Some(9))
        );
    }
}
