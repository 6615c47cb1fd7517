//! YAML front matter: read the keys worklog knows, and rewrite single keys in place so that
//! every other byte (unknown keys, comments, quoting) survives.

use yaml_rust2::{Yaml, YamlLoader};

/// Where the front matter sits in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Byte offset of the first YAML line (after the opening `---`).
    pub yaml_start: usize,
    /// Byte offset just past the YAML (start of the closing `---` line).
    pub yaml_end: usize,
    /// Byte offset of the body (just past the closing line).
    pub body_start: usize,
}

/// Find the front matter block: `---` on the first line, closed by `---` or `...`.
pub fn locate(text: &str) -> Option<Span> {
    let first_len = if text.starts_with("---\n") {
        4
    } else if text.starts_with("---\r\n") {
        5
    } else {
        return None;
    };
    let mut pos = first_len;
    for line in text[first_len..].split_inclusive('\n') {
        let trimmed = line.trim_end_matches(['\n', '\r']);
        if trimmed == "---" || trimmed == "..." {
            return Some(Span {
                yaml_start: first_len,
                yaml_end: pos,
                body_start: pos + line.len(),
            });
        }
        pos += line.len();
    }
    None
}

/// The keys worklog reads; everything else is left alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub tags: Vec<String>,
    pub systems: Vec<String>,
    pub started: Option<String>,
    pub completed: Option<String>,
    pub derived_from: Option<String>,
}

/// A front matter parse failure: the 1-based file line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    pub line: usize,
    pub msg: String,
}

/// Parse the YAML between the fences. `text` is the whole file.
pub fn parse(text: &str, span: Span) -> Result<FrontMatter, FrontMatterError> {
    let yaml = &text[span.yaml_start..span.yaml_end];
    // File line of the first YAML line: 2 (after the opening fence).
    let docs = YamlLoader::load_from_str(yaml).map_err(|e| FrontMatterError {
        line: e.marker().line() + 1,
        msg: format!("front matter is not valid YAML: {}", e.info()),
    })?;
    let Some(doc) = docs.into_iter().next() else {
        return Ok(FrontMatter::default());
    };
    let map = match doc {
        Yaml::Hash(h) => h,
        Yaml::Null => return Ok(FrontMatter::default()),
        _ => {
            return Err(FrontMatterError {
                line: 2,
                msg: "front matter is not a mapping of keys to values".into(),
            });
        }
    };
    let get = |k: &str| map.get(&Yaml::String(k.to_string()));
    let key_line = |k: &str| {
        yaml.lines()
            .position(|l| l.starts_with(&format!("{k}:")))
            .map(|i| i + 2)
            .unwrap_or(2)
    };
    let scalar = |k: &str| -> Result<Option<String>, FrontMatterError> {
        match get(k) {
            None | Some(Yaml::Null) => Ok(None),
            Some(v) => scalar_string(v).map(Some).ok_or_else(|| FrontMatterError {
                line: key_line(k),
                msg: format!("front matter key `{k}` must be a single value"),
            }),
        }
    };
    let list = |k: &str| -> Result<Vec<String>, FrontMatterError> {
        match get(k) {
            None | Some(Yaml::Null) => Ok(Vec::new()),
            Some(Yaml::Array(items)) => items
                .iter()
                .map(|v| {
                    scalar_string(v).ok_or_else(|| FrontMatterError {
                        line: key_line(k),
                        msg: format!("front matter key `{k}` must be a list of words"),
                    })
                })
                .collect(),
            // `tags: a, b` or `tags: a` are common shorthand.
            Some(v) => match scalar_string(v) {
                Some(s) => Ok(s
                    .split(',')
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect()),
                None => Err(FrontMatterError {
                    line: key_line(k),
                    msg: format!("front matter key `{k}` must be a list"),
                }),
            },
        }
    };
    Ok(FrontMatter {
        title: scalar("title")?,
        tags: list("tags")?,
        systems: list("systems")?,
        started: scalar("started")?,
        completed: scalar("completed")?,
        derived_from: scalar("derived-from")?,
    })
}

