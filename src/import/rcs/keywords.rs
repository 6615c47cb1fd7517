//! Collapsing expanded RCS keywords (`$Id: f,v 1.3 ... $` → `$Id$`), so a checked-out
//! working file compares equal to the stored revision it came from.

const KEYWORDS: &[&[u8]] = &[
    b"Author",
    b"Date",
    b"Header",
    b"Id",
    b"Locker",
    b"Log",
    b"Name",
    b"RCSfile",
    b"Revision",
    b"Source",
    b"State",
];

/// `text` with every `$Keyword: value $` on one line turned back into `$Keyword$`.
pub fn collapse(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'$'
            && let Some(end) = expanded_at(&text[i..])
        {
            let kw_end = text[i + 1..].iter().position(|b| *b == b':').unwrap_or(0) + i + 1;
            out.extend_from_slice(&text[i..kw_end]);
            out.push(b'$');
            i += end;
            continue;
        }
        out.push(text[i]);
        i += 1;
    }
    out
}

/// If `s` (starting at `$`) is an expanded keyword, its length including the closing `$`.
fn expanded_at(s: &[u8]) -> Option<usize> {
    let kw = KEYWORDS
        .iter()
        .find(|k| s[1..].starts_with(k) && s.get(1 + k.len()) == Some(&b':'))?;
    let rest = &s[2 + kw.len()..];
    let close = rest.iter().position(|b| *b == b'$' || *b == b'\n')?;
    (rest[close] == b'$').then_some(2 + kw.len() + close + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_expanded_keywords_only() {
        let t = b"# $Id: a.txt,v 1.3 2003/02/03 04:05:06 alice Exp $\n$Revision: 1.3 $ $Foo: x $ $Id$\ncost: $5\n";
        assert_eq!(
            collapse(t),
            b"# $Id$\n$Revision$ $Foo: x $ $Id$\ncost: $5\n".to_vec()
        );
    }

    #[test]
    fn an_unclosed_keyword_stays() {
        assert_eq!(collapse(b"$Id: open\n$"), b"$Id: open\n$".to_vec());
    }
}
