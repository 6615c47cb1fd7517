//! `DOC` arguments: a root-relative path with or without `.md`, a path to the file, or a
//! unique file name.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Error, Result};

/// A resolved doc reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocRef {
    /// Root-relative path with `/` separators, ending in `.md`.
    pub path: String,
    /// Absolute path in the work tree.
    pub abs: PathBuf,
    /// Whether the file exists in the work tree now (a deleted doc may still have history).
    pub exists: bool,
}

/// Every doc under `root`: `.md` files outside hidden folders and `templates/`, sorted.
pub fn list_docs(root: &Path) -> Vec<String> {
    let mut out: Vec<String> = WalkDir::new(root)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            let top_templates = e.depth() == 1 && name == "templates" && e.file_type().is_dir();
            !name.starts_with('.') && !top_templates
        })
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| rel_path(root, e.path()))
        .collect();
    out.sort();
    out
}

/// Root-relative `/`-separated path, if `p` is inside `root`.
fn rel_path(root: &Path, p: &Path) -> Option<String> {
    let rel = p.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

fn with_md(s: &str) -> String {
    if s.ends_with(".md") {
        s.to_string()
    } else {
        format!("{s}.md")
    }
}

/// Resolve a `DOC` argument. `cwd` lets `./x.md` and absolute paths inside the root work.
pub fn resolve(root: &Path, cwd: &Path, input: &str) -> Result<DocRef> {
    let make = |path: String| {
        let abs = root.join(&path);
        DocRef {
            exists: abs.is_file(),
            abs,
            path,
        }
    };
    let trimmed = input.trim_start_matches("./");
    // A root-relative path.
    let rel = with_md(trimmed);
    if root.join(&rel).is_file() {
        return Ok(make(rel));
    }
    // A file-system path (relative to cwd, or absolute) inside the root.
    let fs = cwd.join(input);
    for cand in [fs.clone(), PathBuf::from(with_md(&fs.to_string_lossy()))] {
        if cand.is_file() {
            let canon = cand.canonicalize().unwrap_or(cand);
            let root_canon = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
            if let Some(p) = rel_path(&root_canon, &canon) {
                return Ok(make(p));
            }
        }
    }
    // A unique file name.
    if !trimmed.contains('/') {
        let name = with_md(trimmed);
        let matches: Vec<String> = list_docs(root)
            .into_iter()
            .filter(|p| p.rsplit('/').next() == Some(name.as_str()))
            .collect();
        match matches.len() {
            1 => return Ok(make(matches.into_iter().next().unwrap_or_default())),
            0 => {}
            _ => {
                let mut err = Error::user(format!(
                    "{input}: ambiguous, {} docs have that name: {}",
                    matches.len(),
                    matches.join(", ")
                ))
                .with_hint("name it by its path, e.g. `".to_string() + &matches[0] + "`");
                for m in &matches {
                    err = err.with_detail(format!("  {m}"));
                }
                return Err(err);
            }
        }
        return Err(
            Error::user(format!("{input}: no such doc in {}", root.display()))
                .with_hint("`worklog list` shows the docs"),
        );
    }
    // A path that is not in the work tree (maybe deleted: its history may still be there).
    Ok(make(rel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_paths_names_and_lists_ambiguity() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for p in [
            "howto/restore.md",
            "build/mailhost.md",
            "build/restore.md",
            "templates/howto.md",
            ".git/x.md",
        ] {
            std::fs::create_dir_all(root.join(p).parent().unwrap()).unwrap();
            std::fs::write(root.join(p), "x").unwrap();
        }
        assert_eq!(
            list_docs(root),
            ["build/mailhost.md", "build/restore.md", "howto/restore.md"]
        );
        assert_eq!(
            resolve(root, root, "build/mailhost").unwrap().path,
            "build/mailhost.md"
        );
        assert_eq!(
            resolve(root, root, "mailhost.md").unwrap().path,
            "build/mailhost.md"
        );
        assert_eq!(
            resolve(root, &root.join("build"), "./mailhost.md")
                .unwrap()
                .path,
            "build/mailhost.md"
        );
        let err = resolve(root, root, "restore").unwrap_err();
        assert!(
            err.message().contains("build/restore.md, howto/restore.md"),
            "{err}"
        );
        assert!(resolve(root, root, "nothing").is_err());
        let gone = resolve(root, root, "howto/deleted").unwrap();
        assert!(!gone.exists);
    }
}
