//! `cargo xtask`: project automation.
//!
//! `cargo xtask generate` regenerates `flagright-api/src/generated` from
//! `spec/flagright.yaml`; `--check` fails, naming the stale files, when the
//! committed output differs; `--spec FILE --out DIR` writes a standalone crate
//! (runtime plus generated code) for any OpenAPI 3.0 document.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use xtask::{fs, project_root, standalone};

const USAGE: &str = "usage:
  cargo xtask generate [--check]              regenerate flagright-api from spec/
  cargo xtask generate --spec FILE --out DIR  write a standalone crate for any spec";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let Some((command, rest)) = args.split_first() else {
        return Err(format!("no command given\n{USAGE}"));
    };
    match command.as_str() {
        "generate" => generate(rest),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n{USAGE}")),
    }
}

struct Options {
    check: bool,
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        check: false,
        spec: None,
        out: None,
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--check" => options.check = true,
            "--spec" => options.spec = Some(iter.next().ok_or("--spec needs a file")?.into()),
            "--out" => options.out = Some(iter.next().ok_or("--out needs a directory")?.into()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(options)
}

fn generate(args: &[String]) -> Result<(), String> {
    let options = parse(args)?;
    let root = project_root();
    let spec_path = options
        .spec
        .clone()
        .unwrap_or_else(|| root.join("spec/flagright.yaml"));
    let text = std::fs::read_to_string(&spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    let started = Instant::now();
    let spec = codegen::load(&text).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    let generated = codegen::generate_all(&spec, "flagright-api")
        .map_err(|e| format!("{}: {e}", spec_path.display()))?;
    let elapsed = started.elapsed();
    let files = generated.module;

    if let Some(out) = options.out {
        if options.check {
            return Err(String::from("--check cannot be combined with --out"));
        }
        standalone::write(&root, &out, &files)?;
        println!(
            "wrote a standalone crate for {} to {} ({} generated files, generated in {:.0?})",
            spec_path.display(),
            out.display(),
            files.len(),
            elapsed
        );
        return Ok(());
    }

    let dir = root.join("flagright-api/src/generated");
    let mut report = fs::sync_dir(&dir, &files, options.check)?;
    let registry = fs::sync_file(
        &root.join("tests/src").join(&generated.registry.path),
        &generated.registry.text,
        options.check,
    )?;
    report.merge(registry);
    if options.check {
        if report.stale.is_empty() {
            println!("generated code is up to date ({} files)", files.len());
            Ok(())
        } else {
            Err(format!(
                "generated code is stale; run `cargo xtask generate` and commit the result:\n{}",
                report
                    .stale
                    .iter()
                    .map(|p| format!("  {p}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ))
        }
    } else {
        println!(
            "generated {} files from {} in {:.0?} ({} updated, {} removed)",
            files.len(),
            spec_path.display(),
            elapsed,
            report.written.len(),
            report.removed.len()
        );
        Ok(())
    }
}
