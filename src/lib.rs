//! worklog: edit → commit → mail for a sysadmin team's Markdown docs, and finding them
//! again years later. `main` calls [`run`]; everything else hangs off it.

pub mod archive;
pub mod checklist;
pub mod cli;
mod clock;
mod cmd;
pub mod config;
mod context;
pub mod cycle;
pub mod dates;
pub mod demo;
pub mod doc;
mod editor;
pub mod env;
pub mod error;
mod hash;
pub mod import;
pub mod index;
pub mod mail;
mod output;
pub mod store;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::error::{Error, exit};

/// How a command that did not fail ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: nothing found (search), problems found (check), or a batch skipped bad items.
    Problems,
}

/// Parse `args`, run the command, and turn the result into an exit code.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            // --help and --version print to stdout and exit 0; usage errors exit 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { exit::USER } else { exit::OK });
        }
    };
    let env = env::Env::from_process();
    init_logging(&env);
    let ctx = match context::Context::new(&cli.global, env) {
        Ok(c) => c,
        Err(e) => return report(&e, false),
    };
    match cmd::dispatch(&ctx, cli.command) {
        Ok(Outcome::Success) => ExitCode::from(exit::OK),
        Ok(Outcome::Problems) => ExitCode::from(exit::NOTHING_OR_PROBLEMS),
        Err(e) if e.is_broken_pipe() => ExitCode::from(exit::OK),
        Err(e) => report(&e, ctx.color_err),
    }
}

/// Print `worklog: error: MSG`, detail lines and `hint:` lines to stderr; return the exit code.
fn report(e: &Error, color: bool) -> ExitCode {
    let mut err = std::io::stderr().lock();
    let es = output::style_error(color);
    let hs = output::style_hint(color);
    let _ = writeln!(err, "{es}worklog: error:{es:#} {}", e.message());
    for d in e.details() {
        let _ = writeln!(err, "{d}");
    }
    for h in e.hints() {
        let _ = writeln!(err, "{hs}hint:{hs:#} {h}");
    }
    ExitCode::from(e.exit_code())
}

/// Diagnostics through `tracing`, filtered by `WORKLOG_LOG` (e.g. `WORKLOG_LOG=debug`).
fn init_logging(env: &env::Env) {
    let Some(filter) = env.get("WORKLOG_LOG") else {
        return;
    };
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
