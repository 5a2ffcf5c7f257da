//! Looking for elements: the browser runs `locate/`'s scripts and hands their answers to
//! `locate::look`, which knows their shape; an editor whose text a look could only see in part
//! is then read whole through its copy handler.

use std::time::Duration;

use crate::locate::look::{self, Levels, UnreadableLook};
use crate::locate::{Candidate, Wanted, COLLECT_SCRIPT, LOCATE_SCRIPT};

use super::{Browser, BrowserError, ElementHandle, LocateNeed, Satisfied};

impl From<UnreadableLook> for BrowserError {
    fn from(error: UnreadableLook) -> Self {
        BrowserError::UnexpectedReply(error.to_string())
    }
}

impl Browser {
    /// Every visible element of `role` (a `collect.js` role name), inside `scope` if given.
    pub async fn collect(
        &self,
        role: &str,
        scope: Option<&ElementHandle>,
    ) -> Result<Vec<(ElementHandle, Candidate)>, BrowserError> {
        let reply = self
            .script(COLLECT_SCRIPT, look::collect_arguments(role, scope))
            .await?;
        Ok(look::collected_of(reply)?)
    }

    /// One look for a target (`locate.js`): per level (outermost first, each a role and what
    /// is wanted of it), the candidates that could match inside each possible scope, probed at
    /// the last level as `need` says. One round trip; while the page does not show what `need`
    /// asks for, the page looks again at each animation frame, for up to `budget`.
    pub async fn locate(
        &self,
        chain: &[(&str, &Wanted)],
        need: LocateNeed,
        budget: Duration,
    ) -> Result<Levels, BrowserError> {
        let mut looks = self
            .locate_all(&[(chain, need)], budget, Satisfied::ByAll)
            .await?;
        Ok(looks.pop().unwrap_or_default())
    }

    /// [`Browser::locate`] for several targets, seen at the same moment, in one round trip; the
    /// page looks again until all of them (or any, as `satisfied` says) show what is needed.
    pub async fn locate_all(
        &self,
        targets: &[(&[(&str, &Wanted)], LocateNeed)],
        budget: Duration,
        satisfied: Satisfied,
    ) -> Result<Vec<Levels>, BrowserError> {
        let reply = self
            .script_async(
                LOCATE_SCRIPT,
                look::locate_arguments(targets, budget, satisfied),
            )
            .await?;
        let mut looks = look::looks_of(reply)?;
        for located in looks
            .iter_mut()
            .filter_map(|levels| levels.last_mut())
            .flatten()
            .flat_map(|group| group.candidates.iter_mut())
        {
            if let Some(read) = located.text.as_mut().filter(|read| !read.complete) {
                read.text = self.copy_editor_text(&located.element).await?;
                read.complete = true;
            }
        }
        Ok(looks)
    }
}
