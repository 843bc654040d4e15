//! `flagright-bench progenitor-generate FILE OUT`: what `cargo progenitor`
//! does, as one process, so generation can be timed against `cargo xtask
//! generate --spec FILE --out DIR`: read the document, generate tokens with
//! progenitor's default settings, format them with prettyplease, and write
//! `src/lib.rs` and a `Cargo.toml` listing what the generated code needs.
//!
//! The manifest follows `cargo-progenitor` 0.15 (`dependencies()` in its
//! `main.rs`) and has no `[workspace]` table, so the crate can join the
//! temporary workspace of `--build`.

use std::path::Path;

use progenitor_impl::{GenerationSettings, Generator};

/// The crate's package name.
pub const PACKAGE: &str = "progenitor-generated";

/// Generates a crate for the OpenAPI document at `spec` into `out`.
pub fn generate(spec: &Path, out: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(spec)
        .map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let api: openapiv3::OpenAPI = serde_yaml::from_str(&text)
        .map_err(|e| format!("{}: not an OpenAPI 3.0 document: {e}", spec.display()))?;
    let mut generator = Generator::new(&GenerationSettings::default());
    let tokens = generator
        .generate_tokens(&api)
        .map_err(|e| format!("{}: progenitor: {e}", spec.display()))?;
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("progenitor's output does not parse: {e}"))?;
    let code = prettyplease::unparse(&file);
    let manifest = manifest(&generator);

    let src = out.join("src");
    std::fs::create_dir_all(&src).map_err(|e| format!("cannot create {}: {e}", src.display()))?;
    write(&out.join("Cargo.toml"), &manifest)?;
    write(&src.join("lib.rs"), &code)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The manifest `cargo progenitor` writes (without `--include-client`).
fn manifest(generator: &Generator) -> String {
    let types = generator.get_type_space();
    let mut deps = vec![
        "bytes = \"1.9\"".to_owned(),
        "futures-core = \"0.3\"".to_owned(),
        "progenitor-client = \"0.15.1\"".to_owned(),
        "reqwest = { version = \"0.13\", default-features = false, features = [\"json\", \"query\", \"stream\"] }".to_owned(),
        "serde = { version = \"1.0\", features = [\"derive\"] }".to_owned(),
        "serde_urlencoded = \"0.7\"".to_owned(),
    ];
    if types.uses_regress() {
        deps.push("regress = \"0.10\"".to_owned());
    }
    if types.uses_uuid() {
        deps.push("uuid = { version = \"1.0\", features = [\"serde\", \"v4\"] }".to_owned());
    }
    if types.uses_chrono() {
        deps.push(
            "chrono = { version = \"0.4\", default-features = false, features = [\"serde\"] }"
                .to_owned(),
        );
    }
    if generator.uses_futures() {
        deps.push("futures = \"0.3\"".to_owned());
    }
    if generator.uses_websockets() {
        deps.push("base64 = \"0.22\"".to_owned());
        deps.push("rand = \"0.8\"".to_owned());
    }
    if types.uses_serde_json() {
        deps.push("serde_json = \"1.0\"".to_owned());
    }
    deps.sort_unstable();
    format!(
        "[package]\nname = \"{PACKAGE}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{}\n",
        deps.join("\n")
    )
}
