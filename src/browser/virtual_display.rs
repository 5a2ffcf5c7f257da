//! A virtual X display (Xvfb) for a headed browser on a machine without one: started on a free
//! display number of its own choosing, in its own process group, and killed with it on drop.
//! `--headed` and `record` open their window there when `DISPLAY` is not set.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use super::BrowserError;

pub struct VirtualDisplay {
    child: Child,
    /// `:N`, for the driver's `DISPLAY`.
    display: String,
    /// Kills the display's group if this process dies without dropping it (SIGKILL), as the
    /// driver's watchdog does for the driver (`driver::watch_group`).
    watchdog: Option<Child>,
}

impl VirtualDisplay {
    /// Whether a headed browser needs one: no display is set.
    pub fn needed() -> bool {
        std::env::var_os("DISPLAY").is_none_or(|display| display.is_empty())
    }

    /// Starts `Xvfb -displayfd 1`, which picks a free display and writes its number on stdout.
    pub fn start() -> Result<VirtualDisplay, BrowserError> {
        let failed = |message: String| BrowserError::VirtualDisplay { message };
        let mut command = Command::new("Xvfb");
        command
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1600x1200x24",
                "-nolisten",
                "tcp",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command
            .spawn()
            .map_err(|error| failed(format!("Xvfb could not start: {error}")))?;
        let Some(stdout) = child.stdout.take() else {
            return Err(failed("Xvfb gave no output to read".to_string()));
        };
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        // Nothing to remove when it ends: Xvfb keeps no folder of its own.
        let watchdog = super::driver::watch_group(child.id(), std::path::Path::new(""));
        let mut display = VirtualDisplay {
            child,
            display: String::new(),
            watchdog,
        };
        match receiver.recv_timeout(Duration::from_secs(20)) {
            Ok(line) if line.trim().parse::<u32>().is_ok() => {
                display.display = format!(":{}", line.trim());
                Ok(display)
            }
            Ok(line) => Err(failed(format!(
                "Xvfb said {:?} instead of its display number",
                line.trim()
            ))),
            Err(_) => Err(failed(
                "Xvfb did not say its display number within 20 s".to_string(),
            )),
        }
    }

    pub fn display(&self) -> &str {
        &self.display
    }
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        crate::os::kill_process_group(self.child.id());
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(watchdog) = &mut self.watchdog {
            let _ = watchdog.kill();
            let _ = watchdog.wait();
        }
    }
}
