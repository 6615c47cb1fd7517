//! A lock file in `.git/` that serialises worklog's commits across processes, so concurrent
//! `commit`s of different docs all land instead of racing on HEAD.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

const WAIT: Duration = Duration::from_secs(60);

/// Held while committing; removed on drop.
#[derive(Debug)]
pub struct CommitLock {
    path: PathBuf,
}

impl CommitLock {
    pub fn acquire(git_dir: &Path) -> Result<CommitLock> {
        let path = git_dir.join("worklog-commit.lock");
        let deadline = Instant::now() + WAIT;
        let mut pause = Duration::from_millis(5);
        loop {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    let _ = writeln!(f, "{}", std::process::id());
                    return Ok(CommitLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if holder_is_gone(&path) {
                        let _ = std::fs::remove_file(&path);
                        continue;
                    }
                    if Instant::now() > deadline {
                        return Err(Error::failed(format!(
                            "{}: another worklog commit has held this lock for over {}s",
                            path.display(),
                            WAIT.as_secs()
                        ))
                        .with_hint("if no worklog is running, remove the file"));
                    }
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(100));
                }
                Err(e) => return Err(Error::from(e).context(path.display())),
            }
        }
    }
}

impl Drop for CommitLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// True when the lock names a process that no longer exists.
fn holder_is_gone(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    match text.trim().parse::<u32>() {
        Ok(pid) => !crate::store::process_alive(pid),
        // Being written right now, or garbage: judge by age.
        Err(_) => std::fs::metadata(path)
            .and_then(|m| m.modified())
            .map(|t| t.elapsed().unwrap_or_default() > Duration::from_secs(10))
            .unwrap_or(false),
    }
}
