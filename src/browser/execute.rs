//! Running JavaScript in the page (WebDriver's execute and execute-async), with the clean-up the
//! harness owes the page (`owed.rs`) sent first, in the same command.

use serde_json::Value;

use super::{owed, Browser};

impl Browser {
    /// Runs a script in the page (WebDriver's execute), with the clean-up owed to the page
    /// first, in the same command.
    pub(super) async fn script(
        &self,
        script: &str,
        arguments: Vec<Value>,
    ) -> Result<Value, fantoccini::error::CmdError> {
        self.run_with_owed(script, arguments, false).await
    }

    /// [`Browser::script`] through execute-async: the script answers through its callback.
    pub(super) async fn script_async(
        &self,
        script: &str,
        arguments: Vec<Value>,
    ) -> Result<Value, fantoccini::error::CmdError> {
        self.run_with_owed(script, arguments, true).await
    }

    async fn run_with_owed(
        &self,
        script: &str,
        arguments: Vec<Value>,
        asynchronous: bool,
    ) -> Result<Value, fantoccini::error::CmdError> {
        let owed = self.owed.take();
        let combined;
        let script = if owed.is_empty() {
            script
        } else {
            combined = owed::run_first(&owed, script);
            &combined
        };
        let result = if asynchronous {
            self.client.execute_async(script, arguments).await
        } else {
            self.client.execute(script, arguments).await
        };
        if result.is_err() && !owed.is_empty() {
            self.owed.owe_again(owed);
        }
        result
    }

    /// Sends the owed clean-up on its own, before a command that is not a script (a click, a
    /// navigation, a screenshot). Where it cannot run now (the page is unloading) it stays owed.
    pub(super) async fn settle_owed(&self) {
        if self.owed.is_empty() {
            return;
        }
        let _ = self.script("", vec![]).await;
    }
}
