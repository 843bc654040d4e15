//! Checking and encoding what the caller passes, before anything is sent.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use super::error::Error;
use super::finite::{non_finite, to_json};
use super::redact::shorten;
use super::request::RequestBody;

/// Everything but the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Longest piece of caller input quoted in an error message.
pub(crate) const QUOTED_INPUT_BYTES: usize = 64;

/// Percent-encodes the value of path parameter `name` as one path segment.
///
/// Every byte except the RFC 3986 unreserved characters is encoded, so `/`,
/// `?`, `#`, `%` and spaces cannot change the shape of the URL. The values
/// `""`, `.` and `..` are refused: an empty segment changes which endpoint
/// is called, and URL normalisation (in the client, a proxy or the server)
/// turns `.` and `..` into a different path altogether (`get("..")` would
/// call `GET /`).
#[doc(hidden)]
pub fn path_segment<B>(name: &str, value: &str) -> Result<String, Error<B>> {
    match value {
        "" => Err(Error::invalid_input(format!(
            "the path parameter `{name}` is empty"
        ))),
        "." | ".." => Err(Error::invalid_input(format!(
            "the path parameter `{name}` is `{value}`, which would leave its path segment"
        ))),
        _ => Ok(utf8_percent_encode(value, PATH_SEGMENT).to_string()),
    }
}

/// Encodes a list path parameter in the simple style: each item as by
/// [`path_segment`], joined by commas. An empty list is refused like an
/// empty value.
#[doc(hidden)]
pub fn path_list<B>(name: &str, items: impl Iterator<Item = String>) -> Result<String, Error<B>> {
    let mut out = String::new();
    for item in items {
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(&path_segment(name, &item)?);
    }
    if out.is_empty() {
        return path_segment(name, "");
    }
    Ok(out)
}

/// The query pairs of an object parameter `name`: with `deep`, the
/// `deepObject` style (`name[key]=value`); otherwise the form style, one
/// `key=value` pair per property when `explode`, else one
/// `name=k1,v1,k2,v2` pair. Absent (`null`) properties are left out; a list
/// is comma-joined, a nested object is sent as JSON text.
#[doc(hidden)]
pub fn object_query<T: Serialize + ?Sized, B>(
    name: &str,
    value: &T,
    deep: bool,
    explode: bool,
) -> Result<Vec<(String, String)>, Error<B>> {
    let present = object_pairs("query", name, value)?;
    Ok(if deep {
        present
            .into_iter()
            .map(|(key, value)| (format!("{name}[{key}]"), value))
            .collect()
    } else if explode {
        present
    } else {
        vec![(
            name.to_owned(),
            simple(present, false, |text| text.to_owned()),
        )]
    })
}

/// An object header parameter in the simple style: `k1,v1,k2,v2`, or
/// `k1=v1,k2=v2` when `explode`.
#[doc(hidden)]
pub fn object_header<T: Serialize + ?Sized, B>(
    name: &str,
    value: &T,
    explode: bool,
) -> Result<String, Error<B>> {
    let pairs = object_pairs("header", name, value)?;
    Ok(simple(pairs, explode, |text| text.to_owned()))
}

/// An object path parameter in the simple style, as [`object_header`] with
/// every key and value encoded as by [`path_segment`] (an empty object is
/// refused like an empty value).
#[doc(hidden)]
pub fn object_path<T: Serialize + ?Sized, B>(
    name: &str,
    value: &T,
    explode: bool,
) -> Result<String, Error<B>> {
    let pairs = object_pairs("path", name, value)?;
    if pairs.is_empty() {
        return path_segment(name, "");
    }
    Ok(simple(pairs, explode, |text| {
        utf8_percent_encode(text, PATH_SEGMENT).to_string()
    }))
}

/// `k1,v1,k2,v2`, or `k1=v1,k2=v2` when `explode`, each piece through `encode`.
fn simple(pairs: Vec<(String, String)>, explode: bool, encode: impl Fn(&str) -> String) -> String {
    let pieces: Vec<String> = pairs
        .iter()
        .map(|(key, value)| {
            let separator = if explode { "=" } else { "," };
            format!("{}{separator}{}", encode(key), encode(value))
        })
        .collect();
    pieces.join(",")
}

