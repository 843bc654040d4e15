//! Timestamps in milliseconds since the Unix epoch: the [`Timestamp`] type
//! every such field has, and what its setters accept.

use std::cmp::Ordering;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time as the API writes it: milliseconds since the Unix epoch
/// (UTC), a JSON number.
///
/// # Reading never fails, writing never changes the number
///
/// The official API description types these fields `number`, and the
/// official SDKs read them as floats, so a response may carry any JSON
/// number here: `1641654664000`, `1641654664000.5`, `1.641654664e12`, or a
/// value outside the documented 1980 to 2100 range. Every finite JSON number
/// is read, as is every form serde_json hands over when its
/// `arbitrary_precision` feature is on. The value is kept as sent (a
/// [`serde_json::Number`]), so writing it back gives the same number: an
/// integer stays an integer and `1.1` stays `1.1`. (Without
/// `arbitrary_precision`, serde_json itself rewrites exponents in plain
/// notation, `1.5e12` as `1500000000000.0`; with it, the text is kept byte
/// for byte.)
///
/// # Making one
///
/// Setters take anything [`IntoTimestamp`]: an integer number of
/// milliseconds, a [`SystemTime`], or a `Timestamp`. Values made that way
/// are whole milliseconds and are written as integers.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
///
/// use openapi_client_rt::Timestamp;
///
/// let at = Timestamp::from_millis(1_732_190_400_000);
/// assert_eq!(at, 1_732_190_400_000);
/// assert_eq!(at.to_string(), "1732190400000");
/// assert_eq!(
///     at.to_system_time(),
///     Some(UNIX_EPOCH + Duration::from_millis(1_732_190_400_000))
/// );
///
/// // What the API may send: kept as sent, readable as milliseconds.
/// let sent: Timestamp = serde_json::from_str("1732190400000.25").unwrap();
/// assert_eq!(sent.as_millis(), None); // not a whole number of milliseconds
/// assert_eq!(sent.as_millis_floor(), Some(1_732_190_400_000));
/// assert_eq!(serde_json::to_string(&sent).unwrap(), "1732190400000.25");
/// ```
///
/// Two timestamps compare by the instant they denote, so `1000` and
/// `1000.0` are equal.
#[derive(Clone)]
pub struct Timestamp(serde_json::Number);

impl Timestamp {
    /// The timestamp `millis` milliseconds after the Unix epoch (before it
    /// when negative).
    pub fn from_millis(millis: i64) -> Self {
        Timestamp(serde_json::Number::from(millis))
    }

    /// The timestamp `millis` milliseconds after the Unix epoch, fractions
    /// kept; `None` for a NaN or an infinity, which JSON cannot carry.
    pub fn from_millis_f64(millis: f64) -> Option<Self> {
        serde_json::Number::from_f64(millis).map(Timestamp)
    }

    /// The current time, in whole milliseconds.
    pub fn now() -> Self {
        SystemTime::now().into_timestamp()
    }

    /// Milliseconds since the Unix epoch, when the value is a whole number
    /// within the range of `i64` (`1641654664000` and `1641654664000.0`
    /// both give `Some`; `1641654664000.5` gives `None`).
    pub fn as_millis(&self) -> Option<i64> {
        if let Some(whole) = self.0.as_i64() {
            return Some(whole);
        }
        let value = self.as_f64();
        (value.fract() == 0.0 && in_i64_range(value)).then_some(value as i64)
    }

    /// Whole milliseconds since the Unix epoch, rounding a fraction down
    /// (towards the past); `None` outside the range of `i64`.
    pub fn as_millis_floor(&self) -> Option<i64> {
        if let Some(whole) = self.0.as_i64() {
            return Some(whole);
        }
        let value = self.as_f64().floor();
        in_i64_range(value).then_some(value as i64)
    }

