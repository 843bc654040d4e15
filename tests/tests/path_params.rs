//! Operations with two or more path parameters take them by name: the crate
//! generated from `fixtures/path_order.yaml` compiles calls that name each
//! parameter (`fixture_tests/path_by_name.rs`), and refuses a call that
//! passes two ids positionally, in either order.

use flagright_tests::fixture_crate;

#[test]
fn path_parameters_are_named_and_a_positional_swap_does_not_compile() {
    let root = fixture_crate::root();
    let out = fixture_crate::base().join("path-order");
    let text = std::fs::read_to_string(root.join("tests/fixtures/path_order.yaml"))
        .expect("the path_order fixture");
    let module = codegen::generate_module(&text).expect("the fixture generates");
    fixture_crate::write(&out, &module).expect("the crate is written");
    std::fs::create_dir_all(out.join("tests")).expect("a tests folder");
    let test = out.join("tests/by_name.rs");
    std::fs::copy(root.join("tests/fixture_tests/path_by_name.rs"), &test)
        .expect("copy the by-name calls");
    let check = || {
        fixture_crate::cargo(
            &[
                "check",
                "--tests",
                "--features",
                "blocking",
                "--message-format",
                "short",
            ],
            &out,
        )
    };
    let named = check();
    assert!(
        named.status.success(),
        "calls by name do not compile:\n{}",
        String::from_utf8_lossy(&named.stderr)
    );

    // The swap that positional `String`s let through: `output` where `task` goes.
    std::fs::write(
        &test,
        "#[allow(dead_code)]\n\
         async fn swapped(client: &generated_api::Client, task: &str, output: &str) {\n\
         let _ = client.tasks().task_output_download(output, task).await;\n\
         }\n",
    )
    .expect("write the swapped call");
    let swapped = check();
    let stderr = String::from_utf8_lossy(&swapped.stderr);
    assert!(!swapped.status.success(), "a positional swap compiled");
    assert!(stderr.contains("E0061"), "{stderr}");
}
