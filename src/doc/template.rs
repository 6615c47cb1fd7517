//! Templates for new docs: compiled in, overridden per kind by `<root>/templates/KIND.md`.

use std::path::Path;

use crate::error::{Error, IoContext, Result};

const BUILT_IN: &[(&str, &str)] = &[
    ("build", include_str!("../../templates/build.md")),
    ("howto", include_str!("../../templates/howto.md")),
    ("checklist", include_str!("../../templates/checklist.md")),
    ("doc", include_str!("../../templates/doc.md")),
];

/// Values for the `{{placeholders}}`.
#[derive(Debug, Clone, Default)]
pub struct Fill {
    pub title: String,
    pub name: String,
    pub kind: String,
    pub date: String,
    pub user: String,
    pub host: String,
    pub tags: Vec<String>,
}

/// Names of the built-in templates.
pub fn built_in_names() -> impl Iterator<Item = &'static str> {
    BUILT_IN.iter().map(|(n, _)| *n)
}

/// The template's name for a kind: `checklists` uses `checklist`, unknown kinds use `doc`.
pub fn default_for_kind(kind: &str) -> &str {
    match kind {
        "checklists" | "checklist" => "checklist",
        "build" => "build",
        "howto" => "howto",
        _ => "doc",
    }
}

/// Find a template: `<root>/templates/NAME.md` first, then the built-in one.
/// Returns `None` when neither exists.
pub fn load(root: &Path, name: &str) -> Result<Option<String>> {
    let name = name.strip_suffix(".md").unwrap_or(name);
    let candidates = [
        name.to_string(),
        if name == "checklists" {
            "checklist".into()
        } else {
            name.to_string()
        },
    ];
    for n in &candidates {
        let p = root.join("templates").join(format!("{n}.md"));
        if p.is_file() {
            return std::fs::read_to_string(&p).with_path(&p).map(Some);
        }
    }
    Ok(candidates
        .iter()
        .find_map(|n| BUILT_IN.iter().find(|(b, _)| b == n))
        .map(|(_, t)| t.to_string()))
}

/// Load a template or fail with the list of known names.
pub fn load_required(root: &Path, name: &str) -> Result<String> {
    load(root, name)?.ok_or_else(|| {
        Error::user(format!("no template named {name:?}")).with_hint(format!(
            "built-in templates: {}; add your own as {}/templates/NAME.md",
            built_in_names().collect::<Vec<_>>().join(", "),
            root.display()
        ))
    })
}

/// Replace `{{title}}`, `{{name}}`, `{{kind}}`, `{{date}}`, `{{user}}`, `{{host}}`, `{{tags}}`.
pub fn render(template: &str, fill: &Fill) -> String {
    let tags = format!("[{}]", fill.tags.join(", "));
    template
        .replace("{{title}}", &fill.title.replace('"', "'"))
        .replace("{{name}}", &fill.name)
        .replace("{{kind}}", &fill.kind)
        .replace("{{date}}", &fill.date)
        .replace("{{user}}", &fill.user)
        .replace("{{host}}", &fill.host)
        .replace("{{tags}}", &tags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Document;

    #[test]
    fn built_ins_render_to_valid_docs_and_root_overrides() {
        let dir = tempfile::tempdir().unwrap();
        let fill = Fill {
            title: "Mail \"host\"".into(),
            name: "mailhost".into(),
            kind: "build".into(),
            date: "2015-02-01".into(),
            user: "cks".into(),
            host: "h".into(),
            tags: vec!["a".into(), "b".into()],
        };
        for name in built_in_names() {
            let text = render(&load_required(dir.path(), name).unwrap(), &fill);
            let d = Document::parse("x/y.md", text.as_bytes()).unwrap();
            assert_eq!(d.front.tags, ["a", "b"], "{name}");
            assert!(!text.contains("{{"), "{name}");
        }
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/checklist.md"),
            "# ours {{date}}\n",
        )
        .unwrap();
        assert_eq!(
            render(&load_required(dir.path(), "checklists").unwrap(), &fill),
            "# ours 2015-02-01\n"
        );
        assert!(load_required(dir.path(), "nope").is_err());
    }
}
