//! `worklog tag DOC TAG... [--remove]`: edit the front matter's tags, commit, mail.

use crate::Outcome;
use crate::cli::TagArgs;
use crate::context::Context;
use crate::cycle::commit_and_publish;
use crate::doc::{Document, front_matter};
use crate::error::{Error, IoContext, Result};

pub fn run(ctx: &Context, args: TagArgs) -> Result<Outcome> {
    let (cfg, repo) = ctx.open()?;
    let doc = ctx.doc(&cfg, &args.doc)?;
    if !doc.exists {
        return Err(Error::user(format!("{}: not in the work tree", doc.path)));
    }
    repo.ensure_clean(&doc.path)?;
    let bytes = std::fs::read(&doc.abs).with_path(&doc.abs)?;
    let parsed = Document::parse(&doc.path, &bytes)?;
    let mut tags = parsed.front.tags.clone();
    let mut changed = Vec::new();
    for t in &args.tags {
        let t = t.trim().trim_start_matches('#').to_string();
        if t.is_empty() || t.contains([',', '[', ']']) {
            return Err(Error::user(format!("{t:?}: not a usable tag")));
        }
        let has = tags.iter().position(|x| x.eq_ignore_ascii_case(&t));
        match (args.remove, has) {
            (false, None) => {
                changed.push(format!("+{t}"));
                tags.push(t);
            }
            (true, Some(i)) => {
                changed.push(format!("-{t}"));
                tags.remove(i);
            }
            _ => {}
        }
    }
    if changed.is_empty() {
        ctx.info(format!(
            "{}: tags already {}; nothing to do",
            doc.path,
            if args.remove { "absent" } else { "present" }
        ));
        return Ok(Outcome::Success);
    }
    let value = if tags.is_empty() {
        front_matter::Value::Remove
    } else {
        front_matter::Value::List(tags)
    };
    let text = front_matter::set(&parsed.text, "tags", &value);
    std::fs::write(&doc.abs, text).with_path(&doc.abs)?;
    let message = format!("tag {}", changed.join(" "));
    commit_and_publish(
        ctx,
        &cfg,
        &repo,
        &[&doc.path],
        &doc.path,
        &message,
        args.no_mail,
    )?;
    Ok(Outcome::Success)
}
