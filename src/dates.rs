//! Date expressions for flags and `date:` queries: ISO days, months and years, RFC 3339
//! instants, and `A..B` ranges. A date without a time stands for its whole day, month or
//! year, in the local time zone (`TZ`). On top of that a thin layer for what people say:
//! `feb 2015`, `mid-february 2015` (`early-`, `mid-`, `late-`: days 1–10, 11–20, 21–end;
//! of a year: its first, middle, last four months),
//! and whatever GNU `date` understands (`2 years ago`, `last week`, `1 feb 2015`) through
//! parse_datetime, which stands for the day it lands on.

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
    let today = local_date(now);
    match s.to_ascii_lowercase().as_str() {
        "today" => return Ok(day_span(today, today)),
        "yesterday" => {
            let d = today.pred_opt().ok_or_else(bad)?;
            return Ok(day_span(d, d));
        }
        _ => {}
    }
    if let Some(r) = month_words(s, today) {
        return r.ok_or_else(bad);
    }
    relative(s, now).ok_or_else(|| {
        Error::user(format!(
            "{expr:?}: not a date (try 2015-02-14, 2015-02, 2015, feb 2015, mid-february 2015, 2 years ago, last week)"
        ))
    })
}

/// The local calendar day of an instant.
fn local_date(t: DateTime<FixedOffset>) -> NaiveDate {
    t.with_timezone(&Local).date_naive()
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            let full = match *m {
                "jan" => "january",
                "feb" => "february",
                "mar" => "march",
                "apr" => "april",
                "may" => "may",
                "jun" => "june",
                "jul" => "july",
                "aug" => "august",
                "sep" => "september",
                "oct" => "october",
                "nov" => "november",
                _ => "december",
            };
            full.starts_with(w) || (w == "sept" && *m == "sep")
        })
        .map(|i| i as u32 + 1)
}

/// `feb 2015`, `february`, `2015 feb`, `mid-february 2015`, `late feb`: None when the words
/// are not of that shape, Some(None) when they are but name no real date.
fn month_words(s: &str, today: NaiveDate) -> Option<Option<DateRange>> {
    let lower = s.to_ascii_lowercase();
    let mut words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let mut part = None;
    if let Some(first) = words.first().copied() {
        for p in ["early", "mid", "late"] {
            if first == p {
                part = Some(p);
                words.remove(0);
                break;
            }
            if let Some(rest) = first.strip_prefix(p).and_then(|r| r.strip_prefix('-')) {
                part = Some(p);
                words[0] = rest;
                break;
            }
        }
    }
    // `early 2015`, `mid-2015`, `late 2015`: the year's first, middle and last four months.
    if let (Some(p), [y]) = (part, words.as_slice())
        && y.len() == 4
        && let Ok(y) = y.parse::<i32>()
    {
        let (a, b) = match p {
            "early" => (1, 4),
            "mid" => (5, 8),
            _ => (9, 12),
        };
        let first = NaiveDate::from_ymd_opt(y, a, 1);
        let last = if b == 12 {
            NaiveDate::from_ymd_opt(y, 12, 31)
        } else {
            NaiveDate::from_ymd_opt(y, b + 1, 1).and_then(|d| d.pred_opt())
        };
        return Some(first.zip(last).map(|(f, l)| day_span(f, l)));
    }
    let (month, year) = match words.as_slice() {
        [m] => (month_number(m)?, None),
        [m, y] if month_number(m).is_some() && y.len() == 4 => {
            (month_number(m)?, Some(y.parse::<i32>().ok()?))
        }
        [y, m] if month_number(m).is_some() && y.len() == 4 => {
            (month_number(m)?, Some(y.parse::<i32>().ok()?))
        }
        _ => return None,
    };
    // A month without a year is the latest one that has begun.
    let year = year.unwrap_or_else(|| {
        use chrono::Datelike;
        if month <= today.month() {
            today.year()
        } else {
            today.year() - 1
        }
    });
    let first = NaiveDate::from_ymd_opt(year, month, 1);
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    let (Some(first), Some(last)) = (first, next.and_then(|n| n.pred_opt())) else {
        return Some(None);
    };
    let day = |d: u32| NaiveDate::from_ymd_opt(year, month, d);
    Some(match part {
        None => Some(day_span(first, last)),
        Some("early") => day(10).map(|d| day_span(first, d)),
        Some("mid") => day(11).zip(day(20)).map(|(a, b)| day_span(a, b)),
        _ => day(21).map(|d| day_span(d, last)),
    })
}

/// GNU-date expressions relative to `now` (`2 years ago`, `last week`, `1 feb 2015`): the
/// local day they land on.
fn relative(s: &str, now: DateTime<FixedOffset>) -> Option<DateRange> {
    // parse_datetime wants a jiff time as its "now"; it makes one from an RFC 3339 string.
    let base = parse_datetime::parse_datetime(now.to_rfc3339())
        .ok()?
        .into_zoned()?;
    let t = parse_datetime::parse_datetime_at_date(base, s).ok()?;
    let secs = t.unix_epoch_second();
    let at = chrono::DateTime::from_timestamp(secs, 0)?.fixed_offset();
    let d = local_date(at);
    Some(day_span(d, d))
}

