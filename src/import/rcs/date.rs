//! RCS revision dates: `YY.MM.DD.hh.mm.ss` (years 1900–1999) or `YYYY.MM.DD.hh.mm.ss`, UTC.

use chrono::{DateTime, TimeZone, Utc};

/// The instant an RCS date names, or None when it is not a valid date.
pub fn parse_rcs_date(s: &str) -> Option<DateTime<Utc>> {
    let parts: Vec<&str> = s.split('.').collect();
    let [y, mo, d, h, mi, sec] = parts[..] else {
        return None;
    };
    if parts
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let mut year: i32 = y.parse().ok()?;
    // RCS before 5.x wrote two-digit years; it switched to four digits for 2000 onwards.
    if y.len() == 2 {
        year += 1900;
    }
    Utc.with_ymd_and_hms(
        year,
        mo.parse().ok()?,
        d.parse().ok()?,
        h.parse().ok()?,
        mi.parse().ok()?,
        sec.parse().ok()?,
    )
    .single()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_and_two_digit_years() {
        assert_eq!(
            parse_rcs_date("2001.02.03.04.05.06").unwrap().to_rfc3339(),
            "2001-02-03T04:05:06+00:00"
        );
        assert_eq!(
            parse_rcs_date("95.12.31.23.59.59").unwrap().to_rfc3339(),
            "1995-12-31T23:59:59+00:00"
        );
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for bad in [
            "2001.02.03",
            "2001.13.01.00.00.00",
            "2001.02.30.00.00.00",
            "2001.02.03.04.05.0x",
            "a.b.c.d.e.f",
            "",
        ] {
            assert!(parse_rcs_date(bad).is_none(), "{bad}");
        }
    }
}
