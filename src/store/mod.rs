//! The doc root on disk and in git.

mod commit_lock;
mod repo;

pub use commit_lock::CommitLock;

pub use repo::{Change, CommitInfo, DirtyDoc, Identity, Repo, Version, commit_info, git_time};

/// True when a process with this pid exists on this machine.
pub fn process_alive(pid: u32) -> bool {
    let Ok(pid) = i32::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // kill(pid, 0) probes without sending; EPERM still means it exists.
    let path = format!("/proc/{pid}");
    std::path::Path::new(&path).exists()
}