    /// Milliseconds since the Unix epoch as a float (the official SDKs'
    /// reading), exact for every timestamp of the next 280,000 years.
    pub fn as_f64(&self) -> f64 {
        // A finite JSON number too large for an f64 reads as infinity.
        self.0.as_f64().unwrap_or(f64::INFINITY)
    }

    /// The number as sent or set.
    pub fn as_number(&self) -> &serde_json::Number {
        &self.0
    }

    /// The instant as a [`SystemTime`], fractions of a millisecond kept to
    /// the nanosecond; `None` when the platform cannot represent it.
    pub fn to_system_time(&self) -> Option<SystemTime> {
        if let Some(millis) = self.0.as_i64() {
            let offset = Duration::from_millis(millis.unsigned_abs());
            return if millis >= 0 {
                UNIX_EPOCH.checked_add(offset)
            } else {
                UNIX_EPOCH.checked_sub(offset)
            };
        }
        let seconds = self.as_f64() / 1_000.0;
        let offset = Duration::try_from_secs_f64(seconds.abs()).ok()?;
        if seconds >= 0.0 {
            UNIX_EPOCH.checked_add(offset)
        } else {
            UNIX_EPOCH.checked_sub(offset)
        }
    }
}

/// Whether the float `value` lies within the range of `i64`, so that a
/// whole one converts exactly.
pub(crate) fn in_i64_range(value: f64) -> bool {
    // `i64::MAX as f64` rounds up to 2^63, which is out of range.
    (-(2f64.powi(63))..2f64.powi(63)).contains(&value)
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.0)
    }
}

/// The number as written on the wire.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.partial_cmp(other) == Some(Ordering::Equal)
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        match (self.0.as_i64(), other.0.as_i64()) {
            (Some(a), Some(b)) => Some(a.cmp(&b)),
            _ => self.as_f64().partial_cmp(&other.as_f64()),
        }
    }
}

impl PartialEq<i64> for Timestamp {
    fn eq(&self, other: &i64) -> bool {
        self.as_millis() == Some(*other)
    }
}

impl PartialEq<Timestamp> for i64 {
    fn eq(&self, other: &Timestamp) -> bool {
        other == self
    }
}

impl From<i64> for Timestamp {
    fn from(millis: i64) -> Self {
        Timestamp::from_millis(millis)
    }
}

impl From<SystemTime> for Timestamp {
    fn from(time: SystemTime) -> Self {
        time.into_timestamp()
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// Reads any JSON number (see the type's docs); anything else, a string
/// included, is an error naming what was expected.
impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_json::Number::deserialize(deserializer).map(Timestamp)
    }
}

/// What a timestamp setter accepts: milliseconds since the Unix epoch as an
/// `i64` (an integer literal works too), a [`SystemTime`], or a
/// [`Timestamp`].
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
///
/// use openapi_client_rt::{IntoTimestamp, Timestamp};
///
/// assert_eq!(1_732_190_400_000.into_timestamp(), 1_732_190_400_000);
/// let time = UNIX_EPOCH + Duration::from_millis(1_732_190_400_000);
/// assert_eq!(time.into_timestamp(), 1_732_190_400_000);
/// let before = UNIX_EPOCH - Duration::from_millis(1_500);
/// assert_eq!(before.into_unix_millis(), -1_500);
/// # let _ = SystemTime::now().into_timestamp();
/// # let _: Timestamp = Timestamp::from_millis(1).into_timestamp();
/// ```
pub trait IntoTimestamp {
    /// The value as a [`Timestamp`].
    fn into_timestamp(self) -> Timestamp;

    /// Whole milliseconds since the Unix epoch (negative before it), a
    /// fraction rounded down, saturating at the ends of `i64` (some 292
    /// million years away).
    fn into_unix_millis(self) -> i64
    where
        Self: Sized,
    {
        let timestamp = self.into_timestamp();
        timestamp
            .as_millis_floor()
            .unwrap_or(if timestamp.as_f64() < 0.0 {
                i64::MIN
            } else {
                i64::MAX
            })
    }
}

