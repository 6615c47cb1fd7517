//! `worklog completions SHELL`: the shell's completion script, generated from the CLI.

use clap::CommandFactory;
use clap_complete::Shell as Target;

use crate::Outcome;
use crate::cli::{Cli, CompletionsArgs, Shell};
use crate::context::Context;
use crate::error::Result;

pub fn run(ctx: &Context, args: CompletionsArgs) -> Result<Outcome> {
    let shell = match args.shell {
        Shell::Bash => Target::Bash,
        Shell::Zsh => Target::Zsh,
        Shell::Fish => Target::Fish,
        Shell::Elvish => Target::Elvish,
        Shell::Powershell => Target::PowerShell,
    };
    let mut cmd = Cli::command();
    // Render into memory first: clap_complete panics on a write error such as a closed pipe.
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "worklog", &mut buf);
    std::io::Write::write_all(&mut ctx.stdout(), &buf)?;
    Ok(Outcome::Success)
}
