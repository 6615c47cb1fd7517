//! What every command gets: the environment, the clock, the working directory, output
//! settings, and lazy access to the resolved configuration and repository.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::cli::{ColorChoice, GlobalArgs};
use crate::clock::Clock;
use crate::config::{self, Config, UserConfig};
use crate::env::Env;
use crate::error::Result;
use crate::store::{Identity, Repo};

pub struct Context {
    pub env: Env,
    pub clock: Clock,
    pub cwd: PathBuf,
    pub root_flag: Option<PathBuf>,
    /// Colour on stdout.
    pub color: bool,
    /// Colour on stderr.
    pub color_err: bool,
    pub quiet: bool,
}

impl Context {
    pub fn new(global: &GlobalArgs, env: Env) -> Result<Context> {
        let clock = Clock::from_env(&env)?;
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        let no_color = env.get("NO_COLOR").is_some() || env.get("TERM") == Some("dumb");
        let decide = |tty: bool| match global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color,
        };
        Ok(Context {
            color: decide(std::io::stdout().is_terminal()),
            color_err: decide(std::io::stderr().is_terminal()),
            clock,
            cwd,
            root_flag: global.root.clone(),
            quiet: global.quiet,
            env,
        })
    }

    pub fn user_config(&self) -> Result<UserConfig> {
        UserConfig::load(&self.env)
    }

    /// Find the doc root and resolve the configuration.
    pub fn config(&self) -> Result<Config> {
        let user = self.user_config()?;
        let (root, origin) =
            config::find_root(self.root_flag.as_deref(), &self.env, &user, &self.cwd)?;
        Config::load(root, origin, &self.env, &user)
    }

    /// The configuration and the opened repository.
    pub fn open(&self) -> Result<(Config, Repo)> {
        let cfg = self.config()?;
        let repo = Repo::open(&cfg.root)?;
        Ok((cfg, repo))
    }

    /// The identity commits and mails are made with.
    pub fn identity(&self, cfg: &Config, repo: &Repo) -> Result<Identity> {
        repo.identity(cfg.name.as_deref(), cfg.email.as_deref(), &self.env)
    }

    /// Resolve a `DOC` argument against the root.
    pub fn doc(&self, cfg: &Config, input: &str) -> Result<crate::doc::DocRef> {
        crate::doc::resolve(&cfg.root, &self.cwd, input)
    }

    /// A progress or status line on stderr, unless `--quiet`.
    pub fn info(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            let _ = writeln!(std::io::stderr(), "{}", msg.as_ref());
        }
    }

    /// A warning on stderr (shown even with `--quiet`).
    pub fn warn(&self, msg: impl AsRef<str>) {
        let style = crate::output::style_warn(self.color_err);
        let _ = writeln!(
            std::io::stderr(),
            "{style}worklog: warning:{style:#} {}",
            msg.as_ref()
        );
    }

    pub fn stdout(&self) -> std::io::StdoutLock<'static> {
        std::io::stdout().lock()
    }
}
