//! `worklog mail [DOC...] [--pending] [--dry-run]`: resend docs' latest versions, or send
//! every unmailed version oldest first.

use std::io::Write;

use crate::Outcome;
use crate::cli::MailArgs;
use crate::context::Context;
use crate::cycle::short;
use crate::error::{Error, Result};
use crate::mail::{MailState, Outbox, Update};

pub fn run(ctx: &Context, args: MailArgs) -> Result<Outcome> {
    let (cfg, repo) = ctx.open()?;
    if args.docs.is_empty() && !args.pending {
        return Err(Error::user(
            "what to mail? name docs, or use --pending for every unmailed version",
        )
        .with_hint("`worklog status` lists the unmailed versions"));
    }
    let identity = ctx.identity(&cfg, &repo)?;
    let outbox = Outbox::new(&cfg, &repo, identity, &ctx.env, ctx.clock.now())?;

    let mut updates: Vec<Update> = Vec::new();
    for input in &args.docs {
        let doc = ctx.doc(&cfg, input)?;
        let history = repo.doc_history(&doc.path)?;
        let Some(latest) = history.first() else {
            return Err(Error::user(format!(
                "{}: no commits touch it; nothing to mail",
                doc.path
            ))
            .with_hint(format!(
                "commit it first: worklog commit {} -m MSG",
                doc.path
            )));
        };
        updates.push(outbox.update_at(latest.commit.id, &latest.path)?);
    }
    if args.pending {
        for p in MailState::load(&repo)?.pending(&repo)? {
            if updates
                .iter()
                .any(|u| u.commit.id == p.commit.id && u.path == p.path)
            {
                continue;
            }
            let text = p.blob.map(|b| repo.blob(b)).transpose()?;
            updates.push(Update {
                commit: p.commit,
                path: p.path,
                text,
            });
        }
        if updates.is_empty() {
            ctx.info("nothing to mail: every committed version has been mailed");
            return Ok(Outcome::Success);
        }
    }

    let mut out = ctx.stdout();
    let mut failed: Option<Error> = None;
    let mut sent = 0;
    for u in &updates {
        let mail = outbox.compose(u)?;
        if args.dry_run {
            out.write_all(&mail.lf())?;
            out.write_all(b"\n")?;
            continue;
        }
        match outbox.deliver(&mail) {
            Ok(()) => {
                sent += 1;
                writeln!(out, "mailed {} {}", short(u.commit.id), u.path)?;
            }
            Err(e) => {
                let e = Error::new(
                    e.kind(),
                    format!(
                        "{} {}: not mailed: {}",
                        short(u.commit.id),
                        u.path,
                        e.message()
                    ),
                );
                match &failed {
                    None => failed = Some(e),
                    Some(_) => ctx.warn(e.message()),
                }
            }
        }
    }
    if let Some(e) = failed {
        let n = updates.len() - sent;
        return Err(e.with_hint(format!(
            "{n} of {} not mailed, {sent} mailed; fix the problem, then `worklog mail --pending`",
            updates.len()
        )));
    }
    if !args.dry_run {
        ctx.info(format!("{sent} mailed via {}", outbox.describe()));
    }
    Ok(Outcome::Success)
}
