//! Clean-up the harness owes the page (letting it go after screenshots, removing its
//! highlights), sent at the start of the next script instead of as a command of its own: each
//! WebDriver command costs a round trip, and through a Selenium Grid every one crosses the hub
//! and a node too. Before any command that is not a script (a click, a navigation, a screenshot)
//! the clean-up is sent on its own, so the page is always as it would be with one command each.

use std::sync::Mutex;

/// Clean-up scripts, in the order they were owed. Each takes no arguments and returns nothing;
/// running one again is harmless, so after a failed command it is simply owed again.
#[derive(Default)]
pub(super) struct OwedCleanup {
    scripts: Mutex<Vec<&'static str>>,
}

impl OwedCleanup {
    pub(super) fn owe(&self, script: &'static str) {
        let mut scripts = self.lock();
        if !scripts.contains(&script) {
            scripts.push(script);
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Everything owed, handed over; [`OwedCleanup::owe_again`] puts it back if it was not run.
    pub(super) fn take(&self) -> Vec<&'static str> {
        std::mem::take(&mut *self.lock())
    }

    /// Owes `scripts` again, before anything owed since.
    pub(super) fn owe_again(&self, scripts: Vec<&'static str>) {
        let mut owed = self.lock();
        let later = std::mem::replace(&mut *owed, scripts);
        for script in later {
            if !owed.contains(&script) {
                owed.push(script);
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<&'static str>> {
        self.scripts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// `script` with the owed clean-up run first. Each clean-up runs in a function of its own (its
/// names and `arguments` stay its own) and cannot stop the script: an error in one is caught.
pub(super) fn run_first(owed: &[&str], script: &str) -> String {
    let mut combined = String::new();
    for cleanup in owed {
        combined.push_str("try { (function () {\n");
        combined.push_str(cleanup);
        combined.push_str("\n})(); } catch (_) {}\n");
    }
    combined.push_str(script);
    combined
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_owed_leaves_the_script_as_it_is() {
        assert_eq!(run_first(&[], "return 1"), "return 1");
    }

    #[test]
    fn each_cleanup_runs_in_its_own_function_before_the_script() {
        let combined = run_first(&["a();", "b();"], "return arguments[0]");
        assert_eq!(
            combined,
            "try { (function () {\na();\n})(); } catch (_) {}\ntry { (function () {\nb();\n})(); } catch (_) {}\nreturn arguments[0]"
        );
    }

    #[test]
    fn a_cleanup_owed_twice_runs_once() {
        let owed = OwedCleanup::default();
        owed.owe("a();");
        owed.owe("a();");
        assert_eq!(owed.take(), vec!["a();"]);
        assert!(owed.take().is_empty());
    }

    #[test]
    fn cleanup_owed_again_comes_before_what_was_owed_since() {
        let owed = OwedCleanup::default();
        owed.owe("a();");
        let taken = owed.take();
        owed.owe("b();");
        owed.owe_again(taken);
        assert_eq!(owed.take(), vec!["a();", "b();"]);
    }
}
