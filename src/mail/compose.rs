//! Building the mail for one version of one doc: subject, `X-Worklog-*` headers, a stable
//! Message-ID, and a quoted-printable body that survives any transport byte for byte.

use std::time::{Duration, SystemTime};

use chrono::{DateTime, FixedOffset};
use lettre::message::header::{
    self, ContentTransferEncoding, ContentType, HeaderName, HeaderValue,
};
use lettre::message::{Body, Mailbox, Mailboxes, SinglePart};

use super::qp;
use crate::doc::{Document, kind_of};
use crate::error::{Error, Result};
use crate::store::{CommitInfo, Identity};

/// One version of a doc as a commit left it.
#[derive(Debug, Clone)]
pub struct Update {
    pub commit: CommitInfo,
    /// Root-relative path of the doc in that commit.
    pub path: String,
    /// The doc's full text at that commit; `None` when the commit deleted it.
    pub text: Option<Vec<u8>>,
}

/// A mail ready to hand to a transport.
#[derive(Debug, Clone)]
pub struct Composed {
    pub path: String,
    pub commit: git2::Oid,
    pub message_id: String,
    /// The recipients as written in the To header.
    pub to: String,
    pub message: lettre::Message,
}

impl Composed {
    /// The message with CRLF line ends, as it goes over SMTP.
    pub fn crlf(&self) -> Vec<u8> {
        self.message.formatted()
    }

    /// The message with LF line ends, as local delivery and `sendmail` expect it.
    pub fn lf(&self) -> Vec<u8> {
        let crlf = self.crlf();
        let mut out = Vec::with_capacity(crlf.len());
        let mut i = 0;
        while i < crlf.len() {
            if crlf[i] == b'\r' && crlf.get(i + 1) == Some(&b'\n') {
                i += 1;
                continue;
            }
            out.push(crlf[i]);
            i += 1;
        }
        out
    }

    /// The envelope sender (the From address).
    pub fn from_address(&self) -> String {
        self.message
            .envelope()
            .from()
            .map(|a| a.to_string())
            .unwrap_or_default()
    }

    /// The envelope recipients.
    pub fn to_addresses(&self) -> Vec<String> {
        self.message
            .envelope()
            .to()
            .iter()
            .map(|a| a.to_string())
            .collect()
    }
}

/// Who sends and who receives: resolved once per run.
#[derive(Debug, Clone)]
pub struct Addressing {
    pub from: Mailbox,
    pub to: Mailboxes,
    pub to_text: String,
    pub subject_prefix: String,
}

impl Addressing {
    pub fn new(identity: &Identity, to: &str, subject_prefix: &str) -> Result<Addressing> {
        let address = identity.email.parse().map_err(|e| {
            Error::user(format!(
                "your email address {:?} is not usable as a mail sender ({e})",
                identity.email
            ))
            .with_hint("set git's user.email (or `email` in the worklog user config)")
        })?;
        let to_list: Mailboxes = to.parse().map_err(|e| {
            Error::user(format!(
                "worklog.toml: [mail] to = {to:?} is not a mail address ({e})"
            ))
            .with_hint("write it like \"worklog@example.org\"")
        })?;
        Ok(Addressing {
            from: Mailbox::new(Some(identity.name.clone()), address),
            to: to_list,
            to_text: to.to_string(),
            subject_prefix: subject_prefix.to_string(),
        })
    }
}

/// `<worklog.{commit}.{hash of path}@{domain of From}>`: the same for every resend, so an
/// archive indexer can link a mail to the version it carries and drop duplicates.
pub fn message_id(commit: git2::Oid, path: &str, from_domain: &str) -> String {
    let domain = if from_domain.is_empty() {
        "worklog.invalid"
    } else {
        from_domain
    };
    format!(
        "<worklog.{commit}.{:016x}@{domain}>",
        crate::hash::fnv1a64(path.as_bytes())
    )
}

/// `KIND/NAME` of a doc path: the path without `.md`.
pub fn doc_label(path: &str) -> &str {
    path.strip_suffix(".md").unwrap_or(path)
}

/// The body: the commit message, a blank line, then the doc's full text (or a note that the
/// commit removed the doc).
pub fn body(update: &Update) -> Vec<u8> {
    let mut out = update.commit.message.trim_end().as_bytes().to_vec();
    out.extend_from_slice(b"\n\n");
    match &update.text {
        Some(text) => out.extend_from_slice(text),
        None => out.extend_from_slice(
            format!(
                "[worklog] {} was removed in commit {}.\n",
                update.path, update.commit.id
            )
            .as_bytes(),
        ),
    }
    out
}

