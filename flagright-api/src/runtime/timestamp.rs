//! Timestamps in milliseconds since the Unix epoch: what their setters accept,
//! and how they are read leniently.
//!
//! The API sends and documents these as integers; they are `i64` fields.
//! Reading also accepts a whole-valued float (`1641654664000.0`,
//! `1.641654664e12`), so an older server or a proxy that rewrites numbers
//! cannot break a response. Writing always gives an integer.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::de::{Deserializer, Visitor};

/// A point in time a timestamp setter accepts: milliseconds since the Unix
/// epoch as an `i64` (an integer literal works too), or a
/// [`SystemTime`].
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
///
/// use flagright_api::IntoTimestamp;
///
/// assert_eq!(1_732_190_400_000.into_unix_millis(), 1_732_190_400_000);
/// let time = UNIX_EPOCH + Duration::from_millis(1_732_190_400_000);
/// assert_eq!(time.into_unix_millis(), 1_732_190_400_000);
/// let before = UNIX_EPOCH - Duration::from_millis(1_500);
/// assert_eq!(before.into_unix_millis(), -1_500);
/// # let _ = SystemTime::now().into_unix_millis();
/// ```
pub trait IntoTimestamp {
    /// Milliseconds since the Unix epoch (negative before it; saturating at
    /// the ends of `i64`, some 292 million years away).
    fn into_unix_millis(self) -> i64;
}

impl IntoTimestamp for i64 {
    fn into_unix_millis(self) -> i64 {
        self
    }
}

impl IntoTimestamp for SystemTime {
    fn into_unix_millis(self) -> i64 {
        match self.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_millis()).unwrap_or(i64::MAX),
            Err(before) => {
                i64::try_from(before.duration().as_millis()).map_or(i64::MIN, |millis| -millis)
            }
        }
    }
}

/// Reads a timestamp: an integer, or a float with no fractional part within
/// the range of `i64`.
#[doc(hidden)]
pub fn deserialize_timestamp<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    deserializer.deserialize_any(Millis)
}

/// [`deserialize_timestamp`] for an optional field (`null` is `None`).
#[doc(hidden)]
pub fn deserialize_optional_timestamp<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    deserializer.deserialize_option(OptionalMillis)
}

struct Millis;

impl Visitor<'_> for Millis {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("milliseconds since the Unix epoch, as a whole number")
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<i64, E> {
        Ok(value)
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<i64, E> {
        i64::try_from(value).map_err(|_| E::custom(format!("timestamp {value} is out of range")))
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<i64, E> {
        // `i64::MAX as f64` rounds up to 2^63, which is out of range.
        let in_range = value >= -(2f64.powi(63)) && value < 2f64.powi(63);
        if value.fract() == 0.0 && in_range {
            // Whole and in range, so the conversion is exact.
            Ok(value as i64)
        } else {
            Err(E::custom(format!(
                "timestamp {value} is not a whole number of milliseconds"
            )))
        }
    }
}

struct OptionalMillis;

impl<'de> Visitor<'de> for OptionalMillis {
    type Value = Option<i64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("milliseconds since the Unix epoch, or null")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserialize_timestamp(deserializer).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<i64, serde_json::Error> {
        deserialize_timestamp(&mut serde_json::Deserializer::from_str(json))
    }

    #[test]
    fn integers_and_whole_floats_are_read() {
        assert_eq!(read("1641654664000").ok(), Some(1_641_654_664_000));
        assert_eq!(read("1641654664000.0").ok(), Some(1_641_654_664_000));
        assert_eq!(read("1.641654664e12").ok(), Some(1_641_654_664_000));
        assert_eq!(read("-5").ok(), Some(-5));
    }

    #[test]
    fn fractions_and_out_of_range_values_are_refused() {
        assert!(read("1641654664000.5").is_err());
        assert!(read("1e300").is_err());
        assert!(read("18446744073709551615").is_err());
        assert!(read("\"1641654664000\"").is_err());
    }
}
