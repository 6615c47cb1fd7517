//! Parsed command-line arguments (clap types). Nothing below `cmd/` sees these.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Edit, commit, mail and find again a team's Markdown docs and checklists.
#[derive(Debug, Parser)]
#[command(name = "worklog", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The doc root (overrides WORKLOG_ROOT, the user config and discovery).
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Say less: only errors and results.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make a doc root: git repo, layout, worklog.toml.
    Init(InitArgs),
    /// Print the effective settings and where each came from.
    Config(ConfigArgs),
    /// Create a doc from a template, edit it, commit and mail it.
    New(NewArgs),
    /// Edit a doc in $VISUAL/$EDITOR, then commit and mail it.
    Edit(EditArgs),
    /// Commit edits made outside worklog, then mail them.
    Commit(CommitArgs),
    /// (Re)send the mail for docs' latest commits, or every unmailed commit.
    Mail(MailArgs),
    /// Uncommitted docs, unmailed commits, held and stale locks.
    Status(StatusArgs),
    /// Exit 1 when anything is uncommitted, unmailed or locked; write metrics.
    Check(CheckArgs),
    /// List docs with kind, title, tags, last change and progress.
    List(ListArgs),
    /// Print a doc as it is, or as it was at a date or revision.
    Show(ShowArgs),
    /// A doc's history: commits, dates, authors, mailed or not.
    Log(LogArgs),
    /// Add or remove tags in a doc's front matter, commit and mail.
    Tag(TagArgs),
    /// Checklists: start, tick, show, archive.
    #[command(subcommand)]
    Checklist(ChecklistCommand),
    /// Build or update the search index.
    Index(IndexArgs),
    /// Search docs, their old versions and the mail archives.
    Search(SearchArgs),
    /// Commits and mails of a period, in date order.
    Timeline(TimelineArgs),
    /// Docs and mails most like a given doc or message.
    Similar(SimilarArgs),
    /// Import history from other tools.
    #[command(subcommand)]
    Import(ImportCommand),
    /// A tour on built-in sample data, no setup needed.
    Demo(DemoArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the man page (roff).
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to make (or adopt) as a doc root; default: the current one.
    pub dir: Option<PathBuf>,
    /// The team's worklog mail address.
    #[arg(long, value_name = "ADDR")]
    pub address: Option<String>,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print JSON Lines, one setting per line.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The doc's kind: its top folder (build, howto, checklists, ...).
    pub kind: String,
    /// The doc's name (file name without .md).
    pub name: String,
    /// Tags for the front matter.
    #[arg(long = "tag", short = 't', value_name = "T")]
    pub tags: Vec<String>,
    /// Template name (default: the kind's own).
    #[arg(long, value_name = "T")]
    pub template: Option<String>,
    /// Do not open the editor; commit the template as filled in.
    #[arg(long)]
    pub no_edit: bool,
    /// Commit message (default: "new KIND/NAME").
    #[arg(short, long, value_name = "MSG")]
    pub message: Option<String>,
    /// Commit but do not mail.
    #[arg(long)]
    pub no_mail: bool,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The doc: a path relative to the root, with or without .md, or a unique name.
    pub doc: String,
    /// Commit message (asked for when missing).
    #[arg(short, long, value_name = "MSG")]
    pub message: Option<String>,
    /// Commit but do not mail.
    #[arg(long)]
    pub no_mail: bool,
}

#[derive(Debug, Args)]
pub struct CommitArgs {
    /// Docs to commit (default: every uncommitted doc).
    pub docs: Vec<String>,
    /// Commit message.
    #[arg(short, long, value_name = "MSG")]
    pub message: String,
    /// Commit but do not mail.
    #[arg(long)]
    pub no_mail: bool,
}

#[derive(Debug, Args)]
pub struct MailArgs {
    /// Docs whose latest commit to (re)send.
    pub docs: Vec<String>,
    /// Send every unmailed commit, oldest first.
    #[arg(long)]
    pub pending: bool,
    /// Print the mails instead of sending them.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print JSON Lines.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Write Prometheus text-format metrics to FILE (atomically).
    #[arg(long, value_name = "FILE")]
    pub textfile: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only docs of this kind.
    #[arg(long, value_name = "K")]
    pub kind: Option<String>,
    /// Only docs with this tag (repeat: all of them).
    #[arg(long = "tag", short = 't', value_name = "T")]
    pub tags: Vec<String>,
    /// Only archived (completed) checklists.
    #[arg(long)]
    pub archived: bool,
    /// Only docs changed (archived: completed) on or after this date.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Print JSON Lines.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The doc.
    pub doc: String,
    /// A date (the version current then) or a git revision.
    #[arg(long, value_name = "DATE|REV")]
    pub at: Option<String>,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The doc.
    pub doc: String,
    /// Print JSON Lines.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TagArgs {
    /// The doc.
    pub doc: String,
    /// Tags to add (or remove).
    #[arg(required = true)]
    pub tags: Vec<String>,
    /// Remove the tags instead of adding them.
    #[arg(long)]
    pub remove: bool,
    /// Commit but do not mail.
    #[arg(long)]
    pub no_mail: bool,
}

