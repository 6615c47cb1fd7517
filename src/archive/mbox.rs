//! Splitting an mbox stream into messages. Every line starting with `From ` begins a
//! message (mboxrd and mboxo both quote such lines in bodies); `>From `, `>>From ` lines
//! lose one `>` (mboxrd unquoting, which is also the best guess for mboxo).

use std::io::BufRead;

/// One message cut out of an mbox.
#[derive(Debug, Clone)]
pub struct RawMessage {
    /// The `From ` separator line, without its newline.
    pub from_line: Vec<u8>,
    /// The message bytes, unquoted.
    pub bytes: Vec<u8>,
}

/// Read messages from `input` and hand each to `f`; returns the number of bytes consumed.
/// Bytes before the first `From ` line are ignored.
pub fn read_messages<R: BufRead>(
    mut input: R,
    mut f: impl FnMut(RawMessage) -> bool,
) -> std::io::Result<u64> {
    let mut line = Vec::with_capacity(1024);
    let mut cur: Option<RawMessage> = None;
    let mut consumed = 0u64;
    loop {
        line.clear();
        let n = input.read_until(b'\n', &mut line)?;
        if n == 0 {
            break;
        }
        consumed += n as u64;
        if line.starts_with(b"From ") {
            if let Some(m) = cur.take()
                && !f(m)
            {
                return Ok(consumed);
            }
            let end = line.len() - usize::from(line.ends_with(b"\n"));
            let end = end - usize::from(line[..end].ends_with(b"\r"));
            cur = Some(RawMessage {
                from_line: line[..end].to_vec(),
                bytes: Vec::with_capacity(8192),
            });
            continue;
        }
        let Some(m) = cur.as_mut() else { continue };
        if line.first() == Some(&b'>') {
            let gts = line.iter().take_while(|&&b| b == b'>').count();
            if line[gts..].starts_with(b"From ") {
                m.bytes.extend_from_slice(&line[1..]);
                continue;
            }
        }
        m.bytes.extend_from_slice(&line);
    }
    if let Some(m) = cur.take() {
        f(m);
    }
    Ok(consumed)
}

/// The date of an mbox `From sender Mon Apr 29 12:00:00 2019` line, as Unix seconds (UTC).
pub fn from_line_date(line: &[u8]) -> Option<i64> {
    let s = std::str::from_utf8(line).ok()?;
    let rest = s.strip_prefix("From ")?.trim();
    let (_, date) = rest.split_once(' ')?;
    let date = date.split_whitespace().collect::<Vec<_>>().join(" ");
    chrono::NaiveDateTime::parse_from_str(&date, "%a %b %d %H:%M:%S %Y")
        .ok()
        .map(|t| t.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(input: &str) -> Vec<String> {
        let mut out = Vec::new();
        read_messages(input.as_bytes(), |m| {
            out.push(String::from_utf8(m.bytes).unwrap());
            true
        })
        .unwrap();
        out
    }

    #[test]
    fn splits_and_unquotes_mboxrd() {
        let m = split(
            "From a Mon Apr 29 12:00:00 2019\nSubject: x\n\n>From here\n>>From there\n>not from\n\nFrom b Tue Apr 30 12:00:00 2019\nSubject: y\n\nbody\n",
        );
        assert_eq!(m.len(), 2);
        assert_eq!(m[0], "Subject: x\n\nFrom here\n>From there\n>not from\n\n");
        assert_eq!(m[1], "Subject: y\n\nbody\n");
    }

    #[test]
    fn reads_the_from_line_date() {
        assert_eq!(
            from_line_date(b"From x@y Mon Apr 29 12:00:00 2019"),
            Some(1556539200)
        );
        assert!(from_line_date(b"From x@y  Mon Apr  1 12:00:00 2019").is_some());
        assert_eq!(from_line_date(b"From x@y garbage"), None);
    }
}
