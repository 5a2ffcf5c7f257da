//! The chromedriver process: started on a free port in its own process group with its own temp
//! directory, and killed as a group (Chromium included) when dropped, on every exit path.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use super::BrowserError;

pub struct DriverProcess {
    child: Child,
    port: u16,
    temp_dir: PathBuf,
}

impl DriverProcess {
    /// Starts `chromedriver --port=0` and reads the port it took from its first lines.
    pub fn start(program: &Path, temp_dir: PathBuf) -> Result<DriverProcess, BrowserError> {
        std::fs::create_dir_all(&temp_dir).map_err(|source| BrowserError::TempDir {
            path: temp_dir.clone(),
            source,
        })?;
        let mut command = Command::new(program);
        command
            .arg("--port=0")
            .env("TMPDIR", &temp_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        // Its own process group, so killing the group also kills the Chromium it started.
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command
            .spawn()
            .map_err(|source| BrowserError::DriverNotStarted {
                program: program.to_path_buf(),
                source,
            })?;
        let Some(stdout) = child.stdout.take() else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(BrowserError::DriverSilent);
        };
        let (sender, receiver) = mpsc::channel();
        // Keeps draining the driver's output for its whole life so it never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut reported = false;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if !reported {
                    if let Some(port) = port_from_banner(&line) {
                        let _ = sender.send(port);
                        reported = true;
                    }
                }
            }
        });
        let mut driver = DriverProcess {
            child,
            port: 0,
            temp_dir,
        };
        match receiver.recv_timeout(Duration::from_secs(20)) {
            Ok(port) => {
                driver.port = port;
                Ok(driver)
            }
            Err(_) => Err(BrowserError::DriverSilent),
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn temp_dir(&self) -> &Path {
        &self.temp_dir
    }
}

/// `ChromeDriver was started successfully on port 41231.`
fn port_from_banner(line: &str) -> Option<u16> {
    let rest = line.split("started successfully on port ").nth(1)?;
    rest.trim_end_matches(|character: char| !character.is_ascii_digit())
        .parse()
        .ok()
}

impl Drop for DriverProcess {
    fn drop(&mut self) {
        let pid = self.child.id() as libc::pid_t;
        // SAFETY: plain syscalls on a process we started; the group id equals the driver's pid
        // because it was spawned with process_group(0), so we check that before signalling.
        unsafe {
            if libc::getpgid(pid) == pid {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.temp_dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
