//! String variants of an untagged union told apart by `format`
//! (`oneOf: [{type: string, format: date-time}, {type: string, format: uuid}]`):
//! each checks its format before it takes a value. The checks are the
//! runtime's `formats` module; a format it does not know is no check.

use crate::ir::UntaggedVariant;
use std::collections::BTreeSet;

/// Formats the runtime can check.
const CHECKED: &[&str] = &["date-time", "date", "uuid", "ipv4", "ipv6", "email", "uri"];

/// Keeps a variant's `format` only where it tells string variants apart: two
/// or more variants are strings, with different checkable formats. Anywhere
/// else a format check would refuse strings the union read before (the
/// official contract is the floor), so the format is dropped.
pub(crate) fn keep_telling_formats(variants: &mut [UntaggedVariant], strings: &[bool]) {
    let formats: BTreeSet<&str> = variants
        .iter()
        .filter_map(|v| v.format.as_deref())
        .filter(|f| CHECKED.contains(f))
        .collect();
    let telling = strings.iter().filter(|s| **s).count() >= 2 && formats.len() >= 2;
    for v in variants.iter_mut() {
        let checked = v.format.as_deref().is_some_and(|f| CHECKED.contains(&f));
        if !telling || !checked {
            v.format = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::TypeRef;

    fn string(format: Option<&str>) -> UntaggedVariant {
        UntaggedVariant {
            name: String::new(),
            ty: TypeRef::String,
            required: Vec::new(),
            known: None,
            boxed: false,
            pattern: None,
            format: format.map(str::to_owned),
        }
    }

    #[test]
    fn a_format_is_checked_only_where_it_tells_strings_apart() {
        let mut two = [string(Some("date-time")), string(Some("uuid"))];
        keep_telling_formats(&mut two, &[true, true]);
        assert_eq!(two[1].format.as_deref(), Some("uuid"));
        // A lone string variant beside an integer reads any string, as before.
        let mut lone = [string(Some("date-time")), string(None)];
        lone[1].ty = TypeRef::Integer { bits32: false };
        keep_telling_formats(&mut lone, &[true, false]);
        assert_eq!(lone[0].format, None);
        // A format the runtime cannot check is no check.
        let mut unknown = [string(Some("hostname")), string(Some("uuid"))];
        keep_telling_formats(&mut unknown, &[true, true]);
        assert_eq!(
            (unknown[0].format.as_deref(), unknown[1].format.as_deref()),
            (None, None)
        );
    }
}
