//! Running the user's `$VISUAL`/`$EDITOR` on a file.

use std::path::Path;
use std::process::Command;

use crate::env::Env;
use crate::error::{Error, Result};

/// Run the editor on `file` with the terminal attached. Returns whether it exited 0.
/// The editor string may hold arguments (`code --wait`), so it goes through `sh`.
pub fn run(env: &Env, file: &Path) -> Result<bool> {
    let editor = env.editor();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(file)
        .env_clear()
        .envs(env.vars())
        .status()
        .map_err(|e| Error::failed(format!("could not start editor {editor:?}: {e}")))?;
    Ok(status.success())
}