/// Compose the mail for `update`, dated `now`.
pub fn compose(addr: &Addressing, update: &Update, now: DateTime<FixedOffset>) -> Result<Composed> {
    let first_line = update.commit.message.lines().next().unwrap_or("").trim();
    let label = doc_label(&update.path);
    let subject = if addr.subject_prefix.is_empty() {
        format!("{label}: {first_line}")
    } else {
        format!("{} {label}: {first_line}", addr.subject_prefix)
    };
    let tags = update
        .text
        .as_ref()
        .and_then(|t| Document::parse(&update.path, t).ok())
        .map(|d| d.front.tags.join(","))
        .unwrap_or_default();
    let kind = kind_of(&update.path).unwrap_or("");
    let id = message_id(update.commit.id, &update.path, addr.from.email.domain());
    let date =
        SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(now.timestamp()).unwrap_or(0));

    let x = |name: &'static str, value: &str| {
        HeaderValue::new(HeaderName::new_from_ascii_str(name), value.to_string())
    };
    let encoded = qp::encode(&body(update));
    let part = SinglePart::builder()
        .header(
            ContentType::parse("text/plain; charset=utf-8")
                .map_err(|e| Error::internal(format!("content type: {e}")))?,
        )
        .body(Body::dangerous_pre_encoded(
            encoded,
            ContentTransferEncoding::QuotedPrintable,
        ));
    let message = lettre::Message::builder()
        .from(addr.from.clone())
        .mailbox(header::To::from(addr.to.clone()))
        .subject(subject)
        .date(date)
        .message_id(Some(id.clone()))
        .raw_header(x("X-Worklog-Path", &update.path))
        .raw_header(x("X-Worklog-Commit", &update.commit.id.to_string()))
        .raw_header(x("X-Worklog-Kind", kind))
        .raw_header(x("X-Worklog-Tags", &tags))
        .singlepart(part)
        .map_err(|e| Error::internal(format!("{}: could not build the mail: {e}", update.path)))?;
    Ok(Composed {
        path: update.path.clone(),
        commit: update.commit.id,
        message_id: id,
        to: addr.to_text.clone(),
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_id_is_stable_and_differs_per_path() {
        let c = git2::Oid::from_str("0123456789abcdef0123456789abcdef01234567").unwrap();
        let a = message_id(c, "howto/a.md", "example.org");
        assert_eq!(a, message_id(c, "howto/a.md", "example.org"));
        assert_ne!(a, message_id(c, "howto/b.md", "example.org"));
        assert!(
            a.starts_with("<worklog.0123456789abcdef0123456789abcdef01234567."),
            "{a}"
        );
        assert!(a.ends_with("@example.org>"), "{a}");
    }

    fn update(text: Option<&str>) -> Update {
        let time = chrono::DateTime::parse_from_rfc3339("2015-02-02T10:00:00+01:00").unwrap();
        Update {
            commit: CommitInfo {
                id: git2::Oid::from_str("0123456789abcdef0123456789abcdef01234567").unwrap(),
                time,
                author: "Ann Admin".into(),
                email: "ann@example.org".into(),
                summary: "fix the restore step".into(),
                message: "fix the restore step\n\nMore words.\n".into(),
            },
            path: "howto/restore.md".into(),
            text: text.map(|t| t.as_bytes().to_vec()),
        }
    }

    #[test]
    fn headers_subject_and_body() {
        let id = Identity {
            name: "Ann Admin".into(),
            email: "ann@example.org".into(),
        };
        let u = update(Some("---\ntags: [backup, disks]\n---\n# Restore\n"));
        for (prefix, subject) in [
            (
                "[worklog]",
                "Subject: [worklog] howto/restore: fix the restore step",
            ),
            ("", "Subject: howto/restore: fix the restore step"),
        ] {
            let addr = Addressing::new(&id, "team@example.org", prefix).unwrap();
            let m = compose(&addr, &u, u.commit.time).unwrap();
            let text = String::from_utf8(m.lf()).unwrap();
            assert!(!text.contains('\r'));
            for want in [
                subject,
                "From: \"Ann Admin\" <ann@example.org>",
                "To: team@example.org",
                "X-Worklog-Path: howto/restore.md",
                "X-Worklog-Commit: 0123456789abcdef0123456789abcdef01234567",
                "X-Worklog-Kind: howto",
                "X-Worklog-Tags: backup,disks",
                "Date: Mon, 02 Feb 2015 09:00:00 +0000",
                "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: quoted-printable",
                "\n\nfix the restore step\n\nMore words.\n\n---\ntags: [backup, disks]\n",
            ] {
                assert!(text.contains(want), "{want:?} missing in:\n{text}");
            }
            assert_eq!(m.to_addresses(), ["team@example.org"]);
            assert_eq!(m.from_address(), "ann@example.org");
        }
        let bad = Addressing::new(&id, "not an address", "[worklog]").unwrap_err();
        assert!(bad.message().contains("[mail] to"), "{bad}");
    }

    #[test]
    fn a_deleted_doc_says_so() {
        let b = String::from_utf8(body(&update(None))).unwrap();
        assert!(b.starts_with("fix the restore step\n\nMore words.\n\n[worklog] howto/restore.md was removed in commit 0123456789"), "{b}");
    }

    #[test]
    fn label_drops_md() {
        assert_eq!(
            doc_label("checklists/fs-migration.md"),
            "checklists/fs-migration"
        );
    }
}
