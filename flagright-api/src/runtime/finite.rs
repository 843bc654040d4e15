//! Refusing `NaN` and infinities in request bodies.
//!
//! JSON has no way to write them, and `serde_json` silently writes `null`
//! instead, so an amount of `f64::NAN` would reach the API as "no amount".
//! [`first_non_finite`] walks a value with a serializer that produces
//! nothing and stops at the first non-finite float, reporting its path.
//! (`serde_path_to_error` cannot do this: its serializer loses the path
//! inside `Option`s.)

use std::cell::RefCell;
use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible};

use super::json_path::{Segment, render};

/// The JSON path of the first non-finite float in `value` (`.` for the root),
/// with the offending value; `None` when every float is finite.
pub(crate) fn first_non_finite<T: Serialize + ?Sized>(value: &T) -> Option<(String, f64)> {
    let path = RefCell::new(Vec::new());
    match value.serialize(Walker { path: &path }) {
        Ok(()) => None,
        Err(Stop::NonFinite(path, number)) => Some((path, number)),
        // A custom error from a `Serialize` impl: serializing the body
        // proper reports it.
        Err(Stop::Other) => None,
    }
}

/// Why the walk stopped.
#[derive(Debug)]
enum Stop {
    NonFinite(String, f64),
    Other,
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::NonFinite(path, number) => write!(f, "{number} at `{path}` is not finite"),
            Stop::Other => f.write_str("the value could not be serialized"),
        }
    }
}

impl std::error::Error for Stop {}

impl ser::Error for Stop {
    fn custom<M: fmt::Display>(_message: M) -> Self {
        Stop::Other
    }
}

/// A serializer that writes nothing, tracks where it is, and fails on
/// non-finite floats.
#[derive(Clone, Copy)]
struct Walker<'a> {
    path: &'a RefCell<Vec<Segment>>,
}

impl Walker<'_> {
    fn check(self, number: f64) -> Result<(), Stop> {
        if number.is_finite() {
            Ok(())
        } else {
            Err(Stop::NonFinite(render(&self.path.borrow()), number))
        }
    }

    /// Serializes `value` one step further down the path.
    fn nested<T: Serialize + ?Sized>(self, segment: Segment, value: &T) -> Result<(), Stop> {
        self.path.borrow_mut().push(segment);
        let result = value.serialize(self);
        self.path.borrow_mut().pop();
        result
    }
}

/// The state of a compound value: the walker and the next index or key.
struct Compound<'a> {
    walker: Walker<'a>,
    index: usize,
    key: Option<String>,
}

impl<'a> Compound<'a> {
    fn new(walker: Walker<'a>) -> Self {
        Compound {
            walker,
            index: 0,
            key: None,
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        let index = self.index;
        self.index += 1;
        self.walker.nested(Segment::Index(index), value)
    }
}

macro_rules! accept {
    ($($method:ident($($ty:ty),*);)*) => {
        $(fn $method(self, $(_: $ty),*) -> Result<(), Stop> { Ok(()) })*
    };
}

impl<'a> ser::Serializer for Walker<'a> {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    accept! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_i128(i128);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_u128(u128);
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    fn serialize_f32(self, v: f32) -> Result<(), Stop> {
        self.check(f64::from(v))
    }

