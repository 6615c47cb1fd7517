//! `worklog checklist start|tick|show|archive`: glue over `crate::checklist`.

use std::io::Write;

use serde::Serialize;

use crate::Outcome;
use crate::checklist as cl;
use crate::cli::{
    ChecklistArchiveArgs, ChecklistCommand, ChecklistShowArgs, ChecklistStartArgs,
    ChecklistTickArgs,
};
use crate::config::Config;
use crate::context::Context;
use crate::cycle::{commit_and_publish, short};
use crate::doc::{DocRef, Document, front_matter, is_archived, kind_of, template};
use crate::error::{Error, IoContext, Result};
use crate::output::json_line;
use crate::store::Repo;

pub fn run(ctx: &Context, cmd: ChecklistCommand) -> Result<Outcome> {
    match cmd {
        ChecklistCommand::Start(a) => start(ctx, a),
        ChecklistCommand::Tick(a) => tick(ctx, a),
        ChecklistCommand::Show(a) => show(ctx, a),
        ChecklistCommand::Archive(a) => archive(ctx, a),
    }
}

/// Resolve DOC, insist it is an active checklist with items, and read it.
fn load(ctx: &Context, cfg: &Config, repo: &Repo, input: &str) -> Result<(DocRef, Document)> {
    let doc = ctx.doc(cfg, input)?;
    if !doc.exists {
        return Err(Error::user(format!("{}: not in the work tree", doc.path)));
    }
    if kind_of(&doc.path) != Some("checklists") {
        return Err(Error::user(format!(
            "{}: not a checklist (checklists live in checklists/)",
            doc.path
        )));
    }
    if is_archived(&doc.path) {
        return Err(Error::user(format!(
            "{}: archived already; start a new run from it",
            doc.path
        ))
        .with_hint(format!("worklog checklist start {}", doc.path)));
    }
    repo.ensure_clean(&doc.path)?;
    let parsed = Document::parse(&doc.path, &std::fs::read(&doc.abs).with_path(&doc.abs)?)?;
    if parsed.tasks.is_empty() {
        return Err(Error::user(format!(
            "{}: has no task items (`- [ ] ...`)",
            doc.path
        )));
    }
    Ok((doc, parsed))
}

/// What `checklist start` copies: a template's text, or a doc.
enum Source {
    Template(String),
    Doc(DocRef),
}

fn start(ctx: &Context, a: ChecklistStartArgs) -> Result<Outcome> {
    let (cfg, repo) = ctx.open()?;
    let identity = ctx.identity(&cfg, &repo)?;
    let today = ctx.clock.today();
    // A template name first (read once), else a doc.
    let template = if a.source.contains('/') {
        None
    } else {
        template::load(&cfg.root, &a.source)?
    };
    let source = match template {
        Some(t) => Source::Template(t),
        None => Source::Doc(ctx.doc(&cfg, &a.source)?),
    };
    let name = match (&a.name, &source) {
        (Some(n), _) => n.strip_suffix(".md").unwrap_or(n).to_string(),
        (None, Source::Doc(d)) => cl::base_name(&d.path),
        (None, Source::Template(_)) => {
            return Err(Error::user(format!(
                "a checklist from template {:?} needs a name",
                a.source
            ))
            .with_hint(format!("worklog checklist start {} --as NAME", a.source)));
        }
    };
    super::new::check_name(&name)?;
    let path = format!("checklists/{name}.md");
    let abs = cfg.root.join(&path);
    if abs.exists() {
        return Err(
            Error::user(format!("{path}: exists already; not overwritten"))
                .with_hint("give the new run another name with --as NAME"),
        );
    }
    let (text, from) = match source {
        Source::Template(tpl) => {
            let fill = template::Fill {
                title: super::new::title_from_name("checklists", &name),
                name: name.clone(),
                kind: "checklists".into(),
                date: today.clone(),
                user: identity.name.clone(),
                host: gethostname::gethostname().to_string_lossy().into_owned(),
                tags: a.tags.clone(),
            };
            let text = template::render(&tpl, &fill);
            let text = front_matter::set(
                &text,
                "started",
                &front_matter::Value::Scalar(today.clone()),
            );
            let text = front_matter::set(
                &text,
                "derived-from",
                &front_matter::Value::Scalar(format!("template {}", a.source)),
            );
            (text, format!("template {}", a.source))
        }
        Source::Doc(src) => {
            // The source as committed, so derived-from names a version anyone can look up.
            let history = repo.doc_history(&src.path)?;
            let (version, blob) = history
                .first()
                .and_then(|v| v.blob.map(|b| (v, b)))
                .ok_or_else(|| {
                    Error::user(format!(
                        "{}: not committed; commit it before starting from it",
                        src.path
                    ))
                })?;
            if src.exists {
                repo.ensure_clean(&src.path)?;
            }
            let bytes = repo.blob(blob)?;
            let parsed = Document::parse(&src.path, &bytes)?;
            if parsed.tasks.is_empty() {
                return Err(Error::user(format!(
                    "{}: has no task items to start a checklist from",
                    src.path
                )));
            }
            let mut tags = parsed.front.tags.clone();
            for t in &a.tags {
                if !tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
                    tags.push(t.clone());
                }
            }
            let derived = format!("{}@{}", src.path, short(version.commit.id));
            (cl::fresh_copy(&parsed, &today, &derived, &tags), derived)
        }
    };
    std::fs::create_dir_all(abs.parent().unwrap_or(&cfg.root)).with_path(&abs)?;
    std::fs::write(&abs, &text).with_path(&abs)?;
    let message = format!("start {path} from {from}");
    commit_and_publish(ctx, &cfg, &repo, &[&path], &path, &message, a.no_mail)?;
    writeln!(ctx.stdout(), "{path}")?;
    Ok(Outcome::Success)
}

