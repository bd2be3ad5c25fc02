//! Decoding of the generated types' `date-time` fields (codegen adds the `deserialize_with`).
//!
//! chrono's own parser handles every RFC 3339 variant through a general format machine and
//! was about a fifth of the time spent decoding a list of TN leases. The form the service
//! sends (`2026-01-12T10:04:31Z`, `2026-02-17T08:45:02.318Z`, `...+02:00`) is parsed here
//! directly; anything else goes to chrono, so what is accepted and the values it gives are
//! exactly chrono's.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeDelta, Utc};
use serde::Deserializer;
use serde::de::{self, Visitor};

/// For `Option<DateTime<Utc>>` fields (with `#[serde(default)]`, so a missing field is `None`).
pub(crate) fn optional<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    deserializer.deserialize_option(OptionalVisitor)
}

/// For `DateTime<Utc>` fields.
pub(crate) fn required<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    deserializer.deserialize_str(TimestampVisitor)
}

struct OptionalVisitor;

impl<'de> Visitor<'de> for OptionalVisitor {
    type Value = Option<DateTime<Utc>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 timestamp or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        required(deserializer).map(Some)
    }
}

struct TimestampVisitor;

impl Visitor<'_> for TimestampVisitor {
    type Value = DateTime<Utc>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 timestamp")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        parse(value).map_err(E::custom)
    }
}

fn parse(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    match common_form(text.as_bytes()) {
        Some(time) => Ok(time),
        None => text.parse::<DateTime<FixedOffset>>().map(|t| t.with_timezone(&Utc)),
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)` with 1 to 9 fraction digits; `None` for
/// anything else (including leap seconds), which chrono then decides.
fn common_form(b: &[u8]) -> Option<DateTime<Utc>> {
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let bytes = b.get(range)?;
        bytes.iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if !separators.iter().all(|(i, c)| b.get(*i) == Some(c)) {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    let mut i = 19;
    let mut nanos = 0;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let count = i - start;
        if count == 0 || count > 9 {
            return None;
        }
        nanos = digits(start..i)? * 10u32.pow(9 - count as u32);
    }
    let offset_seconds = match b.get(i)? {
        b'Z' if b.len() == i + 1 => 0,
        sign @ (b'+' | b'-') if b.len() == i + 6 && b[i + 3] == b':' => {
            let (hours, minutes) = (digits(i + 1..i + 3)?, digits(i + 4..i + 6)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = i64::from(hours * 3600 + minutes * 60);
            if *sign == b'-' { -seconds } else { seconds }
        }
        _ => return None,
    };
    if second > 59 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    let utc = date.and_time(time).checked_sub_signed(TimeDelta::seconds(offset_seconds))?;
    Some(utc.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrono(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
        text.parse::<DateTime<FixedOffset>>().map(|t| t.with_timezone(&Utc))
    }

    #[test]
    fn the_common_form_gives_what_chrono_gives() {
        let mut checked = 0;
        for date in ["2026-01-12", "1988-05-14", "2024-02-29", "0001-01-01", "9999-12-31", "2025-12-31"] {
            for time in ["00:00:00", "10:04:31", "23:59:59", "08:45:02"] {
                for fraction in ["", ".3", ".318", ".120", ".123456", ".123456789"] {
                    for offset in ["Z", "+00:00", "-00:00", "+02:00", "-05:30", "+23:59", "-23:59"] {
                        let text = format!("{date}T{time}{fraction}{offset}");
                        let fast = common_form(text.as_bytes());
                        assert_eq!(fast.ok_or(()), chrono(&text).map_err(|_| ()), "{text}");
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 6 * 4 * 6 * 7);
    }

    #[test]
    fn anything_else_is_chrono_s_decision() {
        for text in [
            "2026-01-12 10:04:31Z",
            "2026-01-12t10:04:31z",
            "2026-01-12T10:04:31.1234567891Z",
            "2026-01-12T10:04:31.Z",
            "2016-12-31T23:59:60Z",
            "2026-02-30T10:04:31Z",
            "2026-01-12T24:00:00Z",
            "2026-01-12T10:04:31+24:00",
            "2026-01-12T10:04:31+0200",
            "2026-01-12T10:04:31",
            "2026-01-12",
            "",
            "２０２６-01-12T10:04:31Z",
        ] {
            let fast = common_form(text.as_bytes());
            assert!(fast.is_none() || Ok(fast.unwrap()) == chrono(text).map_err(|_| ()), "{text}");
            assert_eq!(parse(text).map_err(|_| ()), chrono(text).map_err(|_| ()), "{text}");
        }
    }

    #[test]
    fn fields_decode_missing_null_and_values() {
        #[derive(serde::Deserialize)]
        struct Entity {
            #[serde(default, deserialize_with = "optional")]
            created_on: Option<DateTime<Utc>>,
            #[serde(deserialize_with = "required")]
            expired_on: DateTime<Utc>,
        }
        let e: Entity = serde_json::from_str(r#"{"expired_on": "2027-01-12T10:04:31.120Z"}"#).unwrap();
        assert_eq!((e.created_on, e.expired_on.timestamp_subsec_millis()), (None, 120));
        let e: Entity =
            serde_json::from_str(r#"{"created_on": null, "expired_on": "2027-01-12T12:04:31+02:00"}"#).unwrap();
        assert_eq!((e.created_on, e.expired_on.to_rfc3339()), (None, "2027-01-12T10:04:31+00:00".to_string()));
        let e: Entity =
            serde_json::from_str(r#"{"created_on": "2026-01-12T10:04:31Z", "expired_on": "2027-01-12T10:04:31Z"}"#)
                .unwrap();
        assert_eq!(e.created_on.unwrap().to_rfc3339(), "2026-01-12T10:04:31+00:00");
        let error = serde_json::from_str::<Entity>(r#"{"expired_on": "soon"}"#).err().unwrap();
        assert!(error.to_string().contains("input contains invalid characters"), "{error}");
    }
}
