//! "Now", read once per run; `WORKLOG_NOW` (RFC 3339) fixes it for tests and the demo.

use chrono::{DateTime, FixedOffset, Local, TimeZone};

use crate::env::Env;
use crate::error::{Error, Result};

/// The run's fixed notion of the current time.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    now: DateTime<FixedOffset>,
    fixed: bool,
}

impl Clock {
    pub fn from_env(env: &Env) -> Result<Self> {
        match env.get("WORKLOG_NOW") {
            Some(s) => DateTime::parse_from_rfc3339(s)
                .map(|now| Clock { now, fixed: true })
                .map_err(|e| Error::user(format!("WORKLOG_NOW: not an RFC 3339 time ({e}): {s}"))),
            None => Ok(Clock {
                now: Local::now().fixed_offset(),
                fixed: false,
            }),
        }
    }

    pub fn fixed(now: DateTime<FixedOffset>) -> Self {
        Clock { now, fixed: true }
    }

    pub fn now(&self) -> DateTime<FixedOffset> {
        self.now
    }

    /// True when the time came from `WORKLOG_NOW`.
    pub fn is_fixed(&self) -> bool {
        self.fixed
    }

    /// Today's date as `YYYY-MM-DD`, in the clock's offset.
    pub fn today(&self) -> String {
        self.now.format("%Y-%m-%d").to_string()
    }

    /// Now in the local time zone (for day boundaries in searches).
    pub fn local_now(&self) -> DateTime<Local> {
        Local.from_utc_datetime(&self.now.naive_utc())
    }
}
