//! Dates of posts: a day (`2019-12-17`) or an instant (`2019-12-17T08:30:00+01:00`).
//!
//! A post keeps both the calendar day the author meant (for display) and the instant it becomes
//! public (for scheduling against "now"). A bare day is taken to start at midnight UTC.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

/// A parsed date from the front matter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PostDate {
    /// When it happens, for ordering and scheduling.
    pub instant: Timestamp,
    /// The calendar day the author wrote, for display.
    pub day: Date,
    /// The value for `<time datetime>`: the day, or the instant as written.
    pub datetime: String,
}

impl PostDate {
    /// Parses `2019-12-17`, `2019-12-17T08:30:00+01:00` (or `Z`), or `2019-12-17T08:30:00` (UTC).
    pub fn parse(text: &str) -> Result<PostDate, String> {
        let text = text.trim();
        if text.len() == 10 {
            let day: Date = text.parse().map_err(|e| describe(text, e))?;
            let instant = TimeZone::UTC
                .to_timestamp(day.to_datetime(jiff::civil::Time::midnight()))
                .map_err(|e| describe(text, e))?;
            return Ok(PostDate {
                instant,
                day,
                datetime: day.to_string(),
            });
        }
        let normalised = text.replacen(' ', "T", 1);
        if let Ok(instant) = normalised.parse::<Timestamp>() {
            check_offset(text, &normalised)?;
            // The day as the author saw it: the date part of what they wrote.
            let day: Date = normalised[..10].parse().map_err(|e| describe(text, e))?;
            return Ok(PostDate {
                instant,
                day,
                datetime: normalised,
            });
        }
        let local: DateTime = normalised.parse().map_err(|e| describe(text, e))?;
        let instant = TimeZone::UTC
            .to_timestamp(local)
            .map_err(|e| describe(text, e))?;
        Ok(PostDate {
            instant,
            day: local.date(),
            datetime: format!("{}Z", local),
        })
    }

    pub fn from_timestamp(instant: Timestamp) -> PostDate {
        let day = instant.to_zoned_datetime(TimeZone::UTC).date();
        PostDate {
            instant,
            day,
            datetime: instant.to_string(),
        }
    }
}

/// The largest offset from UTC a date may have, in seconds: ±23:59, as RFC 3339 allows. Jiff
/// accepts up to ±25:59:59, which no place on Earth uses.
const MAX_OFFSET: i32 = 23 * 3600 + 59 * 60;

/// An offset beyond ±23:59 (`+25:00`) is a typo, not a time zone.
fn check_offset(text: &str, normalised: &str) -> Result<(), String> {
    let offset = jiff::fmt::temporal::Pieces::parse(normalised)
        .ok()
        .and_then(|p| p.to_numeric_offset());
    match offset {
        Some(o) if o.seconds().abs() > MAX_OFFSET => Err(format!(
            "invalid date \"{text}\": the offset {o} is beyond ±23:59; write 2019-12-17T08:30:00+01:00"
        )),
        _ => Ok(()),
    }
}

fn describe(text: &str, e: jiff::Error) -> String {
    format!("invalid date \"{text}\": {e}; write 2019-12-17 or 2019-12-17T08:30:00+01:00")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day() {
        let d = PostDate::parse("2019-12-17").unwrap();
        assert_eq!(d.datetime, "2019-12-17");
        assert_eq!(d.instant.as_second(), 1_576_540_800);
    }

    #[test]
    fn an_instant_keeps_the_authors_day() {
        let d = PostDate::parse("2019-12-17T00:30:00+01:00").unwrap();
        assert_eq!(d.day.to_string(), "2019-12-17");
        assert_eq!(d.datetime, "2019-12-17T00:30:00+01:00");
        assert_eq!(d.instant.as_second(), 1_576_539_000);
    }

    #[test]
    fn impossible_days_are_refused() {
        let e = PostDate::parse("2019-02-30").unwrap_err();
        assert!(e.starts_with("invalid date \"2019-02-30\""), "{e}");
        assert!(PostDate::parse("17/12/2019").is_err());
    }

    #[test]
    fn offsets_beyond_23_59_are_refused() {
        for bad in ["2019-12-17T08:30:00+25:00", "2019-12-17T08:30:00-24:00"] {
            let e = PostDate::parse(bad).unwrap_err();
            assert!(e.contains("beyond ±23:59"), "{e}");
        }
        for good in ["2019-12-17T08:30:00+23:59", "2019-12-17T08:30:00-23:59"] {
            assert!(PostDate::parse(good).is_ok(), "{good}");
        }
    }
}
