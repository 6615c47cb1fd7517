//! The one pulldown-cmark setup used everywhere, so every module sees the same document.

use pulldown_cmark::{Options, Parser};

/// Parser options: task lists, tables, strikethrough, and YAML front matter as metadata.
pub fn options() -> Options {
    Options::ENABLE_TASKLISTS
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

/// A parser over a whole file's text (front matter included).
pub fn parser(text: &str) -> Parser<'_> {
    Parser::new_ext(text, options())
}
