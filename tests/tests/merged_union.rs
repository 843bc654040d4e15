//! Unions merged into an object with `allOf`, end to end: the crate
//! generated from `fixtures/merged_union.yaml` (exactly as `cargo xtask
//! generate --out` writes it) runs `fixture_tests/merged_decode.rs` against
//! real payloads of every variant.

use flagright_tests::fixture_crate;

#[test]
fn shared_fields_and_a_flattened_union_round_trip_real_payloads() {
    let root = fixture_crate::root();
    let out = fixture_crate::base().join("merged-union");
    let text = std::fs::read_to_string(root.join("tests/fixtures/merged_union.yaml"))
        .expect("the merged_union fixture");
    let module = codegen::generate_module(&text).expect("the fixture generates");
    fixture_crate::write(&out, &module).expect("the crate is written");
    std::fs::create_dir_all(out.join("tests")).expect("a tests folder");
    std::fs::copy(
        root.join("tests/fixture_tests/merged_decode.rs"),
        out.join("tests/merged_decode.rs"),
    )
    .expect("copy the decode test");
    let output = fixture_crate::cargo(&["test", "--quiet", "--test", "merged_decode"], &out);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the merged union tests failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("5 passed"), "{stdout}");
}
