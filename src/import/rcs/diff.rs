//! Applying an RCS reverse diff (`dN M` / `aN M` commands, line numbers of the newer
//! text) to the newer revision's text to get the older one.

/// What was wrong with a diff, and where in the diff text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffError {
    /// 1-based line of the diff text.
    pub line: usize,
    /// Byte offset of that line in the diff text.
    pub at: usize,
    pub msg: String,
}

/// The lines of a text, each with its newline (the last may have none).
pub fn lines(text: &[u8]) -> Vec<&[u8]> {
    text.split_inclusive(|b| *b == b'\n').collect()
}

/// Apply `diff` to `base`. Commands come in increasing line order; `dN M` deletes M lines
/// from line N, `aN M` adds the M lines that follow it after line N.
pub fn apply_reverse_diff(base: &[u8], diff: &[u8]) -> Result<Vec<u8>, DiffError> {
    let src = lines(base);
    let cmds = lines(diff);
    let mut out: Vec<u8> = Vec::with_capacity(base.len());
    let mut cursor = 0usize; // lines of `src` consumed
    let mut i = 0usize;
    let mut at = 0usize;
    while i < cmds.len() {
        let line_no = i + 1;
        let line_at = at;
        let fail = |msg: String| DiffError {
            line: line_no,
            at: line_at,
            msg,
        };
        let cmd = cmds[i];
        at += cmd.len();
        i += 1;
        let shown = String::from_utf8_lossy(cmd.strip_suffix(b"\n").unwrap_or(cmd)).into_owned();
        let (op, n, m) = parse_command(cmd)
            .ok_or_else(|| fail(format!("`{}` is not a diff command", clip(&shown))))?;
        match op {
            b'd' => {
                if n == 0 || n - 1 < cursor || n - 1 + m > src.len() {
                    return Err(fail(format!(
                        "`{shown}` deletes lines {n}..{} of a {}-line text, or out of order",
                        n + m.saturating_sub(1),
                        src.len()
                    )));
                }
                for l in &src[cursor..n - 1] {
                    out.extend_from_slice(l);
                }
                cursor = n - 1 + m;
            }
            _ => {
                if n < cursor || n > src.len() {
                    return Err(fail(format!(
                        "`{shown}` adds after line {n} of a {}-line text, or out of order",
                        src.len()
                    )));
                }
                for l in &src[cursor..n] {
                    out.extend_from_slice(l);
                }
                cursor = n;
                if i + m > cmds.len() {
                    return Err(fail(format!(
                        "`{shown}` wants {m} lines but the diff has only {} more",
                        cmds.len() - i
                    )));
                }
                for l in &cmds[i..i + m] {
                    out.extend_from_slice(l);
                    at += l.len();
                }
                i += m;
            }
        }
    }
    for l in &src[cursor..] {
        out.extend_from_slice(l);
    }
    Ok(out)
}

fn clip(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}...", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

/// `aN M\n` or `dN M\n`.
fn parse_command(line: &[u8]) -> Option<(u8, usize, usize)> {
    let line = line.strip_suffix(b"\n")?;
    let (&op, rest) = line.split_first()?;
    if op != b'a' && op != b'd' {
        return None;
    }
    let rest = std::str::from_utf8(rest).ok()?;
    let (n, m) = rest.split_once(' ')?;
    let n: usize = n.parse().ok()?;
    let m: usize = m.parse().ok()?;
    if m == 0 {
        return None;
    }
    Some((op, n, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(base: &str, diff: &str) -> Result<String, DiffError> {
        apply_reverse_diff(base.as_bytes(), diff.as_bytes()).map(|v| String::from_utf8(v).unwrap())
    }

    #[test]
    fn deletes_and_adds_with_newer_line_numbers() {
        assert_eq!(
            apply("a\nb\nc\nd\n", "d2 1\na3 2\nx\ny\n").unwrap(),
            "a\nc\nx\ny\nd\n"
        );
        assert_eq!(apply("a\nb\n", "a0 1\nfirst\n").unwrap(), "first\na\nb\n");
        assert_eq!(apply("a\nb\n", "d1 2\n").unwrap(), "");
        assert_eq!(apply("a\nb\n", "").unwrap(), "a\nb\n");
    }

    #[test]
    fn replace_a_line_in_place() {
        // What rcsdiff -n emits for a changed line: delete it, add the old one back after N-1.
        assert_eq!(
            apply("a\nnew\nc\n", "d2 1\na2 1\nold\n").unwrap(),
            "a\nold\nc\n"
        );
    }

    #[test]
    fn keeps_a_missing_final_newline() {
        assert_eq!(apply("a\nb", "d2 1\na2 1\nz").unwrap(), "a\nz");
        assert_eq!(apply("a\nb\n", "a2 1\nc").unwrap(), "a\nb\nc");
    }

    #[test]
    fn added_lines_that_look_like_commands_are_text() {
        assert_eq!(
            apply("x\n", "a1 2\nd1 1\na9 9\n").unwrap(),
            "x\nd1 1\na9 9\n"
        );
    }

    #[test]
    fn errors_name_the_diff_line() {
        let e = apply("a\nb\n", "d1 1\nd5 1\n").unwrap_err();
        assert_eq!((e.line, e.at), (2, 5));
        assert!(e.msg.contains("d5 1"), "{}", e.msg);
        let e = apply("a\nb\n", "a1 3\nx\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.msg.contains("only 1 more"), "{}", e.msg);
        let e = apply("a\n", "x1 1\n").unwrap_err();
        assert!(e.msg.contains("not a diff command"), "{}", e.msg);
        // Out of order: a delete before the cursor.
        assert!(apply("a\nb\nc\n", "d3 1\nd1 1\n").is_err());
        // A command line without its newline (cut off).
        assert!(apply("a\n", "d1 1").is_err());
    }
}