impl IntoTimestamp for i64 {
    fn into_timestamp(self) -> Timestamp {
        Timestamp::from_millis(self)
    }
}

impl IntoTimestamp for SystemTime {
    fn into_timestamp(self) -> Timestamp {
        let millis = match self.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_millis()).unwrap_or(i64::MAX),
            Err(before) => {
                i64::try_from(before.duration().as_millis()).map_or(i64::MIN, |millis| -millis)
            }
        };
        Timestamp::from_millis(millis)
    }
}

impl IntoTimestamp for Timestamp {
    fn into_timestamp(self) -> Timestamp {
        self
    }
}

impl IntoTimestamp for &Timestamp {
    fn into_timestamp(self) -> Timestamp {
        self.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Timestamp, serde_json::Error> {
        serde_json::from_str(json)
    }

    fn round_trip(json: &str) -> String {
        match read(json).and_then(|t| serde_json::to_string(&t)) {
            Ok(text) => text,
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn every_finite_number_is_read() {
        for text in [
            "1641654664000",
            "1641654664000.0",
            "1.641654664e12",
            "1.1",
            "-5",
            "0",
            "1e300",
            "18446744073709551615",
            "-1.5e-7",
        ] {
            assert!(read(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn integers_and_fractions_are_written_as_read() {
        for text in ["1641654664000", "1.1", "1641654664000.5", "-5", "0.25"] {
            assert_eq!(round_trip(text), text);
        }
        // A float stays a float.
        assert_eq!(round_trip("1641654664000.0"), "1641654664000.0");
    }

    #[test]
    fn what_is_not_a_number_is_refused() {
        let err = read("\"1641654664000\"").map(|_| ()).unwrap_err();
        assert!(err.to_string().contains("invalid type: string"), "{err}");
        assert!(read("null").is_err());
        assert!(read("true").is_err());
    }

    #[test]
    fn readings_as_milliseconds() {
        let whole = read("1641654664000.0").unwrap();
        assert_eq!(whole.as_millis(), Some(1_641_654_664_000));
        assert_eq!(whole, 1_641_654_664_000);
        assert_eq!(whole, Timestamp::from_millis(1_641_654_664_000));
        let fraction = read("1641654664000.75").unwrap();
        assert_eq!(fraction.as_millis(), None);
        assert_eq!(fraction.as_millis_floor(), Some(1_641_654_664_000));
        assert_ne!(fraction, 1_641_654_664_000);
        assert!(fraction > whole);
        assert_eq!(read("-0.5").unwrap().as_millis_floor(), Some(-1));
        assert_eq!(read("1e300").unwrap().as_millis(), None);
        assert_eq!(read("1e300").unwrap().as_millis_floor(), None);
    }

    #[test]
    fn system_times_keep_fractions() {
        let at = read("1500.25").unwrap().to_system_time().unwrap();
        assert_eq!(
            at.duration_since(UNIX_EPOCH).unwrap(),
            Duration::from_micros(1_500_250)
        );
        let before = Timestamp::from_millis(-1_500).to_system_time().unwrap();
        assert_eq!(
            UNIX_EPOCH.duration_since(before).unwrap(),
            Duration::from_millis(1_500)
        );
        assert_eq!(read("1e300").unwrap().to_system_time(), None);
    }

    #[test]
    fn setters_inputs() {
        assert_eq!(5.into_timestamp(), 5);
        assert_eq!(read("2.75").unwrap().into_unix_millis(), 2);
        assert_eq!(read("1e300").unwrap().into_unix_millis(), i64::MAX);
        assert_eq!(read("-1e300").unwrap().into_unix_millis(), i64::MIN);
        assert!(Timestamp::from_millis_f64(f64::NAN).is_none());
        assert_eq!(Timestamp::from_millis_f64(2.5).unwrap().to_string(), "2.5");
    }
}
