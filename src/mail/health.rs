//! What `status` and `check` report: uncommitted docs, unmailed versions, edit locks, and
//! the same as Prometheus text-format metrics for node_exporter's textfile collector.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use chrono::{DateTime, FixedOffset};

use super::pending::{MailState, Pending};
use crate::error::{Error, IoContext, Result};
use crate::store::{DirtyDoc, LockInfo, Repo, edit_locks};

/// The state of a doc root that needs someone's attention.
pub struct Health {
    pub uncommitted: Vec<DirtyDoc>,
    pub unmailed: Vec<Pending>,
    pub locks: Vec<LockInfo>,
}

impl Health {
    pub fn gather(repo: &Repo) -> Result<Health> {
        Ok(Health {
            uncommitted: repo.dirty_docs()?,
            unmailed: MailState::load(repo)?.pending(repo)?,
            locks: edit_locks(repo.git().path()),
        })
    }

    pub fn stale_locks(&self) -> usize {
        self.locks.iter().filter(|l| l.is_stale()).count()
    }

    /// Problems: uncommitted docs, unmailed versions, stale locks (a held lock is someone
    /// at work, not a problem).
    pub fn problems(&self) -> usize {
        self.uncommitted.len() + self.unmailed.len() + self.stale_locks()
    }

    /// Prometheus text format (version 0.0.4), every sample labelled with the root.
    pub fn metrics(&self, root: &Path, now: DateTime<FixedOffset>) -> String {
        let root = escape_label(&root.display().to_string());
        let oldest = self
            .unmailed
            .iter()
            .map(|p| p.commit.time.timestamp())
            .min()
            .unwrap_or(0);
        let held = self.locks.len() - self.stale_locks();
        let gauges: [(&str, &str, i64); 6] = [
            (
                "worklog_uncommitted_docs",
                "Docs with changes not committed to git.",
                self.uncommitted.len() as i64,
            ),
            (
                "worklog_unmailed_commits",
                "Committed doc versions not yet mailed to the worklog address.",
                self.unmailed.len() as i64,
            ),
            (
                "worklog_oldest_unmailed_commit_timestamp_seconds",
                "Commit time of the oldest unmailed doc version (0 when none).",
                oldest,
            ),
            (
                "worklog_stale_locks",
                "Edit locks left by worklog processes that are gone.",
                self.stale_locks() as i64,
            ),
            (
                "worklog_held_locks",
                "Edit locks held by running worklog edits.",
                held as i64,
            ),
            (
                "worklog_check_timestamp_seconds",
                "When worklog check last ran.",
                now.timestamp(),
            ),
        ];
        let mut out = String::new();
        for (name, help, value) in gauges {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} gauge");
            let _ = writeln!(out, "{name}{{root=\"{root}\"}} {value}");
        }
        out
    }
}

/// Label values escape backslash, double quote and newline.
fn escape_label(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Replace `file` atomically: a temp file in the same directory, renamed over it, so the
/// textfile collector never reads half a file. World-readable, as node_exporter usually
/// runs as another user.
pub fn write_atomically(file: &Path, text: &str) -> Result<()> {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".worklog-metrics.")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_path(dir)?;
    tmp.write_all(text.as_bytes()).with_path(tmp.path())?;
    tmp.as_file().sync_all().with_path(tmp.path())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(file)
        .map_err(|e| Error::from(e.error).context(file.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