fn tick(ctx: &Context, a: ChecklistTickArgs) -> Result<Outcome> {
    let (cfg, repo) = ctx.open()?;
    let (doc, parsed) = load(ctx, &cfg, &repo, &a.doc)?;
    let (n, task) = cl::select(&parsed, a.item.as_deref(), a.undo)?;
    if task.done != a.undo {
        return Err(Error::user(format!(
            "{}: item {n} ({}) is {} already",
            doc.path,
            task.text,
            if a.undo { "unticked" } else { "ticked" }
        )));
    }
    let mut text = cl::set_done(&parsed.text, task, !a.undo);
    if let Some(note) = &a.note {
        let who = ctx.identity(&cfg, &repo)?.name;
        text = cl::add_note(&text, task, &cl::note_line(&ctx.clock.today(), &who, note));
    }
    std::fs::write(&doc.abs, &text).with_path(&doc.abs)?;
    let verb = if a.undo { "untick" } else { "tick" };
    let message = format!("{verb} {n}: {}", task.text);
    let no_mail = if a.mail {
        false
    } else {
        a.no_mail || !cfg.mail_on_tick
    };
    commit_and_publish(ctx, &cfg, &repo, &[&doc.path], &doc.path, &message, no_mail)?;
    let after = Document::parse(&doc.path, text.as_bytes())?;
    let (done, total) = after.progress();
    writeln!(
        ctx.stdout(),
        "{}: {verb}ed {n}. {} ({done}/{total})",
        doc.path,
        task.text
    )?;
    Ok(Outcome::Success)
}

#[derive(Serialize)]
struct ItemJson<'a> {
    number: usize,
    done: bool,
    text: &'a str,
    section: Option<&'a str>,
    depth: usize,
    line: usize,
}

#[derive(Serialize)]
struct ShowJson<'a> {
    path: &'a str,
    title: &'a str,
    done: usize,
    total: usize,
    started: Option<&'a str>,
    section: Option<&'a str>,
    next: Option<ItemJson<'a>>,
    items: Vec<ItemJson<'a>>,
}

