//! The `format` of a string schema, for untagged unions whose string
//! variants are told apart by it (a timestamp or an id, an IPv4 or an IPv6
//! address). Checked by hand, without a dependency: only the formats below
//! are known, and an unknown one matches every string.

use std::net::{Ipv4Addr, Ipv6Addr};

/// Whether `value` is a string written in `format` (`date-time`, `date`,
/// `uuid`, `ipv4`, `ipv6`, `email`, `uri`). Anything that is not a string
/// matches no format.
pub fn matches(format: &str, value: &serde_json::Value) -> bool {
    let Some(text) = value.as_str() else {
        return false;
    };
    match format {
        "date-time" => date_time(text),
        "date" => date(text),
        "uuid" => uuid(text),
        "ipv4" => text.parse::<Ipv4Addr>().is_ok(),
        "ipv6" => text.parse::<Ipv6Addr>().is_ok(),
        "email" => email(text),
        "uri" => uri(text),
        _ => true,
    }
}

/// Whether `text` is `len` ASCII digits.
fn digits(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_digit())
}

/// `2024-05-01` (RFC 3339 `full-date`; month and day in range).
fn date(text: &str) -> bool {
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    digits(y, 4)
        && digits(m, 2)
        && digits(d, 2)
        && (1..=12).contains(&m.parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&d.parse::<u8>().unwrap_or(0))
}

/// `2024-05-01T12:30:00Z`, with optional fractional seconds and a `Z` or
/// `±hh:mm` offset (RFC 3339 `date-time`; `t`/`z` in either case).
fn date_time(text: &str) -> bool {
    let Some((day, time)) = text.split_once(['T', 't']) else {
        return false;
    };
    if !date(day) {
        return false;
    }
    let (clock, offset_ok) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, true)
    } else if let Some(at) = time.rfind(['+', '-']) {
        let (clock, offset) = time.split_at(at);
        let offset = &offset[1..];
        let ok = offset
            .split_once(':')
            .is_some_and(|(h, m)| digits(h, 2) && digits(m, 2));
        (clock, ok)
    } else {
        return false;
    };
    let (whole, fraction) = match clock.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (clock, None),
    };
    let mut hms = whole.split(':');
    let (Some(h), Some(m), Some(s), None) = (hms.next(), hms.next(), hms.next(), hms.next()) else {
        return false;
    };
    offset_ok
        && digits(h, 2)
        && digits(m, 2)
        && digits(s, 2)
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// `123e4567-e89b-12d3-a456-426614174000`: hex groups of 8-4-4-4-12.
fn uuid(text: &str) -> bool {
    let lengths = [8, 4, 4, 4, 12];
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == lengths.len()
        && groups
            .iter()
            .zip(lengths)
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `name@example.com`: one `@`, something before it, a dotted domain after
/// it, no spaces (the shape, not every rule of RFC 5321).
fn email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    // Characters an unquoted local part cannot hold (`mailto:a@b.c` is a URI).
    let specials = [':', '/', ',', ';', '<', '>', '(', ')', '[', ']', '\\', '"'];
    !local.is_empty()
        && !local.contains(specials)
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(char::is_whitespace)
}

/// `https://example.com/x`: a scheme (a letter, then letters, digits, `+`,
/// `-` or `.`) and a colon, no spaces.
fn uri(text: &str) -> bool {
    let Some((scheme, _)) = text.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !text.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::matches;
    use serde_json::json;

    #[test]
    fn each_format_takes_its_own_values_only() {
        let cases = [
            ("date-time", "2024-05-01T12:30:00Z", "2024-05-01"),
            (
                "date-time",
                "2024-05-01t12:30:00.123+02:00",
                "2024-05-01T12:30Z",
            ),
            ("date", "2024-05-01", "2024-13-01"),
            (
                "uuid",
                "123e4567-e89b-12d3-a456-426614174000",
                "123e4567e89b12d3a456426614174000",
            ),
            ("ipv4", "10.0.0.1", "fd00::1"),
            ("ipv6", "fd00::1", "10.0.0.1"),
            ("email", "ada@example.com", "ada@localhost"),
            ("email", "ada.l+x@example.co.uk", "mailto:ada@example.com"),
            ("uri", "https://example.com/a", "example.com/a b"),
        ];
        for (format, good, bad) in cases {
            assert!(matches(format, &json!(good)), "{format}: {good}");
            assert!(!matches(format, &json!(bad)), "{format}: {bad}");
        }
        assert!(!matches("uuid", &json!(5)));
        assert!(matches("hostname", &json!("anything")));
    }
}
