//! Reading generated structs and tagged unions straight from the input.
//!
//! Generated structs keep the properties they do not know. serde's
//! `#[serde(flatten)]` does that by buffering every property of the object
//! into an intermediate tree first, which is slow and makes a lot of code per
//! type. Instead each generated `Deserialize` is a small visitor that matches
//! keys with [`Fields`] (no allocation for known keys), stores values with
//! [`next`], and puts unknown keys into the struct's map.
//!
//! A tagged union reads keys until it meets its tag ([`read_tag`]), keeping
//! the (usually zero) entries before it, and hands the variant a
//! [`Replay`]: those entries, the tag, then the rest of the object read
//! straight from the input. Nothing is buffered when the tag comes first,
//! which is how the API and this crate write them.

use std::fmt;

use serde::de::value::{StrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, forward_to_deserialize_any};
use serde_json::Value;

/// A key of a generated struct: the index of a known wire name, or a key
/// this version does not know, kept as text.
#[doc(hidden)]
#[derive(Debug)]
pub enum Field {
    /// The index of the key in the struct's wire names.
    Known(usize),
    /// A key the struct does not declare.
    Unknown(String),
}

/// Reads a key, matching it with a struct's generated `match` of its wire
/// names (the index of the name, `None` for a key the struct lacks).
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct Fields(pub fn(&str) -> Option<usize>);