/// `--window`: a number and `d`, `w`, `m` (30 days) or `y` (365 days); a bare number is days.
pub fn parse_window(s: &str) -> Result<chrono::Duration> {
    let t = s.trim().to_ascii_lowercase();
    let bad = || Error::user(format!("{s:?}: not a window (try 3d, 2w, 6m, 1y)"));
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().map_err(|_| bad())?;
    let days = match unit.trim() {
        "" | "d" | "day" | "days" => 1.0,
        "w" | "week" | "weeks" => 7.0,
        "m" | "month" | "months" => 30.0,
        "y" | "year" | "years" => 365.0,
        _ => return Err(bad()),
    };
    Ok(chrono::Duration::seconds((n * days * 86400.0) as i64))
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
    use chrono::Datelike;

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

    fn span(expr: &str) -> (String, String) {
        let r = parse_range(expr, now()).unwrap_or_else(|e| panic!("{expr}: {}", e.message()));
        (
            r.start.with_timezone(&Local).format("%F %H:%M").to_string(),
            r.end.with_timezone(&Local).format("%F %H:%M").to_string(),
        )
    }

    fn s(a: &str, b: &str) -> (String, String) {
        (format!("{a} 00:00"), format!("{b} 00:00"))
    }

    // Every form the flags accept, against a fixed now (2026-12-04 12:00 UTC), in the
    // process's local zone (the boundaries are local midnights whatever TZ is).
    #[test]
    fn each_form_lands_on_the_right_range() {
        assert_eq!(span("2015-02-14"), s("2015-02-14", "2015-02-15"));
        assert_eq!(span("2015-02"), s("2015-02-01", "2015-03-01"));
        assert_eq!(span("2015"), s("2015-01-01", "2016-01-01"));
        assert_eq!(
            span("2015-02-01..2015-03-15"),
            s("2015-02-01", "2015-03-16")
        );
        assert_eq!(
            span("2015-02.."),
            ("2015-02-01 00:00".into(), span("2015-02..").1)
        );
        assert_eq!(span("..2016").1, "2017-01-01 00:00");
        assert_eq!(span("feb 2015"), s("2015-02-01", "2015-03-01"));
        assert_eq!(span("February 2015"), s("2015-02-01", "2015-03-01"));
        assert_eq!(span("2015 feb"), s("2015-02-01", "2015-03-01"));
        assert_eq!(span("mid-february 2015"), s("2015-02-11", "2015-02-21"));
        assert_eq!(span("early feb 2015"), s("2015-02-01", "2015-02-11"));
        assert_eq!(span("late-feb 2015"), s("2015-02-21", "2015-03-01"));
        assert_eq!(span("late-dec 2015"), s("2015-12-21", "2016-01-01"));
        assert_eq!(span("mid-2022"), s("2022-05-01", "2022-09-01"));
        assert_eq!(span("early 2015"), s("2015-01-01", "2015-05-01"));
        assert_eq!(span("late-2015"), s("2015-09-01", "2016-01-01"));
        // A month without a year is the latest one that has begun.
        assert_eq!(span("dec"), s("2026-12-01", "2027-01-01"));
        assert_eq!(span("jan"), s("2026-01-01", "2026-02-01"));
        assert_eq!(span("feb 2015..mar 2015"), s("2015-02-01", "2015-04-01"));
        let today = local_date(now());
        let d = |n: i64| (today - chrono::Duration::days(n)).format("%F").to_string();
        assert_eq!(span("yesterday"), s(&d(1), &d(0)));
        assert_eq!(span("today"), s(&d(0), &d(-1)));
        assert_eq!(span("last week"), s(&d(7), &d(6)));
        assert_eq!(
            span("2 years ago").0,
            format!("{} 00:00", (today.with_year(2024).unwrap()).format("%F"))
        );
        assert_eq!(span("1 feb 2015"), s("2015-02-01", "2015-02-02"));
        assert!(parse_range("mid-february 20x5", now()).is_err());
        assert!(parse_range("someday", now()).is_err());
    }

    #[test]
    fn windows_take_a_number_and_a_unit() {
        assert_eq!(parse_window("3d").unwrap().num_days(), 3);
        assert_eq!(parse_window("2w").unwrap().num_days(), 14);
        assert_eq!(parse_window("6m").unwrap().num_days(), 180);
        assert_eq!(parse_window("1y").unwrap().num_days(), 365);
        assert_eq!(parse_window("10").unwrap().num_days(), 10);
        assert!(parse_window("2x").is_err());
        assert!(parse_window("w").is_err());
    }
}
