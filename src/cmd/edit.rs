//! `worklog edit DOC [-m MSG] [--no-mail]`: lock, edit in $VISUAL/$EDITOR, commit, mail.

use std::io::{BufRead, IsTerminal, Write};

use crate::Outcome;
use crate::cli::EditArgs;
use crate::context::Context;
use crate::cycle::commit_and_publish;
use crate::error::{Error, IoContext, Result};
use crate::store::EditLock;

pub fn run(ctx: &Context, args: EditArgs) -> Result<Outcome> {
    let (cfg, repo) = ctx.open()?;
    let doc = ctx.doc(&cfg, &args.doc)?;
    if !doc.exists {
        return Err(
            Error::user(format!("{}: not in the work tree", doc.path)).with_hint(format!(
                "make it with `worklog new KIND NAME`, or see its history with `worklog log {}`",
                doc.path
            )),
        );
    }
    let identity = ctx.identity(&cfg, &repo)?;
    // The lock comes first: a doc another edit has open is dirty too, and "being edited by"
    // is the useful message then.
    let (_lock, replaced) = EditLock::acquire(
        repo.git().path(),
        &doc.path,
        &identity.name,
        &ctx.clock.now().to_rfc3339(),
    )?;
    if let Some(stale) = replaced {
        ctx.warn(format!(
            "{}: took over a stale edit lock of {} (that process is gone)",
            doc.path,
            stale.holder()
        ));
    }
    repo.ensure_clean(&doc.path)?;

    let before = std::fs::read(&doc.abs).with_path(&doc.abs)?;
    let ok = crate::editor::run(&ctx.env, &doc.abs)?;
    let after = std::fs::read(&doc.abs).unwrap_or_default();
    if !ok {
        let kept = if after != before {
            "; your changes stay in the file, uncommitted"
        } else {
            ""
        };
        return Err(Error::user(format!(
            "{}: the editor exited with an error; nothing committed or mailed{kept}",
            doc.path
        ))
        .with_hint(format!(
            "when the file is right, `worklog commit {} -m MSG`",
            doc.path
        )));
    }
    if !doc.abs.is_file() {
        return Err(Error::user(format!(
            "{}: the file is gone after editing; nothing committed or mailed",
            doc.path
        ))
        .with_hint(format!(
            "to retire the doc on purpose: `worklog commit {} -m \"why\"`",
            doc.path
        )));
    }
    if after == before {
        ctx.info(format!(
            "{}: unchanged; nothing committed or mailed",
            doc.path
        ));
        return Ok(Outcome::Success);
    }
    let message = match args.message {
        Some(m) => m,
        None => ask_message(&doc.path)?,
    };
    if message.trim().is_empty() {
        return Err(Error::user(format!(
            "{}: empty commit message; the edit is kept, uncommitted",
            doc.path
        ))
        .with_hint(format!(
            "commit it with `worklog commit {} -m \"what you changed\"`",
            doc.path
        )));
    }
    commit_and_publish(
        ctx,
        &cfg,
        &repo,
        &[&doc.path],
        &doc.path,
        message.trim_end(),
        args.no_mail,
    )?;
    Ok(Outcome::Success)
}

/// Ask for the commit message on the terminal (one line; stdin when not a terminal).
fn ask_message(path: &str) -> Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let mut err = std::io::stderr();
        let _ = write!(err, "What did you change in {path}? (empty aborts) ");
        let _ = err.flush();
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    Ok(line.trim().to_string())
}
