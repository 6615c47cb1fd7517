//! `worklog config [--json]`: the effective settings and where each came from.

use std::io::Write;

use serde::Serialize;

use crate::Outcome;
use crate::cli::ConfigArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output::{json_line, pad};

#[derive(Serialize)]
struct Row<'a> {
    key: &'a str,
    value: &'a str,
    origin: String,
}

pub fn run(ctx: &Context, args: ConfigArgs) -> Result<Outcome> {
    let cfg = ctx.config()?;
    let user = ctx.user_config()?;
    let mut out = ctx.stdout();
    if !args.json {
        writeln!(
            out,
            "# user config: {}{}",
            user.path.display(),
            if user.exists { "" } else { " (none)" }
        )?;
    }
    for s in &cfg.settings {
        if args.json {
            json_line(
                &mut out,
                &Row {
                    key: s.key,
                    value: &s.value,
                    origin: s.origin.to_string(),
                },
            )?;
        } else {
            writeln!(out, "{} = {}  # {}", pad(s.key, 24), s.value, s.origin)?;
        }
    }
    Ok(Outcome::Success)
}
