//! Refusing `NaN` and infinities in request bodies.
//!
//! JSON has no way to write them, and `serde_json` silently writes `null`
//! instead, so an amount of `f64::NAN` would reach the API as "no amount".
//! Generated types serialize every float field through [`serialize`], which
//! fails on a non-finite value with an error `non_finite` recognises. The
//! body is serialized once, and the path of the field comes from the JSON
//! written up to the failure (`json_path`), so nothing is compiled twice per
//! type (a separate checking serializer would instantiate every type's
//! `Serialize` a second time).

use std::collections::BTreeMap;
use std::fmt;

use serde::ser::{Error as _, Serialize, Serializer};

/// What the error message of a non-finite float starts with.
const MARKER: &str = "non-finite number ";

/// A value that may hold floats: serialized with every float checked.
#[doc(hidden)]
pub trait Floats {
    /// Serializes the value, failing on a non-finite float.
    fn serialize_checked<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

impl Floats for f64 {
    fn serialize_checked<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_finite() {
            serializer.serialize_f64(*self)
        } else {
            Err(S::Error::custom(format_args!("{MARKER}{self}")))
        }
    }
}

impl<T: Floats> Floats for Option<T> {
    fn serialize_checked<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&Checked(value)),
            None => serializer.serialize_none(),
        }
    }
}

impl<T: Floats> Floats for Box<T> {
    fn serialize_checked<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        T::serialize_checked(self, serializer)
    }
}

impl<T: Floats> Floats for Vec<T> {
    fn serialize_checked<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(Checked))
    }
}

impl<T: Floats> Floats for BTreeMap<String, T> {
    fn serialize_checked<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(key, value)| (key, Checked(value))))
    }
}

/// A value serialized with its floats checked (a float, or a list, map or
/// `Option` of them, as a request body or a union's variant).
#[doc(hidden)]
pub struct Checked<'a, T: ?Sized>(pub &'a T);

impl<T: Floats> Serialize for Checked<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_checked(serializer)
    }
}

impl<T: ?Sized> fmt::Debug for Checked<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Checked")
    }
}

/// Serializes a float field (`#[serde(serialize_with = ...)]` in generated
/// types), failing on a non-finite value.
#[doc(hidden)]
pub fn serialize<T: Floats, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    value.serialize_checked(serializer)
}

/// Writes `value` as JSON. On failure, what is wrong with the value, to
/// follow "the request body" or a part's name: a non-finite float's value
/// and path, or serde_json's message.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(128);
    let mut serializer = serde_json::Serializer::new(&mut out);
    match value.serialize(&mut serializer) {
        Ok(()) => Ok(out),
        Err(error) => {
            let message = error.to_string();
            Err(match non_finite(&message) {
                Some(number) => format!(
                    "has {number} at `{}`; JSON numbers must be finite",
                    path_of_next_value(out)
                ),
                None => format!("could not be serialized to JSON: {message}"),
            })
        }
    }
}

/// The number named by the message of a failed float, if it is one.
pub(crate) fn non_finite(message: &str) -> Option<&str> {
    message.strip_prefix(MARKER)
}

/// The path of the value `json` was about to get when writing stopped.
fn path_of_next_value(mut json: Vec<u8>) -> String {
    // Finish the value with a placeholder so the scanner sees it; output
    // written by serde_json has no line breaks (they are escaped in text).
    json.push(b'0');
    super::json_path::path_at(&json, 1, json.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Amount {
        #[serde(serialize_with = "serialize")]
        transaction_amount: f64,
        currency: &'static str,
    }

    #[derive(Serialize)]
    struct Body {
        id: &'static str,
        #[serde(serialize_with = "serialize")]
        timestamp: Option<f64>,
        amounts: Vec<Amount>,
        #[serde(serialize_with = "serialize")]
        limits: BTreeMap<String, Vec<f64>>,
        extra: BTreeMap<String, serde_json::Value>,
    }

    fn body(timestamp: f64, second: f64, limit: f64) -> Body {
        Body {
            id: "t",
            timestamp: Some(timestamp),
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
            limits: [("daily".to_owned(), vec![1.0, limit])]
                .into_iter()
                .collect(),
            extra: [("x".to_owned(), serde_json::json!({"a": [null]}))]
                .into_iter()
                .collect(),
        }
    }

    #[test]
    fn finite_values_are_written_as_serde_json_writes_them() {
        let value = body(1.0, 2.0, 3.5);
        let written: serde_json::Value = serde_json::from_slice(&to_json(&value).unwrap()).unwrap();
        assert_eq!(
            written,
            serde_json::json!({
                "id": "t", "timestamp": 1.0,
                "amounts": [
                    {"transactionAmount": 1.5, "currency": "EUR"},
                    {"transactionAmount": 2.0, "currency": "EUR"},
                ],
                "limits": {"daily": [1.0, 3.5]},
                "extra": {"x": {"a": [null]}},
            })
        );
        assert_eq!(to_json(&Checked(&2.5)).unwrap(), b"2.5");
    }

    #[test]
    fn a_non_finite_float_is_refused_with_its_path() {
        let message = to_json(&body(1.0, f64::NAN, 1.0)).unwrap_err();
        assert_eq!(
            message,
            "has NaN at `amounts[1].transactionAmount`; JSON numbers must be finite"
        );
        let message = to_json(&body(f64::INFINITY, 2.0, 1.0)).unwrap_err();
        assert!(message.contains("inf at `timestamp`"), "{message}");
        let message = to_json(&body(1.0, 2.0, f64::NEG_INFINITY)).unwrap_err();
        assert!(message.contains("-inf at `limits.daily[1]`"), "{message}");
        let message = to_json(&Checked(&vec![1.0, f64::NAN])).unwrap_err();
        assert!(message.contains("NaN at `[1]`"), "{message}");
        let message = to_json(&Checked(&f64::NAN)).unwrap_err();
        assert!(message.contains("NaN at `.`"), "{message}");
    }

    #[test]
    fn other_errors_keep_serde_json_s_message() {
        let mut map = BTreeMap::new();
        map.insert(vec![1u8], 1);
        let message = to_json(&map).unwrap_err();
        assert_eq!(
            message,
            "could not be serialized to JSON: key must be a string"
        );
    }
}
