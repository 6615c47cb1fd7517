//! Mail: composing a doc update, delivering it, and remembering in git notes what was
//! mailed, so nothing committed is ever silently left unsent.

mod compose;
mod health;
mod notes;
mod pending;
mod qp;
mod transport;

pub use compose::{Addressing, Composed, Update, body, compose, doc_label, message_id};
pub use health::{Health, write_atomically};
pub use notes::{Mailed, NOTES_REF};
pub use pending::{MailState, Pending, has_trailer};
pub use transport::{Mailer, deliver_maildir};

use chrono::{DateTime, FixedOffset};
use git2::Oid;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::store::{Identity, Repo};

/// Everything needed to send updates in one run: addresses, transport, clock.
pub struct Outbox<'a> {
    repo: &'a Repo,
    addressing: Addressing,
    mailer: Mailer,
    identity: Identity,
    now: DateTime<FixedOffset>,
}

/// The error for a missing worklog address.
pub fn no_address(cfg: &Config) -> Error {
    Error::user("no worklog address to mail to: [mail] to is not set").with_hint(format!(
        "add `to = \"worklog@example.org\"` under [mail] in {} (or set WORKLOG_MAIL_TO)",
        cfg.root.join(crate::config::TEAM_FILE).display()
    ))
}

/// Record that `paths` of `commit` are deliberately not mailed (`--no-mail`): they are
/// not pending, and `worklog mail DOC` can still send them.
pub fn record_skipped(
    repo: &Repo,
    commit: Oid,
    paths: &[&str],
    identity: &Identity,
    now: DateTime<FixedOffset>,
) -> Result<()> {
    let sig = Repo::signature(identity, now)?;
    for p in paths {
        notes::record(
            repo,
            commit,
            Mailed {
                path: (*p).to_string(),
                when: now.to_rfc3339(),
                to: String::new(),
                message_id: String::new(),
                skipped: true,
            },
            &sig,
        )?;
    }
    Ok(())
}

impl<'a> Outbox<'a> {
    pub fn new(
        cfg: &Config,
        repo: &'a Repo,
        identity: Identity,
        env: &crate::env::Env,
        now: DateTime<FixedOffset>,
    ) -> Result<Outbox<'a>> {
        let to = cfg.mail_to.as_deref().ok_or_else(|| no_address(cfg))?;
        Ok(Outbox {
            repo,
            addressing: Addressing::new(&identity, to, &cfg.subject_prefix)?,
            mailer: Mailer::new(&cfg.transport, env),
            identity,
            now,
        })
    }

    pub fn describe(&self) -> String {
        self.mailer.describe()
    }

    /// The doc at `path` as `commit` left it.
    pub fn update_at(&self, commit: Oid, path: &str) -> Result<Update> {
        let c = self.repo.git().find_commit(commit)?;
        let text = match c.tree()?.get_path(std::path::Path::new(path)) {
            Ok(entry) => Some(self.repo.blob(entry.id())?),
            Err(_) => None,
        };
        Ok(Update {
            commit: crate::store::commit_info(&c),
            path: path.to_string(),
            text,
        })
    }

    pub fn compose(&self, update: &Update) -> Result<Composed> {
        compose(&self.addressing, update, self.now)
    }

    /// Send `mail` and record it in the commit's note. A failed send records nothing.
    pub fn deliver(&self, mail: &Composed) -> Result<()> {
        self.mailer.send(mail)?;
        let sig = Repo::signature(&self.identity, self.now)?;
        notes::record(
            self.repo,
            mail.commit,
            Mailed {
                path: mail.path.clone(),
                when: self.now.to_rfc3339(),
                to: mail.to.clone(),
                message_id: mail.message_id.clone(),
                skipped: false,
            },
            &sig,
        )
        .map_err(|e| {
            Error::failed(format!(
                "{}: mailed, but recording it in {NOTES_REF} failed: {}",
                mail.path,
                e.message()
            ))
            .with_hint("`worklog mail --pending` would send it again")
        })
    }
}
