//! One raw message read into what the index keeps: ids, sender, recipients, subject,
//! date, every MIME text part (HTML turned into text, charsets decoded) and the worklog
//! headers that link a mail to a doc version.

use mail_parser::{Address, MessageParser, PartType};

/// A parsed message.
#[derive(Debug, Clone, Default)]
pub struct Mail {
    /// Message-ID without angle brackets, or `synthetic-<hash>` when it has none.
    pub message_id: String,
    /// Unix seconds (UTC); None when neither the Date header nor the fallback gave one.
    pub date: Option<i64>,
    /// `Name <addr>` of the first sender.
    pub from: String,
    /// Every To and Cc address, as `Name <addr>` joined by `, `.
    pub to: String,
    pub subject: String,
    /// All text parts, joined by blank lines.
    pub body: String,
    /// `X-Worklog-Commit`, `X-Worklog-Path`, `X-Worklog-Kind`, `X-Worklog-Tags`.
    pub commit: Option<String>,
    pub path: Option<String>,
    pub kind: Option<String>,
    pub tags: Vec<String>,
    /// What was wrong but could be worked around: "bad date", "bad encoding", "no Message-ID".
    pub problems: Vec<&'static str>,
}

fn addr_list(a: Option<&Address<'_>>, out: &mut Vec<String>) {
    let Some(a) = a else { return };
    for addr in a.iter() {
        let name = addr.name().unwrap_or("").trim();
        let email = addr.address().unwrap_or("").trim();
        out.push(match (name.is_empty(), email.is_empty()) {
            (true, _) => email.to_string(),
            (false, true) => name.to_string(),
            (false, false) => format!("{name} <{email}>"),
        });
    }
}

fn header_text<'a>(msg: &'a mail_parser::Message<'_>, name: &'a str) -> Option<&'a str> {
    msg.header_raw(name)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Parse `raw`; `fallback_date` (e.g. the mbox `From ` line's or the file's time) is used
/// when the Date header is missing or broken. Returns None only when the bytes are not a
/// message at all (no header could be read).
pub fn parse(raw: &[u8], fallback_date: Option<i64>) -> Option<Mail> {
    let msg = MessageParser::default().parse(raw)?;
    // Bytes that yield none of the headers every message has are not a message.
    let known = ["From", "Date", "Subject", "Message-ID", "To", "Received"];
    if !msg
        .headers()
        .iter()
        .any(|h| known.iter().any(|k| h.name().eq_ignore_ascii_case(k)))
    {
        return None;
    }
    let mut m = Mail::default();
    m.message_id = match msg.message_id().map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => id.trim_matches(|c| c == '<' || c == '>').to_string(),
        None => {
            m.problems.push("no Message-ID");
            format!("synthetic-{:016x}", crate::hash::fnv1a64(raw))
        }
    };
    m.date = match msg.date() {
        Some(d) if d.is_valid() && d.year >= 1970 => Some(d.to_timestamp()),
        _ => {
            m.problems.push("bad date");
            fallback_date
        }
    };
    let mut from = Vec::new();
    addr_list(msg.from(), &mut from);
    if from.is_empty() {
        addr_list(msg.sender(), &mut from);
    }
    m.from = from.into_iter().next().unwrap_or_default();
    let mut to = Vec::new();
    for a in msg.all_to() {
        addr_list(Some(a), &mut to);
    }
    for a in msg.all_cc() {
        addr_list(Some(a), &mut to);
    }
    m.to = to.join(", ");
    m.subject = msg.subject().unwrap_or("").to_string();
    m.commit = header_text(&msg, "X-Worklog-Commit").map(str::to_string);
    m.path = header_text(&msg, "X-Worklog-Path").map(str::to_string);
    m.kind = header_text(&msg, "X-Worklog-Kind").map(str::to_string);
    if let Some(t) = header_text(&msg, "X-Worklog-Tags") {
        m.tags = t
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_lowercase)
            .collect();
    }
    let mut body = String::with_capacity(raw.len());
    let mut bad_encoding = false;
    collect_text(&msg, &mut body, &mut bad_encoding, 0);
    if bad_encoding {
        m.problems.push("bad encoding");
    }
    m.body = body;
    Some(m)
}

fn collect_text(msg: &mail_parser::Message<'_>, body: &mut String, bad: &mut bool, depth: usize) {
    for part in &msg.parts {
        *bad |= part.is_encoding_problem;
        match &part.body {
            PartType::Text(t) => {
                if !body.is_empty() {
                    body.push_str("\n\n");
                }
                body.push_str(t);
            }
            PartType::Html(h) => {
                if !body.is_empty() {
                    body.push_str("\n\n");
                }
                body.push_str(&mail_parser::decoders::html::html_to_text(h));
            }
            // A forwarded message's text counts too; the depth bound keeps a hostile
            // nesting from recursing without end.
            PartType::Message(inner) if depth < 4 => {
                if let Some(s) = inner.subject() {
                    body.push_str("\n\n");
                    body.push_str(s);
                }
                collect_text(inner, body, bad, depth + 1);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_headers_text_parts_and_worklog_links() {
        let raw = b"From: Ann Admin <ann@example.test>\r\nTo: worklog@example.test\r\nSubject: =?utf-8?q?f=C3=BCr?= mail\r\nDate: Mon, 2 Feb 2015 10:00:00 +0100\r\nMessage-ID: <abc@host>\r\nX-Worklog-Commit: 0123abc\r\nX-Worklog-Path: howto/x.md\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ngr=FC=DFe\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>html <b>words</b></p>\r\n--b--\r\n";
        let m = parse(raw, None).unwrap();
        assert_eq!(m.message_id, "abc@host");
        assert_eq!(m.from, "Ann Admin <ann@example.test>");
        assert_eq!(m.subject, "für mail");
        assert_eq!(m.date, Some(1422867600));
        assert_eq!(m.commit.as_deref(), Some("0123abc"));
        assert_eq!(m.path.as_deref(), Some("howto/x.md"));
        assert!(m.body.contains("grüße"), "{}", m.body);
        assert!(m.body.contains("html words"), "{}", m.body);
        assert!(m.problems.is_empty());
    }

    #[test]
    fn broken_date_and_missing_id_are_worked_around() {
        let raw = b"From: x@y\nSubject: s\nDate: yesterday-ish\n\nbody\n";
        let m = parse(raw, Some(5)).unwrap();
        assert!(m.message_id.starts_with("synthetic-"));
        assert_eq!(m.date, Some(5));
        assert!(m.problems.contains(&"bad date"));
    }
}
