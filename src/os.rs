//! The few calls into the operating system that the standard library does not offer: whether a
//! process still runs, killing a process group, the terminal's width. The only module with
//! `unsafe` code; each call is a plain syscall with the reason it is sound beside it.
#![allow(unsafe_code)]

/// Whether a process with this id exists (signal 0 only asks).
pub fn process_exists(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: kill with signal 0 sends nothing; it only checks that the process exists.
    unsafe { libc::kill(pid, 0) == 0 }
}

/// Kills the process group a child leads (it was spawned with `process_group(0)`, so its group
/// id is its pid), also after the child itself has exited.
pub fn kill_process_group(leader: u32) {
    signal_process_group(leader, libc::SIGKILL);
}

/// Asks the process group a child leads to stop (SIGTERM), as [`kill_process_group`] does.
pub fn terminate_process_group(leader: u32) {
    signal_process_group(leader, libc::SIGTERM);
}

fn signal_process_group(leader: u32, signal: libc::c_int) {
    let Ok(pid) = libc::pid_t::try_from(leader) else {
        return;
    };
    // SAFETY: plain syscalls on a process we started. The group is signalled while the child
    // still leads it, or once the child is gone (its members may outlive it, and Linux reuses
    // no pid that is still a group's id); never when the pid now belongs to another group.
    unsafe {
        let group = libc::getpgid(pid);
        if group == pid || group == -1 {
            libc::kill(-pid, signal);
        }
    }
}

/// The columns of the terminal on stdout, or `None` when stdout is no terminal or says nothing.
pub fn terminal_columns() -> Option<usize> {
    // SAFETY: TIOCGWINSZ fills a winsize, which is plain data that may start zeroed; the
    // descriptor is stdout's.
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
    (ok && size.ws_col > 0).then(|| usize::from(size.ws_col))
}