/// The present (non-`null`) properties of an object parameter as text: a
/// list comma-joined, a nested object as JSON.
fn object_pairs<T: Serialize + ?Sized, B>(
    location: &str,
    name: &str,
    value: &T,
) -> Result<Vec<(String, String)>, Error<B>> {
    let value = serde_json::to_value(value).map_err(|err| {
        Error::invalid_input(format!(
            "the {location} parameter `{name}` could not be serialized: {err}"
        ))
    })?;
    let serde_json::Value::Object(map) = value else {
        return Err(Error::invalid_input(format!(
            "the {location} parameter `{name}` must serialize to an object"
        )));
    };
    let text = |value: &serde_json::Value| match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items
            .iter()
            .map(|item| match item {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(","),
        other => other.to_string(),
    };
    Ok(map
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(key, value)| (key.clone(), text(value)))
        .collect())
}

/// Bytes a cookie value cannot hold as they are (RFC 6265 `cookie-octet`
/// excludes controls, space, `"`, `,`, `;` and `\\`), and `%` itself.
const COOKIE_VALUE: &AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'%');

/// The `Cookie` header of an operation's cookie parameters (`name=value`
/// pairs joined by `; `), each value percent-encoded where a cookie could
/// not hold it; `None` when none is set.
#[doc(hidden)]
pub fn cookie_header(pairs: &[(&str, String)]) -> Option<String> {
    let pairs: Vec<String> = pairs
        .iter()
        .map(|(name, value)| format!("{name}={}", utf8_percent_encode(value, COOKIE_VALUE)))
        .collect();
    (!pairs.is_empty()).then(|| pairs.join("; "))
}

/// Checks an integer parameter against the bounds the API documents.
#[doc(hidden)]
pub fn check_range<B>(
    name: &str,
    value: i64,
    minimum: Option<i64>,
    maximum: Option<i64>,
) -> Result<(), Error<B>> {
    within(name, value, minimum, maximum)
}

/// Checks a number parameter: finite, and within the bounds the API
/// documents.
#[doc(hidden)]
pub fn check_number<B>(
    name: &str,
    value: f64,
    minimum: Option<f64>,
    maximum: Option<f64>,
) -> Result<(), Error<B>> {
    if !value.is_finite() {
        return Err(Error::invalid_input(format!(
            "the parameter `{name}` is {value}, which is not a finite number"
        )));
    }
    within(name, value, minimum, maximum)
}

/// `value` against inclusive bounds, with an error that states them.
fn within<T: PartialOrd + std::fmt::Display, B>(
    name: &str,
    value: T,
    minimum: Option<T>,
    maximum: Option<T>,
) -> Result<(), Error<B>> {
    let below = minimum.as_ref().is_some_and(|min| value < *min);
    let above = maximum.as_ref().is_some_and(|max| value > *max);
    if !(below || above) {
        return Ok(());
    }
    let range = match (minimum, maximum) {
        (Some(min), Some(max)) => format!("{min} to {max}"),
        (Some(min), None) => format!("of at least {min}"),
        (None, Some(max)) => format!("of at most {max}"),
        (None, None) => "(none)".to_owned(),
    };
    Err(Error::invalid_input(format!(
        "the parameter `{name}` is {value}, outside its documented range {range}"
    )))
}

/// Serializes a request body to JSON once, so retries can resend the bytes.
///
/// Fails, before anything is sent, when a float anywhere in the body is
/// `NaN` or infinite: JSON cannot carry them and `serde_json` would write
/// `null` in their place. Generated types check their floats as they are
/// written (see `finite`); the error names the field.
#[doc(hidden)]
pub fn json_body<T: Serialize + ?Sized, B>(body: &T) -> Result<RequestBody, Error<B>> {
    let bytes = to_json(body)
        .map_err(|problem| Error::invalid_input(format!("the request body {problem}")))?;
    Ok(RequestBody::new(bytes::Bytes::from(bytes)))
}

