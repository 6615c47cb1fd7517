//! Printing helpers: JSON Lines, colour styles, column formatting.

use std::io::Write;

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use crate::error::Result;

/// Write one JSON object and a newline.
pub fn json_line<W: Write, T: Serialize>(out: &mut W, value: &T) -> Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

fn pick(on: bool, s: Style) -> Style {
    if on { s } else { Style::new() }
}

pub fn style_error(on: bool) -> Style {
    pick(on, AnsiColor::Red.on_default().bold())
}
pub fn style_warn(on: bool) -> Style {
    pick(on, AnsiColor::Yellow.on_default().bold())
}
pub fn style_hint(on: bool) -> Style {
    pick(on, AnsiColor::Cyan.on_default())
}
pub fn style_path(on: bool) -> Style {
    pick(on, AnsiColor::Magenta.on_default())
}
pub fn style_date(on: bool) -> Style {
    pick(on, AnsiColor::Green.on_default())
}
pub fn style_match(on: bool) -> Style {
    pick(on, AnsiColor::Red.on_default().bold())
}
pub fn style_dim(on: bool) -> Style {
    pick(on, Style::new().dimmed())
}

/// Shorten `s` to at most `max` characters, ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// Pad to `width` characters (not bytes).
pub fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n >= width {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(width - n))
    }
}