#[derive(Debug, Subcommand)]
pub enum ChecklistCommand {
    /// Start a checklist from a template or an old checklist.
    Start(ChecklistStartArgs),
    /// Tick the next (or a named) item.
    Tick(ChecklistTickArgs),
    /// Progress: done/total, current section, next item.
    Show(ChecklistShowArgs),
    /// Completed: stamp, move to archive/YYYY/, commit, mail.
    Archive(ChecklistArchiveArgs),
}

#[derive(Debug, Args)]
pub struct ChecklistStartArgs {
    /// A template name or an existing doc (e.g. an archived checklist).
    pub source: String,
    /// Name of the new checklist (default: derived from the source).
    #[arg(long = "as", value_name = "NAME")]
    pub name: Option<String>,
    /// Extra tags.
    #[arg(long = "tag", short = 't', value_name = "T")]
    pub tags: Vec<String>,
    /// Commit but do not mail.
    #[arg(long)]
    pub no_mail: bool,
}

#[derive(Debug, Args)]
pub struct ChecklistTickArgs {
    /// The checklist.
    pub doc: String,
    /// Item number (1-based) or a unique piece of its text; default: the next unticked.
    pub item: Option<String>,
    /// Untick instead of tick.
    #[arg(long)]
    pub undo: bool,
    /// A note to add under the item.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Mail this tick (default from worklog.toml [checklist] mail-on-tick).
    #[arg(long, conflicts_with = "no_mail")]
    pub mail: bool,
    /// Do not mail this tick.
    #[arg(long)]
    pub no_mail: bool,
}

#[derive(Debug, Args)]
pub struct ChecklistShowArgs {
    /// The checklist.
    pub doc: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ChecklistArchiveArgs {
    /// The checklist.
    pub doc: String,
    /// Tags to add before archiving.
    #[arg(long = "tag", short = 't', value_name = "T")]
    pub tags: Vec<String>,
    /// Archive even with unticked items (they are recorded as skipped).
    #[arg(long)]
    pub force: bool,
    /// Commit but do not mail.
    #[arg(long)]
    pub no_mail: bool,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Throw the index away and build it anew.
    #[arg(long)]
    pub rebuild: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortOrder {
    Relevance,
    Date,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words, "phrases", OR, NOT, -word, (...), field:value, date:A..B.
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// Only results on or after this date.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only results on or before this date.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Rank results near this date first (soft).
    #[arg(long, value_name = "DATE")]
    pub around: Option<String>,
    /// Width of --around: a number and d, w, m or y.
    #[arg(long, value_name = "W", requires = "around")]
    pub window: Option<String>,
    /// Only this kind of doc.
    #[arg(long, value_name = "K")]
    pub kind: Option<String>,
    /// Only docs or mails with this tag.
    #[arg(long = "tag", short = 't', value_name = "T")]
    pub tags: Vec<String>,
    /// Only mails from this sender (or doc versions by this author).
    #[arg(long, value_name = "A")]
    pub from: Option<String>,
    /// One result per matching doc version instead of one per doc.
    #[arg(long)]
    pub all_versions: bool,
    /// At most N results.
    #[arg(long, short = 'n', value_name = "N")]
    pub limit: Option<usize>,
    /// Result order.
    #[arg(long, value_enum, default_value_t = SortOrder::Relevance)]
    pub sort: SortOrder,
    /// Only count the matches.
    #[arg(long)]
    pub count: bool,
    /// Print JSON Lines.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// The middle of the period.
    #[arg(long, value_name = "DATE")]
    pub around: String,
    /// Half-width of the period: a number and d, w, m or y.
    #[arg(long, value_name = "W", default_value = "2w")]
    pub window: String,
    /// Print JSON Lines.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// A doc or a Message-ID.
    pub target: String,
    /// At most N results.
    #[arg(long, short = 'n', value_name = "N", default_value_t = 10)]
    pub limit: usize,
    /// Print JSON Lines.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Replay RCS ,v files' trunk revisions into git history.
    Rcs(ImportRcsArgs),
}

#[derive(Debug, Args)]
pub struct ImportRcsArgs {
    /// ,v files, working files with RCS/ beside them, or directories to search.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Folder inside the doc root to put the files in (default: the root).
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
    /// Mail domain for the RCS authors: commits are by `AUTHOR <AUTHOR@DOMAIN>`.
    #[arg(long, value_name = "DOMAIN", default_value = "localhost")]
    pub domain: String,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to build the sample doc root (default: a new temp dir).
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Print the page of one command instead (e.g. `import rcs`).
    pub command: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
