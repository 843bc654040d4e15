//! Unions of string schemas told apart by `pattern`, end to end: the crate
//! generated from `fixtures/pattern_union.yaml` (exactly as `cargo xtask
//! generate --out` writes it, with its `patterns` feature on by default)
//! runs `fixture_tests/pattern_decode.rs` against real payloads.

use flagright_tests::fixture_crate;

#[test]
fn string_variants_told_apart_by_pattern_decode_as_the_matching_one() {
    let root = fixture_crate::root();
    let out = fixture_crate::base().join("pattern-union");
    let text = std::fs::read_to_string(root.join("tests/fixtures/pattern_union.yaml"))
        .expect("the pattern_union fixture");
    let module = codegen::generate_module(&text).expect("the fixture generates");
    assert_eq!(module.features, ["patterns"]);
    fixture_crate::write(&out, &module).expect("the crate is written");
    std::fs::create_dir_all(out.join("tests")).expect("a tests folder");
    std::fs::copy(
        root.join("tests/fixture_tests/pattern_decode.rs"),
        out.join("tests/pattern_decode.rs"),
    )
    .expect("copy the decode test");
    let output = fixture_crate::cargo(
        &[
            "test",
            "--quiet",
            "--no-default-features",
            "--features",
            "patterns",
            "--test",
            "pattern_decode",
        ],
        &out,
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the pattern tests failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("2 passed"), "{stdout}");
}
