//! Unions of string schemas told apart by `format`, end to end: the crate
//! generated from `fixtures/format_union.yaml` (exactly as `cargo xtask
//! generate --out` writes it) runs `fixture_tests/format_decode.rs` against
//! real payloads.

use flagright_tests::fixture_crate;

#[test]
fn string_variants_told_apart_by_format_decode_as_the_matching_one() {
    let root = fixture_crate::root();
    let out = fixture_crate::base().join("format-union");
    let text = std::fs::read_to_string(root.join("tests/fixtures/format_union.yaml"))
        .expect("the format_union fixture");
    let module = codegen::generate_module(&text).expect("the fixture generates");
    fixture_crate::write(&out, &module).expect("the crate is written");
    std::fs::create_dir_all(out.join("tests")).expect("a tests folder");
    std::fs::copy(
        root.join("tests/fixture_tests/format_decode.rs"),
        out.join("tests/format_decode.rs"),
    )
    .expect("copy the decode test");
    let output = fixture_crate::cargo(&["test", "--quiet", "--test", "format_decode"], &out);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the format tests failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("3 passed"), "{stdout}");
}
