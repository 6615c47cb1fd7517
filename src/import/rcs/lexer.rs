//! Tokens of the RCS `,v` grammar (rcsfile(5)): words (ids and nums), `@`-strings,
//! `:` and `;`, each with the byte offset and line where it starts.

use std::fmt;

/// Where in the `,v` file something is: 1-based line and 0-based byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub offset: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {} (byte {})", self.line, self.offset)
    }
}

/// A malformed `,v` file: what was wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub pos: Pos,
    pub msg: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pos, self.msg)
    }
}

impl ParseError {
    pub fn new(pos: Pos, msg: impl Into<String>) -> ParseError {
        ParseError {
            pos,
            msg: msg.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok<'a> {
    /// An id, sym or num: a run of characters other than white space, `;`, `:` and `@`.
    Word(&'a [u8]),
    /// An `@`-string with `@@` already turned into `@`.
    Str(Vec<u8>),
    Colon,
    Semi,
    Eof,
}

impl Tok<'_> {
    /// How the token reads in an error message.
    pub fn describe(&self) -> String {
        match self {
            Tok::Word(w) => format!("`{}`", String::from_utf8_lossy(w)),
            Tok::Str(_) => "an @-string".into(),
            Tok::Colon => "`:`".into(),
            Tok::Semi => "`;`".into(),
            Tok::Eof => "the end of the file (truncated?)".into(),
        }
    }
}

/// True for a word that is an RCS num (revision or date): digits and dots only.
pub fn is_num(w: &[u8]) -> bool {
    !w.is_empty() && w.iter().all(|b| b.is_ascii_digit() || *b == b'.')
}

pub struct Lexer<'a> {
    buf: &'a [u8],
    pos: Pos,
    peeked: Option<(Pos, Tok<'a>)>,
}

impl<'a> Lexer<'a> {
    pub fn new(buf: &'a [u8]) -> Lexer<'a> {
        Lexer {
            buf,
            pos: Pos { line: 1, offset: 0 },
            peeked: None,
        }
    }

    /// Where the next token starts (after white space).
    pub fn peek(&mut self) -> Result<&(Pos, Tok<'a>), ParseError> {
        if self.peeked.is_none() {
            let t = self.lex()?;
            self.peeked = Some(t);
        }
        Ok(self.peeked.as_ref().expect("just filled"))
    }

    pub fn next_tok(&mut self) -> Result<(Pos, Tok<'a>), ParseError> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lex(),
        }
    }

    fn bump(&mut self) -> u8 {
        let b = self.buf[self.pos.offset];
        self.pos.offset += 1;
        if b == b'\n' {
            self.pos.line += 1;
        }
        b
    }

    fn lex(&mut self) -> Result<(Pos, Tok<'a>), ParseError> {
        while self.pos.offset < self.buf.len() && is_space(self.buf[self.pos.offset]) {
            self.bump();
        }
        let start = self.pos;
        let Some(&b) = self.buf.get(self.pos.offset) else {
            return Ok((start, Tok::Eof));
        };
        match b {
            b';' => {
                self.bump();
                Ok((start, Tok::Semi))
            }
            b':' => {
                self.bump();
                Ok((start, Tok::Colon))
            }
            b'@' => {
                self.bump();
                let mut s = Vec::new();
                loop {
                    if self.pos.offset >= self.buf.len() {
                        return Err(ParseError::new(
                            start,
                            "@-string is not closed before the end of the file (truncated?)",
                        ));
                    }
                    let c = self.bump();
                    if c == b'@' {
                        if self.buf.get(self.pos.offset) == Some(&b'@') {
                            self.bump();
                            s.push(b'@');
                        } else {
                            break;
                        }
                    } else {
                        s.push(c);
                    }
                }
                Ok((start, Tok::Str(s)))
            }
            _ => {
                let from = self.pos.offset;
                while let Some(&c) = self.buf.get(self.pos.offset) {
                    if is_space(c) || c == b';' || c == b':' || c == b'@' {
                        break;
                    }
                    self.bump();
                }
                Ok((start, Tok::Word(&self.buf[from..self.pos.offset])))
            }
        }
    }
}

/// White space as RCS sees it: space, tabs, newline, vertical tab, form feed, carriage return.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok<'_>> {
        let mut l = Lexer::new(s.as_bytes());
        let mut out = Vec::new();
        loop {
            let (_, t) = l.next_tok().unwrap();
            if t == Tok::Eof {
                return out;
            }
            out.push(t);
        }
    }

    #[test]
    fn words_strings_and_punctuation() {
        assert_eq!(
            toks("head\t1.3;\nlocks bob:1.2; strict;\ncomment @# @;"),
            vec![
                Tok::Word(b"head"),
                Tok::Word(b"1.3"),
                Tok::Semi,
                Tok::Word(b"locks"),
                Tok::Word(b"bob"),
                Tok::Colon,
                Tok::Word(b"1.2"),
                Tok::Semi,
                Tok::Word(b"strict"),
                Tok::Semi,
                Tok::Word(b"comment"),
                Tok::Str(b"# ".to_vec()),
                Tok::Semi,
            ]
        );
    }

    #[test]
    fn doubled_at_is_one_at() {
        assert_eq!(toks("@a @@ b@@@"), vec![Tok::Str(b"a @ b@".to_vec())]);
        assert_eq!(toks("@@"), vec![Tok::Str(Vec::new())]);
    }

    #[test]
    fn unterminated_string_names_where_it_started() {
        let mut l = Lexer::new(b"text\n@abc\n@@");
        l.next_tok().unwrap();
        let e = l.next_tok().unwrap_err();
        assert_eq!(e.pos, Pos { line: 2, offset: 5 });
        assert!(e.msg.contains("not closed"), "{e}");
    }

    #[test]
    fn positions_count_lines_inside_strings() {
        let mut l = Lexer::new(b"@a\nb\n@ next");
        l.next_tok().unwrap();
        let (p, t) = l.next_tok().unwrap();
        assert_eq!(t, Tok::Word(b"next"));
        assert_eq!(p, Pos { line: 3, offset: 7 });
    }

    #[test]
    fn nums_are_digits_and_dots() {
        assert!(is_num(b"1.2.1.1"));
        assert!(is_num(b"99.01.02.03.04.05"));
        assert!(!is_num(b"Exp"));
        assert!(!is_num(b""));
    }
}
