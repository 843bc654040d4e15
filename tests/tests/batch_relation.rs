//! Bulk importers are recognised while lowering: a batch endpoint whose shape
//! drifts loses its importer with a located warning naming what is missing,
//! never silently.

fn spec() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/flagright.yaml"
    ))
    .expect("spec/flagright.yaml")
}

fn batch_file(module: &codegen::Module) -> &str {
    &module
        .files
        .iter()
        .find(|f| f.path == "batch.rs")
        .expect("batch.rs is generated")
        .text
}

#[test]
fn our_spec_has_an_importer_per_batch_endpoint_and_no_warning() {
    let module = codegen::generate_module(&spec()).unwrap();
    assert!(module.warnings.is_empty(), "{:?}", module.warnings);
    let batch = batch_file(&module);
    for method in [
        "pub fn import_transactions<",
        "pub fn import_transaction_events<",
        "pub fn import_consumer_users<",
        "pub fn import_business_users<",
    ] {
        assert!(batch.contains(method), "{method} missing");
    }
}

#[test]
fn a_batch_answer_without_failed_records_is_a_located_warning() {
    let drifted = spec().replacen(
        "\n        failedRecords:\n",
        "\n        rejectedRecords:\n",
        1,
    );
    assert_ne!(
        drifted,
        spec(),
        "the batch answer's `failedRecords` was not found"
    );
    let module = codegen::generate_module(&drifted).unwrap();
    assert!(!module.warnings.is_empty());
    for warning in &module.warnings {
        assert!(warning.pointer.starts_with("#/paths/"), "{warning}");
        assert!(
            warning
                .message
                .contains("looks like a batch endpoint (its body has `data` and `batchId`) but its answer has no `failedRecords`"),
            "{warning}"
        );
    }
    assert!(!batch_file(&module).contains("pub fn import_"));
}
