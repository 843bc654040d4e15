//! `multipart/form-data` end to end: the crate generated from
//! `fixtures/multipart.yaml` (exactly as `cargo xtask generate --out` writes
//! it) runs `fixture_tests/multipart_loopback.rs`, whose tests send bodies
//! through the generated async and blocking clients to a listener on
//! 127.0.0.1 and compare the bytes received.
//!
//! The crate is built under `target/fixture-crates/` with the workspace's
//! `Cargo.lock`, beside the crates of `fixtures_compile.rs`.

use flagright_tests::fixture_crate;

/// The generated crate's own test dependency, and what the loopback test
/// needs instead.
const TOKIO: &str = r#"tokio = { version = "1", features = ["macros", "rt-multi-thread"] }"#;
const TOKIO_NET: &str =
    r#"tokio = { version = "1", features = ["macros", "rt-multi-thread", "net", "io-util"] }"#;

#[test]
fn the_generated_client_sends_multipart_bodies_over_http() {
    let root = fixture_crate::root();
    let out = fixture_crate::base().join("multipart-loopback");
    let text = std::fs::read_to_string(root.join("tests/fixtures/multipart.yaml"))
        .expect("the multipart fixture");
    let module = codegen::generate_module(&text).expect("the fixture generates");
    assert_eq!(module.features, ["multipart"]);
    fixture_crate::write(&out, &module).expect("the crate is written");
    let runtime = xtask::standalone::Runtime::in_workspace(&root);
    let manifest = xtask::standalone::manifest(&module.features, &runtime);
    assert!(manifest.contains(TOKIO), "{manifest}");
    let manifest = manifest.replace(TOKIO, TOKIO_NET);
    std::fs::write(out.join("Cargo.toml"), manifest).expect("write the manifest");
    std::fs::create_dir_all(out.join("tests")).expect("a tests folder");
    std::fs::copy(
        root.join("tests/fixture_tests/multipart_loopback.rs"),
        out.join("tests/loopback.rs"),
    )
    .expect("copy the loopback test");
    // No TLS: the test talks plain HTTP, and rustls would only add build time.
    let output = fixture_crate::cargo(
        &[
            "test",
            "--quiet",
            "--no-default-features",
            "--features",
            "multipart,blocking",
            "--test",
            "loopback",
        ],
        &out,
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the loopback tests failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("3 passed"), "{stdout}");
}
