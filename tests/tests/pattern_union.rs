//! Unions of string schemas told apart by `pattern`, end to end: the crate
//! generated from `fixtures/pattern_union.yaml` (exactly as `cargo xtask
//! generate --out` writes it, with its `patterns` feature on by default)
//! runs `fixture_tests/pattern_decode.rs` against real payloads.

use flagright_tests::fixture_crate;

#[test]
fn string_variants_told_apart_by_pattern_decode_as_the_matching_one() {
    let stdout = fixture_crate::run_inside(
        "pattern_union",
        "pattern-union",
        "pattern_decode",
        &["--no-default-features", "--features", "patterns"],
        |module| assert_eq!(module.features, ["patterns"]),
    );
    assert!(stdout.contains("2 passed"), "{stdout}");
}