fn scalar_string(v: &Yaml) -> Option<String> {
    match v {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A new value for one top-level key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Scalar(String),
    List(Vec<String>),
    Remove,
}

/// Set (or remove) one top-level key, keeping every other byte of the file. Creates the
/// front matter block when the file has none.
pub fn set(text: &str, key: &str, value: &Value) -> String {
    let Some(span) = locate(text) else {
        if *value == Value::Remove {
            return text.to_string();
        }
        return format!("---\n{}---\n{text}", render(key, value, None));
    };
    let yaml = &text[span.yaml_start..span.yaml_end];
    let lines: Vec<&str> = yaml.split_inclusive('\n').collect();
    let start = lines
        .iter()
        .position(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')));
    let mut out = String::with_capacity(text.len() + 32);
    out.push_str(&text[..span.yaml_start]);
    match start {
        Some(i) => {
            // The key's block: its line plus indented or `- ` continuation lines.
            let mut end = i + 1;
            while end < lines.len() {
                let l = lines[end];
                let continues =
                    l.starts_with([' ', '\t']) || l.starts_with("- ") || l.trim_end() == "-";
                if !continues {
                    break;
                }
                end += 1;
            }
            let block_style = lines[i + 1..end]
                .iter()
                .find(|l| l.trim_start().starts_with("- "))
                .map(|l| l[..l.len() - l.trim_start().len()].to_string());
            for l in &lines[..i] {
                out.push_str(l);
            }
            if *value != Value::Remove {
                out.push_str(&render(key, value, block_style.as_deref()));
            }
            for l in &lines[end..] {
                out.push_str(l);
            }
        }
        None => {
            out.push_str(yaml);
            if !yaml.is_empty() && !yaml.ends_with('\n') {
                out.push('\n');
            }
            if *value != Value::Remove {
                out.push_str(&render(key, value, None));
            }
        }
    }
    out.push_str(&text[span.yaml_end..]);
    out
}

/// Render `key: value\n`; lists in flow style unless the key used block style before.
fn render(key: &str, value: &Value, block_indent: Option<&str>) -> String {
    match value {
        Value::Scalar(s) => format!("{key}: {}\n", quote(s)),
        Value::List(items) => match block_indent {
            Some(indent) if !items.is_empty() => {
                let mut s = format!("{key}:\n");
                for it in items {
                    s.push_str(&format!("{indent}- {}\n", quote(it)));
                }
                s
            }
            _ => format!(
                "{key}: [{}]\n",
                items
                    .iter()
                    .map(|i| quote(i))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
        Value::Remove => String::new(),
    }
}

/// Quote a scalar only when plain YAML would misread it.
fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || " ._/@+-".contains(c))
        && !s.starts_with(['-', ' ', '@'])
        && !s.ends_with(' ')
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "null" | "~" | "on" | "off"
        );
    if plain {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "---\n# owner: ops team\ntitle: \"ZFS: migrate\"\nreviewed-by:  cks   # keep this\ntags:\n  - zfs\n  - storage\nweird: {a: [1, 2]}\n---\n# Body\n";

    #[test]
    fn set_keeps_unknown_keys_and_comments_byte_for_byte() {
        let out = set(
            DOC,
            "tags",
            &Value::List(vec!["zfs".into(), "storage".into(), "migration".into()]),
        );
        assert_eq!(
            out,
            "---\n# owner: ops team\ntitle: \"ZFS: migrate\"\nreviewed-by:  cks   # keep this\ntags:\n  - zfs\n  - storage\n  - migration\nweird: {a: [1, 2]}\n---\n# Body\n"
        );
        let out = set(&out, "completed", &Value::Scalar("2015-02-14".into()));
        assert!(
            out.contains("weird: {a: [1, 2]}\ncompleted: 2015-02-14\n---\n# Body\n"),
            "{out}"
        );
        let span = locate(&out).unwrap();
        let fm = parse(&out, span).unwrap();
        assert_eq!(fm.title.as_deref(), Some("ZFS: migrate"));
        assert_eq!(fm.tags, ["zfs", "storage", "migration"]);
        assert_eq!(fm.completed.as_deref(), Some("2015-02-14"));
        let back = set(
            &set(&out, "completed", &Value::Remove),
            "tags",
            &Value::List(vec!["zfs".into(), "storage".into()]),
        );
        assert_eq!(back, DOC);
    }

    #[test]
    fn set_creates_front_matter_when_missing() {
        let out = set(
            "# Title\n",
            "tags",
            &Value::List(vec!["a".into(), "b c".into()]),
        );
        assert_eq!(out, "---\ntags: [a, b c]\n---\n# Title\n");
        assert_eq!(
            parse(&out, locate(&out).unwrap()).unwrap().tags,
            ["a", "b c"]
        );
    }

    #[test]
    fn parse_error_names_file_line() {
        let text = "---\ntitle: ok\ntags: [unclosed\n---\n";
        let err = parse(text, locate(text).unwrap()).unwrap_err();
        assert!(err.line >= 3, "{err:?}");
    }

    #[test]
    fn quoting_roundtrips_odd_values() {
        for v in ["yes", "a: b", "#x", "say \"hi\"", "-dash", "2015-02-14"] {
            let out = set("", "k", &Value::Scalar(v.into()));
            let docs = YamlLoader::load_from_str(&out[4..out.len() - 4]).unwrap();
            assert_eq!(docs[0]["k"].as_str(), Some(v), "{out}");
        }
    }
}
