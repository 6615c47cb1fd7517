//! `Source`: one `,v` file to import, found from the PATH arguments, with its working file
//! and where it goes in the doc root.

use std::path::{Component, Path, PathBuf};

/// One `,v` file to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The `,v` file.
    pub rcs: PathBuf,
    /// Its working file (beside it, or beside its `RCS/` folder); it may not exist.
    pub work: PathBuf,
    /// Where it goes below `--into`: the working file's name, under the same subfolders
    /// it had below a searched directory.
    pub rel: PathBuf,
    /// How messages name it: the path as the user gave it (or as found below it).
    pub label: String,
}

/// Find the `,v` files named by `args` (relative to `cwd`): a `,v` file; a working file
/// whose `,v` is beside it or in `RCS/`; or a directory searched recursively. Returns the
/// sources in a stable order and one message per argument that named none.
pub fn find_sources(args: &[PathBuf], cwd: &Path) -> (Vec<Source>, Vec<String>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for arg in args {
        let abs = cwd.join(arg);
        if abs.is_dir() {
            let before = found.len();
            walk(arg, &abs, &mut found);
            if found.len() == before {
                problems.push(format!(
                    "{}: no RCS files (*,v) in this directory or below",
                    arg.display()
                ));
            }
        } else if is_rcs_name(&abs) {
            if !abs.is_file() {
                problems.push(format!("{}: no such RCS file", arg.display()));
                continue;
            }
            let name = working_name(&abs);
            let dir = working_dir(abs.parent().unwrap_or(Path::new("")));
            found.push(Source {
                work: dir.join(&name),
                rel: PathBuf::from(&name),
                rcs: abs,
                label: arg.display().to_string(),
            });
        } else {
            let Some(name) = abs.file_name().map(|n| n.to_os_string()) else {
                problems.push(format!("{}: not a file name", arg.display()));
                continue;
            };
            let dir = abs.parent().unwrap_or(Path::new("")).to_path_buf();
            let mut v = name.clone();
            v.push(",v");
            let candidates = [dir.join(&v), dir.join("RCS").join(&v)];
            match candidates.iter().find(|c| c.is_file()) {
                Some(rcs) => found.push(Source {
                    rcs: rcs.clone(),
                    work: abs.clone(),
                    rel: PathBuf::from(&name),
                    label: label_for(arg, rcs, &abs),
                }),
                None => {
                    let shown = arg.parent().unwrap_or(Path::new(""));
                    problems.push(format!(
                        "{}: no RCS file for it (looked for {} and {})",
                        arg.display(),
                        shown.join(&v).display(),
                        shown.join("RCS").join(&v).display()
                    ))
                }
            }
        }
    }
    (found, problems)
}

/// `arg` names the working file; name the `,v` the way the user would.
fn label_for(arg: &Path, rcs: &Path, abs: &Path) -> String {
    let dir = abs.parent().unwrap_or(Path::new(""));
    match rcs.strip_prefix(dir) {
        Ok(rest) => arg
            .parent()
            .unwrap_or(Path::new(""))
            .join(rest)
            .display()
            .to_string(),
        Err(_) => rcs.display().to_string(),
    }
}

fn walk(arg: &Path, dir: &Path, found: &mut Vec<Source>) {
    let entries = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || e.file_name() != ".git");
    for e in entries.flatten() {
        if !e.file_type().is_file() || !is_rcs_name(e.path()) {
            continue;
        }
        let Ok(rel_rcs) = e.path().strip_prefix(dir) else {
            continue;
        };
        let name = working_name(e.path());
        let rel_dir = working_dir(rel_rcs.parent().unwrap_or(Path::new("")));
        let rel = rel_dir.join(&name);
        found.push(Source {
            rcs: e.path().to_path_buf(),
            work: dir.join(&rel),
            rel,
            label: arg.join(rel_rcs).display().to_string(),
        });
    }
}

fn is_rcs_name(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.len() > 2 && n.ends_with(",v"))
}

/// `foo.md,v` → `foo.md`.
fn working_name(rcs: &Path) -> String {
    let n = rcs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    n.strip_suffix(",v").unwrap_or(&n).to_string()
}

/// The folder of the working file: `RCS/`'s parent, else the folder itself.
fn working_dir(dir: &Path) -> PathBuf {
    match dir.components().next_back() {
        Some(Component::Normal(n)) if n == "RCS" => {
            dir.parent().unwrap_or(Path::new("")).to_path_buf()
        }
        _ => dir.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(p: &Path) {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, "").unwrap();
    }

    #[test]
    fn finds_rcs_files_in_every_form() {
        let tmp = tempfile::tempdir().unwrap();
        let t = tmp.path();
        touch(&t.join("old/a.md,v"));
        touch(&t.join("old/RCS/b.txt,v"));
        touch(&t.join("old/sub/RCS/c,v"));
        touch(&t.join("old/sub/plain.txt"));
        touch(&t.join("other/RCS/d.md,v"));
        touch(&t.join("other/e.md,v"));

        let args = [
            PathBuf::from("old"),
            PathBuf::from("other/d.md"),
            PathBuf::from("other/e.md,v"),
        ];
        let (found, problems) = find_sources(&args, t);
        assert!(problems.is_empty(), "{problems:?}");
        let got: Vec<(String, String, String)> = found
            .iter()
            .map(|s| {
                (
                    s.label.clone(),
                    s.rel.display().to_string(),
                    s.work.strip_prefix(t).unwrap().display().to_string(),
                )
            })
            .collect();
        let want = [
            ("old/RCS/b.txt,v", "b.txt", "old/b.txt"),
            ("old/a.md,v", "a.md", "old/a.md"),
            ("old/sub/RCS/c,v", "sub/c", "old/sub/c"),
            ("other/RCS/d.md,v", "d.md", "other/d.md"),
            ("other/e.md,v", "e.md", "other/e.md"),
        ];
        let want: Vec<(String, String, String)> = want
            .iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn names_what_it_could_not_find() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("empty")).unwrap();
        let args = [
            PathBuf::from("empty"),
            PathBuf::from("nope.md"),
            PathBuf::from("gone,v"),
        ];
        let (found, problems) = find_sources(&args, tmp.path());
        assert!(found.is_empty());
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems[0].starts_with("empty: no RCS files"),
            "{problems:?}"
        );
        assert!(problems[1].contains("RCS/nope.md,v"), "{problems:?}");
        assert!(
            problems[2].starts_with("gone,v: no such RCS file"),
            "{problems:?}"
        );
    }
}
