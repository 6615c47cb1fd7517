//! Date expressions for flags and `date:` queries: ISO days, months and years, RFC 3339
//! instants, and `A..B` ranges. A date without a time stands for its whole day, month or
//! year, in the local time zone (`TZ`).

use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

use crate::error::{Error, Result};

/// A half-open span of time `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
}

fn local_midnight(d: NaiveDate) -> DateTime<FixedOffset> {
    let naive = NaiveDateTime::new(d, NaiveTime::MIN);
    match Local.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => t.fixed_offset(),
        chrono::LocalResult::Ambiguous(a, _) => a.fixed_offset(),
        // Midnight skipped by a DST change: take the first instant after it.
        chrono::LocalResult::None => Local
            .from_local_datetime(&(naive + chrono::Duration::hours(1)))
            .earliest()
            .map(|t| t.fixed_offset())
            .unwrap_or_else(|| naive.and_utc().fixed_offset()),
    }
}

fn day_span(from: NaiveDate, to_inclusive: NaiveDate) -> DateRange {
    DateRange {
        start: local_midnight(from),
        end: local_midnight(to_inclusive.succ_opt().unwrap_or(to_inclusive)),
    }
}

/// The span one expression stands for: `2015`, `2015-02`, `2015-02-14`, or an instant.
pub fn parse_span(expr: &str, now: DateTime<FixedOffset>) -> Result<DateRange> {
    let s = expr.trim();
    let bad = || {
        Error::user(format!(
            "{expr:?}: not a date (try 2015-02-14, 2015-02, 2015, or an RFC 3339 time)"
        ))
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(DateRange {
            start: t,
            end: t + chrono::Duration::seconds(1),
        });
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(day_span(d, d));
    }
    if let Some((y, m)) = s.split_once('-')
        && y.len() == 4
        && let (Ok(y), Ok(m)) = (y.parse::<i32>(), m.parse::<u32>())
    {
        let first = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(bad)?;
        let next = if m == 12 {
            NaiveDate::from_ymd_opt(y + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(y, m + 1, 1)
        };
        let last = next.and_then(|n| n.pred_opt()).ok_or_else(bad)?;
        return Ok(day_span(first, last));
    }
    if s.len() == 4
        && let Ok(y) = s.parse::<i32>()
    {
        let first = NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(bad)?;
        let last = NaiveDate::from_ymd_opt(y, 12, 31).ok_or_else(bad)?;
        return Ok(day_span(first, last));
    }
    match s {
        "today" => Ok(day_span(now.date_naive(), now.date_naive())),
        "yesterday" => {
            let d = now.date_naive().pred_opt().ok_or_else(bad)?;
            Ok(day_span(d, d))
        }
        _ => Err(bad()),
    }
}

/// `A..B`, `A..`, `..B`, or a single expression.
pub fn parse_range(expr: &str, now: DateTime<FixedOffset>) -> Result<DateRange> {
    let far_past = DateTime::parse_from_rfc3339("0001-01-01T00:00:00Z").unwrap_or_default();
    let far_future = DateTime::parse_from_rfc3339("9999-12-31T00:00:00Z").unwrap_or_default();
    match expr.split_once("..") {
        Some((a, b)) => {
            let start = if a.trim().is_empty() {
                far_past
            } else {
                parse_span(a, now)?.start
            };
            let end = if b.trim().is_empty() {
                far_future
            } else {
                parse_span(b, now)?.end
            };
            if end <= start {
                return Err(Error::user(format!(
                    "{expr:?}: the range ends before it starts"
                )));
            }
            Ok(DateRange { start, end })
        }
        None => parse_span(expr, now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-12-04T12:00:00Z").unwrap()
    }

    #[test]
    fn months_and_ranges_cover_whole_periods() {
        let r = parse_range("2015-02..2015-03", now()).unwrap();
        assert_eq!(r.start.date_naive().to_string(), "2015-02-01");
        assert_eq!(r.end.date_naive().to_string(), "2015-04-01");
        let r = parse_range("2016", now()).unwrap();
        assert_eq!(
            (
                r.start.date_naive().to_string(),
                r.end.date_naive().to_string()
            ),
            ("2016-01-01".into(), "2017-01-01".into())
        );
        let r = parse_range("2024-02", now()).unwrap();
        assert_eq!(r.end.date_naive().to_string(), "2024-03-01");
        assert!(parse_range("2015-13", now()).is_err());
        assert!(parse_range("2016..2015", now()).is_err());
    }
}
