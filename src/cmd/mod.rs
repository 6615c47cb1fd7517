//! One file per command: glue between parsed arguments and the domain modules.

mod check;
mod checklist;
mod commit;
mod completions;
mod config;
mod demo;
mod edit;
mod import;
mod index;
mod init;
mod list;
mod log;
mod mail;
mod man;
mod new;
mod search;
mod show;
mod similar;
mod status;
mod tag;
mod timeline;

use crate::Outcome;
use crate::cli::Command;
use crate::config::Config;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::index::{Store, indexer};
use crate::store::Repo;

pub fn dispatch(ctx: &Context, command: Command) -> Result<Outcome> {
    match command {
        Command::Init(a) => init::run(ctx, a),
        Command::Config(a) => config::run(ctx, a),
        Command::New(a) => new::run(ctx, a),
        Command::Edit(a) => edit::run(ctx, a),
        Command::Commit(a) => commit::run(ctx, a),
        Command::Mail(a) => mail::run(ctx, a),
        Command::Status(a) => status::run(ctx, a),
        Command::Check(a) => check::run(ctx, a),
        Command::List(a) => list::run(ctx, a),
        Command::Show(a) => show::run(ctx, a),
        Command::Log(a) => log::run(ctx, a),
        Command::Tag(a) => tag::run(ctx, a),
        Command::Checklist(c) => checklist::run(ctx, c),
        Command::Index(a) => index::run(ctx, a),
        Command::Search(a) => search::run(ctx, a),
        Command::Timeline(a) => timeline::run(ctx, a),
        Command::Similar(a) => similar::run(ctx, a),
        Command::Import(c) => import::run(ctx, c),
        Command::Demo(a) => demo::run(ctx, a),
        Command::Completions(a) => completions::run(ctx, a),
        Command::Man(a) => man::run(ctx, a),
    }
}

/// The index, brought up to date with the docs (built in full the first time).
fn fresh_store(ctx: &Context, cfg: &Config, repo: &Repo) -> Result<Store> {
    match Store::open(&cfg.index_dir)? {
        None => {
            ctx.info(
                "worklog: building the search index (first use; `worklog index` keeps it current)",
            );
            let opts = indexer::Options {
                rebuild: false,
                archives: true,
                local_maildir: false,
                progress: false,
            };
            ctx.info(indexer::run(cfg, repo, opts)?.line());
        }
        Some(store) => {
            if indexer::refresh(cfg, repo, &store.state)?.is_none() {
                return Ok(store);
            }
        }
    }
    Store::open(&cfg.index_dir)?.ok_or_else(|| {
        Error::internal(format!(
            "{}: the search index did not open after indexing",
            cfg.index_dir.display()
        ))
    })
}
