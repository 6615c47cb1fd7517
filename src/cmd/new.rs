//! `worklog new KIND NAME`: a doc from a template, edited, committed and mailed.

use crate::Outcome;
use crate::cli::NewArgs;
use crate::context::Context;
use crate::cycle::commit_and_publish;
use crate::doc::{normalize_kind, template};
use crate::error::{Error, IoContext, Result};

/// Reject names that would escape the kind folder or make odd files.
pub fn check_name(name: &str) -> Result<()> {
    let name = name.strip_suffix(".md").unwrap_or(name);
    if name.is_empty()
        || name.contains('/')
        || name.starts_with('.')
        || name.chars().any(char::is_control)
    {
        return Err(Error::user(format!(
            "{name:?}: not a usable doc name (no slashes, not starting with a dot)"
        )));
    }
    Ok(())
}

/// "fs-migration" → "Fs migration"; host names stay as they are.
pub fn title_from_name(kind: &str, name: &str) -> String {
    if kind == "build" {
        return name.to_string();
    }
    let spaced = name.replace(['-', '_'], " ");
    let mut c = spaced.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => spaced,
    }
}

pub fn run(ctx: &Context, args: NewArgs) -> Result<Outcome> {
    let (cfg, repo) = ctx.open()?;
    let kind = normalize_kind(&args.kind);
    check_name(&kind).map_err(|_| Error::user(format!("{:?}: not a usable kind", args.kind)))?;
    check_name(&args.name)?;
    let name = args
        .name
        .strip_suffix(".md")
        .unwrap_or(&args.name)
        .to_string();
    let path = format!("{kind}/{name}.md");
    let abs = cfg.root.join(&path);
    if abs.exists() {
        return Err(
            Error::user(format!("{path}: exists already; not overwritten"))
                .with_hint(format!("edit it with `worklog edit {path}`")),
        );
    }
    let identity = ctx.identity(&cfg, &repo)?;
    let tpl_name = args
        .template
        .clone()
        .unwrap_or_else(|| template::default_for_kind(&kind).to_string());
    let tpl = template::load_required(&cfg.root, &tpl_name)?;
    let text = template::render(
        &tpl,
        &template::Fill {
            title: title_from_name(&kind, &name),
            name: name.clone(),
            kind: kind.clone(),
            date: ctx.clock.today(),
            user: identity.name.clone(),
            host: gethostname::gethostname().to_string_lossy().into_owned(),
            tags: args.tags.clone(),
        },
    );
    std::fs::create_dir_all(abs.parent().unwrap_or(&cfg.root)).with_path(&abs)?;
    std::fs::write(&abs, &text).with_path(&abs)?;
    if !args.no_edit {
        let ok = crate::editor::run(&ctx.env, &abs)?;
        let now = std::fs::read_to_string(&abs).unwrap_or_default();
        if !ok || now.trim().is_empty() {
            if now == text || now.trim().is_empty() {
                let _ = std::fs::remove_file(&abs);
                return Err(Error::user(format!(
                    "{path}: editor failed or left it empty; nothing created"
                )));
            }
            return Err(Error::user(format!(
                "{path}: the editor exited with an error; your text is kept, uncommitted"
            ))
            .with_hint(format!("commit it with `worklog commit {path} -m MSG`")));
        }
    }
    let message = args
        .message
        .clone()
        .unwrap_or_else(|| format!("new {kind}/{name}"));
    commit_and_publish(ctx, &cfg, &repo, &[&path], &path, &message, args.no_mail)?;
    println!("{path}");
    Ok(Outcome::Success)
}