    fn serialize_f64(self, v: f64) -> Result<(), Stop> {
        self.check(v)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Stop> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        self.nested(Segment::Key(variant.to_owned()), value)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Stop> {
        Ok(Compound::new(self))
    }

    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, Stop> {
        Ok(Compound::new(self))
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Stop> {
        Ok(Compound::new(self))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Stop> {
        self.path
            .borrow_mut()
            .push(Segment::Key(variant.to_owned()));
        Ok(Compound::new(self))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Stop> {
        Ok(Compound::new(self))
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Stop> {
        Ok(Compound::new(self))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Stop> {
        self.path
            .borrow_mut()
            .push(Segment::Key(variant.to_owned()));
        Ok(Compound::new(self))
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.element(value)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.element(value)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.element(value)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.element(value)
    }
    fn end(self) -> Result<(), Stop> {
        self.walker.path.borrow_mut().pop();
        Ok(())
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Stop> {
        self.key = Some(key.serialize(MapKey)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        let key = self.key.take().unwrap_or_else(|| "?".to_owned());
        self.walker.nested(Segment::Key(key), value)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        self.walker.nested(Segment::Key(key.to_owned()), value)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        self.walker.nested(Segment::Key(key.to_owned()), value)
    }
    fn end(self) -> Result<(), Stop> {
        self.walker.path.borrow_mut().pop();
        Ok(())
    }
}

/// Renders a map key as text. JSON writes float keys as strings, so `NaN`
/// there is text, not a lost number: every scalar key is accepted.
struct MapKey;

macro_rules! key_text {
    ($($method:ident($ty:ty);)*) => {
        $(fn $method(self, v: $ty) -> Result<String, Stop> { Ok(v.to_string()) })*
    };
}

impl ser::Serializer for MapKey {
    type Ok = String;
    type Error = Stop;
    type SerializeSeq = Impossible<String, Stop>;
    type SerializeTuple = Impossible<String, Stop>;
    type SerializeTupleStruct = Impossible<String, Stop>;
    type SerializeTupleVariant = Impossible<String, Stop>;
    type SerializeMap = Impossible<String, Stop>;
    type SerializeStruct = Impossible<String, Stop>;
    type SerializeStructVariant = Impossible<String, Stop>;

    key_text! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_i128(i128);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_u128(u128);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
        serialize_str(&str);
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<String, Stop> {
        Ok("?".to_owned())
    }
    fn serialize_none(self) -> Result<String, Stop> {
        Ok("?".to_owned())
    }
    fn serialize_unit(self) -> Result<String, Stop> {
        Ok("?".to_owned())
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<String, Stop> {
        Ok(name.to_owned())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, Stop> {
        Ok(variant.to_owned())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<String, Stop> {
        value.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, Stop> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Result<String, Stop> {
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Stop> {
        Err(Stop::Other)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Stop> {
        Err(Stop::Other)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Stop> {
        Err(Stop::Other)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Stop> {
        Err(Stop::Other)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Stop> {
        Err(Stop::Other)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Stop> {
        Err(Stop::Other)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Stop> {
        Err(Stop::Other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Amount {
        transaction_amount: f64,
        currency: &'static str,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body {
        id: &'static str,
        timestamp: f64,
        amounts: Vec<Amount>,
        extra: BTreeMap<String, serde_json::Value>,
    }

    fn body(timestamp: f64, second: f64) -> Body {
        Body {
            id: "t",
            timestamp,
            amounts: vec![
                Amount {
                    transaction_amount: 1.5,
                    currency: "EUR",
                },
                Amount {
                    transaction_amount: second,
                    currency: "EUR",
                },
            ],
            extra: BTreeMap::new(),
        }
    }

    #[test]
    fn finds_the_path_of_the_first_non_finite_float() {
        assert_eq!(first_non_finite(&body(1.0, 2.0)), None);
        let (path, value) = first_non_finite(&body(1.0, f64::NAN)).unwrap();
        assert_eq!(path, "amounts[1].transactionAmount");
        assert!(value.is_nan());
        assert_eq!(
            first_non_finite(&body(f64::INFINITY, 2.0)),
            Some(("timestamp".to_owned(), f64::INFINITY))
        );
        assert_eq!(
            first_non_finite(&f32::NEG_INFINITY),
            Some((".".to_owned(), f64::NEG_INFINITY))
        );
    }

    #[test]
    fn float_map_keys_are_not_numbers() {
        let mut map = BTreeMap::new();
        map.insert("a", Some(1.0f64));
        map.insert("b", None);
        assert_eq!(first_non_finite(&map), None);
        let keyed: Vec<(String, f64)> = vec![("x".into(), f64::NAN)];
        let as_map: BTreeMap<_, _> = keyed.into_iter().collect();
        assert_eq!(
            first_non_finite(&as_map).map(|(path, _)| path),
            Some("x".to_owned())
        );
    }
}
#[cfg(test)]
mod flatten_tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct Inner {
        #[serde(rename = "transactionAmount")]
        amount: f64,
        #[serde(flatten)]
        rest: BTreeMap<String, serde_json::Value>,
    }

    #[derive(Serialize)]
    struct Outer {
        #[serde(
            rename = "originAmountDetails",
            skip_serializing_if = "Option::is_none"
        )]
        inner: Option<Inner>,
        #[serde(flatten)]
        rest: BTreeMap<String, serde_json::Value>,
    }

    #[test]
    fn flattened_inner_alone() {
        let value = Inner {
            amount: f64::NAN,
            rest: BTreeMap::new(),
        };
        assert_eq!(
            first_non_finite(&value).map(|(path, _)| path),
            Some("transactionAmount".to_owned())
        );
        let map: BTreeMap<&str, f64> = [("a", f64::NAN)].into_iter().collect();
        assert_eq!(
            first_non_finite(&map).map(|(path, _)| path),
            Some("a".to_owned())
        );
    }

    #[test]
    fn flattened_structs_report_the_inner_field() {
        let value = Outer {
            inner: Some(Inner {
                amount: f64::NAN,
                rest: BTreeMap::new(),
            }),
            rest: BTreeMap::new(),
        };
        assert_eq!(
            first_non_finite(&value).map(|(path, _)| path),
            Some("originAmountDetails.transactionAmount".to_owned())
        );
    }
}
