//! Unions of string schemas told apart by `format`, end to end: the crate
//! generated from `fixtures/format_union.yaml` (exactly as `cargo xtask
//! generate --out` writes it) runs `fixture_tests/format_decode.rs` against
//! real payloads.

use flagright_tests::fixture_crate;

#[test]
fn string_variants_told_apart_by_format_decode_as_the_matching_one() {
    let stdout =
        fixture_crate::run_inside("format_union", "format-union", "format_decode", &[], |_| ());
    assert!(stdout.contains("3 passed"), "{stdout}");
}
