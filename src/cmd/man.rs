//! `worklog man [COMMAND...]`: the man page (roff) of worklog or of one of its commands.

use clap::CommandFactory;

use crate::Outcome;
use crate::cli::{Cli, ManArgs};
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(ctx: &Context, args: ManArgs) -> Result<Outcome> {
    let mut cmd = Cli::command();
    cmd.build();
    for word in &args.command {
        let Some(sub) = cmd.find_subcommand(word).cloned() else {
            let name = cmd.get_bin_name().unwrap_or("worklog").to_string();
            return Err(Error::user(format!("`{name}` has no command `{word}`"))
                .with_hint(format!("`worklog man` lists the commands of `{name}`")));
        };
        cmd = sub;
    }
    let man = clap_mangen::Man::new(cmd).manual("worklog manual");
    let mut buf = Vec::new();
    man.render(&mut buf)?;
    std::io::Write::write_all(&mut ctx.stdout(), &buf)?;
    Ok(Outcome::Success)
}