fn show(ctx: &Context, a: ChecklistShowArgs) -> Result<Outcome> {
    let (cfg, _repo) = ctx.open()?;
    let doc = ctx.doc(&cfg, &a.doc)?;
    let parsed = Document::parse(&doc.path, &std::fs::read(&doc.abs).with_path(&doc.abs)?)?;
    if parsed.tasks.is_empty() {
        return Err(Error::user(format!(
            "{}: has no task items (`- [ ] ...`)",
            doc.path
        )));
    }
    let (done, total) = parsed.progress();
    fn item((i, t): (usize, &crate::doc::Task)) -> ItemJson<'_> {
        ItemJson {
            number: i + 1,
            done: t.done,
            text: &t.text,
            section: t.section.as_deref(),
            depth: t.depth,
            line: t.line,
        }
    }
    let next = parsed.tasks.iter().enumerate().find(|(_, t)| !t.done);
    let mut out = ctx.stdout();
    if a.json {
        json_line(
            &mut out,
            &ShowJson {
                path: &doc.path,
                title: &parsed.title,
                done,
                total,
                started: parsed.front.started.as_deref(),
                section: next.and_then(|(_, t)| t.section.as_deref()),
                next: next.map(item),
                items: parsed.tasks.iter().enumerate().map(item).collect(),
            },
        )?;
        return Ok(Outcome::Success);
    }
    writeln!(out, "{} — {} ({done}/{total} done)", doc.path, parsed.title)?;
    match next {
        Some((i, t)) => writeln!(
            out,
            "next: {}. {}{}",
            i + 1,
            t.text,
            t.section
                .as_deref()
                .map(|s| format!("  (in “{s}”)"))
                .unwrap_or_default()
        )?,
        None => writeln!(
            out,
            "all done: `worklog checklist archive {}` files it",
            doc.path
        )?,
    }
    let mut section: Option<&str> = None;
    for (i, t) in parsed.tasks.iter().enumerate() {
        if t.section.as_deref() != section {
            section = t.section.as_deref();
            writeln!(out, "## {}", section.unwrap_or(""))?;
        }
        writeln!(
            out,
            "{}{:>3}. [{}] {}",
            "  ".repeat(t.depth),
            i + 1,
            if t.done { 'x' } else { ' ' },
            t.text
        )?;
    }
    Ok(Outcome::Success)
}

fn archive(ctx: &Context, a: ChecklistArchiveArgs) -> Result<Outcome> {
    let (cfg, repo) = ctx.open()?;
    let (doc, parsed) = load(ctx, &cfg, &repo, &a.doc)?;
    let today = ctx.clock.today();
    let open: Vec<&str> = parsed
        .tasks
        .iter()
        .filter(|t| !t.done)
        .map(|t| t.text.as_str())
        .collect();
    if !open.is_empty() && !a.force {
        let mut err = Error::user(format!(
            "{}: {} of {} items are not ticked",
            doc.path,
            open.len(),
            parsed.tasks.len()
        ));
        for t in open.iter().take(10) {
            err = err.with_detail(format!("  [ ] {t}"));
        }
        return Err(err.with_hint(
            "tick them, or archive anyway with --force (they are recorded as skipped)",
        ));
    }
    let name = cl::base_name(&doc.path);
    let target = cl::archive_path(&today, &name);
    if cfg.root.join(&target).exists() {
        return Err(Error::user(format!(
            "{target}: a checklist of that name was archived today already"
        ))
        .with_hint("rename the checklist first (worklog keeps both runs apart by name and date)"));
    }
    let mut text = parsed.text.clone();
    let mut skipped = Vec::new();
    if !open.is_empty() {
        (text, skipped) = cl::mark_skipped(&parsed, &today);
        text = front_matter::set(
            &text,
            "skipped",
            &front_matter::Value::List(skipped.clone()),
        );
    }
    let mut tags = parsed.front.tags.clone();
    for t in &a.tags {
        if !tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
            tags.push(t.clone());
        }
    }
    if tags != parsed.front.tags {
        text = front_matter::set(&text, "tags", &front_matter::Value::List(tags));
    }
    text = front_matter::set(
        &text,
        "completed",
        &front_matter::Value::Scalar(today.clone()),
    );
    let abs_target = cfg.root.join(&target);
    std::fs::create_dir_all(abs_target.parent().unwrap_or(&cfg.root)).with_path(&abs_target)?;
    std::fs::write(&abs_target, &text).with_path(&abs_target)?;
    std::fs::remove_file(&doc.abs).with_path(&doc.abs)?;
    let mut message = format!(
        "completed: {}\n\nArchived {} as {target}.",
        parsed.title, doc.path
    );
    if !skipped.is_empty() {
        message.push_str(&format!("\nSkipped items ({}):\n", skipped.len()));
        for s in &skipped {
            message.push_str(&format!("- {s}\n"));
        }
    }
    commit_and_publish(
        ctx,
        &cfg,
        &repo,
        &[&doc.path, &target],
        &target,
        &message,
        a.no_mail,
    )?;
    writeln!(ctx.stdout(), "{target}")?;
    Ok(Outcome::Success)
}
