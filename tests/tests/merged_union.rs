//! Unions merged into an object with `allOf`, end to end: the crate
//! generated from `fixtures/merged_union.yaml` (exactly as `cargo xtask
//! generate --out` writes it) runs `fixture_tests/merged_decode.rs` against
//! real payloads of every variant.

use flagright_tests::fixture_crate;

#[test]
fn shared_fields_and_a_flattened_union_round_trip_real_payloads() {
    let stdout =
        fixture_crate::run_inside("merged_union", "merged-union", "merged_decode", &[], |_| ());
    assert!(stdout.contains("5 passed"), "{stdout}");
}
