//! Mailed state in git notes (`refs/notes/worklog`), so it travels with the repository:
//! one JSON line per doc path the commit's mail was sent for.

use std::collections::HashMap;

use git2::Oid;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::store::{CommitLock, Repo};

pub const NOTES_REF: &str = "refs/notes/worklog";

/// One delivered mail: which doc of the commit, when, to whom, with which Message-ID; or,
/// with `skipped`, a version deliberately not mailed (`--no-mail`, ticks when
/// `mail-on-tick` is off), which is therefore not pending either.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mailed {
    pub path: String,
    pub when: String,
    pub to: String,
    pub message_id: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub skipped: bool,
}

/// Parse a note; lines that are not ours are kept out of the way, not an error.
fn parse(text: &str) -> Vec<Mailed> {
    text.lines()
        .filter_map(|l| serde_json::from_str(l.trim()).ok())
        .collect()
}

/// What the note on `commit` records.
pub fn read(repo: &Repo, commit: Oid) -> Vec<Mailed> {
    match repo.git().find_note(Some(NOTES_REF), commit) {
        Ok(n) => parse(n.message().unwrap_or("")),
        Err(_) => Vec::new(),
    }
}

/// Every note at once: commit → records (one pass, for `status`, `check` and `log`).
pub fn all(repo: &Repo) -> Result<HashMap<Oid, Vec<Mailed>>> {
    let mut out = HashMap::new();
    let notes = match repo.git().notes(Some(NOTES_REF)) {
        Ok(n) => n,
        Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(out),
        Err(e) => return Err(e.into()),
    };
    for pair in notes {
        let (note_blob, commit) = pair?;
        let text = repo.git().find_blob(note_blob)?.content().to_vec();
        out.insert(commit, parse(&String::from_utf8_lossy(&text)));
    }
    Ok(out)
}

/// Record that the mail for `entry.path` of `commit` went out. A resend replaces the
/// path's earlier record. Serialised with worklog's commit lock, since concurrent note
/// writes would race on the notes ref.
pub fn record(repo: &Repo, commit: Oid, entry: Mailed, sig: &git2::Signature<'_>) -> Result<()> {
    let _lock = CommitLock::acquire(repo.git().path())?;
    let mut records = read(repo, commit);
    records.retain(|m| m.path != entry.path);
    records.push(entry);
    records.sort_by(|a, b| a.path.cmp(&b.path));
    let mut text = String::new();
    for r in &records {
        text.push_str(&serde_json::to_string(r)?);
        text.push('\n');
    }
    repo.git()
        .note(sig, sig, Some(NOTES_REF), commit, &text, true)?;
    Ok(())
}
