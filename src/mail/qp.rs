//! Quoted-printable body encoding that carries a doc's text through any MTA unchanged.

/// Longest encoded line before a soft break (`=`), within RFC 2045's 76.
const MAX_LINE: usize = 75;

/// Encode `data` as quoted-printable with CRLF line ends (RFC 2045). Every line break of
/// the input becomes a hard break and long lines get soft breaks, so decoding gives back
/// exactly `data`. Beyond what the RFC demands it also encodes what mail transports are
/// known to mangle: trailing blanks, a `.` or `From ` at the start of an encoded line, a
/// lone CR, and every non-ASCII byte.
///
/// The result lacks its final line end: the message format adds exactly one CRLF after
/// the body (and SMTP's end-of-data supplies it), which ends the last line. Text without
/// a final newline ends in `=`, so that CRLF is a soft break and adds nothing.
pub fn encode(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 8 + 8);
    let ends_with_newline = data.last() == Some(&b'\n');
    let body = if ends_with_newline {
        &data[..data.len() - 1]
    } else {
        data
    };
    let lines: Vec<&[u8]> = body.split(|b| *b == b'\n').collect();
    for (n, line) in lines.iter().enumerate() {
        if n > 0 {
            out.extend_from_slice(b"\r\n");
        }
        let last = n + 1 == lines.len();
        encode_line(line, last && !ends_with_newline, &mut out);
    }
    if !ends_with_newline {
        out.push(b'=');
    }
    out
}

/// Encode one line. `soft_end`: a `=` follows it, so its last column is taken.
fn encode_line(line: &[u8], soft_end: bool, out: &mut Vec<u8>) {
    let mut col = 0;
    for (i, &b) in line.iter().enumerate() {
        let last = i + 1 == line.len();
        let mut escape = b == b'='
            || b >= 0x7f
            || (b < 0x20 && b != b'\t')
            || ((b == b' ' || b == b'\t') && last);
        let width = |escape: bool| if escape { 3 } else { 1 };
        // The final character may use the last column unless a soft break follows it.
        let limit = if last && !soft_end {
            MAX_LINE + 1
        } else {
            MAX_LINE
        };
        if col > 0 && col + width(escape || at_line_start_risk(line, i)) > limit {
            out.extend_from_slice(b"=\r\n");
            col = 0;
        }
        if col == 0 && at_line_start_risk(line, i) {
            escape = true;
        }
        if escape {
            out.extend_from_slice(format!("={b:02X}").as_bytes());
        } else {
            out.push(b);
        }
        col += width(escape);
    }
}

/// A `.` (SMTP's end of data) or `From ` (mbox's separator) that would start a line.
fn at_line_start_risk(line: &[u8], i: usize) -> bool {
    line[i] == b'.' || line[i..].starts_with(b"From ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A straightforward RFC 2045 decoder for checking round trips.
    /// `enc` is followed by the one CRLF the message format adds.
    fn decode(enc: &[u8]) -> Vec<u8> {
        let text = format!("{}\r\n", std::str::from_utf8(enc).unwrap());
        let text = text.as_str();
        let mut out = Vec::new();
        let lines: Vec<&str> = text.split("\r\n").collect();
        for (n, l) in lines.iter().enumerate() {
            assert!(l.len() <= 76, "encoded line too long: {l:?}");
            assert!(
                !l.starts_with('.') && !l.starts_with("From "),
                "risky line start: {l:?}"
            );
            assert!(
                !l.ends_with(' ') && !l.ends_with('\t'),
                "trailing blank: {l:?}"
            );
            let (l, soft) = match l.strip_suffix('=') {
                Some(s) => (s, true),
                None => (*l, false),
            };
            let b = l.as_bytes();
            let mut i = 0;
            while i < b.len() {
                if b[i] == b'=' {
                    out.push(u8::from_str_radix(&l[i + 1..i + 3], 16).unwrap());
                    i += 3;
                } else {
                    out.push(b[i]);
                    i += 1;
                }
            }
            if !soft && n + 1 < lines.len() {
                out.push(b'\n');
            }
        }
        out
    }

    #[test]
    fn round_trips_what_transports_mangle() {
        let long: String = (0..300)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let cases: Vec<String> = vec![
            String::new(),
            "plain\n".into(),
            "no newline at end".into(),
            format!("{long}\n"),
            "trailing spaces   \nand tab\t\n".into(),
            "From the start\n.\n..\n. dot space\n".into(),
            "Grüße, ÄÖÜ — ünïcödé\n".into(),
            "a = b\r\ncrlf line\n".into(),
            format!("{}From here\n", "x".repeat(75)),
            format!("{}.\n", "y".repeat(75)),
            format!("{} {}\n", "z".repeat(74), "w".repeat(10)),
            "\n\n\n".into(),
        ];
        for c in cases {
            let enc = encode(c.as_bytes());
            assert_eq!(
                decode(&enc),
                c.as_bytes(),
                "case {c:?} encoded as {:?}",
                String::from_utf8_lossy(&enc)
            );
        }
    }

    #[test]
    fn soft_breaks_never_expose_a_dot_or_from() {
        for pad in 70..80 {
            let text = format!("{}.From x .\n", "q".repeat(pad));
            let enc = encode(text.as_bytes());
            assert_eq!(decode(&enc), text.as_bytes());
        }
    }
}