impl<'de> DeserializeSeed<'de> for Fields {
    type Value = Field;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Field, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Fields {
    type Value = Field;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Field, E> {
        Ok(match (self.0)(key) {
            Some(index) => Field::Known(index),
            None => Field::Unknown(key.to_owned()),
        })
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Field, E> {
        Ok(match (self.0)(&key) {
            Some(index) => Field::Known(index),
            None => Field::Unknown(key),
        })
    }
}

/// Reads a key of a tagged union's object: `None` for the tag itself.
#[derive(Clone, Copy)]
struct TagKey(&'static str);

impl<'de> DeserializeSeed<'de> for TagKey {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for TagKey {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok((key != self.0).then(|| key.to_owned()))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Self::Value, E> {
        Ok((key != self.0).then_some(key))
    }
}

/// Reads the value of a known key into its slot; a key given twice is an
/// error, as with serde's derive.
#[doc(hidden)]
#[inline]
pub fn next<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of a key (one the struct knows by index but not by arm;
/// generated code never makes one).
#[doc(hidden)]
#[inline]
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(drop)
}

/// Reads the value of a key the struct does not declare into its map of
/// unknown properties.
#[doc(hidden)]
#[inline]
pub fn extra<'de, A, T>(
    map: &mut A,
    extra: &mut std::collections::BTreeMap<String, T>,
    key: String,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    extra.insert(key, map.next_value()?);
    Ok(())
}

/// The value of an optional key: `None` when absent or `null`.
#[doc(hidden)]
#[inline]
pub fn optional<T>(slot: Option<Option<T>>) -> Option<T> {
    slot.flatten()
}

/// The value of a required key, or serde's "missing field" error.
#[doc(hidden)]
#[inline]
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// An integer field's value read leniently: an integer, or a float with no
/// fraction (`12.0`, `1.2e1`, as a JSON re-encoder may write one), in any
/// form serde_json hands over (also with `arbitrary_precision`). A fraction
/// or a value out of the field's range is an error naming the value.
#[doc(hidden)]
pub struct Whole<T>(pub T);

impl<'de, T: TryFrom<i64>> Deserialize<'de> for Whole<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let number = serde_json::Number::deserialize(deserializer)?;
        let whole = number.as_i64().or_else(|| {
            let value = number.as_f64()?;
            (value.fract() == 0.0 && super::timestamp::in_i64_range(value)).then_some(value as i64)
        });
        match whole.and_then(|value| T::try_from(value).ok()) {
            Some(value) => Ok(Whole(value)),
            None => Err(de::Error::custom(format_args!(
                "invalid value: {number}, expected a whole number within the range of {}",
                std::any::type_name::<T>()
            ))),
        }
    }
}

/// Reads a tagged union's object up to its tag, for [`Tagged::variant`] to
/// read the rest as the variant [`Tagged::tag`] names.
///
/// The tag's key is matched without allocating. When the tag comes first (as
/// the API and this crate write it) nothing is buffered: the variant reads the
/// rest of the object straight from the input. Otherwise the whole object is
/// buffered and the variant decoded from its JSON text. A missing tag, or one
/// that is not a string, is an error naming `union`.
#[doc(hidden)]
pub fn read_tag<'de, A: MapAccess<'de>>(
    mut map: A,
    tag: &'static str,
    union: &'static str,
) -> Result<Tagged<A>, A::Error> {
    let missing = || {
        de::Error::custom(format_args!(
            "{union}: expected an object with a string `{tag}` property"
        ))
    };
    let Some(first) = map.next_key_seed(TagKey(tag))? else {
        return Err(missing());
    };
    let Some(first) = first else {
        return match map.next_value::<Value>()? {
            Value::String(value) => Ok(Tagged::Direct(Replay {
                tag_key: tag,
                tag: TagState::Unread(value),
                map,
            })),
            _ => Err(missing()),
        };
    };
    // The tag comes later: buffer the whole object.
    let mut object = serde_json::Map::new();
    let mut key = first;
    loop {
        let value = map.next_value::<Value>()?;
        match object.entry(key) {
            serde_json::map::Entry::Vacant(entry) => {
                entry.insert(value);
            }
            // As serde's derive says of a struct.
            serde_json::map::Entry::Occupied(entry) => {
                return Err(de::Error::custom(format_args!(
                    "duplicate field `{}`",
                    entry.key()
                )));
            }
        }
        match map.next_key::<String>()? {
            Some(next) => key = next,
            None => break,
        }
    }
    match object.get(tag) {
        Some(Value::String(value)) => Ok(Tagged::Buffered {
            tag: value.clone(),
            object: Value::Object(object),
        }),
        _ => Err(missing()),
    }
}

/// A tagged union's object after [`read_tag`]: its tag, and the object for
/// the variant to read.
#[doc(hidden)]
pub enum Tagged<A> {
    /// The tag came first; the rest is read from the input.
    Direct(Replay<A>),
    /// The tag came later; the whole object was buffered.
    Buffered {
        /// The tag's value.
        tag: String,
        /// The whole object, tag included.
        object: Value,
    },
}

impl<'de, A: MapAccess<'de>> Tagged<A> {
    /// The tag's value, which picks the variant.
    pub fn tag(&self) -> &str {
        match self {
            Tagged::Direct(replay) => match &replay.tag {
                TagState::Unread(tag) => tag,
                TagState::KeyGiven(_) | TagState::Done => "",
            },
            Tagged::Buffered { tag, .. } => tag,
        }
    }

