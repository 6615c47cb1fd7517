//! Printing results: a two-line text form (date, kind, path or sender and subject; then
//! the snippet with its matches marked) or JSON Lines with the contract's fields.

use std::io::Write;

use chrono::{Local, TimeZone};
use serde_json::json;

use super::searcher::{Hit, Record};
use crate::error::Result;
use crate::output;

/// A record's date as RFC 3339 in the local time zone.
pub fn rfc3339(ts: i64) -> String {
    Local
        .timestamp_opt(ts, 0)
        .single()
        .map(|t| t.to_rfc3339())
        .unwrap_or_default()
}

pub fn day(ts: i64) -> String {
    Local
        .timestamp_opt(ts, 0)
        .single()
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn short(c: &str) -> &str {
    &c[..c.len().min(8)]
}

/// The JSON object of one hit.
pub fn hit_json(h: &Hit) -> serde_json::Value {
    let r = &h.record;
    let opt = |s: &str| {
        if s.is_empty() {
            serde_json::Value::Null
        } else {
            json!(s)
        }
    };
    json!({
        "type": r.kind_of_record,
        "date": rfc3339(r.date),
        "path": opt(&r.path),
        "path_then": r.path_then,
        "title": opt(&r.title),
        "commit": opt(&r.commit),
        "message_id": opt(&r.message_id),
        "from": opt(&r.from),
        "subject": opt(&r.subject),
        "kind": opt(&r.kind),
        "tags": r.tags,
        "snippet": h.snippet.text,
        "score": h.score,
        "loose": h.loose,
        "versions": h.versions,
        "uncommitted": r.uncommitted(),
    })
}

/// The first line of a hit: date, type, then path and title or sender and subject.
pub fn head_line(r: &Record, color: bool) -> String {
    let ds = output::style_date(color);
    let ps = output::style_path(color);
    let dim = output::style_dim(color);
    if r.kind_of_record == "mail" {
        let linked = if r.commit.is_empty() {
            String::new()
        } else {
            format!(" {dim}[{}]{dim:#}", short(&r.commit))
        };
        format!(
            "{ds}{}{ds:#}  mail  {ps}{}{ps:#}  {}{linked}",
            day(r.date),
            output::truncate(&r.from, 40),
            r.subject
        )
    } else {
        let tag = if r.uncommitted() {
            format!(" {dim}(uncommitted){dim:#}")
        } else if !r.commit.is_empty() {
            format!(" {dim}[{}]{dim:#}", short(&r.commit))
        } else {
            String::new()
        };
        let kind = if r.kind.is_empty() {
            "doc".to_string()
        } else {
            r.kind.clone()
        };
        let then = match &r.path_then {
            Some(p) => format!(" {dim}(then {p}){dim:#}"),
            None => String::new(),
        };
        format!(
            "{ds}{}{ds:#}  {}  {ps}{}{ps:#}{then}  {}{tag}",
            day(r.date),
            kind,
            r.path,
            r.title
        )
    }
}

/// Print hits as text or JSON Lines; a note before the first loose match.
pub fn hits<W: Write>(out: &mut W, hits: &[Hit], json: bool, color: bool) -> Result<()> {
    // One write per page, not per line (stdout is line-buffered).
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, out);
    write_hits(&mut out, hits, json, color)?;
    out.flush()?;
    Ok(())
}

fn write_hits<W: Write>(out: &mut W, hits: &[Hit], json: bool, color: bool) -> Result<()> {
    let mut said_loose = false;
    for h in hits {
        if json {
            output::json_line(out, &hit_json(h))?;
            continue;
        }
        if h.loose && !said_loose {
            let dim = output::style_dim(color);
            writeln!(
                out,
                "{dim}-- looser matches (any of the words, stemmed) --{dim:#}"
            )?;
            said_loose = true;
        }
        let mark = if h.loose { "≈ " } else { "" };
        let versions = if h.versions > 1 {
            format!("  ({} versions match)", h.versions)
        } else {
            String::new()
        };
        writeln!(out, "{mark}{}{versions}", head_line(&h.record, color))?;
        if !h.snippet.text.is_empty() {
            writeln!(
                out,
                "    {}",
                marked(&h.snippet.text, &h.snippet.marks, color)
            )?;
        }
    }
    Ok(())
}

/// The snippet with its marks in the match style (plain text when colour is off).
fn marked(text: &str, marks: &[(usize, usize)], color: bool) -> String {
    if !color {
        return text.to_string();
    }
    let ms = output::style_match(color);
    let mut s = String::with_capacity(text.len() + marks.len() * 8);
    let mut last = 0;
    for &(a, b) in marks {
        s.push_str(&text[last..a]);
        s.push_str(&format!("{ms}{}{ms:#}", &text[a..b]));
        last = b;
    }
    s.push_str(&text[last..]);
    s
}