/// Serializes a request body as `application/x-www-form-urlencoded`, once.
#[doc(hidden)]
pub fn form_body<T: Serialize + ?Sized, B>(body: &T) -> Result<RequestBody, Error<B>> {
    serde_urlencoded::to_string(body)
        .map(|text| RequestBody::new(bytes::Bytes::from(text)))
        .map_err(|err| {
            let message = err.to_string();
            if non_finite(&message).is_some() {
                // The form encoder says nothing of where it was; writing the
                // body as JSON finds the path.
                let problem = to_json(body).err().unwrap_or(message);
                return Error::invalid_input(format!("the request body {problem}"));
            }
            Error::invalid_input(format!(
                "the request body could not be encoded as a form (only flat objects of \
                 scalars can be): {err}"
            ))
        })
}

/// A raw request body (binary or text), copied once.
#[doc(hidden)]
pub fn bytes_body(body: &[u8]) -> RequestBody {
    RequestBody::new(bytes::Bytes::copy_from_slice(body))
}

/// `text` quoted for an error message: cut to [`QUOTED_INPUT_BYTES`].
pub(crate) fn quote_input(text: &str) -> std::borrow::Cow<'_, str> {
    shorten(text, QUOTED_INPUT_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_encode_reserved_characters() {
        let seg = |v| path_segment::<()>("id", v).unwrap();
        assert_eq!(seg("abc-XYZ_0.9~"), "abc-XYZ_0.9~");
        assert_eq!(seg("a/b?c#d"), "a%2Fb%3Fc%23d");
        assert_eq!(seg("100% sure"), "100%25%20sure");
        assert_eq!(seg("é"), "%C3%A9");
        assert_eq!(seg("..."), "...");
        assert_eq!(seg(".a"), ".a");
    }

    #[test]
    fn list_path_parameters_join_encoded_items_with_commas() {
        let list = |items: &[&str]| path_list::<()>("ids", items.iter().map(|s| s.to_string()));
        assert_eq!(list(&["1", "a b", "c,d"]).unwrap(), "1,a%20b,c%2Cd");
        assert!(list(&[]).is_err());
        assert!(list(&["a", ".."]).is_err());
    }

    #[test]
    fn object_query_parameters_follow_their_style() {
        // Pair order follows the map's (sorted, or the struct's order when
        // serde_json keeps insertion order), so compare sorted pairs.
        let sorted = |mut pairs: Vec<(String, String)>| {
            pairs.sort();
            pairs
        };
        let filter = serde_json::json!({"status": "open", "ids": [1, 2], "gone": null});
        assert_eq!(
            sorted(object_query::<_, ()>("filter", &filter, true, true).unwrap()),
            [
                ("filter[ids]".to_owned(), "1,2".to_owned()),
                ("filter[status]".to_owned(), "open".to_owned())
            ]
        );
        assert_eq!(
            sorted(object_query::<_, ()>("filter", &filter, false, true).unwrap()),
            [
                ("ids".to_owned(), "1,2".to_owned()),
                ("status".to_owned(), "open".to_owned())
            ]
        );
        let single = serde_json::json!({"status": "open", "gone": null});
        assert_eq!(
            object_query::<_, ()>("filter", &single, false, false).unwrap(),
            [("filter".to_owned(), "status,open".to_owned())]
        );
        assert!(object_query::<_, ()>("filter", &5, true, true).is_err());
    }

    #[test]
    fn object_header_and_path_parameters_use_the_simple_style() {
        let single = serde_json::json!({"role": "admin a/b", "gone": null});
        assert_eq!(
            object_header::<_, ()>("X-Who", &single, false).unwrap(),
            "role,admin a/b"
        );
        assert_eq!(
            object_header::<_, ()>("X-Who", &single, true).unwrap(),
            "role=admin a/b"
        );
        assert_eq!(
            object_path::<_, ()>("who", &single, false).unwrap(),
            "role,admin%20a%2Fb"
        );
        assert_eq!(
            object_path::<_, ()>("who", &single, true).unwrap(),
            "role=admin%20a%2Fb"
        );
        assert!(object_path::<_, ()>("who", &serde_json::json!({}), true).is_err());
        assert!(object_header::<_, ()>("X-Who", &"text", true).is_err());
    }

    #[test]
    fn cookie_parameters_become_one_cookie_header() {
        assert_eq!(cookie_header(&[]), None);
        assert_eq!(
            cookie_header(&[("session", "a b;c".to_owned()), ("lang", "en".to_owned())]),
            Some("session=a%20b%3Bc; lang=en".to_owned())
        );
    }

    #[test]
    fn segments_that_leave_their_place_are_refused() {
        for value in ["", ".", ".."] {
            let err = path_segment::<()>("transactionId", value).unwrap_err();
            assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
            assert!(err.to_string().contains("`transactionId`"), "{err}");
        }
    }

    #[test]
    fn ranges_are_checked() {
        assert!(check_range::<()>("pageSize", 1, Some(1), Some(100)).is_ok());
        assert!(check_range::<()>("pageSize", 100, Some(1), Some(100)).is_ok());
        let err = check_range::<()>("pageSize", 101, Some(1), Some(100)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid input: the parameter `pageSize` is 101, outside its documented range 1 to 100"
        );
        assert!(check_range::<()>("page", 0, Some(1), None).is_err());
        assert!(check_range::<()>("page", i64::MAX, Some(1), None).is_ok());
        assert!(check_number::<()>("score", f64::NAN, None, None).is_err());
        assert!(check_number::<()>("score", 0.5, Some(0.0), Some(1.0)).is_ok());
        assert!(check_number::<()>("score", 1.5, Some(0.0), Some(1.0)).is_err());
    }

    #[test]
    fn json_body_reports_unserializable_input() {
        use std::collections::BTreeMap;
        let ok = json_body::<_, ()>(&serde_json::json!({"a": 1, "b": null})).unwrap();
        assert_eq!(&ok.bytes()[..], br#"{"a":1,"b":null}"#);
        // Maps with non-string keys cannot be JSON.
        let bad: BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into_iter().collect();
        let err = json_body::<_, ()>(&bad).unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
        assert!(err.to_string().contains("request body"), "{err}");
    }

    #[test]
    fn json_body_refuses_non_finite_numbers() {
        use super::super::finite::{Checked, serialize};
        #[derive(Serialize)]
        struct Amount {
            #[serde(rename = "transactionAmount", serialize_with = "serialize")]
            amount: f64,
        }
        let err = json_body::<_, ()>(&vec![Amount { amount: 1.0 }, Amount { amount: f64::NAN }])
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid input: the request body has NaN at `[1].transactionAmount`; JSON numbers must be finite"
        );
        assert!(json_body::<_, ()>(&Checked(&f64::NEG_INFINITY)).is_err());
        let err = form_body::<_, ()>(&Amount {
            amount: f64::INFINITY,
        })
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid input: the request body has inf at `transactionAmount`; JSON numbers must be finite"
        );
    }

    #[test]
    fn form_bodies_encode_flat_structs() {
        #[derive(Serialize)]
        struct Pet {
            name: &'static str,
            id: u32,
            #[serde(skip_serializing_if = "Option::is_none")]
            tag: Option<&'static str>,
        }
        let body = form_body::<_, ()>(&Pet {
            name: "Rex & Co",
            id: 7,
            tag: None,
        })
        .unwrap();
        assert_eq!(&body.bytes()[..], b"name=Rex+%26+Co&id=7");
        let nested = serde_json::json!({"a": {"b": 1}});
        let err = form_body::<_, ()>(&nested).unwrap_err();
        assert!(err.to_string().contains("form"), "{err}");
        assert_eq!(&bytes_body(b"\x00\x01").bytes()[..], b"\x00\x01");
    }

    #[test]
    fn quoted_input_is_short() {
        let long = "x".repeat(1_000_000);
        assert!(quote_input(&long).len() < 100);
    }
}