    /// Reads the object, tag included, as the variant `T`.
    pub fn variant<T: de::DeserializeOwned>(self) -> Result<T, A::Error> {
        match self {
            Tagged::Direct(replay) => T::deserialize(replay),
            Tagged::Buffered { object, .. } => reread(&object).map_err(de::Error::custom),
        }
    }
}

/// A tagged union's object for its variant, tag first: the tag (already
/// read), then the rest of the object from the input.
#[doc(hidden)]
pub struct Replay<A> {
    tag_key: &'static str,
    tag: TagState,
    map: A,
}

/// How far the variant has read the tag.
enum TagState {
    /// Not at all: the tag's key comes next.
    Unread(String),
    /// Its key was handed out: its value comes next.
    KeyGiven(String),
    /// Key and value were handed out: the rest comes from the input.
    Done,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match std::mem::replace(&mut self.tag, TagState::Done) {
            TagState::Unread(value) => {
                self.tag = TagState::KeyGiven(value);
                let key: StrDeserializer<'_, A::Error> = self.tag_key.into_deserializer();
                seed.deserialize(key).map(Some)
            }
            state => {
                self.tag = state;
                self.map.next_key_seed(seed)
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match std::mem::replace(&mut self.tag, TagState::Done) {
            TagState::KeyGiven(value) => {
                let value: StringDeserializer<A::Error> = value.into_deserializer();
                seed.deserialize(value)
            }
            state => {
                self.tag = state;
                self.map.next_value_seed(seed)
            }
        }
    }
}

/// Decodes a buffered value again from its JSON text, with serde_json's
/// reader: each type's `Deserialize` is then compiled once, for that reader,
/// and not a second time for `serde_json::Value`. An error is ``at `path`:
/// message`` (see `error_path`), the path inside `value`.
#[doc(hidden)]
pub fn reread<T: de::DeserializeOwned>(value: &Value) -> Result<T, String> {
    let json = serde_json::to_vec(value).map_err(|e| e.to_string())?;
    serde_json::from_slice(&json).map_err(|e| super::error_path::located_in(&json, &e))
}

/// Reads a value whole into a `serde_json::Value` and hands it to `decide`
/// (an untagged union trying its variants). `decide` runs inside the
/// deserializer's own call, so serde_json reports its error at the end of
/// this value, where a path found from the position points.
#[doc(hidden)]
pub fn from_buffered<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    decide: fn(Value) -> Result<T, String>,
) -> Result<T, D::Error> {
    deserializer.deserialize_any(Buffered(decide))
}

struct Buffered<T>(fn(Value) -> Result<T, String>);

impl<T> Buffered<T> {
    fn decide<E: de::Error>(self, value: Value) -> Result<T, E> {
        (self.0)(value).map_err(E::custom)
    }
}

impl<'de, T> Visitor<'de> for Buffered<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        self.decide(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        self.decide(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        self.decide(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        self.decide(Value::from(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        self.decide(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
        self.decide(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        self.decide(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        self.decide(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        let value = Value::deserialize(deserializer)?;
        self.decide(value)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        let value = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        self.decide(value)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        let value = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        self.decide(value)
    }
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for Replay<A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_map(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole<T: TryFrom<i64>>(json: &str) -> Result<T, String> {
        serde_json::from_str::<Whole<T>>(json)
            .map(|w| w.0)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn integers_read_whole_floats_and_refuse_fractions() {
        assert_eq!(whole::<i64>("12"), Ok(12));
        assert_eq!(whole::<i64>("12.0"), Ok(12));
        assert_eq!(whole::<i64>("1.2e1"), Ok(12));
        assert_eq!(whole::<i64>("-7"), Ok(-7));
        assert_eq!(whole::<i32>("2147483647"), Ok(i32::MAX));
        let fraction = whole::<i64>("12.5").unwrap_err();
        assert!(
            fraction.contains("invalid value: 12.5, expected a whole number"),
            "{fraction}"
        );
        assert!(whole::<i32>("2147483648").is_err());
        assert!(whole::<i64>("1e300").is_err());
        assert!(whole::<i64>("\"12\"").is_err());
    }

    /// A struct read the way generated code reads one.
    #[derive(Debug, PartialEq)]
    struct Card {
        method: String,
        last4: Option<String>,
        extra: std::collections::BTreeMap<String, Value>,
    }

    impl<'de> Deserialize<'de> for Card {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Card;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("struct Card")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Card, A::Error> {
                    fn field(key: &str) -> Option<usize> {
                        match key {
                            "method" => Some(0),
                            "last4" => Some(1),
                            _ => None,
                        }
                    }
                    let mut method: Option<String> = None;
                    let mut last4: Option<Option<String>> = None;
                    let mut extras = std::collections::BTreeMap::new();
                    while let Some(key) = map.next_key_seed(Fields(field))? {
                        match key {
                            Field::Known(0) => next(&mut map, &mut method, "method"),
                            Field::Known(1) => next(&mut map, &mut last4, "last4"),
                            Field::Known(_) => skip(&mut map),
                            Field::Unknown(key) => extra(&mut map, &mut extras, key),
                        }?;
                    }
                    Ok(Card {
                        method: required(method, "method")?,
                        last4: last4.flatten(),
                        extra: extras,
                    })
                }
            }
            deserializer.deserialize_map(V)
        }
    }

    /// A one-variant union read the way generated code reads one.
    #[derive(Debug, PartialEq)]
    enum Payment {
        Card(Card),
        Unknown(Value),
    }

    impl<'de> Deserialize<'de> for Payment {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Payment;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a Payment object")
                }
                fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Payment, A::Error> {
                    let rest = read_tag(map, "method", "Payment")?;
                    match rest.tag() {
                        "CARD" => rest.variant().map(Payment::Card),
                        _ => rest.variant().map(Payment::Unknown),
                    }
                }
            }
            deserializer.deserialize_map(V)
        }
    }

    #[test]
    fn known_and_unknown_keys() {
        let card: Card = serde_json::from_str(r#"{"last4":null,"method":"CARD","x":[1]}"#).unwrap();
        assert_eq!(card.method, "CARD");
        assert_eq!(card.last4, None);
        assert_eq!(card.extra["x"], serde_json::json!([1]));
        let err = serde_json::from_str::<Card>(r#"{"last4":"1"}"#).unwrap_err();
        assert!(
            err.to_string().starts_with("missing field `method`"),
            "{err}"
        );
        let err = serde_json::from_str::<Card>(r#"{"method":"A","method":"B"}"#).unwrap_err();
        assert!(
            err.to_string().starts_with("duplicate field `method`"),
            "{err}"
        );
        // The same through a buffered value.
        let value = serde_json::json!({"method": "CARD", "y": true});
        let card = Card::deserialize(value).unwrap();
        assert_eq!(card.extra["y"], Value::Bool(true));
    }

    #[test]
    fn tag_first_or_later_and_unknown_tags() {
        let first: Payment = serde_json::from_str(r#"{"method":"CARD","last4":"4242"}"#).unwrap();
        let later: Payment =
            serde_json::from_str(r#"{"last4":"4242","z":{"a":1},"method":"CARD"}"#).unwrap();
        match (&first, &later) {
            (Payment::Card(a), Payment::Card(b)) => {
                assert_eq!(a.last4.as_deref(), Some("4242"));
                assert_eq!(b.last4.as_deref(), Some("4242"));
                assert_eq!(b.extra["z"], serde_json::json!({"a": 1}));
            }
            other => panic!("{other:?}"),
        }
        let unknown: Payment =
            serde_json::from_str(r#"{"a":1,"method":"NEW","b":[true]}"#).unwrap();
        assert_eq!(
            unknown,
            Payment::Unknown(serde_json::json!({"a": 1, "method": "NEW", "b": [true]}))
        );
    }

    #[test]
    fn missing_or_odd_tags_are_errors() {
        for json in [r#"{"last4":"1"}"#, r#"{"method":5}"#, "{}"] {
            let err = serde_json::from_str::<Payment>(json).unwrap_err();
            assert!(
                err.to_string()
                    .contains("Payment: expected an object with a string `method` property"),
                "{json}: {err}"
            );
        }
    }

    #[test]
    fn a_bad_buffered_entry_names_its_path() {
        let err = serde_json::from_str::<Payment>(r#"{"last4":5,"method":"CARD"}"#).unwrap_err();
        let message = err.to_string();
        // The path inside the buffered object, then serde_json's position
        // in the input (once: the re-read text's own position is dropped).
        assert!(
            message.starts_with("at `last4`: invalid type: integer `5`"),
            "{message}"
        );
        assert_eq!(message.matches(" at line ").count(), 1, "{message}");
        let err = serde_json::from_str::<Payment>(r#"{"last4":"1","last4":"2","method":"CARD"}"#)
            .unwrap_err();
        assert!(
            err.to_string().starts_with("duplicate field `last4`"),
            "{err}"
        );
        let err = serde_json::from_str::<Payment>(r#"{"method":"CARD","last4":"1","last4":"2"}"#)
            .unwrap_err();
        assert!(
            err.to_string().starts_with("duplicate field `last4`"),
            "{err}"
        );
    }
}
