//! The driver process (chromedriver, or geckodriver for Firefox): started on a free port in its
//! own process group with its own temp directory, and killed as a group (the browser included)
//! when dropped, on every exit path.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use super::BrowserError;

pub struct DriverProcess {
    child: Child,
    port: u16,
    temp_dir: PathBuf,
    /// A process that waits on a pipe only this process writes to: when the harness dies,
    /// however it dies (SIGKILL included), the pipe closes and the watchdog kills the driver's
    /// group and removes the temp folder.
    watchdog: Option<Child>,
}

impl DriverProcess {
    /// Starts `chromedriver --port=0` (or `geckodriver --port 0`) and reads the port it took
    /// from its first lines. A driver that exits before saying so is started again, up to three
    /// times in all.
    pub fn start(
        program: &Path,
        kind: super::BrowserKind,
        temp_dir: PathBuf,
        display: Option<&str>,
    ) -> Result<DriverProcess, BrowserError> {
        let mut attempt = 1;
        loop {
            match DriverProcess::start_once(program, kind, temp_dir.clone(), display) {
                Err(BrowserError::DriverSilent { .. }) if attempt < 3 => attempt += 1,
                other => return other,
            }
        }
    }

    fn start_once(
        program: &Path,
        kind: super::BrowserKind,
        temp_dir: PathBuf,
        display: Option<&str>,
    ) -> Result<DriverProcess, BrowserError> {
        std::fs::create_dir_all(&temp_dir).map_err(|source| BrowserError::TempDir {
            path: temp_dir.clone(),
            source,
        })?;
        let mut command = Command::new(program);
        match kind {
            super::BrowserKind::Chromium => {
                command.arg("--port=0");
            }
            super::BrowserKind::Firefox => {
                // Without this variable on geckodriver itself, Firefox ESR ignores the
                // capabilities' settings-server pref and looks up Mozilla's host.
                // `--websocket-port 0`: each Firefox takes its own free BiDi port. With the
                // default 9222, a second Firefox side by side could not bind it and its session's
                // webSocketUrl reached the first Firefox ("Browsing context has been discarded").
                command
                    .args([
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0",
                        "--websocket-port",
                        "0",
                    ])
                    .arg("--profile-root")
                    .arg(&temp_dir)
                    .env("MOZ_REMOTE_SETTINGS_DEVTOOLS", "1");
            }
        }
        // The browser opens its window on the virtual display the session started, if any.
        if let Some(display) = display {
            command.env("DISPLAY", display);
        }
        command
            .env("TMPDIR", &temp_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // Its own process group, so killing the group also kills the Chromium it started.
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = match command.spawn() {
            Ok(child) => child,
            Err(source) => {
                let _ = std::fs::remove_dir_all(&temp_dir);
                return Err(BrowserError::DriverNotStarted {
                    program: program.to_path_buf(),
                    source,
                });
            }
        };
        let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
            // Dropping the process kills it and removes its temp directory.
            drop(DriverProcess {
                child,
                port: 0,
                temp_dir,
                watchdog: None,
            });
            return Err(BrowserError::DriverSilent {
                said: String::new(),
            });
        };
        let said = Arc::new(Mutex::new(String::new()));
        let (sender, receiver) = mpsc::channel();
        // Both streams are drained for the driver's whole life so it never blocks on a full
        // pipe; what it says before the port is kept for the error message.
        let stdout_said = Arc::clone(&said);
        std::thread::spawn(move || {
            let mut reported = false;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if reported {
                    continue;
                }
                match port_from_banner(&line) {
                    Some(port) => {
                        let _ = sender.send(port);
                        reported = true;
                    }
                    None => remember(&stdout_said, &line),
                }
            }
        });
        let stderr_said = Arc::clone(&said);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                remember(&stderr_said, &line);
            }
        });
        let watchdog = watch_group(child.id(), &temp_dir);
        let mut driver = DriverProcess {
            child,
            port: 0,
            temp_dir,
            watchdog,
        };
        match receiver.recv_timeout(Duration::from_secs(20)) {
            Ok(port) => {
                driver.port = port;
                Ok(driver)
            }
            Err(_) => {
                let status = driver.child.try_wait().ok().flatten();
                let mut said = said.lock().map(|said| said.clone()).unwrap_or_default();
                if let Some(status) = status {
                    said = format!("it exited ({status}) after saying: {said}");
                }
                Err(BrowserError::DriverSilent { said })
            }
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn temp_dir(&self) -> &Path {
        &self.temp_dir
    }
}

/// Starts the watchdog of the driver's process group `group` (the driver's pid), in a group of
/// its own: `sh` reads its standard input, a pipe whose other end stays in this process; at end
/// of file (this process is gone, or dropped the driver) it kills the group, waits (at most 5 s)
/// until the group's processes are gone, so that none writes into the folder any more, and
/// removes `temp_dir`. `None` if `sh` cannot start; the group is then still killed on every exit
/// but SIGKILL.
pub(super) fn watch_group(group: u32, temp_dir: &Path) -> Option<Child> {
    let mut command = Command::new("/bin/sh");
    command
        .args([
            "-c",
            r#"read _ignored; kill -s KILL -- "-$2" 2>/dev/null; i=0; while kill -0 -- "-$2" 2>/dev/null && [ "$i" -lt 100 ]; do sleep 0.05; i=$((i+1)); done; rm -rf "$1""#,
            "palette-harness-watchdog",
        ])
        .arg(temp_dir)
        .arg(group.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    command.spawn().ok()
}

/// Keeps the driver's last words (at most 2 KB) for an error message.
fn remember(said: &Mutex<String>, line: &str) {
    if let Ok(mut said) = said.lock() {
        said.push_str(line.trim());
        said.push_str(" / ");
        if said.len() > 2048 {
            let cut = said.len() - 2048;
            let boundary = (cut..said.len())
                .find(|index| said.is_char_boundary(*index))
                .unwrap_or(said.len());
            said.drain(..boundary);
        }
    }
}

/// `ChromeDriver was started successfully on port 41231.`, or geckodriver's
/// `… geckodriver INFO Listening on 127.0.0.1:39559` (fields separated by tabs).
fn port_from_banner(line: &str) -> Option<u16> {
    let rest = match line.split("started successfully on port ").nth(1) {
        Some(rest) => rest,
        None => line.split("Listening on ").nth(1)?.rsplit(':').next()?,
    };
    rest.trim_end_matches(|character: char| !character.is_ascii_digit())
        .parse()
        .ok()
}

impl Drop for DriverProcess {
    fn drop(&mut self) {
        // It was spawned with process_group(0): its group is its own.
        crate::os::kill_process_group(self.child.id());
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.temp_dir);
        // Its work is done here; it is not left waiting.
        if let Some(watchdog) = &mut self.watchdog {
            let _ = watchdog.kill();
            let _ = watchdog.wait();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_port_is_read_from_geckodrivers_banner() {
        assert_eq!(
            port_from_banner("1796221217897\tgeckodriver\tINFO\tListening on 127.0.0.1:39559"),
            Some(39559)
        );
    }

    #[test]
    fn the_port_is_read_from_chromedrivers_banner() {
        assert_eq!(
            port_from_banner("ChromeDriver was started successfully on port 41231."),
            Some(41231)
        );
        assert_eq!(
            port_from_banner("Starting ChromeDriver 156.0.8078.79"),
            None
        );
    }
}
