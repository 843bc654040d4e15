//! Runs inside the crate generated from `tests/fixtures/pattern_union.yaml`
//! (copied there by `tests/tests/pattern_union.rs`): string variants told
//! apart only by `pattern` decode as the variant whose pattern matches.

use generated_api::types::{IpNet, Route};

#[test]
fn each_network_decodes_as_the_variant_whose_pattern_it_matches() {
    let v4: IpNet = serde_json::from_str(r#""10.1.0.0/16""#).unwrap();
    assert!(matches!(&v4, IpNet::Ipv4Net(s) if s == "10.1.0.0/16"), "{v4:?}");
    let v6: IpNet = serde_json::from_str(r#""fd00:1::/64""#).unwrap();
    assert!(matches!(&v6, IpNet::Ipv6Net(s) if s == "fd00:1::/64"), "{v6:?}");
    // Written back as sent.
    assert_eq!(serde_json::to_string(&v6).unwrap(), r#""fd00:1::/64""#);
    // Inside an object, through the field.
    let route: Route = serde_json::from_str(r#"{"destination":"2001:db8::/32"}"#).unwrap();
    assert!(matches!(route.destination, IpNet::Ipv6Net(_)));
}

#[test]
fn a_string_neither_pattern_matches_names_both_variants() {
    let err = serde_json::from_str::<IpNet>(r#""not a network""#).unwrap_err();
    assert!(err.to_string().contains("IpNet"), "{err}");
}
